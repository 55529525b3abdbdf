<?php
/*
 * A TCP server and its clients in one script, all coroutines of one process:
 * Swoole\Coroutine\Server hands each connection to the handler in a new
 * coroutine; three Swoole\Coroutine\Client instances talk to it at the same
 * time; the last one to finish shuts the server down, and Co\run() returns.
 *
 *   php -d extension=build/ext/modules/swoole.so examples/coroutine/tcp_client_server.php
 */
use Swoole\Coroutine\Client;
use Swoole\Coroutine\Server;
use Swoole\Coroutine\Server\Connection;

Co\run(function () {
    $server = new Server('127.0.0.1', 0); // port 0: the system picks a free one
    $server->handle(function (Connection $conn) {
        $peer = $conn->exportSocket()->getpeername();
        echo "server: connection from {$peer['address']}:{$peer['port']}\n";
        while (true) {
            $line = $conn->recv(5);
            if ($line === '' || $line === false) { // closed by the client, or timed out
                break;
            }
            $conn->send(strtoupper($line));
        }
        $conn->close();
    });
    go(function () use ($server) {
        $server->start(); // accepts until shutdown()
        echo "server: stopped\n";
    });
    echo "server: listening on 127.0.0.1:{$server->port}\n";

    $names = ['alice', 'bob', 'carol'];
    $left = count($names);
    foreach ($names as $name) {
        go(function () use ($server, $name, &$left) {
            $client = new Client(SWOOLE_SOCK_TCP);
            if (!$client->connect('127.0.0.1', $server->port, 1.0)) {
                echo "$name: connect failed: {$client->errMsg} ({$client->errCode})\n";
            } else {
                $client->send("hello from $name");
                $reply = $client->recv();
                echo "$name: got '$reply'\n";
                $client->close();
            }
            if (--$left === 0) { // the last client out stops the server
                $server->shutdown();
            }
        });
    }
});
