--TEST--
process: the child's callback: an uncaught exception ends it with 255, timers it leaves keep it running, name() sets the title, priority and affinity apply to it; the parent's timers are not inherited
--FILE--
<?php
use Swoole\Process;
use Swoole\Timer;

$p = new Process(function () { throw new RuntimeException('boom'); }, false, 0);
$p->start();
var_dump(Process::wait()['code']);

/* A parent's timer does not fire in the child; the child's own keep it alive. */
$t = Timer::tick(10, function () { echo "parent tick in ", getmypid() === $GLOBALS['parent'] ? "parent" : "CHILD", "\n"; });
$parent = getmypid();
$p = new Process(function (Process $p) {
    $n = 0;
    Timer::tick(10, function ($id) use (&$n, $p) {
        if (++$n === 3) {
            Timer::clear($id);
            $p->write("child ticked $n times");
        }
    });
});
Timer::clear($t);
$p->start();
var_dump($p->read());
var_dump(Process::wait()['code']);

$p = new Process(function (Process $p) {
    $ok = $p->name('eddy-process-test');
    $cmd = cli_get_process_title();
    $prio = $p->setPriority(PRIO_PROCESS, 7) && $p->getPriority(PRIO_PROCESS) === 7;
    $aff = Process::setAffinity([0]);
    preg_match('/Cpus_allowed_list:\s*(\S+)/', file_get_contents('/proc/self/status'), $m);
    $p->write(json_encode([$ok, $cmd, $prio, $aff, $m[1]]));
});
$p->start();
echo $p->read(), "\n";
Process::wait();
var_dump(getmypid() === $parent, $p->getPriority(PRIO_PROCESS, 0) !== 7);
?>
--EXPECTF--
%AFatal error: Uncaught RuntimeException: boom in %s:%d
Stack trace:
#0 [internal function]: {closure}(Object(Swoole\Process))
#1 %s
#2 {main}
  thrown in %s on line %d
int(255)
string(20) "child ticked 3 times"
int(0)
[true,"eddy-process-test",true,true,"0"]
bool(true)
bool(true)
