--TEST--
http: Response::detach() then Response::create(): a task worker answers the request (create($fd)), the owning worker answers after a timer (create($server, $fd), streamed with a trailer), create([$server, $request]) follows an HTTP/1.0 request and a HEAD request; the keep-alive connection serves the next request; a detached response is unusable and not answered 500; bad arguments warn; BASE and PROCESS
--FILE--
<?php
require __DIR__ . '/http.inc';
$handler = <<<'PHP'
function ($req, $resp) use ($s) {
    $fd = $resp->fd;
    switch ($req->server['request_uri']) {
    case '/task':
        var_dump($resp->detach());
        $s->task($fd);
        break;
    case '/timer':
        $resp->detach();
        Swoole\Timer::after(50, function () use ($s, $fd) {
            $r = Swoole\Http\Response::create($s, $fd);
            $r->status(201);
            $r->write('a-');
            $r->trailer('X-Sum', '42');
            $r->end('b');
        });
        break;
    case '/array':
        $resp->detach();
        $r = Swoole\Http\Response::create([$s, $req]);
        $r->end('array');
        break;
    case '/misuse':
        $resp->detach();
        $out = [$resp->isWritable(), $resp->end('x'), $resp->detach(), $resp->header('a', 'b'),
                Swoole\Http\Response::create(0x7ffff), Swoole\Http\Response::create(-1),
                Swoole\Http\Response::create(new stdClass, $fd),
                Swoole\Http\Response::create([$s, 'no request'])];
        $r = Swoole\Http\Response::create($fd);
        $r->end(json_encode($out) . ' ' . swoole_last_error());
        break;
    case '/dropped':
        $resp->detach(); /* never answered: no 500 at release, the connection stays */
        break;
    default:
        $resp->end('next');
    }
}
PHP;
$extra = <<<'PHP'
$s->on('task', function ($s, $tid, $wid, $fd) {
    $r = Swoole\Http\Response::create($fd);
    $r->header('X-From', 'task');
    echo 'task end: ', json_encode($r->end('in task')), "\n";
});
$s->on('finish', function () {});
PHP;

function show(?array $r) {
    if (!$r) { echo "no response\n"; return; }
    echo $r['status'], ' ', json_encode($r['body']), ' conn=', http_headers($r, 'connection')[0] ?? '-',
         ' len=', http_headers($r, 'content-length')[0] ?? '-', ' te=', http_headers($r, 'transfer-encoding')[0] ?? '-',
         ' from=', http_headers($r, 'x-from')[0] ?? '-', ' server=', http_headers($r, 'server')[0] ?? '-',
         ' date=', isset(http_headers($r, 'date')[0]) ? 'yes' : 'no', "\n";
}

