/*
 * SWOOLE_HOOK_NATIVE_CURL (and SWOOLE_HOOK_CURL, served the same way):
 * the curl extension's blocking calls yield the coroutine instead of the
 * worker, so Guzzle, Symfony HttpClient and plain curl code run
 * concurrently.
 *
 * curl_exec($ch) in a coroutine does not call curl_easy_perform (which
 * would block the thread in libcurl's own poll). It puts the handle into a
 * multi handle of its own, made with PHP's curl_multi_init() so that PHP's
 * bookkeeping (handler checks, the RETURNTRANSFER buffer, curl_errno()) is
 * the curl extension's own, and drives that multi handle from the engine's
 * loop with curl_multi_socket_action(): libcurl tells us which sockets it
 * wants (CURLMOPT_SOCKETFUNCTION) and when to time out
 * (CURLMOPT_TIMERFUNCTION), the coroutine waits on exactly those with
 * eddy_coro_poll(). The result is read back through curl_multi_info_read()
 * and curl_multi_getcontent(), as curl_exec() would have returned it.
 *
 * curl_multi_select($mh, $timeout) in a coroutine waits on the multi
 * handle's sockets (curl_multi_fdset) with eddy_coro_poll() for at most
 * $timeout, or libcurl's own timeout if sooner. fd_set cannot hold
 * descriptors >= FD_SETSIZE (1024): when libcurl has such a socket the
 * wait is a 10 ms sleep instead, so the caller's loop polls -- correct,
 * a little slower.
 *
 * Outside a coroutine, or with the flags off, both are PHP's own functions.
 *
 * The CURLM * of a CurlMultiHandle object: PHP's php_curlm struct starts
 * with it and embeds the zend_object at handlers->offset, so it is the
 * first pointer of the block that ends in the object (PHP 8.0 to 8.4).
 */
#include <curl/curl.h>
#include <sys/select.h>

#include "php_swoole.h"
#include "php_coroutine.h"
#include "php_runtime.h"

#include "eddy/coro.h"
#include "eddy/poll.h"

#define CURL_BITS (PHP_HOOK_CURL | PHP_HOOK_NATIVE_CURL)
#define MAX_SOCKETS 64        /* sockets one curl_exec uses at once (happy eyeballs: 2) */
#define NO_TIMER_WAIT_MS 1000 /* libcurl set no timer: wake up to re-check anyway */

static zif_handler orig_exec, orig_select;

/* ---- calling the curl extension's own functions ----------------------------------- */

static bool call(const char *name, zval *ret, uint32_t argc, zval *argv) {
    zval fn;
    bool ok;

    ZVAL_STRING(&fn, name);
    ok = call_user_function(NULL, NULL, &fn, ret, argc, argv) == SUCCESS && !EG(exception);
    zval_ptr_dtor(&fn);
    return ok;
}

static zend_long call_long(const char *name, uint32_t argc, zval *argv) {
    zval ret;
    zend_long v = -1;

    if (call(name, &ret, argc, argv)) {
        v = zval_get_long(&ret);
    }
    zval_ptr_dtor(&ret);
    return v;
}

static bool is_instance(zval *z, const char *class_name) {
    return Z_TYPE_P(z) == IS_OBJECT &&
           zend_string_equals_cstr(Z_OBJCE_P(z)->name, class_name, strlen(class_name));
}

/* See the top of the file. */
static CURLM *multi_of(zval *mh) {
    zend_object *obj = Z_OBJ_P(mh);
    if (obj->handlers->offset < (int) sizeof(void *)) {
        return NULL;
    }
    return *(CURLM **) ((char *) obj - obj->handlers->offset);
}

/* ---- driving one transfer: curl_multi_socket_action over eddy_coro_poll ------------ */

typedef struct {
    struct pollfd fds[MAX_SOCKETS]; /* the sockets libcurl wants watched */
    size_t n;
    long timeout_ms; /* libcurl's timer: -1 none, 0 now */
    bool overflow;   /* more sockets than MAX_SOCKETS: fail the transfer */
} drive_t;

