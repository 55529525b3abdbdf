--TEST--
server_tcp: BASE mode echo, connect and close events, properties in a worker
--FILE--
<?php
require __DIR__ . '/server.inc';
$h = server_start(<<<'PHP'
<?php
$s = new Swoole\Server('127.0.0.1', 0, SWOOLE_BASE);
$s->set(['worker_num' => 1]);
$s->on('workerStart', function ($s, $id) {
    echo "READY {$s->port}\n";
});
$s->on('Connect', function ($s, $fd, $reactor) { echo "connect\n"; });
$s->on('receive', function (Swoole\Server $s, $fd, $reactor, $data) {
    if (trim($data) === 'props') {
        $s->send($fd, json_encode([$s->worker_id, $s->worker_pid === getmypid(),
            $s->getWorkerId(), $s->getWorkerPid() === getmypid(), $s->taskworker,
            $s->getMasterPid() > 0, $s->getManagerPid() > 0, $s->exists($fd),
            $s->exists($fd + 1)]) . "\n");
        return;
    }
    $s->send($fd, "echo: $data");
});
$s->on('CLOSE', function ($s, $fd, $reactor) { echo "close\n"; });
$s->start();
echo "master done\n";
PHP);
echo ask($h['port'], 'hello'), "\n";
echo ask($h['port'], 'props'), "\n";
$c = client($h['port']);
fwrite($c, "a\n");
echo fgets($c);
fwrite($c, "b\n");
echo fgets($c);
fclose($c);
usleep(100000);
$out = server_stop($h);
echo "connects: ", substr_count($out, "connect\n"), ", closes: ", substr_count($out, "close\n"), "\n";
echo str_contains($out, "master done") ? "master returned from start()\n" : $out;
?>
--EXPECT--
echo: hello
[0,true,0,true,false,true,true,true,false]
echo: a
echo: b
connects: 3, closes: 3
master returned from start()
