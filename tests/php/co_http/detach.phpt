--TEST--
co_http: Response::detach() on a Coroutine\Http\Server's response warns and returns false (its connection has no session id another process could answer by), the response stays usable; create() there finds no running server; trailer() works as on Http\Server
--FILE--
<?php
require __DIR__ . '/co_http.inc';
$h = co_http_start(<<<'PHP'
$server->handle('/', function ($req, $resp) {
    $d = $resp->detach();
    $c = Swoole\Http\Response::create($resp->fd);
    $resp->trailer('x-t', '1');
    $resp->end(json_encode([$d, $c]));
});
PHP);
$c = client($h['port']);
fwrite($c, "GET / HTTP/1.1\r\nHost: h\r\n\r\n");
$raw = '';
while (!str_ends_with($raw, "\r\n0\r\nx-t: 1\r\n\r\n") && ($l = fgets($c)) !== false) $raw .= $l;
echo json_encode(substr($raw, strpos($raw, "\r\n\r\n"))), "\n";
fclose($c);
echo preg_replace('/ in \S+ on line \d+/', '', server_stop($h));
?>
--EXPECTF--
"\r\n\r\nd\r\n[false,false]\r\n0\r\nx-t: 1\r\n\r\n"
READY %d

Warning: Swoole\Http\Response::detach(): detach() needs a server whose connections have session ids (Swoole\Http\Server, Swoole\WebSocket\Server), not Swoole\Coroutine\Http\Server

Warning: Swoole\Http\Response::create(): server is not running
