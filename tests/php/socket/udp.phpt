--TEST--
socket: UDP sendto/recvfrom between two coroutines, peer address filled in
--FILE--
<?php
use Swoole\Coroutine\Socket;

Co\run(function () {
    $server = new Socket(AF_INET, SOCK_DGRAM, 0);
    var_dump($server->bind('127.0.0.1', 0));
    $port = $server->getsockname()['port'];

    go(function () use ($server) {
        $peer = null;
        $data = $server->recvfrom($peer);
        var_dump($data, $peer['address'], $peer['port'] > 0);
        var_dump($server->sendto($peer['address'], $peer['port'], "re: $data"));
    });

    $client = new Socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    var_dump($client->sendto('127.0.0.1', $port, 'ping'));
    $peer = [];
    var_dump($client->recvfrom($peer, 1));
    var_dump($peer === ['address' => '127.0.0.1', 'port' => $port]);
    // Nothing more will come: recvfrom times out and leaves $peer alone.
    $peer = 'untouched';
    var_dump($client->recvfrom($peer, 0.05), $client->errCode === SOCKET_ETIMEDOUT, $peer);
});
?>
--EXPECT--
bool(true)
int(4)
string(4) "ping"
string(9) "127.0.0.1"
bool(true)
int(8)
string(8) "re: ping"
bool(true)
bool(false)
bool(true)
string(9) "untouched"
