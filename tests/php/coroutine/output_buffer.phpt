--TEST--
coroutine: output buffering is per coroutine — ob_start() in one never captures another's output across switches; a coroutine's open buffers are flushed when it ends
--FILE--
<?php
ob_start();
echo "main buffered\n";
Co\run(function () {
    $a = go(function () {
        ob_start();
        echo "a1\n";
        $level = ob_get_level();
        Co::sleep(0.02);            // b runs and prints meanwhile
        $same = $level === ob_get_level();
        echo "a2\n";
        $mine = ob_get_clean();
        var_dump($same);
        echo "a captured: ", json_encode($mine), "\n";
    });
    go(function () {
        echo "b unbuffered\n";       // not into a's or main's buffer
        var_dump(ob_get_level());
        ob_start();
        echo "b left open\n";        // flushed when b ends
        Co::sleep(0.01);
    });
    go(function () {
        ob_start();
        ob_start();
        echo "c nested\n";
        Co::sleep(0.005);
        $level = ob_get_level();
        $inner = ob_get_clean();
        echo strtoupper($inner);
        var_dump($level);
        // the outer one is flushed at the end
    });
});
$main = ob_get_clean();
echo "main captured: ", json_encode($main), "\n";
?>
--EXPECT--
b unbuffered
int(0)
C NESTED
int(2)
b left open
bool(true)
a captured: "a1\na2\n"
main captured: "main buffered\n"
