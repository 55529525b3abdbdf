--TEST--
server_tcp: task() with an array payload -> onTask -> return -> onFinish; finish(); taskwait; task() with its own callback
--FILE--
<?php
require __DIR__ . '/server.inc';
$h = server_start(<<<'PHP'
<?php
$s = new Swoole\Server('127.0.0.1', 0, SWOOLE_BASE);
$s->set(['worker_num' => 1, 'task_worker_num' => 2]);
$s->on('workerStart', function ($s, $id) { if ($id === 0) echo "READY {$s->port}\n"; });
$s->on('receive', function ($s, $fd, $reactor, $data) {
    switch (trim($data)) {
    case 'task':
        $id = $s->task(['fd' => $fd, 'list' => [1, 2, 3], 'obj' => new ArrayObject([7])]);
        var_dump(is_int($id));
        break;
    case 'finish':
        $s->task(['fd' => $fd, 'explicit' => true], 1);
        break;
    case 'wait':
        $r = $s->taskwait(['fd' => $fd, 'wait' => 1.5], 2.0);
        $s->send($fd, "taskwait: " . json_encode($r) . "\n");
        break;
    case 'own':
        $s->task("plain string", -1, function ($s, $task_id, $data) use ($fd) {
            $s->send($fd, "own callback: $data\n");
        });
        break;
    }
});
$s->on('task', function ($s, $task_id, $src, $data) {
    if (is_string($data)) return strtoupper($data);
    if (!empty($data['explicit'])) { $s->finish(['fd' => $data['fd'], 'by' => 'finish()', 'tw' => $s->taskworker]); return null; }
    if (isset($data['wait'])) return ['wait' => $data['wait'] * 2];
    return ['fd' => $data['fd'], 'sum' => array_sum($data['list']), 'obj' => get_class($data['obj'])];
});
$s->on('finish', function ($s, $task_id, $data) {
    $fd = $data['fd'];
    unset($data['fd']);
    $s->send($fd, "finish: " . json_encode($data) . "\n");
});
$s->start();
PHP);
foreach (['task', 'finish', 'wait', 'own'] as $cmd) {
    echo ask($h['port'], $cmd), "\n";
}
server_stop($h);
?>
--EXPECT--
finish: {"sum":6,"obj":"ArrayObject"}
finish: {"by":"finish()","tw":true}
taskwait: {"wait":3}
own callback: PLAIN STRING
