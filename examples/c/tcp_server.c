/*
 * tcp_server [--process] [port]: a length-framed echo server on eddy's
 * server engine (Swoole\Server with SWOOLE_BASE, or with --process
 * SWOOLE_PROCESS: reactor threads in the master read and frame, workers
 * behind socketpairs answer).
 *
 * Each message is a 4-byte big-endian length followed by that many bytes
 * (package_length_type 'N', as pack('N')); the server sends every message
 * back unchanged. One worker per CPU accepts on the shared socket; the
 * manager restarts a worker that dies and reloads them all on SIGUSR1.
 * SIGTERM or Ctrl-C shuts down gracefully.
 *
 * Listens on 127.0.0.1 (default port 9501; 0 picks a free one) and prints
 * "listening on 127.0.0.1:<port>" once the workers are being started.
 *
 *   printf '\0\0\0\5hello' | nc -q1 127.0.0.1 9501 | xxd
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eddy/server.h"

#define DEFAULT_PORT 9501

static void on_start(eddy_server_t *srv) {
    printf("listening on 127.0.0.1:%d\n", eddy_server_port(srv, 0));
    fflush(stdout);
}

static void on_receive(eddy_server_t *srv, int fd, int reactor_id, const char *data, size_t len) {
    (void)reactor_id;
    /* data is one whole message, header included: echo it as it came. */
    eddy_server_send(srv, fd, data, len);
}

static int configure(eddy_server_config_t *cfg) {
    static const char *opts[][2] = {
        {"open_length_check", "1"},     {"package_length_type", "N"},
        {"package_length_offset", "0"}, {"package_body_offset", "4"},
        {"package_max_length", "1048576"}, {"open_tcp_nodelay", "1"},
    };
    char err[EDDY_SERVER_ERRLEN];
    eddy_server_config_init(cfg);
    for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
        if (eddy_server_config_set(cfg, opts[i][0], opts[i][1], err, sizeof(err)) < 0) {
            fprintf(stderr, "tcp_server: %s\n", err);
            return -1;
        }
    }
    return 0;
}

int main(int argc, char **argv) {
    int process = argc > 1 && strcmp(argv[1], "--process") == 0;
    int port = argc > 1 + process ? atoi(argv[1 + process]) : DEFAULT_PORT;
    eddy_server_config_t cfg;
    if (configure(&cfg) < 0) return 1;
    eddy_server_t *srv = eddy_server_new(&cfg);
    eddy_server_config_free(&cfg);
    if (process) eddy_server_set_mode(srv, EDDY_SERVER_PROCESS);
    eddy_server_events_t ev = {.on_start = on_start, .on_receive = on_receive};
    eddy_server_set_events(srv, &ev);
    int rc = eddy_server_listen(srv, EDDY_SOCK_TCP, "127.0.0.1", port);
    if (rc >= 0) rc = eddy_server_start(srv);
    if (rc < 0) fprintf(stderr, "tcp_server: %s\n", eddy_strerror(rc));
    eddy_server_free(srv);
    return rc < 0 ? 1 : 0;
}
