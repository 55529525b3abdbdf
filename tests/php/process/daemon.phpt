--TEST--
process: daemon() detaches the script (new session, parent exits 0, cwd kept with nochdir) and the daemon goes on running
--FILE--
<?php
require __DIR__ . '/../server_tcp/server.inc';
$file = tempnam(sys_get_temp_dir(), 'eddy-daemon-');
$code = <<<'PHP'
<?php
$before = getmypid();
echo "before\n";
var_dump(Swoole\Process::daemon());
/* noclose: stdout is still the caller's pipe, so this reaches it. */
$stat = explode(' ', file_get_contents('/proc/self/stat'));
file_put_contents($argv[1], json_encode([getmypid() !== $before, (int) $stat[5] === getmypid(), getcwd() === $argv[2]]));
PHP;
$script = "$file.php";
file_put_contents($script, $code);
$cmd = [PHP_BINARY, '-n', '-d', 'extension=' . swoole_so_path(), $script, $file, getcwd()];
$proc = proc_open($cmd, [1 => ['pipe', 'w']], $pipes);
echo stream_get_contents($pipes[1]);
var_dump(proc_close($proc));
for ($i = 0; $i < 100 && filesize($file) === 0; $i++) {
    usleep(20000);
    clearstatcache();
}
echo file_get_contents($file), "\n";
unlink($file);
unlink($script);
?>
--EXPECT--
before
bool(true)
int(0)
[true,true,true]
