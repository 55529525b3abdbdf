/*
 * Load generator for bench/tcp_echo.sh (wrk speaks only HTTP). N
 * connections, each sends a fixed 64-byte message and waits for all 64
 * bytes to come back before sending the next; runs for a bounded time on
 * one thread with epoll and prints requests per second. A reply that
 * differs from the message, or a connection lost, fails the run.
 *
 * Usage: bench_echo_load <port> [connections=50] [seconds=5]
 * (no argument: prints usage and exits 0, for bench/run.sh)
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MSG 64

typedef struct {
    int fd;
    size_t got;
} client_t;

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char msg[MSG + 1] = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

static int dial(int port) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        perror("connect");
        exit(1);
    }
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    return fd;
}

/* Reads what has arrived; on a full echo checks it and sends the next. */
static int on_ready(client_t *c, long *done) {
    char buf[MSG];
    ssize_t n = recv(c->fd, buf, MSG - c->got, MSG_DONTWAIT);
    if (n < 0 && errno == EAGAIN) return 0;
    if (n <= 0) return -1;
    if (memcmp(buf, msg + c->got, (size_t)n) != 0) return -2;
    c->got += (size_t)n;
    if (c->got < MSG) return 0;
    c->got = 0;
    (*done)++;
    return send(c->fd, msg, MSG, MSG_NOSIGNAL) == MSG ? 0 : -1;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        printf("usage: bench_echo_load <port> [connections] [seconds]  (load client for "
               "bench/tcp_echo.sh; not a micro-bench)\n");
        return 0;
    }
    int port = atoi(argv[1]), nconn = argc > 2 ? atoi(argv[2]) : 50;
    double secs = argc > 3 ? atof(argv[3]) : 5;
    client_t *cl = calloc((size_t)nconn, sizeof(*cl));
    int ep = epoll_create1(EPOLL_CLOEXEC);
    for (int i = 0; i < nconn; i++) {
        cl[i].fd = dial(port);
        struct epoll_event ev = {.events = EPOLLIN, .data.ptr = &cl[i]};
        epoll_ctl(ep, EPOLL_CTL_ADD, cl[i].fd, &ev);
    }
    long done = 0, warm = 0;
    for (int i = 0; i < nconn; i++) send(cl[i].fd, msg, MSG, MSG_NOSIGNAL);
    double t0 = now_s(), start = t0 + 0.5, end = start + secs; /* 0.5 s warm-up */
    struct epoll_event evs[256];
    for (double t = t0; t < end; t = now_s()) {
        if (!warm && t >= start) warm = done ? done : -1;
        int n = epoll_wait(ep, evs, 256, 100);
        for (int i = 0; i < n; i++) {
            int rc = on_ready(evs[i].data.ptr, &done);
            if (rc < 0) {
                fprintf(stderr, "echo_load: %s\n", rc == -2 ? "wrong reply" : "connection lost");
                return 1;
            }
        }
    }
    double rps = (double)(done - (warm > 0 ? warm : 0)) / secs;
    printf("requests/s %.0f  (connections=%d, %.1f s, %d-byte messages)\n", rps, nconn, secs, MSG);
    return 0;
}
