--TEST--
client: misuse — outside a coroutine, unknown type, SSL over UDP, use before connect, wrong argument types
--FILE--
<?php
use Swoole\Coroutine\Client;

$c = new Client(SWOOLE_SOCK_TCP);
try {
    $c->connect('127.0.0.1', 1);
} catch (Swoole\Error $e) {
    echo get_class($e), ": ", $e->getMessage(), "\n";
}
try {
    new Client(99);
} catch (ValueError $e) {
    echo get_class($e), ": ", $e->getMessage(), "\n";
}
try {
    new Client(SWOOLE_SOCK_UDP | SWOOLE_SSL);
} catch (Swoole\Exception $e) {
    echo get_class($e), ": ", $e->getMessage(), "\n";
}
try {
    $c->set('timeout');
} catch (TypeError $e) {
    echo get_class($e), ": ", $e->getMessage(), "\n";
}
Co\run(function () use ($c) {
    var_dump($c->recv(), $c->errCode, $c->errMsg);
    var_dump($c->send('x'), $c->getpeername(), $c->exportSocket(), $c->close());
    var_dump($c->set(['open_length_check' => true]));
    var_dump($c->set(['open_length_check' => true, 'package_length_type' => 'q']));
});
?>
--EXPECTF--
Swoole\Error: API must be called in the coroutine
ValueError: Swoole\Coroutine\Client::__construct(): Argument #1 ($type) must be one of the SWOOLE_SOCK_* socket types
Swoole\Exception: SSL over datagrams (DTLS) is not supported
TypeError: Swoole\Coroutine\Client::set(): Argument #1 ($settings) must be of type array, string given
bool(false)
int(5001)
string(20) "Client no connection"
bool(false)
bool(false)
bool(false)
bool(false)
bool(true)

Warning: Swoole\Coroutine\Client::set(): %s in %s on line %d
bool(false)
