/*
 * Buffered and framed reads on a coroutine socket: recv_with_buffer,
 * recv_line, recv_packet (EOF / length framing, include/eddy/framing.h),
 * plus the never-waiting peek and liveness check.
 *
 * The socket's read buffer holds bytes read ahead and not yet handed out.
 * recv_packet lends the head of it to the caller (rbuf_hold) instead of
 * copying; the loan is repaid (consumed) at the start of the next read, so
 * a message is copied once, by the caller. Every other read takes from the
 * buffer first (eddy__sock_rbuf_take), so mixing calls keeps the stream in
 * order.
 */
#include <string.h>
#include <sys/socket.h>

#include "net/socket_int.h"
#include "net/tls_int.h"

/* ---- the buffer -------------------------------------------------------- */

/* Drops what recv_packet lent out; called before any look at rbuf. */
static void rbuf_settle(eddy_socket_t *s) {
    if (!s->rbuf_hold) return;
    eddy_buf_consume(&s->rbuf, s->rbuf_hold);
    s->rbuf_hold = 0;
    s->scan_hint = 0;
}

size_t eddy__sock_rbuf_take(eddy_socket_t *s, void *dst, size_t len) {
    rbuf_settle(s);
    size_t n = s->rbuf.len < len ? s->rbuf.len : len;
    if (n == 0) return 0;
    memcpy(dst, s->rbuf.data, n);
    eddy_buf_consume(&s->rbuf, n);
    s->scan_hint = 0; /* the framing scan restarts on the new head */
    return n;
}

void eddy__sock_rbuf_free(eddy_socket_t *s) { eddy_buf_free(&s->rbuf); }

typedef struct {
    char *buf;
    size_t len;
} tail_t;

static ssize_t try_recv_tail(eddy_socket_t *s, void *ctx) {
    tail_t *t = ctx;
    if (s->tls) return eddy__tls_read(s, t->buf, t->len);
    ssize_t n = EDDY__NO_EINTR(recv(s->fd, t->buf, t->len, 0));
    return n >= 0 ? n : eddy__sock_sys_err();
}

/* One recv of up to a chunk onto the end of rbuf, waiting under dl:
 * bytes added, 0 when the peer closed, or an error. */
static ssize_t rbuf_fill(eddy_socket_t *s, const eddy__deadline_t *dl) {
    eddy_buf_reserve(&s->rbuf, EDDY_SOCKET_READ_CHUNK);
    tail_t t;
    t.buf = eddy_buf_tail(&s->rbuf, &t.len);
    ssize_t n = eddy__sock_io_retry(s, EDDY_READ, dl, try_recv_tail, &t);
    if (n > 0) eddy_buf_commit(&s->rbuf, (size_t)n);
    return n;
}

/* enter + the one-reader rule + the read deadline; 0 or an error (for
 * which the caller must still leave). */
static int read_begin(eddy_socket_t *s, int64_t timeout_ms, eddy__deadline_t *dl) {
    int rc = eddy__sock_check_bound(s, EDDY_READ);
    if (rc < 0) return rc;
    *dl = eddy__deadline(timeout_ms, s->timeout_read);
    rbuf_settle(s);
    return 0;
}

/* ---- recv_with_buffer / recv_line -------------------------------------- */

ssize_t eddy_socket_recv_with_buffer(eddy_socket_t *s, void *buf, size_t len,
                                     int64_t timeout_ms) {
    eddy__deadline_t dl;
    ssize_t rc = eddy__sock_enter(s);
    if (rc < 0) return rc;
    if ((rc = read_begin(s, timeout_ms, &dl)) == 0 && s->rbuf.len == 0 && len > 0)
        rc = rbuf_fill(s, &dl);
    if (rc >= 0) rc = (ssize_t)eddy__sock_rbuf_take(s, buf, len);
    return eddy__sock_leave(s, rc);
}

/* Size of the line at the head of rbuf (through "\n", or len bytes), or 0
 * when more is needed. *scanned skips bytes already searched. */
static size_t line_size(const eddy_buf_t *b, size_t len, size_t *scanned) {
    size_t limit = b->len < len ? b->len : len;
    if (limit == 0) return 0; /* b->data may still be NULL */
    const char *nl = memchr(b->data + *scanned, '\n', limit - *scanned);
    if (nl) return (size_t)(nl - b->data) + 1;
    *scanned = limit;
    return limit == len ? len : 0;
}

