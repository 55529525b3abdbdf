--TEST--
websocket: disconnect() with a code and reason the client sees, a refused close code, push to a closed or unknown fd (false, warning, error 8503), isEstablished and exists across the connection's life, onDisconnect for a connection that never upgraded
--FILE--
<?php
require __DIR__ . '/ws.inc';
$h = server_start(ws_server_code(<<<'PHP'
$s->on('message', function ($s, $f) {
    if ($f->data === 'bad code') {
        var_dump($s->disconnect($f->fd, 999, 'no'), swoole_last_error(), $s->isEstablished($f->fd));
        $s->push($f->fd, 'still open');
        return;
    }
    var_dump($s->push(123456, 'nobody'), swoole_last_error());
    var_dump($s->isEstablished($f->fd), $s->exists($f->fd));
    var_dump($s->disconnect($f->fd, 4000, 'go away'));
    var_dump($s->isEstablished($f->fd));
});
$s->on('close', function ($s, $fd) {
    echo "close\n";
    var_dump($s->push($fd, 'too late'), swoole_last_error(), $s->exists($fd));
});
$s->on('disconnect', function ($s, $fd) { echo "disconnect (never a WebSocket)\n"; });
PHP));
[$c, $r] = ws_connect($h['port']);
ws_send($c, 'bad code');
echo ws_read($c)['payload'], "\n";
fclose($c);
usleep(100000);
echo ws_python('kicked', $h['port'], ['kick']), "\n";
usleep(100000);
echo "-- plain HTTP\n";
echo http_get($h['port'], '/')['status'], "\n";
usleep(100000);
echo ws_output($h), "\n";
?>
--EXPECTF--
still open
closed by server: 4000 'go away'
-- plain HTTP
400
Warning: Swoole\WebSocket\Server::disconnect(): invalid frame: %s
bool(false)
int(22)
bool(true)
close

Warning: Swoole\WebSocket\Server::push(): the connected client of connection[%d] is not a websocket client or closed
bool(false)
int(8503)
bool(false)

Warning: Swoole\WebSocket\Server::push(): the connected client of connection[123456] is not a websocket client or closed
bool(false)
int(8503)
bool(true)
bool(true)
bool(true)
bool(false)
close

Warning: Swoole\WebSocket\Server::push(): the connected client of connection[%d] is not a websocket client or closed
bool(false)
int(8503)
bool(false)
disconnect (never a WebSocket)
