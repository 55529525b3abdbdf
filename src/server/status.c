/*
 * Status queries a worker makes about its own server: which listener a
 * connection came in on (per-port callbacks, Swoole\Server\Port::on) and
 * how many messages this worker has handled (Swoole's stats()).
 *
 * Both read state the engine keeps anyway; nothing here is counted on the
 * hot path.
 */
#include "server/internal.h"
#include "server/ipc.h"
#include "server/process.h"

int eddy_server_session_listener(eddy_server_t *srv, int session) {
    if (srv->role != ROLE_WORKER) return EDDY_EWRONG_OP;
    if (srv->mode == EDDY_SERVER_PROCESS) {
        /* The slot keeps the session id until a new connection takes it,
         * so this still answers in on_close, after the master closed it. */
        eddy__session_t *e = eddy__session_get(srv, session);
        return e ? e->listener : EDDY_ESESSION_NOT_EXIST;
    }
    if (eddy__ipc_remote(srv, session)) return EDDY_EWRONG_OP;
    int err;
    /* A closing connection (err EDDY_ESESSION_CLOSED) is still in the table
     * while its on_close runs: its listener is known. */
    eddy__conn_t *c = eddy__worker_conn(srv, session, &err);
    return c ? c->listener : err;
}

int64_t eddy_server_request_count(const eddy_server_t *srv) {
    if (srv->role != ROLE_WORKER) return EDDY_EWRONG_OP;
    if (srv->mode == EDDY_SERVER_PROCESS) return srv->proc ? (int64_t)srv->proc->requests : 0;
    return (int64_t)srv->w.requests;
}
