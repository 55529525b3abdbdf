--TEST--
server_tcp: examples/reload_server.php reloads (SIGUSR1 to the master) under a bounded load loop: every request gets its reply, connections survive, replies come from a new worker pid; beforeReload/afterReload fire
--FILE--
<?php
require __DIR__ . '/server.inc';
$h = server_start(__DIR__ . '/../../../examples/reload_server.php', ['0'],
                  '/listening on 127\.0\.0\.1:(\d+)/');
preg_match('/master pid (\d+)/', file_get_contents($h['out']), $m);
$master = (int) $m[1];

/* 8 persistent clients, each with one request in flight. The reload is
 * sent after 0.3 s; the loop runs until 1.5 s after it (at most 6 s, at
 * most 500,000 requests). */
$clients = [];
for ($i = 0; $i < 8; $i++) {
    $clients[$i] = client($h['port']);
    stream_set_blocking($clients[$i], false);
}
$sent = $answered = $wrong = 0;
$pids = [];
$pending = [];
$buf = array_fill(0, 8, '');
$t0 = microtime(true);
$reloaded = false;
foreach ($clients as $i => $c) {
    fwrite($c, "req $i-$sent\n");
    $pending[$i] = "req $i-$sent";
    $sent++;
}
$reload_at = 0;
while (microtime(true) - $t0 < 6 && $sent < 500000 && (!$reloaded || microtime(true) - $reload_at < 1.5)) {
    if (!$reloaded && microtime(true) - $t0 > 0.3) {
        $reload_at = microtime(true);
        exec("kill -USR1 $master"); /* posix is not loaded under run-tests -n */
        $reloaded = true;
    }
    $r = $clients;
    $w = $e = null;
    if (stream_select($r, $w, $e, 0, 200000) < 1) continue;
    foreach ($r as $c) {
        $i = array_search($c, $clients, true);
        $chunk = fread($c, 65536);
        if ($chunk === '' || $chunk === false) {
            if (feof($c)) { echo "client $i closed by the server\n"; break 2; }
            continue;
        }
        $buf[$i] .= $chunk;
        while (($nl = strpos($buf[$i], "\n")) !== false) {
            $line = substr($buf[$i], 0, $nl);
            $buf[$i] = substr($buf[$i], $nl + 1);
            if (!preg_match('/^\[#0 pid (\d+)\] (.*)$/', $line, $mm) || $mm[2] !== $pending[$i]) {
                $wrong++;
                continue;
            }
            $pids[$mm[1]] = true;
            $answered++;
            $pending[$i] = "req $i-$sent";
            fwrite($c, $pending[$i] . "\n");
            $sent++;
        }
    }
}
/* The requests still in flight are answered too. */
$deadline = microtime(true) + 3;
while ($answered + $wrong < $sent && microtime(true) < $deadline) {
    foreach ($clients as $i => $c) {
        $buf[$i] .= (string) fread($c, 65536);
        while (($nl = strpos($buf[$i], "\n")) !== false) {
            $line = substr($buf[$i], 0, $nl);
            $buf[$i] = substr($buf[$i], $nl + 1);
            preg_match('/^\[#0 pid (\d+)\] (.*)$/', $line, $mm) && $mm[2] === $pending[$i] ? $answered++ : $wrong++;
        }
    }
    usleep(10000);
}
var_dump($reloaded, $sent > 100, $sent === $answered, $wrong, count($pids) === 2);
if ($sent !== $answered) echo "sent $sent, answered $answered\n";
$out = server_stop($h);
/* afterReload fires once the new worker is forked: before or after its
 * workerStart line. */
echo implode("\n", array_values(array_filter(explode("\n", $out), fn($l) => preg_match('/^(reloading$|worker)/', $l)))), "\n";
var_dump(substr_count($out, "\nreloaded\n"));
?>
--EXPECTF--
bool(true)
bool(true)
bool(true)
int(0)
bool(true)
worker #0 started, pid %d
reloading
worker #0 started, pid %d
int(1)
