/*
 * Coroutine HTTP server (Swoole's Coroutine\Http\Server): the HTTP
 * server's connection state machine (http_conn.c) and response writer
 * (http_response.c) run over a coroutine socket instead of the server
 * engine's sessions. This file is the transport (hs_transport_t), the
 * accept loop, the per-connection read loop and the prefix router.
 *
 * A connection's coroutine reads and feeds eddy__hs_feed(), which parses
 * and calls the router, and so the handler, in that same coroutine: a
 * handler that waits holds only its own connection. Sends go straight to
 * the socket (send_all), so a response is on the wire, or failed, when
 * its call returns.
 *
 * A WebSocket session (ws_session_co.c) may take a connection over: after
 * the 101 the connection reads no more HTTP, the session reads and
 * writes the socket from the coroutines that call it, and once the
 * handler has returned the connection's coroutine only waits (hold) for
 * the session to close or let go. See co_http_ws.h.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "co_http_ws.h"
#include "eddy/socket.h"
#include "eddy/tls.h"
#include "http_server.h"

#define READ_CHUNK 16384
#define LINGER_MS 200           /* after a close: how long unread input is drained */
#define LINGER_MAX (64 * 1024)  /* and how much of it */
#define DEFAULT_BODY_MAX (2u * 1024 * 1024) /* Swoole's package_max_length */
#define DEFAULT_KEEPALIVE_MS 60000
#define STOP_POLL_MS 5
#define ACCEPT_RETRY_MS 100 /* out of fds: pause before accepting again */

typedef struct {
    char *prefix; /* owned */
    size_t len;
    eddy_http_request_cb cb;
    void *data;
} route_t;

typedef struct co_conn_s {
    eddy_co_http_t *co;
    eddy_socket_t *sock; /* owned: closed when the read loop ends */
    hs_conn_t *c;        /* owned by the state machine (eddy__hs_conn_gone frees it) */
    int64_t cid;         /* the reading coroutine */
    int closing; /* a close was asked: no more sends; 1: the loop lingers and ends, 2: ends */
    eddy_ws_session_t *ws; /* the WebSocket session that took the connection, not owned */
    eddy_wait_t *hold;     /* the coroutine's wait for that session, on its stack */
    struct co_conn_s *prev, *next;
    char rbuf[READ_CHUNK];
} co_conn_t;

struct eddy_co_http_s {
    eddy_http_server_t *hs; /* owned; srv NULL, tp = co_transport */
    eddy_socket_t *lsock;   /* owned; NULL when not listening or shut down */
    int port;
    int fd;
    int started;
    int stopping;
    int64_t io_ms; /* every read and send of a connection */
    route_t *routes;
    size_t nroutes;
    eddy_co_http_spawn_fn spawn;
    void *spawn_ud;
    co_conn_t *conns; /* live connections, for shutdown */
    size_t nconns;
    eddy_tls_ctx_t *tls;  /* one reference, owned; NULL: plain TCP */
    int64_t handshake_ms; /* bound of each connection's TLS handshake */
};

/* ---- transport ---------------------------------------------------------- */

static co_conn_t *CC(hs_conn_t *c) { return c ? c->tp_data : NULL; }

static int co_send(eddy_http_server_t *hs, hs_conn_t *c, int fd, const void *p, size_t len) {
    co_conn_t *cc = CC(c);
    (void)hs;
    (void)fd;
    if (!cc || cc->closing) return EDDY_ESESSION_CLOSED;
    ssize_t n = eddy_socket_send_all(cc->sock, p, len, cc->co->io_ms);
    if (n < 0) return (int)n;
    return (size_t)n == len ? 0 : EDDY_ECONNRESET;
}

/* The FIN goes after what was sent; the read loop sees `closing`, drains
 * a little (a reset would destroy the answer in flight) and closes. */
static void co_close(eddy_http_server_t *hs, hs_conn_t *c, int fd) {
    co_conn_t *cc = CC(c);
    (void)hs;
    (void)fd;
    if (!cc || cc->closing) return;
    cc->closing = 1;
    /* TLS: close_notify first, so that the client tells our end from a
     * truncation attack (a FIN alone is an "unexpected EOF" to OpenSSL 3) */
    if (eddy_socket_tls_ready(cc->sock)) eddy_socket_tls_shutdown(cc->sock, cc->co->io_ms);
    eddy_socket_shutdown(cc->sock, SHUT_WR);
}

