/*
 * Swoole\Coroutine\Http\Server on the engine's coroutine HTTP server
 * (eddy_co_http_*, src/http/co_http.c). The engine parses, limits, frames
 * and routes; this file gives it PHP coroutines and PHP handlers:
 *
 * - start() runs the engine's accept loop in the calling coroutine; each
 *   connection runs in a PHP coroutine of its own (spawn_conn below), so a
 *   handler may use every coroutine API, and handlers of different
 *   connections interleave.
 * - A handler gets the same Swoole\Http\Request / Response objects as
 *   Http\Server's (php_http_request.c, php_http_response.c); a Response
 *   left unended when the handler returns is ended as there (500 unless a
 *   status was set).
 * - An exception the handler does not catch ends its connection at once
 *   (nothing more is read or sent on it) and then its coroutine, where it
 *   is reported as every uncaught exception in a coroutine is.
 *
 * set() takes package_max_length and the HTTP options of php_http_options.c
 * that apply to this server (compression, upload_tmp_dir,
 * upload_max_filesize, keepalive_timeout); it applies them at start().
 * The WebSocket ones (websocket_compression, open_websocket_ping_frame,
 * open_websocket_pong_frame) go on each Response for its upgrade()
 * (php_http_response_ws.c): a handler's $response->upgrade() makes it
 * Swoole's coroutine WebSocket server. open_websocket_close_frame is taken
 * and changes nothing: recv() always returns the peer's CloseFrame here.
 *
 * HTTPS: $ssl = true in the constructor; start() builds a server TLS
 * context from the ssl_* settings (php_ssl_settings.h) and throws when it
 * cannot (no ssl_cert_file/ssl_key_file, unreadable files); the engine
 * then shakes hands in each connection's coroutine (eddy_co_http_set_tls).
 */
#include <stdint.h>
#include <string.h>

#include "php_swoole.h"
#include "php_coroutine.h"
#include "php_coio.h" /* php_swoole_exception_ce */
#include "php_http.h"
#include "php_co_http_server.h"
#include "php_ssl_settings.h"
#include "co_http_server_arginfo.h"
#include "zend_exceptions.h"
#include "zend_extensions.h" /* zend_internal_run_time_cache_reserved_size */
#include "ext/standard/php_array.h"

#include "eddy/coro.h"
#include "eddy/http.h"

static zend_class_entry *co_http_ce;
static zend_object_handlers co_http_handlers;

/* One handle() pattern: its callable, kept by the server object. */
typedef struct route_s {
    struct php_co_http_s *srv;
    zval fn;
    struct route_s *next;
} route_t;

typedef struct php_co_http_s {
    eddy_co_http_t *co; /* NULL when the constructor failed */
    php_http_options_t opts;
    zend_long package_max_length; /* 0: the engine's default (2 MiB) */
    route_t *routes;
    bool running;
    bool ssl;          /* constructed with $ssl = true: HTTPS, set up at start() */
    unsigned ws_opts; /* PHP_HTTP_WS_PING_FRAME / _PONG_FRAME from set() */
    zend_object std;
} php_co_http_t;

static php_co_http_t *from_obj(zend_object *o) {
    return (php_co_http_t *) ((char *) o - XtOffsetOf(php_co_http_t, std));
}

#define THIS_SRV() from_obj(Z_OBJ_P(ZEND_THIS))

static void set_error(zval *self, int code) {
    zend_update_property_long(co_http_ce, Z_OBJ_P(self), ZEND_STRL("errCode"), code);
    zend_update_property_string(co_http_ce, Z_OBJ_P(self), ZEND_STRL("errMsg"),
                                code ? eddy_strerror(-code) : "");
}

/* ---- object ------------------------------------------------------------- */

static zend_object *create_object(zend_class_entry *ce) {
    php_co_http_t *s = zend_object_alloc(sizeof(*s), ce);
    zend_object_std_init(&s->std, ce);
    object_properties_init(&s->std, ce);
    php_http_options_init(&s->opts);
    s->std.handlers = &co_http_handlers;
    return &s->std;
}

static void free_object(zend_object *o) {
    php_co_http_t *s = from_obj(o);
    /* A server object is referenced by start()'s frame while it runs, so
     * it is never freed with connections open. */
    eddy_co_http_free(s->co);
    for (route_t *r = s->routes, *next; r; r = next) {
        next = r->next;
        zval_ptr_dtor(&r->fn);
        efree(r);
    }
    php_http_options_free(&s->opts);
    zend_object_std_dtor(o);
}

static HashTable *get_gc(zend_object *o, zval **table, int *n) {
    php_co_http_t *s = from_obj(o);
    zend_get_gc_buffer *buf = zend_get_gc_buffer_create();
    for (route_t *r = s->routes; r; r = r->next) zend_get_gc_buffer_add_zval(buf, &r->fn);
    zend_get_gc_buffer_use(buf, table, n);
    return zend_std_get_properties(o);
}

