--TEST--
channel: several producers and consumers in Co\run lose and duplicate no item
--FILE--
<?php
use Swoole\Coroutine\Channel;

Co\run(function () {
    $chan = new Channel(4);
    $got = [];
    $done = new Channel(2);
    foreach ([1, 2, 3] as $p) {
        go(function () use ($chan, $p) {
            for ($i = 0; $i < 100; $i++) {
                $chan->push("$p:$i");
                if ($i % 17 == 0) {
                    Co::sleep(0.001);
                }
            }
        });
    }
    foreach ([1, 2] as $c) {
        go(function () use ($chan, $done, &$got) {
            while (($item = $chan->pop(0.5)) !== false) {
                $got[] = $item;
            }
            $done->push($chan->errCode);
        });
    }
    var_dump($done->pop(), $done->pop());
    sort($got);
    $want = [];
    foreach ([1, 2, 3] as $p) {
        for ($i = 0; $i < 100; $i++) {
            $want[] = "$p:$i";
        }
    }
    sort($want);
    var_dump(count($got), $got === $want);
});
?>
--EXPECT--
int(-1)
int(-1)
int(300)
bool(true)
