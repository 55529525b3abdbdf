/*
 * A BASE-mode worker: accepts on the shared listen sockets, reads, frames
 * and dispatches, and stops on SIGTERM (reload, shutdown) or after
 * max_request requests.
 *
 * Accept sharing: each worker puts the listen sockets into a small epoll
 * set of its own with EPOLLEXCLUSIVE, and watches that epoll fd from its
 * loop (an epoll fd is itself pollable). The kernel then wakes one worker
 * per incoming connection instead of all of them (no thundering herd),
 * without the loop having to know about EPOLLEXCLUSIVE. enable_reuse_port
 * adds per-worker SO_REUSEPORT copies (see open_reuse_copies).
 */
#define _GNU_SOURCE
#include <limits.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "server/internal.h"
#include "server/ipc.h"
#include "server/process.h"

#define SCRATCH_SIZE (64 * 1024)
#define ACCEPT_BATCH 64
#define READS_PER_EVENT 16 /* fairness: one busy client cannot starve the rest */
#define DRAIN_PERIOD_MS 50
/* While draining, a connection idle for this long with nothing queued is
 * closed: a client that has just connected gets this long to send. */
#define DRAIN_IDLE_MS 100

static eddy__worker_t *W(eddy_server_t *srv) { return &srv->w; }

static int64_t unix_now(void) { return (int64_t)time(NULL); }

/* ---- connection table -------------------------------------------------- */

static void table_put(eddy__worker_t *w, eddy__conn_t *c) {
    if ((size_t)c->fd >= w->conns_cap) {
        size_t cap = w->conns_cap ? w->conns_cap : 1024;
        while (cap <= (size_t)c->fd) cap *= 2;
        w->conns = eddy_realloc(w->conns, cap * sizeof(*w->conns));
        memset(w->conns + w->conns_cap, 0, (cap - w->conns_cap) * sizeof(*w->conns));
        w->conns_cap = cap;
    }
    w->conns[c->fd] = c;
    w->nconns++;
}

eddy__conn_t *eddy__worker_conn(eddy_server_t *srv, int session, int *err) {
    eddy__worker_t *w = W(srv);
    int fd = session & ((1 << EDDY_SERVER_FD_BITS) - 1);
    if (srv->role != ROLE_WORKER) {
        *err = EDDY_EWRONG_OP;
        return NULL;
    }
    eddy__conn_t *c = eddy__session_worker(srv, session) == srv->worker_id && fd > 0 &&
                              (size_t)fd < w->conns_cap
                          ? w->conns[fd]
                          : NULL;
    if (!c || c->session != session) {
        *err = EDDY_ESESSION_NOT_EXIST;
        return NULL;
    }
    *err = (c->closed || c->close_after_flush) ? EDDY_ESESSION_CLOSED : 0;
    return c;
}

static void conn_free(eddy__conn_t *c) {
    eddy_buf_free(&c->in);
    eddy_buf_free(&c->out);
    eddy_free(c);
}

/* Fires on_close, then releases the fd. The struct outlives the call while
 * a dispatch loop higher up the stack still reads its input buffer. */
void eddy__conn_close(eddy_server_t *srv, eddy__conn_t *c) {
    eddy__worker_t *w = W(srv);
    if (c->closed) return;
    c->closed = 1;
    eddy__linger_stop(c);
    if (srv->ev.on_close) srv->ev.on_close(srv, c->session, 0);
    eddy_io_stop(&c->io);
    eddy__server_close_fd(c->fd);
    w->conns[c->fd] = NULL;
    w->nconns--;
    if (!c->dispatching) conn_free(c);
}

/* ---- output ------------------------------------------------------------ */

static int flush_out(eddy_server_t *srv, eddy__conn_t *c) {
    while (c->out.len) {
        ssize_t n = send(c->fd, c->out.data, c->out.len, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno == EAGAIN) return 0;
        if (n < 0) return -errno;
        eddy_buf_consume(&c->out, (size_t)n);
    }
    eddy_io_set(&srv->loop, &c->io, c->close_after_flush || c->paused ? 0 : EDDY_READ);
    return 0;
}

