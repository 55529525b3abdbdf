/*
 * The limit for bench/http.sh: a minimal single-threaded epoll server that
 * answers every request with one fixed response (the hello-world page and
 * headers of examples/c/http_server.c, Date frozen). It finds requests by
 * their blank line only (no parsing, GET without a body), so it is what
 * an HTTP server costs with the HTTP taken out: accept, read, write.
 *
 * Usage: bench_epoll_http <port>   (no argument: prints usage, exits 0, so
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

#define BUF (64 * 1024)

static const char resp[] = "HTTP/1.1 200 OK\r\n"
                           "Last-Modified: Thu, 18 Jun 2015 10:24:27 GMT\r\n"
                           "E-Tag: 55829c5b-17\r\n"
                           "Accept-Ranges: bytes\r\n"
                           "Content-Type: text/html\r\n"
                           "Date: Thu, 01 Jan 2026 00:00:00 GMT\r\n"
                           "Server: swoole-http-server\r\n"
                           "Content-Length: 24\r\n\r\n"
                           "<h1>\nHello Swoole.\n</h1>";

static char buf[BUF], out[BUF * 4];

/* Counts the requests in what arrived ("\r\n\r\n"; a terminator split
 * across reads is carried by `tail`). */
static int count_requests(const char *b, size_t n, unsigned *tail) {
    int k = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned want = (*tail & 1) ? '\n' : '\r';
        *tail = b[i] == (char)want ? *tail + 1 : (b[i] == '\r' ? 1 : 0);
        if (*tail == 4) k++, *tail = 0;
    }
    return k;
}

static unsigned tails[65536];

static void serve(int ep, int fd) {
    for (;;) {
        ssize_t n = recv(fd, buf, sizeof(buf), 0);
        if (n < 0 && errno == EAGAIN) return;
        if (n <= 0) {
            epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL);
            close(fd);
            tails[fd] = 0;
            return;
        }
        int k = count_requests(buf, (size_t)n, &tails[fd]);
        size_t len = 0;
        for (int i = 0; i < k && len + sizeof(resp) <= sizeof(out); i++)
            memcpy(out + len, resp, sizeof(resp) - 1), len += sizeof(resp) - 1;
        if (len && send(fd, out, len, MSG_NOSIGNAL) < 0) return;
        if ((size_t)n < sizeof(buf)) return;
    }
}

int main(int argc, char **argv) {
    if (argc < 2) {
        printf("usage: bench_epoll_http <port> (the limit server of bench/http.sh)\n");
        return 0;
    }
    signal(SIGPIPE, SIG_IGN);
    int lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0), one = 1;
    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(argv[1]))};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(lfd, 512) < 0) {
        perror("bind/listen");
        return 1;
    }
    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN, .data.fd = lfd}, evs[256];
    epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev);
    for (;;) {
        int n = epoll_wait(ep, evs, 256, -1);
        for (int i = 0; i < n; i++) {
            int fd = evs[i].data.fd;
            if (fd != lfd) {
                serve(ep, fd);
                continue;
            }
            int c;
            while ((c = accept4(lfd, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
                if (c >= 65536) {
                    close(c);
                    continue;
                }
                setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
                struct epoll_event ce = {.events = EPOLLIN, .data.fd = c};
                epoll_ctl(ep, EPOLL_CTL_ADD, c, &ce);
            }
        }
    }
}
