--TEST--
server_tcp: stats() keys, getWorkerStatus() (SWOOLE_WORKER_* values), stop() of this worker (the manager starts another), stop() of another worker refused
--FILE--
<?php
require __DIR__ . '/server.inc';
foreach (['SWOOLE_BASE', 'SWOOLE_PROCESS'] as $mode) {
    $h = server_start(<<<PHP
<?php
\$s = new Swoole\Server('127.0.0.1', 0, $mode);
\$s->set(['worker_num' => 1, 'task_worker_num' => 1, 'reactor_num' => 1, 'log_level' => 4]);
\$s->on('workerStart', function (\$s, \$id) { if (\$id === 0) echo "READY {\$s->port}\\n"; });
\$s->on('workerStop', function (\$s, \$id) { echo "workerStop \$id\\n"; });
\$s->on('task', function () {});
\$s->on('receive', function (\$s, \$fd, \$reactor, \$data) {
    switch (trim(\$data)) {
    case 'stats':
        \$st = \$s->stats();
        \$ok = \$st['start_time'] > time() - 60 && \$st['start_time'] <= time();
        unset(\$st['start_time']);
        \$s->send(\$fd, (\$ok ? 'start_time ok ' : 'bad start_time ') . json_encode(\$st) . "\\n");
        break;
    case 'status':
        \$s->send(\$fd, json_encode([\$s->getWorkerStatus(), \$s->getWorkerStatus(0), @\$s->getWorkerStatus(1)]) . "\\n");
        break;
    case 'stop-other':
        \$s->send(\$fd, json_encode(\$s->stop(1)) . "\\n");
        break;
    case 'stop':
        \$s->send(\$fd, getmypid() . " " . json_encode(\$s->stop()) . "\\n");
        break;
    case 'pid':
        \$s->send(\$fd, getmypid() . "\\n");
        break;
    }
});
\$s->start();
PHP);
    echo "$mode\n";
    $c = client($h['port']); /* one connection open while stats() counts */
    fwrite($c, "stats\n");
    echo fgets($c);
    fwrite($c, "stats\n");
    echo fgets($c);
    fclose($c);
    echo ask($h['port'], 'status'), "\n";
    echo ask($h['port'], 'stop-other'), "\n";
    [$pid, $ok] = explode(' ', ask($h['port'], 'stop'));
    echo "stop: $ok\n";
    $deadline = microtime(true) + 5;
    do {
        usleep(50000);
        $new = @ask($h['port'], 'pid');
    } while (($new === '' || $new === $pid) && microtime(true) < $deadline);
    var_dump($new !== $pid && $new > 0);
    $out = server_stop($h);
    echo preg_match('/stop\(\) of worker#1 from worker#0 is not supported/', $out) ? "refusal warned\n" : $out;
    echo substr_count($out, "workerStop 0") >= 1 ? "workerStop fired\n" : $out;
}
var_dump(SWOOLE_WORKER_BUSY, SWOOLE_WORKER_IDLE, SWOOLE_WORKER_EXIT);
$s = new Swoole\Server('127.0.0.1', 0);
var_dump($s->getWorkerStatus(), @$s->stats());
?>
--EXPECT--
SWOOLE_BASE
start_time ok {"connection_num":1,"worker_num":1,"task_worker_num":1,"worker_request_count":0,"coroutine_num":1}
start_time ok {"connection_num":1,"worker_num":1,"task_worker_num":1,"worker_request_count":1,"coroutine_num":1}
[1,1,false]
false
stop: true
bool(true)
refusal warned
workerStop fired
SWOOLE_PROCESS
start_time ok {"connection_num":1,"worker_num":1,"task_worker_num":1,"worker_request_count":0,"coroutine_num":1}
start_time ok {"connection_num":1,"worker_num":1,"task_worker_num":1,"worker_request_count":1,"coroutine_num":1}
[1,1,false]
false
stop: true
bool(true)
refusal warned
workerStop fired
int(1)
int(2)
int(3)
bool(false)
array(0) {
}
