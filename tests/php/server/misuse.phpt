--TEST--
server: misuse — ssl, address in use, start outside a coroutine, start without a handler, bad handler
--INI--
pcre.jit=0
--FILE--
<?php
use Swoole\Coroutine\Server;

try {
    new Server('127.0.0.1', 0, true);
} catch (Swoole\Exception $e) {
    echo get_class($e), ": ", $e->getMessage(), "\n";
}
$a = new Server('127.0.0.1', 0);
try {
    new Server('127.0.0.1', $a->port);
} catch (Swoole\Exception $e) {
    echo get_class($e), " ", $e->getCode(), ": ", preg_replace('/:\d+\)/', ':PORT)', $e->getMessage()), "\n";
}
try {
    $a->start();
} catch (Swoole\Error $e) {
    echo get_class($e), ": ", $e->getMessage(), "\n";
}
try {
    $a->handle('no_such_function');
} catch (TypeError $e) {
    echo get_class($e), ": ", $e->getMessage(), "\n";
}
Co\run(function () use ($a) {
    var_dump($a->start(), $a->errCode === SOCKET_EINVAL);
});
$six = new Server('::1', 0);
var_dump($six->type === AF_INET6, $six->port > 0);
?>
--EXPECT--
Swoole\Exception: SSL is not supported by this build
Swoole\Exception 98: bind(127.0.0.1:PORT) failed: Address already in use
Swoole\Error: API must be called in the coroutine
TypeError: Swoole\Coroutine\Server::handle(): Argument #1 ($fn) must be a valid callback
bool(false)
bool(true)
bool(true)
bool(true)
