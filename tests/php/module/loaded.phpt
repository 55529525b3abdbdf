--TEST--
module: the extension loads under the name "swoole" and reports the Swoole API version
--EXTENSIONS--
swoole
--FILE--
<?php
var_dump(extension_loaded('swoole'));
var_dump(phpversion('swoole') === SWOOLE_VERSION);
var_dump(in_array('swoole', get_loaded_extensions(), true));
$funcs = get_extension_funcs('swoole');
foreach (['swoole_version', 'swoole_cpu_num', 'swoole_last_error', 'swoole_errno',
          'swoole_strerror', 'swoole_clear_error', 'swoole_set_process_name'] as $f) {
    echo $f, ': ', var_export(in_array($f, $funcs, true) && function_exists($f), true), "\n";
}
$ext = new ReflectionExtension('swoole');
var_dump($ext->getName(), $ext->getVersion() === SWOOLE_VERSION);
?>
--EXPECT--
bool(true)
bool(true)
bool(true)
swoole_version: true
swoole_cpu_num: true
swoole_last_error: true
swoole_errno: true
swoole_strerror: true
swoole_clear_error: true
swoole_set_process_name: true
string(6) "swoole"
bool(true)
