/*
 * PROCESS mode, master side: reactor_num reactor threads, each with its own
 * loop. A reactor accepts (the listen sockets sit in a per-thread epoll set
 * with EPOLLEXCLUSIVE, so one thread wakes per connection), reads, frames
 * with the listener's options, and sends each message to a worker over the
 * (reactor, worker) channel. Replies come back on the same channel and are
 * written to the client, queued up to socket_buffer_size per connection;
 * beyond that a reply is dropped with a warning (SW_ERROR_OUTPUT_BUFFER_
 * OVERFLOW, as Swoole's reactor does), never buffered without bound.
 *
 * Threads share only: the session table and the slot -> connection array
 * (an entry is touched only by the reactor that owns the connection), the
 * session counter (mutex), and the dispatch cursors (atomics).
 */
#define _GNU_SOURCE
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <time.h>

#include "server/process.h"

#define SCRATCH_SIZE (64 * 1024)
#define BATCH 64
#define STOP_CHECK_MS 20
#define STOP_LIMIT_MS 2000 /* shutdown: longest wait for queued output */
/* Input back-pressure: when a worker falls behind and the records queued
 * for it pass CHAN_HIGH, this reactor stops reading its clients (TCP then
 * pushes back on them) until every channel is under CHAN_LOW again. One
 * message is always queued whole, so the bound is CHAN_HIGH plus one
 * package_max_length. */
#define CHAN_HIGH (16u << 20)
#define CHAN_LOW (4u << 20)

/* ---- channels to workers ---------------------------------------------- */

static void set_paused(eddy__reactor_t *r, int paused);

static size_t chan_pending(const eddy__chan_t *ch) { return ch->q.len - ch->qoff; }

static void chan_watch(eddy__reactor_t *r, eddy__chan_t *ch) {
    eddy_io_set(&r->loop, &ch->io, EDDY_READ | (ch->q.len > ch->qoff ? EDDY_WRITE : 0));
}

static void chan_flush(eddy__reactor_t *r, eddy__chan_t *ch) {
    int rc = eddy__records_send(ch->fd, &ch->q, &ch->qoff, 0);
    if (rc < 0) {
        eddy_log_error("reactor #%d: worker channel: %s", r->id, eddy_strerror(rc));
        eddy_buf_clear(&ch->q);
        ch->qoff = 0;
    }
    chan_watch(r, ch);
    if (r->paused && chan_pending(ch) < CHAN_LOW) set_paused(r, 0);
}

/* Records wait until the end of the loop iteration and then leave in one
 * sendmmsg per channel, whatever number of clients produced them. */
static void flush_chans(void *arg) {
    eddy__reactor_t *r = arg;
    r->flush_queued = 0;
    for (int w = 0; w < r->srv->proc->nworkers; w++) {
        eddy__chan_t *ch = &r->chans[w];
        if (ch->q.len > ch->qoff && !(ch->io.events & EDDY_WRITE)) chan_flush(r, ch);
    }
}

static void chan_record(eddy__reactor_t *r, eddy__chan_t *ch, const eddy__msg_t *h,
                        const char *payload) {
    eddy__records_put(&ch->q, h, payload);
    if (!r->paused && chan_pending(ch) > CHAN_HIGH) set_paused(r, 1);
    if (r->flush_queued || (ch->io.events & EDDY_WRITE)) return; /* EPOLLOUT will flush */
    r->flush_queued = 1;
    eddy_loop_defer(&r->loop, flush_chans, r);
}

static void chan_send(eddy__reactor_t *r, int worker, int type, int session, uint32_t aux,
                      const char *data, size_t len) {
    eddy__chan_t *ch = &r->chans[worker];
    size_t off = 0;
    do {
        size_t n = len - off > EDDY__CHUNK ? EDDY__CHUNK : len - off;
        eddy__msg_t h = {.type = (uint8_t)type, .reactor = (uint16_t)r->id, .session = session,
                         .len = (uint32_t)n, .aux = aux};
        h.flags = (uint8_t)((off == 0 ? MSG_BEGIN : 0) | (off + n == len ? MSG_END : 0));
        chan_record(r, ch, &h, data + off);
        off += n;
    } while (off < len);
}

