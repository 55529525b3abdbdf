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
 */
#include <string.h>

#include "eddy/coro.h"
#include "eddy/websocket.h"
#include "http_server.h" /* hs->upgrade, hs->user and resp->hs: the hook we chain into */

#define QUEUE_MAX (1024 * 1024)

enum { ST_OPEN = 0, ST_CLOSING, ST_CLOSED };

typedef struct qmsg_s {
    eddy_ws_session_msg_t m;
    struct qmsg_s *next;
} qmsg_t;

typedef struct reg_s reg_t;

struct eddy_ws_session_s {
    eddy_http_server_t *hs;
    eddy_server_t *srv;
    int fd;
    int state;
    reg_t *reg; /* NULL once the connection is gone (unregistered) */
    struct eddy_ws_session_s *next; /* in reg->list */
    eddy_ws_session_opts_t o;
    eddy_buf_t in;  /* frame bytes not consumed yet (unmasked in place) */
    eddy_buf_t msg; /* the assembler's buffer */
    eddy_buf_t out; /* frame assembly */
    eddy_buf_t zout; /* a deflated payload being pushed */
    eddy_ws_asm_t a;
    eddy_ws_deflate_t *deflate; /* owned; NULL unless permessage-deflate was negotiated */
    qmsg_t *head, *tail; /* delivered messages, owned */
    size_t qbytes;
    eddy_wait_t *waiter; /* recv's, on its coroutine's stack */
    unsigned busy;       /* > 0 while hook_data feeds it: recv is woken after, not inside */
    unsigned failed : 1; /* a close frame went out after a protocol error */
    unsigned paused : 1;
};

/* Installed in hs->upgrade.data while sessions exist. */
struct reg_s {
    eddy_http_server_t *hs;
    void *prev_data;
    void (*prev_upgrade)(void *data, int fd, eddy_http_request_t *req);
    void (*prev_data_cb)(void *data, int fd, const char *p, size_t len);
    void (*prev_close)(eddy_server_t *srv, int fd, int reactor_id);
    eddy_ws_session_t *list;
    unsigned busy; /* > 0 while a hook runs: the registry must outlive it */
};

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
    if (s->qbytes >= QUEUE_MAX && !s->paused && eddy_server_pause(s->srv, s->fd) == 0)
        s->paused = 1;
}

/* Sends a close frame (code 0: empty payload) and closes lingering, so
 * the peer reads the frame rather than a reset. */
static void send_close(eddy_ws_session_t *s, uint16_t code, const char *reason, size_t rl) {
    eddy_buf_clear(&s->out);
    if (eddy_ws_close_write(&s->out, code, reason, rl, NULL) < 0)
        eddy_ws_close_write(&s->out, code, NULL, 0, NULL);
    s->state = ST_CLOSING;
    if (eddy_server_send(s->srv, s->fd, s->out.data, s->out.len) == 0)
        eddy_server_close_linger(s->srv, s->fd);
    else
        eddy_server_close(s->srv, s->fd);
}

static void on_close_frame(eddy_ws_session_t *s, const eddy_ws_msg_t *m) {
    if (s->state != ST_OPEN) { /* the answer to our close: the handshake is done */
        eddy_server_close(s->srv, s->fd);
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
        if (s->state == ST_OPEN) enqueue(s, m, flags);
        break;
    case EDDY_WS_OP_PING:
        if (s->state != ST_OPEN) break;
        if (s->o.open_ping_frame) {
            enqueue(s, m, flags);
        } else {
            eddy_buf_clear(&s->out);
            eddy_ws_frame_write(&s->out, EDDY_WS_FIN, EDDY_WS_OP_PONG, m->data, m->len, NULL);
            eddy_server_send(s->srv, s->fd, s->out.data, s->out.len);
        }
        break;
    case EDDY_WS_OP_PONG:
        if (s->state == ST_OPEN && s->o.open_pong_frame) enqueue(s, m, flags);
        break;
    case EDDY_WS_OP_CLOSE:
        on_close_frame(s, m);
        break;
    default:
        break;
    }
}

