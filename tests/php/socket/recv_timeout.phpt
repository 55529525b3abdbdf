--TEST--
socket: recv() with a timeout fails with ETIMEDOUT (110) after about that time; setOption(SO_RCVTIMEO) sets the default
--FILE--
<?php
use Swoole\Coroutine\Socket;

Co\run(function () {
    $server = new Socket(AF_INET, SOCK_STREAM, 0);
    $server->bind('127.0.0.1', 0);
    $server->listen();
    $port = $server->getsockname()['port'];
    go(function () use ($server) {
        $conn = $server->accept();
        Co::sleep(0.6); // says nothing for a while
        $conn->close();
    });
    $c = new Socket(AF_INET, SOCK_STREAM, 0);
    $c->connect('127.0.0.1', $port);

    $t = microtime(true);
    var_dump($c->recv(1024, 0.2));
    $elapsed = microtime(true) - $t;
    var_dump($c->errCode, $c->errCode === SOCKET_ETIMEDOUT, $elapsed >= 0.18 && $elapsed < 0.5);

    // The socket's own read timeout, used when recv() gets none.
    var_dump($c->setOption(SOL_SOCKET, SO_RCVTIMEO, ['sec' => 0, 'usec' => 100000]));
    var_dump($c->getOption(SOL_SOCKET, SO_RCVTIMEO));
    $t = microtime(true);
    var_dump($c->recv(), $c->errCode === SOCKET_ETIMEDOUT);
    $elapsed = microtime(true) - $t;
    var_dump($elapsed >= 0.08 && $elapsed < 0.4);

    // -1 waits for as long as it takes: here until the peer closes.
    var_dump($c->recv(1024, -1), $c->errCode);
});
?>
--EXPECT--
bool(false)
int(110)
bool(true)
bool(true)
bool(true)
array(2) {
  ["sec"]=>
  int(0)
  ["usec"]=>
  int(100000)
}
bool(false)
bool(true)
bool(true)
string(0) ""
int(0)
