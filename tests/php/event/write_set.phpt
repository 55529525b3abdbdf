--TEST--
event: write callbacks, set() swapping callbacks and events, int fds and sockets-extension Socket objects
--EXTENSIONS--
sockets
--FILE--
<?php
[$a, $b] = stream_socket_pair(STREAM_PF_UNIX, STREAM_SOCK_STREAM, STREAM_IPPROTO_IP);
var_dump(Swoole\Event::add($a, null, null));
Swoole\Event::add($a, null, function ($s) {
    echo "writable\n";
    fwrite($s, "ping");
    // switch to reading, with a new read callback
    var_dump(Swoole\Event::set($s, function ($s) {
        echo "got ", fread($s, 100), "\n";
        Swoole\Event::del($s);
    }, null, SWOOLE_EVENT_READ));
    var_dump(Swoole\Event::isset($s, SWOOLE_EVENT_WRITE), Swoole\Event::isset($s, SWOOLE_EVENT_READ));
}, SWOOLE_EVENT_WRITE);
var_dump(Swoole\Event::add($a, function () {}));

// the other end by its fd number
$fdb = Swoole\Event::add($b, function () {});
Swoole\Event::del($b);
Swoole\Event::add($fdb, function ($fd) use ($b, $fdb) {
    var_dump($fd === $fdb);
    echo "b got ", fread($b, 100), "\n";
    fwrite($b, "pong");
    Swoole\Event::del($fd);
});
Swoole\Event::wait();

socket_create_pair(AF_UNIX, SOCK_STREAM, 0, $pair);
[$x, $y] = $pair;
Swoole\Event::add($x, function ($s) use ($x) {
    var_dump($s === $x);
    echo "socket got ", socket_read($s, 100), "\n";
    Swoole\Event::del($s);
});
socket_write($y, "hello");
Swoole\Event::wait();
echo "done\n";
?>
--EXPECTF--
Warning: Swoole\Event::add(): both read and write callbacks are empty in %s on line %d
bool(false)

Warning: Swoole\Event::add(): already exist in %s on line %d
bool(false)
writable
bool(true)
bool(false)
bool(true)
bool(true)
b got ping
got pong
bool(true)
socket got hello
done
