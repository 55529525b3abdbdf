/*
 * Swoole\Timer (php_timer.c) and Swoole\Event (php_event.c): PHP callbacks
 * driven by the default loop's timers, fd watchers and defer queue. Each
 * callback runs in a coroutine of its own, as with Swoole's default
 * enable_coroutine.
 */
#ifndef PHP_TIMER_H
#define PHP_TIMER_H

#include <stdbool.h>

#include "php.h"

/* ---- lifecycle (called from ext/swoole.c) -------------------------------- */

void php_swoole_timer_minit(int module_number);
void php_swoole_event_minit(int module_number);
/* Stop and free what the request left: timers, watchers, deferred and cycle
 * callbacks. After php_swoole_coroutine_rshutdown(). */
void php_swoole_timer_rshutdown(void);
void php_swoole_event_rshutdown(void);

/* ---- shared by the two families ------------------------------------------- */

/* Stops and frees every PHP timer; false if none was ever created. */
bool php_swoole_timer_clear_all(void);
/* As in Swoole, a script that registers timers or events outside a
 * coroutine gets the loop run when the main script ends (a shutdown
 * function calling Swoole\Event::wait()). Idempotent per request. */
void php_swoole_event_run_at_shutdown(void);

/* The call cache of a callable kept across calls. A stored cache could
 * hold a __call trampoline that its first call frees, so callables are
 * stored as zvals and resolved again for each call. False (with a warning)
 * if it is no longer callable. */
bool php_swoole_callable_cache(zval *callable, zend_fcall_info_cache *fcc);

#endif /* PHP_TIMER_H */