void eddy__conn_rewatch(eddy_server_t *srv, eddy__conn_t *c) {
    if (c->closed || c->lingering) return; /* linger.c owns the watch then */
    unsigned ev = c->close_after_flush || c->paused ? 0 : EDDY_READ;
    /* EDDY_WRITE also for a sendfile_wait waiter (sendfile.c) */
    eddy_io_set(&srv->loop, &c->io, ev | (c->out.len || c->on_writable ? EDDY_WRITE : 0));
}

int eddy__conn_send(eddy_server_t *srv, eddy__conn_t *c, const void *data, size_t len) {
    size_t done = 0;
    while (!c->out.len && done < len) { /* nothing queued: write straight away */
        ssize_t n = send(c->fd, (const char *)data + done, len - done, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno == EAGAIN) break;
        if (n < 0) {
            int err = -errno;
            eddy__conn_close(srv, c);
            return err;
        }
        done += (size_t)n;
    }
    if (done == len) return 0;
    if (c->out.len + (len - done) > srv->cfg.socket_buffer_size) {
        eddy_log_warn("server: connection %d: output queue over socket_buffer_size=%u",
                      c->session, srv->cfg.socket_buffer_size);
        return EDDY_EOUTPUT_BUFFER_OVERFLOW;
    }
    eddy_buf_append(&c->out, (const char *)data + done, len - done);
    eddy_io_set(&srv->loop, &c->io, (c->paused ? 0 : EDDY_READ) | EDDY_WRITE);
    return 0;
}

/* ---- input ------------------------------------------------------------- */

static void begin_stop(eddy_server_t *srv, const char *why);

static void count_request(eddy_server_t *srv) {
    eddy__worker_t *w = W(srv);
    if (++w->requests == w->max_requests)
        begin_stop(srv, "max_request reached");
}

/* Delivers every complete message in data[0..len) and returns how much was
 * consumed. Messages are passed in place: no copy, no allocation. */
static size_t dispatch(eddy_server_t *srv, eddy__conn_t *c, const char *data, size_t len) {
    const eddy_framing_t *f = &srv->listeners[c->listener].framing;
    size_t pos = 0;
    c->dispatching++;
    while (pos < len && !c->closed && !c->close_after_flush) {
        ssize_t m = eddy_framing_parse(f, data + pos, len - pos, &c->scanned);
        if (m == 0) break;
        if (m < 0) {
            eddy_log_warn("server: connection %d: %s (package_max_length=%zu), closing it",
                          c->session,
                          m == EDDY_EMSGSIZE ? "message over package_max_length"
                                             : "malformed length field",
                          f->package_max_length);
            eddy__conn_close(srv, c);
            break;
        }
        if (srv->ev.on_receive) srv->ev.on_receive(srv, c->session, 0, data + pos, (size_t)m);
        pos += (size_t)m;
        count_request(srv);
    }
    c->dispatching--;
    return pos;
}

/* eddy__feed's callback (feed.c frames in place, keeps only a tail). */
static size_t frames(void *srv, void *conn, const char *data, size_t len) {
    eddy__conn_t *c = conn;
    size_t used = dispatch(srv, c, data, len);
    return c->closed ? EDDY__FEED_GONE : used;
}

static void read_conn(eddy_server_t *srv, eddy__conn_t *c) {
    eddy__worker_t *w = W(srv);
    for (int i = 0; i < READS_PER_EVENT && !c->closed && !c->close_after_flush && !c->paused;
         i++) {
        ssize_t n = recv(c->fd, w->scratch, SCRATCH_SIZE, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno == EAGAIN) return;
        if (n <= 0) { /* peer closed, or reset */
            eddy__conn_close(srv, c);
            return;
        }
        c->last_ms = eddy_loop_now(&srv->loop);
        c->last_time = unix_now();
        eddy__feed(&c->in, w->scratch, (size_t)n, frames, srv, c);
        if ((size_t)n < SCRATCH_SIZE) return; /* drained: skip the EAGAIN round trip */
    }
}

