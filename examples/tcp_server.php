<?php
/*
 * A TCP server with length framing: every message is a 4-byte big-endian
 * length followed by that many bytes, and the server answers each message
 * with one framed the same way. The engine cuts the byte stream into
 * messages (open_length_check), so onReceive always gets one whole message,
 * header included, however the client's writes were split or merged.
 *
 *   php tcp_server.php [port]        (default 9503; 0 picks a free port)
 *
 * A client, in PHP:
 *   $c = stream_socket_client('tcp://127.0.0.1:9503');
 *   fwrite($c, pack('N', 5) . 'hello');
 *   $len = unpack('N', fread($c, 4))[1];
 *   echo fread($c, $len);               // "echo: hello"
 */
$port = (int) ($argv[1] ?? 9503);

$server = new Swoole\Server('127.0.0.1', $port, SWOOLE_BASE, SWOOLE_SOCK_TCP);
$server->set([
    'worker_num' => 2,
    'open_length_check' => true,
    'package_length_type' => 'N',  // unsigned 32-bit, big-endian
    'package_length_offset' => 0,  // the length is the first field
    'package_body_offset' => 4,    // and counts the bytes after it
    'package_max_length' => 1024 * 1024,
]);

$server->on('start', function (Swoole\Server $server) {
    echo "tcp_server: listening on 127.0.0.1:{$server->port}\n";
});

$server->on('connect', function (Swoole\Server $server, int $fd) {
    echo "connect: #$fd\n";
});

$server->on('receive', function (Swoole\Server $server, int $fd, int $reactorId, string $data) {
    $body = substr($data, 4);
    $reply = "echo: $body";
    $server->send($fd, pack('N', strlen($reply)) . $reply);
});

$server->on('close', function (Swoole\Server $server, int $fd) {
    echo "close: #$fd\n";
});

$server->start();