static int co_remote(eddy_http_server_t *hs, hs_conn_t *c, int fd, char *ip, size_t iplen,
                     int *port) {
    co_conn_t *cc = CC(c);
    eddy_addr_t a;
    char host[128];
    int p = 0;
    (void)hs;
    (void)fd;
    if (!cc) return EDDY_ESESSION_CLOSED;
    int rc = eddy_socket_getpeername(cc->sock, &a);
    if (rc == 0) rc = eddy_addr_format(&a, host, sizeof(host), &p);
    if (rc < 0) return rc;
    if (ip && iplen) snprintf(ip, iplen, "%s", host);
    if (port) *port = p;
    return 0;
}

static int co_sendfile(eddy_http_server_t *hs, hs_conn_t *c, int fd, uint64_t off, uint64_t len) {
    co_conn_t *cc = CC(c);
    (void)hs;
    if (!cc || cc->closing) return EDDY_ESESSION_CLOSED;
    ssize_t n = eddy_socket_sendfile(cc->sock, fd, (int64_t)off, (size_t)len, cc->co->io_ms);
    if (n < 0) return (int)n;
    return (uint64_t)n == len ? 0 : EDDY_ECONNRESET;
}

static const hs_transport_t co_transport = {co_send, co_close, co_remote, co_sendfile};

/* ---- routing ------------------------------------------------------------ */

static const route_t *route_find(const eddy_co_http_t *co, const char *path, size_t n) {
    const route_t *best = NULL;
    for (size_t i = 0; i < co->nroutes; i++) {
        const route_t *r = &co->routes[i];
        if (r->len <= n && memcmp(r->prefix, path, r->len) == 0 && (!best || r->len > best->len))
            best = r;
    }
    return best;
}

/* The state machine's on_request. No handler: 404, keep-alive kept (as
 * Swoole answers). */
static void route(eddy_http_request_t *req, eddy_http_response_t *resp, void *data) {
    eddy_co_http_t *co = data;
    const route_t *r = route_find(co, req->path, req->path_len);
    if (r) {
        r->cb(req, resp, r->data);
        return;
    }
    static const char body[] = "<h1>404 Not Found</h1>";
    eddy_http_response_status(resp, 404, NULL);
    eddy_http_response_end(resp, body, sizeof(body) - 1);
}

int eddy_co_http_handle(eddy_co_http_t *co, const char *prefix, eddy_http_request_cb cb,
                        void *data) {
    if (!prefix || !*prefix || !cb) return EDDY_EINVAL;
    size_t n = strlen(prefix);
    for (size_t i = 0; i < co->nroutes; i++)
        if (co->routes[i].len == n && memcmp(co->routes[i].prefix, prefix, n) == 0) {
            co->routes[i].cb = cb;
            co->routes[i].data = data;
            return 0;
        }
    co->routes = eddy_realloc(co->routes, (co->nroutes + 1) * sizeof(*co->routes));
    co->routes[co->nroutes++] = (route_t){eddy_strdup(prefix), n, cb, data};
    return 0;
}

/* ---- connections -------------------------------------------------------- */

static co_conn_t *conn_new(eddy_co_http_t *co, eddy_socket_t *sock) {
    co_conn_t *cc = eddy_calloc(1, sizeof(*cc)); /* freed at the end of conn_run */
    hs_conn_t *c = eddy_calloc(1, sizeof(*c));   /* freed by eddy__hs_conn_free */
    c->fd = eddy_socket_fd(sock);
    eddy_buf_init(&c->in);
    eddy_buf_init(&c->pending);
    c->tp_data = cc;
    cc->co = co;
    cc->sock = sock;
    cc->c = c;
    cc->next = co->conns;
    if (co->conns) co->conns->prev = cc;
    co->conns = cc;
    co->nconns++;
    return cc;
}

static void conn_unlink(co_conn_t *cc) {
    eddy_co_http_t *co = cc->co;
    if (cc->prev) cc->prev->next = cc->next;
    else co->conns = cc->next;
    if (cc->next) cc->next->prev = cc->prev;
    co->nconns--;
}

/* Reads what the client still sends after our FIN, briefly, so that
 * closing with unread input does not reset the connection before the
 * client has read the answer. */
static void linger(co_conn_t *cc) {
    size_t total = 0;
    while (total < LINGER_MAX) {
        ssize_t n = eddy_socket_recv(cc->sock, cc->rbuf, sizeof(cc->rbuf), LINGER_MS);
        if (n <= 0) return;
        total += (size_t)n;
    }
}

/* Once stopping, the connection ends at its next idle moment: after the
 * response in flight (its handler runs here or in another coroutine). */
