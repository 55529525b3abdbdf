--TEST--
client: Coroutine\Client connect/send/recv/close against a Coroutine\Server in the same script
--FILE--
<?php
use Swoole\Coroutine\Client;
use Swoole\Coroutine\Server;
use Swoole\Coroutine\Server\Connection;

Co\run(function () {
    $server = new Server('127.0.0.1', 0);
    $server->handle(function (Connection $conn) {
        while (($data = $conn->recv()) !== '' && $data !== false) {
            $conn->send("echo: $data");
        }
        $conn->close();
    });
    go(fn () => var_dump($server->start()));

    $client = new Client(SWOOLE_SOCK_TCP);
    var_dump($client->isConnected());
    var_dump($client->connect('127.0.0.1', $server->port, 1));
    var_dump($client->isConnected(), $client->connected, $client->fd > 0);
    var_dump($client->getpeername()['port'] === $server->port);
    var_dump($client->getsockname()['address']);
    var_dump($client->send('hello'), $client->recv());
    var_dump($client->send('again'), $client->recv(1.5));
    var_dump($client->exportSocket() instanceof Swoole\Coroutine\Socket);
    // Already connected: Swoole warns and refuses.
    var_dump($client->connect('127.0.0.1', $server->port));
    var_dump($client->close(), $client->isConnected(), $client->fd);
    var_dump($client->recv(), $client->errCode);
    $server->shutdown();
});
echo "done\n";
?>
--EXPECTF--
bool(false)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
string(9) "127.0.0.1"
int(5)
string(11) "echo: hello"
int(5)
string(11) "echo: again"
bool(true)

Warning: Swoole\Coroutine\Client::connect(): connection to the server has already been established in %s on line %d
bool(false)
bool(true)
bool(false)
int(-1)
bool(false)
int(5001)
bool(true)
done
