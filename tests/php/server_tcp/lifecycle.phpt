--TEST--
server_tcp: start/managerStart/workerStart/workerStop/managerStop/shutdown events, reload() replaces the worker, shutdown() from a worker ends start()
--FILE--
<?php
require __DIR__ . '/server.inc';
$h = server_start(<<<'PHP'
<?php
$s = new Swoole\Server('127.0.0.1', 0, SWOOLE_BASE);
$s->set(['worker_num' => 1, 'log_level' => 4]);
$s->on('start', function ($s) {
    echo "start: master " . ($s->master_pid === getmypid() ? 'ok' : 'bad') . ", manager " . ($s->manager_pid > 0 ? 'ok' : 'bad') . "\n";
});
$s->on('managerStart', function ($s) { echo "managerStart " . ($s->getManagerPid() === getmypid() ? 'ok' : 'bad') . "\n"; });
$s->on('managerStop', function ($s) { echo "managerStop\n"; });
$s->on('workerStart', function ($s, $id) { echo "workerStart $id\nREADY {$s->port}\n"; });
$s->on('workerStop', function ($s, $id) { echo "workerStop $id\n"; });
$s->on('receive', function ($s, $fd, $reactor, $data) {
    switch (trim($data)) {
    case 'pid': $s->send($fd, getmypid() . "\n"); break;
    case 'reload': $s->send($fd, json_encode($s->reload()) . "\n"); break;
    case 'shutdown': $s->send($fd, json_encode($s->shutdown()) . "\n"); break;
    }
});
$s->on('shutdown', function ($s) { echo "shutdown\n"; });
var_dump($s->start());
echo "start() returned\n";
PHP);
$pid = ask($h['port'], 'pid');
echo ask($h['port'], 'reload'), "\n";
$deadline = microtime(true) + 5;
do {
    usleep(50000);
    $new = ask($h['port'], 'pid');
} while ($new === $pid && microtime(true) < $deadline);
var_dump($new !== $pid && $new > 0);
echo ask($h['port'], 'shutdown'), "\n";
$deadline = microtime(true) + 5;
while (proc_get_status($h['proc'])['running'] && microtime(true) < $deadline) usleep(10000);
$out = server_stop($h);
$lines = array_values(array_filter(explode("\n", $out), fn($l) => $l !== '' && !str_starts_with($l, 'READY')));
/* onStart (master) runs while the manager starts: its place varies */
$start = array_filter($lines, fn($l) => str_starts_with($l, 'start:'));
$rest = array_filter($lines, fn($l) => !str_starts_with($l, 'start:'));
echo implode("\n", array_merge($start, $rest)), "\n";
?>
--EXPECT--
true
bool(true)
true
start: master ok, manager ok
managerStart ok
workerStart 0
workerStop 0
workerStart 0
workerStop 0
managerStop
shutdown
bool(true)
start() returned