/* ---- requests ------------------------------------------------------------ */

/* $request->server's addresses: the Request code asks the server engine,
 * which this server does not use; the connection's socket knows them. */
static void set_peer(zval *zreq, eddy_http_request_t *req, php_co_http_t *s) {
    zval *sv = zend_read_property(Z_OBJCE_P(zreq), Z_OBJ_P(zreq), ZEND_STRL("server"), 1, NULL);
    char ip[64] = "";
    int port = 0;

    if (!sv || Z_TYPE_P(sv) != IS_ARRAY) {
        return;
    }
    eddy_http_request_remote(req, ip, sizeof(ip), &port);
    SEPARATE_ARRAY(sv);
    add_assoc_long(sv, "server_port", eddy_co_http_port(s->co));
    add_assoc_long(sv, "remote_port", port);
    add_assoc_string(sv, "remote_addr", ip);
}

/* What the Response's upgrade() negotiates and delivers. */
static void set_ws_options(zval *zresp, const php_co_http_t *s) {
    php_http_response_t *r =
        (php_http_response_t *) ((char *) Z_OBJ_P(zresp) - XtOffsetOf(php_http_response_t, std));
    r->ws_co = PHP_HTTP_WS_CO | s->ws_opts |
               (s->opts.websocket_compression ? PHP_HTTP_WS_COMPRESSION : 0);
}

/* The engine's handler for one pattern: runs the PHP callable with a
 * Request and a Response, in the connection's coroutine. */
static void on_request(eddy_http_request_t *req, eddy_http_response_t *resp, void *data) {
    route_t *r = data;
    zval args[2], rv, fn;

    php_http_co_options = &r->srv->opts; /* http_parse_post / http_parse_cookie */
    php_http_request_new(req, &args[0]);
    php_http_co_options = NULL;
    php_http_response_new(req, resp, &args[0], &args[1]);
    set_ws_options(&args[1], r->srv);
    set_peer(&args[0], req, r->srv);
    ZVAL_COPY(&fn, &r->fn); /* handle() may replace it while this runs */
    ZVAL_UNDEF(&rv);
    call_user_function(NULL, NULL, &fn, &rv, 2, args);
    zval_ptr_dtor(&rv);
    zval_ptr_dtor(&fn);
    if (EG(exception)) {
        /* Before the Response goes: its 500 must not go out, nor may a
         * pipelined request run PHP code with the exception pending. */
        eddy_co_http_close_current(r->srv->co);
    }
    zval_ptr_dtor(&args[0]);
    zval_ptr_dtor(&args[1]);
}

/* ---- connection coroutines ------------------------------------------------ */

/* A PHP coroutine needs a PHP callable: this internal function, not
 * visible from PHP, calls the engine's connection loop. Its (run, arg) go
 * through `handoff`, not arguments, so that no pointer shows in a stack
 * trace: a new coroutine runs at once, so run_conn takes them before
 * php_coro_create() returns and the next spawn can fill the slot. */
static zend_internal_function conn_fn;
static struct {
    void (*run)(void *arg);
    void *arg;
} handoff;

static ZEND_NAMED_FUNCTION(run_conn) {
    void (*run)(void *arg) = handoff.run;
    void *arg = handoff.arg;

    ZEND_PARSE_PARAMETERS_NONE();
    handoff.run = NULL;
    if (run) {
        run(arg);
    }
}

static int64_t spawn_conn(void (*run)(void *arg), void *arg, void *ud) {
    zend_fcall_info_cache fcc = {0};
    zval callable;
    int64_t cid;

    (void) ud;
    fcc.function_handler = (zend_function *) &conn_fn;
    ZVAL_STR_COPY(&callable, conn_fn.function_name);
    handoff.run = run;
    handoff.arg = arg;
    cid = php_coro_create(&fcc, &callable, 0, NULL);
    zval_ptr_dtor(&callable);
    if (handoff.run) { /* never started: the caller drops the connection */
        handoff.run = NULL;
        return -1;
    }
    return cid > 0 ? cid : -1;
}

/* ---- methods -------------------------------------------------------------- */

