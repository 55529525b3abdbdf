--TEST--
timer: clearAll() removes every timer, from outside and from inside a callback
--FILE--
<?php
foreach ([10, 20, 30] as $ms) {
    Swoole\Timer::after($ms, function () use ($ms) { echo "fired $ms\n"; });
}
var_dump(count(iterator_to_array(Swoole\Timer::list())));
var_dump(Swoole\Timer::clearAll());
var_dump(count(iterator_to_array(Swoole\Timer::list())));

Swoole\Timer::tick(5, function () { echo "tick\n"; });
Swoole\Timer::after(100, function () { echo "never\n"; });
Swoole\Timer::after(12, function () {
    echo "clearing\n";
    var_dump(swoole_timer_clear_all());
});
$t = microtime(true);
Swoole\Event::wait();
var_dump(microtime(true) - $t < 0.09);
?>
--EXPECT--
int(3)
bool(true)
int(0)
tick
tick
clearing
bool(true)
bool(true)
