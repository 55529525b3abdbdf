--TEST--
coroutine: max_coroutine limits live coroutines
--FILE--
<?php
Co::set(['max_coroutine' => 3, 'unknown_option' => 1]);
var_dump(Co::getOptions()['max_coroutine']);
Co\run(function () {
    var_dump(go(function () { Co::sleep(0.01); }));
    var_dump(go(function () { Co::sleep(0.01); }));
    var_dump(go(function () { Co::sleep(0.01); }));
    var_dump(swoole_last_error() === SWOOLE_ERROR_CO_OUT_OF_COROUTINE);
    Co::sleep(0.02);
    var_dump(go(function () {}));
});
?>
--EXPECTF--
int(3)
int(2)
int(3)

Warning: go(): exceed max number of coroutine 3 in %s on line %d
bool(false)
bool(true)
int(4)
