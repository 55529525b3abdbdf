/*
 * Swoole\Coroutine\Socket: a PHP object around one engine coroutine socket
 * (include/eddy/socket.h). The engine does the I/O, the waiting and the
 * one-reader/one-writer rule; this file converts arguments and results,
 * applies Swoole's timeout rules and keeps errCode/errMsg in step.
 *
 * Lifetime: the object owns the engine socket until close() or its free.
 * close() first forgets the pointer, then closes: coroutines waiting on the
 * socket wake (with EBADF) inside eddy_socket_close() and must find the
 * object already closed. The engine keeps the socket's memory alive until
 * those waiters have returned, so a call in progress never sees freed memory.
 *
 * A second reader (or writer) gets Swoole's text, "Socket#N has already been
 * bound to another coroutine#M, ...": Swoole raises it as a fatal
 * Swoole\Error; here it is the same Swoole\Error, thrown, so the caller sees
 * the message and may catch it (shared/DESIGN.md: an error, never a crash).
 */
#include <math.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "php_swoole.h"
#include "php_coroutine.h"
#include "php_coio.h"
#include "socket_arginfo.h"
#include "zend_exceptions.h"

#include "eddy/base.h"
#include "eddy/coro.h"
#include "eddy/server.h" /* the option parser, for setProtocol() */

/* Swoole's built-in socket timeouts (swoole_config.h), in ms. */
#define COIO_CONNECT_TIMEOUT_MS 2000
#define COIO_RW_TIMEOUT_MS 60000
#define COIO_DNS_TIMEOUT_MS 60000

#define COIO_ADDR_MAX 128 /* holds an IPv6 text address or a unix path */

enum { DIR_READ = 0, DIR_WRITE = 1 };

struct php_cosocket_s {
    eddy_socket_t *sock;  /* NULL once closed */
    int domain, type, protocol;
    int64_t waiting[2];   /* coroutine in a read / write wait, for cancel() */
    int errcode;          /* last error, positive */
    zend_string *errmsg;  /* last error message, NULL if none */
    zend_object std;
};

zend_class_entry *php_cosocket_ce;
zend_class_entry *php_swoole_exception_ce;
static zend_class_entry *socket_exception_ce;
static zend_object_handlers socket_handlers;

/* ---- shared helpers ------------------------------------------------------- */

int64_t php_coio_timeout(double seconds) {
    if (isnan(seconds) || seconds == 0) {
        return EDDY_TIMEOUT_DEFAULT;
    }
    if (seconds < 0) {
        return EDDY_WAIT_FOREVER;
    }
    if (seconds > 9.2e15) {
        return EDDY_WAIT_FOREVER; /* beyond int64 ms: the same as forever */
    }
    /* Round up: a 0.0001 s timeout must still wait, never fail at once. */
    return (int64_t) ceil(seconds * 1000);
}

/* Coroutine::set() value in seconds -> ms; 0 keeps `dflt` (Swoole's rule). */
static int64_t option_timeout(const char *name, int64_t dflt) {
    zval *v = php_coro_option(name);
    double s;

    if (!v) {
        return dflt;
    }
    s = zval_get_double(v);
    if (isnan(s) || s == 0) {
        return dflt;
    }
    return s < 0 ? EDDY_WAIT_FOREVER : php_coio_timeout(s);
}

int64_t php_coio_default_timeout(const char *kind) {
    char name[64];
    int64_t dflt;

    if (strcmp(kind, "connect") == 0) {
        dflt = COIO_CONNECT_TIMEOUT_MS;
    } else if (strcmp(kind, "dns") == 0) {
        dflt = COIO_DNS_TIMEOUT_MS;
    } else {
        /* socket_timeout sets reads and writes together */
        dflt = option_timeout("socket_timeout", COIO_RW_TIMEOUT_MS);
    }
    snprintf(name, sizeof(name), "socket_%s_timeout", kind);
    return option_timeout(name, dflt);
}

/* ---- object --------------------------------------------------------------- */

php_cosocket_t *php_cosocket_from_obj(zend_object *obj) {
    return (php_cosocket_t *) ((char *) obj - XtOffsetOf(php_cosocket_t, std));
}

zend_object *php_cosocket_obj(php_cosocket_t *ps) {
    return &ps->std;
}

static zend_object *socket_create_object(zend_class_entry *ce) {
    php_cosocket_t *ps = zend_object_alloc(sizeof(php_cosocket_t), ce);

    zend_object_std_init(&ps->std, ce);
    object_properties_init(&ps->std, ce);
    ps->std.handlers = &socket_handlers;
    return &ps->std;
}

static void socket_free_object(zend_object *obj) {
    php_cosocket_t *ps = php_cosocket_from_obj(obj);

    /* A coroutine still marked as inside a call here was killed by the
     * coroutine core (fatal shutdown): eddy_coro_kill() unlinked its wait,
     * so closing wakes nobody. */
    if (ps->sock) {
        eddy_socket_t *s = ps->sock;
        ps->sock = NULL;
        eddy_socket_close(s);
    }
    if (ps->errmsg) {
        zend_string_release(ps->errmsg);
    }
    zend_object_std_dtor(obj);
}

eddy_socket_t *php_cosocket_engine(php_cosocket_t *ps) {
    return ps->sock;
}

int php_cosocket_errcode(php_cosocket_t *ps) {
    return ps->errcode;
}

const char *php_cosocket_errmsg(php_cosocket_t *ps) {
    return ps->errmsg ? ZSTR_VAL(ps->errmsg) : "";
}

static void update_long(php_cosocket_t *ps, const char *name, zend_long v) {
    zend_update_property_long(php_cosocket_ce, &ps->std, name, strlen(name), v);
}

/* Records the outcome of an engine call (rc < 0: failed) in errCode,
 * errMsg and swoole_last_error(). `s` is the socket the call used; its own
 * message is only read while the object still owns it (a close during the
 * call may have released it). A second reader/writer throws Swoole\Error. */
static void set_result(php_cosocket_t *ps, eddy_socket_t *s, long rc) {
    const char *msg = "";
    int code = rc < 0 ? (int) -rc : 0;

    if (rc < 0) {
        msg = (s && ps->sock == s && eddy_socket_errcode(s) == rc) ? eddy_socket_errmsg(s)
                                                                   : eddy_strerror((int) rc);
        php_swoole_set_error(code);
    }
    if (ps->errmsg) {
        zend_string_release(ps->errmsg);
        ps->errmsg = NULL;
    }
    ps->errcode = code;
    if (*msg) {
        ps->errmsg = zend_string_init(msg, strlen(msg), 0);
    }
    update_long(ps, "errCode", code);
    zend_update_property_string(php_cosocket_ce, &ps->std, ZEND_STRL("errMsg"), msg);
    if (rc == EDDY_ECO_HAS_BEEN_BOUND && !EG(exception)) {
        zend_throw_exception(php_swoole_error_ce, msg, code);
    }
}

