/*
 * A WebSocket session inside an HTTP request handler (Swoole's
 * Http\Response::upgrade / push / recv / ping / close): the handler's
 * coroutine answers the handshake and then keeps the connection, reading
 * messages with a blocking (yielding) recv.
 *
 * The HTTP server has one upgrade hook (hs->upgrade), which a WebSocket
 * server may already hold. Sessions chain in front of it: the first
 * session of an HTTP server installs a small registry as the hook (and in
 * front of the user's on_close, to learn when a connection ends), keeps
 * the previous hooks and forwards to them every connection that is not a
 * session's; the last session gone puts them back. So a plain HTTP server
 * pays nothing until a handler upgrades, and the HTTP files need no edit.
 *
 * Frames are read as they arrive (not when recv runs), so pings are
 * answered and the close handshake completes while the handler is busy:
 * complete messages wait in a queue owned by the session; past QUEUE_MAX
 * queued bytes the connection stops being read (TCP back-pressure) until
 * recv drains it.
 *
 * A coroutine HTTP server has no server engine underneath: there the
 * session borrows the connection's socket (ws_session_co.c) and frames
 * are read by recv itself, in its caller's coroutine (as Swoole's
 * coroutine server does): pings are answered and the close handshake
 * completes when recv runs. The frame handling below serves both; only
 * the transport calls (tx_*) differ.
 */
#include <string.h>

#include "eddy/coro.h"
#include "eddy/websocket.h"
#include "http_server.h" /* hs->upgrade, hs->user and resp->hs: the hook we chain into */
#include "ws_internal.h"
#include "ws_session_int.h"

#define QUEUE_MAX (1024 * 1024)

/* Installed in hs->upgrade.data while sessions exist. */
struct wss_reg_s {
    eddy_http_server_t *hs;
    void *prev_data;
    void (*prev_upgrade)(void *data, int fd, eddy_http_request_t *req);
    void (*prev_data_cb)(void *data, int fd, const char *p, size_t len);
    void (*prev_close)(eddy_server_t *srv, int fd, int reactor_id);
    eddy_ws_session_t *list;
    unsigned busy; /* > 0 while a hook runs: the registry must outlive it */
};

typedef wss_reg_t reg_t;
typedef wss_qmsg_t qmsg_t;

/* ---- registry ------------------------------------------------------------ */

static void hook_upgrade(void *data, int fd, eddy_http_request_t *req);
static void hook_data(void *data, int fd, const char *p, size_t len);
static void hook_close(eddy_server_t *srv, int fd, int reactor_id);

static reg_t *reg_get(eddy_http_server_t *hs) {
    if (hs->upgrade.on_upgrade == hook_upgrade) return hs->upgrade.data;
    reg_t *r = eddy_calloc(1, sizeof(*r)); /* owned by hs's hook until the last session goes */
    r->hs = hs;
    r->prev_data = hs->upgrade.data;
    r->prev_upgrade = hs->upgrade.on_upgrade;
    r->prev_data_cb = hs->upgrade.on_data;
    r->prev_close = hs->user.on_close;
    hs->upgrade.data = r;
    hs->upgrade.on_upgrade = hook_upgrade;
    hs->upgrade.on_data = hook_data;
    hs->user.on_close = hook_close;
    return r;
}

static void reg_maybe_free(reg_t *r) {
    if (r->busy || r->list) return;
    eddy_http_server_t *hs = r->hs;
    hs->upgrade.data = r->prev_data;
    hs->upgrade.on_upgrade = r->prev_upgrade;
    hs->upgrade.on_data = r->prev_data_cb;
    hs->user.on_close = r->prev_close;
    eddy_free(r);
}

static eddy_ws_session_t *reg_find(reg_t *r, int fd) {
    for (eddy_ws_session_t *s = r->list; s; s = s->next)
        if (s->fd == fd) return s;
    return NULL;
}

/* Takes s out of its registry (which may then go). */
static void unregister(eddy_ws_session_t *s) {
    reg_t *r = s->reg;
    if (!r) return;
    for (eddy_ws_session_t **p = &r->list; *p; p = &(*p)->next) {
        if (*p == s) {
            *p = s->next;
            break;
        }
    }
    s->reg = NULL;
    reg_maybe_free(r);
}