static void feed(eddy_ws_session_t *s, const char *p, size_t len) {
    if (s->failed || s->state == ST_CLOSED) return;
    eddy_buf_append(&s->in, p, len);
    size_t off = 0;
    while (!s->failed && s->state != ST_CLOSED && off < s->in.len) {
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
    feed(s, p, len);
    s->busy--;
    if (s->head || s->state == ST_CLOSED) wake_reader(s);
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
        s->state = ST_CLOSED;
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

static int check(const eddy_http_request_t *req, char accept[EDDY_WS_ACCEPT_LEN + 1]) {
    /* RFC 6455 section 4.1: the handshake is a GET. */
    if (req->method_len != 3 || memcmp(req->method, "GET", 3) != 0) return EDDY_EWS_PROTOCOL;
    eddy_ws_upgrade_t u;
    u.upgrade = eddy_http_request_header(req, "upgrade", &u.upgrade_len);
    u.connection = eddy_http_request_header(req, "connection", &u.connection_len);
    u.version = eddy_http_request_header(req, "sec-websocket-version", &u.version_len);
    u.key = eddy_http_request_header(req, "sec-websocket-key", &u.key_len);
    return eddy_ws_handshake_check(&u, accept);
}

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
    if (!max) max = eddy_server_config(s->srv)->package_max_length;
    negotiate(s, req, ext);
    eddy_ws_limits_t lim = {.role = EDDY_WS_SERVER, .max_frame_size = max,
                            .max_message_size = max,
                            .rsv_allowed = s->deflate ? EDDY_WS_RSV1 : 0};
    eddy_ws_asm_init(&s->a, &lim, &s->msg, s->deflate);
    return s;
}

int eddy_ws_session_upgrade(eddy_http_request_t *req, eddy_http_response_t *resp,
                            const eddy_ws_session_opts_t *o, eddy_ws_session_t **out) {
    char accept[EDDY_WS_ACCEPT_LEN + 1];
    *out = NULL;
    if (!eddy_http_response_writable(resp)) return EDDY_ESESSION_CLOSED;
    /* Sessions ride the server engine's connections (send, pause, close
     * by session id); an HTTP server without one is not served yet. */
    if (!resp->hs->srv) return EDDY_EWRONG_OP;
    int rc = check(req, accept);
    if (rc < 0) {
        refuse(resp, rc);
        return EDDY_EWS_HANDSHAKE_FAILED;
    }
    eddy_buf_t ext; /* the negotiated extension's response value */
    eddy_buf_init(&ext);
    eddy_ws_session_t *s = session_new(req, resp, o, &ext);
    reg_t *r = reg_get(s->hs);
    /* Registered before the 101 leaves: its end hands the connection to
     * hook_upgrade, then the bytes the client sent early to hook_data. */
    s->reg = r;
    s->next = r->list;
    r->list = s;
    eddy_http_response_status(resp, 101, NULL);
    eddy_http_response_header(resp, "Upgrade", "websocket");
    eddy_http_response_header(resp, "Connection", "Upgrade");
    eddy_http_response_header(resp, "Sec-WebSocket-Accept", accept);
    eddy_http_response_header(resp, "Sec-WebSocket-Version", "13");
    if (ext.len) eddy_http_response_header(resp, "Sec-WebSocket-Extensions", ext.data);
    eddy_buf_free(&ext);
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
    if (s->paused && s->qbytes < QUEUE_MAX / 2 && s->state != ST_CLOSED &&
        eddy_server_resume(s->srv, s->fd) == 0)
        s->paused = 0;
}

int eddy_ws_session_recv(eddy_ws_session_t *s, eddy_ws_session_msg_t *m, int64_t timeout_ms) {
    memset(m, 0, sizeof(*m));
    if (s->waiter) return EDDY_ECO_HAS_BEEN_BOUND;
    for (;;) {
        if (s->head) {
            pop(s, m);
            return 0;
        }
        if (s->state == ST_CLOSED) return EDDY_ESESSION_CLOSED;
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
    if (s->state == ST_CLOSED) return EDDY_ESESSION_CLOSED;
    if (s->state != ST_OPEN) return EDDY_EWS_UNCONNECTED;
    int is_data = opcode >= EDDY_WS_OP_CONTINUATION && opcode <= EDDY_WS_OP_BINARY;
    int control = opcode >= EDDY_WS_OP_CLOSE && opcode <= EDDY_WS_OP_PONG;
    if (!is_data && !control) return EDDY_EWS_BAD_OPCODE;
    /* Section 5.5: control frames are whole and short. */
    if (control && (len > EDDY_WS_MAX_CONTROL || !(flags & EDDY_WS_FLAG_FIN))) return EDDY_EINVAL;
    uint8_t fin = (flags & EDDY_WS_FLAG_FIN) ? EDDY_WS_FIN : 0;
    eddy_buf_clear(&s->out);
    /* Whole text/binary messages only: a compressed message is one deflate
     * run whose first frame carries RSV1 (RFC 7692 section 6.1). Without a
     * negotiated stream COMPRESS is ignored (RSV1 clear is always valid). */
    if ((flags & EDDY_WS_FLAG_COMPRESS) && s->deflate && fin &&
        (opcode == EDDY_WS_OP_TEXT || opcode == EDDY_WS_OP_BINARY)) {
        eddy_buf_clear(&s->zout);
        int rc = eddy_ws_deflate_message(s->deflate, data, len, &s->zout);
        if (rc < 0) return rc;
        eddy_ws_frame_write(&s->out, fin | EDDY_WS_RSV1, (uint8_t)opcode, s->zout.data,
                            s->zout.len, NULL);
    } else {
        eddy_ws_frame_write(&s->out, fin, (uint8_t)opcode, data, len, NULL);
    }
    if (opcode == EDDY_WS_OP_CLOSE) s->state = ST_CLOSING; /* a close frame pushed by hand */
    return eddy_server_send(s->srv, s->fd, s->out.data, s->out.len);
}

int eddy_ws_session_ping(eddy_ws_session_t *s, const void *data, size_t len) {
    return eddy_ws_session_push(s, EDDY_WS_OP_PING, data, len, EDDY_WS_FLAG_FIN);
}

int eddy_ws_session_close(eddy_ws_session_t *s, int code, const char *reason, size_t rl) {
    if (s->state == ST_CLOSED) return EDDY_ESESSION_CLOSED;
    if (code && (code < 0 || code > 0xffff || !eddy_ws_close_code_valid((unsigned)code)))
        return EDDY_EINVAL;
    if (code && s->state == ST_OPEN) {
        eddy_buf_clear(&s->out);
        if (eddy_ws_close_write(&s->out, (uint16_t)code, reason, rl, NULL) < 0)
            return EDDY_EINVAL;
        s->state = ST_CLOSING;
        int rc = eddy_server_send(s->srv, s->fd, s->out.data, s->out.len);
        return rc == 0 ? eddy_server_close_linger(s->srv, s->fd) : rc;
    }
    s->state = ST_CLOSING;
    return eddy_server_close(s->srv, s->fd);
}

int eddy_ws_session_fd(const eddy_ws_session_t *s) { return s->fd; }

int eddy_ws_session_is_open(const eddy_ws_session_t *s) { return s->state == ST_OPEN; }

void eddy_ws_session_free(eddy_ws_session_t *s) {
    if (!s) return;
    s->paused = 0; /* nothing to resume: the connection ends here */
    if (s->reg) { /* the connection is still there: it ends with its session */
        unregister(s);
        eddy_server_close(s->srv, s->fd);
    }
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