/* The engine socket for an operation, or NULL: outside a coroutine when
 * `wait` (Swoole\Error thrown), or closed (errCode EBADF). */
static eddy_socket_t *op_begin(php_cosocket_t *ps, bool wait) {
    if (wait && !php_coro_require()) {
        return NULL;
    }
    if (!ps->sock) {
        set_result(ps, NULL, EDDY_EBADF);
    }
    return ps->sock;
}

/* Notes the calling coroutine as the reader/writer so cancel() can find
 * it; returns whether it did (a second one is refused by the engine). */
static bool wait_mark(php_cosocket_t *ps, int dir) {
    if (ps->waiting[dir]) {
        return false;
    }
    ps->waiting[dir] = eddy_coro_cid();
    return true;
}

static void wait_unmark(php_cosocket_t *ps, int dir, bool marked) {
    if (marked) {
        ps->waiting[dir] = 0;
    }
}

void php_cosocket_wrap(zval *out, eddy_socket_t *s, int domain, int type, int protocol) {
    php_cosocket_t *ps;

    object_init_ex(out, php_cosocket_ce);
    ps = php_cosocket_from_obj(Z_OBJ_P(out));
    ps->sock = s;
    ps->domain = domain;
    ps->type = type;
    ps->protocol = protocol;
    update_long(ps, "fd", eddy_socket_fd(s));
    update_long(ps, "domain", domain);
    update_long(ps, "type", type);
    update_long(ps, "protocol", protocol);
}

/* (domain, type) of an engine kind, and back. */
static const struct {
    eddy_sock_type_t kind;
    int domain, type;
} kinds[] = {
    {EDDY_SOCK_TCP, AF_INET, SOCK_STREAM},        {EDDY_SOCK_UDP, AF_INET, SOCK_DGRAM},
    {EDDY_SOCK_TCP6, AF_INET6, SOCK_STREAM},      {EDDY_SOCK_UDP6, AF_INET6, SOCK_DGRAM},
    {EDDY_SOCK_UNIX_STREAM, AF_UNIX, SOCK_STREAM}, {EDDY_SOCK_UNIX_DGRAM, AF_UNIX, SOCK_DGRAM},
};

static int kind_of(zend_long domain, zend_long type) {
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
        if (kinds[i].domain == domain && kinds[i].type == type) {
            return (int) kinds[i].kind;
        }
    }
    return -1;
}

bool php_cosocket_create(zval *out, eddy_sock_type_t kind, int *err) {
    eddy_socket_t *s = eddy_socket_new(kind, err);

    if (!s) {
        return false;
    }
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
        if (kinds[i].kind == kind) {
            php_cosocket_wrap(out, s, kinds[i].domain, kinds[i].type, 0);
            return true;
        }
    }
    eddy_socket_close(s);
    *err = EDDY_EINVAL;
    return false;
}

#define THIS_SOCKET() php_cosocket_from_obj(Z_OBJ_P(ZEND_THIS))

/* ---- shared operations ---------------------------------------------------- */

/* An accepted socket starts with the listener's timeouts, as in Swoole. */
static void inherit_timeouts(eddy_socket_t *conn, eddy_socket_t *listener) {
    static const eddy_timeout_kind_t kinds_[] = {EDDY_TIMEOUT_CONNECT, EDDY_TIMEOUT_READ,
                                                 EDDY_TIMEOUT_WRITE};
    for (size_t i = 0; i < sizeof(kinds_) / sizeof(kinds_[0]); i++) {
        eddy_socket_set_timeout(conn, kinds_[i], eddy_socket_get_timeout(listener, kinds_[i]));
    }
}

void php_cosocket_accept(php_cosocket_t *ps, int64_t timeout, zval *return_value) {
    eddy_socket_t *s = op_begin(ps, true), *conn;
    bool marked;
    int err = 0;

    if (!s) {
        if (!EG(exception)) {
            RETVAL_FALSE;
        }
        return;
    }
    marked = wait_mark(ps, DIR_READ);
    conn = eddy_socket_accept(s, timeout, &err);
    wait_unmark(ps, DIR_READ, marked);
    if (!php_coro_after_switch()) {
        if (conn) {
            eddy_socket_close(conn);
        }
        return;
    }
    set_result(ps, s, conn ? 0 : err);
    if (!conn) {
        if (!EG(exception)) {
            RETVAL_FALSE;
        }
        return;
    }
    /* The listener may have been closed while this waited: then its
     * timeouts are gone with it and the defaults apply. */
    if (ps->sock == s) {
        inherit_timeouts(conn, s);
    } else {
        eddy_socket_set_timeout(conn, EDDY_TIMEOUT_CONNECT, php_coio_default_timeout("connect"));
        eddy_socket_set_timeout(conn, EDDY_TIMEOUT_READ, php_coio_default_timeout("read"));
        eddy_socket_set_timeout(conn, EDDY_TIMEOUT_WRITE, php_coio_default_timeout("write"));
    }
    php_cosocket_wrap(return_value, conn, ps->domain, ps->type, ps->protocol);
}

void php_cosocket_connect(php_cosocket_t *ps, zend_string *host, zend_long port, int64_t timeout,
                        zval *return_value) {
    eddy_socket_t *s = op_begin(ps, true);
    bool marked;
    int rc;

    if (!s) {
        if (!EG(exception)) {
            RETVAL_FALSE;
        }
        return;
    }
    if (port < 0 || port > 65535) {
        set_result(ps, s, EDDY_EINVAL);
        RETURN_FALSE;
    }
    marked = wait_mark(ps, DIR_WRITE);
    rc = eddy_socket_connect(s, ZSTR_VAL(host), (int) port, timeout);
    wait_unmark(ps, DIR_WRITE, marked);
    if (!php_coro_after_switch()) {
        return;
    }
    set_result(ps, s, rc);
    if (!EG(exception)) {
        RETVAL_BOOL(rc == 0);
    }
}

void php_cosocket_recv(php_cosocket_t *ps, zend_long length, int64_t timeout, bool all,
                     zval *return_value) {
    eddy_socket_t *s = op_begin(ps, true);
    zend_string *buf;
    bool marked;
    ssize_t n;

    if (!s) {
        if (!EG(exception)) {
            RETVAL_FALSE;
        }
        return;
    }
    buf = zend_string_alloc((size_t) length, 0);
    marked = wait_mark(ps, DIR_READ);
    n = all ? eddy_socket_recv_all(s, ZSTR_VAL(buf), (size_t) length, timeout)
            : eddy_socket_recv(s, ZSTR_VAL(buf), (size_t) length, timeout);
    wait_unmark(ps, DIR_READ, marked);
    if (!php_coro_after_switch()) {
        zend_string_efree(buf);
        return;
    }
    set_result(ps, s, n < 0 ? (long) n : 0);
    if (n < 0) {
        zend_string_efree(buf);
        if (!EG(exception)) {
            RETVAL_FALSE;
        }
        return;
    }
    if ((size_t) n < (size_t) length) {
        buf = zend_string_truncate(buf, (size_t) n, 0);
    }
    ZSTR_VAL(buf)[n] = '\0';
    RETVAL_NEW_STR(buf);
}

