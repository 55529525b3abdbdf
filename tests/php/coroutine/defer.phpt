--TEST--
coroutine: defer() callbacks run LIFO when the coroutine ends, before its context is freed
--FILE--
<?php
class D { public function __destruct() { echo "context freed\n"; } }
Co\run(function () {
    Co::getContext()['d'] = new D;
    defer(function () { echo "defer 1, ctx has d: ", isset(Co::getContext()['d']) ? "yes" : "no", "\n"; });
    Swoole\Coroutine::defer(function () { echo "defer 2\n"; });
    Swoole\Coroutine\defer(function ($ret) { echo "defer 3 sees return value $ret\n"; });
    echo "body\n";
    return 42;
});
try {
    defer(function () {});
} catch (Swoole\Error $e) {
    echo get_class($e), ": ", $e->getMessage(), "\n";
}
?>
--EXPECT--
body
defer 3 sees return value 42
defer 2
defer 1, ctx has d: yes
context freed
Swoole\Error: API must be called in the coroutine