/* ---- connections ------------------------------------------------------- */

static void conn_free(eddy__pconn_t *c) {
    eddy_buf_free(&c->in);
    eddy_buf_free(&c->out);
    eddy_free(c);
}

/* Releases the fd and the slot, then tells the connection's worker (for
 * stateful dispatch modes) so that on_close fires there. The slot is marked
 * closed only after it no longer points at c: a new session may reuse it
 * at once from another thread. */
static void conn_close(eddy__reactor_t *r, eddy__pconn_t *c, int notify) {
    eddy__proc_t *p = r->srv->proc;
    if (c->closed) return;
    c->closed = 1;
    if (c->linger_timer) {
        eddy_timer_stop(c->linger_timer);
        eddy_free(c->linger_timer);
        c->linger_timer = NULL;
    }
    eddy_io_stop(&c->io);
    eddy__server_close_fd(c->fd);
    r->conns[c->slot] = NULL;
    atomic_store_explicit(&p->table[c->slot].closed, 1, memory_order_release);
    if (notify && c->worker >= 0) chan_send(r, c->worker, MSG_CLOSE, c->session, 0, NULL, 0);
    if (!c->dispatching) conn_free(c);
}

static void conn_watch(eddy__reactor_t *r, eddy__pconn_t *c) {
    /* Every change of the output queue passes here: workers pacing a large
     * body (eddy_server_output_pending) read it from the session table. */
    atomic_store_explicit(&r->srv->proc->table[c->slot].out_pending, c->out.len - c->outoff,
                          memory_order_relaxed);
    int paused = atomic_load_explicit(&r->srv->proc->table[c->slot].paused, memory_order_acquire);
    unsigned ev = (c->close_after_flush || r->stopping || r->paused || paused) ? 0 : EDDY_READ;
    if (c->out.len > c->outoff) ev |= EDDY_WRITE;
    eddy_io_set(&r->loop, &c->io, ev);
}

/* Writes queued output; 0, or -errno when the client is gone. */
static int flush_out(eddy__reactor_t *r, eddy__pconn_t *c) {
    while (c->outoff < c->out.len) {
        ssize_t n = send(c->fd, c->out.data + c->outoff, c->out.len - c->outoff,
                         MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno == EAGAIN) break;
        if (n < 0) return -errno;
        c->outoff += (size_t)n;
    }
    eddy__queue_trim(&c->out, &c->outoff); /* a long reply never drains whole */
    conn_watch(r, c);
    return 0;
}

static void conn_write(eddy__reactor_t *r, eddy__pconn_t *c, const char *data, size_t len) {
    size_t done = 0;
    while (c->out.len == c->outoff && done < len) {
        ssize_t n = send(c->fd, data + done, len - done, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno == EAGAIN) break;
        if (n < 0) {
            conn_close(r, c, 1);
            return;
        }
        done += (size_t)n;
    }
    if (done == len) return;
    size_t pending = c->out.len - c->outoff;
    if (pending + (len - done) > r->srv->cfg.socket_buffer_size) {
        eddy_log_warn("reactor #%d: session#%d: output buffer overflow (%d): %zu bytes "
                      "dropped, socket_buffer_size=%u",
                      r->id, c->session, EDDY_EOUTPUT_BUFFER_OVERFLOW, len - done,
                      r->srv->cfg.socket_buffer_size);
        return;
    }
    eddy_buf_append(&c->out, data + done, len - done);
    conn_watch(r, c);
}

/* ---- input ------------------------------------------------------------- */

static void deliver(eddy__reactor_t *r, eddy__pconn_t *c, const char *data, size_t len) {
    eddy_server_t *srv = r->srv;
    int w = eddy__dispatch_pick(srv, c);
    if (w < 0 || w >= srv->proc->nworkers) w = 0;
    if (srv->cfg.dispatch_mode == EDDY_DISPATCH_IDLE) {
        atomic_fetch_add_explicit(&srv->proc->busy[w], 1, memory_order_relaxed);
        r->chans[w].inflight++;
    }
    chan_send(r, w, MSG_DATA, c->session, 0, data, len);
}

