/*
 * Swoole's Response::detach() and Response::create(): a handler lets go of
 * its response without answering, and the answer is written later, maybe
 * by another process (a task worker), through a response made for the
 * connection's session id alone.
 *
 * A created response owns a pooled exchange like any other, but no parsed
 * request and no connection state: its bytes go out with eddy_server_send
 * (which reaches any worker's connection from any worker or task worker),
 * and its end hands the exchange back and, when the response asked for it,
 * closes the session. conn points at a placeholder while the session is
 * believed open, NULL once a send was refused (no on_close reaches a
 * process that does not read the connection).
 */
#include <string.h>

#include "http_server.h"

#define X_OF(p) ((hs_exchange_t *)((char *)(p) - offsetof(hs_exchange_t, resp)))

/* Never dereferenced: the engine transport ignores its connection argument,
 * and a created response is never handed to the connection state machine. */
static hs_conn_t created_placeholder;

void eddy__hs_response_done(eddy_http_response_t *r, int keep) {
    hs_exchange_t *x = X_OF(r);
    eddy_http_server_t *hs = r->hs;
    hs_conn_t *c = r->conn;
    if (r->created) {
        if (c && !keep) eddy__hs_close(hs, NULL, r->fd);
        /* Answered from the worker that reads the connection: it is idle
         * again (another process's answer cannot tell it so). */
        hs_conn_t *own = hs->nbuckets ? eddy__hs_conn_find(hs, r->fd) : NULL;
        if (own && own->detached && !own->gone) {
            own->detached = 0;
            eddy__hs_timeout_update(hs, own, 0);
        }
        eddy__hs_exchange_put(hs, x);
        return;
    }
    if (!c) {
        eddy__hs_exchange_put(hs, x);
        return;
    }
    eddy__hs_finish(hs, c, keep);
}

int eddy_http_response_detach(eddy_http_response_t *r) {
    /* A coroutine server's connection lives in its coroutine: nothing else
     * could write to it by session id. */
    if (!r->hs->srv) return EDDY_EWRONG_OP;
    if (r->created || !r->conn) {
        eddy__hs_exchange_put(r->hs, X_OF(r));
        return 0;
    }
    /* As if the response had ended on a persistent connection, minus the
     * bytes: the next request is read, the taker writes this one's answer.
     * A 101 must not hand the connection to a WebSocket owner here. No
     * keep-alive deadline meanwhile: the client waits for its answer,
     * which may take the taker longer than keepalive_timeout. */
    r->status = 200;
    r->conn->detached = 1;
    eddy__hs_finish(r->hs, r->conn, 1);
    return 0;
}

int eddy_http_response_create(eddy_http_response_t **out, eddy_http_server_t *hs, int fd,
                              unsigned flags) {
    *out = NULL;
    if (!hs->srv || eddy_server_worker_id(hs->srv) < 0) return EDDY_EWRONG_OP;
    if (fd <= 0) return EDDY_ESESSION_INVALID_ID;
    if (!eddy_server_exists(hs->srv, fd)) return EDDY_ESESSION_NOT_EXIST;
    hs_exchange_t *x = eddy__hs_exchange_get(hs);
    memset(&x->req, 0, sizeof(x->req));
    x->req.version_minor = flags & EDDY_HTTP_CREATE_HTTP10 ? 0 : 1;
    x->req.flags = flags & EDDY_HTTP_CREATE_CLOSE ? 0 : EDDY_HTTP_KEEP_ALIVE;
    x->req.headers = x->headers; /* none: no Accept-Encoding, no compression */
    /* req.ctx stays NULL: the request accessors refuse this one */
    x->resp.conn = &created_placeholder;
    x->resp.fd = fd;
    x->resp.created = 1;
    x->resp.is_head = (flags & EDDY_HTTP_CREATE_HEAD) != 0;
    x->resp.compress = 0;
    *out = &x->resp;
    return 0;
}

int eddy__hs_created_sendfile(eddy_http_response_t *r, const char *path, uint64_t off,
                              uint64_t len) {
    int keep, s = r->status;
    if (s / 100 == 1 || s == 204 || s == 304) len = 0; /* no body for these */
    int rc = eddy__hs_response_head(r, (int64_t)len, &keep);
    if (rc < 0) return rc; /* nothing sent: r is still the caller's */
    rc = eddy__hs_send(r->hs, r->conn, r->fd, r->hs->out.data, r->hs->out.len);
    if (rc == 0 && len) rc = eddy_server_send_path(r->hs->srv, r->fd, path, off, len);
    if (rc == EDDY_ESESSION_CLOSED || rc == EDDY_ESESSION_NOT_EXIST) {
        r->conn = NULL;
    } else if (rc < 0) {
        /* The head is out: the promised length cannot be met, so the
         * session closes (below), as for a file cut short. */
        eddy_log_warn("http server: session#%d: file body not sent: %s", r->fd,
                      eddy_strerror(rc));
    }
    eddy__hs_response_done(r, rc == 0 && keep);
    return 0;
}

int eddy_http_response_fd(const eddy_http_response_t *r) { return r->fd; }
