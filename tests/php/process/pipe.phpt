--TEST--
process: fork and a pipe round trip with SOCK_DGRAM (message boundaries kept) and SOCK_STREAM; wait() reports the child's exit
--FILE--
<?php
use Swoole\Process;

foreach ([SOCK_DGRAM, SOCK_STREAM] as $type) {
    $p = new Process(function (Process $child) use ($type) {
        $got = [];
        $got[] = $child->read();
        if ($type === SOCK_DGRAM) {
            $got[] = $child->read();   /* the second datagram on its own */
        }
        $child->write('child ' . getmypid() . ' got ' . implode('|', $got));
    }, false, $type);
    var_dump($p->pipe > 0);
    $pid = $p->start();
    var_dump($pid > 0, $p->pid === $pid);
    if ($type === SOCK_DGRAM) {
        var_dump($p->write('one'), $p->write('two'));
        echo $p->read() === "child $pid got one|two" ? "dgram ok\n" : "dgram bad\n";
    } else {
        var_dump($p->write('a stream'));
        echo $p->read() === "child $pid got a stream" ? "stream ok\n" : "stream bad\n";
    }
    $st = Process::wait();
    var_dump($st === ['pid' => $pid, 'code' => 0, 'signal' => 0]);
    if ($type === SOCK_STREAM) {
        var_dump($p->read());   /* the child is gone: EOF (datagrams have none) */
    }
}
var_dump(Process::wait(false)); /* no child left */
?>
--EXPECT--
bool(true)
bool(true)
bool(true)
int(3)
int(3)
dgram ok
bool(true)
bool(true)
bool(true)
bool(true)
int(8)
stream ok
bool(true)
string(0) ""
bool(false)
