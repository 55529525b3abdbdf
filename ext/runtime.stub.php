<?php

/**
 * Swoole\Runtime (ext/php_runtime.c): turns the runtime hooks on and off.
 * Signatures follow Swoole 5.1; scripts/gen_stubs.sh turns this file into
 * runtime_arginfo.h. The SWOOLE_HOOK_* constants are registered in C.
 *
 * @generate-class-entries
 */

namespace Swoole {
    class Runtime {
        /**
         * Sets the hook flags: an int is the flags, true means $flags
         * (SWOOLE_HOOK_ALL by default), false turns every hook off.
         */
        public static function enableCoroutine(int|bool $enable = SWOOLE_HOOK_ALL, int $flags = SWOOLE_HOOK_ALL): bool {}

        public static function getHookFlags(): int {}

        public static function setHookFlags(int $flags): bool {}
    }
}
