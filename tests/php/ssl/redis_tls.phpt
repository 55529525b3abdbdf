--TEST--
ssl: phpredis over tls:// with SWOOLE_HOOK_TLS -- 20 coroutines blocked in BLPOP 0.2 s on 20 TLS connections to redis-server finish in well under 1 s; values round-trip
--SKIPIF--
<?php
require __DIR__ . '/ssl.inc';
require __DIR__ . '/../runtime/servers.inc';
if ($r = ssl_skip_reason() ?? servers_skip_reason(['redis-server'], ['redis'])) {
    die("skip $r");
}
?>
--EXTENSIONS--
igbinary
redis
--FILE--
<?php
require __DIR__ . '/ssl.inc';
require __DIR__ . '/../runtime/servers.inc';

/* redis-server with a TLS port only, the test CA's certificate */
$certs = ssl_certs();
$port = free_port();
$log = tempnam(sys_get_temp_dir(), 'eddy-redis-tls-');
$proc = proc_start([find_binary('redis-server'), '--port', '0', '--tls-port', (string) $port,
                    '--bind', '127.0.0.1', '--tls-cert-file', $certs['cert'],
                    '--tls-key-file', $certs['key'], '--tls-ca-cert-file', $certs['ca'],
                    '--tls-auth-clients', 'no', '--save', '', '--appendonly', 'no',
                    '--daemonize', 'no'], $log);
$ctx = ['stream' => ['cafile' => $certs['ca'], 'peer_name' => 'localhost']];
wait_ready($proc, function () use ($port, $certs) {
    $c = @stream_socket_client("tls://127.0.0.1:$port", $en, $es, 0.5, STREAM_CLIENT_CONNECT,
        stream_context_create(['ssl' => ['cafile' => $certs['ca'], 'peer_name' => 'localhost']]));
    if (!$c) {
        return false;
    }
    stream_set_timeout($c, 1);
    fwrite($c, "PING\r\n");
    $ok = fgets($c) === "+PONG\r\n";
    fclose($c);
    return $ok;
}, 10, $log);

try {
    Swoole\Runtime::enableCoroutine(SWOOLE_HOOK_TLS);
    $results = [];
    $t = microtime(true);
    Co\run(function () use ($port, $ctx, &$results) {
        for ($i = 0; $i < 20; $i++) {
            go(function () use ($port, $ctx, $i, &$results) {
                $r = new Redis();
                $r->connect("tls://127.0.0.1", $port, 2.0, null, 0, 0, $ctx);
                $results[] = $r->rawCommand('BLPOP', "empty:$i", '0.2');
            });
        }
    });
    $t = microtime(true) - $t;
    echo "BLPOP over TLS: ", count($results), " timed out, ", $t < 1.0 ? "together" : "took $t s", "\n";

    Co\run(function () use ($port, $ctx) {
        $r = new Redis();
        $r->connect("tls://127.0.0.1", $port, 2.0, null, 0, 0, $ctx);
        $big = random_bytes(300000);
        $r->set('big', $big);
        var_dump($r->get('big') === $big, $r->incrBy('n', 5));
    });
} finally {
    Swoole\Runtime::enableCoroutine(0);
    proc_stop($proc);
    @unlink($log);
}
?>
--EXPECT--
BLPOP over TLS: 20 timed out, together
bool(true)
int(5)
