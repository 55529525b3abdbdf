/*
 * Test-side scaffolding for the suites that run a real server in a child
 * process and talk to it over loopback (HTTP, static files, compression,
 * uploads, WebSocket, the HTTP client, send_path, status).
 *
 * The life of one server:
 *
 *   static int child(const void *arg) { ... .on_start = harness_on_start ...; return rc; }
 *   int port;
 *   pid_t pid = harness_start(child, &opts, &port);  // returns once it listens
 *   int fd = harness_dial(port);                     // 5 s send/receive bounds
 *   harness_send_str(fd, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
 *   harness_read_response(fd, buf, sizeof(buf), 0);
 *   cr_assert_eq(harness_stop(pid), 0);              // SIGTERM, then its exit status
 *
 * Every child is forked by harness_fork(), which arms PR_SET_PDEATHSIG: a
 * failed assertion ends the test process without reaching harness_stop(),
 * and the server then goes with it instead of lingering as an orphan. Every
 * wait is bounded (15 s to start, 10 s to stop, 5 s per socket call).
 *
 * All functions are static inline so that a suite compiles only what it
 * uses (no unused-function warnings under -Werror). Define _GNU_SOURCE
 * before any include (pipe2, strcasestr).
 */
#ifndef EDDY_LOOPBACK_HARNESS_H
#define EDDY_LOOPBACK_HARNESS_H

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "eddy/http.h"
#include "eddy/server.h"
#include "eddy/websocket.h"
#include "eddy_test.h"

/* ---- server side (in the child) ------------------------------------------- */

/* A server as the suites run it: `workers` workers, one reactor, warnings
 * and errors logged only (log_level 4), in `mode`; then each "key", "value"
 * pair of the NULL-terminated extra (may be NULL). NULL if a setting is
 * refused (the child then exits with an error the test sees). */
static inline eddy_server_t *harness_server_new(int mode, int workers, const char *const *extra) {
    eddy_server_config_t cfg;
    char err[EDDY_SERVER_ERRLEN], num[16];
    eddy_server_config_init(&cfg);
    snprintf(num, sizeof(num), "%d", workers);
    int rc = eddy_server_config_set(&cfg, "worker_num", num, err, sizeof(err));
    rc |= eddy_server_config_set(&cfg, "reactor_num", "1", err, sizeof(err));
    rc |= eddy_server_config_set(&cfg, "log_level", "4", err, sizeof(err));
    for (size_t i = 0; extra && extra[i]; i += 2)
        rc |= eddy_server_config_set(&cfg, extra[i], extra[i + 1], err, sizeof(err));
    eddy_server_t *srv = rc ? NULL : eddy_server_new(&cfg);
    eddy_server_config_free(&cfg);
    if (srv) eddy_server_set_mode(srv, mode);
    return srv;
}

/* Write end of the port pipe, in the child started by harness_start(). */
static int harness_port_fd = -1;

/* Tells harness_start() the port the child listens on (once). */
static inline void harness_report_port(int port) {
    if (write(harness_port_fd, &port, sizeof(port)) < 0) abort();
    close(harness_port_fd);
}

/* An on_start callback: tells harness_start() the port of listener 0. */
static inline void harness_on_start(eddy_server_t *srv) {
    harness_report_port(eddy_server_port(srv, 0));
}

/* In a coroutine of the child: reports the port of co (listening, its
 * handlers set), serves until it is shut down, and frees it. 0 if it
 * stopped cleanly, else 4 (the child's exit code for a failed start). */
static inline int harness_co_http_serve(eddy_co_http_t *co) {
    harness_report_port(eddy_co_http_port(co));
    int rc = eddy_co_http_start(co);
    eddy_co_http_free(co);
    return rc == 0 ? 0 : 4;
}

/* Serves HTTP (o) on 127.0.0.1 at a port the kernel picks until the server
 * stops, then frees it: the child's exit code, 0 after a clean stop, 2 if
 * the HTTP server refused o, 3 if listen failed, 4 if start failed. */
static inline int harness_serve_http(eddy_server_t *srv, const eddy_http_server_opts_t *o) {
    eddy_http_server_t *hs;
    if (eddy_http_server_new(&hs, srv, o) < 0) return 2;
    if (eddy_server_listen(srv, EDDY_SOCK_TCP, "127.0.0.1", 0) < 0) return 3;
    int rc = eddy_server_start(srv);
    eddy_http_server_free(hs);
    eddy_server_free(srv);
    return rc == 0 ? 0 : 4;
}