/* ---- transport ------------------------------------------------------------ */

/* Frames are built in s->out and sent with tx_send between tx_begin and
 * tx_end. Through the server engine a send only queues, so these are
 * plain calls; on a coroutine socket a send may wait, so the buffer (and
 * the deflate stream) belong to one coroutine at a time. */
static int tx_begin(eddy_ws_session_t *s) {
    int rc = s->srv ? 0 : eddy__wss_co_lock(s);
    if (rc == 0) eddy_buf_clear(&s->out);
    return rc;
}

static void tx_end(eddy_ws_session_t *s) {
    if (!s->srv) eddy__wss_co_unlock(s);
}

static int tx_send(eddy_ws_session_t *s) {
    if (!s->srv) return eddy__wss_co_send(s);
    return eddy_server_send(s->srv, s->fd, s->out.data, s->out.len);
}

/* Ends the connection; linger: after what was sent, reading the peer's
 * last bytes briefly so that a close frame is not lost to a reset. */
static int tx_close(eddy_ws_session_t *s, int linger) {
    if (!s->srv) {
        eddy__wss_co_close(s, linger);
        return 0;
    }
    return linger ? eddy_server_close_linger(s->srv, s->fd) : eddy_server_close(s->srv, s->fd);
}

/* ---- reading ------------------------------------------------------------- */

/* Hands the queue's news to a waiting recv. Switches to its coroutine
 * now, which may free s: callers touch nothing of s afterwards. */
static void wake_reader(eddy_ws_session_t *s) {
    eddy_wait_t *w = s->waiter;
    if (!w) return;
    s->waiter = NULL;
    eddy_coro_wake(w, 0);
}

static void enqueue(eddy_ws_session_t *s, const eddy_ws_msg_t *m, int flags) {
    qmsg_t *q = eddy_calloc(1, sizeof(*q)); /* owned by the queue, then by recv's caller */
    q->m.opcode = m->opcode;
    q->m.flags = flags;
    q->m.len = m->len;
    q->m.data = eddy_malloc(m->len + 1);
    if (m->len) memcpy(q->m.data, m->data, m->len);
    q->m.data[m->len] = '\0';
    if (m->opcode == EDDY_WS_OP_CLOSE) {
        q->m.close_code = m->close_code;
        q->m.reason_len = m->reason_len;
        /* The reason sits in the payload, after the 2-byte code. */
        q->m.reason = m->reason_len ? q->m.data + (m->reason - m->data) : q->m.data + m->len;
    }
    if (s->tail) s->tail->next = q;
    else s->head = q;
    s->tail = q;
    s->qbytes += m->len + sizeof(*q);
    /* Through the engine only: a coroutine session reads when recv asks. */
    if (s->srv && s->qbytes >= QUEUE_MAX && !s->paused && eddy_server_pause(s->srv, s->fd) == 0)
        s->paused = 1;
}

/* Sends a close frame (code 0: empty payload) and closes lingering, so
 * the peer reads the frame rather than a reset. */
static void send_close(eddy_ws_session_t *s, uint16_t code, const char *reason, size_t rl) {
    s->state = WSS_CLOSING;
    if (tx_begin(s) < 0) { /* canceled while waiting to write: no frame */
        tx_close(s, 0);
        return;
    }
    if (eddy_ws_close_write(&s->out, code, reason, rl, NULL) < 0)
        eddy_ws_close_write(&s->out, code, NULL, 0, NULL);
    int rc = tx_send(s);
    tx_end(s);
    tx_close(s, rc == 0);
}

static void on_close_frame(eddy_ws_session_t *s, const eddy_ws_msg_t *m) {
    if (s->state != WSS_OPEN) { /* the answer to our close: the handshake is done */
        tx_close(s, 0);
        return;
    }
    enqueue(s, m, EDDY_WS_FLAG_FIN); /* recv returns it (Swoole's CloseFrame) */
    /* RFC 6455 section 5.5.1: answer with the same code (none in, none out). */
    uint16_t code = m->close_code == EDDY_WS_CLOSE_STATUS_ERROR ? 0 : m->close_code;
    send_close(s, code, m->reason, m->reason_len);
}

