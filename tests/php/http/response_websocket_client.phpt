--TEST--
http: Response::upgrade() sessions with python3-websockets, BASE and PROCESS modes: echo, automatic pong, the client's close (recv() returns the CloseFrame, the close is answered, then recv() returns ''), a client that vanishes wakes a waiting recv() with '', no permessage-deflate negotiated
--FILE--
<?php
require __DIR__ . '/../websocket/ws.inc';
$handler = <<<'PHP'
function ($req, $resp) {
    if (!$resp->upgrade()) return;
    while (($f = $resp->recv()) !== '') {
        if ($f === false) { echo "recv false ", swoole_last_error(), "\n"; break; }
        if ($f instanceof Swoole\WebSocket\CloseFrame) { echo "close frame {$f->code} {$f->reason}\n"; continue; }
        $resp->push($f->data, $f->opcode);
    }
    echo "peer closed ", swoole_last_error(), "\n";
}
PHP;
foreach (['SWOOLE_BASE', 'SWOOLE_PROCESS'] as $mode) {
    echo "== $mode\n";
    $h = server_start(http_server_code($handler, ['worker_num' => 2], $mode));
    echo ws_python('connect', $h['port'], ['/chat']), "\n";
    echo ws_python('ping', $h['port']), "\n";
    echo ws_python('close', $h['port'], [1000, 'done']), "\n";
    echo ws_python('compression', $h['port'], ['zip me']), "\n";
    [$c, $r] = ws_connect($h['port']);
    ws_send($c, "last");
    echo ws_read($c)['payload'], "\n";
    fclose($c);
    usleep(300000);
    $out = explode("\n", ws_output($h));
    sort($out);
    echo implode("\n", $out), "\n";
}
?>
--EXPECT--
== SWOOLE_BASE
connected, subprotocol: None
reply: text 'hi'
pong received
closed: 1000 'done'
extensions: None
reply: text 'zip me'
last
close frame 1000 
close frame 1000 
close frame 1000 
close frame 1000 done
peer closed 1004
peer closed 1004
peer closed 1004
peer closed 1004
peer closed 1004
== SWOOLE_PROCESS
connected, subprotocol: None
reply: text 'hi'
pong received
closed: 1000 'done'
extensions: None
reply: text 'zip me'
last
close frame 1000 
close frame 1000 
close frame 1000 
close frame 1000 done
peer closed 1004
peer closed 1004
peer closed 1004
peer closed 1004
peer closed 1004
