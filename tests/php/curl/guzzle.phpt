--TEST--
curl hook: Guzzle (Debian's php-guzzlehttp-guzzle) sync requests in coroutines and an async pool run concurrently
--EXTENSIONS--
curl
--SKIPIF--
<?php if (!is_file('/usr/share/php/GuzzleHttp/autoload.php')) die('skip Guzzle is not installed (scripts/deps.sh installs php-guzzlehttp-guzzle)'); ?>
--INI--
; Debian's Guzzle 7.4.5 makes a dynamic property, deprecated in PHP 8.2
error_reporting=E_ALL & ~E_DEPRECATED
--FILE--
<?php
require '/usr/share/php/GuzzleHttp/autoload.php';
require __DIR__ . '/server.inc';

Swoole\Runtime::enableCoroutine(SWOOLE_HOOK_NATIVE_CURL);

Co\run(function () {
    [$port, $stop] = start_http();
    $client = new GuzzleHttp\Client(['base_uri' => "http://127.0.0.1:$port", 'timeout' => 5]);

    // sync requests (Guzzle's CurlHandler: curl_exec), one per coroutine
    $t0 = microtime(true);
    $wg = new Swoole\Coroutine\WaitGroup();
    $out = [];
    for ($i = 0; $i < 8; $i++) {
        $wg->add();
        go(function () use ($client, $i, &$out, $wg) {
            $r = $client->get('/sleep?ms=250');
            $out[$i] = $r->getStatusCode() . ' ' . $r->getBody();
            $wg->done();
        });
    }
    $wg->wait(5);
    var_dump(array_unique($out));
    $sync = microtime(true) - $t0;
    echo $sync < 1.2 ? "sync concurrent\n" : "sync serial: $sync s\n";

    // async promises (CurlMultiHandler: curl_multi_exec / curl_multi_select)
    $t0 = microtime(true);
    $promises = [];
    for ($i = 0; $i < 5; $i++) {
        $promises[] = $client->postAsync('/echo', ['body' => "n=$i"]);
    }
    $bodies = array_map(fn ($r) => (string) $r->getBody(), GuzzleHttp\Promise\Utils::unwrap($promises));
    var_dump($bodies);

    // an error is Guzzle's exception, as without eddy
    try {
        $client->get('/sleep?ms=2000', ['timeout' => 0.2]);
    } catch (GuzzleHttp\Exception\ConnectException $e) {
        echo "timeout: ", str_contains($e->getMessage(), 'cURL error 28') ? "curl error 28" : $e->getMessage(), "\n";
    }
    $stop();
});
echo "done\n";
?>
--EXPECT--
array(1) {
  [0]=>
  string(13) "200 slept 250"
}
sync concurrent
array(5) {
  [0]=>
  string(3) "n=0"
  [1]=>
  string(3) "n=1"
  [2]=>
  string(3) "n=2"
  [3]=>
  string(3) "n=3"
  [4]=>
  string(3) "n=4"
}
timeout: curl error 28
done
