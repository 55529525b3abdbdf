/*
 * Swoole\Coroutine\Server and Swoole\Coroutine\Server\Connection: Swoole's
 * coroutine TCP/unix server, which Swoole writes in PHP (swoole/library) on
 * top of Coroutine\Socket. Same here, in C: the state lives in the declared
 * properties (socket, fn, running), the I/O in the Socket (php_coio.h).
 *
 * start() accepts in a loop and runs the handler in a new coroutine per
 * connection, with a Connection object. shutdown() stops the loop by
 * canceling the accept it waits in (Socket::cancel), so start() returns
 * true and may be called again, as in Swoole.
 *
 * TLS: $ssl = true (or set(['open_ssl' => true])) with ssl_cert_file and
 * ssl_key_file (php_ssl_settings.h for the other ssl_* options). start()
 * builds the context, throwing if it cannot; each connection's coroutine
 * runs the handshake (bounded by TLS_HANDSHAKE_MS) before the handler, and
 * a connection whose handshake fails is closed without reaching it.
 */
#include <string.h>
#include <sys/socket.h>

#include "php_swoole.h"
#include "php_coroutine.h"
#include "php_coio.h"
#include "php_ssl_settings.h"
#include "coserver_arginfo.h"
#include "zend_exceptions.h"
#include "zend_extensions.h" /* zend_internal_run_time_cache_reserved_size */
#include "ext/standard/php_array.h"

#include "eddy/base.h"
#include "eddy/coro.h"
#include "eddy/tls.h"

/* Swoole's pause after EMFILE/ENFILE or a failed coroutine creation. */
#define SERVER_RETRY_MS 1000
#define CONN_RECV_SIZE 65536

static zend_class_entry *server_ce;
static zend_class_entry *connection_ce;

static zval *prop(zend_class_entry *ce, zval *obj, const char *name) {
    zval rv;
    zval *v = zend_read_property(ce, Z_OBJ_P(obj), name, strlen(name), 1, &rv);
    return v == &EG(uninitialized_zval) ? NULL : v;
}

/* The Socket held in a `socket` property, with a reference for the call
 * (release with OBJ_RELEASE), or NULL. */
static php_cosocket_t *hold_socket(zend_class_entry *ce, zval *obj) {
    zval *v = prop(ce, obj, "socket");
    php_cosocket_t *ps;

    if (!v || Z_TYPE_P(v) != IS_OBJECT || !instanceof_function(Z_OBJCE_P(v), php_cosocket_ce)) {
        return NULL;
    }
    ps = php_cosocket_from_obj(Z_OBJ_P(v));
    GC_ADDREF(php_cosocket_obj(ps));
    return ps;
}

static void set_errcode(zval *obj, zend_long code) {
    zend_update_property_long(server_ce, Z_OBJ_P(obj), ZEND_STRL("errCode"), code);
    if (code) {
        php_swoole_set_error((int) code);
    }
}

static void warn_framing(HashTable *opts) {
    static const char *const keys[] = {"open_eof_check", "open_eof_split", "open_length_check",
                                       "open_mqtt_protocol", NULL};
    for (int i = 0; keys[i]; i++) {
        zval *v = zend_hash_str_find(opts, keys[i], strlen(keys[i]));
        if (v && zend_is_true(v)) {
            php_error_docref(NULL, E_WARNING, "option '%s' is not supported yet and is ignored",
                             keys[i]);
        }
    }
}

/* ---- Server --------------------------------------------------------------- */

/* Swoole's rule: "::" in the host means IPv6, "unix:/path" a unix socket. */
static eddy_sock_type_t server_kind(zend_string *host, const char **addr, int *family) {
    if (zend_string_starts_with_literal(host, "unix:/")) {
        *addr = ZSTR_VAL(host) + 5;
        *family = AF_UNIX;
        return EDDY_SOCK_UNIX_STREAM;
    }
    *addr = ZSTR_VAL(host);
    if (strchr(ZSTR_VAL(host), ':')) {
        *family = AF_INET6;
        return EDDY_SOCK_TCP6;
    }
    *family = AF_INET;
    return EDDY_SOCK_TCP;
}

