--TEST--
system: writeFile/readFile round trip (binary, append, lock), missing file errors
--FILE--
<?php
use Swoole\Coroutine\System;

$file = sys_get_temp_dir() . '/eddy_system_file_' . getmypid();
Co\run(function () use ($file) {
    $data = random_bytes(300000) . "\0tail";
    var_dump(System::writeFile($file, $data));
    var_dump(System::readFile($file) === $data);
    var_dump(System::writeFile($file, "one\n"));
    var_dump(System::writeFile($file, "two\n", FILE_APPEND | LOCK_EX));
    var_dump(System::readFile($file, LOCK_EX));
    var_dump(System::writeFile($file, ''), System::readFile($file));
    var_dump(System::readFile($file . '.missing'), swoole_last_error() === 2);
    var_dump(System::writeFile('/nonexistent-dir/x', 'x'), swoole_last_error() === 2);
    var_dump(Co::readFile($file) === '');
});
unlink($file);
?>
--EXPECT--
int(300005)
bool(true)
int(4)
int(4)
string(8) "one
two
"
int(0)
string(0) ""
bool(false)
bool(true)
bool(false)
bool(true)
bool(true)
