/*
 * Coroutine socket operations: connection setup and data transfer.
 *
 * Each public call brackets its work with eddy__sock_enter/leave (the
 * in-progress ref that keeps the handle alive across a close) and runs its
 * system call through io_retry(): try, and on EAGAIN wait for readiness and
 * try again, all under one deadline so a call never outlives its timeout
 * however many partial transfers or spurious wake-ups it goes through.
 */
#define _GNU_SOURCE /* accept4 */
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "net/socket_int.h"
#include "net/tls_int.h"

typedef eddy__attempt_fn attempt_fn;

ssize_t eddy__sock_io_retry(eddy_socket_t *s, unsigned ev, const eddy__deadline_t *dl,
                            attempt_fn attempt, void *ctx) {
    if (ev == EDDY_READ && eddy__sock_read_quiet(s, dl)) {
        int rc = eddy__sock_wait(s, ev, dl);
        if (rc < 0) return rc;
    }
    for (;;) {
        ssize_t n = attempt(s, ctx);
        if (ev == EDDY_READ) eddy__sock_note_read(s, n);
        if (n != EDDY_EAGAIN) return n;
        int rc = eddy__sock_wait_for(s, ev, s->tls ? s->tls_want : ev, dl);
        if (rc < 0) return rc;
    }
}

/* EWOULDBLOCK is EAGAIN on Linux, so one comparison covers both. */
ssize_t eddy__sock_sys_err(void) { return errno == EWOULDBLOCK ? EDDY_EAGAIN : -errno; }

#define io_retry eddy__sock_io_retry
#define sys_err eddy__sock_sys_err

/* ---- attempts ---------------------------------------------------------- */

typedef struct {
    void *buf;
    size_t len;
    eddy_addr_t *addr; /* recvfrom: the sender; sendto: the destination */
} xfer_t;

/* Stream sockets only: a datagram shorter than the buffer says nothing
 * about the queue, and TLS may hold decrypted bytes the fd does not show. */
static bool is_stream(const eddy_socket_t *s) {
    return !s->tls && (s->type == EDDY_SOCK_TCP || s->type == EDDY_SOCK_TCP6 ||
                       s->type == EDDY_SOCK_UNIX_STREAM);
}

static ssize_t try_recv(eddy_socket_t *s, void *ctx) {
    xfer_t *x = ctx;
    if (s->tls) return eddy__tls_read(s, x->buf, x->len);
    ssize_t n = EDDY__NO_EINTR(recv(s->fd, x->buf, x->len, 0));
    ssize_t rc = n >= 0 ? n : sys_err();
    /* Drained: nothing was there, or less than asked, so the kernel had no
     * more. End of stream (0) stays readable: the next read tries at once. */
    s->rd_drained = is_stream(s) && (rc == EDDY_EAGAIN || (rc > 0 && (size_t)rc < x->len));
    return rc;
}

/* MSG_NOSIGNAL: a peer that went away must give EPIPE, not kill the
 * process with SIGPIPE. */
static ssize_t try_send(eddy_socket_t *s, void *ctx) {
    xfer_t *x = ctx;
    if (s->tls) return eddy__tls_write(s, x->buf, x->len);
    ssize_t n = EDDY__NO_EINTR(send(s->fd, x->buf, x->len, MSG_NOSIGNAL));
    return n >= 0 ? n : sys_err();
}

static ssize_t try_recvfrom(eddy_socket_t *s, void *ctx) {
    xfer_t *x = ctx;
    eddy_addr_t tmp, *from = x->addr ? x->addr : &tmp;
    socklen_t len = sizeof(from->u.bytes);
    memset(from, 0, sizeof(*from));
    ssize_t n = EDDY__NO_EINTR(recvfrom(s->fd, x->buf, x->len, 0, eddy__addr_sa_mut(from), &len));
    if (n < 0) return sys_err();
    from->len = len > sizeof(from->u.bytes) ? (uint32_t)sizeof(from->u.bytes) : (uint32_t)len;
    return n;
}

static ssize_t try_sendto(eddy_socket_t *s, void *ctx) {
    xfer_t *x = ctx;
    ssize_t n = EDDY__NO_EINTR(sendto(s->fd, x->buf, x->len, MSG_NOSIGNAL,
                                      eddy__addr_sa(x->addr), (socklen_t)x->addr->len));
    return n >= 0 ? n : sys_err();
}

static ssize_t try_accept(eddy_socket_t *s, void *ctx) {
    (void)ctx;
    for (;;) {
        int fd = EDDY__NO_EINTR(accept4(s->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC));
        if (fd >= 0) return fd;
        /* The peer reset before we took it: not the caller's problem. */
        if (errno != ECONNABORTED) return sys_err();
    }
}

