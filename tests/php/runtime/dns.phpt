--TEST--
runtime: SWOOLE_HOOK_BLOCKING_FUNCTION -- gethostbyname resolves on the engine's pool in a coroutine, with PHP's results
--FILE--
<?php
use Swoole\Runtime;

Runtime::enableCoroutine(SWOOLE_HOOK_BLOCKING_FUNCTION);
Co\run(function () {
    var_dump(gethostbyname('localhost'));
    var_dump(gethostbyname('127.0.0.1'));
    var_dump(gethostbyname('no-such-host.invalid'));    /* unresolved: the name back */
    var_dump(gethostbyname(str_repeat('a', 256)));
    /* ten lookups at once, each in its coroutine */
    $got = [];
    for ($i = 0; $i < 10; $i++) {
        go(function () use (&$got) { $got[] = gethostbyname('localhost'); });
    }
    Co::sleep(0.5);
    var_dump(array_count_values($got));
});
var_dump(gethostbyname('localhost'));                   /* outside: PHP's own */
?>
--EXPECTF--
string(9) "127.0.0.1"
string(9) "127.0.0.1"
string(20) "no-such-host.invalid"

Warning: gethostbyname(): Host name cannot be longer than 255 characters in %s on line %d
bool(false)
array(1) {
  ["127.0.0.1"]=>
  int(10)
}
string(9) "127.0.0.1"
