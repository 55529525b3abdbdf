/*
 * http_server [--process] [port] [workers]: hello world on eddy's HTTP
 * server, the page of Swoole's performance comparison: body
 * "<h1>\nHello Swoole.\n</h1>" (24 bytes) with Last-Modified, E-Tag and
 * Accept-Ranges headers. BASE mode by default (each worker accepts and
 * answers; the fastest for HTTP); --process: SWOOLE_PROCESS.
 *
 * Listens on 127.0.0.1 (default port 9501; 0 picks a free one), one
 * worker by default, and prints "listening on 127.0.0.1:<port>" once the
 * workers are being started. SIGTERM or Ctrl-C shuts down gracefully.
 *
 *   curl -i http://127.0.0.1:9501/
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eddy/http.h"
#include "eddy/server.h"

static const char body[] = "<h1>\nHello Swoole.\n</h1>";

static void on_request(eddy_http_request_t *req, eddy_http_response_t *resp, void *data) {
    (void)req, (void)data;
    eddy_http_response_header(resp, "Last-Modified", "Thu, 18 Jun 2015 10:24:27 GMT");
    eddy_http_response_header(resp, "E-Tag", "55829c5b-17");
    eddy_http_response_header(resp, "Accept-Ranges", "bytes");
    eddy_http_response_end(resp, body, sizeof(body) - 1);
}

static void on_start(eddy_server_t *srv) {
    printf("listening on 127.0.0.1:%d\n", eddy_server_port(srv, 0));
    fflush(stdout);
}

int main(int argc, char **argv) {
    int mode = EDDY_SERVER_BASE, a = 1;
    if (argc > a && strcmp(argv[a], "--process") == 0) mode = EDDY_SERVER_PROCESS, a++;
    int port = argc > a ? atoi(argv[a]) : 9501;
    const char *workers = argc > a + 1 ? argv[a + 1] : "1";
    char err[EDDY_SERVER_ERRLEN];
    eddy_server_config_t cfg;
    eddy_server_config_init(&cfg);
    if (eddy_server_config_set(&cfg, "worker_num", workers, err, sizeof(err)) < 0) {
        fprintf(stderr, "%s\n", err);
        return 2;
    }
    eddy_server_t *srv = eddy_server_new(&cfg);
    eddy_server_config_free(&cfg);
    eddy_server_set_mode(srv, mode);
    eddy_server_events_t ev = {.on_start = on_start};
    eddy_http_server_opts_t o = {.on_request = on_request, .events = &ev};
    eddy_http_server_t *hs;
    int rc = eddy_http_server_new(&hs, srv, &o);
    if (rc == 0 && (rc = eddy_server_listen(srv, EDDY_SOCK_TCP, "127.0.0.1", port)) >= 0)
        rc = eddy_server_start(srv);
    if (rc < 0) fprintf(stderr, "http_server: %s\n", eddy_strerror(rc));
    eddy_http_server_free(hs);
    eddy_server_free(srv);
    return rc < 0 ? 1 : 0;
}
