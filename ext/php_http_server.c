/*
 * Swoole\Http\Server: Swoole\Server with the engine's HTTP server attached
 * at start() (php_server.h's protocol hook, eddy_http_server_new()).
 *
 * Each request fires on('request', fn(Request $req, Response $resp)) in its
 * own coroutine (enable_coroutine, on by default), so a handler that sleeps
 * or waits on I/O does not hold up the other requests of the worker. An
 * exception the handler does not catch is reported and the worker is
 * restarted, as for every Swoole\Server callback (php_server.c); the
 * Response it left is ended with a 500 (php_http_response.c).
 *
 * PROCESS mode needs a stateful dispatch_mode (2, 4 or 5): 2 is the
 * default, and a stateless one fails start() with a warning.
 *
 * Options of set() for the HTTP layer: php_http_options.c.
 */
#include "php_swoole.h"
#include "php_http.h"
#include "php_server.h"
#include "http_arginfo.h"

zend_class_entry *php_http_server_ce;

typedef php_http_proto_t http_proto_t; /* php_http.h: WebSocket\Server shares it */

static http_proto_t *proto_of(php_server_t *ps) {
    return ps->proto_data;
}

eddy_server_t *php_http_server_engine(void) {
    php_server_t *ps = php_server_current();
    return ps ? ps->srv : NULL;
}

eddy_http_server_t *php_http_server_hs(php_server_t *ps) {
    if (!ps || !ps->proto_data || !instanceof_function(ps->std.ce, php_http_server_ce)) {
        return NULL;
    }
    return proto_of(ps)->hs; /* WebSocket\Server's proto data begins with one */
}

const php_http_options_t *php_http_co_options;

bool php_http_parse_post(void) {
    php_server_t *ps = php_server_current();
    if (php_http_co_options) {
        return php_http_co_options->parse_post;
    }
    return !ps || !ps->proto_data || proto_of(ps)->opts.parse_post;
}

bool php_http_parse_cookie(void) {
    php_server_t *ps = php_server_current();
    if (php_http_co_options) {
        return php_http_co_options->parse_cookie;
    }
    return !ps || !ps->proto_data || proto_of(ps)->opts.parse_cookie;
}

bool php_http_websocket_compression(void) {
    php_server_t *ps = php_server_current();
    return ps && ps->proto_data && proto_of(ps)->opts.websocket_compression;
}

/* The engine hands over a whole request: the pair of objects goes to the
 * handler, which owns them from here (php_server_fire releases ours). */
static void on_request(eddy_http_request_t *req, eddy_http_response_t *resp, void *data) {
    php_server_t *ps = data;
    zval args[3];

    php_http_request_new(req, &args[1]);
    php_http_response_new(req, resp, &args[1], &args[2]);
    php_server_fire(ps, PHP_SERVER_EV_REQUEST, NULL, args, 3, true, NULL);
}

/* BASE mode: see php_http_peer_forget. Then the user's onConnect, if any. */
static void on_connect(eddy_server_t *srv, int fd, int reactor_id) {
    php_server_t *ps = php_server_current();

    php_http_peer_forget(fd);
    if (ps && ps->events.on_connect) {
        ps->events.on_connect(srv, fd, reactor_id);
    }
}

static bool attach(php_server_t *ps) {
    http_proto_t *hp = proto_of(ps);
    eddy_http_server_opts_t o = {0};
    int rc;

    if (Z_ISUNDEF(ps->cbs[PHP_SERVER_EV_REQUEST])) {
        php_error_docref(NULL, E_WARNING, "require onRequest callback");
        return false;
    }
    o.on_request = on_request;
    o.data = ps;
    hp->events = ps->events;
    if (eddy_server_mode(ps->srv) == EDDY_SERVER_BASE) {
        hp->events.on_connect = on_connect;
    }
    o.events = &hp->events;
    php_http_options_apply(&hp->opts, &o);
    if ((rc = eddy_http_server_new(&hp->hs, ps->srv, &o)) < 0) {
        hp->hs = NULL;
        php_swoole_check(rc);
        php_error_docref(NULL, E_WARNING,
                         "cannot start the HTTP server: %s (PROCESS mode needs dispatch_mode "
                         "2, 4 or 5; open_eof_check / open_length_check cannot be set; "
                         "enable_static_handler needs document_root to be a directory)",
                         eddy_strerror(rc));
        return false;
    }
    return true;
}

static bool set_option(php_server_t *ps, zend_string *key, zval *value) {
    return php_http_option(&proto_of(ps)->opts, key, value);
}

/* Runs in the master after start() returned, or when a server that never
 * started is freed; workers leave by exiting. */
static void proto_free(php_server_t *ps) {
    http_proto_t *hp = proto_of(ps);

    if (hp) {
        if (!ps->broken) { /* left the engine by longjmp: its state is not freed */
            eddy_http_server_free(hp->hs);
        }
        php_http_options_free(&hp->opts);
        efree(hp);
        ps->proto_data = NULL;
    }
}

static const php_server_proto_t http_proto = {
    .attach = attach,
    .set_option = set_option,
    .free = proto_free,
};

static zend_object *http_server_create_object(zend_class_entry *ce) {
    zend_object *obj = php_server_create_object(ce);
    php_server_t *ps = php_server_from_obj(obj);
    http_proto_t *hp = ecalloc(1, sizeof(*hp)); /* owned by ps, freed by proto_free */

    php_http_options_init(&hp->opts);
    ps->proto = &http_proto;
    ps->proto_data = hp;
    return obj;
}

void php_swoole_http_minit(int module_number) {
    (void) module_number;
    php_http_server_ce = register_class_Swoole_Http_Server(php_swoole_server_ce);
    php_http_server_ce->create_object = http_server_create_object;
    php_http_request_minit(register_class_Swoole_Http_Request());
    php_http_response_minit(register_class_Swoole_Http_Response());
}
