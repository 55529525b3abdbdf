<?php

/**
 * Swoole\Server (ext/php_server.c): the event-driven TCP/UDP server of
 * include/eddy/server.h, BASE and PROCESS modes, with task workers and
 * worker messages. scripts/gen_stubs.sh turns this file into
 * server_arginfo.h.
 *
 * @generate-class-entries
 */

namespace Swoole {
    /** @not-serializable */
    class Server {
        /** The options given to set(), merged. */
        public array $setting = [];
        public int $master_pid = 0;
        public int $manager_pid = 0;
        /** This process's worker id; -1 in the master and the manager. */
        public int $worker_id = -1;
        public int $worker_pid = 0;
        /** True in a task worker. */
        public bool $taskworker = false;
        public string $host = "";
        /** The bound port: the one chosen by the system when 0 was asked. */
        public int $port = 0;
        public int $type = 0;
        public int $mode = 0;
        /** foreach / count() / [$fd] over the open connections. */
        public ?Connection\Iterator $connections = null;
        /** Swoole\Server\Port objects: the constructor's first, then listen()'s. */
        public array $ports = [];

        /** Binds at once: throws Swoole\Exception if the address is taken. */
        public function __construct(string $host = "0.0.0.0", int $port = 0, int $mode = 1, int $sock_type = 1) {}

        public function set(array $settings): bool {}

        /** Another listener (before start()), with its own set() and on() (ext/php_server_port.c). */
        public function listen(string $host, int $port, int $sock_type): false|Server\Port {}

        /** @implementation-alias Swoole\Server::listen */
        public function addlistener(string $host, int $port, int $sock_type): false|Server\Port {}

        public function on(string $event_name, callable $callback): bool {}

        public function start(): bool {}

        public function send(int $fd, string $data, int $serverSocket = -1): bool {}

        public function sendto(string $ip, int $port, string $data, int $server_socket = -1): bool {}

        public function close(int $fd, bool $reset = false): bool {}

        /** The file (from $offset, $length bytes; 0: to its end) goes out whole, in order with other sends. */
        public function sendfile(int $conn_fd, string $filename, int $offset = 0, int $length = 0): bool {}

        /** Stop reading this connection (the client's sends back up) until resume(). */
        public function pause(int $fd): bool {}

        public function resume(int $fd): bool {}

        /** The heartbeat does not close a protected connection. */
        public function protect(int $fd, bool $is_protected = true): bool {}

        public function exists(int $fd): bool {}

        public function getClientInfo(int $fd, int $reactor_id = -1, bool $ignoreError = false): false|array {}

        public function getClientList(int $start_fd = 0, int $find_count = 10): false|array {}

        public function task(mixed $data, int $taskWorkerIndex = -1, ?callable $finishCallback = null): int|false {}

        public function taskwait(mixed $data, float $timeout = 0.5, int $taskWorkerIndex = -1): mixed {}

        public function taskWaitMulti(array $tasks, float $timeout = 0.5): false|array {}

        public function taskCo(array $tasks, float $timeout = 0.5): false|array {}

        public function finish(mixed $data): bool {}

        public function sendMessage(mixed $message, int $dstWorkerId): bool {}

        /** Before start(): a user process the manager runs with the server (php_server_process.c). */
        public function addProcess(Process $process): int|false {}

        public function tick(int $ms, callable $callback, mixed ...$params): int|false {}

        public function after(int $ms, callable $callback, mixed ...$params): int|false {}

        public function clearTimer(int $timer_id): bool {}

        public function defer(callable $callback): bool {}

        public function reload(bool $only_reload_taskworker = false): bool {}

        public function shutdown(): bool {}

        /** This worker only: it stops accepting, finishes its events and exits; the manager starts another. */
        public function stop(int $workerId = -1, bool $waitEvent = false): bool {}

        public function stats(): array {}

        public function getWorkerStatus(int $worker_id = -1): int|false {}

        public function bind(int $fd, int $uid): bool {}

        public function getWorkerId(): int|false {}

        public function getWorkerPid(int $worker_id = -1): int|false {}

        public function getManagerPid(): int {}

        public function getMasterPid(): int {}

        public function getLastError(): int {}
    }
}
