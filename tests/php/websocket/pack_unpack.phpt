--TEST--
websocket: Frame / CloseFrame objects, pack() and unpack() (masked, compressed, close payloads, bad and incomplete input), the constants with Swoole's values, methods before start()
--FILE--
<?php
use Swoole\WebSocket\{Server, Frame, CloseFrame};

$f = new Frame;
var_dump($f instanceof Stringable, $f->opcode, $f->flags, $f->finish, $f->data);
$f->data = 'hi';
echo bin2hex((string) $f), "\n";
echo bin2hex(Server::pack('hello', WEBSOCKET_OPCODE_BINARY)), "\n";
echo bin2hex(Frame::pack('part', WEBSOCKET_OPCODE_TEXT, 0)), "\n";
echo bin2hex(Server::pack(str_repeat('x', 200))) === '817e00c8' . bin2hex(str_repeat('x', 200)) ? "16-bit length ok\n" : "16-bit length WRONG\n";

$m = Server::pack('secret', WEBSOCKET_OPCODE_TEXT, SWOOLE_WEBSOCKET_FLAG_FIN | SWOOLE_WEBSOCKET_FLAG_MASK);
echo strlen($m), ' masked bit: ', ord($m[1]) >> 7, ' payload hidden: ', json_encode(!str_contains($m, 'secret')), "\n";
$u = Frame::unpack($m);
echo get_class($u), ' ', $u->data, ' ', $u->opcode, ' ', $u->flags, ' ', json_encode($u->finish), "\n";

$text = str_repeat('compress me ', 100);
$z = Server::pack($text, WEBSOCKET_OPCODE_TEXT, SWOOLE_WEBSOCKET_FLAG_FIN | SWOOLE_WEBSOCKET_FLAG_COMPRESS);
echo 'compressed: ', strlen($z) < 100 ? 'yes' : 'no', ' rsv1: ', (ord($z[0]) >> 6) & 1, "\n";
/* what zlib itself inflates (raw deflate, RFC 7692's tail appended) */
echo 'zlib agrees: ', json_encode(inflate_add(inflate_init(ZLIB_ENCODING_RAW), substr($z, 2) . "\x00\x00\xff\xff", ZLIB_SYNC_FLUSH) === $text), "\n";
$u = Server::unpack($z);
echo 'unpacked: ', json_encode($u->data === $text), ' flags ', $u->flags, "\n";
echo 'control frames are not compressed: ', bin2hex(Server::pack('p', WEBSOCKET_OPCODE_PING, SWOOLE_WEBSOCKET_FLAG_FIN | SWOOLE_WEBSOCKET_FLAG_COMPRESS)), "\n";

$c = new CloseFrame;
var_dump($c->opcode, $c->code, $c->reason);
$c->code = 4001;
$c->reason = 'bye';
echo bin2hex((string) $c), "\n";
$u = Server::unpack((string) $c);
echo get_class($u), ' ', $u->code, ' ', $u->reason, "\n";
$u = Server::unpack("\x88\x00");
echo 'empty close: ', $u->code, ' "', $u->reason, "\"\n";

var_dump(Server::unpack("\x81"), swoole_last_error());
var_dump(Server::unpack("\x81\x05hel"), swoole_last_error());
var_dump(Server::unpack("\x83\x00"), swoole_last_error());
var_dump(Server::unpack("\x81\x7e\x00"), swoole_last_error());
try {
    Server::pack('x', 3);
} catch (ValueError $e) {
    echo get_class($e), ': ', $e->getMessage(), "\n";
}

echo implode(' ', [WEBSOCKET_OPCODE_CONTINUATION, WEBSOCKET_OPCODE_TEXT, WEBSOCKET_OPCODE_BINARY,
    WEBSOCKET_OPCODE_CLOSE, WEBSOCKET_OPCODE_PING, WEBSOCKET_OPCODE_PONG, SWOOLE_WEBSOCKET_OPCODE_PONG]), "\n";
echo implode(' ', [WEBSOCKET_STATUS_CONNECTION, WEBSOCKET_STATUS_HANDSHAKE, WEBSOCKET_STATUS_ACTIVE,
    WEBSOCKET_STATUS_FRAME, WEBSOCKET_STATUS_CLOSING, SWOOLE_WEBSOCKET_STATUS_CLOSING]), "\n";
echo implode(' ', [WEBSOCKET_CLOSE_NORMAL, WEBSOCKET_CLOSE_GOING_AWAY, WEBSOCKET_CLOSE_PROTOCOL_ERROR,
    WEBSOCKET_CLOSE_DATA_ERROR, WEBSOCKET_CLOSE_STATUS_ERROR, WEBSOCKET_CLOSE_ABNORMAL,
    WEBSOCKET_CLOSE_MESSAGE_ERROR, WEBSOCKET_CLOSE_POLICY_ERROR, WEBSOCKET_CLOSE_MESSAGE_TOO_BIG,
    WEBSOCKET_CLOSE_EXTENSION_MISSING, WEBSOCKET_CLOSE_SERVER_ERROR, WEBSOCKET_CLOSE_TLS,
    SWOOLE_WEBSOCKET_CLOSE_TLS]), "\n";
echo implode(' ', [SWOOLE_WEBSOCKET_FLAG_FIN, SWOOLE_WEBSOCKET_FLAG_COMPRESS, SWOOLE_WEBSOCKET_FLAG_RSV1,
    SWOOLE_WEBSOCKET_FLAG_RSV2, SWOOLE_WEBSOCKET_FLAG_RSV3, SWOOLE_WEBSOCKET_FLAG_MASK]), "\n";

$s = new Server('127.0.0.1', 0);
var_dump($s instanceof Swoole\Http\Server, $s->push(1, 'x'), $s->isEstablished(1), $s->disconnect(1));
?>
--EXPECTF--
bool(true)
int(1)
int(1)
bool(true)
string(0) ""
81026869
820568656c6c6f
010470617274
16-bit length ok
12 masked bit: 1 payload hidden: true
Swoole\WebSocket\Frame secret 1 33 true
compressed: yes rsv1: 1
zlib agrees: true
unpacked: true flags 7
control frames are not compressed: 890170
int(8)
int(1000)
string(0) ""
88050fa1627965
Swoole\WebSocket\CloseFrame 4001 bye
empty close: 1005 ""
bool(false)
int(8507)
bool(false)
int(8507)
bool(false)
int(8506)
bool(false)
int(8507)
ValueError: WebSocket opcode 3 is not 0-2 or 8-10
0 1 2 8 9 10 10
1 2 3 3 4 4
1000 1001 1002 1003 1005 1006 1007 1008 1009 1010 1011 1015 1015
1 2 4 8 16 32

Warning: Swoole\WebSocket\Server::push(): server is not running in %s on line %d

Warning: Swoole\WebSocket\Server::isEstablished(): server is not running in %s on line %d

Warning: Swoole\WebSocket\Server::disconnect(): server is not running in %s on line %d
bool(true)
bool(false)
bool(false)
bool(false)
