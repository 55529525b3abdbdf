--TEST--
http: examples/coroutine_http.php makes three concurrent backend calls per request (go() + Channel): results arrive fastest first and the page takes about the slowest call, not the sum
--FILE--
<?php
require __DIR__ . '/http.inc';
$h = server_start(__DIR__ . '/../../../examples/coroutine_http.php', ['0'], '~listening on http://127\.0\.0\.1:(\d+)/~');
$port = $h['port'];
$t = microtime(true);
$r = http_get($port, '/');
$dt = microtime(true) - $t;
$j = json_decode($r['body'], true);
echo $r['status'], ' ', json_encode($j['results']), "\n";
/* serial: 600 ms; concurrent: the slowest backend, 300 ms, plus overhead */
echo $j['elapsed_ms'] >= 290 && $j['elapsed_ms'] < 550 && $dt < 0.6 ? "concurrent\n" : "took {$j['elapsed_ms']} ms ($dt s)\n";

/* two pages at once on one worker: both still take about 300 ms */
$t = microtime(true);
$a = client($port); $b = client($port);
fwrite($a, "GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
fwrite($b, "GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
$ra = http_read($a); $rb = http_read($b);
$dt = microtime(true) - $t;
echo count(json_decode($ra['body'], true)['results']), ' ', count(json_decode($rb['body'], true)['results']), ' ',
     $dt < 0.6 ? "concurrent\n" : "took $dt s\n";
server_stop($h);
?>
--EXPECT--
200 [{"stock":{"name":"stock","ms":100}},{"orders":{"name":"orders","ms":200}},{"users":{"name":"users","ms":300}}]
concurrent
3 3 concurrent
