--TEST--
socket: sendAll/recvAll move 4 MiB exactly across many partial transfers
--FILE--
<?php
use Swoole\Coroutine\Socket;

Co\run(function () {
    $server = new Socket(AF_INET, SOCK_STREAM, 0);
    $server->bind('127.0.0.1', 0);
    $server->listen();
    $port = $server->getsockname()['port'];
    $payload = random_bytes(4 << 20);
    go(function () use ($server, $payload) {
        $conn = $server->accept();
        var_dump($conn->sendAll($payload));
    });
    $c = new Socket(AF_INET, SOCK_STREAM, 0);
    $c->connect('127.0.0.1', $port);
    $got = $c->recvAll(4 << 20, 5);
    var_dump(strlen($got), $got === $payload);
    // The peer is gone: recvAll returns what there is (nothing).
    var_dump($c->recvAll(10));
});
?>
--EXPECT--
int(4194304)
int(4194304)
bool(true)
string(0) ""
