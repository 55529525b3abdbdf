--TEST--
process: misuse warns with a Swoole error code and returns false: start twice, no pipe, bad signal, start inside a coroutine, exit in the parent, bad close, empty write
--FILE--
<?php
use Swoole\Process;

$p = new Process(function () {}, false, 0);
$pid = $p->start();
var_dump($p->start(), swoole_last_error());
var_dump($p->write('x'), swoole_last_error());
var_dump($p->read(), $p->exportSocket(), $p->close());
Process::wait();

$q = new Process(function () {});
var_dump($q->write(''), swoole_last_error());
var_dump(Process::signal(0, fn() => 1), Process::signal(SIGKILL, fn() => 1), swoole_last_error());
var_dump(Process::kill(1234, 99));
var_dump(Process::alarm(1000, 7));
var_dump($q->close(9));
$q->exit(1);
var_dump(swoole_last_error());
try {
    new Process(function () {}, false, 5);
} catch (ValueError $e) {
    echo get_class($e), ': ', $e->getMessage(), "\n";
}
Co\run(function () use ($q) {
    var_dump($q->start(), swoole_last_error());
});
var_dump($q->close(), $q->close());
echo "alive\n";
?>
--EXPECTF--
Warning: Swoole\Process::start(): process has already been started in %s on line %d
bool(false)
int(509)

Warning: Swoole\Process::write(): no pipe, cannot write into pipe in %s on line %d
bool(false)
int(509)

Warning: Swoole\Process::read(): no pipe, cannot read from pipe in %s on line %d

Warning: Swoole\Process::exportSocket(): no pipe, cannot export socket in %s on line %d

Warning: Swoole\Process::close(): no pipe, cannot close in %s on line %d
bool(false)
bool(false)
bool(false)

Warning: Swoole\Process::write(): the data to send is empty in %s on line %d
bool(false)
int(505)

Warning: Swoole\Process::signal(): invalid signal number 0 in %s on line %d

Warning: Swoole\Process::signal(): invalid signal number 9 in %s on line %d
bool(false)
bool(false)
int(505)

Warning: Swoole\Process::kill(): invalid signal number 99 in %s on line %d
bool(false)

Warning: Swoole\Process::alarm(): type must be ITIMER_REAL (0), ITIMER_VIRTUAL (1) or ITIMER_PROF (2), 7 given in %s on line %d
bool(false)

Warning: Swoole\Process::close(): which must be 0 or one of SWOOLE_PIPE_MASTER, SWOOLE_PIPE_WORKER, SWOOLE_PIPE_READ, SWOOLE_PIPE_WRITE in %s on line %d
bool(false)

Warning: Swoole\Process::exit(): not current process in %s on line %d
int(509)
ValueError: Swoole\Process::__construct(): Argument #3 ($pipe_type) must be 0 (no pipe), 1 (SOCK_STREAM) or 2 (SOCK_DGRAM)

Warning: Swoole\Process::start(): must be forked outside the coroutine in %s on line %d
bool(false)
int(507)

Warning: Swoole\Process::close(): no pipe, cannot close in %s on line %d
bool(true)
bool(false)
alive
