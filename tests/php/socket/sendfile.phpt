--TEST--
socket: sendFile() sends a temp file, a range of it, and fails for a missing file or a bad range
--FILE--
<?php
use Swoole\Coroutine\Socket;

Co\run(function () {
    $path = tempnam(sys_get_temp_dir(), 'eddy');
    $data = random_bytes(3 * 1024 * 1024);
    file_put_contents($path, $data);

    $server = new Socket(AF_INET, SOCK_STREAM, 0);
    $server->bind('127.0.0.1', 0);
    $server->listen();
    $client = new Socket(AF_INET, SOCK_STREAM, 0);
    $client->connect('127.0.0.1', $server->getsockname()['port'], 1);
    $peer = $server->accept(1);

    go(function () use ($peer, $path) {
        var_dump($peer->sendFile($path));
        var_dump($peer->sendFile($path, 10, 5));
        var_dump($peer->sendFile('/nonexistent/file'), $peer->errCode === SOCKET_ENOENT);
        var_dump($peer->sendFile($path, 4 * 1024 * 1024), $peer->errCode === SOCKET_EINVAL);
        $peer->close();
    });
    $got = $client->recvAll(strlen($data), 5);
    var_dump(strlen($got), $got === $data);
    var_dump($client->recvAll(5, 5) === substr($data, 10, 5));
    var_dump($client->recv(10, 5));
    $client->close();
    $server->close();
    unlink($path);
});
?>
--EXPECT--
bool(true)
bool(true)
bool(false)
bool(true)
bool(false)
bool(true)
int(3145728)
bool(true)
bool(true)
string(0) ""
