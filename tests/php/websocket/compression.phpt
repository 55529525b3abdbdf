--TEST--
websocket: websocket_compression negotiates permessage-deflate with python3-websockets and a raw client; a deflated message arrives inflated with SWOOLE_WEBSOCKET_FLAG_COMPRESS, a push with that flag goes out deflated (RSV1); websocket_subprotocol is chosen from the client's offer; without the option nothing is negotiated
--FILE--
<?php
require __DIR__ . '/ws.inc';
$events = <<<'PHP'
$s->on('message', function ($s, $f) {
    $s->push($f->fd, "flags={$f->flags} " . $f->data, WEBSOCKET_OPCODE_TEXT,
             SWOOLE_WEBSOCKET_FLAG_FIN | SWOOLE_WEBSOCKET_FLAG_COMPRESS);
});
PHP;
$text = str_repeat('abcdefgh', 500);

$h = server_start(ws_server_code($events, ['websocket_compression' => true, 'websocket_subprotocol' => 'chat']));
$out = ws_python('compression', $h['port'], [$text]);
echo preg_replace('/abc[a-h]*/', '<4000 bytes>', $out), "\n";
echo ws_python('connect', $h['port'], ['/', 'other,chat']), "\n";

/* raw client: a deflated message in two fragments (RSV1 on the first only) */
[$c, $r] = ws_connect($h['port'], '/', ['Sec-WebSocket-Extensions' => 'permessage-deflate; client_max_window_bits']);
echo $r['status'], ' ', http_headers($r, 'Sec-WebSocket-Extensions')[0], "\n";
$z = deflate_add(deflate_init(ZLIB_ENCODING_RAW), $text, ZLIB_SYNC_FLUSH);
$z = substr($z, 0, -4); /* RFC 7692 7.2.1: the 00 00 ff ff tail is dropped */
ws_send($c, substr($z, 0, 10), WEBSOCKET_OPCODE_TEXT, false, true);
ws_send($c, substr($z, 10), WEBSOCKET_OPCODE_CONTINUATION);
$f = ws_read($c);
$plain = inflate_add(inflate_init(ZLIB_ENCODING_RAW), $f['payload'] . "\x00\x00\xff\xff", ZLIB_SYNC_FLUSH);
echo 'reply rsv1: ', json_encode($f['rsv1']), ' bytes on the wire: ', strlen($f['payload']) < 200 ? '< 200' : strlen($f['payload']),
     ' inflated: ', $plain === "flags=3 $text" ? 'flags=3 + the text' : json_encode(substr($plain, 0, 40)), "\n";
fclose($c);
server_stop($h);

$h = server_start(ws_server_code($events));
$out = ws_python('compression', $h['port'], ['short']);
echo $out, "\n";
server_stop($h);
?>
--EXPECTF--
extensions: permessage-deflate%S
reply: text 'flags=3 <4000 bytes>'
connected, subprotocol: chat
reply: text 'flags=1 hi'
101 permessage-deflate%S
reply rsv1: true bytes on the wire: < 200 inflated: flags=3 + the text
extensions: None
reply: text 'flags=1 short'
