--TEST--
process: Server::addProcess in BASE and PROCESS mode: the user process answers a worker over its pipe and the answer reaches a TCP client; restarted after it returns; stopped with the server; refused once started
--FILE--
<?php
require __DIR__ . '/../server_tcp/server.inc';
use Swoole\Process;

$code = <<<'PHP'
<?php
use Swoole\Process;
$s = new Swoole\Server('127.0.0.1', 0, (int) $argv[1]);
$s->set(['worker_num' => 1, 'max_wait_time' => 1]);
$proc = new Process(function (Process $p) use ($s) {
    echo "USER pid=" . getmypid() . " id={$p->id} worker_id={$s->worker_id}\n";
    for ($i = 0; $i < 1000; $i++) {
        $msg = $p->read();
        if ($msg === '' || $msg === false || $msg === 'exit') {
            return;
        }
        $p->write('user ' . getmypid() . " got $msg");
    }
});
echo "ADD " . $s->addProcess($proc) . "\n";
$s->on('workerStart', function ($s) use ($proc) {
    $late = $s->addProcess(new Process(function () {}));
    echo "LATE " . json_encode($late) . "\n";
    echo "READY {$s->port}\n";
});
$s->on('receive', function ($s, $fd, $reactor, $data) use ($proc) {
    $proc->setTimeout(5); /* a worker never waits for ever on it */
    $data = trim($data);
    $proc->write($data);
    $s->send($fd, ($data === 'exit' ? 'sent' : $proc->read()) . "\n");
});
$s->start();
PHP;

foreach ([SWOOLE_BASE, SWOOLE_PROCESS] as $mode) {
    $h = server_start($code, [(string) $mode]);
    $reply = ask($h['port'], 'hello');
    echo preg_replace('/\d+/', 'PID', $reply), "\n";
    $pid = (int) explode(' ', $reply)[1];
    echo ask($h['port'], 'exit'), "\n";
    $pid2 = 0;
    for ($i = 0; $i < 40 && ($pid2 === 0 || $pid2 === $pid); $i++) {
        usleep(100000);
        $r = ask($h['port'], 'again');
        $pid2 = str_starts_with($r, 'user ') ? (int) explode(' ', $r)[1] : 0;
    }
    echo $pid2 > 0 && $pid2 !== $pid ? "restarted\n" : "not restarted: $r\n";
    var_dump(Process::kill($pid2, 0));
    $out = server_stop($h);
    var_dump(Process::kill($pid, 0), Process::kill($pid2, 0));    /* both gone */
    var_dump(str_contains($out, "ADD 0\n"), str_contains($out, "USER pid=$pid id=0 worker_id=-1\n"),
             str_contains($out, "USER pid=$pid2 id=0"), str_contains($out, "LATE false\n"),
             str_contains($out, 'unable to add a process'));
}
?>
--EXPECT--
user PID got hello
sent
restarted
bool(true)
bool(false)
bool(false)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
user PID got hello
sent
restarted
bool(true)
bool(false)
bool(false)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
