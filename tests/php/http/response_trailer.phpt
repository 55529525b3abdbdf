--TEST--
http: Response::trailer(): fields after the last chunk (curl --raw sees them after the 0-chunk), announced by a Trailer header; end() alone goes chunked to carry them; lower-cased names, replaced and removed values; refused (false, warning) for HTTP/1.0, HEAD, framing fields, CR/LF; cookie() Priority and Partitioned (Swoole 5/6 arguments 9 and 10)
--FILE--
<?php
require __DIR__ . '/http.inc';
$handler = <<<'PHP'
function ($req, $resp) {
    switch ($req->server['request_uri']) {
    case '/stream':
        $resp->trailer('X-Checksum', 'abc');
        $resp->write("hello ");
        $resp->trailer('Grpc-Status', '0');
        $resp->end("world");
        break;
    case '/end':
        $resp->trailer('x-a', '1');
        $resp->trailer('X-A', '2');   /* replaces */
        $resp->trailer('x-b', 'gone');
        $resp->trailer('x-b', null);  /* removes */
        $resp->end("whole");
        break;
    case '/refused':
        $r = [$resp->trailer('Content-Length', '1'), $resp->trailer('x-bad', "a\r\nb"),
              $resp->trailer('', 'v')];
        $resp->end(json_encode($r));
        break;
    case '/cookie':
        $resp->cookie('a', 'b c', 0, '/', '', true, true, 'None', 'High', true);
        $resp->setRawCookie('r', 'raw', 0, '/', '', false, false, '', 'Low');
        $resp->cookie('p', '1', 0, '/', '', false, false, '', '', true);
        $resp->end(json_encode($resp->cookie('bad', 'v', 0, '/', '', false, false, '', 'High; x')));
        break;
    default: /* HTTP/1.0 or HEAD */
        $ok = $resp->trailer('x-t', '1');
        $resp->end(json_encode($ok));
    }
}
PHP;
$h = server_start(http_server_code($handler));
$url = "http://127.0.0.1:{$h['port']}";
$raw = shell_exec("curl -s --raw -i $url/stream");
echo json_encode(substr($raw, strpos($raw, "\r\n\r\n"))), "\n";
echo preg_match('~\r\nTrailer: x-checksum\r\n~', $raw) ? "announced\n" : "not announced\n";
/* curl decodes the chunks and prints the trailer fields after the body */
echo json_encode(shell_exec("curl -s -i $url/stream | tail -c 44")), "\n";
$raw = shell_exec("curl -s --raw -i $url/end");
echo json_encode(substr($raw, strpos($raw, "\r\n\r\n"))), ' ',
     preg_match('~\r\nTrailer: x-a\r\n~', $raw) ? 'announced' : 'not announced', ' ',
     stripos($raw, 'content-length') === false ? 'no length' : 'length', "\n";
$r = http_get($h['port'], '/refused');
echo $r['body'], "\n";
$r = http_request($h['port'], "GET /old HTTP/1.0\r\n\r\n");
echo $r['body'], ' ', json_encode(http_headers($r, 'transfer-encoding')), "\n";
$r = http_request($h['port'], "HEAD /head HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n", true);
echo $r['status'], ' ', json_encode(http_headers($r, 'trailer')), "\n";
$r = http_get($h['port'], '/cookie');
echo implode("\n", http_headers($r, 'set-cookie')), "\n", $r['body'], "\n";
echo server_stop($h);
?>
--EXPECTF--
"\r\n\r\n6\r\nhello \r\n5\r\nworld\r\n0\r\nx-checksum: abc\r\ngrpc-status: 0\r\n\r\n"
announced
"hello worldx-checksum: abc\r\ngrpc-status: 0\r\n"
"\r\n\r\n5\r\nwhole\r\n0\r\nx-a: 2\r\n\r\n" announced no length
[false,false,false]
false []
200 []
a=b%20c; path=/; secure; HttpOnly; SameSite=None; Priority=High; Partitioned
r=raw; path=/; Priority=Low
p=1; path=/; Partitioned
false
READY %d

Warning: Swoole\Http\Response::trailer(): invalid trailer: the name is not a token or frames the message (Content-Length, Transfer-Encoding, Host, Content-Type...), or the value holds CR, LF or NUL in %s on line %d

Warning: Swoole\Http\Response::trailer(): invalid trailer: the name is not a token or frames the message (Content-Length, Transfer-Encoding, Host, Content-Type...), or the value holds CR, LF or NUL in %s on line %d

Warning: Swoole\Http\Response::trailer(): trailer key cannot be empty in %s on line %d

Warning: Swoole\Http\Response::trailer(): this response cannot carry trailers: they follow the last chunk of a chunked body, which an HTTP/1.0 request, a HEAD request or a body sent with a length does not have in %s on line %d

Warning: Swoole\Http\Response::trailer(): this response cannot carry trailers: they follow the last chunk of a chunked body, which an HTTP/1.0 request, a HEAD request or a body sent with a length does not have in %s on line %d

Warning: Swoole\Http\Response::cookie(): invalid cookie: a bad name, or forbidden bytes in a value or attribute in %s on line %d
