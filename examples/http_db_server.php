<?php
/*
 * An HTTP handler that does what real ones do: one Redis GET and one MySQL
 * primary-key SELECT per request, through PDO and phpredis made
 * coroutine-aware by the runtime hooks (hook_flags), one connection per
 * coroutine from a pool (db_pool.php).
 *
 *   php -d extension=swoole.so -d extension=pdo_mysql -d extension=redis \
 *       http_db_server.php PORT MYSQL_DSN REDIS_HOST:PORT [workers] [pool size]
 *
 * The table is hooks_demo.items (id INT PRIMARY KEY, name VARCHAR(64));
 * GET /?id=N answers {"id":N,"name":...,"hits":...} where hits is a Redis
 * counter; GET /stats answers the pool sizes of the worker that serves it.
 */
require __DIR__ . '/db_pool.php';

[$port, $dsn, $redisAddr] = [(int) $argv[1], $argv[2], $argv[3]];
$workers = (int) ($argv[4] ?? 1);
$poolSize = (int) ($argv[5] ?? 16);
[$redisHost, $redisPort] = explode(':', $redisAddr);

$http = new Swoole\Http\Server('127.0.0.1', $port, SWOOLE_BASE);
$http->set(['worker_num' => $workers, 'hook_flags' => SWOOLE_HOOK_TCP | SWOOLE_HOOK_UNIX]);

$http->on('workerStart', function (Swoole\Http\Server $http, int $id) use ($dsn, $redisHost, $redisPort, $poolSize) {
    global $mysql, $redis;
    $mysql = new DbPool(fn() => new PDO($dsn, 'root', '', [
        PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION,
        PDO::ATTR_EMULATE_PREPARES => false,
    ]), $poolSize);
    $redis = new DbPool(function () use ($redisHost, $redisPort) {
        $r = new Redis();
        $r->connect($redisHost, (int) $redisPort, 2.0);
        return $r;
    }, $poolSize);
    if ($id === 0) {
        echo "READY {$http->port}\n";
    }
});

$http->on('request', function (Swoole\Http\Request $req, Swoole\Http\Response $resp) {
    global $mysql, $redis;
    if ($req->server['request_uri'] === '/stats') {
        $resp->end(json_encode(['mysql' => $mysql->count(), 'redis' => $redis->count()]));
        return;
    }
    $id = (int) ($req->get['id'] ?? 1);
    try {
        $hits = $redis->with(fn(Redis $r) => $r->incr("hits:$id"));
        $row = $mysql->with(function (PDO $db) use ($id) {
            $st = $db->prepare('SELECT id, name FROM hooks_demo.items WHERE id = ?');
            $st->execute([$id]);
            return $st->fetch(PDO::FETCH_ASSOC);
        });
    } catch (Throwable $e) {
        $resp->status(500);
        $resp->end($e->getMessage());
        return;
    }
    if (!$row) {
        $resp->status(404);
        $resp->end('no such item');
        return;
    }
    $resp->header('Content-Type', 'application/json');
    $resp->end(json_encode($row + ['hits' => $hits]));
});

$http->start();
