--TEST--
ssl: stream_socket_enable_crypto() on hooked tcp streams (STARTTLS after a plaintext exchange, two at once, a bad peer name refused), and an ssl:// server accepting in a coroutine
--SKIPIF--
<?php require __DIR__ . '/ssl.inc'; if ($r = ssl_skip_reason()) die("skip $r"); ?>
--FILE--
<?php
require __DIR__ . '/ssl.inc';

$certs = ssl_certs();
[$proc, $port] = tls_server_start('starttls', $certs['cert'], $certs['key']);

/* plain text first, then TLS on the same connection */
function starttls(int $port, array $ssl, string $line) {
    $s = stream_socket_client("tcp://127.0.0.1:$port", $errno, $errstr, 5, STREAM_CLIENT_CONNECT,
                              stream_context_create(['ssl' => $ssl]));
    fwrite($s, "STARTTLS\n");
    $go = fgets($s);
    $ok = stream_socket_enable_crypto($s, true, STREAM_CRYPTO_METHOD_TLS_CLIENT);
    if (!$ok) {
        return [$go, false];
    }
    fwrite($s, "$line\n");
    $r = [$go, trim(fgets($s)), stream_get_meta_data($s)];
    fclose($s);
    return $r;
}

Swoole\Runtime::enableCoroutine(SWOOLE_HOOK_TCP);
Co\run(function () use ($port, $certs) {
    $ssl = ['cafile' => $certs['ca'], 'peer_name' => 'localhost'];
    $res = [];
    $ticks = 0;
    go(function () use (&$ticks, &$res) {
        while (count($res) < 2) {
            $ticks++;
            Co::sleep(0.001);
        }
    });
    foreach ([0, 1] as $i) {
        go(function () use ($i, $port, $ssl, &$res) {
            $res[$i] = starttls($port, $ssl, "secret $i");
        });
    }
    while (count($res) < 2) {
        Co::sleep(0.01);
    }
    echo $res[0][0], $res[0][1], ' / ', $res[1][1], "\n";
    echo $res[0][2]['stream_type'], ' ', $res[0][2]['crypto']['protocol'], "\n";
    echo "the loop ran meanwhile: ", $ticks > 1 ? 'yes' : 'no', "\n";

    echo "-- a peer name the certificate does not carry\n";
    var_dump(starttls($port, ['cafile' => $certs['ca'], 'peer_name' => 'wrong.example'], 'x')[1]);
});

echo "-- an ssl:// server in a coroutine, a client in another\n";
Swoole\Runtime::enableCoroutine(SWOOLE_HOOK_SSL);
Co\run(function () use ($certs) {
    $srv = stream_socket_server('ssl://127.0.0.1:0', $errno, $errstr,
        STREAM_SERVER_BIND | STREAM_SERVER_LISTEN,
        stream_context_create(['ssl' => ['local_cert' => $certs['cert'], 'local_pk' => $certs['key']]]));
    $addr = stream_socket_get_name($srv, false);
    go(function () use ($srv) {
        $conn = stream_socket_accept($srv, 5);
        fwrite($conn, strrev(trim(fgets($conn))) . "\n");
        fclose($conn);
    });
    $c = stream_socket_client("ssl://$addr", $errno, $errstr, 5, STREAM_CLIENT_CONNECT,
        stream_context_create(['ssl' => ['cafile' => $certs['ca'], 'peer_name' => 'localhost']]));
    fwrite($c, "abc\n");
    echo fgets($c);
    fclose($c);
    fclose($srv);
});
Swoole\Runtime::enableCoroutine(0);
tls_server_stop($proc);
?>
--EXPECTF--
GO
SECRET 0 / SECRET 1
tcp_socket/coroutine TLSv1.3
the loop ran meanwhile: yes
-- a peer name the certificate does not carry

Warning: stream_socket_enable_crypto(): the peer certificate does not match the host name 'wrong.example' in %s on line %d
bool(false)
-- an ssl:// server in a coroutine, a client in another
cba