static void on_conn_io(eddy_loop_t *loop, eddy_io_t *io, unsigned events) {
    eddy__conn_t *c = io->data;
    eddy_server_t *srv = loop->data;
    c->dispatching++; /* keep c alive across both halves */
    if ((events & EDDY_WRITE) && c->out.len && flush_out(srv, c) < 0) eddy__conn_close(srv, c);
    if (!c->closed && (events & EDDY_WRITE) && !c->out.len && c->on_writable)
        eddy__conn_writable(srv, c); /* sendfile.c */
    if (!c->closed && c->close_after_flush && !c->out.len && !c->lingering) {
        if (c->linger) eddy__linger_start(srv, c); /* linger.c */
        else eddy__conn_close(srv, c);
    }
    if (!c->closed && (events & EDDY_READ)) {
        if (c->lingering) eddy__linger_read(srv, c, W(srv)->scratch, SCRATCH_SIZE);
        else read_conn(srv, c);
    }
    c->dispatching--;
    if (c->closed && !c->dispatching) conn_free(c);
}

/* ---- accept ------------------------------------------------------------ */

static void tune(eddy_server_t *srv, int fd, eddy_sock_type_t type) {
    int one = 1;
    if (type != EDDY_SOCK_TCP && type != EDDY_SOCK_TCP6) return;
    if (srv->cfg.open_tcp_nodelay) setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    if (!srv->cfg.open_tcp_keepalive) return;
    int idle = (int)srv->cfg.tcp_keepidle, intvl = (int)srv->cfg.tcp_keepinterval,
        cnt = (int)srv->cfg.tcp_keepcount;
    setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one));
    setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof(idle));
    setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &intvl, sizeof(intvl));
    setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &cnt, sizeof(cnt));
}

static int admit(eddy_server_t *srv, int fd) {
    if (fd >= (1 << EDDY_SERVER_FD_BITS) || W(srv)->nconns >= srv->cfg.max_connection) {
        eddy_log_warn("server: too many connections (max_connection=%u), refusing one",
                      srv->cfg.max_connection);
        eddy__server_close_fd(fd);
        return 0;
    }
    return 1;
}

static void add_conn(eddy_server_t *srv, int li, int fd, const struct sockaddr_storage *ss,
                     socklen_t sslen) {
    eddy__conn_t *c = eddy_calloc(1, sizeof(*c));
    c->fd = fd;
    c->listener = li;
    c->session = eddy__session_new(srv, fd);
    if (sslen <= sizeof(c->peer.u.bytes)) {
        memcpy(c->peer.u.bytes, ss, sslen);
        c->peer.len = sslen;
    }
    c->connect_time = c->last_time = unix_now();
    c->last_ms = eddy_loop_now(&srv->loop);
    eddy_buf_init(&c->in);
    eddy_buf_init(&c->out);
    tune(srv, fd, srv->listeners[li].type);
    table_put(W(srv), c);
    eddy_io_init(&c->io, fd, on_conn_io);
    c->io.data = c;
    eddy_io_set(&srv->loop, &c->io, EDDY_READ);
    if (srv->ev.on_connect) srv->ev.on_connect(srv, c->session, 0);
}

static void accept_batch(eddy_server_t *srv, int li, int lfd) {
    for (int i = 0; i < ACCEPT_BATCH && !W(srv)->stopping; i++) {
        struct sockaddr_storage ss;
        socklen_t len = sizeof(ss);
        int fd = accept4(lfd, (struct sockaddr *)&ss, &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED) continue;
            if (errno != EAGAIN) eddy_log_warn("server: accept: %s", strerror(errno));
            return;
        }
        if (admit(srv, fd)) add_conn(srv, li, fd, &ss, len);
    }
}

