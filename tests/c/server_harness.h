/*
 * The harness test_server_base.c and test_server_process.c share: a server
 * spec, the forked server process (started with the file's own
 * child_main(), which builds the server in that file's mode, and stopped
 * with SIGTERM and a bounded wait), and the blocking-socket client helpers
 * (SO_RCVTIMEO bounds every read). The includer defines SERVER_TEST_TAG
 * (its temporary files are /tmp/eddy-<tag>-<pid>.*) and child_main().
 *
 * Everything here is a thin layer over loopback_harness.h, which the HTTP
 * family of suites uses: the same fork (PR_SET_PDEATHSIG, so a failed
 * assertion takes the server with it), the same bounded waits and the same
 * socket calls, under the names these suites have always called. All
 * functions are static inline, so an includer compiles only what it uses.
 */
#ifndef EDDY_TEST_SERVER_HARNESS_H
#define EDDY_TEST_SERVER_HARNESS_H

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "eddy/server.h"
#include "eddy_test.h"
#include "loopback_harness.h"

#define MAX_LISTEN 4

typedef struct {
    const char *opts[16]; /* name, value pairs, NULL-terminated */
    eddy_sock_type_t types[MAX_LISTEN];
    int ntypes;
} spec_t;

typedef struct {
    pid_t pid;
    int ports[MAX_LISTEN];
    char events[64];
    char unix_path[64];
    char pid_file[64];
} proc_t;

/* ---- the child's side ---------------------------------------------------- */

/* eddy_server_data() of the child's server: where on_start reports the
 * ports and note() appends event lines (the parent reads them with
 * events_have() / events_value()). */
typedef struct {
    int port_pipe;
    char events[64];
} child_ctx_t;

/* Appends one formatted line to the events file (best effort). */
__attribute__((format(printf, 2, 3))) static inline void note(eddy_server_t *srv,
                                                              const char *fmt, ...) {
    child_ctx_t *ctx = eddy_server_data(srv);
    va_list ap;
    va_start(ap, fmt);
    harness_vappend(ctx->events, fmt, ap);
    va_end(ap);
}

/* on_start: writes the bound ports to the parent. */
static inline void ev_start(eddy_server_t *srv) {
    child_ctx_t *ctx = eddy_server_data(srv);
    int ports[MAX_LISTEN] = {0};
    for (int i = 0; i < MAX_LISTEN; i++) {
        int p = eddy_server_port(srv, i);
        ports[i] = p > 0 ? p : 0;
    }
    if (write(ctx->port_pipe, ports, sizeof(ports)) < 0) abort();
    close(ctx->port_pipe);
}

static inline void ev_shutdown(eddy_server_t *srv) { note(srv, "shutdown\n"); }

/* Runs the server in the forked child; its on_start writes the bound
 * ports to port_pipe. Returns the exit status. Defined by the includer. */
static int child_main(const spec_t *spec, const proc_t *proc, int port_pipe);

/* harness_spawn()'s child: the spec and proc of start_server(). */
typedef struct {
    const spec_t *spec;
    const proc_t *proc;
} server_child_arg_t;

static inline int server_child(const void *arg) {
    const server_child_arg_t *a = arg;
    return child_main(a->spec, a->proc, harness_port_fd);
}

/* ---- the test's side ----------------------------------------------------- */

/* Forks the server of spec (bounded: 15 s to report its ports). */
static inline void start_server(const spec_t *spec, proc_t *proc) {
    memset(proc, 0, sizeof(*proc));
    snprintf(proc->events, sizeof(proc->events), "/tmp/eddy-" SERVER_TEST_TAG "-%d.events", getpid());
    snprintf(proc->unix_path, sizeof(proc->unix_path), "/tmp/eddy-" SERVER_TEST_TAG "-%d.sock", getpid());
    snprintf(proc->pid_file, sizeof(proc->pid_file), "/tmp/eddy-" SERVER_TEST_TAG "-%d.pid", getpid());
    unlink(proc->events);
    server_child_arg_t arg = {spec, proc};
    proc->pid = harness_spawn(server_child, &arg, proc->ports, sizeof(proc->ports));
}

/* Waits (bounded) for the exit status, removing the events file; -1 on
 * timeout. */
static inline int wait_exit(proc_t *proc) {
    int rc = harness_wait(proc->pid);
    if (rc != -1) unlink(proc->events);
    return rc;
}

static inline int stop_server(proc_t *proc) {
    kill(proc->pid, SIGTERM);
    return wait_exit(proc);
}

static inline void set_timeout(int fd, int ms) { harness_set_timeout(fd, ms); }

static inline int dial_addr(int family, int type, const struct sockaddr *sa, socklen_t len) {
    return harness_connect(family, type, sa, len);
}

/* A connection (SOCK_STREAM) or connected datagram socket to
 * 127.0.0.1:port, or -1. */
static inline int dial(int type, int port) {
    struct sockaddr_in sa = harness_loopback(port);
    return harness_connect(AF_INET, type, (struct sockaddr *)&sa, sizeof(sa));
}

static inline int send_all(int fd, const void *p, size_t n) { return harness_send_all(fd, p, n); }

/* Reads exactly n bytes; returns n, or what arrived before EOF/timeout. */
static inline size_t recv_n(int fd, char *buf, size_t n) { return harness_recv_n(fd, buf, n); }

/* Reads one '\n'-terminated line (NUL-terminated in buf); its length or -1. */
static inline int recv_line(int fd, char *buf, size_t cap) {
    return harness_recv_line(fd, buf, cap);
}

/* Sends cmd on a new connection and reads one line of reply; its length,
 * or -1. */
static inline int ask(int port, const char *cmd, char *reply, size_t cap) {
    int fd = dial(SOCK_STREAM, port);
    if (fd < 0) return -1;
    int rc = send_all(fd, cmd, strlen(cmd)) == 0 ? recv_line(fd, reply, cap) : -1;
    close(fd);
    return rc;
}

/* Whether `what` shows in the events file within wait_ms (0: now). */
static inline int events_have(const proc_t *proc, const char *what, int wait_ms) {
    return harness_file_has(proc->events, what, wait_ms);
}

/* The integer after `key` in the events file, waiting for it; -1 if absent. */
static inline long events_value(const proc_t *proc, const char *key, int wait_ms) {
    if (!events_have(proc, key, wait_ms)) return -1;
    char buf[8192];
    harness_read_file(proc->events, buf, sizeof(buf));
    char *at = strstr(buf, key);
    return at ? strtol(at + strlen(key), NULL, 10) : -1;
}

/* Whether the peer closed with nothing more to send: the next receive
 * sees EOF or a reset (stricter than harness_peer_closed(), which reads
 * past data). */
static inline int peer_closed(int fd) { return harness_recv_eof(fd) == 1; }

#endif /* EDDY_TEST_SERVER_HARNESS_H */
