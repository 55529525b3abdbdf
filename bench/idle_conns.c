/*
 * bench_idle_conns <port> <connections> <pid>: what idle keep-alive
 * connections cost a server process in memory.
 *
 * Opens `connections` connections to 127.0.0.1:<port>, sends one
 * "GET / HTTP/1.1" on each and reads its whole response (so every
 * connection has been through a request and sits idle in keep-alive),
 * then reads VmRSS of process <pid> (the server's worker) and prints the
 * growth per connection against the RSS measured before the first
 * connection. bench/idle_conns.sh starts the servers and finds the pid.
 * Run bare it prints its usage and exits 0 (make bench runs every bench_*).
 *
 * The connections are made in batches of 200 in flight at once, so a
 * server's accept backlog never overflows.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#define BATCH 200

static const char request[] = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

static long rss_kib(int pid) {
    char path[64], line[256];
    long kib = -1;
    snprintf(path, sizeof(path), "/proc/%d/status", pid);
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    while (fgets(line, sizeof(line), f)) {
        if (sscanf(line, "VmRSS: %ld kB", &kib) == 1) break;
    }
    fclose(f);
    return kib;
}

static int dial(int port) {
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t) port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    if (connect(fd, (struct sockaddr *) &a, sizeof(a)) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Reads one response: head, then Content-Length bytes. 0 or -1. */
static int read_response(int fd) {
    char buf[4096];
    size_t have = 0;
    char *end = NULL;
    while (!end) {
        ssize_t n = read(fd, buf + have, sizeof(buf) - 1 - have);
        if (n <= 0) return -1;
        have += (size_t) n;
        buf[have] = 0;
        end = strstr(buf, "\r\n\r\n");
        if (!end && have == sizeof(buf) - 1) return -1;
    }
    const char *cl = strcasestr(buf, "\r\ncontent-length:");
    long want = cl ? strtol(cl + 17, NULL, 10) : 0;
    long body = (long) (have - (size_t) (end + 4 - buf));
    while (body < want) {
        ssize_t n = read(fd, buf, sizeof(buf));
        if (n <= 0) return -1;
        body += n;
    }
    return 0;
}

int main(int argc, char **argv) {
    if (argc != 4) {
        printf("usage: bench_idle_conns <port> <connections> <server pid> (bench/idle_conns.sh)\n");
        return 0;
    }
    int port = atoi(argv[1]), n = atoi(argv[2]), pid = atoi(argv[3]);
    struct rlimit rl = {(rlim_t) n + 64, (rlim_t) n + 64};
    if (setrlimit(RLIMIT_NOFILE, &rl) < 0) {
        perror("setrlimit (raise the hard limit or run as root)");
        return 1;
    }
    int *fds = calloc((size_t) n, sizeof(int)); /* freed at exit */
    long before = rss_kib(pid);
    if (!fds || before < 0) {
        fprintf(stderr, "cannot read the RSS of pid %d\n", pid);
        return 1;
    }
    for (int i = 0; i < n; i += BATCH) {
        int m = n - i < BATCH ? n - i : BATCH;
        for (int j = 0; j < m; j++) {
            if ((fds[i + j] = dial(port)) < 0 ||
                write(fds[i + j], request, sizeof(request) - 1) != (ssize_t) sizeof(request) - 1) {
                fprintf(stderr, "connection %d: %s\n", i + j, strerror(errno));
                return 1;
            }
        }
        for (int j = 0; j < m; j++) {
            if (read_response(fds[i + j]) < 0) {
                fprintf(stderr, "connection %d: no response\n", i + j);
                return 1;
            }
        }
    }
    usleep(500 * 1000); /* let the server settle (timers, frees) */
    long after = rss_kib(pid);
    printf("idle keep-alive connections %d: RSS %ld KiB -> %ld KiB, %.2f KiB per connection\n", n,
           before, after, (double) (after - before) / n);
    for (int i = 0; i < n; i++) close(fds[i]);
    free(fds);
    return 0;
}
