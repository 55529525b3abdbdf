--TEST--
socket: writeVector()/writeVectorAll() gather, readVector()/readVectorAll() scatter; [] once the peer closed
--FILE--
<?php
use Swoole\Coroutine\Socket;

Co\run(function () {
    $server = new Socket(AF_INET, SOCK_STREAM, 0);
    $server->bind('127.0.0.1', 0);
    $server->listen();
    $client = new Socket(AF_INET, SOCK_STREAM, 0);
    $client->connect('127.0.0.1', $server->getsockname()['port'], 1);
    $peer = $server->accept(1);

    go(function () use ($peer) {
        var_dump($peer->writeVectorAll(['abcd', 'efghij']));
        Co::sleep(0.02);
        var_dump($peer->writeVector(['kl']));
        Co::sleep(0.02);
        var_dump($peer->writeVector(['xyz']));
        Co::sleep(0.02);
        $peer->close();
    });
    var_dump($client->readVectorAll([4, 8]));
    var_dump($client->readVector([2, 8]));    // what one read gives
    var_dump($client->readVector([2, 8]));    // peer closed
    try {
        $client->readVector([]);
    } catch (ValueError $e) {
        echo $e->getMessage(), "\n";
    }
    try {
        $client->writeVector([1]);
    } catch (TypeError $e) {
        echo $e->getMessage(), "\n";
    }
    $client->close();
    var_dump($client->readVector([1]), $client->errCode === SOCKET_EBADF);
    $server->close();
});
?>
--EXPECT--
int(10)
int(2)
array(2) {
  [0]=>
  string(4) "abcd"
  [1]=>
  string(8) "efghijkl"
}
int(3)
array(2) {
  [0]=>
  string(2) "xy"
  [1]=>
  string(1) "z"
}
array(0) {
}
Swoole\Coroutine\Socket::readVector(): Argument #1 ($io_vector) must hold between 1 and 1024 (IOV_MAX) items
Swoole\Coroutine\Socket::writeVector(): Argument #1 ($io_vector) must hold only strings, int given
bool(false)
bool(true)