/* The same for a WebSocket server (o), whose listener must exist first. */
static inline int harness_serve_ws(eddy_server_t *srv, const eddy_ws_server_opts_t *o) {
    eddy_ws_server_t *ws;
    if (eddy_server_listen(srv, EDDY_SOCK_TCP, "127.0.0.1", 0) < 0) return 3;
    if (eddy_ws_server_new(&ws, srv, o) < 0) return 2;
    int rc = eddy_server_start(srv);
    eddy_ws_server_free(ws);
    eddy_server_free(srv);
    return rc == 0 ? 0 : 4;
}

/* ---- the events file: what the server child saw, for the test to read ----- */

/* Its path, set by harness_events_open() in the test before the fork. */
static char harness_events[64];

/* Starts an empty /tmp/eddy-<tag>-<test pid>.events. */
static inline void harness_events_open(const char *tag) {
    snprintf(harness_events, sizeof(harness_events), "/tmp/eddy-%s-%d.events", tag, (int)getpid());
    unlink(harness_events);
}

/* Appends one printf-style line (cut at 255 bytes) to the file at path,
 * creating it. Best effort: a server callback has no way to fail a test,
 * the test sees the line missing. */
__attribute__((format(printf, 2, 0))) static inline void harness_vappend(const char *path,
                                                                          const char *fmt,
                                                                          va_list ap) {
    char line[256];
    int n = vsnprintf(line, sizeof(line), fmt, ap);
    if (n < 0) return;
    if ((size_t)n >= sizeof(line)) n = (int)sizeof(line) - 1;
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) return;
    if (write(fd, line, (size_t)n) < 0) { /* best effort */
    }
    close(fd);
}

/* The start of the file at path (cap - 1 bytes at most) into buf,
 * NUL-terminated: how many bytes, or -1 (buf "") if it cannot be read. */
static inline ssize_t harness_read_file(const char *path, char *buf, size_t cap) {
    buf[0] = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    ssize_t n = read(fd, buf, cap - 1);
    close(fd);
    buf[n > 0 ? n : 0] = 0;
    return n;
}

/* Whether `want` shows in the first 8 KiB of the file at path, looking
 * every 10 ms for up to wait_ms (0: look once). */
static inline int harness_file_has(const char *path, const char *want, int wait_ms) {
    char buf[8192];
    for (int waited = 0;; waited += 10) {
        if (harness_read_file(path, buf, sizeof(buf)) > 0 && strstr(buf, want)) return 1;
        if (waited >= wait_ms) return 0;
        usleep(10000);
    }
}

/* In the child: appends one printf-style line to the events file. */
__attribute__((format(printf, 1, 2))) static inline void harness_note(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    harness_vappend(harness_events, fmt, ap);
    va_end(ap);
}

/* Whether `want` shows in the events file within 3 s (its first 8 KiB). */
static inline int harness_events_have(const char *want) {
    return harness_file_has(harness_events, want, 3000);
}

/* ---- processes ------------------------------------------------------------ */

/* fork(), asserted. In the child (0 returned) the parent's death sends it
 * SIGTERM, so the server shuts its own workers down too; if the parent is
 * already gone by then, the child leaves at once. */
static inline pid_t harness_fork(void) {
    pid_t parent = getpid();
    pid_t pid = fork();
    cr_assert_geq(pid, 0, "fork: %s", strerror(errno));
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (getppid() != parent) _exit(125); /* died before the prctl took effect */
    }
    return pid;
}

/* Forks a child (harness_fork) that runs child(arg) and exits with its
 * return value, handing it the write end of a pipe as harness_port_fd; then
 * waits up to 15 s for the child to write exactly len bytes there (its
 * ports, once it listens) into report, asserted. The child's pid. */
static inline pid_t harness_spawn(int (*child)(const void *arg), const void *arg, void *report,
                                  size_t len) {
    int fds[2];
    cr_assert_eq(pipe2(fds, O_CLOEXEC), 0);
    pid_t pid = harness_fork();
    if (pid == 0) {
        close(fds[0]);
        harness_port_fd = fds[1];
        _exit(child(arg)); /* _exit: Criterion's atexit handlers are the test's */
    }
    close(fds[1]);
    struct pollfd pfd = {.fd = fds[0], .events = POLLIN};
    cr_assert_eq(poll(&pfd, 1, 15000), 1, "server did not start");
    cr_assert_eq(read(fds[0], report, len), (ssize_t)len, "server exited before it listened");
    close(fds[0]);
    return pid;
}

