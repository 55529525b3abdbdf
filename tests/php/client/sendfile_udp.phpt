--TEST--
client: sendfile() of a temp file over TCP; UDP sendto()/recvfrom() without connect()
--FILE--
<?php
use Swoole\Coroutine\Client;
use Swoole\Coroutine\Socket;

Co\run(function () {
    $path = tempnam(sys_get_temp_dir(), 'eddy');
    $data = random_bytes(1024 * 1024 + 7);
    file_put_contents($path, $data);

    $server = new Socket(AF_INET, SOCK_STREAM, 0);
    $server->bind('127.0.0.1', 0);
    $server->listen();
    go(function () use ($server, $data) {
        $peer = $server->accept(1);
        $got = $peer->recvAll(strlen($data) + 3, 5);
        var_dump($got === $data . substr($data, 1, 3));
        $peer->close();
    });
    $client = new Client(SWOOLE_SOCK_TCP);
    var_dump($client->sendfile($path));  // no connection yet
    $client->connect('127.0.0.1', $server->getsockname()['port'], 1);
    var_dump($client->sendfile($path), $client->sendfile($path, 1, 3));
    var_dump($client->sendfile($path . '.missing'), $client->errCode === SOCKET_ENOENT);
    Co::sleep(0.05);
    $client->close();
    $server->close();
    unlink($path);

    $udp = new Socket(AF_INET, SOCK_DGRAM, 0);
    $udp->bind('127.0.0.1', 0);
    $port = $udp->getsockname()['port'];
    $c = new Client(SWOOLE_SOCK_UDP);
    var_dump($c->sendto('127.0.0.1', $port, 'ping'));
    $msg = $udp->recvfrom($peer, 1);
    var_dump($msg, $peer['address']);
    $udp->sendto($peer['address'], $peer['port'], 'pong');
    var_dump($c->recvfrom(100, $addr, $p), $addr, $p === $port);
    $udp->close();
    $c->close();

    $tcp = new Client(SWOOLE_SOCK_TCP);
    var_dump($tcp->sendto('127.0.0.1', $port, 'x'));
});
?>
--EXPECTF--
bool(false)
bool(true)
bool(true)
bool(false)
bool(true)
bool(true)
bool(true)
string(4) "ping"
string(9) "127.0.0.1"
string(4) "pong"
string(9) "127.0.0.1"
bool(true)

Warning: Swoole\Coroutine\Client::sendto(): only a UDP or unix dgram client can use this method in %s on line %d
bool(false)
