--TEST--
socket: misuse — blocking calls outside a coroutine, wrong types, bad values, unsupported kinds
--FILE--
<?php
use Swoole\Coroutine\Socket;

$s = new Socket(AF_INET, SOCK_STREAM);          // construction needs no coroutine
var_dump($s->bind('127.0.0.1', 0));             // neither does bind
foreach (['connect' => ['127.0.0.1', 80], 'recv' => [], 'send' => ['x'], 'accept' => []] as $m => $args) {
    try {
        $s->$m(...$args);
    } catch (Swoole\Error $e) {
        echo "$m: ", get_class($e), ": ", $e->getMessage(), "\n";
    }
}
try {
    new Socket('inet', SOCK_STREAM);
} catch (TypeError $e) {
    echo get_class($e), ": ", $e->getMessage(), "\n";
}
try {
    new Socket(AF_INET, SOCK_RAW);
} catch (Swoole\Coroutine\Socket\Exception $e) {
    echo get_class($e), " ", $e->getCode() === SOCKET_EPROTONOSUPPORT ? "EPROTONOSUPPORT" : $e->getCode(), "\n";
    var_dump($e instanceof Swoole\Exception);
}
try {
    new Socket(AF_INET, SOCK_STREAM, IPPROTO_UDP);
} catch (Swoole\Coroutine\Socket\Exception $e) {
    echo "tcp with udp protocol refused\n";
}
Co\run(function () use ($s) {
    try {
        $s->recv(0);
    } catch (ValueError $e) {
        echo get_class($e), ": ", $e->getMessage(), "\n";
    }
    try {
        $s->send([]);
    } catch (TypeError $e) {
        echo get_class($e), ": ", $e->getMessage(), "\n";
    }
    var_dump($s->bind('127.0.0.1', 65536), $s->errCode === SOCKET_EINVAL);
    var_dump($s->bind('not an address'), $s->errCode > 0);
});
var_dump(new Co\Socket(AF_INET6, SOCK_DGRAM) instanceof Socket);
?>
--EXPECTF--
bool(true)
connect: Swoole\Error: API must be called in the coroutine
recv: Swoole\Error: API must be called in the coroutine
send: Swoole\Error: API must be called in the coroutine
accept: Swoole\Error: API must be called in the coroutine
TypeError: Swoole\Coroutine\Socket::__construct(): Argument #1 ($domain) must be of type int, string given
Swoole\Coroutine\Socket\Exception EPROTONOSUPPORT
bool(true)
tcp with udp protocol refused
ValueError: Swoole\Coroutine\Socket::recv(): Argument #1 ($length) must be greater than 0
TypeError: Swoole\Coroutine\Socket::send(): Argument #1 ($data) must be of type string, array given
bool(false)
bool(true)
bool(false)
bool(true)
bool(true)
