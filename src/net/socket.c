/*
 * Coroutine sockets: lifecycle, the wait machinery, options and status.
 * The operations themselves are in socket_io.c.
 *
 * Blocking pattern (every operation): try the system call; on EAGAIN
 * publish ourselves as the socket's reader or writer, set the epoll
 * interest to exactly the directions that have a waiter, and
 * eddy_coro_wait(). The io callback wakes the waiter of each ready
 * direction; the woken coroutine retries the call. Interest is dropped as
 * soon as no one waits, so an idle socket keeps neither the loop alive nor
 * level-triggered epoll firing.
 */
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "net/socket_int.h"
#include "net/tls_int.h"

void eddy__net_close(int fd) {
    int saved = errno;
    (void)close(fd); /* never retried: see EDDY__NO_EINTR */
    errno = saved;
}

/* ---- errors ------------------------------------------------------------ */

int eddy__sock_set_err(eddy_socket_t *s, int code, const char *fmt, ...) {
    va_list ap;
    s->errcode = code;
    va_start(ap, fmt);
    vsnprintf(s->errmsg, sizeof(s->errmsg), fmt, ap);
    va_end(ap);
    return code;
}

int eddy__sock_check_bound(eddy_socket_t *s, unsigned ev) {
    eddy_wait_t *w = ev == EDDY_READ ? s->reader : s->writer;
    if (!w) return 0;
    return eddy__sock_set_err(s, EDDY_ECO_HAS_BEEN_BOUND,
                              "Socket#%d has already been bound to another coroutine#%lld, "
                              "%s of the same socket in coroutine#%lld at the same time is "
                              "not allowed",
                              s->fd, (long long)eddy_coro_id(w->co),
                              ev == EDDY_READ ? "reading" : "writing",
                              (long long)eddy_coro_cid());
}

/* ---- lifetime ---------------------------------------------------------- */

static void sock_unref(eddy_socket_t *s) {
    if (--s->refs) return;
    eddy__tls_free(s);
    eddy__sock_rbuf_free(s);
    eddy_free(s);
}

int eddy__sock_enter(eddy_socket_t *s) {
    if (s->closed) return eddy__sock_set_err(s, EDDY_EBADF, "%s", eddy_strerror(EDDY_EBADF));
    s->refs++;
    return 0;
}

ssize_t eddy__sock_leave(eddy_socket_t *s, ssize_t rc) {
    if (rc >= 0) {
        s->errcode = 0;
        s->errmsg[0] = '\0';
    } else if (s->errcode != rc) {
        /* Keep a more specific message set on the way (e.g. "bound"). */
        eddy__sock_set_err(s, (int)rc, "%s", eddy_strerror((int)rc));
    }
    sock_unref(s);
    return rc;
}

/* ---- waiting ----------------------------------------------------------- */

/* Wakes the waiter in *slot (if any) after unlinking it, so that the
 * woken coroutine, which runs before this returns, sees a free slot. */
static void wake_slot(eddy_wait_t **slot, int result) {
    eddy_wait_t *w = *slot;
    if (!w) return;
    *slot = NULL;
    eddy_coro_wake(w, result);
}

/* A lingering interest may outlive its loop: the default loop is closed
 * and made again (a server's worker after fork, its end). The old loop's
 * memory is gone, and with it the registration: forget it without a look
 * at the loop (its id, kept here, tells). */
static void on_io(eddy_loop_t *loop, eddy_io_t *io, unsigned events);

static void forget_dead_loop(eddy_socket_t *s) {
    if (s->io.events && s->io_loop != eddy_loop_default_id()) {
        s->rd_drained = s->rd_empty = 0; /* nothing watches the socket any more */
        eddy_io_init(&s->io, s->fd, on_io);
        s->io.data = s;
    }
}

/* Interest follows the waiters, except that read interest, once set,
 * lingers while nobody reads, unreferenced (it keeps no loop alive): a
 * connection used for request and reply (a pool's database connection)
 * would otherwise pay an EPOLL_CTL_ADD and a DEL for every reply. on_io
 * drops it when data or a hang-up comes with no reader, or level-triggered
 * epoll would report it on every iteration. Write interest never lingers:
 * a socket is writable nearly all the time. */
