/*
 * The transport of a WebSocket session on a coroutine HTTP server's
 * connection (ws_session.c does the handshake and the frames): the
 * session borrows the connection's socket (co_http.c keeps owning it) and
 * is read by recv, in its caller's coroutine, and written by push / ping /
 * close from any coroutine -- Swoole's chat room pushes to every member's
 * Response from the coroutine of the one who spoke.
 *
 * A send on a coroutine socket may wait (a slow reader fills the socket
 * buffer), and a frame must go out whole before the next one starts, so
 * writers take turns: `writing` marks the holder of s->out and of the
 * socket's write side, the others wait in s->wq, first come first served.
 */
#include <string.h>

#include "co_http_ws.h"
#include "ws_session_int.h"

#define READ_ROOM 16384 /* bytes asked of the socket per read */

int eddy__wss_co_attach(eddy_ws_session_t *s, eddy_http_response_t *resp) {
    if (!resp->conn) return EDDY_ESESSION_CLOSED;
    return eddy__co_http_ws_adopt(resp->conn, s, &s->sock, &s->conn, &s->io_ms);
}

void eddy__wss_co_started(eddy_ws_session_t *s) {
    if (s->conn) eddy__co_http_ws_started(s->conn);
}

void eddy__wss_co_input(eddy_ws_session_t *s, const char *p, size_t len) {
    eddy__wss_feed(s, p, len);
}

void eddy__wss_co_gone(eddy_ws_session_t *s) {
    s->state = WSS_CLOSED;
    s->sock = NULL;
    s->conn = NULL;
}

/* ---- writing --------------------------------------------------------------- */

static void lock_abort(eddy_wait_t *w) { eddy_waitq_remove(w); }

int eddy__wss_co_lock(eddy_ws_session_t *s) {
    /* A socket send outside a coroutine fails before writing anything:
     * say so here, rather than fail the send and close the connection. */
    if (!eddy_coro_current()) return EDDY_ECO_OUT_OF_COROUTINE;
    while (s->writing) {
        eddy_wait_t w;
        memset(&w, 0, sizeof(w));
        eddy_waitq_push(&s->wq, &w);
        int rc = eddy_coro_wait(&w, EDDY_WAIT_FOREVER, lock_abort);
        if (rc < 0) return rc; /* canceled; the unlocker did not pick us */
    }
    s->writing = 1;
    return 0;
}

void eddy__wss_co_unlock(eddy_ws_session_t *s) {
    s->writing = 0;
    eddy_wait_t *w = eddy_waitq_shift(&s->wq);
    if (w) eddy_coro_wake(w, 0); /* it runs now and takes the turn */
}

int eddy__wss_co_send(eddy_ws_session_t *s) {
    if (!s->sock) return EDDY_ESESSION_CLOSED;
    ssize_t n = eddy_socket_send_all(s->sock, s->out.data, s->out.len, s->io_ms);
    if (n >= 0 && (size_t)n == s->out.len) return 0;
    /* Part of a frame may be out: the stream cannot go on. */
    eddy__wss_co_close(s, 0);
    return n == EDDY_ETIMEDOUT ? EDDY_ETIMEDOUT : EDDY_ESESSION_CLOSED;
}

void eddy__wss_co_close(eddy_ws_session_t *s, int linger) {
    void *conn = s->conn;
    s->state = WSS_CLOSED;
    if (conn) eddy__co_http_ws_end(conn, linger ? 1 : 2, 0); /* may run eddy__wss_co_gone */
}

void eddy__wss_co_release(eddy_ws_session_t *s) {
    void *conn = s->conn;
    s->conn = NULL;
    s->sock = NULL;
    if (conn) eddy__co_http_ws_end(conn, 1, 1);
}

/* ---- reading --------------------------------------------------------------- */

int eddy__wss_co_fill(eddy_ws_session_t *s, int64_t deadline_ms) {
    int64_t left = EDDY_WAIT_FOREVER;
    if (deadline_ms >= 0) {
        left = deadline_ms - (int64_t)eddy_now_ms();
        if (left <= 0) return EDDY_ETIMEDOUT;
    }
    if (!s->sock) {
        s->state = WSS_CLOSED;
        return 0;
    }
    size_t room;
    eddy_buf_reserve(&s->in, READ_ROOM);
    char *tail = eddy_buf_tail(&s->in, &room);
    s->reading = 1;
    ssize_t n = eddy_socket_recv(s->sock, tail, room, left);
    s->reading = 0;
    if (n > 0) {
        eddy_buf_commit(&s->in, (size_t)n);
        eddy__wss_feed(s, NULL, 0);
        return 0;
    }
    if (!s->in.len) eddy_buf_free(&s->in);
    if (n == EDDY_ETIMEDOUT || n == EDDY_ECANCELED || n == EDDY_ECO_HAS_BEEN_BOUND)
        return (int)n;
    /* 0 (the peer closed), a reset, or the socket closed under us (the
     * server shut the connection): the session is over. */
    eddy__wss_co_close(s, 0);
    return 0;
}
