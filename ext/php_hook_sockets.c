/*
 * SWOOLE_HOOK_SOCKETS: the sockets extension's blocking calls wait in the
 * calling coroutine, not in the worker.
 *
 * For a Socket in blocking mode, in a coroutine:
 *   - socket_read / socket_recv / socket_recvfrom / socket_accept wait on
 *     the loop until the fd is readable (at most the socket's SO_RCVTIMEO),
 *     then PHP's own function runs and finds data (or, after the timeout,
 *     runs non-blocking and fails with EAGAIN, as a timed-out blocking call
 *     does in PHP);
 *   - socket_write / socket_send / socket_sendto wait until the fd is
 *     writable (SO_SNDTIMEO), then PHP's own runs non-blocking: it writes
 *     what fits, which PHP's blocking version may also return;
 *   - socket_connect starts a non-blocking connect, waits for it on the
 *     loop (SO_SNDTIMEO, else forever) and reports failures with PHP's
 *     warning and error code;
 *   - socket_select waits on the loop, then PHP's own runs with timeout 0.
 * Non-blocking sockets, other calls and everything outside a coroutine are
 * PHP's own. The Socket object's layout comes from ext/sockets/php_sockets.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "php_swoole.h"
#include "php_runtime.h"
#include "php_coroutine.h"

#include "eddy/base.h"
#include "eddy/poll.h"
#include "eddy/coro.h"
#include "eddy/socket.h"

/* The sockets extension's object (ext/sockets/php_sockets.h, PHP 8.0+). */
typedef struct {
    int bsd_socket;
    int type;
    int error;
    int blocking;
    zval zstream;
    zend_object std;
} hook_php_socket;

/* PHP's handlers, saved at the first swap (this file's per-process state). */
static struct {
    zif_handler read, recv, recvfrom, accept, write, send, sendto, connect, select;
} ORIG;

/* The Socket object behind argument 1 in blocking mode, in a coroutine
 * with the flag on; NULL when PHP's own call should just run. */
static hook_php_socket *hooked_socket(zend_execute_data *execute_data) {
    zval *arg;
    zend_object *obj;

    if (!php_coro_in() || ZEND_CALL_NUM_ARGS(execute_data) < 1) {
        return NULL;
    }
    arg = ZEND_CALL_ARG(execute_data, 1);
    ZVAL_DEREF(arg);
    if (Z_TYPE_P(arg) != IS_OBJECT) {
        return NULL;
    }
    obj = Z_OBJ_P(arg);
    if (!zend_string_equals_literal(obj->ce->name, "Socket")) {
        return NULL;
    }
    hook_php_socket *s = (hook_php_socket *) ((char *) obj - XtOffsetOf(hook_php_socket, std));
    return s->bsd_socket >= 0 && s->blocking ? s : NULL;
}

/* SO_RCVTIMEO / SO_SNDTIMEO in ms, or EDDY_WAIT_FOREVER when unset. */
static int64_t sock_timeout(int fd, int opt) {
    struct timeval tv = {0};
    socklen_t len = sizeof(tv);

    if (getsockopt(fd, SOL_SOCKET, opt, &tv, &len) < 0 || (tv.tv_sec == 0 && tv.tv_usec == 0)) {
        return EDDY_WAIT_FOREVER;
    }
    return (int64_t) tv.tv_sec * 1000 + (tv.tv_usec + 999) / 1000;
}

/* Waits for `events`: 1 ready, 0 timeout, negative when the coroutine must
 * stop (the PHP call is then skipped). */
static int wait_fd(int fd, short events, int64_t ms) {
    struct pollfd p = {.fd = fd, .events = events};
    int rc = eddy_coro_poll(&p, 1, ms);

    if (!php_coro_after_switch()) {
        return -1;
    }
    return rc < 0 ? 1 : rc; /* a poll error: let PHP's call report it */
}

/* Runs PHP's handler with the fd non-blocking for the call. */
static void call_nonblocking(zif_handler h, int fd, INTERNAL_FUNCTION_PARAMETERS) {
    int fl = fcntl(fd, F_GETFL);

    fcntl(fd, F_SETFL, fl | O_NONBLOCK);
    h(INTERNAL_FUNCTION_PARAM_PASSTHRU);
    fcntl(fd, F_SETFL, fl);
}

static void waited_call(zif_handler h, short events, int opt, INTERNAL_FUNCTION_PARAMETERS) {
    hook_php_socket *s = hooked_socket(execute_data);
    int rc;

    if (!s || !(php_runtime_flags() & PHP_HOOK_SOCKETS)) {
        h(INTERNAL_FUNCTION_PARAM_PASSTHRU);
        return;
    }
    rc = wait_fd(s->bsd_socket, events, sock_timeout(s->bsd_socket, opt));
    if (rc < 0) {
        RETURN_THROWS();
    }
    /* ready: PHP's call does not block; timed out: it fails with EAGAIN */
    call_nonblocking(h, s->bsd_socket, INTERNAL_FUNCTION_PARAM_PASSTHRU);
}

