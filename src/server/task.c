/*
 * Task workers, task / taskwait / finish, worker-to-worker messages and
 * operations on connections owned by another worker: the child side of the
 * IPC whose manager side and design are in pipe.c / ipc.h.
 *
 * Task ids count up per worker from 0 (wrapping at INT_MAX), as Swoole's.
 * A taskwait inside a coroutine yields it (resumed by the result or by a
 * timer on the server loop); outside one it blocks the worker in poll(2),
 * bounded by the timeout, as Swoole's non-coroutine taskwait does. Frames
 * that arrive meanwhile are kept in order and handled after it returns.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "eddy/coro.h"
#include "loop/internal.h" /* eddy__timer_timeout: when the default loop wants to run */
#include "server/ipc.h"

eddy__ipc_t *eddy__ipc(eddy_server_t *srv) {
    if (!srv->ipc) {
        srv->ipc = eddy_calloc(1, sizeof(*srv->ipc));
        srv->ipc->child_fd = srv->ipc->pair[0] = srv->ipc->pair[1] = -1;
    }
    return srv->ipc;
}

static int is_task_worker(const eddy_server_t *srv) {
    return srv->role == ROLE_WORKER && srv->worker_id >= (int)srv->cfg.worker_num;
}

static eddy__link_t *child_link(eddy_server_t *srv) {
    return srv->ipc && srv->role == ROLE_WORKER ? srv->ipc->link : NULL;
}

static int send_frame(eddy_server_t *srv, int type, int dst, int id, unsigned flags,
                      const void *data, size_t len) {
    eddy__link_t *l = child_link(srv);
    if (!l) return EDDY_EWRONG_OP;
    if (len > UINT32_MAX) return EDDY_ENOMEM;
    eddy__frame_t h = {.len = (uint32_t)len, .type = (uint8_t)type, .flags = (uint8_t)flags,
                       .src = srv->worker_id, .dst = dst, .id = id};
    return eddy__link_send(l, &h, data);
}

/* ---- the default loop, pumped from the server loop --------------------- */

/* Coroutines sleep and wait on this thread's default loop, while a server
 * process runs srv->loop. Workers and task workers watch the default loop's
 * epoll fd from srv->loop and run one non-blocking iteration of it whenever
 * that fd is ready or its next timer (or deferred call) is due; after every
 * iteration of srv->loop a cycle callback re-arms the timer for what the
 * callbacks of that iteration started (a coroutine made in on_receive that
 * sleeps). The pump timer is active only while the default loop has timers,
 * so a draining worker waits for sleeping coroutines as for its own timers. */
static void pump_stop(void *arg) { eddy_loop_stop(arg); }

static void pump_arm(eddy_server_t *srv) {
    eddy__ipc_t *ipc = srv->ipc;
    /* defer_head: the loop's private field, read for the same reason as epfd. */
    int t = ipc->dloop->defer_head ? 0 : eddy__timer_timeout(ipc->dloop);
    if (t < 0) {
        eddy_timer_stop(&ipc->pump_timer);
        return;
    }
    uint64_t due = eddy_loop_now(&srv->loop) + (uint64_t)t;
    if (!eddy_timer_active(&ipc->pump_timer) || ipc->pump_timer.due != due)
        eddy_timer_start(&ipc->pump_timer, (uint64_t)t, 0);
}

static void pump(eddy_server_t *srv) {
    eddy__ipc_t *ipc = srv->ipc;
    eddy_loop_defer(ipc->dloop, pump_stop, ipc->dloop); /* makes run() one pass */
    eddy_loop_run(ipc->dloop);
    pump_arm(srv);
}

static void on_cycle(eddy_loop_t *loop, void *arg) {
    (void)loop;
    pump_arm(arg);
}

static void on_pump_io(eddy_loop_t *loop, eddy_io_t *io, unsigned events) {
    (void)io, (void)events;
    pump(loop->data);
}

static void on_pump_timer(eddy_timer_t *t) { pump(t->data); }

