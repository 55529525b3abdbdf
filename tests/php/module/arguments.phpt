--TEST--
module: wrong argument types and counts raise TypeError / ArgumentCountError
--EXTENSIONS--
swoole
--FILE--
<?php
$calls = [
    fn() => swoole_strerror('not a number'),
    fn() => swoole_strerror([]),
    fn() => swoole_strerror(1, 'x'),
    fn() => swoole_strerror(),
    fn() => swoole_strerror(1, 2, 3),
    fn() => swoole_version(1),
    fn() => swoole_cpu_num('x'),
    fn() => swoole_last_error(null),
    fn() => swoole_errno(1),
    fn() => swoole_clear_error(1),
    fn() => swoole_set_process_name([]),
    fn() => swoole_set_process_name(),
];
foreach ($calls as $call) {
    try {
        $call();
        echo "no error\n";
    } catch (Throwable $e) {
        echo get_class($e), ': ', $e->getMessage(), "\n";
    }
}
// Numeric strings are coerced in weak mode, as for any internal int parameter.
var_dump(swoole_strerror('104'));
?>
--EXPECT--
TypeError: swoole_strerror(): Argument #1 ($errno) must be of type int, string given
TypeError: swoole_strerror(): Argument #1 ($errno) must be of type int, array given
TypeError: swoole_strerror(): Argument #2 ($error_type) must be of type int, string given
ArgumentCountError: swoole_strerror() expects at least 1 argument, 0 given
ArgumentCountError: swoole_strerror() expects at most 2 arguments, 3 given
ArgumentCountError: swoole_version() expects exactly 0 arguments, 1 given
ArgumentCountError: swoole_cpu_num() expects exactly 0 arguments, 1 given
ArgumentCountError: swoole_last_error() expects exactly 0 arguments, 1 given
ArgumentCountError: swoole_errno() expects exactly 0 arguments, 1 given
ArgumentCountError: swoole_clear_error() expects exactly 0 arguments, 1 given
TypeError: swoole_set_process_name(): Argument #1 ($process_name) must be of type string, array given
ArgumentCountError: swoole_set_process_name() expects exactly 1 argument, 0 given
string(24) "Connection reset by peer"
