/*
 * PROCESS mode, worker side: reads records from its channel to each
 * reactor thread, reassembles messages, fires connect / receive / close,
 * and sends replies and close requests back to the reactor that owns the
 * connection (found in the shared session table).
 *
 * Stopping (reload, max_request, shutdown) leaves unread records in the
 * channels: the replacement worker inherits the same channels from the
 * manager and reads them, so a connection outlives its worker. A channel is
 * released only between messages, never halfway through one.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "server/ipc.h"
#include "server/process.h"

#define READ_BATCH 64
#define DRAIN_PERIOD_MS 50

static eddy__proc_t *P(eddy_server_t *srv) { return srv->proc; }

static int chan_fd(eddy_server_t *srv, int reactor) {
    return P(srv)->worker_fds[reactor * P(srv)->nworkers + srv->worker_id];
}

/* Sends what is queued for one reactor, waiting for room if need be. */
static int flush_out(eddy_server_t *srv, int reactor) {
    eddy__proc_t *p = P(srv);
    size_t off = 0;
    int rc = eddy__records_send(chan_fd(srv, reactor), &p->wout[reactor], &off, 1);
    if (rc < 0) {
        eddy_log_error("worker #%d: channel to reactor #%d: %s", srv->worker_id, reactor,
                       eddy_strerror(rc));
        eddy_buf_clear(&p->wout[reactor]);
        return EDDY_ESYSCALL;
    }
    return 0;
}

static void flush_all(eddy_server_t *srv) {
    for (int r = 0; r < P(srv)->nreactors; r++)
        if (P(srv)->wout[r].len) flush_out(srv, r);
}

/* Inside a batch of incoming records the replies are queued and leave
 * together after it (one sendmmsg for many); elsewhere (timers) at once.
 * A queue that grows large is flushed early, so memory stays bounded. */
static int send_record(eddy_server_t *srv, int reactor, int type, int session, const char *data,
                       size_t len) {
    eddy__proc_t *p = P(srv);
    eddy_buf_t *q = &p->wout[reactor];
    size_t off = 0;
    do {
        size_t n = len - off > EDDY__CHUNK ? EDDY__CHUNK : len - off;
        eddy__msg_t h = {.type = (uint8_t)type, .reactor = (uint16_t)reactor,
                         .session = session, .len = (uint32_t)n};
        h.flags = (uint8_t)((off == 0 ? MSG_BEGIN : 0) | (off + n == len ? MSG_END : 0));
        eddy__records_put(q, &h, data + off);
        off += n;
        if (q->len >= 4 * EDDY__CHUNK && flush_out(srv, reactor) < 0) return EDDY_ESYSCALL;
    } while (off < len);
    return p->wbatch ? 0 : flush_out(srv, reactor);
}

/* ---- stop -------------------------------------------------------------- */

static int all_released(eddy__proc_t *p) {
    for (int r = 0; r < p->nreactors; r++)
        if (p->wio[r].events) return 0;
    return 1;
}

static void release_idle_channels(eddy__proc_t *p) {
    for (int r = 0; r < p->nreactors; r++)
        if (p->wstate[r] == 0) eddy_io_stop(&p->wio[r]);
}

/* reload_async: wait for the user's timers and pool work (a reply due
 * later is still sent), bounded by the manager's max_wait_time. */
static void on_drain(eddy_timer_t *t) {
    eddy_server_t *srv = t->data;
    size_t own = eddy_timer_active(t) ? 1 : 0;
    if (eddy_timer_count(&srv->loop) > own || srv->loop.pending_work > 0) return;
    if (!all_released(P(srv))) return;
    eddy_timer_stop(t);
    eddy_loop_stop(&srv->loop);
}

static void begin_stop(eddy_server_t *srv, const char *why) {
    eddy__proc_t *p = P(srv);
    if (p->stopping) return;
    p->stopping = 1;
    eddy_log_info("worker #%d (pid %d): stopping (%s)", srv->worker_id, (int)getpid(), why);
    release_idle_channels(p);
    if (!srv->cfg.reload_async) {
        eddy_loop_stop(&srv->loop);
        return;
    }
    if (srv->ev.on_worker_exit) srv->ev.on_worker_exit(srv, srv->worker_id);
    eddy_timer_start(&p->drain, 0, DRAIN_PERIOD_MS);
}