static int stop_now(co_conn_t *cc) {
    hs_conn_t *c = cc->c;
    if (!cc->co->stopping) return 0;
    while (c->state == S_WAIT && !cc->closing) eddy_coro_sleep(STOP_POLL_MS);
    return 1;
}

/* ---- WebSocket sessions (co_http_ws.h) ---------------------------------------- */

static co_conn_t *conn_by_fd(eddy_co_http_t *co, int fd) {
    for (co_conn_t *cc = co->conns; cc; cc = cc->next)
        if (cc->c->fd == fd) return cc;
    return NULL;
}

int eddy__co_http_ws_adopt(hs_conn_t *c, eddy_ws_session_t *s, eddy_socket_t **sock,
                           void **conn, int64_t *io_ms) {
    co_conn_t *cc = CC(c);
    if (!cc || cc->closing || cc->ws) return EDDY_ESESSION_CLOSED;
    cc->ws = s;
    *sock = cc->sock;
    *conn = cc;
    *io_ms = cc->co->io_ms;
    return 0;
}

void eddy__co_http_ws_started(void *conn) {
    co_conn_t *cc = conn;
    /* Not busy: no handler runs in the connection's coroutine, which is
     * then in its read (or its stop_now nap), the socket's other reader. */
    if (!cc->c->busy && cc->cid > 0 && cc->cid != eddy_coro_cid()) eddy_coro_cancel(cc->cid);
}

void eddy__co_http_ws_end(void *conn, int how, int release) {
    co_conn_t *cc = conn;
    if (release) cc->ws = NULL;
    if (cc->closing != 2 && (how == 2 || !cc->closing)) {
        eddy_socket_shutdown(cc->sock, how == 2 ? SHUT_RDWR : SHUT_WR);
        cc->closing = how;
    }
    eddy_wait_t *w = cc->hold;
    if (w) { /* the handler has returned: the connection ends now */
        cc->hold = NULL;
        eddy_coro_wake(w, 0);
    }
}

/* The state machine's on_upgrade: a 101 ended. Without a session (a 101
 * the handler wrote by hand) nobody could read the connection: it ends. */
static void ws_upgraded(void *data, int fd, eddy_http_request_t *req) {
    co_conn_t *cc = conn_by_fd(data, fd);
    (void)req;
    if (cc && !cc->ws && !cc->closing) {
        eddy_socket_shutdown(cc->sock, SHUT_RDWR);
        cc->closing = 2;
    }
}

/* What followed the handshake in the connection's input (early frames). */
static void ws_data(void *data, int fd, const char *p, size_t len) {
    co_conn_t *cc = conn_by_fd(data, fd);
    if (cc && cc->ws) eddy__wss_co_input(cc->ws, p, len);
}

static void hold_abort(eddy_wait_t *w) {
    co_conn_t *cc = w->data;
    cc->hold = NULL;
}

/* The handler returned with its session still open: the connection stays
 * until the session closes or lets go, or the server shuts down. */
static void hold(co_conn_t *cc) {
    while (cc->ws && !cc->closing && !cc->co->stopping) {
        eddy_wait_t w;
        memset(&w, 0, sizeof(w));
        w.data = cc;
        cc->hold = &w;
        int rc = eddy_coro_wait(&w, EDDY_WAIT_FOREVER, hold_abort);
        cc->hold = NULL;
        if (rc < 0) return; /* canceled: shutdown() */
    }
}

/* TLS on the accepted socket, handshake done: 0, or the connection ends
 * without a word (a plain-HTTP client, a silent one past the bound, a
 * shutdown canceling the wait). Runs in the connection's own coroutine so
 * that a slow handshake holds nobody else. */
static int tls_start(co_conn_t *cc) {
    eddy_co_http_t *co = cc->co;
    int rc = eddy_socket_tls_attach(cc->sock, co->tls, NULL);
    if (rc == 0) rc = eddy_socket_tls_handshake(cc->sock, co->handshake_ms);
    if (rc < 0) cc->closing = 2; /* nothing to linger for */
    return rc;
}

