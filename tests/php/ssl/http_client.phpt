--TEST--
ssl: Swoole\Coroutine\Http\Client over HTTPS -- GET and POST on one verified keep-alive connection, Http\get()/post() with https:// URLs, wrong host name and unknown CA fail the connect, WebSocket over TLS (wss)
--SKIPIF--
<?php require __DIR__ . '/ssl.inc'; if ($r = ssl_skip_reason()) die("skip $r"); ?>
--FILE--
<?php
require __DIR__ . '/ssl.inc';
use Swoole\Coroutine\Http\Client;

$certs = ssl_certs();
[$http, $port] = tls_server_start('http', $certs['cert'], $certs['key']);
[$ws, $wport] = tls_server_start('ws', $certs['cert'], $certs['key']);

Co\run(function () use ($port, $wport, $certs) {
    $verify = ['ssl_verify_peer' => true, 'ssl_cafile' => $certs['ca'], 'ssl_host_name' => 'localhost'];

    $c = new Client('127.0.0.1', $port, true);
    $c->set($verify);
    var_dump($c->get('/a?x=1'), $c->statusCode);
    $j = json_decode($c->body, true);
    echo $j['method'], ' ', $j['uri'], ' ', $j['host'] === "127.0.0.1:$port" ? 'host ok' : $j['host'], "\n";
    var_dump($c->post('/p', 'posted body'));
    $k = json_decode($c->body, true);
    echo $k['method'], ' ', $k['body'], ' ', $k['peer'] === $j['peer'] ? 'same connection' : 'new connection', "\n";
    $c->close();

    echo "-- helpers with https:// URLs\n";
    $r = Swoole\Coroutine\Http\get("https://127.0.0.1:$port/g", $verify);
    echo $r->getStatusCode(), ' ', json_decode($r->getBody(), true)['uri'], "\n";
    $r = Swoole\Coroutine\Http\post("https://127.0.0.1:$port/q", 'x=1', $verify);
    echo json_decode($r->getBody(), true)['body'], "\n";

    echo "-- wrong host name\n";
    $c = new Client('127.0.0.1', $port, true);
    $c->set(['ssl_host_name' => 'wrong.example'] + $verify);
    var_dump($c->get('/'), $c->statusCode, $c->errCode === SWOOLE_ERROR_SSL_VERIFY_FAILED, $c->errMsg);

    echo "-- unknown CA\n";
    $c = new Client('127.0.0.1', $port, true);
    $c->set(['ssl_verify_peer' => true]);
    var_dump($c->get('/'), $c->statusCode, $c->errCode);

    echo "-- an unreadable CA file\n";
    $c = new Client('127.0.0.1', $port, true);
    $c->set(['ssl_verify_peer' => true, 'ssl_cafile' => '/nonexistent/ca.pem']);
    var_dump($c->get('/'), $c->statusCode, $c->errCode === SWOOLE_ERROR_SSL_BAD_PROTOCOL);

    echo "-- wss\n";
    $c = new Client('127.0.0.1', $wport, true);
    $c->set($verify);
    var_dump($c->upgrade('/'), $c->statusCode);
    $c->push('hello websocket');
    var_dump($c->recv(2)->data);
    $c->push(str_repeat('w', 100000));
    var_dump(strlen($c->recv(2)->data));
    $c->close();
});
tls_server_stop($http);
tls_server_stop($ws);
?>
--EXPECT--
bool(true)
int(200)
GET /a?x=1 host ok
bool(true)
POST posted body same connection
-- helpers with https:// URLs
200 /g
x=1
-- wrong host name
bool(false)
int(-1)
bool(true)
string(65) "the peer certificate does not match the host name 'wrong.example'"
-- unknown CA
bool(false)
int(-1)
int(1014)
-- an unreadable CA file
bool(false)
int(-1)
bool(true)
-- wss
bool(true)
int(101)
string(15) "HELLO WEBSOCKET"
int(100000)
