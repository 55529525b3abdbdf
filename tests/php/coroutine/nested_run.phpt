--TEST--
coroutine: Co\run() cannot be nested
--FILE--
<?php
Co\run(function () {
    try {
        Co\run(function () { echo "never\n"; });
    } catch (Swoole\Error $e) {
        echo get_class($e), ": ", $e->getMessage(), "\n";
    }
    echo "outer continues\n";
});
var_dump(Swoole\Coroutine\run(fn() => print("second run ok\n")));
?>
--EXPECT--
Swoole\Error: Swoole\Coroutine\run() cannot be nested: it must be called outside coroutines and outside a running event loop
outer continues
second run ok
bool(true)
