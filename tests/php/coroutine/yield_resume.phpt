--TEST--
coroutine: yield()/suspend() and resume()
--FILE--
<?php
$id = go(function () {
    $id = Co::getuid();
    echo "start coro $id\n";
    var_dump(Co::suspend());
    echo "resume coro $id @1\n";
    Co::yield();
    echo "resume coro $id @2\n";
});
echo "start to resume $id @1\n";
var_dump(Co::resume($id));
echo "start to resume $id @2\n";
Co::resume($id);
echo "main\n";
var_dump(@Co::resume($id));
Co\run(function () {
    $cid = go(function () { Co::sleep(0.05); });
    var_dump(Co::resume($cid));
});
try { Co::yield(); } catch (Swoole\Error $e) { echo $e->getMessage(), "\n"; }
?>
--EXPECTF--
start coro 1
start to resume 1 @1
bool(true)
resume coro 1 @1
bool(true)
start to resume 1 @2
resume coro 1 @2
main
bool(false)

Warning: Swoole\Coroutine::resume(): can not resume the coroutine which is in IO operation or non-existent in %s on line %d
bool(false)
API must be called in the coroutine
