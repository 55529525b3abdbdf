--TEST--
socket: recvLine() joins split writes and splits coalesced ones; recvWithBuffer() serves read-ahead in order
--FILE--
<?php
use Swoole\Coroutine\Socket;

Co\run(function () {
    $server = new Socket(AF_INET, SOCK_STREAM, 0);
    $server->bind('127.0.0.1', 0);
    $server->listen();
    $port = $server->getsockname()['port'];
    go(function () use ($server) {
        $peer = $server->accept(1);
        foreach (["hel", "lo\nwor", "ld\nabcdefgh\n", "0123456789", "tail"] as $piece) {
            $peer->sendAll($piece);
            Co::sleep(0.01);
        }
        $peer->close();
    });
    $client = new Socket(AF_INET, SOCK_STREAM, 0);
    $client->connect('127.0.0.1', $port, 1);
    var_dump($client->recvLine());
    var_dump($client->recvLine());
    var_dump($client->recvLine(6));   // no newline within 6 bytes
    var_dump($client->recvLine(6));
    var_dump($client->recvWithBuffer(4));
    var_dump($client->recvWithBuffer(4));
    var_dump($client->recvWithBuffer(100));
    var_dump($client->recvLine());    // peer closes mid-line: what arrived
    var_dump($client->recvLine());    // then end of stream
    $client->close();
    $server->close();
});
?>
--EXPECT--
string(6) "hello
"
string(6) "world
"
string(6) "abcdef"
string(3) "gh
"
string(4) "0123"
string(4) "4567"
string(2) "89"
string(4) "tail"
string(0) ""
