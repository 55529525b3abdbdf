--TEST--
socket: TCP echo between two coroutines over loopback (bind port 0, accept, connect, send, recv, names)
--FILE--
<?php
use Swoole\Coroutine\Socket;

Co\run(function () {
    $server = new Socket(AF_INET, SOCK_STREAM, 0);
    var_dump($server->bind('127.0.0.1', 0), $server->listen(128));
    $port = $server->getsockname()['port'];
    var_dump($port > 0, $server->fd > 0, $server->domain === AF_INET, $server->type === SOCK_STREAM);

    go(function () use ($server) {
        $conn = $server->accept();
        var_dump($conn instanceof Socket);
        while (($data = $conn->recv()) !== '') {
            $conn->sendAll(strtoupper($data));
        }
        echo "server: peer closed, errCode {$conn->errCode}\n";
        $conn->close();
    });

    $client = new Socket(AF_INET, SOCK_STREAM, 0);
    var_dump($client->connect('127.0.0.1', $port, 1));
    var_dump($client->getpeername() === ['address' => '127.0.0.1', 'port' => $port]);
    var_dump($client->getsockname()['address']);
    foreach (['hello', 'world'] as $word) {
        var_dump($client->send($word));
        var_dump($client->recv());
    }
    var_dump($client->errCode, $client->errMsg);
    var_dump($client->close(), $client->isClosed(), $client->fd);
    var_dump($client->close(), $client->errCode === SOCKET_EBADF);
    $server->close();
});
echo "done\n";
?>
--EXPECT--
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
string(9) "127.0.0.1"
int(5)
string(5) "HELLO"
int(5)
string(5) "WORLD"
int(0)
string(0) ""
bool(true)
bool(true)
int(-1)
bool(false)
bool(true)
server: peer closed, errCode 0
done
