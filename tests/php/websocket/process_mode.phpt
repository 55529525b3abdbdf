--TEST--
websocket: examples/websocket_server.php in SWOOLE_PROCESS mode with 2 workers: echo, fragments, and a broadcast over $server->connections (every connection of the server in PROCESS mode) reaching clients whichever worker serves them
--FILE--
<?php
require __DIR__ . '/ws.inc';
$h = server_start(__DIR__ . '/../../../examples/websocket_server.php', ['0', '2', 'process'], '~listening on ws://127\.0\.0\.1:(\d+)/~');
echo ws_python('example', $h['port']), "\n";
echo http_get($h['port'], '/')['status'], "\n";
server_stop($h);
?>
--EXPECTF--
a: welcome %d
echo: text 'hello'
echo: binary 76800 bytes same
fragmented: text 'frag1-frag2-frag3'
fragmented: 000102
b: welcome %d
a got: from %d: hi all
b got: from %d: hi all
200
