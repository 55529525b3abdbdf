/*
 * Inter-process channels of the server: task workers, worker-to-worker
 * messages and cross-worker connection operations (pipe.c, task.c).
 *
 * Design: a star around the manager. Before forking a worker or task
 * worker, the manager creates one AF_UNIX SOCK_STREAM socketpair for that
 * slot; the child keeps one end, the manager the other. Every message is a
 * frame (eddy__frame_t header + payload) on these streams, so payloads of
 * any size (several MiB) travel intact: a stream has no datagram limit, and
 * each stream has exactly one writer per direction (the child, or the
 * manager), so frames never interleave. The manager routes:
 *   - TASK from a worker goes to an idle task worker (or the one asked
 *     for); when none is idle it waits in the manager's FIFO. A task
 *     worker takes one task at a time and sends IDLE when on_task is over.
 *   - RESULT (finish), MESSAGE (send_message), SEND / CLOSE (an operation
 *     on a connection owned by another worker) go to frame.dst.
 * Routing through the manager costs one extra copy, but a restarted
 * process needs only its own new socketpair: no mesh of inherited fds to
 * rebuild, and the idle bookkeeping lives in one single-threaded place.
 * While a process is being restarted the manager holds frames for it
 * (except results: task ids restart) and hands them to its successor; a
 * frame already in the socket of a process that dies is lost with it
 * (Swoole's pipes outlive their worker; ours do not). A task in flight when
 * its task worker dies is lost too, as in Swoole: a taskwait times out.
 * PROCESS mode can reuse the frame format and eddy__link_t as they are.
 */
#ifndef EDDY_SERVER_IPC_H
#define EDDY_SERVER_IPC_H

#include <stdint.h>

#include "server/internal.h"

typedef enum {
    EDDY__FRAME_TASK = 1, /* worker -> task worker; dst: task worker index or -1 */
    EDDY__FRAME_RESULT,   /* task worker -> worker dst; id: task id */
    EDDY__FRAME_IDLE,     /* task worker -> manager: ready for the next task */
    EDDY__FRAME_MESSAGE,  /* any -> worker dst: on_pipe_message */
    EDDY__FRAME_SEND,     /* any -> owner worker dst; id: session */
    EDDY__FRAME_CLOSE,    /* any -> owner worker dst; id: session */
    /* any -> owner worker dst; id: session, payload: int32 query id (< 0).
     * The owner answers with a RESULT whose id is the query id and whose
     * payload is an eddy__answer_t: exists / client_info across workers. */
    EDDY__FRAME_QUERY
} eddy__frame_type_t;

typedef struct {
    int32_t rc; /* 0 or a session error */
    eddy_server_client_info_t info;
} eddy__answer_t;

#define EDDY__FRAME_WAIT 0x1u /* a taskwait task: a late result is dropped */

/* Host byte order: both ends are on this machine. */
typedef struct {
    uint32_t len; /* payload bytes that follow */
    uint8_t type;
    uint8_t flags;
    uint16_t reserved;
    int32_t src; /* sender's worker id (set by the manager when it routes) */
    int32_t dst;
    int32_t id; /* task id or session */
} eddy__frame_t;

typedef struct eddy__link_s eddy__link_t;
typedef void (*eddy__frame_cb)(eddy__link_t *l, const eddy__frame_t *h, const char *payload);

/* One end of a framed stream. */
struct eddy__link_s {
    eddy_io_t io;
    int fd;
    eddy_buf_t in;  /* starts at a frame boundary */
    eddy_buf_t out; /* what the socket did not take yet */
    eddy_server_t *srv;
    int peer;       /* manager side: slot id; child side: -1 */
    int busy;       /* manager side, task worker slots: a task is out */
    eddy__frame_cb on_frame;
    unsigned closed : 1;
    unsigned processing : 1;
};

/* pipe.c: links */
eddy__link_t *eddy__link_new(eddy_server_t *srv, int fd, int peer, eddy__frame_cb cb);
/* touch_loop 0: right after fork, the loop is the parent's; leave it be. */
void eddy__link_free(eddy__link_t *l, int touch_loop);
int eddy__link_send(eddy__link_t *l, const eddy__frame_t *h, const void *payload);
void eddy__link_process(eddy__link_t *l);
/* Reads what the socket has now into l->in, without blocking. */
void eddy__link_poll(eddy__link_t *l);
/* Blocks (poll) until a RESULT frame for task `id` is in l->in, flushing
 * l->out meanwhile; moves its payload into out. 0, EDDY_ETIMEDOUT, EDDY_EPIPE. */
