<?php

/**
 * Swoole\Coroutine\Client (ext/php_client.c): a TCP/UDP/unix client over a
 * Swoole\Coroutine\Socket. Signatures follow Swoole 5.1; scripts/gen_stubs.sh
 * turns this file into client_arginfo.h.
 *
 * The framing options of set() (open_eof_check, open_eof_split,
 * open_length_check and their package_* settings) make recv() return one
 * complete message. peek() is not provided.
 *
 * SWOOLE_SSL in $type (or enableSSL() once connected) puts TLS on the
 * connection, set up from set()'s ssl_* options.
 *
 * @generate-class-entries
 */

namespace Swoole\Coroutine {
    /** @not-serializable */
    class Client {
        public int $errCode = 0;
        public string $errMsg = "";
        public int $fd = -1;
        public int $type = 1;
        public ?array $setting = null;
        public bool $connected = false;

        /** $type: SWOOLE_SOCK_TCP, _TCP6, _UDP, _UDP6, _UNIX_STREAM or _UNIX_DGRAM. */
        public function __construct(int $type) {}

        public function set(array $settings): bool {}

        /** $timeout also becomes the recv/send timeout unless set() gave one. */
        public function connect(string $host, int $port = 0, float $timeout = 0.5, int $sock_flag = 0): bool {}

        public function recv(float $timeout = 0): string|false {}

        public function send(string $data, float $timeout = 0): int|false {}

        /** $length 0: to the end of the file. */
        public function sendfile(string $filename, int $offset = 0, int $length = 0): bool {}

        /** UDP / unix dgram: no connect() needed. */
        public function sendto(string $address, int $port, string $data): bool {}

        /**
         * @param string $address set to the sender's address
         * @param int $port set to the sender's port
         */
        public function recvfrom(int $length, mixed &$address, mixed &$port = 0): string|false {}

        /** TLS on a connected client (the handshake included). */
        public function enableSSL(): bool {}

        /** The server's certificate (PEM) once TLS is up, else false. */
        public function getPeerCert(): string|false {}

        public function exportSocket(): Socket|false {}

        public function isConnected(): bool {}

        public function getsockname(): array|false {}

        public function getpeername(): array|false {}

        public function close(): bool {}
    }
}
