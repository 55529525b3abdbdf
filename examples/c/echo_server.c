/*
 * echo_server [port]: a coroutine-per-connection TCP echo server on eddy.
 *
 * Listens on 127.0.0.1 (default port 9501; 0 picks a free one). One
 * coroutine accepts; each connection gets its own coroutine that echoes
 * until the peer closes. SIGINT/SIGTERM arrive as a loop callback
 * (signalfd), which closes the listener and cancels the connections; the
 * loop then runs dry and the process exits 0 with nothing leaked.
 *
 * Prints "listening on 127.0.0.1:<port>" once ready, so a script (or the
 * test) can wait for that line instead of polling the port.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include "eddy/coro.h"
#include "eddy/loop.h"
#include "eddy/socket.h"

#define DEFAULT_PORT 9501
#define BUF_SIZE (64 * 1024)

typedef struct conn_s {
    eddy_socket_t *sock;
    int64_t cid;
    struct conn_s *prev, *next;
} conn_t;

typedef struct {
    eddy_socket_t *listener;
    conn_t *conns; /* live connections, so shutdown can cancel them */
    eddy_signal_t sigint, sigterm;
} server_t;

static server_t server;

static void conn_unlink(conn_t *c) {
    if (c->prev) c->prev->next = c->next;
    else server.conns = c->next;
    if (c->next) c->next->prev = c->prev;
}

static void serve_conn(void *arg) {
    conn_t *c = arg;
    char *buf = malloc(BUF_SIZE); /* off the coroutine stack: it is lazily committed */
    c->cid = eddy_coro_cid();
    for (;;) {
        ssize_t n = eddy_socket_recv(c->sock, buf, BUF_SIZE, EDDY_WAIT_FOREVER);
        if (n <= 0) break; /* 0: peer closed; < 0: error or canceled at shutdown */
        if (eddy_socket_send_all(c->sock, buf, (size_t)n, EDDY_WAIT_FOREVER) < 0) break;
    }
    free(buf);
    conn_unlink(c);
    eddy_socket_close(c->sock);
    free(c);
}

static void start_conn(eddy_socket_t *sock) {
    conn_t *c = calloc(1, sizeof(*c));
    if (!c) {
        eddy_socket_close(sock);
        return;
    }
    c->sock = sock;
    c->next = server.conns;
    if (c->next) c->next->prev = c;
    server.conns = c;
    if (eddy_coro_create(serve_conn, c) < 0) {
        conn_unlink(c);
        eddy_socket_close(sock);
        free(c);
    }
}

static void accept_loop(void *arg) {
    (void)arg;
    for (;;) {
        int err = 0;
        eddy_socket_t *sock = eddy_socket_accept(server.listener, EDDY_WAIT_FOREVER, &err);
        if (sock) {
            start_conn(sock);
            continue;
        }
        /* EBADF: the listener was closed for shutdown. */
        if (err == EDDY_EBADF || err == EDDY_ECANCELED) break;
        fprintf(stderr, "accept: %s\n", eddy_strerror(err));
        /* Out of fds (EMFILE) and the like: back off instead of spinning. */
        if (eddy_coro_sleep(100) < 0) break;
    }
}

static void on_signal(eddy_loop_t *loop, eddy_signal_t *sig, int signo) {
    (void)sig;
    fprintf(stderr, "signal %d: shutting down\n", signo);
    eddy_signal_stop(&server.sigint);
    eddy_signal_stop(&server.sigterm);
    eddy_socket_close(server.listener); /* wakes the accept loop with EBADF */
    /* Each canceled coroutine runs at once, unlinks and frees its conn;
     * take the next pointer first. */
    for (conn_t *c = server.conns, *next; c; c = next) {
        next = c->next;
        eddy_coro_cancel(c->cid);
    }
    eddy_loop_stop(loop);
}

static int listen_on(int port) {
    int err = 0;
    server.listener = eddy_socket_new(EDDY_SOCK_TCP, &err);
    if (!server.listener) return err;
    if ((err = eddy_socket_bind(server.listener, "127.0.0.1", port)) < 0 ||
        (err = eddy_socket_listen(server.listener, 512)) < 0) {
        eddy_socket_close(server.listener);
        return err;
    }
    return 0;
}

static int bound_port(void) {
    eddy_addr_t addr;
    char host[64];
    int port = -1;
    if (eddy_socket_getsockname(server.listener, &addr) == 0) {
        eddy_addr_format(&addr, host, sizeof(host), &port);
    }
    return port;
}

int main(int argc, char **argv) {
    int port = argc > 1 ? atoi(argv[1]) : DEFAULT_PORT;
    eddy_loop_t *loop = eddy_loop_default();
    int rc = listen_on(port);
    if (rc < 0) {
        fprintf(stderr, "echo_server: listen on 127.0.0.1:%d: %s\n", port, eddy_strerror(rc));
        return 1;
    }
    eddy_signal_start(loop, &server.sigint, SIGINT, on_signal);
    eddy_signal_start(loop, &server.sigterm, SIGTERM, on_signal);
    if (eddy_coro_create(accept_loop, NULL) < 0) return 1;
    printf("listening on 127.0.0.1:%d\n", bound_port());
    fflush(stdout);
    rc = eddy_loop_run(loop);
    eddy_loop_default_close();
    return rc == 0 ? 0 : 1;
}