ssize_t eddy_socket_recv_line(eddy_socket_t *s, void *buf, size_t len, int64_t timeout_ms) {
    eddy__deadline_t dl;
    size_t scanned = 0, n;
    ssize_t got = 1, rc = eddy__sock_enter(s);
    if (rc < 0) return rc;
    if (len == 0 || (rc = read_begin(s, timeout_ms, &dl)) < 0) return eddy__sock_leave(s, rc);
    while ((n = line_size(&s->rbuf, len, &scanned)) == 0) {
        if ((got = rbuf_fill(s, &dl)) <= 0) break;
    }
    /* Peer closed mid-line: hand out what there is (0 if nothing). */
    if (got == 0) n = s->rbuf.len < len ? s->rbuf.len : len;
    rc = got < 0 ? got : (ssize_t)eddy__sock_rbuf_take(s, buf, n);
    return eddy__sock_leave(s, rc);
}

/* ---- framed messages --------------------------------------------------- */

int eddy_socket_set_framing(eddy_socket_t *s, const eddy_framing_t *f) {
    if (f && (f->mode < EDDY_FRAMING_NONE || f->mode > EDDY_FRAMING_LENGTH)) return EDDY_EINVAL;
    if (f)
        s->framing = *f;
    else
        eddy_framing_init_none(&s->framing);
    s->scan_hint = 0;
    return 0;
}

/* A splitter error: the buffered bytes can no longer be framed, so they
 * go; the message names the limit, as the server logs it. */
static ssize_t framing_error(eddy_socket_t *s, ssize_t err) {
    size_t buffered = s->rbuf.len;
    eddy_buf_clear(&s->rbuf);
    s->scan_hint = 0;
    if (err == EDDY_EMSGSIZE)
        return eddy__sock_set_err(s, EDDY_EPACKAGE_TOO_LARGE,
                                  "packet is too big: over package_max_length (%zu), "
                                  "%zu bytes buffered",
                                  s->framing.package_max_length, buffered);
    if (err == EDDY_EPROTOCOL)
        return eddy__sock_set_err(s, EDDY_EPROTOCOL, "malformed packet length field");
    return err;
}

ssize_t eddy_socket_recv_packet(eddy_socket_t *s, const char **msg, int64_t timeout_ms) {
    eddy__deadline_t dl;
    ssize_t rc = eddy__sock_enter(s);
    if (rc < 0) return rc;
    if ((rc = read_begin(s, timeout_ms, &dl)) < 0) return eddy__sock_leave(s, rc);
    for (;;) {
        rc = s->rbuf.len ? eddy_framing_parse(&s->framing, s->rbuf.data, s->rbuf.len,
                                              &s->scan_hint)
                         : 0;
        if (rc != 0) break;
        if ((rc = rbuf_fill(s, &dl)) <= 0) break;
    }
    if (rc > 0) {
        *msg = s->rbuf.data;
        s->rbuf_hold = (size_t)rc;
    } else if (rc < 0 && (rc == EDDY_EMSGSIZE || rc == EDDY_EPROTOCOL)) {
        rc = framing_error(s, rc);
    }
    return eddy__sock_leave(s, rc);
}

/* ---- peek / liveness --------------------------------------------------- */

ssize_t eddy_socket_peek(eddy_socket_t *s, void *buf, size_t len) {
    ssize_t rc = eddy__sock_enter(s);
    if (rc < 0) return rc;
    rbuf_settle(s);
    size_t have = s->rbuf.len < len ? s->rbuf.len : len;
    if (have) memcpy(buf, s->rbuf.data, have);
    rc = (ssize_t)have;
    if (have < len) {
        ssize_t n;
        if (s->tls) {
            n = eddy__tls_peek(s, (char *)buf + have, len - have); /* an EDDY_E* if < 0 */
        } else {
            n = EDDY__NO_EINTR(recv(s->fd, (char *)buf + have, len - have, MSG_PEEK | MSG_DONTWAIT));
            if (n < 0) n = eddy__sock_sys_err();
        }
        if (n >= 0) rc = (ssize_t)have + n;
        else if (have == 0) rc = n;
    }
    return eddy__sock_leave(s, rc);
}

int eddy_socket_check_liveness(eddy_socket_t *s) {
    char c;
    ssize_t rc = eddy__sock_enter(s);
    if (rc < 0) return 0;
    rbuf_settle(s);
    /* Decrypted bytes waiting in TLS prove the connection as well. */
    if (s->rbuf.len == 0 && !eddy__tls_has_pending(s)) {
        if (eddy__sock_known_empty(s)) return (int)eddy__sock_leave(s, 1);
        rc = EDDY__NO_EINTR(recv(s->fd, &c, 1, MSG_PEEK | MSG_DONTWAIT));
        if (rc < 0) rc = eddy__sock_sys_err();
        eddy__sock_note_read(s, rc);
        if (rc == EDDY_EAGAIN) rc = 1; /* nothing to read, but still there */
        if (rc == 0)
            rc = eddy__sock_set_err(s, EDDY_ECONNRESET, "the peer closed the connection");
    }
    return eddy__sock_leave(s, rc) < 0 ? 0 : 1;
}
