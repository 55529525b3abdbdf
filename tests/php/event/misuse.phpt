--TEST--
event: bad fds and arguments warn and return false or throw TypeError
--FILE--
<?php
$cb = function () {};
var_dump(Swoole\Event::add(-1, $cb));
var_dump(Swoole\Event::add([], $cb));
var_dump(Swoole\Event::add(STDIN, null, null));
var_dump(Swoole\Event::add(STDIN, $cb, null, 0));
var_dump(Swoole\Event::add(0, null, $cb, SWOOLE_EVENT_WRITE));
var_dump(Swoole\Event::add(STDIN, null, $cb, SWOOLE_EVENT_READ));
var_dump(Swoole\Event::set(STDIN, $cb));
var_dump(Swoole\Event::del(STDIN), Swoole\Event::isset(STDIN));
try { Swoole\Event::add(STDIN, "nope"); } catch (TypeError $e) { echo get_class($e), "\n"; }
var_dump(SWOOLE_EVENT_READ, SWOOLE_EVENT_WRITE);
$f = fopen(__FILE__, "r");
var_dump(Swoole\Event::add($f, $cb));
?>
--EXPECTF--
Warning: Swoole\Event::add(): invalid file descriptor#-1 passed in %s on line %d
bool(false)

Warning: Swoole\Event::add(): fd argument must be either valid PHP stream or valid PHP socket resource in %s on line %d
bool(false)

Warning: Swoole\Event::add(): both read and write callbacks are empty in %s on line %d
bool(false)

Warning: Swoole\Event::add(): invalid events in %s on line %d
bool(false)

Warning: Swoole\Event::add(): invalid socket fd [0] in %s on line %d
bool(false)

Warning: Swoole\Event::add(): Swoole\Event: unable to find read callback of fd [0] in %s on line %d
bool(false)

Warning: Swoole\Event::set(): socket[0] is not found in the reactor in %s on line %d
bool(false)
bool(false)
bool(false)
TypeError
int(512)
int(1024)

Warning: Swoole\Event::add(): swoole_event_add failed: %s in %s on line %d
bool(false)
