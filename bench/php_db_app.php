<?php
/*
 * The request handler of bench/php_db.sh, one body for both stacks: the
 * eddy server (php_db_eddy.php) calls it with connections from its
 * coroutine pool, php-fpm (php_db_fpm.php) with its persistent ones.
 *
 * One Redis GET and one MySQL primary-key SELECT per request, on a random
 * row of bench.items (id 1..PHP_DB_ROWS) and its Redis key item:<id>, both
 * made by php_db.sh. PDO keeps its default of emulated prepares, so the
 * SELECT is one round trip, as the GET is. A missing row or key throws:
 * the caller answers 500, which php_db.sh counts as a failed run.
 */
const PHP_DB_ROWS = 1000;

/*
 * A Redis connection to $addr: "host:port" over TCP, or the path of a unix
 * socket ("/..."). $persistent: pconnect() (php-fpm), else connect().
 */
function php_db_redis(string $addr, bool $persistent): Redis
{
    $redis = new Redis();
    $connect = $persistent ? 'pconnect' : 'connect';
    if ($addr[0] === '/') {
        $redis->$connect($addr, 0, 2.0);
    } else {
        [$host, $port] = explode(':', $addr);
        $redis->$connect($host, (int) $port, 2.0);
    }
    return $redis;
}

function php_db_handle(Redis $redis, PDO $db): string
{
    $id = mt_rand(1, PHP_DB_ROWS);
    $tag = $redis->get("item:$id");
    $st = $db->prepare('SELECT id, name FROM bench.items WHERE id = ?');
    $st->execute([$id]);
    $row = $st->fetch(PDO::FETCH_ASSOC);
    if ($tag === false || $row === false) {
        throw new RuntimeException("item $id missing (tag " . var_export($tag, true) . ')');
    }
    return json_encode(['id' => (int) $row['id'], 'name' => $row['name'], 'tag' => $tag]);
}
