--TEST--
runtime: SWOOLE_HOOK_FILE -- plain-file reads and writes go through the thread pool in coroutines, without corrupting data or output
--FILE--
<?php
use Swoole\Runtime;

Runtime::enableCoroutine(SWOOLE_HOOK_FILE);
$dir = sys_get_temp_dir() . '/eddy-hook-file-' . getmypid();
mkdir($dir);

Co\run(function () use ($dir) {
    /* a ticker that counts while the file work is done */
    $ticks = 0;
    $stop = false;
    go(function () use (&$ticks, &$stop) {
        while (!$stop) {
            Co::sleep(0.001);
            $ticks++;
        }
    });
    $wg = new Swoole\Coroutine\WaitGroup();
    $bad = [];
    for ($i = 0; $i < 20; $i++) {
        $wg->add();
        go(function () use ($dir, $i, $wg, &$bad) {
            $file = "$dir/f$i";
            $data = str_repeat("coroutine $i\n", 20000); /* ~260 KB each */
            if (file_put_contents($file, $data) !== strlen($data)) {
                $bad[] = "put $i";
            }
            /* 20 coroutines appending lines to one log, interleaved */
            $log = fopen("$dir/shared.log", 'a');
            for ($k = 0; $k < 100; $k++) {
                fwrite($log, "c$i line $k\n");
            }
            fclose($log);
            if (file_get_contents($file) !== $data) {
                $bad[] = "get $i";
            }
            $h = fopen($file, 'r');
            $n = 0;
            while (($line = fgets($h)) !== false) {
                $n += $line === "coroutine $i\n";
            }
            fseek($h, 10);
            $tail = fread($h, 5);
            fclose($h);
            if ($n !== 20000 || $tail !== substr($data, 10, 5)) {
                $bad[] = "lines $i: $n " . json_encode($tail);
            }
            $wg->done();
        });
    }
    $wg->wait();
    $stop = true;
    $lines = file("$dir/shared.log", FILE_IGNORE_NEW_LINES);
    echo "files intact: ", $bad ? implode(', ', $bad) : 'all 20', "\n";
    echo "log: ", count($lines), " lines, ", count(array_unique($lines)), " distinct\n";
    echo "other coroutines ran meanwhile: ", $ticks > 0 ? 'yes' : 'no', "\n";

    /* errors stay PHP's */
    var_dump(@file_get_contents("$dir/missing"));
    $ro = fopen("$dir/f0", 'r');
    var_dump(@fwrite($ro, 'x'));
    fclose($ro);
    /* php://memory and temp streams are not plain files: untouched */
    $m = fopen('php://memory', 'w+');
    fwrite($m, 'memory');
    rewind($m);
    var_dump(fread($m, 10));
});

/* outside a coroutine: PHP's own */
var_dump(file_put_contents("$dir/outside", 'plain'), file_get_contents("$dir/outside"));
array_map('unlink', glob("$dir/*"));
rmdir($dir);
?>
--EXPECT--
files intact: all 20
log: 2000 lines, 2000 distinct
other coroutines ran meanwhile: yes
bool(false)
bool(false)
string(6) "memory"
int(5)
string(5) "plain"
