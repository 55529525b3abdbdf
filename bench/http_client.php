<?php
/*
 * Swoole\Coroutine\Http\Client throughput against a hello-world
 * Swoole\Http\Server (eddy, BASE, 1 worker) pinned to CPU 0; the client
 * runs here, pinned to CPU 1. Loopback, keep-alive, bounded by count.
 *
 *   taskset -c 1 php -n -d extension=build/ext/modules/swoole.so bench/http_client.php [requests]
 *
 * Rows: one coroutine sending requests one after another on one kept
 * connection; 50 coroutines, each with its own client; and for scale PHP's
 * curl extension (one reused handle, keep-alive) and file_get_contents (a
 * new connection per request), both blocking, one request at a time.
 */
$n = (int) ($argv[1] ?? 20000);
$server = <<<'PHP'
$s = new Swoole\Http\Server('127.0.0.1', 0, SWOOLE_BASE);
$s->set(['worker_num' => 1, 'log_level' => 4, 'http_compression' => false]);
$s->on('workerStart', function ($s) { echo "READY {$s->port}\n"; });
$s->on('request', function ($req, $resp) { $resp->end('hello world, from eddy!!'); });
$s->start();
PHP;
/* The server loads the same swoole.so this script was given with -d. */
if (!preg_match('/extension=([^\x00]*swoole\.so)/', file_get_contents('/proc/self/cmdline'), $m)) {
    fwrite(STDERR, "run with -n -d extension=.../swoole.so\n");
    exit(1);
}
$args = ['taskset', '-c', '0', PHP_BINARY, '-n', '-d', "extension={$m[1]}"];
$p = proc_open([...$args, '-r', $server], [1 => ['pipe', 'w']], $pipes);
$line = fgets($pipes[1]);
if (!preg_match('/READY (\d+)/', (string) $line, $mm)) {
    fwrite(STDERR, "server did not start\n");
    exit(1);
}
$port = (int) $mm[1];

function row(string $name, int $n, float $dt): void {
    printf("%-46s %8d req in %6.2f s  %9.0f req/s\n", $name, $n, $dt, $n / $dt);
}

Co\run(function () use ($port, $n) {
    $c = new Swoole\Coroutine\Http\Client('127.0.0.1', $port);
    $t = microtime(true);
    for ($i = 0; $i < $n; $i++) {
        if (!$c->get('/') || $c->statusCode != 200) throw new Exception("request $i failed: {$c->errMsg}");
    }
    row('eddy client, 1 coroutine, keep-alive', $n, microtime(true) - $t);

    $t = microtime(true);
    $wg = new Swoole\Coroutine\WaitGroup();
    $per = intdiv($n, 50);
    for ($k = 0; $k < 50; $k++) {
        $wg->add();
        go(function () use ($port, $per, $wg) {
            $c = new Swoole\Coroutine\Http\Client('127.0.0.1', $port);
            for ($i = 0; $i < $per; $i++) {
                if (!$c->get('/')) throw new Exception("failed: {$c->errMsg}");
            }
            $wg->done();
        });
    }
    $wg->wait();
    row('eddy client, 50 coroutines, keep-alive', $per * 50, microtime(true) - $t);
});

if (function_exists('curl_init')) {
    $h = curl_init("http://127.0.0.1:$port/");
    curl_setopt($h, CURLOPT_RETURNTRANSFER, true);
    $t = microtime(true);
    for ($i = 0; $i < $n; $i++) curl_exec($h);
    row('php curl, one handle, keep-alive (blocking)', $n, microtime(true) - $t);
}
$t = microtime(true);
$m = intdiv($n, 4);
for ($i = 0; $i < $m; $i++) file_get_contents("http://127.0.0.1:$port/");
row('file_get_contents, new connection each', $m, microtime(true) - $t);

proc_terminate($p, 15);
proc_close($p);
