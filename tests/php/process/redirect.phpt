--TEST--
process: redirect_stdin_and_stdout: the child's echo goes to the pipe and its STDIN reads from it (pipe_type forced to SOCK_STREAM)
--FILE--
<?php
use Swoole\Process;

$p = new Process(function (Process $child) {
    echo "hello from the child\n";
    $line = fgets(STDIN);
    echo "child read: $line";
}, true, 0);
$pid = $p->start();
$out = '';
while (!str_contains($out, "\n")) {
    $out .= $p->read();
}
echo $out;
$p->write("a line for stdin\n");
$rest = '';
for ($i = 0; $i < 100 && !str_contains($rest, "\n"); $i++) {
    $chunk = $p->read();
    if ($chunk === '' || $chunk === false) break;
    $rest .= $chunk;
}
echo $rest;
var_dump(Process::wait()['pid'] === $pid);
echo "parent output is still the terminal's\n";
?>
--EXPECT--
hello from the child
child read: a line for stdin
bool(true)
parent output is still the terminal's
