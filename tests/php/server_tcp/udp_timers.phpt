--TEST--
server_tcp: UDP server (onPacket, sendto) and Server::tick/after/clearTimer/defer in a worker
--FILE--
<?php
require __DIR__ . '/server.inc';
$h = server_start(<<<'PHP'
<?php
$s = new Swoole\Server('127.0.0.1', 0, SWOOLE_BASE, SWOOLE_SOCK_UDP);
$s->set(['worker_num' => 1]);
$s->on('workerStart', function ($s, $id) { echo "READY {$s->port}\n"; });
$s->on('packet', function ($s, $data, $client) {
    if ($data === 'timers') {
        $n = 0;
        $s->tick(10, function ($id) use ($s, $client, &$n) {
            if (++$n === 3) {
                $s->clearTimer($id);
                $s->after(10, function ($a) use ($s, $client) {
                    $s->defer(function () use ($s, $client, $a) {
                        $s->sendto($client['address'], $client['port'], "tick x3, after($a), defer");
                    });
                }, 'arg');
            }
        });
        return;
    }
    $s->sendto($client['address'], $client['port'], "udp echo: $data " . json_encode(array_keys($client)));
});
$s->start();
PHP);
$c = stream_socket_client("udp://127.0.0.1:{$h['port']}", $errno, $errstr, 5);
stream_set_timeout($c, 5);
fwrite($c, "hi");
echo fread($c, 1000), "\n";
fwrite($c, "timers");
echo fread($c, 1000), "\n";
server_stop($h);
?>
--EXPECT--
udp echo: hi ["address","port","server_port"]
tick x3, after(arg), defer
