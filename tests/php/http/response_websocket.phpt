--TEST--
http: Response::upgrade() turns a request into a WebSocket kept by the handler's coroutine: echo loop with recv()/push(), ping(), a recv() timeout, close from the server (CloseFrame pushed, then close()), upgrade() of a request that is no handshake returns false with a 400, close() of a plain response ends its connection
--FILE--
<?php
require __DIR__ . '/../websocket/ws.inc';
$handler = <<<'PHP'
function ($req, $resp) {
    if ($req->server['request_uri'] == '/close') { /* a plain response: the connection ends */
        var_dump($resp->recv());
        var_dump($resp->close());
        return;
    }
    if (!$resp->upgrade()) {
        echo "upgrade false\n";
        var_dump($resp->push("x"));
        return;
    }
    while (true) {
        $f = $resp->recv();
        if ($f === '') { echo "peer closed\n"; break; }
        if ($f === false) { echo "recv false ", swoole_last_error(), "\n"; break; }
        if ($f instanceof Swoole\WebSocket\CloseFrame) { echo "close frame {$f->code} {$f->reason}\n"; continue; }
        if ($f->data === 'ping') { $resp->push('ping ' . var_export($resp->ping(), true)); continue; }
        if ($f->data === 'timeout') {
            $t = microtime(true);
            $r = $resp->recv(0.2);
            $resp->push('timeout ' . var_export($r, true) . ' ' . swoole_last_error() . ' ' .
                        (microtime(true) - $t < 1 ? 'soon' : 'late'));
            continue;
        }
        if ($f->data === 'bye') {
            $resp->push(new Swoole\WebSocket\CloseFrame(), WEBSOCKET_OPCODE_CLOSE);
            var_dump($resp->close());
            break;
        }
        $resp->push($f->data, $f->opcode);
    }
    echo "handler done\n";
}
PHP;
$h = server_start(http_server_code($handler));
[$c, $r] = ws_connect($h['port']);
echo $r['status'], "\n";
ws_send($c, "hello");
echo ws_read($c)['payload'], "\n";
ws_send($c, "\x00\x01\x02", 2);
$f = ws_read($c);
echo $f['opcode'], ' ', bin2hex($f['payload']), "\n";
ws_send($c, str_repeat('a', 70000));
echo strlen(ws_read($c)['payload']), "\n";
ws_send($c, "ping");
$f = ws_read($c);
echo $f['opcode'], "\n";                 /* the server's ping */
echo ws_read($c)['payload'], "\n";
ws_send($c, "are you there", 9);         /* our ping: answered with a pong */
$f = ws_read($c);
echo $f['opcode'], ' ', $f['payload'], "\n";
ws_send($c, "timeout");
echo ws_read($c)['payload'], "\n";
ws_send($c, "still here");
echo ws_read($c)['payload'], "\n";
ws_send($c, "bye");
$f = ws_read($c);
echo $f['opcode'], ' ', ws_close_text($f), "\n";
var_dump(ws_closed($c));
/* no handshake: 400, upgrade() false */
$r = http_get($h['port'], '/plain');
echo $r['status'], "\n";
/* close() of a plain response: no response at all */
var_dump(http_get($h['port'], '/close'));
echo ws_output($h), "\n";
?>
--EXPECTF--
101
hello
2 000102
70000
9
ping true
10 are you there
timeout false 110 soon
still here
8 1000 
bool(true)
400
NULL
bool(true)
handler done
upgrade false

Warning: Swoole\Http\Response::push(): fd[%d] is not a websocket conncetion
bool(false)

Warning: Swoole\Http\Response::recv(): fd[%d] is not a websocket conncetion
bool(false)
bool(true)
