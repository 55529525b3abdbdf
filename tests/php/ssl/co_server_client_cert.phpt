--TEST--
ssl: Swoole\Coroutine\Server with ssl_verify_peer and ssl_client_cert_file -- a client certificate signed by that CA gets through to the handler, a client without one never reaches it
--SKIPIF--
<?php require __DIR__ . '/ssl.inc'; if ($r = ssl_skip_reason()) die("skip $r"); ?>
--FILE--
<?php
require __DIR__ . '/ssl.inc';
require __DIR__ . '/../server_tcp/server.inc';
use Swoole\Coroutine\Client;

$certs = ssl_certs();
$h = server_start(<<<'PHP'
<?php
Swoole\Coroutine\run(function () use ($argv) {
    $server = new Swoole\Coroutine\Server('127.0.0.1', 0, true);
    $server->set(['ssl_cert_file' => $argv[1], 'ssl_key_file' => $argv[2],
                  'ssl_verify_peer' => true, 'ssl_client_cert_file' => $argv[3]]);
    $server->handle(function (Swoole\Coroutine\Server\Connection $conn) {
        echo "handler\n";
        while (($data = $conn->recv(5)) !== '' && $data !== false) {
            $conn->send(strtoupper($data));
        }
    });
    echo "READY {$server->port}\n";
    $server->start();
});
PHP, [$certs['cert'], $certs['key'], $certs['ca']]);
$port = $h['port'];

Co\run(function () use ($port, $certs) {
    $verify = ['ssl_verify_peer' => true, 'ssl_cafile' => $certs['ca'], 'ssl_host_name' => 'localhost'];
    /* the server certificate doubles as a client one: the same CA signed it */
    foreach (['without a certificate' => [],
              'with one' => ['ssl_cert_file' => $certs['cert'], 'ssl_key_file' => $certs['key']]] as $what => $mine) {
        $c = new Client(SWOOLE_SOCK_TCP | SWOOLE_SSL);
        $c->set($verify + $mine);
        /* TLS 1.3: the client may finish its side before the server refuses */
        $ok = $c->connect('127.0.0.1', $port, 3) && $c->send('hi') && $c->recv(3) === 'HI';
        echo "$what: ", $ok ? 'echoed' : 'refused', "\n";
        $c->close();
    }
});
echo str_replace("READY $port\n", '', server_stop($h));
?>
--EXPECT--
without a certificate: refused
with one: echoed
handler