static int pump_start(eddy_server_t *srv) {
    eddy__ipc_t *ipc = srv->ipc;
    eddy_loop_default_close(); /* one inherited over fork shares the parent's epoll */
    if (!(ipc->dloop = eddy_loop_default())) return EDDY_ESYSCALL;
    eddy_timer_init(&srv->loop, &ipc->pump_timer, on_pump_timer);
    ipc->pump_timer.data = srv;
    /* The epoll fd is the loop's private field; reading it is the one
     * coupling between the two modules, documented here. */
    eddy_io_init(&ipc->pump_io, ipc->dloop->epfd, on_pump_io);
    int rc = eddy_io_set(&srv->loop, &ipc->pump_io, EDDY_READ);
    return rc < 0 ? rc : eddy_loop_set_cycle(&srv->loop, EDDY_CYCLE_AFTER, on_cycle, srv);
}

/* ---- task worker: running a task --------------------------------------- */

struct eddy__task_job_s {
    eddy_server_t *srv;
    int id, src;
    size_t len;
    char data[];
};

/* A stopping task worker exits once it holds no task: none running, and
 * no frame (a task the manager sent before it sent SIGTERM) half read. */
static void maybe_stop(eddy_server_t *srv) {
    eddy__ipc_t *ipc = srv->ipc;
    if (ipc->stopping && !ipc->busy && (!ipc->link || ipc->link->in.len == 0))
        eddy_loop_stop(&srv->loop);
}

static void task_done(eddy_server_t *srv) {
    eddy__ipc_t *ipc = srv->ipc;
    ipc->busy = 0;
    send_frame(srv, EDDY__FRAME_IDLE, -1, ipc->cur_task, 0, NULL, 0);
    maybe_stop(srv);
}

static void task_coro(void *arg) {
    eddy__task_job_t *job = arg;
    eddy_server_t *srv = job->srv;
    if (srv->ev.on_task) srv->ev.on_task(srv, job->id, job->src, job->data, job->len);
    eddy_free(job);
    task_done(srv);
}

static void run_task(eddy_server_t *srv, const eddy__frame_t *h, const char *payload) {
    eddy__ipc_t *ipc = srv->ipc;
    ipc->busy = 1;
    ipc->cur_task = h->id;
    ipc->cur_src = h->src;
    ipc->cur_flags = h->flags;
    if (srv->cfg.task_enable_coroutine) {
        /* The payload must outlive this call: the coroutine may yield. */
        eddy__task_job_t *job = eddy_malloc(sizeof(*job) + h->len);
        job->srv = srv;
        job->id = h->id;
        job->src = h->src;
        job->len = h->len;
        memcpy(job->data, payload, h->len);
        if (eddy_coro_create(task_coro, job) >= 0) {
            pump(srv); /* arm for whatever the coroutine now waits on */
            return;
        }
        eddy_log_error("task worker #%d: cannot create a coroutine, running task %d without",
                       srv->worker_id, h->id);
        eddy_free(job);
    }
    if (srv->ev.on_task) srv->ev.on_task(srv, h->id, h->src, payload, h->len);
    task_done(srv);
}

int eddy_server_finish(eddy_server_t *srv, const void *data, size_t len) {
    eddy__ipc_t *ipc = srv->ipc;
    /* Swoole allows several finish() per task: on_finish fires for each (a
     * taskwait takes the first; later ones are dropped as expired). */
    if (!is_task_worker(srv) || !ipc || !ipc->busy) return EDDY_EWRONG_OP;
    return send_frame(srv, EDDY__FRAME_RESULT, ipc->cur_src, ipc->cur_task, ipc->cur_flags, data,
                      len);
}

/* ---- worker: results --------------------------------------------------- */

static eddy__waiter_t *take_waiter(eddy__ipc_t *ipc, int id) {
    for (eddy__waiter_t **pp = &ipc->waiters; *pp; pp = &(*pp)->next) {
        eddy__waiter_t *w = *pp;
        if (w->id != id) continue;
        *pp = w->next;
        return w;
    }
    return NULL;
}

