/*
 * PROCESS-mode server engine, tested as real processes over loopback.
 *
 * Same harness as test_server_base.c: a forked child builds the server in
 * EDDY_SERVER_PROCESS mode (reactor threads in the master, workers behind
 * socketpairs), the master's on_start reports the ports through a pipe,
 * the test talks with blocking sockets (SO_RCVTIMEO bounds every read) and
 * stops the server with SIGTERM and a bounded waitpid loop.
 *
 * The test server echoes; on a framed listener the reply is "[" message
 * "]". Commands (no framing): "PID?" -> "pid=<worker pid> worker=<id>\n",
 * "SEND-UNKNOWN", "INFO", "SLOW" (reply from a 300 ms timer), "BIG"
 * (BIG_TOTAL bytes in BIG_CHUNK sends), "CLOSE" (server-side close).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "eddy/server.h"
#include "eddy/timer.h"
#include "eddy_test.h"

#define SERVER_TEST_TAG "sp"
#include "server_harness.h"
#define BIG_TOTAL (8 << 20) /* "BIG", see send_big() */
#define BIG_CHUNK (256 << 10)
#include "server_echo.h" /* the echo server both mode suites run */

/* ---- the server side (runs in the forked child) ------------------------ */

static void ev_connect(eddy_server_t *srv, int fd, int reactor_id) {
    note(srv, "connect %d reactor=%d worker=%d\n", fd, reactor_id, eddy_server_worker_id(srv));
}


/* eddy_server_connections() callback: counts and looks for one session. */
typedef struct {
    int want, seen;
} conns_t;

static int conns_cb(eddy_server_t *srv, int session, void *arg) {
    conns_t *c = arg;
    (void)srv;
    if (session == c->want) c->seen = 1;
    return 0;
}

static int command(eddy_server_t *srv, int fd, const char *data, size_t len) {
    char out[160];
    int n = -1;
    if (is_command(data, len, "PID?")) {
        n = snprintf(out, sizeof(out), "pid=%d worker=%d\n", getpid(),
                     eddy_server_worker_id(srv));
    } else if (is_command(data, len, "SEND-UNKNOWN")) {
        int other = fd + 100000;
        n = unknown_session_reply(srv, fd, other, out, sizeof(out));
    } else if (is_command(data, len, "INFO")) {
        eddy_server_client_info_t ci;
        int rc = eddy_server_client_info(srv, fd, &ci);
        n = snprintf(out, sizeof(out), "rc=%d ip=%s port=%d reactor=%d recent=%d\n", rc,
                     ci.remote_ip, ci.remote_port, ci.reactor_id,
                     ci.connect_time > 0 && ci.last_time >= ci.connect_time);
    } else if (is_command(data, len, "CONNS")) {
        conns_t c = {.want = fd};
        int rc = eddy_server_connections(srv, conns_cb, &c);
        n = snprintf(out, sizeof(out), "conns n=%d self=%d\n", rc, c.seen);
    } else if (len > 5 && len < 16 && memcmp(data, "BIND ", 5) == 0) {
        char num[16] = {0};
        memcpy(num, data + 5, len - 5);
        n = snprintf(out, sizeof(out), "bind rc=%d\n",
                     eddy_server_bind(srv, fd, (uint32_t)strtoul(num, NULL, 10)));
    } else if (is_command(data, len, "TASK")) {
        int rc = eddy_server_task(srv, &fd, sizeof(fd), -1); /* on_finish answers */
        if (rc < 0) n = snprintf(out, sizeof(out), "task rc=%d\n", rc);
        else return 1;
    } else if (is_command(data, len, "SLEEP")) {
        usleep(1500000); /* a worker stuck in blocking work */
        n = snprintf(out, sizeof(out), "awake\n");
    } else if (is_command(data, len, "CLOSE")) {
        eddy_server_send(srv, fd, "bye\n", 4);
        note(srv, "close-call rc=%d\n", eddy_server_close(srv, fd));
        return 1;
    }
    if (n < 0) return 0;
    eddy_server_send(srv, fd, out, (size_t)n);
    return 1;
}

static void ev_packet(eddy_server_t *srv, int listener, const char *data, size_t len,
                      const eddy_addr_t *from) {
    char out[128];
    int n = snprintf(out, sizeof(out), "%.*s worker=%d", (int)(len < 64 ? len : 64), data,
                     eddy_server_worker_id(srv));
    eddy_server_sendto(srv, listener, from, out, (size_t)n);
}