foreach (['SWOOLE_BASE', 'SWOOLE_PROCESS'] as $mode) {
    echo "-- $mode\n";
    $h = server_start(http_server_code($handler, ['task_worker_num' => 1], $mode, $extra));
    $c = client($h['port']);
    fwrite($c, "GET /task HTTP/1.1\r\nHost: h\r\n\r\n");
    show(http_read($c));
    fwrite($c, "GET /timer HTTP/1.1\r\nHost: h\r\n\r\n");
    $raw = '';
    while (!str_ends_with($raw, "\r\n0\r\nx-sum: 42\r\n\r\n") && ($l = fgets($c)) !== false) $raw .= $l;
    echo json_encode(substr($raw, strpos($raw, "\r\n\r\n"))), ' ', explode("\r\n", $raw)[0], "\n";
    fwrite($c, "GET /misuse HTTP/1.1\r\nHost: h\r\n\r\n");
    show(http_read($c));
    fwrite($c, "GET / HTTP/1.1\r\nHost: h\r\n\r\n");
    show(http_read($c));
    fclose($c);
    show(http_request($h['port'], "GET /array HTTP/1.0\r\n\r\n"));
    $c = client($h['port']); /* HEAD: the array form knows it, the head only */
    fwrite($c, "HEAD /array HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
    show(http_read($c, true));
    echo json_encode(stream_get_contents($c)), "\n";
    fclose($c);
    $c = client($h['port']);
    fwrite($c, "GET /dropped HTTP/1.1\r\nHost: h\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n");
    show(http_read($c)); /* the pipelined one's: nothing (no 500) for the dropped one */
    fclose($c);
    echo server_stop($h);
}
var_dump(Swoole\Http\Response::create(1));
/* A plain Swoole\Server has no HTTP layer to write a response with. */
$h = server_start(<<<'PHP'
<?php
$s = new Swoole\Server('127.0.0.1', 0, SWOOLE_BASE);
$s->set(['worker_num' => 1, 'log_level' => 4]);
$s->on('workerStart', function ($s) { echo "READY {$s->port}\n"; });
$s->on('receive', function ($s, $fd, $rid, $data) {
    $s->send($fd, json_encode(Swoole\Http\Response::create($fd)) . "\n");
});
$s->start();
PHP);
echo ask($h['port'], 'x'), "\n";
echo preg_replace('/ in \S+ on line \d+/', '', server_stop($h));
?>
--EXPECTF--
-- SWOOLE_BASE
200 "in task" conn=keep-alive len=7 te=- from=task server=swoole-http-server date=yes
"\r\n\r\n2\r\na-\r\n1\r\nb\r\n0\r\nx-sum: 42\r\n\r\n" HTTP/1.1 201 Created
200 "[false,false,false,false,false,false,false,false] 1006" conn=keep-alive len=54 te=- from=- server=swoole-http-server date=yes
200 "next" conn=- len=4 te=- from=- server=swoole-http-server date=yes
200 "array" conn=close len=5 te=- from=- server=swoole-http-server date=yes
200 "" conn=close len=5 te=- from=- server=swoole-http-server date=yes
""
200 "next" conn=- len=4 te=- from=- server=swoole-http-server date=yes
READY %d
bool(true)
task end: true

Warning: Swoole\Http\Response::end(): http response is unavailable (maybe it has been ended or detached) in %s on line %d

Warning: Swoole\Http\Response::detach(): http response is unavailable (maybe it has been ended or detached) in %s on line %d

Warning: Swoole\Http\Response::header(): http response is unavailable (maybe it has been ended or detached) in %s on line %d

Warning: Swoole\Http\Response::create(): parameter $2 must be valid connection session id in %s on line %d

Warning: Swoole\Http\Response::create(): parameter $2 must be valid connection session id in %s on line %d

Warning: Swoole\Http\Response::create(): parameter $1 must be instanceof Server in %s on line %d

Warning: Swoole\Http\Response::create(): parameter $1.second must be instanceof Http\Request in %s on line %d
-- SWOOLE_PROCESS
200 "in task" conn=keep-alive len=7 te=- from=task server=swoole-http-server date=yes
"\r\n\r\n2\r\na-\r\n1\r\nb\r\n0\r\nx-sum: 42\r\n\r\n" HTTP/1.1 201 Created
200 "[false,false,false,false,false,false,false,false] 1006" conn=keep-alive len=54 te=- from=- server=swoole-http-server date=yes
200 "next" conn=- len=4 te=- from=- server=swoole-http-server date=yes
200 "array" conn=close len=5 te=- from=- server=swoole-http-server date=yes
200 "" conn=close len=5 te=- from=- server=swoole-http-server date=yes
""
200 "next" conn=- len=4 te=- from=- server=swoole-http-server date=yes
READY %d
bool(true)
task end: true

Warning: Swoole\Http\Response::end(): http response is unavailable (maybe it has been ended or detached) in %s on line %d

Warning: Swoole\Http\Response::detach(): http response is unavailable (maybe it has been ended or detached) in %s on line %d

Warning: Swoole\Http\Response::header(): http response is unavailable (maybe it has been ended or detached) in %s on line %d

Warning: Swoole\Http\Response::create(): parameter $2 must be valid connection session id in %s on line %d

Warning: Swoole\Http\Response::create(): parameter $2 must be valid connection session id in %s on line %d

Warning: Swoole\Http\Response::create(): parameter $1 must be instanceof Server in %s on line %d

Warning: Swoole\Http\Response::create(): parameter $1.second must be instanceof Http\Request in %s on line %d

Warning: Swoole\Http\Response::create(): server is not running in %s on line %d
bool(false)
false
READY %d

Warning: Swoole\Http\Response::create(): Response::create() needs a Swoole\Http\Server or Swoole\WebSocket\Server
