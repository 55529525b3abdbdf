--TEST--
socket: unix stream socket echo, addresses are paths
--FILE--
<?php
use Swoole\Coroutine\Socket;

$path = sys_get_temp_dir() . '/eddy_socket_unix_' . getmypid() . '.sock';
@unlink($path);
Co\run(function () use ($path) {
    $server = new Socket(AF_UNIX, SOCK_STREAM, 0);
    var_dump($server->bind($path), $server->listen());
    var_dump($server->getsockname() === ['address' => $path, 'port' => 0]);
    go(function () use ($server) {
        $conn = $server->accept(1);
        $conn->send('echo:' . $conn->recv());
        $conn->close();
    });
    $client = new Socket(AF_UNIX, SOCK_STREAM, 0);
    var_dump($client->connect($path));
    var_dump($client->getpeername()['address'] === $path);
    $client->send('abc');
    var_dump($client->recv(), $client->recv());
    $server->close();
});
unlink($path);
?>
--EXPECT--
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
string(8) "echo:abc"
string(0) ""
