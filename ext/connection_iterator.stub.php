<?php

/**
 * Swoole\Connection\Iterator (ext/php_server_iter.c), the type of
 * Swoole\Server::$connections. scripts/gen_stubs.sh turns this file into
 * connection_iterator_arginfo.h.
 *
 * @generate-class-entries
 */

namespace Swoole\Connection {
    /**
     * $server->connections: each iteration walks a snapshot of the open
     * connections taken at rewind(); in BASE mode the calling worker's own.
     *
     * @not-serializable
     */
    final class Iterator implements \Iterator, \Countable, \ArrayAccess {
        public function __construct() {}

        public function rewind(): void {}

        public function next(): void {}

        public function current(): mixed {}

        public function key(): mixed {}

        public function valid(): bool {}

        public function count(): int {}

        public function offsetExists(mixed $fd): bool {}

        public function offsetGet(mixed $fd): mixed {}

        public function offsetSet(mixed $fd, mixed $value): void {}

        public function offsetUnset(mixed $fd): void {}
    }
}