void php_cosocket_send(php_cosocket_t *ps, zend_string *data, int64_t timeout, bool all,
                     zval *return_value) {
    eddy_socket_t *s = op_begin(ps, true);
    bool marked;
    ssize_t n;

    if (!s) {
        if (!EG(exception)) {
            RETVAL_FALSE;
        }
        return;
    }
    /* The string may be freed by another coroutine while this one waits
     * (an overwritten variable): hold it for the call. */
    zend_string_addref(data);
    marked = wait_mark(ps, DIR_WRITE);
    n = all ? eddy_socket_send_all(s, ZSTR_VAL(data), ZSTR_LEN(data), timeout)
            : eddy_socket_send(s, ZSTR_VAL(data), ZSTR_LEN(data), timeout);
    wait_unmark(ps, DIR_WRITE, marked);
    zend_string_release(data);
    if (!php_coro_after_switch()) {
        return;
    }
    set_result(ps, s, n < 0 ? (long) n : 0);
    if (!EG(exception)) {
        if (n < 0) {
            RETVAL_FALSE;
        } else {
            RETVAL_LONG(n);
        }
    }
}

static void addr_to_array(const eddy_addr_t *a, zval *out) {
    char host[COIO_ADDR_MAX];
    int port = 0;

    if (eddy_addr_format(a, host, sizeof(host), &port) < 0) {
        host[0] = '\0';
    }
    array_init(out);
    add_assoc_string(out, "address", host);
    add_assoc_long(out, "port", port);
}

void php_cosocket_name(php_cosocket_t *ps, bool peer, zval *return_value) {
    eddy_socket_t *s = op_begin(ps, false);
    eddy_addr_t a;
    int rc;

    if (!s) {
        RETURN_FALSE;
    }
    rc = peer ? eddy_socket_getpeername(s, &a) : eddy_socket_getsockname(s, &a);
    set_result(ps, s, rc);
    if (rc < 0) {
        RETURN_FALSE;
    }
    addr_to_array(&a, return_value);
}

bool php_cosocket_cancel(php_cosocket_t *ps, zend_long events) {
    bool done = false;

    if ((events & PHP_COIO_EVENT_READ) && ps->waiting[DIR_READ] > 0) {
        done = eddy_coro_cancel(ps->waiting[DIR_READ]) == 0;
    }
    if ((events & PHP_COIO_EVENT_WRITE) && ps->waiting[DIR_WRITE] > 0) {
        done = (eddy_coro_cancel(ps->waiting[DIR_WRITE]) == 0) || done;
    }
    php_coro_after_switch();
    return done;
}

bool php_cosocket_close(php_cosocket_t *ps) {
    eddy_socket_t *s = ps->sock;

    if (!s) {
        set_result(ps, NULL, EDDY_EBADF);
        return false;
    }
    /* Forget it first: waiters run inside eddy_socket_close(). */
    ps->sock = NULL;
    update_long(ps, "fd", -1);
    eddy_socket_close(s);
    php_coro_after_switch();
    return true;
}

/* ---- methods -------------------------------------------------------------- */

PHP_METHOD(Swoole_Coroutine_Socket, __construct) {
    zend_long domain, type, protocol = 0;
    php_cosocket_t *ps = THIS_SOCKET();
    eddy_socket_t *s = NULL;
    int kind, err = 0;

    ZEND_PARSE_PARAMETERS_START(2, 3)
        Z_PARAM_LONG(domain)
        Z_PARAM_LONG(type)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(protocol)
    ZEND_PARSE_PARAMETERS_END();

    if (ps->sock) {
        zend_throw_error(NULL, "Constructor of %s can only be called once",
                         ZSTR_VAL(Z_OBJCE_P(ZEND_THIS)->name));
        RETURN_THROWS();
    }
    kind = kind_of(domain, type);
    /* The engine makes the default protocol of a kind; an explicit one must
     * be that default. */
    if (kind < 0 || (protocol != 0 && protocol != IPPROTO_TCP && protocol != IPPROTO_UDP)) {
        err = -EPROTONOSUPPORT;
    } else if ((protocol == IPPROTO_TCP && type != SOCK_STREAM) ||
               (protocol == IPPROTO_UDP && type != SOCK_DGRAM) ||
               (protocol != 0 && domain == AF_UNIX)) {
        err = -EPROTONOSUPPORT;
    } else {
        s = eddy_socket_new((eddy_sock_type_t) kind, &err);
    }
    if (err < 0) {
        set_result(ps, NULL, err);
        zend_throw_exception_ex(socket_exception_ce, -err, "new Socket() failed: %s",
                                eddy_strerror(err));
        RETURN_THROWS();
    }
    ps->sock = s;
    ps->domain = (int) domain;
    ps->type = (int) type;
    ps->protocol = (int) protocol;
    update_long(ps, "fd", eddy_socket_fd(s));
    update_long(ps, "domain", domain);
    update_long(ps, "type", type);
    update_long(ps, "protocol", protocol);
    /* Swoole's defaults, or the ones given to Coroutine::set(). */
    eddy_socket_set_timeout(s, EDDY_TIMEOUT_CONNECT, php_coio_default_timeout("connect"));
    eddy_socket_set_timeout(s, EDDY_TIMEOUT_READ, php_coio_default_timeout("read"));
    eddy_socket_set_timeout(s, EDDY_TIMEOUT_WRITE, php_coio_default_timeout("write"));
}

PHP_METHOD(Swoole_Coroutine_Socket, bind) {
    zend_string *address;
    zend_long port = 0;
    php_cosocket_t *ps = THIS_SOCKET();
    eddy_socket_t *s;
    int rc;

    ZEND_PARSE_PARAMETERS_START(1, 2)
        Z_PARAM_PATH_STR(address)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(port)
    ZEND_PARSE_PARAMETERS_END();

    if (!(s = op_begin(ps, false))) {
        RETURN_FALSE;
    }
    if (port < 0 || port > 65535) {
        set_result(ps, s, EDDY_EINVAL);
        RETURN_FALSE;
    }
    /* A name (not a numeric address) is resolved, which waits: that needs
     * a coroutine, and the engine says so with its error. */
    rc = eddy_socket_bind(s, ZSTR_VAL(address), (int) port);
    if (!php_coro_after_switch()) {
        RETURN_THROWS();
    }
    set_result(ps, s, rc);
    RETURN_BOOL(rc == 0);
}

PHP_METHOD(Swoole_Coroutine_Socket, listen) {
    zend_long backlog = 512;
    php_cosocket_t *ps = THIS_SOCKET();
    eddy_socket_t *s;
    int rc;

    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(backlog)
    ZEND_PARSE_PARAMETERS_END();

    if (!(s = op_begin(ps, false))) {
        RETURN_FALSE;
    }
    if (backlog <= 0 || backlog > INT_MAX) {
        backlog = 512; /* Swoole's SW_BACKLOG; the kernel caps it at somaxconn */
    }
    rc = eddy_socket_listen(s, (int) backlog);
    set_result(ps, s, rc);
    RETURN_BOOL(rc == 0);
}

