/*
 * PROCESS mode: what the master, the manager and the workers share — the
 * channels between reactor threads and workers, the session table, the
 * record format (see process.h) — and the mode switch.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <poll.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "server/process.h"

int eddy_server_set_mode(eddy_server_t *srv, int mode) {
    if (mode != EDDY_SERVER_BASE && mode != EDDY_SERVER_PROCESS) return EDDY_EINVAL;
    if (srv->role != ROLE_MASTER || srv->manager_pid) return EDDY_EWRONG_OP;
    srv->mode = mode;
    return 0;
}

int eddy_server_mode(const eddy_server_t *srv) { return srv->mode; }

static int open_channels(eddy__proc_t *p) {
    size_t n = (size_t)p->nreactors * (size_t)p->nworkers;
    p->master_fds = eddy_malloc(n * sizeof(int));
    p->worker_fds = eddy_malloc(n * sizeof(int));
    for (size_t i = 0; i < n; i++) p->master_fds[i] = p->worker_fds[i] = -1;
    for (size_t i = 0; i < n; i++) {
        int sv[2];
        if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv) < 0)
            return -errno;
        p->master_fds[i] = sv[0];
        p->worker_fds[i] = sv[1];
    }
    return 0;
}

int eddy__process_prepare(eddy_server_t *srv) {
    int rc;
    eddy__process_free(srv); /* a second start after a first one */
    eddy__proc_t *p = eddy_calloc(1, sizeof(*p));
    srv->proc = p;
    p->nreactors = (int)srv->cfg.reactor_num;
    p->nworkers = (int)srv->cfg.worker_num;
    p->cap = srv->cfg.max_connection ? srv->cfg.max_connection : 1;
    p->map_len = p->cap * sizeof(eddy__session_t);
    /* Anonymous shared pages are zero and lazily backed: a large
     * max_connection costs address space, not memory, until used. */
    void *m = mmap(NULL, p->map_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED) {
        rc = -errno;
        eddy__process_free(srv);
        return rc;
    }
    p->table = m;
    m = mmap(NULL, sizeof(*p->slots_used), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1,
             0);
    if (m == MAP_FAILED) {
        rc = -errno;
        eddy__process_free(srv);
        return rc;
    }
    p->slots_used = m;
    p->busy = eddy_calloc((size_t)p->nworkers, sizeof(*p->busy));
    pthread_mutex_init(&p->lock, NULL);
    if ((rc = open_channels(p)) < 0) {
        eddy_log_error("server: cannot create worker channels: %s", eddy_strerror(rc));
        eddy__process_free(srv);
    }
    return rc;
}

static void close_all(int *fds, size_t n) {
    for (size_t i = 0; fds && i < n; i++) eddy__server_close_fd(fds[i]);
    eddy_free(fds);
}

void eddy__process_free(eddy_server_t *srv) {
    eddy__proc_t *p = srv->proc;
    if (!p) return;
    eddy__reactors_stop(srv); /* no-op unless this master still runs them */
    size_t n = (size_t)p->nreactors * (size_t)p->nworkers;
    close_all(p->master_fds, n);
    close_all(p->worker_fds, n);
    if (p->table) munmap(p->table, p->map_len);
    if (p->slots_used) munmap((void *)p->slots_used, sizeof(*p->slots_used));
    if (p->busy) pthread_mutex_destroy(&p->lock);
    eddy_free((void *)p->busy);
    for (int r = 0; p->wasm && r < p->nreactors; r++) eddy_buf_free(&p->wasm[r]);
    eddy_free(p->wasm);
    for (int r = 0; p->wout && r < p->nreactors; r++) eddy_buf_free(&p->wout[r]);
    eddy_free(p->wout);
    eddy_free(p->wio);
    eddy_free(p->wstate);
    eddy_free(p->wbuf);
    eddy_free(p);
    srv->proc = NULL;
}

/* ---- sessions ---------------------------------------------------------- */

eddy__session_t *eddy__session_get(eddy_server_t *srv, int session) {
    eddy__proc_t *p = srv->proc;
    if (!p || session <= 0) return NULL;
    eddy__session_t *e = &p->table[(size_t)session % p->cap];
    return atomic_load_explicit(&e->session, memory_order_acquire) == session ? e : NULL;
}

/* Increasing ids as Swoole's; an id whose slot still holds a live
 * connection is skipped. -1 when every slot is in use. */
int eddy__session_alloc(eddy_server_t *srv) {
    eddy__proc_t *p = srv->proc;
    int found = -1;
    pthread_mutex_lock(&p->lock);
    for (size_t tries = 0; tries < p->cap && found < 0; tries++) {
        p->next_session = p->next_session == INT_MAX ? 1 : p->next_session + 1;
        eddy__session_t *e = &p->table[(size_t)p->next_session % p->cap];
        if (atomic_load(&e->session) != 0 && !atomic_load(&e->closed)) continue;
        found = p->next_session;
        size_t slot = (size_t)found % p->cap;
        if (slot >= atomic_load(p->slots_used)) atomic_store(p->slots_used, slot + 1);
        atomic_store(&e->closed, 0);
        atomic_store(&e->session, found);
    }
    pthread_mutex_unlock(&p->lock);
    return found;
}

