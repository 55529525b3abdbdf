<?php

/**
 * Swoole\Timer and the swoole_timer_* functions (ext/php_timer.c).
 * Signatures follow Swoole 5.1; scripts/gen_stubs.sh turns this file into
 * timer_arginfo.h. Timer::set() (deprecated since Swoole 4.6) is left out.
 *
 * @generate-class-entries
 */

namespace {
    /** Calls $callback($timer_id, ...$params) every $ms milliseconds; the timer id, or false. */
    function swoole_timer_tick(int $ms, callable $callback, mixed ...$params): int|false {}

    /** Calls $callback(...$params) once after $ms milliseconds; the timer id, or false. */
    function swoole_timer_after(int $ms, callable $callback, mixed ...$params): int|false {}

    function swoole_timer_exists(int $timer_id): bool {}

    function swoole_timer_info(int $timer_id): ?array {}

    function swoole_timer_stats(): array {}

    function swoole_timer_list(): Swoole\Timer\Iterator {}

    function swoole_timer_clear(int $timer_id): bool {}

    function swoole_timer_clear_all(): bool {}
}

namespace Swoole {
    class Timer {
        /** @implementation-alias swoole_timer_tick */
        public static function tick(int $ms, callable $callback, mixed ...$params): int|false {}

        /** @implementation-alias swoole_timer_after */
        public static function after(int $ms, callable $callback, mixed ...$params): int|false {}

        /** @implementation-alias swoole_timer_exists */
        public static function exists(int $timer_id): bool {}

        /** @implementation-alias swoole_timer_info */
        public static function info(int $timer_id): ?array {}

        /** @implementation-alias swoole_timer_stats */
        public static function stats(): array {}

        /** @implementation-alias swoole_timer_list */
        public static function list(): Timer\Iterator {}

        /** @implementation-alias swoole_timer_clear */
        public static function clear(int $timer_id): bool {}

        /** @implementation-alias swoole_timer_clear_all */
        public static function clearAll(): bool {}
    }
}

namespace Swoole\Timer {
    /** What Timer::list() returns: the ids of the live timers. */
    class Iterator extends \ArrayIterator {}
}
