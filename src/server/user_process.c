/*
 * User processes (eddy_server_add_process, Swoole's Server::addProcess):
 * processes the manager forks after the workers, restarts when they exit
 * and stops with the server. They are not workers: they take no
 * connections. Each has a stream to the manager (ipc.h's frames, a
 * socketpair made at each fork) over which it sends, closes and messages
 * as a worker would; it writes whole frames with blocking writes, since it
 * runs no server loop, and never reads from it. Anything else it needs to
 * talk with (a socketpair, a file) is created by the caller before start
 * and inherited over fork.
 *
 * The manager calls in here from three places (manager.c): after the
 * workers are forked, for every child it reaps that is not a worker, and
 * on shutdown. A user process is forked with the manager's signal mask
 * (the server's signals blocked for its signalfd): the child unblocks them,
 * so SIGTERM ends it unless its callback chose to watch SIGTERM itself.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "server/internal.h"
#include "server/ipc.h"

/* One that ends within this time of its start is restarted only once the
 * time has passed, so a callback that returns at once (or a process that
 * fails at startup) does not make the manager fork in a tight loop. */
#define UPROC_MIN_LIFE_MS 1000

struct eddy__uproc_s {
    eddy_server_process_cb cb;
    void *arg;
    eddy_server_t *srv;
    int index;
    pid_t pid; /* 0: not running */
    int stopping;
    uint64_t spawned_ms;
    /* While running and stopping: SIGKILL after max_wait_time. While not
     * running: the delayed restart. */
    eddy_timer_t timer;
    eddy__link_t *link; /* manager: its end of the process's stream, or NULL */
    int child_fd;       /* in the user process: its end, or -1 */
};

int eddy_server_add_process(eddy_server_t *srv, eddy_server_process_cb cb, void *arg) {
    if (!cb) return EDDY_EINVAL;
    if (srv->role != ROLE_MASTER || srv->manager_pid) return EDDY_EWRONG_OP;
    /* Grown only before start: the manager's timers point into the array. */
    srv->uprocs = eddy_realloc(srv->uprocs, (size_t)(srv->nuprocs + 1) * sizeof(*srv->uprocs));
    eddy__uproc_t *u = &srv->uprocs[srv->nuprocs];
    memset(u, 0, sizeof(*u));
    u->cb = cb;
    u->arg = arg;
    u->srv = srv;
    u->index = srv->nuprocs;
    u->child_fd = -1;
    return srv->nuprocs++;
}

int eddy_server_process_count(const eddy_server_t *srv) { return srv->nuprocs; }

int eddy_server_process_index(const eddy_server_t *srv) {
    return srv->role == ROLE_USER ? srv->uproc_index : -1;
}

void eddy__uprocs_free(eddy_server_t *srv) {
    /* After the loop is closed (server.c): links are let go without it. */
    for (int i = 0; i < srv->nuprocs; i++) {
        eddy__link_free(srv->uprocs[i].link, 0);
        eddy__server_close_fd(srv->uprocs[i].child_fd);
    }
    eddy_free(srv->uprocs);
    srv->uprocs = NULL;
    srv->nuprocs = 0;
}

/* ---- the child ------------------------------------------------------------ */

__attribute__((noreturn)) static void child_main(eddy_server_t *srv, eddy__uproc_t *u) {
    sigset_t none;
    srv->role = ROLE_USER;
    srv->uproc_index = u->index;
    srv->worker_id = -1;
    /* The manager's ends of every stream are its own: dropped without
     * touching its loop (the workers' through eddy__ipc_child). */
    if (srv->ipc) eddy__ipc_child(srv, NULL);
    for (int i = 0; i < srv->nuprocs; i++) {
        eddy__link_free(srv->uprocs[i].link, 0);
        srv->uprocs[i].link = NULL;
    }
    /* The manager's loop and any default loop inherited over fork share the
     * parent's epoll instance and signalfd: drop them (no kernel state of
     * the manager changes; see eddy__server_new_loop). */
    if (srv->loop_live) eddy_loop_close(&srv->loop);
    srv->loop_live = 0;
    eddy_loop_default_close();
    sigemptyset(&none);
    pthread_sigmask(SIG_SETMASK, &none, NULL);
    /* Die with the manager, as the workers do (prctl is reset by fork). */
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != srv->manager_pid) eddy__server_exit(srv, 1);
    u->cb(srv, u->index, u->arg);
    eddy__server_exit(srv, 0);
}

