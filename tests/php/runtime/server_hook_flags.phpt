--TEST--
runtime: a server's hook_flags option turns the hooks on in its workers -- ten clients whose handlers sleep 0.3 s are served together by one worker
--FILE--
<?php
require __DIR__ . '/../server_tcp/server.inc';
$code = <<<'PHP'
<?php
$s = new Swoole\Server('127.0.0.1', 0, SWOOLE_BASE);
$s->set(['worker_num' => 1, 'hook_flags' => SWOOLE_HOOK_SLEEP | SWOOLE_HOOK_TCP]);
$s->on('workerStart', function ($s, $id) { echo "READY {$s->port}\n"; });
$s->on('receive', function ($s, $fd, $reactor, $data) {
    usleep(300000); /* yields: the worker serves the other clients meanwhile */
    $s->send($fd, Swoole\Runtime::getHookFlags() . "\n");
});
$s->start();
PHP;
$h = server_start($code);
$clients = [];
for ($i = 0; $i < 10; $i++) {
    $clients[] = client($h['port']);
}
$t = microtime(true);
foreach ($clients as $c) {
    fwrite($c, "go\n");
}
$replies = [];
foreach ($clients as $c) {
    $replies[] = rtrim((string) fgets($c), "\n");
    fclose($c);
}
$t = microtime(true) - $t;
echo json_encode(array_count_values($replies)), "\n";
echo $t < 1.5 ? "served together\n" : "served one by one ($t s)\n";
echo "client side hooks: ", Swoole\Runtime::getHookFlags(), "\n";
server_stop($h);
?>
--EXPECT--
{"514":10}
served together
client side hooks: 0
