--TEST--
websocket: open_websocket_ping_frame / _pong_frame / _close_frame deliver ping, pong and close (a CloseFrame with code and reason) to onMessage, the handler answering the ping itself; without them a ping is answered by the server, a pong dropped and a close echoed
--FILE--
<?php
require __DIR__ . '/ws.inc';
$events = <<<'PHP'
$s->on('message', function ($s, $f) {
    echo "message opcode={$f->opcode} ", get_class($f), ' ', $f->opcode == 8 ? bin2hex($f->data) : json_encode($f->data),
         $f instanceof Swoole\WebSocket\CloseFrame ? " code={$f->code} reason={$f->reason}" : '', "\n";
    if ($f->opcode == WEBSOCKET_OPCODE_PING) {
        $s->push($f->fd, "handler: {$f->data}", WEBSOCKET_OPCODE_PONG);
    } elseif ($f->opcode == WEBSOCKET_OPCODE_TEXT) {
        $s->push($f->fd, "echo {$f->data}");
    }
});
$s->on('close', function ($s, $fd) { echo "close\n"; });
PHP;

echo "-- options on\n";
$h = server_start(ws_server_code($events, ['open_websocket_ping_frame' => true,
    'open_websocket_pong_frame' => true, 'open_websocket_close_frame' => true]));
[$c, $r] = ws_connect($h['port']);
ws_send($c, 'p1', WEBSOCKET_OPCODE_PING);
$f = ws_read($c);
echo "client got opcode {$f['opcode']} {$f['payload']}\n";
ws_send($c, 'unsolicited', WEBSOCKET_OPCODE_PONG);
ws_send($c, 'text');
$f = ws_read($c);
echo "client got opcode {$f['opcode']} {$f['payload']}\n";
ws_send($c, pack('n', 4001) . 'done', WEBSOCKET_OPCODE_CLOSE);
$f = ws_read($c);
echo "client got opcode {$f['opcode']} ", ws_close_text($f), "\n";
echo 'closed by the server: ', json_encode(ws_closed($c)), "\n";
usleep(100000);
echo ws_output($h), "\n";

echo "-- options off\n";
$h = server_start(ws_server_code($events));
[$c, $r] = ws_connect($h['port']);
ws_send($c, 'p2', WEBSOCKET_OPCODE_PING);
$f = ws_read($c);
echo "client got opcode {$f['opcode']} {$f['payload']}\n";
ws_send($c, 'unsolicited', WEBSOCKET_OPCODE_PONG);
ws_send($c, 'text');
$f = ws_read($c);
echo "client got opcode {$f['opcode']} {$f['payload']}\n";
ws_send($c, pack('n', 4002) . 'bye', WEBSOCKET_OPCODE_CLOSE);
$f = ws_read($c);
echo "client got opcode {$f['opcode']} ", ws_close_text($f), "\n";
echo 'closed by the server: ', json_encode(ws_closed($c)), "\n";
echo ws_python('ping', $h['port']), "\n";
echo ws_python('close', $h['port'], [4003, 'see you']), "\n";
usleep(100000);
echo ws_output($h), "\n";
?>
--EXPECT--
-- options on
client got opcode 10 handler: p1
client got opcode 1 echo text
client got opcode 8 4001 done
closed by the server: true
message opcode=9 Swoole\WebSocket\Frame "p1"
message opcode=10 Swoole\WebSocket\Frame "unsolicited"
message opcode=1 Swoole\WebSocket\Frame "text"
message opcode=8 Swoole\WebSocket\CloseFrame 0fa1646f6e65 code=4001 reason=done
close
-- options off
client got opcode 10 p2
client got opcode 1 echo text
client got opcode 8 4002 bye
closed by the server: true
pong received
closed: 4003 'see you'
message opcode=1 Swoole\WebSocket\Frame "text"
close
close
close
