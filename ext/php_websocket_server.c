/*
 * Swoole\WebSocket\Server: Http\Server with the engine's WebSocket server
 * (eddy_ws_server_new, which wraps the HTTP server) attached at start()
 * through php_server.h's protocol hook, as Http\Server attaches its own.
 *
 * Events, as Swoole calls them:
 *  - open(Server, Request): the server answered a handshake with 101
 *    (not fired when a handshake callback is set, as in Swoole);
 *  - message(Server, Frame): a whole message (fragments joined, deflated
 *    ones inflated), or a ping / pong / close frame when
 *    open_websocket_ping_frame / _pong_frame / _close_frame ask for them
 *    (a close arrives as a CloseFrame with code and reason);
 *  - handshake(Request, Response): the callback decides; it accepts by
 *    ending the response with status 101 and the Sec-WebSocket-Accept it
 *    computed (Swoole's documented example), or refuses with any other
 *    status;
 *  - request(Request, Response): plain HTTP requests on the same port
 *    (without one they get 400);
 *  - close(Server, fd, reactorId): every connection's close (reactorId is
 *    0: the engine's WebSocket close does not carry the reactor);
 *  - disconnect(Server, fd): when set, connections that never became
 *    WebSockets close here instead of in close (Swoole 4.7's onDisconnect).
 * Each runs in its own coroutine with enable_coroutine (on by default).
 * One connection's messages start their coroutines in arrival order; a
 * handler that yields (sleep, I/O) lets the next message's handler run
 * meanwhile, so replies can overtake each other, as in Swoole.
 *
 * Options of set(): open_websocket_close_frame, open_websocket_ping_frame,
 * open_websocket_pong_frame, websocket_subprotocol; and every option of
 * Http\Server (php_http_options.c: websocket_compression, http_parse_*,
 * http_compression*, the static handler, upload_*, the timeouts), read by
 * the same code and handed to the engine's WebSocket server for its HTTP
 * server (eddy_ws_server_opts_t.http), as a WebSocket\Server is an
 * Http\Server in Swoole.
 */
#include "php_swoole.h"
#include "php_http.h"
#include "php_server.h"
#include "php_websocket.h"
#include "zend_interfaces.h"
#include "websocket_arginfo.h"

#include "eddy/websocket.h"

static zend_class_entry *ws_server_ce;

#define SWOOLE_ERROR_SERVER_SEND_IN_MASTER 9009

typedef struct {
    php_http_proto_t http; /* first: php_http.h's option readers see it */
    eddy_ws_server_t *ws;  /* from attach(), freed with the object */
    bool open_close_frame;
    bool open_ping_frame;
    bool open_pong_frame;
    char *subprotocol; /* owned */
} ws_proto_t;

static ws_proto_t *proto_of(php_server_t *ps) {
    return ps->proto_data;
}

#define THIS_SERVER() php_server_from_obj(Z_OBJ_P(ZEND_THIS))

/* ---- engine events ------------------------------------------------------------- */

static php_server_t *ps_of(eddy_ws_server_t *ws) {
    return eddy_ws_server_data(ws);
}

static void on_message(eddy_ws_server_t *ws, int fd, int opcode, const char *data, size_t len,
                       int flags) {
    zval args[2];

    php_ws_frame_new(&args[1], fd, opcode, data, len, flags);
    php_server_fire(ps_of(ws), PHP_SERVER_EV_MESSAGE, NULL, args, 2, true, NULL);
}

/* The Request copies what it exposes: valid after req is gone. */
static void on_open(eddy_ws_server_t *ws, int fd, eddy_http_request_t *req) {
    zval args[2];

    (void) fd;
    php_http_request_new(req, &args[1]);
    php_http_request_link(&args[1], NULL, req);
    php_server_fire(ps_of(ws), PHP_SERVER_EV_OPEN, NULL, args, 2, true, NULL);
}

/* The pair goes to the callback, which owns the response's end. */
static void on_handshake(eddy_ws_server_t *ws, eddy_http_request_t *req,
                         eddy_http_response_t *resp) {
    zval args[3];

    php_http_request_new(req, &args[1]);
    php_http_response_new(req, resp, &args[1], &args[2]);
    php_server_fire(ps_of(ws), PHP_SERVER_EV_HANDSHAKE, NULL, args, 3, true, NULL);
}

static void on_request(eddy_http_request_t *req, eddy_http_response_t *resp, void *data) {
    zval args[3];

    php_http_request_new(req, &args[1]);
    php_http_response_new(req, resp, &args[1], &args[2]);
    php_server_fire(data, PHP_SERVER_EV_REQUEST, NULL, args, 3, true, NULL);
}

/* Through php_server.c's close event, which knows the ports' callbacks. */
static void on_close(eddy_ws_server_t *ws, int fd) {
    php_server_t *ps = ps_of(ws);

    if (ps->events.on_close) {
        ps->events.on_close(ps->srv, fd, 0);
    }
}

