--TEST--
curl hook: curl_multi_exec + curl_multi_select in a coroutine wait without blocking the worker
--EXTENSIONS--
curl
--FILE--
<?php
require __DIR__ . '/server.inc';

Swoole\Runtime::enableCoroutine(SWOOLE_HOOK_NATIVE_CURL);

Co\run(function () {
    [$port, $stop] = start_http();

    // a ticker proves the thread is free while the multi handle waits
    $ticks = 0;
    $done = false;
    go(function () use (&$ticks, &$done) {
        while (!$done) {
            Co::sleep(0.01);
            $ticks++;
        }
    });

    $t0 = microtime(true);
    $mh = curl_multi_init();
    $handles = [];
    for ($i = 0; $i < 5; $i++) {
        $ch = curl_init("http://127.0.0.1:$port/sleep?ms=300");
        curl_setopt($ch, CURLOPT_RETURNTRANSFER, true);
        curl_multi_add_handle($mh, $ch);
        $handles[] = $ch;
    }
    $rounds = 0;
    do {
        $status = curl_multi_exec($mh, $running);
        if ($running && curl_multi_select($mh, 1.0) === -1) {
            echo "select failed\n";
            break;
        }
    } while ($running && $status === CURLM_OK && ++$rounds < 10000);
    $elapsed = microtime(true) - $t0;
    $done = true;

    $results = [];
    while ($info = curl_multi_info_read($mh)) {
        $results[] = $info['result'];
    }
    var_dump($results === array_fill(0, 5, CURLE_OK));
    foreach ($handles as $ch) {
        var_dump(curl_multi_getcontent($ch));
        curl_multi_remove_handle($mh, $ch);
    }
    curl_multi_close($mh);
    echo $elapsed < 1.0 ? "concurrent\n" : "serial: $elapsed s\n";
    echo $ticks >= 10 ? "worker stayed free\n" : "ticker starved: $ticks\n";
    echo $rounds < 200 ? "select waited\n" : "busy loop: $rounds rounds\n";
    $stop();
});
echo "done\n";
?>
--EXPECT--
bool(true)
string(9) "slept 300"
string(9) "slept 300"
string(9) "slept 300"
string(9) "slept 300"
string(9) "slept 300"
concurrent
worker stayed free
select waited
done
