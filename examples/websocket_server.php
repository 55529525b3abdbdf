<?php
/*
 * A WebSocket server that echoes every message back to its sender, and
 * sends a message starting with "broadcast:" to every connected client
 * instead. Plain HTTP requests to the same port get a short page.
 *
 *   php websocket_server.php [port] [worker_num] [base|process]
 *
 * port defaults to $PORT, then 9501 (0 picks a free one); worker_num to 1,
 * so that $server->connections (this worker's connections in BASE mode,
 * all of them in PROCESS mode) reaches every client; the mode to base.
 * Then, e.g.: python3 -m websockets ws://127.0.0.1:9501/
 */
$port = $argv[1] ?? getenv('PORT');
$port = $port === false || $port === '' ? 9501 : (int) $port;
$mode = ($argv[3] ?? 'base') === 'process' ? SWOOLE_PROCESS : SWOOLE_BASE;

$server = new Swoole\WebSocket\Server('127.0.0.1', $port, $mode);
$server->set(['worker_num' => (int) ($argv[2] ?? 1)]);

$server->on('start', function (Swoole\WebSocket\Server $server) {
    echo "websocket_server: listening on ws://127.0.0.1:{$server->port}/\n";
});

$server->on('open', function (Swoole\WebSocket\Server $server, Swoole\Http\Request $request) {
    $server->push($request->fd, "welcome {$request->fd}");
});

$server->on('message', function (Swoole\WebSocket\Server $server, Swoole\WebSocket\Frame $frame) {
    if (str_starts_with($frame->data, 'broadcast:')) {
        $text = substr($frame->data, strlen('broadcast:'));
        foreach ($server->connections as $fd) {
            if ($server->isEstablished($fd)) { /* not plain HTTP connections */
                $server->push($fd, "from {$frame->fd}: $text");
            }
        }
        return;
    }
    $server->push($frame->fd, $frame->data, $frame->opcode); /* text stays text, binary binary */
});

$server->on('request', function (Swoole\Http\Request $request, Swoole\Http\Response $response) {
    $response->header('Content-Type', 'text/plain');
    $response->end("websocket_server: connect with a WebSocket client\n");
});

$server->start();
