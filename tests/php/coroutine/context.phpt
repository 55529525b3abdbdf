--TEST--
coroutine: getContext() is per coroutine and freed with it
--FILE--
<?php
class Res {
    public function __construct(public string $n) { echo "$n constructed\n"; }
    public function __destruct() { echo "{$this->n} destructed\n"; }
}
var_dump(Co::getContext());
Co\run(function () {
    $ctx = Co::getContext();
    var_dump($ctx instanceof Swoole\Coroutine\Context, $ctx instanceof ArrayObject);
    var_dump($ctx === Co::getContext());
    $ctx['r1'] = new Res("r1");
    unset($ctx);
    $cid = go(function () {
        Co::getContext()['r2'] = new Res("r2");
        Co::getContext()->prop = "p";
        Co::sleep(0.01);
        echo "child ends\n";
    });
    echo "child ctx from parent: ", Co::getContext($cid)->prop, " ", get_class(Co::getContext($cid)['r2']), "\n";
    var_dump(Co::getContext(99999));
    Co::sleep(0.02);
    echo "parent ends\n";
});
echo "done\n";
?>
--EXPECT--
NULL
bool(true)
bool(true)
bool(true)
r1 constructed
r2 constructed
child ctx from parent: p Res
NULL
child ends
r2 destructed
parent ends
r1 destructed
done
