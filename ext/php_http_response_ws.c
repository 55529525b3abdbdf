/*
 * Swoole\Http\Response's WebSocket methods: upgrade(), push(), recv(),
 * ping(), close(), over the engine's WebSocket sessions
 * (eddy_ws_session_*, include/eddy/websocket.h). The request handler runs
 * in a coroutine; after upgrade() it keeps the connection for as long as
 * it likes, and recv() suspends that coroutine until a frame arrives.
 *
 * The Response owns its session (r->ws): releasing the object ends the
 * connection if the handler did not close it (the handler returned, or
 * threw). After upgrade() the HTTP methods (status(), end()...) find the
 * response ended, as in Swoole. With set(['websocket_compression' =>
 * true]) upgrade() accepts permessage-deflate when the client offers it;
 * push() deflates with SWOOLE_WEBSOCKET_FLAG_COMPRESS then.
 *
 * On a Coroutine\Http\Server (r->ws_co) the options are that server's
 * set(): websocket_compression, open_websocket_ping_frame and
 * open_websocket_pong_frame (recv() returns pings, unanswered, and
 * pongs). There recv() reads the socket itself and push() writes it, so
 * push(), ping() and close() may suspend their coroutine too (a slow
 * client; pushes of several coroutines to one connection take turns).
 */
#include "php_swoole.h"
#include "php_coio.h"
#include "php_coroutine.h"
#include "php_http.h"
#include "php_websocket.h"

#include "eddy/websocket.h"

#define WS_UNCONNECTED 8503 /* SWOOLE_ERROR_WEBSOCKET_UNCONNECTED */

static php_http_response_t *from_this(zval *this_ptr) {
    return (php_http_response_t *) ((char *) Z_OBJ_P(this_ptr) - XtOffsetOf(php_http_response_t, std));
}

/* The session of an upgraded response, or NULL after Swoole's warning. */
static eddy_ws_session_t *session_of(php_http_response_t *r, zval *this_ptr) {
    if (!r->ws) {
        zval rv, *fd = zend_read_property(Z_OBJCE_P(this_ptr), Z_OBJ_P(this_ptr), ZEND_STRL("fd"), 1, &rv);
        php_swoole_set_error(WS_UNCONNECTED);
        php_error_docref(NULL, E_WARNING, "fd[" ZEND_LONG_FMT "] is not a websocket conncetion",
                         zval_get_long(fd));
    }
    return r->ws;
}

/* false with the error recorded; a warning unless the peer has gone. */
static bool ws_result(int rc) {
    if (php_swoole_check(rc) >= 0) {
        return true;
    }
    if (rc != EDDY_ESESSION_CLOSED) {
        php_error_docref(NULL, E_WARNING, "%s", eddy_strerror(rc));
    }
    return false;
}

bool php_http_response_ws_open(const php_http_response_t *r) {
    return r->ws && eddy_ws_session_is_open(r->ws);
}

/* The session options of set(): the coroutine server's, recorded on the
 * response, or the running Http\Server's. */
static void ws_options(const php_http_response_t *r, eddy_ws_session_opts_t *o) {
    memset(o, 0, sizeof(*o));
    if (r->ws_co & PHP_HTTP_WS_CO) {
        o->compression = (r->ws_co & PHP_HTTP_WS_COMPRESSION) != 0;
        o->open_ping_frame = (r->ws_co & PHP_HTTP_WS_PING_FRAME) != 0;
        o->open_pong_frame = (r->ws_co & PHP_HTTP_WS_PONG_FRAME) != 0;
    } else {
        o->compression = php_http_websocket_compression();
    }
}

void php_http_response_ws_free(php_http_response_t *r) {
    if (r->ws) {
        eddy_ws_session_free(r->ws); /* closes the connection if still open */
        r->ws = NULL;
    }
}

PHP_METHOD(Swoole_Http_Response, upgrade) {
    php_http_response_t *r = from_this(ZEND_THIS);
    eddy_ws_session_t *s = NULL;
    int rc;

    ZEND_PARSE_PARAMETERS_NONE();
    if (r->ws) {
        RETURN_TRUE; /* already a WebSocket */
    }
    if (!r->resp) {
        php_error_docref(NULL, E_WARNING,
                         "http response is unavailable (maybe it has been ended or detached)");
        RETURN_FALSE;
    }
    if (!r->req) { /* Response::create(): the handshake request is not here */
        php_error_docref(NULL, E_WARNING,
                         "upgrade() needs the handshake request: a response made by create() "
                         "cannot upgrade");
        RETURN_FALSE;
    }
    eddy_ws_session_opts_t o;
    ws_options(r, &o);
    rc = eddy_ws_session_upgrade(r->req, r->resp, &o, &s); /* a coroutine server's may yield */
    if (rc == 0 || rc == EDDY_EWS_HANDSHAKE_FAILED) {
        /* The engine ended the response: 101, or 400 for a request that is
         * no handshake. */
        r->resp = NULL;
        r->req = NULL;
        if (r->request) {
            php_http_request_done(r->request);
        }
    }
    r->ws = s; /* NULL on failure */
    if (!php_coro_after_switch()) {
        RETURN_THROWS();
    }
    RETURN_BOOL(php_swoole_check(rc) >= 0);
}

