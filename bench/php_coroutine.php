<?php
/*
 * eddy's PHP coroutines against PHP's own Fiber doing the same work in the
 * same run (bench/README.md, "PHP"):
 *   php -n -d extension=build/ext/modules/swoole.so bench/php_coroutine.php
 * (no xdebug: observers slow every switch). Optional argument: a scale
 * factor for the iteration counts (default 1).
 *
 *   create+finish  go(fn) that returns at once / new Fiber + start()
 *   switch         Co::suspend()/Co::resume() between two coroutines /
 *                  Fiber::suspend()/resume(); ns per one-way switch
 *   ping-pong      a round trip over two Channel(1) / over two queues of a
 *                  minimal Fiber scheduler (a pop on an empty queue parks
 *                  the fiber, a push makes it ready)
 *   100k sleepers  100,000 coroutines each sleeping 1 s at once; time to
 *                  create them and until all finished, peak RSS (VmHWM)
 */
use Swoole\Coroutine;
use Swoole\Coroutine\Channel;

if (!extension_loaded('swoole')) {
    fwrite(STDERR, "load the extension: php -n -d extension=build/ext/modules/swoole.so bench/php_coroutine.php\n");
    exit(1);
}
if (extension_loaded('xdebug')) {
    fwrite(STDERR, "warning: xdebug is loaded; figures include its fiber observers\n");
}

ini_set('memory_limit', '-1'); // 100,000 coroutines need more than the default 128M
$scale = (float) ($argv[1] ?? 1);
$N_CREATE = (int) (200000 * $scale);
$N_SWITCH = (int) (1000000 * $scale);
$N_PING = (int) (300000 * $scale);

function now(): float { return hrtime(true) / 1e9; }

function status_kb(string $field): int {
    preg_match('/^' . $field . ':\s+(\d+) kB/m', file_get_contents('/proc/self/status'), $m);
    return (int) ($m[1] ?? 0);
}

/* ---- create + finish ----------------------------------------------------- */

function eddy_create(int $n): float {
    $t = 0.0;
    Co\run(function () use ($n, &$t) {
        $fn = function () {};
        $t0 = now();
        for ($i = 0; $i < $n; $i++) {
            go($fn);
        }
        $t = now() - $t0;
    });
    return $t;
}

function fiber_create(int $n): float {
    $fn = function () {};
    $t0 = now();
    for ($i = 0; $i < $n; $i++) {
        (new Fiber($fn))->start();
    }
    return now() - $t0;
}

/* ---- switch -------------------------------------------------------------- */

function eddy_switch(int $n): float {
    $t = 0.0;
    Co\run(function () use ($n, &$t) {
        $cid = go(function () {
            try {
                while (Coroutine::suspend()) {
                }
            } catch (Coroutine\CanceledException $e) {
            }
        });
        $t0 = now();
        for ($i = 0; $i < $n; $i++) {
            Coroutine::resume($cid);
        }
        $t = now() - $t0;
        Coroutine::cancel($cid, true); // ends the suspended loop
    });
    return $t;
}

function fiber_switch(int $n): float {
    $f = new Fiber(function () {
        while (true) {
            Fiber::suspend();
        }
    });
    $f->start();
    $t0 = now();
    for ($i = 0; $i < $n; $i++) {
        $f->resume();
    }
    return now() - $t0;
}

/* ---- ping-pong ----------------------------------------------------------- */

function eddy_ping(int $n): float {
    $t = 0.0;
    Co\run(function () use ($n, &$t) {
        $ping = new Channel(1);
        $pong = new Channel(1);
        go(function () use ($ping, $pong, $n) {
            for ($i = 0; $i < $n; $i++) {
                $pong->push($ping->pop());
            }
        });
        $t0 = now();
        for ($i = 0; $i < $n; $i++) {
            $ping->push($i);
            $pong->pop();
        }
        $t = now() - $t0;
    });
    return $t;
}

/* The smallest fair scheduler a Fiber user would write: a ready queue run
 * from the main context, queues whose pop parks the fiber when empty. */
final class FiberQueue {
    public array $items = [];
    public ?Fiber $waiter = null;
}

final class FiberSched {
    public static SplQueue $ready;

    static function push(FiberQueue $q, mixed $v): void {
        $q->items[] = $v;
        if ($q->waiter) {
            self::$ready->enqueue($q->waiter);
            $q->waiter = null;
        }
    }

