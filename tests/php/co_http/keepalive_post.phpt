--TEST--
co_http: keep-alive and pipelined requests on one connection, POST bodies (form, raw, chunked), $request->server addresses; http_parse_post / http_parse_cookie off
--FILE--
<?php
require __DIR__ . '/co_http.inc';
$h = co_http_start(<<<'PHP'
$server->handle('/', function ($req, $resp) {
    $s = $req->server;
    $resp->end(json_encode([$req->getMethod(), $req->post, $req->rawContent(), $s['remote_addr'],
                            $s['remote_port'] > 0, $s['server_port'] == $GLOBALS['port'] ?? 0]));
});
$GLOBALS['port'] = $server->port;
PHP);
$port = $h['port'];
$c = client($port);
$r = co_http_ask($c, "POST /f HTTP/1.1\r\nHost: h\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 11\r\n\r\na=1&b=two+2");
echo $r['status'], ' ', $r['body'], "\n";
$r = co_http_ask($c, "POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n");
echo $r['status'], ' ', $r['body'], "\n";
/* two requests in one write: answered in order on the same connection */
fwrite($c, "GET /1 HTTP/1.1\r\nHost: h\r\n\r\nPOST /2 HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nhi");
echo http_read($c)['body'], "\n", http_read($c)['body'], "\n";
fclose($c);
server_stop($h);
$h = co_http_start(<<<'PHP'
$server->set(['http_parse_post' => false, 'http_parse_cookie' => false]);
$server->handle('/', function ($req, $resp) {
    $resp->end(json_encode([$req->post, $req->cookie, $req->rawContent()]));
});
PHP);
$r = http_request($h['port'], "POST / HTTP/1.1\r\nHost: h\r\nCookie: a=b\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 3\r\nConnection: close\r\n\r\nx=1");
echo $r['body'], "\n";
server_stop($h);
?>
--EXPECT--
200 ["POST",{"a":"1","b":"two 2"},"a=1&b=two+2","127.0.0.1",true,true]
200 ["POST",null,"abcde","127.0.0.1",true,true]
["GET",null,false,"127.0.0.1",true,true]
["POST",null,"hi","127.0.0.1",true,true]
[null,null,"x=1"]
