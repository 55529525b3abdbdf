/*
 * eddy_server_pause / _resume / _protect (Swoole's pause(), resume(),
 * protect()) over real servers, BASE and PROCESS mode, with raw sockets.
 *
 * Pause: the handler pauses the connection on "P" and resumes it 400 ms
 * later from a timer; an "x" the client sends meanwhile is answered only
 * after the resume. Protect: with a 1 s heartbeat, a protected idle
 * connection survives while an unprotected one is closed.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "eddy/server.h"
#include "eddy/timer.h"
#include "eddy_test.h"
#include "loopback_harness.h"

static eddy_timer_t resume_timer;
static eddy_server_t *running;
static int paused_fd;

static void resume_later(eddy_timer_t *t) {
    (void)t;
    eddy_server_resume(running, paused_fd);
}

static void ev_receive(eddy_server_t *srv, int fd, int reactor_id, const char *data, size_t len) {
    (void)reactor_id;
    for (size_t i = 0; i < len; i++) {
        char reply = data[i];
        int rc = 0;
        if (data[i] == 'P') {
            rc = eddy_server_pause(srv, fd);
            running = srv;
            paused_fd = fd;
            eddy_timer_init(eddy_server_loop(srv), &resume_timer, resume_later);
            eddy_timer_start(&resume_timer, 400, 0);
        } else if (data[i] == 'K') {
            rc = eddy_server_protect(srv, fd, 1);
        }
        if (rc < 0) reply = '!';
        eddy_server_send(srv, fd, &reply, 1);
    }
}

static pid_t start_server(int mode, int heartbeat, int *port) {
    char err[EDDY_SERVER_ERRLEN];
    eddy_server_config_t cfg;
    eddy_server_config_init(&cfg);
    const char *opts[] = {"worker_num", "1", "reactor_num", "1", "log_level", "4", NULL};
    for (int i = 0; opts[i]; i += 2)
        cr_assert_eq(eddy_server_config_set(&cfg, opts[i], opts[i + 1], err, sizeof(err)), 0);
    if (heartbeat) {
        cr_assert_eq(eddy_server_config_set(&cfg, "heartbeat_check_interval", "1", err, sizeof(err)), 0);
        cr_assert_eq(eddy_server_config_set(&cfg, "heartbeat_idle_time", "1", err, sizeof(err)), 0);
    }
    eddy_server_t *srv = eddy_server_new(&cfg);
    eddy_server_config_free(&cfg);
    cr_assert_eq(eddy_server_set_mode(srv, mode), 0);
    cr_assert_eq(eddy_server_listen(srv, EDDY_SOCK_TCP, "127.0.0.1", 0), 0);
    cr_assert_eq(eddy_server_pause(srv, 1), EDDY_EWRONG_OP, "not in a worker");
    cr_assert_eq(eddy_server_protect(srv, 1, 1), EDDY_EWRONG_OP, "not in a worker");
    *port = eddy_server_port(srv, 0);
    pid_t pid = harness_fork(); /* a failed assertion does not leave it running */
    if (pid == 0) {
        eddy_server_events_t ev = {.on_receive = ev_receive};
        eddy_server_set_events(srv, &ev);
        _exit(eddy_server_start(srv) == 0 ? 0 : 1);
    }
    eddy_server_free(srv);
    return pid;
}

static void stop_server(pid_t pid) {
    cr_assert_eq(harness_stop(pid), 0, "the server exits cleanly on SIGTERM");
}

/* One byte within timeout_ms: the byte, 0 for EOF, -1 for nothing. */
static int recv_byte(int fd, int timeout_ms) {
    struct pollfd p = {.fd = fd, .events = POLLIN};
    char c;
    if (poll(&p, 1, timeout_ms) != 1) return -1;
    ssize_t n = recv(fd, &c, 1, 0);
    return n == 1 ? c : n == 0 ? 0 : -1;
}

static uint64_t now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void paused_input_waits_for_resume(int mode) {
    int port;
    pid_t pid = start_server(mode, 0, &port);
    int fd = harness_dial(port);
    cr_assert_eq(send(fd, "P", 1, 0), 1);
    cr_assert_eq(recv_byte(fd, 5000), 'P');
    uint64_t t0 = now_ms();
    cr_assert_eq(send(fd, "x", 1, 0), 1);
    cr_assert_eq(recv_byte(fd, 200), -1, "no answer while paused");
    cr_assert_eq(recv_byte(fd, 5000), 'x', "answered once resumed");
    cr_assert_geq(now_ms() - t0, 300, "not before the resume timer (400 ms after the pause)");
    cr_assert_eq(send(fd, "y", 1, 0), 1);
    cr_assert_eq(recv_byte(fd, 1000), 'y', "reading as usual after the resume");
    close(fd);
    stop_server(pid);
}

static void protected_connection_outlives_heartbeat(int mode) {
    int port;
    pid_t pid = start_server(mode, 1, &port);
    int kept = harness_dial(port), idle = harness_dial(port);
    cr_assert_eq(send(kept, "K", 1, 0), 1);
    cr_assert_eq(recv_byte(kept, 5000), 'K');
    cr_assert_eq(send(idle, "n", 1, 0), 1);
    cr_assert_eq(recv_byte(idle, 5000), 'n');
    cr_assert_eq(recv_byte(idle, 4000), 0, "the heartbeat closes an idle connection");
    cr_assert_eq(send(kept, "n", 1, 0), 1);
    cr_assert_eq(recv_byte(kept, 1000), 'n', "the protected one is still served");
    close(kept);
    close(idle);
    stop_server(pid);
}

EDDY_TEST(server_flow, base_pause_resume, .timeout = 20) {
    paused_input_waits_for_resume(EDDY_SERVER_BASE);
}

EDDY_TEST(server_flow, process_pause_resume, .timeout = 20) {
    paused_input_waits_for_resume(EDDY_SERVER_PROCESS);
}

EDDY_TEST(server_flow, base_protect_from_heartbeat, .timeout = 20) {
    protected_connection_outlives_heartbeat(EDDY_SERVER_BASE);
}

EDDY_TEST(server_flow, process_protect_from_heartbeat, .timeout = 20) {
    protected_connection_outlives_heartbeat(EDDY_SERVER_PROCESS);
}
