--TEST--
server_tcp: sendfile() (a range and a whole file, in order with the next send), pause()/resume() (input waits until resumed), protect() (the heartbeat spares it), BASE and PROCESS
--FILE--
<?php
require __DIR__ . '/server.inc';
$file = tempnam(sys_get_temp_dir(), 'eddy-sendfile-');
$big = '';
for ($i = 0; $i < 20000; $i++) $big .= sprintf("line %05d\n", $i); /* 220,000 bytes */
file_put_contents($file, $big);
foreach (['SWOOLE_BASE', 'SWOOLE_PROCESS'] as $mode) {
    $h = server_start(<<<PHP
<?php
\$s = new Swoole\Server('127.0.0.1', 0, $mode);
\$s->set(['worker_num' => 1, 'reactor_num' => 1, 'log_level' => 4, 'heartbeat_check_interval' => 1, 'heartbeat_idle_time' => 1]);
\$s->on('workerStart', function (\$s) { echo "READY {\$s->port}\\n"; });
\$s->on('receive', function (\$s, \$fd, \$r, \$data) {
    switch (trim(\$data)) {
    case 'range': \$s->sendfile(\$fd, '$file', 5, 12); \$s->send(\$fd, "|end\\n"); break;
    case 'whole': \$s->sendfile(\$fd, '$file'); \$s->send(\$fd, "|end\\n"); break;
    case 'bad': \$s->send(\$fd, json_encode([@\$s->sendfile(\$fd, '/nonexistent'), swoole_last_error() > 0, @\$s->sendfile(\$fd, '$file', 1 << 30)]) . "\\n"); break;
    case 'pause':
        \$s->pause(\$fd);
        \$s->after(400, fn() => \$s->resume(\$fd));
        \$s->send(\$fd, "paused\\n");
        break;
    case 'protect': \$s->send(\$fd, json_encode(\$s->protect(\$fd)) . "\\n"); break;
    default: \$s->send(\$fd, "echo " . \$data); break;
    }
});
\$s->start();
PHP);
    echo "$mode\n";
    $c = client($h['port']);
    fwrite($c, "range\n");
    echo fgets($c), fgets($c); /* bytes 5..16: "00000\nline 0", then "|end\n" */
    fwrite($c, "whole\n");
    $got = '';
    while (!str_ends_with($got, "|end\n") && strlen($got) < 300000 && !feof($c)) $got .= fread($c, 65536);
    var_dump($got === $big . "|end\n");
    fwrite($c, "bad\n");
    echo fgets($c);

    fwrite($c, "pause\n");
    echo fgets($c);
    $t0 = microtime(true);
    fwrite($c, "after pause\n");
    echo fgets($c);
    $waited = microtime(true) - $t0;
    echo $waited > 0.25 ? "answered after the resume\n" : "answered too early ($waited s)\n";

    fwrite($c, "protect\n");
    echo fgets($c);
    $idle = client($h['port']);
    fwrite($idle, "hi\n");
    echo fgets($idle);
    usleep(2600000); /* heartbeat: 1 s interval, 1 s idle time */
    var_dump(fgets($idle), feof($idle));
    fwrite($c, "still here\n");
    echo fgets($c);
    fclose($c);
    fclose($idle);
    server_stop($h);
}
unlink($file);
?>
--EXPECT--
SWOOLE_BASE
00000
line 0|end
bool(true)
[false,true,false]
paused
echo after pause
answered after the resume
true
echo hi
bool(false)
bool(true)
echo still here
SWOOLE_PROCESS
00000
line 0|end
bool(true)
[false,true,false]
paused
echo after pause
answered after the resume
true
echo hi
bool(false)
bool(true)
echo still here
