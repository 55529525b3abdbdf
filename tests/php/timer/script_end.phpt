--TEST--
timer: timers and defers registered outside Co\run run when the main script ends
--FILE--
<?php
register_shutdown_function(function () { echo "shutdown function registered first\n"; });
Swoole\Timer::after(200, function () {
    echo "after 200\n";
    Swoole\Timer::after(10, function () { echo "nested after\n"; });
});
Swoole\Timer::tick(5, function ($id) {
    static $n = 0;
    echo "tick ", ++$n, "\n";
    if ($n == 2) {
        Swoole\Timer::clear($id);
    }
});
echo "main script ends\n";
?>
--EXPECT--
main script ends
shutdown function registered first
tick 1
tick 2
after 200
nested after
