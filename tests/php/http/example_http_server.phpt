--TEST--
http: examples/http_server.php answers GET and HEAD with the performance page's headers and 24-byte body, over curl and keep-alive
--FILE--
<?php
require __DIR__ . '/http.inc';
$h = server_start(__DIR__ . '/../../../examples/http_server.php', ['0', '1'], '~listening on http://127\.0\.0\.1:(\d+)/~');
$port = $h['port'];
echo $port > 0 && $port != 9501 ? "port 0: a free port\n" : "port $port\n";

exec('curl -s -i --max-time 5 http://127.0.0.1:' . $port . '/any/path 2>&1', $out, $rc);
$text = implode("\n", $out);
echo "curl rc=$rc\n";
foreach (['HTTP/1.1 200 OK', 'Last-Modified: Thu, 18 Jun 2015 10:24:27 GMT', 'E-Tag: 55829c5b-17',
          'Accept-Ranges: bytes', 'Content-Length: 24', 'Server: swoole-http-server'] as $line) {
    echo $line, ': ', in_array($line, array_map('trim', $out)) ? 'yes' : 'NO', "\n";
}
echo json_encode(substr($text, strpos($text, "<h1>"))), "\n";

/* keep-alive: two requests on one connection, then HEAD */
$c = client($port);
fwrite($c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
$a = http_read($c);
fwrite($c, "HEAD / HTTP/1.1\r\nHost: x\r\n\r\n");
$b = http_read($c, true);
fwrite($c, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
$d = http_read($c);
echo $a['status'], ' ', strlen($a['body']), ' ', $b['status'], ' ', http_headers($b, 'content-length')[0],
     ' ', $d['status'], ' ', json_encode($d['body']), "\n";
echo "closed after Connection: close: ", (fread($c, 1) === '' && feof($c)) ? 'yes' : 'no', "\n";
fclose($c);
server_stop($h);
?>
--EXPECT--
port 0: a free port
curl rc=0
HTTP/1.1 200 OK: yes
Last-Modified: Thu, 18 Jun 2015 10:24:27 GMT: yes
E-Tag: 55829c5b-17: yes
Accept-Ranges: bytes: yes
Content-Length: 24: yes
Server: swoole-http-server: yes
"<h1>\nHello Swoole.\n<\/h1>"
200 24 200 24 200 "<h1>\nHello Swoole.\n<\/h1>"
closed after Connection: close: yes