static void recv_packets(eddy_server_t *srv, int li, int lfd) {
    eddy__worker_t *w = W(srv);
    for (int i = 0; i < ACCEPT_BATCH; i++) {
        eddy_addr_t from;
        socklen_t len = sizeof(from.u.bytes);
        ssize_t n = recvfrom(lfd, w->scratch, SCRATCH_SIZE, 0,
                             (struct sockaddr *)(void *)from.u.bytes, &len);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return;
        from.len = len;
        if (srv->ev.on_packet) srv->ev.on_packet(srv, li, w->scratch, (size_t)n, &from);
        count_request(srv);
        if (w->stopping) return;
    }
}

/* Accept-set tags: listener index, plus a bit for the worker's own
 * SO_REUSEPORT copy of it. */
#define TAG_REUSE 0x10000u

static void on_accept_ready(eddy_loop_t *loop, eddy_io_t *io, unsigned events) {
    eddy_server_t *srv = loop->data;
    struct epoll_event evs[2 * EDDY_SERVER_MAX_LISTENERS];
    (void)events;
    int n = epoll_wait(io->fd, evs, 2 * EDDY_SERVER_MAX_LISTENERS, 0);
    for (int i = 0; i < n && !W(srv)->stopping; i++) {
        int li = (int)(evs[i].data.u32 & ~TAG_REUSE);
        int fd = (evs[i].data.u32 & TAG_REUSE) ? W(srv)->reuse_fds[li] : srv->listeners[li].fd;
        if (srv->listeners[li].stream) accept_batch(srv, li, fd);
        else recv_packets(srv, li, fd);
    }
}

/* ---- accept set -------------------------------------------------------- */

/* With enable_reuse_port each worker also listens on its own copy of
 * every TCP listener and the kernel spreads connections across the copies.
 * The master's socket stays in the accept set: whatever reached it before
 * any worker listened is still served. Linux resets connections queued on
 * a copy when it closes, so a reload can cost those few; the default
 * shared-socket mode has no such loss. */
static int open_reuse_copies(eddy_server_t *srv) {
    for (int i = 0; i < srv->nlisteners; i++) {
        eddy__listener_t *l = &srv->listeners[i];
        if (!srv->cfg.enable_reuse_port || (l->type != EDDY_SOCK_TCP && l->type != EDDY_SOCK_TCP6))
            continue;
        struct sockaddr_storage ss;
        socklen_t len = sizeof(ss);
        eddy_addr_t addr;
        if (getsockname(l->fd, (struct sockaddr *)&ss, &len) < 0) return -errno;
        memcpy(addr.u.bytes, &ss, len);
        addr.len = len;
        int fd = eddy__server_bind(srv, l->type, &addr, 1);
        if (fd < 0) return fd;
        W(srv)->reuse_fds[i] = fd;
    }
    return 0;
}

/* EPOLLEXCLUSIVE: one worker wakes per event on a shared socket. */
static int watch_listener(int epfd, int fd, uint32_t tag) {
    struct epoll_event ev = {.events = EPOLLIN | EPOLLEXCLUSIVE, .data.u32 = tag};
    return epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) < 0 ? -errno : 0;
}

static int open_accept_set(eddy_server_t *srv) {
    eddy__worker_t *w = W(srv);
    int rc = open_reuse_copies(srv);
    if (rc < 0) return rc;
    w->accept_epfd = epoll_create1(EPOLL_CLOEXEC);
    if (w->accept_epfd < 0) return -errno;
    for (int i = 0; i < srv->nlisteners; i++) {
        if ((rc = watch_listener(w->accept_epfd, srv->listeners[i].fd, (uint32_t)i)) < 0) return rc;
        if (w->reuse_fds[i] >= 0 &&
            (rc = watch_listener(w->accept_epfd, w->reuse_fds[i], (uint32_t)i | TAG_REUSE)) < 0)
            return rc;
    }
    eddy_io_init(&w->accept_io, w->accept_epfd, on_accept_ready);
    return eddy_io_set(&srv->loop, &w->accept_io, EDDY_READ);
}

static void close_accept_set(eddy__worker_t *w) {
    eddy_io_stop(&w->accept_io);
    if (w->accept_epfd >= 0) eddy__server_close_fd(w->accept_epfd);
    w->accept_epfd = -1;
    for (int i = 0; i < EDDY_SERVER_MAX_LISTENERS; i++) {
        if (w->reuse_fds[i] >= 0) eddy__server_close_fd(w->reuse_fds[i]);
        w->reuse_fds[i] = -1;
    }
}

