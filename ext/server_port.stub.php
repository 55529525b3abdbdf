<?php

/**
 * Swoole\Server\Port (ext/php_server_port.c): one listener of a
 * Swoole\Server, from the constructor or listen() / addlistener(), with its
 * own framing options and connection callbacks. scripts/gen_stubs.sh turns
 * this file into server_port_arginfo.h.
 *
 * @generate-class-entries
 */

namespace Swoole\Server {
    /** @not-serializable */
    final class Port {
        public string $host = "";
        public int $port = 0;
        public int $type = 0;
        /** The options given to set(), merged. */
        public array $setting = [];
        /** foreach / count() / [$fd] over this port's open connections (in a worker). */
        public ?\Swoole\Connection\Iterator $connections = null;

        /** Ports come from Swoole\Server's constructor, listen() and addlistener(). */
        private function __construct() {}

        /** Framing options of this port (open_eof_check, package_eof, open_length_check...), before start(). */
        public function set(array $settings): void {}

        /** connect, receive, close or packet for this port's connections, before start(). */
        public function on(string $event_name, callable $callback): bool {}

        public function getCallback(string $event_name): ?\Closure {}
    }
}
