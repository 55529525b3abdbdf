--TEST--
server_tcp: stats() keys, getWorkerStatus() (SWOOLE_WORKER_* values), getWorkerPid() of any worker, stop() of this worker and of the task worker (the manager starts others), stop() of a worker that does not exist
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
    case 'pids':
        \$s->send(\$fd, json_encode([\$s->getWorkerPid() === getmypid(), \$s->getWorkerPid(0) === getmypid(), \$s->getWorkerPid(1), \$s->getWorkerPid(2)]) . "\\n");
        break;
    case 'stop-other':
        \$s->send(\$fd, json_encode([\$s->stop(1), @\$s->stop(5), swoole_last_error() > 0]) . "\\n");
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
    $pids = json_decode(ask($h['port'], 'pids'));
    $task_pid = $pids[2];
    var_dump($pids[0], $pids[1], $task_pid > 0, $pids[3]);
    echo ask($h['port'], 'stop-other'), "\n";
    $deadline = microtime(true) + 5;
    do {
        usleep(50000);
        $now = json_decode(ask($h['port'], 'pids'))[2] ?? 0;
    } while (($now === false || $now === $task_pid) && microtime(true) < $deadline);
    echo $now > 0 && $now !== $task_pid ? "task worker replaced\n" : "task worker pid $task_pid -> " . json_encode($now) . "\n";
    [$pid, $ok] = explode(' ', ask($h['port'], 'stop'));
    echo "stop: $ok\n";
    $deadline = microtime(true) + 5;
    do {
        usleep(50000);
        $new = @ask($h['port'], 'pid');
    } while (($new === '' || $new === $pid) && microtime(true) < $deadline);
    var_dump($new !== $pid && $new > 0);
    $out = server_stop($h);
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
bool(true)
bool(true)
bool(true)
bool(false)
[true,false,true]
task worker replaced
stop: true
bool(true)
workerStop fired
SWOOLE_PROCESS
start_time ok {"connection_num":1,"worker_num":1,"task_worker_num":1,"worker_request_count":0,"coroutine_num":1}
start_time ok {"connection_num":1,"worker_num":1,"task_worker_num":1,"worker_request_count":1,"coroutine_num":1}
[1,1,false]
bool(true)
bool(true)
bool(true)
bool(false)
[true,false,true]
task worker replaced
stop: true
bool(true)
workerStop fired
int(1)
int(2)
int(3)
bool(false)
array(0) {
}
