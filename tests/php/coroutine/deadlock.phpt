--TEST--
coroutine: Co\run() reports a deadlock instead of hanging when coroutines can never wake
--FILE--
<?php
function wait_forever() { Co::yield(); }
Co\run(function () {
    go(function () { wait_forever(); });
    echo "main coroutine waits too\n";
    Co::yield();
});
echo "after run\n";
Co::set(['enable_deadlock_check' => false]);
Co\run(function () { Co::yield(); });
echo "silent\n";
?>
--EXPECTF--
main coroutine waits too

===================================================================
 [FATAL ERROR]: all coroutines (count: 2) are asleep - deadlock!
===================================================================

 [Coroutine-%d]
--------------------------------------------------------------------
#0 %s: Swoole\Coroutine::yield()
%A
 [Coroutine-%d]
--------------------------------------------------------------------
#0 %s: Swoole\Coroutine::yield()
%A
after run
silent