static void ev_task(eddy_server_t *srv, int task_id, int src_worker_id, const char *data,
                    size_t len) {
    (void)task_id, (void)src_worker_id;
    eddy_server_finish(srv, data, len);
}

static void ev_finish(eddy_server_t *srv, int task_id, const char *data, size_t len) {
    int fd;
    char out[64];
    if (len != sizeof(fd)) return;
    memcpy(&fd, data, sizeof(fd));
    int n = snprintf(out, sizeof(out), "task %d done in worker %d\n", task_id,
                     eddy_server_worker_id(srv));
    eddy_server_send(srv, fd, out, (size_t)n);
}

static int child_main(const spec_t *spec, const proc_t *proc, int port_pipe) {
    static const char *const defaults[] = {"worker_num", "1", "reactor_num", "2",
                                           "log_level", "4", NULL};
    eddy_server_events_t ev = {.on_receive = ev_receive, .on_connect = ev_connect,
                               .on_worker_error = ev_worker_error, .on_close = ev_close,
                               .on_packet = ev_packet, .on_task = ev_task,
                               .on_finish = ev_finish};
    return echo_child_main(spec, proc, port_pipe, EDDY_SERVER_PROCESS, defaults, ev);
}

/* ---- the test side ----------------------------------------------------- */

/* ---- tests ------------------------------------------------------------- */

/* "PID?" on an open connection: the worker's pid, or -1. */
static int conn_pid(int fd) {
    char line[64];
    int pid = -1;
    if (send_all(fd, "PID?", 4) < 0 || recv_line(fd, line, sizeof(line)) < 0) return -1;
    return sscanf(line, "pid=%d", &pid) == 1 ? pid : -1;
}

static int count_distinct(const int *v, int n) {
    int d = 0;
    for (int i = 0; i < n; i++) {
        int seen = 0;
        for (int j = 0; j < i; j++) seen |= v[j] == v[i];
        d += !seen && v[i] > 0;
    }
    return d;
}

#include "server_scenarios.h" /* the scenarios both modes share */

EDDY_TEST(server_process, echo_many_concurrent_connections_byte_exact) {
    scenario_echo_many_concurrent_connections_byte_exact();
}

EDDY_TEST(server_process, eof_split_coalesced_and_split_packets) {
    scenario_eof_split_coalesced_and_split_packets();
}

EDDY_TEST(server_process, length_framing_coalesced_and_split) {
    scenario_length_framing_coalesced_and_split();
}

EDDY_TEST(server_process, listeners_frame_with_their_own_options) {
    scenario_listeners_frame_with_their_own_options();
}

EDDY_TEST(server_process, oversize_packet_closes_only_that_connection) {
    scenario_oversize_packet_closes_only_that_connection();
}

EDDY_TEST(server_process, large_reply_arrives_intact) {
    scenario_large_reply_arrives_intact("33554432", 0);
}

/* A 3 MiB message crosses the channel in many records each way. */
EDDY_TEST(server_process, large_message_is_reassembled_in_the_worker) {
    spec_t spec = {.opts = {"open_length_check", "1", "package_max_length", "8388608",
                            "socket_buffer_size", "33554432", NULL},
                   .types = {EDDY_SOCK_TCP}, .ntypes = 1};
    proc_t proc;
    start_server(&spec, &proc);
    size_t body = 3u << 20;
    char *pkt = malloc(4 + body), *got = malloc(4 + body + 2);
    uint32_t n = htonl((uint32_t)body);
    memcpy(pkt, &n, 4);
    for (size_t i = 0; i < body; i++) pkt[4 + i] = (char)(i * 31 % 253);
    int fd = dial(SOCK_STREAM, proc.ports[0]);
    cr_assert_eq(send_all(fd, pkt, 4 + body), 0);
    size_t r = recv_n(fd, got, 4 + body + 2);
    int same = r == 4 + body + 2 && got[0] == '[' && memcmp(got + 1, pkt, 4 + body) == 0;
    free(pkt), free(got);
    cr_assert_eq(r, 4 + body + 2, "got %zu bytes", r);
    cr_assert(same, "reply differs");
    close(fd);
    cr_assert_eq(stop_server(&proc), 0);
}

#define NPLACE 6