static void on_result(eddy_server_t *srv, const eddy__frame_t *h, const char *payload) {
    if (h->id < 0) return; /* the answer to a query that gave up waiting */
    eddy__waiter_t *w = take_waiter(srv->ipc, h->id);
    if (w) {
        eddy_buf_append(w->out, payload, h->len);
        w->rc = 0;
        w->done = 1;
        if (--w->set->pending == 0) eddy_coro_resume(w->set->co);
        return;
    }
    if (h->flags & EDDY__FRAME_WAIT) { /* its taskwait gave up already */
        eddy_log_warn("worker #%d: task %d has expired: result dropped", srv->worker_id, h->id);
        return;
    }
    if (srv->ev.on_finish) srv->ev.on_finish(srv, h->id, payload, h->len);
}

/* ---- frames arriving at a worker or task worker ------------------------ */

/* A send another worker forwarded for one of our connections: if it has
 * gone (or is closing) meanwhile, the data is dropped with Swoole's notice
 * 1007; the sender was told 0 when it queued the frame. */
static void forwarded_send(eddy_server_t *srv, const eddy__frame_t *h, const char *payload) {
    int err;
    if (srv->mode == EDDY_SERVER_PROCESS) { /* from a task worker: the shared table decides */
        eddy_server_send(srv, h->id, payload, h->len);
        return;
    }
    eddy__worker_conn(srv, h->id, &err);
    if (err == EDDY_ESESSION_NOT_EXIST || err == EDDY_ESESSION_CLOSED) {
        eddy_log(EDDY_LOG_NOTICE,
                 "worker #%d: %u bytes from worker #%d for session#%d discarded: session %s "
                 "(ERRNO %d)",
                 srv->worker_id, h->len, h->src, h->id,
                 err == EDDY_ESESSION_CLOSED ? "closed" : "gone", -EDDY_ESESSION_DISCARD_DATA);
        return;
    }
    eddy_server_send(srv, h->id, payload, h->len); /* other errors are logged by send */
}

/* Another worker asks about one of our connections (exists / client_info). */
static void answer_query(eddy_server_t *srv, const eddy__frame_t *h, const char *payload) {
    int32_t qid;
    eddy__answer_t a;
    if (h->len != sizeof(qid)) return;
    memcpy(&qid, payload, sizeof(qid));
    memset(&a, 0, sizeof(a));
    a.rc = is_task_worker(srv) ? EDDY_ESESSION_NOT_EXIST
                               : eddy_server_client_info(srv, h->id, &a.info);
    send_frame(srv, EDDY__FRAME_RESULT, h->src, qid, 0, &a, sizeof(a));
}

static void child_frame(eddy__link_t *l, const eddy__frame_t *h, const char *payload) {
    eddy_server_t *srv = l->srv;
    switch (h->type) {
    case EDDY__FRAME_TASK:
        run_task(srv, h, payload);
        break;
    case EDDY__FRAME_RESULT:
        on_result(srv, h, payload);
        break;
    case EDDY__FRAME_MESSAGE:
        if (srv->ev.on_pipe_message) srv->ev.on_pipe_message(srv, h->src, payload, h->len);
        break;
    case EDDY__FRAME_SEND:
        forwarded_send(srv, h, payload);
        break;
    case EDDY__FRAME_CLOSE:
        eddy_server_close(srv, h->id);
        break;
    case EDDY__FRAME_QUERY:
        answer_query(srv, h, payload);
        break;
    default:
        eddy_log_warn("worker #%d: unknown IPC frame type %d", srv->worker_id, h->type);
    }
    if (is_task_worker(srv)) maybe_stop(srv);
}

int eddy__ipc_start(eddy_server_t *srv) {
    eddy__ipc_t *ipc = eddy__ipc(srv);
    if (ipc->child_fd < 0) return EDDY_EBADF;
    ipc->link = eddy__link_new(srv, ipc->child_fd, -1, child_frame);
    ipc->child_fd = -1;
    return ipc->link->closed ? EDDY_ESYSCALL : pump_start(srv);
}

