--TEST--
socket: connect to a port nobody listens on fails with ECONNREFUSED (111)
--FILE--
<?php
use Swoole\Coroutine\Socket;

Co\run(function () {
    // Bound but not listening: the port stays ours, and refuses connections.
    $holder = new Socket(AF_INET, SOCK_STREAM, 0);
    $holder->bind('127.0.0.1', 0);
    $port = $holder->getsockname()['port'];

    $s = new Socket(AF_INET, SOCK_STREAM, 0);
    var_dump($s->connect('127.0.0.1', $port, 1));
    var_dump($s->errCode, $s->errCode === SOCKET_ECONNREFUSED, $s->errMsg, swoole_last_error());
    var_dump($s->connect('127.0.0.1', 70000));
    var_dump($s->errCode === SOCKET_EINVAL);
});
?>
--EXPECT--
bool(false)
int(111)
bool(true)
string(18) "Connection refused"
int(111)
bool(false)
bool(true)