/* ---- heartbeat, drain, stop -------------------------------------------- */

static void close_idle(eddy_server_t *srv, uint64_t idle_ms, int keep_busy) {
    eddy__worker_t *w = W(srv);
    uint64_t now = eddy_loop_now(&srv->loop);
    for (size_t fd = 0; fd < w->conns_cap; fd++) {
        eddy__conn_t *c = w->conns[fd];
        if (!c || now - c->last_ms < idle_ms || (keep_busy && c->out.len)) continue;
        eddy__conn_close(srv, c);
    }
}

/* As close_idle, but a protected connection (eddy_server_protect) stays. */
static void on_heartbeat(eddy_timer_t *t) {
    eddy_server_t *srv = t->data;
    eddy__worker_t *w = W(srv);
    uint64_t now = eddy_loop_now(&srv->loop);
    uint64_t idle_ms = (uint64_t)srv->cfg.heartbeat_idle_time * 1000;
    for (size_t fd = 0; fd < w->conns_cap; fd++) {
        eddy__conn_t *c = w->conns[fd];
        if (c && !c->protect && now - c->last_ms >= idle_ms) eddy__conn_close(srv, c);
    }
}

/* reload_async: connections are closed once idle with nothing queued and
 * no user timer or pool work pending (a reply scheduled on a timer is
 * still sent); the manager's max_wait_time bounds the whole wait. */
static void on_drain(eddy_timer_t *t) {
    eddy_server_t *srv = t->data;
    eddy__worker_t *w = W(srv);
    size_t own = eddy_timer_active(&w->drain) ? 1 : 0;
    int busy = eddy_timer_count(&srv->loop) > own || srv->loop.pending_work > 0;
    if (!busy) close_idle(srv, DRAIN_IDLE_MS, 1);
    if (w->nconns > 0 || busy) return;
    eddy_timer_stop(&w->drain);
    eddy_loop_stop(&srv->loop);
}

static void begin_stop(eddy_server_t *srv, const char *why) {
    eddy__worker_t *w = W(srv);
    if (w->stopping) return;
    w->stopping = 1;
    eddy_log_info("worker #%d (pid %d): stopping (%s)", srv->worker_id, (int)getpid(), why);
    close_accept_set(w);
    eddy_timer_stop(&w->heartbeat);
    if (!srv->cfg.reload_async) {
        close_idle(srv, 0, 0);
        eddy_loop_stop(&srv->loop);
        return;
    }
    if (srv->ev.on_worker_exit) srv->ev.on_worker_exit(srv, srv->worker_id);
    eddy_timer_start(&w->drain, 0, DRAIN_PERIOD_MS);
}

static void on_sigterm(eddy_loop_t *loop, eddy_signal_t *sig, int signo) {
    (void)sig, (void)signo;
    begin_stop(loop->data, "SIGTERM");
}

/* ---- worker process ---------------------------------------------------- */

static int worker_setup(eddy_server_t *srv, int id) {
    eddy__worker_t *w = W(srv);
    srv->role = ROLE_WORKER;
    srv->worker_id = id;
    /* A worker must not outlive its manager (killed with SIGKILL, say):
     * orphans would keep serving with nobody to stop them. The check after
     * covers a manager that died before prctl took effect. */
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != srv->manager_pid) return EDDY_ESYSCALL;
    int rc = eddy__server_new_loop(srv);
    if (rc < 0) return rc;
    srv->loop.data = srv;
    w->scratch = eddy_malloc(SCRATCH_SIZE);
    if ((rc = eddy_signal_start(&srv->loop, &w->sigterm, SIGTERM, on_sigterm)) < 0) return rc;
    if ((rc = open_accept_set(srv)) < 0) return rc;
    eddy__server_switch_ids(srv); /* daemon.c: after the SO_REUSEPORT copies (same uid) */
    if ((rc = eddy__ipc_start(srv)) < 0) return rc; /* task.c: the manager channel */
    eddy_timer_init(&srv->loop, &w->heartbeat, on_heartbeat);
    eddy_timer_init(&srv->loop, &w->drain, on_drain);
    w->heartbeat.data = w->drain.data = srv;
    uint64_t hb = (uint64_t)srv->cfg.heartbeat_check_interval * 1000;
    if (hb) eddy_timer_start(&w->heartbeat, hb, hb);
    if (srv->cfg.max_request) {
        /* The grace spreads restarts so workers do not all recycle at once. */
        srand((unsigned)getpid() ^ (unsigned)eddy_now_ns());
        uint32_t g = srv->cfg.max_request_grace;
        w->max_requests = srv->cfg.max_request + (g ? (uint64_t)rand() % (g + 1) : 0);
    }
    return 0;
}

