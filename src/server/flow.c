/*
 * Per-connection flow control from a worker, as Swoole's pause(), resume()
 * and protect(): stop and restart reading a connection's socket, and keep a
 * connection out of the heartbeat's reach.
 *
 * BASE mode: the worker owns the socket and flips its own watch. PROCESS
 * mode: the reactor thread that owns the socket reads the flags from the
 * shared session table; pause / resume also send it a MSG_FLOW record so
 * that it watches the socket again at once (protect needs no message: the
 * heartbeat reads the flag when it runs).
 */
#include "server/internal.h"
#include "server/ipc.h"
#include "server/process.h"

/* Workers only (task workers have no channel to the reactors, and no
 * connections of their own in BASE mode); in BASE mode this worker's own
 * connections only. */
static int check_caller(eddy_server_t *srv, int session) {
    if (srv->role != ROLE_WORKER || srv->worker_id >= (int)srv->cfg.worker_num)
        return EDDY_EWRONG_OP;
    if (srv->mode != EDDY_SERVER_PROCESS && eddy__ipc_remote(srv, session)) return EDDY_EWRONG_OP;
    return 0;
}

/* BASE mode: this worker's open connection, or NULL with *err set. */
static eddy__conn_t *own_conn(eddy_server_t *srv, int session, int *err) {
    eddy__conn_t *c = eddy__worker_conn(srv, session, err);
    return *err ? NULL : c;
}

static int set_paused(eddy_server_t *srv, int session, int paused) {
    int err = check_caller(srv, session);
    if (err) return err;
    if (srv->mode == EDDY_SERVER_PROCESS) return eddy__pworker_flow(srv, session, paused);
    eddy__conn_t *c = own_conn(srv, session, &err);
    if (!c) return err;
    c->paused = paused ? 1 : 0;
    eddy__conn_rewatch(srv, c);
    return 0;
}

int eddy_server_pause(eddy_server_t *srv, int fd) { return set_paused(srv, fd, 1); }

int eddy_server_resume(eddy_server_t *srv, int fd) { return set_paused(srv, fd, 0); }

int eddy_server_protect(eddy_server_t *srv, int fd, int on) {
    int err = check_caller(srv, fd);
    if (err) return err;
    if (srv->mode == EDDY_SERVER_PROCESS) {
        eddy__session_t *e = eddy__session_get(srv, fd);
        if (!e) return EDDY_ESESSION_NOT_EXIST;
        if (atomic_load_explicit(&e->closed, memory_order_acquire)) return EDDY_ESESSION_CLOSED;
        atomic_store_explicit(&e->protect, on ? 1 : 0, memory_order_relaxed);
        return 0;
    }
    eddy__conn_t *c = own_conn(srv, fd, &err);
    if (!c) return err;
    c->protect = on ? 1 : 0;
    return 0;
}
