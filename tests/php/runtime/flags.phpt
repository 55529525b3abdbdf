--TEST--
runtime: SWOOLE_HOOK_* values, enableCoroutine/setHookFlags/getHookFlags, Coroutine::set(['hook_flags'])
--FILE--
<?php
use Swoole\Runtime;

/* Swoole 5.1's numbers: applications pass them around as plain ints */
foreach (['TCP' => 2, 'UDP' => 4, 'UNIX' => 8, 'UDG' => 16, 'SSL' => 32, 'TLS' => 64,
          'STREAM_FUNCTION' => 128, 'STREAM_SELECT' => 128, 'FILE' => 256, 'SLEEP' => 512,
          'PROC' => 1024, 'CURL' => 2048, 'NATIVE_CURL' => 4096, 'BLOCKING_FUNCTION' => 8192,
          'SOCKETS' => 16384, 'STDIO' => 32768, 'ALL' => 2147481599] as $name => $value) {
    if (constant("SWOOLE_HOOK_$name") !== $value) {
        echo "SWOOLE_HOOK_$name is ", constant("SWOOLE_HOOK_$name"), ", not $value\n";
    }
}
var_dump(Runtime::getHookFlags());                       /* off by default */
var_dump(Runtime::enableCoroutine(SWOOLE_HOOK_TCP | SWOOLE_HOOK_SLEEP));
var_dump(Runtime::getHookFlags() === (SWOOLE_HOOK_TCP | SWOOLE_HOOK_SLEEP));
Runtime::enableCoroutine(false);
var_dump(Runtime::getHookFlags());
Runtime::enableCoroutine(true, SWOOLE_HOOK_SLEEP);       /* bool form: true takes $flags */
var_dump(Runtime::getHookFlags() === SWOOLE_HOOK_SLEEP);
var_dump(Runtime::setHookFlags(SWOOLE_HOOK_TCP));
var_dump(Runtime::getHookFlags() === SWOOLE_HOOK_TCP);
Swoole\Coroutine::set(['hook_flags' => SWOOLE_HOOK_BLOCKING_FUNCTION]);
var_dump(Runtime::getHookFlags() === SWOOLE_HOOK_BLOCKING_FUNCTION);
echo "-- SWOOLE_HOOK_ALL takes what exists, silently\n";
Runtime::enableCoroutine();                              /* SWOOLE_HOOK_ALL */
var_dump(Runtime::getHookFlags() === SWOOLE_HOOK_ALL);
echo "-- SSL and TLS are hooked like the others, without a word\n";
Runtime::enableCoroutine(SWOOLE_HOOK_TCP | SWOOLE_HOOK_SSL);
var_dump(Runtime::getHookFlags() === (SWOOLE_HOOK_TCP | SWOOLE_HOOK_SSL));
Runtime::enableCoroutine(SWOOLE_HOOK_TLS);
Runtime::setHookFlags(0);
var_dump(Runtime::getHookFlags());
?>
--EXPECTF--
int(0)
bool(true)
bool(true)
int(0)
bool(true)
bool(true)
bool(true)
bool(true)
-- SWOOLE_HOOK_ALL takes what exists, silently
bool(true)
-- SSL and TLS are hooked like the others, without a word
bool(true)
int(0)
