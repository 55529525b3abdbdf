--TEST--
timer: intervals under 1 ms warn and return false; bad arguments throw TypeError
--FILE--
<?php
var_dump(Swoole\Timer::after(0, function () {}));
var_dump(swoole_timer_tick(-5, function () {}));
try { Swoole\Timer::after(10, "no_such_function"); } catch (TypeError $e) { echo get_class($e), "\n"; }
try { Swoole\Timer::tick("x", function () {}); } catch (TypeError $e) { echo get_class($e), "\n"; }
try { Swoole\Timer::clear(); } catch (ArgumentCountError $e) { echo get_class($e), "\n"; }
var_dump(SWOOLE_TIMER_MIN_MS, SWOOLE_TIMER_MIN_SEC, SWOOLE_TIMER_MAX_MS > 0);
var_dump(Swoole\Timer::stats());
?>
--EXPECTF--
Warning: Swoole\Timer::after(): Timer must be greater than or equal to 1 in %s on line %d
bool(false)

Warning: swoole_timer_tick(): Timer must be greater than or equal to 1 in %s on line %d
bool(false)
TypeError
TypeError
ArgumentCountError
int(1)
float(0.001)
bool(true)
array(3) {
  ["initialized"]=>
  bool(false)
  ["num"]=>
  int(0)
  ["round"]=>
  int(0)
}
