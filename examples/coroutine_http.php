<?php
/*
 * Concurrent outgoing calls inside one request: the handler of "/" starts
 * one coroutine per backend with go(), each makes its own request, and the
 * results come back over a Channel. The three backends answer after 300,
 * 200 and 100 ms, so the page is ready after about 300 ms instead of 600.
 *
 * To stay self-contained the backends are this server's own "/backend"
 * route (a handler that sleeps, as a slow service would); the calls go out
 * over TCP with Swoole\Coroutine\Client like any other outgoing request.
 *
 *   php coroutine_http.php [port]    (default 9501; 0 picks a free port)
 *   curl http://127.0.0.1:9501/
 */
use Swoole\Coroutine;
use Swoole\Coroutine\Channel;
use Swoole\Coroutine\Client;

$port = (int) ($argv[1] ?? (getenv('PORT') ?: 9501));

$server = new Swoole\Http\Server('127.0.0.1', $port, SWOOLE_BASE);
$server->set(['worker_num' => 1]); // one worker: the concurrency is all coroutines

$server->on('start', function (Swoole\Http\Server $server) {
    echo "coroutine_http: listening on http://127.0.0.1:{$server->port}/\n";
});

/* One HTTP/1.0 GET over a coroutine socket: the body, or null. */
function fetch(int $port, string $path, float $timeout = 2.0): ?string {
    $client = new Client(SWOOLE_SOCK_TCP);
    if (!$client->connect('127.0.0.1', $port, $timeout)) {
        return null;
    }
    $client->send("GET $path HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n");
    $raw = '';
    while (($data = $client->recv($timeout)) !== false && $data !== '') {
        $raw .= $data; // HTTP/1.0: the server closes after the response
    }
    $client->close();
    $split = strpos($raw, "\r\n\r\n");
    return $split === false ? null : substr($raw, $split + 4);
}

$server->on('request', function (Swoole\Http\Request $request, Swoole\Http\Response $response) use ($server) {
    if ($request->server['request_uri'] === '/backend') {
        Coroutine::sleep(((int) $request->get['ms']) / 1000); // a slow service
        $response->end(json_encode(['name' => $request->get['name'], 'ms' => (int) $request->get['ms']]));
        return;
    }
    $start = microtime(true);
    $backends = ['users' => 300, 'orders' => 200, 'stock' => 100];
    $chan = new Channel(count($backends));
    foreach ($backends as $name => $ms) {
        go(function () use ($chan, $server, $name, $ms) {
            $body = fetch($server->port, "/backend?name=$name&ms=$ms");
            $chan->push([$name, $body === null ? null : json_decode($body, true)]);
        });
    }
    $results = [];
    foreach ($backends as $_) {
        [$name, $result] = $chan->pop(3.0) ?: ['?', null]; // in order of completion
        $results[] = [$name => $result];
    }
    $response->header('Content-Type', 'application/json');
    $response->end(json_encode(['results' => $results,
                                'elapsed_ms' => (int) round((microtime(true) - $start) * 1000)]));
});

$server->start();
