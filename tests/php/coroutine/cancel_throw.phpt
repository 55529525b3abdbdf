--TEST--
coroutine: cancel($cid, true) throws Swoole\Coroutine\CanceledException in the target, out of a wait or a yield; errors; uncaught it is a fatal error
--FILE--
<?php
use Swoole\Coroutine;

var_dump(get_parent_class(Coroutine\CanceledException::class));
Co\run(function () {
    $sleeper = go(function () {
        try {
            while (true) {
                Co::sleep(0.01);
            }
        } catch (Coroutine\CanceledException $e) {
            echo "sleeper canceled: ", get_class($e), "\n";
        } finally {
            echo "sleeper cleans up\n";
        }
    });
    $yielder = go(function () {
        try {
            Co::yield(); // not cancelable without the exception
            echo "never: after yield\n";
        } catch (Coroutine\CanceledException $e) {
            echo "yielder canceled\n";
        }
    });
    Co::sleep(0.03);
    var_dump(Co::cancel($yielder), swoole_last_error() === SWOOLE_ERROR_CO_CANNOT_CANCEL);
    var_dump(Co::cancel($sleeper, true));
    var_dump(Co::exists($sleeper));
    var_dump(Co::cancel($yielder, true));
    var_dump(Co::cancel(Co::getCid(), true), swoole_last_error() === SWOOLE_ERROR_CO_CANNOT_CANCEL);
    var_dump(Co::cancel(0, true), swoole_last_error() === SWOOLE_ERROR_CO_NOT_EXISTS);
    var_dump(Co::cancel(99999, true), swoole_last_error() === SWOOLE_ERROR_CO_NOT_EXISTS);

    $uncaught = go(function () {
        Co::sleep(10);
    });
    Co::cancel($uncaught, true);
    echo "never: after the fatal error\n";
});
?>
--EXPECTF--
string(16) "Swoole\Exception"
bool(false)
bool(true)
sleeper canceled: Swoole\Coroutine\CanceledException
sleeper cleans up
bool(true)
bool(false)
yielder canceled
bool(true)
bool(false)
bool(true)
bool(false)
bool(true)
bool(false)
bool(true)

Fatal error: Uncaught Swoole\Coroutine\CanceledException: the coroutine was canceled in %s:%d
Stack trace:
#0 %s(%d): Swoole\Coroutine::sleep(10)
#1 [internal function]: {closure}()
#2 {main}
  thrown in %s on line %d