/* A server of three workers dispatching with dispatch_mode. */
static void start_dispatch(proc_t *proc, const char *dispatch_mode) {
    spec_t spec = {.opts = {"worker_num", "3", "dispatch_mode", dispatch_mode, NULL},
                   .types = {EDDY_SOCK_TCP}, .ntypes = 1};
    start_server(&spec, proc);
}

/* The worker pid that answers each of NPLACE new connections, asked asks
 * times on each (the same answer, asserted) before it is closed. */
static void pids_of_new_connections(const proc_t *proc, int pids[NPLACE], int asks) {
    for (int i = 0; i < NPLACE; i++) {
        int fd = dial(SOCK_STREAM, proc->ports[0]);
        pids[i] = conn_pid(fd);
        cr_assert_gt(pids[i], 0);
        for (int k = 1; k < asks; k++) cr_assert_eq(conn_pid(fd), pids[i]);
        close(fd);
    }
}

EDDY_TEST(server_process, dispatch_fdmod_keeps_a_connection_on_one_worker) {
    proc_t proc;
    start_dispatch(&proc, "2");
    int fds[NPLACE], pids[NPLACE];
    for (int i = 0; i < NPLACE; i++) {
        fds[i] = dial(SOCK_STREAM, proc.ports[0]);
        pids[i] = conn_pid(fds[i]);
        cr_assert_gt(pids[i], 0);
    }
    for (int round = 0; round < 5; round++)
        for (int i = 0; i < NPLACE; i++)
            cr_assert_eq(conn_pid(fds[i]), pids[i], "connection %d moved", i);
    cr_assert_eq(count_distinct(pids, NPLACE), 3, "connections not spread by session id");
    for (int i = 0; i < NPLACE; i++) close(fds[i]);
    cr_assert(events_have(&proc, "connect ", 2000), "on_connect did not fire");
    cr_assert(events_have(&proc, "send=-1004", 2000), "on_close did not fire");
    cr_assert_eq(stop_server(&proc), 0);
}

EDDY_TEST(server_process, dispatch_ipmod_sends_one_client_to_one_worker) {
    proc_t proc;
    start_dispatch(&proc, "4");
    int pids[NPLACE];
    pids_of_new_connections(&proc, pids, 2);
    cr_assert_eq(count_distinct(pids, NPLACE), 1, "one client address reached several workers");
    cr_assert_eq(stop_server(&proc), 0);
}

EDDY_TEST(server_process, dispatch_round_robin_spreads_and_masks_connect_close) {
    proc_t proc;
    start_dispatch(&proc, "1");
    int pids[NPLACE];
    pids_of_new_connections(&proc, pids, 1);
    cr_assert_eq(count_distinct(pids, NPLACE), 3, "round robin did not use every worker");
    usleep(100000);
    cr_assert_not(events_have(&proc, "connect ", 0), "stateless mode fired on_connect");
    cr_assert_not(events_have(&proc, "close ", 0), "stateless mode fired on_close");
    cr_assert_eq(stop_server(&proc), 0);
}

EDDY_TEST(server_process, dispatch_idle_worker_serves_every_request) {
    spec_t spec = {.opts = {"worker_num", "2", "dispatch_mode", "3", NULL},
                   .types = {EDDY_SOCK_TCP}, .ntypes = 1};
    proc_t proc;
    start_server(&spec, &proc);
    int fd = dial(SOCK_STREAM, proc.ports[0]);
    int pids[40];
    for (int i = 0; i < 40; i++) {
        pids[i] = conn_pid(fd);
        cr_assert_gt(pids[i], 0, "request %d failed", i);
    }
    /* Each reply comes after the worker reported the message done, so both
     * workers are idle at every dispatch and the rotating scan uses both. */
    cr_assert_eq(count_distinct(pids, 40), 2);
    close(fd);
    cr_assert_eq(stop_server(&proc), 0);
}