static void conn_run(co_conn_t *cc) {
    eddy_co_http_t *co = cc->co;
    hs_conn_t *c = cc->c;
    cc->cid = eddy_coro_cid();
    if (co->tls) tls_start(cc);
    while (!cc->closing) {
        if (cc->ws) { /* upgraded, its handler is done: the session reads */
            hold(cc);
            break;
        }
        if (stop_now(cc)) break;
        ssize_t n = eddy_socket_recv(cc->sock, cc->rbuf, sizeof(cc->rbuf), co->io_ms);
        if (n == EDDY_ECANCELED && (co->stopping || cc->ws)) continue; /* stop_now / hold decide */
        if (n <= 0) break; /* also canceled by someone else: the coroutine must end */
        eddy__hs_feed(co->hs, c, cc->rbuf, (size_t)n);
    }
    if (cc->ws) { /* ends before its session (shutdown): the session is told */
        eddy__wss_co_gone(cc->ws);
        cc->ws = NULL;
    }
    if (cc->closing == 1) linger(cc);
    conn_unlink(cc);
    c->tp_data = NULL; /* a response still held elsewhere now sends nothing */
    eddy__hs_conn_gone(co->hs, c);
    eddy_socket_close(cc->sock);
    eddy_free(cc);
}

static void conn_main(void *arg) { conn_run(arg); }

static int64_t default_spawn(void (*run)(void *arg), void *arg, void *ud) {
    (void)ud;
    return eddy_coro_create(run, arg);
}

void eddy_co_http_set_spawn(eddy_co_http_t *co, eddy_co_http_spawn_fn spawn, void *ud) {
    co->spawn = spawn ? spawn : default_spawn;
    co->spawn_ud = ud;
}

/* ---- lifecycle ---------------------------------------------------------- */

/* A state machine for co with these options, into co->hs (the old one,
 * if any, freed: no connection may hold it). */
static int configure(eddy_co_http_t *co, const eddy_http_server_opts_t *opts,
                     uint64_t package_max_length) {
    eddy_http_server_opts_t o = {0};
    eddy_http_server_t *hs;
    if (opts) o = *opts;
    o.on_request = route;
    o.data = co;
    o.events = NULL;
    o.enable_static_handler = 0; /* not a Coroutine\Http\Server option */
    int rc = eddy__hs_create(&hs, &o, package_max_length ? package_max_length : DEFAULT_BODY_MAX);
    if (rc < 0) return rc;
    hs->tp = &co_transport;
    hs->upgrade.data = co; /* WebSocket sessions: see co_http_ws.h */
    hs->upgrade.on_upgrade = ws_upgraded;
    hs->upgrade.on_data = ws_data;
    eddy_http_server_free(co->hs);
    co->hs = hs;
    co->io_ms = o.keepalive_timeout < 0    ? EDDY_WAIT_FOREVER
                : o.keepalive_timeout == 0 ? DEFAULT_KEEPALIVE_MS
                                           : (int64_t)(o.keepalive_timeout * 1000);
    return 0;
}

int eddy_co_http_new(eddy_co_http_t **out, const eddy_http_server_opts_t *opts,
                     uint64_t package_max_length) {
    *out = NULL;
    eddy_co_http_t *co = eddy_calloc(1, sizeof(*co));
    int rc = configure(co, opts, package_max_length);
    if (rc < 0) {
        eddy_free(co);
        return rc;
    }
    co->fd = -1;
    co->spawn = default_spawn;
    *out = co;
    return 0;
}

int eddy_co_http_configure(eddy_co_http_t *co, const eddy_http_server_opts_t *opts,
                           uint64_t package_max_length) {
    if (co->started || co->nconns) return EDDY_EWRONG_OP;
    return configure(co, opts, package_max_length);
}

void eddy_co_http_close_current(eddy_co_http_t *co) {
    int64_t self = eddy_coro_cid();
    for (co_conn_t *cc = co->conns; cc; cc = cc->next)
        if (cc->cid == self && self > 0) {
            if (!cc->closing) eddy_socket_shutdown(cc->sock, SHUT_RDWR);
            cc->closing = 2;
            return;
        }
}

static eddy_sock_type_t kind_of(const char **host) {
    if (strncmp(*host, "unix:/", 6) == 0) {
        *host += 5;
        return EDDY_SOCK_UNIX_STREAM;
    }
    return strchr(*host, ':') ? EDDY_SOCK_TCP6 : EDDY_SOCK_TCP;
}

int eddy_co_http_listen(eddy_co_http_t *co, const char *host, int port, int reuse_port) {
    int rc = 0, on = 1;
    if (co->lsock || co->started || !host || port < 0 || port > 65535) return EDDY_EINVAL;
    eddy_sock_type_t kind = kind_of(&host);
    eddy_socket_t *s = eddy_socket_new(kind, &rc);
    if (!s) return rc;
    if (reuse_port) rc = eddy_socket_setopt(s, SOL_SOCKET, SO_REUSEPORT, &on, sizeof(on));
    if (rc == 0) rc = eddy_socket_bind(s, host, port);
    if (rc == 0) rc = eddy_socket_listen(s, 512);
    if (rc < 0) {
        eddy_socket_close(s);
        return rc;
    }
    eddy_addr_t a;
    char h[128];
    co->port = port;
    if (kind != EDDY_SOCK_UNIX_STREAM && eddy_socket_getsockname(s, &a) == 0)
        eddy_addr_format(&a, h, sizeof(h), &co->port);
    co->lsock = s;
    co->fd = eddy_socket_fd(s);
    return 0;
}

