/*
 * The handshake status of every connection, in MAP_SHARED memory mapped
 * before the fork, so any worker can answer is_established / push for a
 * connection another worker reads.
 *
 * A slot holds (uint32 session << 24) | (owner worker id << 8) | status;
 * 0 is empty. The stored session makes a stale slot answer for nobody
 * else; the owner lets a restarted worker find what its predecessor left
 * (eddy__ws_table_worker_start).
 *
 * Slots: PROCESS mode, session % max_connection (the engine keeps live
 * sessions in distinct slots of a table that size); BASE mode, worker id
 * and fd (session ids are generation | worker id | fd, eddy/server.h),
 * each worker owning a page-aligned range.
 */
#include <sys/mman.h>
#include <sys/resource.h>

#include "ws_server.h"

#define SLOT(session, worker, status)                                                       \
    ((uint64_t)(uint32_t)(session) << 24 | (uint64_t)((worker) & 0xffff) << 8 | (uint64_t)(status))
#define SLOT_SESSION(v) ((uint32_t)((v) >> 24))
#define SLOT_WORKER(v) ((int)(((v) >> 8) & 0xffff))
#define SLOT_STATUS(v) ((int)((v) & 0xff))

static _Atomic uint64_t *slot_of(const eddy_ws_server_t *ws, int fd) {
    const ws_table_t *t = &ws->table;
    if (fd <= 0 || !t->slots) return NULL;
    size_t i;
    if (t->process) {
        i = (size_t)fd % t->nslots;
    } else {
        size_t w = ((uint32_t)fd >> EDDY_SERVER_FD_BITS) & ((1u << t->worker_bits) - 1);
        size_t f = (uint32_t)fd & ((1u << EDDY_SERVER_FD_BITS) - 1);
        if (f >= t->per_worker) return NULL;
        i = w * t->per_worker + f;
    }
    return i < t->nslots ? &t->slots[i] : NULL;
}

void eddy__ws_status_set(eddy_ws_server_t *ws, int fd, int status) {
    _Atomic uint64_t *s = slot_of(ws, fd);
    if (!s) return;
    int owner = eddy__ws_conn_find(ws, fd) ? eddy_server_worker_id(ws->srv) : -1;
    uint64_t v = atomic_load(s);
    if (owner >= 0) { /* the reading worker: the slot is its own */
        atomic_store(s, SLOT(fd, owner, status));
        return;
    }
    /* Another worker (eddy_ws_disconnect): the status only, if the slot is
     * still this session's. */
    while (SLOT_SESSION(v) == (uint32_t)fd &&
           !atomic_compare_exchange_weak(s, &v, SLOT(fd, SLOT_WORKER(v), status))) {
    }
}

void eddy__ws_status_clear(eddy_ws_server_t *ws, int fd) {
    _Atomic uint64_t *s = slot_of(ws, fd);
    if (!s) return;
    /* Only our session's entry: in PROCESS mode the slot may already hold a
     * newer connection's (the close reached us late). */
    uint64_t v = atomic_load(s);
    if (SLOT_SESSION(v) == (uint32_t)fd) atomic_compare_exchange_strong(s, &v, 0);
}

int eddy_ws_status(const eddy_ws_server_t *ws, int fd) {
    _Atomic uint64_t *s = slot_of(ws, fd);
    if (!s) { /* an id the table has no slot for: what this worker knows */
        ws_conn_t *c = eddy__ws_conn_find((eddy_ws_server_t *)ws, fd);
        return c ? c->status : EDDY_WS_STATUS_NONE;
    }
    uint64_t v = atomic_load(s);
    return SLOT_SESSION(v) == (uint32_t)fd ? SLOT_STATUS(v) : EDDY_WS_STATUS_NONE;
}

int eddy_ws_is_established(const eddy_ws_server_t *ws, int fd) {
    return eddy_ws_status(ws, fd) == EDDY_WS_STATUS_ACTIVE;
}

/* A worker (re)starts: what a predecessor with the same id left is stale.
 * BASE: its connections died with it, and this worker's ids start again
 * from generation 0, so its range is wiped before a new connection could
 * match an old slot. PROCESS: the connections live on in the master but
 * their frame state died; they are closed with 1001 (going away, RFC 6455
 * section 7.4.1) instead of having frames parsed as HTTP. */
void eddy__ws_table_worker_start(eddy_ws_server_t *ws, int worker_id) {
    ws_table_t *t = &ws->table;
    if (!t->slots || worker_id < 0 || worker_id > 0xffff) return;
    if (!t->process) {
        _Atomic uint64_t *r = t->slots + (size_t)worker_id * t->per_worker;
        if ((size_t)worker_id < ((size_t)1 << t->worker_bits) &&
            madvise((void *)r, t->per_worker * sizeof(uint64_t), MADV_REMOVE) != 0)
            for (size_t i = 0; i < t->per_worker; i++) atomic_store(&r[i], 0);
        return;
    }
    eddy_buf_t out;
    eddy_buf_init(&out);
    eddy_ws_close_write(&out, EDDY_WS_CLOSE_GOING_AWAY, NULL, 0, NULL);
    for (size_t i = 0; i < t->nslots; i++) {
        uint64_t v = atomic_load(&t->slots[i]);
        if (!v || SLOT_WORKER(v) != worker_id || !atomic_compare_exchange_strong(&t->slots[i], &v, 0))
            continue;
        int session = (int)SLOT_SESSION(v);
        if (SLOT_STATUS(v) >= EDDY_WS_STATUS_ACTIVE)
            eddy_server_send(ws->srv, session, out.data, out.len);
        eddy_server_close(ws->srv, session);
    }
    eddy_buf_free(&out);
}

int eddy__ws_table_init(eddy_ws_server_t *ws) {
    const eddy_server_config_t *cfg = eddy_server_config(ws->srv);
    ws_table_t *t = &ws->table;
    t->process = eddy_server_mode(ws->srv) == EDDY_SERVER_PROCESS;
    if (t->process) {
        t->nslots = cfg->max_connection ? cfg->max_connection : 1;
    } else {
        /* A worker's fds are below RLIMIT_NOFILE's hard limit (the soft
         * one may be raised later, up to it) and the id's 20 bits; ranges
         * are whole pages (512 slots) so a restart can drop one. */
        struct rlimit rl;
        size_t per = (size_t)1 << EDDY_SERVER_FD_BITS;
        if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_max != RLIM_INFINITY &&
            rl.rlim_max < per)
            per = ((size_t)rl.rlim_max + 511) & ~(size_t)511;
        while ((1u << t->worker_bits) < cfg->worker_num) t->worker_bits++;
        t->per_worker = per;
        t->nslots = per * ((size_t)1 << t->worker_bits);
    }
    /* Shared and anonymous: inherited by the forked workers; untouched
     * pages cost nothing, so sizing by the fd range is cheap. */
    void *m = mmap(NULL, t->nslots * sizeof(uint64_t), PROT_READ | PROT_WRITE,
                   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED) {
        t->slots = NULL;
        return EDDY_ENOMEM;
    }
    t->slots = m;
    return 0;
}

void eddy__ws_table_free(eddy_ws_server_t *ws) {
    if (ws->table.slots) munmap((void *)ws->table.slots, ws->table.nslots * sizeof(uint64_t));
    ws->table.slots = NULL;
}