EDDY_TEST(server_process, killed_worker_connection_survives) {
    spec_t spec = {.opts = {"reactor_num", "1", NULL}, .types = {EDDY_SOCK_TCP}, .ntypes = 1};
    proc_t proc;
    start_server(&spec, &proc);
    int fd = dial(SOCK_STREAM, proc.ports[0]);
    int load = dial(SOCK_STREAM, proc.ports[0]);
    int old = conn_pid(fd);
    cr_assert_gt(old, 0);
    /* Load in flight: requests queued on another connection at the kill. */
    for (int i = 0; i < 200; i++) send_all(load, "0123456789abcdef", 16);
    kill(old, SIGKILL);
    int fresh = -1;
    for (int i = 0; i < 50 && fresh <= 0; i++) { /* 5 s */
        int pid = conn_pid(fd);
        if (pid > 0 && pid != old) fresh = pid;
        else if (pid < 0) usleep(100000);
    }
    cr_assert_gt(fresh, 0, "the connection got no reply from a new worker");
    for (int i = 0; i < 20; i++) cr_assert_eq(conn_pid(fd), fresh, "request %d", i);
    char want[64];
    snprintf(want, sizeof(want), "werror 0 %d code=-1 signal=9", old);
    cr_assert(events_have(&proc, want, 2000), "on_worker_error did not fire");
    close(load);
    close(fd);
    cr_assert_eq(stop_server(&proc), 0);
}

EDDY_TEST(server_process, graceful_shutdown_finishes_in_flight_request) {
    spec_t spec = {.types = {EDDY_SOCK_TCP}, .ntypes = 1};
    proc_t proc;
    start_server(&spec, &proc);
    int fd = sigterm_with_a_request_in_flight(&proc);
    cr_assert(peer_closed(fd), "connection not closed at shutdown");
    close(fd);
    cr_assert(events_have(&proc, "shutdown", 5000), "on_shutdown did not fire");
    cr_assert_eq(wait_exit(&proc), 0);
}

EDDY_TEST(server_process, session_errors_and_client_info) {
    spec_t spec = {.types = {EDDY_SOCK_TCP}, .ntypes = 1};
    proc_t proc;
    start_server(&spec, &proc);
    char line[128], want[128];
    assert_unknown_session_refused_with_1005(proc.ports[0]);
    int fd = dial(SOCK_STREAM, proc.ports[0]);
    struct sockaddr_in me;
    socklen_t len = sizeof(me);
    getsockname(fd, (struct sockaddr *)&me, &len);
    send_all(fd, "INFO", 4);
    cr_assert_gt(recv_line(fd, line, sizeof(line)), 0);
    int reactor = -1;
    cr_assert_eq(sscanf(strstr(line, "reactor=") ? strstr(line, "reactor=") : "", "reactor=%d",
                        &reactor), 1, "%s", line);
    cr_assert(reactor == 0 || reactor == 1, "reactor id %d", reactor);
    snprintf(want, sizeof(want), "rc=0 ip=127.0.0.1 port=%d reactor=%d recent=1\n",
             ntohs(me.sin_port), reactor);
    cr_assert_str_eq(line, want);
    close(fd);
    cr_assert_eq(stop_server(&proc), 0);
}

EDDY_TEST(server_process, close_from_worker_closes_in_master) {
    spec_t spec = {.types = {EDDY_SOCK_TCP}, .ntypes = 1};
    proc_t proc;
    start_server(&spec, &proc);
    int fd = dial(SOCK_STREAM, proc.ports[0]);
    char line[16];
    send_all(fd, "CLOSE", 5);
    cr_assert_gt(recv_line(fd, line, sizeof(line)), 0, "reply before close lost");
    cr_assert_str_eq(line, "bye\n");
    cr_assert(peer_closed(fd), "connection not closed");
    cr_assert(events_have(&proc, "close-call rc=0", 2000));
    cr_assert(events_have(&proc, "send=-1004", 2000), "on_close did not fire");
    close(fd);
    cr_assert_eq(stop_server(&proc), 0);
}

EDDY_TEST(server_process, heartbeat_closes_idle_connection) {
    scenario_heartbeat_closes_idle_connection();
}

/* "PID?" on an open connection: the worker id in the reply, or -1. */
static int conn_worker(int fd) {
    char line[64];
    int pid, worker = -1;
    if (send_all(fd, "PID?", 4) < 0 || recv_line(fd, line, sizeof(line)) < 0) return -1;
    return sscanf(line, "pid=%d worker=%d", &pid, &worker) == 2 ? worker : -1;
}

static void bind_expect(int fd, const char *uid, const char *want) {
    char cmd[32], line[32];
    int n = snprintf(cmd, sizeof(cmd), "BIND %s", uid);
    cr_assert_eq(send_all(fd, cmd, (size_t)n), 0);
    cr_assert_gt(recv_line(fd, line, sizeof(line)), 0);
    cr_assert_str_eq(line, want, "BIND %s", uid);
}

