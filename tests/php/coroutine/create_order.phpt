--TEST--
coroutine: go() runs the child at once, returns its id when it yields; ids are sequential
--FILE--
<?php
echo "cid outside: ", Co::getCid(), "\n";
$r = Co\run(function () {
    echo "run: ", Co::getCid(), "\n";
    $a = go(function () {
        echo "a start ", Co::getCid(), "\n";
        Co::sleep(0.01);
        echo "a end\n";
    });
    echo "back in run, a = $a\n";
    $b = Swoole\Coroutine::create(function ($x, $y) {
        echo "b args $x $y, cid ", Co::getCid(), "\n";
    }, 1, 2);
    echo "b = $b finished: ", var_export(Co::exists($b), true), "\n";
    $c = Swoole\Coroutine\go(fn() => Co::getCid());
    echo "c = $c\n";
});
var_dump($r);
echo "after run: ", Co::getCid(), "\n";
?>
--EXPECT--
cid outside: -1
run: 1
a start 2
back in run, a = 2
b args 1 2, cid 3
b = 3 finished: false
c = 4
a end
bool(true)
after run: -1
