--TEST--
co_http: shutdown() from a handler ends start() (true), idle keep-alive connections are closed; the properties
--FILE--
<?php
require __DIR__ . '/co_http.inc';
$h = co_http_start(<<<'PHP'
echo json_encode([$server->host, $server->port > 0, $server->fd > 0, $server->errCode, $server->errMsg, $server->ssl]), "\n";
$server->handle('/stop', function ($req, $resp) use ($server) {
    $resp->end('bye');
    $server->shutdown();
    echo "fd after shutdown: {$server->fd}\n";
});
$server->handle('/', function ($req, $resp) { $resp->end('ok'); });
PHP);
$port = $h['port'];
$idle = client($port);
echo co_http_ask($idle, "GET / HTTP/1.1\r\nHost: h\r\n\r\n")['body'], "\n";
echo http_get($port, '/stop')['body'], "\n";
echo fread($idle, 10) === '' && feof($idle) ? "idle connection closed\n" : "idle connection open\n";
echo co_http_wait_exit($h);
?>
--EXPECTF--
ok
bye
idle connection closed
["127.0.0.1",true,true,0,"",false]
READY %d
fd after shutdown: -1
STOPPED true
