/*
 * Server object and the master process: listen sockets, pid file, the
 * manager's fork, signal forwarding, on_start / on_shutdown.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "server/internal.h"
#include "server/ipc.h"
#include "server/process.h"

static char *dup_opt(const char *s) { return s ? eddy_strdup(s) : NULL; }

/* A copy of cfg that owns its strings. */
static void copy_config(eddy_server_config_t *dst, const eddy_server_config_t *cfg) {
    *dst = *cfg;
    dst->pid_file = dup_opt(cfg->pid_file);
    dst->log_file = dup_opt(cfg->log_file);
    dst->user = dup_opt(cfg->user);
    dst->group = dup_opt(cfg->group);
}

eddy_server_t *eddy_server_new(const eddy_server_config_t *cfg) {
    eddy_server_t *srv = eddy_calloc(1, sizeof(*srv));
    if (cfg) {
        copy_config(&srv->cfg, cfg);
    } else {
        eddy_server_config_init(&srv->cfg);
    }
    srv->worker_id = -1;
    srv->mode = EDDY_SERVER_BASE;
    srv->master_pid = getpid();
    srv->w.accept_epfd = -1;
    for (int i = 0; i < EDDY_SERVER_MAX_LISTENERS; i++) srv->w.reuse_fds[i] = -1;
    return srv;
}

void eddy_server_free(eddy_server_t *srv) {
    if (!srv) return;
    for (int i = 0; i < srv->nlisteners; i++) {
        if (srv->listeners[i].fd >= 0) eddy__server_close_fd(srv->listeners[i].fd);
        eddy_free(srv->listeners[i].path);
        eddy__listener_free(&srv->listeners[i]); /* listener.c */
    }
    eddy__worker_free(srv);
    eddy__ipc_free(srv); /* task.c */
    eddy__process_free(srv);
    if (srv->loop_live) eddy_loop_close(&srv->loop);
    eddy_free(srv->slots);
    eddy__uprocs_free(srv); /* user_process.c */
    eddy__pids_free(srv);
    eddy_server_config_free(&srv->cfg);
    eddy_free(srv);
}

void eddy_server_set_events(eddy_server_t *srv, const eddy_server_events_t *ev) { srv->ev = *ev; }

/* ---- listeners --------------------------------------------------------- */

static int sock_domain(eddy_sock_type_t t) {
    if (t == EDDY_SOCK_TCP6 || t == EDDY_SOCK_UDP6) return AF_INET6;
    if (t == EDDY_SOCK_UNIX_STREAM || t == EDDY_SOCK_UNIX_DGRAM) return AF_UNIX;
    return AF_INET;
}

static int sock_kind(eddy_sock_type_t t) {
    return (t == EDDY_SOCK_TCP || t == EDDY_SOCK_TCP6 || t == EDDY_SOCK_UNIX_STREAM)
               ? SOCK_STREAM
               : SOCK_DGRAM;
}

static int bound_port(int fd) {
    struct sockaddr_storage ss;
    socklen_t len = sizeof(ss);
    if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0) return 0;
    if (ss.ss_family == AF_INET) return ntohs(((struct sockaddr_in *)&ss)->sin_port);
    if (ss.ss_family == AF_INET6) return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
    return 0;
}

/* A stale socket file from an earlier run would make bind fail; only a
 * socket is removed, never a regular file someone mistyped. */
static void unlink_stale(const char *path) {
    struct stat st;
    if (lstat(path, &st) == 0 && S_ISSOCK(st.st_mode)) unlink(path);
}

/* Binds (and listens); the options a later SO_REUSEPORT copy in a worker
 * needs are set here too, since the kernel groups only sockets that all
 * carry SO_REUSEPORT. */
int eddy__server_bind(eddy_server_t *srv, eddy_sock_type_t type, const eddy_addr_t *addr,
                      int do_listen) {
    int fd = socket(sock_domain(type), sock_kind(type) | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return -errno;
    int one = 1;
    if (sock_domain(type) != AF_UNIX) {
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
        if (srv->cfg.enable_reuse_port)
            setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one));
    }
    const struct sockaddr *sa = (const struct sockaddr *)(const void *)addr->u.bytes;
    if (bind(fd, sa, addr->len) < 0 ||
        (do_listen && sock_kind(type) == SOCK_STREAM && listen(fd, (int)srv->cfg.backlog) < 0)) {
        int err = -errno;
        eddy__server_close_fd(fd);
        return err;
    }
    return fd;
}

static int listener_framing(eddy_server_t *srv, eddy__listener_t *l) {
    if (!l->stream) {
        eddy_framing_init_none(&l->framing);
        return 0;
    }
    /* A listener given its own options (listener.c) keeps them. */
    eddy_server_config_framing(l->cfg ? l->cfg : &srv->cfg, &l->framing);
    return 0;
}

/* Swoole binds in the constructor and takes set() afterwards: the new
 * options replace the copy, and framing (read per listener at listen time)
 * is derived again. Socket options applied at bind (backlog,
 * enable_reuse_port) keep the values the listeners were made with. */
