/*
 * One page from memory through the HTTP server's response compression,
 * for bench/compress.sh: every request gets the file given on the command
 * line as text/html, encoded per its Accept-Encoding (http_compression on,
 * level 1, as Swoole's defaults) unless "off" is given.
 *
 * Usage: bench_compress_server <port> <file> [off]   (BASE, 1 worker)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eddy/http.h"
#include "eddy/server.h"

static eddy_buf_t page;

static void serve(eddy_http_request_t *req, eddy_http_response_t *resp, void *data) {
    (void)req, (void)data;
    eddy_http_response_header(resp, "Content-Type", "text/html");
    eddy_http_response_end(resp, page.data, page.len);
}

static int load(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return -1;
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof(buf), f)) > 0) eddy_buf_append(&page, buf, n);
    fclose(f);
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s <port> <file> [off]\n", argv[0]);
        return 2;
    }
    eddy_buf_init(&page);
    if (load(argv[2]) < 0) {
        perror(argv[2]);
        return 1;
    }
    char err[EDDY_SERVER_ERRLEN];
    eddy_server_config_t cfg;
    eddy_server_config_init(&cfg);
    eddy_server_config_set(&cfg, "worker_num", "1", err, sizeof(err));
    eddy_server_t *srv = eddy_server_new(&cfg);
    eddy_server_config_free(&cfg);
    eddy_server_set_mode(srv, EDDY_SERVER_BASE);
    int off = argc > 3 && strcmp(argv[3], "off") == 0;
    eddy_http_server_opts_t o = {.on_request = serve, .http_compression = off ? -1 : 0};
    eddy_http_server_t *hs;
    if (eddy_http_server_new(&hs, srv, &o) < 0) return 1;
    if (eddy_server_listen(srv, EDDY_SOCK_TCP, "127.0.0.1", atoi(argv[1])) < 0) return 1;
    int rc = eddy_server_start(srv);
    eddy_http_server_free(hs);
    eddy_server_free(srv);
    eddy_buf_free(&page);
    return rc == 0 ? 0 : 1;
}