PHP_METHOD(Swoole_Coroutine_Http_Server, __construct) {
    zend_string *host;
    zend_long port = 0;
    bool ssl = false, reuse_port = false;
    php_co_http_t *s = THIS_SRV();
    int rc;

    ZEND_PARSE_PARAMETERS_START(1, 4)
        Z_PARAM_PATH_STR(host)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(port)
        Z_PARAM_BOOL(ssl)
        Z_PARAM_BOOL(reuse_port)
    ZEND_PARSE_PARAMETERS_END();

    if (s->co) {
        zend_throw_error(NULL, "Swoole\\Coroutine\\Http\\Server is already constructed");
        RETURN_THROWS();
    }
    zend_update_property_str(co_http_ce, Z_OBJ_P(ZEND_THIS), ZEND_STRL("host"), host);
    s->ssl = ssl;
    if ((rc = eddy_co_http_new(&s->co, NULL, 0)) < 0) {
        set_error(ZEND_THIS, -rc);
        zend_throw_exception_ex(php_swoole_exception_ce, -rc, "cannot create the server: %s",
                                eddy_strerror(rc));
        RETURN_THROWS();
    }
    eddy_co_http_set_spawn(s->co, spawn_conn, NULL);
    rc = port < 0 || port > 65535 ? EDDY_EINVAL
                                  : eddy_co_http_listen(s->co, ZSTR_VAL(host), (int) port,
                                                        reuse_port);
    if (rc < 0) {
        set_error(ZEND_THIS, -rc);
        zend_throw_exception_ex(php_swoole_exception_ce, -rc,
                                "bind(%s:" ZEND_LONG_FMT ") failed: %s", ZSTR_VAL(host), port,
                                eddy_strerror(rc));
        RETURN_THROWS();
    }
    zend_update_property_long(co_http_ce, Z_OBJ_P(ZEND_THIS), ZEND_STRL("port"),
                              eddy_co_http_port(s->co));
    zend_update_property_long(co_http_ce, Z_OBJ_P(ZEND_THIS), ZEND_STRL("fd"),
                              eddy_co_http_fd(s->co));
}

PHP_METHOD(Swoole_Coroutine_Http_Server, set) {
    HashTable *opts;
    php_co_http_t *s = THIS_SRV();
    zend_string *key;
    zval *v, *settings, merged;

    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_ARRAY_HT(opts)
    ZEND_PARSE_PARAMETERS_END();

    ZEND_HASH_FOREACH_STR_KEY_VAL(opts, key, v) {
        if (!key) {
            continue;
        }
        if (zend_string_equals_literal(key, "package_max_length")) {
            zend_long n = zval_get_long(v);
            if (n <= 0) {
                php_error_docref(NULL, E_WARNING, "package_max_length must be greater than 0");
            } else {
                s->package_max_length = n;
            }
        } else if (zend_string_equals_literal(key, "open_websocket_ping_frame")) {
            s->ws_opts = (s->ws_opts & ~PHP_HTTP_WS_PING_FRAME) |
                         (zend_is_true(v) ? PHP_HTTP_WS_PING_FRAME : 0);
        } else if (zend_string_equals_literal(key, "open_websocket_pong_frame")) {
            s->ws_opts = (s->ws_opts & ~PHP_HTTP_WS_PONG_FRAME) |
                         (zend_is_true(v) ? PHP_HTTP_WS_PONG_FRAME : 0);
        } else {
            php_http_option(&s->opts, key, v); /* the others are kept in $settings only */
        }
    } ZEND_HASH_FOREACH_END();
    settings = zend_read_property(co_http_ce, Z_OBJ_P(ZEND_THIS), ZEND_STRL("settings"), 1, NULL);
    if (settings && Z_TYPE_P(settings) == IS_ARRAY) {
        ZVAL_ARR(&merged, zend_array_dup(Z_ARRVAL_P(settings)));
    } else {
        array_init(&merged);
    }
    php_array_merge(Z_ARRVAL(merged), opts);
    zend_update_property(co_http_ce, Z_OBJ_P(ZEND_THIS), ZEND_STRL("settings"), &merged);
    zval_ptr_dtor(&merged);
    RETURN_TRUE;
}

PHP_METHOD(Swoole_Coroutine_Http_Server, handle) {
    zend_string *pattern;
    zend_fcall_info fci;
    zend_fcall_info_cache fcc;
    php_co_http_t *s = THIS_SRV();
    route_t *r;

    ZEND_PARSE_PARAMETERS_START(2, 2)
        Z_PARAM_STR(pattern)
        Z_PARAM_FUNC(fci, fcc)
    ZEND_PARSE_PARAMETERS_END();

    if (!s->co) {
        zend_throw_error(NULL, "the server was not constructed");
        RETURN_THROWS();
    }
    if (ZSTR_LEN(pattern) == 0) {
        zend_argument_value_error(1, "cannot be empty");
        RETURN_THROWS();
    }
    r = ecalloc(1, sizeof(*r)); /* owned by s, freed with it */
    r->srv = s;
    ZVAL_COPY(&r->fn, &fci.function_name);
    r->next = s->routes;
    s->routes = r;
    /* The same pattern again: the engine points at the new route; the old
     * one stays allocated (a handler of it may be running) until free. */
    eddy_co_http_handle(s->co, ZSTR_VAL(pattern), on_request, r);
}

