--TEST--
ssl: Swoole\Coroutine\Client with SWOOLE_SSL -- echo with the peer verified (ssl_cafile, ssl_host_name), framing over TLS, wrong host name and unknown CA rejected with SWOOLE_ERROR_SSL_VERIFY_FAILED, enableSSL() after a plaintext exchange, getPeerCert()
--SKIPIF--
<?php require __DIR__ . '/ssl.inc'; if ($r = ssl_skip_reason()) die("skip $r"); ?>
--FILE--
<?php
require __DIR__ . '/ssl.inc';
use Swoole\Coroutine\Client;

$certs = ssl_certs();
[$echo, $port] = tls_server_start('echo', $certs['cert'], $certs['key']);
[$plain, $pport] = tls_server_start('starttls', $certs['cert'], $certs['key']);

Co\run(function () use ($port, $pport, $certs) {
    $verify = ['ssl_verify_peer' => true, 'ssl_cafile' => $certs['ca'], 'ssl_host_name' => 'localhost'];

    $c = new Client(SWOOLE_SOCK_TCP | SWOOLE_SSL);
    $c->set($verify);
    var_dump($c->connect('127.0.0.1', $port, 2));
    $c->send("hello over tls\n");
    echo $c->recv(2);
    /* a big message crosses many TLS records */
    $big = str_repeat('x', 300000) . "\n";
    $c->send($big);
    $got = '';
    while (strlen($got) < strlen($big) && ($d = $c->recv(2)) !== '' && $d !== false) {
        $got .= $d;
    }
    echo "300 kB back: ", $got === strtoupper($big) ? 'intact' : 'damaged', "\n";
    var_dump($c->getPeerCert() === file_get_contents($certs['cert']));
    $c->close();

    echo "-- framing: one line per recv()\n";
    $c = new Client(SWOOLE_SOCK_TCP | SWOOLE_SSL);
    $c->set($verify + ['open_eof_split' => true, 'package_eof' => "\n"]);
    $c->connect('127.0.0.1', $port, 2);
    $c->send("one\ntwo\n");
    var_dump($c->recv(2), $c->recv(2));
    $c->close();

    echo "-- the certificate is not for wrong.example\n";
    $c = new Client(SWOOLE_SOCK_TCP | SWOOLE_SSL);
    $c->set(['ssl_host_name' => 'wrong.example'] + $verify);
    var_dump($c->connect('127.0.0.1', $port, 2), $c->errCode === SWOOLE_ERROR_SSL_VERIFY_FAILED, $c->errMsg,
             $c->isConnected());

    echo "-- the system's CAs do not know ours\n";
    $c = new Client(SWOOLE_SOCK_TCP | SWOOLE_SSL);
    $c->set(['ssl_verify_peer' => true]);
    var_dump($c->connect('127.0.0.1', $port, 2), $c->errCode, $c->errMsg);

    echo "-- not verifying (Swoole's default) connects\n";
    $c = new Client(SWOOLE_SOCK_TCP | SWOOLE_SSL);
    var_dump($c->connect('127.0.0.1', $port, 2));
    $c->close();

    echo "-- enableSSL() after a plaintext exchange\n";
    $c = new Client(SWOOLE_SOCK_TCP);
    $c->set($verify);
    var_dump($c->enableSSL());
    $c->connect('127.0.0.1', $pport, 2);
    $c->send("STARTTLS\n");
    echo $c->recv(2);
    var_dump($c->getPeerCert(), $c->errCode === SWOOLE_ERROR_SSL_NOT_READY);
    var_dump($c->enableSSL());
    $c->send("now secret\n");
    echo $c->recv(2);
    var_dump(@$c->enableSSL());
    $c->close();
});
tls_server_stop($echo);
tls_server_stop($plain);
?>
--EXPECT--
bool(true)
HELLO OVER TLS
300 kB back: intact
bool(true)
-- framing: one line per recv()
string(4) "ONE
"
string(4) "TWO
"
-- the certificate is not for wrong.example
bool(false)
bool(true)
string(65) "the peer certificate does not match the host name 'wrong.example'"
bool(false)
-- the system's CAs do not know ours
bool(false)
int(1014)
string(73) "certificate verify failed: code 20 unable to get local issuer certificate"
-- not verifying (Swoole's default) connects
bool(true)
-- enableSSL() after a plaintext exchange
bool(false)
GO
bool(false)
bool(true)
bool(true)
NOW SECRET
bool(false)
