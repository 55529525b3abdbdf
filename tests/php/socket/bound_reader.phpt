--TEST--
socket: a second coroutine reading the same socket gets Swoole's "has already been bound" error, and the first reader is unharmed
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

    $first = go(function () use ($c) {
        $data = $c->recv();
        echo "first got: $data\n";
    });
    go(function () use ($c, $first) {
        try {
            $c->recv();
            echo "not reached\n";
        } catch (Swoole\Error $e) {
            echo get_class($e), " ", $e->getCode(), "\n", $e->getMessage(), "\n";
            var_dump($c->errCode, $c->errMsg === $e->getMessage(), swoole_last_error());
        }
    });
    $conn->send('data');
});
?>
--EXPECTF--
Swoole\Error 10002
Socket#%d has already been bound to another coroutine#2, reading of the same socket in coroutine#3 at the same time is not allowed
int(10002)
bool(true)
int(10002)
first got: data
