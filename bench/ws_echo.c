/*
 * WebSocket echo throughput: a forked eddy WebSocket server (one worker,
 * BASE or PROCESS mode, no compression) echoes masked text frames; the
 * client keeps one message in flight on each of C connections for D
 * seconds over epoll and reports messages per second.
 *
 *   bench_ws_echo [conns=50] [seconds=5] [size=32] [base|process] [session|co]
 *   taskset -c 0,1 bench_ws_echo 50 10 32 base
 *
 * "session": the server is a plain HTTP server whose request handler
 * upgrades in a coroutine and echoes with eddy_ws_session_recv / _push
 * (Swoole's Http\Response::upgrade/recv/push) instead of on_message.
 * "co": the same handler on a coroutine HTTP server (eddy_co_http_*,
 * Swoole's Coroutine\Http\Server), one process, no server engine: recv
 * reads the socket in the handler's coroutine (base|process is ignored).
 *
 * The server process inherits the CPU mask: pin it with taskset as
 * bench/http.sh does if you compare runs.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "eddy/coro.h"
#include "eddy/http.h"
#include "eddy/loop.h"
#include "eddy/server.h"
#include "eddy/websocket.h"

static int g_pipe = -1;

static void on_message(eddy_ws_server_t *ws, int fd, int opcode, const char *data, size_t len,
                       int flags) {
    (void)flags;
    eddy_ws_push(ws, fd, opcode, data, len, EDDY_WS_FLAG_FIN);
}

typedef struct {
    eddy_http_request_t *req;
    eddy_http_response_t *resp;
} session_job_t;

static void session_main(void *arg) {
    session_job_t *j = arg;
    eddy_ws_session_t *s;
    int rc = eddy_ws_session_upgrade(j->req, j->resp, NULL, &s);
    free(j);
    if (rc < 0) return;
    eddy_ws_session_msg_t m;
    while (eddy_ws_session_recv(s, &m, -1) == 0) {
        if (m.opcode == EDDY_WS_OP_TEXT || m.opcode == EDDY_WS_OP_BINARY)
            eddy_ws_session_push(s, m.opcode, m.data, m.len, EDDY_WS_FLAG_FIN);
        eddy_ws_session_msg_release(&m);
    }
    eddy_ws_session_free(s);
}

static void on_request(eddy_http_request_t *req, eddy_http_response_t *resp, void *data) {
    (void)data;
    session_job_t *j = malloc(sizeof(*j)); /* the coroutine's */
    *j = (session_job_t){req, resp};
    if (eddy_coro_create(session_main, j) < 0) {
        free(j);
        eddy_http_response_end(resp, NULL, 0);
    }
}

/* "co": the handler runs in its connection's coroutine already. */
static void co_echo(eddy_http_request_t *req, eddy_http_response_t *resp, void *d) {
    session_job_t *j = malloc(sizeof(*j)); /* session_main frees it */
    (void)d;
    *j = (session_job_t){req, resp};
    session_main(j);
}

static void co_serve(void *arg) {
    eddy_co_http_t *co;
    (void)arg;
    if (eddy_co_http_new(&co, NULL, 0) < 0 || eddy_co_http_listen(co, "127.0.0.1", 0, 0) < 0) abort();
    eddy_co_http_handle(co, "/", co_echo, NULL);
    int port = eddy_co_http_port(co);
    if (write(g_pipe, &port, sizeof(port)) < 0) abort();
    close(g_pipe);
    eddy_co_http_start(co); /* until SIGTERM ends the process */
}

static int co_main(void) {
    eddy_coro_create(co_serve, NULL);
    return eddy_loop_run(eddy_loop_default()) ? 1 : 0;
}

static void on_start(eddy_server_t *srv) {
    int port = eddy_server_port(srv, 0);
    if (write(g_pipe, &port, sizeof(port)) < 0) abort();
    close(g_pipe);
}

static int server_main(int mode, int session) {
    eddy_server_config_t cfg;
    char err[EDDY_SERVER_ERRLEN];
    eddy_server_config_init(&cfg);
    eddy_server_config_set(&cfg, "worker_num", "1", err, sizeof(err));
    eddy_server_config_set(&cfg, "reactor_num", "1", err, sizeof(err));
    eddy_server_config_set(&cfg, "log_level", "4", err, sizeof(err));
    eddy_server_t *srv = eddy_server_new(&cfg);
    eddy_server_config_free(&cfg);
    eddy_server_set_mode(srv, mode);
    eddy_server_events_t ev = {.on_start = on_start};
    eddy_ws_server_opts_t o = {.on_message = on_message, .events = &ev};
    eddy_ws_server_t *ws;
    if (eddy_server_listen(srv, EDDY_SOCK_TCP, "127.0.0.1", 0) < 0) return 2;
    if (session) {
        eddy_http_server_opts_t ho = {.on_request = on_request, .events = &ev};
        eddy_http_server_t *hs;
        if (eddy_http_server_new(&hs, srv, &ho) < 0) return 2;
        int rc = eddy_server_start(srv);
        eddy_http_server_free(hs);
        eddy_server_free(srv);
        return rc ? 1 : 0;
    }
    if (eddy_ws_server_new(&ws, srv, &o) < 0) return 2;
    int rc = eddy_server_start(srv);
    eddy_ws_server_free(ws);
    eddy_server_free(srv);
    return rc ? 1 : 0;
}

