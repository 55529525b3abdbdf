--TEST--
websocket: start() without onMessage fails with a warning; HTTP options are taken without a warning (a WebSocket\Server is an Http\Server); its own options land in $server->setting; a handshake callback that leaves the response unended answers 500 and the connection never upgrades
--FILE--
<?php
require __DIR__ . '/ws.inc';
$s = new Swoole\WebSocket\Server('127.0.0.1', 0);
$s->set(['worker_num' => 1, 'log_level' => 4, 'websocket_compression' => true,
         'open_websocket_close_frame' => 1, 'websocket_subprotocol' => 'chat',
         'http_parse_post' => false, 'http_compression' => false]);
echo json_encode(array_intersect_key($s->setting, array_flip(['websocket_compression',
    'open_websocket_close_frame', 'websocket_subprotocol']))), "\n";
$s->on('open', function () {});
var_dump($s->start());

$h = server_start(ws_server_code(<<<'PHP'
$s->on('handshake', function ($req, $resp) { echo "handshake left unanswered\n"; });
$s->on('message', function ($s, $f) { echo "message reached the server\n"; });
PHP));
[$c, $r] = ws_connect($h['port']);
echo $r['status'], "\n";
ws_send($c, 'hello?');
usleep(100000);
fclose($c);
echo ws_output($h), "\n";
?>
--EXPECTF--
{"websocket_compression":true,"open_websocket_close_frame":1,"websocket_subprotocol":"chat"}

Warning: Swoole\Server::start(): require onMessage callback in %s on line %d
bool(false)
500
handshake left unanswered
