--TEST--
websocket: each message runs in its own coroutine (enable_coroutine): a handler sleeping does not hold up the next message of the same connection, whose reply overtakes it; a handler that throws is reported and the server keeps serving
--FILE--
<?php
require __DIR__ . '/ws.inc';
$h = server_start(ws_server_code(<<<'PHP'
$s->on('message', function ($s, $f) {
    if ($f->data === 'throw') {
        throw new RuntimeException('thrown by the message handler');
    }
    if ($f->data === 'slow') {
        Swoole\Coroutine::sleep(0.3);
    }
    $s->push($f->fd, "done {$f->data} in coroutine " . (Swoole\Coroutine::getCid() > 0 ? 'yes' : 'no'));
});
PHP));
[$c, $r] = ws_connect($h['port']);
$t = microtime(true);
ws_send($c, 'slow');
ws_send($c, 'fast');
$a = ws_read($c)['payload'];
$fast_ms = (microtime(true) - $t) * 1000;
$b = ws_read($c)['payload'];
echo "$a\n$b\n";
echo 'fast reply before the sleep ended: ', json_encode($fast_ms < 250), "\n";
fclose($c);

[$c, $r] = ws_connect($h['port']);
ws_send($c, 'throw');
echo 'the throwing connection: ', json_encode(ws_read($c)), "\n";
fclose($c);
$deadline = microtime(true) + 5;
do { /* the worker is replaced: retry until it serves */
    usleep(50000);
    [$c, $r] = ws_connect($h['port']);
    if ($r && $r['status'] == 101) {
        ws_send($c, 'after');
        $reply = ws_read($c)['payload'] ?? null;
    }
    fclose($c);
} while (empty($reply) && microtime(true) < $deadline);
echo $reply, "\n";
echo ws_output($h), "\n";
?>
--EXPECTF--
done fast in coroutine yes
done slow in coroutine yes
fast reply before the sleep ended: true
the throwing connection: null
done after in coroutine yes
%AUncaught RuntimeException: thrown by the message handler%A
