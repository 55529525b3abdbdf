<?php

/**
 * Swoole\WebSocket\Server, Frame and CloseFrame (ext/php_websocket_server.c,
 * ext/php_websocket_frame.c): the engine's WebSocket server
 * (include/eddy/websocket.h) as Swoole 5.1's classes.
 * scripts/gen_stubs.sh turns this file into websocket_arginfo.h.
 *
 * Not provided: Http\Response::upgrade/push/recv/ping/close (the engine
 * delivers a WebSocket's messages to on_message only; a request handler
 * cannot take a connection over and read its frames), and the pre-4.3
 * exist() (Swoole\Server::exists() is inherited).
 *
 * @generate-class-entries
 */

namespace Swoole\WebSocket {
    /** @not-serializable */
    class Server extends \Swoole\Http\Server {
        /** One frame to an established connection; a Frame gives its data, opcode and flags. */
        public function push(int $fd, Frame|string $data, int $opcode = 1, int $flags = 1): bool {}

        /** A close frame with $code and $reason, then the connection closes. */
        public function disconnect(int $fd, int $code = 1000, string $reason = ""): bool {}

        /** true when $fd has completed its handshake and no close has started. */
        public function isEstablished(int $fd): bool {}

        /** A whole frame as a server sends it (unmasked unless SWOOLE_WEBSOCKET_FLAG_MASK). */
        public static function pack(Frame|string $data, int $opcode = 1, int $flags = 1): string {}

        /** The first frame of $data; false (error 8506/8507) when it is bad or incomplete. */
        public static function unpack(string $data): Frame|false {}
    }

    class Frame implements \Stringable {
        public int $fd = 0;
        public string $data = "";
        public int $opcode = 1;
        /** SWOOLE_WEBSOCKET_FLAG_*: FIN, COMPRESS (the message came deflated), RSV1-3, MASK. */
        public int $flags = 1;
        public bool $finish = true;

        /** The frame packed, as pack($this). */
        public function __toString(): string {}

        /** @implementation-alias Swoole\WebSocket\Server::pack */
        public static function pack(Frame|string $data, int $opcode = 1, int $flags = 1): string {}

        /** @implementation-alias Swoole\WebSocket\Server::unpack */
        public static function unpack(string $data): Frame|false {}
    }

    class CloseFrame extends Frame {
        public int $opcode = 8;
        public int $code = 1000;
        public string $reason = "";
    }
}