/* 1: go on accepting, 0: stopped, < 0: the listening socket failed. */
static int accept_one(eddy_co_http_t *co, eddy_socket_t *ls) {
    int err = 0;
    eddy_socket_t *s = eddy_socket_accept(ls, EDDY_WAIT_FOREVER, &err);
    if (co->stopping) {
        if (s) eddy_socket_close(s);
        return 0;
    }
    if (!s) {
        if (err == -EMFILE || err == -ENFILE || err == -ENOBUFS || err == -ENOMEM ||
            err == -ECONNABORTED || err == EDDY_ETIMEDOUT) {
            eddy_coro_sleep(ACCEPT_RETRY_MS);
            return 1;
        }
        return err < 0 ? err : EDDY_ESYSCALL;
    }
    co_conn_t *cc = conn_new(co, s);
    if (co->spawn(conn_main, cc, co->spawn_ud) < 0) { /* no stack: drop this one */
        conn_unlink(cc);
        eddy__hs_conn_free(cc->c);
        eddy_socket_close(s);
        eddy_free(cc);
        eddy_coro_sleep(ACCEPT_RETRY_MS);
    }
    return 1;
}

int eddy_co_http_start(eddy_co_http_t *co) {
    if (!eddy_coro_current()) return EDDY_ECO_OUT_OF_COROUTINE;
    if (!co->lsock || co->started) return EDDY_EWRONG_OP;
    co->started = 1;
    int rc;
    do { /* a handler run during accept_one may have shut the server down */
        rc = co->stopping ? 0 : accept_one(co, co->lsock);
    } while (rc > 0);
    if (rc < 0) eddy_co_http_shutdown(co); /* the connections end too */
    while (co->nconns) eddy_coro_sleep(STOP_POLL_MS);
    co->started = 0;
    return rc;
}

void eddy_co_http_shutdown(eddy_co_http_t *co) {
    co->stopping = 1;
    if (co->lsock) {
        eddy_socket_close(co->lsock); /* wakes the accept with EDDY_EBADF */
        co->lsock = NULL;
        co->fd = -1;
    }
    /* Readers waiting for a next request stop now; one running a handler
     * (busy) sees `stopping` when it is done. */
    if (!co->nconns) return;
    /* By id, from a copy: a canceled reader runs at once and may end its
     * connection (unlinking it) before the cancel returns. */
    int64_t *ids = eddy_calloc(co->nconns, sizeof(*ids)), self = eddy_coro_cid();
    size_t n = 0;
    for (co_conn_t *cc = co->conns; cc; cc = cc->next) {
        if (!cc->c->busy && cc->cid > 0 && cc->cid != self) ids[n++] = cc->cid;
        /* A handler in a WebSocket session: its recv sees the end of input
         * (Swoole's '') and the handler decides; it may still push. */
        else if (cc->ws && !cc->closing) eddy_socket_shutdown(cc->sock, SHUT_RD);
    }
    for (size_t i = 0; i < n; i++) eddy_coro_cancel(ids[i]);
    eddy_free(ids);
}

int eddy_co_http_set_tls(eddy_co_http_t *co, eddy_tls_ctx_t *ctx, int64_t handshake_ms) {
    if (co->started || co->nconns) return EDDY_EWRONG_OP;
    if (ctx) eddy_tls_ctx_ref(ctx);
    eddy_tls_ctx_free(co->tls);
    co->tls = ctx;
    co->handshake_ms = handshake_ms > 0 ? handshake_ms : EDDY_CO_HTTP_HANDSHAKE_MS;
    return 0;
}

void eddy_co_http_free(eddy_co_http_t *co) {
    if (!co) return;
    if (co->lsock) eddy_socket_close(co->lsock);
    eddy_tls_ctx_free(co->tls);
    eddy_http_server_free(co->hs);
    for (size_t i = 0; i < co->nroutes; i++) eddy_free(co->routes[i].prefix);
    eddy_free(co->routes);
    eddy_free(co);
}

int eddy_co_http_port(const eddy_co_http_t *co) { return co->port; }

int eddy_co_http_fd(const eddy_co_http_t *co) { return co->fd; }
