--TEST--
process: what the parent holds in ob_start() buffers at start() is printed once, by the parent; the child's echo is not caught by them
--FILE--
<?php
use Swoole\Process;

ob_start();
echo "buffered in the parent\n";
$p = new Process(function () { echo "from the child\n"; }, false, 0);
$p->start();
Process::wait();
echo ob_get_clean();
?>
--EXPECT--
from the child
buffered in the parent
