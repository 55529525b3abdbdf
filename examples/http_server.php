<?php
/*
 * The hello world of Swoole's performance page: an HTTP server in BASE mode
 * (each worker accepts and serves its own connections) answering every
 * request with the same 24-byte page and three fixed headers.
 *
 *   php http_server.php [port] [worker_num] [base|process]      (or PORT=... in the environment)
 *
 * port defaults to 9501 (0 picks a free one), worker_num to the number of
 * CPUs, the mode to base. Then: curl -i http://127.0.0.1:9501/
 */
$port = (int) ($argv[1] ?? (getenv('PORT') ?: 9501));
$mode = ($argv[3] ?? 'base') === 'process' ? SWOOLE_PROCESS : SWOOLE_BASE;

$http = new Swoole\Http\Server('127.0.0.1', $port, $mode);
if (isset($argv[2])) {
    $http->set(['worker_num' => (int) $argv[2]]);
}

$http->on('start', function (Swoole\Http\Server $http) {
    echo "http_server: listening on http://127.0.0.1:{$http->port}/\n";
});

$http->on('request', function (Swoole\Http\Request $request, Swoole\Http\Response $response) {
    $response->header('Last-Modified', 'Thu, 18 Jun 2015 10:24:27 GMT');
    $response->header('E-Tag', '55829c5b-17');
    $response->header('Accept-Ranges', 'bytes');
    $response->end("<h1>\nHello Swoole.\n</h1>");
});

$http->start();
