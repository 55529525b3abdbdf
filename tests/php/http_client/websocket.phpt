--TEST--
http_client: upgrade() to a WebSocket server (a raw one over Coroutine\Server), push text/binary (masked), recv echoes, ping answered by the client, close frame with code and reason
--FILE--
<?php
use Swoole\Coroutine\Http\Client;

/* Reads one client frame (masked, as RFC 6455 requires): [opcode, payload, masked]. */
function ws_read($conn, string &$buf): ?array {
    while (true) {
        if (strlen($buf) >= 2) {
            $b1 = ord($buf[1]);
            $len = $b1 & 0x7f;
            $off = 2;
            if ($len == 126) { $len = unpack('n', substr($buf, 2, 2))[1]; $off = 4; }
            $masked = ($b1 & 0x80) != 0;
            if (strlen($buf) >= $off + 4 + $len) {
                $mask = substr($buf, $off, 4);
                $p = substr($buf, $off + 4, $len);
                for ($i = 0; $i < $len; $i++) $p[$i] = $p[$i] ^ $mask[$i % 4];
                $op = ord($buf[0]) & 0x0f;
                $buf = substr($buf, $off + 4 + $len);
                return [$op, $p, $masked];
            }
        }
        $d = $conn->recv(5);
        if ($d === '' || $d === false) return null;
        $buf .= $d;
    }
}

function ws_frame(int $op, string $p): string {
    return chr(0x80 | $op) . (strlen($p) < 126 ? chr(strlen($p)) : chr(126) . pack('n', strlen($p))) . $p;
}

Co\run(function () {
    $server = new Swoole\Coroutine\Server('127.0.0.1', 0);
    $server->handle(function ($conn) {
        $head = '';
        while (!str_contains($head, "\r\n\r\n")) $head .= $conn->recv(5);
        preg_match('/Sec-WebSocket-Key: (\S+)/i', $head, $m);
        $accept = base64_encode(sha1($m[1] . '258EAFA5-E914-47DA-95CA-C5AB0DC85B11', true));
        $conn->send("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" .
                    "Sec-WebSocket-Accept: $accept\r\n\r\n");
        $buf = '';
        while ($f = ws_read($conn, $buf)) {
            [$op, $p, $masked] = $f;
            if (!$masked) { $conn->send(ws_frame(8, pack('n', 1002))); break; }
            if ($op == 8) { $conn->send(ws_frame(8, $p)); break; }
            if ($op == 10) { $conn->send(ws_frame(1, "pong:$p")); continue; }
            if ($p === 'ping me') { $conn->send(ws_frame(9, 'xyz')); continue; }
            if ($p === 'bye') { $conn->send(ws_frame(8, pack('n', 4000) . 'done')); continue; }
            $conn->send(ws_frame($op, strtoupper($p)));
        }
        $conn->close();
    });
    go(fn () => $server->start());

    $c = new Client('127.0.0.1', $server->port);
    var_dump($c->push('too early'), $c->errCode);
    var_dump($c->upgrade('/ws'), $c->statusCode, $c->connected);
    var_dump($c->push('hello'));
    $f = $c->recv(2);
    var_dump($f->data, $f->opcode, $f->finish);
    var_dump($c->push(str_repeat('b', 300), SWOOLE_WEBSOCKET_OPCODE_BINARY));
    $f = $c->recv(2);
    var_dump(strlen($f->data), $f->data[0], $f->opcode);
    var_dump($c->push('ping me'));
    $f = $c->recv(2); /* the ping is answered inside recv(); the server reports the pong */
    var_dump($f->data);
    var_dump($c->recv(0.2), $c->errCode);
    var_dump($c->push('bye'));
    $f = $c->recv(2);
    var_dump($f->opcode, $f->code, $f->reason);
    var_dump($c->recv(0.2), $c->connected);
    $server->shutdown();

    /* a server that answers the upgrade with 200: no WebSocket */
    $s2 = new Swoole\Coroutine\Server('127.0.0.1', 0);
    $s2->handle(function ($conn) {
        $conn->recv(5);
        $conn->send("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nno");
        $conn->close();
    });
    go(fn () => $s2->start());
    $c = new Client('127.0.0.1', $s2->port);
    var_dump($c->upgrade('/'), $c->statusCode, $c->body, $c->push('x'));
    $s2->shutdown();
});
echo "done\n";
?>
--EXPECT--
bool(false)
int(8503)
bool(true)
int(101)
bool(true)
bool(true)
string(5) "HELLO"
int(1)
bool(true)
bool(true)
int(300)
string(1) "B"
int(2)
bool(true)
string(8) "pong:xyz"
bool(false)
int(110)
bool(true)
int(8)
int(4000)
string(4) "done"
bool(false)
bool(false)
bool(false)
int(200)
string(2) "no"
bool(false)
done
