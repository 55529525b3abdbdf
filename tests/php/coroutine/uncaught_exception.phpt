--TEST--
coroutine: an uncaught exception is reported like any uncaught exception and ends the script
--FILE--
<?php
register_shutdown_function(function () { echo "shutdown function runs\n"; });
Co\run(function () {
    go(function () {
        Co::sleep(0.01);
        echo "never\n";
    });
    go(function () {
        throw new Exception("boom");
    });
    echo "never either\n";
});
echo "not reached\n";
?>
--EXPECTF--
%AFatal error: Uncaught Exception: boom in %s:%d
Stack trace:
#0 [internal function]: {closure}()
#1 %A
  thrown in %s on line %d
shutdown function runs
