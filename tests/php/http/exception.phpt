--TEST--
http: an uncaught exception in the request handler is reported, the worker is restarted and the server keeps serving
--FILE--
<?php
require __DIR__ . '/http.inc';
$h = server_start(http_server_code(<<<'PHP'
function ($req, $resp) {
    if ($req->server['request_uri'] == '/boom') {
        throw new RuntimeException('handler failed');
    }
    $resp->end('fine');
}
PHP));
$port = $h['port'];
$r = http_get($port, '/boom');
echo $r === null ? "no response for /boom\n" : "status {$r['status']}\n";
$ok = null;
$deadline = microtime(true) + 5;
while (microtime(true) < $deadline) {  /* the restarted worker takes over */
    $c = @stream_socket_client("tcp://127.0.0.1:$port", $e, $s, 1);
    if ($c) {
        stream_set_timeout($c, 2);
        fwrite($c, "GET /ok HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
        $ok = http_read($c);
        fclose($c);
        if ($ok) break;
    }
    usleep(50000);
}
echo $ok ? "after: {$ok['status']} {$ok['body']}\n" : "not served again\n";
$out = server_stop($h);
echo preg_match("/Uncaught RuntimeException: handler failed/", $out) ? "reported\n" : $out;
?>
--EXPECT--
no response for /boom
after: 200 fine
reported