static unsigned waiters_want(const eddy_socket_t *s) {
    return (s->reader ? s->reader_wants : 0u) | (s->writer ? s->writer_wants : 0u);
}

static int update_interest(eddy_socket_t *s) {
    unsigned want = waiters_want(s);
    if (s->closed) return 0;
    eddy_loop_t *loop = eddy_loop_default();
    if (!loop) return EDDY_ESYSCALL; /* out of fds; logged */
    forget_dead_loop(s);
    unsigned reg = want | (s->io.events & EDDY_READ);
    if (reg != s->io.events) {
        int rc = eddy_io_set(loop, &s->io, reg);
        if (rc < 0) return rc;
        s->io_loop = eddy_loop_default_id();
    }
    if (want) eddy_io_ref(&s->io);
    else eddy_io_unref(&s->io);
    return 0;
}

static void on_io(eddy_loop_t *loop, eddy_io_t *io, unsigned events) {
    eddy_socket_t *s = io->data;
    /* A reader of a TLS socket may wait for writability (and a writer for
     * readability): each waiter is woken by what it waits for. */
    unsigned rw = s->reader ? s->reader_wants : 0u, ww = s->writer ? s->writer_wants : 0u;
    bool unread = (events & (EDDY_READ | EDDY_ERROR)) && !((rw | ww) & EDDY_READ);
    /* The woken reader may close the socket and drop the last other ref;
     * hold one so `s` outlives this callback's second look at it. */
    s->refs++;
    if (events & (EDDY_READ | EDDY_ERROR)) s->rd_drained = s->rd_empty = 0; /* something came */
    if (events & (rw | EDDY_ERROR)) wake_slot(&s->reader, 0);
    if (events & (ww | EDDY_ERROR)) wake_slot(&s->writer, 0);
    if (unread && !s->closed && !(waiters_want(s) & EDDY_READ)) {
        /* lingering read interest fired for nobody: drop it (see above) */
        unsigned want = waiters_want(s);
        if (eddy_io_set(loop, &s->io, want) < 0) eddy_io_stop(&s->io);
    }
    sock_unref(s);
}

/* Timeout, cancel or kill: the coroutine stops waiting; free its slot and
 * drop its interest now, since a killed coroutine (eddy_coro_kill) never
 * runs again to do it, and a stale read interest would keep the loop alive. */
static void on_wait_abort(eddy_wait_t *w) {
    eddy_socket_t *s = w->data;
    if (s->reader == w) s->reader = NULL;
    if (s->writer == w) s->writer = NULL;
    if (!s->closed) update_interest(s);
}

/* A request/reply connection (a pool's database connection) reads right
 * after sending its request: a recv then is all but bound to return
 * EAGAIN, a system call for nothing on every reply. When the last read
 * emptied the queue and the level-triggered read interest that lingers
 * since has reported nothing, the read waits first: if the reply did come
 * in the meantime, the loop's next epoll_wait reports it at once, so
 * nothing is lost, only that one recv saved. Not without a registration
 * in the current loop (nothing would report), outside a coroutine (no
 * waiting) or with no time left (a zero timeout must still try). */
bool eddy__sock_read_quiet(const eddy_socket_t *s, const eddy__deadline_t *dl) {
    return s->rd_drained && !s->tls && (s->io.events & EDDY_READ) &&
           s->io_loop == eddy_loop_default_id() && eddy_coro_current() &&
           eddy__deadline_left(dl) != 0;
}

/* phpredis asks whether its connection is alive (php_stream_eof) before
 * each command and again before reading the reply: a recv(MSG_PEEK) each
 * time. Once a read found the socket empty, the lingering read interest
 * reports data or a hang-up arriving after it; as long as none was
 * reported, the socket is as empty and as open as that read found it,
 * up to the loop's last poll: the same race a PEEK has with a hang-up
 * arriving just after it. Only EAGAIN proves it: a read that took data
 * may have left a hang-up behind it. */
