/*
 * eddy_server_configure(): options given after the listeners were bound
 * (Swoole's set() after the constructor) replace the server's copy, and the
 * listeners frame with them. The server runs as a real process: the child
 * binds port 0 with default options, reconfigures with length framing and
 * starts; the test sends two length-prefixed messages in one write and sees
 * two replies, each message bracketed by the echo handler.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "eddy/server.h"
#include "eddy_test.h"

static void ev_receive(eddy_server_t *srv, int fd, int reactor_id, const char *data, size_t len) {
    (void)reactor_id;
    eddy_server_send(srv, fd, "[", 1);
    eddy_server_send(srv, fd, data, len);
    eddy_server_send(srv, fd, "]", 1);
}

static eddy_server_t *configured_server(void) {
    char err[EDDY_SERVER_ERRLEN];
    eddy_server_config_t cfg;
    eddy_server_t *srv = eddy_server_new(NULL);
    cr_assert_geq(eddy_server_listen(srv, EDDY_SOCK_TCP, "127.0.0.1", 0), 0);
    eddy_server_config_init(&cfg);
    const char *opts[] = {"worker_num", "1", "log_level", "3", "open_length_check", "1",
                          "package_length_type", "N", "package_body_offset", "4",
                          "pid_file", "/tmp/eddy-configure.pid", NULL};
    for (int i = 0; opts[i]; i += 2)
        cr_assert_eq(eddy_server_config_set(&cfg, opts[i], opts[i + 1], err, sizeof(err)), 0);
    cr_assert_eq(eddy_server_configure(srv, &cfg), 0);
    cr_assert_neq(eddy_server_config(srv)->pid_file, cfg.pid_file, "strings are copied");
    eddy_server_config_free(&cfg);
    cr_assert_eq(eddy_server_config(srv)->open_length_check, 1);
    cr_assert_str_eq(eddy_server_config(srv)->pid_file, "/tmp/eddy-configure.pid");
    return srv;
}

static size_t length_packet(char *out, const char *body) {
    uint32_t n = htonl((uint32_t)strlen(body));
    memcpy(out, &n, 4);
    memcpy(out + 4, body, strlen(body));
    return 4 + strlen(body);
}

EDDY_TEST(server_configure, options_set_after_listen_apply_to_framing, .timeout = 20) {
    eddy_server_t *srv = configured_server();
    int port = eddy_server_port(srv, 0);
    pid_t pid = fork();
    cr_assert_geq(pid, 0);
    if (pid == 0) {
        eddy_server_events_t ev = {.on_receive = ev_receive};
        eddy_server_set_events(srv, &ev);
        _exit(eddy_server_start(srv) == 0 ? 0 : 1);
    }
    eddy_server_free(srv); /* the test's copy: closes its listen socket only */
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    struct timeval tv = {.tv_sec = 5};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    cr_assert_eq(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
    char pkt[64], got[64];
    size_t a = length_packet(pkt, "one");
    size_t b = length_packet(pkt + a, "second");
    cr_assert_eq(send(fd, pkt, a + b, 0), (ssize_t)(a + b));
    size_t want = a + b + 4, n = 0;
    while (n < want) {
        ssize_t r = recv(fd, got + n, want - n, 0);
        if (r <= 0) break;
        n += (size_t)r;
    }
    cr_assert_eq(n, want);
    cr_assert_eq(got[0], '[');
    cr_assert_eq(got[a + 1], ']', "the first reply ends after the first message");
    cr_assert_eq(memcmp(got + a + 7, "second", 6), 0);
    close(fd);
    kill(pid, SIGTERM);
    int status = 0;
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}
