--TEST--
coroutine: exit() in a coroutine unwinds the others at once, so a loop run by a shutdown function does not resume them
--FILE--
<?php
class Guard { function __destruct() { echo "guard released\n"; } }
register_shutdown_function(function () {
    echo "shutdown function\n";
    Co\run(function () {
        Co::sleep(0.2);
        var_dump(Co::stats()['coroutine_num']);
    });
    echo "shutdown run done\n";
});
Co\run(function () {
    go(function () {
        $g = new Guard;
        try {
            Co::sleep(0.1);
            echo "never: sleep\n";
        } finally {
            echo "never: finally\n"; // exit() runs no finally blocks
        }
    });
    go(function () {
        Co::sleep(0.01);
        echo "exiting\n";
        exit(3);
    });
});
echo "never: after run\n";
?>
--EXPECT--
exiting
guard released
shutdown function
int(1)
shutdown run done
