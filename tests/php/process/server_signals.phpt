--TEST--
process: signals in a server: a user process may watch SIGTERM to stop cleanly (its handler runs at shutdown), a worker may not (the server's), other signals work in a worker, and a child start()ed by a worker is no worker
--FILE--
<?php
require __DIR__ . '/../server_tcp/server.inc';
use Swoole\Process;

$code = <<<'PHP'
<?php
use Swoole\Process;
$s = new Swoole\Server('127.0.0.1', 0, SWOOLE_BASE);
/* enable_coroutine off: onWorkerStart is a plain call, where start() may fork. */
$s->set(['worker_num' => 1, 'max_wait_time' => 3, 'enable_coroutine' => false]);
$s->addProcess(new Process(function (Process $p) {
    Process::signal(SIGTERM, function ($signo) {
        echo "USER got signal $signo, stopping\n";
        Process::signal(SIGTERM, null);
    });
    echo "USER ready\n";
}, false, 0, true));
$s->on('workerStart', function ($s) {
    $term = Process::signal(SIGTERM, function () {});
    $usr2 = Process::signal(SIGUSR2, function ($signo) {
        echo "WORKER got signal $signo\n";
        Process::signal(SIGUSR2, null);
    });
    /* One write per line: the other processes print meanwhile. */
    echo "WORKER SIGTERM " . json_encode($term) . " SIGUSR2 " . json_encode($usr2) . "\n";
    $child = new Process(function () {
        echo "CHILD may watch SIGTERM: " . json_encode(Process::signal(SIGTERM, function () {})) . "\n";
        Process::signal(SIGTERM, null);
    }, false, 0);
    $child->start();
    Process::wait();
    Process::kill(getmypid(), SIGUSR2);
    echo "READY {$s->port}\n";
});
$s->on('receive', function () {});
$s->start();
PHP;

$h = server_start($code);
/* Bounded wait for the lines that come before the stop (a loaded machine
 * may start the user process late). */
for ($i = 0; $i < 500; $i++) {
    $so_far = (string) file_get_contents($h['out']);
    if (str_contains($so_far, 'USER ready') && str_contains($so_far, 'WORKER got signal 12')) {
        break;
    }
    usleep(10000);
}
$out = server_stop($h);
foreach (['USER ready', 'USER got signal 15, stopping', 'WORKER got signal 12',
          'CHILD may watch SIGTERM: true', 'signal [15] is used by the server'] as $line) {
    echo $line, ': ', str_contains($out, $line) ? 'yes' : "no\n$out", "\n";
}
echo 'worker refused SIGTERM, took SIGUSR2: ', str_contains($out, "WORKER SIGTERM false SIGUSR2 true\n") ? 'yes' : 'no', "\n";
echo 'no forced kill: ', str_contains($out, 'SIGKILL') ? "no\n$out" : 'yes', "\n";
?>
--EXPECT--
USER ready: yes
USER got signal 15, stopping: yes
WORKER got signal 12: yes
CHILD may watch SIGTERM: true: yes
signal [15] is used by the server: yes
worker refused SIGTERM, took SIGUSR2: yes
no forced kill: yes
