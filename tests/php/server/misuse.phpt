--TEST--
server: misuse — ssl is a setting, address in use, start outside a coroutine, start without a handler, bad handler
--INI--
pcre.jit=0
--FILE--
<?php
use Swoole\Coroutine\Server;

/* $ssl = true is the open_ssl setting (tests/php/ssl/co_server.phpt serves it) */
var_dump((new Server('127.0.0.1', 0, true))->setting);
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
array(1) {
  ["open_ssl"]=>
  bool(true)
}
Swoole\Exception 98: bind(127.0.0.1:PORT) failed: Address already in use
Swoole\Error: API must be called in the coroutine
TypeError: Swoole\Coroutine\Server::handle(): Argument #1 ($fn) must be a valid callback
bool(false)
bool(true)
bool(true)
bool(true)
