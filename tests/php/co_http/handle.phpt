--TEST--
co_http: handle() prefixes, the longest one wins; no matching handler is a 404 that keeps the connection; Request and Response are the Http classes
--FILE--
<?php
require __DIR__ . '/co_http.inc';
$h = co_http_start(<<<'PHP'
$server->handle('/api', function ($req, $resp) {
    $resp->end('api ' . $req->server['request_uri'] . ' ' . get_class($req) . ' ' . get_class($resp));
});
$server->handle('/api/v2', function ($req, $resp) {
    $resp->header('X-Version', '2');
    $resp->end('v2 ' . ($req->get['q'] ?? '-'));
});
$server->handle('/stop', function ($req, $resp) use ($server) {
    $resp->end('bye');
    $server->shutdown();
});
PHP);
$port = $h['port'];
$c = client($port);
foreach (['/api', '/api/users', '/api/v2/x?q=1', '/apix', '/nothing', '/', '/api/v2'] as $path) {
    $r = co_http_ask($c, "GET $path HTTP/1.1\r\nHost: h\r\n\r\n");
    echo $path, ': ', $r ? $r['status'] . ' ' . $r['body'] . ' ' . implode(',', http_headers($r, 'x-version')) : 'no response', "\n";
}
fclose($c);
echo http_get($port, '/stop')['body'], "\n";
echo co_http_wait_exit($h);
?>
--EXPECTF--
/api: 200 api /api Swoole\Http\Request Swoole\Http\Response 
/api/users: 200 api /api/users Swoole\Http\Request Swoole\Http\Response 
/api/v2/x?q=1: 200 v2 1 2
/apix: 200 api /apix Swoole\Http\Request Swoole\Http\Response 
/nothing: 404 <h1>404 Not Found</h1> 
/: 404 <h1>404 Not Found</h1> 
/api/v2: 200 v2 - 2
bye
READY %d
STOPPED true
