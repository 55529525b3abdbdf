--TEST--
runtime: an HTTP server whose handler queries MariaDB and Redis (examples/http_db_server.php) under wrk for 3 s -- no errors, no leaked connections
--SKIPIF--
<?php
require __DIR__ . '/servers.inc';
if ($why = servers_skip_reason(['mariadbd', 'mariadb-install-db', 'redis-server', 'wrk'], ['pdo_mysql', 'redis'])) {
    die("skip $why");
}
?>
--EXTENSIONS--
mysqlnd
pdo
pdo_mysql
igbinary
redis
--FILE--
<?php
require __DIR__ . '/servers.inc';
require __DIR__ . '/../server_tcp/server.inc';

$db = mariadb_start();
$rs = redis_start();
$pool = 8;
try {
    $pdo = new PDO("mysql:host=127.0.0.1;port={$db['port']}", 'root', '');
    $pdo->exec('CREATE DATABASE hooks_demo');
    $pdo->exec('CREATE TABLE hooks_demo.items (id INT PRIMARY KEY, name VARCHAR(64))');
    $pdo->exec("INSERT INTO hooks_demo.items VALUES (1, 'one'), (2, 'two')");

    /* the example runs with this PHP, swoole.so and the extensions this test loaded */
    $ext = [];
    foreach (['mysqlnd', 'pdo', 'pdo_mysql', 'igbinary', 'redis'] as $e) {
        $ext[] = '-d';
        $ext[] = "extension=$e";
    }
    $script = __DIR__ . '/../../../examples/http_db_server.php';
    $wrapper = tempnam(sys_get_temp_dir(), 'eddy-httpdb-') . '.php';
    /* server_start() runs "php -n -d extension=swoole.so SCRIPT ARGS": the
     * wrapper loads the database extensions with dl(), as -d would */
    file_put_contents($wrapper, '<?php foreach (["mysqlnd","pdo","pdo_mysql","igbinary","redis"] as $e) '
                              . '{ if (!extension_loaded($e)) dl("$e.so"); } '
                              . 'require ' . var_export($script, true) . ';');
    $h = server_start($wrapper, ['0', "mysql:host=127.0.0.1;port={$db['port']}",
                                 "127.0.0.1:{$rs['port']}", '1', (string) $pool]);
    $url = "http://127.0.0.1:{$h['port']}";
    echo file_get_contents("$url/?id=2"), "\n";

    $out = shell_exec("wrk -t1 -c32 -d3s --timeout 2s '$url/?id=1' 2>&1");
    preg_match('/(\d+) requests in/', $out, $m);
    $requests = (int) ($m[1] ?? 0);
    $errors = preg_match('/Socket errors: (.*)/', $out, $e) ? $e[1] : 'none';
    $non2xx = preg_match('/Non-2xx or 3xx responses: (\d+)/', $out, $n) ? $n[1] : '0';
    echo "wrk: ", $requests > 500 ? "more than 500 requests" : "only $requests requests:\n$out", "\n";
    echo "socket errors: $errors, non-2xx: $non2xx\n";

    /* every request counted once in Redis; the pools stayed within their size */
    $hits = json_decode(file_get_contents("$url/?id=1"), true)['hits'];
    /* wrk counts the replies it read; up to one request per connection was
     * still in flight when it stopped */
    echo "hits counted: ", $hits >= $requests + 1 && $hits <= $requests + 1 + 32 ? 'all'
                                                                              : "$hits for " . ($requests + 1), "\n";
    $stats = json_decode(file_get_contents("$url/stats"), true);
    echo "pools: ", $stats['mysql'] <= $pool && $stats['redis'] <= $pool ? "within $pool" : json_encode($stats), "\n";
    $threads = (int) $pdo->query("SHOW STATUS LIKE 'Threads_connected'")->fetch(PDO::FETCH_NUM)[1];
    echo "MariaDB connections: ", $threads <= $pool + 1 ? "no more than the pool" : $threads, "\n";
    /* nothing but the ready line and the engine's INFO lines of a clean stop */
    $log = trim(preg_replace(['/READY \d+/', '/^\[[^\]]* INFO\] .*$/m'], '', server_stop($h)));
    echo "server log: ", $log === '' ? 'clean' : "has output:\n$log", "\n";
    unlink($wrapper);
    /* the worker's connections are gone with it */
    usleep(300000);
    $threads = (int) $pdo->query("SHOW STATUS LIKE 'Threads_connected'")->fetch(PDO::FETCH_NUM)[1];
    echo "after stop: $threads\n";
} finally {
    mariadb_stop($db);
    redis_stop($rs);
}
?>
--EXPECT--
{"id":2,"name":"two","hits":1}
wrk: more than 500 requests
socket errors: none, non-2xx: 0
hits counted: all
pools: within 8
MariaDB connections: no more than the pool
server log: clean
after stop: 1
