/*
 * The manager process: forks the workers, restarts any that exit, reloads
 * them on SIGUSR1, kills a stopping worker after max_wait_time, and on
 * SIGTERM stops them all and exits. Every signal arrives through the loop's
 * signalfd; children are reaped with waitpid(WNOHANG) on SIGCHLD, in a loop,
 * because one SIGCHLD may stand for several exits.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "server/internal.h"
#include "server/ipc.h"

typedef struct {
    eddy_signal_t chld, term, usr1, usr2;
} manager_signals_t;

/* A reload is over once every worker it stopped has a successor. */
static void reload_step(eddy_server_t *srv, eddy__slot_t *slot) {
    if (!slot->reloading) return;
    slot->reloading = 0;
    if (--srv->reload_pending > 0) return;
    eddy_log_info("manager: reload done");
    if (srv->ev.on_after_reload) srv->ev.on_after_reload(srv);
}

static void spawn(eddy_server_t *srv, eddy__slot_t *slot) {
    if (eddy__ipc_prepare(srv, slot) < 0) { /* its IPC channel (ipc.h) */
        eddy_log_error("manager: no IPC socketpair for worker #%d: %s", slot->id,
                       eddy_strerror(-errno));
        return;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        eddy__ipc_child(srv, slot);
        /* daemon.c: user / group (BASE workers: in worker_setup) */
        if (srv->mode == EDDY_SERVER_PROCESS || slot->id >= (int)srv->cfg.worker_num)
            eddy__server_switch_ids(srv);
        if (slot->id >= (int)srv->cfg.worker_num) eddy__task_worker_main(srv, slot->id);
        eddy__worker_main(srv, slot->id);
    }
    eddy__ipc_parent(srv, slot, pid > 0);
    if (pid < 0) {
        /* Retried on the next SIGCHLD or reload; logging is all we can do. */
        eddy_log_error("manager: fork of worker #%d failed: %s", slot->id, eddy_strerror(-errno));
        return;
    }
    slot->pid = pid;
    eddy__pids_set(srv, slot->id, pid); /* pids.c: for eddy_server_worker_pid */
    slot->stopping = 0;
    slot->spawned_ms = eddy_loop_now(&srv->loop);
    reload_step(srv, slot);
}

/* A worker that fails at startup (bad option, port taken for a reuse_port
 * copy) would otherwise be re-forked in a tight loop. */
#define RESPAWN_DELAY_MS 1000

static void respawn_late(eddy_timer_t *t) {
    eddy__slot_t *slot = t->data;
    if (!slot->pid && !slot->srv->shutting_down) spawn(slot->srv, slot);
}

static void respawn(eddy_server_t *srv, eddy__slot_t *slot, int status) {
    int failed_early = WIFEXITED(status) && WEXITSTATUS(status) != 0 &&
                       eddy_loop_now(&srv->loop) - slot->spawned_ms < RESPAWN_DELAY_MS;
    if (!failed_early) {
        spawn(srv, slot);
        return;
    }
    eddy_log_warn("manager: worker #%d failed at startup, restarting it in %d ms", slot->id,
                  RESPAWN_DELAY_MS);
    eddy_timer_init(&srv->loop, &slot->kill_timer, respawn_late);
    slot->kill_timer.data = slot;
    eddy_timer_start(&slot->kill_timer, RESPAWN_DELAY_MS, 0);
}

static void kill_late(eddy_timer_t *t) {
    eddy__slot_t *slot = t->data;
    if (!slot->pid) return;
    eddy_log_warn("manager: worker #%d (pid %d) did not exit within max_wait_time=%us: "
                  "forced to exit with SIGKILL",
                  slot->id, (int)slot->pid, slot->srv->cfg.max_wait_time);
    kill(slot->pid, SIGKILL);
}

/* Asks one worker to stop; it drains (reload_async) or stops at once. */
static void stop_slot(eddy__slot_t *slot) {
    eddy_timer_stop(&slot->kill_timer); /* also cancels a delayed respawn */
    if (!slot->pid || slot->stopping) return;
    slot->stopping = 1;
    kill(slot->pid, SIGTERM);
    eddy_timer_init(&slot->srv->loop, &slot->kill_timer, kill_late);
    slot->kill_timer.data = slot;
    eddy_timer_start(&slot->kill_timer, (uint64_t)slot->srv->cfg.max_wait_time * 1000, 0);
}

/* Workers, task workers and user processes (user_process.c). */
static int live_workers(const eddy_server_t *srv) {
    int n = eddy__uprocs_live(srv);
    for (uint32_t i = 0; i < eddy__server_slots(srv); i++) n += srv->slots[i].pid != 0;
    return n;
}

static void report_exit(eddy_server_t *srv, eddy__slot_t *slot, pid_t pid, int status) {
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    int signo = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    if (code == 0) {
        eddy_log_info("manager: worker #%d (pid %d) exited", slot->id, (int)pid);
        return;
    }
    if (signo)
        eddy_log_warn("manager: worker #%d (pid %d) was killed by signal %d%s", slot->id,
                      (int)pid, signo, srv->shutting_down ? "" : ", restarting");
    else
        eddy_log_warn("manager: worker #%d (pid %d) exited with code %d%s", slot->id, (int)pid,
                      code, srv->shutting_down ? "" : ", restarting");
    if (srv->ev.on_worker_error) srv->ev.on_worker_error(srv, slot->id, (int)pid, code, signo);
}

