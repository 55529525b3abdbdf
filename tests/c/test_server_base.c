/*
 * BASE-mode server engine, tested as real processes over loopback.
 *
 * Each test forks a child that builds a server (events below), listens on
 * port 0 and starts it; the master's on_start writes the bound ports to a
 * pipe, so the test knows where to connect once the server is up. The
 * test talks to it with plain blocking sockets (SO_RCVTIMEO bounds every
 * read), and stops it with SIGTERM to the master, waiting with a bounded
 * waitpid loop. Events a test needs to see (close, shutdown) are appended
 * as lines to a per-test file.
 *
 * The test server echoes. On a framed listener the reply is "[" message
 * "]", so a test can see where the engine cut the stream. Commands (no
 * framing): "PID?" -> "pid=<worker pid>\n", "SEND-UNKNOWN" -> the result
 * of sends to sessions that do not exist, "SLOW" -> "slow-done\n" from a
 * 300 ms timer (an in-flight request during shutdown).
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
#include <pwd.h>
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

#define SERVER_TEST_TAG "sb"
#include "server_harness.h"
#define BIG_TOTAL (32 << 20) /* "BIG": queued at once, see send_big() */
#define BIG_CHUNK (64 << 10)
#include "server_echo.h" /* the echo server both mode suites run */

/* ---- the server side (runs in the forked child) ------------------------ */

static void ev_worker_start(eddy_server_t *srv, int id) { note(srv, "wstart %d %d\n", id, getpid()); }
static void ev_manager_start(eddy_server_t *srv) { note(srv, "mstart %d\n", getpid()); }
static void ev_before_reload(eddy_server_t *srv) { note(srv, "before-reload %d\n", getpid()); }
static void ev_after_reload(eddy_server_t *srv) { note(srv, "after-reload %d\n", getpid()); }

static void hang_done(eddy_timer_t *t) { free(t); }

static int hang(eddy_server_t *srv, int fd) {
    eddy_timer_t *t = calloc(1, sizeof(*t));
    eddy_timer_init(eddy_server_loop(srv), t, hang_done);
    t->data = t;
    eddy_timer_start(t, 60000, 0);
    eddy_server_send(srv, fd, "hanging\n", 8);
    return 1;
}

static int command(eddy_server_t *srv, int fd, const char *data, size_t len) {
    char out[96];
    int n = -1;
    if (is_command(data, len, "PID?")) {
        n = snprintf(out, sizeof(out), "pid=%d\n", getpid());
    } else if (is_command(data, len, "SEND-UNKNOWN")) {
        int other = (eddy_server_worker_id(srv) << EDDY_SERVER_FD_BITS) | 9999;
        n = unknown_session_reply(srv, fd, other, out, sizeof(out));
    } else if (is_command(data, len, "INFO")) {
        eddy_server_client_info_t ci;
        int rc = eddy_server_client_info(srv, fd, &ci);
        n = snprintf(out, sizeof(out), "rc=%d ip=%s port=%d worker=%d recent=%d\n", rc,
                     ci.remote_ip, ci.remote_port, ci.worker_id,
                     ci.connect_time > 0 && ci.last_time >= ci.connect_time);
    } else if (is_command(data, len, "SHUTDOWN")) {
        n = snprintf(out, sizeof(out), "rc=%d\n", eddy_server_shutdown(srv));
    } else if (is_command(data, len, "HANG")) {
        return hang(srv, fd); /* a pending timer: the worker cannot drain */
    }
    if (n < 0) return 0;
    eddy_server_send(srv, fd, out, (size_t)n);
    return 1;
}

static void ev_packet(eddy_server_t *srv, int listener, const char *data, size_t len,
                      const eddy_addr_t *from) {
    eddy_server_sendto(srv, listener, from, data, len);
}

static int child_main(const spec_t *spec, const proc_t *proc, int port_pipe) {
    static const char *const defaults[] = {"worker_num", "1", "log_level", "3", NULL};
    eddy_server_events_t ev = {.on_worker_start = ev_worker_start, .on_receive = ev_receive,
                               .on_manager_start = ev_manager_start,
                               .on_worker_error = ev_worker_error, .on_packet = ev_packet,
                               .on_close = ev_close, .on_before_reload = ev_before_reload,
                               .on_after_reload = ev_after_reload};
    return echo_child_main(spec, proc, port_pipe, EDDY_SERVER_BASE, defaults, ev);
}

