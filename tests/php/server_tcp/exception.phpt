--TEST--
server_tcp: an uncaught exception in onReceive (at once or after Co::sleep) or exit() ends the worker (onWorkerError, status 255 or the exit status); the manager replaces it and the server keeps serving
--FILE--
<?php
require __DIR__ . '/server.inc';
$h = server_start(<<<'PHP'
<?php
$s = new Swoole\Server('127.0.0.1', 0, SWOOLE_BASE);
$s->set(['worker_num' => 1]);
$s->on('close', function ($s, $fd) {
    if ($s->exists($fd)) throw new Error("closed connection still exists");
});
$s->on('workerError', function ($s, $id, $pid, $code, $sig) { echo "workerError $id code $code signal $sig\n"; });
$s->on('workerStart', function ($s, $id) { echo "READY {$s->port}\n"; });
$s->on('receive', function ($s, $fd, $reactor, $data) {
    if (trim($data) === 'throw') {
        throw new RuntimeException("boom in receive");
    }
    if (trim($data) === 'exit') {
        $s->close($fd); /* onClose runs at once, in a coroutine of its own */
        exit(3);
    }
    if (trim($data) === 'later') {
        Co::sleep(0.05);
        throw new LogicException("boom after sleep");
    }
    $s->send($fd, "echo: $data");
});
$s->start();
PHP);
$c = client($h['port']);
fwrite($c, "throw\n");
var_dump(fgets($c)); /* the worker exited: its connection is closed */
echo ask($h['port'], 'after'), "\n";
$c = client($h['port']);
fwrite($c, "later\n");
var_dump(fgets($c));
echo ask($h['port'], 'again'), "\n";
$c = client($h['port']);
fwrite($c, "exit\n");
var_dump(fgets($c));
echo ask($h['port'], 'after exit'), "\n";
$out = server_stop($h);
echo str_contains($out, "Uncaught RuntimeException: boom in receive") ? "reported 1\n" : $out;
echo str_contains($out, "Uncaught LogicException: boom after sleep") ? "reported 2\n" : $out;
preg_match_all('/workerError .*/', $out, $m);
echo implode("\n", $m[0]), "\n";
?>
--EXPECT--
bool(false)
echo: after
bool(false)
echo: again
bool(false)
echo: after exit
reported 1
reported 2
workerError 0 code 255 signal 0
workerError 0 code 255 signal 0
workerError 0 code 3 signal 0
