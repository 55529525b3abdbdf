/*
 * eddy_server_session_listener() and eddy_server_request_count(), which
 * Swoole\Server\Port's per-port callbacks and Swoole\Server::stats() rest
 * on. A real server with two TCP listeners, in BASE and in PROCESS mode:
 * on_receive answers with the listener the connection came in on and this
 * worker's message count; on_close reports the listener over a pipe (the
 * connection is already closed then, and the answer must still be right).
 * eddy_server_worker_pid(): every worker's and task worker's pid, from a
 * worker, following a restart.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "eddy/server.h"
#include "eddy_test.h"
#include "loopback_harness.h"

static int report_fd = -1; /* the pipe's write end, in the server */

static void ev_receive(eddy_server_t *srv, int fd, int reactor_id, const char *data, size_t len) {
    char reply[64];
    (void)reactor_id, (void)data, (void)len;
    int n = snprintf(reply, sizeof(reply), "L%d N%lld\n", eddy_server_session_listener(srv, fd),
                     (long long)eddy_server_request_count(srv));
    eddy_server_send(srv, fd, reply, (size_t)n);
}

static void ev_close(eddy_server_t *srv, int fd, int reactor_id) {
    char line[16];
    (void)reactor_id;
    int n = snprintf(line, sizeof(line), "C%d\n", eddy_server_session_listener(srv, fd));
    if (write(report_fd, line, (size_t)n) < 0) _exit(3);
}

/* Sends one byte, returns the reply line (without "\n"). */
static void ask(int fd, char *out, size_t cap) {
    cr_assert_eq(send(fd, "x", 1, 0), 1);
    harness_read_line(fd, out, cap);
}

/* Reads one "C<n>\n" line from the pipe, waiting at most 5 s. */
static void read_report(int fd, char *out, size_t cap) {
    size_t n = 0;
    struct pollfd p = {.fd = fd, .events = POLLIN};
    while (n + 1 < cap && poll(&p, 1, 5000) == 1) {
        if (read(fd, out + n, 1) != 1 || out[n] == '\n') break;
        n++;
    }
    out[n] = '\0';
}

static void listeners_are_told_apart(int mode) {
    char err[EDDY_SERVER_ERRLEN], line[64];
    eddy_server_config_t cfg;
    eddy_server_config_init(&cfg);
    cr_assert_eq(eddy_server_config_set(&cfg, "worker_num", "1", err, sizeof(err)), 0);
    cr_assert_eq(eddy_server_config_set(&cfg, "reactor_num", "1", err, sizeof(err)), 0);
    cr_assert_eq(eddy_server_config_set(&cfg, "log_level", "4", err, sizeof(err)), 0);
    eddy_server_t *srv = eddy_server_new(&cfg);
    eddy_server_config_free(&cfg);
    cr_assert_eq(eddy_server_set_mode(srv, mode), 0);
    cr_assert_eq(eddy_server_listen(srv, EDDY_SOCK_TCP, "127.0.0.1", 0), 0);
    cr_assert_eq(eddy_server_listen(srv, EDDY_SOCK_TCP, "127.0.0.1", 0), 1);
    cr_assert_eq(eddy_server_session_listener(srv, 1), EDDY_EWRONG_OP, "not in a worker");
    cr_assert_eq(eddy_server_request_count(srv), EDDY_EWRONG_OP, "not in a worker");
    int p0 = eddy_server_port(srv, 0), p1 = eddy_server_port(srv, 1);
    int pipefd[2];
    cr_assert_eq(pipe(pipefd), 0);
    pid_t pid = harness_fork(); /* a failed assertion does not leave it running */
    if (pid == 0) {
        close(pipefd[0]);
        report_fd = pipefd[1];
        eddy_server_events_t ev = {.on_receive = ev_receive, .on_close = ev_close};
        eddy_server_set_events(srv, &ev);
        _exit(eddy_server_start(srv) == 0 ? 0 : 1);
    }
    close(pipefd[1]);
    eddy_server_free(srv);

    int a = harness_dial(p0), b = harness_dial(p1);
    ask(b, line, sizeof(line));
    cr_assert_str_eq(line, "L1 N0", "second listener; no message handled before this one");
    ask(a, line, sizeof(line));
    cr_assert_str_eq(line, "L0 N1");
    ask(b, line, sizeof(line));
    cr_assert_str_eq(line, "L1 N2");
    close(b);
    read_report(pipefd[0], line, sizeof(line));
    cr_assert_str_eq(line, "C1", "on_close still knows the listener");
    close(a);
    read_report(pipefd[0], line, sizeof(line));
    cr_assert_str_eq(line, "C0");

    close(pipefd[0]);
    cr_assert_eq(harness_stop(pid), 0, "the server exits cleanly on SIGTERM");
}

