--TEST--
socket: closing a socket wakes the coroutines waiting on it with EBADF
--FILE--
<?php
use Swoole\Coroutine\Socket;

Co\run(function () {
    $server = new Socket(AF_INET, SOCK_STREAM, 0);
    $server->bind('127.0.0.1', 0);
    $server->listen();
    $port = $server->getsockname()['port'];
    $c = new Socket(AF_INET, SOCK_STREAM, 0);
    $c->connect('127.0.0.1', $port);
    $conn = $server->accept();

    go(function () use ($c) {
        $r = $c->recv();
        var_dump($r, $c->errCode === SOCKET_EBADF, $c->isClosed());
    });
    go(function () use ($server) {
        var_dump($server->accept(), $server->errCode === SOCKET_EBADF);
    });
    echo "closing\n";
    var_dump($c->close(), $server->close());
    echo "closed\n";
    var_dump($c->send('x'), $c->errCode === SOCKET_EBADF);
});
?>
--EXPECT--
closing
bool(false)
bool(true)
bool(true)
bool(false)
bool(true)
bool(true)
bool(true)
closed
bool(false)
bool(true)
