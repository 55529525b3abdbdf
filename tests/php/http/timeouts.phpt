--TEST--
http: keepalive_timeout closes an idle keep-alive connection, header_timeout one whose head does not complete (engine options, seconds)
--FILE--
<?php
require __DIR__ . '/http.inc';
$h = server_start(http_server_code('function ($req, $resp) { $resp->end("ok"); }',
                                   ['keepalive_timeout' => 0.3, 'header_timeout' => 0.3]));
function closed_after($c): string {
    $t = microtime(true);
    $d = fread($c, 100); /* blocks until the server closes (5 s stream timeout) */
    $dt = microtime(true) - $t;
    return ($d === '' && feof($c) ? 'closed' : 'open') . ($dt < 1.5 ? ' soon' : " after $dt s");
}
$c = client($h['port']);
fwrite($c, "GET / HTTP/1.1\r\nHost: h\r\n\r\n");
echo http_read($c)['body'], "\n";
echo "idle: ", closed_after($c), "\n";
$c = client($h['port']);
fwrite($c, "GET / HTTP/1.1\r\nHost: h\r\n");
echo "half head: ", closed_after($c), "\n";
server_stop($h);
?>
--EXPECT--
ok
idle: closed soon
half head: closed soon