static void on_sigterm(eddy_loop_t *loop, eddy_signal_t *sig, int signo) {
    (void)sig, (void)signo;
    begin_stop(loop->data, "SIGTERM");
}

/* ---- input ------------------------------------------------------------- */

/* A message for a session the server closed (close() called in any worker)
 * is dropped with Swoole's notice 1007: the application is done with it.
 * One for a session the client closed is dropped too in dispatch modes 1
 * and 3 with discard_timeout_request (the default), where it may reach a
 * worker after the close with nothing ordering them; in the stateful modes
 * it precedes on_close on the same channel and is delivered. */
static int discarded(eddy_server_t *srv, int session, size_t len) {
    eddy__session_t *e = eddy__session_get(srv, session);
    int by_server = e && atomic_load_explicit(&e->server_closed, memory_order_acquire);
    int gone = !e || atomic_load_explicit(&e->closed, memory_order_acquire);
    if (!by_server &&
        !(gone && !eddy__dispatch_stateful(srv) && srv->cfg.discard_timeout_request))
        return 0;
    eddy_log(EDDY_LOG_NOTICE,
             "worker #%d: %zu bytes from session#%d discarded: session closed by %s (ERRNO %d)",
             srv->worker_id, len, session, by_server ? "server" : "client",
             -EDDY_ESESSION_DISCARD_DATA);
    return 1;
}

static void on_message(eddy_server_t *srv, int r, const eddy__msg_t *h, const char *data,
                       size_t len) {
    eddy__proc_t *p = P(srv);
    switch (h->type) {
    case MSG_CONNECT:
        if (srv->ev.on_connect) srv->ev.on_connect(srv, h->session, r);
        break;
    case MSG_DATA:
        if (srv->ev.on_receive && !discarded(srv, h->session, len))
            srv->ev.on_receive(srv, h->session, r, data, len);
        if (srv->cfg.dispatch_mode == EDDY_DISPATCH_IDLE)
            send_record(srv, r, MSG_DONE, 0, NULL, 0);
        if (++p->requests == p->max_requests) begin_stop(srv, "max_request reached");
        break;
    case MSG_CLOSE:
        if (srv->ev.on_close) srv->ev.on_close(srv, h->session, r);
        break;
    case MSG_PACKET: {
        eddy_addr_t from;
        if (len < sizeof(from)) break;
        memcpy(&from, data, sizeof(from));
        if (srv->ev.on_packet)
            srv->ev.on_packet(srv, (int)h->aux, data + sizeof(from), len - sizeof(from), &from);
        if (srv->cfg.dispatch_mode == EDDY_DISPATCH_IDLE)
            send_record(srv, r, MSG_DONE, 0, NULL, 0);
        if (++p->requests == p->max_requests) begin_stop(srv, "max_request reached");
        break;
    }
    }
}

/* A whole message in one record is delivered in place; a longer one is
 * gathered first. A continuation whose BEGIN went to a worker that died is
 * skipped up to its END. */
static void on_record(eddy_server_t *srv, int r, const eddy__msg_t *h, const char *payload) {
    eddy__proc_t *p = P(srv);
    eddy_buf_t *b = &p->wasm[r];
    if (h->flags & MSG_BEGIN) {
        if (h->flags & MSG_END) {
            p->wstate[r] = 0;
            on_message(srv, r, h, payload, h->len);
            return;
        }
        eddy_buf_clear(b);
        eddy_buf_append(b, payload, h->len);
        p->wstate[r] = 1;
        return;
    }
    if (p->wstate[r] != 1) {
        p->wstate[r] = (h->flags & MSG_END) ? 0 : 2;
        return;
    }
    eddy_buf_append(b, payload, h->len);
    if (!(h->flags & MSG_END)) return;
    p->wstate[r] = 0;
    on_message(srv, r, h, b->data, b->len);
    if (b->cap > (1u << 20)) eddy_buf_free(b); /* do not keep a rare large buffer */
    else eddy_buf_clear(b);
}