void eddy__worker_main(eddy_server_t *srv, int id) {
    sigset_t pending;
    if (srv->mode == EDDY_SERVER_PROCESS) eddy__pworker_main(srv, id); /* process_worker.c */
    /* A SIGTERM sent right after fork is pending here; replacing the
     * inherited loop would discard it, so remember it. */
    int term = sigpending(&pending) == 0 && sigismember(&pending, SIGTERM);
    int rc = worker_setup(srv, id);
    if (rc < 0) {
        eddy_log_error("worker #%d: cannot start: %s", id, eddy_strerror(rc));
        eddy__server_exit(srv, 1);
    }
    if (srv->ev.on_worker_start) srv->ev.on_worker_start(srv, id);
    if (term) begin_stop(srv, "SIGTERM");
    eddy_loop_run(&srv->loop);
    if (srv->ev.on_worker_stop) srv->ev.on_worker_stop(srv, id);
    close_idle(srv, 0, 0); /* forced stop: whatever is left fires on_close */
    eddy__server_exit(srv, 0);
}

void eddy__worker_free(eddy_server_t *srv) {
    eddy__worker_t *w = W(srv);
    for (size_t fd = 0; fd < w->conns_cap; fd++) {
        eddy__conn_t *c = w->conns[fd];
        if (!c) continue;
        eddy__server_close_fd(c->fd);
        conn_free(c);
    }
    eddy_free(w->conns);
    w->conns = NULL;
    w->conns_cap = w->nconns = 0;
    close_accept_set(w);
    eddy_free(w->scratch);
    w->scratch = NULL;
}

/* ---- public API (worker side) ----------------------------------------- */

static int session_error(int session, int err) {
    if (err == EDDY_ESESSION_NOT_EXIST || err == EDDY_ESESSION_CLOSED)
        eddy_log(EDDY_LOG_NOTICE, "server: session#%d %s", session,
                 err == EDDY_ESESSION_CLOSED ? "is closed" : "does not exist");
    return err;
}

int eddy_server_send(eddy_server_t *srv, int fd, const void *data, size_t len) {
    int err;
    if (srv->role == ROLE_USER) return eddy__uproc_send(srv, fd, data, len); /* user_process.c */
    if (srv->mode == EDDY_SERVER_PROCESS) return eddy__pworker_send(srv, fd, data, len);
    if (eddy__ipc_remote(srv, fd)) return eddy__ipc_forward(srv, EDDY__FRAME_SEND, fd, data, len);
    eddy__conn_t *c = eddy__worker_conn(srv, fd, &err);
    if (err) return session_error(fd, err);
    if (len > srv->cfg.buffer_output_size) {
        eddy_log_warn("server: send of %zu bytes over buffer_output_size=%u", len,
                      srv->cfg.buffer_output_size);
        return EDDY_EOUTPUT_BUFFER_OVERFLOW;
    }
    return eddy__conn_send(srv, c, data, len);
}