/* ---- connection setup -------------------------------------------------- */

static int finish_connect(eddy_socket_t *s, const eddy__deadline_t *dl) {
    int rc = eddy__sock_wait(s, EDDY_WRITE, dl);
    if (rc < 0) return rc;
    int err = 0;
    socklen_t len = sizeof(err);
    if (getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0) return -errno;
    return err ? -err : 0;
}

static int do_connect(eddy_socket_t *s, const char *host, int port, const eddy__deadline_t *dl) {
    eddy_addr_t addr;
    int rc = eddy__addr_lookup(&addr, s->type, host, port, eddy__deadline_left(dl));
    if (rc < 0) return rc;
    /* Resolution yields without holding the socket; it may be closed now. */
    if (s->closed) return EDDY_EBADF;
    if (EDDY__NO_EINTR(connect(s->fd, eddy__addr_sa(&addr), (socklen_t)addr.len)) == 0) return 0;
    /* EALREADY: an earlier attempt interrupted by a signal goes on. A unix
     * socket whose peer's backlog is full fails with EAGAIN instead; it is
     * reported as is, since unix sockets give no readiness for it. */
    if (errno != EINPROGRESS && errno != EALREADY) return -errno;
    return finish_connect(s, dl);
}

int eddy_socket_connect(eddy_socket_t *s, const char *host, int port, int64_t timeout_ms) {
    int rc = eddy__sock_enter(s);
    if (rc < 0) return rc;
    if ((rc = eddy__sock_check_bound(s, EDDY_WRITE)) == 0) {
        eddy__deadline_t dl = eddy__deadline(timeout_ms, s->timeout_connect);
        rc = do_connect(s, host, port, &dl);
    }
    return (int)eddy__sock_leave(s, rc);
}

static int do_bind(eddy_socket_t *s, const char *host, int port) {
    eddy_addr_t addr;
    eddy__deadline_t dl = eddy__deadline(EDDY_TIMEOUT_DEFAULT, s->timeout_connect);
    int rc = eddy__addr_lookup(&addr, s->type, host, port, eddy__deadline_left(&dl));
    if (rc < 0) return rc;
    if (s->closed) return EDDY_EBADF;
    if (s->type == EDDY_SOCK_TCP || s->type == EDDY_SOCK_TCP6) {
        /* A restarted server must rebind while old connections sit in
         * TIME_WAIT. */
        int on = 1;
        if (setsockopt(s->fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) < 0) return -errno;
    }
    return bind(s->fd, eddy__addr_sa(&addr), (socklen_t)addr.len) < 0 ? -errno : 0;
}

int eddy_socket_bind(eddy_socket_t *s, const char *host, int port) {
    int rc = eddy__sock_enter(s);
    if (rc < 0) return rc;
    return (int)eddy__sock_leave(s, do_bind(s, host, port));
}

int eddy_socket_listen(eddy_socket_t *s, int backlog) {
    int rc = eddy__sock_enter(s);
    if (rc < 0) return rc;
    rc = listen(s->fd, backlog) < 0 ? -errno : 0;
    return (int)eddy__sock_leave(s, rc);
}

eddy_socket_t *eddy_socket_accept(eddy_socket_t *s, int64_t timeout_ms, int *err) {
    ssize_t rc = eddy__sock_enter(s);
    eddy_socket_t *conn = NULL;
    if (rc == 0) {
        if ((rc = eddy__sock_check_bound(s, EDDY_READ)) == 0) {
            eddy__deadline_t dl = eddy__deadline(timeout_ms, s->timeout_read);
            rc = io_retry(s, EDDY_READ, &dl, try_accept, NULL);
        }
        if (rc >= 0) conn = eddy__sock_alloc((int)rc, s->type);
        rc = eddy__sock_leave(s, rc < 0 ? rc : 0);
    }
    if (err) *err = (int)rc;
    return conn;
}

int eddy_socket_shutdown(eddy_socket_t *s, int how) {
    int rc = eddy__sock_enter(s);
    if (rc < 0) return rc;
    rc = shutdown(s->fd, how) < 0 ? -errno : 0;
    return (int)eddy__sock_leave(s, rc);
}

/* ---- I/O --------------------------------------------------------------- */