void eddy__ipc_free(eddy_server_t *srv) {
    eddy__ipc_t *ipc = srv->ipc;
    if (!ipc) return;
    int live = srv->loop_live;
    for (uint32_t i = 0; srv->slots && i < eddy__server_slots(srv); i++) {
        eddy__link_free(srv->slots[i].link, live);
        srv->slots[i].link = NULL;
    }
    eddy__link_free(ipc->link, live);
    eddy__server_close_fd(ipc->child_fd);
    while (ipc->qhead) {
        eddy__queued_t *q = ipc->qhead;
        ipc->qhead = q->next;
        eddy_free(q);
    }
    eddy__ipc_free_held(srv);
    if (ipc->dloop) {
        if (live) {
            eddy_io_stop(&ipc->pump_io);
            eddy_timer_stop(&ipc->pump_timer);
            eddy_loop_set_cycle(&srv->loop, EDDY_CYCLE_AFTER, NULL, NULL);
        }
        eddy_loop_default_close();
    }
    eddy_free(ipc);
    srv->ipc = NULL;
}

/* Any frames read during a blocking taskwait. */
static void process_later(void *arg) {
    eddy_server_t *srv = arg;
    if (child_link(srv)) eddy__link_process(srv->ipc->link);
}

/* ---- task worker process ----------------------------------------------- */

static void on_task_sigterm(eddy_loop_t *loop, eddy_signal_t *sig, int signo) {
    eddy_server_t *srv = loop->data;
    (void)sig, (void)signo;
    eddy_log_info("task worker #%d (pid %d): stopping (SIGTERM)", srv->worker_id, (int)getpid());
    srv->ipc->stopping = 1;
    /* The manager sends no task after SIGTERM, but one sent before may
     * still sit in the socket: the signal and the data can come in one
     * epoll batch, signal first. Take it in before deciding. */
    eddy__link_t *l = srv->ipc->link;
    if (l && !l->closed) {
        eddy__link_poll(l);
        eddy__link_process(l);
    }
    maybe_stop(srv);
}

static int task_worker_setup(eddy_server_t *srv, int id) {
    srv->role = ROLE_WORKER;
    srv->worker_id = id;
    prctl(PR_SET_PDEATHSIG, SIGTERM); /* as workers: never outlive the manager */
    if (getppid() != srv->manager_pid) return EDDY_ESYSCALL;
    int rc = eddy__server_new_loop(srv);
    if (rc < 0) return rc;
    srv->loop.data = srv;
    eddy__ipc(srv);
    /* The worker's watcher slot: it must outlive srv->ipc, since the loop
     * (closed after the IPC state is freed) walks its signal watchers. */
    if ((rc = eddy_signal_start(&srv->loop, &srv->w.sigterm, SIGTERM, on_task_sigterm)) < 0)
        return rc;
    if ((rc = eddy__ipc_start(srv)) < 0) return rc;
    return send_frame(srv, EDDY__FRAME_IDLE, -1, -1, 0, NULL, 0); /* ready for tasks */
}

void eddy__task_worker_main(eddy_server_t *srv, int id) {
    sigset_t pending;
    int term = sigpending(&pending) == 0 && sigismember(&pending, SIGTERM);
    int rc = task_worker_setup(srv, id);
    if (rc < 0) {
        eddy_log_error("task worker #%d: cannot start: %s", id, eddy_strerror(rc));
        eddy__server_exit(srv, 1);
    }
    if (srv->ev.on_worker_start) srv->ev.on_worker_start(srv, id);
    if (!term) eddy_loop_run(&srv->loop);
    if (srv->ev.on_worker_stop) srv->ev.on_worker_stop(srv, id);
    eddy__server_exit(srv, 0);
}

/* ---- public API -------------------------------------------------------- */

static int check_task(eddy_server_t *srv, int dst) {
    if (!child_link(srv) || is_task_worker(srv)) return EDDY_EWRONG_OP;
    if (srv->cfg.task_worker_num == 0) {
        eddy_log_warn("server: task() needs task_worker_num > 0");
        return EDDY_EWRONG_OP;
    }
    if (dst < -1 || dst >= (int)srv->cfg.task_worker_num) return EDDY_EINVAL;
    return 0;
}

static int next_id(eddy__ipc_t *ipc) {
    int id = ipc->next_task_id;
    ipc->next_task_id = id == INT_MAX ? 0 : id + 1;
    return id;
}

