--TEST--
coroutine: exit() inside a coroutine ends the script with its status
--FILE--
<?php
register_shutdown_function(function () { echo "shutdown function runs\n"; });
Co\run(function () {
    go(function () {
        Co::sleep(0.05);
        echo "never\n";
    });
    go(function () {
        Co::sleep(0.01);
        echo "exiting\n";
        exit(0);
    });
    echo "run body done\n";
});
echo "not reached\n";
?>
--EXPECT--
run body done
exiting
shutdown function runs
