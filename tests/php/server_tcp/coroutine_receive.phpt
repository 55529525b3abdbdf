--TEST--
server_tcp: each receive runs in its own coroutine: a handler in Co::sleep(0.2) does not block another client of the same worker
--FILE--
<?php
require __DIR__ . '/server.inc';
$h = server_start(<<<'PHP'
<?php
$s = new Swoole\Server('127.0.0.1', 0, SWOOLE_BASE);
$s->set(['worker_num' => 1]);
$s->on('workerStart', function ($s, $id) { echo "READY {$s->port}\n"; });
$s->on('receive', function ($s, $fd, $reactor, $data) {
    Co::sleep(0.2);
    $s->send($fd, "slept " . Co::getCid() . "\n");
});
$s->start();
PHP);
$a = client($h['port']);
$b = client($h['port']);
$t = microtime(true);
fwrite($a, "a\n");
fwrite($b, "b\n");
$ra = fgets($a);
$rb = fgets($b);
$elapsed = microtime(true) - $t;
echo preg_replace('/\d+/', 'N', $ra . $rb);
var_dump($ra !== $rb);
/* one after the other would take >= 0.4 s */
var_dump($elapsed >= 0.19 && $elapsed < 0.39);
if ($elapsed >= 0.39) echo "took $elapsed s\n";
server_stop($h);
?>
--EXPECT--
slept N
slept N
bool(true)
bool(true)