EDDY_TEST(server_process, dispatch_uid_follows_bind) {
    proc_t proc;
    start_dispatch(&proc, "5");
    static const char *uids[3] = {"7", "8", "9"}; /* workers 1, 2, 0 */
    int fds[3];
    for (int i = 0; i < 3; i++) {
        fds[i] = dial(SOCK_STREAM, proc.ports[0]);
        cr_assert_geq(conn_worker(fds[i]), 0, "unbound connection not served");
        bind_expect(fds[i], uids[i], "bind rc=0\n");
    }
    for (int round = 0; round < 3; round++)
        for (int i = 0; i < 3; i++)
            cr_assert_eq(conn_worker(fds[i]), atoi(uids[i]) % 3, "uid %s", uids[i]);
    bind_expect(fds[0], "8", "bind rc=-509\n"); /* bound once */
    bind_expect(fds[0], "7", "bind rc=0\n");
    bind_expect(fds[0], "0", "bind rc=-22\n");
    cr_assert_eq(conn_worker(fds[0]), 1);
    for (int i = 0; i < 3; i++) close(fds[i]);
    cr_assert(events_have(&proc, "send=-1004", 2000), "on_close did not fire");
    cr_assert_eq(stop_server(&proc), 0);
}

static int ask_pid(int port) {
    char line[64];
    int pid = -1;
    if (ask(port, "PID?", line, sizeof(line)) < 0) return -1;
    return sscanf(line, "pid=%d", &pid) == 1 ? pid : -1;
}

/* Records left in a stopping worker's channels go to its successor: a
 * reload under a request loop loses nothing. */
EDDY_TEST(server_process, reload_under_load_loses_no_request) {
    spec_t spec = {.opts = {"worker_num", "2", "reload_async", "1", NULL},
                   .types = {EDDY_SOCK_TCP}, .ntypes = 1};
    proc_t proc;
    start_server(&spec, &proc);
    int keep = dial(SOCK_STREAM, proc.ports[0]);
    int before = conn_pid(keep), failures = 0, changed = 0;
    cr_assert_gt(before, 0);
    for (int i = 0; i < 200; i++) {
        if (i == 20) kill(proc.pid, SIGUSR1);
        int pid = ask_pid(proc.ports[0]);
        failures += pid < 0;
        usleep(2000);
    }
    for (int i = 0; i < 100 && !changed; i++) { /* the kept connection moved over */
        int pid = conn_pid(keep);
        failures += pid < 0;
        changed = pid > 0 && pid != before;
        if (!changed) usleep(20000);
    }
    cr_assert_eq(failures, 0, "%d requests failed during reload", failures);
    cr_assert(changed, "the kept connection is still served by the old worker");
    close(keep);
    cr_assert_eq(stop_server(&proc), 0);
}

EDDY_TEST(server_process, max_request_recycles_worker_and_keeps_connection) {
    spec_t spec = {.opts = {"max_request", "5", "max_request_grace", "0", NULL},
                   .types = {EDDY_SOCK_TCP}, .ntypes = 1};
    proc_t proc;
    start_server(&spec, &proc);
    int fd = dial(SOCK_STREAM, proc.ports[0]);
    int first = conn_pid(fd), changed = 0;
    cr_assert_gt(first, 0);
    for (int i = 0; i < 12; i++) {
        int pid = conn_pid(fd);
        cr_assert_gt(pid, 0, "request %d failed", i);
        changed |= pid != first;
    }
    cr_assert(changed, "worker pid never changed after max_request");
    close(fd);
    cr_assert_eq(stop_server(&proc), 0);
}

#define FLOOD_TOTAL (48 << 20)

/* A worker that blocks while a client floods: the reactor stops reading
 * that client once 16 MiB wait for the worker, instead of buffering the
 * whole flood, and every byte is echoed once the worker is back. */
