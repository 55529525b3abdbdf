/*
 * The limit for bench/tcp_echo.sh: a minimal single-threaded epoll echo
 * server with no framing, no callbacks and no allocation per message. What
 * a reply cannot write at once is kept per connection and flushed on
 * EPOLLOUT, so it is correct for any load, not only ping-pong.
 *
 * Usage: bench_epoll_echo <port>   (no argument: prints usage, exits 0, so
 * that bench/run.sh, which runs every bench_* binary bare, skips it)
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAXFD 65536
#define BUF (64 * 1024)

typedef struct {
    char *pending;
    size_t len;
} conn_t;

static conn_t conns[MAXFD];
static char buf[BUF];

static void drop(int ep, int fd) {
    epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL);
    close(fd);
    free(conns[fd].pending);
    conns[fd].pending = NULL;
    conns[fd].len = 0;
}

/* Writes what is pending, then data; keeps the rest. -1: connection gone. */
static int out(int ep, int fd, const char *data, size_t n) {
    conn_t *c = &conns[fd];
    if (!c->len) {
        ssize_t w = send(fd, data, n, MSG_NOSIGNAL);
        if (w < 0 && errno != EAGAIN) return -1;
        if (w > 0) data += w, n -= (size_t)w;
        if (!n) return 0;
    }
    c->pending = realloc(c->pending, c->len + n);
    memcpy(c->pending + c->len, data, n);
    c->len += n;
    struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT, .data.fd = fd};
    epoll_ctl(ep, EPOLL_CTL_MOD, fd, &ev);
    return 0;
}

static int flush(int ep, int fd) {
    conn_t *c = &conns[fd];
    ssize_t w = send(fd, c->pending, c->len, MSG_NOSIGNAL);
    if (w < 0) return errno == EAGAIN ? 0 : -1;
    memmove(c->pending, c->pending + w, c->len - (size_t)w);
    c->len -= (size_t)w;
    if (!c->len) {
        struct epoll_event ev = {.events = EPOLLIN, .data.fd = fd};
        epoll_ctl(ep, EPOLL_CTL_MOD, fd, &ev);
    }
    return 0;
}

static int listen_on(int port) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0), one = 1;
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 1024) < 0) {
        perror("bind/listen");
        exit(1);
    }
    return fd;
}

static void on_accept(int ep, int lfd) {
    int fd, one = 1;
    while ((fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
        if (fd >= MAXFD) {
            close(fd);
            continue;
        }
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
        struct epoll_event ev = {.events = EPOLLIN, .data.fd = fd};
        epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
    }
}

static void on_conn(int ep, int fd, uint32_t events) {
    if ((events & EPOLLOUT) && flush(ep, fd) < 0) {
        drop(ep, fd);
        return;
    }
    if (!(events & (EPOLLIN | EPOLLERR | EPOLLHUP))) return;
    ssize_t n = recv(fd, buf, sizeof(buf), 0);
    if (n < 0 && errno == EAGAIN) return;
    if (n <= 0 || out(ep, fd, buf, (size_t)n) < 0) drop(ep, fd);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        printf("usage: bench_epoll_echo <port>  (server for bench/tcp_echo.sh; not a micro-bench)\n");
        return 0;
    }
    signal(SIGPIPE, SIG_IGN);
    int lfd = listen_on(atoi(argv[1]));
    int ep = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event ev = {.events = EPOLLIN, .data.fd = lfd}, evs[256];
    epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev);
    for (;;) {
        int n = epoll_wait(ep, evs, 256, -1);
        for (int i = 0; i < n; i++) {
            if (evs[i].data.fd == lfd) on_accept(ep, lfd);
            else on_conn(ep, evs[i].data.fd, evs[i].events);
        }
    }
}
