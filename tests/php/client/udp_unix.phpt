--TEST--
client: UDP and unix-stream clients
--FILE--
<?php
use Swoole\Coroutine\Client;
use Swoole\Coroutine\Socket;

$path = sys_get_temp_dir() . '/eddy_client_unix_' . getmypid() . '.sock';
@unlink($path);
Co\run(function () use ($path) {
    $udp = new Socket(AF_INET, SOCK_DGRAM, 0);
    $udp->bind('127.0.0.1', 0);
    go(function () use ($udp) {
        $peer = null;
        $data = $udp->recvfrom($peer);
        $udp->sendto($peer['address'], $peer['port'], strrev($data));
    });
    $c = new Client(SWOOLE_SOCK_UDP);
    var_dump($c->connect('127.0.0.1', $udp->getsockname()['port']));
    var_dump($c->send('olleh'), $c->recv());

    $srv = new Co\Server("unix:$path");
    var_dump($srv->host === $path, $srv->type === AF_UNIX);
    $srv->handle(function ($conn) use ($srv) {
        $conn->send('unix:' . $conn->recv());
        $srv->shutdown();
    });
    go(fn () => $srv->start());
    $u = new Client(SWOOLE_SOCK_UNIX_STREAM);
    var_dump($u->connect($path));
    $u->send('hi');
    var_dump($u->recv());
});
@unlink($path);
?>
--EXPECT--
bool(true)
int(5)
string(5) "hello"
bool(true)
bool(true)
bool(true)
string(7) "unix:hi"
