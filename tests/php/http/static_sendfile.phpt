--TEST--
http: enable_static_handler/document_root/static_handler_locations/http_index_files serve files without the handler; Response::sendfile sends a file (whole, offset/length, HEAD) and warns on a bad one, leaving the response usable
--FILE--
<?php
require __DIR__ . '/http.inc';
$root = sys_get_temp_dir() . '/eddy-static-' . getmypid();
@mkdir("$root/static/sub", 0755, true);
file_put_contents("$root/static/a.txt", "static file\n");
file_put_contents("$root/static/sub/index.html", "<p>index</p>");
file_put_contents("$root/big.bin", str_repeat('0123456789', 100000)); /* 1 MB */
$code = http_server_code(<<<'PHP'
function ($req, $resp) {
    $root = $GLOBALS['root'];
    switch ($req->server['request_uri']) {
    case '/send':
        var_dump($resp->sendfile("$root/big.bin"));
        var_dump($resp->isWritable());
        break;
    case '/part':
        $resp->header('Content-Type', 'application/x-part');
        $resp->sendfile("$root/big.bin", 10, 25);
        break;
    case '/missing':
        var_dump($resp->sendfile("$root/nope.txt"));
        var_dump($resp->sendfile("$root/big.bin", 2000000));
        var_dump($resp->sendfile("$root"));
        $resp->status(404);
        $resp->end('no such file');
        break;
    default:
        $resp->end("handler: {$req->server['request_uri']}");
    }
}
PHP, ['enable_static_handler' => true, 'document_root' => $root,
      'static_handler_locations' => ['/static'], 'http_index_files' => ['index.html']]);
$code = str_replace('<?php', "<?php\n\$root = " . var_export($root, true) . ';', $code);
$h = server_start($code);
$port = $h['port'];

$r = http_get($port, '/static/a.txt');
echo $r['status'], ' ', http_headers($r, 'content-type')[0], ' ', json_encode($r['body']), ' etag:', count(http_headers($r, 'etag')), "\n";
$r = http_get($port, '/static/sub/');
echo $r['status'], ' ', $r['body'], "\n";
$r = http_get($port, '/static/none.txt');
echo $r['status'], " (missing under a location: the server's 404)\n";
$r = http_get($port, '/other');
echo $r['status'], ' ', $r['body'], "\n";
$r = http_get($port, '/static/../big.bin');
echo $r['status'], "\n";

$r = http_get($port, '/send');
echo $r['status'], ' ', strlen($r['body']), ' ', $r['body'] === file_get_contents("$root/big.bin") ? 'same bytes' : 'DIFFERENT', "\n";
$r = http_get($port, '/part');
echo $r['status'], ' ', http_headers($r, 'content-type')[0], ' ', $r['body'], "\n";
$r = http_request($port, "HEAD /send HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n", true);
echo $r['status'], ' ', http_headers($r, 'content-length')[0], "\n";
$r = http_get($port, '/missing');
echo $r['status'], ' ', $r['body'], "\n";
$out = server_stop($h);
echo trim(preg_replace(['/^READY.*\n/m', '/ in \S+ on line \d+/', '~' . preg_quote($root, '~') . '~'], ['', '', 'ROOT'], $out)), "\n";
foreach (["static/a.txt", "static/sub/index.html", "big.bin"] as $f) unlink("$root/$f");
rmdir("$root/static/sub"); rmdir("$root/static"); rmdir($root);
?>
--EXPECT--
200 text/plain "static file\n" etag:1
200 <p>index</p>
404 (missing under a location: the server's 404)
200 handler: /other
403
200 1000000 same bytes
200 application/x-part 0123456789012345678901234
200 1000000
404 no such file
bool(true)
bool(false)
bool(true)
bool(false)

Warning: Swoole\Http\Response::sendfile(): cannot send 'ROOT/nope.txt': No such file or directory
bool(false)

Warning: Swoole\Http\Response::sendfile(): cannot send 'ROOT/big.bin': not a regular file, or offset/length beyond its end
bool(false)

Warning: Swoole\Http\Response::sendfile(): cannot send 'ROOT': not a regular file, or offset/length beyond its end
bool(false)