static bool server_listen(zval *self, php_cosocket_t *ps, const char *addr, zend_long port,
                          bool reuse_port) {
    eddy_socket_t *s = php_cosocket_engine(ps);
    eddy_addr_t a;
    int rc, on = 1;

    if (reuse_port) {
        eddy_socket_setopt(s, SOL_SOCKET, SO_REUSEPORT, &on, sizeof(on));
    }
    if (port < 0 || port > 65535) {
        rc = EDDY_EINVAL;
    } else {
        rc = eddy_socket_bind(s, addr, (int) port);
        php_coro_after_switch();
    }
    if (rc < 0) {
        set_errcode(self, -rc);
        zend_throw_exception_ex(php_swoole_exception_ce, -rc, "bind(%s:" ZEND_LONG_FMT ") failed: %s",
                                addr, port, eddy_strerror(rc));
        return false;
    }
    if ((rc = eddy_socket_listen(s, 512)) < 0) {
        set_errcode(self, -rc);
        zend_throw_exception_ex(php_swoole_exception_ce, -rc, "listen() failed: %s",
                                eddy_strerror(rc));
        return false;
    }
    if (eddy_socket_getsockname(s, &a) == 0) {
        char host[128];
        int bound = 0;
        if (eddy_addr_format(&a, host, sizeof(host), &bound) == 0) {
            zend_update_property_long(server_ce, Z_OBJ_P(self), ZEND_STRL("port"), bound);
        }
    }
    zend_update_property_long(server_ce, Z_OBJ_P(self), ZEND_STRL("fd"), eddy_socket_fd(s));
    return true;
}

PHP_METHOD(Swoole_Coroutine_Server, __construct) {
    zend_string *host;
    zend_long port = 0;
    bool ssl = false, reuse_port = false;
    const char *addr;
    int family, err = 0;
    eddy_sock_type_t kind;
    zval sock;

    ZEND_PARSE_PARAMETERS_START(1, 4)
        Z_PARAM_PATH_STR(host)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(port)
        Z_PARAM_BOOL(ssl)
        Z_PARAM_BOOL(reuse_port)
    ZEND_PARSE_PARAMETERS_END();

    if (ssl) { /* as Swoole's library: the setting turns TLS on at start() */
        zval setting;
        array_init(&setting);
        add_assoc_bool(&setting, "open_ssl", 1);
        zend_update_property(server_ce, Z_OBJ_P(ZEND_THIS), ZEND_STRL("setting"), &setting);
        zval_ptr_dtor(&setting);
    }
    kind = server_kind(host, &addr, &family);
    zend_update_property_string(server_ce, Z_OBJ_P(ZEND_THIS), ZEND_STRL("host"), addr);
    zend_update_property_long(server_ce, Z_OBJ_P(ZEND_THIS), ZEND_STRL("type"), family);
    if (!php_cosocket_create(&sock, kind, &err)) {
        set_errcode(ZEND_THIS, -err);
        zend_throw_exception_ex(php_swoole_exception_ce, -err, "new Socket() failed: %s",
                                eddy_strerror(err));
        RETURN_THROWS();
    }
    zend_update_property(server_ce, Z_OBJ_P(ZEND_THIS), ZEND_STRL("socket"), &sock);
    if (!server_listen(ZEND_THIS, php_cosocket_from_obj(Z_OBJ(sock)), addr, port, reuse_port)) {
        zval_ptr_dtor(&sock);
        RETURN_THROWS();
    }
    zval_ptr_dtor(&sock);
}

PHP_METHOD(Swoole_Coroutine_Server, set) {
    HashTable *opts;
    zval *setting, merged;

    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_ARRAY_HT(opts)
    ZEND_PARSE_PARAMETERS_END();

    warn_framing(opts);
    setting = prop(server_ce, ZEND_THIS, "setting");
    if (setting && Z_TYPE_P(setting) == IS_ARRAY) {
        ZVAL_ARR(&merged, zend_array_dup(Z_ARRVAL_P(setting)));
    } else {
        array_init(&merged);
    }
    php_array_merge(Z_ARRVAL(merged), opts);
    zend_update_property(server_ce, Z_OBJ_P(ZEND_THIS), ZEND_STRL("setting"), &merged);
    zval_ptr_dtor(&merged);
}

