--TEST--
server_tcp: sendMessage() with an array to the other worker fires its onPipeMessage, which replies to the first worker's client
--FILE--
<?php
require __DIR__ . '/server.inc';
$h = server_start(<<<'PHP'
<?php
$s = new Swoole\Server('127.0.0.1', 0, SWOOLE_BASE);
$s->set(['worker_num' => 2]);
$s->on('workerStart', function ($s, $id) { echo "READY {$s->port}\n"; });
$s->on('receive', function ($s, $fd, $reactor, $data) {
    $other = 1 - $s->worker_id;
    $s->sendMessage(['fd' => $fd, 'from' => $s->worker_id], $other);
});
$s->on('pipeMessage', function ($s, $src, $msg) {
    $s->send($msg['fd'], "worker {$s->worker_id} got a message from worker $src ({$msg['from']})\n");
});
$s->start();
PHP);
$r = ask($h['port'], 'hi');
echo preg_replace('/\d/', 'N', $r), "\n";
preg_match('/worker (\d) got a message from worker (\d) \((\d)\)/', $r, $m);
var_dump($m[1] !== $m[2] && $m[2] === $m[3]);
server_stop($h);
?>
--EXPECT--
worker N got a message from worker N (N)
bool(true)
