--TEST--
ssl: PDO MySQL with TLS over hooked streams (mysqlnd's STARTTLS goes through stream_socket_enable_crypto's path) -- 10 coroutines doing SELECT SLEEP(0.2) on 10 TLS connections finish in well under 1 s
--SKIPIF--
<?php
require __DIR__ . '/ssl.inc';
require __DIR__ . '/../runtime/servers.inc';
if ($r = ssl_skip_reason() ?? servers_skip_reason(['mariadbd', 'mariadb-install-db'], ['pdo_mysql'])) {
    die("skip $r");
}
?>
--EXTENSIONS--
mysqlnd
pdo
pdo_mysql
--FILE--
<?php
require __DIR__ . '/ssl.inc';
require __DIR__ . '/../runtime/servers.inc';

$certs = ssl_certs();
$db = mariadb_start(50, ["--ssl-cert={$certs['cert']}", "--ssl-key={$certs['key']}",
                         "--ssl-ca={$certs['ca']}"]);
try {
    Swoole\Runtime::enableCoroutine(SWOOLE_HOOK_TCP);
    $dsn = "mysql:host=127.0.0.1;port={$db['port']}";
    $opts = [PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION, PDO::MYSQL_ATTR_SSL_CA => $certs['ca'],
             PDO::MYSQL_ATTR_SSL_VERIFY_SERVER_CERT => true];
    $rows = [];
    $t = microtime(true);
    Co\run(function () use ($dsn, $opts, &$rows) {
        for ($i = 0; $i < 10; $i++) {
            go(function () use ($dsn, $opts, &$rows) {
                $pdo = new PDO($dsn, 'root', '', $opts);
                $cipher = $pdo->query("SHOW SESSION STATUS LIKE 'Ssl_cipher'")->fetch(PDO::FETCH_NUM)[1];
                $s = $pdo->query('SELECT SLEEP(0.2)')->fetchColumn();
                $rows[] = [$cipher !== '', $s];
            });
        }
    });
    $t = microtime(true) - $t;
    echo count($rows), " TLS connections: ", json_encode(array_values(array_unique($rows, SORT_REGULAR))), ", ",
         $t < 1.0 ? "together" : "took $t s", "\n";
} finally {
    Swoole\Runtime::enableCoroutine(0);
    mariadb_stop($db);
}
?>
--EXPECT--
10 TLS connections: [[true,0]], together