static int on_socket(CURL *easy, curl_socket_t s, int what, void *userp, void *socketp) {
    drive_t *d = userp;
    size_t i;
    (void) easy, (void) socketp;

    for (i = 0; i < d->n && d->fds[i].fd != s; i++) {
    }
    if (what == CURL_POLL_REMOVE) {
        if (i < d->n) {
            d->fds[i] = d->fds[--d->n];
        }
        return 0;
    }
    if (i == d->n) {
        if (d->n == MAX_SOCKETS) {
            d->overflow = true;
            return -1;
        }
        d->n++;
    }
    d->fds[i].fd = s;
    d->fds[i].events = (short) (((what & CURL_POLL_IN) ? POLLIN : 0) |
                                ((what & CURL_POLL_OUT) ? POLLOUT : 0));
    d->fds[i].revents = 0;
    return 0;
}

static int on_timer(CURLM *m, long timeout_ms, void *userp) {
    (void) m;
    ((drive_t *) userp)->timeout_ms = timeout_ms;
    return 0;
}

static int curl_events(short revents) {
    return ((revents & POLLIN) ? CURL_CSELECT_IN : 0) | ((revents & POLLOUT) ? CURL_CSELECT_OUT : 0) |
           ((revents & (POLLERR | POLLHUP | POLLNVAL)) ? CURL_CSELECT_ERR : 0);
}

/* Runs the multi handle's transfers to the end. False when the wait failed
 * (the coroutine was canceled) or libcurl refused: the transfer is then
 * abandoned, and the handle removed by the caller as usual. */
static bool drive(CURLM *m) {
    drive_t d = {.timeout_ms = -1};
    int running = 1;
    struct pollfd ready[MAX_SOCKETS];

    curl_multi_setopt(m, CURLMOPT_SOCKETFUNCTION, on_socket);
    curl_multi_setopt(m, CURLMOPT_SOCKETDATA, &d);
    curl_multi_setopt(m, CURLMOPT_TIMERFUNCTION, on_timer);
    curl_multi_setopt(m, CURLMOPT_TIMERDATA, &d);
    bool ok = curl_multi_socket_action(m, CURL_SOCKET_TIMEOUT, 0, &running) == CURLM_OK;

    while (ok && running > 0 && !d.overflow) {
        size_t n = d.n;
        int64_t wait = d.timeout_ms < 0 ? NO_TIMER_WAIT_MS : d.timeout_ms;
        int rc;

        memcpy(ready, d.fds, n * sizeof(ready[0])); /* callbacks may change d.fds */
        rc = eddy_coro_poll(ready, n, wait);
        if (rc < 0) {
            ok = false;
            break;
        }
        if (rc == 0) {
            ok = curl_multi_socket_action(m, CURL_SOCKET_TIMEOUT, 0, &running) == CURLM_OK;
            continue;
        }
        for (size_t i = 0; i < n && ok; i++) {
            if (ready[i].revents) {
                ok = curl_multi_socket_action(m, ready[i].fd, curl_events(ready[i].revents),
                                              &running) == CURLM_OK;
            }
        }
    }
    curl_multi_setopt(m, CURLMOPT_SOCKETFUNCTION, NULL);
    curl_multi_setopt(m, CURLMOPT_TIMERFUNCTION, NULL);
    return ok && !d.overflow;
}

/* ---- the hooked functions -------------------------------------------------------------- */

/* The transfer's CURLcode from curl_multi_info_read() (which also stores
 * it for curl_errno()), or -1 when there is none. */
static zend_long transfer_result(zval *mh) {
    zval info;
    zend_long result = -1;

    if (call("curl_multi_info_read", &info, 1, mh) && Z_TYPE(info) == IS_ARRAY) {
        zval *r = zend_hash_str_find(Z_ARRVAL(info), ZEND_STRL("result"));
        if (r) {
            result = zval_get_long(r);
        }
    }
    zval_ptr_dtor(&info);
    return result;
}

