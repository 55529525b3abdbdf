--TEST--
co_http: the coroutine WebSocket server with python3-websockets: echo, automatic pong, the client's close (CloseFrame, answered, then recv() returns ''), permessage-deflate with websocket_compression (a compressed push with SWOOLE_WEBSOCKET_FLAG_COMPRESS, a deflated client message inflated); a subprotocol named by the handler's header() before upgrade(); with open_websocket_ping_frame / open_websocket_pong_frame recv() returns the client's ping (unanswered) and pong frames
--FILE--
<?php
require __DIR__ . '/co_http.inc';
require __DIR__ . '/../websocket/ws.inc';
$loop = <<<'PHP'
function ($req, $ws) {
    if (!$ws->upgrade()) return;
    while (($f = $ws->recv()) !== '') {
        if ($f === false) { echo "recv false ", swoole_last_error(), "\n"; break; }
        if ($f instanceof Swoole\WebSocket\CloseFrame) { echo "close frame {$f->code} {$f->reason}\n"; continue; }
        if ($f->opcode == WEBSOCKET_OPCODE_PING || $f->opcode == WEBSOCKET_OPCODE_PONG) {
            echo "control frame {$f->opcode} '{$f->data}'\n";
            continue;
        }
        $flags = SWOOLE_WEBSOCKET_FLAG_FIN | ($f->flags & SWOOLE_WEBSOCKET_FLAG_COMPRESS);
        $ws->push($f->data, $f->opcode, $flags);
    }
    echo "peer closed ", swoole_last_error(), "\n";
}
PHP;
/* A subprotocol: the handler names it in the 101's headers, set before upgrade(). */
$sub = <<<'PHP'
$server->handle('/sub', function ($req, $ws) {
    $ws->header('Sec-WebSocket-Protocol', 'chat');
    $ws->upgrade();
    $ws->push($ws->recv()->data);
});
PHP;
foreach ([['websocket_compression' => true], ['open_websocket_ping_frame' => true,
          'open_websocket_pong_frame' => true]] as $set) {
    echo "== ", json_encode($set), "\n";
    $h = co_http_start('$server->set(' . var_export($set, true) . '); $server->handle("/", ' . $loop . ');' .
                       $sub);
    echo ws_python('connect', $h['port'], ['/chat']), "\n";
    if (isset($set['websocket_compression'])) {
        echo ws_python('compression', $h['port'], ['zip me']), "\n";
        echo ws_python('ping', $h['port']), "\n";
        echo ws_python('connect', $h['port'], ['/sub', 'superchat,chat']), "\n";
        /* raw: a deflated frame in, a deflated frame (RSV1) back */
        $text = str_repeat('compress me ', 50);
        [$c, $r] = ws_connect($h['port'], '/', ['Sec-WebSocket-Extensions' => 'permessage-deflate']);
        echo http_headers($r, 'Sec-WebSocket-Extensions')[0] ?? 'none', "\n";
        ws_send($c, gzdeflate($text, 6), 1, true, true);
        $f = ws_read($c);
        echo $f['rsv1'] ? 'rsv1' : 'plain', ' ', strlen($f['payload']) < strlen($text) ? 'smaller' : 'bigger', ' ',
             gzinflate($f['payload'] . "\x00\x00\xff\xff\x01\x00\x00\xff\xff") === $text ? 'same' : 'different', "\n";
        fclose($c);
    } else {
        [$c, $r] = ws_connect($h['port']);
        ws_send($c, "knock", 9);
        ws_send($c, "unsolicited", 10);
        ws_send($c, "after");
        $f = ws_read($c);
        echo $f['opcode'], ' ', $f['payload'], "\n"; /* no pong came before the echo */
        fclose($c);
    }
    echo ws_python('close', $h['port'], [1000, 'done']), "\n";
    usleep(300000);
    $out = explode("\n", ws_output($h));
    sort($out);
    echo implode("\n", $out), "\n";
}
?>
--EXPECT--
== {"websocket_compression":true}
connected, subprotocol: None
reply: text 'hi'
extensions: permessage-deflate
reply: text 'zip me'
pong received
connected, subprotocol: chat
reply: text 'hi'
permessage-deflate
rsv1 smaller same
closed: 1000 'done'
close frame 1000 
close frame 1000 
close frame 1000 
close frame 1000 done
peer closed 1004
peer closed 1004
peer closed 1004
peer closed 1004
peer closed 1004
== {"open_websocket_ping_frame":true,"open_websocket_pong_frame":true}
connected, subprotocol: None
reply: text 'hi'
1 after
closed: 1000 'done'
close frame 1000 
close frame 1000 done
control frame 10 'unsolicited'
control frame 9 'knock'
peer closed 1004
peer closed 1004
peer closed 1004