/* Runs one transfer of `ev` direction under the socket's rules. */
static ssize_t transfer(eddy_socket_t *s, unsigned ev, int64_t timeout_ms, attempt_fn attempt,
                        xfer_t *x) {
    ssize_t rc = eddy__sock_enter(s);
    if (rc < 0) return rc;
    if ((rc = eddy__sock_check_bound(s, ev)) == 0) {
        int64_t dflt = ev == EDDY_READ ? s->timeout_read : s->timeout_write;
        eddy__deadline_t dl = eddy__deadline(timeout_ms, dflt);
        rc = io_retry(s, ev, &dl, attempt, x);
    }
    return eddy__sock_leave(s, rc);
}

/* Bytes a buffered read left behind come first (socket_buf.c); taking
 * them needs no wait, but the read side must be free: a coroutine waiting
 * for the rest of a line owns those bytes. */
static ssize_t take_buffered(eddy_socket_t *s, void *buf, size_t len) {
    ssize_t rc = eddy__sock_enter(s);
    if (rc < 0) return rc;
    if ((rc = eddy__sock_check_bound(s, EDDY_READ)) == 0)
        rc = (ssize_t)eddy__sock_rbuf_take(s, buf, len);
    return eddy__sock_leave(s, rc);
}

ssize_t eddy_socket_recv(eddy_socket_t *s, void *buf, size_t len, int64_t timeout_ms) {
    ssize_t n = take_buffered(s, buf, len);
    if (n != 0 || len == 0) return n;
    xfer_t x = {buf, len, NULL};
    return transfer(s, EDDY_READ, timeout_ms, try_recv, &x);
}

ssize_t eddy_socket_send(eddy_socket_t *s, const void *buf, size_t len, int64_t timeout_ms) {
    xfer_t x = {(void *)buf, len, NULL};
    return transfer(s, EDDY_WRITE, timeout_ms, try_send, &x);
}

ssize_t eddy_socket_recvfrom(eddy_socket_t *s, void *buf, size_t len, eddy_addr_t *from,
                             int64_t timeout_ms) {
    xfer_t x = {buf, len, from};
    return transfer(s, EDDY_READ, timeout_ms, try_recvfrom, &x);
}

ssize_t eddy_socket_sendto(eddy_socket_t *s, const char *host, int port, const void *buf,
                           size_t len) {
    eddy_addr_t addr;
    ssize_t rc = eddy__sock_enter(s);
    if (rc < 0) return rc;
    eddy__deadline_t dl = eddy__deadline(EDDY_TIMEOUT_DEFAULT, s->timeout_write);
    rc = eddy__addr_lookup(&addr, s->type, host, port, eddy__deadline_left(&dl));
    if (rc == 0 && s->closed) rc = EDDY_EBADF;
    if (rc < 0) return eddy__sock_leave(s, rc);
    xfer_t x = {(void *)buf, len, &addr};
    /* transfer() takes its own ref; ours only spanned the resolution. */
    rc = transfer(s, EDDY_WRITE, EDDY_TIMEOUT_DEFAULT, try_sendto, &x);
    eddy__sock_leave(s, rc);
    return rc;
}

/* Loops `attempt` until len bytes moved, under one deadline. Stops early
 * (returning the count) only when a read returns 0: the peer closed. */
static ssize_t transfer_all(eddy_socket_t *s, unsigned ev, int64_t timeout_ms,
                            attempt_fn attempt, char *buf, size_t len) {
    ssize_t rc = eddy__sock_enter(s);
    if (rc < 0) return rc;
    if ((rc = eddy__sock_check_bound(s, ev)) < 0) return eddy__sock_leave(s, rc);
    int64_t dflt = ev == EDDY_READ ? s->timeout_read : s->timeout_write;
    eddy__deadline_t dl = eddy__deadline(timeout_ms, dflt);
    size_t done = 0;
    while (done < len) {
        xfer_t x = {buf + done, len - done, NULL};
        rc = io_retry(s, ev, &dl, attempt, &x);
        if (rc <= 0) break;
        done += (size_t)rc;
    }
    return eddy__sock_leave(s, rc < 0 ? rc : (ssize_t)done);
}

ssize_t eddy_socket_recv_all(eddy_socket_t *s, void *buf, size_t len, int64_t timeout_ms) {
    ssize_t got = take_buffered(s, buf, len);
    if (got < 0 || (size_t)got == len) return got;
    ssize_t rc = transfer_all(s, EDDY_READ, timeout_ms, try_recv, (char *)buf + got,
                              len - (size_t)got);
    return rc < 0 ? rc : got + rc;
}

ssize_t eddy_socket_send_all(eddy_socket_t *s, const void *buf, size_t len, int64_t timeout_ms) {
    return transfer_all(s, EDDY_WRITE, timeout_ms, try_send, (char *)buf, len);
}
