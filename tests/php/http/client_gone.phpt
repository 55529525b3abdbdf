--TEST--
http: a client that disconnects before the handler ends: isWritable() false, write()/end() return false with error 1004 (session closed), the worker goes on serving
--FILE--
<?php
require __DIR__ . '/http.inc';
$h = server_start(http_server_code(<<<'PHP'
function ($req, $resp) {
    if ($req->server['request_uri'] == '/slow') {
        Swoole\Coroutine::sleep(0.3);
        echo "writable: ", json_encode($resp->isWritable()), "\n";
        echo "write: ", json_encode($resp->write('x')), " error ", swoole_last_error(), "\n";
        echo "end: ", json_encode($resp->end('late')), " error ", swoole_last_error(), "\n";
        return;
    }
    $resp->end('fast');
}
PHP));
$port = $h['port'];
$c = client($port);
fwrite($c, "GET /slow HTTP/1.1\r\nHost: h\r\n\r\n");
usleep(50000);
fclose($c);
usleep(500000);
$r = http_get($port, '/fast');
echo $r['status'], ' ', $r['body'], "\n";
$out = server_stop($h);
echo trim(preg_replace('/^READY.*\n/m', '', $out)), "\n";
?>
--EXPECT--
200 fast
writable: false
write: false error 1004
end: false error 1004
