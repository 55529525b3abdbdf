--TEST--
client: set() framing options make recv() return one complete message (EOF split and length) against a Coroutine\Server; oversize packet fails
--FILE--
<?php
use Swoole\Coroutine\Client;
use Swoole\Coroutine\Server;
use Swoole\Coroutine\Server\Connection;

Co\run(function () {
    $server = new Server('127.0.0.1', 0);
    $server->handle(function (Connection $conn) {
        $cmd = $conn->recv();
        $frame = fn(string $b) => pack('n', strlen($b)) . $b;
        $pieces = match ($cmd) {
            'eof' => ["a|b", "c|d|", "e", "f|"],
            'length' => [substr($frame('first') . $frame('second'), 0, 3),
                         substr($frame('first') . $frame('second'), 3), $frame('third')],
            'big' => [pack('N', 1000000) . 'x'],
        };
        foreach ($pieces as $p) {
            $conn->send($p);
            Co::sleep(0.01);
        }
        $conn->recv(1);
        $conn->close();
    });
    go(fn () => $server->start());

    $client = new Client(SWOOLE_SOCK_TCP);
    var_dump($client->set(['open_eof_split' => true, 'package_eof' => '|']));
    $client->connect('127.0.0.1', $server->port, 1);
    $client->send('eof');
    for ($i = 0; $i < 4; $i++) {
        echo json_encode($client->recv(1)), "\n";
    }
    $client->close();

    $client = new Client(SWOOLE_SOCK_TCP);
    $client->set(['open_length_check' => true, 'package_length_type' => 'n',
                  'package_length_offset' => 0, 'package_body_offset' => 2]);
    $client->set(['timeout' => 1]); // a later set() keeps the protocol
    $client->connect('127.0.0.1', $server->port, 1);
    $client->send('length');
    for ($i = 0; $i < 3; $i++) {
        echo json_encode(substr($client->recv(), 2)), "\n";
    }
    var_dump($client->recv(0.05), $client->errCode === SOCKET_ETIMEDOUT);
    $client->close();

    $client = new Client(SWOOLE_SOCK_TCP);
    // package_max_length is raised to Swoole's 64 KiB floor
    $client->set(['open_length_check' => true, 'package_length_type' => 'N',
                  'package_body_offset' => 4, 'package_max_length' => 1000]);
    $client->connect('127.0.0.1', $server->port, 1);
    $client->send('big');
    var_dump($client->recv(1), $client->errCode === SWOOLE_ERROR_PACKAGE_LENGTH_TOO_LARGE);
    $client->close();
    $server->shutdown();
});
echo "done\n";
?>
--EXPECT--
bool(true)
"a|"
"bc|"
"d|"
"ef|"
"first"
"second"
"third"
bool(false)
bool(true)
bool(false)
bool(true)
done
