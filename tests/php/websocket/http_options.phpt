--TEST--
websocket: a WebSocket\Server takes Http\Server's options through the same code: enable_static_handler / document_root / http_index_files serve files, http_compression compresses its request handler's responses, upload_tmp_dir holds its uploads; a handshake to "/" (where the index file is) still upgrades; Response::detach() and create() work on its requests; BASE and PROCESS
--FILE--
<?php
require __DIR__ . '/ws.inc';
$root = sys_get_temp_dir() . '/eddy-ws-opts-' . getmypid();
@mkdir($root);
@mkdir("$root/up");
file_put_contents("$root/hello.txt", "static hello\n");
file_put_contents("$root/index.html", "<p>index</p>\n");
$events = <<<'PHP'
$s->on('message', function ($s, $f) { $s->push($f->fd, "echo:" . $f->data); });
$s->on('request', function ($req, $resp) use ($s) {
    if ($req->server['request_uri'] == '/upload') {
        $f = $req->files['f'] ?? null;
        $resp->end($f ? dirname($f['tmp_name']) . ' ' . $f['size'] : 'no file');
    } elseif ($req->server['request_uri'] == '/detach') {
        $resp->detach();
        Swoole\Http\Response::create($s, $req->fd)->end('created');
    } else {
        $resp->end(str_repeat('compressible text ', 50));
    }
});
PHP;
foreach (['SWOOLE_BASE', 'SWOOLE_PROCESS'] as $mode) {
    echo "-- $mode\n";
    $h = server_start(ws_server_code($events, ['enable_static_handler' => true, 'document_root' => $root,
        'http_index_files' => ['index.html'], 'http_compression' => true, 'upload_tmp_dir' => "$root/up"], $mode));
    $r = http_get($h['port'], '/hello.txt');
    echo $r['status'], ' ', json_encode($r['body']), ' etag=', isset(http_headers($r, 'etag')[0]) ? 'yes' : 'no', "\n";
    $r = http_get($h['port'], '/');
    echo $r['status'], ' ', json_encode($r['body']), "\n";
    $r = http_get($h['port'], '/dyn', ['Accept-Encoding' => 'gzip']);
    $enc = http_headers($r, 'content-encoding')[0] ?? 'identity';
    $plain = gzdecode($r['body']);
    echo $r['status'], " $enc ", strlen($r['body']) < strlen($plain) ? 'smaller' : 'not smaller', ' ', strlen($plain), "\n";
    $body = "--B\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.txt\"\r\n\r\nfile data\r\n--B--\r\n";
    $r = http_request($h['port'], "POST /upload HTTP/1.1\r\nHost: h\r\nConnection: close\r\n"
        . "Content-Type: multipart/form-data; boundary=B\r\nContent-Length: " . strlen($body) . "\r\n\r\n$body");
    echo $r['body'] == "$root/up 9" ? "upload in upload_tmp_dir\n" : "upload elsewhere: {$r['body']}\n";
    echo http_get($h['port'], '/detach')['body'], "\n";
    [$c, $r] = ws_connect($h['port'], '/');
    echo $r['status'], "\n";
    ws_send($c, 'hi');
    echo ws_read($c)['payload'], "\n";
    fclose($c);
    echo ws_output($h), "\n";
}
unlink("$root/hello.txt");
unlink("$root/index.html");
rmdir("$root/up");
rmdir($root);
?>
--EXPECT--
-- SWOOLE_BASE
200 "static hello\n" etag=yes
200 "<p>index<\/p>\n"
200 gzip smaller 900
upload in upload_tmp_dir
created
101
echo:hi

-- SWOOLE_PROCESS
200 "static hello\n" etag=yes
200 "<p>index<\/p>\n"
200 gzip smaller 900
upload in upload_tmp_dir
created
101
echo:hi