/* harness_spawn() for a server whose on_start is (or calls)
 * harness_on_start(): *port is the port of its listener 0. */
static inline pid_t harness_start(int (*child)(const void *arg), const void *arg, int *port) {
    return harness_spawn(child, arg, port, sizeof(*port));
}

/* Up to ms milliseconds for child pid to exit: its exit status (128 +
 * signal if a signal ended it), or -1 if it had to be SIGKILLed. */
static inline int harness_wait_ms(pid_t pid, int ms) {
    int status = 0;
    for (int waited = 0; waited < ms; waited += 10) {
        if (waitpid(pid, &status, WNOHANG) == pid)
            return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        usleep(10000);
    }
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    return -1;
}

/* harness_wait_ms() with the suites' usual 10 s. */
static inline int harness_wait(pid_t pid) { return harness_wait_ms(pid, 10000); }

/* SIGTERM to pid, then harness_wait(pid). */
static inline int harness_stop(pid_t pid) {
    kill(pid, SIGTERM);
    return harness_wait(pid);
}

/* Runs a shell command (printf-style, up to 2 KiB), its stdout into out
 * (NUL-terminated, cap - 1 bytes at most); its wait status as pclose(3). */
static inline int harness_run(char *out, size_t cap, const char *fmt, ...) {
    char cmd[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof(cmd), fmt, ap);
    va_end(ap);
    FILE *f = popen(cmd, "r");
    cr_assert_not_null(f);
    size_t n = fread(out, 1, cap - 1, f);
    out[n] = 0;
    return pclose(f);
}

/* ---- raw client ----------------------------------------------------------- */

