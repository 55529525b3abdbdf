--TEST--
process: signal() handlers run from the event loop (SIGUSR1 to itself, SIGCHLD reaping with wait(false), SIGALRM from alarm()); null removes a handler
--FILE--
<?php
use Swoole\Process;
use Swoole\Timer;

$log = [];
$pending = 3;
$done = function () use (&$pending, &$guard) {
    if (--$pending === 0) {
        Timer::clear($guard);
    }
};
Process::signal(SIGUSR1, function ($signo) use (&$log, &$done) {
    $log[] = "usr1 $signo";
    Process::signal(SIGUSR1, null);
    $done();
});
Process::kill(getmypid(), SIGUSR1);
$log[] = 'after kill';    /* the handler runs from the loop, not here */

/* Watched before the fork: an exit before that would be a SIGCHLD lost.
 * The child does not inherit the handlers. */
$pid = 0;
Process::signal(SIGCHLD, function () use (&$log, &$pid, $done) {
    while ($st = Process::wait(false)) {
        $log[] = 'reaped ' . ($st['pid'] === $pid ? 'the child' : 'someone') . " code {$st['code']}";
    }
    Process::signal(SIGCHLD, null);
    $done();
});
$p = new Process(function () { usleep(50000); exit(7); }, false, 0);
$pid = $p->start();

$alarms = 0;
Process::signal(SIGALRM, function () use (&$log, &$alarms, &$done) {
    if (++$alarms === 2) {
        Process::alarm(0);
        Process::signal(SIGALRM, null);
        $log[] = 'two alarms';
        $done();
    }
});
var_dump(Process::alarm(20000));
/* Bound the test: the loop would otherwise wait for missing signals forever. */
$guard = Timer::after(5000, function () use (&$log) {
    $log[] = 'timed out';
    Swoole\Event::exit();
});
Swoole\Event::wait();
sort($log);
print_r($log);
?>
--EXPECT--
bool(true)
Array
(
    [0] => after kill
    [1] => reaped the child code 7
    [2] => two alarms
    [3] => usr1 10
)
