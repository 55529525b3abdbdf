--TEST--
channel: blocking outside a coroutine throws Swoole\Error; bad arguments throw TypeError; cancel gives SWOOLE_CHANNEL_CANCELED
--FILE--
<?php
use Swoole\Coroutine\Channel;

$chan = new Channel(1);
// calls that need not block work anywhere
var_dump($chan->push("x"), $chan->pop(), $chan->pop(0), $chan->errCode);
try {
    $chan->pop();
} catch (Swoole\Error $e) {
    echo get_class($e), ": ", $e->getMessage(), "\n";
}
$chan->push(1);
try {
    $chan->push(2, 1);
} catch (Swoole\Error $e) {
    echo get_class($e), ": ", $e->getMessage(), "\n";
}
try {
    $chan->pop("soon");
} catch (TypeError $e) {
    echo get_class($e), "\n";
}
try {
    new Channel("big");
} catch (TypeError $e) {
    echo get_class($e), "\n";
}
try {
    clone $chan;
} catch (Error $e) {
    echo $e->getMessage(), "\n";
}
try {
    serialize($chan);
} catch (Exception $e) {
    echo $e->getMessage(), "\n";
}

Co\run(function () {
    $chan = new Channel(1);
    $cid = go(function () use ($chan) {
        var_dump($chan->pop(), $chan->errCode === SWOOLE_CHANNEL_CANCELED);
    });
    Co::cancel($cid);
});
?>
--EXPECT--
bool(true)
string(1) "x"
bool(false)
int(-1)
Swoole\Error: API must be called in the coroutine
Swoole\Error: API must be called in the coroutine
TypeError
TypeError
Trying to clone an uncloneable object of class Swoole\Coroutine\Channel
Serialization of 'Swoole\Coroutine\Channel' is not allowed
bool(false)
bool(true)
