/*
 * eddy_server_send_path() (Swoole's $server->sendfile()) over real servers
 * in BASE and PROCESS mode: a 3 MiB file from offset 10 arrives byte-exact
 * and before the "END" the handler sends right after it (order kept when
 * the socket cannot take the file at once); a range past the end and a
 * missing file are refused with nothing sent.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "eddy/server.h"
#include "eddy_test.h"
#include "loopback_harness.h"

#define FILE_SIZE (3 * 1024 * 1024)
static char path[64];

static void ev_receive(eddy_server_t *srv, int fd, int reactor_id, const char *data, size_t len) {
    char line[64];
    (void)reactor_id;
    if (len && data[0] == 'F') {
        int rc = eddy_server_send_path(srv, fd, path, 10, 0);
        int n = snprintf(line, sizeof(line), "END %d\n", rc);
        eddy_server_send(srv, fd, line, (size_t)n);
    } else if (len && data[0] == 'E') { /* refusals: past the end, missing, directory */
        int a = eddy_server_send_path(srv, fd, path, FILE_SIZE + 1, 0);
        int b = eddy_server_send_path(srv, fd, path, 10, FILE_SIZE);
        int c = eddy_server_send_path(srv, fd, "/nonexistent/eddy", 0, 0);
        int d = eddy_server_send_path(srv, fd, "/tmp", 0, 0);
        int n = snprintf(line, sizeof(line), "%d %d %d %d\n", a, b, c, d);
        eddy_server_send(srv, fd, line, (size_t)n);
    }
}

static char expected_byte(size_t i) { return (char)('a' + (i * 7) % 26); }

static void make_file(void) {
    snprintf(path, sizeof(path), "/tmp/eddy-send-path-%d", (int)getpid());
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f);
    for (size_t i = 0; i < FILE_SIZE; i++) fputc(expected_byte(i), f);
    cr_assert_eq(fclose(f), 0);
}

static void file_arrives_in_order(int mode) {
    char err[EDDY_SERVER_ERRLEN], line[64];
    make_file();
    eddy_server_config_t cfg;
    eddy_server_config_init(&cfg);
    cr_assert_eq(eddy_server_config_set(&cfg, "worker_num", "1", err, sizeof(err)), 0);
    cr_assert_eq(eddy_server_config_set(&cfg, "reactor_num", "1", err, sizeof(err)), 0);
    cr_assert_eq(eddy_server_config_set(&cfg, "log_level", "5", err, sizeof(err)), 0);
    eddy_server_t *srv = eddy_server_new(&cfg);
    eddy_server_config_free(&cfg);
    cr_assert_eq(eddy_server_set_mode(srv, mode), 0);
    cr_assert_eq(eddy_server_listen(srv, EDDY_SOCK_TCP, "127.0.0.1", 0), 0);
    cr_assert_eq(eddy_server_send_path(srv, 1, path, 0, 0), EDDY_EWRONG_OP, "not in a worker");
    int port = eddy_server_port(srv, 0);
    pid_t pid = harness_fork(); /* a failed assertion does not leave it running */
    if (pid == 0) {
        eddy_server_events_t ev = {.on_receive = ev_receive};
        eddy_server_set_events(srv, &ev);
        _exit(eddy_server_start(srv) == 0 ? 0 : 1);
    }
    eddy_server_free(srv);

    int fd = harness_dial(port);
    cr_assert_eq(send(fd, "F", 1, 0), 1);
    usleep(200000); /* the client does not read yet: the socket cannot take it all */
    size_t n = FILE_SIZE - 10;
    char *got = malloc(n);
    cr_assert_eq(harness_recv_all(fd, got, n), 0);
    size_t bad = n;
    for (size_t i = 0; i < n && bad == n; i++)
        if (got[i] != expected_byte(i + 10)) bad = i;
    free(got);
    cr_assert_eq(bad, n, "byte %zu differs", bad);
    harness_read_line(fd, line, sizeof(line));
    cr_assert_str_eq(line, "END 0", "the send after it comes after the file");

    cr_assert_eq(send(fd, "E", 1, 0), 1);
    harness_read_line(fd, line, sizeof(line));
    char want[64];
    snprintf(want, sizeof(want), "%d %d %d %d", EDDY_EINVAL, EDDY_EINVAL, -ENOENT, -EISDIR);
    cr_assert_str_eq(line, want, "refused, nothing sent before the answer");
    close(fd);
    unlink(path);
    cr_assert_eq(harness_stop(pid), 0, "the server exits cleanly on SIGTERM");
}

EDDY_TEST(server_send_path, base_file_in_order, .timeout = 30) {
    file_arrives_in_order(EDDY_SERVER_BASE);
}

EDDY_TEST(server_send_path, process_file_in_order, .timeout = 30) {
    file_arrives_in_order(EDDY_SERVER_PROCESS);
}
