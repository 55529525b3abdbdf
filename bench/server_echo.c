/*
 * The engine's echo server for bench/tcp_echo.sh: raw echo (no framing),
 * on_receive sends the bytes back. BASE or PROCESS mode.
 *
 * Usage: bench_server_echo <port> base|process [workers=1] [reactors=1]
 * (no argument: prints usage and exits 0, for bench/run.sh)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eddy/server.h"

static void on_receive(eddy_server_t *srv, int fd, int reactor_id, const char *data, size_t len) {
    (void)reactor_id;
    eddy_server_send(srv, fd, data, len);
}

int main(int argc, char **argv) {
    if (argc < 3) {
        printf("usage: bench_server_echo <port> base|process [workers] [reactors]  (server for "
               "bench/tcp_echo.sh; not a micro-bench)\n");
        return 0;
    }
    eddy_server_config_t cfg;
    char err[EDDY_SERVER_ERRLEN];
    eddy_server_config_init(&cfg);
    if (eddy_server_config_set(&cfg, "worker_num", argc > 3 ? argv[3] : "1", err, sizeof(err)) ||
        eddy_server_config_set(&cfg, "reactor_num", argc > 4 ? argv[4] : "1", err, sizeof(err)) ||
        eddy_server_config_set(&cfg, "open_tcp_nodelay", "1", err, sizeof(err)) ||
        eddy_server_config_set(&cfg, "log_level", "4", err, sizeof(err))) {
        fprintf(stderr, "%s\n", err);
        return 2;
    }
    eddy_server_t *srv = eddy_server_new(&cfg);
    eddy_server_config_free(&cfg);
    eddy_server_set_mode(srv, strcmp(argv[2], "process") == 0 ? EDDY_SERVER_PROCESS
                                                               : EDDY_SERVER_BASE);
    eddy_server_events_t ev = {.on_receive = on_receive};
    eddy_server_set_events(srv, &ev);
    if (eddy_server_listen(srv, EDDY_SOCK_TCP, "127.0.0.1", atoi(argv[1])) < 0) return 3;
    int rc = eddy_server_start(srv);
    eddy_server_free(srv);
    return rc == 0 ? 0 : 1;
}
