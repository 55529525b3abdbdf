--TEST--
runtime: one PDO connection used by two coroutines at once -- the second gets a clear error (mysqlnd's, before it touches the socket), the first its result
--SKIPIF--
<?php
require __DIR__ . '/servers.inc';
if ($why = servers_skip_reason(['mariadbd', 'mariadb-install-db'], ['pdo_mysql'])) {
    die("skip $why");
}
?>
--EXTENSIONS--
mysqlnd
pdo
pdo_mysql
--FILE--
<?php
require __DIR__ . '/servers.inc';
use Swoole\Runtime;

$db = mariadb_start();
try {
    Runtime::enableCoroutine(SWOOLE_HOOK_TCP);
    Co\run(function () use ($db) {
        $pdo = new PDO("mysql:host=127.0.0.1;port={$db['port']}", 'root', '',
                       [PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION]);
        go(function () use ($pdo) {
            $v = $pdo->query("SELECT SLEEP(0.2)")->fetchColumn();
            echo "first: $v\n";
        });
        go(function () use ($pdo) {
            try {
                $pdo->query('SELECT 1');
                echo "second: no error\n";
            } catch (PDOException $e) {
                echo "second: ", $e->getMessage(), "\n";
            }
        });
    });
} finally {
    Runtime::enableCoroutine(false);
    mariadb_stop($db);
}
echo "stopped\n";
?>
--EXPECT--
second: SQLSTATE[HY000]: General error: 2014 Cannot execute queries while other unbuffered queries are active.  Consider using PDOStatement::fetchAll().  Alternatively, if your code is only ever going to run against mysql, you may enable query buffering by setting the PDO::MYSQL_ATTR_USE_BUFFERED_QUERY attribute.
first: 0
stopped
