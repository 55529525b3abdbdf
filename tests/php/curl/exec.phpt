--TEST--
curl hook: curl_exec in coroutines runs concurrently (results, errors, timeouts, POST, big body, CURLOPT_FILE)
--EXTENSIONS--
curl
--FILE--
<?php
require __DIR__ . '/server.inc';

function fetch(string $url, array $opts = []) {
    $ch = curl_init($url);
    curl_setopt_array($ch, $opts + [CURLOPT_RETURNTRANSFER => true, CURLOPT_TIMEOUT_MS => 5000]);
    $r = curl_exec($ch);
    return [$r, curl_errno($ch), curl_getinfo($ch, CURLINFO_RESPONSE_CODE)];
}

Swoole\Runtime::enableCoroutine(SWOOLE_HOOK_NATIVE_CURL);
var_dump(Swoole\Runtime::getHookFlags() & SWOOLE_HOOK_NATIVE_CURL ? 'on' : 'off');

Co\run(function () {
    [$port, $stop] = start_http();
    $base = "http://127.0.0.1:$port";

    // ten requests that each take 200 ms on the server, in ten coroutines
    $t0 = microtime(true);
    $wg = new Swoole\Coroutine\WaitGroup();
    $bodies = [];
    for ($i = 0; $i < 10; $i++) {
        $wg->add();
        go(function () use ($i, $base, &$bodies, $wg) {
            [$r, $err, $code] = fetch("$base/sleep?ms=200");
            $bodies[$i] = "$r/$err/$code";
            $wg->done();
        });
    }
    $wg->wait(5);
    $elapsed = microtime(true) - $t0;
    ksort($bodies);
    var_dump(array_unique($bodies));
    echo $elapsed < 1.0 ? "concurrent\n" : "serial: $elapsed s\n";

    // POST body echoed; a 1 MiB body arrives whole
    var_dump(fetch("$base/echo", [CURLOPT_POSTFIELDS => 'a=1&b=2'])[0]);
    var_dump(strlen(fetch("$base/big?n=1048576")[0]));

    // errors are curl's own: timeout 28, refused 7
    [$r, $err] = fetch("$base/sleep?ms=2000", [CURLOPT_TIMEOUT_MS => 150]);
    var_dump($r, $err === CURLE_OPERATION_TIMEDOUT);
    $closed = new Swoole\Coroutine\Socket(AF_INET, SOCK_STREAM, 0);
    $closed->bind('127.0.0.1', 0);
    $dead = $closed->getsockname()['port'];
    $closed->close();
    [$r, $err] = fetch("http://127.0.0.1:$dead/");
    var_dump($r, $err === CURLE_COULDNT_CONNECT);

    // without RETURNTRANSFER: true, the body goes where curl writes it
    $f = tmpfile();
    $ch = curl_init("$base/big?n=5");
    curl_setopt($ch, CURLOPT_FILE, $f);
    var_dump(curl_exec($ch));
    rewind($f);
    var_dump(stream_get_contents($f));

    // the same handle twice (the buffer starts empty again)
    $ch = curl_init("$base/sleep?ms=1");
    curl_setopt($ch, CURLOPT_RETURNTRANSFER, true);
    var_dump(curl_exec($ch), curl_exec($ch));
    $stop();
});

// hooks off: curl_exec is PHP's own again (a blocking call, here to a dead port)
Swoole\Runtime::enableCoroutine(0);
$ch = curl_init('http://127.0.0.1:1/');
curl_setopt($ch, CURLOPT_RETURNTRANSFER, true);
var_dump(curl_exec($ch), curl_errno($ch) === CURLE_COULDNT_CONNECT);
echo "done\n";
?>
--EXPECT--
string(2) "on"
array(1) {
  [0]=>
  string(15) "slept 200/0/200"
}
concurrent
string(7) "a=1&b=2"
int(1048576)
bool(false)
bool(true)
bool(false)
bool(true)
bool(true)
string(5) "xxxxx"
string(7) "slept 1"
string(7) "slept 1"
bool(false)
bool(true)
done