/* Every complete message of data[0..len) goes to a worker; returns the
 * bytes consumed. */
static size_t frame(eddy__reactor_t *r, eddy__pconn_t *c, const char *data, size_t len) {
    const eddy_framing_t *f = &r->srv->listeners[c->listener].framing;
    size_t pos = 0;
    while (pos < len && !c->closed) {
        ssize_t m = eddy_framing_parse(f, data + pos, len - pos, &c->scanned);
        if (m == 0) break;
        if (m < 0) {
            eddy_log_warn("reactor #%d: session#%d: %s (package_max_length=%zu), closing it",
                          r->id, c->session,
                          m == EDDY_EMSGSIZE ? "message over package_max_length"
                                             : "malformed length field",
                          f->package_max_length);
            conn_close(r, c, 1);
            break;
        }
        deliver(r, c, data + pos, (size_t)m);
        pos += (size_t)m;
    }
    return pos;
}

/* eddy__feed's callback (feed.c frames in place, keeps only a tail). */
static size_t frames(void *r, void *conn, const char *data, size_t len) {
    eddy__pconn_t *c = conn;
    size_t used = frame(r, c, data, len);
    return c->closed ? EDDY__FEED_GONE : used;
}

static void read_conn(eddy__reactor_t *r, eddy__pconn_t *c) {
    for (int i = 0; i < 16 && !c->closed && !c->close_after_flush && !r->paused; i++) {
        ssize_t n = recv(c->fd, r->scratch, SCRATCH_SIZE, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno == EAGAIN) return;
        if (n <= 0) {
            conn_close(r, c, 1);
            return;
        }
        c->last_ms = eddy_loop_now(&r->loop);
        atomic_store_explicit(&r->srv->proc->table[c->slot].last_time, (int64_t)time(NULL),
                              memory_order_relaxed);
        eddy__feed(&c->in, r->scratch, (size_t)n, frames, r, c);
        if ((size_t)n < SCRATCH_SIZE) return;
    }
}

/* ---- lingering close (linger.c) ---------------------------------------- */

static void on_linger_timeout(eddy_timer_t *t) { conn_close(t->loop->data, t->data, 1); }

static void linger_start(eddy__reactor_t *r, eddy__pconn_t *c) {
    c->lingering = 1;
    if (eddy__linger_shutdown(c->fd) < 0 || eddy_io_set(&r->loop, &c->io, EDDY_READ) < 0) {
        conn_close(r, c, 1);
        return;
    }
    c->linger_timer = eddy_malloc(sizeof(*c->linger_timer));
    eddy_timer_init(&r->loop, c->linger_timer, on_linger_timeout);
    c->linger_timer->data = c;
    eddy_timer_start(c->linger_timer, EDDY_SERVER_LINGER_MS, 0);
}

static void linger_read(eddy__reactor_t *r, eddy__pconn_t *c) {
    if (eddy__linger_drain(c->fd, r->scratch, SCRATCH_SIZE, &c->lingered)) conn_close(r, c, 1);
}

static void on_conn_io(eddy_loop_t *loop, eddy_io_t *io, unsigned events) {
    eddy__reactor_t *r = loop->data;
    eddy__pconn_t *c = io->data;
    c->dispatching++;
    if ((events & EDDY_WRITE) && c->out.len > c->outoff && flush_out(r, c) < 0)
        conn_close(r, c, 1);
    if (!c->closed && c->close_after_flush && c->out.len == c->outoff && !c->lingering) {
        if (c->linger) linger_start(r, c);
        else conn_close(r, c, 1);
    }
    if (!c->closed && c->lingering && (events & EDDY_READ)) linger_read(r, c);
    else if (!c->closed && (events & EDDY_READ) && !r->stopping && !r->paused) read_conn(r, c);
    c->dispatching--;
    if (c->closed && !c->dispatching) conn_free(c);
}

/* ---- accept ------------------------------------------------------------ */

