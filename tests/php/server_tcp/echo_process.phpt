--TEST--
server_tcp: PROCESS mode echo with 2 workers, connect and close events
--FILE--
<?php
require __DIR__ . '/server.inc';
$h = server_start(<<<'PHP'
<?php
$s = new Swoole\Server('127.0.0.1', 0, SWOOLE_PROCESS);
$s->set(['worker_num' => 2, 'reactor_num' => 1]);
$s->on('workerStart', function ($s, $id) { if ($id === 1) echo "READY {$s->port}\n"; });
$s->on('connect', function ($s, $fd) { echo "connect\n"; });
$s->on('receive', function ($s, $fd, $reactor, $data) { $s->send($fd, "echo: $data"); });
$s->on('close', function ($s, $fd) { echo "close\n"; });
$s->start();
PHP);
var_dump($h['port'] > 0);
for ($i = 0; $i < 4; $i++) {
    echo ask($h['port'], "m$i"), "\n";
}
usleep(100000);
$out = server_stop($h);
echo "connects: ", substr_count($out, "connect\n"), ", closes: ", substr_count($out, "close\n"), "\n";
?>
--EXPECT--
bool(true)
echo: m0
echo: m1
echo: m2
echo: m3
connects: 4, closes: 4