static void on_disconnect(eddy_ws_server_t *ws, int fd) {
    zval args[2];

    ZVAL_LONG(&args[1], fd);
    php_server_fire(ps_of(ws), PHP_SERVER_EV_DISCONNECT, NULL, args, 2, true, NULL);
}

/* BASE mode: a recycled session id drops its cached peer address
 * (php_http_peer_forget), then the user's onConnect. */
static void on_connect(eddy_server_t *srv, int fd, int reactor_id) {
    php_server_t *ps = php_server_current();

    php_http_peer_forget(fd);
    if (ps && ps->events.on_connect) {
        ps->events.on_connect(srv, fd, reactor_id);
    }
}

/* ---- protocol hook --------------------------------------------------------------- */

#define HAS(ev) (!Z_ISUNDEF(ps->cbs[ev]))

static bool attach(php_server_t *ps) {
    ws_proto_t *wp = proto_of(ps);
    eddy_ws_server_opts_t o = {0};
    eddy_http_server_opts_t ho = {0}; /* pointers into wp->http.opts, copied by the engine */
    int rc;

    if (!HAS(PHP_SERVER_EV_MESSAGE)) {
        php_error_docref(NULL, E_WARNING, "require onMessage callback");
        return false;
    }
    o.on_message = on_message;
    o.on_open = HAS(PHP_SERVER_EV_OPEN) ? on_open : NULL;
    o.on_handshake = HAS(PHP_SERVER_EV_HANDSHAKE) ? on_handshake : NULL;
    o.on_request = HAS(PHP_SERVER_EV_REQUEST) ? on_request : NULL;
    o.on_close = ps->events.on_close ? on_close : NULL;
    o.on_disconnect = HAS(PHP_SERVER_EV_DISCONNECT) ? on_disconnect : NULL;
    o.data = ps;
    wp->http.events = ps->events;
    if (eddy_server_mode(ps->srv) == EDDY_SERVER_BASE) {
        wp->http.events.on_connect = on_connect;
    }
    o.events = &wp->http.events;
    php_http_options_apply(&wp->http.opts, &ho);
    o.http = &ho;
    o.compression = wp->http.opts.websocket_compression;
    o.open_close_frame = wp->open_close_frame;
    o.open_ping_frame = wp->open_ping_frame;
    o.open_pong_frame = wp->open_pong_frame;
    o.subprotocol = wp->subprotocol;
    if ((rc = eddy_ws_server_new(&wp->ws, ps->srv, &o)) < 0) {
        wp->ws = NULL;
        php_swoole_check(rc);
        php_error_docref(NULL, E_WARNING,
                         "cannot start the WebSocket server: %s (PROCESS mode needs "
                         "dispatch_mode 2, 4 or 5; open_eof_check / open_length_check cannot "
                         "be set; enable_static_handler needs document_root to be a directory)",
                         eddy_strerror(rc));
        return false;
    }
    /* Its HTTP server, for what Http\Server's code reads (Response::create). */
    wp->http.hs = eddy_ws_server_http(wp->ws);
    return true;
}

#undef HAS

static bool set_option(php_server_t *ps, zend_string *key, zval *value) {
    ws_proto_t *wp = proto_of(ps);

    if (zend_string_equals_literal(key, "open_websocket_close_frame")) {
        wp->open_close_frame = zend_is_true(value);
    } else if (zend_string_equals_literal(key, "open_websocket_ping_frame")) {
        wp->open_ping_frame = zend_is_true(value);
    } else if (zend_string_equals_literal(key, "open_websocket_pong_frame")) {
        wp->open_pong_frame = zend_is_true(value);
    } else if (zend_string_equals_literal(key, "websocket_subprotocol")) {
        zend_string *s = zval_get_string(value);
        efree(wp->subprotocol);
        wp->subprotocol = ZSTR_LEN(s) ? estrndup(ZSTR_VAL(s), ZSTR_LEN(s)) : NULL;
        zend_string_release(s);
    } else {
        /* The HTTP options, websocket_compression among them: Http\Server's code. */
        return php_http_option(&wp->http.opts, key, value);
    }
    return true;
}

/* In the master after start() returned, or when a server that never
 * started is freed; workers leave by exiting. */
static void proto_free(php_server_t *ps) {
    ws_proto_t *wp = proto_of(ps);

    if (wp) {
        if (!ps->broken) { /* left the engine by longjmp: its state is not freed */
            eddy_ws_server_free(wp->ws); /* and the HTTP server it made */
        }
        php_http_options_free(&wp->http.opts);
        efree(wp->subprotocol);
        efree(wp);
        ps->proto_data = NULL;
    }
}

static const php_server_proto_t ws_proto = {
    .attach = attach,
    .set_option = set_option,
    .free = proto_free,
};

