--TEST--
process: exportSocket() gives both sides a Coroutine\Socket on the pipe; the child runs its callback in a coroutine (enable_coroutine)
--FILE--
<?php
use Swoole\Process;

$p = new Process(function (Process $proc) {
    $in = Swoole\Coroutine::getCid() > 0 ? 'in a coroutine' : 'NOT in a coroutine';
    $s = $proc->exportSocket();
    $got = $s->recv(1024, 5);
    Swoole\Coroutine::sleep(0.01);              /* a coroutine API works here */
    $s->send("child $in got: $got");
}, false, SOCK_STREAM, true);
$pid = $p->start();
Co\run(function () use ($p) {
    $s = $p->exportSocket();
    var_dump($s instanceof Swoole\Coroutine\Socket, $s === $p->exportSocket());
    var_dump($s->send('ping'));
    var_dump($s->recv(1024, 5));
});
var_dump(Process::wait()['code']);
/* read() still works on the pipe after the socket was exported. */
$q = new Process(function (Process $q) {
    $q->exportSocket();
    $q->write('plain write');
});
$q->start();
var_dump($q->read());
Process::wait();
?>
--EXPECT--
bool(true)
bool(true)
int(4)
string(30) "child in a coroutine got: ping"
int(0)
string(11) "plain write"