/* ---- the manager's side ------------------------------------------------------ */

static void spawn_late(eddy_timer_t *t);

static void spawn(eddy__uproc_t *u) {
    eddy_server_t *srv = u->srv;
    int pair[2] = {-1, -1};
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) < 0)
        eddy_log_warn("manager: no stream for user process #%d (%s): its sends will fail",
                      u->index, eddy_strerror(-errno));
    fflush(NULL);
    pid_t pid = fork();
    int fork_errno = errno;
    if (pid == 0) {
        eddy__server_close_fd(pair[0]);
        u->child_fd = pair[1];
        child_main(srv, u);
    }
    eddy__server_close_fd(pair[1]);
    if (pid > 0 && pair[0] >= 0 && fcntl(pair[0], F_SETFL, O_NONBLOCK) == 0)
        u->link = eddy__ipc_user_link(srv, pair[0], (int)eddy__server_slots(srv) + u->index);
    else
        eddy__server_close_fd(pair[0]);
    if (pid < 0) {
        eddy_log_error("manager: fork of user process #%d failed: %s, retrying in %d ms",
                       u->index, eddy_strerror(-fork_errno), UPROC_MIN_LIFE_MS);
        eddy_timer_init(&srv->loop, &u->timer, spawn_late);
        u->timer.data = u;
        eddy_timer_start(&u->timer, UPROC_MIN_LIFE_MS, 0);
        return;
    }
    u->pid = pid;
    u->stopping = 0;
    u->spawned_ms = eddy_loop_now(&srv->loop);
}

static void spawn_late(eddy_timer_t *t) {
    eddy__uproc_t *u = t->data;
    if (!u->pid && !u->srv->shutting_down) spawn(u);
}

static void kill_late(eddy_timer_t *t) {
    eddy__uproc_t *u = t->data;
    if (!u->pid) return;
    eddy_log_warn("manager: user process #%d (pid %d) did not exit within max_wait_time=%us: "
                  "forced to exit with SIGKILL",
                  u->index, (int)u->pid, u->srv->cfg.max_wait_time);
    kill(u->pid, SIGKILL);
}

void eddy__uprocs_start(eddy_server_t *srv) {
    for (int i = 0; i < srv->nuprocs; i++) {
        eddy__uproc_t *u = &srv->uprocs[i];
        eddy_timer_init(&srv->loop, &u->timer, spawn_late);
        u->timer.data = u;
        spawn(u);
    }
}

static void report(eddy__uproc_t *u, pid_t pid, int status) {
    /* SIGTERM during shutdown is ours: the expected end. */
    if (WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM && u->srv->shutting_down)
        eddy_log_info("manager: user process #%d (pid %d) stopped", u->index, (int)pid);
    else if (WIFSIGNALED(status))
        eddy_log_warn("manager: user process #%d (pid %d) was killed by signal %d%s", u->index,
                      (int)pid, WTERMSIG(status), u->srv->shutting_down ? "" : ", restarting");
    else if (WEXITSTATUS(status) != 0)
        eddy_log_warn("manager: user process #%d (pid %d) exited with code %d%s", u->index,
                      (int)pid, WEXITSTATUS(status), u->srv->shutting_down ? "" : ", restarting");
    else
        eddy_log_info("manager: user process #%d (pid %d) exited", u->index, (int)pid);
}

int eddy__uprocs_reaped(eddy_server_t *srv, pid_t pid, int status) {
    for (int i = 0; i < srv->nuprocs; i++) {
        eddy__uproc_t *u = &srv->uprocs[i];
        if (u->pid != pid) continue;
        eddy_timer_stop(&u->timer);
        u->pid = 0;
        eddy__ipc_user_exit(u->link); /* pipe.c: what it sent still goes */
        u->link = NULL;
        report(u, pid, status);
        if (srv->shutting_down) return 1;
        uint64_t lived = eddy_loop_now(&srv->loop) - u->spawned_ms;
        if (lived >= UPROC_MIN_LIFE_MS) {
            spawn(u);
            return 1;
        }
        eddy_timer_init(&srv->loop, &u->timer, spawn_late);
        u->timer.data = u;
        eddy_timer_start(&u->timer, UPROC_MIN_LIFE_MS - lived, 0);
        return 1;
    }
    return 0;
}

