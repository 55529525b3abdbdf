--TEST--
co_http: each connection runs in its own coroutine: two requests whose handler sleeps 0.2 s finish in about 0.2 s in one process
--FILE--
<?php
require __DIR__ . '/co_http.inc';
$h = co_http_start(<<<'PHP'
$server->handle('/', function ($req, $resp) {
    Swoole\Coroutine::sleep(0.2);
    $resp->end('slept ' . $req->get['n']);
});
PHP);
$port = $h['port'];
$t = microtime(true);
$cs = [];
foreach ([1, 2] as $n) {
    $cs[$n] = client($port);
    fwrite($cs[$n], "GET /?n=$n HTTP/1.1\r\nHost: h\r\n\r\n");
}
foreach ($cs as $c) {
    echo http_read($c)['body'], "\n";
}
$dt = microtime(true) - $t;
/* serial would be 0.4 s */
echo $dt >= 0.19 && $dt < 0.35 ? "concurrent\n" : "took $dt s\n";
server_stop($h);
?>
--EXPECT--
slept 1
slept 2
concurrent
