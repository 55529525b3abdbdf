--TEST--
http: set() options of the HTTP layer: http_compression (on by default) with level, min length and types; http_parse_post / http_parse_cookie; bad values warn
--FILE--
<?php
require __DIR__ . '/http.inc';
$handler = <<<'PHP'
function ($req, $resp) {
    if ($req->server['request_uri'] == '/json') $resp->header('Content-Type', 'application/json');
    $resp->end($req->server['request_uri'] == '/small' ? 'tiny'
               : json_encode(['post' => $req->post, 'cookie' => $req->cookie, 'pad' => str_repeat('swoole ', 200)]));
}
PHP;
$gz = ['Accept-Encoding' => 'gzip'];
function show(?array $r) {
    $enc = http_headers($r, 'content-encoding')[0] ?? 'identity';
    $body = $enc == 'gzip' ? gzdecode($r['body']) : $r['body'];
    echo $r['status'], " $enc ", strlen($r['body']) < strlen($body) ? 'smaller' : 'same', ' ',
         json_encode(http_headers($r, 'vary')), ' ', substr($body, 0, 40), "\n";
}

$h = server_start(http_server_code($handler));  /* defaults */
show(http_get($h['port'], '/', $gz));
show(http_get($h['port'], '/'));          /* no Accept-Encoding */
show(http_get($h['port'], '/small', $gz)); /* under 20 bytes */
server_stop($h);

$h = server_start(http_server_code($handler, ['http_compression' => false]));
show(http_get($h['port'], '/', $gz));
server_stop($h);

$h = server_start(http_server_code($handler, ['http_compression_types' => ['application/json'],
    'compression_min_length' => 0, 'http_compression_level' => 9]));
show(http_get($h['port'], '/', $gz));      /* text/html: not in the list */
show(http_get($h['port'], '/json', $gz));
server_stop($h);

$h = server_start(http_server_code($handler, ['http_parse_post' => false, 'http_parse_cookie' => false]));
$r = http_request($h['port'], "POST / HTTP/1.1\r\nHost: h\r\nCookie: a=1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                            . "Content-Length: 3\r\nConnection: close\r\n\r\nx=1");
echo substr($r['body'], 0, 27), "\n";
server_stop($h);

$s = new Swoole\Http\Server('127.0.0.1', 0);
var_dump($s->set(['http_compression_level' => 10, 'compression_min_length' => -1]));
?>
--EXPECTF--
200 gzip smaller ["Accept-Encoding"] {"post":null,"cookie":null,"pad":"swoole
200 identity same ["Accept-Encoding"] {"post":null,"cookie":null,"pad":"swoole
200 identity same [] tiny
200 identity same [] {"post":null,"cookie":null,"pad":"swoole
200 identity same [] {"post":null,"cookie":null,"pad":"swoole
200 gzip smaller ["Accept-Encoding"] {"post":null,"cookie":null,"pad":"swoole
{"post":null,"cookie":null,

Warning: Swoole\Server::set(): option 'http_compression_level' must be between 1 and 9 in %s on line %d

Warning: Swoole\Server::set(): option 'compression_min_length' must be between 0 and %d in %s on line %d
bool(true)