/* ---- records ----------------------------------------------------------- */

void eddy__records_put(eddy_buf_t *q, const eddy__msg_t *h, const void *payload) {
    uint32_t n = (uint32_t)sizeof(*h) + h->len;
    eddy_buf_reserve(q, 4 + n);
    eddy_buf_append(q, &n, 4);
    eddy_buf_append(q, h, sizeof(*h));
    if (h->len) eddy_buf_append(q, payload, h->len);
}

#define IOV_POOL 256 /* iovecs per call, all datagrams together: 4 KiB of stack */

/* One sendmmsg for up to EDDY__BATCH datagrams, each gathering as many
 * queued records as fit in EDDY__RECORD_MAX (at most EDDY__PACK): the
 * reader is woken once per datagram, not per record, and sees its records
 * together. Datagrams sent, or -errno. */
static int send_batch(int fd, eddy_buf_t *q, size_t *off) {
    struct mmsghdr mm[EDDY__BATCH];
    struct iovec iov[IOV_POOL]; /* a worker may send from a small coroutine stack */
    size_t ends[EDDY__BATCH]; /* queue offset past each datagram */
    int k = 0, v = 0;
    for (size_t at = *off; at < q->len && k < EDDY__BATCH && v < IOV_POOL; k++) {
        int first = v;
        size_t total = 0;
        while (at < q->len && v - first < EDDY__PACK && v < IOV_POOL) {
            uint32_t n;
            memcpy(&n, q->data + at, 4);
            if (v > first && total + n > EDDY__RECORD_MAX) break;
            iov[v++] = (struct iovec){q->data + at + 4, n};
            total += n;
            at += 4 + n;
        }
        mm[k] = (struct mmsghdr){
            .msg_hdr = {.msg_iov = &iov[first], .msg_iovlen = (size_t)(v - first)}};
        ends[k] = at;
    }
    int sent;
    do sent = sendmmsg(fd, mm, (unsigned)k, MSG_DONTWAIT | MSG_NOSIGNAL);
    while (sent < 0 && errno == EINTR);
    if (sent < 0) return -errno;
    if (sent > 0) *off = ends[sent - 1];
    return sent;
}

/* The worker waits for room: the master reads its channels whatever its
 * clients do, so the wait ends, and it is the back-pressure that keeps a
 * fast worker from queueing without bound. The master never waits. */
int eddy__records_send(int fd, eddy_buf_t *q, size_t *off, int wait) {
    int rc = 0;
    while (*off < q->len) {
        rc = send_batch(fd, q, off);
        if (rc >= 0) continue;
        if (rc != -EAGAIN || !wait) break;
        struct pollfd pfd = {.fd = fd, .events = POLLOUT};
        if (poll(&pfd, 1, 1000) < 0 && errno != EINTR) return -errno;
        rc = 0;
    }
    eddy__queue_trim(q, off);
    return rc == -EAGAIN ? 0 : (rc < 0 ? rc : 0);
}

static void drop_sent(eddy_buf_t *q, size_t *off) {
    size_t pending = q->len - *off;
    memmove(q->data, q->data + *off, pending);
    q->len = pending;
    q->data[q->len] = '\0';
    *off = 0;
}

void eddy__queue_trim(eddy_buf_t *q, size_t *off) {
    size_t pending = q->len - *off;
    if (pending == 0) {
        /* A burst's buffer is not kept: one per channel and connection. */
        if (q->cap > EDDY__QUEUE_KEEP) eddy_buf_free(q);
        else eddy_buf_clear(q);
        *off = 0;
        return;
    }
    /* Once the sent prefix outweighs what is left, move the rest down: a
     * queue that never drains whole (a client uploading faster than its
     * worker reads) otherwise grows by all that ever went through it. Each
     * byte is moved at most once per byte sent before it: amortised O(1). */
    if (*off >= pending) drop_sent(q, off);
}

int eddy__records_recv(int fd, char *buf, size_t *lens) {
    struct mmsghdr mm[EDDY__BATCH];
    struct iovec iov[EDDY__BATCH];
    for (int i = 0; i < EDDY__BATCH; i++) {
        iov[i] = (struct iovec){buf + (size_t)i * EDDY__RECORD_MAX, EDDY__RECORD_MAX};
        mm[i] = (struct mmsghdr){.msg_hdr = {.msg_iov = &iov[i], .msg_iovlen = 1}};
    }
    int n;
    do n = recvmmsg(fd, mm, EDDY__BATCH, MSG_DONTWAIT, NULL);
    while (n < 0 && errno == EINTR);
    if (n < 0) return -errno;
    for (int i = 0; i < n; i++) lens[i] = mm[i].msg_len;
    return n;
}
