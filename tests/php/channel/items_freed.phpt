--TEST--
channel: queued arrays and objects are released when popped or when the channel is freed
--FILE--
<?php
use Swoole\Coroutine\Channel;

class Item {
    public function __construct(public string $name) {}
    public function __destruct() { echo "free {$this->name}\n"; }
}

Co\run(function () {
    $chan = new Channel(4);
    $chan->push(new Item("a"));
    $chan->push(['nested' => [new Item("b")], 'str' => str_repeat("x", 100)]);
    $obj = new Item("c");
    $chan->push($obj);
    unset($obj); // the channel still holds it
    echo "popping\n";
    $v = $chan->pop();
    unset($v);
    echo "dropping channel\n";
    unset($chan);
    echo "dropped\n";

    // the same value pushed twice, refcounted, not copied
    $arr = [1, 2, 3];
    $c2 = new Channel(2);
    $c2->push($arr);
    $c2->push($arr);
    $arr[] = 4;
    var_dump(count($c2->pop()), count($c2->pop()));

    // a value pushed by reference is stored as a value
    $x = 1;
    $r = &$x;
    $c2->push($r);
    $x = 2;
    var_dump($c2->pop());
});
echo "end\n";
?>
--EXPECT--
popping
free a
dropping channel
free b
free c
dropped
int(3)
int(3)
int(1)
end
