--TEST--
coroutine: after a fatal error in one coroutine, the others (waiting on a channel pop, a socket recv, a sleep) never run again, whatever wakes them later
--FILE--
<?php
use Swoole\Coroutine\Socket;

// Runs after the fatal error: it closes the socket a dropped coroutine
// waits on, pushes to the channel another one pops, and runs the loop past
// the third one's sleep. None of them may wake (before the fix: a crash in
// freed coroutine state, or the coroutines carrying on after the fatal error).
register_shutdown_function(function () {
    echo "shutdown function\n";
    Co\run(function () {
        $GLOBALS['conn']->close();
        var_dump($GLOBALS['chan']->push('late', 0.1));
        Co::sleep(0.3);
        var_dump(Co::stats()['coroutine_num']);
    });
    echo "shutdown run done\n";
});

Co\run(function () {
    $GLOBALS['chan'] = $chan = new Co\Channel(1);
    $server = new Socket(AF_INET, SOCK_STREAM, 0);
    $server->bind('127.0.0.1', 0);
    $server->listen();
    $port = $server->getsockname()['port'];
    go(function () use ($chan) {
        echo "pop waits\n";
        $chan->pop();
        echo "never: pop\n";
    });
    go(function () use ($server) {
        $GLOBALS['conn'] = $conn = $server->accept();
        echo "recv waits\n";
        $conn->recv();
        echo "never: recv\n";
    });
    go(function () use ($port) {
        $c = new Socket(AF_INET, SOCK_STREAM, 0);
        $c->connect('127.0.0.1', $port);
        echo "sleep waits\n";
        Co::sleep(0.2);
        echo "never: sleep\n";
    });
    go(function () {
        Co::sleep(0.05);
        echo "fatal now\n";
        undefined_function();
    });
});
echo "never: after run\n";
?>
--EXPECTF--
pop waits
%s waits
%s waits
fatal now

Fatal error: Uncaught Error: Call to undefined function undefined_function() in %s:%d
Stack trace:
#0 [internal function]: {closure}()
#1 {main}
  thrown in %s on line %d
shutdown function
bool(true)
int(1)
shutdown run done
