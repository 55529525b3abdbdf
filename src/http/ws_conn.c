/*
 * One upgraded connection: its bytes go through the message assembler
 * (ws_message.c), messages and control frames are delivered or answered
 * here, and protocol failures end the connection with the close code
 * RFC 6455 section 7.4.1 gives them.
 *
 * Input is copied into c->in (the assembler unmasks in place, and the
 * engine's buffer is const); what the assembler consumed is dropped after
 * each batch, so a large message streams through c->msg instead of
 * piling up in c->in.
 */
#include <string.h>

#include "ws_server.h"

/* c->msg keeps its memory between messages up to this; more is released
 * once the message is delivered (a 2 MiB message must not pin 2 MiB). */
#define MSG_KEEP_MAX (64 * 1024)

void eddy__ws_fail(eddy_ws_server_t *ws, ws_conn_t *c, uint16_t code, const char *reason,
                   size_t reason_len) {
    c->status = EDDY_WS_STATUS_CLOSING;
    c->failed = 1;
    eddy__ws_status_set(ws, c->fd, EDDY_WS_STATUS_CLOSING);
    eddy_buf_clear(&ws->out);
    if (eddy_ws_close_write(&ws->out, code, reason, reason_len, NULL) < 0)
        eddy_ws_close_write(&ws->out, code, NULL, 0, NULL);
    /* Lingering: the client may still be sending; a plain close with
     * unread input would reset the connection and could destroy the close
     * frame before the client reads it. */
    if (eddy_server_send(ws->srv, c->fd, ws->out.data, ws->out.len) == 0)
        eddy_server_close_linger(ws->srv, c->fd);
    else
        eddy_server_close(ws->srv, c->fd);
}

void eddy__ws_upgraded(void *data, int fd, eddy_http_request_t *req) {
    eddy_ws_server_t *ws = data;
    ws_conn_t *c = eddy__ws_conn_find(ws, fd);
    if (!c) c = eddy__ws_conn_new(ws, fd); /* a 101 the user's handshake sent itself */
    eddy_ws_limits_t lim = ws->limits;
    if (c->has_deflate) {
        c->deflate = eddy_calloc(1, sizeof(*c->deflate));
        if (eddy_ws_deflate_init(c->deflate, &c->dparams, EDDY_WS_SERVER, -1) < 0) {
            eddy_free(c->deflate);
            c->deflate = NULL;
            eddy__ws_fail(ws, c, EDDY_WS_CLOSE_SERVER_ERROR, NULL, 0);
            return;
        }
        lim.rsv_allowed = EDDY_WS_RSV1;
    }
    eddy_ws_asm_init(&c->a, &lim, &c->msg, c->deflate);
    c->status = EDDY_WS_STATUS_ACTIVE;
    eddy__ws_status_set(ws, fd, EDDY_WS_STATUS_ACTIVE);
    if (c->open_pending && ws->o.on_open) {
        c->open_pending = 0;
        c->busy++;
        ws->o.on_open(ws, fd, req);
        c->busy--;
        if (c->gone && !c->busy) eddy__ws_conn_free(c);
    }
}

static void deliver(eddy_ws_server_t *ws, ws_conn_t *c, const eddy_ws_msg_t *m) {
    int flags = EDDY_WS_FLAG_FIN | (m->compressed ? EDDY_WS_FLAG_COMPRESS : 0);
    ws->o.on_message(ws, c->fd, m->opcode, m->data, m->len, flags);
}

static void on_close_frame(eddy_ws_server_t *ws, ws_conn_t *c, const eddy_ws_msg_t *m) {
    if (c->status == EDDY_WS_STATUS_CLOSING) {
        /* The answer to our eddy_ws_disconnect(): the handshake is done. */
        eddy_server_close(ws->srv, c->fd);
        return;
    }
    if (ws->o.open_close_frame) deliver(ws, c, m);
    if (c->gone || c->status != EDDY_WS_STATUS_ACTIVE) return; /* the callback closed it */
    /* Section 5.5.1: answer with a close frame, echoing the status code
     * (and Swoole echoes the reason too); no code in, no code out. */
    uint16_t code = m->close_code == EDDY_WS_CLOSE_STATUS_ERROR ? 0 : m->close_code;
    eddy__ws_fail(ws, c, code, m->reason, m->reason_len);
}

static void handle(eddy_ws_server_t *ws, ws_conn_t *c, const eddy_ws_msg_t *m) {
    int active = c->status == EDDY_WS_STATUS_ACTIVE;
    switch (m->opcode) {
    case EDDY_WS_OP_TEXT:
    case EDDY_WS_OP_BINARY:
        if (active) deliver(ws, c, m);
        break;
    case EDDY_WS_OP_PING:
        if (!active) break;
        if (ws->o.open_ping_frame) {
            deliver(ws, c, m);
        } else if (eddy__ws_frame_build(ws, NULL, EDDY_WS_OP_PONG, m->data, m->len,
                                        EDDY_WS_FLAG_FIN) == 0) {
            eddy_server_send(ws->srv, c->fd, ws->out.data, ws->out.len);
        }
        break;
    case EDDY_WS_OP_PONG:
        if (active && ws->o.open_pong_frame) deliver(ws, c, m);
        break;
    case EDDY_WS_OP_CLOSE:
        on_close_frame(ws, c, m);
        break;
    default:
        break;
    }
}

/* Runs the assembler over c->in; returns the bytes it consumed. */
static size_t run(eddy_ws_server_t *ws, ws_conn_t *c) {
    size_t off = 0;
    while (!c->gone && !c->failed && off < c->in.len) {
        eddy_ws_msg_t m;
        ssize_t n = eddy_ws_asm_feed(&c->a, c->in.data + off, c->in.len - off, &m);
        if (n == 0) break;
        if (n < 0) {
            eddy__ws_fail(ws, c, eddy_ws_close_code_for((int)n), NULL, 0);
            break;
        }
        if (m.opcode != EDDY_WS_OP_NONE) handle(ws, c, &m); /* m points into c->in */
        off += (size_t)n;
        if (!c->gone && !c->a.in_message && c->msg.cap > MSG_KEEP_MAX) eddy_buf_free(&c->msg);
    }
    return off;
}

void eddy__ws_feed(void *data, int fd, const char *p, size_t len) {
    eddy_ws_server_t *ws = data;
    ws_conn_t *c = eddy__ws_conn_find(ws, fd);
    if (!c || c->failed || c->status < EDDY_WS_STATUS_ACTIVE) return;
    eddy_buf_append(&c->in, p, len);
    c->busy++;
    size_t used = run(ws, c);
    if (!c->gone) {
        eddy_buf_consume(&c->in, used);
        if (!c->in.len) eddy_buf_free(&c->in); /* idle connections hold no input buffer */
    }
    c->busy--;
    if (c->gone && !c->busy) eddy__ws_conn_free(c);
}