PHP_METHOD(Swoole_Http_Response, push) {
    php_http_response_t *r = from_this(ZEND_THIS);
    zval *data;
    zend_long opcode = EDDY_WS_OP_TEXT, flags = EDDY_WS_FLAG_FIN;
    zend_string *payload;
    eddy_ws_session_t *s;
    int rc;

    ZEND_PARSE_PARAMETERS_START(1, 3)
        Z_PARAM_ZVAL(data)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(opcode)
        Z_PARAM_LONG(flags)
    ZEND_PARSE_PARAMETERS_END();
    if (!(s = session_of(r, ZEND_THIS))) {
        RETURN_FALSE;
    }
    if (Z_TYPE_P(data) == IS_OBJECT && instanceof_function(Z_OBJCE_P(data), php_ws_frame_ce)) {
        php_ws_frame_read(Z_OBJ_P(data), &payload, &opcode, &flags); /* the Frame's own */
    } else {
        payload = zval_get_string(data);
    }
    rc = eddy_ws_session_push(s, (int) opcode, ZSTR_VAL(payload), ZSTR_LEN(payload), (int) flags);
    zend_string_release(payload);
    if (!php_coro_after_switch()) {
        RETURN_THROWS();
    }
    RETURN_BOOL(ws_result(rc));
}

PHP_METHOD(Swoole_Http_Response, recv) {
    php_http_response_t *r = from_this(ZEND_THIS);
    double timeout = -1;
    eddy_ws_session_msg_t m;
    eddy_ws_session_t *s;
    int rc;

    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_DOUBLE(timeout)
    ZEND_PARSE_PARAMETERS_END();
    if (!(s = session_of(r, ZEND_THIS))) {
        RETURN_FALSE;
    }
    if (!php_coro_require()) {
        RETURN_THROWS();
    }
    rc = eddy_ws_session_recv(s, &m, php_coio_timeout(timeout));
    if (!php_coro_after_switch()) {
        if (rc == 0) {
            eddy_ws_session_msg_release(&m);
        }
        RETURN_THROWS();
    }
    if (rc == EDDY_ESESSION_CLOSED) {
        php_swoole_check(rc);
        RETURN_EMPTY_STRING(); /* Swoole: '' once the peer closed */
    }
    if (rc < 0) {
        php_swoole_check(rc);
        RETURN_FALSE;
    }
    php_ws_frame_new(return_value, eddy_ws_session_fd(s), m.opcode, m.data, m.len, m.flags);
    eddy_ws_session_msg_release(&m);
}

PHP_METHOD(Swoole_Http_Response, ping) {
    php_http_response_t *r = from_this(ZEND_THIS);
    eddy_ws_session_t *s;
    int rc;

    ZEND_PARSE_PARAMETERS_NONE();
    if (!(s = session_of(r, ZEND_THIS))) {
        RETURN_FALSE;
    }
    rc = eddy_ws_session_ping(s, NULL, 0);
    if (!php_coro_after_switch()) {
        RETURN_THROWS();
    }
    RETURN_BOOL(ws_result(rc));
}

PHP_METHOD(Swoole_Http_Response, close) {
    php_http_response_t *r = from_this(ZEND_THIS);
    eddy_server_t *srv;

    ZEND_PARSE_PARAMETERS_NONE();
    if (r->ws) {
        /* As Swoole: no close frame (push a CloseFrame first for a clean one). */
        int rc = eddy_ws_session_close(r->ws, 0, NULL, 0); /* may switch (coroutine server) */
        if (!php_coro_after_switch()) {
            RETURN_THROWS();
        }
        RETURN_BOOL(ws_result(rc));
    }
    if (!r->resp) {
        php_error_docref(NULL, E_WARNING,
                         "http response is unavailable (maybe it has been ended or detached)");
        RETURN_FALSE;
    }
    /* A plain response: the connection ends ($server->close($fd)); the
     * response is then ended without a client, by end() or at release. */
    srv = php_http_server_engine();
    if (!srv) {
        RETURN_FALSE;
    }
    RETURN_BOOL(ws_result(eddy_server_close(srv, eddy_http_response_fd(r->resp))));
}