static void tune(const eddy_server_t *srv, int fd, eddy_sock_type_t type) {
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

static void publish(eddy__reactor_t *r, eddy__pconn_t *c, const eddy_addr_t *peer) {
    eddy__session_t *e = &r->srv->proc->table[c->slot];
    e->reactor = r->id;
    e->listener = c->listener;
    e->worker = c->worker;
    atomic_store(&e->uid, 0);
    atomic_store(&e->server_closed, 0);
    e->peer = *peer;
    e->connect_time = (int64_t)time(NULL);
    atomic_store(&e->last_time, e->connect_time);
    atomic_store(&e->out_pending, 0);
    atomic_store(&e->paused, 0);
    atomic_store(&e->protect, 0);
}

static void add_conn(eddy__reactor_t *r, int li, int fd, const struct sockaddr_storage *ss,
                     socklen_t sslen) {
    eddy_server_t *srv = r->srv;
    int session = eddy__session_alloc(srv);
    if (session < 0) {
        eddy_log_warn("reactor #%d: too many connections (max_connection=%u), refusing one",
                      r->id, srv->cfg.max_connection);
        eddy__server_close_fd(fd);
        return;
    }
    eddy_addr_t peer = {.len = 0};
    if (sslen <= sizeof(peer.u.bytes)) {
        memcpy(peer.u.bytes, ss, sslen);
        peer.len = sslen;
    }
    eddy__pconn_t *c = eddy_calloc(1, sizeof(*c));
    c->fd = fd, c->session = session, c->listener = li, c->r = r;
    c->slot = (int)((size_t)session % srv->proc->cap);
    c->ip_hash = eddy__ip_hash(&peer);
    c->worker = eddy__dispatch_fixed(srv, c);
    c->last_ms = eddy_loop_now(&r->loop);
    eddy_buf_init(&c->in);
    eddy_buf_init(&c->out);
    publish(r, c, &peer);
    r->conns[c->slot] = c;
    tune(srv, fd, srv->listeners[li].type);
    eddy_io_init(&c->io, fd, on_conn_io);
    c->io.data = c;
    conn_watch(r, c);
    if (c->worker >= 0) chan_send(r, c->worker, MSG_CONNECT, session, (uint32_t)li, NULL, 0);
}

static void accept_batch(eddy__reactor_t *r, int li, int lfd) {
    for (int i = 0; i < BATCH && !r->stopping; i++) {
        struct sockaddr_storage ss;
        socklen_t len = sizeof(ss);
        int fd = accept4(lfd, (struct sockaddr *)&ss, &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED) continue;
            if (errno != EAGAIN) eddy_log_warn("reactor #%d: accept: %s", r->id, strerror(errno));
            return;
        }
        add_conn(r, li, fd, &ss, len);
    }
}

/* Datagrams go to a worker whole, with the sender's address in front. A
 * datagram longer than the read buffer (64 KiB less the address) is cut. */
static void recv_packets(eddy__reactor_t *r, int li, int lfd) {
    eddy_server_t *srv = r->srv;
    for (int i = 0; i < BATCH && !r->stopping; i++) {
        eddy_addr_t from = {.len = 0};
        socklen_t len = sizeof(from.u.bytes);
        char *data = r->scratch + sizeof(from);
        ssize_t n = recvfrom(lfd, data, SCRATCH_SIZE - sizeof(from), 0,
                             (struct sockaddr *)(void *)from.u.bytes, &len);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return;
        from.len = len;
        memcpy(r->scratch, &from, sizeof(from));
        int w = eddy__dispatch_packet(srv, &from);
        if (srv->cfg.dispatch_mode == EDDY_DISPATCH_IDLE) {
            atomic_fetch_add_explicit(&srv->proc->busy[w], 1, memory_order_relaxed);
            r->chans[w].inflight++;
        }
        chan_send(r, w, MSG_PACKET, 0, (uint32_t)li, r->scratch, sizeof(from) + (size_t)n);
    }
}

static void on_accept_ready(eddy_loop_t *loop, eddy_io_t *io, unsigned events) {
    eddy__reactor_t *r = loop->data;
    struct epoll_event evs[EDDY_SERVER_MAX_LISTENERS];
    (void)events;
    int n = epoll_wait(io->fd, evs, EDDY_SERVER_MAX_LISTENERS, 0);
    for (int i = 0; i < n && !r->stopping; i++) {
        int li = (int)evs[i].data.u32;
        if (r->srv->listeners[li].stream) accept_batch(r, li, r->srv->listeners[li].fd);
        else recv_packets(r, li, r->srv->listeners[li].fd);
    }
}

