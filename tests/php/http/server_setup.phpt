--TEST--
http: Http\Server is a Swoole\Server; start() without a request callback warns and fails; enable_coroutine off runs the handler as a plain call; the handler gets (Request, Response) only
--FILE--
<?php
require __DIR__ . '/http.inc';
$s = new Swoole\Http\Server('127.0.0.1', 0, SWOOLE_BASE);
var_dump($s instanceof Swoole\Server, $s->on('Request', function () {}));
$s2 = new Swoole\Http\Server('127.0.0.1', 0, SWOOLE_BASE);
var_dump(@$s2->start(), error_get_last()['message']);

$h = server_start(http_server_code(<<<'PHP'
function (...$args) {
    [$req, $resp] = $args;
    $resp->end(json_encode([count($args), get_class($req), get_class($resp), Swoole\Coroutine::getCid()]));
}
PHP, ['enable_coroutine' => false]));
echo http_get($h['port'], '/')['body'], "\n";
server_stop($h);
$h = server_start(http_server_code(<<<'PHP'
function ($req, $resp) { $resp->end((string) (Swoole\Coroutine::getCid() > 0)); }
PHP));
echo http_get($h['port'], '/')['body'], "\n";
server_stop($h);
?>
--EXPECT--
bool(true)
bool(true)
bool(false)
string(50) "Swoole\Server::start(): require onRequest callback"
[2,"Swoole\\Http\\Request","Swoole\\Http\\Response",-1]
1
