--TEST--
timer: tick() passes ($timer_id, ...$params) and stops when cleared inside its callback
--FILE--
<?php
$count = 0;
$id = Swoole\Timer::tick(5, function ($timer_id, $a, $b) use (&$count, &$id) {
    $count++;
    echo "tick $count id-ok=", var_export($timer_id === $id, true), " $a $b\n";
    if ($count == 3) {
        var_dump(Swoole\Timer::clear($timer_id));
        var_dump(Swoole\Timer::exists($timer_id));
        var_dump(Swoole\Timer::clear($timer_id));
    }
}, "A", "B");
var_dump(swoole_timer_exists($id));
Swoole\Event::wait();
echo "count $count\n";
var_dump(Swoole\Timer::exists($id), Swoole\Timer::clear($id), swoole_timer_clear(12345));
?>
--EXPECT--
bool(true)
tick 1 id-ok=true A B
tick 2 id-ok=true A B
tick 3 id-ok=true A B
bool(true)
bool(false)
bool(false)
count 3
bool(false)
bool(false)
bool(false)
