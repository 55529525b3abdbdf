--TEST--
co_http: protocol errors on the coroutine WebSocket server close the connection as the event server does (an unmasked frame 1002, text that is not UTF-8 1007, a frame over package_max_length 1009) and the handler's recv() then returns ''; a client that vanishes mid-recv() ends it with '' (1004); recv() in two coroutines at once: the second gets false; shutdown() from another handler ends a waiting recv() with '' and start() returns true
--FILE--
<?php
require __DIR__ . '/co_http.inc';
require __DIR__ . '/../websocket/ws.inc';
$h = co_http_start(<<<'PHP'
$server->set(['package_max_length' => 1000]);
$server->handle('/stop', function ($req, $resp) use ($server) {
    $resp->end('stopping');
    $server->shutdown();
});
$server->handle('/', function ($req, $ws) {
    $ws->upgrade();
    while (true) {
        $f = $ws->recv();
        if ($f === '' || $f === false) {
            echo "{$req->server['request_uri']}: recv ", var_export($f, true), ' ', swoole_last_error(), "\n";
            break;
        }
        if ($f->data === 'twice') {
            go(function () use ($ws) {
                Swoole\Coroutine::sleep(0.05); /* the handler waits in recv() by now */
                $r = $ws->recv(0.1);
                $ws->push('second recv ' . var_export($r, true) . ' ' . swoole_last_error());
            });
            continue;
        }
        $ws->push($f->data);
    }
});
PHP);
$port = $h['port'];
$cases = [
    '/unmasked' => "\x81\x02hi",                              /* no mask bit */
    '/utf8' => null,                                            /* "\xc3\x28" as text */
    '/big' => "\x82\xfe\x07\xd0" . "abcd" . str_repeat('x', 2000), /* 2000 bytes > 1000 */
];
foreach ($cases as $path => $raw) {
    [$c] = ws_connect($port, $path);
    if ($raw === null) ws_send($c, "\xc3\x28"); else fwrite($c, $raw);
    $f = ws_read($c);
    echo $path, ' ', $f['opcode'], ' ', ws_close_text($f), ' ', var_export(ws_closed($c), true), "\n";
}
[$c] = ws_connect($port, '/twice');
ws_send($c, 'twice');
echo ws_read($c)['payload'], "\n";
ws_send($c, 'after');
echo ws_read($c)['payload'], "\n";
[$c2] = ws_connect($port, '/vanish');
ws_send($c2, 'hi');
echo ws_read($c2)['payload'], "\n";
fclose($c2);
usleep(200000);
echo http_get($port, '/stop')['body'], "\n";
var_dump(ws_closed($c));
echo co_http_wait_exit($h);
?>
--EXPECTF--
/unmasked 8 1002  true
/utf8 8 1007  true
/big 8 1009  true
second recv false 10002
after
hi
stopping
bool(true)
READY %d
/unmasked: recv '' 1004
/utf8: recv '' 1004
/big: recv '' 1004
/vanish: recv '' 1004
/twice: recv '' 1004
STOPPED true
