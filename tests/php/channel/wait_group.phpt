--TEST--
channel: WaitGroup waits for N coroutines; count(), timeout, and the constructor's delta
--FILE--
<?php
use Swoole\Coroutine\WaitGroup;

Co\run(function () {
    $wg = new WaitGroup();
    $done = [];
    for ($i = 3; $i >= 1; $i--) {
        $wg->add();
        go(function () use ($wg, $i, &$done) {
            Co::sleep($i * 0.01);
            $done[] = $i;
            $wg->done();
        });
    }
    var_dump($wg->count());
    var_dump($wg->wait());
    var_dump($done, $wg->count());
    var_dump($wg->wait()); // count 0: at once

    $wg = new WaitGroup(2);
    var_dump($wg->count());
    go(function () use ($wg) { $wg->done(); });
    $t = microtime(true);
    var_dump($wg->wait(0.05));
    var_dump(microtime(true) - $t >= 0.045, $wg->count());
    $wg->done();
    var_dump($wg->wait(0.05));

    // several waiters all wake
    $wg = new WaitGroup(1);
    foreach ([1, 2] as $n) {
        go(function () use ($wg, $n) { $wg->wait(); echo "waiter $n woke\n"; });
    }
    $wg->done();
    echo "done\n";
});
// a count of 0 needs no coroutine
var_dump((new WaitGroup)->wait());
?>
--EXPECT--
int(3)
bool(true)
array(3) {
  [0]=>
  int(1)
  [1]=>
  int(2)
  [2]=>
  int(3)
}
int(0)
bool(true)
int(2)
bool(false)
bool(true)
int(1)
bool(true)
waiter 1 woke
waiter 2 woke
done
bool(true)