bool eddy__sock_known_empty(const eddy_socket_t *s) {
    return s->rd_empty && !s->tls && (s->io.events & EDDY_READ) &&
           s->io_loop == eddy_loop_default_id();
}

void eddy__sock_note_read(eddy_socket_t *s, ssize_t rc) {
    s->rd_empty = rc == EDDY_EAGAIN && !s->tls &&
                  (s->type == EDDY_SOCK_TCP || s->type == EDDY_SOCK_TCP6 ||
                   s->type == EDDY_SOCK_UNIX_STREAM);
}

eddy__deadline_t eddy__deadline(int64_t timeout_ms, int64_t dflt) {
    eddy__deadline_t dl;
    if (timeout_ms == EDDY_TIMEOUT_DEFAULT) timeout_ms = dflt;
    /* Any other negative value means no limit, as EDDY_WAIT_FOREVER. */
    dl.at = timeout_ms < 0 ? -1 : (int64_t)eddy_now_ms() + timeout_ms;
    return dl;
}

int64_t eddy__deadline_left(const eddy__deadline_t *dl) {
    if (dl->at < 0) return EDDY_WAIT_FOREVER;
    int64_t left = dl->at - (int64_t)eddy_now_ms();
    return left > 0 ? left : 0;
}

int eddy__sock_wait(eddy_socket_t *s, unsigned ev, const eddy__deadline_t *dl) {
    return eddy__sock_wait_for(s, ev, ev, dl);
}

int eddy__sock_wait_for(eddy_socket_t *s, unsigned ev, unsigned ready,
                        const eddy__deadline_t *dl) {
    eddy_wait_t **slot = ev == EDDY_READ ? &s->reader : &s->writer;
    int64_t ms = eddy__deadline_left(dl);
    int rc;
    if (!eddy_coro_current()) return EDDY_ECO_OUT_OF_COROUTINE;
    if (ms == 0) return EDDY_ETIMEDOUT;
    if ((rc = eddy__sock_check_bound(s, ev)) < 0) return rc;

    eddy_wait_t w;
    memset(&w, 0, sizeof(w));
    w.data = s;
    *slot = &w;
    if (ev == EDDY_READ) s->reader_wants = ready;
    else s->writer_wants = ready;
    rc = update_interest(s);
    if (rc == 0) rc = eddy_coro_wait(&w, ms, on_wait_abort);
    /* Still ours if the wait failed at once (already canceled) or the
     * interest could not be set; wake/abort/close unlink it otherwise. */
    if (*slot == &w) *slot = NULL;
    if (!s->closed) update_interest(s);
    return rc;
}

/* ---- lifecycle --------------------------------------------------------- */

eddy_socket_t *eddy__sock_alloc(int fd, eddy_sock_type_t type) {
    eddy_socket_t *s = eddy_calloc(1, sizeof(*s));
    s->fd = fd;
    s->type = type;
    s->refs = 1; /* the owner's */
    s->timeout_connect = s->timeout_read = s->timeout_write = EDDY_WAIT_FOREVER;
    eddy_buf_init(&s->rbuf);
    eddy_framing_init_none(&s->framing);
    eddy_io_init(&s->io, fd, on_io);
    s->io.data = s;
    return s;
}

eddy_socket_t *eddy_socket_new(eddy_sock_type_t type, int *err) {
    int family = eddy__sock_family(type), stype = eddy__sock_socktype(type);
    if (family < 0 || stype < 0) {
        if (err) *err = EDDY_EINVAL;
        return NULL;
    }
    int fd = socket(family, stype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        if (err) *err = -errno;
        return NULL;
    }
    if (err) *err = 0;
    return eddy__sock_alloc(fd, type);
}

eddy_socket_t *eddy_socket_from_fd(int fd, eddy_sock_type_t type) {
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0 || eddy__sock_family(type) < 0) return NULL;
    if (!(fl & O_NONBLOCK) && fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0) return NULL;
    /* Hygiene: no fd of ours leaks into a child through exec. */
    if (fcntl(fd, F_SETFD, FD_CLOEXEC) < 0) return NULL;
    return eddy__sock_alloc(fd, type);
}

