--TEST--
http: malformed requests are answered by the engine (400, 505) with Connection: close and never reach the handler
--FILE--
<?php
require __DIR__ . '/http.inc';
$h = server_start(http_server_code(<<<'PHP'
function ($req, $resp) {
    echo "handler: {$req->server['request_uri']}\n";
    $resp->end('ok');
}
PHP));
$port = $h['port'];
foreach (["GARBAGE\r\n\r\n", "GET / HTTP/1.1\r\n\r\n" /* no Host */,
          "GET /x HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
          "GET / HTTP/2.0\r\nHost: h\r\n\r\n"] as $raw) {
    $r = http_request($port, $raw);
    echo $r ? $r['status'] . ' ' . implode(',', http_headers($r, 'connection')) : 'no response', "\n";
}
$r = http_get($port, '/good');
echo $r['status'], ' ', $r['body'], "\n";
$out = server_stop($h);
echo trim(preg_replace('/^READY.*\n/m', '', $out)), "\n";
?>
--EXPECT--
400 close
400 close
400 close
505 close
200 ok
handler: /good
