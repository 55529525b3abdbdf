--TEST--
system: misuse — outside a coroutine, bad arguments, too short sleeps
--FILE--
<?php
use Swoole\Coroutine\System;

foreach (['sleep' => [1], 'exec' => ['true'], 'readFile' => [__FILE__], 'gethostbyname' => ['localhost'], 'waitPid' => [1], 'waitSignal' => [10]] as $m => $args) {
    try {
        System::$m(...$args);
    } catch (Swoole\Error $e) {
        echo "$m: ", $e->getMessage(), "\n";
    }
}
Co\run(function () {
    foreach ([[[]], [9], [[10, 'x']], [65]] as $args) {
        try {
            System::waitSignal(...$args);
        } catch (ValueError | TypeError $e) {
            echo get_class($e), ": ", $e->getMessage(), "\n";
        }
    }
    try {
        System::readFile([]);
    } catch (TypeError $e) {
        echo get_class($e), ": ", $e->getMessage(), "\n";
    }
    try {
        System::waitPid(0);
    } catch (ValueError $e) {
        echo get_class($e), ": ", $e->getMessage(), "\n";
    }
    var_dump(System::sleep(0));
    var_dump(System::sleep(0.01));
});
?>
--EXPECTF--
sleep: API must be called in the coroutine
exec: API must be called in the coroutine
readFile: API must be called in the coroutine
gethostbyname: API must be called in the coroutine
waitPid: API must be called in the coroutine
waitSignal: API must be called in the coroutine
ValueError: Swoole\Coroutine\System::waitSignal(): Argument #1 ($signals) must not be empty
ValueError: Swoole\Coroutine\System::waitSignal(): Argument #1 ($signals) must hold signal numbers from 1 to 64 (not SIGKILL or SIGSTOP), 9 given
TypeError: Swoole\Coroutine\System::waitSignal(): Argument #1 ($signals) must contain only signal numbers
ValueError: Swoole\Coroutine\System::waitSignal(): Argument #1 ($signals) must hold signal numbers from 1 to 64 (not SIGKILL or SIGSTOP), 65 given
TypeError: Swoole\Coroutine\System::readFile(): Argument #1 ($filename) must be of type string, array given
ValueError: Swoole\Coroutine\System::waitPid(): Argument #1 ($pid) must be a process id, or -1 for any child

Warning: Swoole\Coroutine\System::sleep(): Timer must be greater than or equal to 0.001 in %s on line %d
bool(false)
bool(true)
