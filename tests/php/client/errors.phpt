--TEST--
client: connect refused (111), read timeout from set() and from recv() (110), peer close gives ''
--FILE--
<?php
use Swoole\Coroutine\Client;
use Swoole\Coroutine\Socket;

Co\run(function () {
    $holder = new Socket(AF_INET, SOCK_STREAM, 0);
    $holder->bind('127.0.0.1', 0);
    $port = $holder->getsockname()['port'];

    $client = new Client(SWOOLE_SOCK_TCP);
    var_dump($client->connect('127.0.0.1', $port));
    var_dump($client->errCode, $client->errMsg, $client->isConnected());

    // Now listen, accept, stay silent, then close.
    $holder->listen();
    go(function () use ($holder) {
        $conn = $holder->accept();
        Co::sleep(0.5);
        $conn->close();
    });
    var_dump($client->set(['read_timeout' => 0.1, 'connect_timeout' => 1]));
    var_dump($client->setting);
    var_dump($client->connect('127.0.0.1', $port));
    $t = microtime(true);
    var_dump($client->recv(), $client->errCode === SOCKET_ETIMEDOUT);
    var_dump(microtime(true) - $t < 0.4);
    $t = microtime(true);
    var_dump($client->recv(0.05), $client->errCode);
    var_dump(microtime(true) - $t < 0.3);
    var_dump($client->recv(-1), $client->errCode);
});
?>
--EXPECT--
bool(false)
int(111)
string(18) "Connection refused"
bool(false)
bool(true)
array(2) {
  ["read_timeout"]=>
  float(0.1)
  ["connect_timeout"]=>
  int(1)
}
bool(true)
bool(false)
bool(true)
bool(true)
bool(false)
int(110)
bool(true)
string(0) ""
int(0)
