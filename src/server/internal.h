/*
 * Server engine internals shared by server.c (master, API), manager.c and
 * worker.c. Not a public header.
 */
#ifndef EDDY_SERVER_INTERNAL_H
#define EDDY_SERVER_INTERNAL_H

#include <signal.h>
#include <sys/types.h>
#include <unistd.h>

#include "eddy/framing.h"
#include "eddy/loop.h"
#include "eddy/server.h"
#include "eddy/timer.h"

/* ROLE_USER: a user process of eddy_server_add_process (user_process.c). */
typedef enum { ROLE_MASTER = 0, ROLE_MANAGER, ROLE_WORKER, ROLE_USER } eddy__role_t;

typedef struct {
    eddy_sock_type_t type;
    int fd;
    int port;
    int stream;     /* 1: accept connections; 0: datagrams */
    char *path;     /* unix listeners: unlinked at shutdown by the master */
    eddy_framing_t framing;
    eddy_server_config_t *cfg; /* own options after listener_config_set, else NULL */
} eddy__listener_t;

typedef struct eddy__conn_s {
    eddy_io_t io;
    int fd;
    int session;
    int listener;
    eddy_buf_t in;  /* only the unframed tail of the input; empty when idle */
    eddy_buf_t out; /* bytes the socket did not take yet */
    size_t scanned; /* framing hint for `in` */
    eddy_addr_t peer;
    int64_t connect_time, last_time; /* unix seconds */
    uint64_t last_ms;                /* monotonic, for heartbeat and drain */
    unsigned dispatching;            /* > 0 while callbacks run on `in` */
    unsigned closed : 1;             /* on_close fired, fd gone */
    unsigned close_after_flush : 1;
    unsigned linger : 1;    /* close_after_flush lingers (linger.c) */
    unsigned lingering : 1; /* write side shut down, input discarded */
    unsigned paused : 1;    /* eddy_server_pause: the socket is not read */
    unsigned protect : 1;   /* eddy_server_protect: heartbeat leaves it open */
    size_t lingered;        /* bytes discarded while lingering */
    eddy_timer_t *linger_timer; /* while lingering */
    /* eddy_server_sendfile_wait (sendfile.c): called once when the socket
     * is writable with nothing queued; NULL while nobody waits. */
    void (*on_writable)(eddy_server_t *srv, int session, void *arg);
    void *writable_arg;
} eddy__conn_t;

/* A worker slot as the manager sees it. */
typedef struct {
    pid_t pid;       /* 0: no process in the slot */
    int stopping;    /* SIGTERM sent, waiting for exit */
    int reloading;   /* stopped by a reload: on_after_reload waits for its successor */
    uint64_t spawned_ms;
    eddy_timer_t kill_timer; /* max_wait_time; while the slot is empty: delayed respawn */
    eddy_server_t *srv;
    int id;                    /* worker id; task workers follow the workers */
    struct eddy__link_s *link; /* ipc.h: the manager's end of its channel */
} eddy__slot_t;

typedef struct {
    eddy__conn_t **conns; /* indexed by fd */
    size_t conns_cap;
    size_t nconns;
    int accept_epfd;      /* nested epoll holding the listeners (EPOLLEXCLUSIVE) */
    eddy_io_t accept_io;
    int reuse_fds[EDDY_SERVER_MAX_LISTENERS]; /* SO_REUSEPORT copies, else -1 */
    eddy_timer_t heartbeat;
    eddy_timer_t drain;
    eddy_signal_t sigterm;
    uint64_t requests, max_requests; /* max_requests 0: unlimited */
    uint32_t session_gen; /* generation part of the next session id */
    int stopping;
    char *scratch; /* one read buffer shared by all connections */
    size_t scratch_len;
} eddy__worker_t;

