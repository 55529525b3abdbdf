/*
 * A WebSocket server's HTTP options (eddy_ws_server_opts_t.http): its
 * plain requests are served by an HTTP server configured like any other,
 * static files and response compression included, while handshakes still
 * upgrade (also to a path the static handler would serve a file for).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "eddy/http.h"
#include "eddy/server.h"
#include "eddy/websocket.h"
#include "eddy_test.h"
#include "loopback_harness.h"

static char root[64];

static void on_message(eddy_ws_server_t *ws, int fd, int opcode, const char *data, size_t len,
                       int flags) {
    (void)flags;
    eddy_ws_push(ws, fd, opcode, data, len, EDDY_WS_FLAG_FIN);
}

static void on_request(eddy_http_request_t *req, eddy_http_response_t *resp, void *data) {
    static const char text[] = "compress me, compress me, compress me, compress me, please";
    (void)req, (void)data;
    eddy_http_response_header(resp, "Content-Type", "text/plain");
    eddy_http_response_end(resp, text, sizeof(text) - 1);
}

static int child_main(const void *arg) {
    int mode = *(const int *)arg;
    eddy_server_t *srv = harness_server_new(mode, 1, NULL);
    if (!srv) return 1;
    static const char *const index_files[] = {"index.html", NULL};
    eddy_server_events_t ev = {.on_start = harness_on_start};
    eddy_http_server_opts_t ho = {.enable_static_handler = 1, .document_root = root,
                                  .http_index_files = index_files, .http_compression = 1};
    eddy_ws_server_opts_t o = {.on_message = on_message, .on_request = on_request,
                               .events = &ev, .http = &ho};
    return harness_serve_ws(srv, &o);
}

static void write_file(const char *name, const char *text) {
    char path[128];
    snprintf(path, sizeof(path), "%s/%s", root, name);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs(text, f);
    fclose(f);
}

static void remove_root(void) {
    char path[128];
    snprintf(path, sizeof(path), "%s/hello.txt", root);
    unlink(path);
    snprintf(path, sizeof(path), "%s/index.html", root);
    unlink(path);
    rmdir(root);
}

static void t_options(int mode) {
    snprintf(root, sizeof(root), "/tmp/eddy-wsopts-%d", (int)getpid());
    mkdir(root, 0755);
    write_file("hello.txt", "static hello\n");
    write_file("index.html", "<p>index</p>\n");
    int port;
    pid_t pid = harness_start(child_main, &mode, &port);
    int fd = harness_dial(port);
    char buf[4096], v[128];
    /* The static handler answers a file under document_root. */
    harness_send_str(fd, "GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n");
    cr_assert_gt(harness_read_response(fd, buf, sizeof(buf), 0), 0);
    cr_assert(strncmp(buf, "HTTP/1.1 200", 12) == 0, "%s", buf);
    cr_assert_str_eq(harness_body_of(buf), "static hello\n");
    cr_assert(strlen(harness_header(buf, "ETag", v, sizeof(v))) > 0);
    /* http_compression applies to the request handler's responses. */
    harness_send_str(fd, "GET /dyn HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\n\r\n");
    cr_assert_gt(harness_read_response(fd, buf, sizeof(buf), 0), 0);
    cr_assert_str_eq(harness_header(buf, "Content-Encoding", v, sizeof(v)), "gzip");
    cr_assert_str_eq(harness_header(buf, "Vary", v, sizeof(v)), "Accept-Encoding");
    close(fd);
    /* A handshake to "/", where the index file is, still upgrades. */
    fd = harness_dial(port);
    harness_send_str(fd, "GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                         "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                         "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n");
    cr_assert_gt(harness_read_head(fd, buf, sizeof(buf)), 0);
    cr_assert(strncmp(buf, "HTTP/1.1 101", 12) == 0, "%s", buf);
    cr_assert_str_eq(harness_header(buf, "Sec-WebSocket-Accept", v, sizeof(v)),
                     "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    /* A masked text frame "hi" comes back unmasked. */
    static const unsigned char frame[] = {0x81, 0x82, 1, 2, 3, 4, 'h' ^ 1, 'i' ^ 2};
    cr_assert_eq(harness_send_all(fd, frame, sizeof(frame)), 0);
    unsigned char echo[4];
    cr_assert_eq(harness_recv_all(fd, echo, 4), 0);
    cr_assert(echo[0] == 0x81 && echo[1] == 2 && echo[2] == 'h' && echo[3] == 'i');
    close(fd);
    cr_assert_eq(harness_stop(pid), 0);
    remove_root();
}

EDDY_TEST(ws_http_options, static_files_and_compression_base, .timeout = 60) {
    t_options(EDDY_SERVER_BASE);
}

EDDY_TEST(ws_http_options, static_files_and_compression_process, .timeout = 60) {
    t_options(EDDY_SERVER_PROCESS);
}

EDDY_TEST(ws_http_options, bad_http_option_refuses_the_server) {
    eddy_server_t *srv = harness_server_new(EDDY_SERVER_BASE, 1, NULL);
    cr_assert_not_null(srv);
    eddy_http_server_opts_t ho = {.enable_static_handler = 1, .document_root = "/nonexistent/x"};
    eddy_ws_server_opts_t o = {.on_message = on_message, .http = &ho};
    eddy_ws_server_t *ws;
    cr_assert_eq(eddy_ws_server_new(&ws, srv, &o), EDDY_EINVAL);
    cr_assert_null(ws);
    eddy_server_free(srv);
}