static void handle(eddy_ws_session_t *s, const eddy_ws_msg_t *m) {
    int flags = EDDY_WS_FLAG_FIN | (m->compressed ? EDDY_WS_FLAG_COMPRESS : 0);
    switch (m->opcode) {
    case EDDY_WS_OP_TEXT:
    case EDDY_WS_OP_BINARY:
        if (s->state == WSS_OPEN) enqueue(s, m, flags);
        break;
    case EDDY_WS_OP_PING:
        if (s->state != WSS_OPEN) break;
        if (s->o.open_ping_frame) {
            enqueue(s, m, flags);
        } else {
            if (tx_begin(s) < 0) break;
            eddy_ws_frame_write(&s->out, EDDY_WS_FIN, EDDY_WS_OP_PONG, m->data, m->len, NULL);
            tx_send(s); /* a failure closes (co) or is the engine's to report */
            tx_end(s);
        }
        break;
    case EDDY_WS_OP_PONG:
        if (s->state == WSS_OPEN && s->o.open_pong_frame) enqueue(s, m, flags);
        break;
    case EDDY_WS_OP_CLOSE:
        on_close_frame(s, m);
        break;
    default:
        break;
    }
}

void eddy__wss_feed(eddy_ws_session_t *s, const char *p, size_t len) {
    if (s->failed || s->state == WSS_CLOSED) return;
    if (len) eddy_buf_append(&s->in, p, len);
    size_t off = 0;
    while (!s->failed && s->state != WSS_CLOSED && off < s->in.len) {
        eddy_ws_msg_t m;
        ssize_t n = eddy_ws_asm_feed(&s->a, s->in.data + off, s->in.len - off, &m);
        if (n == 0) break;
        if (n < 0) { /* 1002 / 1007 / 1009 as the error says; the rest is ignored */
            s->failed = 1;
            send_close(s, eddy_ws_close_code_for((int)n), NULL, 0);
            break;
        }
        if (m.opcode != EDDY_WS_OP_NONE) handle(s, &m); /* m points into s->in */
        off += (size_t)n;
    }
    eddy_buf_consume(&s->in, off);
    if (!s->in.len) eddy_buf_free(&s->in);
}

/* ---- hooks (chained in front of the previous owner's) ---------------------- */

static void hook_upgrade(void *data, int fd, eddy_http_request_t *req) {
    reg_t *r = data;
    if (reg_find(r, fd)) return; /* set up before the 101 was sent */
    if (r->prev_upgrade) {
        r->prev_upgrade(r->prev_data, fd, req);
        return;
    }
    /* A 101 the handler wrote by hand, with no session and no WebSocket
     * server to take the connection: nobody could read it, so it ends. */
    eddy_server_close(r->hs->srv, fd);
}

static void hook_data(void *data, int fd, const char *p, size_t len) {
    reg_t *r = data;
    eddy_ws_session_t *s = reg_find(r, fd);
    if (!s) {
        if (r->prev_data_cb) r->prev_data_cb(r->prev_data, fd, p, len);
        return;
    }
    r->busy++;
    s->busy++;
    eddy__wss_feed(s, p, len);
    s->busy--;
    if (s->head || s->state == WSS_CLOSED) wake_reader(s);
    r->busy--;
    reg_maybe_free(r);
}

/* The engine closed a connection (any reason): a session's recv wakes
 * and learns it; others go on to the previous on_close. */
static void hook_close(eddy_server_t *srv, int fd, int reactor_id) {
    eddy_http_server_t *hs = eddy_server_data(srv); /* the HTTP server's events */
    reg_t *r = hs->upgrade.data;
    void (*prev)(eddy_server_t *, int, int) = r->prev_close;
    r->busy++;
    eddy_ws_session_t *s = reg_find(r, fd);
    if (s) {
        s->state = WSS_CLOSED;
        s->paused = 0;
        unregister(s);
        /* A close the engine reports synchronously from inside feed()
         * (eddy_server_close there) must not run the reader, which may
         * free s, under feed's feet: hook_data wakes it once done. */
        if (!s->busy) wake_reader(s);
    }
    r->busy--;
    reg_maybe_free(r);
    if (prev) prev(srv, fd, reactor_id);
}

