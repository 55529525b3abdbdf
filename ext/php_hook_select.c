/*
 * SWOOLE_HOOK_STREAM_FUNCTION: stream_select() in a coroutine waits on the
 * loop, not in select(2).
 *
 * The hook collects the streams' fds, waits in the coroutine until one is
 * ready or the timeout elapses (eddy_coro_poll), then calls PHP's own
 * stream_select() with a zero timeout: PHP still does the argument checks,
 * the buffered-data rule and the rewriting of the arrays, so results are
 * PHP's to the letter.
 * eddy_coro_poll() waits on any fds, also those the engine already
 * watches (a hooked socket).
 */

#include "php_swoole.h"
#include "php_runtime.h"
#include "php_coroutine.h"
#include "php_network.h"

#include "eddy/base.h"
#include "eddy/coro.h"
#include "eddy/loop.h"
#include "eddy/poll.h"

static zif_handler orig_stream_select;

/* ---- stream_select -------------------------------------------------------- */

/* Adds the fds of the streams in `arr` to fds; true if one of them has
 * read data buffered in PHP (then stream_select answers at once). */
static bool collect(zval *arr, short events, struct pollfd *fds, size_t *n, size_t max) {
    bool buffered = false;
    zval *elem;

    if (!arr) {
        return false;
    }
    ZEND_HASH_FOREACH_VAL(Z_ARRVAL_P(arr), elem) {
        php_stream *stream;
        php_socket_t fd;

        ZVAL_DEREF(elem);
        if (Z_TYPE_P(elem) != IS_RESOURCE) {
            continue; /* PHP's own select below reports it */
        }
        php_stream_from_zval_no_verify(stream, elem);
        if (!stream || *n == max) {
            continue;
        }
        /* The cast first: a TLS stream moves the plaintext its TLS layer
         * holds (which poll cannot see) into PHP's buffer there. */
        if (php_stream_cast(stream, PHP_STREAM_AS_FD_FOR_SELECT | PHP_STREAM_CAST_INTERNAL,
                            (void *) &fd, 1) == SUCCESS && fd >= 0) {
            fds[*n].fd = fd;
            fds[*n].events = events;
            fds[*n].revents = 0;
            (*n)++;
        }
        if (events == POLLIN && stream->writepos - stream->readpos > 0) {
            buffered = true;
        }
    } ZEND_HASH_FOREACH_END();
    return buffered;
}

static size_t count_of(zval *arr) {
    return arr ? zend_hash_num_elements(Z_ARRVAL_P(arr)) : 0;
}

/* Calls PHP's stream_select with the timeout arguments set to zero. */
static void select_now(INTERNAL_FUNCTION_PARAMETERS) {
    uint32_t argc = ZEND_CALL_NUM_ARGS(execute_data);

    for (uint32_t i = 4; i <= argc && i <= 5; i++) {
        zval *arg = ZEND_CALL_ARG(execute_data, i);
        zval_ptr_dtor(arg);
        ZVAL_LONG(arg, 0);
    }
    orig_stream_select(INTERNAL_FUNCTION_PARAM_PASSTHRU);
}

static ZEND_NAMED_FUNCTION(hook_stream_select) {
    zval *r = NULL, *w = NULL, *e = NULL;
    zend_long sec = 0, usec = 0;
    bool sec_null = false, buffered;
    struct pollfd *fds;
    size_t n = 0, max;
    int64_t ms;
    int rc;

    if (!php_coro_in()) {
        orig_stream_select(INTERNAL_FUNCTION_PARAM_PASSTHRU);
        return;
    }
    ZEND_PARSE_PARAMETERS_START_EX(ZEND_PARSE_PARAMS_QUIET, 4, 5)
        Z_PARAM_ARRAY_EX2(r, 1, 1, 0)
        Z_PARAM_ARRAY_EX2(w, 1, 1, 0)
        Z_PARAM_ARRAY_EX2(e, 1, 1, 0)
        Z_PARAM_LONG_OR_NULL(sec, sec_null)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(usec)
    ZEND_PARSE_PARAMETERS_END_EX(orig_stream_select(INTERNAL_FUNCTION_PARAM_PASSTHRU); return);

    max = count_of(r) + count_of(w) + count_of(e);
    if (max == 0 || (!sec_null && (sec < 0 || usec < 0))) {
        orig_stream_select(INTERNAL_FUNCTION_PARAM_PASSTHRU); /* PHP's errors */
        return;
    }
    ms = sec_null ? EDDY_WAIT_FOREVER : (int64_t) sec * 1000 + (usec + 999) / 1000;
    fds = safe_emalloc(max, sizeof(*fds), 0);
    buffered = collect(r, POLLIN, fds, &n, max);
    collect(w, POLLOUT, fds, &n, max);
    collect(e, POLLPRI, fds, &n, max);
    rc = buffered || n == 0 ? 0 : eddy_coro_poll(fds, n, ms);
    efree(fds);
    if (!php_coro_after_switch()) {
        RETURN_THROWS();
    }
    (void) rc; /* PHP's select below finds what is ready (or nothing) */
    select_now(INTERNAL_FUNCTION_PARAM_PASSTHRU);
}

static void apply(uint32_t flags) {
    php_runtime_swap_function("stream_select", hook_stream_select, &orig_stream_select,
                              (flags & PHP_HOOK_STREAM_FUNCTION) != 0);
}

void php_hook_select_minit(void) {
    php_runtime_register(PHP_HOOK_STREAM_FUNCTION, apply);
}
