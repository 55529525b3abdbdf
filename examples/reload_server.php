<?php
/*
 * Graceful reload, as in Swoole's documentation: a SWOOLE_PROCESS server
 * with one worker, reload_async on and max_wait_time 60. Reload it with
 *
 *   kill -USR1 <master pid>     (or $server->reload() from any worker)
 *
 * The manager asks the worker to stop; the worker stops taking new
 * messages, finishes those it has (an answer still pending is still sent),
 * then exits, and a new worker with fresh code takes over. Connections stay
 * open throughout: in PROCESS mode the master's reactor threads hold them,
 * so a client keeps its connection and sees only that its answers now come
 * from another worker process. A worker that has not finished after
 * max_wait_time seconds is killed, with a warning saying so.
 *
 *   php reload_server.php [port]        (default 9502; 0 picks a free port)
 *
 * Every line a client sends comes back prefixed with the id and pid of the
 * worker that answered it:
 *   $c = stream_socket_client('tcp://127.0.0.1:9502');
 *   fwrite($c, "hello\n");
 *   echo fgets($c);                     // "[#0 pid 12345] hello"
 */
$port = (int) ($argv[1] ?? 9502);

$server = new Swoole\Server('127.0.0.1', $port, SWOOLE_PROCESS);
$server->set([
    'worker_num' => 1,
    'max_wait_time' => 60,
    'reload_async' => true,
    'open_eof_split' => true, // one message per line
    'package_eof' => "\n",
]);

$server->on('start', function (Swoole\Server $server) {
    echo "reload_server: listening on 127.0.0.1:{$server->port}, master pid {$server->master_pid}\n";
});

$server->on('workerStart', function (Swoole\Server $server, int $workerId) {
    echo "worker #$workerId started, pid " . getmypid() . "\n";
});

$server->on('beforeReload', function (Swoole\Server $server) {
    echo "reloading\n";
});

$server->on('afterReload', function (Swoole\Server $server) {
    echo "reloaded\n";
});

$server->on('receive', function (Swoole\Server $server, int $fd, int $reactorId, string $data) {
    $server->send($fd, "[#{$server->worker_id} pid " . getmypid() . "] $data");
});

$server->start();