/* ---- handshake ------------------------------------------------------------ */

static void refuse(eddy_http_response_t *resp, int err) {
    /* Section 4.4: another version gets 426 with the one we speak. */
    int status = err == EDDY_EWS_VERSION ? 426 : 400;
    eddy_http_response_status(resp, status, NULL);
    if (status == 426) eddy_http_response_header(resp, "Sec-WebSocket-Version", "13");
    const char *body = status == 426 ? "<h1>426 Upgrade Required</h1>\n"
                                     : "<h1>400 Bad Request</h1>\n";
    eddy_http_response_end(resp, body, strlen(body));
}

/* permessage-deflate (RFC 7692) when asked for and offered: the value of
 * the response's Sec-WebSocket-Extensions goes to ext; a stream that
 * cannot be set up leaves the session uncompressed (ext cleared). */
static void negotiate(eddy_ws_session_t *s, const eddy_http_request_t *req, eddy_buf_t *ext) {
    size_t n;
    const char *offer = eddy_http_request_header(req, "sec-websocket-extensions", &n);
    eddy_ws_deflate_params_t dp;
    if (!s->o.compression || !offer || !eddy_ws_deflate_negotiate(offer, n, NULL, &dp, ext))
        return;
    s->deflate = eddy_calloc(1, sizeof(*s->deflate)); /* owned by s */
    if (eddy_ws_deflate_init(s->deflate, &dp, EDDY_WS_SERVER, -1) < 0) {
        eddy_free(s->deflate);
        s->deflate = NULL;
        eddy_buf_clear(ext);
    }
}

static eddy_ws_session_t *session_new(eddy_http_request_t *req, eddy_http_response_t *resp,
                                      const eddy_ws_session_opts_t *o, eddy_buf_t *ext) {
    eddy_ws_session_t *s = eddy_calloc(1, sizeof(*s)); /* the caller's, eddy_ws_session_free */
    s->hs = resp->hs;
    s->srv = resp->hs->srv;
    s->fd = resp->fd;
    if (o) s->o = *o;
    size_t max = s->o.max_message_size;
    if (!max)
        max = s->srv ? eddy_server_config(s->srv)->package_max_length : s->hs->popts.body_max_size;
    negotiate(s, req, ext);
    eddy_ws_limits_t lim = {.role = EDDY_WS_SERVER, .max_frame_size = max,
                            .max_message_size = max,
                            .rsv_allowed = s->deflate ? EDDY_WS_RSV1 : 0};
    eddy_ws_asm_init(&s->a, &lim, &s->msg, s->deflate);
    return s;
}

static void head_101(eddy_http_response_t *resp, const char *accept, eddy_buf_t *ext) {
    eddy_http_response_status(resp, 101, NULL);
    eddy_http_response_header(resp, "Upgrade", "websocket");
    eddy_http_response_header(resp, "Connection", "Upgrade");
    eddy_http_response_header(resp, "Sec-WebSocket-Accept", accept);
    eddy_http_response_header(resp, "Sec-WebSocket-Version", "13");
    if (ext->len) eddy_http_response_header(resp, "Sec-WebSocket-Extensions", ext->data);
    eddy_buf_free(ext);
}

/* A coroutine HTTP server's connection: the session takes its socket
 * before the 101 leaves, so that frames sent with the handshake reach it. */
static int upgrade_co(eddy_ws_session_t *s, eddy_http_response_t *resp, const char *accept,
                      eddy_buf_t *ext, eddy_ws_session_t **out) {
    int rc = eddy__wss_co_attach(s, resp);
    if (rc == 0) {
        head_101(resp, accept, ext);
        rc = eddy_http_response_end(resp, NULL, 0);
    }
    eddy_buf_free(ext);
    if (rc < 0) {
        eddy_ws_session_free(s);
        return rc;
    }
    eddy__wss_co_started(s);
    *out = s;
    return 0;
}