static void handle_batch(eddy_server_t *srv, eddy_io_t *io, int r, int n, const size_t *lens) {
    eddy__proc_t *p = P(srv);
    for (int k = 0; k < n; k++) {
        const char *at = p->wbuf + (size_t)k * EDDY__RECORD_MAX, *end = at + lens[k];
        const char *payload;
        eddy__msg_t h;
        while ((payload = eddy__record_next(&at, end, &h))) on_record(srv, r, &h, payload);
    }
    /* Stopping: what is still unread goes to the successor, but only at a
     * message boundary: records once read cannot go back. */
    if (p->stopping && p->wstate[r] == 0) eddy_io_stop(io);
}

static void read_chan(eddy_server_t *srv, eddy_io_t *io, int r) {
    eddy__proc_t *p = P(srv);
    for (int i = 0; i < READ_BATCH / EDDY__BATCH && io->events; i++) {
        size_t lens[EDDY__BATCH];
        int n = eddy__records_recv(io->fd, p->wbuf, lens);
        if (n == -EAGAIN) return;
        if (n <= 0 || lens[0] == 0) { /* the master is gone */
            eddy_io_stop(io);
            begin_stop(srv, "master gone");
            return;
        }
        handle_batch(srv, io, r, n, lens);
        if (n < EDDY__BATCH) return;
    }
}

static void on_chan(eddy_loop_t *loop, eddy_io_t *io, unsigned events) {
    eddy_server_t *srv = loop->data;
    (void)events;
    P(srv)->wbatch = 1;
    read_chan(srv, io, (int)(intptr_t)io->data);
    P(srv)->wbatch = 0;
    flush_all(srv);
}

/* ---- process ----------------------------------------------------------- */

/* Drops the fds this worker must not hold: the master's ends (so that a
 * dead master reads as EOF) and other workers' channels. */
static void close_foreign_fds(eddy_server_t *srv) {
    eddy__proc_t *p = P(srv);
    for (int r = 0; r < p->nreactors; r++)
        for (int w = 0; w < p->nworkers; w++) {
            int i = r * p->nworkers + w;
            eddy__server_close_fd(p->master_fds[i]);
            p->master_fds[i] = -1;
            if (w == srv->worker_id) continue;
            eddy__server_close_fd(p->worker_fds[i]);
            p->worker_fds[i] = -1;
        }
}

static int setup(eddy_server_t *srv, int id) {
    eddy__proc_t *p = P(srv);
    srv->role = ROLE_WORKER;
    srv->worker_id = id;
    prctl(PR_SET_PDEATHSIG, SIGTERM); /* never outlive the manager */
    if (getppid() != srv->manager_pid) return EDDY_ESYSCALL;
    int rc = eddy__server_new_loop(srv);
    if (rc < 0) return rc;
    srv->loop.data = srv;
    close_foreign_fds(srv);
    p->wbuf = eddy_malloc((size_t)EDDY__BATCH * EDDY__RECORD_MAX);
    p->wout = eddy_calloc((size_t)p->nreactors, sizeof(*p->wout));
    p->wio = eddy_calloc((size_t)p->nreactors, sizeof(*p->wio));
    p->wasm = eddy_calloc((size_t)p->nreactors, sizeof(*p->wasm));
    p->wstate = eddy_calloc((size_t)p->nreactors, 1);
    for (int r = 0; r < p->nreactors; r++) {
        eddy_buf_init(&p->wasm[r]);
        eddy_buf_init(&p->wout[r]);
        eddy_io_init(&p->wio[r], chan_fd(srv, r), on_chan);
        p->wio[r].data = (void *)(intptr_t)r;
        if ((rc = eddy_io_set(&srv->loop, &p->wio[r], EDDY_READ)) < 0) return rc;
        if ((rc = send_record(srv, r, MSG_HELLO, 0, NULL, 0)) < 0) return rc;
    }
    if ((rc = eddy_signal_start(&srv->loop, &p->sigterm, SIGTERM, on_sigterm)) < 0) return rc;
    /* task.c: the manager channel (tasks, finish, worker messages). */
    if ((rc = eddy__ipc_start(srv)) < 0) return rc;
    eddy_timer_init(&srv->loop, &p->drain, on_drain);
    p->drain.data = srv;
    if (srv->cfg.max_request) { /* the grace spreads recycling over time */
        srand((unsigned)getpid() ^ (unsigned)eddy_now_ns());
        uint32_t g = srv->cfg.max_request_grace;
        p->max_requests = srv->cfg.max_request + (g ? (uint64_t)rand() % (g + 1) : 0);
    }
    return 0;
}

