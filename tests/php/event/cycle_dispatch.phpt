--TEST--
event: cycle() runs after loop iterations with callbacks; dispatch() runs one such iteration
--FILE--
<?php
$cycles = 0;
var_dump(Swoole\Event::cycle(function () use (&$cycles) { $cycles++; }));
Swoole\Timer::tick(5, function ($id) {
    static $n = 0;
    if (++$n == 3) {
        Swoole\Timer::clear($id);
    }
});
Swoole\Event::wait();
var_dump($cycles >= 3);
var_dump(Swoole\Event::cycle(null), Swoole\Event::cycle(null));

$fired = 0;
Swoole\Timer::tick(5, function () use (&$fired) { $fired++; });
var_dump(Swoole\Event::dispatch());
var_dump($fired);
Swoole\Event::dispatch();
var_dump($fired);
Swoole\Timer::clearAll();
var_dump(Swoole\Event::dispatch()); // nothing to wait for: returns at once
?>
--EXPECT--
bool(true)
bool(true)
bool(true)
bool(false)
bool(true)
int(1)
int(2)
bool(true)
