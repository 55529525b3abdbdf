--TEST--
server_tcp: examples/tcp_server.php answers length-framed messages, split and merged writes alike
--FILE--
<?php
require __DIR__ . '/server.inc';
$h = server_start(__DIR__ . '/../../../examples/tcp_server.php', ['0'], '/listening on 127\.0\.0\.1:(\d+)/');
$c = client($h['port']);
function frame(string $s): string { return pack('N', strlen($s)) . $s; }
function read_frame($c): string {
    $head = fread($c, 4);
    if (strlen($head) < 4) return "(closed)";
    $len = unpack('N', $head)[1];
    $body = '';
    while (strlen($body) < $len && !feof($c)) $body .= fread($c, $len - strlen($body));
    return $body;
}
fwrite($c, frame('hello'));
echo read_frame($c), "\n";
fwrite($c, frame('one') . frame('two')); /* merged */
echo read_frame($c), "\n", read_frame($c), "\n";
$f = frame(str_repeat('x', 100000)); /* split */
foreach (str_split($f, 7000) as $part) { fwrite($c, $part); usleep(1000); }
echo strlen(read_frame($c)), "\n";
fclose($c);
usleep(100000);
$out = server_stop($h);
echo preg_replace('/#\d+/', '#N', implode("\n", array_filter(explode("\n", $out), fn($l) => preg_match('/^(connect|close)/', $l)))), "\n";
?>
--EXPECT--
echo: hello
echo: one
echo: two
100006
connect: #N
close: #N
