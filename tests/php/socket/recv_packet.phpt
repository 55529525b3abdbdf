--TEST--
socket: setProtocol() + recvPacket() with EOF and length framing across split and coalesced writes; oversize packet fails with 1201
--FILE--
<?php
use Swoole\Coroutine\Socket;

function pair(): array {
    $server = new Socket(AF_INET, SOCK_STREAM, 0);
    $server->bind('127.0.0.1', 0);
    $server->listen();
    $client = new Socket(AF_INET, SOCK_STREAM, 0);
    $client->connect('127.0.0.1', $server->getsockname()['port'], 1);
    $peer = $server->accept(1);
    $server->close();
    return [$client, $peer];
}

function feed(Socket $peer, array $pieces, bool $close = true): void {
    go(function () use ($peer, $pieces, $close) {
        foreach ($pieces as $piece) {
            $peer->sendAll($piece);
            Co::sleep(0.01);
        }
        if ($close) {
            $peer->close();
        }
    });
}

Co\run(function () {
    echo "-- eof split\n";
    [$client, $peer] = pair();
    var_dump($client->setProtocol(['open_eof_split' => true, 'package_eof' => "\r\n"]));
    feed($peer, ["one\r", "\ntwo\r\nthree\r\nfo", "ur\r\n", "half"]);
    while (($msg = $client->recvPacket(2)) !== '') {
        var_dump($msg);
    }
    $client->close();

    echo "-- length\n";
    [$client, $peer] = pair();
    var_dump($client->setProtocol([
        'open_length_check' => true, 'package_length_type' => 'N',
        'package_length_offset' => 0, 'package_body_offset' => 4,
    ]));
    $frame = fn(string $body) => pack('N', strlen($body)) . $body;
    $two = $frame('hello') . $frame('hi');
    feed($peer, [substr($two, 0, 2), substr($two, 2, 5), substr($two, 7), $frame(str_repeat('x', 100000))]);
    while (($msg = $client->recvPacket(2)) !== '') {
        var_dump(strlen($msg), substr($msg, 4, 5));
    }
    $client->close();

    echo "-- too large\n";
    [$client, $peer] = pair();
    $client->setProtocol(['open_length_check' => true, 'package_max_length' => 1024 * 1024]);
    feed($peer, [pack('N', 4 * 1024 * 1024) . 'xxxx'], false);
    var_dump($client->recvPacket(2), $client->errCode, $client->errCode === SWOOLE_ERROR_PACKAGE_LENGTH_TOO_LARGE);
    var_dump(str_contains($client->errMsg, 'package_max_length'));
    $client->close();
    $peer->close();

    echo "-- eof over the limit\n";
    [$client, $peer] = pair();
    $client->setProtocol(['open_eof_check' => true, 'package_eof' => "\n", 'package_max_length' => 65536]);
    feed($peer, [str_repeat('y', 70000)], false);
    var_dump($client->recvPacket(2), $client->errCode);
    $client->close();
    $peer->close();

    echo "-- bad option, no protocol\n";
    [$client, $peer] = pair();
    var_dump($client->setProtocol(['open_length_check' => true, 'package_length_type' => 'q']));
    var_dump($client->setProtocol([]));
    feed($peer, ["raw bytes"], false);
    var_dump($client->recvPacket(2));
    var_dump($client->recvPacket(0.05), $client->errCode === SOCKET_ETIMEDOUT);
    $client->close();
    $peer->close();
});
?>
--EXPECTF--
-- eof split
bool(true)
string(5) "one
"
string(5) "two
"
string(7) "three
"
string(6) "four
"
-- length
bool(true)
int(9)
string(5) "hello"
int(6)
string(2) "hi"
int(100004)
string(5) "xxxxx"
-- too large
bool(false)
int(1201)
bool(true)
bool(true)
-- eof over the limit
bool(false)
int(1201)
-- bad option, no protocol

Warning: Swoole\Coroutine\Socket::setProtocol(): %s in %s on line %d
bool(false)
bool(true)
string(9) "raw bytes"
bool(false)
bool(true)