static PHP_FUNCTION(hook_curl_exec) {
    zval *ch, mh, args[2], content;
    zend_long result = -1;
    CURLM *m;

    if (!php_runtime_active(CURL_BITS) || ZEND_NUM_ARGS() != 1 ||
        !is_instance(ZEND_CALL_ARG(execute_data, 1), "CurlHandle")) {
        orig_exec(INTERNAL_FUNCTION_PARAM_PASSTHRU);
        return;
    }
    ch = ZEND_CALL_ARG(execute_data, 1);
    if (!call("curl_multi_init", &mh, 0, NULL) || Z_TYPE(mh) != IS_OBJECT ||
        !(m = multi_of(&mh))) {
        zval_ptr_dtor(&mh);
        RETURN_FALSE;
    }
    ZVAL_COPY_VALUE(&args[0], &mh);
    ZVAL_COPY_VALUE(&args[1], ch);
    if (call_long("curl_multi_add_handle", 2, args) == CURLM_OK) {
        if (drive(m)) {
            result = transfer_result(&mh);
        }
        call_long("curl_multi_remove_handle", 2, args);
    }
    zval_ptr_dtor(&mh); /* the last reference: PHP closes the multi handle */
    if (EG(exception) || result != CURLE_OK) {
        RETURN_FALSE;
    }
    /* A string with CURLOPT_RETURNTRANSFER ("" for an empty body), else null. */
    if (call("curl_multi_getcontent", &content, 1, ch) && Z_TYPE(content) == IS_STRING) {
        RETURN_COPY_VALUE(&content);
    }
    zval_ptr_dtor(&content);
    RETURN_TRUE;
}

/* Fills fds from the multi handle's fd_sets; false if a descriptor could
 * not be represented (>= FD_SETSIZE, see the top of the file). */
static bool multi_fds(CURLM *m, struct pollfd *fds, size_t cap, size_t *n) {
    fd_set r, w, e;
    int maxfd = -1;

    FD_ZERO(&r);
    FD_ZERO(&w);
    FD_ZERO(&e);
    *n = 0;
    if (curl_multi_fdset(m, &r, &w, &e, &maxfd) != CURLM_OK) {
        return false;
    }
    for (int fd = 0; fd <= maxfd && *n < cap; fd++) {
        short ev = (short) ((FD_ISSET(fd, &r) ? POLLIN : 0) | (FD_ISSET(fd, &w) ? POLLOUT : 0));
        if (ev) {
            fds[*n].fd = fd;
            fds[*n].events = ev;
            fds[*n].revents = 0;
            (*n)++;
        }
    }
    return *n < cap;
}

static PHP_FUNCTION(hook_curl_multi_select) {
    zval *zmh;
    double timeout = 1.0;
    struct pollfd fds[256];
    size_t n;
    long curl_timeout = -1;
    int64_t wait_ms;
    CURLM *m;

    if (!php_runtime_active(CURL_BITS) || ZEND_NUM_ARGS() < 1 || ZEND_NUM_ARGS() > 2 ||
        !is_instance(ZEND_CALL_ARG(execute_data, 1), "CurlMultiHandle")) {
        orig_select(INTERNAL_FUNCTION_PARAM_PASSTHRU);
        return;
    }
    ZEND_PARSE_PARAMETERS_START(1, 2)
        Z_PARAM_OBJECT(zmh)
        Z_PARAM_OPTIONAL
        Z_PARAM_DOUBLE(timeout)
    ZEND_PARSE_PARAMETERS_END();

    if (!(m = multi_of(zmh))) {
        RETURN_LONG(-1);
    }
    wait_ms = timeout < 0 ? 0 : (int64_t) (timeout * 1000);
    if (curl_multi_timeout(m, &curl_timeout) == CURLM_OK && curl_timeout >= 0 &&
        curl_timeout < wait_ms) {
        wait_ms = curl_timeout;
    }
    if (!multi_fds(m, fds, sizeof(fds) / sizeof(fds[0]), &n)) {
        eddy_coro_sleep(wait_ms < 10 ? (uint64_t) wait_ms : 10);
        RETURN_LONG(0);
    }
    int rc = eddy_coro_poll(fds, n, wait_ms);
    RETURN_LONG(rc < 0 ? -1 : rc);
}

/* ---- the switch ----------------------------------------------------------------------- */

static void apply(uint32_t flags) {
    bool on = (flags & CURL_BITS) != 0;
    php_runtime_swap_function("curl_exec", ZEND_FN(hook_curl_exec), &orig_exec, on);
    php_runtime_swap_function("curl_multi_select", ZEND_FN(hook_curl_multi_select), &orig_select,
                              on);
}

void php_hook_curl_minit(void) {
    php_runtime_register(CURL_BITS, apply);
}