PHP_METHOD(Swoole_Coroutine_Socket, accept) {
    double timeout = 0;

    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_DOUBLE(timeout)
    ZEND_PARSE_PARAMETERS_END();

    php_cosocket_accept(THIS_SOCKET(), php_coio_timeout(timeout), return_value);
}

PHP_METHOD(Swoole_Coroutine_Socket, connect) {
    zend_string *host;
    zend_long port = 0;
    double timeout = 0;

    ZEND_PARSE_PARAMETERS_START(1, 3)
        Z_PARAM_PATH_STR(host)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(port)
        Z_PARAM_DOUBLE(timeout)
    ZEND_PARSE_PARAMETERS_END();

    php_cosocket_connect(THIS_SOCKET(), host, port, php_coio_timeout(timeout), return_value);
}

static void recv_method(INTERNAL_FUNCTION_PARAMETERS, bool all) {
    zend_long length = 65536;
    double timeout = 0;

    ZEND_PARSE_PARAMETERS_START(0, 2)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(length)
        Z_PARAM_DOUBLE(timeout)
    ZEND_PARSE_PARAMETERS_END();

    if (length <= 0 || (zend_ulong) length > ZSTR_MAX_LEN) {
        zend_argument_value_error(1, "must be greater than 0");
        RETURN_THROWS();
    }
    php_cosocket_recv(THIS_SOCKET(), length, php_coio_timeout(timeout), all, return_value);
}

PHP_METHOD(Swoole_Coroutine_Socket, recv) {
    recv_method(INTERNAL_FUNCTION_PARAM_PASSTHRU, false);
}

PHP_METHOD(Swoole_Coroutine_Socket, recvAll) {
    recv_method(INTERNAL_FUNCTION_PARAM_PASSTHRU, true);
}

static void send_method(INTERNAL_FUNCTION_PARAMETERS, bool all) {
    zend_string *data;
    double timeout = 0;

    ZEND_PARSE_PARAMETERS_START(1, 2)
        Z_PARAM_STR(data)
        Z_PARAM_OPTIONAL
        Z_PARAM_DOUBLE(timeout)
    ZEND_PARSE_PARAMETERS_END();

    php_cosocket_send(THIS_SOCKET(), data, php_coio_timeout(timeout), all, return_value);
}

PHP_METHOD(Swoole_Coroutine_Socket, send) {
    send_method(INTERNAL_FUNCTION_PARAM_PASSTHRU, false);
}

PHP_METHOD(Swoole_Coroutine_Socket, sendAll) {
    send_method(INTERNAL_FUNCTION_PARAM_PASSTHRU, true);
}

/* ---- buffered, framed and vectored I/O ------------------------------------ */

typedef ssize_t (*op_fn)(eddy_socket_t *s, void *ctx);

/* One engine call that may wait, run as every method runs one: coroutine
 * check, the reader/writer mark for cancel(), the outcome in errCode.
 * False when the method must stop: an exception is pending or the socket
 * is closed (return false then). Otherwise *rc is the engine's result. */
static bool run_op(php_cosocket_t *ps, int dir, op_fn fn, void *ctx, ssize_t *rc) {
    eddy_socket_t *s = op_begin(ps, true);
    bool marked;

    if (!s) {
        return false;
    }
    marked = wait_mark(ps, dir);
    *rc = fn(s, ctx);
    wait_unmark(ps, dir, marked);
    if (!php_coro_after_switch()) {
        return false;
    }
    set_result(ps, s, *rc < 0 ? (long) *rc : 0);
    return !EG(exception);
}

#define RETURN_OP_FAILED()      \
    do {                        \
        if (EG(exception)) {    \
            RETURN_THROWS();    \
        }                       \
        RETURN_FALSE;           \
    } while (0)

typedef struct {
    char *buf;
    size_t len;
    int64_t timeout;
    const char *msg; /* recv_packet's result */
} buf_op_t;

static ssize_t op_recv_line(eddy_socket_t *s, void *ctx) {
    buf_op_t *o = ctx;
    return eddy_socket_recv_line(s, o->buf, o->len, o->timeout);
}

static ssize_t op_recv_with_buffer(eddy_socket_t *s, void *ctx) {
    buf_op_t *o = ctx;
    return eddy_socket_recv_with_buffer(s, o->buf, o->len, o->timeout);
}

static ssize_t op_recv_packet(eddy_socket_t *s, void *ctx) {
    buf_op_t *o = ctx;
    return eddy_socket_recv_packet(s, &o->msg, o->timeout);
}

/* recvLine / recvWithBuffer: a string of what was read, '' at end. */
static void recv_buffered_method(INTERNAL_FUNCTION_PARAMETERS, op_fn fn) {
    zend_long length = 65535;
    double timeout = 0;
    zend_string *buf;
    ssize_t n;

    ZEND_PARSE_PARAMETERS_START(0, 2)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(length)
        Z_PARAM_DOUBLE(timeout)
    ZEND_PARSE_PARAMETERS_END();

    if (length <= 0 || (zend_ulong) length > ZSTR_MAX_LEN) {
        zend_argument_value_error(1, "must be greater than 0");
        RETURN_THROWS();
    }
    buf = zend_string_alloc((size_t) length, 0);
    buf_op_t o = {ZSTR_VAL(buf), (size_t) length, php_coio_timeout(timeout), NULL};
    if (!run_op(THIS_SOCKET(), DIR_READ, fn, &o, &n) || n < 0) {
        zend_string_efree(buf);
        RETURN_OP_FAILED();
    }
    buf = zend_string_truncate(buf, (size_t) n, 0);
    ZSTR_VAL(buf)[n] = '\0';
    RETURN_NEW_STR(buf);
}

PHP_METHOD(Swoole_Coroutine_Socket, recvLine) {
    recv_buffered_method(INTERNAL_FUNCTION_PARAM_PASSTHRU, op_recv_line);
}

PHP_METHOD(Swoole_Coroutine_Socket, recvWithBuffer) {
    recv_buffered_method(INTERNAL_FUNCTION_PARAM_PASSTHRU, op_recv_with_buffer);
}

void php_cosocket_recv_packet(php_cosocket_t *ps, int64_t timeout, zval *return_value) {
    buf_op_t o = {NULL, 0, timeout, NULL};
    ssize_t n;

    if (!run_op(ps, DIR_READ, op_recv_packet, &o, &n) || n < 0) {
        if (!EG(exception)) {
            RETVAL_FALSE;
        }
        return;
    }
    /* The message is lent from the engine's buffer until the next read. */
    RETVAL_STRINGL(n > 0 ? o.msg : "", (size_t) n);
}

