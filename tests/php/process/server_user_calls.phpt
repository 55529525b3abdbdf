--TEST--
process: a server's user process calls send(), close() and sendMessage() (forwarded to the workers by the manager) and shutdown(), BASE and PROCESS
--FILE--
<?php
require __DIR__ . '/../server_tcp/server.inc';

$code = <<<'PHP'
<?php
use Swoole\Process;
$s = new Swoole\Server('127.0.0.1', 0, (int) $argv[1]);
$s->set(['worker_num' => 2, 'log_level' => 4 /* warnings and up */]);
$proc = new Process(function (Process $p) use ($s) {
    /* Watched, so that the server's SIGTERM waits for its last lines. */
    Process::signal(SIGTERM, function () {
        echo "USER got SIGTERM\n";
        Process::signal(SIGTERM, null);
    });
    $sock = $p->exportSocket();
    while (is_string($msg = $sock->recv()) && $msg !== '') {
        [$cmd, $fd] = explode(' ', $msg);
        if ($cmd === 'via') {
            echo "SEND " . json_encode($s->send((int) $fd, "via the user process\n")) . "\n";
            echo "MSG " . json_encode($s->sendMessage(['from' => 'user'], 1)) . "\n";
            $r = $s->sendMessage('x', 99);
            echo "BAD " . json_encode($r) . " " . swoole_last_error() . "\n";
            echo "TASK " . json_encode(@$s->task('x')) . "\n";
        } elseif ($cmd === 'close') {
            echo "CLOSE " . json_encode($s->close((int) $fd)) . "\n";
        } elseif ($cmd === 'stop') {
            echo "SHUTDOWN " . json_encode($s->shutdown()) . "\n";
            break;
        }
    }
}, false, SOCK_DGRAM, true);
$s->addProcess($proc);
$s->on('workerStart', function ($s, $id) { if ($id === 0) echo "READY {$s->port}\n"; });
$s->on('receive', function ($s, $fd, $reactor, $data) use ($proc) {
    $proc->write(trim($data) . " $fd");
});
$s->on('pipeMessage', function ($s, $src, $msg) {
    echo "PIPE in worker {$s->worker_id} from $src: " . json_encode($msg) . "\n";
});
$s->start();
echo "start() returned\n";
PHP;

foreach ([SWOOLE_BASE, SWOOLE_PROCESS] as $mode) {
    $h = server_start($code, [(string) $mode]);
    echo ask($h['port'], 'via'), "\n";
    $c = client($h['port']);
    fwrite($c, "close\n");
    var_dump(fgets($c));                     /* closed by the user process */
    fwrite(client($h['port']), "stop\n");
    for ($i = 0; $i < 500 && proc_get_status($h['proc'])['running']; $i++) {
        usleep(10000);
    }
    $out = server_stop($h);
    foreach (['SEND true', 'MSG true', 'BAD false 22', 'TASK false',
              'PIPE in worker 1 from 2: {"from":"user"}', 'CLOSE true', 'SHUTDOWN true'] as $line) {
        echo $line, ': ', str_contains($out, $line) ? 'yes' : "no\n$out", "\n";
    }
    $user = strpos($out, "USER got SIGTERM\n");
    $end = strpos($out, "start() returned\n");
    echo 'the user process stopped before start() returned: ',
         $user !== false && $end !== false && $user < $end ? 'yes' : "no\n$out", "\n";
}
?>
--EXPECT--
via the user process
bool(false)
SEND true: yes
MSG true: yes
BAD false 22: yes
TASK false: yes
PIPE in worker 1 from 2: {"from":"user"}: yes
CLOSE true: yes
SHUTDOWN true: yes
the user process stopped before start() returned: yes
via the user process
bool(false)
SEND true: yes
MSG true: yes
BAD false 22: yes
TASK false: yes
PIPE in worker 1 from 2: {"from":"user"}: yes
CLOSE true: yes
SHUTDOWN true: yes
the user process stopped before start() returned: yes
