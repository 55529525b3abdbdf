--TEST--
server_tcp: listen()/addlistener() return Swoole\Server\Port; $server->ports; per-port set() framing, on() callbacks and connections (a port without one falls back to the server's), BASE and PROCESS
--FILE--
<?php
require __DIR__ . '/server.inc';
foreach (['SWOOLE_BASE', 'SWOOLE_PROCESS'] as $mode) {
    $h = server_start(<<<PHP
<?php
\$s = new Swoole\Server('127.0.0.1', 0, $mode);
\$s->set(['worker_num' => 1, 'reactor_num' => 1, 'log_level' => 4, 'open_eof_split' => true, 'package_eof' => "\\n"]);
\$len = \$s->listen('127.0.0.1', 0, SWOOLE_SOCK_TCP);
\$len->set(['open_length_check' => true, 'package_length_type' => 'n', 'package_body_offset' => 2]);
\$plain = \$s->addlistener('127.0.0.1', 0, SWOOLE_SOCK_TCP);
\$len->on('receive', function (\$s, \$fd, \$r, \$data) use (\$len) {
    \$mine = iterator_to_array(\$len->connections) === [\$fd] && isset(\$len->connections[\$fd]) && \$len->connections[\$fd]['server_port'] === \$len->port;
    \$s->send(\$fd, "len-port: " . substr(\$data, 2) . " (port " . count(\$len->connections) . ", server " . count(\$s->connections) . ", " . json_encode(\$mine) . ")\\n");
});
\$len->on('close', function (\$s, \$fd) { echo "len-port close\\n"; });
\$s->on('receive', function (\$s, \$fd, \$r, \$data) { \$s->send(\$fd, "server: " . \$data); });
\$s->on('close', function (\$s, \$fd) { echo "server close\\n"; });
\$s->on('workerStart', function (\$s) use (\$len, \$plain) {
    echo "READY {\$s->port} {\$len->port} {\$plain->port}\\n";
});
\$s->start();
PHP, [], '/READY (\d+ \d+ \d+)/');
    preg_match('/READY (\d+) (\d+) (\d+)/', file_get_contents($h['out']), $m);
    [, $p0, $p1, $p2] = array_map('intval', $m);
    echo "$mode\n";
    $c0 = client($p0); /* stays open: the server counts it, the length port does not */
    fwrite($c0, "main\n");
    echo fgets($c0);
    $c = client($p1);
    fwrite($c, pack('n', 3) . "one" . pack('n', 3) . "two"); /* two length frames in one write */
    echo rtrim(fgets($c)), "\n", rtrim(fgets($c)), "\n";
    fclose($c);
    fclose($c0);
    echo ask($p2, "plain"), "\n";
    usleep(200000);
    $out = server_stop($h);
    $closes = array_values(array_filter(explode("\n", $out), fn($l) => str_ends_with($l, 'close')));
    sort($closes);
    echo implode("\n", $closes), "\n";
}

/* Outside a running server: the Port object and its checks. */
$s = new Swoole\Server('127.0.0.1', 0);
$p = $s->listen('127.0.0.1', 0, SWOOLE_SOCK_TCP);
var_dump($p instanceof Swoole\Server\Port, count($s->ports), $s->ports[0]->port === $s->port, $s->ports[1] === $p);
var_dump($p->host, $p->port > 0, $p->type === SWOOLE_SOCK_TCP, count($p->connections));
$p->set(['package_eof' => "\r\n", 'worker_num' => 4, 'package_length_type' => 'x']);
var_dump($p->setting);
var_dump($p->on('request', fn() => 1));
var_dump($p->getCallback('receive'));
$p->on('receive', 'strlen');
var_dump($p->getCallback('receive') instanceof Closure);
var_dump(@$s->listen('127.0.0.1', $p->port, SWOOLE_SOCK_TCP), swoole_last_error() > 0);
unset($s);
$p->set(['package_eof' => "x"]);
?>
--EXPECTF--
SWOOLE_BASE
server: main
len-port: one (port 1, server 2, true)
len-port: two (port 1, server 2, true)
server: plain
len-port close
server close
server close
SWOOLE_PROCESS
server: main
len-port: one (port 1, server 2, true)
len-port: two (port 1, server 2, true)
server: plain
len-port close
server close
server close
bool(true)
int(2)
bool(true)
bool(true)
string(9) "127.0.0.1"
bool(true)
bool(true)
int(0)

Warning: Swoole\Server\Port::set(): unsupported option 'worker_num' of a port is ignored (ports take framing options only) in %s on line %d

Warning: Swoole\Server\Port::set(): package_length_type must be one of %s, got 'x' in %s on line %d
array(1) {
  ["package_eof"]=>
  string(2) "
"
}

Warning: Swoole\Server\Port::on(): unknown event types[request] (a port takes connect, receive, close, packet) in %s on line %d
bool(false)
NULL
bool(true)
[%s ERROR] server: cannot listen on 127.0.0.1:%d: Address already in use
bool(false)
bool(true)

Warning: Swoole\Server\Port::set(): the server of this port is gone, unable to execute Swoole\Server\Port->set() in %s on line %d
