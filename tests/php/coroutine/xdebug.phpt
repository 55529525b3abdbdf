--TEST--
coroutine: with Xdebug, function stacks inside coroutines are the coroutine's own
--SKIPIF--
<?php if (!file_exists('/usr/lib/php/20220829/xdebug.so')) die('skip xdebug not installed (scripts/deps.sh installs php8.2-xdebug)'); ?>
--INI--
zend_extension=/usr/lib/php/20220829/xdebug.so
xdebug.mode=develop
--FILE--
<?php
echo "xdebug loaded: ", var_export(function_exists("xdebug_get_function_stack"), true), "\n";
function names() {
    return array_map(fn($f) => $f['function'] ?? '?', xdebug_get_function_stack());
}
function in_child() {
    Co::sleep(0.01);
    $n = names();
    echo "child sees in_child: ", var_export(in_array('in_child', $n), true),
         ", in_parent: ", var_export(in_array('in_parent', $n), true), "\n";
}
function in_parent() {
    go(function () { in_child(); });
    $n = names();
    echo "parent sees in_parent: ", var_export(in_array('in_parent', $n), true),
         ", in_child: ", var_export(in_array('in_child', $n), true), "\n";
    Co::sleep(0.02);
    $n = names();
    echo "parent again sees in_parent: ", var_export(in_array('in_parent', $n), true), "\n";
}
Co\run(function () { in_parent(); });
$n = names();
echo "root after run: ", var_export(in_array('in_parent', $n), true), "\n";
?>
--EXPECT--
xdebug loaded: true
parent sees in_parent: true, in_child: false
child sees in_child: true, in_parent: false
parent again sees in_parent: true
root after run: false
