--TEST--
http: multipart/form-data: form fields in post (a[] arrays), files in Swoole's layout with tmp_name/size/error, tmpfiles, move_uploaded_file() works, temp files gone after the response; upload_tmp_dir and upload_max_filesize
--FILE--
<?php
require __DIR__ . '/http.inc';
$dir = sys_get_temp_dir() . '/eddy-upload-' . getmypid();
@mkdir($dir);
$code = http_server_code(<<<'PHP'
function ($req, $resp) {
    $dir = $GLOBALS['dir'];
    $out = ['post' => $req->post, 'raw' => $req->rawContent(), 'files' => []];
    $files = $req->files; /* a copy: tmp_name masked for the output only */
    array_walk_recursive($files, function (&$v, $k) use ($dir) {
        if ($k === 'tmp_name' && $v !== '') $v = str_starts_with($v, "$dir/swoole.upfile.") ? 'TMP' : "elsewhere: $v";
    });
    $out['files'] = $files;
    $out['tmpfiles'] = count($req->tmpfiles ?? []);
    $doc = $req->files['doc']['tmp_name'];
    $out['is_uploaded'] = is_uploaded_file($doc);
    $out['moved'] = move_uploaded_file($doc, "$dir/kept.txt");
    $out['kept'] = file_get_contents("$dir/kept.txt");
    $GLOBALS['last'] = $req->tmpfiles;
    $resp->end(json_encode($out));
}
PHP, ['upload_tmp_dir' => $dir, 'upload_max_filesize' => 1000]);
$code = str_replace('<?php', "<?php\n\$dir = " . var_export($dir, true) . ';', $code);
$code = str_replace('$s->start();', '$s->on("workerStop", function () { echo "after: ", json_encode(array_map("file_exists", $GLOBALS["last"] ?? [])), "\n"; });' . "\n" . '$s->start();', $code);
$h = server_start($code);

$b = 'XyZ' . getmypid();
$parts = [
    ['name="title"', 'Hello'],
    ['name="tags[]"', 'a'],
    ['name="tags[]"', 'b'],
    ["name=\"doc\"; filename=\"notes.txt\"\r\nContent-Type: text/plain", "line one\nline two\n"],
    ["name=\"pics[]\"; filename=\"a.png\"\r\nContent-Type: image/png", "\x89PNG..."],
    ["name=\"pics[]\"; filename=\"big.bin\"", str_repeat('x', 2000)],
    ["name=\"none\"; filename=\"\"", ''],
];
$body = '';
foreach ($parts as [$disp, $data]) $body .= "--$b\r\nContent-Disposition: form-data; $disp\r\n\r\n$data\r\n";
$body .= "--$b--\r\n";
$r = http_request($h['port'], "POST /up HTTP/1.1\r\nHost: h\r\nContent-Type: multipart/form-data; boundary=$b\r\n"
                            . "Content-Length: " . strlen($body) . "\r\nConnection: close\r\n\r\n$body");
echo $r['status'], "\n";
$j = json_decode($r['body'], true);
echo json_encode($j['post']), "\n", json_encode($j['raw']), "\n";
foreach ($j['files'] as $k => $v) echo "$k: ", json_encode($v), "\n";
echo json_encode([$j['tmpfiles'], $j['is_uploaded'], $j['moved'], $j['kept']]), "\n";
echo trim(preg_replace('/^READY.*\n/m', '', server_stop($h))), "\n";
echo file_get_contents("$dir/kept.txt");
unlink("$dir/kept.txt");
echo json_encode(array_values(array_diff(scandir($dir), ['.', '..']))), "\n";
rmdir($dir);
?>
--EXPECT--
200
{"title":"Hello","tags":["a","b"]}
false
doc: {"name":"notes.txt","type":"text\/plain","tmp_name":"TMP","error":0,"size":18}
pics: [{"name":"a.png","type":"image\/png","tmp_name":"TMP","error":0,"size":7},{"name":"big.bin","type":"","tmp_name":"","error":1,"size":0}]
none: {"name":"","type":"","tmp_name":"","error":4,"size":0}
[2,true,true,"line one\nline two\n"]
after: [false,false]
line one
line two
[]
