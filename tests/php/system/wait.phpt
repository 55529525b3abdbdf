--TEST--
system: waitPid() and wait() reap children without blocking the loop; timeout and no-child errors
--FILE--
<?php
use Swoole\Coroutine\System;

Co\run(function () {
    $p = proc_open(['sh', '-c', 'sleep 0.2; exit 7'], [], $pipes);
    $pid = proc_get_status($p)['pid'];
    $ticks = 0;
    go(function () use (&$ticks) {
        for ($i = 0; $i < 5; $i++) { System::sleep(0.02); $ticks++; }
    });
    $st = System::waitPid($pid);
    var_dump($st === ['pid' => $pid, 'code' => 7, 'signal' => 0], $ticks >= 4);

    $p2 = proc_open(['sh', '-c', 'kill -TERM $$'], [], $pipes);
    $pid2 = proc_get_status($p2)['pid'];
    $st = System::wait(5);
    var_dump($st['pid'] === $pid2, $st['signal']);

    $p3 = proc_open(['sleep', '5'], [], $pipes);
    $pid3 = proc_get_status($p3)['pid'];
    $t = microtime(true);
    var_dump(System::waitPid($pid3, 0.1), swoole_last_error() === SOCKET_ETIMEDOUT);
    var_dump(microtime(true) - $t < 0.5);
    System::exec("kill -9 $pid3");
    var_dump(System::waitPid($pid3)['signal']);

    var_dump(System::wait(0.1), swoole_last_error()); // ECHILD: no children left
});
?>
--EXPECT--
bool(true)
bool(true)
bool(true)
int(15)
bool(false)
bool(true)
bool(true)
int(9)
bool(false)
int(10)
