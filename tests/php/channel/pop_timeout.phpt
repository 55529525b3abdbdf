--TEST--
channel: pop and push time out with errCode SWOOLE_CHANNEL_TIMEOUT after about the timeout
--FILE--
<?php
use Swoole\Coroutine\Channel;

Co\run(function () {
    $chan = new Channel(1);
    $t = microtime(true);
    var_dump($chan->pop(0.1));
    $dt = microtime(true) - $t;
    var_dump($chan->errCode === SWOOLE_CHANNEL_TIMEOUT, $chan->errCode);
    var_dump($dt >= 0.095 && $dt < 0.5);

    // 0: do not wait at all
    $t = microtime(true);
    var_dump($chan->pop(0), $chan->errCode, microtime(true) - $t < 0.05);

    // a tiny positive timeout still waits (rounded up to 1 ms)
    var_dump($chan->pop(0.0001), $chan->errCode);

    var_dump($chan->push("a"), $chan->errCode);
    $t = microtime(true);
    var_dump($chan->push("b", 0.05), $chan->errCode);
    $dt = microtime(true) - $t;
    var_dump($dt >= 0.045 && $dt < 0.5);
    var_dump($chan->pop(), $chan->errCode);
});
?>
--EXPECT--
bool(false)
bool(true)
int(-1)
bool(true)
bool(false)
int(-1)
bool(true)
bool(false)
int(-1)
bool(true)
int(0)
bool(false)
int(-1)
bool(true)
string(1) "a"
int(0)