static int dial_ws(int port) {
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) return -1;
    static const char hs[] = "GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                             "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                             "Sec-WebSocket-Version: 13\r\n\r\n";
    if (write(fd, hs, sizeof(hs) - 1) != (ssize_t)(sizeof(hs) - 1)) return -1;
    char buf[1024];
    size_t got = 0;
    while (got < 4 || memcmp(buf + got - 4, "\r\n\r\n", 4) != 0) { /* head only, byte by byte */
        if (got + 1 >= sizeof(buf) || read(fd, buf + got, 1) != 1) return -1;
        got++;
    }
    if (strncmp(buf, "HTTP/1.1 101", 12) != 0) return -1;
    fcntl(fd, F_SETFL, O_NONBLOCK);
    return fd;
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef struct {
    int fd;
    size_t got; /* bytes of the current echo read */
} conn_t;

int main(int argc, char **argv) {
    int nconn = argc > 1 ? atoi(argv[1]) : 50;
    double secs = argc > 2 ? atof(argv[2]) : 5;
    size_t size = argc > 3 ? (size_t)atoi(argv[3]) : 32;
    int mode = argc > 4 && strcmp(argv[4], "process") == 0 ? EDDY_SERVER_PROCESS : EDDY_SERVER_BASE;
    int session = argc > 5 && strcmp(argv[5], "session") == 0;
    int coserver = argc > 5 && strcmp(argv[5], "co") == 0;
    if (nconn < 1 || nconn > 10000 || size > 125 || secs <= 0) {
        fprintf(stderr, "usage: %s [conns 1-10000] [seconds] [size 0-125] [base|process] [session|co]\n",
                argv[0]);
        return 2;
    }
    int fds[2];
    if (pipe(fds) < 0) return 1;
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        g_pipe = fds[1];
        _exit(coserver ? co_main() : server_main(mode, session));
    }
    close(fds[1]);
    int port = 0;
    struct pollfd pfd = {.fd = fds[0], .events = POLLIN};
    if (poll(&pfd, 1, 10000) != 1 || read(fds[0], &port, sizeof(port)) != sizeof(port)) {
        fprintf(stderr, "server did not start\n");
        kill(pid, SIGKILL);
        return 1;
    }
    /* One masked text frame of `size` bytes, mask 0 (payload as is). */
    unsigned char frame[2 + 4 + 125];
    frame[0] = 0x81;
    frame[1] = (unsigned char)(0x80 | size);
    memset(frame + 2, 0, 4);
    memset(frame + 6, 'x', size);
    size_t flen = 6 + size, elen = 2 + size;
    int ep = epoll_create1(EPOLL_CLOEXEC);
    conn_t *c = calloc((size_t)nconn, sizeof(*c));
    for (int i = 0; i < nconn; i++) {
        c[i].fd = dial_ws(port);
        if (c[i].fd < 0) {
            fprintf(stderr, "connection %d failed\n", i);
            kill(pid, SIGKILL);
            return 1;
        }
        struct epoll_event e = {.events = EPOLLIN, .data.ptr = &c[i]};
        epoll_ctl(ep, EPOLL_CTL_ADD, c[i].fd, &e);
        if (write(c[i].fd, frame, flen) != (ssize_t)flen) return 1;
    }
    unsigned long long msgs = 0;
    double t0 = now(), end = t0 + secs;
    struct epoll_event ev[256];
    unsigned char rb[4096];
    while (now() < end) {
        int n = epoll_wait(ep, ev, 256, 100);
        for (int i = 0; i < n; i++) {
            conn_t *k = ev[i].data.ptr;
            ssize_t r = read(k->fd, rb, sizeof(rb));
            if (r <= 0) continue;
            k->got += (size_t)r;
            while (k->got >= elen) { /* one message in flight: whole echoes only */
                k->got -= elen;
                msgs++;
                if (write(k->fd, frame, flen) != (ssize_t)flen) k->got = 0;
            }
        }
    }
    double dt = now() - t0;
    printf("ws echo %s: %d connections, %zu-byte messages, %.1f s: %.0f messages/s\n",
           coserver ? "co server" : mode == EDDY_SERVER_PROCESS ? "PROCESS" : "BASE", nconn, size, dt,
           (double)msgs / dt);
    for (int i = 0; i < nconn; i++) close(c[i].fd);
    free(c);
    close(ep);
    kill(pid, SIGTERM);
    int st;
    waitpid(pid, &st, 0);
    return 0;
}