static zend_object *ws_server_create_object(zend_class_entry *ce) {
    zend_object *obj = php_server_create_object(ce);
    php_server_t *ps = php_server_from_obj(obj);
    ws_proto_t *wp = ecalloc(1, sizeof(*wp)); /* owned by ps, freed by proto_free */

    php_http_options_init(&wp->http.opts);
    ps->proto = &ws_proto;
    ps->proto_data = wp;
    return obj;
}

/* ---- methods --------------------------------------------------------------------- */

/* The running engine WebSocket server, or NULL with Swoole's warning. */
static eddy_ws_server_t *running_ws(php_server_t *ps) {
    if (!php_server_require_worker(ps, SWOOLE_ERROR_SERVER_SEND_IN_MASTER)) {
        return NULL;
    }
    return proto_of(ps)->ws;
}

/* A failed push / disconnect: false with Swoole's error code and warning. */
static void push_failed(int rc, zend_long fd) {
    php_swoole_check(rc);
    if (rc == EDDY_EWS_UNCONNECTED) {
        php_error_docref(NULL, E_WARNING,
                         "the connected client of connection[" ZEND_LONG_FMT
                         "] is not a websocket client or closed",
                         fd);
    } else if (rc == EDDY_EWS_BAD_OPCODE) {
        php_error_docref(NULL, E_WARNING, "the opcode is not a WebSocket opcode (0-2, 8-10)");
    } else if (rc == EDDY_EINVAL) {
        php_error_docref(NULL, E_WARNING,
                         "invalid frame: a control frame must have FIN and at most 125 bytes; "
                         "a close code must be 1000-1003, 1007-1011 or 3000-4999 and its "
                         "reason at most 123 bytes of UTF-8");
    } else {
        php_error_docref(NULL, E_WARNING, "%s", eddy_strerror(rc));
    }
}

PHP_METHOD(Swoole_WebSocket_Server, push) {
    php_server_t *ps = THIS_SERVER();
    zend_long fd, opcode = EDDY_WS_OP_TEXT, flags = EDDY_WS_FLAG_FIN;
    zend_object *frame;
    zend_string *str, *data;
    eddy_ws_server_t *ws;
    int rc;

    ZEND_PARSE_PARAMETERS_START(2, 4)
        Z_PARAM_LONG(fd)
        Z_PARAM_OBJ_OF_CLASS_OR_STR(frame, php_ws_frame_ce, str)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(opcode)
        Z_PARAM_LONG(flags)
    ZEND_PARSE_PARAMETERS_END();

    if (!(ws = running_ws(ps))) {
        RETURN_FALSE;
    }
    if (frame) { /* its own opcode and flags win, as in Swoole */
        php_ws_frame_read(frame, &data, &opcode, &flags);
    } else {
        data = zend_string_copy(str);
    }
    rc = eddy_ws_push(ws, (int) fd, (int) opcode, ZSTR_VAL(data), ZSTR_LEN(data), (int) flags);
    zend_string_release(data);
    if (rc < 0) {
        push_failed(rc, fd);
        RETURN_FALSE;
    }
    RETURN_TRUE;
}

PHP_METHOD(Swoole_WebSocket_Server, disconnect) {
    php_server_t *ps = THIS_SERVER();
    zend_long fd, code = EDDY_WS_CLOSE_NORMAL;
    zend_string *reason = NULL;
    eddy_ws_server_t *ws;
    int rc;

    ZEND_PARSE_PARAMETERS_START(1, 3)
        Z_PARAM_LONG(fd)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(code)
        Z_PARAM_STR(reason)
    ZEND_PARSE_PARAMETERS_END();

    if (!(ws = running_ws(ps))) {
        RETURN_FALSE;
    }
    if (code < 0 || code > 65535) {
        push_failed(EDDY_EINVAL, fd);
        RETURN_FALSE;
    }
    rc = eddy_ws_disconnect(ws, (int) fd, (int) code, reason ? ZSTR_VAL(reason) : "",
                            reason ? ZSTR_LEN(reason) : 0);
    if (rc < 0) {
        push_failed(rc, fd);
        RETURN_FALSE;
    }
    RETURN_TRUE;
}

PHP_METHOD(Swoole_WebSocket_Server, isEstablished) {
    php_server_t *ps = THIS_SERVER();
    zend_long fd;
    eddy_ws_server_t *ws;

    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_LONG(fd)
    ZEND_PARSE_PARAMETERS_END();

    if (!(ws = running_ws(ps))) {
        RETURN_FALSE;
    }
    RETURN_BOOL(fd > 0 && fd <= INT_MAX && eddy_ws_is_established(ws, (int) fd));
}

void php_swoole_websocket_minit(int module_number) {
    zend_class_entry *frame_ce;

    ws_server_ce = register_class_Swoole_WebSocket_Server(php_http_server_ce);
    ws_server_ce->create_object = ws_server_create_object;
    frame_ce = register_class_Swoole_WebSocket_Frame(zend_ce_stringable);
    php_ws_frame_minit(frame_ce, register_class_Swoole_WebSocket_CloseFrame(frame_ce),
                       module_number);
}
