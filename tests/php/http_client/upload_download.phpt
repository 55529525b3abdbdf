--TEST--
http_client: addFile (with offset/length) and addData make a multipart body whose parts arrive intact (read back from a raw Coroutine\Server); download() writes the body to a file, at an offset with a Range header
--FILE--
<?php
require __DIR__ . '/client.inc';
use Swoole\Coroutine\Http\Client;
$h = report_server();
$src = tempnam(sys_get_temp_dir(), 'eddy-up');
file_put_contents($src, 'abcdefghijklmnopqrstuvwxyz');
$dst = tempnam(sys_get_temp_dir(), 'eddy-down');
Co\run(function () use ($h, $src, $dst) {
    $raw = raw_echo_server();
    $c = new Client('127.0.0.1', $raw->port);
    var_dump($c->addFile($src, 'doc', 'text/plain', 'letters.txt', 2, 5));
    var_dump($c->addFile($src, 'whole'));
    var_dump($c->addData('in memory', 'mem', 'application/x-test', 'mem.bin'));
    $c->setData(['field' => 'value']);
    var_dump($c->post('/upload', ['field' => 'value']));
    [$head, $body] = explode("\r\n\r\n", $c->body, 2);
    preg_match('/\r\nContent-Type: (.*)\r\n/', $head, $ct);
    var_dump(strtok($head, ' '), multipart_parts($body, $ct[1]));
    var_dump(str_starts_with($ct[1], 'multipart/form-data; boundary='));
    var_dump($c->uploadFiles);
    $raw->shutdown();
    $c = new Client('127.0.0.1', $h['port']);
    /* a missing file is refused at once */
    var_dump(@$c->addFile('/nonexistent/file', 'x'));

    var_dump($c->download('/big', $dst));
    var_dump($c->statusCode, $c->body, filesize($dst), md5_file($dst) === md5(str_repeat('0123456789', 10000)));
    file_put_contents($dst, 'XXXXX');
    var_dump($c->download('/echo', $dst, 3));
    $r = json_decode(substr(file_get_contents($dst), 3), true);
    var_dump(substr(file_get_contents($dst), 0, 3), $r['header']['range']);
});
server_stop($h);
unlink($src);
unlink($dst);
echo "done\n";
?>
--EXPECTF--
bool(true)
bool(true)
bool(true)
bool(true)
string(4) "POST"
array(4) {
  ["field"]=>
  array(3) {
    ["filename"]=>
    NULL
    ["type"]=>
    NULL
    ["data"]=>
    string(5) "value"
  }
  ["doc"]=>
  array(3) {
    ["filename"]=>
    string(11) "letters.txt"
    ["type"]=>
    string(10) "text/plain"
    ["data"]=>
    string(5) "cdefg"
  }
  ["whole"]=>
  array(3) {
    ["filename"]=>
    string(%d) "eddy-up%s"
    ["type"]=>
    string(24) "application/octet-stream"
    ["data"]=>
    string(26) "abcdefghijklmnopqrstuvwxyz"
  }
  ["mem"]=>
  array(3) {
    ["filename"]=>
    string(7) "mem.bin"
    ["type"]=>
    string(18) "application/x-test"
    ["data"]=>
    string(9) "in memory"
  }
}
bool(true)
NULL
bool(false)
bool(true)
int(200)
string(0) ""
int(100000)
bool(true)
bool(true)
string(3) "XXX"
string(8) "bytes=3-"
done