#define WAITED(name, field, events, opt)                                                           \
    static ZEND_NAMED_FUNCTION(hook_##name) {                                                      \
        waited_call(ORIG.field, events, opt, INTERNAL_FUNCTION_PARAM_PASSTHRU);                    \
    }
WAITED(socket_read, read, POLLIN, SO_RCVTIMEO)
WAITED(socket_recv, recv, POLLIN, SO_RCVTIMEO)
WAITED(socket_recvfrom, recvfrom, POLLIN, SO_RCVTIMEO)
WAITED(socket_accept, accept, POLLIN, SO_RCVTIMEO)
WAITED(socket_write, write, POLLOUT, SO_SNDTIMEO)
WAITED(socket_send, send, POLLOUT, SO_SNDTIMEO)
WAITED(socket_sendto, sendto, POLLOUT, SO_SNDTIMEO)

/* ---- socket_connect --------------------------------------------------------- */

/* The address socket_connect() would use, or false after PHP's warning. */
static bool connect_addr(hook_php_socket *s, zend_string *addr, zend_long port, bool has_port,
                         struct sockaddr_storage *sa, socklen_t *len) {
    int family;
    socklen_t fl = sizeof(family);

    if (getsockopt(s->bsd_socket, SOL_SOCKET, SO_DOMAIN, &family, &fl) < 0) {
        return false;
    }
    memset(sa, 0, sizeof(*sa));
    if (family == AF_UNIX) {
        struct sockaddr_un *un = (struct sockaddr_un *) sa;
        if (ZSTR_LEN(addr) >= sizeof(un->sun_path)) {
            zend_argument_value_error(2, "must be less than %d", (int) sizeof(un->sun_path));
            return false;
        }
        un->sun_family = AF_UNIX;
        memcpy(un->sun_path, ZSTR_VAL(addr), ZSTR_LEN(addr));
        *len = (socklen_t) (XtOffsetOf(struct sockaddr_un, sun_path) + ZSTR_LEN(addr));
        return true;
    }
    if (!has_port) {
        zend_argument_count_error("Socket of type AF_INET%s requires 3 arguments",
                                  family == AF_INET6 ? "6" : "");
        return false;
    }
    eddy_addr_t a;
    int n = eddy_addr_parse(&a, family == AF_INET6 ? EDDY_SOCK_TCP6 : EDDY_SOCK_TCP, ZSTR_VAL(addr),
                            (int) port);
    if (n < 0) {
        /* a name: resolved on the pool, as the engine resolves */
        n = eddy_resolve(ZSTR_VAL(addr), family, &a, 1, EDDY_WAIT_FOREVER);
        if (!php_coro_after_switch()) {
            return false;
        }
        if (n <= 0) {
            /* PHP's words for HOST_NOT_FOUND */
            php_error_docref(NULL, E_WARNING, "Host lookup failed [%d]: %s", -10000 - HOST_NOT_FOUND,
                             hstrerror(HOST_NOT_FOUND));
            return false;
        }
        /* eddy_resolve leaves port 0: set it in the family's sockaddr */
        if (family == AF_INET6) {
            ((struct sockaddr_in6 *) a.u.bytes)->sin6_port = htons((uint16_t) port);
        } else {
            ((struct sockaddr_in *) a.u.bytes)->sin_port = htons((uint16_t) port);
        }
    }
    memcpy(sa, a.u.bytes, a.len);
    *len = a.len;
    return true;
}

static ZEND_NAMED_FUNCTION(hook_socket_connect) {
    hook_php_socket *s = hooked_socket(execute_data);
    zval *zsock;
    zend_string *addr;
    zend_long port = 0;
    bool port_null = true;
    struct sockaddr_storage sa;
    socklen_t len = 0;
    int fl, rc, err = 0;

    if (!s || !(php_runtime_flags() & PHP_HOOK_SOCKETS)) {
        ORIG.connect(INTERNAL_FUNCTION_PARAM_PASSTHRU);
        return;
    }
    ZEND_PARSE_PARAMETERS_START(2, 3)
        Z_PARAM_ZVAL(zsock)
        Z_PARAM_STR(addr)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG_OR_NULL(port, port_null)
    ZEND_PARSE_PARAMETERS_END();
    (void) zsock;
    if (!connect_addr(s, addr, port, !port_null, &sa, &len)) {
        goto fail;
    }
    fl = fcntl(s->bsd_socket, F_GETFL);
    fcntl(s->bsd_socket, F_SETFL, fl | O_NONBLOCK);
    rc = connect(s->bsd_socket, (struct sockaddr *) &sa, len);
    if (rc < 0 && errno == EINPROGRESS) {
        socklen_t el = sizeof(err);
        rc = wait_fd(s->bsd_socket, POLLOUT, sock_timeout(s->bsd_socket, SO_SNDTIMEO));
        if (rc < 0) {
            fcntl(s->bsd_socket, F_SETFL, fl);
            RETURN_THROWS();
        }
        if (rc == 0) {
            err = EINPROGRESS; /* PHP's blocking connect reports a timeout so */
        } else if (getsockopt(s->bsd_socket, SOL_SOCKET, SO_ERROR, &err, &el) < 0) {
            err = errno;
        }
    } else if (rc < 0) {
        err = errno;
    }
    fcntl(s->bsd_socket, F_SETFL, fl);
    if (err) {
        s->error = err;
        php_error_docref(NULL, E_WARNING, "unable to connect [%d]: %s", err, strerror(err));
        goto fail;
    }
    RETURN_TRUE;
fail:
    if (EG(exception)) {
        RETURN_THROWS();
    }
    RETURN_FALSE;
}

