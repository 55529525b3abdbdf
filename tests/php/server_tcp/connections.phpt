--TEST--
server_tcp: $server->connections (foreach, count, [$fd]) and getClientList(), BASE (this worker's own) and PROCESS (all workers')
--FILE--
<?php
require __DIR__ . '/server.inc';
$code = <<<'PHP'
<?php
$s = new Swoole\Server('127.0.0.1', 0, (int) $argv[1]);
$s->set(['worker_num' => (int) $argv[2]]);
$s->on('workerStart', function ($s, $id) { if ($id === 0) echo "READY {$s->port}\n"; });
$s->on('receive', function ($s, $fd, $reactor, $data) {
    if (trim($data) !== 'list') return;
    $seen = [];
    foreach ($s->connections as $i => $c) $seen[] = $c;
    $list = $s->getClientList(0, 100);
    $s->send($fd, json_encode([
        count($s->connections), count($seen), $seen == $list, in_array($fd, $list),
        isset($s->connections[$fd]), isset($s->connections[$fd + 12345]),
        $s->connections[$fd]['remote_ip'], $s->getClientList(max($list), 10),
        count($s->getClientList(0, 2)),
    ]) . "\n");
});
$s->start();
PHP;
foreach ([[SWOOLE_BASE, 1], [SWOOLE_PROCESS, 2]] as [$mode, $workers]) {
    $h = server_start($code, [(string) $mode, (string) $workers]);
    $idle = [client($h['port']), client($h['port'])];
    foreach ($idle as $c) { fwrite($c, "hi\n"); }
    usleep(100000);
    echo ask($h['port'], 'list'), "\n";
    server_stop($h);
}
?>
--EXPECT--
[3,3,true,true,true,false,"127.0.0.1",[],2]
[3,3,true,true,true,false,"127.0.0.1",[],2]