struct eddy_server_s {
    eddy_server_config_t cfg;
    eddy_server_events_t ev;
    eddy__listener_t listeners[EDDY_SERVER_MAX_LISTENERS];
    int nlisteners;
    eddy__role_t role;
    int mode; /* EDDY_SERVER_BASE / EDDY_SERVER_PROCESS */
    int raw_stream; /* eddy_server_require_raw_stream(): no framing anywhere */
    struct eddy__proc_s *proc; /* PROCESS mode state (process.h), else NULL */
    int worker_id;
    pid_t master_pid, manager_pid;
    eddy_loop_t loop;
    int loop_live;
    /* master */
    eddy_signal_t msig[5];
    int manager_status;
    /* user / group (daemon.c): resolved by the master, applied in workers */
    int switch_ids;
    uid_t run_uid;
    gid_t run_gid;
    /* manager */
    eddy__slot_t *slots;
    int shutting_down;
    int reload_pending; /* slots of a reload not yet respawned */
    /* worker */
    eddy__worker_t w;
    /* task workers, worker messages (ipc.h); NULL until first use */
    struct eddy__ipc_s *ipc;
    /* pids.c: atomic_int [slots] in MAP_SHARED memory, from start() on */
    void *pids;
    size_t pids_len;
    /* user_process.c: eddy_server_add_process's [nuprocs], grown before
     * start only; in a user process, the index of this one */
    struct eddy__uproc_s *uprocs;
    int nuprocs;
    int uproc_index;
};

/* Workers and task workers: the manager's slot count. */
static inline uint32_t eddy__server_slots(const eddy_server_t *srv) {
    return srv->cfg.worker_num + srv->cfg.task_worker_num;
}

/* BASE-mode session ids, high to low: generation | worker id | fd. The
 * worker part takes only the bits worker_num needs (none for 1 worker), so
 * (worker_id << EDDY_SERVER_FD_BITS) | fd is still the id of the first
 * connection on an fd, and the remaining bits count connections: an fd
 * reused by a new connection gets another id, and a send to the old one
 * fails with 1005 instead of reaching the new peer (until the counter wraps
 * after 2^(11 - worker bits) connections). */
static inline int eddy__session_worker_bits(const eddy_server_t *srv) {
    int b = 0;
    while ((1u << b) < srv->cfg.worker_num) b++;
    return b;
}

static inline int eddy__session_worker(const eddy_server_t *srv, int session) {
    return (int)(((uint32_t)session >> EDDY_SERVER_FD_BITS) &
                 ((1u << eddy__session_worker_bits(srv)) - 1));
}

static inline int eddy__session_new(eddy_server_t *srv, int fd) {
    int wb = eddy__session_worker_bits(srv);
    uint32_t gen = srv->w.session_gen++ & ((1u << (31 - EDDY_SERVER_FD_BITS - wb)) - 1);
    return (int)((gen << (EDDY_SERVER_FD_BITS + wb)) |
                 ((uint32_t)srv->worker_id << EDDY_SERVER_FD_BITS) | (uint32_t)fd);
}

/* The module's one call to close(2). Never retried on EINTR: on Linux the
 * fd is released anyway, and a retry could close one just reused. */
static inline void eddy__server_close_fd(int fd) {
    if (fd >= 0) close(fd);
}

/* Signals the master blocks before forking, so that every process inherits
 * them blocked and none is lost or default-handled before its loop's
 * signalfd watches them. */
void eddy__server_sigset(sigset_t *set);
/* Replaces the loop inherited over fork with a fresh one for this process. */
int eddy__server_new_loop(eddy_server_t *srv);
/* A new socket bound to addr (listening for streams when do_listen), with
 * the server's socket options; fd or negative errno. */
int eddy__server_bind(eddy_server_t *srv, eddy_sock_type_t type, const eddy_addr_t *addr,
                      int do_listen);
/* listener.c: per-listener options. Releases l->cfg; checks every
 * listener's own options before start (EDDY_EINVAL, logged). */
void eddy__listener_free(eddy__listener_t *l);
int eddy__listeners_validate(eddy_server_t *srv);
/* daemon.c: daemonize (the caller exits; 0 or -errno in the daemon);
 * resolve user / group names (EDDY_EINVAL, logged); switch a worker to
 * them right after its fork (exits on failure). */
int eddy__server_daemonize(eddy_server_t *srv);
int eddy__server_resolve_ids(eddy_server_t *srv);
void eddy__server_switch_ids(eddy_server_t *srv);
/* pids.c: the shared pid table (mapped by the master before the manager
 * forks; written by the manager as it forks and reaps workers). */
