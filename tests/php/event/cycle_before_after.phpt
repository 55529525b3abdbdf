--TEST--
event: cycle($cb, true) runs at the start of every loop iteration, cycle($cb) at its end, both at once; iterations that only resume coroutines count; cycle callbacks alone keep nothing alive
--FILE--
<?php
// Alone, a cycle callback does not keep the loop running.
Swoole\Event::cycle(function () { echo "never: nothing to wait for\n"; });
Swoole\Event::wait();
var_dump(Swoole\Event::cycle(null), Swoole\Event::cycle(null));

$log = [];
var_dump(Swoole\Event::cycle(function () use (&$log) { $log[] = 'B'; }, true));
var_dump(Swoole\Event::cycle(function () use (&$log) { $log[] = 'A'; }));
Swoole\Timer::after(20, function () use (&$log) {
    $log[] = 't';
    Swoole\Event::defer(function () use (&$log) { $log[] = 'd'; });
});
Swoole\Event::wait();
// Every iteration is framed by B ... A; the timer and its defer run in one.
$s = implode('', $log);
var_dump(str_contains($s, 'BtdA'));
var_dump((bool) preg_match('/^(BA)*BtdA$/', $s));

// A coroutine resumed by its sleep timer makes iterations seen too.
Swoole\Event::cycle(null, true);
$log = [];
Co\run(function () use (&$log) {
    Co::sleep(0.01);
    $log[] = 's';
    Co::sleep(0.01);
    $log[] = 's';
});
$s = implode('', $log);
var_dump(substr_count($s, 's'), (bool) preg_match('/^A*sA+sA+$/', $s));
var_dump(Swoole\Event::cycle(null), Swoole\Event::cycle(null, true));

// Swoole's example: a callback that replaces itself, then clears the slot.
Swoole\Timer::after(30, function () {});
Swoole\Event::cycle(function () {
    echo "hello [1]\n";
    Swoole\Event::cycle(function () {
        echo "hello [2]\n";
        Swoole\Event::cycle(null);
    });
});
Swoole\Event::wait();
?>
--EXPECT--
bool(true)
bool(false)
bool(true)
bool(true)
bool(true)
bool(true)
int(2)
bool(true)
bool(true)
bool(false)
hello [1]
hello [2]
