--TEST--
http: each request runs in its own coroutine: two requests whose handler sleeps 0.5 s finish together in about one sleep on one worker
--FILE--
<?php
require __DIR__ . '/http.inc';
$h = server_start(http_server_code(<<<'PHP'
function ($req, $resp) {
    Swoole\Coroutine::sleep(0.5);
    $resp->end('slept ' . $req->get['n']);
}
PHP));
$port = $h['port'];
$t = microtime(true);
$cs = [];
foreach ([1, 2] as $n) {
    $cs[$n] = client($port);
    fwrite($cs[$n], "GET /?n=$n HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
}
foreach ($cs as $c) {
    echo http_read($c)['body'], "\n";
}
$dt = microtime(true) - $t;
/* serial would be 1.0 s; one sleep plus scheduling is well under 0.9 s */
echo $dt >= 0.45 && $dt < 0.9 ? "concurrent\n" : "took $dt s\n";
server_stop($h);
?>
--EXPECT--
slept 1
slept 2
concurrent
