--TEST--
http_client: statusCode -1 (refused), -2 (timeout, within it), -3 (server closes mid-body) with errCode/errMsg; calls outside a coroutine are refused; get() throws Client\Exception
--FILE--
<?php
require __DIR__ . '/client.inc';
use Swoole\Coroutine\Http\Client;
$h = report_server();
/* a port where nothing listens */
$s = stream_socket_server('tcp://127.0.0.1:0');
$dead = (int) substr(strrchr(stream_socket_get_name($s, false), ':'), 1);
fclose($s);

/* SSL is there now (tests/php/ssl); the default port follows it */
var_dump((new Client('127.0.0.1', 0, true))->port);
try {
    (new Client('127.0.0.1', $h['port']))->get('/');
} catch (Swoole\Error $e) {
    echo $e->getMessage(), "\n";
}

Co\run(function () use ($h, $dead) {
    $c = new Client('127.0.0.1', $dead);
    var_dump($c->get('/'), $c->statusCode, $c->errCode, $c->errMsg, $c->body);

    $c = new Client('127.0.0.1', $h['port']);
    $c->set(['timeout' => 0.3]);
    $t = microtime(true);
    var_dump($c->get('/silent'), $c->statusCode, $c->errCode);
    $dt = microtime(true) - $t;
    echo $dt >= 0.29 && $dt < 1.0 ? "timed out in time\n" : "took $dt s\n";
    /* the client is usable again (new connection) */
    var_dump($c->get('/hello'), $c->statusCode);

    /* a server that sends half a body and closes */
    $server = new Swoole\Coroutine\Server('127.0.0.1', 0);
    $server->handle(function ($conn) {
        $conn->recv(5);
        $conn->send("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nhalf");
        $conn->close();
    });
    go(fn () => $server->start());
    $c = new Client('127.0.0.1', $server->port);
    var_dump($c->get('/'), $c->statusCode, $c->errCode, $c->errMsg);
    $server->shutdown();

    try {
        Swoole\Coroutine\Http\get("http://127.0.0.1:$dead/");
    } catch (Swoole\Coroutine\Http\Client\Exception $e) {
        echo get_class($e), ': ', $e->getCode(), ' ', $e->getMessage(), "\n";
    }
    try {
        Swoole\Coroutine\Http\get("https://127.0.0.1:$dead/");
    } catch (Swoole\Coroutine\Http\Client\Exception $e) {
        echo 'https: ', $e->getMessage(), "\n";
    }
    $r = Swoole\Coroutine\Http\post("http://127.0.0.1:{$h['port']}/p?q=1", ['a' => 'b'], ['timeout' => 2], ['X-H' => 'v']);
    $j = json_decode($r->getBody(), true);
    var_dump(get_class($r), $r->getStatusCode(), $j['method'], $j['post'], $j['query'], $j['header']['x-h'],
             $r->getHeaders()['x-echo'], $r->getCookies()['session']);
    $r = Swoole\Coroutine\Http\request("http://127.0.0.1:{$h['port']}/r", 'DELETE');
    var_dump(json_decode($r->getBody(), true)['method']);
});
server_stop($h);
echo "done\n";
?>
--EXPECT--
int(443)
API must be called in the coroutine
bool(false)
int(-1)
int(111)
string(18) "Connection refused"
string(0) ""
bool(false)
int(-2)
int(110)
timed out in time
bool(true)
int(200)
bool(false)
int(-3)
int(104)
string(24) "Connection reset by peer"
Swoole\Coroutine\Http\Client\Exception: 111 Connection refused
https: Connection refused
string(33) "Swoole\Coroutine\Http\ClientProxy"
int(200)
string(4) "POST"
array(1) {
  ["a"]=>
  string(1) "b"
}
array(1) {
  ["q"]=>
  string(1) "1"
}
string(1) "v"
string(3) "yes"
string(3) "x y"
string(6) "DELETE"
done
