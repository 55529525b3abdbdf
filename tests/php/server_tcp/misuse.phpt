--TEST--
server_tcp: set() warnings name the option, unsupported options warn once, worker methods before start(), bad events, address in use
--FILE--
<?php
$s = new Swoole\Server('127.0.0.1', 0);
var_dump($s->port > 0, $s->mode === SWOOLE_BASE, SWOOLE_PROCESS);
$s->set(['worker_num' => 0, 'package_length_type' => 'x', 'no_such_option' => 1]);
$s->set(['no_such_option' => 2, 'worker_num' => 3, 'enable_coroutine' => false]);
var_dump($s->setting);
var_dump($s->send(1, "x"), swoole_last_error());
var_dump($s->task([1]), $s->shutdown(), $s->getWorkerId(), $s->getMasterPid());
var_dump($s->on('nosuchevent', function () {}));
try {
    new Swoole\Server('127.0.0.1', $s->port);
} catch (Swoole\Exception $e) {
    echo get_class($e), ": ", preg_replace('/:\d+\]/', ':PORT]', $e->getMessage()), "\n";
}
var_dump(count($s->connections), isset($s->connections[1]), iterator_to_array($s->connections));
$port = $s->port;
unset($s); /* no cycle through the connections iterator: the port is free at once */
$s = new Swoole\Server('127.0.0.1', $port);
echo $s->port === $port ? "rebound\n" : "not rebound\n";
try {
    new Swoole\Server('127.0.0.1', 0, 7);
} catch (Swoole\Exception $e) {
    echo $e->getMessage(), "\n";
}
?>
--EXPECTF--
bool(true)
bool(true)
int(2)

Warning: Swoole\Server::set(): worker_num must be between 1 and 2000 in %s on line %d

Warning: Swoole\Server::set(): package_length_type must be one of %s in %s on line %d

Warning: Swoole\Server::set(): unsupported option 'no_such_option' is ignored in %s on line %d
array(4) {
  ["worker_num"]=>
  int(3)
  ["package_length_type"]=>
  string(1) "x"
  ["no_such_option"]=>
  int(2)
  ["enable_coroutine"]=>
  bool(false)
}

Warning: Swoole\Server::send(): server is not running in %s on line %d
bool(false)
int(509)

Warning: Swoole\Server::task(): server is not running in %s on line %d

Warning: Swoole\Server::shutdown(): server is not running in %s on line %d
bool(false)
bool(false)
bool(false)
int(0)

Warning: Swoole\Server::on(): unknown event types[nosuchevent] in %s on line %d
bool(false)
[%s ERROR] server: cannot listen on 127.0.0.1:%d: Address already in use
Swoole\Exception: failed to listen server port[127.0.0.1:PORT], Error: %s[98]
int(0)
bool(false)
array(0) {
}
rebound
invalid $mode parameters 7
