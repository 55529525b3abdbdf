<?php
/*
 * The php-fpm side of bench/php_db.sh: php_db_app.php's handler with the
 * connections a php-fpm deployment keeps between requests, a persistent
 * PDO (PDO::ATTR_PERSISTENT) and phpredis pconnect(), one pair per child.
 * Where to connect comes from the pool's env[] (PHP_DB_MYSQL, a PDO DSN,
 * and PHP_DB_REDIS, host:port or a unix socket's path).
 */
require __DIR__ . '/php_db_app.php';

$db = new PDO(getenv('PHP_DB_MYSQL'), 'root', '', [
    PDO::ATTR_PERSISTENT => true,
    PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION,
]);
$redis = php_db_redis(getenv('PHP_DB_REDIS'), true);
try {
    $body = php_db_handle($redis, $db);
} catch (Throwable $e) {
    http_response_code(500);
    echo $e->getMessage();
    return;
}
header('Content-Type: application/json');
echo $body;
