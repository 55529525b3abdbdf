--TEST--
server: Coroutine\Server on port 0, a handler coroutine per connection, Connection methods, shutdown ends start() and start() runs again
--FILE--
<?php
use Swoole\Coroutine\Server;
use Swoole\Coroutine\Server\Connection;
use Swoole\Coroutine\Socket;

Co\run(function () {
    $server = new Server('127.0.0.1');
    var_dump($server->port > 0, $server->host, $server->type === AF_INET, $server->fd > 0);
    $server->set(['timeout' => 1]);
    $handled = 0;
    $server->handle(function (Connection $conn) use (&$handled) {
        $handled++;
        var_dump($conn->exportSocket() instanceof Socket);
        $conn->send('cid ' . (Co::getCid() > 1 ? 'new' : 'same'));
        var_dump($conn->recv());
        var_dump($conn->close());
    });
    $clients = function () use ($server) {
        for ($i = 0; $i < 2; $i++) {
            $c = new Socket(AF_INET, SOCK_STREAM, 0);
            $c->connect('127.0.0.1', $server->port);
            var_dump($c->recv());
            $c->send("bye $i");
            var_dump($c->recv()); // '' once the handler closes
        }
        var_dump($server->shutdown());
    };
    go($clients);
    var_dump($server->start());
    echo "first run over, handled $handled\n";
    go($clients);
    var_dump($server->start());
    echo "second run over, handled $handled\n";
    var_dump($server->shutdown()); // no one accepts now
});
?>
--EXPECT--
bool(true)
string(9) "127.0.0.1"
bool(true)
bool(true)
bool(true)
string(7) "cid new"
string(5) "bye 0"
bool(true)
string(0) ""
bool(true)
string(7) "cid new"
string(5) "bye 1"
bool(true)
string(0) ""
bool(true)
first run over, handled 2
bool(true)
bool(true)
string(7) "cid new"
string(5) "bye 0"
bool(true)
string(0) ""
bool(true)
string(7) "cid new"
string(5) "bye 1"
bool(true)
string(0) ""
bool(true)
second run over, handled 4
bool(false)
bool(true)
