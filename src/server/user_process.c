/*
 * User processes (eddy_server_add_process, Swoole's Server::addProcess):
 * processes the manager forks after the workers, restarts when they exit
 * and stops with the server. They are not workers: they take no
 * connections and have no IPC channel of their own; whatever they need to
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
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "server/internal.h"

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
    return srv->nuprocs++;
}

int eddy_server_process_count(const eddy_server_t *srv) { return srv->nuprocs; }

int eddy_server_process_index(const eddy_server_t *srv) {
    return srv->role == ROLE_USER ? srv->uproc_index : -1;
}

void eddy__uprocs_free(eddy_server_t *srv) {
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

static void spawn(eddy__uproc_t *u) {
    eddy_server_t *srv = u->srv;
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) child_main(srv, u);
    if (pid < 0) {
        /* Retried on the next reap or never; logging is all we can do. */
        eddy_log_error("manager: fork of user process #%d failed: %s", u->index,
                       eddy_strerror(-errno));
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