int eddy_server_configure(eddy_server_t *srv, const eddy_server_config_t *cfg) {
    if (srv->role != ROLE_MASTER || srv->manager_pid) return EDDY_EWRONG_OP;
    eddy_server_config_t copy;
    copy_config(&copy, cfg);
    eddy_server_config_free(&srv->cfg);
    srv->cfg = copy;
    for (int i = 0; i < srv->nlisteners; i++) listener_framing(srv, &srv->listeners[i]);
    return 0;
}

int eddy_server_listen(eddy_server_t *srv, eddy_sock_type_t type, const char *host, int port) {
    if (srv->nlisteners >= EDDY_SERVER_MAX_LISTENERS || !host) return EDDY_EINVAL;
    eddy_addr_t addr;
    int rc = eddy_addr_parse(&addr, type, host, port);
    if (rc < 0) return rc;
    int is_unix = sock_domain(type) == AF_UNIX;
    if (is_unix) unlink_stale(host);
    int fd = eddy__server_bind(srv, type, &addr, 1);
    if (fd < 0) {
        eddy_log_error("server: cannot listen on %s:%d: %s", host, port, eddy_strerror(fd));
        return fd;
    }
    eddy__listener_t *l = &srv->listeners[srv->nlisteners];
    memset(l, 0, sizeof(*l));
    l->type = type;
    l->fd = fd;
    l->stream = sock_kind(type) == SOCK_STREAM;
    l->port = is_unix ? 0 : bound_port(fd);
    l->path = is_unix ? eddy_strdup(host) : NULL;
    listener_framing(srv, l);
    return srv->nlisteners++;
}

/* ---- process helpers --------------------------------------------------- */

void eddy__server_sigset(sigset_t *set) {
    sigemptyset(set);
    sigaddset(set, SIGTERM);
    sigaddset(set, SIGINT);
    sigaddset(set, SIGUSR1);
    sigaddset(set, SIGUSR2);
    sigaddset(set, SIGCHLD);
}

/* After fork the child shares the parent's epoll instance and signalfd:
 * watching anything through them would steal the parent's events. Closing
 * the inherited loop only drops this process's references. Closing it also
 * unblocks the signals it watched, so they are blocked again at once. */
int eddy__server_new_loop(eddy_server_t *srv) {
    sigset_t set;
    eddy__server_sigset(&set);
    if (srv->loop_live) eddy_loop_close(&srv->loop);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    srv->loop_live = 0;
    int rc = eddy_loop_init(&srv->loop);
    if (rc == 0) srv->loop_live = 1;
    return rc;
}

void eddy__server_exit(eddy_server_t *srv, int code) {
    fflush(NULL); /* user printf in callbacks; _exit would drop it */
    eddy_server_free(srv);
    _exit(code);
}

static int write_pid_file(const eddy_server_t *srv) {
    if (!srv->cfg.pid_file) return 0;
    int fd = open(srv->cfg.pid_file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        eddy_log_error("server: cannot write pid_file %s: %s", srv->cfg.pid_file, strerror(errno));
        return -errno;
    }
    char buf[32];
    int n = snprintf(buf, sizeof(buf), "%d", (int)getpid());
    ssize_t w = write(fd, buf, (size_t)n);
    eddy__server_close_fd(fd);
    return w == n ? 0 : EDDY_ESYSCALL;
}

/* ---- master ------------------------------------------------------------ */

static void master_forward(eddy_loop_t *loop, eddy_signal_t *sig, int signo) {
    eddy_server_t *srv = loop->data;
    (void)sig;
    /* SIGINT (Ctrl-C) and SIGTERM both mean a graceful shutdown. */
    if (srv->manager_pid > 0) kill(srv->manager_pid, signo == SIGINT ? SIGTERM : signo);
}

static void master_child(eddy_loop_t *loop, eddy_signal_t *sig, int signo) {
    eddy_server_t *srv = loop->data;
    int status;
    pid_t pid;
    (void)sig, (void)signo;
    /* Only the manager: other children of the application are its own. */
    while (srv->manager_pid > 0 && (pid = waitpid(srv->manager_pid, &status, WNOHANG)) > 0) {
        srv->manager_status = status;
        srv->manager_pid = 0;
        for (int i = 0; i < 5; i++) eddy_signal_stop(&srv->msig[i]);
        eddy_loop_stop(loop);
    }
}

static int master_watch(eddy_server_t *srv) {
    static const int forwarded[4] = {SIGTERM, SIGINT, SIGUSR1, SIGUSR2};
    srv->loop.data = srv;
    for (int i = 0; i < 4; i++) {
        int rc = eddy_signal_start(&srv->loop, &srv->msig[i], forwarded[i], master_forward);
        if (rc < 0) return rc;
    }
    return eddy_signal_start(&srv->loop, &srv->msig[4], SIGCHLD, master_child);
}

