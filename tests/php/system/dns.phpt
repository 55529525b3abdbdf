--TEST--
system: gethostbyname('localhost'), getaddrinfo, dnsLookup, numeric hosts, unknown names, Co:: aliases
--FILE--
<?php
use Swoole\Coroutine\System;

Co\run(function () {
    var_dump(System::gethostbyname('localhost'));
    var_dump(System::gethostbyname('127.0.0.1'));
    var_dump(in_array('127.0.0.1', System::getaddrinfo('localhost'), true));
    var_dump(System::dnsLookup('localhost', 5));
    var_dump(Co::gethostbyname('localhost', AF_INET, 2));
    // An unknown name fails: "resolve failed" (711), or "resolve timeout"
    // (712) where the sandbox's resolver does not answer in time.
    var_dump(System::gethostbyname('no-such-host.invalid', AF_INET, 5));
    var_dump(in_array(swoole_last_error(), [711, 712], true));
    var_dump(swoole_strerror(711, 9));
    try {
        System::gethostbyname('localhost', 12345);
    } catch (ValueError $e) {
        echo $e->getMessage(), "\n";
    }
});
?>
--EXPECT--
string(9) "127.0.0.1"
string(9) "127.0.0.1"
bool(true)
string(9) "127.0.0.1"
string(9) "127.0.0.1"
bool(false)
bool(true)
string(25) "DNS lookup resolve failed"
Swoole\Coroutine\System::gethostbyname(): Argument #2 ($type) must be AF_INET or AF_INET6
