<?php

/**
 * Swoole\Coroutine\WaitGroup and Swoole\Coroutine\Barrier
 * (ext/php_wait_group.c). Swoole ships both in its PHP library; signatures
 * follow Swoole 5.1. scripts/gen_stubs.sh turns this file into
 * wait_group_arginfo.h.
 *
 * @generate-class-entries
 */

namespace Swoole\Coroutine {
    /** @not-serializable */
    class WaitGroup {
        public function __construct(int $delta = 0) {}

        public function add(int $delta = 1): void {}

        public function done(): void {}

        public function wait(float $timeout = -1): bool {}

        public function count(): int {}
    }

    /** @not-serializable */
    final class Barrier {
        public static function make(): Barrier {}

        public static function wait(Barrier &$barrier, float $timeout = -1): void {}
    }
}
