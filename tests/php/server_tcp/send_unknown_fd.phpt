--TEST--
server_tcp: send() to a connection that does not exist returns false with swoole_last_error() 1005; getClientInfo() keys
--FILE--
<?php
require __DIR__ . '/server.inc';
$h = server_start(<<<'PHP'
<?php
$s = new Swoole\Server('127.0.0.1', 0, SWOOLE_BASE);
$s->set(['worker_num' => 1, 'log_level' => 4]);
$s->on('workerStart', function ($s, $id) { echo "READY {$s->port}\n"; });
$s->on('receive', function ($s, $fd, $reactor, $data) {
    if (trim($data) === 'info') {
        $i = $s->getClientInfo($fd);
        $s->send($fd, implode(',', array_keys($i)) . " " . ($i['remote_ip'] === '127.0.0.1' && $i['server_port'] === $s->port ? 'ok' : 'bad') . "\n");
        return;
    }
    $r = $s->send($fd + 1000, "x");
    $s->send($fd, json_encode([$r, swoole_last_error(), $s->getLastError(), $s->getClientInfo($fd + 1000)]) . "\n");
});
$s->start();
PHP);
echo ask($h['port'], 'x'), "\n";
echo ask($h['port'], 'info'), "\n";
server_stop($h);
?>
--EXPECT--
[false,1005,1005,false]
server_port,socket_type,remote_port,remote_ip,reactor_id,connect_time,last_time,last_recv_time ok