/* The loop goes first: it still links the SIGTERM watcher, which lives in
 * the PROCESS state that eddy_server_free() releases. */
__attribute__((noreturn)) static void pworker_exit(eddy_server_t *srv, int code) {
    if (srv->loop_live) eddy_loop_close(&srv->loop);
    srv->loop_live = 0;
    eddy__server_exit(srv, code);
}

void eddy__pworker_main(eddy_server_t *srv, int id) {
    sigset_t pending;
    /* A SIGTERM sent right after fork is pending; a new loop would lose it. */
    int term = sigpending(&pending) == 0 && sigismember(&pending, SIGTERM);
    int rc = setup(srv, id);
    if (rc < 0) {
        eddy_log_error("worker #%d: cannot start: %s", id, eddy_strerror(rc));
        pworker_exit(srv, 1);
    }
    if (srv->ev.on_worker_start) srv->ev.on_worker_start(srv, id);
    if (term) begin_stop(srv, "SIGTERM");
    eddy_loop_run(&srv->loop);
    if (srv->ev.on_worker_stop) srv->ev.on_worker_stop(srv, id);
    pworker_exit(srv, 0);
}

/* ---- public API (worker side) ----------------------------------------- */

static eddy__session_t *lookup(eddy_server_t *srv, int session, int *err) {
    if (srv->role != ROLE_WORKER || !srv->proc) {
        *err = EDDY_EWRONG_OP;
        return NULL;
    }
    eddy__session_t *e = eddy__session_get(srv, session);
    *err = !e ? EDDY_ESESSION_NOT_EXIST
              : atomic_load_explicit(&e->closed, memory_order_acquire) ? EDDY_ESESSION_CLOSED
                                                                       : 0;
    if (*err == EDDY_ESESSION_NOT_EXIST || *err == EDDY_ESESSION_CLOSED)
        eddy_log(EDDY_LOG_NOTICE, "server: session#%d %s", session,
                 *err == EDDY_ESESSION_CLOSED ? "is closed" : "does not exist");
    return *err ? NULL : e;
}

/* A task worker has no channel to the reactors (wout is NULL there). */
static int in_task_worker(const eddy_server_t *srv) {
    return srv->worker_id >= (int)srv->cfg.worker_num;
}

int eddy__pworker_send(eddy_server_t *srv, int session, const void *data, size_t len) {
    int err;
    eddy__session_t *e = lookup(srv, session, &err);
    if (!e) return err;
    if (in_task_worker(srv)) {
        if (len == 0) return 0;
        return eddy__ipc_forward_process(srv, EDDY__FRAME_SEND, session, data, len);
    }
    if (len > srv->cfg.buffer_output_size) {
        eddy_log_warn("server: send of %zu bytes over buffer_output_size=%u", len,
                      srv->cfg.buffer_output_size);
        return EDDY_EOUTPUT_BUFFER_OVERFLOW;
    }
    if (len == 0) return 0;
    return send_record(srv, e->reactor, MSG_SEND, session, data, len);
}

