--TEST--
module: function signatures (from swoole.stub.php) are visible through reflection
--EXTENSIONS--
swoole
--FILE--
<?php
foreach (['swoole_version', 'swoole_cpu_num', 'swoole_last_error', 'swoole_errno',
          'swoole_strerror', 'swoole_clear_error', 'swoole_set_process_name'] as $name) {
    $f = new ReflectionFunction($name);
    $params = array_map(function (ReflectionParameter $p) {
        $s = $p->getType() . ' $' . $p->getName();
        return $p->isOptional() ? $s . ' = ' . $p->getDefaultValueConstantName() : $s;
    }, $f->getParameters());
    printf("%s(%s): %s [%s]\n", $name, implode(', ', $params), $f->getReturnType(),
           $f->getExtensionName());
}
var_dump((new ReflectionFunction('swoole_strerror'))->getParameters()[1]->getDefaultValue());
?>
--EXPECT--
swoole_version(): string [swoole]
swoole_cpu_num(): int [swoole]
swoole_last_error(): int [swoole]
swoole_errno(): int [swoole]
swoole_strerror(int $errno, int $error_type = SWOOLE_STRERROR_SYSTEM): string [swoole]
swoole_clear_error(): void [swoole]
swoole_set_process_name(string $process_name): bool [swoole]
int(0)
