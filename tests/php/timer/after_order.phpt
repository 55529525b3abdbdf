--TEST--
timer: after() callbacks fire in due order with their params, each in its own coroutine
--FILE--
<?php
Co\run(function () {
    $t0 = microtime(true);
    Swoole\Timer::after(30, function (...$args) { echo "30 ", json_encode($args), "\n"; }, "a", ["b" => 1]);
    Swoole\Timer::after(10, function () use ($t0) {
        echo "10 in coroutine ", Co::getCid() > 0 ? "yes" : "no", "\n";
        Co::sleep(0.03); // a callback may block: it has its own coroutine
        echo "10 resumed after ", microtime(true) - $t0 >= 0.035 ? "40ms" : "?", "\n";
    });
    $id = swoole_timer_after(20, function () { echo "20\n"; });
    Swoole\Timer::after(20, function () { echo "20 second\n"; });
    var_dump(is_int($id) && $id > 0);
});
?>
--EXPECT--
bool(true)
10 in coroutine yes
20
20 second
30 ["a",{"b":1}]
10 resumed after 40ms
