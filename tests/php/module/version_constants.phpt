--TEST--
module: version constants have Swoole 5.1's values and types, EDDY_VERSION is eddy's own
--EXTENSIONS--
swoole
--FILE--
<?php
var_dump(SWOOLE_VERSION, SWOOLE_VERSION_ID, SWOOLE_MAJOR_VERSION, SWOOLE_MINOR_VERSION,
         SWOOLE_RELEASE_VERSION, SWOOLE_EXTRA_VERSION, SWOOLE_DEBUG, EDDY_VERSION);
// The parts agree with each other, as Swoole's do.
var_dump(SWOOLE_VERSION_ID === SWOOLE_MAJOR_VERSION * 10000 + SWOOLE_MINOR_VERSION * 100 + SWOOLE_RELEASE_VERSION);
var_dump(SWOOLE_VERSION === SWOOLE_MAJOR_VERSION . '.' . SWOOLE_MINOR_VERSION . '.'
         . SWOOLE_RELEASE_VERSION . SWOOLE_EXTRA_VERSION);
var_dump(version_compare(SWOOLE_VERSION, '5.1.0', '>='), version_compare(SWOOLE_VERSION, '5.2.0', '<'));
var_dump(swoole_version() === SWOOLE_VERSION);
// Constants are case-sensitive, as Swoole registers them.
var_dump(defined('swoole_version'), defined('SWOOLE_VERSION'));
?>
--EXPECT--
string(5) "5.1.0"
int(50100)
int(5)
int(1)
int(0)
string(0) ""
bool(false)
string(5) "0.1.0"
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(false)
bool(true)
