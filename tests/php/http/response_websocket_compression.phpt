--TEST--
http: Response::upgrade() with set(['websocket_compression' => true]) accepts permessage-deflate from a client that offers it; messages come in inflated (SWOOLE_WEBSOCKET_FLAG_COMPRESS set) and go back deflated with that flag
--FILE--
<?php
require __DIR__ . '/../websocket/ws.inc';
$handler = <<<'PHP'
function ($req, $resp) {
    if (!$resp->upgrade()) return;
    while (($f = $resp->recv()) instanceof Swoole\WebSocket\Frame) {
        if ($f instanceof Swoole\WebSocket\CloseFrame) continue;
        echo "got ", strlen($f->data), " compressed=", ($f->flags & SWOOLE_WEBSOCKET_FLAG_COMPRESS) ? 1 : 0, "\n";
        $resp->push($f->data, $f->opcode, SWOOLE_WEBSOCKET_FLAG_FIN | SWOOLE_WEBSOCKET_FLAG_COMPRESS);
    }
}
PHP;
$text = str_repeat('zip me ', 100);
$h = server_start(http_server_code($handler, ['websocket_compression' => true]));
echo ws_python('compression', $h['port'], [$text]) === "extensions: permessage-deflate\nreply: text '$text'" ? "ok\n" : "bad\n";
/* raw: the 101 carries the accepted extension; a deflated frame back has RSV1 */
[$c, $r] = ws_connect($h['port'], '/', ['Sec-WebSocket-Extensions' => 'permessage-deflate; client_max_window_bits']);
echo http_headers($r, 'Sec-WebSocket-Extensions')[0] ?? 'none', "\n";
$z = gzdeflate($text, 6); /* raw deflate ending in a final block: valid per RFC 7692 */
ws_send($c, $z, 1, true, true);
$f = ws_read($c);
echo $f['rsv1'] ? 'rsv1' : 'plain', ' ', gzinflate($f['payload'] . "\x00\x00\xff\xff\x01\x00\x00\xff\xff") === $text ? 'same' : 'different', "\n";
fclose($c);
echo ws_output($h), "\n";
?>
--EXPECT--
ok
permessage-deflate
rsv1 same
got 700 compressed=1
got 700 compressed=1
