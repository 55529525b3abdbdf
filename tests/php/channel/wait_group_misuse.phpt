--TEST--
channel: WaitGroup misuse throws LogicException subclasses as Swoole's library does
--FILE--
<?php
use Swoole\Coroutine\WaitGroup;

$wg = new WaitGroup();
try { $wg->add(-1); } catch (LogicException $e) { echo get_class($e), ": ", $e->getMessage(), "\n"; }
try { $wg->done(); } catch (LogicException $e) { echo get_class($e), ": ", $e->getMessage(), "\n"; }
$wg->add(1);
try { $wg->wait(); } catch (Swoole\Error $e) { echo get_class($e), ": ", $e->getMessage(), "\n"; }
$wg->add(-1);
var_dump($wg->count());

Co\run(function () {
    $wg = new WaitGroup(1);
    go(function () use ($wg) {
        Co::sleep(0.001);
        try { $wg->add(1); } catch (LogicException $e) { echo get_class($e), ": ", $e->getMessage(), "\n"; }
        $wg->done();
    });
    $wg->wait();
    echo "waited\n";
});
try { $wg->add("x"); } catch (TypeError $e) { echo get_class($e), "\n"; }
?>
--EXPECT--
InvalidArgumentException: negative WaitGroup counter
BadMethodCallException: negative WaitGroup counter
Swoole\Error: API must be called in the coroutine
int(0)
BadMethodCallException: WaitGroup misuse: add called concurrently with wait
waited
TypeError
