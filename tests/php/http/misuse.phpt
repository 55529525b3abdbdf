--TEST--
http: a response used after end() warns "http response is unavailable" and returns false; one never ended gets a 500 (or the status set), as Swoole ends a released response
--FILE--
<?php
require __DIR__ . '/http.inc';
$h = server_start(http_server_code(<<<'PHP'
function ($req, $resp) {
    switch ($req->server['request_uri']) {
    case '/after-end':
        var_dump($resp->isWritable());
        var_dump($resp->end('done'));
        var_dump($resp->isWritable());
        var_dump($resp->write('more'));
        var_dump($resp->end('again'));
        var_dump($resp->header('X-A', 'b'));
        var_dump($resp->status(201));
        var_dump($resp->cookie('a', 'b'));
        var_dump($resp->redirect('/x'));
        var_dump($req->getMethod(), $req->rawContent());
        var_dump($req->getData());
        break;
    case '/bad-args':
        var_dump($resp->write(''));
        var_dump($resp->header('', 'x'));
        var_dump($resp->status(42));
        var_dump($resp->header('X-Bad', "a\r\nInjected: 1"));
        $resp->end('still fine');
        break;
    case '/forgotten':
        $resp->header('X-Set', 'yes');
        break; /* returns without end() */
    case '/forgotten-status':
        $resp->status(404);
        break;
    case '/forgotten-streaming':
        $resp->write('started');
        break;
    }
}
PHP));
$port = $h['port'];
$r = http_get($port, '/after-end');
echo $r['status'], ' ', $r['body'], "\n";
$r = http_get($port, '/bad-args');
echo $r['status'], ' ', $r['body'], ' ', json_encode(http_headers($r, 'Injected')), "\n";
$r = http_get($port, '/forgotten');
echo $r['status'], ' [', $r['body'], '] ', json_encode(http_headers($r, 'X-Set')), "\n";
$r = http_get($port, '/forgotten-status');
echo $r['status'], ' [', $r['body'], "]\n";
$r = http_get($port, '/forgotten-streaming');
echo $r['status'], ' [', $r['body'], "]\n";
$out = server_stop($h);
echo trim(preg_replace(['/^READY.*\n/m', '/ in \S+ on line \d+/'], '', $out)), "\n";
?>
--EXPECT--
200 done
200 still fine []
500 [] ["yes"]
404 []
200 [started]
bool(true)
bool(true)
bool(false)

Warning: Swoole\Http\Response::write(): http response is unavailable (maybe it has been ended or detached)
bool(false)

Warning: Swoole\Http\Response::end(): http response is unavailable (maybe it has been ended or detached)
bool(false)

Warning: Swoole\Http\Response::header(): http response is unavailable (maybe it has been ended or detached)
bool(false)

Warning: Swoole\Http\Response::status(): http response is unavailable (maybe it has been ended or detached)
bool(false)

Warning: Swoole\Http\Response::cookie(): http response is unavailable (maybe it has been ended or detached)
bool(false)

Warning: Swoole\Http\Response::redirect(): http response is unavailable (maybe it has been ended or detached)
bool(false)
string(3) "GET"
bool(false)

Warning: Swoole\Http\Request::getData(): http request is unavailable (maybe it has been ended)
bool(false)

Warning: Swoole\Http\Response::write(): the data to send is empty
bool(false)

Warning: Swoole\Http\Response::header(): header key cannot be empty
bool(false)

Warning: Swoole\Http\Response::status(): invalid http status code 42
bool(false)

Warning: Swoole\Http\Response::header(): invalid header: the name is not a token, or the value holds CR, LF or NUL
bool(false)
