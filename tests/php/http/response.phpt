--TEST--
http: Response status/reason, header formatting and arrays, cookies with attributes, rawcookie, chunked write()+end(), redirect, HEAD, keep-alive
--FILE--
<?php
require __DIR__ . '/http.inc';
$h = server_start(http_server_code(<<<'PHP'
function ($req, $resp) {
    switch ($req->server['request_uri']) {
    case '/status':
        $resp->status(418, 'Short And Stout');
        $resp->end('teapot');
        break;
    case '/status-default':
        $resp->setStatusCode(404);
        $resp->end();
        break;
    case '/headers':
        $resp->header('x-lower-case', 'v1');
        $resp->header('x-KEEP-as-is', 'v2', false);
        $resp->setHeader('X-Multi', ['a', 'b']);
        $resp->header('X-Gone', 'x');
        $resp->header('X-Gone', null);
        $resp->header('X-Int', 5);
        $resp->header('X-Float', 1.5);
        $resp->header('X-Bool', true);
        $resp->header('Content-Length', '999'); /* the server frames the body */
        $resp->cookie('plain', 'a b;c', time() + 3600, '/app', 'example.com', true, true, 'Lax');
        $resp->setCookie('session', 'xyz');
        $resp->rawcookie('raw', 'a%20b');
        $resp->cookie('deleted');
        $resp->end('ok');
        break;
    case '/chunked':
        $resp->header('Content-Type', 'text/plain');
        var_dump($resp->write('part1,'), $resp->write('part2,'));
        $resp->end('end');
        break;
    case '/redirect':
        $resp->redirect('/target?x=1');
        break;
    case '/redirect301':
        $resp->redirect('https://example.com/', 301);
        break;
    default:
        $resp->end("method={$req->server['request_method']}");
    }
}
PHP));
$port = $h['port'];

$r = http_get($port, '/status');
echo $r['status'], ' ', $r['reason'], ' ', $r['body'], "\n";
$r = http_get($port, '/status-default');
echo $r['status'], ' ', $r['reason'], ' [', $r['body'], ']', "\n";

$r = http_get($port, '/headers');
foreach ($r['headers'] as [$k, $v]) {
    if (preg_match('/^(X-|x-|Set-Cookie|Content-Length)/', $k)) {
        echo "$k: ", preg_replace('/expires=[^;]+/', 'expires=DATE', $v), "\n";
    }
}
echo $r['body'], "\n";

$r = http_get($port, '/chunked');
echo $r['status'], ' ', implode(',', http_headers($r, 'transfer-encoding')), ' ', json_encode($r['chunks']), ' ', $r['body'], "\n";

$r = http_get($port, '/redirect');
echo $r['status'], ' ', http_headers($r, 'location')[0], ' [', $r['body'], "]\n";
$r = http_get($port, '/redirect301');
echo $r['status'], ' ', http_headers($r, 'location')[0], "\n";

$r = http_request($port, "HEAD /head HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n", true);
echo $r['status'], ' ', http_headers($r, 'content-length')[0], "\n";

/* keep-alive: three requests on one connection, answered in order */
$c = client($port);
fwrite($c, "GET /a HTTP/1.1\r\nHost: h\r\n\r\nGET /status HTTP/1.1\r\nHost: h\r\n\r\n");
$a = http_read($c);
$b = http_read($c);
fwrite($c, "POST /c HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n");
$d = http_read($c);
echo $a['body'], ' | ', $b['status'], ' ', $b['body'], ' | ', $d['body'], "\n";
fclose($c);
$out = server_stop($h);
echo trim(preg_replace('/^READY.*\n/m', '', $out)), "\n";
?>
--EXPECT--
418 Short And Stout teapot
404 Not Found []
X-Lower-Case: v1
x-KEEP-as-is: v2
X-Multi: a
X-Multi: b
X-Int: 5
X-Float: 1.5
X-Bool: 1
Set-Cookie: plain=a%20b%3Bc; expires=DATE; Max-Age=3600; path=/app; domain=example.com; secure; HttpOnly; SameSite=Lax
Set-Cookie: session=xyz; path=/
Set-Cookie: raw=a%20b; path=/
Set-Cookie: deleted=deleted; expires=DATE; Max-Age=0; path=/
Content-Length: 2
ok
200 chunked [6,6,3,0] part1,part2,end
302 /target?x=1 []
301 https://example.com/
200 11
method=GET | 418 teapot | method=POST
bool(true)
bool(true)