static int close_conn(eddy_server_t *srv, int fd, int linger) {
    int err;
    if (srv->mode == EDDY_SERVER_PROCESS) return eddy__pworker_close(srv, fd, linger);
    if (eddy__ipc_remote(srv, fd)) return eddy__ipc_forward(srv, EDDY__FRAME_CLOSE, fd, NULL, 0);
    eddy__conn_t *c = eddy__worker_conn(srv, fd, &err);
    if (err) return session_error(fd, err);
    c->linger = linger ? 1 : 0;
    if (c->out.len) { /* close once the queue is written; stop reading now */
        c->close_after_flush = 1;
        eddy_io_set(&srv->loop, &c->io, EDDY_WRITE);
        return 0;
    }
    if (!linger) {
        eddy__conn_close(srv, c);
        return 0;
    }
    c->close_after_flush = 1;
    eddy__linger_start(srv, c);
    return 0;
}

int eddy_server_close(eddy_server_t *srv, int fd) {
    if (srv->role == ROLE_USER) return eddy__uproc_close(srv, fd); /* user_process.c */
    return close_conn(srv, fd, 0);
}

int eddy_server_close_linger(eddy_server_t *srv, int fd) { return close_conn(srv, fd, 1); }

int eddy_server_exists(eddy_server_t *srv, int fd) {
    int err;
    if (srv->mode == EDDY_SERVER_PROCESS) return eddy__pworker_exists(srv, fd);
    if (eddy__ipc_remote(srv, fd)) return eddy__ipc_query(srv, fd, NULL) == 0; /* task.c */
    eddy__worker_conn(srv, fd, &err);
    return err == 0;
}

int eddy_server_output_pending(eddy_server_t *srv, int fd) {
    int err;
    if (srv->mode == EDDY_SERVER_PROCESS) return eddy__pworker_pending(srv, fd);
    if (eddy__ipc_remote(srv, fd)) return EDDY_EWRONG_OP; /* another worker's queue */
    eddy__conn_t *c = eddy__worker_conn(srv, fd, &err);
    if (err) return session_error(fd, err);
    return c->out.len > INT_MAX ? INT_MAX : (int)c->out.len;
}

int eddy_server_client_info(eddy_server_t *srv, int fd, eddy_server_client_info_t *info) {
    int err;
    if (srv->mode == EDDY_SERVER_PROCESS) return eddy__pworker_info(srv, fd, info);
    if (eddy__ipc_remote(srv, fd)) return eddy__ipc_query(srv, fd, info); /* task.c */
    eddy__conn_t *c = eddy__worker_conn(srv, fd, &err);
    if (!c) return err;
    memset(info, 0, sizeof(*info));
    info->worker_id = srv->worker_id;
    info->listener = c->listener;
    info->server_port = srv->listeners[c->listener].port;
    if (c->peer.len) eddy_addr_format(&c->peer, info->remote_ip, sizeof(info->remote_ip),
                                      &info->remote_port);
    info->connect_time = c->connect_time;
    info->last_time = c->last_time;
    return 0;
}

int eddy_server_sendto(eddy_server_t *srv, int listener, const eddy_addr_t *to, const void *data,
                       size_t len) {
    if (listener < 0 || listener >= srv->nlisteners || srv->listeners[listener].stream)
        return EDDY_EINVAL;
    ssize_t n;
    do n = sendto(srv->listeners[listener].fd, data, len, MSG_DONTWAIT,
                  (const struct sockaddr *)(const void *)to->u.bytes, to->len);
    while (n < 0 && errno == EINTR);
    return n < 0 ? -errno : 0;
}

int eddy_server_connections(eddy_server_t *srv, eddy_server_conn_cb cb, void *arg) {
    eddy__worker_t *w = W(srv);
    int n = 0;
    if (srv->mode == EDDY_SERVER_PROCESS) return eddy__pworker_connections(srv, cb, arg);
    if (srv->role != ROLE_WORKER) return EDDY_EWRONG_OP;
    for (size_t fd = 0; fd < w->conns_cap; fd++) {
        eddy__conn_t *c = w->conns[fd];
        if (!c || c->closed || c->close_after_flush) continue;
        n++;
        if (cb && cb(srv, c->session, arg)) break;
    }
    return n;
}
