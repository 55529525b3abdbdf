--TEST--
runtime: SWOOLE_HOOK_PROC / STDIO -- proc_open pipes, shell_exec and exec in concurrent coroutines, STDIN read without blocking the worker
--FILE--
<?php
use Swoole\Runtime;

Runtime::enableCoroutine(SWOOLE_HOOK_PROC | SWOOLE_HOOK_STDIO);

Co\run(function () {
    /* five children, each sleeping 0.3 s before echoing its input back: together ~0.3 s */
    $t = microtime(true);
    $wg = new Swoole\Coroutine\WaitGroup();
    $out = [];
    for ($i = 0; $i < 5; $i++) {
        $wg->add();
        go(function () use ($i, $wg, &$out) {
            $p = proc_open(['sh', '-c', "sleep 0.3; echo child $i; cat"],
                           [0 => ['pipe', 'r'], 1 => ['pipe', 'w']], $pipes);
            fwrite($pipes[0], str_repeat('x', 50000)); /* more than one pipe write */
            fclose($pipes[0]);                           /* EOF for cat: no other child holds it */
            $data = stream_get_contents($pipes[1]);
            fclose($pipes[1]);
            $out[$i] = [strtok($data, "\n"), strlen($data), proc_close($p)];
            $wg->done();
        });
    }
    $wg->wait();
    $t = microtime(true) - $t;
    ksort($out);
    echo json_encode($out), "\n";
    echo "proc_open x5: ", $t < 1.0 ? 'concurrent' : "took $t s", "\n";

    /* shell_exec and backticks */
    $t = microtime(true);
    $res = [];
    for ($i = 0; $i < 5; $i++) {
        $wg->add();
        go(function () use ($i, $wg, &$res) {
            $res[$i] = shell_exec("sleep 0.3; echo shell $i");
            $wg->done();
        });
    }
    $wg->wait();
    $t = microtime(true) - $t;
    ksort($res);
    echo json_encode($res), "\n";
    echo "shell_exec x5: ", $t < 1.0 ? 'concurrent' : "took $t s", "\n";
    var_dump(`true`, `echo -n back`);

    /* exec(): PHP's own popen, its pipe read through the hook */
    $t = microtime(true);
    $res = [];
    for ($i = 0; $i < 5; $i++) {
        $wg->add();
        go(function () use ($i, $wg, &$res) {
            $lines = [];
            exec("sleep 0.3; echo exec $i; exit 3", $lines, $code);
            $res[$i] = [$lines, $code];
            $wg->done();
        });
    }
    $wg->wait();
    $t = microtime(true) - $t;
    ksort($res);
    echo json_encode($res), "\n";
    echo "exec x5: ", $t < 1.0 ? 'concurrent' : "took $t s", "\n";

    /* a pipe set non-blocking does not wait, as in PHP */
    $p = proc_open(['sh', '-c', 'sleep 0.2; echo late'], [1 => ['pipe', 'w']], $pipes);
    stream_set_blocking($pipes[1], false);
    $t = microtime(true);
    var_dump(fread($pipes[1], 10), microtime(true) - $t < 0.1);
    stream_set_blocking($pipes[1], true);
    var_dump(fread($pipes[1], 10));
    fclose($pipes[1]);
    proc_close($p);

    /* STDIN of a child PHP: it reads STDIN in a coroutine while its ticker keeps going */
    $so = '';
    foreach (file('/proc/self/maps') as $line) {
        if (preg_match('~\s(/\S*swoole\.so)$~', trim($line), $m)) {
            $so = $m[1];
        }
    }
    $child = <<<'PHP'
Swoole\Runtime::enableCoroutine(SWOOLE_HOOK_STDIO);
Co\run(function () {
    $ticks = 0;
    go(function () use (&$ticks) { for ($i = 0; $i < 10; $i++) { Co::sleep(0.02); $ticks++; } });
    $line = fgets(STDIN);
    echo "got ", trim($line), " after $ticks ticks\n";
});
PHP;
    $p = proc_open([PHP_BINARY, '-n', '-d', "extension=$so", '-r', $child],
                   [0 => ['pipe', 'r'], 1 => ['pipe', 'w']], $pipes);
    Co::sleep(0.4);
    fwrite($pipes[0], "hello\n");
    fclose($pipes[0]);
    echo stream_get_contents($pipes[1]);
    fclose($pipes[1]);
    proc_close($p);
});

/* outside a coroutine: PHP's own */
var_dump(shell_exec('echo outside'));
?>
--EXPECT--
[["child 0",50008,0],["child 1",50008,0],["child 2",50008,0],["child 3",50008,0],["child 4",50008,0]]
proc_open x5: concurrent
["shell 0\n","shell 1\n","shell 2\n","shell 3\n","shell 4\n"]
shell_exec x5: concurrent
NULL
string(4) "back"
[[["exec 0"],3],[["exec 1"],3],[["exec 2"],3],[["exec 3"],3],[["exec 4"],3]]
exec x5: concurrent
string(0) ""
bool(true)
string(5) "late
"
got hello after 10 ticks
string(8) "outside
"
