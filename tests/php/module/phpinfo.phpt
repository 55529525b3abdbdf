--TEST--
module: phpinfo() says it is eddy, with eddy's version and the Swoole API level
--EXTENSIONS--
swoole
--FILE--
<?php
ob_start();
phpinfo(INFO_MODULES);
$info = ob_get_clean();
// Only the swoole section, up to the next module's heading.
$start = strpos($info, "\nswoole\n");
var_dump($start !== false);
$section = substr($info, $start);
var_dump(str_contains($section, 'swoole support => enabled'));
var_dump(str_contains($section, 'Implementation => eddy (Swoole-compatible engine)'));
var_dump(str_contains($section, 'eddy version => ' . EDDY_VERSION));
var_dump(str_contains($section, 'Swoole API version => ' . SWOOLE_VERSION));
var_dump((bool)preg_match('/Coroutine context switch => (assembly|ucontext)/', $section));
?>
--EXPECT--
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