/* $ssl = true: a server TLS context from the ssl_* settings, handed to the
 * engine. False after throwing (no certificate, an unreadable file...). */
static bool setup_tls(zval *self, php_co_http_t *s) {
    zval *settings = zend_read_property(co_http_ce, Z_OBJ_P(self), ZEND_STRL("settings"), 1, NULL);
    HashTable *ht = settings && Z_TYPE_P(settings) == IS_ARRAY ? Z_ARRVAL_P(settings) : NULL;
    char why[256] = "";
    int err = 0, rc;
    eddy_tls_ctx_t *ctx = php_ssl_server_ctx(ht, &err, why, sizeof(why));

    if (!ctx) {
        set_error(self, -err);
        zend_throw_exception_ex(php_swoole_exception_ce, -err, "cannot start the SSL server: %s",
                                why[0] ? why : eddy_strerror(err));
        return false;
    }
    rc = eddy_co_http_set_tls(s->co, ctx, 0);
    eddy_tls_ctx_free(ctx); /* the engine holds its own reference */
    if (rc < 0) {
        set_error(self, -rc);
        zend_throw_exception_ex(php_swoole_exception_ce, -rc, "cannot start the SSL server: %s",
                                eddy_strerror(rc));
        return false;
    }
    return true;
}

PHP_METHOD(Swoole_Coroutine_Http_Server, start) {
    php_co_http_t *s = THIS_SRV();
    eddy_http_server_opts_t o = {0};
    int rc;

    ZEND_PARSE_PARAMETERS_NONE();
    if (!php_coro_require()) {
        RETURN_THROWS();
    }
    if (!s->co || s->running) {
        set_error(ZEND_THIS, -EDDY_EWRONG_OP);
        php_error_docref(NULL, E_WARNING, "the server is %s",
                         s->co ? "already running" : "not listening");
        RETURN_FALSE;
    }
    php_http_options_apply(&s->opts, &o);
    if ((rc = eddy_co_http_configure(s->co, &o, (uint64_t) s->package_max_length)) < 0) {
        set_error(ZEND_THIS, -rc);
        php_error_docref(NULL, E_WARNING, "bad HTTP settings: %s", eddy_strerror(rc));
        RETURN_FALSE;
    }
    if (s->ssl && !setup_tls(ZEND_THIS, s)) {
        RETURN_THROWS();
    }
    /* Observers keep per-function data in the run-time cache; each request
     * gets a fresh one (the arena is per request). */
    ZEND_MAP_PTR_INIT(conn_fn.run_time_cache,
                      zend_arena_calloc(&CG(arena), 1, zend_internal_run_time_cache_reserved_size()));
    s->running = true;
    GC_ADDREF(&s->std); /* connections point at s until start() returns */
    rc = eddy_co_http_start(s->co);
    php_coro_after_switch();
    s->running = false;
    if (rc < 0 && rc != EDDY_ECANCELED) {
        set_error(ZEND_THIS, -rc);
    }
    OBJ_RELEASE(&s->std);
    if (EG(exception)) {
        RETURN_THROWS();
    }
    RETURN_BOOL(rc == 0);
}

PHP_METHOD(Swoole_Coroutine_Http_Server, shutdown) {
    php_co_http_t *s = THIS_SRV();

    ZEND_PARSE_PARAMETERS_NONE();
    if (s->co) {
        eddy_co_http_shutdown(s->co);
        zend_update_property_long(co_http_ce, Z_OBJ_P(ZEND_THIS), ZEND_STRL("fd"), -1);
    }
}

void php_swoole_co_http_server_minit(int module_number) {
    (void) module_number;
    co_http_ce = register_class_Swoole_Coroutine_Http_Server();
    co_http_ce->create_object = create_object;
    memcpy(&co_http_handlers, zend_get_std_object_handlers(), sizeof(co_http_handlers));
    co_http_handlers.offset = XtOffsetOf(php_co_http_t, std);
    co_http_handlers.free_obj = free_object;
    co_http_handlers.get_gc = get_gc;
    co_http_handlers.clone_obj = NULL;
    if (php_swoole_use_shortname()) {
        zend_register_class_alias("Co\\Http\\Server", co_http_ce);
    }

    memset(&conn_fn, 0, sizeof(conn_fn));
    conn_fn.type = ZEND_INTERNAL_FUNCTION;
    conn_fn.fn_flags = ZEND_ACC_PUBLIC;
    conn_fn.function_name =
        zend_string_init_interned(ZEND_STRL("Swoole\\Coroutine\\Http\\Server\\{connection}"), 1);
    conn_fn.handler = run_conn;
}
