--TEST--
channel: stats(), length(), isEmpty(), isFull(), capacity and the constants
--FILE--
<?php
use Swoole\Coroutine\Channel;

var_dump(SWOOLE_CHANNEL_OK, SWOOLE_CHANNEL_TIMEOUT, SWOOLE_CHANNEL_CLOSED, SWOOLE_CHANNEL_CANCELED);
var_dump((new Channel)->capacity, (new Channel(0))->capacity, (new Channel(-5))->capacity);
var_dump(Chan::class, new Co\Channel(3) instanceof Channel);

Co\run(function () {
    $chan = new Channel(2);
    var_dump($chan->capacity, $chan->length(), $chan->isEmpty(), $chan->isFull());
    $chan->push(1);
    var_dump($chan->length(), $chan->isEmpty(), $chan->isFull());
    $chan->push(2);
    var_dump($chan->length(), $chan->isEmpty(), $chan->isFull());
    var_dump($chan->stats());

    go(function () use ($chan) { $chan->push(3); });
    go(function () use ($chan) { $chan->push(4); });
    var_dump($chan->stats());
    for ($i = 0; $i < 4; $i++) {
        $chan->pop();
    }

    go(function () use ($chan) { $chan->pop(); });
    var_dump($chan->stats());
    $chan->push("x");
    var_dump($chan->stats());
});
?>
--EXPECT--
int(0)
int(-1)
int(-2)
int(-3)
int(1)
int(1)
int(1)
string(4) "Chan"
bool(true)
int(2)
int(0)
bool(true)
bool(false)
int(1)
bool(false)
bool(false)
int(2)
bool(false)
bool(true)
array(3) {
  ["consumer_num"]=>
  int(0)
  ["producer_num"]=>
  int(0)
  ["queue_num"]=>
  int(2)
}
array(3) {
  ["consumer_num"]=>
  int(0)
  ["producer_num"]=>
  int(2)
  ["queue_num"]=>
  int(2)
}
array(3) {
  ["consumer_num"]=>
  int(1)
  ["producer_num"]=>
  int(0)
  ["queue_num"]=>
  int(0)
}
array(3) {
  ["consumer_num"]=>
  int(0)
  ["producer_num"]=>
  int(0)
  ["queue_num"]=>
  int(0)
}
