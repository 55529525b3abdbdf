--TEST--
module: under strict_types a numeric string is still a TypeError
--EXTENSIONS--
swoole
--FILE--
<?php
declare(strict_types=1);
try {
    swoole_strerror('104');
} catch (TypeError $e) {
    echo $e->getMessage(), "\n";
}
try {
    swoole_strerror(1.5);
} catch (TypeError $e) {
    echo $e->getMessage(), "\n";
}
?>
--EXPECT--
swoole_strerror(): Argument #1 ($errno) must be of type int, string given
swoole_strerror(): Argument #1 ($errno) must be of type int, float given