PHP_METHOD(Swoole_Coroutine_Socket, recvPacket) {
    double timeout = 0;

    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_DOUBLE(timeout)
    ZEND_PARSE_PARAMETERS_END();

    php_cosocket_recv_packet(THIS_SOCKET(), php_coio_timeout(timeout), return_value);
    if (EG(exception)) {
        RETURN_THROWS();
    }
}

PHP_METHOD(Swoole_Coroutine_Socket, peek) {
    zend_long length = 65535;
    php_cosocket_t *ps = THIS_SOCKET();
    eddy_socket_t *s;
    zend_string *buf;
    ssize_t n;

    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(length)
    ZEND_PARSE_PARAMETERS_END();

    if (length <= 0 || (zend_ulong) length > ZSTR_MAX_LEN) {
        zend_argument_value_error(1, "must be greater than 0");
        RETURN_THROWS();
    }
    if (!(s = op_begin(ps, false))) {
        RETURN_FALSE;
    }
    buf = zend_string_alloc((size_t) length, 0);
    n = eddy_socket_peek(s, ZSTR_VAL(buf), (size_t) length);
    set_result(ps, s, n < 0 ? (long) n : 0);
    if (n < 0) {
        zend_string_efree(buf);
        RETURN_FALSE;
    }
    buf = zend_string_truncate(buf, (size_t) n, 0);
    ZSTR_VAL(buf)[n] = '\0';
    RETURN_NEW_STR(buf);
}

PHP_METHOD(Swoole_Coroutine_Socket, checkLiveness) {
    php_cosocket_t *ps = THIS_SOCKET();
    eddy_socket_t *s;
    int alive;

    ZEND_PARSE_PARAMETERS_NONE();
    if (!(s = op_begin(ps, false))) {
        RETURN_FALSE;
    }
    alive = eddy_socket_check_liveness(s);
    set_result(ps, s, alive ? 0 : eddy_socket_errcode(s));
    RETURN_BOOL(alive);
}

/* The framing options, passed through the server's option parser so the
 * names, aliases, defaults and messages are Swoole\Server's. */
static const char *const framing_keys[] = {
    "open_eof_check",        "open_eof_split",      "package_eof",
    "open_length_check",     "package_length_type", "package_length_offset",
    "package_body_offset",   "package_body_start",  "package_max_length",
    NULL,
};

bool php_coio_framing_from_array(HashTable *opts, eddy_framing_t *f) {
    eddy_server_config_t cfg;
    char err[EDDY_SERVER_ERRLEN];
    bool ok = true;

    eddy_server_config_init(&cfg);
    for (int i = 0; ok && framing_keys[i]; i++) {
        zval *v = zend_hash_str_find(opts, framing_keys[i], strlen(framing_keys[i]));
        if (!v) {
            continue;
        }
        zend_string *str = zval_get_string(v);
        if (eddy_server_config_setn(&cfg, framing_keys[i], ZSTR_VAL(str), ZSTR_LEN(str), err,
                                    sizeof(err)) < 0) {
            php_error_docref(NULL, E_WARNING, "%s", err);
            ok = false;
        }
        zend_string_release(str);
    }
    if (ok) {
        eddy_server_config_framing(&cfg, f);
    }
    eddy_server_config_free(&cfg);
    return ok;
}

PHP_METHOD(Swoole_Coroutine_Socket, setProtocol) {
    HashTable *opts;
    php_cosocket_t *ps = THIS_SOCKET();
    eddy_socket_t *s;
    eddy_framing_t f;
    int rc;

    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_ARRAY_HT(opts)
    ZEND_PARSE_PARAMETERS_END();

    if (!(s = op_begin(ps, false))) {
        RETURN_FALSE;
    }
    if (!php_coio_framing_from_array(opts, &f)) {
        set_result(ps, s, EDDY_EINVAL);
        RETURN_FALSE;
    }
    rc = eddy_socket_set_framing(s, &f);
    set_result(ps, s, rc);
    RETURN_BOOL(rc == 0);
}

typedef struct {
    eddy_iov_t *iov;
    size_t cnt;
    bool all;
    int64_t timeout;
} vec_op_t;

static ssize_t op_readv(eddy_socket_t *s, void *ctx) {
    vec_op_t *o = ctx;
    return o->all ? eddy_socket_readv_all(s, o->iov, o->cnt, o->timeout)
                  : eddy_socket_readv(s, o->iov, o->cnt, o->timeout);
}

static ssize_t op_writev(eddy_socket_t *s, void *ctx) {
    vec_op_t *o = ctx;
    return o->all ? eddy_socket_writev_all(s, o->iov, o->cnt, o->timeout)
                  : eddy_socket_writev(s, o->iov, o->cnt, o->timeout);
}

/* Swoole's IOV_MAX check, before anything is allocated. */
static bool vector_size_ok(HashTable *v) {
    uint32_t n = zend_hash_num_elements(v);
    if (n == 0 || n > 1024) {
        zend_argument_value_error(1, "must hold between 1 and 1024 (IOV_MAX) items");
        return false;
    }
    return true;
}

/* One string per piece, each cut to what arrived; pieces nothing reached
 * are left out, so the peer closing gives []. */
static void vector_result(zend_string **bufs, size_t cnt, size_t got, zval *return_value) {
    array_init(return_value);
    for (size_t i = 0; i < cnt; i++) {
        size_t take = got < ZSTR_LEN(bufs[i]) ? got : ZSTR_LEN(bufs[i]);
        got -= take;
        if (take == 0) {
            zend_string_efree(bufs[i]);
            continue;
        }
        bufs[i] = zend_string_truncate(bufs[i], take, 0);
        ZSTR_VAL(bufs[i])[take] = '\0';
        add_next_index_str(return_value, bufs[i]);
    }
}

static void read_vector_method(INTERNAL_FUNCTION_PARAMETERS, bool all) {
    HashTable *vec;
    double timeout = 0;
    zval *len;
    size_t cnt = 0;
    ssize_t n;

    ZEND_PARSE_PARAMETERS_START(1, 2)
        Z_PARAM_ARRAY_HT(vec)
        Z_PARAM_OPTIONAL
        Z_PARAM_DOUBLE(timeout)
    ZEND_PARSE_PARAMETERS_END();

    if (!vector_size_ok(vec)) {
        RETURN_THROWS();
    }
    ZEND_HASH_FOREACH_VAL(vec, len) {
        if (Z_TYPE_P(len) != IS_LONG || Z_LVAL_P(len) <= 0) {
            zend_argument_value_error(1, "must hold positive integer lengths");
            RETURN_THROWS();
        }
    } ZEND_HASH_FOREACH_END();
    zend_string **bufs = ecalloc(zend_hash_num_elements(vec), sizeof(*bufs));
    eddy_iov_t *iov = ecalloc(zend_hash_num_elements(vec), sizeof(*iov));
    ZEND_HASH_FOREACH_VAL(vec, len) {
        bufs[cnt] = zend_string_alloc((size_t) Z_LVAL_P(len), 0);
        iov[cnt].base = ZSTR_VAL(bufs[cnt]);
        iov[cnt].len = (size_t) Z_LVAL_P(len);
        cnt++;
    } ZEND_HASH_FOREACH_END();
    vec_op_t o = {iov, cnt, all, php_coio_timeout(timeout)};
    bool ok = run_op(THIS_SOCKET(), DIR_READ, op_readv, &o, &n) && n >= 0;
    efree(iov);
    if (ok) {
        vector_result(bufs, cnt, (size_t) n, return_value);
    } else {
        for (size_t i = 0; i < cnt; i++) {
            zend_string_efree(bufs[i]);
        }
    }
    efree(bufs);
    if (!ok) {
        RETURN_OP_FAILED();
    }
}

