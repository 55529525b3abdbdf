/*
 * The static file handler alone, for bench/static.sh: every request is a
 * file under the root (on_request answers 404 for the rest).
 *
 * Usage: bench_static_server <port> <document_root> [base|process]
 * BASE: 1 worker; PROCESS: 1 reactor, 1 worker (dispatch_mode 2).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eddy/http.h"
#include "eddy/server.h"

static void not_found(eddy_http_request_t *req, eddy_http_response_t *resp, void *data) {
    (void)req, (void)data;
    eddy_http_response_status(resp, 404, NULL);
    eddy_http_response_end(resp, "not found\n", 10);
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s <port> <document_root> [base|process]\n", argv[0]);
        return 2;
    }
    int process = argc > 3 && strcmp(argv[3], "process") == 0;
    char err[EDDY_SERVER_ERRLEN];
    eddy_server_config_t cfg;
    eddy_server_config_init(&cfg);
    eddy_server_config_set(&cfg, "worker_num", "1", err, sizeof(err));
    eddy_server_config_set(&cfg, "reactor_num", "1", err, sizeof(err));
    eddy_server_t *srv = eddy_server_new(&cfg);
    eddy_server_config_free(&cfg);
    eddy_server_set_mode(srv, process ? EDDY_SERVER_PROCESS : EDDY_SERVER_BASE);
    static const char *const index[] = {"index.html", NULL};
    eddy_http_server_opts_t o = {.on_request = not_found,
                                 .enable_static_handler = 1,
                                 .document_root = argv[2],
                                 .http_index_files = index};
    eddy_http_server_t *hs;
    if (eddy_http_server_new(&hs, srv, &o) < 0) return 1;
    if (eddy_server_listen(srv, EDDY_SOCK_TCP, "127.0.0.1", atoi(argv[1])) < 0) return 1;
    int rc = eddy_server_start(srv);
    eddy_http_server_free(hs);
    eddy_server_free(srv);
    return rc == 0 ? 0 : 1;
}
