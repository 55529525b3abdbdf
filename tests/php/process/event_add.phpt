--TEST--
process: the pipe's fd ($process->pipe) in Swoole\Event::add on both sides: read() from the event callback, as Swoole's documented async pattern
--FILE--
<?php
use Swoole\Process;
use Swoole\Event;

$p = new Process(function (Process $w) {
    Event::add($w->pipe, function () use ($w) {
        $w->write('child got ' . $w->read());
        Event::del($w->pipe);
    });
});
$p->start();
var_dump($p->write('hi'));
Event::add($p->pipe, function () use ($p) {
    echo $p->read(), "\n";
    Event::del($p->pipe);
});
Event::wait();
var_dump(Process::wait()['code']);
?>
--EXPECT--
int(2)
child got hi
int(0)
