--TEST--
co_http: Swoole's coroutine chat room: each handler keeps its $ws in a shared array and pushes every message to all members from its own coroutine; a ticker coroutine pushes to everyone; twenty coroutines pushing 300 KB each to one slow reader at once deliver twenty whole frames; a member that vanished gets push() false (error 1004), no crash
--FILE--
<?php
require __DIR__ . '/co_http.inc';
require __DIR__ . '/../websocket/ws.inc';
$h = co_http_start(<<<'PHP'
$members = [];
$server->handle('/chat', function ($req, $ws) use (&$members) {
    $ws->upgrade();
    $id = spl_object_id($ws);
    $members[$id] = $ws;
    while (true) {
        $frame = $ws->recv();
        if ($frame === '' || $frame === false || $frame instanceof Swoole\WebSocket\CloseFrame) {
            echo "left: ", $frame === false ? 'error ' . swoole_last_error() : 'closed', "\n";
            unset($members[$id]);
            $ws->close();
            break;
        }
        if ($frame->data === 'tick') { /* another coroutine pushes to everyone */
            go(function () use (&$members) {
                for ($i = 1; $i <= 3; $i++) {
                    Swoole\Coroutine::sleep(0.02);
                    foreach ($members as $m) $m->push("tick $i");
                }
            });
            continue;
        }
        if ($frame->data === 'flood') { /* 20 coroutines push to this one at once */
            for ($i = 0; $i < 20; $i++) {
                go(function () use ($ws, $i) { $ws->push(str_repeat(chr(65 + $i), 300000)); });
            }
            continue;
        }
        if ($frame->data === 'stale') { /* push to a connection that is gone */
            $gone = $members['gone'] ?? null;
            $ws->push('stale push ' . var_export($gone ? $gone->push('x') : null, true) . ' ' . swoole_last_error());
            continue;
        }
        if ($frame->data === 'keep') { /* this one will vanish: keep its object */
            $members['gone'] = $ws;
            unset($members[$id]);
            $ws->push('kept');
            while (($f = $ws->recv()) !== '' && $f !== false) {}
            echo "vanished member's recv: ", var_export($f, true), "\n";
            break;
        }
        foreach ($members as $k => $m) {
            if ($k !== 'gone') $m->push("{$id} says {$frame->data}");
        }
    }
});
PHP);
$port = $h['port'];
[$a] = ws_connect($port, '/chat');
[$b] = ws_connect($port, '/chat');
foreach (['hello', 'how are you'] as $i => $msg) {
    ws_send($i ? $b : $a, $msg);
    $fa = ws_read($a)['payload'];
    $fb = ws_read($b)['payload'];
    echo $fa === $fb ? preg_replace('/^\d+/', 'N', $fa) : "differ: $fa / $fb", "\n";
}
ws_send($a, 'tick');
for ($i = 0; $i < 3; $i++) {
    echo ws_read($a)['payload'], ' / ', ws_read($b)['payload'], "\n";
}
ws_send($b, 'flood');
usleep(300000); /* the 20 pushes wait for us to read */
$seen = [];
for ($i = 0; $i < 20; $i++) {
    $f = ws_read($b);
    $p = $f['payload'] ?? '';
    if (strlen($p) != 300000 || $p !== str_repeat($p[0], 300000)) { echo "frame $i mixed up\n"; break; }
    $seen[] = $p[0];
}
sort($seen);
echo count($seen), ' whole frames ', implode('', $seen), "\n";
[$c] = ws_connect($port, '/chat');
ws_send($c, 'keep');
echo ws_read($c)['payload'], "\n";
fclose($c); /* vanishes */
usleep(200000);
ws_send($a, 'stale');
echo ws_read($a)['payload'], "\n";
fclose($a);
fclose($b);
usleep(200000);
echo ws_output($h), "\n";
?>
--EXPECT--
N says hello
N says how are you
tick 1 / tick 1
tick 2 / tick 2
tick 3 / tick 3
20 whole frames ABCDEFGHIJKLMNOPQRST
kept
stale push false 1004
vanished member's recv: ''
left: closed
left: closed
