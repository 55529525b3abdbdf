--TEST--
coroutine: exists(), list() / listCoroutines(), stats()
--FILE--
<?php
Co\run(function () {
    $ids = [];
    for ($i = 0; $i < 3; $i++) {
        $ids[] = go(function () { Co::sleep(0.02); });
    }
    var_dump(Co::exists($ids[0]), Co::exists(12345));
    $list = Co::list();
    var_dump($list instanceof Swoole\Coroutine\Iterator, $list instanceof ArrayIterator);
    $all = iterator_to_array($list);
    sort($all);
    echo implode(",", $all), "\n";
    echo count(iterator_to_array(Co::listCoroutines())), "\n";
    $s = Co::stats();
    var_dump($s['coroutine_num'], $s['coroutine_peak_num'] >= 4, $s['c_stack_size'] > 0);
});
$s = Co::stats();
var_dump($s['coroutine_num']);
var_dump(Co::exists(1));
?>
--EXPECT--
bool(true)
bool(false)
bool(true)
bool(true)
1,2,3,4
4
int(4)
bool(true)
bool(true)
int(0)
bool(false)