PHP_METHOD(Swoole_Coroutine_Socket, readVector) {
    read_vector_method(INTERNAL_FUNCTION_PARAM_PASSTHRU, false);
}

PHP_METHOD(Swoole_Coroutine_Socket, readVectorAll) {
    read_vector_method(INTERNAL_FUNCTION_PARAM_PASSTHRU, true);
}

static void write_vector_method(INTERNAL_FUNCTION_PARAMETERS, bool all) {
    HashTable *vec;
    double timeout = 0;
    zval *piece;
    size_t cnt = 0;
    ssize_t n;

    ZEND_PARSE_PARAMETERS_START(1, 2)
        Z_PARAM_ARRAY_HT(vec)
        Z_PARAM_OPTIONAL
        Z_PARAM_DOUBLE(timeout)
    ZEND_PARSE_PARAMETERS_END();

    if (!vector_size_ok(vec)) {
        RETURN_THROWS();
    }
    ZEND_HASH_FOREACH_VAL(vec, piece) {
        if (Z_TYPE_P(piece) != IS_STRING) {
            zend_argument_type_error(1, "must hold only strings, %s given",
                                     zend_zval_type_name(piece));
            RETURN_THROWS();
        }
    } ZEND_HASH_FOREACH_END();
    /* Each string is held for the call: another coroutine may overwrite
     * the array while this one waits. */
    zend_string **strs = ecalloc(zend_hash_num_elements(vec), sizeof(*strs));
    eddy_iov_t *iov = ecalloc(zend_hash_num_elements(vec), sizeof(*iov));
    ZEND_HASH_FOREACH_VAL(vec, piece) {
        strs[cnt] = zend_string_copy(Z_STR_P(piece));
        iov[cnt].base = ZSTR_VAL(strs[cnt]);
        iov[cnt].len = ZSTR_LEN(strs[cnt]);
        cnt++;
    } ZEND_HASH_FOREACH_END();
    vec_op_t o = {iov, cnt, all, php_coio_timeout(timeout)};
    bool ok = run_op(THIS_SOCKET(), DIR_WRITE, op_writev, &o, &n) && n >= 0;
    for (size_t i = 0; i < cnt; i++) {
        zend_string_release(strs[i]);
    }
    efree(strs);
    efree(iov);
    if (!ok) {
        RETURN_OP_FAILED();
    }
    RETURN_LONG(n);
}

PHP_METHOD(Swoole_Coroutine_Socket, writeVector) {
    write_vector_method(INTERNAL_FUNCTION_PARAM_PASSTHRU, false);
}

PHP_METHOD(Swoole_Coroutine_Socket, writeVectorAll) {
    write_vector_method(INTERNAL_FUNCTION_PARAM_PASSTHRU, true);
}

typedef struct {
    const char *path;
    int64_t offset;
    size_t length;
} file_op_t;

static ssize_t op_sendfile(eddy_socket_t *s, void *ctx) {
    file_op_t *o = ctx;
    return eddy_socket_sendfile_path(s, o->path, o->offset, o->length, EDDY_TIMEOUT_DEFAULT);
}

bool php_cosocket_sendfile(php_cosocket_t *ps, zend_string *path, zend_long offset,
                           zend_long length) {
    ssize_t n;

    if (offset < 0 || length < 0) {
        zend_value_error("offset and length must not be negative");
        return false;
    }
    /* The path is held: another coroutine may free the string meanwhile. */
    zend_string_addref(path);
    file_op_t o = {ZSTR_VAL(path), (int64_t) offset, (size_t) length};
    bool ok = run_op(ps, DIR_WRITE, op_sendfile, &o, &n) && n >= 0;
    zend_string_release(path);
    return ok;
}

PHP_METHOD(Swoole_Coroutine_Socket, sendFile) {
    zend_string *file;
    zend_long offset = 0, length = 0;

    ZEND_PARSE_PARAMETERS_START(1, 3)
        Z_PARAM_PATH_STR(file)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(offset)
        Z_PARAM_LONG(length)
    ZEND_PARSE_PARAMETERS_END();

    if (php_cosocket_sendfile(THIS_SOCKET(), file, offset, length)) {
        RETURN_TRUE;
    }
    RETURN_OP_FAILED();
}

/* Datagrams are at most 64 KiB; a larger one is truncated, as in Swoole. */
#define COIO_DGRAM_MAX 65536

typedef struct {
    char *buf;
    size_t len;
    eddy_addr_t *from;
    int64_t timeout;
} dgram_op_t;

static ssize_t op_recvfrom(eddy_socket_t *s, void *ctx) {
    dgram_op_t *o = ctx;
    return eddy_socket_recvfrom(s, o->buf, o->len, o->from, o->timeout);
}

void php_cosocket_recvfrom(php_cosocket_t *ps, zend_long length, int64_t timeout,
                           eddy_addr_t *from, zval *return_value) {
    zend_string *buf = zend_string_alloc((size_t) length, 0);
    dgram_op_t o = {ZSTR_VAL(buf), (size_t) length, from, timeout};
    ssize_t n;

    if (!run_op(ps, DIR_READ, op_recvfrom, &o, &n) || n < 0) {
        zend_string_efree(buf);
        if (!EG(exception)) {
            RETVAL_FALSE;
        }
        return;
    }
    buf = zend_string_truncate(buf, (size_t) n, 0);
    ZSTR_VAL(buf)[n] = '\0';
    RETVAL_NEW_STR(buf);
}

void php_coio_addr_parts(const eddy_addr_t *a, zval *host, zval *port) {
    char text[COIO_ADDR_MAX];
    int p = 0;

    if (eddy_addr_format(a, text, sizeof(text), &p) < 0) {
        text[0] = '\0';
    }
    ZVAL_STRING(host, text);
    ZVAL_LONG(port, p);
}

PHP_METHOD(Swoole_Coroutine_Socket, recvfrom) {
    zval *peer;
    double timeout = 0;
    eddy_addr_t from;

    ZEND_PARSE_PARAMETERS_START(1, 2)
        Z_PARAM_ZVAL(peer)
        Z_PARAM_OPTIONAL
        Z_PARAM_DOUBLE(timeout)
    ZEND_PARSE_PARAMETERS_END();

    php_cosocket_recvfrom(THIS_SOCKET(), COIO_DGRAM_MAX, php_coio_timeout(timeout), &from,
                          return_value);
    if (EG(exception)) {
        RETURN_THROWS();
    }
    if (Z_TYPE_P(return_value) == IS_STRING) {
        zval arr;
        addr_to_array(&from, &arr);
        ZEND_TRY_ASSIGN_REF_VALUE(peer, &arr);
    }
}

