/*
 * The server side of the opening handshake (RFC 6455 section 4.2): checks
 * the request, negotiates permessage-deflate (RFC 7692) and the
 * subprotocol, and answers 101 through the HTTP server's response, whose
 * end hands the connection to the frame reader (ws_conn.c).
 */
#include <string.h>

#include "ws_internal.h"
#include "ws_server.h"

static int refuse(eddy_http_response_t *resp, int err) {
    /* Section 4.4: an unsupported version is answered 426 with the
     * versions we speak; every other flaw is a bad request. */
    int status = err == EDDY_EWS_VERSION ? 426 : 400;
    eddy_http_response_status(resp, status, NULL);
    if (status == 426) eddy_http_response_header(resp, "Sec-WebSocket-Version", "13");
    eddy_http_response_header(resp, "Connection", "close");
    const char *body = status == 426 ? "<h1>426 Upgrade Required</h1>\n"
                                     : "<h1>400 Bad Request</h1>\n";
    eddy_http_response_end(resp, body, strlen(body));
    return EDDY_EWS_HANDSHAKE_FAILED;
}

/* Section 4.2.2 item 5.4: the server picks one of the client's offers or
 * none; ours is the configured websocket_subprotocol if the client listed
 * it. (Swoole sends its value unconditionally, which compliant clients
 * reject when they did not ask for it.) Names are case-sensitive tokens. */
static const char *pick_subprotocol(const eddy_ws_server_t *ws, const eddy_http_request_t *req) {
    const char *want = ws->o.subprotocol;
    size_t n, wl = want ? strlen(want) : 0;
    const char *v = eddy_http_request_header(req, "sec-websocket-protocol", &n);
    if (!wl || !v) return NULL;
    for (size_t i = 0; i < n;) {
        while (i < n && (v[i] == ' ' || v[i] == '\t' || v[i] == ',')) i++;
        size_t s = i;
        while (i < n && v[i] != ',' && v[i] != ' ' && v[i] != '\t') i++;
        if (i - s == wl && memcmp(v + s, want, wl) == 0) return want;
    }
    return NULL;
}

/* Sets up the connection's entry before the 101 leaves: the upgrade hook
 * (ws_conn.c) runs inside eddy_http_response_end() and finds it there. */
static ws_conn_t *prepare(eddy_ws_server_t *ws, int fd, const eddy_ws_deflate_params_t *dp,
                          int deflate, int open) {
    ws_conn_t *c = eddy__ws_conn_find(ws, fd);
    if (!c) c = eddy__ws_conn_new(ws, fd);
    c->status = EDDY_WS_STATUS_HANDSHAKE;
    c->has_deflate = deflate != 0;
    if (deflate) c->dparams = *dp;
    c->open_pending = open != 0;
    eddy__ws_status_set(ws, fd, EDDY_WS_STATUS_HANDSHAKE);
    return c;
}

static void drop_prepared(eddy_ws_server_t *ws, int fd) {
    ws_conn_t *c = eddy__ws_conn_find(ws, fd);
    if (!c || c->status != EDDY_WS_STATUS_HANDSHAKE) return;
    eddy__ws_status_clear(ws, fd);
    eddy__ws_conn_remove(ws, c);
    if (c->busy) c->gone = 1;
    else eddy__ws_conn_free(c);
}

int eddy__ws_accept(eddy_ws_server_t *ws, eddy_http_request_t *req, eddy_http_response_t *resp,
                    int open) {
    char accept[EDDY_WS_ACCEPT_LEN + 1];
    if (!eddy_http_response_writable(resp)) {
        eddy_http_response_end(resp, NULL, 0);
        return EDDY_ESESSION_CLOSED;
    }
    int rc = eddy__ws_request_check(req, accept);
    if (rc < 0) return refuse(resp, rc);
    eddy_buf_t ext; /* the negotiated extension's response value */
    eddy_buf_init(&ext);
    eddy_ws_deflate_params_t dp;
    int deflate = 0;
    size_t n;
    const char *offer = eddy_http_request_header(req, "sec-websocket-extensions", &n);
    if (ws->o.compression && offer) deflate = eddy_ws_deflate_negotiate(offer, n, NULL, &dp, &ext);
    const char *proto = pick_subprotocol(ws, req);
    int fd = eddy_http_request_fd(req);
    prepare(ws, fd, &dp, deflate, open);
    eddy_http_response_status(resp, 101, NULL);
    eddy_http_response_header(resp, "Upgrade", "websocket");
    eddy_http_response_header(resp, "Connection", "Upgrade");
    eddy_http_response_header(resp, "Sec-WebSocket-Accept", accept);
    eddy_http_response_header(resp, "Sec-WebSocket-Version", "13");
    if (deflate) eddy_http_response_header(resp, "Sec-WebSocket-Extensions", ext.data);
    if (proto) eddy_http_response_header(resp, "Sec-WebSocket-Protocol", proto);
    eddy_buf_free(&ext);
    rc = eddy_http_response_end(resp, NULL, 0);
    if (rc < 0) drop_prepared(ws, fd);
    return rc;
}

int eddy_ws_server_accept(eddy_ws_server_t *ws, eddy_http_request_t *req,
                          eddy_http_response_t *resp) {
    /* Swoole's onHandshake: the user completes the handshake, and onOpen
     * is not fired. */
    return eddy__ws_accept(ws, req, resp, 0);
}