/* Bounds every later send and receive on fd to ms milliseconds. */
static inline void harness_set_timeout(int fd, int ms) {
    struct timeval tv = {.tv_sec = ms / 1000, .tv_usec = (ms % 1000) * 1000};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

/* 127.0.0.1:port. */
static inline struct sockaddr_in harness_loopback(int port) {
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return sa;
}

/* A socket of family and type (SOCK_STREAM, SOCK_DGRAM) connected to sa,
 * with 5 s send and receive timeouts so that no read or write below blocks
 * a test for long; -1 (errno set) if it cannot be made or connected. */
static inline int harness_connect(int family, int type, const struct sockaddr *sa,
                                  socklen_t len) {
    int fd = socket(family, type | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    harness_set_timeout(fd, 5000);
    if (connect(fd, sa, len) < 0) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    return fd;
}

/* A TCP connection to 127.0.0.1:port (asserted), as harness_connect(). */
static inline int harness_dial(int port) {
    struct sockaddr_in sa = harness_loopback(port);
    int fd = harness_connect(AF_INET, SOCK_STREAM, (struct sockaddr *)&sa, sizeof(sa));
    cr_assert_geq(fd, 0, "connect to %d: %s", port, strerror(errno));
    return fd;
}

/* Sends all n bytes (no SIGPIPE); 0, or -1 on error or timeout. */
static inline int harness_send_all(int fd, const void *p, size_t n) {
    const char *c = p;
    while (n) {
        ssize_t w = send(fd, c, n, MSG_NOSIGNAL);
        if (w <= 0) return -1;
        c += w;
        n -= (size_t)w;
    }
    return 0;
}

static inline int harness_send_str(int fd, const char *s) {
    return harness_send_all(fd, s, strlen(s));
}

/* Receives up to exactly n bytes: n, or as many as came before EOF, an
 * error or the timeout. */
static inline size_t harness_recv_n(int fd, void *p, size_t n) {
    char *c = p;
    size_t got = 0;
    while (got < n) {
        ssize_t r = recv(fd, c + got, n - got, 0);
        if (r <= 0) break;
        got += (size_t)r;
    }
    return got;
}

/* Receives exactly n bytes; 0, or -1 on EOF, error or timeout. */
static inline int harness_recv_all(int fd, void *p, size_t n) {
    return harness_recv_n(fd, p, n) == n ? 0 : -1;
}

/* Reads a head up to and including its "\r\n\r\n", byte by byte so that
 * whatever follows stays in the socket; NUL-terminated. Its length, or -1
 * on EOF, timeout or a head that does not fit. */
static inline int harness_read_head(int fd, char *buf, size_t cap) {
    size_t got = 0;
    while (got < 4 || memcmp(buf + got - 4, "\r\n\r\n", 4) != 0) {
        if (got + 1 >= cap || recv(fd, buf + got, 1, 0) != 1) return -1;
        buf[++got] = 0;
    }
    return (int)got;
}

/* Reads one line byte by byte (what follows stays in the socket) up to
 * and including its "\n", or cap - 1 bytes; NUL-terminated. Its length, or
 * -1 if EOF, an error or the timeout came first (buf holds what came). */
static inline int harness_recv_line(int fd, char *buf, size_t cap) {
    size_t got = 0;
    buf[0] = 0;
    while (got + 1 < cap) {
        if (recv(fd, buf + got, 1, 0) != 1) {
            buf[got] = 0;
            return -1;
        }
        if (buf[got++] == '\n') break;
    }
    buf[got] = 0;
    return (int)got;
}

/* harness_recv_line() without the "\n"; a line cut by EOF or the timeout
 * as far as it came. Returns buf. */
static inline char *harness_read_line(int fd, char *buf, size_t cap) {
    int n = harness_recv_line(fd, buf, cap);
    size_t len = n >= 0 ? (size_t)n : strlen(buf);
    if (len > 0 && buf[len - 1] == '\n') buf[len - 1] = '\0';
    return buf;
}

/* Reads one response into buf, NUL-terminated: the head, then its body
 * (Content-Length bytes; chunked up to "0\r\n\r\n"; otherwise until EOF).
 * No body after HEAD (head_request) nor for 1xx, 204 and 304. With a
 * Content-Length, bytes of a following response stay in the socket. Its
 * length (a body cut by cap, EOF or timeout is returned as far as read), or
 * -1 before a whole head. */
static inline int harness_read_response(int fd, char *buf, size_t cap, int head_request) {
    int h = harness_read_head(fd, buf, cap);
    if (h < 0) return -1;
    size_t head = (size_t)h, got = head;
    int status = atoi(buf + 9);
    if (head_request || status < 200 || status == 204 || status == 304) return h;
    const char *cl = strcasestr(buf, "\r\ncontent-length:");
    int chunked = strcasestr(buf, "\r\ntransfer-encoding: chunked") != NULL;
    size_t want = cl ? (size_t)atol(cl + 17) : 0;
    while (got + 1 < cap) {
        if (cl && got - head >= want) break;
        if (chunked && got >= head + 5 && memcmp(buf + got - 5, "0\r\n\r\n", 5) == 0) break;
        size_t room = cap - 1 - got;
        size_t ask = cl ? head + want - got : 1;
        ssize_t r = recv(fd, buf + got, ask < room ? ask : room, 0);
        if (r <= 0) break;
        got += (size_t)r;
    }
    buf[got] = 0;
    return (int)got;
}

/* The body of a response read above: what follows the first blank line. */
static inline const char *harness_body_of(const char *resp) {
    const char *e = strstr(resp, "\r\n\r\n");
    return e ? e + 4 : "";
}

/* The value of the first header `name` in a head (leading spaces skipped,
 * up to CR), copied into out; "" when absent. Returns out. */
static inline const char *harness_header(const char *head, const char *name, char *out,
                                         size_t cap) {
    char pat[64];
    snprintf(pat, sizeof(pat), "\r\n%s:", name);
    const char *p = strcasestr(head, pat);
    out[0] = 0;
    if (!p) return out;
    p += strlen(pat);
    while (*p == ' ') p++;
    size_t n = strcspn(p, "\r");
    snprintf(out, cap, "%.*s", (int)n, p);
    return out;
}

/* One receive: 1 if it sees EOF or a reset, 0 on the timeout or another
 * error, -1 if data came instead (read, up to 256 bytes, and dropped). */
static inline int harness_recv_eof(int fd) {
    char b[256];
    ssize_t r = recv(fd, b, sizeof(b), 0);
    if (r > 0) return -1;
    return r == 0 || errno == ECONNRESET;
}

/* Whether the peer closed: EOF or reset before the receive timeout, what
 * it sent before that read and dropped. */
static inline int harness_peer_closed(int fd) {
    int r;
    while ((r = harness_recv_eof(fd)) < 0) {
    }
    return r;
}

#endif /* EDDY_LOOPBACK_HARNESS_H */
