--TEST--
ssl: SWOOLE_HOOK_SSL -- the stream context's ssl options: verify_peer failures give PHP's warnings and false, peer name mismatch, allow_self_signed, verify off, peer_fingerprint, capture_peer_cert, fsockopen, tls:// and tlsv1.3://
--SKIPIF--
<?php require __DIR__ . '/ssl.inc'; if ($r = ssl_skip_reason()) die("skip $r"); ?>
--FILE--
<?php
require __DIR__ . '/ssl.inc';

$certs = ssl_certs();
[$proc, $port] = tls_server_start('echo', $certs['cert'], $certs['key']);
[$self, $sport] = tls_server_start('echo', $certs['self_cert'], $certs['self_key']);

function hello(string $url, array $ssl) {
    $s = stream_socket_client($url, $errno, $errstr, 5, STREAM_CLIENT_CONNECT,
                              stream_context_create(['ssl' => $ssl]));
    if (!$s) {
        return 'false';
    }
    fwrite($s, "hello\n");
    $r = trim(fgets($s));
    fclose($s);
    return $r;
}

Swoole\Runtime::enableCoroutine(SWOOLE_HOOK_SSL | SWOOLE_HOOK_TLS);
Co\run(function () use ($port, $sport, $certs) {
    echo "-- CA given: ", hello("ssl://127.0.0.1:$port", ['cafile' => $certs['ca']]), "\n";
    echo "-- peer_name localhost: ", hello("ssl://127.0.0.1:$port",
        ['cafile' => $certs['ca'], 'peer_name' => 'localhost']), "\n";
    echo "-- the system's CAs do not know ours\n";
    echo hello("ssl://127.0.0.1:$port", []), "\n";
    echo "-- peer name mismatch\n";
    echo hello("ssl://127.0.0.1:$port", ['cafile' => $certs['ca'], 'peer_name' => 'wrong.example']), "\n";
    echo "-- self-signed\n";
    echo hello("ssl://127.0.0.1:$sport", ['peer_name' => 'localhost']), "\n";
    echo "-- self-signed, allowed: ", hello("ssl://127.0.0.1:$sport",
        ['peer_name' => 'localhost', 'allow_self_signed' => true]), "\n";
    echo "-- verification off: ", hello("ssl://127.0.0.1:$sport",
        ['verify_peer' => false, 'verify_peer_name' => false]), "\n";
    echo "-- tls:// and tlsv1.3://: ", hello("tls://127.0.0.1:$port", ['cafile' => $certs['ca']]), ' ',
        hello("tlsv1.3://127.0.0.1:$port", ['cafile' => $certs['ca']]), "\n";
    echo "-- peer_fingerprint and capture_peer_cert\n";
    $pem = file_get_contents($certs['cert']);
    echo hello("ssl://127.0.0.1:$port", ['cafile' => $certs['ca'],
        'peer_fingerprint' => ['sha256' => openssl_x509_fingerprint($pem, 'sha256')]]), "\n";
    echo hello("ssl://127.0.0.1:$port", ['cafile' => $certs['ca'],
        'peer_fingerprint' => strtoupper(openssl_x509_fingerprint($pem, 'sha1'))]), "\n";
    echo hello("ssl://127.0.0.1:$port", ['cafile' => $certs['ca'], 'peer_fingerprint' => str_repeat('0', 40)]), "\n";
    $ctx = stream_context_create(['ssl' => ['cafile' => $certs['ca'], 'capture_peer_cert' => true]]);
    $s = stream_socket_client("ssl://127.0.0.1:$port", $errno, $errstr, 5, STREAM_CLIENT_CONNECT, $ctx);
    $cert = stream_context_get_options($ctx)['ssl']['peer_certificate'];
    echo get_class($cert), ' CN=', openssl_x509_parse($cert)['subject']['CN'], "\n";
    fclose($s);

    /* fsockopen takes no context (PHP's own does not read the default
     * one either): the system's CAs, which do not know ours */
    echo "-- fsockopen\n";
    var_dump(fsockopen("ssl://127.0.0.1", $port, $errno, $errstr, 5));
});
Swoole\Runtime::enableCoroutine(0);
tls_server_stop($proc);
tls_server_stop($self);
?>
--EXPECTF--
-- CA given: HELLO
-- peer_name localhost: HELLO
-- the system's CAs do not know ours

Warning: stream_socket_client(): SSL operation failed with code 1. OpenSSL Error messages:
certificate verify failed: code 20 unable to get local issuer certificate in %s on line %d

Warning: stream_socket_client(): Failed to enable crypto in %s on line %d

Warning: stream_socket_client(): Unable to connect to ssl://127.0.0.1:%d (Unknown error) in %s on line %d
false
-- peer name mismatch

Warning: stream_socket_client(): the peer certificate does not match the host name 'wrong.example' in %s on line %d

Warning: stream_socket_client(): Failed to enable crypto in %s on line %d

Warning: stream_socket_client(): Unable to connect to ssl://127.0.0.1:%d (Unknown error) in %s on line %d
false
-- self-signed

Warning: stream_socket_client(): SSL operation failed with code 1. OpenSSL Error messages:
certificate verify failed: code 18 self-signed certificate in %s on line %d

Warning: stream_socket_client(): Failed to enable crypto in %s on line %d

Warning: stream_socket_client(): Unable to connect to ssl://127.0.0.1:%d (Unknown error) in %s on line %d
false
-- self-signed, allowed: HELLO
-- verification off: HELLO
-- tls:// and tlsv1.3://: HELLO HELLO
-- peer_fingerprint and capture_peer_cert
HELLO
HELLO

Warning: stream_socket_client(): peer_fingerprint match failure in %s on line %d

Warning: stream_socket_client(): Failed to enable crypto in %s on line %d

Warning: stream_socket_client(): Unable to connect to ssl://127.0.0.1:%d (Unknown error) in %s on line %d
false
OpenSSLCertificate CN=localhost
-- fsockopen

Warning: fsockopen(): SSL operation failed with code 1. OpenSSL Error messages:
certificate verify failed: code 20 unable to get local issuer certificate in %s on line %d

Warning: fsockopen(): Failed to enable crypto in %s on line %d

Warning: fsockopen(): Unable to connect to ssl://127.0.0.1:%d (Unknown error) in %s on line %d
bool(false)
