--TEST--
websocket: examples/websocket_server.php (BASE) with python3-websockets: welcome on open, text/binary/fragmented echo, broadcast to every established connection, plain HTTP on the same port
--FILE--
<?php
require __DIR__ . '/ws.inc';
$h = server_start(__DIR__ . '/../../../examples/websocket_server.php', ['0'], '~listening on ws://127\.0\.0\.1:(\d+)/~');
/* a plain HTTP keep-alive connection stays open meanwhile: broadcast skips it */
$plain = client($h['port']);
fwrite($plain, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
$r = http_read($plain);
echo $r['status'], ' ', $r['body'];
echo ws_python('example', $h['port']), "\n";
fwrite($plain, "GET /again HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
echo "plain connection after the broadcast: ", http_read($plain)['status'], "\n";
echo ws_output($h), "\n";
?>
--EXPECTF--
200 websocket_server: connect with a WebSocket client
a: welcome %d
echo: text 'hello'
echo: binary 76800 bytes same
fragmented: text 'frag1-frag2-frag3'
fragmented: 000102
b: welcome %d
a got: from %d: hi all
b got: from %d: hi all
plain connection after the broadcast: 200
websocket_server: listening on ws://127.0.0.1:%d/%A