PHP_METHOD(Swoole_Coroutine_Server, handle) {
    zval *fn;

    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_ZVAL(fn)
    ZEND_PARSE_PARAMETERS_END();

    if (!zend_is_callable(fn, 0, NULL)) {
        zend_argument_type_error(1, "must be a valid callback");
        RETURN_THROWS();
    }
    zend_update_property(server_ce, Z_OBJ_P(ZEND_THIS), ZEND_STRL("fn"), fn);
}

static bool running(zval *self) {
    zval *v = prop(server_ce, self, "running");
    return v && zend_is_true(v);
}

static void set_running(zval *self, bool on) {
    zend_update_property_bool(server_ce, Z_OBJ_P(self), ZEND_STRL("running"), on);
}

/* ---- TLS (open_ssl) ------------------------------------------------------ */

/* A TLS connection's coroutine first runs the server handshake, then the
 * handler: a slow or silent client holds only its own coroutine, for at
 * most this long. */
#define TLS_HANDSHAKE_MS 10000

/* The coroutine's body is this internal function, invisible to PHP. What
 * it serves goes through `tls_handoff`: a new coroutine runs at once, so
 * it takes the values (and attaches TLS, while start() still holds the
 * context) before php_coro_create() returns. */
static zend_internal_function tls_conn_fn;
static struct {
    zval *fn, *conn;
    eddy_tls_ctx_t *ctx;
} tls_handoff;

static ZEND_NAMED_FUNCTION(run_tls_conn) {
    zval fn, conn, rv;
    php_cosocket_t *ps;
    eddy_socket_t *s;
    int rc;

    ZEND_PARSE_PARAMETERS_NONE();
    if (!tls_handoff.fn) {
        return;
    }
    ZVAL_COPY(&fn, tls_handoff.fn);
    ZVAL_COPY(&conn, tls_handoff.conn);
    tls_handoff.fn = NULL;
    ps = hold_socket(connection_ce, &conn);
    s = ps ? php_cosocket_engine(ps) : NULL;
    rc = s ? eddy_socket_tls_attach(s, tls_handoff.ctx, NULL) : EDDY_EBADF;
    if (rc == 0) {
        rc = eddy_socket_tls_handshake(s, TLS_HANDSHAKE_MS);
        php_coro_after_switch();
    }
    if (rc == 0 && !EG(exception)) {
        ZVAL_UNDEF(&rv);
        call_user_function(NULL, NULL, &fn, &rv, 1, &conn);
        zval_ptr_dtor(&rv);
    } else if (ps) { /* not TLS (plain client), silent, or gone: no handler */
        php_cosocket_close(ps);
    }
    if (ps) {
        OBJ_RELEASE(php_cosocket_obj(ps));
    }
    zval_ptr_dtor(&conn);
    zval_ptr_dtor(&fn);
}

/* The server context per the ssl_* settings when open_ssl is on; NULL
 * otherwise, or after throwing (*failed). */
static eddy_tls_ctx_t *server_tls(zval *self, bool *failed) {
    zval *setting = prop(server_ce, self, "setting"), *on;
    HashTable *ht = setting && Z_TYPE_P(setting) == IS_ARRAY ? Z_ARRVAL_P(setting) : NULL;
    char why[256] = "";
    int err = 0;
    eddy_tls_ctx_t *ctx;

    *failed = false;
    on = ht ? zend_hash_str_find(ht, ZEND_STRL("open_ssl")) : NULL;
    if (!on || !zend_is_true(on)) {
        return NULL;
    }
    if (!(ctx = php_ssl_server_ctx(ht, &err, why, sizeof(why)))) {
        set_errcode(self, -err);
        zend_throw_exception_ex(php_swoole_exception_ce, -err, "cannot start the SSL server: %s",
                                why[0] ? why : eddy_strerror(err));
        *failed = true;
    }
    return ctx;
}

/* Runs the handler on a new connection in its own coroutine (after the
 * TLS handshake with ctx, if not NULL). False if the coroutine could not
 * be made (the caller pauses and goes on). */
