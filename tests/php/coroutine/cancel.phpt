--TEST--
coroutine: cancel() wakes a sleeping coroutine; isCanceled()
--FILE--
<?php
Co\run(function () {
    $t = microtime(true);
    $cid = go(function () use ($t) {
        $r = Co::sleep(10);
        var_dump($r, Co::isCanceled(), swoole_last_error() === SWOOLE_ERROR_CO_CANCELED || swoole_last_error() === 125);
        echo "woke early: ", var_export(microtime(true) - $t < 1, true), "\n";
    });
    Co::sleep(0.05);
    var_dump(Co::cancel($cid));
    var_dump(Co::exists($cid));
    var_dump(Co::cancel(Co::getCid()), swoole_last_error() === SWOOLE_ERROR_CO_CANNOT_CANCEL);
    var_dump(Co::cancel(99999), swoole_last_error() === SWOOLE_ERROR_CO_NOT_EXISTS);
    var_dump(Co::isCanceled());
});
?>
--EXPECT--
bool(false)
bool(true)
bool(true)
woke early: true
bool(true)
bool(false)
bool(false)
bool(true)
bool(false)
bool(true)
bool(false)