/* ---- socket_select ---------------------------------------------------------- */

static size_t collect(zval *arr, short events, struct pollfd *fds, size_t n, size_t max) {
    zval *elem;

    if (!arr) {
        return n;
    }
    ZEND_HASH_FOREACH_VAL(Z_ARRVAL_P(arr), elem) {
        ZVAL_DEREF(elem);
        if (n == max || Z_TYPE_P(elem) != IS_OBJECT ||
            !zend_string_equals_literal(Z_OBJCE_P(elem)->name, "Socket")) {
            continue;
        }
        hook_php_socket *s =
            (hook_php_socket *) ((char *) Z_OBJ_P(elem) - XtOffsetOf(hook_php_socket, std));
        if (s->bsd_socket >= 0) {
            fds[n].fd = s->bsd_socket;
            fds[n].events = events;
            fds[n].revents = 0;
            n++;
        }
    } ZEND_HASH_FOREACH_END();
    return n;
}

static ZEND_NAMED_FUNCTION(hook_socket_select) {
    zval *r = NULL, *w = NULL, *e = NULL;
    zend_long sec = 0, usec = 0;
    bool sec_null = false;
    struct pollfd *fds;
    size_t n, max;
    int rc;

    if (!php_coro_in() || !(php_runtime_flags() & PHP_HOOK_SOCKETS)) {
        ORIG.select(INTERNAL_FUNCTION_PARAM_PASSTHRU);
        return;
    }
    ZEND_PARSE_PARAMETERS_START_EX(ZEND_PARSE_PARAMS_QUIET, 4, 5)
        Z_PARAM_ARRAY_EX2(r, 1, 1, 0)
        Z_PARAM_ARRAY_EX2(w, 1, 1, 0)
        Z_PARAM_ARRAY_EX2(e, 1, 1, 0)
        Z_PARAM_LONG_OR_NULL(sec, sec_null)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(usec)
    ZEND_PARSE_PARAMETERS_END_EX(ORIG.select(INTERNAL_FUNCTION_PARAM_PASSTHRU); return);

    max = (r ? zend_hash_num_elements(Z_ARRVAL_P(r)) : 0) +
          (w ? zend_hash_num_elements(Z_ARRVAL_P(w)) : 0) +
          (e ? zend_hash_num_elements(Z_ARRVAL_P(e)) : 0);
    if (max == 0 || (!sec_null && (sec < 0 || usec < 0))) {
        ORIG.select(INTERNAL_FUNCTION_PARAM_PASSTHRU); /* PHP's errors */
        return;
    }
    fds = safe_emalloc(max, sizeof(*fds), 0);
    n = collect(r, POLLIN, fds, 0, max);
    n = collect(w, POLLOUT, fds, n, max);
    n = collect(e, POLLPRI, fds, n, max);
    rc = n ? eddy_coro_poll(fds, n, sec_null ? EDDY_WAIT_FOREVER
                                            : (int64_t) sec * 1000 + (usec + 999) / 1000)
           : 0;
    efree(fds);
    (void) rc;
    if (!php_coro_after_switch()) {
        RETURN_THROWS();
    }
    for (uint32_t i = 4; i <= ZEND_CALL_NUM_ARGS(execute_data) && i <= 5; i++) {
        zval *arg = ZEND_CALL_ARG(execute_data, i);
        zval_ptr_dtor(arg);
        ZVAL_LONG(arg, 0);
    }
    ORIG.select(INTERNAL_FUNCTION_PARAM_PASSTHRU);
}

static void apply(uint32_t flags) {
    static const struct {
        const char *name;
        zif_handler hook;
        zif_handler *orig;
    } fns[] = {
        {"socket_read", hook_socket_read, &ORIG.read},
        {"socket_recv", hook_socket_recv, &ORIG.recv},
        {"socket_recvfrom", hook_socket_recvfrom, &ORIG.recvfrom},
        {"socket_accept", hook_socket_accept, &ORIG.accept},
        {"socket_write", hook_socket_write, &ORIG.write},
        {"socket_send", hook_socket_send, &ORIG.send},
        {"socket_sendto", hook_socket_sendto, &ORIG.sendto},
        {"socket_connect", hook_socket_connect, &ORIG.connect},
        {"socket_select", hook_socket_select, &ORIG.select},
    };
    bool on = (flags & PHP_HOOK_SOCKETS) != 0;

    for (size_t i = 0; i < sizeof(fns) / sizeof(fns[0]); i++) {
        /* false when the sockets extension is not loaded: nothing to hook */
        php_runtime_swap_function(fns[i].name, fns[i].hook, fns[i].orig, on);
    }
}

void php_hook_sockets_minit(void) {
    php_runtime_register(PHP_HOOK_SOCKETS, apply);
}