static bool spawn_handler(zval *fn, zval *sock, eddy_tls_ctx_t *ctx) {
    zend_fcall_info fci;
    zend_fcall_info_cache fcc;
    zval conn, callable;
    int64_t cid;

    object_init_ex(&conn, connection_ce);
    zend_update_property(connection_ce, Z_OBJ(conn), ZEND_STRL("socket"), sock);
    if (ctx) {
        zend_fcall_info_cache tfcc = {0};
        tfcc.function_handler = (zend_function *) &tls_conn_fn;
        ZVAL_STR_COPY(&callable, tls_conn_fn.function_name);
        tls_handoff.fn = fn;
        tls_handoff.conn = &conn;
        tls_handoff.ctx = ctx;
        cid = php_coro_create(&tfcc, &callable, 0, NULL);
        zval_ptr_dtor(&callable);
        zval_ptr_dtor(&conn);
        if (tls_handoff.fn) { /* never started */
            tls_handoff.fn = NULL;
            return false;
        }
        return cid > 0;
    }
    /* Our own copy: the handler may replace $server->fn while it runs. */
    ZVAL_COPY(&callable, fn);
    if (zend_fcall_info_init(&callable, 0, &fci, &fcc, NULL, NULL) != SUCCESS) {
        zval_ptr_dtor(&callable);
        zval_ptr_dtor(&conn);
        return false;
    }
    cid = php_coro_create(&fcc, &callable, 1, &conn);
    zval_ptr_dtor(&callable);
    zval_ptr_dtor(&conn);
    return cid > 0;
}

/* What start() does after a failed accept: 1 go on, 0 stop (true), -1 fail. */
static int accept_failed(zval *self, php_cosocket_t *ps) {
    int code = php_cosocket_errcode(ps);

    switch (code) {
    case EMFILE:
    case ENFILE:
        eddy_coro_sleep(SERVER_RETRY_MS);
        return php_coro_after_switch() ? 1 : -1;
    case ETIMEDOUT:
        return 1;
    case ECANCELED: /* shutdown() */
    case EBADF:     /* the socket was closed under us */
        return 0;
    default:
        set_errcode(self, code);
        php_error_docref(NULL, E_WARNING, "accept failed, Error: %s[%d]", php_cosocket_errmsg(ps),
                         code);
        return -1;
    }
}

PHP_METHOD(Swoole_Coroutine_Server, start) {
    zval *fn, sock;
    php_cosocket_t *ps;
    eddy_tls_ctx_t *ctx;
    bool failed;
    int next = 1;

    ZEND_PARSE_PARAMETERS_NONE();
    if (!php_coro_require()) {
        RETURN_THROWS();
    }
    fn = prop(server_ce, ZEND_THIS, "fn");
    if (!fn || Z_TYPE_P(fn) == IS_NULL) {
        set_errcode(ZEND_THIS, EINVAL);
        RETURN_FALSE;
    }
    if (!(ps = hold_socket(server_ce, ZEND_THIS))) {
        set_errcode(ZEND_THIS, EBADF);
        RETURN_FALSE;
    }
    ctx = server_tls(ZEND_THIS, &failed); /* owned here, freed below */
    if (failed) {
        OBJ_RELEASE(php_cosocket_obj(ps));
        RETURN_THROWS();
    }
    if (ctx) { /* observers' per-function data: a fresh cache per request */
        ZEND_MAP_PTR_INIT(tls_conn_fn.run_time_cache,
                          zend_arena_calloc(&CG(arena), 1,
                                            zend_internal_run_time_cache_reserved_size()));
    }
    set_running(ZEND_THIS, true);
    while (next > 0 && running(ZEND_THIS)) {
        php_cosocket_accept(ps, EDDY_WAIT_FOREVER, &sock);
        if (EG(exception)) {
            next = -1;
        } else if (Z_TYPE(sock) == IS_OBJECT) {
            fn = prop(server_ce, ZEND_THIS, "fn");
            if (!fn || !spawn_handler(fn, &sock, ctx)) {
                eddy_coro_sleep(SERVER_RETRY_MS);
                php_coro_after_switch();
            }
            zval_ptr_dtor(&sock);
            next = EG(exception) ? -1 : 1;
        } else {
            next = accept_failed(ZEND_THIS, ps);
        }
    }
    OBJ_RELEASE(php_cosocket_obj(ps));
    eddy_tls_ctx_free(ctx); /* connections hold their own references */
    set_running(ZEND_THIS, false);
    if (EG(exception)) {
        RETURN_THROWS();
    }
    RETURN_BOOL(next >= 0);
}

