--TEST--
runtime: phpredis over a unix socket with SWOOLE_HOOK_UNIX -- 20 coroutines blocked in BLPOP 0.2 s on 20 connections finish in well under 1 s, a 300 KB value round-trips, a connection the server dropped while idle reconnects on its next command
--SKIPIF--
<?php
require __DIR__ . '/servers.inc';
if ($why = servers_skip_reason(['redis-server'], ['redis'])) {
    die("skip $why");
}
?>
--EXTENSIONS--
igbinary
redis
--FILE--
<?php
require __DIR__ . '/servers.inc';
use Swoole\Runtime;

$rs = redis_start(true);
$sock = $rs['sock'];
try {
    /* only the unix transport is hooked: a TCP stream would block */
    Runtime::enableCoroutine(SWOOLE_HOOK_UNIX);

    $results = [];
    $t = microtime(true);
    Co\run(function () use ($sock, &$results) {
        for ($i = 0; $i < 20; $i++) {
            go(function () use ($sock, $i, &$results) {
                $r = new Redis();
                $r->connect($sock);
                $results[] = $r->rawCommand('BLPOP', "empty:$i", '0.2');
            });
        }
    });
    $t = microtime(true) - $t;
    echo "BLPOP: ", count($results), " timed out (", json_encode(array_unique($results, SORT_REGULAR)),
         "), ", $t < 1.0 ? "under 1 s" : "took $t s (serial would be 4 s)", "\n";

    Co\run(function () use ($sock) {
        $r = new Redis();
        $r->connect($sock);
        $big = random_bytes(300000);
        $r->set('big', $big);
        var_dump($r->get('big') === $big);

        /* the server drops the connection; phpredis asks whether it is
         * alive before its next command (php_stream_eof), sees the hang-up
         * and connects again */
        $killer = new Redis();
        $killer->connect($sock);
        $id = $r->client('id');
        var_dump($killer->rawCommand('CLIENT', 'KILL', 'ID', (string) $id));
        Co::sleep(0.05);
        var_dump($r->get('big') === $big, $r->client('id') !== $id);
    });
} finally {
    redis_stop($rs);
}
?>
--EXPECT--
BLPOP: 20 timed out ([[]]), under 1 s
bool(true)
int(1)
bool(true)
bool(true)
