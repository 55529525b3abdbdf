--TEST--
http: Request exposes header (lower-case names), server, get (PHP arrays), cookie (decoded), post (urlencoded form), rawContent/getContent, getData, getMethod
--FILE--
<?php
require __DIR__ . '/http.inc';
$h = server_start(http_server_code(<<<'PHP'
function ($req, $resp) {
    $s = $req->server;
    $out = [
        'fd' => is_int($req->fd) && $req->fd > 0,
        'header' => $req->header,
        'server' => [$s['request_method'], $s['request_uri'], $s['path_info'], $s['query_string'] ?? null,
                     $s['server_protocol'], $s['server_port'] == $GLOBALS['s']->port, $s['remote_addr'],
                     $s['remote_port'] > 0, abs($s['request_time'] - time()) < 5,
                     is_float($s['request_time_float']), is_int($s['master_time'])],
        'get' => $req->get, 'post' => $req->post, 'cookie' => $req->cookie, 'files' => $req->files,
        'raw' => $req->rawContent(), 'content' => $req->getContent(), 'method' => $req->getMethod(),
        'data' => $req->getData(),
    ];
    $resp->header('Content-Type', 'application/json');
    $resp->end(json_encode($out));
}
PHP));
$port = $h['port'];

$r = http_get($port, '/p/a%20th?x=1&y[]=2&y[]=3&z=a+b%21',
              ['Cookie' => 'sid=abc; msg=hello%20world; empty=', 'X-Custom-Header' => ' spaced ']);
$j = json_decode($r['body'], true);
echo $r['status'], ' ', http_headers($r, 'content-type')[0], "\n";
echo json_encode($j['header']), "\n", json_encode($j['server']), "\n", json_encode($j['get']), "\n";
echo json_encode($j['cookie']), "\n";
var_dump($j['fd'], $j['post'], $j['files'], $j['raw'], $j['method']);
echo json_encode($j['data']), "\n";

$body = 'name=J%C3%BCrgen&list[]=a&list[]=b&flag';
$r = http_request($port, "POST /form HTTP/1.1\r\nHost: h\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                       . "Content-Length: " . strlen($body) . "\r\nConnection: close\r\n\r\n$body");
$j = json_decode($r['body'], true);
echo json_encode([$j['post'], $j['raw'] === $body, $j['content'] === $body, $j['method'], $j['get'], $j['cookie']]), "\n";

$json = '{"a":[1,2]}';
$r = http_request($port, "PUT /raw HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\n"
                       . "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\n{\"a\":\r\n6\r\n[1,2]}\r\n0\r\n\r\n");
$j = json_decode($r['body'], true);
echo json_encode([$j['raw'], $j['post'], $j['method']]), "\n";
echo json_encode(substr($j['data'], -32)), "\n";
server_stop($h);
?>
--EXPECT--
200 application/json
{"host":"localhost","cookie":"sid=abc; msg=hello%20world; empty=","x-custom-header":"spaced","connection":"close"}
["GET","\/p\/a%20th","\/p\/a%20th","x=1&y[]=2&y[]=3&z=a+b%21","HTTP\/1.1",true,"127.0.0.1",true,true,true,true]
{"x":"1","y":["2","3"],"z":"a b!"}
{"sid":"abc","msg":"hello world","empty":""}
bool(true)
NULL
NULL
bool(false)
string(3) "GET"
"GET \/p\/a%20th?x=1&y[]=2&y[]=3&z=a+b%21 HTTP\/1.1\r\nhost: localhost\r\ncookie: sid=abc; msg=hello%20world; empty=\r\nx-custom-header:  spaced \r\nconnection: close\r\n\r\n"
[{"name":"J\u00fcrgen","list":["a","b"],"flag":""},true,true,"POST",null,null]
["{\"a\":[1,2]}",null,"PUT"]
"connection: close\r\n\r\n{\"a\":[1,2]}"
