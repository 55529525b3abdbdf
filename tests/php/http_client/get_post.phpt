--TEST--
http_client: get/post/execute with headers, cookies, form and raw bodies against a Swoole\Http\Server; one keep-alive connection; br and gzip bodies decoded
--FILE--
<?php
require __DIR__ . '/client.inc';
use Swoole\Coroutine\Http\Client;
$h = report_server();
Co\run(function () use ($h) {
    $c = new Client('127.0.0.1', $h['port']);
    var_dump($c->host === '127.0.0.1', $c->port === $h['port']);
    $c->set(['timeout' => 5]);
    $c->setHeaders(['X-Custom' => 'abc', 'User-Agent' => 'eddy-test']);
    $c->setCookies(['a' => '1', 'b' => 'two words']);
    var_dump($c->get('/path?x=1&y=%20z'));
    $r = json_decode($c->body, true);
    var_dump($c->statusCode, $c->getStatusCode(), $r['method'], $r['uri'], $r['query']);
    var_dump($r['header']['x-custom'], $r['header']['user-agent'], $r['cookie']);
    var_dump($c->headers['x-echo'], $c->headers['content-type']);
    var_dump($c->set_cookie_headers, $c->cookies['session']);
    $port1 = $r['port'];

    /* form post: the server's cookie comes back on the next request */
    var_dump($c->post('/form', ['k' => 'v', 'list' => ['a', 'b']]));
    $r = json_decode($c->body, true);
    var_dump($r['method'], $r['post'], $r['cookie']['session'], $r['header']['content-type']);
    var_dump($r['port'] === $port1);

    /* raw body with setMethod/setData/execute; method and data are one-shot */
    $c->setMethod('PUT');
    $c->setData('{"raw":true}');
    var_dump($c->execute('/raw'));
    $r = json_decode($c->body, true);
    var_dump($r['method'], $r['raw'], $c->requestMethod, $c->requestBody);
    var_dump($c->get('/again'));
    var_dump(json_decode($c->body, true)['method']);
    var_dump(str_starts_with($c->getHeaderOut(), "GET /again HTTP/1.1\r\n"));
    var_dump($r['port'] === $port1, $c->connected);

    /* compressed by the server (http_compression is on there; it prefers br), decoded here */
    var_dump($c->get('/text'), $c->headers['content-encoding'] ?? 'none',
             $c->body === str_repeat('compressible text ', 100));
    $c->setHeaders(['Accept-Encoding' => 'gzip']);
    var_dump($c->get('/text'), $c->headers['content-encoding'] ?? 'none',
             $c->body === str_repeat('compressible text ', 100));
    $c->setHeaders([]);
    $c->set(['http_compression' => false]);
    var_dump($c->get('/text'), $c->headers['content-encoding'] ?? 'none', strlen($c->body));
    var_dump($c->close(), $c->connected);
    var_dump($c->getpeername());
});
server_stop($h);
echo "done\n";
?>
--EXPECT--
bool(true)
bool(true)
bool(true)
int(200)
int(200)
string(3) "GET"
string(5) "/path"
array(2) {
  ["x"]=>
  string(1) "1"
  ["y"]=>
  string(2) " z"
}
string(3) "abc"
string(9) "eddy-test"
array(2) {
  ["a"]=>
  string(1) "1"
  ["b"]=>
  string(9) "two words"
}
string(3) "yes"
string(16) "application/json"
array(1) {
  [0]=>
  string(21) "session=x%20y; path=/"
}
string(3) "x y"
bool(true)
string(4) "POST"
array(2) {
  ["k"]=>
  string(1) "v"
  ["list"]=>
  array(2) {
    [0]=>
    string(1) "a"
    [1]=>
    string(1) "b"
  }
}
string(3) "x y"
string(33) "application/x-www-form-urlencoded"
bool(true)
bool(true)
string(3) "PUT"
string(12) "{"raw":true}"
NULL
NULL
bool(true)
string(3) "GET"
bool(true)
bool(true)
bool(true)
bool(true)
string(2) "br"
bool(true)
bool(true)
string(4) "gzip"
bool(true)
bool(true)
string(4) "none"
int(1800)
bool(true)
bool(false)
bool(false)
done
