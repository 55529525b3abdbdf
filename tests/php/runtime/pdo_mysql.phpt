--TEST--
runtime: PDO MySQL and mysqli over hooked streams -- 50 coroutines doing SELECT SLEEP(0.2) on 50 connections finish in well under 1 s
--SKIPIF--
<?php
require __DIR__ . '/servers.inc';
if ($why = servers_skip_reason(['mariadbd', 'mariadb-install-db'], ['pdo_mysql', 'mysqli'])) {
    die("skip $why");
}
?>
--EXTENSIONS--
mysqlnd
pdo
pdo_mysql
mysqli
--FILE--
<?php
require __DIR__ . '/servers.inc';
use Swoole\Runtime;

$db = mariadb_start();
try {
    Runtime::enableCoroutine(SWOOLE_HOOK_TCP | SWOOLE_HOOK_UNIX);
    $dsn = "mysql:host=127.0.0.1;port={$db['port']}";

    /* 50 coroutines, one connection each, each query sleeping 0.2 s on the server */
    $ids = [];
    $t = microtime(true);
    Co\run(function () use ($dsn, &$ids) {
        for ($i = 0; $i < 50; $i++) {
            go(function () use ($dsn, &$ids) {
                $pdo = new PDO($dsn, 'root', '', [PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION]);
                $row = $pdo->query('SELECT SLEEP(0.2) AS s, CONNECTION_ID() AS id')->fetch(PDO::FETCH_ASSOC);
                $ids[$row['id']] = $row['s'];
            });
        }
    });
    $t = microtime(true) - $t;
    echo "PDO: ", count($ids), " connections, results ", json_encode(array_values(array_unique($ids))), ", ",
         $t < 1.0 ? "under 1 s" : "took $t s (serial would be 10 s)", "\n";

    /* mysqli, and the unix socket transport */
    $t = microtime(true);
    $got = [];
    Co\run(function () use ($db, &$got) {
        for ($i = 0; $i < 10; $i++) {
            go(function () use ($db, &$got) {
                $m = new mysqli('127.0.0.1', 'root', '', '', $db['port']);
                $got[] = $m->query('SELECT SLEEP(0.2)')->fetch_row()[0];
                $m->close();
            });
            go(function () use ($db, &$got) {
                $pdo = new PDO("mysql:unix_socket={$db['sock']}", 'root', '');
                $got[] = $pdo->query('SELECT SLEEP(0.2)')->fetchColumn();
            });
        }
    });
    $t = microtime(true) - $t;
    echo "mysqli + unix socket: ", count($got), " queries, ", $t < 1.0 ? "under 1 s" : "took $t s", "\n";

    /* real work through the hooked connection: a table, prepared statements, a transaction */
    Co\run(function () use ($dsn) {
        $pdo = new PDO($dsn, 'root', '', [PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION]);
        $pdo->exec('CREATE DATABASE hooks');
        $pdo->exec('CREATE TABLE hooks.t (id INT PRIMARY KEY, v VARCHAR(64000))');
        $pdo->beginTransaction();
        $ins = $pdo->prepare('INSERT INTO hooks.t VALUES (?, ?)');
        for ($i = 1; $i <= 100; $i++) {
            $ins->execute([$i, str_repeat(chr(65 + $i % 26), $i * 500)]); /* up to 50 KB rows */
        }
        $pdo->commit();
        $sum = $pdo->query('SELECT COUNT(*), SUM(LENGTH(v)) FROM hooks.t')->fetch(PDO::FETCH_NUM);
        $all = $pdo->query('SELECT v FROM hooks.t ORDER BY id')->fetchAll(PDO::FETCH_COLUMN);
        $ok = true;
        foreach ($all as $k => $v) {
            $ok = $ok && $v === str_repeat(chr(65 + ($k + 1) % 26), ($k + 1) * 500);
        }
        echo "rows: $sum[0], bytes: $sum[1], read back intact: ", $ok ? 'yes' : 'no', "\n";
    });

    /* outside a coroutine the same code uses PHP's own blocking streams */
    $pdo = new PDO($dsn, 'root', '');
    echo "outside: ", $pdo->query('SELECT 1 + 1')->fetchColumn(), "\n";
} finally {
    Runtime::enableCoroutine(false);
    mariadb_stop($db);
}
echo "stopped\n";
?>
--EXPECT--
PDO: 50 connections, results [0], under 1 s
mysqli + unix socket: 20 queries, under 1 s
rows: 100, bytes: 2525000, read back intact: yes
outside: 2
stopped
