--TEST--
system: waitSignal() receives a signal sent by a child (exec "kill -USR1"), times out, takes a list
--FILE--
<?php
use Swoole\Coroutine\System;

const USR1 = 10, USR2 = 12; // Linux numbers; ext/pcntl (SIGUSR1) is not loaded here

Co\run(function () {
    go(function () {
        var_dump(System::waitSignal(USR1, 5));
    });
    System::exec('kill -USR1 ' . getmypid());
    System::sleep(0.05);

    go(function () {
        var_dump(System::waitSignal([USR1, USR2]));
    });
    System::exec('kill -USR2 ' . getmypid());
    System::sleep(0.05);

    $t = microtime(true);
    var_dump(System::waitSignal(USR2, 0.1), swoole_last_error() === SOCKET_ETIMEDOUT);
    var_dump(microtime(true) - $t < 0.5);
});
echo "alive\n";
?>
--EXPECT--
int(10)
int(12)
bool(false)
bool(true)
bool(true)
alive
