--TEST--
module: swoole_last_error() starts at 0, swoole_clear_error() keeps it there, swoole_errno() is the C errno
--EXTENSIONS--
swoole
--FILE--
<?php
var_dump(swoole_last_error());
var_dump(swoole_clear_error());
var_dump(swoole_last_error());
$e = swoole_errno();
var_dump(is_int($e) && $e >= 0);
// A failed system call leaves its errno behind: opening a missing file is ENOENT.
@fopen('/nonexistent/eddy/' . getmypid(), 'r');
var_dump(swoole_errno());
var_dump(swoole_strerror(swoole_errno()));
?>
--EXPECT--
int(0)
NULL
int(0)
bool(true)
int(2)
string(25) "No such file or directory"
