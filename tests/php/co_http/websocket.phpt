--TEST--
co_http: Swoole's coroutine WebSocket server (handle() + $ws->upgrade() + recv()/push() loop) with a raw RFC 6455 client: echo of text, binary and a 70000-byte message, a fragmented message with a ping between its frames (answered with a pong), the server's ping(), a recv() timeout (false, 110), isWritable() before and after close, the client's close (CloseFrame, answered with the same code, then recv() returns ''), close() without a frame, upgrade() of a request that is no handshake (400, false) next to plain requests
--FILE--
<?php
require __DIR__ . '/co_http.inc';
require __DIR__ . '/../websocket/ws.inc';
$h = co_http_start(<<<'PHP'
$server->handle('/plain', function ($req, $resp) { $resp->end('plain'); });
$server->handle('/websocket', function ($req, $ws) {
    $up = $ws->upgrade();
    echo "upgrade ", var_export($up, true), " writable ", var_export($ws->isWritable(), true), "\n";
    if (!$up) return;
    while (true) {
        $frame = $ws->recv();
        if ($frame === '') {
            echo "closed, writable ", var_export($ws->isWritable(), true), "\n";
            $ws->close();
            break;
        } else if ($frame === false) {
            echo "error ", swoole_last_error(), "\n";
            break;
        } else if ($frame instanceof Swoole\WebSocket\CloseFrame) {
            echo "close frame {$frame->code} '{$frame->reason}'\n";
            continue;
        } else if ($frame->data == 'close') {
            var_dump($ws->close());
            var_dump($ws->isWritable());
            break;
        } else if ($frame->data == 'ping') {
            $ws->push('ping ' . var_export($ws->ping(), true));
        } else if ($frame->data == 'timeout') {
            $t = microtime(true);
            $r = $ws->recv(0.2);
            $ws->push('timeout ' . var_export($r, true) . ' ' . swoole_last_error() . ' ' .
                      (microtime(true) - $t < 1 ? 'soon' : 'late'));
        } else {
            $ws->push($frame->opcode == WEBSOCKET_OPCODE_TEXT ? "Hello {$frame->data}!" : $frame->data,
                      $frame->opcode);
        }
    }
    echo "handler done\n";
});
PHP);
$port = $h['port'];
[$c, $r] = ws_connect($port, '/websocket');
echo $r['status'], "\n";
ws_send($c, "world");
echo ws_read($c)['payload'], "\n";
ws_send($c, "\x00\x01\x02", 2);
$f = ws_read($c);
echo $f['opcode'], ' ', bin2hex($f['payload']), "\n";
ws_send($c, str_repeat('a', 70000));
echo strlen(ws_read($c)['payload']), "\n";
/* one message in three frames, our ping between them */
ws_send($c, "frag1-", 1, false);
ws_send($c, "in between", 9);
ws_send($c, "frag2-", 0, false);
ws_send($c, "frag3", 0, true);
$f = ws_read($c);
echo $f['opcode'], ' ', $f['payload'], "\n";
echo ws_read($c)['payload'], "\n";
ws_send($c, "ping");
$f = ws_read($c);
echo $f['opcode'], "\n";                 /* the server's ping */
echo ws_read($c)['payload'], "\n";
ws_send($c, "timeout");
echo ws_read($c)['payload'], "\n";
ws_send($c, "still here");
echo ws_read($c)['payload'], "\n";
/* the client closes: the same code comes back, then the end */
ws_send($c, pack('n', 4001) . 'going', 8);
$f = ws_read($c);
echo $f['opcode'], ' ', ws_close_text($f), "\n";
var_dump(ws_closed($c));
/* close() without a close frame */
[$c, $r] = ws_connect($port, '/websocket');
ws_send($c, "close");
var_dump(ws_read($c));
var_dump(ws_closed($c));
/* no handshake: 400, upgrade() false; plain requests untouched */
$r = http_get($port, '/websocket');
echo $r['status'], "\n";
echo http_get($port, '/plain')['body'], "\n";
echo ws_output($h), "\n";
?>
--EXPECT--
101
Hello world!
2 000102
70007
10 in between
Hello frag1-frag2-frag3!
9
ping true
timeout false 110 soon
Hello still here!
8 4001 going
bool(true)
NULL
bool(true)
400
plain
upgrade true writable true
close frame 4001 'going'
closed, writable false
handler done
upgrade true writable true
bool(true)
bool(false)
handler done
upgrade false writable false
