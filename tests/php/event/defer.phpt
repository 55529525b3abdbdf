--TEST--
event: defer() runs callbacks in order after the current iteration; defers added meanwhile run in the same pass
--FILE--
<?php
Swoole\Event::defer(function () {
    echo "defer 1\n";
    Swoole\Event::defer(function () { echo "defer 3 (added by 1)\n"; });
});
var_dump(swoole_event_defer(function () { echo "defer 2\n"; }));
Swoole\Timer::after(5, function () { echo "timer\n"; });
echo "main\n";
Swoole\Event::wait();
echo "after wait\n";
Co\run(function () {
    Swoole\Event::defer(function () { echo "defer in coroutine ", Co::getCid() > 0 ? "runs in a coroutine" : "?", "\n"; });
    echo "coroutine body\n";
});
try { Swoole\Event::defer("nope"); } catch (TypeError $e) { echo get_class($e), "\n"; }
?>
--EXPECT--
bool(true)
main
defer 1
defer 2
defer 3 (added by 1)
timer
after wait
coroutine body
defer in coroutine runs in a coroutine
TypeError
