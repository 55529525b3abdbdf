/*
 * examples/c/echo_server as a real process: started with fork+exec on a
 * free port, exercised over plain blocking sockets, stopped with SIGTERM.
 *
 * The binary sits next to this test in the build directory, so it is found
 * through /proc/self/exe rather than a path baked in at configure time.
 * Port 0 lets the server pick a free port; it prints the one it got.
 */
#define _GNU_SOURCE /* pipe2 */
#include "eddy_test.h"
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

typedef struct {
    pid_t pid;
    int out; /* read end of the server's stdout */
    int port;
} server_proc_t;

static void example_path(char *out, size_t n) {
    char self[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", self, sizeof(self) - 1);
    cr_assert_gt(len, 0);
    self[len] = '\0';
    snprintf(out, n, "%s/echo_server", dirname(self));
    cr_assert_eq(access(out, X_OK), 0, "%s not built", out);
}

/* Reads the server's "listening on 127.0.0.1:<port>" line, up to 10 s. */
static int read_port(int fd) {
    char line[256];
    size_t len = 0;
    while (len < sizeof(line) - 1) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (poll(&p, 1, 10000) <= 0) break;
        ssize_t n = read(fd, line + len, 1);
        if (n <= 0) break;
        if (line[len++] == '\n') break;
    }
    line[len] = '\0';
    int port = -1;
    if (sscanf(line, "listening on 127.0.0.1:%d", &port) != 1) return -1;
    return port;
}

static server_proc_t start_server(void) {
    char path[PATH_MAX + 32];
    int fds[2];
    example_path(path, sizeof(path));
    cr_assert_eq(pipe2(fds, O_CLOEXEC), 0);
    server_proc_t s = {.out = fds[0]};
    s.pid = fork();
    cr_assert_geq(s.pid, 0);
    if (s.pid == 0) {
        dup2(fds[1], STDOUT_FILENO);
        execl(path, path, "0", (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    s.port = read_port(s.out);
    cr_assert_gt(s.port, 0, "echo_server did not report its port");
    return s;
}

static int connect_to(int port) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    cr_assert_geq(fd, 0);
    cr_assert_eq(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0, "connect: %s",
                 strerror(errno));
    struct timeval tv = {.tv_sec = 10};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    return fd;
}

static void expect_echo(int fd, const char *msg, size_t n) {
    char buf[4096];
    size_t got = 0;
    cr_assert_eq(send(fd, msg, n, MSG_NOSIGNAL), (ssize_t)n);
    while (got < n) {
        ssize_t r = recv(fd, buf + got, sizeof(buf) - got, 0);
        cr_assert_gt(r, 0, "echo ended early: %s", r < 0 ? strerror(errno) : "EOF");
        got += (size_t)r;
    }
    cr_assert_eq(memcmp(buf, msg, n), 0);
}

/* Waits up to `ms` for the child; returns its wait status or -1. */
static int wait_exit(pid_t pid, int ms) {
    for (int waited = 0; waited < ms; waited += 10) {
        int status;
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid) return status;
        usleep(10000);
    }
    return -1;
}

EDDY_TEST(echo_example, echoes_and_exits_zero_on_sigterm, .timeout = 60) {
    server_proc_t s = start_server();
    int a = connect_to(s.port), b = connect_to(s.port);
    expect_echo(a, "hello", 5);
    expect_echo(b, "from another connection", 23);
    expect_echo(a, "again", 5);
    /* `b` stays open: shutdown must end its coroutine too. */
    close(a);
    cr_assert_eq(kill(s.pid, SIGTERM), 0);
    int status = wait_exit(s.pid, 10000);
    if (status == -1) {
        kill(s.pid, SIGKILL);
        waitpid(s.pid, &status, 0);
        cr_assert_fail("echo_server did not exit within 10 s of SIGTERM");
    }
    cr_assert(WIFEXITED(status), "echo_server died by signal %d", WTERMSIG(status));
    cr_assert_eq(WEXITSTATUS(status), 0);
    char c;
    cr_assert_eq(recv(b, &c, 1, 0), 0, "the server closed the open connection");
    close(b);
    close(s.out);
}

EDDY_TEST(echo_example, sigint_also_stops_the_server, .timeout = 60) {
    server_proc_t s = start_server();
    int a = connect_to(s.port);
    expect_echo(a, "x", 1);
    cr_assert_eq(kill(s.pid, SIGINT), 0);
    int status = wait_exit(s.pid, 10000);
    if (status == -1) kill(s.pid, SIGKILL);
    cr_assert(status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0);
    close(a);
    close(s.out);
}
