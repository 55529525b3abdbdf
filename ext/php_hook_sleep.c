/*
 * SWOOLE_HOOK_SLEEP: sleep(), usleep(), time_nanosleep() and
 * time_sleep_until() suspend only the calling coroutine, on a loop timer.
 *
 * The hooks take the place of the functions' handlers in PHP's function
 * table; outside a coroutine they call the saved originals, so argument
 * checks, return values and blocking stay PHP's own there. Inside one they
 * check arguments the way PHP does and return what PHP would after an
 * uninterrupted sleep.
 */
#include <math.h>
#include <sys/time.h>

#include "php_swoole.h"
#include "php_runtime.h"
#include "php_coroutine.h"

#include "eddy/coro.h"

/* The originals, saved at the first swap (this file's per-process state). */
static struct {
    zif_handler sleep, usleep, nanosleep, sleep_until;
} ORIG;

/* Sleeps `us` microseconds in the coroutine, rounded up to the engine's
 * millisecond timer (a sleep never ends early); 0 yields once. False if
 * the script must end (php_coro_after_switch). A canceled sleep just ends. */
static bool co_sleep_us(uint64_t us) {
    (void) eddy_coro_sleep((us + 999) / 1000);
    return php_coro_after_switch();
}

static ZEND_NAMED_FUNCTION(hook_sleep) {
    zend_long seconds;

    if (!php_coro_in()) {
        ORIG.sleep(INTERNAL_FUNCTION_PARAM_PASSTHRU);
        return;
    }
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_LONG(seconds)
    ZEND_PARSE_PARAMETERS_END();
    if (seconds < 0) {
        zend_argument_value_error(1, "must be greater than or equal to 0");
        RETURN_THROWS();
    }
    if (!co_sleep_us((uint64_t) seconds * 1000000u)) {
        RETURN_THROWS();
    }
    RETURN_LONG(0);
}

static ZEND_NAMED_FUNCTION(hook_usleep) {
    zend_long us;

    if (!php_coro_in()) {
        ORIG.usleep(INTERNAL_FUNCTION_PARAM_PASSTHRU);
        return;
    }
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_LONG(us)
    ZEND_PARSE_PARAMETERS_END();
    if (us < 0) {
        zend_argument_value_error(1, "must be greater than or equal to 0");
        RETURN_THROWS();
    }
    if (!co_sleep_us((uint64_t) us)) {
        RETURN_THROWS();
    }
}

static ZEND_NAMED_FUNCTION(hook_nanosleep) {
    zend_long sec, nsec;

    if (!php_coro_in()) {
        ORIG.nanosleep(INTERNAL_FUNCTION_PARAM_PASSTHRU);
        return;
    }
    ZEND_PARSE_PARAMETERS_START(2, 2)
        Z_PARAM_LONG(sec)
        Z_PARAM_LONG(nsec)
    ZEND_PARSE_PARAMETERS_END();
    if (sec < 0) {
        zend_argument_value_error(1, "must be greater than or equal to 0");
        RETURN_THROWS();
    }
    if (nsec < 0) {
        zend_argument_value_error(2, "must be greater than or equal to 0");
        RETURN_THROWS();
    }
    if (nsec > 999999999) {
        /* PHP's own wording (nanosleep() fails with EINVAL) */
        php_error_docref(NULL, E_WARNING, "Nanoseconds was not in the range 0 to 999 999 999 or seconds was negative");
        RETURN_FALSE;
    }
    if (!co_sleep_us((uint64_t) sec * 1000000u + ((uint64_t) nsec + 999) / 1000)) {
        RETURN_THROWS();
    }
    RETURN_TRUE;
}

static ZEND_NAMED_FUNCTION(hook_sleep_until) {
    double target;
    struct timeval tm;
    double now;

    if (!php_coro_in()) {
        ORIG.sleep_until(INTERNAL_FUNCTION_PARAM_PASSTHRU);
        return;
    }
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_DOUBLE(target)
    ZEND_PARSE_PARAMETERS_END();
    gettimeofday(&tm, NULL);
    now = (double) tm.tv_sec + (double) tm.tv_usec / 1e6;
    if (!(target >= now)) {
        php_error_docref(NULL, E_WARNING, "Argument #1 ($timestamp) must be greater than or equal to the current time");
        RETURN_FALSE;
    }
    if (!co_sleep_us((uint64_t) ceil((target - now) * 1e6))) {
        RETURN_THROWS();
    }
    RETURN_TRUE;
}

static void apply(uint32_t flags) {
    bool on = (flags & PHP_HOOK_SLEEP) != 0;

    php_runtime_swap_function("sleep", hook_sleep, &ORIG.sleep, on);
    php_runtime_swap_function("usleep", hook_usleep, &ORIG.usleep, on);
    php_runtime_swap_function("time_nanosleep", hook_nanosleep, &ORIG.nanosleep, on);
    php_runtime_swap_function("time_sleep_until", hook_sleep_until, &ORIG.sleep_until, on);
}

void php_hook_sleep_minit(void) {
    php_runtime_register(PHP_HOOK_SLEEP, apply);
}
