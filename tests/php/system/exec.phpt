--TEST--
system: exec() output, exit code, signal, stderr, and concurrency with other coroutines
--FILE--
<?php
use Swoole\Coroutine\System;

Co\run(function () {
    var_dump(System::exec('echo hello; echo world; exit 3'));
    var_dump(System::exec('echo out; echo err >&2', true)['output']);
    $r = System::exec('kill -9 $$');
    var_dump($r['code'], $r['signal']);
    var_dump(Co::exec('printf "%s" abc')['output']);   // Swoole's Co:: alias

    // exec waits in its coroutine only: other coroutines run meanwhile,
    // and a quick command started later finishes first.
    $done = 0;
    go(function () use (&$done) { echo System::exec('sleep 0.5; echo slow')['output']; $done++; });
    go(function () { echo "other coroutine ran\n"; });
    go(function () use (&$done) { echo System::exec('echo fast')['output']; $done++; });
    while ($done < 2) {
        System::sleep(0.01);
    }
});
?>
--EXPECT--
array(3) {
  ["code"]=>
  int(3)
  ["signal"]=>
  int(0)
  ["output"]=>
  string(12) "hello
world
"
}
string(8) "out
err
"
int(0)
int(9)
string(3) "abc"
other coroutine ran
fast
slow
