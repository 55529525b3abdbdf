<?php

/**
 * Swoole\Coroutine\Http\Server (ext/php_co_http_server.c): HTTP serving
 * inside a coroutine, on the engine's coroutine HTTP server (eddy_co_http_*
 * in include/eddy/http.h). scripts/gen_stubs.sh turns this file into
 * co_http_server_arginfo.h.
 *
 * @generate-class-entries
 */

namespace Swoole\Coroutine\Http {
    /** @not-serializable */
    final class Server {
        public int $fd = -1;
        public ?string $host = null;
        /** The bound port: the one chosen by the system when 0 was asked. */
        public int $port = -1;
        public bool $ssl = false;
        public array $settings = [];
        public int $errCode = 0;
        public string $errMsg = "";

        /** $host: an IPv4 or IPv6 address, or "unix:/path". Binds and listens. */
        public function __construct(string $host, int $port = 0, bool $ssl = false, bool $reuse_port = false) {}

        public function set(array $settings): bool {}

        /** Requests whose path starts with $pattern go to $callback(Request, Response); the longest matching pattern wins. */
        public function handle(string $pattern, callable $callback): void {}

        /** Accepts until shutdown(); each connection in its own coroutine. */
        public function start(): bool {}

        public function shutdown(): void {}
    }
}
