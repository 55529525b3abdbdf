--TEST--
runtime: SWOOLE_HOOK_TCP/UDP/UNIX/UDG -- stream_socket_server/client, fsockopen, accept, recvfrom/sendto and timeouts in coroutines; PHP's own streams outside
--FILE--
<?php
use Swoole\Runtime;

Runtime::enableCoroutine(SWOOLE_HOOK_TCP | SWOOLE_HOOK_UDP | SWOOLE_HOOK_UNIX | SWOOLE_HOOK_UDG);

/* outside a coroutine the transports are PHP's */
$s = stream_socket_server('tcp://127.0.0.1:0', $errno, $errstr);
echo "outside: ", str_ends_with(stream_get_meta_data($s)['stream_type'], '/coroutine') ? 'hooked' : "PHP's", "\n";
fclose($s);

Co\run(function () {
    /* an echo server answering each line, ten clients at once */
    $srv = stream_socket_server('tcp://127.0.0.1:0', $errno, $errstr);
    echo "inside: ", stream_get_meta_data($srv)['stream_type'], "\n";
    $addr = stream_socket_get_name($srv, false);
    go(function () use ($srv) {
        for ($i = 0; $i < 11; $i++) {
            $conn = stream_socket_accept($srv, 5, $peer);
            if (!$conn || !preg_match('/^127\.0\.0\.1:\d+$/', $peer)) {
                echo "accept failed\n";
                return;
            }
            go(function () use ($conn) {
                while (($line = fgets($conn)) !== false) {
                    fwrite($conn, strtoupper($line));
                }
                fclose($conn);
            });
        }
    });
    $t = microtime(true);
    $replies = [];
    $wg = new Swoole\Coroutine\WaitGroup();
    for ($i = 0; $i < 10; $i++) {
        $wg->add();
        go(function () use ($addr, $i, &$replies, $wg) {
            $c = $i % 2 ? stream_socket_client("tcp://$addr", $errno, $errstr, 2)
                        : fsockopen(...explode(':', $addr));
            fwrite($c, "hello $i\n");
            Co::sleep(0.1); /* the server serves the others meanwhile */
            fwrite($c, "bye $i\n");
            $replies[$i] = fgets($c) . fgets($c);
            fclose($c);
            $wg->done();
        });
    }
    $wg->wait();
    ksort($replies);
    echo "10 clients: ", (microtime(true) - $t) < 0.9 ? "concurrent" : "serial", "\n";
    echo $replies[0], $replies[9];

    /* stream_set_timeout: a read with nothing to read ends with timed_out */
    $c = stream_socket_client("tcp://$addr", $errno, $errstr, 2);
    stream_set_timeout($c, 0, 200000);
    $t = microtime(true);
    var_dump(fread($c, 10));
    $waited = microtime(true) - $t;
    var_dump(stream_get_meta_data($c)['timed_out'], $waited >= 0.19 && $waited < 1.5);
    fwrite($c, "again\n");
    var_dump(fgets($c), stream_get_meta_data($c)['timed_out']);
    /* non-blocking: nothing there, no wait */
    stream_set_blocking($c, false);
    var_dump(fread($c, 10));
    fclose($c);

    /* errors are PHP's */
    $c = @stream_socket_client('tcp://127.0.0.1:1', $errno, $errstr, 1);
    var_dump($c, $errno, $errstr);
    $c = @stream_socket_client('tcp://nope', $errno, $errstr, 1);
    var_dump($c, $errno, $errstr);
    var_dump(@stream_socket_accept($srv, 0.1));
    fclose($srv);

    /* unix stream sockets, and EOF */
    $path = sys_get_temp_dir() . '/eddy-hook-' . getmypid() . '.sock';
    @unlink($path);
    $us = stream_socket_server("unix://$path", $errno, $errstr);
    go(function () use ($us) {
        $a = stream_socket_accept($us, 2);
        fwrite($a, "over unix\n");
        fclose($a);
    });
    $uc = stream_socket_client("unix://$path", $errno, $errstr, 2);
    echo stream_get_meta_data($uc)['stream_type'], ": ", fgets($uc);
    var_dump(fread($uc, 10), feof($uc));
    fclose($uc);
    fclose($us);
    unlink($path);

    /* UDP: datagrams keep their boundaries; recvfrom reports the sender */
    $u = stream_socket_server('udp://127.0.0.1:0', $errno, $errstr, STREAM_SERVER_BIND);
    $uaddr = stream_socket_get_name($u, false);
    go(function () use ($uaddr) {
        usleep(50000); /* the reader waits for it, in its coroutine */
        $c = stream_socket_client("udp://$uaddr");
        fwrite($c, 'one');
        stream_socket_sendto($c, 'two');
        fclose($c);
    });
    var_dump(stream_socket_recvfrom($u, 100, 0, $from), (bool) preg_match('/^127\.0\.0\.1:\d+$/', $from));
    var_dump(fread($u, 100));
    fclose($u);

    /* UNIX datagrams */
    $dpath = sys_get_temp_dir() . '/eddy-hook-' . getmypid() . '.dgram';
    @unlink($dpath);
    $d = stream_socket_server("udg://$dpath", $errno, $errstr, STREAM_SERVER_BIND);
    $dc = stream_socket_client("udg://$dpath");
    fwrite($dc, 'datagram');
    var_dump(stream_get_meta_data($d)['stream_type'], fread($d, 100));
    fclose($dc);
    fclose($d);
    unlink($dpath);
});

/* turned off: PHP's transports again, in coroutines too */
Runtime::enableCoroutine(false);
Co\run(function () {
    $s = stream_socket_server('tcp://127.0.0.1:0', $errno, $errstr);
    echo "off, inside: ", str_ends_with(stream_get_meta_data($s)['stream_type'], '/coroutine') ? 'hooked' : "PHP's", "\n";
});
?>
--EXPECT--
outside: PHP's
inside: tcp_socket/coroutine
10 clients: concurrent
HELLO 0
BYE 0
HELLO 9
BYE 9
string(0) ""
bool(true)
bool(true)
string(6) "AGAIN
"
bool(false)
string(0) ""
bool(false)
int(111)
string(18) "Connection refused"
bool(false)
int(0)
string(30) "Failed to parse address "nope""
bool(false)
unix_socket/coroutine: over unix
string(0) ""
bool(true)
string(3) "one"
bool(true)
string(3) "two"
string(20) "udg_socket/coroutine"
string(8) "datagram"
off, inside: PHP's