EDDY_TEST(server_process, slow_worker_pauses_input_without_losing_data) {
    char logf[64];
    snprintf(logf, sizeof(logf), "/tmp/eddy-sp-%d.log", getpid());
    unlink(logf);
    spec_t spec = {.opts = {"socket_buffer_size", "134217728", "log_file", logf, NULL},
                   .types = {EDDY_SOCK_TCP}, .ntypes = 1};
    proc_t proc;
    start_server(&spec, &proc);
    int slow = dial(SOCK_STREAM, proc.ports[0]);
    int fd = dial(SOCK_STREAM, proc.ports[0]);
    set_timeout(fd, 10000);
    send_all(slow, "SLEEP", 5);
    usleep(100000);
    pid_t writer = fork();
    if (writer == 0) {
        static char chunk[1 << 16];
        for (long sent = 0; sent < FLOOD_TOTAL; sent += (long)sizeof(chunk)) {
            for (size_t i = 0; i < sizeof(chunk); i++) chunk[i] = big_byte(sent + (long)i);
            if (send_all(fd, chunk, sizeof(chunk)) < 0) _exit(1);
        }
        _exit(0);
    }
    read_big(fd, FLOOD_TOTAL);
    int status = -1;
    waitpid(writer, &status, 0);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "writer failed");
    char line[16];
    cr_assert_gt(recv_line(slow, line, sizeof(line)), 0);
    cr_assert_str_eq(line, "awake\n");
    close(slow);
    close(fd);
    cr_assert_eq(stop_server(&proc), 0);
    char buf[16384] = {0};
    int lf = open(logf, O_RDONLY | O_CLOEXEC);
    cr_assert_geq(lf, 0, "log_file not written");
    cr_assert_gt(read(lf, buf, sizeof(buf) - 1), 0);
    close(lf);
    unlink(logf);
    cr_assert_not_null(strstr(buf, "paused reading clients"), "input was never paused");
}

/* Any worker sees every connection of the server (the shared table). */
EDDY_TEST(server_process, connections_lists_every_connection_from_any_worker) {
    spec_t spec = {.opts = {"worker_num", "2", NULL}, .types = {EDDY_SOCK_TCP}, .ntypes = 1};
    proc_t proc;
    start_server(&spec, &proc);
    int fds[4];
    char line[64];
    for (int i = 0; i < 4; i++) {
        fds[i] = dial(SOCK_STREAM, proc.ports[0]);
        cr_assert_geq(fds[i], 0);
        cr_assert_gt(conn_pid(fds[i]), 0); /* the connection is set up */
    }
    for (int i = 0; i < 4; i++) {
        cr_assert_eq(send_all(fds[i], "CONNS", 5), 0);
        cr_assert_gt(recv_line(fds[i], line, sizeof(line)), 0);
        cr_assert_str_eq(line, "conns n=4 self=1\n");
    }
    close(fds[3]);
    usleep(200000);
    cr_assert_eq(send_all(fds[0], "CONNS", 5), 0);
    cr_assert_gt(recv_line(fds[0], line, sizeof(line)), 0);
    cr_assert_str_eq(line, "conns n=3 self=1\n");
    for (int i = 0; i < 3; i++) close(fds[i]);
    cr_assert_eq(stop_server(&proc), 0);
}

/* The whole log_file (NUL-terminated, at most cap - 1 bytes), then removed. */
static void slurp_log(const char *path, char *buf, size_t cap) {
    memset(buf, 0, cap);
    int lf = open(path, O_RDONLY | O_CLOEXEC);
    cr_assert_geq(lf, 0, "log_file not written");
    cr_assert_geq(read(lf, buf, cap - 1), 0);
    close(lf);
    unlink(path);
}

/* Two messages in one segment: the worker closes the session on the first,
 * so the second, already on its way to the worker, is dropped (1007). */
EDDY_TEST(server_process, data_after_server_close_is_discarded_with_1007) {
    char logf[64], buf[16384];
    snprintf(logf, sizeof(logf), "/tmp/eddy-sp-%d.log", getpid());
    unlink(logf);
    spec_t spec = {.opts = {"open_eof_split", "1", "package_eof", "\n", "log_level", "3",
                            "log_file", logf, NULL},
                   .types = {EDDY_SOCK_TCP}, .ntypes = 1};
    proc_t proc;
    start_server(&spec, &proc);
    int fd = dial(SOCK_STREAM, proc.ports[0]);
    cr_assert_eq(send_all(fd, "CLOSE\nNOTE-after\n", 17), 0);
    cr_assert(peer_closed(fd), "the server did not close the connection");
    close(fd);
    cr_assert(events_have(&proc, "close-call rc=0", 2000));
    cr_assert(events_have(&proc, "close ", 2000), "on_close did not fire");
    cr_assert_not(events_have(&proc, "recv NOTE-after", 0), "data after close() was delivered");
    cr_assert_eq(stop_server(&proc), 0);
    slurp_log(logf, buf, sizeof(buf));
    cr_assert_not_null(strstr(buf, "discarded: session closed by server (ERRNO 1007)"), "%s", buf);
}

