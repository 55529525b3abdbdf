--TEST--
http: $request->server remote_addr/remote_port/server_port are each connection's own, over keep-alive and reused fds; a user onConnect still fires
--FILE--
<?php
require __DIR__ . '/http.inc';
$h = server_start(http_server_code(<<<'PHP'
function ($req, $resp) {
    $s = $req->server;
    $resp->end("{$s['remote_addr']} {$s['remote_port']} {$s['server_port']}");
}
PHP, [], 'SWOOLE_BASE', '$s->on("connect", function ($s, $fd) { echo "connect\n"; });'));
$port = $h['port'];
$ok = 0;
for ($i = 0; $i < 20; $i++) {   /* closed one by one: the worker reuses the same fd */
    $c = client($port);
    $me = stream_socket_get_name($c, false);
    for ($k = 0; $k < 2; $k++) { /* keep-alive */
        fwrite($c, "GET / HTTP/1.1\r\nHost: h\r\n\r\n");
        $r = http_read($c);
        $ok += $r['body'] === str_replace(':', ' ', $me) . " $port";
    }
    fclose($c);
}
echo "$ok of 40 right\n";
$out = server_stop($h);
echo substr_count($out, "connect\n"), " connects\n";
?>
--EXPECT--
40 of 40 right
20 connects
