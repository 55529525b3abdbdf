--TEST--
coroutine: getBackTrace() / printBackTrace() of the current and of another coroutine
--FILE--
<?php
function inner() { Co::sleep(0.05); }
function outer() { inner(); }
Co\run(function () {
    $cid = go(function () { outer(); });
    $bt = Co::getBackTrace($cid);
    echo implode(" <- ", array_map(fn($f) => ($f['class'] ?? '') . ($f['type'] ?? '') . $f['function'], $bt)), "\n";
    $mine = Co::getBackTrace();
    echo $mine[0]['function'], "\n";
    var_dump(Co::getBackTrace(99999));
    Co::printBackTrace($cid, DEBUG_BACKTRACE_IGNORE_ARGS);
});
?>
--EXPECTF--
Swoole\Coroutine::sleep <- inner <- outer <- {closure}%A
{closure}
bool(false)
#0 %s(2): Swoole\Coroutine::sleep()
#1 %s(3): inner()
#2 %s(5): outer()
#3 [internal function]: {closure}()%A