typedef struct {
    const char *host;
    int port;
    zend_string *data;
} sendto_op_t;

static ssize_t op_sendto(eddy_socket_t *s, void *ctx) {
    sendto_op_t *o = ctx;
    return eddy_socket_sendto(s, o->host, o->port, ZSTR_VAL(o->data), ZSTR_LEN(o->data));
}

void php_cosocket_sendto(php_cosocket_t *ps, zend_string *addr, zend_long port, zend_string *data,
                         zval *return_value) {
    ssize_t n;
    bool ok;

    if (port < 0 || port > 65535) {
        if (ps->sock) {
            set_result(ps, ps->sock, EDDY_EINVAL);
        }
        RETURN_FALSE;
    }
    /* Held for the call: another coroutine may free them while this waits. */
    zend_string_addref(addr);
    zend_string_addref(data);
    sendto_op_t o = {ZSTR_VAL(addr), (int) port, data};
    ok = run_op(ps, DIR_WRITE, op_sendto, &o, &n) && n >= 0;
    zend_string_release(data);
    zend_string_release(addr);
    if (!ok) {
        if (!EG(exception)) {
            RETVAL_FALSE;
        }
        return;
    }
    RETVAL_LONG(n);
}

PHP_METHOD(Swoole_Coroutine_Socket, sendto) {
    zend_string *addr, *data;
    zend_long port;

    ZEND_PARSE_PARAMETERS_START(3, 3)
        Z_PARAM_PATH_STR(addr)
        Z_PARAM_LONG(port)
        Z_PARAM_STR(data)
    ZEND_PARSE_PARAMETERS_END();

    php_cosocket_sendto(THIS_SOCKET(), addr, port, data, return_value);
    if (EG(exception)) {
        RETURN_THROWS();
    }
}

/* SO_RCVTIMEO / SO_SNDTIMEO set the coroutine timeouts, as in Swoole: the
 * fd itself is non-blocking, so the kernel's own would mean nothing. */
static bool timeo_option(zend_long level, zend_long name, unsigned *which) {
    if (level != SOL_SOCKET) {
        return false;
    }
    if (name == SO_RCVTIMEO) {
        *which = EDDY_TIMEOUT_READ;
        return true;
    }
    if (name == SO_SNDTIMEO) {
        *which = EDDY_TIMEOUT_CONNECT | EDDY_TIMEOUT_WRITE;
        return true;
    }
    return false;
}

/* ['sec' => .., 'usec' => ..] (socket_set_option's form) or seconds. */
static int64_t timeval_ms(zval *v) {
    if (Z_TYPE_P(v) == IS_ARRAY) {
        zval *sec = zend_hash_str_find(Z_ARRVAL_P(v), ZEND_STRL("sec"));
        zval *usec = zend_hash_str_find(Z_ARRVAL_P(v), ZEND_STRL("usec"));
        double t = (sec ? zval_get_double(sec) : 0) + (usec ? zval_get_double(usec) / 1e6 : 0);
        return t <= 0 ? EDDY_WAIT_FOREVER : php_coio_timeout(t);
    }
    double t = zval_get_double(v);
    return t <= 0 ? EDDY_WAIT_FOREVER : php_coio_timeout(t);
}

PHP_METHOD(Swoole_Coroutine_Socket, setOption) {
    zend_long level, name;
    zval *value;
    php_cosocket_t *ps = THIS_SOCKET();
    eddy_socket_t *s;
    unsigned which;
    int rc, iv;

    ZEND_PARSE_PARAMETERS_START(3, 3)
        Z_PARAM_LONG(level)
        Z_PARAM_LONG(name)
        Z_PARAM_ZVAL(value)
    ZEND_PARSE_PARAMETERS_END();

    if (!(s = op_begin(ps, false))) {
        RETURN_FALSE;
    }
    if (timeo_option(level, name, &which)) {
        eddy_socket_set_timeout(s, which, timeval_ms(value));
        set_result(ps, s, 0);
        RETURN_TRUE;
    }
    if (Z_TYPE_P(value) == IS_ARRAY || Z_TYPE_P(value) == IS_OBJECT) {
        zend_argument_type_error(3, "must be of type int|bool for this option, %s given",
                                 zend_zval_type_name(value));
        RETURN_THROWS();
    }
    iv = (int) zval_get_long(value);
    rc = eddy_socket_setopt(s, (int) level, (int) name, &iv, sizeof(iv));
    set_result(ps, s, rc);
    RETURN_BOOL(rc == 0);
}

PHP_METHOD(Swoole_Coroutine_Socket, getOption) {
    zend_long level, name;
    php_cosocket_t *ps = THIS_SOCKET();
    eddy_socket_t *s;
    unsigned which;
    uint32_t len;
    int rc, iv = 0;

    ZEND_PARSE_PARAMETERS_START(2, 2)
        Z_PARAM_LONG(level)
        Z_PARAM_LONG(name)
    ZEND_PARSE_PARAMETERS_END();

    if (!(s = op_begin(ps, false))) {
        RETURN_FALSE;
    }
    if (timeo_option(level, name, &which)) {
        int64_t ms = eddy_socket_get_timeout(
            s, (which & EDDY_TIMEOUT_READ) ? EDDY_TIMEOUT_READ : EDDY_TIMEOUT_WRITE);
        if (ms < 0) {
            ms = 0; /* "no timeout" reads as zero, as from the kernel */
        }
        array_init(return_value);
        add_assoc_long(return_value, "sec", (zend_long) (ms / 1000));
        add_assoc_long(return_value, "usec", (zend_long) (ms % 1000) * 1000);
        set_result(ps, s, 0);
        return;
    }
    len = sizeof(iv);
    rc = eddy_socket_getopt(s, (int) level, (int) name, &iv, &len);
    set_result(ps, s, rc);
    if (rc < 0) {
        RETURN_FALSE;
    }
    RETURN_LONG(iv);
}

PHP_METHOD(Swoole_Coroutine_Socket, shutdown) {
    zend_long how = SHUT_RDWR;
    php_cosocket_t *ps = THIS_SOCKET();
    eddy_socket_t *s;
    int rc;

    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(how)
    ZEND_PARSE_PARAMETERS_END();

    if (!(s = op_begin(ps, false))) {
        RETURN_FALSE;
    }
    if (how != SHUT_RD && how != SHUT_WR && how != SHUT_RDWR) {
        zend_argument_value_error(1, "must be one of SHUT_RD (0), SHUT_WR (1) or SHUT_RDWR (2)");
        RETURN_THROWS();
    }
    rc = eddy_socket_shutdown(s, (int) how);
    set_result(ps, s, rc);
    RETURN_BOOL(rc == 0);
}