int eddy_ws_session_upgrade(eddy_http_request_t *req, eddy_http_response_t *resp,
                            const eddy_ws_session_opts_t *o, eddy_ws_session_t **out) {
    char accept[EDDY_WS_ACCEPT_LEN + 1];
    *out = NULL;
    if (!eddy_http_response_writable(resp)) return EDDY_ESESSION_CLOSED;
    int rc = eddy__ws_request_check(req, accept);
    if (rc < 0) {
        refuse(resp, rc);
        return EDDY_EWS_HANDSHAKE_FAILED;
    }
    eddy_buf_t ext; /* the negotiated extension's response value */
    eddy_buf_init(&ext);
    eddy_ws_session_t *s = session_new(req, resp, o, &ext);
    if (!s->srv) return upgrade_co(s, resp, accept, &ext, out);
    reg_t *r = reg_get(s->hs);
    /* Registered before the 101 leaves: its end hands the connection to
     * hook_upgrade, then the bytes the client sent early to hook_data. */
    s->reg = r;
    s->next = r->list;
    r->list = s;
    head_101(resp, accept, &ext);
    r->busy++;
    rc = eddy_http_response_end(resp, NULL, 0);
    r->busy--;
    if (rc < 0) {
        unregister(s);
        eddy_ws_session_free(s);
        return rc;
    }
    reg_maybe_free(r);
    *out = s;
    return 0;
}

/* ---- I/O ------------------------------------------------------------------ */

static void recv_abort(eddy_wait_t *w) {
    eddy_ws_session_t *s = w->data;
    s->waiter = NULL;
}

static void pop(eddy_ws_session_t *s, eddy_ws_session_msg_t *m) {
    qmsg_t *q = s->head;
    s->head = q->next;
    if (!s->head) s->tail = NULL;
    s->qbytes -= q->m.len + sizeof(*q);
    *m = q->m; /* data moves to the caller */
    eddy_free(q);
    if (s->paused && s->qbytes < QUEUE_MAX / 2 && s->state != WSS_CLOSED &&
        eddy_server_resume(s->srv, s->fd) == 0)
        s->paused = 0;
}

int eddy_ws_session_recv(eddy_ws_session_t *s, eddy_ws_session_msg_t *m, int64_t timeout_ms) {
    memset(m, 0, sizeof(*m));
    if (s->waiter || s->reading) return EDDY_ECO_HAS_BEEN_BOUND;
    int64_t deadline = timeout_ms < 0 ? -1 : (int64_t)eddy_now_ms() + timeout_ms;
    for (;;) {
        if (s->head) {
            pop(s, m);
            return 0;
        }
        if (s->state == WSS_CLOSED) return EDDY_ESESSION_CLOSED;
        if (!s->srv) { /* a coroutine server's: read the socket here */
            int rc = eddy__wss_co_fill(s, deadline);
            if (rc < 0) return rc;
            continue;
        }
        eddy_wait_t w;
        memset(&w, 0, sizeof(w));
        w.data = s;
        s->waiter = &w;
        int rc = eddy_coro_wait(&w, timeout_ms, recv_abort);
        s->waiter = NULL;
        if (rc < 0) return rc;
    }
}

void eddy_ws_session_msg_release(eddy_ws_session_msg_t *m) {
    eddy_free(m->data);
    memset(m, 0, sizeof(*m));
}

