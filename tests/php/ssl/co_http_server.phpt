--TEST--
ssl: Swoole\Coroutine\Http\Server($host, $port, true) serves HTTPS -- curl verifying the test CA (GET then POST on one keep-alive connection), WebSocket over TLS with Coroutine\Http\Client (wss), a client that connects and sends nothing does not hold others up, a plain-HTTP client is closed and the server goes on; start() without a certificate or with an unreadable one throws
--SKIPIF--
<?php
require __DIR__ . '/ssl.inc';
if ($r = ssl_skip_reason()) die("skip $r");
if (!is_executable('/usr/bin/curl')) die('skip curl is not installed');
?>
--FILE--
<?php
require __DIR__ . '/ssl.inc';
require __DIR__ . '/../server_tcp/server.inc';
use Swoole\Coroutine\Http\Client;

$certs = ssl_certs();
$h = server_start(<<<'PHP'
<?php
Swoole\Coroutine\run(function () use ($argv) {
    $server = new Swoole\Coroutine\Http\Server('127.0.0.1', 0, true);
    $server->set(['ssl_cert_file' => $argv[1], 'ssl_key_file' => $argv[2]]);
    $server->handle('/', function ($req, $resp) {
        $resp->end(json_encode([$req->getMethod(), $req->server['request_uri'],
                                (string) $req->rawContent(), $req->server['remote_port']]));
    });
    $server->handle('/ws', function ($req, $ws) {
        if (!$ws->upgrade()) return;
        while (($f = $ws->recv(5)) && !($f instanceof Swoole\WebSocket\CloseFrame)) {
            $ws->push("echo {$f->data}");
        }
    });
    echo "READY {$server->port}\n";
    $server->start();
});
PHP, [$certs['cert'], $certs['key']]);
$port = $h['port'];
$url = "https://localhost:$port";
$opts = "-s -m 5 --cacert " . escapeshellarg($certs['ca']) . " --resolve localhost:$port:127.0.0.1";
$curl = "curl $opts";

echo "-- GET then POST on one connection\n";
/* --next starts over with the options, the connection pool stays */
$w = "-w ' connects=%{num_connects}\\n'";
$out = shell_exec("$curl $w $url/get?a=1 --next $opts $w -d posted $url/post");
$lines = explode("\n", trim($out));
echo count($lines), " responses\n";
$a = json_decode(explode(' connects=', $lines[0])[0], true);
$b = json_decode(explode(' connects=', $lines[1])[0], true);
echo "$a[0] $a[1] '$a[2]' connects=", explode(' connects=', $lines[0])[1], "\n";
echo "$b[0] $b[1] '$b[2]' connects=", explode(' connects=', $lines[1])[1], "\n";
echo $a[3] === $b[3] ? "same client port\n" : "different ports $a[3] $b[3]\n";

echo "-- a silent client does not block others\n";
$silent = client($port);
$t = microtime(true);
echo shell_exec("$curl $url/while-silent"), "\n";
echo microtime(true) - $t < 3 ? "in time\n" : "late\n";

echo "-- plain HTTP to the TLS port\n";
$plain = client($port);
fwrite($plain, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
$got = fread($plain, 4096);
echo strpos((string) $got, 'HTTP/1.1') === false ? "no HTTP answer\n" : "HTTP answer: $got\n";
$t = microtime(true);
while (!feof($plain) && microtime(true) - $t < 5) {
    fread($plain, 4096);
}
echo feof($plain) ? "closed\n" : "still open\n";
fclose($plain);
echo shell_exec("$curl $url/after-plain"), "\n";

echo "-- wss\n";
Co\run(function () use ($port, $certs) {
    $c = new Client('127.0.0.1', $port, true);
    $c->set(['ssl_verify_peer' => true, 'ssl_cafile' => $certs['ca'], 'ssl_host_name' => 'localhost']);
    var_dump($c->upgrade('/ws'), $c->statusCode);
    $c->push('hello');
    var_dump($c->recv(2)->data);
    $c->push(str_repeat('x', 100000));
    var_dump(strlen($c->recv(2)->data));
    $c->close();
});
fclose($silent);
$log = server_stop($h);
echo trim($log) === "READY $port" ? "server log clean\n" : "server log:\n$log\n";

echo "-- certificate errors at start()\n";
Co\run(function () use ($certs) {
    foreach ([[], ['ssl_cert_file' => '/nonexistent.pem', 'ssl_key_file' => $certs['key']]] as $set) {
        $server = new Swoole\Coroutine\Http\Server('127.0.0.1', 0, true);
        $server->set($set);
        $server->handle('/', function ($req, $resp) { $resp->end('x'); });
        try {
            $server->start();
            echo "started?\n";
        } catch (Swoole\Exception $e) {
            echo get_class($e), ': ', $e->getMessage(), ' ', $server->errCode === SWOOLE_ERROR_SSL_BAD_PROTOCOL ? 'bad protocol' : $server->errCode, "\n";
        }
    }
});
?>
--EXPECTF--
-- GET then POST on one connection
2 responses
GET /get '' connects=1
POST /post 'posted' connects=0
same client port
-- a silent client does not block others
["GET","\/while-silent","",%d]
in time
-- plain HTTP to the TLS port
no HTTP answer
closed
["GET","\/after-plain","",%d]
-- wss
bool(true)
int(101)
string(10) "echo hello"
int(100005)
server log clean
-- certificate errors at start()
Swoole\Exception: cannot start the SSL server: ssl_cert_file and ssl_key_file must be set bad protocol
Swoole\Exception: cannot start the SSL server: %s bad protocol
