<?php

/**
 * Swoole\Coroutine\Socket (ext/php_socket.c): a coroutine socket over the
 * engine's eddy_socket_*. Signatures follow Swoole 5.1; scripts/gen_stubs.sh
 * turns this file into socket_arginfo.h. Timeouts are seconds: 0 uses the
 * socket's own timeout, a negative value waits forever.
 *
 * Not provided: sslHandshake (no TLS in this build) and import() (taking
 * over a PHP stream's fd cleanly needs the stream layer's cooperation).
 *
 * @generate-class-entries
 */

namespace Swoole\Coroutine {
    /** @not-serializable */
    class Socket {
        public int $fd = -1;
        public int $domain = 0;
        public int $type = 0;
        public int $protocol = 0;
        public int $errCode = 0;
        public string $errMsg = "";

        public function __construct(int $domain, int $type, int $protocol = 0) {}

        public function bind(string $address, int $port = 0): bool {}

        public function listen(int $backlog = 512): bool {}

        public function accept(float $timeout = 0): Socket|false {}

        public function connect(string $host, int $port = 0, float $timeout = 0): bool {}

        public function recv(int $length = 65536, float $timeout = 0): string|false {}

        public function recvAll(int $length = 65536, float $timeout = 0): string|false {}

        public function send(string $data, float $timeout = 0): int|false {}

        public function sendAll(string $data, float $timeout = 0): int|false {}

        /** Never waits: bytes waiting to be read, left in place. */
        public function peek(int $length = 65535): string|false {}

        /** False once the peer has closed the connection. Never waits. */
        public function checkLiveness(): bool {}

        /** Up to and including "\n", or $length bytes; '' once the peer closed. */
        public function recvLine(int $length = 65535, float $timeout = 0): string|false {}

        public function recvWithBuffer(int $length = 65535, float $timeout = 0): string|false {}

        /** One message as setProtocol() frames it; '' once the peer closed. */
        public function recvPacket(float $timeout = 0): string|false {}

        /** The framing options of Swoole\Server: open_eof_check, open_eof_split,
         * package_eof, open_length_check, package_length_type,
         * package_length_offset, package_body_offset, package_max_length. */
        public function setProtocol(array $settings): bool {}

        /** $io_vector: the length of each piece (ints). */
        public function readVector(array $io_vector, float $timeout = 0): array|false {}

        /** $io_vector: the length of each piece (ints). */
        public function readVectorAll(array $io_vector, float $timeout = 0): array|false {}

        /** $io_vector: the pieces (strings), sent in order. */
        public function writeVector(array $io_vector, float $timeout = 0): int|false {}

        /** $io_vector: the pieces (strings), sent in order. */
        public function writeVectorAll(array $io_vector, float $timeout = 0): int|false {}

        /** $length 0: to the end of the file. */
        public function sendFile(string $file, int $offset = 0, int $length = 0): bool {}

        /** @param array $peername set to ['address' => ..., 'port' => ...] */
        public function recvfrom(mixed &$peername, float $timeout = 0): string|false {}

        public function sendto(string $addr, int $port, string $data): int|false {}

        public function getOption(int $level, int $opt_name): mixed {}

        public function setOption(int $level, int $opt_name, mixed $opt_value): bool {}

        public function shutdown(int $how = 2): bool {}

        /** $event: SWOOLE_EVENT_READ (512), SWOOLE_EVENT_WRITE (1024) or both. */
        public function cancel(int $event = 512): bool {}

        public function close(): bool {}

        public function isClosed(): bool {}

        public function getsockname(): array|false {}

        public function getpeername(): array|false {}
    }
}

namespace Swoole\Coroutine\Socket {
    /** Thrown by the constructor when no socket can be made. */
    class Exception extends \Swoole\Exception {}
}
