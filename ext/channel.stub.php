<?php

/**
 * Swoole\Coroutine\Channel (ext/php_channel.c). Signatures follow Swoole 5.1;
 * scripts/gen_stubs.sh turns this file into channel_arginfo.h. The short
 * names Chan and Co\Channel are registered by hand when swoole.use_shortname
 * is on.
 *
 * @generate-class-entries
 */

namespace Swoole\Coroutine {
    /** @not-serializable */
    class Channel {
        /** The capacity given to the constructor, at least 1. */
        public int $capacity = 1;

        /** SWOOLE_CHANNEL_* result of the last push() or pop(). */
        public int $errCode = 0;

        public function __construct(int $size = 1) {}

        public function push(mixed $data, float $timeout = -1): bool {}

        public function pop(float $timeout = -1): mixed {}

        public function stats(): array {}

        public function close(): bool {}

        public function length(): int {}

        public function isEmpty(): bool {}

        public function isFull(): bool {}
    }
}