/* ---- the test side ----------------------------------------------------- */

static int dial6(int port) {
    struct sockaddr_in6 sa = {.sin6_family = AF_INET6, .sin6_port = htons((uint16_t)port)};
    sa.sin6_addr = in6addr_loopback;
    return dial_addr(AF_INET6, SOCK_STREAM, (struct sockaddr *)&sa, sizeof(sa));
}

static int ask_pid(int port) {
    char line[64];
    if (ask(port, "PID?", line, sizeof(line)) < 0) return -1;
    int pid = -1;
    return sscanf(line, "pid=%d", &pid) == 1 ? pid : -1;
}

/* How many times `what` occurs in the events file now. */
static int events_count(const proc_t *proc, const char *what) {
    char buf[8192] = {0};
    int fd = open(proc->events, O_RDONLY | O_CLOEXEC), n = 0;
    if (fd < 0) return 0;
    if (read(fd, buf, sizeof(buf) - 1) < 0) buf[0] = 0;
    close(fd);
    for (char *at = buf; (at = strstr(at, what)) != NULL; at += strlen(what)) n++;
    return n;
}

/* ---- tests ------------------------------------------------------------- */

#include "server_scenarios.h" /* the scenarios both modes share */

EDDY_TEST(server_base, echo_many_concurrent_connections_byte_exact) {
    scenario_echo_many_concurrent_connections_byte_exact();
}

EDDY_TEST(server_base, eof_split_coalesced_and_split_packets) {
    scenario_eof_split_coalesced_and_split_packets();
}

EDDY_TEST(server_base, length_framing_coalesced_and_split) {
    scenario_length_framing_coalesced_and_split();
}

EDDY_TEST(server_base, listeners_frame_with_their_own_options) {
    scenario_listeners_frame_with_their_own_options();
}

EDDY_TEST(server_base, oversize_packet_closes_only_that_connection) {
    scenario_oversize_packet_closes_only_that_connection();
}

EDDY_TEST(server_base, udp_packet_event) {
    spec_t spec = {.types = {EDDY_SOCK_TCP, EDDY_SOCK_UDP}, .ntypes = 2};
    proc_t proc;
    start_server(&spec, &proc);
    int fd = dial(SOCK_DGRAM, proc.ports[1]);
    char got[32] = {0};
    cr_assert_eq(send(fd, "datagram", 8, 0), 8);
    cr_assert_eq(recv(fd, got, sizeof(got), 0), 8);
    cr_assert_str_eq(got, "datagram");
    close(fd);
    cr_assert_eq(stop_server(&proc), 0);
}

/* A unix datagram listener: on_packet gets each datagram with the
 * sender's (bound) address and the reply goes back to it. */
EDDY_TEST(server_base, unix_dgram_listener) {
    scenario_unix_dgram_listener("unix datagram");
}

