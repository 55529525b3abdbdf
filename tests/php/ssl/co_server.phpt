--TEST--
ssl: Swoole\Coroutine\Server($host, $port, true) -- Coroutine\Client (SWOOLE_SOCK_TCP | SWOOLE_SSL) verifying the test CA gets its data echoed (upper-cased), a silent client does not hold others up, a plain-TCP client never reaches the handler and the server goes on; start() without a certificate throws
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
    $server->set(['ssl_cert_file' => $argv[1], 'ssl_key_file' => $argv[2]]);
    $server->handle(function (Swoole\Coroutine\Server\Connection $conn) {
        echo "handler\n";
        while (($data = $conn->recv(5)) !== '' && $data !== false) {
            $conn->send(strtoupper($data)); /* per chunk: TCP has no message bounds */
        }
    });
    echo "READY {$server->port}\n";
    $server->start();
});
PHP, [$certs['cert'], $certs['key']]);
$port = $h['port'];

$silent = client($port);
$plain = client($port);
fwrite($plain, "hello in clear\n");
$got = fread($plain, 100);
echo "plain client: ", $got === '' || $got === false ? 'nothing back' : "got '$got'", "\n";
$t = microtime(true);
while (!feof($plain) && microtime(true) - $t < 5) {
    fread($plain, 100);
}
echo feof($plain) ? "closed\n" : "still open\n";
fclose($plain);

Co\run(function () use ($port, $certs) {
    $c = new Client(SWOOLE_SOCK_TCP | SWOOLE_SSL);
    $c->set(['ssl_verify_peer' => true, 'ssl_cafile' => $certs['ca'], 'ssl_host_name' => 'localhost']);
    var_dump($c->connect('127.0.0.1', $port, 3));
    foreach (['one', str_repeat('b', 20000)] as $msg) {
        $c->send($msg);
        $want = strlen($msg);
        $got = '';
        while (strlen($got) < $want && ($d = $c->recv(3)) !== '' && $d !== false) {
            $got .= $d;
        }
        echo strlen($got) > 20 ? strlen($got) : $got, "\n";
    }
    $c->close();
});
fclose($silent);
$log = server_stop($h);
/* the plain and the silent client never reached the handler: one run */
echo str_replace("READY $port\n", '', $log);

Co\run(function () {
    $server = new Swoole\Coroutine\Server('127.0.0.1', 0, true);
    $server->handle(function ($conn) {});
    try {
        $server->start();
    } catch (Swoole\Exception $e) {
        echo $e->getMessage(), "\n";
    }
});
?>
--EXPECT--
plain client: nothing back
closed
bool(true)
ONE
20000
handler
cannot start the SSL server: ssl_cert_file and ssl_key_file must be set