int eddy_server_task(eddy_server_t *srv, const void *data, size_t len, int dst_worker_id) {
    int rc = check_task(srv, dst_worker_id);
    if (rc < 0) return rc;
    int id = next_id(srv->ipc);
    rc = send_frame(srv, EDDY__FRAME_TASK, dst_worker_id, id, 0, data, len);
    return rc < 0 ? rc : id;
}

static void on_wait_timeout(eddy_timer_t *t) {
    eddy__wait_set_t *set = t->data;
    set->timed_out = 1;
    eddy_coro_resume(set->co);
}

/* Waits in the current coroutine for the results of tasks ids[0..n). */
static void wait_in_coroutine(eddy_server_t *srv, const int *ids, size_t n, int64_t timeout_ms,
                              eddy_buf_t *outs, int *rcs) {
    eddy__ipc_t *ipc = srv->ipc;
    eddy__wait_set_t set = {.co = eddy_coro_current(), .pending = n};
    eddy__waiter_t *ws = eddy_calloc(n, sizeof(*ws));
    for (size_t i = 0; i < n; i++) {
        ws[i] = (eddy__waiter_t){.next = ipc->waiters, .id = ids[i], .set = &set,
                                 .out = &outs[i], .rc = EDDY_ETIMEDOUT};
        ipc->waiters = &ws[i];
    }
    eddy_timer_init(&srv->loop, &set.timer, on_wait_timeout);
    set.timer.data = &set;
    if (timeout_ms >= 0) eddy_timer_start(&set.timer, (uint64_t)timeout_ms, 0);
    while (set.pending > 0 && !set.timed_out) eddy_coro_yield();
    eddy_timer_stop(&set.timer);
    for (size_t i = 0; i < n; i++) {
        if (!ws[i].done) take_waiter(ipc, ws[i].id); /* late results are dropped */
        rcs[i] = ws[i].rc;
    }
    eddy_free(ws);
}

/* Blocks the worker until every result is in or the deadline passes; a
 * result that came early is found in the buffered frames. */
static void wait_blocking(eddy_server_t *srv, const int *ids, size_t n, int64_t timeout_ms,
                          eddy_buf_t *outs, int *rcs) {
    uint64_t deadline = eddy_now_ms() + (uint64_t)(timeout_ms < 0 ? 0 : timeout_ms);
    for (size_t i = 0; i < n; i++) {
        int64_t left = timeout_ms;
        if (timeout_ms >= 0) {
            uint64_t now = eddy_now_ms();
            left = now >= deadline ? 0 : (int64_t)(deadline - now);
        }
        rcs[i] = eddy__link_wait_result(srv->ipc->link, ids[i], left, &outs[i]);
    }
    if (srv->ipc->link->in.len) eddy_loop_defer(&srv->loop, process_later, srv);
}

int eddy_server_taskwait_multi(eddy_server_t *srv, const void *const *datas, const size_t *lens,
                               size_t n, int64_t timeout_ms, eddy_buf_t *outs, int *rcs) {
    int rc = check_task(srv, -1);
    if (rc < 0) return rc;
    if (n == 0) return 0;
    int *ids = eddy_malloc(n * sizeof(*ids));
    for (size_t i = 0; i < n; i++) {
        ids[i] = next_id(srv->ipc);
        rcs[i] = send_frame(srv, EDDY__FRAME_TASK, -1, ids[i], EDDY__FRAME_WAIT, datas[i], lens[i]);
        if (rcs[i] < 0) { /* the link is gone: nothing will come back */
            eddy_free(ids);
            return rcs[i];
        }
    }
    if (eddy_coro_current()) wait_in_coroutine(srv, ids, n, timeout_ms, outs, rcs);
    else wait_blocking(srv, ids, n, timeout_ms, outs, rcs);
    eddy_free(ids);
    int done = 0;
    for (size_t i = 0; i < n; i++) done += rcs[i] == 0;
    return done;
}

int eddy_server_taskwait(eddy_server_t *srv, const void *data, size_t len, int64_t timeout_ms,
                         eddy_buf_t *out) {
    int rcs[1];
    int rc = eddy_server_taskwait_multi(srv, &data, &len, 1, timeout_ms, out, rcs);
    return rc < 0 ? rc : rcs[0];
}

