<?php

/**
 * Swoole\Coroutine\System (ext/php_system.c): blocking system calls made
 * coroutine-friendly. Files and DNS go through the engine's thread pool,
 * child output through a coroutine socket, child exits and signals through
 * the loop's signalfd. Signatures follow Swoole 5.1; scripts/gen_stubs.sh
 * turns this file into system_arginfo.h. The same methods are also
 * Swoole\Coroutine's static methods (Co::exec(), Co::gethostbyname()...), as
 * in Swoole.
 *
 * @generate-class-entries
 */

namespace Swoole\Coroutine {
    class System {
        /** @implementation-alias Swoole\Coroutine::sleep */
        public static function sleep(float $seconds): bool {}

        public static function gethostbyname(string $domain_name, int $type = AF_INET, float $timeout = -1): string|false {}

        /** Resolves through the system resolver (getaddrinfo), like gethostbyname. */
        public static function dnsLookup(string $domain_name, float $timeout = 60, int $type = AF_INET): string|false {}

        /** $socktype, $protocol and $service are accepted for Swoole's signature; the answer is the address list. */
        public static function getaddrinfo(string $domain, int $family = AF_INET, int $socktype = SOCK_STREAM, int $protocol = STREAM_IPPROTO_TCP, ?string $service = null, float $timeout = -1): array|false {}

        /** Runs /bin/sh -c $command; ['code' => exit status, 'signal' => signal, 'output' => stdout (+ stderr)]. */
        public static function exec(string $command, bool $get_error_stream = false): array|false {}

        public static function readFile(string $filename, int $flag = 0): string|false {}

        public static function writeFile(string $filename, string $fileContent, int $flags = 0): int|false {}

        /** The next child to exit: ['pid' => ..., 'code' => ..., 'signal' => ...]. */
        public static function wait(float $timeout = -1): array|false {}

        public static function waitPid(int $pid, float $timeout = -1): array|false {}

        /** The signal received (one of $signals), or false on timeout. */
        public static function waitSignal(int|array $signals, float $timeout = -1): int|false {}
    }
}
