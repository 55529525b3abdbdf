<?php
/*
 * An HTTP server that hands slow work to task workers: the request handler
 * calls $server->task() and returns at once; the worker goes on serving
 * other requests while a task worker computes, and the response is ended
 * later, in the task's finish callback, with the task's result.
 *
 *   php task_server.php [port]       (default 9501; 0 picks a free port)
 *   curl 'http://127.0.0.1:9501/?n=1000000'     -> {"n":1000000,"sum":...}
 *   curl 'http://127.0.0.1:9501/wait?n=10'      -> the same through taskwait()
 *
 * Task workers are plain processes: blocking code (a CPU-bound loop, a
 * synchronous library) belongs there, never in a request handler.
 */
$port = (int) ($argv[1] ?? (getenv('PORT') ?: 9501));

$server = new Swoole\Http\Server('127.0.0.1', $port, SWOOLE_BASE);
$server->set([
    'worker_num' => 1,
    'task_worker_num' => 2,
]);

$server->on('start', function (Swoole\Http\Server $server) {
    echo "task_server: listening on http://127.0.0.1:{$server->port}/\n";
});

$server->on('request', function (Swoole\Http\Request $request, Swoole\Http\Response $response) use ($server) {
    $n = max(0, min((int) ($request->get['n'] ?? 1000), 10_000_000));
    $response->header('Content-Type', 'application/json');
    if ($request->server['request_uri'] === '/wait') {
        // taskwait(): this request waits (up to 5 s) for the result.
        $result = $server->taskwait(['n' => $n], 5.0);
        $response->end($result === false ? '{"error":"task timed out"}' : json_encode($result));
        return;
    }
    // task(): the callback runs in this worker when the task finishes.
    $id = $server->task(['n' => $n], -1, function (Swoole\Server $server, int $taskId, $result) use ($response) {
        $response->end(json_encode($result + ['task_id' => $taskId]));
    });
    if ($id === false) {
        $response->status(503);
        $response->end('{"error":"no task worker"}');
    }
});

// Runs in a task worker: the return value is the task's result.
$server->on('task', function (Swoole\Server $server, int $taskId, int $srcWorkerId, array $data) {
    $sum = 0;
    for ($i = 1; $i <= $data['n']; $i++) {
        $sum += $i * $i % 7;
    }
    return ['n' => $data['n'], 'sum' => $sum, 'task_worker' => $server->worker_id];
});

$server->start();
