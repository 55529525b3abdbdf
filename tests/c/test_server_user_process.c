/*
 * User processes (eddy_server_add_process), as real processes, in BASE and
 * PROCESS mode.
 *
 * The forked server (server_harness.h) has one worker and one user
 * process; they share a SOCK_DGRAM socketpair made before start. The user
 * process answers each datagram with "pid=<its pid> idx=<index>
 * got=<datagram>", returns (and so exits) on "EXIT". The worker relays
 * what a TCP client sends to the user process and the answer back, so a
 * test sees the user process through a plain client:
 *   anything -> "pid=<pid> idx=<index> got=<anything>"
 *   EXIT     -> the user process returns; "sent" (no answer awaited)
 *   VIA      -> the user process answers the client itself with
 *               eddy_server_send ("via user <pid>") and sends the worker
 *               a message "msg" (eddy_server_send_message)
 * Events noted: "late_add=<rc>" (eddy_server_add_process from a worker),
 * "uproc pid=<pid>" each time one starts, "pipe src=<id> <data>" for a
 * message in the worker, "bad_dst=<rc>", "shutdown".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#define SERVER_TEST_TAG "uproc"
#include "server_harness.h"

static int mode = EDDY_SERVER_BASE;
static int pair[2] = {-1, -1}; /* [0] workers' end, [1] the user process's */
static int ignore_term;         /* the user process blocks SIGTERM */

/* ---- the server side (runs in the forked child) ------------------------ */

static void uproc_main(eddy_server_t *srv, int index, void *arg) {
    char buf[256], out[400];
    (void)arg;
    if (ignore_term) {
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGTERM);
        pthread_sigmask(SIG_BLOCK, &set, NULL);
    }
    note(srv, "uproc pid=%d worker_id=%d index=%d\n", (int)getpid(), eddy_server_worker_id(srv),
         eddy_server_process_index(srv));
    for (int i = 0; i < 10000; i++) { /* bounded: the test never sends this many */
        ssize_t n = recv(pair[1], buf, sizeof(buf) - 1, 0);
        if (n <= 0) return;
        buf[n] = 0;
        if (strcmp(buf, "EXIT") == 0) return;
        if (strncmp(buf, "VIA ", 4) == 0) {
            int len = snprintf(out, sizeof(out), "via user %d\n", (int)getpid());
            eddy_server_send(srv, atoi(buf + 4), out, (size_t)len);
            note(srv, "bad_dst=%d\n", eddy_server_send_message(srv, "x", 1, 7));
            eddy_server_send_message(srv, "msg", 3, 0);
            continue;
        }
        int len = snprintf(out, sizeof(out), "pid=%d idx=%d got=%s", (int)getpid(), index, buf);
        if (send(pair[1], out, (size_t)len, 0) < 0) return;
    }
}

static void ev_worker_start(eddy_server_t *srv, int worker_id) {
    (void)worker_id;
    note(srv, "late_add=%d\n", eddy_server_add_process(srv, uproc_main, NULL));
}

static void ev_pipe_message(eddy_server_t *srv, int src, const char *data, size_t len) {
    note(srv, "pipe src=%d %.*s\n", src, (int)len, data);
}

static void ev_receive(eddy_server_t *srv, int fd, int reactor_id, const char *data, size_t len) {
    char buf[400];
    (void)reactor_id;
    while (len && (data[len - 1] == '\n' || data[len - 1] == '\r')) len--;
    if (len == 3 && memcmp(data, "VIA", 3) == 0) {
        int n = snprintf(buf, sizeof(buf), "VIA %d", fd);
        if (send(pair[0], buf, (size_t)n, 0) < 0) eddy_server_send(srv, fd, "failed\n", 7);
        return;
    }
    if (send(pair[0], data, len, 0) < 0) return;
    if (len == 4 && memcmp(data, "EXIT", 4) == 0) {
        eddy_server_send(srv, fd, "sent\n", 5);
        return;
    }
    struct pollfd p = {.fd = pair[0], .events = POLLIN};
    if (poll(&p, 1, 3000) != 1) {
        eddy_server_send(srv, fd, "timeout\n", 8);
        return;
    }
    ssize_t n = recv(pair[0], buf, sizeof(buf) - 1, 0);
    if (n <= 0) return;
    buf[n++] = '\n';
    eddy_server_send(srv, fd, buf, (size_t)n);
}

static int child_main(const spec_t *spec, const proc_t *proc, int port_pipe) {
    eddy_server_t *srv = harness_server_new(mode, 1, spec->opts);
    if (!srv) return 2;
    if (socketpair(AF_UNIX, SOCK_DGRAM, 0, pair) < 0) {
        eddy_server_free(srv);
        return 5;
    }
    child_ctx_t ctx = {.port_pipe = port_pipe};
    snprintf(ctx.events, sizeof(ctx.events), "%s", proc->events);
    eddy_server_events_t ev = {.data = &ctx, .on_start = ev_start, .on_shutdown = ev_shutdown,
                               .on_worker_start = ev_worker_start, .on_receive = ev_receive,
                               .on_pipe_message = ev_pipe_message};
    eddy_server_set_events(srv, &ev);
    if (eddy_server_listen(srv, EDDY_SOCK_TCP, "127.0.0.1", 0) < 0) return 3;
    if (eddy_server_add_process(srv, uproc_main, NULL) != 0) return 6;
    if (eddy_server_process_count(srv) != 1 || eddy_server_process_index(srv) != -1) return 7;
    int rc = eddy_server_start(srv);
    eddy_server_free(srv);
    return rc == 0 ? 0 : 4;
}

/* ---- the test side ----------------------------------------------------- */

