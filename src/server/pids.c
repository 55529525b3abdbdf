/*
 * The pid of every worker and task worker, readable from any process of
 * the server (Swoole's getWorkerPid($id) for another worker, and
 * stop($id) of another worker). The master maps one int per slot
 * (MAP_SHARED | MAP_ANONYMOUS) before forking the manager, so the manager,
 * which forks and reaps the workers, writes it and everyone else reads it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdatomic.h>
#include <sys/mman.h>

#include "server/internal.h"

int eddy__pids_prepare(eddy_server_t *srv) {
    size_t len = eddy__server_slots(srv) * sizeof(atomic_int);
    if (srv->pids && srv->pids_len == len) { /* a second start(): same layout */
        for (uint32_t i = 0; i < eddy__server_slots(srv); i++)
            atomic_store(&((atomic_int *)srv->pids)[i], 0);
        return 0;
    }
    eddy__pids_free(srv);
    void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return -errno;
    srv->pids = p; /* zero-filled by the kernel: no process yet */
    srv->pids_len = len;
    return 0;
}

void eddy__pids_free(eddy_server_t *srv) {
    if (srv->pids) munmap(srv->pids, srv->pids_len);
    srv->pids = NULL;
    srv->pids_len = 0;
}

void eddy__pids_set(eddy_server_t *srv, int id, pid_t pid) {
    if (srv->pids && id >= 0 && (uint32_t)id < eddy__server_slots(srv))
        atomic_store_explicit(&((atomic_int *)srv->pids)[id], (int)pid, memory_order_release);
}

int eddy_server_worker_pid(const eddy_server_t *srv, int worker_id) {
    if (!srv->pids) return EDDY_EWRONG_OP;
    if (worker_id < 0 || (uint32_t)worker_id >= eddy__server_slots(srv)) return EDDY_EINVAL;
    return atomic_load_explicit(&((atomic_int *)srv->pids)[worker_id], memory_order_acquire);
}
