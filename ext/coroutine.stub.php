<?php

/**
 * Swoole\Coroutine and its functions (ext/php_coroutine*.c). Signatures follow
 * Swoole 5.1; scripts/gen_stubs.sh turns this file into coroutine_arginfo.h.
 * The short names (go(), defer(), Co\run(), class Co) are registered by hand
 * in php_coroutine_api.c, only when swoole.use_shortname is on.
 *
 * @generate-class-entries
 */

namespace {
    /** Creates a coroutine running $func(...$args) at once; its id, or false. */
    function swoole_coroutine_create(callable $func, mixed ...$args): int|false {}

    /** Runs $callback when the current coroutine ends, last registered first. */
    function swoole_coroutine_defer(callable $callback): void {}
}

namespace Swoole\Coroutine {
    /**
     * Runs $fn(...$args) in a coroutine, then the event loop until nothing is
     * left to wait for. Refused inside a coroutine or a running loop.
     */
    function run(callable $fn, mixed ...$args): bool {}

    /** @implementation-alias swoole_coroutine_create */
    function go(callable $func, mixed ...$args): int|false {}

    /** @implementation-alias swoole_coroutine_defer */
    function defer(callable $callback): void {}

    /** Per-coroutine storage, freed when its coroutine ends. */
    class Context extends \ArrayObject {}

    /** What Coroutine::list() returns: the live coroutine ids. */
    class Iterator extends \ArrayIterator {}

    /** Thrown into a coroutine by Coroutine::cancel($cid, true). */
    class CanceledException extends \Swoole\Exception {}
}

namespace Swoole {
    class Coroutine {
        /** @implementation-alias swoole_coroutine_create */
        public static function create(callable $func, mixed ...$args): int|false {}

        /** @implementation-alias swoole_coroutine_defer */
        public static function defer(callable $callback): void {}

        public static function set(array $options): void {}

        public static function getOptions(): ?array {}

        public static function exists(int $cid): bool {}

        public static function yield(): bool {}

        /** @implementation-alias Swoole\Coroutine::yield */
        public static function suspend(): bool {}

        public static function resume(int $cid): bool {}

        public static function cancel(int $cid, bool $throw_exception = false): bool {}

        public static function isCanceled(): bool {}

        public static function stats(): array {}

        public static function getCid(): int {}

        /** @implementation-alias Swoole\Coroutine::getCid */
        public static function getuid(): int {}

        public static function getPcid(int $cid = 0): int|false {}

        public static function getContext(int $cid = 0): ?Coroutine\Context {}

        public static function getBackTrace(int $cid = 0, int $options = DEBUG_BACKTRACE_PROVIDE_OBJECT, int $limit = 0): array|false {}

        public static function printBackTrace(int $cid = 0, int $options = 0, int $limit = 0): void {}

        public static function getElapsed(int $cid = 0): int {}

        public static function list(): Coroutine\Iterator {}

        /** @implementation-alias Swoole\Coroutine::list */
        public static function listCoroutines(): Coroutine\Iterator {}

        public static function sleep(float $seconds): bool {}
    }
}
