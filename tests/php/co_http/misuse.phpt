--TEST--
co_http: start() outside a coroutine throws; a port in use fails the constructor with its errno; an uncaught exception in a handler ends its connection and is reported
--FILE--
<?php
require __DIR__ . '/co_http.inc';
$s = new Swoole\Coroutine\Http\Server('127.0.0.1', 0);
try {
    $s->start();
} catch (Swoole\Error $e) {
    echo get_class($e), ': ', $e->getMessage(), "\n";
}
try {
    new Swoole\Coroutine\Http\Server('127.0.0.1', $s->port);
} catch (Swoole\Exception $e) {
    echo $e->getCode() == SOCKET_EADDRINUSE ? "EADDRINUSE\n" : $e->getMessage() . "\n";
}
var_dump(class_exists('Co\Http\Server'));
$h = co_http_start(<<<'PHP'
$server->handle('/', function ($req, $resp) {
    throw new RuntimeException('boom');
});
PHP);
$c = client($h['port']);
fwrite($c, "GET / HTTP/1.1\r\nHost: h\r\n\r\n");
var_dump(http_read($c));
$out = co_http_wait_exit($h);
echo str_contains($out, "Uncaught RuntimeException: boom") ? "reported\n" : $out;
?>
--EXPECT--
Swoole\Error: API must be called in the coroutine
EADDRINUSE
bool(true)
NULL
reported
