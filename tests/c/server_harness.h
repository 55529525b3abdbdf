/*
 * The harness test_server_base.c and test_server_process.c share: a server
 * spec, the forked server process (started with the file's own
 * child_main(), which builds the server in that file's mode, and stopped
 * with SIGTERM and a bounded wait), and the blocking-socket client helpers
 * (SO_RCVTIMEO bounds every read). The includer defines SERVER_TEST_TAG
 * (its temporary files are /tmp/eddy-<tag>-<pid>.*) and child_main().
 */
#ifndef EDDY_TEST_SERVER_HARNESS_H
#define EDDY_TEST_SERVER_HARNESS_H

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "eddy/server.h"
#include "eddy_test.h"

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
static void note(eddy_server_t *srv, const char *fmt, ...) {
    child_ctx_t *ctx = eddy_server_data(srv);
    char line[128];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    int fd = open(ctx->events, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) return;
    if (write(fd, line, (size_t)n) < 0) { /* best effort */
    }
    close(fd);
}

/* on_start: writes the bound ports to the parent. */
static void ev_start(eddy_server_t *srv) {
    child_ctx_t *ctx = eddy_server_data(srv);
    int ports[MAX_LISTEN] = {0};
    for (int i = 0; i < MAX_LISTEN; i++) {
        int p = eddy_server_port(srv, i);
        ports[i] = p > 0 ? p : 0;
    }
    if (write(ctx->port_pipe, ports, sizeof(ports)) < 0) abort();
    close(ctx->port_pipe);
}

static void ev_shutdown(eddy_server_t *srv) { note(srv, "shutdown\n"); }

/* Runs the server in the forked child; its on_start writes the bound
 * ports to port_pipe. Returns the exit status. Defined by the includer. */
static int child_main(const spec_t *spec, const proc_t *proc, int port_pipe);

static void start_server(const spec_t *spec, proc_t *proc) {
    memset(proc, 0, sizeof(*proc));
    snprintf(proc->events, sizeof(proc->events), "/tmp/eddy-" SERVER_TEST_TAG "-%d.events", getpid());
    snprintf(proc->unix_path, sizeof(proc->unix_path), "/tmp/eddy-" SERVER_TEST_TAG "-%d.sock", getpid());
    snprintf(proc->pid_file, sizeof(proc->pid_file), "/tmp/eddy-" SERVER_TEST_TAG "-%d.pid", getpid());
    unlink(proc->events);
    int p[2];
    cr_assert_eq(pipe2(p, O_CLOEXEC), 0);
    proc->pid = fork();
    cr_assert_geq(proc->pid, 0);
    if (proc->pid == 0) {
        close(p[0]);
        /* A failed assertion ends the test before stop_server(): do not
         * leave the server running (and holding the test's stdout). */
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        /* _exit: Criterion's atexit handlers belong to the test process. */
        _exit(child_main(spec, proc, p[1]));
    }
    close(p[1]);
    struct pollfd pfd = {.fd = p[0], .events = POLLIN};
    cr_assert_eq(poll(&pfd, 1, 15000), 1, "server did not start");
    cr_assert_eq(read(p[0], proc->ports, sizeof(proc->ports)), (ssize_t)sizeof(proc->ports),
                 "server did not report its ports");
    close(p[0]);
}

/* Waits (bounded) for the exit status; -1 on timeout. */
static int wait_exit(proc_t *proc) {
    int status = 0;
    for (int i = 0; i < 1000; i++) { /* 10 s */
        pid_t r = waitpid(proc->pid, &status, WNOHANG);
        if (r == proc->pid) {
            unlink(proc->events);
            return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        }
        usleep(10000);
    }
    kill(proc->pid, SIGKILL);
    waitpid(proc->pid, &status, 0);
    return -1;
}

static int stop_server(proc_t *proc) {
    kill(proc->pid, SIGTERM);
    return wait_exit(proc);
}

static void set_timeout(int fd, int ms) {
    struct timeval tv = {.tv_sec = ms / 1000, .tv_usec = (ms % 1000) * 1000};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

static int dial_addr(int family, int type, const struct sockaddr *sa, socklen_t len) {
    int fd = socket(family, type | SOCK_CLOEXEC, 0);
    set_timeout(fd, 5000);
    if (connect(fd, sa, len) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static int dial(int type, int port) {
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return dial_addr(AF_INET, type, (struct sockaddr *)&sa, sizeof(sa));
}

static int send_all(int fd, const void *p, size_t n) {
    const char *c = p;
    while (n) {
        ssize_t w = send(fd, c, n, MSG_NOSIGNAL);
        if (w <= 0) return -1;
        c += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Reads exactly n bytes; returns n, or what arrived before EOF/timeout. */
static size_t recv_n(int fd, char *buf, size_t n) {
    size_t got = 0;
    while (got < n) {
        ssize_t r = recv(fd, buf + got, n - got, 0);
        if (r <= 0) break;
        got += (size_t)r;
    }
    return got;
}

/* Reads one '\n'-terminated line (NUL-terminated in buf); its length or -1. */
static int recv_line(int fd, char *buf, size_t cap) {
    size_t got = 0;
    while (got + 1 < cap) {
        ssize_t r = recv(fd, buf + got, 1, 0);
        if (r <= 0) return -1;
        if (buf[got++] == '\n') break;
    }
    buf[got] = 0;
    return (int)got;
}

static int ask(int port, const char *cmd, char *reply, size_t cap) {
    int fd = dial(SOCK_STREAM, port);
    if (fd < 0) return -1;
    int rc = send_all(fd, cmd, strlen(cmd)) == 0 ? recv_line(fd, reply, cap) : -1;
    close(fd);
    return rc;
}

static int events_have(const proc_t *proc, const char *what, int wait_ms) {
    for (int waited = 0; waited <= wait_ms; waited += 20) {
        char buf[8192] = {0};
        int fd = open(proc->events, O_RDONLY | O_CLOEXEC);
        if (fd >= 0) {
            ssize_t n = read(fd, buf, sizeof(buf) - 1);
            close(fd);
            if (n > 0 && strstr(buf, what)) return 1;
        }
        usleep(20000);
    }
    return 0;
}

/* The integer after `key` in the events file, waiting for it; -1 if absent. */
static long events_value(const proc_t *proc, const char *key, int wait_ms) {
    if (!events_have(proc, key, wait_ms)) return -1;
    char buf[8192] = {0};
    int fd = open(proc->events, O_RDONLY | O_CLOEXEC);
    ssize_t n = read(fd, buf, sizeof(buf) - 1);
    close(fd);
    char *at = n > 0 ? strstr(buf, key) : NULL;
    return at ? strtol(at + strlen(key), NULL, 10) : -1;
}

static int peer_closed(int fd) {
    char c;
    ssize_t r = recv(fd, &c, 1, 0);
    return r == 0 || (r < 0 && errno == ECONNRESET);
}

#endif /* EDDY_TEST_SERVER_HARNESS_H */
