--TEST--
module: swoole_set_process_name() sets the title that ps shows
--EXTENSIONS--
swoole
--SKIPIF--
<?php if (PHP_SAPI !== 'cli') die('skip cli SAPI only'); ?>
--FILE--
<?php
$name = 'eddy-phpt-' . getmypid();
var_dump(swoole_set_process_name($name));
// What ps reads: the command line in /proc, NUL- and space-padded. Under
// valgrind (scripts/phpt.sh with PHPT_VALGRIND=1) /proc shows valgrind's own
// argv, which PHP cannot touch, so only the title itself can be checked.
$valgrind = !str_contains((string)readlink('/proc/self/exe'), 'php');
$cmdline = rtrim(file_get_contents('/proc/self/cmdline'), "\0 ");
var_dump($valgrind || $cmdline === $name);
var_dump(cli_get_process_title() === $name);
?>
--EXPECT--
bool(true)
bool(true)
bool(true)