EDDY_TEST(server_status, base_listener_and_request_count, .timeout = 20) {
    listeners_are_told_apart(EDDY_SERVER_BASE);
}

EDDY_TEST(server_status, process_listener_and_request_count, .timeout = 20) {
    listeners_are_told_apart(EDDY_SERVER_PROCESS);
}

static void ev_receive_pids(eddy_server_t *srv, int fd, int reactor_id, const char *data,
                            size_t len) {
    char reply[128];
    (void)reactor_id, (void)data, (void)len;
    int n = snprintf(reply, sizeof(reply), "%d %d %d %d %d %d\n", eddy_server_worker_id(srv),
                     (int)getpid(), eddy_server_worker_pid(srv, 0),
                     eddy_server_worker_pid(srv, 1), eddy_server_worker_pid(srv, 2),
                     eddy_server_worker_pid(srv, 3));
    eddy_server_send(srv, fd, reply, (size_t)n);
}

static void ev_task(eddy_server_t *srv, int task_id, int src, const char *data, size_t len) {
    (void)srv, (void)task_id, (void)src, (void)data, (void)len;
}

/* Connects, sends a byte, reads the six numbers; 0 if no answer. */
static int ask_pids(int port, int v[6]) {
    char line[128];
    int fd = harness_dial(port);
    cr_assert_eq(send(fd, "p", 1, 0), 1);
    harness_read_line(fd, line, sizeof(line));
    close(fd);
    return sscanf(line, "%d %d %d %d %d %d", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5]) == 6;
}

EDDY_TEST(server_status, worker_pids_from_any_worker, .timeout = 30) {
    char err[EDDY_SERVER_ERRLEN];
    eddy_server_config_t cfg;
    eddy_server_config_init(&cfg);
    const char *opts[] = {"worker_num", "2", "task_worker_num", "1", "log_level", "5", NULL};
    for (int i = 0; opts[i]; i += 2)
        cr_assert_eq(eddy_server_config_set(&cfg, opts[i], opts[i + 1], err, sizeof(err)), 0);
    eddy_server_t *srv = eddy_server_new(&cfg);
    eddy_server_config_free(&cfg);
    cr_assert_eq(eddy_server_listen(srv, EDDY_SOCK_TCP, "127.0.0.1", 0), 0);
    cr_assert_eq(eddy_server_worker_pid(srv, 0), EDDY_EWRONG_OP, "not started");
    int port = eddy_server_port(srv, 0);
    pid_t pid = harness_fork(); /* a failed assertion does not leave it running */
    if (pid == 0) {
        eddy_server_events_t ev = {.on_receive = ev_receive_pids, .on_task = ev_task};
        eddy_server_set_events(srv, &ev);
        _exit(eddy_server_start(srv) == 0 ? 0 : 1);
    }
    eddy_server_free(srv);

    int v[6];
    usleep(200000); /* every worker forked */
    cr_assert(ask_pids(port, v));
    cr_assert(v[0] == 0 || v[0] == 1);
    cr_assert_eq(v[2 + v[0]], v[1], "the table holds the answering worker's own pid");
    cr_assert(v[2] > 0 && v[3] > 0 && v[4] > 0);
    cr_assert(v[2] != v[3] && v[3] != v[4] && v[2] != v[4]);
    cr_assert_eq(v[5], EDDY_EINVAL, "id 3 is out of range");
    int old_task = v[4];
    cr_assert_eq(kill(old_task, SIGKILL), 0);
    int changed = 0;
    for (int i = 0; i < 60 && !changed; i++) { /* the manager restarts it: 3 s bound */
        usleep(50000);
        changed = ask_pids(port, v) && v[4] > 0 && v[4] != old_task;
    }
    cr_assert(changed, "the restarted task worker's pid replaces the old one");

    cr_assert_eq(harness_stop(pid), 0, "the server exits cleanly on SIGTERM");
}
