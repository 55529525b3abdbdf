/*
 * PHP coroutines: each engine coroutine that runs PHP code owns a PHP VM stack
 * and executor state, swapped on every switch by the engine's switch hook
 * (eddy_coro_set_switch_hook), with PHP's fiber observer hooks fired so
 * Xdebug, profilers and PHP's own Fiber follow coroutines.
 *
 * For the other class families (Channel, Timer, Socket, Server...):
 *   - create PHP coroutines with php_coro_create();
 *   - after any engine call that may have suspended the current coroutine
 *     (eddy_chan_pop, eddy_coro_wait...), call php_coro_after_switch(): it
 *     propagates a fatal error or exit() that happened while it was away;
 *   - run the default loop from PHP with php_coro_loop_run(), never
 *     eddy_loop_run() directly, so deadlocks are reported and fatal errors in
 *     coroutines end the script.
 */
#ifndef PHP_COROUTINE_H
#define PHP_COROUTINE_H

#include <stdbool.h>
#include <stdint.h>

#include "php.h"

/* ---- lifecycle (called from ext/swoole.c) -------------------------------- */

void php_swoole_coroutine_minit(int module_number);
/* Unwinds every coroutine still alive and frees its PHP state. */
void php_swoole_coroutine_rshutdown(void);

/* ---- for other families -------------------------------------------------- */

/* Swoole\Error, thrown by coroutine APIs used outside a coroutine. */
extern zend_class_entry *php_swoole_error_ce;

/* True inside a PHP coroutine. */
bool php_coro_in(void);
/* Throws Swoole\Error "API must be called in the coroutine" (error code
 * SWOOLE_ERROR_CO_OUT_OF_COROUTINE) and returns false outside a coroutine. */
bool php_coro_require(void);

/* Creates a coroutine running the callable (fcc, with `callable` kept alive
 * for the call) with argc arguments copied from argv. Runs it at once until it
 * first yields or ends. Returns its id, or -1 after a warning (max_coroutine
 * reached, no stack). May throw (exit()) or bail out (fatal error) when the
 * new coroutine did. */
int64_t php_coro_create(zend_fcall_info_cache *fcc, zval *callable, uint32_t argc, zval *argv);

/* Call after an engine call that may have switched away and back. Bails out
 * (E_ERROR elsewhere) or throws unwind_exit (exit() elsewhere, or request
 * shutdown) when the script must end. Returns false in that case. */
bool php_coro_after_switch(void);

/* Runs the default loop until it is idle, then reports a deadlock if PHP
 * coroutines are still waiting (enable_deadlock_check). 0 or a negative
 * engine error. Calls php_coro_after_switch() itself. */
int php_coro_loop_run(void);

/* The value of a Coroutine::set() option (e.g. "hook_flags"), or NULL. */
zval *php_coro_option(const char *name);

#endif /* PHP_COROUTINE_H */