/* dispatch_mode 3: a message whose client has closed before a worker gets
 * to it is dropped with 1007 while discard_timeout_request is on (the
 * default), and delivered when it is off. */
static void late_message(const char *discard, int delivered) {
    char logf[64], buf[16384], line[32];
    snprintf(logf, sizeof(logf), "/tmp/eddy-sp-%d.log", getpid());
    unlink(logf);
    spec_t spec = {.opts = {"dispatch_mode", "3", "discard_timeout_request", discard,
                            "log_level", "3", "log_file", logf, NULL},
                   .types = {EDDY_SOCK_TCP}, .ntypes = 1};
    proc_t proc;
    start_server(&spec, &proc);
    int busy = dial(SOCK_STREAM, proc.ports[0]);
    cr_assert_eq(send_all(busy, "SLEEP", 5), 0); /* the only worker blocks 1.5 s */
    usleep(100000);
    int late = dial(SOCK_STREAM, proc.ports[0]);
    cr_assert_eq(send_all(late, "NOTE-late", 9), 0);
    close(late);
    cr_assert_gt(recv_line(busy, line, sizeof(line)), 0);
    cr_assert_str_eq(line, "awake\n");
    close(busy);
    cr_assert_eq(events_have(&proc, "recv NOTE-late", delivered ? 2000 : 300), delivered);
    cr_assert_eq(stop_server(&proc), 0);
    slurp_log(logf, buf, sizeof(buf));
    cr_assert_eq(strstr(buf, "closed by client (ERRNO 1007)") != NULL, !delivered, "%s", buf);
}

EDDY_TEST(server_process, stateless_dispatch_discards_data_of_closed_session) {
    late_message("1", 0);
}

EDDY_TEST(server_process, discard_timeout_request_off_delivers_data_of_closed_session) {
    late_message("0", 1);
}

/* A unix datagram listener: on_packet gets each datagram with the
 * sender's (bound) address and the reply goes back to it. */
EDDY_TEST(server_process, unix_dgram_listener) {
    scenario_unix_dgram_listener("unix datagram worker=0");
}

/* Several stream listeners of every family feed the same reactors. */
EDDY_TEST(server_process, ipv6_and_unix_stream_listeners) {
    spec_t spec = {.opts = {"worker_num", "2", "dispatch_mode", "4", NULL},
                   .types = {EDDY_SOCK_TCP6, EDDY_SOCK_UNIX_STREAM}, .ntypes = 2};
    proc_t proc;
    start_server(&spec, &proc);
    struct sockaddr_in6 sa6 = {.sin6_family = AF_INET6, .sin6_port = htons((uint16_t)proc.ports[0])};
    sa6.sin6_addr = in6addr_loopback;
    int fd6 = dial_addr(AF_INET6, SOCK_STREAM, (struct sockaddr *)&sa6, sizeof(sa6));
    cr_assert_geq(fd6, 0, "IPv6 connect failed");
    struct sockaddr_un sun = {.sun_family = AF_UNIX};
    snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", proc.unix_path);
    int fdu = dial_addr(AF_UNIX, SOCK_STREAM, (struct sockaddr *)&sun, sizeof(sun));
    cr_assert_geq(fdu, 0, "unix connect failed");
    char got[16] = {0};
    send_all(fd6, "over ipv6", 9);
    cr_assert_eq(recv_n(fd6, got, 9), 9);
    cr_assert_str_eq(got, "over ipv6");
    send_all(fdu, "over unix", 9);
    cr_assert_eq(recv_n(fdu, got, 9), 9);
    cr_assert_str_eq(got, "over unix");
    char line[128];
    send_all(fd6, "INFO", 4);
    cr_assert_gt(recv_line(fd6, line, sizeof(line)), 0);
    cr_assert_not_null(strstr(line, "rc=0 ip=::1 "), "%s", line);
    close(fd6);
    close(fdu);
    cr_assert_eq(stop_server(&proc), 0);
    cr_assert_neq(access(proc.unix_path, F_OK), 0, "socket file left behind");
}

/* Datagrams reach a worker through the reactors; with dispatch_mode 2 one
 * sender's datagrams all go to the same worker. */