static int open_accept_set(eddy__reactor_t *r) {
    r->accept_epfd = epoll_create1(EPOLL_CLOEXEC);
    if (r->accept_epfd < 0) return -errno;
    for (int i = 0; i < r->srv->nlisteners; i++) {
        struct epoll_event ev = {.events = EPOLLIN | EPOLLEXCLUSIVE, .data.u32 = (uint32_t)i};
        if (epoll_ctl(r->accept_epfd, EPOLL_CTL_ADD, r->srv->listeners[i].fd, &ev) < 0)
            return -errno;
    }
    eddy_io_init(&r->accept_io, r->accept_epfd, on_accept_ready);
    return eddy_io_set(&r->loop, &r->accept_io, EDDY_READ);
}

/* ---- records from workers ---------------------------------------------- */

static eddy__pconn_t *conn_of(eddy__reactor_t *r, int session) {
    eddy__proc_t *p = r->srv->proc;
    if (session <= 0) return NULL;
    eddy__pconn_t *c = r->conns[(size_t)session % p->cap];
    return c && c->session == session && !c->closed ? c : NULL;
}

/* A reply for a connection that is gone (or closing) is dropped with
 * Swoole's notice 1007; the worker's send had returned 0 already. Logged
 * once per message, not per record of a long one. */
static void discard_send(eddy__reactor_t *r, const eddy__msg_t *h) {
    if (!(h->flags & MSG_BEGIN)) return;
    eddy_log(EDDY_LOG_NOTICE,
             "reactor #%d: data for session#%d discarded: session closed (ERRNO %d)", r->id,
             h->session, -EDDY_ESESSION_DISCARD_DATA);
}

static void on_record(eddy__reactor_t *r, int w, const eddy__msg_t *h, const char *payload) {
    eddy__chan_t *ch = &r->chans[w];
    eddy__pconn_t *c = h->session > 0 ? conn_of(r, h->session) : NULL;
    switch (h->type) {
    case MSG_SEND:
        if (c && !c->close_after_flush) conn_write(r, c, payload, h->len);
        else discard_send(r, h);
        break;
    case MSG_CLOSE:
    case MSG_LINGER:
        if (!c || c->close_after_flush) break;
        c->close_after_flush = 1;
        c->linger = h->type == MSG_LINGER;
        if (c->out.len > c->outoff) conn_watch(r, c); /* close once the queue is written */
        else if (c->linger) linger_start(r, c);
        else conn_close(r, c, 1);
        break;
    case MSG_FLOW: /* eddy_server_pause / resume changed the session's flag */
        if (c && !c->close_after_flush && !c->lingering) conn_watch(r, c);
        break;
    case MSG_BIND: /* the first bind wins; later messages follow the uid */
        if (!c || atomic_load(&r->srv->proc->table[c->slot].uid)) break;
        c->worker = (int)(h->aux % (uint32_t)r->srv->proc->nworkers);
        r->srv->proc->table[c->slot].worker = c->worker;
        atomic_store(&r->srv->proc->table[c->slot].uid, h->aux);
        break;
    case MSG_DONE:
        if (ch->inflight > 0) {
            ch->inflight--;
            atomic_fetch_sub_explicit(&r->srv->proc->busy[w], 1, memory_order_relaxed);
        }
        break;
    case MSG_HELLO: /* a restarted worker: what its predecessor held is lost */
        atomic_fetch_sub_explicit(&r->srv->proc->busy[w], ch->inflight, memory_order_relaxed);
        ch->inflight = 0;
        break;
    }
}

