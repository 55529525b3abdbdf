<?php
/*
 * A connection pool for coroutines: each coroutine takes a connection of
 * its own for as long as it needs it and gives it back, so no connection
 * is ever read by two coroutines at once (the engine refuses that: "Socket#N
 * has already been bound to another coroutine"). With the runtime hooks on
 * (hook_flags / Swoole\Runtime::enableCoroutine), PDO and phpredis
 * connections wait in their coroutine, not in the worker.
 *
 *   $pool = new DbPool(fn() => new PDO($dsn, $user, $pass), 16);
 *   $pool->with(fn(PDO $db) => $db->query('SELECT 1')->fetchColumn());
 *
 * Connections are made on demand, up to $size; a coroutine that finds all of
 * them taken waits (at most $timeout seconds) for one to come back. A
 * connection that threw is dropped rather than reused: it may be mid-reply.
 * Make the pool inside the worker (onWorkerStart), never before fork.
 */
class DbPool
{
    private Swoole\Coroutine\Channel $idle;
    private int $made = 0;

    public function __construct(private Closure $connect, private int $size = 16,
                                private float $timeout = 5.0)
    {
        $this->idle = new Swoole\Coroutine\Channel($size);
    }

    public function get(): object
    {
        if ($this->idle->isEmpty() && $this->made < $this->size) {
            $this->made++;
            try {
                return ($this->connect)();
            } catch (Throwable $e) {
                $this->made--;
                throw $e;
            }
        }
        $conn = $this->idle->pop($this->timeout);
        if ($conn === false) {
            throw new RuntimeException("no connection free within {$this->timeout} s (pool of {$this->size})");
        }
        return $conn;
    }

    public function put(?object $conn): void
    {
        if ($conn === null) {
            $this->made--; /* dropped: a new one may be made in its place */
            return;
        }
        $this->idle->push($conn);
    }

    /* Runs $fn with a connection and gives it back, or drops it if $fn threw. */
    public function with(callable $fn): mixed
    {
        $conn = $this->get();
        try {
            $result = $fn($conn);
        } catch (Throwable $e) {
            $this->put(null);
            throw $e;
        }
        $this->put($conn);
        return $result;
    }

    /* Connections made and not dropped (idle or in use). */
    public function count(): int
    {
        return $this->made;
    }
}
