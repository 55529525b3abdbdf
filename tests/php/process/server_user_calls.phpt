--TEST--
process: in a server's user process the worker-only calls (send, sendMessage) warn and return false, and $server->shutdown() stops the whole server (a SIGTERM handler of its own runs), BASE and PROCESS
--FILE--
<?php
require __DIR__ . '/../server_tcp/server.inc';
$script = tempnam(sys_get_temp_dir(), 'eddy-up-');
file_put_contents($script, <<<'PHP'
<?php
use Swoole\Process;
$s = new Swoole\Server('127.0.0.1', 0, (int) $argv[1]);
$s->set(['worker_num' => 1, 'log_level' => 4 /* warnings and up */]);
$s->addProcess(new Process(function (Process $p) use ($s) {
    /* Watched, so that the server's SIGTERM waits for the lines below. */
    Process::signal(SIGTERM, function () {
        echo "USER got SIGTERM\n";
        Process::signal(SIGTERM, null);
    });
    Co::sleep(0.1);
    $r = $s->send(1, 'x');
    echo "SEND ", json_encode($r), " ", swoole_last_error(), "\n";
    $r = $s->sendMessage('x', 0);
    echo "MSG ", json_encode($r), " ", swoole_last_error(), "\n";
    $r = $s->shutdown();
    echo "SHUTDOWN ", json_encode($r), "\n";
}, false, 0, true));
$s->on('receive', function () {});
$s->on('shutdown', function () { echo "ON SHUTDOWN\n"; });
$s->start();
echo "start() returned\n";
PHP);
foreach ([SWOOLE_BASE, SWOOLE_PROCESS] as $mode) {
    $t = microtime(true);
    $proc = proc_open([PHP_BINARY, '-n', '-d', 'extension=' . swoole_so_path(), $script, $mode],
                      [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
    $out = stream_get_contents($pipes[1]);   /* until every process of it is gone */
    proc_close($proc);
    echo preg_replace('/ in \S+ on line \d+/', '', $out);
    echo microtime(true) - $t < 4 ? "stopped in time\n" : "too slow\n";
}
unlink($script);
?>
--EXPECT--
Warning: Swoole\Server::send(): can only be used in a worker process
SEND false 9009

Warning: Swoole\Server::sendMessage(): can only be used in a worker process
MSG false 509
SHUTDOWN true
USER got SIGTERM
ON SHUTDOWN
start() returned
stopped in time

Warning: Swoole\Server::send(): can only be used in a worker process
SEND false 9009

Warning: Swoole\Server::sendMessage(): can only be used in a worker process
MSG false 509
SHUTDOWN true
USER got SIGTERM
ON SHUTDOWN
start() returned
stopped in time