    static function pop(FiberQueue $q): mixed {
        while (!$q->items) {
            $q->waiter = Fiber::getCurrent();
            Fiber::suspend();
        }
        return array_shift($q->items);
    }

    static function run(): void {
        while (!self::$ready->isEmpty()) {
            $f = self::$ready->dequeue();
            $f->isStarted() ? $f->resume() : $f->start();
        }
    }
}

function fiber_ping(int $n): float {
    FiberSched::$ready = new SplQueue();
    $ping = new FiberQueue();
    $pong = new FiberQueue();
    $t = 0.0;
    FiberSched::$ready->enqueue(new Fiber(function () use ($ping, $pong, $n) {
        for ($i = 0; $i < $n; $i++) {
            FiberSched::push($pong, FiberSched::pop($ping));
        }
    }));
    FiberSched::$ready->enqueue(new Fiber(function () use ($ping, $pong, $n, &$t) {
        $t0 = now();
        for ($i = 0; $i < $n; $i++) {
            FiberSched::push($ping, $i);
            FiberSched::pop($pong);
        }
        $t = now() - $t0;
    }));
    FiberSched::run();
    return $t;
}

/* ---- 100,000 sleepers ---------------------------------------------------- */

function eddy_sleepers(int $n): array {
    Coroutine::set(['max_coroutine' => $n + 10]);
    $r = [];
    $rss0 = status_kb('VmRSS');
    $t0 = now();
    Co\run(function () use ($n, &$r, $t0) {
        $done = 0;
        for ($i = 0; $i < $n; $i++) {
            go(function () use (&$done) {
                Coroutine::sleep(1);
                $done++;
            });
        }
        $r['create'] = now() - $t0;
        $r['rss_live_kb'] = status_kb('VmRSS');
        $r['php_mem'] = memory_get_usage();
    });
    $r['total'] = now() - $t0;
    $r['rss0_kb'] = $rss0;
    $r['hwm_kb'] = status_kb('VmHWM');
    return $r;
}

/* ---- report -------------------------------------------------------------- */

function best(callable $f, int $runs = 3): float {
    $b = INF;
    for ($i = 0; $i < $runs; $i++) {
        $b = min($b, $f());
    }
    return $b;
}

$rows = [];
$e = best(fn () => eddy_create($N_CREATE));
$f = best(fn () => fiber_create($N_CREATE));
$rows[] = ['create+finish', sprintf('%.0f/s', $N_CREATE / $e), sprintf('%.0f/s', $N_CREATE / $f),
           sprintf('%.0f ns', $e / $N_CREATE * 1e9), sprintf('%.0f ns', $f / $N_CREATE * 1e9), $e / $f];
$e = best(fn () => eddy_switch($N_SWITCH));
$f = best(fn () => fiber_switch($N_SWITCH));
// Each iteration is two one-way switches (there and back).
$rows[] = ['switch (one way)', '', '', sprintf('%.1f ns', $e / $N_SWITCH / 2 * 1e9),
           sprintf('%.1f ns', $f / $N_SWITCH / 2 * 1e9), $e / $f];
$e = best(fn () => eddy_ping($N_PING));
$f = best(fn () => fiber_ping($N_PING));
$rows[] = ['ping-pong round trip', '', '', sprintf('%.0f ns', $e / $N_PING * 1e9),
           sprintf('%.0f ns', $f / $N_PING * 1e9), $e / $f];

printf("PHP %s, eddy %s, %s\n", PHP_VERSION, EDDY_VERSION, php_uname('m'));
printf("%-22s %14s %14s %12s %12s %8s\n", 'figure', 'eddy rate', 'Fiber rate', 'eddy', 'Fiber', 'ratio');
foreach ($rows as $r) {
    printf("%-22s %14s %14s %12s %12s %7.2fx\n", $r[0], $r[1], $r[2], $r[3], $r[4], $r[5]);
}

$s = eddy_sleepers(100000);
printf("100,000 sleeping coroutines (1 s each): created in %.0f ms, all finished after %.0f ms;\n"
       . "  RSS %.0f MiB live (%.1f KiB each over the %.0f MiB before), VmHWM %.0f MiB, PHP heap %.0f MiB\n",
       $s['create'] * 1e3, $s['total'] * 1e3, $s['rss_live_kb'] / 1024,
       ($s['rss_live_kb'] - $s['rss0_kb']) / 100000, $s['rss0_kb'] / 1024,
       $s['hwm_kb'] / 1024, $s['php_mem'] / 1048576);