/* Asks the user process (through the worker) and returns its pid, 0 if
 * the answer is not the expected one. */
static int uproc_pid(const proc_t *proc, const char *word) {
    char reply[512], want[128];
    if (ask(proc->ports[0], word, reply, sizeof(reply)) <= 0) return 0;
    snprintf(want, sizeof(want), " idx=0 got=%s\n", word);
    if (strncmp(reply, "pid=", 4) != 0 || !strstr(reply, want)) return 0;
    return atoi(reply + 4);
}

static int gone(int pid) { return kill(pid, 0) < 0 && errno == ESRCH; }

static void talks_and_restarts(void) {
    spec_t spec = {.opts = {NULL}};
    proc_t proc;
    start_server(&spec, &proc);
    int pid = uproc_pid(&proc, "hello");
    cr_assert_gt(pid, 0, "the user process answers through the worker");
    cr_assert(events_have(&proc, "worker_id=-1 index=0\n", 2000),
              "the user process is neither a worker nor unnumbered");
    cr_assert(events_have(&proc, "late_add=-509\n", 2000),
              "adding a process once started is EDDY_EWRONG_OP");
    cr_assert_eq(uproc_pid(&proc, "again"), pid, "the same process answers again");
    cr_assert_eq(events_value(&proc, "uproc pid=", 2000), pid, "it noted its own start");

    char line[64], want[64];
    snprintf(want, sizeof(want), "via user %d\n", pid);
    cr_assert_gt(ask(proc.ports[0], "VIA", line, sizeof(line)), 0);
    cr_assert_str_eq(line, want, "the user process's send reaches the client");
    cr_assert(events_have(&proc, "pipe src=1 msg\n", 2000),
              "its message reaches the worker, from id worker_num + task_worker_num + 0");
    cr_assert(events_have(&proc, "bad_dst=-22\n", 2000), "a message to no worker is EINVAL");

    char reply[8] = {0};
    int c = dial(SOCK_STREAM, proc.ports[0]);
    cr_assert_geq(c, 0);
    cr_assert_eq(send_all(c, "EXIT", 4), 0);
    cr_assert_eq(recv_n(c, reply, 5), 5u);
    cr_assert_str_eq(reply, "sent\n");
    int pid2 = 0;
    for (int i = 0; i < 40 && (pid2 == 0 || pid2 == pid); i++) { /* restart: within ~1 s */
        usleep(100000);
        pid2 = uproc_pid(&proc, "back");
    }
    cr_assert(pid2 > 0 && pid2 != pid, "a new user process answers after the first returned");
    cr_assert(gone(pid), "the returned one was reaped");

    cr_assert_eq(stop_server(&proc), 0);
    cr_assert(peer_closed(c), "the server is gone");
    close(c);
    cr_assert(gone(pid2), "the user process is stopped and reaped with the server");
}

EDDY_TEST(user_process, base_talks_restarts_and_stops, .timeout = 30) {
    mode = EDDY_SERVER_BASE;
    talks_and_restarts();
}

EDDY_TEST(user_process, process_talks_restarts_and_stops, .timeout = 30) {
    mode = EDDY_SERVER_PROCESS;
    talks_and_restarts();
}

/* One that ignores SIGTERM is killed after max_wait_time, and the server
 * still shuts down without leaving it behind. */
static void killed_after_max_wait(void) {
    spec_t spec = {.opts = {"max_wait_time", "1", NULL}};
    proc_t proc;
    ignore_term = 1;
    start_server(&spec, &proc);
    int pid = uproc_pid(&proc, "hi");
    cr_assert_gt(pid, 0);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    cr_assert_eq(stop_server(&proc), 0);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double took = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    cr_assert(took >= 0.9 && took < 5, "shutdown waited max_wait_time for it (%.2f s)", took);
    cr_assert(gone(pid), "the user process was killed and reaped");
}

EDDY_TEST(user_process, base_sigkill_after_max_wait_time, .timeout = 30) {
    mode = EDDY_SERVER_BASE;
    killed_after_max_wait();
}

EDDY_TEST(user_process, process_sigkill_after_max_wait_time, .timeout = 30) {
    mode = EDDY_SERVER_PROCESS;
    killed_after_max_wait();
}

/* Killed from outside, it is restarted too. */
EDDY_TEST(user_process, restarted_after_sigkill, .timeout = 30) {
    spec_t spec = {.opts = {NULL}};
    proc_t proc;
    mode = EDDY_SERVER_BASE;
    start_server(&spec, &proc);
    int pid = uproc_pid(&proc, "one");
    cr_assert_gt(pid, 0);
    usleep(1100000); /* past the minimum life: restarted at once */
    cr_assert_eq(kill(pid, SIGKILL), 0);
    int pid2 = 0;
    for (int i = 0; i < 20 && (pid2 == 0 || pid2 == pid); i++) {
        usleep(100000);
        pid2 = uproc_pid(&proc, "two");
    }
    cr_assert(pid2 > 0 && pid2 != pid, "a new user process replaced the killed one");
    cr_assert_eq(stop_server(&proc), 0);
    cr_assert(gone(pid2));
}

EDDY_TEST(user_process, add_rejects_null_callback) {
    eddy_server_t *srv = eddy_server_new(NULL);
    cr_assert_eq(eddy_server_add_process(srv, NULL, NULL), EDDY_EINVAL);
    cr_assert_eq(eddy_server_process_count(srv), 0);
    cr_assert_eq(eddy_server_add_process(srv, uproc_main, NULL), 0);
    cr_assert_eq(eddy_server_add_process(srv, uproc_main, NULL), 1);
    cr_assert_eq(eddy_server_process_count(srv), 2);
    eddy_server_free(srv);
}
