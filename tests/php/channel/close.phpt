--TEST--
channel: close() wakes waiting pop and push with SWOOLE_CHANNEL_CLOSED; queued items still pop
--FILE--
<?php
use Swoole\Coroutine\Channel;

Co\run(function () {
    $chan = new Channel(1);
    go(function () use ($chan) {
        $t = microtime(true);
        var_dump($chan->pop(), $chan->errCode === SWOOLE_CHANNEL_CLOSED);
        var_dump(microtime(true) - $t < 1);
    });
    Co::sleep(0.01);
    var_dump($chan->close());
    var_dump($chan->close());
    var_dump($chan->push(1), $chan->errCode);

    $full = new Channel(1);
    $full->push("kept");
    go(function () use ($full) {
        var_dump($full->push("blocked"), $full->errCode);
    });
    var_dump($full->stats()['producer_num']);
    $full->close();
    var_dump($full->pop(), $full->errCode);
    var_dump($full->pop(), $full->errCode);
    var_dump($full->pop(1), $full->errCode);
});
?>
--EXPECT--
bool(false)
bool(true)
bool(true)
bool(true)
bool(false)
bool(false)
int(-2)
int(1)
bool(false)
int(-2)
string(4) "kept"
int(0)
bool(false)
int(-2)
bool(false)
int(-2)
