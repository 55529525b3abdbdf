--TEST--
coroutine: sleeps overlap (0.1 + 0.2 + 0.3 s take about 0.3 s)
--FILE--
<?php
$t = microtime(true);
Co\run(function () {
    foreach ([0.3, 0.1, 0.2] as $s) {
        go(function () use ($s) {
            Co::sleep($s);
            echo "slept $s\n";
        });
    }
});
$el = microtime(true) - $t;
var_dump($el >= 0.29 && $el < 0.5);
Co\run(function () {
    var_dump(Co::sleep(-1));
    var_dump(Co::sleep(0.0));
});
try {
    Co::sleep(0.1);
} catch (Swoole\Error $e) {
    echo $e->getMessage(), "\n";
}
try {
    Co::sleep("x");
} catch (TypeError $e) {
    echo get_class($e), "\n";
}
?>
--EXPECTF--
slept 0.1
slept 0.2
slept 0.3
bool(true)

Warning: Swoole\Coroutine::sleep(): Timer must be greater than or equal to 0.001 in %s on line %d
bool(false)

Warning: Swoole\Coroutine::sleep(): Timer must be greater than or equal to 0.001 in %s on line %d
bool(false)
API must be called in the coroutine
TypeError
