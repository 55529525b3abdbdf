--TEST--
ssl: SWOOLE_HOOK_SSL under PHP's https:// wrapper -- file_get_contents() and fopen() of https URLs in coroutines go through the hooked ssl:// transport
--SKIPIF--
<?php require __DIR__ . '/ssl.inc'; if ($r = ssl_skip_reason()) die("skip $r"); ?>
--FILE--
<?php
require __DIR__ . '/ssl.inc';

$certs = ssl_certs();
[$proc, $port] = tls_server_start('http', $certs['cert'], $certs['key']);

Swoole\Runtime::enableCoroutine(SWOOLE_HOOK_SSL);
Co\run(function () use ($port, $certs) {
    $ctx = stream_context_create(['ssl' => ['cafile' => $certs['ca'], 'peer_name' => 'localhost'],
                                  'http' => ['method' => 'POST', 'content' => 'a=1',
                                             'header' => "Content-Type: text/plain\r\n"]]);
    $j = json_decode(file_get_contents("https://127.0.0.1:$port/wrapped?x=1", false, $ctx), true);
    echo $j['method'], ' ', $j['uri'], ' ', $j['body'], "\n";
    $f = fopen("https://127.0.0.1:$port/meta", 'r', false, stream_context_create(
        ['ssl' => ['cafile' => $certs['ca'], 'peer_name' => 'localhost']]));
    $meta = stream_get_meta_data($f);
    echo $meta['wrapper_type'], ' over ', $meta['stream_type'], ' ', $meta['crypto']['protocol'] ?? 'no crypto', "\n";
    fclose($f);
    echo "-- unknown CA\n";
    var_dump(@file_get_contents("https://127.0.0.1:$port/"));
});
Swoole\Runtime::enableCoroutine(0);
tls_server_stop($proc);
?>
--EXPECT--
POST /wrapped?x=1 a=1
http over tcp_socket/coroutine TLSv1.3
-- unknown CA
bool(false)
