--TEST--
co_http: malformed requests get 400 (oversized body 413, head 431) with Connection: close and never reach the handler; package_max_length from set()
--FILE--
<?php
require __DIR__ . '/co_http.inc';
$h = co_http_start(<<<'PHP'
var_dump($server->set(['package_max_length' => 100, 'http_compression' => false]));
echo json_encode($server->settings), "\n";
$server->handle('/', function ($req, $resp) {
    echo "handler: {$req->server['request_uri']}\n";
    $resp->end(str_repeat('x', 100));
});
PHP);
$port = $h['port'];
foreach (["GARBAGE\r\n\r\n", "GET / HTTP/1.1\r\n\r\n" /* no Host */,
          "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 101\r\n\r\n",
          "GET / HTTP/1.1\r\nHost: h\r\nX-Big: " . str_repeat('a', 10000) . "\r\n\r\n"] as $raw) {
    $c = client($port);
    fwrite($c, $raw);
    $r = http_read($c);
    echo $r ? $r['status'] . ' ' . implode(',', http_headers($r, 'connection')) : 'no response';
    echo feof($c) || fread($c, 1) === '' ? " closed\n" : " open\n";
    fclose($c);
}
$r = http_get($port, '/good', ['Accept-Encoding' => 'gzip']);
echo $r['status'], ' ', strlen($r['body']), ' ', implode(',', http_headers($r, 'content-encoding')), "\n";
echo server_stop($h);
?>
--EXPECTF--
400 close closed
400 close closed
413 close closed
431 close closed
200 100 
bool(true)
{"package_max_length":100,"http_compression":false}
READY %d
handler: /good