int eddy__pids_prepare(eddy_server_t *srv);
void eddy__pids_free(eddy_server_t *srv);
void eddy__pids_set(eddy_server_t *srv, int id, pid_t pid);
/* End of a manager or worker process. */
__attribute__((noreturn)) void eddy__server_exit(eddy_server_t *srv, int code);

/* feed.c: the bytes of one read for a stream connection whose unframed
 * tail is `in`. frames(ctx, conn, data, len) delivers every complete
 * message of data[0..len) and returns the bytes it consumed, or
 * EDDY__FEED_GONE once the connection closed (its buffer is left alone).
 * Frames in place when `in` is empty; keeps only an incomplete tail. */
#define EDDY__FEED_GONE ((size_t)-1)
typedef size_t (*eddy__frames_cb)(void *ctx, void *conn, const char *data, size_t len);
void eddy__feed(eddy_buf_t *in, const char *buf, size_t n, eddy__frames_cb frames, void *ctx,
                void *conn);

/* user_process.c, called by the manager: fork them all (after the
 * workers); a reaped child that is one of them (1: restarted unless
 * shutting down, 0: not one of them); SIGTERM them on shutdown (SIGKILL
 * after max_wait_time); how many run. _free releases the list (server.c). */
typedef struct eddy__uproc_s eddy__uproc_t;
void eddy__uprocs_start(eddy_server_t *srv);
int eddy__uprocs_reaped(eddy_server_t *srv, pid_t pid, int status);
void eddy__uprocs_stop(eddy_server_t *srv);
int eddy__uprocs_live(const eddy_server_t *srv);
void eddy__uprocs_free(eddy_server_t *srv);
/* In a user process: eddy_server_send / _close / _send_message, forwarded
 * as frames through the manager to the worker that owns the session (BASE)
 * or handles it (PROCESS: session % worker_num), or to dst. 0 once written
 * to the manager; the owner drops a send to a gone connection (notice). */
int eddy__uproc_send(eddy_server_t *srv, int session, const void *data, size_t len);
int eddy__uproc_close(eddy_server_t *srv, int session);
int eddy__uproc_message(eddy_server_t *srv, const void *data, size_t len, int dst_worker_id);

/* manager.c: runs the manager process; never returns. */
__attribute__((noreturn)) void eddy__manager_main(eddy_server_t *srv);
/* worker.c: runs worker `id`; never returns. */
__attribute__((noreturn)) void eddy__worker_main(eddy_server_t *srv, int id);
void eddy__worker_free(eddy_server_t *srv);
eddy__conn_t *eddy__worker_conn(eddy_server_t *srv, int session, int *err);
int eddy__conn_send(eddy_server_t *srv, eddy__conn_t *c, const void *data, size_t len);
/* Watches c for what it needs now: output queued, and input unless paused
 * or closing (flow.c, after pause / resume). */
void eddy__conn_rewatch(eddy_server_t *srv, eddy__conn_t *c);
void eddy__conn_close(eddy_server_t *srv, eddy__conn_t *c);

/* sendfile.c: the socket of c is writable and nothing is queued: fires
 * and clears its on_writable (from the worker's I/O callback). */
void eddy__conn_writable(eddy_server_t *srv, eddy__conn_t *c);

/* linger.c: lingering close. On a bare fd (BASE and PROCESS): shut the
 * write side (0 or -errno), and discard input; drain returns 1 when the
 * lingering is over (EOF, error, EDDY_SERVER_LINGER_BYTES), else 0. */
int eddy__linger_shutdown(int fd);
int eddy__linger_drain(int fd, char *scratch, size_t size, size_t *discarded);
/* BASE workers: start once c's output is written (may close c), read
 * while lingering (may close c), release the timer (from close). */
void eddy__linger_start(eddy_server_t *srv, eddy__conn_t *c);
void eddy__linger_read(eddy_server_t *srv, eddy__conn_t *c, char *scratch, size_t size);
void eddy__linger_stop(eddy__conn_t *c);

#endif /* EDDY_SERVER_INTERNAL_H */
