--TEST--
coroutine: getPcid() is the creator's id, -1 at top level, false outside
--FILE--
<?php
var_dump(Co::getPcid());
Co\run(function () {
    var_dump(Co::getPcid());
    go(function () {
        var_dump(Co::getPcid());
        go(function () {
            var_dump(Co::getPcid());
            go(function () {
                var_dump(Co::getPcid());
            });
        });
        var_dump(Co::getPcid());
    });
    var_dump(Co::getPcid());
    $cid = go(function () { Co::sleep(0.01); });
    var_dump(Co::getPcid($cid), Co::getPcid(9999));
});
var_dump(Co::getPcid());
?>
--EXPECT--
bool(false)
int(-1)
int(1)
int(2)
int(3)
int(1)
int(-1)
int(1)
bool(false)
bool(false)
