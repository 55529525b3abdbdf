<?php

/**
 * Swoole\Event and the swoole_event_* functions (ext/php_event.c).
 * Signatures follow Swoole 5.1; scripts/gen_stubs.sh turns this file into
 * event_arginfo.h. $fd is a PHP stream, a sockets-extension Socket or an
 * int file descriptor.
 *
 * @generate-class-entries
 */

namespace {
    /** Watches $fd; callbacks get ($fd) as it was given. The fd number, or false. */
    function swoole_event_add(mixed $fd, ?callable $read_callback = null, ?callable $write_callback = null, int $events = SWOOLE_EVENT_READ): int|false {}

    function swoole_event_set(mixed $fd, ?callable $read_callback = null, ?callable $write_callback = null, int $events = 0): bool {}

    function swoole_event_del(mixed $fd): bool {}

    function swoole_event_isset(mixed $fd, int $events = SWOOLE_EVENT_READ | SWOOLE_EVENT_WRITE): bool {}

    /** Runs the event loop until nothing is left to wait for. */
    function swoole_event_wait(): void {}

    /** Clears every timer and event and stops the loop. */
    function swoole_event_exit(): void {}

    /** Runs $callback after the current loop iteration. */
    function swoole_event_defer(callable $callback): bool {}

    function swoole_event_cycle(?callable $callback, bool $before = false): bool {}

    /** Runs the loop until one iteration has dispatched PHP callbacks. */
    function swoole_event_dispatch(): bool {}
}

namespace Swoole {
    class Event {
        /** @implementation-alias swoole_event_add */
        public static function add(mixed $fd, ?callable $read_callback = null, ?callable $write_callback = null, int $events = SWOOLE_EVENT_READ): int|false {}

        /** @implementation-alias swoole_event_set */
        public static function set(mixed $fd, ?callable $read_callback = null, ?callable $write_callback = null, int $events = 0): bool {}

        /** @implementation-alias swoole_event_del */
        public static function del(mixed $fd): bool {}

        /** @implementation-alias swoole_event_isset */
        public static function isset(mixed $fd, int $events = SWOOLE_EVENT_READ | SWOOLE_EVENT_WRITE): bool {}

        /** @implementation-alias swoole_event_wait */
        public static function wait(): void {}

        /** @implementation-alias swoole_event_exit */
        public static function exit(): void {}

        /** @implementation-alias swoole_event_defer */
        public static function defer(callable $callback): bool {}

        /** @implementation-alias swoole_event_cycle */
        public static function cycle(?callable $callback, bool $before = false): bool {}

        /** @implementation-alias swoole_event_dispatch */
        public static function dispatch(): bool {}
    }
}
