--TEST--
timer: info(), list() and stats()
--FILE--
<?php
var_dump(Swoole\Timer::info(1));
$a = Swoole\Timer::after(50, function () {});
$b = Swoole\Timer::tick(20, function ($id) {
    static $n = 0;
    if (++$n == 2) {
        $info = Swoole\Timer::info($id);
        var_dump($info['exec_count'], $info['interval'], $info['removed']);
        Swoole\Timer::clear($id);
        var_dump(Swoole\Timer::info($id)['removed']);
    }
});
var_dump($b === $a + 1);
$list = Swoole\Timer::list();
var_dump($list instanceof Swoole\Timer\Iterator, $list instanceof ArrayIterator);
var_dump(iterator_to_array($list) === [$a, $b], iterator_to_array(swoole_timer_list()) === [$a, $b]);
$info = Swoole\Timer::info($a);
var_dump(array_keys($info));
var_dump($info['exec_msec'] >= 49 && $info['exec_msec'] <= 60, $info['exec_count'], $info['interval'], $info['removed']);
$stats = Swoole\Timer::stats();
var_dump($stats['initialized'], $stats['num'], is_int($stats['round']));
var_dump(swoole_timer_info(999), Swoole\Timer::exists(999));
Swoole\Event::wait();
var_dump(Swoole\Timer::stats()['num'], Swoole\Timer::stats()['round'] >= 2);
var_dump(iterator_to_array(Swoole\Timer::list()));
?>
--EXPECT--
NULL
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
array(5) {
  [0]=>
  string(9) "exec_msec"
  [1]=>
  string(10) "exec_count"
  [2]=>
  string(8) "interval"
  [3]=>
  string(5) "round"
  [4]=>
  string(7) "removed"
}
bool(true)
int(0)
int(0)
bool(false)
bool(true)
int(2)
bool(true)
NULL
bool(false)
int(2)
int(20)
bool(false)
bool(true)
int(0)
bool(true)
array(0) {
}