EDDY_TEST(server_process, udp_packets_dispatched_by_sender) {
    spec_t spec = {.opts = {"worker_num", "3", NULL},
                   .types = {EDDY_SOCK_TCP, EDDY_SOCK_UDP}, .ntypes = 2};
    proc_t proc;
    start_server(&spec, &proc);
    int fd = dial(SOCK_DGRAM, proc.ports[1]);
    char got[128], first[128] = {0};
    for (int i = 0; i < 10; i++) {
        memset(got, 0, sizeof(got));
        cr_assert_eq(send(fd, "datagram", 8, 0), 8);
        ssize_t n = recv(fd, got, sizeof(got) - 1, 0);
        cr_assert_gt(n, 0, "no reply to datagram %d", i);
        cr_assert_eq(strncmp(got, "datagram worker=", 16), 0, "%s", got);
        if (i == 0) memcpy(first, got, sizeof(first));
        cr_assert_str_eq(got, first, "one sender reached several workers");
    }
    close(fd);
    cr_assert_eq(stop_server(&proc), 0);
}

/* Children of a process, from /proc; their count. */
static int child_pids(int pid, int *out, int max) {
    char path[64], buf[256] = {0};
    snprintf(path, sizeof(path), "/proc/%d/task/%d/children", pid, pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC), n = 0;
    if (fd < 0) return 0;
    ssize_t r = read(fd, buf, sizeof(buf) - 1);
    close(fd);
    for (char *p = buf, *end; r > 0 && n < max; p = end) {
        long v = strtol(p, &end, 10);
        if (end == p) break;
        out[n++] = (int)v;
    }
    return n;
}

/* dispatch_mode 3 when a worker dies with a message in flight: its
 * replacement reports in (HELLO), the dead one's in-flight count is dropped,
 * and both workers take requests again (else the slot would look busy
 * forever and get nothing). */
EDDY_TEST(server_process, idle_dispatch_recovers_after_worker_kill) {
    spec_t spec = {.opts = {"worker_num", "2", "dispatch_mode", "3", "reactor_num", "1", NULL},
                   .types = {EDDY_SOCK_TCP}, .ntypes = 1};
    proc_t proc;
    start_server(&spec, &proc);
    int sleeper = dial(SOCK_STREAM, proc.ports[0]);
    int fd = dial(SOCK_STREAM, proc.ports[0]);
    send_all(sleeper, "SLEEP", 5); /* one worker blocks with a message in flight */
    usleep(200000);
    int awake = conn_pid(fd), manager = 0, workers[4], victim = -1;
    cr_assert_gt(awake, 0);
    cr_assert_eq(child_pids(proc.pid, &manager, 1), 1);
    int nw = child_pids(manager, workers, 4);
    for (int i = 0; i < nw; i++)
        if (workers[i] != awake) victim = workers[i];
    cr_assert_gt(victim, 0, "no busy worker found");
    kill(victim, SIGKILL);
    usleep(300000);
    int pids[40], n = 0;
    for (int i = 0; i < 40; i++) {
        int pid = conn_pid(fd);
        if (pid > 0) pids[n++] = pid;
    }
    cr_assert_eq(n, 40, "%d of 40 requests failed", 40 - n);
    for (int i = 0; i < n; i++) cr_assert_neq(pids[i], victim, "the killed worker answered");
    cr_assert_eq(count_distinct(pids, n), 2, "requests no longer spread over two workers");
    close(sleeper);
    close(fd);
    cr_assert_eq(stop_server(&proc), 0);
}

/* Task workers serve PROCESS-mode workers too; the finish event answers
 * the client through the reactor. */
EDDY_TEST(server_process, task_and_finish_from_a_process_worker) {
    spec_t spec = {.opts = {"worker_num", "2", "task_worker_num", "1", NULL},
                   .types = {EDDY_SOCK_TCP}, .ntypes = 1};
    proc_t proc;
    start_server(&spec, &proc);
    int fd = dial(SOCK_STREAM, proc.ports[0]);
    char line[64];
    for (int i = 0; i < 5; i++) {
        send_all(fd, "TASK", 4);
        cr_assert_gt(recv_line(fd, line, sizeof(line)), 0, "task %d: no reply", i);
        cr_assert_not_null(strstr(line, " done in worker "), "%s", line);
    }
    close(fd);
    cr_assert_eq(stop_server(&proc), 0);
}