EDDY_TEST(server_base, unix_stream_listener) {
    spec_t spec = {.types = {EDDY_SOCK_UNIX_STREAM}, .ntypes = 1};
    proc_t proc;
    start_server(&spec, &proc);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", proc.unix_path);
    set_timeout(fd, 5000);
    cr_assert_eq(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
    char got[16] = {0};
    send_all(fd, "over unix", 9);
    cr_assert_eq(recv_n(fd, got, 9), 9);
    cr_assert_str_eq(got, "over unix");
    close(fd);
    cr_assert_eq(stop_server(&proc), 0);
    cr_assert_neq(access(proc.unix_path, F_OK), 0, "socket file left behind");
}

/* Asks for a pid until one differs from `old` (bounded). */
static int wait_new_pid(int port, int old) {
    for (int i = 0; i < 500; i++) { /* 10 s */
        int pid = ask_pid(port);
        if (pid > 0 && pid != old) return pid;
        usleep(20000);
    }
    return -1;
}

EDDY_TEST(server_base, killed_worker_is_restarted) {
    spec_t spec = {.types = {EDDY_SOCK_TCP}, .ntypes = 1};
    proc_t proc;
    start_server(&spec, &proc);
    int old = ask_pid(proc.ports[0]);
    cr_assert_gt(old, 0);
    kill(old, SIGKILL);
    int fresh = wait_new_pid(proc.ports[0], old);
    cr_assert_gt(fresh, 0, "no worker answered after SIGKILL");
    char want[64];
    snprintf(want, sizeof(want), "werror 0 %d code=-1 signal=9", old);
    cr_assert(events_have(&proc, want, 2000), "on_worker_error did not fire");
    for (int i = 0; i < 20; i++) cr_assert_eq(ask_pid(proc.ports[0]), fresh, "request %d", i);
    cr_assert_eq(stop_server(&proc), 0);
}

EDDY_TEST(server_base, reload_replaces_workers_without_losing_requests) {
    spec_t spec = {.opts = {"worker_num", "2", "reload_async", "1", NULL},
                   .types = {EDDY_SOCK_TCP}, .ntypes = 1};
    proc_t proc;
    start_server(&spec, &proc);
    int before[2] = {0, 0}, last = -1, failures = 0, after_changes = 0;
    for (int i = 0; i < 300; i++) {
        int pid = ask_pid(proc.ports[0]);
        if (pid < 0) failures++;
        if (i < 20 && pid > 0 && pid != before[0]) before[before[0] ? 1 : 0] = pid;
        if (i == 20) kill(proc.pid, SIGUSR1); /* master forwards to the manager */
        if (i > 20 && pid > 0 && pid != before[0] && pid != before[1]) after_changes++;
        last = pid;
        usleep(2000);
    }
    cr_assert_eq(failures, 0, "%d requests failed during reload", failures);
    cr_assert_gt(after_changes, 0, "no new worker answered after SIGUSR1");
    cr_assert(last != before[0] && last != before[1], "an old worker still answers");
    cr_assert_eq(stop_server(&proc), 0);
}

/* before_reload and after_reload fire in the manager around a reload:
 * before it stops the first worker, after the last one has a successor. */
EDDY_TEST(server_base, reload_fires_before_and_after_reload_in_the_manager) {
    spec_t spec = {.opts = {"worker_num", "2", NULL}, .types = {EDDY_SOCK_TCP}, .ntypes = 1};
    proc_t proc;
    start_server(&spec, &proc);
    long manager = events_value(&proc, "mstart ", 5000);
    cr_assert_gt(manager, 0);
    for (int i = 0; i < 250 && events_count(&proc, "wstart ") < 2; i++) usleep(20000);
    cr_assert_eq(events_count(&proc, "wstart "), 2);
    cr_assert_eq(kill(proc.pid, SIGUSR1), 0);
    cr_assert_eq(events_value(&proc, "after-reload ", 5000), manager);
    cr_assert_eq(events_value(&proc, "before-reload ", 0), manager);
    char buf[8192] = {0};
    int fd = open(proc.events, O_RDONLY | O_CLOEXEC);
    cr_assert_gt(read(fd, buf, sizeof(buf) - 1), 0);
    close(fd);
    char *before = strstr(buf, "before-reload"), *after = strstr(buf, "after-reload");
    cr_assert(before < after, "%s", buf);
    /* Both successors start (after-reload fires once they are forked). */
    for (int i = 0; i < 250 && events_count(&proc, "wstart ") < 4; i++) usleep(20000);
    cr_assert_eq(events_count(&proc, "wstart "), 4);
    cr_assert_eq(events_count(&proc, "after-reload"), 1);
    cr_assert_gt(ask_pid(proc.ports[0]), 0);
    cr_assert_eq(stop_server(&proc), 0);
}

EDDY_TEST(server_base, max_request_recycles_worker) {
    spec_t spec = {.opts = {"max_request", "5", "max_request_grace", "0", NULL},
                   .types = {EDDY_SOCK_TCP}, .ntypes = 1};
    proc_t proc;
    start_server(&spec, &proc);
    int first = ask_pid(proc.ports[0]), changed = 0, failures = 0;
    cr_assert_gt(first, 0);
    for (int i = 0; i < 12; i++) {
        int pid = ask_pid(proc.ports[0]);
        failures += pid < 0;
        changed |= pid > 0 && pid != first;
    }
    cr_assert_eq(failures, 0);
    cr_assert(changed, "worker pid never changed after max_request");
    cr_assert_eq(stop_server(&proc), 0);
}

EDDY_TEST(server_base, heartbeat_closes_idle_connection) {
    scenario_heartbeat_closes_idle_connection();
}

static int read_pid(const char *path) {
    char buf[32] = {0};
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    if (!fgets(buf, sizeof(buf), f)) buf[0] = 0;
    fclose(f);
    return atoi(buf);
}

/* The "Uid:" or "Gid:" line of /proc/<pid>/status: the real id, or -1. */
static long proc_id(int pid, const char *key) {
    char path[64], line[256];
    long id = -1;
    snprintf(path, sizeof(path), "/proc/%d/status", pid);
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    while (fgets(line, sizeof(line), f))
        if (strncmp(line, key, strlen(key)) == 0) id = strtol(line + strlen(key), NULL, 10);
    fclose(f);
    return id;
}

/* Gone, or a zombie nobody reaps (the daemon is no child of ours). */
static int proc_gone(int pid) {
    char path[64], buf[256] = {0};
    snprintf(path, sizeof(path), "/proc/%d/stat", pid);
    FILE *f = fopen(path, "r");
    if (!f) return 1;
    size_t n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    char *end = n ? strrchr(buf, ')') : NULL;
    return end && end[1] == ' ' && end[2] == 'Z';
}

/* daemonize: start() returns to nobody (the caller exits 0); the daemon
 * has its own session, stdout on log_file, its pid in pid_file, serves, and
 * stops on SIGTERM removing the pid file. */
EDDY_TEST(server_base, daemonize_detaches_and_pid_file_holds_the_daemon) {
    char pidf[64], logf[64], link[64], target[128] = {0};
    snprintf(pidf, sizeof(pidf), "/tmp/eddy-sb-%d.dpid", getpid());
    snprintf(logf, sizeof(logf), "/tmp/eddy-sb-%d.dlog", getpid());
    unlink(pidf);
    unlink(logf);
    spec_t spec = {.opts = {"daemonize", "1", "pid_file", pidf, "log_file", logf, NULL},
                   .types = {EDDY_SOCK_TCP}, .ntypes = 1};
    proc_t proc;
    start_server(&spec, &proc);
    int status = -1;
    cr_assert_eq(waitpid(proc.pid, &status, 0), proc.pid);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the caller did not exit 0");
    int daemon = read_pid(pidf);
    cr_assert_gt(daemon, 0, "pid_file not written");
    cr_assert_neq(daemon, proc.pid);
    cr_assert_eq(getsid(daemon), daemon, "no session of its own");
    snprintf(link, sizeof(link), "/proc/%d/fd/1", daemon);
    cr_assert_gt(readlink(link, target, sizeof(target) - 1), 0);
    cr_assert_str_eq(target, logf);
    cr_assert_gt(ask_pid(proc.ports[0]), 0, "the daemon does not serve");
    cr_assert_eq(kill(daemon, SIGTERM), 0);
    for (int i = 0; i < 500 && !(proc_gone(daemon) && access(pidf, F_OK) != 0); i++)
        usleep(20000);
    cr_assert(proc_gone(daemon), "the daemon did not stop");
    cr_assert_neq(access(pidf, F_OK), 0, "pid_file not removed");
    cr_assert(events_have(&proc, "shutdown", 0), "on_shutdown did not fire");
    unlink(proc.events);
    unlink(logf);
}

/* As root, workers switch to user (and its group); master and manager
 * stay root. With enable_reuse_port too: the per-worker copies are bound
 * before the switch, as Linux groups only sockets of one uid. */
static void run_as_nobody(const char *reuse_port) {
    struct passwd *pw = getpwnam("nobody");
    cr_assert_not_null(pw, "no user nobody");
    spec_t spec = {.opts = {"user", "nobody", "enable_reuse_port", reuse_port, NULL},
                   .types = {EDDY_SOCK_TCP}, .ntypes = 1};
    proc_t proc;
    start_server(&spec, &proc);
    int worker = ask_pid(proc.ports[0]);
    cr_assert_gt(worker, 0);
    cr_assert_eq(proc_id(worker, "Uid:"), (long)pw->pw_uid);
    cr_assert_eq(proc_id(worker, "Gid:"), (long)pw->pw_gid);
    cr_assert_eq(proc_id(proc.pid, "Uid:"), 0);
    long manager = events_value(&proc, "mstart ", 2000);
    cr_assert_gt(manager, 0);
    cr_assert_eq(proc_id((int)manager, "Uid:"), 0);
    for (int i = 0; i < 20; i++) cr_assert_eq(ask_pid(proc.ports[0]), worker);
    cr_assert_eq(stop_server(&proc), 0);
}

EDDY_TEST(server_base, workers_run_as_the_configured_user) {
    if (geteuid() != 0) cr_skip_test("needs root");
    run_as_nobody("0");
}

EDDY_TEST(server_base, workers_run_as_the_configured_user_with_reuse_port) {
    if (geteuid() != 0) cr_skip_test("needs root");
    run_as_nobody("1");
}

EDDY_TEST(server_base, unknown_user_refuses_to_start) {
    if (geteuid() != 0) cr_skip_test("needs root");
    eddy_server_config_t cfg;
    char err[EDDY_SERVER_ERRLEN];
    eddy_server_config_init(&cfg);
    cr_assert_eq(eddy_server_config_set(&cfg, "log_level", "6", err, sizeof(err)), 0);
    cr_assert_eq(eddy_server_config_set(&cfg, "user", "eddy-no-such-user", err, sizeof(err)), 0);
    eddy_server_t *srv = eddy_server_new(&cfg);
    eddy_server_config_free(&cfg);
    cr_assert_geq(eddy_server_listen(srv, EDDY_SOCK_TCP, "127.0.0.1", 0), 0);
    cr_assert_eq(eddy_server_start(srv), EDDY_EINVAL);
    eddy_server_free(srv);
}

EDDY_TEST(server_base, graceful_shutdown_fires_on_shutdown_and_removes_pid_file) {
    char pidf[64];
    snprintf(pidf, sizeof(pidf), "/tmp/eddy-sb-%d.pid", getpid());
    spec_t spec = {.opts = {"pid_file", pidf, NULL}, .types = {EDDY_SOCK_TCP}, .ntypes = 1};
    proc_t proc;
    start_server(&spec, &proc);
    char buf[32] = {0};
    FILE *f = fopen(pidf, "r");
    cr_assert_not_null(f, "pid_file not written");
    cr_assert_not_null(fgets(buf, sizeof(buf), f));
    fclose(f);
    cr_assert_eq(atoi(buf), proc.pid);
    /* A request in flight when SIGTERM arrives is still answered. */
    close(sigterm_with_a_request_in_flight(&proc));
    cr_assert(events_have(&proc, "shutdown", 5000), "on_shutdown did not fire");
    cr_assert_eq(stop_server(&proc), 0);
    cr_assert_neq(access(pidf, F_OK), 0, "pid_file not removed");
}

EDDY_TEST(server_base, send_to_unknown_session_returns_1005) {
    spec_t spec = {.types = {EDDY_SOCK_TCP}, .ntypes = 1};
    proc_t proc;
    start_server(&spec, &proc);
    assert_unknown_session_refused_with_1005(proc.ports[0]);
    cr_assert_eq(stop_server(&proc), 0);
}

EDDY_TEST(server_base, reload_forces_a_stuck_worker_after_max_wait_time) {
    char logf[64];
    snprintf(logf, sizeof(logf), "/tmp/eddy-sb-%d.log", getpid());
    unlink(logf);
    spec_t spec = {.opts = {"max_wait_time", "1", "log_file", logf, "log_level", "2", NULL},
                   .types = {EDDY_SOCK_TCP}, .ntypes = 1};
    proc_t proc;
    start_server(&spec, &proc);
    int old = ask_pid(proc.ports[0]);
    char line[32];
    cr_assert_gt(ask(proc.ports[0], "HANG", line, sizeof(line)), 0);
    uint64_t t0 = eddy_now_ms();
    kill(proc.pid, SIGUSR1);
    int fresh = wait_new_pid(proc.ports[0], old);
    cr_assert_gt(fresh, 0);
    cr_assert_geq(eddy_now_ms() - t0, 900, "stuck worker was not given max_wait_time");
    cr_assert_eq(stop_server(&proc), 0);
    char buf[16384] = {0};
    int fd = open(logf, O_RDONLY | O_CLOEXEC);
    cr_assert_geq(fd, 0, "log_file not written");
    cr_assert_gt(read(fd, buf, sizeof(buf) - 1), 0);
    close(fd);
    unlink(logf);
    cr_assert_not_null(strstr(buf, "forced to exit"), "no forced-exit warning in the log");
    cr_assert_not_null(strstr(buf, "reloading"), "reload not logged");
}

EDDY_TEST(server_base, reuse_port_workers_serve_echo) {
    spec_t spec = {.opts = {"worker_num", "2", "enable_reuse_port", "1", NULL},
                   .types = {EDDY_SOCK_TCP}, .ntypes = 1};
    proc_t proc;
    start_server(&spec, &proc);
    int pids[2] = {0, 0};
    for (int i = 0; i < 200; i++) {
        int pid = ask_pid(proc.ports[0]);
        cr_assert_gt(pid, 0, "request %d failed", i);
        if (pid != pids[0]) pids[pids[0] ? 1 : 0] = pid;
    }
    cr_assert_gt(pids[0], 0);
    cr_assert_eq(stop_server(&proc), 0);
}

EDDY_TEST(server_base, ipv6_listener_and_client_info) {
    spec_t spec = {.types = {EDDY_SOCK_TCP6}, .ntypes = 1};
    proc_t proc;
    start_server(&spec, &proc);
    int fd = dial6(proc.ports[0]);
    cr_assert_geq(fd, 0, "IPv6 connect failed");
    struct sockaddr_in6 me;
    socklen_t len = sizeof(me);
    getsockname(fd, (struct sockaddr *)&me, &len);
    char line[128], want[128];
    send_all(fd, "INFO", 4);
    cr_assert_gt(recv_line(fd, line, sizeof(line)), 0);
    snprintf(want, sizeof(want), "rc=0 ip=::1 port=%d worker=0 recent=1\n", ntohs(me.sin6_port));
    cr_assert_str_eq(line, want);
    close(fd);
    cr_assert_eq(stop_server(&proc), 0);
}

EDDY_TEST(server_base, large_reply_is_queued_and_written_in_order) {
    scenario_large_reply_arrives_intact("67108864", 1);
}

EDDY_TEST(server_base, output_queue_over_socket_buffer_size_fails) {
    spec_t spec = {.opts = {"socket_buffer_size", "1048576", NULL},
                   .types = {EDDY_SOCK_TCP}, .ntypes = 1};
    proc_t proc;
    start_server(&spec, &proc);
    int fd = dial(SOCK_STREAM, proc.ports[0]);
    send_all(fd, "BIG", 3);
    long sent = events_value(&proc, "big sent=", 5000);
    cr_assert(sent > 0 && sent < BIG_TOTAL, "sent %ld", sent);
    cr_assert(events_have(&proc, "rc=-1009", 0));
    read_big(fd, sent); /* everything accepted before the error arrives intact */
    close(fd);
    cr_assert_eq(stop_server(&proc), 0);
}

EDDY_TEST(server_base, shutdown_from_a_worker_exits_cleanly) {
    spec_t spec = {.types = {EDDY_SOCK_TCP}, .ntypes = 1};
    proc_t proc;
    start_server(&spec, &proc);
    char line[32];
    cr_assert_gt(ask(proc.ports[0], "SHUTDOWN", line, sizeof(line)), 0);
    cr_assert_str_eq(line, "rc=0\n");
    cr_assert(events_have(&proc, "mstart", 0), "on_manager_start did not fire");
    cr_assert_eq(wait_exit(&proc), 0);
}
