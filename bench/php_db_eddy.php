<?php
/*
 * The eddy side of bench/php_db.sh: php_db_app.php's handler in a
 * Swoole\Http\Server, BASE mode, one worker, every hook on (SWOOLE_HOOK_ALL)
 * so PDO and phpredis wait in their coroutine. The worker opens POOL pairs
 * of connections (one PDO, one Redis) at start; a request takes a pair for
 * its duration, so no connection is ever shared by two coroutines, and waits
 * on the channel when all are taken.
 *
 *   php -d extension=swoole.so ... php_db_eddy.php PORT MYSQL_DSN REDIS [POOL]
 *
 * REDIS is host:port or the path of redis-server's unix socket.
 *
 * Prints "READY <port>" once the pool is full.
 */
require __DIR__ . '/php_db_app.php';

[$port, $dsn, $redisAddr] = [(int) $argv[1], $argv[2], $argv[3]];
$poolSize = (int) ($argv[4] ?? 64);

$http = new Swoole\Http\Server('127.0.0.1', $port, SWOOLE_BASE);
$http->set(['worker_num' => 1, 'hook_flags' => SWOOLE_HOOK_ALL]);

$pool = null; /* the worker's Channel of [Redis, PDO] pairs */

$http->on('workerStart', function (Swoole\Http\Server $http) use ($dsn, $redisAddr, $poolSize, &$pool) {
    $pool = new Swoole\Coroutine\Channel($poolSize);
    for ($i = 0; $i < $poolSize; $i++) {
        $db = new PDO($dsn, 'root', '', [PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION]);
        $pool->push([php_db_redis($redisAddr, false), $db]);
    }
    echo "READY {$http->port}\n";
});

$http->on('request', function (Swoole\Http\Request $req, Swoole\Http\Response $resp) use (&$pool) {
    $pair = $pool->pop(5.0);
    if ($pair === false) {
        $resp->status(503);
        $resp->end('no connection pair free within 5 s');
        return;
    }
    try {
        $body = php_db_handle($pair[0], $pair[1]);
    } catch (Throwable $e) {
        /* the pair may be mid-reply: it is dropped, and the answer says so */
        $resp->status(500);
        $resp->end($e->getMessage());
        return;
    }
    $pool->push($pair);
    $resp->header('Content-Type', 'application/json');
    $resp->end($body);
});

$http->start();