void eddy_socket_close(eddy_socket_t *s) {
    if (!s || s->closed) return;
    /* close_notify, if it fits in the socket buffer now: a peer reading
     * to the end tells a clean close from a cut connection. */
    if (s->tls) eddy__tls_close_notify(s);
    s->closed = 1;
    /* Out of epoll before close(2): a closed fd number can be reused at
     * once, and epoll would otherwise keep the old registration. */
    forget_dead_loop(s);
    eddy_io_stop(&s->io);
    eddy__net_close(s->fd);
    s->fd = -1;
    /* Each woken coroutine runs now, sees EDDY_EBADF and leaves its
     * operation, dropping its ref; the owner's ref keeps `s` valid here. */
    wake_slot(&s->reader, EDDY_EBADF);
    wake_slot(&s->writer, EDDY_EBADF);
    sock_unref(s);
}

/* ---- options and status ------------------------------------------------ */

void eddy_socket_set_timeout(eddy_socket_t *s, unsigned which, int64_t timeout_ms) {
    if (which & EDDY_TIMEOUT_CONNECT) s->timeout_connect = timeout_ms;
    if (which & EDDY_TIMEOUT_READ) s->timeout_read = timeout_ms;
    if (which & EDDY_TIMEOUT_WRITE) s->timeout_write = timeout_ms;
}

int64_t eddy_socket_get_timeout(const eddy_socket_t *s, eddy_timeout_kind_t kind) {
    switch (kind) {
    case EDDY_TIMEOUT_CONNECT: return s->timeout_connect;
    case EDDY_TIMEOUT_READ: return s->timeout_read;
    case EDDY_TIMEOUT_WRITE: return s->timeout_write;
    }
    return EDDY_EINVAL;
}

int eddy_socket_setopt(eddy_socket_t *s, int level, int name, const void *val, uint32_t len) {
    int rc = eddy__sock_enter(s);
    if (rc < 0) return rc;
    rc = setsockopt(s->fd, level, name, val, (socklen_t)len) < 0 ? -errno : 0;
    return (int)eddy__sock_leave(s, rc);
}

int eddy_socket_getopt(eddy_socket_t *s, int level, int name, void *val, uint32_t *len) {
    int rc = eddy__sock_enter(s);
    if (rc < 0) return rc;
    socklen_t sl = (socklen_t)*len;
    rc = getsockopt(s->fd, level, name, val, &sl) < 0 ? -errno : 0;
    if (rc == 0) *len = (uint32_t)sl;
    return (int)eddy__sock_leave(s, rc);
}

typedef int (*name_fn)(int, struct sockaddr *, socklen_t *);

static int get_name(eddy_socket_t *s, eddy_addr_t *addr, name_fn fn) {
    int rc = eddy__sock_enter(s);
    if (rc < 0) return rc;
    memset(addr, 0, sizeof(*addr));
    socklen_t len = sizeof(addr->u.bytes);
    rc = fn(s->fd, eddy__addr_sa_mut(addr), &len) < 0 ? -errno : 0;
    /* The kernel reports the full length even when it truncated. */
    if (rc == 0 && len > sizeof(addr->u.bytes)) rc = EDDY_EINVAL;
    if (rc == 0) addr->len = (uint32_t)len;
    return (int)eddy__sock_leave(s, rc);
}

int eddy_socket_getpeername(eddy_socket_t *s, eddy_addr_t *addr) {
    return get_name(s, addr, getpeername);
}

int eddy_socket_getsockname(eddy_socket_t *s, eddy_addr_t *addr) {
    return get_name(s, addr, getsockname);
}

int eddy_socket_fd(const eddy_socket_t *s) { return s->fd; }
eddy_sock_type_t eddy_socket_type(const eddy_socket_t *s) { return s->type; }
int eddy_socket_errcode(const eddy_socket_t *s) { return s->errcode; }
const char *eddy_socket_errmsg(const eddy_socket_t *s) { return s->errmsg; }
