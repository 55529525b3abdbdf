--TEST--
coroutine: misuse raises Swoole\Error outside coroutines and TypeError for wrong types
--FILE--
<?php
foreach (['isCanceled', 'yield'] as $m) {
    try { Co::$m(); } catch (Swoole\Error $e) { echo "$m: ", $e->getMessage(), " (", $e->getCode(), ")\n"; }
}
try { go("no_such_function"); } catch (TypeError $e) { echo get_class($e), "\n"; }
try { Co::exists("x"); } catch (TypeError $e) { echo get_class($e), "\n"; }
var_dump(Co::getElapsed(), Co::getElapsed(777));
Co\run(function () {
    Co::sleep(0.02);
    var_dump(Co::getElapsed() >= 15);
});
?>
--EXPECT--
isCanceled: API must be called in the coroutine (10001)
yield: API must be called in the coroutine (10001)
TypeError
TypeError
int(-1)
int(-1)
bool(true)