int eddy_ws_session_push(eddy_ws_session_t *s, int opcode, const void *data, size_t len,
                         int flags) {
    if (s->state == WSS_CLOSED) return EDDY_ESESSION_CLOSED;
    if (s->state != WSS_OPEN) return EDDY_EWS_UNCONNECTED;
    int is_data = opcode >= EDDY_WS_OP_CONTINUATION && opcode <= EDDY_WS_OP_BINARY;
    int control = opcode >= EDDY_WS_OP_CLOSE && opcode <= EDDY_WS_OP_PONG;
    if (!is_data && !control) return EDDY_EWS_BAD_OPCODE;
    /* Section 5.5: control frames are whole and short. */
    if (control && (len > EDDY_WS_MAX_CONTROL || !(flags & EDDY_WS_FLAG_FIN))) return EDDY_EINVAL;
    uint8_t fin = (flags & EDDY_WS_FLAG_FIN) ? EDDY_WS_FIN : 0;
    int rc = tx_begin(s);
    if (rc < 0) return rc;
    if (s->state != WSS_OPEN) { /* closed while this push waited for its turn */
        tx_end(s);
        return s->state == WSS_CLOSED ? EDDY_ESESSION_CLOSED : EDDY_EWS_UNCONNECTED;
    }
    /* Whole text/binary messages only: a compressed message is one deflate
     * run whose first frame carries RSV1 (RFC 7692 section 6.1). Without a
     * negotiated stream COMPRESS is ignored (RSV1 clear is always valid). */
    if ((flags & EDDY_WS_FLAG_COMPRESS) && s->deflate && fin &&
        (opcode == EDDY_WS_OP_TEXT || opcode == EDDY_WS_OP_BINARY)) {
        eddy_buf_clear(&s->zout);
        rc = eddy_ws_deflate_message(s->deflate, data, len, &s->zout);
        if (rc < 0) {
            tx_end(s);
            return rc;
        }
        eddy_ws_frame_write(&s->out, fin | EDDY_WS_RSV1, (uint8_t)opcode, s->zout.data,
                            s->zout.len, NULL);
    } else {
        eddy_ws_frame_write(&s->out, fin, (uint8_t)opcode, data, len, NULL);
    }
    if (opcode == EDDY_WS_OP_CLOSE) s->state = WSS_CLOSING; /* a close frame pushed by hand */
    rc = tx_send(s);
    tx_end(s);
    return rc;
}

int eddy_ws_session_ping(eddy_ws_session_t *s, const void *data, size_t len) {
    return eddy_ws_session_push(s, EDDY_WS_OP_PING, data, len, EDDY_WS_FLAG_FIN);
}

int eddy_ws_session_close(eddy_ws_session_t *s, int code, const char *reason, size_t rl) {
    if (s->state == WSS_CLOSED) return EDDY_ESESSION_CLOSED;
    if (code && (code < 0 || code > 0xffff || !eddy_ws_close_code_valid((unsigned)code)))
        return EDDY_EINVAL;
    if (code && s->state == WSS_OPEN) {
        int rc = tx_begin(s);
        if (rc < 0) return rc;
        if (eddy_ws_close_write(&s->out, (uint16_t)code, reason, rl, NULL) < 0) {
            tx_end(s);
            return EDDY_EINVAL;
        }
        if (s->state == WSS_OPEN) { /* else closed while this waited: no frame */
            s->state = WSS_CLOSING;
            rc = tx_send(s);
        }
        tx_end(s);
        if (rc < 0) return rc;
        return s->state == WSS_CLOSED ? EDDY_ESESSION_CLOSED : tx_close(s, 1);
    }
    s->state = WSS_CLOSING;
    return tx_close(s, 0);
}

int eddy_ws_session_fd(const eddy_ws_session_t *s) { return s->fd; }

int eddy_ws_session_is_open(const eddy_ws_session_t *s) { return s->state == WSS_OPEN; }

void eddy_ws_session_free(eddy_ws_session_t *s) {
    if (!s) return;
    s->paused = 0; /* nothing to resume: the connection ends here */
    if (s->reg) { /* the connection is still there: it ends with its session */
        unregister(s);
        eddy_server_close(s->srv, s->fd);
    }
    if (!s->srv) eddy__wss_co_release(s);
    while (s->head) {
        eddy_ws_session_msg_t m;
        pop(s, &m);
        eddy_free(m.data);
    }
    eddy_buf_free(&s->in);
    eddy_buf_free(&s->msg);
    eddy_buf_free(&s->out);
    eddy_buf_free(&s->zout);
    if (s->deflate) {
        eddy_ws_deflate_close(s->deflate);
        eddy_free(s->deflate);
    }
    eddy_free(s);
}
