--TEST--
coroutine: a fatal error while another coroutine waits on a socket recv ends the script cleanly (the socket is freed at shutdown without waking the dropped waiter)
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
        echo "recv waits\n";
        $conn->recv();
        echo "never: recv\n";
    });
    go(function () use ($port) {
        $c = new Socket(AF_INET, SOCK_STREAM, 0);
        $c->connect('127.0.0.1', $port);
        Co::sleep(0.05);
        echo "fatal now\n";
        undefined_function();
    });
});
?>
--EXPECTF--
recv waits
fatal now

Fatal error: Uncaught Error: Call to undefined function undefined_function() in %s:%d
Stack trace:
#0 [internal function]: {closure}()
#1 {main}
  thrown in %s on line %d
