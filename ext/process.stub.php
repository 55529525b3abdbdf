<?php

/**
 * Swoole\Process (ext/php_process.c, php_process_static.c): a forked child
 * running a PHP callable, with a socketpair to its parent, and the static
 * process helpers (wait, kill, signal, alarm, daemon, affinity).
 * Signatures follow Swoole 5.1; the message queue (useQueue, push, pop,
 * statQueue, freeQueue), set() and exec() are not implemented and so do
 * not exist. scripts/gen_stubs.sh turns this file into process_arginfo.h.
 *
 * @generate-class-entries
 */

namespace {
    /**
     * @var int
     * @cvalue PHP_PROCESS_PIPE_MASTER
     */
    const SWOOLE_PIPE_MASTER = UNKNOWN;
    /**
     * @var int
     * @cvalue PHP_PROCESS_PIPE_WORKER
     */
    const SWOOLE_PIPE_WORKER = UNKNOWN;
    /**
     * @var int
     * @cvalue PHP_PROCESS_PIPE_READ
     */
    const SWOOLE_PIPE_READ = UNKNOWN;
    /**
     * @var int
     * @cvalue PHP_PROCESS_PIPE_WRITE
     */
    const SWOOLE_PIPE_WRITE = UNKNOWN;
}

namespace Swoole {
    /** @not-serializable */
    class Process {
        /**
         * @var int
         * @cvalue PHP_PROCESS_PIPE_MASTER
         */
        public const PIPE_MASTER = UNKNOWN;
        /**
         * @var int
         * @cvalue PHP_PROCESS_PIPE_WORKER
         */
        public const PIPE_WORKER = UNKNOWN;
        /**
         * @var int
         * @cvalue PHP_PROCESS_PIPE_READ
         */
        public const PIPE_READ = UNKNOWN;
        /**
         * @var int
         * @cvalue PHP_PROCESS_PIPE_WRITE
         */
        public const PIPE_WRITE = UNKNOWN;

        /** The child's pid once started (in the child too). */
        public int $pid = 0;
        /** The fd of this side of the pipe (the child's side in the child). */
        public int $pipe = 0;
        /** Server::addProcess's index; -1 otherwise. */
        public int $id = -1;
        /** The callable start() runs in the child. */
        private mixed $callback = null;

        public function __construct(callable $callback, bool $redirect_stdin_and_stdout = false,
                                    int $pipe_type = 2, bool $enable_coroutine = false) {}

        public function start(): int|false {}

        public function write(string $data): int|false {}

        public function read(int $size = 8192): string|false {}

        public function exportSocket(): Coroutine\Socket|false {}

        public function close(int $which = 0): bool {}

        public function exit(int $exit_code = 0): void {}

        public function name(string $process_name): bool {}

        public function setTimeout(float $seconds): bool {}

        public function setBlocking(bool $blocking): void {}

        public function setPriority(int $which, int $priority, ?int $who = null): bool {}

        public function getPriority(int $which, ?int $who = null): int|false {}

        public static function wait(bool $blocking = true): array|false {}

        public static function kill(int $pid, int $signal_no = 15): bool {}

        public static function signal(int $signal_no, ?callable $callback = null): bool {}

        public static function alarm(int $usec, int $type = 0): bool {}

        public static function daemon(bool $nochdir = true, bool $noclose = true): bool {}

        public static function setAffinity(array $cpu_settings): bool {}
    }
}
