--TEST--
event: exit() clears every timer and event and ends the loop
--FILE--
<?php
[$a, $b] = stream_socket_pair(STREAM_PF_UNIX, STREAM_SOCK_STREAM, STREAM_IPPROTO_IP);
Swoole\Event::add($a, function ($s) { echo "never read\n"; });
Swoole\Timer::tick(5, function () {
    static $n = 0;
    echo "tick ", ++$n, "\n";
    if ($n == 2) {
        Swoole\Event::exit();
        echo "exit called\n";
    }
});
Swoole\Timer::after(500, function () { echo "never\n"; });
$t = microtime(true);
Swoole\Event::wait();
var_dump(microtime(true) - $t < 0.4);
var_dump(Swoole\Event::isset($a), count(iterator_to_array(Swoole\Timer::list())));
echo "end\n";
?>
--EXPECT--
tick 1
tick 2
exit called
bool(true)
bool(false)
int(0)
end
