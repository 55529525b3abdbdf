--TEST--
runtime: SWOOLE_HOOK_SOCKETS -- socket_connect/accept/read/recv/write/select wait in the coroutine with PHP's results and timeouts
--SKIPIF--
<?php
if (!is_file(ini_get('extension_dir') . '/sockets.so') && !extension_loaded('sockets')) {
    die('skip the sockets extension is not available');
}
?>
--FILE--
<?php
/* ext/sockets must load before swoole.so (swoole registers the AF_* /
 * SOCKET_E* constants itself when sockets is absent, as Swoole does), so the
 * scenario runs in a child PHP started that way. */
$so = '';
foreach (file('/proc/self/maps') as $line) {
    if (preg_match('~\s(/\S*swoole\.so)$~', trim($line), $m)) {
        $so = $m[1];
    }
}
$child = <<<'PHP'
function scenario(): array {
    $out = [];
    $srv = socket_create(AF_INET, SOCK_STREAM, SOL_TCP);
    socket_bind($srv, '127.0.0.1', 0);
    socket_listen($srv);
    socket_getsockname($srv, $addr, $port);
    $c = socket_create(AF_INET, SOCK_STREAM, SOL_TCP);
    $out[] = socket_connect($c, 'localhost', $port);           /* a name, resolved */
    $conn = socket_accept($srv);
    socket_set_option($c, SOL_SOCKET, SO_RCVTIMEO, ['sec' => 0, 'usec' => 200000]);
    $t = microtime(true);
    $out[] = @socket_read($c, 10);                             /* times out */
    $out[] = socket_last_error($c) === SOCKET_EAGAIN;
    $out[] = microtime(true) - $t >= 0.19;
    socket_write($conn, 'hello');
    $out[] = socket_read($c, 10);
    $r = [$c];
    $w = $e = null;
    $out[] = socket_select($r, $w, $e, 0, 100000);             /* nothing: 0 after the timeout */
    socket_write($conn, 'x');
    $r = [$c];
    $out[] = socket_select($r, $w, $e, 1);
    $out[] = socket_recv($c, $buf, 10, 0);
    $out[] = $buf;
    $bad = socket_create(AF_INET, SOCK_STREAM, SOL_TCP);
    $out[] = @socket_connect($bad, '127.0.0.1', 1);            /* refused */
    $out[] = socket_last_error($bad) === SOCKET_ECONNREFUSED;
    return $out;
}
Swoole\Runtime::enableCoroutine(SWOOLE_HOOK_SOCKETS);
echo "outside: ", json_encode(scenario()), "\n";
Co\run(function () {
    $ticks = 0;
    go(function () use (&$ticks) {
        for ($i = 0; $i < 10; $i++) {
            Co::sleep(0.02);
            $ticks++;
        }
    });
    echo "inside:  ", json_encode(scenario()), "\n";
    echo "ticks while waiting: $ticks\n";
});
PHP;
$cmd = [PHP_BINARY, '-n', '-d', 'extension_dir=' . ini_get('extension_dir'), '-d', 'extension=sockets',
        '-d', "extension=$so", '-d', 'display_errors=1', '-r', $child];
$p = proc_open($cmd, [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
echo stream_get_contents($pipes[1]), stream_get_contents($pipes[2]);
proc_close($p);
?>
--EXPECT--
outside: [true,false,true,true,"hello",0,1,1,"x",false,true]
inside:  [true,false,true,true,"hello",0,1,1,"x",false,true]
ticks while waiting: 10
