--TEST--
module: swoole_strerror() names Swoole codes, errno values and resolver codes
--EXTENSIONS--
swoole
--FILE--
<?php
// Swoole codes: found with the default type and with SWOOLE_STRERROR_SWOOLE (9).
echo swoole_strerror(SWOOLE_ERROR_MALLOC_FAIL), "\n";
echo swoole_strerror(SWOOLE_ERROR_FILE_NOT_EXIST), "\n";
echo swoole_strerror(SWOOLE_ERROR_SESSION_CLOSED_BY_SERVER), "\n";
echo swoole_strerror(SWOOLE_ERROR_SESSION_NOT_EXIST, SWOOLE_STRERROR_SWOOLE), "\n";
echo swoole_strerror(SWOOLE_ERROR_CO_OUT_OF_COROUTINE, 9), "\n";
echo swoole_strerror(SWOOLE_ERROR_CO_HAS_BEEN_BOUND), "\n";

// Plain errno values (Linux numbering) go through strerror().
echo swoole_strerror(0), "\n";
echo swoole_strerror(2), "\n";   // ENOENT
echo swoole_strerror(104), "\n"; // ECONNRESET
echo swoole_strerror(110), "\n"; // ETIMEDOUT

// Unknown codes read the same whichever table is asked (Swoole's own test).
var_dump(swoole_strerror(SWOOLE_ERROR_MALLOC_FAIL - 1) === swoole_strerror(SWOOLE_ERROR_MALLOC_FAIL - 1, SWOOLE_STRERROR_SWOOLE));
echo swoole_strerror(SWOOLE_ERROR_MALLOC_FAIL - 1, SWOOLE_STRERROR_SWOOLE), "\n";
echo swoole_strerror(2, SWOOLE_STRERROR_SWOOLE), "\n"; // an errno is not in Swoole's table
echo swoole_strerror(PHP_INT_MAX), "\n";

// Resolver codes: getaddrinfo()'s EAI_FAIL and h_errno's NO_ADDRESS.
echo swoole_strerror(-4, SWOOLE_STRERROR_GAI), "\n";
echo swoole_strerror(2, SWOOLE_STRERROR_DNS), "\n";

// Every SWOOLE_ERROR_* constant has a real message.
$missing = [];
foreach (get_defined_constants(true)['swoole'] as $name => $value) {
    if (str_starts_with($name, 'SWOOLE_ERROR_') && str_starts_with(swoole_strerror($value), 'Unknown error')) {
        $missing[] = $name;
    }
}
var_dump($missing);
?>
--EXPECT--
Malloc fail
File not exist
Session closed by server
Session not exist
Coroutine out of coroutine
Coroutine has been bound
Success
No such file or directory
Connection reset by peer
Connection timed out
bool(true)
Unknown error 500
Unknown error 2
Unknown error 9223372036854775807
Non-recoverable failure in name resolution
Host name lookup failure
array(0) {
}
