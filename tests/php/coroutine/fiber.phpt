--TEST--
coroutine: a PHP Fiber works inside a coroutine, also across coroutine switches
--FILE--
<?php
Co\run(function () {
    $f = new Fiber(function ($x) {
        echo "fiber got $x, current is fiber: ", var_export(Fiber::getCurrent() !== null, true), "\n";
        $y = Fiber::suspend($x + 1);
        Co::sleep(0.01); // a coroutine switch while inside the fiber
        echo "fiber resumed with $y in coroutine ", Co::getCid(), "\n";
        return "done";
    });
    go(function () {
        var_dump(Fiber::getCurrent());
        Co::sleep(0.005);
        echo "other coroutine runs while the fiber sleeps\n";
    });
    $v = $f->start(1);
    echo "suspended with $v, current: ", var_export(Fiber::getCurrent(), true), "\n";
    $f->resume(10);
    var_dump($f->isTerminated(), $f->getReturn());
});
?>
--EXPECT--
NULL
fiber got 1, current is fiber: true
suspended with 2, current: NULL
other coroutine runs while the fiber sleeps
fiber resumed with 10 in coroutine 1
bool(true)
string(4) "done"