static eddy__slot_t *find_slot(eddy_server_t *srv, pid_t pid) {
    for (uint32_t i = 0; i < eddy__server_slots(srv); i++)
        if (srv->slots[i].pid == pid) return &srv->slots[i];
    return NULL;
}

static void on_child(eddy_loop_t *loop, eddy_signal_t *sig, int signo) {
    eddy_server_t *srv = loop->data;
    int status;
    pid_t pid;
    (void)sig, (void)signo;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
        eddy__slot_t *slot = find_slot(srv, pid);
        if (!slot) {
            eddy__uprocs_reaped(srv, pid, status); /* user_process.c, if one */
            continue;
        }
        eddy_timer_stop(&slot->kill_timer);
        slot->pid = 0;
        eddy__pids_set(srv, slot->id, 0);
        eddy__ipc_slot_exit(srv, slot);
        report_exit(srv, slot, pid, status);
        /* Restart whatever the reason (crash, SIGKILL, reload, max_request). */
        if (!srv->shutting_down) respawn(srv, slot, status);
    }
    if (srv->shutting_down && live_workers(srv) == 0) eddy_loop_stop(loop);
}

static void on_term(eddy_loop_t *loop, eddy_signal_t *sig, int signo) {
    eddy_server_t *srv = loop->data;
    (void)sig, (void)signo;
    if (srv->shutting_down) return;
    srv->shutting_down = 1;
    eddy_log_info("manager: shutting down %d worker(s)", live_workers(srv));
    for (uint32_t i = 0; i < eddy__server_slots(srv); i++) stop_slot(&srv->slots[i]);
    eddy__uprocs_stop(srv);
    if (live_workers(srv) == 0) eddy_loop_stop(loop);
}

/* SIGUSR1 reloads every worker and task worker, SIGUSR2 the task workers. */
static void on_reload(eddy_loop_t *loop, eddy_signal_t *sig, int signo) {
    eddy_server_t *srv = loop->data;
    (void)sig;
    if (srv->shutting_down) return;
    uint32_t first = signo == SIGUSR1 ? 0 : srv->cfg.worker_num, end = eddy__server_slots(srv);
    if (first == end) {
        eddy_log_info("manager: no task workers to reload");
        return;
    }
    eddy_log_info("manager: reloading %u %s", end - first,
                  first ? "task worker(s)" : "worker(s) and task worker(s)");
    if (srv->ev.on_before_reload) srv->ev.on_before_reload(srv);
    for (uint32_t i = first; i < end; i++) {
        eddy__slot_t *s = &srv->slots[i];
        if (s->pid && !s->stopping && !s->reloading) { /* one not already on its way out */
            s->reloading = 1;
            srv->reload_pending++;
        }
        stop_slot(s);
    }
    if (srv->reload_pending == 0 && srv->ev.on_after_reload) srv->ev.on_after_reload(srv);
}

static int watch(eddy_server_t *srv, manager_signals_t *s) {
    int rc;
    if ((rc = eddy_signal_start(&srv->loop, &s->chld, SIGCHLD, on_child)) < 0 ||
        (rc = eddy_signal_start(&srv->loop, &s->term, SIGTERM, on_term)) < 0 ||
        (rc = eddy_signal_start(&srv->loop, &s->usr1, SIGUSR1, on_reload)) < 0 ||
        (rc = eddy_signal_start(&srv->loop, &s->usr2, SIGUSR2, on_reload)) < 0)
        return rc;
    return 0;
}

void eddy__manager_main(eddy_server_t *srv) {
    manager_signals_t sigs;
    srv->role = ROLE_MANAGER;
    srv->manager_pid = getpid();
    /* If the master is killed outright, shut down instead of living on. */
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != srv->master_pid) eddy__server_exit(srv, 1);
    if (eddy__server_new_loop(srv) < 0 || watch(srv, &sigs) < 0) {
        eddy_log_error("manager: cannot set up its loop");
        eddy__server_exit(srv, 1);
    }
    srv->loop.data = srv;
    srv->slots = eddy_calloc(eddy__server_slots(srv), sizeof(*srv->slots));
    for (uint32_t i = 0; i < eddy__server_slots(srv); i++) {
        eddy__slot_t *slot = &srv->slots[i];
        slot->srv = srv;
        slot->id = (int)i;
        eddy_timer_init(&srv->loop, &slot->kill_timer, kill_late);
    }
    if (srv->ev.on_manager_start) srv->ev.on_manager_start(srv);
    for (uint32_t i = 0; i < eddy__server_slots(srv); i++) spawn(srv, &srv->slots[i]);
    eddy__uprocs_start(srv); /* after the workers, as Swoole */
    eddy_loop_run(&srv->loop);
    if (srv->ev.on_manager_stop) srv->ev.on_manager_stop(srv);
    eddy__server_exit(srv, 0);
}