void eddy__uprocs_stop(eddy_server_t *srv) {
    for (int i = 0; i < srv->nuprocs; i++) {
        eddy__uproc_t *u = &srv->uprocs[i];
        eddy_timer_stop(&u->timer); /* also cancels a delayed restart */
        if (!u->pid || u->stopping) continue;
        u->stopping = 1;
        kill(u->pid, SIGTERM);
        eddy_timer_init(&srv->loop, &u->timer, kill_late);
        u->timer.data = u;
        eddy_timer_start(&u->timer, (uint64_t)srv->cfg.max_wait_time * 1000, 0);
    }
}

int eddy__uprocs_live(const eddy_server_t *srv) {
    int n = 0;
    for (int i = 0; i < srv->nuprocs; i++) n += srv->uprocs[i].pid != 0;
    return n;
}

/* ---- the user process's sends ------------------------------------------------ */

/* Writes one whole frame on the user process's stream, waiting as long as
 * the manager takes to read it. 0, EDDY_EWRONG_OP outside a user process,
 * EDDY_EPIPE (no stream, manager gone) or -errno. */
static int send_frame(eddy_server_t *srv, int type, int dst, int id, const void *data,
                      size_t len) {
    if (srv->role != ROLE_USER) return EDDY_EWRONG_OP;
    int fd = srv->uprocs[srv->uproc_index].child_fd;
    if (fd < 0) return EDDY_EPIPE;
    if (len > UINT32_MAX) return EDDY_EINVAL;
    eddy__frame_t h;
    memset(&h, 0, sizeof(h));
    h.len = (uint32_t)len;
    h.type = (uint8_t)type;
    h.dst = dst;
    h.id = id;
    size_t total = sizeof(h) + len, done = 0;
    while (done < total) {
        struct iovec iov[2];
        int n = 0;
        if (done < sizeof(h)) iov[n++] = (struct iovec){(char *)&h + done, sizeof(h) - done};
        size_t poff = done > sizeof(h) ? done - sizeof(h) : 0;
        if (len > poff) iov[n++] = (struct iovec){(char *)data + poff, len - poff};
        struct msghdr mh = {.msg_iov = iov, .msg_iovlen = (size_t)n};
        ssize_t w = sendmsg(fd, &mh, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR) continue;
        if (w < 0) return errno == EPIPE ? EDDY_EPIPE : -errno;
        done += (size_t)w;
    }
    return 0;
}

/* The worker that owns (BASE) or handles (PROCESS: always the same one
 * per session, so its sends stay in order) a session; -1 for none. */
static int session_owner(const eddy_server_t *srv, int session) {
    if (session <= 0) return -1;
    if (srv->mode == EDDY_SERVER_PROCESS) return (int)((unsigned)session % srv->cfg.worker_num);
    int w = eddy__session_worker(srv, session);
    return w < (int)srv->cfg.worker_num ? w : -1;
}

int eddy__uproc_send(eddy_server_t *srv, int session, const void *data, size_t len) {
    int dst = session_owner(srv, session);
    if (dst < 0) return EDDY_ESESSION_NOT_EXIST;
    if (len > srv->cfg.buffer_output_size) {
        eddy_log_warn("server: send of %zu bytes over buffer_output_size=%u", len,
                      srv->cfg.buffer_output_size);
        return EDDY_EOUTPUT_BUFFER_OVERFLOW;
    }
    return send_frame(srv, EDDY__FRAME_SEND, dst, session, data, len);
}

int eddy__uproc_close(eddy_server_t *srv, int session) {
    int dst = session_owner(srv, session);
    if (dst < 0) return EDDY_ESESSION_NOT_EXIST;
    return send_frame(srv, EDDY__FRAME_CLOSE, dst, session, NULL, 0);
}

int eddy__uproc_message(eddy_server_t *srv, const void *data, size_t len, int dst_worker_id) {
    if (dst_worker_id < 0 || dst_worker_id >= (int)eddy__server_slots(srv)) return EDDY_EINVAL;
    return send_frame(srv, EDDY__FRAME_MESSAGE, dst_worker_id, 0, data, len);
}