int eddy__link_wait_result(eddy__link_t *l, int id, int64_t timeout_ms, eddy_buf_t *out);

/* pipe.c: manager side */
int eddy__ipc_prepare(eddy_server_t *srv, eddy__slot_t *slot);
void eddy__ipc_child(eddy_server_t *srv, eddy__slot_t *slot);
void eddy__ipc_parent(eddy_server_t *srv, eddy__slot_t *slot, int forked);
void eddy__ipc_slot_exit(eddy_server_t *srv, eddy__slot_t *slot);
void eddy__ipc_dispatch_tasks(eddy_server_t *srv);
void eddy__ipc_free_held(eddy_server_t *srv);
/* The manager's end of a user process's stream (user_process.c), routed as
 * a worker's is (src: its id, worker_num + task_worker_num + index) but
 * only MESSAGE, SEND and CLOSE frames; _exit delivers what it still holds
 * and frees it once the process is gone. */
eddy__link_t *eddy__ipc_user_link(eddy_server_t *srv, int fd, int id);
void eddy__ipc_user_exit(eddy__link_t *l);

/* task.c: child side */
int eddy__ipc_start(eddy_server_t *srv);
void eddy__ipc_free(eddy_server_t *srv);
/* 1 if session belongs to another event worker (forwarded over the IPC). */
int eddy__ipc_remote(const eddy_server_t *srv, int session);
int eddy__ipc_forward(eddy_server_t *srv, int type, int session, const void *data, size_t len);
/* PROCESS mode, in a task worker, which has no channel to the reactor
 * threads: hands a send (EDDY__FRAME_SEND) or close of session to an event
 * worker, which does it. The same worker for every frame of a session, so
 * that its sends leave in order. 0 once queued, or an error. */
int eddy__ipc_forward_process(eddy_server_t *srv, int type, int session, const void *data,
                              size_t len);
/* Asks the owner of session (another worker) for its client info, waiting
 * up to EDDY__QUERY_MS; info may be NULL (exists). 0, a session error,
 * EDDY_ETIMEDOUT or EDDY_EPIPE. */
int eddy__ipc_query(eddy_server_t *srv, int session, eddy_server_client_info_t *info);
#define EDDY__QUERY_MS 1000
__attribute__((noreturn)) void eddy__task_worker_main(eddy_server_t *srv, int id);

/* Per-process IPC state (srv->ipc), created on first use. */
typedef struct eddy__task_job_s eddy__task_job_t;
typedef struct eddy__waiter_s eddy__waiter_t;
typedef struct eddy__queued_s eddy__queued_t;

/* A coroutine in taskwait / taskwait_multi: resumed when its last result
 * arrives or its timer fires. */
typedef struct {
    void *co; /* eddy_coro_t * */
    size_t pending;
    int timed_out;
    eddy_timer_t timer;
} eddy__wait_set_t;

struct eddy__waiter_s { /* one task of a taskwait in a coroutine */
    eddy__waiter_t *next;
    int id;
    eddy__wait_set_t *set;
    eddy_buf_t *out;
    int rc;
    int done;
};

struct eddy__queued_s { /* manager: a task no task worker has taken yet */
    eddy__queued_t *next;
    eddy__frame_t h;
    char payload[];
};

typedef struct eddy__ipc_s {
    int child_fd;        /* child: our end, between fork and eddy__ipc_start */
    eddy__link_t *link;  /* child: the link to the manager */
    int next_task_id;
    int next_query_id; /* counts down from -1: never a task id */
    eddy__waiter_t *waiters;
    /* task worker */
    int busy, stopping;
    int cur_task, cur_src;
    unsigned cur_flags;
    /* the default loop (coroutines) pumped from the server loop */
    eddy_loop_t *dloop;
    eddy_io_t pump_io;
    eddy_timer_t pump_timer;
    /* manager */
    eddy__queued_t *qhead, *qtail;
    int pair[2]; /* the socketpair between prepare and fork */
    eddy_buf_t *held; /* per slot: frames for a process being restarted */
} eddy__ipc_t;

eddy__ipc_t *eddy__ipc(eddy_server_t *srv);

#endif /* EDDY_SERVER_IPC_H */