int eddy__pworker_close(eddy_server_t *srv, int session, int linger) {
    int err;
    eddy__session_t *e = lookup(srv, session, &err);
    if (!e) return err;
    if (in_task_worker(srv)) return eddy__ipc_forward_process(srv, EDDY__FRAME_CLOSE, session, NULL, 0);
    atomic_store_explicit(&e->server_closed, 1, memory_order_release); /* later data: 1007 */
    return send_record(srv, e->reactor, linger ? MSG_LINGER : MSG_CLOSE, session, NULL, 0);
}

int eddy__pworker_flow(eddy_server_t *srv, int session, int paused) {
    int err;
    eddy__session_t *e = lookup(srv, session, &err);
    if (!e) return err;
    atomic_store_explicit(&e->paused, paused, memory_order_release);
    return send_record(srv, e->reactor, MSG_FLOW, session, NULL, 0);
}

int eddy__pworker_exists(eddy_server_t *srv, int session) {
    eddy__session_t *e = srv->proc ? eddy__session_get(srv, session) : NULL;
    return e && !atomic_load(&e->closed);
}

int eddy__pworker_pending(eddy_server_t *srv, int session) {
    int err;
    eddy__session_t *e = lookup(srv, session, &err);
    if (!e) return err;
    size_t n = atomic_load_explicit(&e->out_pending, memory_order_relaxed);
    return n > INT_MAX ? INT_MAX : (int)n;
}

int eddy__pworker_info(eddy_server_t *srv, int session, eddy_server_client_info_t *info) {
    int err;
    eddy__session_t *e = lookup(srv, session, &err);
    if (!e) return err;
    memset(info, 0, sizeof(*info));
    info->worker_id = e->worker >= 0 ? e->worker : srv->worker_id;
    info->reactor_id = e->reactor;
    info->listener = e->listener;
    info->server_port = eddy_server_port(srv, e->listener);
    if (e->peer.len)
        eddy_addr_format(&e->peer, info->remote_ip, sizeof(info->remote_ip),
                         &info->remote_port);
    info->connect_time = e->connect_time;
    info->last_time = atomic_load(&e->last_time);
    return 0;
}

/* Every open session of the server, from the shared table: any worker
 * sees all connections, as Swoole's PROCESS-mode $server->connections. */
int eddy__pworker_connections(eddy_server_t *srv, eddy_server_conn_cb cb, void *arg) {
    eddy__proc_t *p = P(srv);
    int n = 0;
    if (srv->role != ROLE_WORKER || !p) return EDDY_EWRONG_OP;
    size_t used = atomic_load(p->slots_used);
    for (size_t i = 0; i < used && i < p->cap; i++) {
        eddy__session_t *e = &p->table[i];
        int s = atomic_load_explicit(&e->session, memory_order_acquire);
        if (s <= 0 || atomic_load_explicit(&e->closed, memory_order_acquire)) continue;
        n++;
        if (cb && cb(srv, s, arg)) break;
    }
    return n;
}

int eddy_server_bind(eddy_server_t *srv, int session, uint32_t uid) {
    int err;
    if (srv->mode != EDDY_SERVER_PROCESS || srv->cfg.dispatch_mode != EDDY_DISPATCH_UIDMOD) {
        eddy_log_warn("server: bind() needs PROCESS mode with dispatch_mode 5");
        return EDDY_EWRONG_OP;
    }
    if (uid == 0) return EDDY_EINVAL;
    eddy__session_t *e = lookup(srv, session, &err);
    if (!e) return err;
    uint32_t bound = atomic_load(&e->uid);
    if (bound) {
        eddy_log(EDDY_LOG_NOTICE, "server: session#%d is already bound to uid %u", session, bound);
        return bound == uid ? 0 : EDDY_EWRONG_OP;
    }
    eddy__proc_t *p = P(srv);
    eddy__msg_t h = {.type = MSG_BIND, .flags = MSG_BEGIN | MSG_END,
                     .reactor = (uint16_t)e->reactor, .session = session, .aux = uid};
    eddy__records_put(&p->wout[e->reactor], &h, NULL);
    return p->wbatch ? 0 : flush_out(srv, e->reactor);
}