int eddy_server_send_message(eddy_server_t *srv, const void *data, size_t len,
                             int dst_worker_id) {
    if (srv->role == ROLE_USER) return eddy__uproc_message(srv, data, len, dst_worker_id);
    if (!child_link(srv)) return EDDY_EWRONG_OP;
    if (dst_worker_id < 0 || dst_worker_id >= (int)eddy__server_slots(srv) ||
        dst_worker_id == srv->worker_id)
        return EDDY_EINVAL;
    return send_frame(srv, EDDY__FRAME_MESSAGE, dst_worker_id, 0, 0, data, len);
}

/* A blocking round trip through the manager, as a non-coroutine taskwait:
 * bounded by EDDY__QUERY_MS, and frames read meanwhile are handled after. */
int eddy__ipc_query(eddy_server_t *srv, int session, eddy_server_client_info_t *info) {
    eddy__link_t *l = child_link(srv);
    if (!l) return EDDY_EWRONG_OP;
    eddy__ipc_t *ipc = srv->ipc;
    int32_t qid = ipc->next_query_id = ipc->next_query_id <= INT_MIN + 1 ? -1
                                                                          : ipc->next_query_id - 1;
    int rc = send_frame(srv, EDDY__FRAME_QUERY, eddy__session_worker(srv, session), session, 0,
                        &qid, sizeof(qid));
    if (rc < 0) return rc;
    eddy_buf_t out;
    eddy_buf_init(&out);
    rc = eddy__link_wait_result(l, qid, EDDY__QUERY_MS, &out);
    eddy__answer_t a;
    if (rc == 0 && out.len != sizeof(a)) rc = EDDY_EPROTOCOL;
    if (rc == 0) {
        memcpy(&a, out.data, sizeof(a));
        rc = a.rc;
        if (rc == 0 && info) *info = a.info;
    }
    eddy_buf_free(&out);
    if (l->in.len) eddy_loop_defer(&srv->loop, process_later, srv);
    if (rc == EDDY_ETIMEDOUT || rc == EDDY_EPIPE)
        eddy_log_warn("worker #%d: no answer about session#%d from worker #%d: %s",
                      srv->worker_id, session, eddy__session_worker(srv, session),
                      eddy_strerror(rc));
    return rc;
}

int eddy__ipc_remote(const eddy_server_t *srv, int session) {
    int owner = eddy__session_worker(srv, session);
    return srv->role == ROLE_WORKER && session > 0 && owner != srv->worker_id &&
           owner < (int)srv->cfg.worker_num;
}

static int forward_to(eddy_server_t *srv, int type, int dst, int session, const void *data,
                      size_t len) {
    if (len > srv->cfg.buffer_output_size) {
        eddy_log_warn("server: send of %zu bytes over buffer_output_size=%u", len,
                      srv->cfg.buffer_output_size);
        return EDDY_EOUTPUT_BUFFER_OVERFLOW;
    }
    return send_frame(srv, type, dst, session, 0, data, len);
}

int eddy__ipc_forward(eddy_server_t *srv, int type, int session, const void *data, size_t len) {
    return forward_to(srv, type, eddy__session_worker(srv, session), session, data, len);
}

int eddy__ipc_forward_process(eddy_server_t *srv, int type, int session, const void *data,
                              size_t len) {
    if (!srv->ipc || !is_task_worker(srv)) return EDDY_EWRONG_OP;
    int dst = (int)((unsigned)session % srv->cfg.worker_num);
    return forward_to(srv, type, dst, session, data, len);
}

int eddy_server_reload_ex(eddy_server_t *srv, int only_task_workers) {
    pid_t target = srv->role == ROLE_MANAGER ? getpid() : srv->manager_pid;
    if (target <= 0) return EDDY_EWRONG_OP;
    return kill(target, only_task_workers ? SIGUSR2 : SIGUSR1) < 0 ? -errno : 0;
}

int eddy_server_is_task_worker(const eddy_server_t *srv) { return is_task_worker(srv); }
