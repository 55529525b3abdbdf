--TEST--
http: SWOOLE_PROCESS mode (2 workers, default dispatch_mode 2) serves GET, POST and keep-alive; a stateless dispatch_mode is refused at start()
--FILE--
<?php
require __DIR__ . '/http.inc';
$h = server_start(http_server_code(<<<'PHP'
function ($req, $resp) {
    $resp->header('X-Worker', (string) $GLOBALS['s']->worker_id);
    $resp->end("{$req->getMethod()} {$req->server['request_uri']} " . ($req->rawContent() ?: '-'));
}
PHP, ['worker_num' => 2], 'SWOOLE_PROCESS'));
$port = $h['port'];
$r = http_get($port, '/one?x=1');
echo $r['status'], ' ', $r['body'], "\n";
$c = client($port);
fwrite($c, "POST /two HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc");
$a = http_read($c);
fwrite($c, "GET /three HTTP/1.1\r\nHost: h\r\n\r\n");
$b = http_read($c);
fclose($c);
echo $a['body'], ' | ', $b['body'], ' | same worker: ',
     json_encode(http_headers($a, 'X-Worker') == http_headers($b, 'X-Worker')), "\n";
server_stop($h);

$bad = http_server_code('function ($req, $resp) { $resp->end(); }', ['dispatch_mode' => 1], 'SWOOLE_PROCESS');
$bad = str_replace('$s->start();', 'var_dump($s->start());', $bad);
$f = tempnam(sys_get_temp_dir(), 'eddy-http-') . '.php';
file_put_contents($f, $bad);
exec(PHP_BINARY . ' -n -d extension=' . swoole_so_path() . " $f 2>&1", $out);
unlink($f);
echo preg_replace('/ in \S+ on line \d+/', '', trim(implode("\n", $out))), "\n";
?>
--EXPECTF--
200 GET /one -
POST /two abc | GET /three - | same worker: true
%Ahttp server: PROCESS mode needs dispatch_mode 2, 4 or 5 (got 1)%A
Warning: Swoole\Server::start(): cannot start the HTTP server: %s (PROCESS mode needs dispatch_mode 2, 4 or 5; %s)
bool(false)
