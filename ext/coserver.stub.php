<?php

/**
 * Swoole\Coroutine\Server and Swoole\Coroutine\Server\Connection
 * (ext/php_coserver.c): an accept loop over a Swoole\Coroutine\Socket that
 * hands each connection to a handler in a new coroutine. Swoole ships these
 * classes in PHP (swoole/library); the API is the same. scripts/gen_stubs.sh
 * turns this file into coserver_arginfo.h.
 *
 * @generate-class-entries
 */

namespace Swoole\Coroutine {
    /** @not-serializable */
    class Server {
        public string $host = "";
        /** The bound port: the one chosen by the system when 0 was asked. */
        public int $port = 0;
        /** AF_INET, AF_INET6 or AF_UNIX */
        public int $type = 2;
        public int $fd = -1;
        public int $errCode = 0;
        public array $setting = [];
        protected bool $running = false;
        /** @var callable|null */
        protected mixed $fn = null;
        protected ?Socket $socket = null;

        /** $host: an IPv4 or IPv6 address, or "unix:/path". */
        public function __construct(string $host, int $port = 0, bool $ssl = false, bool $reuse_port = false) {}

        public function set(array $setting): void {}

        public function handle(callable $fn): void {}

        public function start(): bool {}

        public function shutdown(): bool {}
    }
}

namespace Swoole\Coroutine\Server {
    /** @not-serializable */
    class Connection {
        protected ?\Swoole\Coroutine\Socket $socket = null;

        public function __construct(\Swoole\Coroutine\Socket $conn) {}

        public function recv(float $timeout = 0): string|false {}

        public function send(string $data): int|false {}

        public function close(): bool {}

        public function exportSocket(): \Swoole\Coroutine\Socket {}
    }
}