static void on_chan_io(eddy_loop_t *loop, eddy_io_t *io, unsigned events) {
    eddy__reactor_t *r = loop->data;
    eddy__chan_t *ch = io->data;
    int w = (int)(ch - r->chans);
    if (events & EDDY_WRITE) chan_flush(r, ch);
    if (!(events & EDDY_READ)) return;
    for (int i = 0; i < BATCH / EDDY__BATCH; i++) {
        size_t lens[EDDY__BATCH];
        int n = eddy__records_recv(ch->fd, r->rbuf, lens);
        if (n == -EAGAIN) return;
        if (n <= 0 || lens[0] == 0) { /* every worker end closed: the manager is gone */
            eddy_io_set(loop, io, 0);
            return;
        }
        for (int k = 0; k < n; k++) {
            const char *at = r->rbuf + (size_t)k * EDDY__RECORD_MAX, *end = at + lens[k];
            const char *payload;
            eddy__msg_t h;
            while ((payload = eddy__record_next(&at, end, &h))) on_record(r, w, &h, payload);
        }
        if (n < EDDY__BATCH) return;
    }
}

/* ---- stop -------------------------------------------------------------- */

/* Visits this reactor's connections; f may close (and free) c. */
static size_t each_conn(eddy__reactor_t *r, void (*f)(eddy__reactor_t *, eddy__pconn_t *)) {
    eddy__proc_t *p = r->srv->proc;
    size_t n = 0;
    for (size_t i = 0; r->conns && i < p->cap; i++) {
        eddy__pconn_t *c = r->conns[i];
        if (!c) continue;
        n++;
        if (f) f(r, c);
    }
    return n;
}

static void quiet_conn(eddy__reactor_t *r, eddy__pconn_t *c) {
    if (c->out.len > c->outoff) conn_watch(r, c); /* stopping: write only */
    else conn_close(r, c, 0);
}

static void drop_conn(eddy__reactor_t *r, eddy__pconn_t *c) { conn_close(r, c, 0); }

static void rewatch(eddy__reactor_t *r, eddy__pconn_t *c) {
    if (!c->closed) conn_watch(r, c);
}

/* Pausing walks this reactor's connections once; it happens only when a
 * worker is far behind, not per message. */
static void set_paused(eddy__reactor_t *r, int paused) {
    if (!paused)
        for (int w = 0; w < r->srv->proc->nworkers; w++)
            if (chan_pending(&r->chans[w]) >= CHAN_LOW) return;
    if (r->paused == paused) return;
    r->paused = paused;
    eddy_log(paused ? EDDY_LOG_WARNING : EDDY_LOG_INFO,
             "reactor #%d: %s reading clients (a worker channel holds %s than %u MiB)", r->id,
             paused ? "paused" : "resumed", paused ? "more" : "less",
             (paused ? CHAN_HIGH : CHAN_LOW) >> 20);
    each_conn(r, rewatch);
}

static void on_stop_check(eddy_timer_t *t) {
    eddy__reactor_t *r = t->data;
    int late = eddy_loop_now(&r->loop) - r->stop_ms >= STOP_LIMIT_MS;
    each_conn(r, late ? drop_conn : quiet_conn);
    if (each_conn(r, NULL) > 0) return;
    eddy_timer_stop(t);
    eddy_loop_stop(&r->loop);
}

static void on_stop(eddy_loop_t *loop, eddy_io_t *io, unsigned events) {
    eddy__reactor_t *r = loop->data;
    uint64_t v;
    (void)events;
    if (read(io->fd, &v, sizeof(v)) < 0) { /* eventfd: nothing to do */
    }
    if (r->stopping) return;
    r->stopping = 1;
    r->stop_ms = eddy_loop_now(loop);
    eddy_io_stop(&r->accept_io);
    eddy_timer_stop(&r->heartbeat);
    eddy_timer_start(&r->drain, 0, STOP_CHECK_MS);
}

/* ---- heartbeat --------------------------------------------------------- */

static void close_if_idle(eddy__reactor_t *r, eddy__pconn_t *c) {
    uint64_t idle = (uint64_t)r->srv->cfg.heartbeat_idle_time * 1000;
    if (atomic_load_explicit(&r->srv->proc->table[c->slot].protect, memory_order_relaxed)) return;
    if (eddy_loop_now(&r->loop) - c->last_ms >= idle) conn_close(r, c, 1);
}

static void on_heartbeat(eddy_timer_t *t) { each_conn(t->data, close_if_idle); }

/* ---- threads ----------------------------------------------------------- */

