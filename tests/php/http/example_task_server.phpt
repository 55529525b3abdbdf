--TEST--
http: examples/task_server.php answers each request with the result of a task worker (task() + finish callback, and taskwait()), and serves while tasks run
--FILE--
<?php
require __DIR__ . '/http.inc';
$h = server_start(__DIR__ . '/../../../examples/task_server.php', ['0'], '~listening on http://127\.0\.0\.1:(\d+)/~');
$port = $h['port'];
$expect = fn($n) => array_sum(array_map(fn($i) => $i * $i % 7, range(1, $n)));

$r = http_get($port, '/?n=1000');
$j = json_decode($r['body'], true);
echo $r['status'], ' ', $j['n'], ' ', $j['sum'] === $expect(1000) ? 'sum ok' : 'sum WRONG', ' ',
     is_int($j['task_id']) ? 'task id' : 'no task id', ' ', $j['task_worker'] >= 1 ? 'in a task worker' : 'not in a task worker', "\n";

$r = http_get($port, '/wait?n=10');
$j = json_decode($r['body'], true);
echo $r['status'], ' ', json_encode([$j['n'], $j['sum'] === $expect(10)]), "\n";

/* four requests at once on separate connections: all answered */
$cs = [];
foreach ([10, 20, 30, 40] as $n) {
    $c = client($port);
    fwrite($c, "GET /?n=$n HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
    $cs[$n] = $c;
}
foreach ($cs as $n => $c) {
    $j = json_decode(http_read($c)['body'], true);
    echo $j['n'] === $n && $j['sum'] === $expect($n) ? "ok $n\n" : "bad $n\n";
}
server_stop($h);
?>
--EXPECT--
200 1000 sum ok task id in a task worker
200 [10,true]
ok 10
ok 20
ok 30
ok 40
