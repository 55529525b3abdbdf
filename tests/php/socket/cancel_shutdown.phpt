--TEST--
socket: cancel() wakes a waiting accept with ECANCELED; shutdown(SHUT_WR) gives the peer end of stream; options
--FILE--
<?php
use Swoole\Coroutine\Socket;

Co\run(function () {
    $server = new Socket(AF_INET, SOCK_STREAM, 0);
    var_dump($server->setOption(SOL_SOCKET, SO_REUSEADDR, true));
    var_dump($server->getOption(SOL_SOCKET, SO_REUSEADDR) !== 0);
    $server->bind('127.0.0.1', 0);
    $server->listen();
    $port = $server->getsockname()['port'];

    go(function () use ($server) {
        var_dump($server->accept(), $server->errCode === SOCKET_ECANCELED);
    });
    var_dump($server->cancel());
    var_dump($server->cancel()); // nobody waits now

    $c = new Socket(AF_INET, SOCK_STREAM, 0);
    $c->connect('127.0.0.1', $port);
    var_dump($c->setOption(SOL_TCP, TCP_NODELAY, 1), $c->getOption(SOL_TCP, TCP_NODELAY));
    $conn = $server->accept();
    var_dump($c->send('bye'), $c->shutdown(1));
    var_dump($conn->recvAll(3), $conn->recv());
});
?>
--EXPECT--
bool(true)
bool(true)
bool(false)
bool(true)
bool(true)
bool(false)
bool(true)
int(1)
int(3)
bool(true)
string(3) "bye"
string(0) ""
