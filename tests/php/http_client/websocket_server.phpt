--TEST--
http_client: upgrade() to a Swoole\WebSocket\Server (child process) with websocket_compression; recv() gives Swoole\WebSocket\Frame / CloseFrame; a compressed 64 KiB message round-trips; the server's disconnect() arrives as a close
--FILE--
<?php
require __DIR__ . '/../websocket/ws.inc';
use Swoole\Coroutine\Http\Client;
$h = server_start(ws_server_code(<<<'PHP'
$s->on('message', function ($s, $frame) {
    if ($frame->data === 'bye') {
        $s->disconnect($frame->fd, 4002, 'see you');
        return;
    }
    $s->push($frame->fd, $frame->data, $frame->opcode, SWOOLE_WEBSOCKET_FLAG_FIN | ($frame->flags & SWOOLE_WEBSOCKET_FLAG_COMPRESS));
});
PHP, ['websocket_compression' => true]));
Co\run(function () use ($h) {
    $c = new Client('127.0.0.1', $h['port']);
    $c->set(['websocket_compression' => true, 'timeout' => 5]);
    var_dump($c->upgrade('/'), $c->statusCode, str_contains($c->headers['sec-websocket-extensions'] ?? '', 'permessage-deflate'));
    var_dump($c->push('hi there'));
    $f = $c->recv(3);
    var_dump(get_class($f), $f->data, $f->opcode, $f->finish);
    $big = str_repeat('0123456789abcdef', 4096);
    var_dump($c->push($big, SWOOLE_WEBSOCKET_OPCODE_BINARY, SWOOLE_WEBSOCKET_FLAG_FIN | SWOOLE_WEBSOCKET_FLAG_COMPRESS));
    $f = $c->recv(3);
    var_dump($f->data === $big, $f->opcode, ($f->flags & SWOOLE_WEBSOCKET_FLAG_COMPRESS) != 0);
    /* a Frame object can be pushed too */
    $out = new Swoole\WebSocket\Frame();
    $out->data = 'from a frame';
    var_dump($c->push($out), $c->recv(3)->data);
    var_dump($c->push('bye'));
    $f = $c->recv(3);
    var_dump(get_class($f), $f->code, $f->reason);
    var_dump($c->connected, $c->recv(0.2));
});
server_stop($h);
echo "done\n";
?>
--EXPECT--
bool(true)
int(101)
bool(true)
bool(true)
string(22) "Swoole\WebSocket\Frame"
string(8) "hi there"
int(1)
bool(true)
bool(true)
bool(true)
int(2)
bool(true)
bool(true)
string(12) "from a frame"
bool(true)
string(27) "Swoole\WebSocket\CloseFrame"
int(4002)
string(7) "see you"
bool(false)
bool(false)
done
