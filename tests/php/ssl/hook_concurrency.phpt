--TEST--
ssl: SWOOLE_HOOK_SSL -- 20 coroutines each doing an ssl:// request to a server that answers after 0.2 s finish together; with the hook off they queue; outside a coroutine the stream is PHP's own
--SKIPIF--
<?php require __DIR__ . '/ssl.inc'; if ($r = ssl_skip_reason()) die("skip $r"); ?>
--FILE--
<?php
require __DIR__ . '/ssl.inc';
use Swoole\Runtime;

$certs = ssl_certs();
[$proc, $port] = tls_server_start('slow', $certs['cert'], $certs['key']);
$opts = ['ssl' => ['cafile' => $certs['ca']]];

/* one request: [reply, meta data] or the error */
function ask(int $port, array $opts) {
    $s = stream_socket_client("ssl://127.0.0.1:$port", $errno, $errstr, 5,
                              STREAM_CLIENT_CONNECT, stream_context_create($opts));
    if (!$s) {
        return "connect failed: $errstr";
    }
    fwrite($s, "ping\n");
    $reply = fgets($s);
    $meta = stream_get_meta_data($s);
    fclose($s);
    return [$reply, $meta];
}

function burst(int $n, int $port, array $opts): array {
    $res = [];
    $t = microtime(true);
    Co\run(function () use ($n, $port, $opts, &$res) {
        for ($i = 0; $i < $n; $i++) {
            go(function () use ($i, $port, $opts, &$res) {
                $res[$i] = ask($port, $opts);
            });
        }
    });
    $pongs = count(array_filter($res, fn ($r) => is_array($r) && $r[0] === "pong\n"));
    return [$pongs, microtime(true) - $t, $res];
}

/* One after the other, 20 answers take 4 s at least; together, 0.2 s
 * plus the handshakes (about 0.5 s on this 2-core machine under others'
 * benchmarks). */
Runtime::enableCoroutine(SWOOLE_HOOK_SSL);
[$pongs, $took, $res] = burst(20, $port, $opts);
echo "hook on: $pongs pongs, ", $took < 1.0 ? "together" : "queued ($took s)", "\n";
echo $res[0][1]['stream_type'], ' ', $res[0][1]['crypto']['protocol'], "\n";

Runtime::enableCoroutine(0);
[$pongs, $took] = burst(5, $port, $opts);
echo "hook off: $pongs pongs, ", $took >= 1.0 ? "queued" : "together ($took s)", "\n";

/* outside a coroutine the hooked transport hands over to PHP's */
Runtime::enableCoroutine(SWOOLE_HOOK_SSL);
$r = ask($port, $opts);
echo "outside: ", $r[0] === "pong\n" ? 'pong' : 'no pong', ' ', $r[1]['stream_type'], "\n";
Runtime::enableCoroutine(0);
tls_server_stop($proc);
?>
--EXPECT--
hook on: 20 pongs, together
tcp_socket/coroutine TLSv1.3
hook off: 5 pongs, queued
outside: pong tcp_socket/ssl
