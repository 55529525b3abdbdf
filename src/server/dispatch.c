/*
 * dispatch_mode in PROCESS mode: which worker a message goes to.
 *
 *   1 round robin   every message to the next worker (stateless)
 *   2 fd modulo     session id % worker_num: a connection stays on one worker
 *   3 idle worker   the worker with the fewest messages in flight (stateless)
 *   4 ip modulo     client address hash % worker_num: one client, one worker
 *   5 uid modulo    uid % worker_num once eddy_server_bind() gave the
 *                   connection a uid; until then as mode 2
 *
 * Stateless modes may spread one connection's messages over workers, so
 * they are not ordered against each other; as in Swoole, connect and close
 * are then not delivered at all. Runs on reactor threads: the shared
 * cursors are atomics.
 */
#define _GNU_SOURCE
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "server/process.h"

int eddy__dispatch_stateful(const eddy_server_t *srv) {
    uint32_t m = srv->cfg.dispatch_mode;
    return m != EDDY_DISPATCH_ROUND && m != EDDY_DISPATCH_IDLE;
}

/* FNV-1a over the address bytes only (never the port), so every connection
 * from one host hashes alike. */
uint32_t eddy__ip_hash(const eddy_addr_t *peer) {
    const struct sockaddr *sa = (const struct sockaddr *)(const void *)peer->u.bytes;
    const unsigned char *b = NULL;
    size_t n = 0;
    if (peer->len >= sizeof(struct sockaddr_in) && sa->sa_family == AF_INET) {
        b = (const unsigned char *)&((const struct sockaddr_in *)(const void *)sa)->sin_addr;
        n = 4;
    } else if (peer->len >= sizeof(struct sockaddr_in6) && sa->sa_family == AF_INET6) {
        b = (const unsigned char *)&((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr;
        n = 16;
    }
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) h = (h ^ b[i]) * 16777619u;
    return h;
}

int eddy__dispatch_fixed(eddy_server_t *srv, eddy__pconn_t *c) {
    uint32_t nw = srv->cfg.worker_num;
    switch (srv->cfg.dispatch_mode) {
    case EDDY_DISPATCH_FDMOD:
    case EDDY_DISPATCH_UIDMOD: /* unbound yet */
        return (int)((uint32_t)c->session % nw);
    case EDDY_DISPATCH_IPMOD:
        return (int)(c->ip_hash % nw);
    default:
        return -1;
    }
}

/* Least busy worker; the scan starts at a rotating offset so that equally
 * idle workers share the load instead of worker 0 taking it all. */
static int pick_idle(eddy__proc_t *p) {
    unsigned start = atomic_fetch_add_explicit(&p->rr, 1, memory_order_relaxed);
    int best = -1, best_busy = 0;
    for (int i = 0; i < p->nworkers; i++) {
        int w = (int)((start + (unsigned)i) % (unsigned)p->nworkers);
        int b = atomic_load_explicit(&p->busy[w], memory_order_relaxed);
        if (best < 0 || b < best_busy) best = w, best_busy = b;
        if (b == 0) break;
    }
    return best;
}

int eddy__dispatch_packet(eddy_server_t *srv, const eddy_addr_t *from) {
    eddy__proc_t *p = srv->proc;
    switch (srv->cfg.dispatch_mode) {
    case EDDY_DISPATCH_ROUND:
        return (int)(atomic_fetch_add_explicit(&p->rr, 1, memory_order_relaxed) %
                     (unsigned)p->nworkers);
    case EDDY_DISPATCH_IDLE:
        return pick_idle(p);
    default:
        return (int)(eddy__ip_hash(from) % (uint32_t)p->nworkers);
    }
}

int eddy__dispatch_pick(eddy_server_t *srv, eddy__pconn_t *c) {
    eddy__proc_t *p = srv->proc;
    switch (srv->cfg.dispatch_mode) {
    case EDDY_DISPATCH_ROUND:
        return (int)(atomic_fetch_add_explicit(&p->rr, 1, memory_order_relaxed) %
                     (unsigned)p->nworkers);
    case EDDY_DISPATCH_IDLE:
        return pick_idle(p);
    default:
        return c->worker;
    }
}
