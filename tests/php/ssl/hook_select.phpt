--TEST--
ssl: stream_select() on a hooked TLS stream sees the plaintext TLS already holds (the fd shows nothing), with and without SWOOLE_HOOK_STREAM_FUNCTION
--SKIPIF--
<?php require __DIR__ . '/ssl.inc'; if ($r = ssl_skip_reason()) die("skip $r"); ?>
--FILE--
<?php
require __DIR__ . '/ssl.inc';

$certs = ssl_certs();
[$proc, $port] = tls_server_start('echo', $certs['cert'], $certs['key']);

foreach ([SWOOLE_HOOK_SSL, SWOOLE_HOOK_SSL | SWOOLE_HOOK_STREAM_FUNCTION] as $flags) {
    Swoole\Runtime::enableCoroutine($flags);
    Co\run(function () use ($port, $certs) {
        $s = stream_socket_client("ssl://127.0.0.1:$port", $errno, $errstr, 5, STREAM_CLIENT_CONNECT,
                                  stream_context_create(['ssl' => ['cafile' => $certs['ca']]]));
        /* 10001 bytes come back in one TLS record; reading 8192 of them
         * leaves the rest inside TLS, nothing on the socket */
        fwrite($s, str_repeat('a', 10000) . "\n");
        $first = fread($s, 8192);
        $r = [$s];
        $w = $e = null;
        $t = microtime(true);
        $n = stream_select($r, $w, $e, 2);
        $waited = microtime(true) - $t;
        $rest = '';
        while (strlen($rest) < 1809) {
            $rest .= fread($s, 1809 - strlen($rest));
        }
        echo strlen($first), ' + ', strlen($rest), ": select said $n ",
             $waited < 1 ? 'at once' : "after $waited s", "\n";
        fclose($s);
    });
}
Swoole\Runtime::enableCoroutine(0);
tls_server_stop($proc);
?>
--EXPECT--
8192 + 1809: select said 1 at once
8192 + 1809: select said 1 at once
