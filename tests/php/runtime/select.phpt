--TEST--
runtime: SWOOLE_HOOK_STREAM_FUNCTION -- stream_select waits in the coroutine (others run), honours its timeout and PHP's results
--FILE--
<?php
use Swoole\Runtime;

Runtime::enableCoroutine(SWOOLE_HOOK_TCP | SWOOLE_HOOK_STREAM_FUNCTION);

Co\run(function () {
    $srv = stream_socket_server('tcp://127.0.0.1:0', $errno, $errstr);
    $addr = stream_socket_get_name($srv, false);
    $a = stream_socket_client("tcp://$addr");
    $a_peer = stream_socket_accept($srv);
    $b = stream_socket_client("tcp://$addr");
    $b_peer = stream_socket_accept($srv);

    /* nothing to read: the timeout elapses, and other coroutines run meanwhile */
    $ticks = 0;
    go(function () use (&$ticks) {
        for ($i = 0; $i < 4; $i++) {
            Co::sleep(0.05);
            $ticks++;
        }
    });
    $r = [$a, $b];
    $w = $e = null;
    $t = microtime(true);
    $n = stream_select($r, $w, $e, 0, 300000);
    $t = microtime(true) - $t;
    var_dump($n, $r, $t >= 0.29 && $t < 1.5, $ticks);

    /* data arrives on one of them while it waits: it returns early, with that one, keys kept */
    go(function () use ($b_peer) {
        Co::sleep(0.1);
        fwrite($b_peer, "ping");
    });
    $r = ['a' => $a, 'b' => $b];
    $t = microtime(true);
    $n = stream_select($r, $w, $e, 5);
    $t = microtime(true) - $t;
    var_dump($n, array_keys($r), $t >= 0.09 && $t < 1, fread($b, 4));

    /* writable at once; a null timeout waits without limit (here: not at all) */
    $r = null;
    $w = [$a];
    var_dump(stream_select($r, $w, $e, null), count($w));

    /* data PHP already buffered counts as readable, as in PHP */
    fwrite($a_peer, "line1\nline2\n");
    Co::sleep(0.05);
    fgets($a); /* reads both lines into the stream's buffer, returns one */
    $r = [$a];
    $w = null;
    var_dump(stream_select($r, $w, $e, 1), fgets($a));

    /* PHP's argument errors */
    try {
        $r = [$a];
        stream_select($r, $w, $e, -1);
    } catch (ValueError $ex) {
        echo $ex->getMessage(), "\n";
    }
    try {
        $r = [$a, 'not a stream'];
        stream_select($r, $w, $e, 0);
    } catch (TypeError $ex) {
        echo $ex->getMessage(), "\n";
    }
});

/* outside a coroutine: PHP's own */
$p = stream_socket_pair(STREAM_PF_UNIX, STREAM_SOCK_STREAM, 0);
$r = [$p[0]];
$w = $e = null;
$t = microtime(true);
var_dump(stream_select($r, $w, $e, 0, 100000), microtime(true) - $t >= 0.09);
?>
--EXPECT--
int(0)
array(0) {
}
bool(true)
int(4)
int(1)
array(1) {
  [0]=>
  string(1) "b"
}
bool(true)
string(4) "ping"
int(1)
int(1)
int(1)
string(6) "line2
"
stream_select(): Argument #4 ($seconds) must be greater than or equal to 0
stream_select(): supplied argument is not a valid stream resource
int(0)
bool(true)
