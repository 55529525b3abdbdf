--TEST--
event: add() on a stream_socket_pair end fires the read callback with the stream; del() stops it
--FILE--
<?php
[$a, $b] = stream_socket_pair(STREAM_PF_UNIX, STREAM_SOCK_STREAM, STREAM_IPPROTO_IP);
$reads = 0;
$fd = Swoole\Event::add($a, function ($sock) use ($a, $b, &$reads) {
    var_dump($sock === $a);
    echo "read: ", fread($sock, 100), "\n";
    if (++$reads == 1) {
        Swoole\Timer::after(10, function () use ($b) { fwrite($b, "two"); });
    } else {
        var_dump(Swoole\Event::del($sock));
        var_dump(Swoole\Event::isset($sock));
        fwrite($b, "three"); // not watched any more: stays unread
        echo "wrote three\n";
    }
});
var_dump(is_int($fd) && $fd > 2);
var_dump(Swoole\Event::isset($a), Swoole\Event::isset($a, SWOOLE_EVENT_READ), Swoole\Event::isset($a, SWOOLE_EVENT_WRITE));
fwrite($b, "one");
Swoole\Event::wait();
echo "reads $reads\n";
var_dump(Swoole\Event::del($a));
var_dump(fread($a, 100));
?>
--EXPECT--
bool(true)
bool(true)
bool(true)
bool(false)
bool(true)
read: one
bool(true)
read: two
bool(true)
bool(false)
wrote three
reads 2
bool(false)
string(5) "three"
