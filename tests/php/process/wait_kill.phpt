--TEST--
process: wait() codes and signals (Process::exit, PHP exit, an uncaught exception, SIGKILL), kill() with signal 0 as an existence check
--FILE--
<?php
use Swoole\Process;

function run(callable $fn): array {
    $p = new Process($fn, false, 0);
    $pid = $p->start();
    $st = Process::wait();
    return [$st['pid'] === $pid, $st['code'], $st['signal']];
}

echo json_encode(run(function (Process $p) { $p->exit(3); echo "not reached\n"; })), "\n";
echo json_encode(run(function () { exit(4); })), "\n";
echo json_encode(run(function () { })), "\n";

/* A blocked child: alive, then killed by signal. */
$p = new Process(function (Process $p) { $p->read(); }, false, SOCK_STREAM);
$pid = $p->start();
var_dump(Process::kill($pid, 0));
var_dump(Process::wait(false));            /* nothing exited yet */
var_dump(Process::kill($pid, SIGKILL));
$st = Process::wait();
echo json_encode([$st['pid'] === $pid, $st['code'], $st['signal']]), "\n";
var_dump(Process::kill($pid, 0));          /* gone: false, no warning */
var_dump(swoole_last_error() === 3);       /* ESRCH */
var_dump(Process::kill($pid));             /* a real signal to nobody warns */

/* SIGTERM by default. */
$p = new Process(function (Process $p) { $p->read(); }, false, SOCK_STREAM);
$pid = $p->start();
var_dump(Process::kill($pid));
echo json_encode(array_values(array_slice(Process::wait(), 1))), "\n";
?>
--EXPECTF--
[true,3,0]
[true,4,0]
[true,0,0]
bool(true)
bool(false)
bool(true)
[true,0,9]
bool(false)
bool(true)

Warning: Swoole\Process::kill(): kill(%d, 15) failed: No such process in %s on line %d
bool(false)
bool(true)
[0,15]
