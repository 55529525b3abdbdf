--TEST--
runtime: SWOOLE_HOOK_SLEEP -- sleep/usleep/time_nanosleep/time_sleep_until yield in coroutines, block outside, and block again once off
--FILE--
<?php
use Swoole\Runtime;

function timed(callable $fn): float {
    $t = microtime(true);
    $fn();
    return microtime(true) - $t;
}

Runtime::enableCoroutine(SWOOLE_HOOK_SLEEP);

/* 100 coroutines each sleeping 0.2 s take about one sleep, not 20 s */
$ret = [];
$t = timed(function () use (&$ret) {
    Co\run(function () use (&$ret) {
        for ($i = 0; $i < 25; $i++) {
            go(function () use (&$ret) { $ret['usleep'][] = usleep(200000); });
            go(function () use (&$ret) { $ret['nanosleep'][] = time_nanosleep(0, 200000000); });
            go(function () use (&$ret) { $ret['until'][] = time_sleep_until(microtime(true) + 0.2); });
        }
        for ($i = 0; $i < 25; $i++) {
            go(function () use (&$ret) { $ret['sleep'][] = sleep(1); });
        }
    });
});
echo "100 sleepers: ", ($t >= 0.99 && $t < 1.5) ? "one sleep" : "took $t s", "\n";
foreach ($ret as $fn => $values) {
    echo "$fn: ", count($values), " x ", json_encode(array_unique($values, SORT_REGULAR)), "\n";
}

/* a sleeping coroutine lets the others run: the ticker ticks meanwhile */
Co\run(function () {
    $ticks = 0;
    go(function () use (&$ticks) { for ($i = 0; $i < 5; $i++) { usleep(20000); $ticks++; } });
    usleep(200000);
    echo "ticks while sleeping: $ticks\n";
});

/* PHP's checks and results stay PHP's */
Co\run(function () {
    try { sleep(-1); } catch (ValueError $e) { echo $e->getMessage(), "\n"; }
    try { usleep(-1); } catch (ValueError $e) { echo $e->getMessage(), "\n"; }
    var_dump(time_sleep_until(microtime(true) - 10));
    var_dump(time_nanosleep(0, 1000000000));
});

/* outside a coroutine: PHP's own, it blocks */
$t = timed(fn() => usleep(100000));
echo "outside: ", $t >= 0.1 ? "blocked" : "did not block ($t)", "\n";

/* off again: inside coroutines they block the worker, so they run one after another */
Runtime::enableCoroutine(false);
$t = timed(function () {
    Co\run(function () {
        for ($i = 0; $i < 3; $i++) {
            go(fn() => usleep(100000));
        }
    });
});
echo "hooks off: ", $t >= 0.3 ? "serial" : "concurrent ($t)", "\n";
?>
--EXPECTF--
100 sleepers: one sleep
usleep: 25 x [null]
nanosleep: 25 x [true]
until: 25 x [true]
sleep: 25 x [0]
ticks while sleeping: 5
sleep(): Argument #1 ($seconds) must be greater than or equal to 0
usleep(): Argument #1 ($microseconds) must be greater than or equal to 0

Warning: time_sleep_until(): Argument #1 ($timestamp) must be greater than or equal to the current time in %s on line %d
bool(false)

Warning: time_nanosleep(): Nanoseconds was not in the range 0 to 999 999 999 or seconds was negative in %s on line %d
bool(false)
outside: blocked
hooks off: serial