static void *reactor_main(void *arg) {
    eddy__reactor_t *r = arg;
    eddy_loop_run(&r->loop);
    return NULL;
}

static int reactor_setup(eddy_server_t *srv, eddy__reactor_t *r) {
    eddy__proc_t *p = srv->proc;
    int rc = eddy_loop_init(&r->loop);
    if (rc < 0) return rc;
    r->loop.data = r;
    r->scratch = eddy_malloc(SCRATCH_SIZE);
    r->rbuf = eddy_malloc((size_t)EDDY__BATCH * EDDY__RECORD_MAX);
    r->conns = eddy_calloc(p->cap, sizeof(*r->conns));
    r->chans = eddy_calloc((size_t)p->nworkers, sizeof(*r->chans));
    for (int w = 0; w < p->nworkers; w++) {
        eddy__chan_t *ch = &r->chans[w];
        ch->fd = p->master_fds[r->id * p->nworkers + w];
        eddy_buf_init(&ch->q);
        eddy_io_init(&ch->io, ch->fd, on_chan_io);
        ch->io.data = ch;
        if ((rc = eddy_io_set(&r->loop, &ch->io, EDDY_READ)) < 0) return rc;
    }
    r->stop_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (r->stop_fd < 0) return -errno;
    eddy_io_init(&r->stop_io, r->stop_fd, on_stop);
    if ((rc = eddy_io_set(&r->loop, &r->stop_io, EDDY_READ)) < 0) return rc;
    eddy_timer_init(&r->loop, &r->drain, on_stop_check);
    eddy_timer_init(&r->loop, &r->heartbeat, on_heartbeat);
    r->drain.data = r->heartbeat.data = r;
    uint64_t hb = (uint64_t)srv->cfg.heartbeat_check_interval * 1000;
    if (hb) eddy_timer_start(&r->heartbeat, hb, hb);
    return open_accept_set(r);
}

int eddy__reactors_start(eddy_server_t *srv) {
    eddy__proc_t *p = srv->proc;
    p->reactors = eddy_calloc((size_t)p->nreactors, sizeof(*p->reactors));
    for (int i = 0; i < p->nreactors; i++) {
        eddy__reactor_t *r = &p->reactors[i];
        r->srv = srv, r->id = i, r->accept_epfd = r->stop_fd = -1;
    }
    for (int i = 0; i < p->nreactors; i++) {
        eddy__reactor_t *r = &p->reactors[i];
        int rc = reactor_setup(srv, r);
        if (rc == 0) rc = -pthread_create(&r->tid, NULL, reactor_main, r);
        if (rc < 0) {
            eddy_log_error("server: cannot start reactor thread #%d: %s", i, eddy_strerror(rc));
            return rc;
        }
        r->started = 1;
    }
    return 0;
}

static void reactor_free(eddy__reactor_t *r) {
    each_conn(r, drop_conn);
    eddy_free(r->conns);
    for (int w = 0; r->chans && w < r->srv->proc->nworkers; w++) eddy_buf_free(&r->chans[w].q);
    eddy_free(r->chans);
    if (r->scratch) eddy_loop_close(&r->loop); /* scratch is set once the loop is */
    eddy_free(r->scratch);
    eddy_free(r->rbuf);
    eddy__server_close_fd(r->accept_epfd);
    eddy__server_close_fd(r->stop_fd);
}

/* Asks every reactor to stop accepting and reading, waits (bounded) for
 * queued replies to reach their clients, then joins the threads. */
void eddy__reactors_stop(eddy_server_t *srv) {
    eddy__proc_t *p = srv->proc;
    if (!p || !p->reactors) return;
    uint64_t one = 1;
    for (int i = 0; i < p->nreactors; i++)
        if (p->reactors[i].started && write(p->reactors[i].stop_fd, &one, sizeof(one)) < 0)
            eddy_log_error("server: cannot stop reactor #%d", i);
    for (int i = 0; i < p->nreactors; i++) {
        eddy__reactor_t *r = &p->reactors[i];
        if (r->started) pthread_join(r->tid, NULL);
        reactor_free(r);
    }
    eddy_free(p->reactors);
    p->reactors = NULL;
}
