--TEST--
module: swoole_cpu_num() is the number of online CPUs
--EXTENSIONS--
swoole
--FILE--
<?php
// The kernel's list of online CPUs, e.g. "0-3,6": count what the ranges cover.
$online = 0;
foreach (explode(',', trim(file_get_contents('/sys/devices/system/cpu/online'))) as $range) {
    $ends = explode('-', $range);
    $online += count($ends) === 2 ? (int)$ends[1] - (int)$ends[0] + 1 : 1;
}
$n = swoole_cpu_num();
var_dump(is_int($n), $n >= 1);
var_dump($n === $online);
var_dump($n === (int)trim(shell_exec('getconf _NPROCESSORS_ONLN')));
?>
--EXPECT--
bool(true)
bool(true)
bool(true)
bool(true)