PHP_METHOD(Swoole_Coroutine_Socket, cancel) {
    zend_long event = PHP_COIO_EVENT_READ;

    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(event)
    ZEND_PARSE_PARAMETERS_END();

    if (!(event & (PHP_COIO_EVENT_READ | PHP_COIO_EVENT_WRITE))) {
        zend_argument_value_error(1, "must be SWOOLE_EVENT_READ and/or SWOOLE_EVENT_WRITE");
        RETURN_THROWS();
    }
    RETVAL_BOOL(php_cosocket_cancel(THIS_SOCKET(), event));
    if (EG(exception)) {
        RETURN_THROWS();
    }
}

PHP_METHOD(Swoole_Coroutine_Socket, close) {
    ZEND_PARSE_PARAMETERS_NONE();
    RETVAL_BOOL(php_cosocket_close(THIS_SOCKET()));
    if (EG(exception)) {
        RETURN_THROWS();
    }
}

PHP_METHOD(Swoole_Coroutine_Socket, isClosed) {
    ZEND_PARSE_PARAMETERS_NONE();
    RETURN_BOOL(THIS_SOCKET()->sock == NULL);
}

PHP_METHOD(Swoole_Coroutine_Socket, getsockname) {
    ZEND_PARSE_PARAMETERS_NONE();
    php_cosocket_name(THIS_SOCKET(), false, return_value);
}

PHP_METHOD(Swoole_Coroutine_Socket, getpeername) {
    ZEND_PARSE_PARAMETERS_NONE();
    php_cosocket_name(THIS_SOCKET(), true, return_value);
}

/* ---- registration --------------------------------------------------------- */

/* The sockets extension's constants that Swoole code uses with
 * Coroutine\Socket, registered only where ext/sockets did not (Swoole does
 * the same), so scripts run with or without ext/sockets. */
static void register_socket_constant(const char *name, zend_long value, int module_number) {
    if (zend_get_constant_str(name, strlen(name))) {
        return;
    }
    zend_register_long_constant(name, strlen(name), value, CONST_CS | CONST_PERSISTENT,
                                module_number);
}

#define SOCK_CONST(name) register_socket_constant(#name, name, module_number)
#define SOCK_ERRNO(name) register_socket_constant("SOCKET_" #name, name, module_number)

static void register_socket_constants(int module_number) {
    SOCK_CONST(AF_UNIX);
    SOCK_CONST(AF_INET);
    SOCK_CONST(AF_INET6);
    SOCK_CONST(SOCK_STREAM);
    SOCK_CONST(SOCK_DGRAM);
    SOCK_CONST(SOCK_RAW);
    SOCK_CONST(SOCK_SEQPACKET);
    SOCK_CONST(SOL_SOCKET);
    SOCK_CONST(SOL_TCP);
    register_socket_constant("SOL_UDP", IPPROTO_UDP, module_number);
    SOCK_CONST(IPPROTO_IP);
    SOCK_CONST(IPPROTO_IPV6);
    SOCK_CONST(IPPROTO_TCP);
    SOCK_CONST(IPPROTO_UDP);
    SOCK_CONST(SO_DEBUG);
    SOCK_CONST(SO_REUSEADDR);
    SOCK_CONST(SO_REUSEPORT);
    SOCK_CONST(SO_KEEPALIVE);
    SOCK_CONST(SO_DONTROUTE);
    SOCK_CONST(SO_LINGER);
    SOCK_CONST(SO_BROADCAST);
    SOCK_CONST(SO_OOBINLINE);
    SOCK_CONST(SO_SNDBUF);
    SOCK_CONST(SO_RCVBUF);
    SOCK_CONST(SO_SNDLOWAT);
    SOCK_CONST(SO_RCVLOWAT);
    SOCK_CONST(SO_SNDTIMEO);
    SOCK_CONST(SO_RCVTIMEO);
    SOCK_CONST(SO_TYPE);
    SOCK_CONST(SO_ERROR);
    SOCK_CONST(TCP_NODELAY);
    SOCK_CONST(SOMAXCONN);
    SOCK_ERRNO(EPERM);
    SOCK_ERRNO(ENOENT);
    SOCK_ERRNO(EINTR);
    SOCK_ERRNO(EIO);
    SOCK_ERRNO(EBADF);
    SOCK_ERRNO(EAGAIN);
    SOCK_ERRNO(EWOULDBLOCK);
    SOCK_ERRNO(ENOMEM);
    SOCK_ERRNO(EACCES);
    SOCK_ERRNO(EINVAL);
    SOCK_ERRNO(ENFILE);
    SOCK_ERRNO(EMFILE);
    SOCK_ERRNO(EPIPE);
    SOCK_ERRNO(ENOTSOCK);
    SOCK_ERRNO(EMSGSIZE);
    SOCK_ERRNO(EPROTONOSUPPORT);
    SOCK_ERRNO(EOPNOTSUPP);
    SOCK_ERRNO(EAFNOSUPPORT);
    SOCK_ERRNO(EADDRINUSE);
    SOCK_ERRNO(EADDRNOTAVAIL);
    SOCK_ERRNO(ENETUNREACH);
    SOCK_ERRNO(ECONNABORTED);
    SOCK_ERRNO(ECONNRESET);
    SOCK_ERRNO(ENOTCONN);
    SOCK_ERRNO(ETIMEDOUT);
    SOCK_ERRNO(ECONNREFUSED);
    SOCK_ERRNO(EHOSTUNREACH);
    SOCK_ERRNO(EALREADY);
    SOCK_ERRNO(EINPROGRESS);
    SOCK_ERRNO(ECANCELED);
}

/* Swoole\Exception may come from another family's MINIT; register it only
 * if no one did. */
static void find_or_register_exception(void) {
    zend_class_entry ce;

    php_swoole_exception_ce = zend_hash_str_find_ptr(CG(class_table), ZEND_STRL("swoole\\exception"));
    if (php_swoole_exception_ce) {
        return;
    }
    INIT_NS_CLASS_ENTRY(ce, "Swoole", "Exception", NULL);
    php_swoole_exception_ce = zend_register_internal_class_ex(&ce, zend_ce_exception);
}

void php_swoole_socket_minit(int module_number) {
    register_socket_constants(module_number);
    find_or_register_exception();
    php_cosocket_ce = register_class_Swoole_Coroutine_Socket();
    php_cosocket_ce->create_object = socket_create_object;
    memcpy(&socket_handlers, zend_get_std_object_handlers(), sizeof(socket_handlers));
    socket_handlers.offset = XtOffsetOf(php_cosocket_t, std);
    socket_handlers.free_obj = socket_free_object;
    socket_handlers.clone_obj = NULL;
    socket_exception_ce = register_class_Swoole_Coroutine_Socket_Exception(php_swoole_exception_ce);
    if (php_swoole_use_shortname()) {
        zend_register_class_alias("Co\\Socket", php_cosocket_ce);
    }
}
