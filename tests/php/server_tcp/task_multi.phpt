--TEST--
server_tcp: taskWaitMulti() (blocking, timed-out tasks left out) and taskCo() (in a coroutine, false for timed-out tasks), one timeout for all, results keyed as the tasks
--FILE--
<?php
require __DIR__ . '/server.inc';
$h = server_start(<<<'PHP'
<?php
$s = new Swoole\Server('127.0.0.1', 0, SWOOLE_BASE);
$s->set(['worker_num' => 1, 'task_worker_num' => 3, 'log_level' => 4]);
$s->on('workerStart', function ($s, $id) { if ($id === 0) echo "READY {$s->port}\n"; });
$s->on('task', function ($s, $task_id, $src, $data) {
    usleep((int) ($data['sleep'] * 1e6));
    return $data['sleep'] > 0.5 ? "slow" : ['n' => $data['n'] * 10];
});
$s->on('receive', function ($s, $fd, $reactor, $data) {
    $tasks = ['a' => ['n' => 1, 'sleep' => 0], 'b' => ['n' => 2, 'sleep' => 1.0], 'c' => ['n' => 3, 'sleep' => 0.1]];
    $t0 = microtime(true);
    switch (trim($data)) {
    case 'multi':
        $r = $s->taskWaitMulti($tasks, 0.4);
        break;
    case 'co':
        $r = $s->taskCo($tasks, 0.4);
        break;
    case 'all':
        $r = $s->taskCo([['n' => 4, 'sleep' => 0.2], ['n' => 5, 'sleep' => 0.2]], 2.0);
        break;
    case 'empty':
        $r = $s->taskCo([]);
        break;
    }
    $took = microtime(true) - $t0;
    $s->send($fd, json_encode($r) . ($took < 0.9 ? " in time" : " took $took") . "\n");
});
$s->start();
PHP);
foreach (['multi', 'co', 'all', 'empty'] as $cmd) {
    echo "$cmd: ", ask($h['port'], $cmd), "\n";
    usleep(800000); /* the slow task frees its task worker */
}
server_stop($h);

/* Outside a server, and taskCo outside a coroutine. */
$s = new Swoole\Server('127.0.0.1', 0);
var_dump($s->taskWaitMulti([1]));
?>
--EXPECTF--
multi: {"a":{"n":10},"c":{"n":30}} in time
co: {"a":{"n":10},"b":false,"c":{"n":30}} in time
all: [{"n":40},{"n":50}] in time
empty: [] in time

Warning: Swoole\Server::taskWaitMulti(): server is not running in %s on line %d
bool(false)
