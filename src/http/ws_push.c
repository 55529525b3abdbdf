/*
 * Server push: frames built here and sent with eddy_server_send(), which
 * reaches a connection of any worker (forwarded to its owner), so one
 * send per frame keeps frames whole whoever else pushes to the same
 * connection.
 */
#include <string.h>

#include "ws_server.h"

/* Buffers above this are released after a push (a 2 MiB broadcast must
 * not pin 2 MiB per worker). */
#define OUT_KEEP_MAX (256 * 1024)

static int check(int opcode, size_t len, int flags) {
    int data = opcode >= EDDY_WS_OP_CONTINUATION && opcode <= EDDY_WS_OP_BINARY;
    int control = opcode >= EDDY_WS_OP_CLOSE && opcode <= EDDY_WS_OP_PONG;
    if (!data && !control) return EDDY_EWS_BAD_OPCODE;
    /* Section 5.5: control frames are whole and short. */
    if (control && (len > EDDY_WS_MAX_CONTROL || !(flags & EDDY_WS_FLAG_FIN))) return EDDY_EINVAL;
    return 0;
}

int eddy__ws_frame_build(eddy_ws_server_t *ws, ws_conn_t *c, int opcode, const void *data,
                         size_t len, int flags) {
    int rc = check(opcode, len, flags);
    if (rc < 0) return rc;
    uint8_t hflags = (flags & EDDY_WS_FLAG_FIN) ? EDDY_WS_FIN : 0;
    eddy_buf_clear(&ws->out);
    /* Whole text/binary messages only: a compressed message is one deflate
     * run whose first frame carries RSV1 (RFC 7692 section 6.1). */
    if ((flags & EDDY_WS_FLAG_COMPRESS) && c && c->deflate && hflags &&
        (opcode == EDDY_WS_OP_TEXT || opcode == EDDY_WS_OP_BINARY)) {
        eddy_buf_clear(&ws->zout);
        rc = eddy_ws_deflate_message(c->deflate, data, len, &ws->zout);
        if (rc < 0) return rc;
        eddy_ws_frame_write(&ws->out, hflags | EDDY_WS_RSV1, (uint8_t)opcode, ws->zout.data,
                            ws->zout.len, NULL);
        if (ws->zout.cap > OUT_KEEP_MAX) eddy_buf_free(&ws->zout);
        return 0;
    }
    eddy_ws_frame_write(&ws->out, hflags, (uint8_t)opcode, data, len, NULL);
    return 0;
}

int eddy_ws_push(eddy_ws_server_t *ws, int fd, int opcode, const void *data, size_t len,
                 int flags) {
    if (!eddy_ws_is_established(ws, fd)) return EDDY_EWS_UNCONNECTED;
    /* Found only in the owning worker (ids are unique server-wide). */
    ws_conn_t *c = eddy__ws_conn_find(ws, fd);
    int rc = eddy__ws_frame_build(ws, c, opcode, data, len, flags);
    if (rc == 0) rc = eddy_server_send(ws->srv, fd, ws->out.data, ws->out.len);
    if (ws->out.cap > OUT_KEEP_MAX) eddy_buf_free(&ws->out);
    return rc;
}

int eddy_ws_disconnect(eddy_ws_server_t *ws, int fd, int code, const char *reason,
                       size_t reason_len) {
    if (!eddy_ws_is_established(ws, fd)) return EDDY_EWS_UNCONNECTED;
    if (code < 0 || code > 0xffff || !eddy_ws_close_code_valid((unsigned)code)) return EDDY_EINVAL;
    eddy_buf_clear(&ws->out);
    if (eddy_ws_close_write(&ws->out, (uint16_t)code, reason, reason_len, NULL) < 0)
        return EDDY_EINVAL;
    ws_conn_t *c = eddy__ws_conn_find(ws, fd);
    if (c) c->status = EDDY_WS_STATUS_CLOSING; /* frames now only wait for the answer */
    eddy__ws_status_set(ws, fd, EDDY_WS_STATUS_CLOSING);
    int rc = eddy_server_send(ws->srv, fd, ws->out.data, ws->out.len);
    /* Swoole closes right after the close frame; the lingering close lets
     * the client's answering close frame arrive without a reset. */
    if (rc == 0) rc = eddy_server_close_linger(ws->srv, fd);
    return rc;
}

typedef struct {
    eddy_ws_server_t *ws;
    int opcode, flags;
    const void *data;
    size_t len;
    int count;
} bcast_t;

static int visit(eddy_server_t *srv, int session, void *arg) {
    bcast_t *b = arg;
    (void)srv;
    if (eddy_ws_is_established(b->ws, session) &&
        eddy_ws_push(b->ws, session, b->opcode, b->data, b->len, b->flags) == 0)
        b->count++;
    return 0;
}

int eddy_ws_broadcast(eddy_ws_server_t *ws, int opcode, const void *data, size_t len, int flags) {
    int rc = check(opcode, len, flags);
    if (rc < 0) return rc;
    bcast_t b = {.ws = ws, .opcode = opcode, .flags = flags, .data = data, .len = len};
    rc = eddy_server_connections(ws->srv, visit, &b);
    return rc < 0 ? rc : b.count;
}