static int check_start(eddy_server_t *srv) {
    char err[EDDY_SERVER_ERRLEN];
    if (eddy_server_config_validate(&srv->cfg, err, sizeof(err)) < 0) {
        eddy_log_error("server: %s", err);
        return EDDY_EINVAL;
    }
    if (eddy__listeners_validate(srv) < 0) return EDDY_EINVAL;
    if (srv->nlisteners == 0) {
        eddy_log_error("server: no listener: call eddy_server_listen() before start");
        return EDDY_EINVAL;
    }
    if (srv->role != ROLE_MASTER || srv->manager_pid) return EDDY_EWRONG_OP;
    if (srv->cfg.task_worker_num > 0 && !srv->ev.on_task) { /* as Swoole: tasks need a handler */
        eddy_log_error("server: task_worker_num is %u but no on_task callback is set",
                       srv->cfg.task_worker_num);
        return EDDY_EINVAL;
    }
    if (eddy__server_resolve_ids(srv) < 0) return EDDY_EINVAL; /* daemon.c */
    return 0;
}

static void apply_log(const eddy_server_t *srv) {
    eddy_log_set_level((eddy_log_level_t)srv->cfg.log_level);
    if (srv->cfg.log_file && eddy_log_set_file(srv->cfg.log_file) < 0)
        eddy_log_error("server: cannot open log_file %s", srv->cfg.log_file);
}

static int master_finish(eddy_server_t *srv) {
    eddy_loop_close(&srv->loop);
    srv->loop_live = 0;
    if (srv->ev.on_shutdown) srv->ev.on_shutdown(srv);
    if (srv->cfg.pid_file) unlink(srv->cfg.pid_file);
    for (int i = 0; i < srv->nlisteners; i++)
        if (srv->listeners[i].path) unlink(srv->listeners[i].path);
    int st = srv->manager_status;
    if (WIFEXITED(st) && WEXITSTATUS(st) == 0) return 0;
    eddy_log_error("server: manager ended abnormally (status %d)", st);
    return EDDY_ESYSCALL;
}

int eddy_server_start(eddy_server_t *srv) {
    int rc = check_start(srv);
    if (rc < 0) return rc;
    if (srv->cfg.daemonize && (rc = eddy__server_daemonize(srv)) < 0) return rc; /* daemon.c */
    apply_log(srv);
    srv->master_pid = getpid();
    if ((rc = write_pid_file(srv)) < 0) return rc;
    if ((rc = eddy__pids_prepare(srv)) < 0) return rc; /* pids.c */
    if (srv->mode == EDDY_SERVER_PROCESS && (rc = eddy__process_prepare(srv)) < 0) return rc;
    sigset_t set, old;
    eddy__server_sigset(&set);
    pthread_sigmask(SIG_BLOCK, &set, &old);
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        rc = -errno;
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        return rc;
    }
    if (pid == 0) eddy__manager_main(srv);
    srv->manager_pid = pid;
    if ((rc = eddy_loop_init(&srv->loop)) == 0) srv->loop_live = 1;
    if (rc < 0 || (rc = master_watch(srv)) < 0 ||
        (srv->mode == EDDY_SERVER_PROCESS && (rc = eddy__reactors_start(srv)) < 0)) {
        kill(pid, SIGKILL); /* cannot supervise it: do not leave it orphaned */
        waitpid(pid, NULL, 0);
        srv->manager_pid = 0;
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        return rc;
    }
    if (srv->ev.on_start) srv->ev.on_start(srv);
    eddy_loop_run(&srv->loop);
    if (srv->mode == EDDY_SERVER_PROCESS) eddy__reactors_stop(srv);
    rc = master_finish(srv);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return rc;
}

/* ---- control from any process ----------------------------------------- */

int eddy_server_shutdown(eddy_server_t *srv) {
    return kill(srv->master_pid, SIGTERM) < 0 ? -errno : 0;
}

int eddy_server_reload(eddy_server_t *srv) {
    pid_t target = srv->role == ROLE_MANAGER ? getpid() : srv->manager_pid;
    if (target <= 0) return EDDY_EWRONG_OP;
    return kill(target, SIGUSR1) < 0 ? -errno : 0;
}

/* ---- status ------------------------------------------------------------ */

int eddy_server_worker_id(const eddy_server_t *srv) { return srv->worker_id; }
int eddy_server_master_pid(const eddy_server_t *srv) { return srv->master_pid; }
int eddy_server_manager_pid(const eddy_server_t *srv) { return srv->manager_pid; }
const eddy_server_config_t *eddy_server_config(const eddy_server_t *srv) { return &srv->cfg; }
void *eddy_server_data(const eddy_server_t *srv) { return srv->ev.data; }
eddy_loop_t *eddy_server_loop(eddy_server_t *srv) { return srv->loop_live ? &srv->loop : NULL; }
size_t eddy_server_connection_count(const eddy_server_t *srv) { return srv->w.nconns; }

int eddy_server_port(const eddy_server_t *srv, int listener) {
    if (listener < 0 || listener >= srv->nlisteners) return EDDY_EINVAL;
    return srv->listeners[listener].port;
}
