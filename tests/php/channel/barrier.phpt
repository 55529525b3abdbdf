--TEST--
channel: Barrier::wait() returns when every coroutine holding the barrier has dropped it
--FILE--
<?php
use Swoole\Coroutine\Barrier;

Co\run(function () {
    $barrier = Barrier::make();
    $count = 0;
    foreach ([3, 1, 2] as $i) {
        go(function () use ($barrier, $i, &$count) {
            Co::sleep($i * 0.01);
            $count++;
        });
    }
    Barrier::wait($barrier);
    var_dump($count, $barrier);

    // no other holder: returns at once
    $b = Barrier::make();
    $t = microtime(true);
    Barrier::wait($b);
    var_dump($b, microtime(true) - $t < 0.01);

    // timeout: returns although a holder still has it
    $b = Barrier::make();
    go(function () use ($b) { Co::sleep(0.2); echo "holder done\n"; });
    $t = microtime(true);
    Barrier::wait($b, 0.05);
    $dt = microtime(true) - $t;
    var_dump($dt >= 0.045 && $dt < 0.15);
    echo "timed out\n";
});
try {
    $b = Barrier::make();
    Barrier::wait($b);
} catch (Swoole\Error $e) {
    echo $e->getMessage(), "\n";
}
try {
    $x = new stdClass;
    Barrier::wait($x);
} catch (TypeError $e) {
    echo get_class($e), "\n";
}
?>
--EXPECT--
int(3)
NULL
NULL
bool(true)
bool(true)
timed out
holder done
API must be called in the coroutine
TypeError