PHP_METHOD(Swoole_Coroutine_Server, shutdown) {
    php_cosocket_t *ps;
    bool done;

    ZEND_PARSE_PARAMETERS_NONE();
    set_running(ZEND_THIS, false);
    if (!(ps = hold_socket(server_ce, ZEND_THIS))) {
        RETURN_FALSE;
    }
    done = php_cosocket_cancel(ps, PHP_COIO_EVENT_READ);
    OBJ_RELEASE(php_cosocket_obj(ps));
    if (EG(exception)) {
        RETURN_THROWS();
    }
    RETURN_BOOL(done);
}

/* ---- Connection ----------------------------------------------------------- */

PHP_METHOD(Swoole_Coroutine_Server_Connection, __construct) {
    zval *sock;

    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_OBJECT_OF_CLASS(sock, php_cosocket_ce)
    ZEND_PARSE_PARAMETERS_END();

    zend_update_property(connection_ce, Z_OBJ_P(ZEND_THIS), ZEND_STRL("socket"), sock);
}

/* The connection's socket for a call, or NULL after throwing: a
 * Connection is only made around a Socket. */
static php_cosocket_t *conn_socket(zval *self) {
    php_cosocket_t *ps = hold_socket(connection_ce, self);

    if (!ps) {
        zend_throw_error(NULL, "Connection has no socket (constructor not called)");
    }
    return ps;
}

PHP_METHOD(Swoole_Coroutine_Server_Connection, recv) {
    double timeout = 0;
    php_cosocket_t *ps;

    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_DOUBLE(timeout)
    ZEND_PARSE_PARAMETERS_END();

    if (!(ps = conn_socket(ZEND_THIS))) {
        RETURN_THROWS();
    }
    /* Without framing a "packet" is what one read returns (recvPacket). */
    php_cosocket_recv(ps, CONN_RECV_SIZE, php_coio_timeout(timeout), false, return_value);
    OBJ_RELEASE(php_cosocket_obj(ps));
}

PHP_METHOD(Swoole_Coroutine_Server_Connection, send) {
    zend_string *data;
    php_cosocket_t *ps;

    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_STR(data)
    ZEND_PARSE_PARAMETERS_END();

    if (!(ps = conn_socket(ZEND_THIS))) {
        RETURN_THROWS();
    }
    php_cosocket_send(ps, data, EDDY_TIMEOUT_DEFAULT, true, return_value);
    OBJ_RELEASE(php_cosocket_obj(ps));
}

PHP_METHOD(Swoole_Coroutine_Server_Connection, close) {
    php_cosocket_t *ps;

    ZEND_PARSE_PARAMETERS_NONE();
    if (!(ps = conn_socket(ZEND_THIS))) {
        RETURN_THROWS();
    }
    RETVAL_BOOL(php_cosocket_close(ps));
    OBJ_RELEASE(php_cosocket_obj(ps));
}

PHP_METHOD(Swoole_Coroutine_Server_Connection, exportSocket) {
    zval *v;

    ZEND_PARSE_PARAMETERS_NONE();
    v = prop(connection_ce, ZEND_THIS, "socket");
    if (!v || Z_TYPE_P(v) != IS_OBJECT) {
        zend_throw_error(NULL, "Connection has no socket (constructor not called)");
        RETURN_THROWS();
    }
    RETURN_COPY(v);
}

/* ---- registration --------------------------------------------------------- */

void php_swoole_coserver_minit(int module_number) {
    (void) module_number;
    server_ce = register_class_Swoole_Coroutine_Server();
    connection_ce = register_class_Swoole_Coroutine_Server_Connection();
    if (php_swoole_use_shortname()) {
        zend_register_class_alias("Co\\Server", server_ce);
        zend_register_class_alias("Co\\Server\\Connection", connection_ce);
    }
    memset(&tls_conn_fn, 0, sizeof(tls_conn_fn));
    tls_conn_fn.type = ZEND_INTERNAL_FUNCTION;
    tls_conn_fn.fn_flags = ZEND_ACC_PUBLIC;
    tls_conn_fn.function_name =
        zend_string_init_interned(ZEND_STRL("Swoole\\Coroutine\\Server\\{ssl connection}"), 1);
    tls_conn_fn.handler = run_tls_conn;
}
