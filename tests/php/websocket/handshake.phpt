--TEST--
websocket: on('handshake') accepts with the 101 it builds (Swoole's documented callback; onOpen then not fired) and refuses with 403; without the callback, a bad version gets 426 and a request without a key 400
--FILE--
<?php
require __DIR__ . '/ws.inc';
$h = server_start(ws_server_code(<<<'PHP'
$s->on('handshake', function (Swoole\Http\Request $req, Swoole\Http\Response $resp) {
    echo "handshake for {$req->server['request_uri']} from fd {$req->fd}\n";
    if ($req->server['request_uri'] !== '/ok') {
        $resp->status(403);
        $resp->end('forbidden');
        return false;
    }
    $key = $req->header['sec-websocket-key'];
    $resp->header('Upgrade', 'websocket');
    $resp->header('Connection', 'Upgrade');
    $resp->header('Sec-WebSocket-Accept', base64_encode(sha1($key . '258EAFA5-E914-47DA-95CA-C5AB0DC85B11', true)));
    $resp->header('Sec-WebSocket-Version', '13');
    $resp->header('X-Checked', 'by the callback');
    $resp->status(101);
    $resp->end();
    return true;
});
$s->on('open', function ($s, $req) { echo "open fired\n"; });
$s->on('message', function ($s, $frame) {
    $s->push($frame->fd, "echo {$frame->data} established=" . json_encode($s->isEstablished($frame->fd)));
});
PHP));
$port = $h['port'];

[$c, $r] = ws_connect($port, '/ok');
echo $r['status'], ' ', http_headers($r, 'X-Checked')[0], "\n";
ws_send($c, 'one');
echo ws_read($c)['payload'], "\n";
fclose($c);

[$c, $r] = ws_connect($port, '/nope');
$body = http_read_n($c, (int) http_headers($r, 'Content-Length')[0]);
echo $r['status'], ' ', $body, "\n";
fclose($c);

echo ws_python('connect', $port, ['/ok']), "\n";
echo ws_python('connect', $port, ['/nope']), "\n";
echo ws_output($h), "\n";

/* the server's own handshake checks */
$h = server_start(ws_server_code(<<<'PHP'
$s->on('message', function ($s, $frame) { $s->push($frame->fd, $frame->data); });
PHP));
[$c, $r] = ws_connect($h['port'], '/', ['Sec-WebSocket-Version' => '12']);
echo $r['status'], ' ', http_headers($r, 'Sec-WebSocket-Version')[0] ?? '-', "\n";
fclose($c);
$r = http_request($h['port'], "GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n", true);
echo $r['status'], "\n";
$r = http_get($h['port'], '/plain');
echo "plain request without on('request'): ", $r['status'], "\n";
echo ws_output($h), "\n";
?>
--EXPECTF--
101 by the callback
echo one established=true
403 forbidden
connected, subprotocol: None
reply: text 'echo hi established=true'
refused: 403
handshake for /ok from fd %d
handshake for /nope from fd %d
handshake for /ok from fd %d
handshake for /nope from fd %d
426 13
400
plain request without on('request'): 400
