--TEST--
http_client: 20 requests in 20 coroutines to a server whose handler sleeps 0.2 s finish together, well under 1 s (serially: 4 s)
--FILE--
<?php
require __DIR__ . '/client.inc';
use Swoole\Coroutine\Http\Client;
$h = report_server();
Co\run(function () use ($h) {
    $t = microtime(true);
    $wg = new Swoole\Coroutine\WaitGroup();
    $ok = 0;
    for ($i = 0; $i < 20; $i++) {
        $wg->add();
        go(function () use ($h, $wg, &$ok) {
            $c = new Client('127.0.0.1', $h['port']);
            if ($c->get('/sleep') && $c->statusCode == 200 && $c->body == 'slept') $ok++;
            $wg->done();
        });
    }
    $wg->wait(10);
    $dt = microtime(true) - $t;
    echo "$ok ok\n";
    echo $dt >= 0.19 && $dt < 0.9 ? "concurrent\n" : "took $dt s\n";
    /* the helpers, concurrently too */
    $t = microtime(true);
    $codes = [];
    for ($i = 0; $i < 5; $i++) {
        $wg->add();
        go(function () use ($h, $wg, &$codes) {
            $r = Swoole\Coroutine\Http\get("http://127.0.0.1:{$h['port']}/sleep");
            $codes[] = $r->getStatusCode() . ' ' . $r->getBody();
            $wg->done();
        });
    }
    $wg->wait(10);
    $dt = microtime(true) - $t;
    echo implode(',', $codes), "\n", $dt < 0.9 ? "concurrent\n" : "took $dt s\n";
});
server_stop($h);
?>
--EXPECT--
20 ok
concurrent
200 slept,200 slept,200 slept,200 slept,200 slept
concurrent
