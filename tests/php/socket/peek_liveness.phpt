--TEST--
socket: peek() never waits and leaves the data; checkLiveness() turns false once the peer closes
--FILE--
<?php
use Swoole\Coroutine\Socket;

Co\run(function () {
    $server = new Socket(AF_INET, SOCK_STREAM, 0);
    $server->bind('127.0.0.1', 0);
    $server->listen();
    $port = $server->getsockname()['port'];
    $client = new Socket(AF_INET, SOCK_STREAM, 0);
    $client->connect('127.0.0.1', $port, 1);
    $peer = $server->accept(1);

    var_dump($client->peek(), $client->errCode === SOCKET_EAGAIN);
    var_dump($client->checkLiveness());
    $peer->send('hello');
    Co::sleep(0.02);
    var_dump($client->peek(3), $client->peek(), $client->recv());
    $peer->close();
    Co::sleep(0.02);
    var_dump($client->peek(), $client->checkLiveness(), $client->errCode === SOCKET_ECONNRESET);
    $client->close();
    var_dump($client->checkLiveness(), $client->peek());
    try {
        $client->peek(0);
    } catch (ValueError $e) {
        echo get_class($e), ": ", $e->getMessage(), "\n";
    }
    $server->close();
});
?>
--EXPECT--
bool(false)
bool(true)
bool(true)
string(3) "hel"
string(5) "hello"
string(5) "hello"
string(0) ""
bool(false)
bool(true)
bool(false)
bool(false)
ValueError: Swoole\Coroutine\Socket::peek(): Argument #1 ($length) must be greater than 0
