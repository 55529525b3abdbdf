/*
 * The coroutine HTTP client (include/eddy/http_client.h) against real
 * servers on loopback:
 *  - the engine's HTTP server in a forked child (keep-alive reuse, chunked,
 *    download);
 *  - scripted servers made of coroutine sockets in the test's own loop, for
 *    what a well-behaved server never does: answers cut into single bytes,
 *    gzip / brotli / raw deflate bodies, 100 Continue, silence, a close in
 *    mid-body, a close of an idle keep-alive connection, and requests
 *    (multipart, PUT) read back exactly as they went out;
 *  - a small WebSocket echo server over the engine's codec.
 * Results are recorded in coroutines and asserted after the loop ends (an
 * assert must not unwind a coroutine stack).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <brotli/encode.h>
#include <zlib.h>

#include "eddy/coro.h"
#include "eddy/http.h"
#include "eddy/http_client.h"
#include "eddy/loop.h"
#include "eddy/server.h"
#include "eddy/socket.h"
#include "eddy/websocket.h"
#include "eddy_test.h"
#include "loopback_harness.h"
#include "coro_net_fixture.h"

/* ---- helpers ----------------------------------------------------------- */

/* gzip of s (the gzip file format, as a server's Content-Encoding: gzip). */
static size_t gzip_of(const char *s, size_t n, unsigned char *out, size_t cap) {
    z_stream z = {0};
    cr_assert_eq(deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
    z.next_in = (unsigned char *)(uintptr_t)s;
    z.avail_in = (uInt)n;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    cr_assert_eq(deflate(&z, Z_FINISH), Z_STREAM_END);
    size_t len = z.total_out;
    deflateEnd(&z);
    return len;
}

/* Reads one request (head, then a Content-Length body) from c into buf;
 * its length, 0 on EOF, negative on error. */
static ssize_t read_request(eddy_socket_t *c, char *buf, size_t cap) {
    size_t got = 0;
    char *end = NULL;
    while (!end) {
        if (got + 1 >= cap) return -1;
        ssize_t r = eddy_socket_recv(c, buf + got, cap - 1 - got, 5000);
        if (r <= 0) return r;
        got += (size_t)r;
        buf[got] = 0;
        end = strstr(buf, "\r\n\r\n");
    }
    const char *cl = strcasestr(buf, "\r\ncontent-length:");
    size_t want = (size_t)(end + 4 - buf) + (cl && cl < end ? (size_t)atol(cl + 17) : 0);
    while (got < want && got + 1 < cap) {
        ssize_t r = eddy_socket_recv(c, buf + got, want - got, 5000);
        if (r <= 0) return -1;
        got += (size_t)r;
    }
    buf[got] = 0;
    return (ssize_t)got;
}

/* ---- scripted servers ----------------------------------------------------- */

enum { SPLIT, SILENT, CUT, STALE, CLOSE_DELIMITED, BROTLI, RAW_DEFLATE, OK };

typedef struct {
    eddy_socket_t *ls;
    int port;
    int mode;
    int conns;
    int requests;
    char last[8192];
} script_t;

typedef struct {
    script_t *s;
    eddy_socket_t *c;
} conn_t;

static void send_bytewise(eddy_socket_t *c, const char *p, size_t n) {
    for (size_t i = 0; i < n; i++) {
        if (eddy_socket_send_all(c, p + i, 1, 2000) != 1) return;
        if (i % 7 == 0) eddy_coro_sleep(0); /* let the client read partial input */
    }
}

static void split_reply(eddy_socket_t *c) {
    static const char text[] = "the quick brown fox jumps over the lazy dog, twice over: "
                               "the quick brown fox jumps over the lazy dog";
    unsigned char gz[512];
    size_t gzlen = gzip_of(text, sizeof(text) - 1, gz, sizeof(gz));
    eddy_buf_t b;
    eddy_buf_init(&b);
    eddy_buf_appendf(&b, "HTTP/1.1 100 Continue\r\n\r\n");
    eddy_buf_appendf(&b, "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n"
                         "Transfer-Encoding: chunked\r\nX-Test: split\r\n\r\n");
    size_t half = gzlen / 2;
    eddy_buf_appendf(&b, "%zx;ext=1\r\n", half);
    eddy_buf_append(&b, gz, half);
    eddy_buf_appendf(&b, "\r\n%zx\r\n", gzlen - half);
    eddy_buf_append(&b, gz + half, gzlen - half);
    eddy_buf_appendf(&b, "\r\n0\r\nX-Trailer: t\r\n\r\n");
    send_bytewise(c, b.data, b.len);
    eddy_buf_free(&b);
}

#define ENCODED_TEXT "encoded body, encoded body, encoded body, encoded body"

/* brotli, or raw deflate (no zlib wrapper) sent as "deflate" as Swoole's
 * server does, with Content-Length. */
static void encoded_reply(eddy_socket_t *c, int mode) {
    unsigned char enc[512];
    size_t n = sizeof(enc);
    if (mode == BROTLI) {
        if (!BrotliEncoderCompress(5, 22, BROTLI_MODE_TEXT, sizeof(ENCODED_TEXT) - 1,
                                   (const uint8_t *)ENCODED_TEXT, &n, enc))
            n = 0;
    } else {
        z_stream z = {0};
        deflateInit2(&z, 6, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
        z.next_in = (unsigned char *)ENCODED_TEXT;
        z.avail_in = sizeof(ENCODED_TEXT) - 1;
        z.next_out = enc;
        z.avail_out = sizeof(enc);
        deflate(&z, Z_FINISH);
        n = z.total_out;
        deflateEnd(&z);
    }
    char head[160];
    int h = snprintf(head, sizeof(head), "HTTP/1.1 200 OK\r\nContent-Encoding: %s\r\nContent-Length: %zu\r\n\r\n",
                     mode == BROTLI ? "br" : "deflate", n);
    eddy_socket_send_all(c, head, (size_t)h, 2000);
    send_bytewise(c, (const char *)enc, n);
}

static void script_conn_co(void *arg) {
    conn_t *k = arg;
    script_t *s = k->s;
    char buf[8192];
    for (;;) {
        ssize_t n = read_request(k->c, buf, sizeof(buf));
        if (n <= 0) break;
        s->requests++;
        memcpy(s->last, buf, (size_t)n + 1);
        if (s->mode == SPLIT) {
            split_reply(k->c);
        } else if (s->mode == SILENT) {
            while (eddy_socket_recv(k->c, buf, sizeof(buf), 5000) > 0) {}
            break;
        } else if (s->mode == CUT) {
            static const char r[] = "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly ten..";
            eddy_socket_send_all(k->c, r, sizeof(r) - 1, 2000);
            break;
        } else if (s->mode == OK) { /* the test reads the request from s->last */
            static const char r[] = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
            eddy_socket_send_all(k->c, r, sizeof(r) - 1, 2000);
        } else if (s->mode == BROTLI || s->mode == RAW_DEFLATE) {
            encoded_reply(k->c, s->mode);
        } else if (s->mode == STALE) {
            static const char r[] = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
            eddy_socket_send_all(k->c, r, sizeof(r) - 1, 2000);
            eddy_coro_sleep(30); /* then close the idle keep-alive connection */
            break;
        } else {
            static const char r[] = "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil close";
            eddy_socket_send_all(k->c, r, sizeof(r) - 1, 2000);
            break;
        }
    }
    eddy_socket_close(k->c);
    free(k);
}

static void script_server_co(void *arg) {
    script_t *s = arg;
    for (;;) {
        int err = 0;
        eddy_socket_t *c = eddy_socket_accept(s->ls, 10000, &err);
        if (!c) break; /* the test closed the listener */
        s->conns++;
        conn_t *k = malloc(sizeof(*k));
        k->s = s;
        k->c = c;
        go(script_conn_co, k);
    }
}

static void script_start(script_t *s, int mode) {
    memset(s, 0, sizeof(*s));
    s->mode = mode;
    s->ls = listener(&s->port);
    go(script_server_co, s);
}

/* ---- scripted tests ------------------------------------------------------- */

typedef struct {
    script_t srv;
    int rc[4];
    int status[4];
    int err[4];
    char body[4][256];
    char header[128];
    unsigned conns;
    uint64_t ms;
} result_t;

static void keep(result_t *r, int i, eddy_http_client_t *c, int rc) {
    size_t n;
    const char *b = eddy_http_client_body(c, &n);
    r->rc[i] = rc;
    r->status[i] = eddy_http_client_status(c);
    r->err[i] = eddy_http_client_errcode(c);
    snprintf(r->body[i], sizeof(r->body[i]), "%.*s", (int)n, b);
}

static void split_client_co(void *arg) {
    result_t *r = arg;
    eddy_http_client_t *c = eddy_http_client_new("127.0.0.1", r->srv.port, NULL);
    eddy_http_client_request_t q = {.path = "/a"};
    for (int i = 0; i < 2; i++) keep(r, i, c, eddy_http_client_execute(c, &q));
    size_t n;
    const eddy_http_header_t *h = eddy_http_client_headers(c, &n);
    for (size_t i = 0; i < n; i++)
        if (eddy_http_name_eq(h[i].name, h[i].name_len, "x-test", 6))
            snprintf(r->header, sizeof(r->header), "%.*s", (int)h[i].value_len, h[i].value);
    r->conns = eddy_http_client_connections(c);
    r->err[2] = eddy_http_client_connected(c);
    eddy_http_client_close(c);
    r->err[3] = eddy_http_client_connected(c);
    eddy_http_client_free(c);
    eddy_socket_close(r->srv.ls);
}

EDDY_TEST(http_client, bytewise_chunked_gzip_response_after_100_continue_decodes_and_reuses,
          .timeout = 30) {
    result_t r;
    script_start(&r.srv, SPLIT);
    go(split_client_co, &r);
    run_loop();
    for (int i = 0; i < 2; i++) {
        cr_assert_eq(r.rc[i], 0, "request %d: %s", i, eddy_strerror(r.rc[i]));
        cr_assert_eq(r.status[i], 200);
        cr_assert_str_eq(r.body[i], "the quick brown fox jumps over the lazy dog, twice over: "
                                    "the quick brown fox jumps over the lazy dog");
    }
    cr_assert_str_eq(r.header, "split");
    cr_assert_eq(r.conns, 1, "both requests on one connection");
    cr_assert_eq(r.err[2], 1, "kept alive after the response");
    cr_assert_eq(r.err[3], 0, "closed by close()");
    cr_assert_eq(r.srv.conns, 1);
    cr_assert_not_null(strstr(r.srv.last, "Accept-Encoding: gzip, deflate, br\r\n"), "%s", r.srv.last);
    cr_assert_not_null(strstr(r.srv.last, "GET /a HTTP/1.1\r\nHost: 127.0.0.1:"), "%s", r.srv.last);
}

static void one_client_co(void *arg) {
    result_t *r = arg;
    eddy_http_client_opts_t o;
    eddy_http_client_opts_init(&o);
    o.read_timeout_ms = 300;
    eddy_http_client_t *c = eddy_http_client_new("127.0.0.1", r->srv.port, &o);
    eddy_http_client_request_t q = {.path = "/"};
    uint64_t t0 = eddy_now_ms();
    keep(r, 0, c, eddy_http_client_execute(c, &q));
    r->ms = eddy_now_ms() - t0;
    if (r->srv.mode == STALE) {
        eddy_coro_sleep(100); /* the server has closed the idle connection */
        keep(r, 1, c, eddy_http_client_execute(c, &q));
    }
    r->conns = eddy_http_client_connections(c);
    eddy_http_client_free(c);
    eddy_socket_close(r->srv.ls);
}

static void run_one(result_t *r, int mode) {
    memset(r, 0, sizeof(*r));
    script_start(&r->srv, mode);
    go(one_client_co, r);
    run_loop();
}

EDDY_TEST(http_client, silent_server_gives_minus_2_within_the_timeout, .timeout = 30) {
    result_t r;
    run_one(&r, SILENT);
    cr_assert_eq(r.rc[0], EDDY_ETIMEDOUT);
    cr_assert_eq(r.status[0], EDDY_HTTP_CLIENT_REQUEST_TIMEOUT);
    cr_assert_eq(r.err[0], ETIMEDOUT);
    cr_assert(r.ms >= 290 && r.ms < 1500, "timed out after %llu ms", (unsigned long long)r.ms);
}

EDDY_TEST(http_client, close_in_mid_body_gives_minus_3, .timeout = 30) {
    result_t r;
    run_one(&r, CUT);
    cr_assert_lt(r.rc[0], 0);
    cr_assert_eq(r.status[0], EDDY_HTTP_CLIENT_SERVER_RESET);
    cr_assert_eq(r.err[0], ECONNRESET);
}

EDDY_TEST(http_client, body_until_close_of_an_http10_response, .timeout = 30) {
    result_t r;
    run_one(&r, CLOSE_DELIMITED);
    cr_assert_eq(r.rc[0], 0, "%s", eddy_strerror(r.rc[0]));
    cr_assert_eq(r.status[0], 200);
    cr_assert_str_eq(r.body[0], "until close");
}

EDDY_TEST(http_client, idle_connection_closed_by_server_is_replaced_once, .timeout = 30) {
    result_t r;
    run_one(&r, STALE);
    cr_assert_eq(r.rc[0], 0);
    cr_assert_eq(r.rc[1], 0, "second request on a stale connection: %s", eddy_strerror(r.rc[1]));
    cr_assert_str_eq(r.body[1], "ok");
    cr_assert_eq(r.conns, 2);
    cr_assert_eq(r.srv.requests, 2, "the request was not sent twice to a live server");
}

EDDY_TEST(http_client, brotli_and_raw_deflate_bodies_decode, .timeout = 30) {
    result_t r;
    run_one(&r, BROTLI);
    cr_assert_eq(r.rc[0], 0, "%s", eddy_strerror(r.rc[0]));
    cr_assert_str_eq(r.body[0], ENCODED_TEXT);
    run_one(&r, RAW_DEFLATE);
    cr_assert_eq(r.rc[0], 0, "%s", eddy_strerror(r.rc[0]));
    cr_assert_str_eq(r.body[0], ENCODED_TEXT);
}

typedef struct {
    result_t *r;
    eddy_http_client_t *c;
} closer_t;

static void closer_co(void *arg) {
    closer_t *k = arg;
    eddy_coro_sleep(100);
    eddy_http_client_close(k->c);
}

static void closed_while_waiting_co(void *arg) {
    result_t *r = arg;
    eddy_http_client_t *c = eddy_http_client_new("127.0.0.1", r->srv.port, NULL);
    closer_t k = {r, c};
    go(closer_co, &k);
    eddy_http_client_request_t q = {.path = "/"};
    uint64_t t0 = eddy_now_ms();
    keep(r, 0, c, eddy_http_client_execute(c, &q));
    r->ms = eddy_now_ms() - t0;
    r->conns = eddy_http_client_connections(c);
    eddy_http_client_free(c);
    eddy_socket_close(r->srv.ls);
}

EDDY_TEST(http_client, close_from_another_coroutine_ends_a_waiting_request_without_retry,
          .timeout = 30) {
    result_t r;
    memset(&r, 0, sizeof(r));
    script_start(&r.srv, SILENT);
    go(closed_while_waiting_co, &r);
    run_loop();
    cr_assert_lt(r.rc[0], 0);
    cr_assert_eq(r.err[0], EBADF, "errno %d", r.err[0]);
    cr_assert(r.ms < 1000, "took %llu ms", (unsigned long long)r.ms);
    cr_assert_eq(r.conns, 1, "no new connection after close()");
}

static void refused_co(void *arg) {
    result_t *r = arg;
    int port = 0;
    eddy_socket_t *ls = listener(&port);
    eddy_socket_close(ls); /* nothing listens there now */
    eddy_http_client_t *c = eddy_http_client_new("127.0.0.1", port, NULL);
    eddy_http_client_request_t q = {.path = "/"};
    keep(r, 0, c, eddy_http_client_execute(c, &q));
    snprintf(r->header, sizeof(r->header), "%s", eddy_http_client_errmsg(c));
    eddy_http_client_free(c);
}

EDDY_TEST(http_client, connection_refused_gives_minus_1, .timeout = 30) {
    result_t r;
    memset(&r, 0, sizeof(r));
    go(refused_co, &r);
    run_loop();
    cr_assert_eq(r.rc[0], -ECONNREFUSED);
    cr_assert_eq(r.status[0], EDDY_HTTP_CLIENT_CONNECT_FAILED);
    cr_assert_eq(r.err[0], ECONNREFUSED);
    cr_assert_str_eq(r.header, eddy_strerror(-ECONNREFUSED));
}

static void bad_request_co(void *arg) {
    result_t *r = arg;
    eddy_http_client_t *c = eddy_http_client_new("127.0.0.1", 1, NULL);
    eddy_http_header_t h = {"X-A", 3, "a\r\nInjected: 1", 15};
    eddy_http_client_request_t q = {.path = "/", .headers = &h, .num_headers = 1};
    r->rc[0] = eddy_http_client_execute(c, &q);
    eddy_http_client_request_t q2 = {.path = "/ HTTP/1.1\r\n"};
    r->rc[1] = eddy_http_client_execute(c, &q2);
    r->conns = eddy_http_client_connections(c);
    eddy_http_client_free(c);
}

EDDY_TEST(http_client, header_or_path_with_crlf_is_refused_before_connecting) {
    result_t r;
    memset(&r, 0, sizeof(r));
    go(bad_request_co, &r);
    run_loop();
    cr_assert_eq(r.rc[0], EDDY_EINVAL);
    cr_assert_eq(r.rc[1], EDDY_EINVAL);
    cr_assert_eq(r.conns, 0);
}

/* ---- the engine's HTTP server in a child ------------------------------------ */

static int path_is(const eddy_http_request_t *req, const char *p) {
    return req->path_len == strlen(p) && memcmp(req->path, p, req->path_len) == 0;
}

static void on_request(eddy_http_request_t *req, eddy_http_response_t *resp, void *data) {
    (void)data;
    char out[256];
    if (path_is(req, "/remote")) {
        char ip[64];
        int port = 0;
        eddy_http_request_remote(req, ip, sizeof(ip), &port);
        int n = snprintf(out, sizeof(out), "%d", port);
        eddy_http_response_end(resp, out, (size_t)n);
    } else if (path_is(req, "/stream")) {
        eddy_http_response_write(resp, "part1-", 6);
        eddy_http_response_write(resp, "part2-", 6);
        eddy_http_response_end(resp, "end", 3);
    } else if (path_is(req, "/big")) {
        static char big[200000];
        for (size_t i = 0; i < sizeof(big); i++) big[i] = (char)('a' + i % 26);
        eddy_http_response_header(resp, "Content-Type", "application/octet-stream");
        eddy_http_response_end(resp, big, sizeof(big));
    } else {
        eddy_http_response_end(resp, "hello", 5);
    }
}

static int child_main(const void *arg) {
    (void)arg;
    eddy_server_t *srv = harness_server_new(EDDY_SERVER_BASE, 1, NULL);
    if (!srv) return 1;
    eddy_server_events_t ev = {.on_start = harness_on_start};
    eddy_http_server_opts_t o = {.on_request = on_request, .events = &ev};
    return harness_serve_http(srv, &o);
}

/* The engine's WebSocket server: echoes messages (compressed when they
 * came compressed); "bye" is answered by a close with 4001 "bye". */
static void ws_echo(eddy_ws_server_t *ws, int fd, int opcode, const char *data, size_t len,
                    int flags) {
    if (opcode != EDDY_WS_OP_TEXT && opcode != EDDY_WS_OP_BINARY) return;
    if (len == 3 && memcmp(data, "bye", 3) == 0) {
        eddy_ws_disconnect(ws, fd, 4001, "bye", 3);
        return;
    }
    eddy_ws_push(ws, fd, opcode, data, len, EDDY_WS_FLAG_FIN | (flags & EDDY_WS_FLAG_COMPRESS));
}

static int ws_child_main(const void *arg) {
    (void)arg;
    eddy_server_t *srv = harness_server_new(EDDY_SERVER_BASE, 1, NULL);
    if (!srv) return 1;
    eddy_server_events_t ev = {.on_start = harness_on_start};
    eddy_ws_server_opts_t o = {.on_message = ws_echo, .events = &ev, .compression = 1};
    return harness_serve_ws(srv, &o);
}

typedef struct {
    pid_t pid;
    int port;
} proc_t;

static void start_child(proc_t *p, int (*main_fn)(const void *)) {
    p->pid = harness_start(main_fn, NULL, &p->port);
}

static void start_server(proc_t *p) { start_child(p, child_main); }

static void stop_server(proc_t *p) { harness_stop(p->pid); }

typedef struct {
    int port;
    result_t r;
    char headers[512];
    char path[64];
} engine_t;

static void keepalive_co(void *arg) {
    engine_t *e = arg;
    eddy_http_client_t *c = eddy_http_client_new("127.0.0.1", e->port, NULL);
    eddy_http_client_request_t q = {.path = "/remote"};
    for (int i = 0; i < 3; i++) keep(&e->r, i, c, eddy_http_client_execute(c, &q));
    eddy_http_client_request_t s = {.path = "/stream"};
    keep(&e->r, 3, c, eddy_http_client_execute(c, &s));
    e->r.conns = eddy_http_client_connections(c);
    eddy_http_client_free(c);
}

EDDY_TEST(http_client, keep_alive_reuses_one_connection_of_the_engine_server, .timeout = 60) {
    proc_t p;
    start_server(&p);
    engine_t e = {.port = p.port};
    go(keepalive_co, &e);
    run_loop();
    stop_server(&p);
    for (int i = 0; i < 4; i++) cr_assert_eq(e.r.rc[i], 0, "request %d: %s", i, eddy_strerror(e.r.rc[i]));
    cr_assert_eq(e.r.conns, 1);
    cr_assert_str_eq(e.r.body[0], e.r.body[1], "same client port: one connection");
    cr_assert_str_eq(e.r.body[1], e.r.body[2]);
    cr_assert_str_eq(e.r.body[3], "part1-part2-end", "chunked response");
}

typedef struct {
    script_t srv;
    char path[64];
    int rc[2];
    char req[2][8192];
} upload_t;

static void upload_co(void *arg) {
    upload_t *u = arg;
    eddy_http_client_t *c = eddy_http_client_new("127.0.0.1", u->srv.port, NULL);
    eddy_http_header_t f = {"field", 5, "value", 5};
    eddy_http_client_file_t files[2] = {
        {.name = "up", .path = u->path, .mime = "text/plain", .offset = 2, .length = 5},
        {.name = "mem", .data = "in-memory", .data_len = 9, .filename = "m.txt"},
    };
    eddy_http_client_request_t q = {.path = "/echo", .form = &f, .num_form = 1, .files = files,
                                    .num_files = 2};
    u->rc[0] = eddy_http_client_execute(c, &q);
    memcpy(u->req[0], u->srv.last, sizeof(u->req[0]));
    eddy_http_client_request_t p = {.method = "PUT", .path = "/echo", .body = "raw", .body_len = 3};
    u->rc[1] = eddy_http_client_execute(c, &p);
    memcpy(u->req[1], u->srv.last, sizeof(u->req[1]));
    eddy_http_client_free(c);
    eddy_socket_close(u->srv.ls);
}

EDDY_TEST(http_client, multipart_upload_with_file_slice_and_raw_put_go_out_as_built, .timeout = 60) {
    upload_t u;
    memset(&u, 0, sizeof(u));
    snprintf(u.path, sizeof(u.path), "/tmp/eddy-hc-up-%d.txt", getpid());
    FILE *f = fopen(u.path, "w");
    fputs("0123456789", f);
    fclose(f);
    script_start(&u.srv, OK);
    go(upload_co, &u);
    run_loop();
    unlink(u.path);
    cr_assert_eq(u.rc[0], 0, "%s", eddy_strerror(u.rc[0]));
    cr_assert_eq(u.rc[1], 0, "%s", eddy_strerror(u.rc[1]));
    const char *ct = strstr(u.req[0], "\r\nContent-Type: multipart/form-data; boundary=");
    cr_assert_not_null(ct, "%s", u.req[0]);
    cr_assert(strncmp(u.req[0], "POST /echo HTTP/1.1\r\n", 21) == 0, "%s", u.req[0]);
    char boundary[64];
    cr_assert_eq(sscanf(ct + 46, "%63[^\r]", boundary), 1);
    char want[1024];
    int n = snprintf(want, sizeof(want),
             "--%s\r\nContent-Disposition: form-data; name=\"field\"\r\n\r\nvalue\r\n"
             "--%s\r\nContent-Disposition: form-data; name=\"up\"; filename=\"eddy-hc-up-%d.txt\"\r\n"
             "Content-Type: text/plain\r\n\r\n23456\r\n"
             "--%s\r\nContent-Disposition: form-data; name=\"mem\"; filename=\"m.txt\"\r\n"
             "Content-Type: application/octet-stream\r\n\r\nin-memory\r\n--%s--\r\n",
             boundary, boundary, (int)getpid(), boundary, boundary);
    char cl[64];
    snprintf(cl, sizeof(cl), "\r\nContent-Length: %d\r\n", n);
    cr_assert_not_null(strstr(u.req[0], cl), "Content-Length matches the body: %s", u.req[0]);
    cr_assert_str_eq(strstr(u.req[0], "\r\n\r\n") + 4, want);
    cr_assert(strncmp(u.req[1], "PUT /echo HTTP/1.1\r\n", 20) == 0, "%s", u.req[1]);
    cr_assert_not_null(strstr(u.req[1], "\r\nContent-Length: 3\r\n\r\nraw"), "%s", u.req[1]);
}

static void download_co(void *arg) {
    engine_t *e = arg;
    eddy_http_client_t *c = eddy_http_client_new("127.0.0.1", e->port, NULL);
    eddy_http_client_request_t q = {.path = "/big", .download = e->path};
    keep(&e->r, 0, c, eddy_http_client_execute(c, &q));
    eddy_http_client_request_t q2 = {.path = "/hello", .download = e->path, .download_offset = 3};
    keep(&e->r, 1, c, eddy_http_client_execute(c, &q2));
    eddy_http_client_free(c);
}

EDDY_TEST(http_client, download_writes_the_body_to_a_file_at_an_offset, .timeout = 60) {
    proc_t p;
    start_server(&p);
    engine_t e = {.port = p.port};
    snprintf(e.path, sizeof(e.path), "/tmp/eddy-hc-down-%d.bin", getpid());
    go(download_co, &e);
    run_loop();
    stop_server(&p);
    cr_assert_eq(e.r.rc[0], 0, "%s", eddy_strerror(e.r.rc[0]));
    cr_assert_eq(e.r.rc[1], 0);
    cr_assert_str_eq(e.r.body[0], "", "a download keeps no body in memory");
    struct stat st;
    cr_assert_eq(stat(e.path, &st), 0);
    cr_assert_eq(st.st_size, 200000);
    FILE *f = fopen(e.path, "r");
    char head[16] = "";
    cr_assert_eq(fread(head, 1, 10, f), 10);
    fclose(f);
    unlink(e.path);
    cr_assert_str_eq(head, "abchelloij", "second download written from offset 3");
}

/* ---- WebSocket -------------------------------------------------------------- */

typedef struct {
    eddy_socket_t *ls;
    int port;
    int pong_seen;
    int close_seen;
    int rc[6];
    char got[4][64];
    int opcode[4];
    int close_code;
    int compressed_in; /* the server saw RSV1 on the client's compressed push */
    int deflate;
} ws_t;

static ssize_t ws_send(eddy_socket_t *c, int opcode, const char *p, size_t n) {
    eddy_buf_t b;
    eddy_buf_init(&b);
    eddy_ws_frame_write(&b, EDDY_WS_FIN, (uint8_t)opcode, p, n, NULL);
    ssize_t r = eddy_socket_send_all(c, b.data, b.len, 2000);
    eddy_buf_free(&b);
    return r;
}

static int ws_handshake(ws_t *w, eddy_socket_t *c, eddy_ws_deflate_t *d) {
    char req[4096];
    if (read_request(c, req, sizeof(req)) <= 0) return -1;
    eddy_http_request_t r;
    eddy_http_header_t h[32];
    if (eddy_http_parse_request(req, strlen(req), NULL, &r, h, 32) <= 0) return -1;
    eddy_ws_upgrade_t u = {0};
    const eddy_http_header_t *x;
    if ((x = eddy_http_find_header(&r, "upgrade", 7))) u.upgrade = x->value, u.upgrade_len = x->value_len;
    if ((x = eddy_http_find_header(&r, "connection", 10))) u.connection = x->value, u.connection_len = x->value_len;
    if ((x = eddy_http_find_header(&r, "sec-websocket-version", 21))) u.version = x->value, u.version_len = x->value_len;
    if ((x = eddy_http_find_header(&r, "sec-websocket-key", 17))) u.key = x->value, u.key_len = x->value_len;
    char accept[EDDY_WS_ACCEPT_LEN + 1];
    if (eddy_ws_handshake_check(&u, accept) < 0) return -1;
    eddy_buf_t resp, ext;
    eddy_buf_init(&resp);
    eddy_buf_init(&ext);
    x = eddy_http_find_header(&r, "sec-websocket-extensions", 24);
    eddy_ws_deflate_params_t p;
    if (x && eddy_ws_deflate_negotiate(x->value, x->value_len, NULL, &p, &ext)) {
        eddy_ws_deflate_init(d, &p, EDDY_WS_SERVER, -1);
        w->deflate = 1;
    }
    eddy_ws_handshake_response(&resp, accept, w->deflate ? ext.data : NULL, NULL);
    ssize_t s = eddy_socket_send_all(c, resp.data, resp.len, 2000);
    eddy_buf_free(&resp);
    eddy_buf_free(&ext);
    return s > 0 ? 0 : -1;
}

/* Echoes data messages; "ping-me" is answered by a PING, and the echo of
 * it waits for the client's PONG. */
static void ws_server_co(void *arg) {
    ws_t *w = arg;
    int err = 0;
    eddy_socket_t *c = eddy_socket_accept(w->ls, 5000, &err);
    eddy_socket_close(w->ls);
    if (!c) return;
    eddy_ws_deflate_t d = {0};
    eddy_buf_t in, msg;
    eddy_buf_init(&in);
    eddy_buf_init(&msg);
    if (ws_handshake(w, c, &d) == 0) {
        eddy_ws_limits_t lim = {.role = EDDY_WS_SERVER, .rsv_allowed = w->deflate ? EDDY_WS_RSV1 : 0};
        eddy_ws_asm_t a;
        eddy_ws_asm_init(&a, &lim, &msg, w->deflate ? &d : NULL);
        for (int done = 0; !done;) {
            size_t room;
            eddy_buf_reserve(&in, 4096);
            char *t = eddy_buf_tail(&in, &room);
            ssize_t n = eddy_socket_recv(c, t, room, 5000);
            if (n <= 0) break;
            eddy_buf_commit(&in, (size_t)n);
            eddy_ws_msg_t m;
            ssize_t k;
            while (!done && in.len && (k = eddy_ws_asm_feed(&a, in.data, in.len, &m)) > 0) {
                if (m.opcode == EDDY_WS_OP_PONG) w->pong_seen = 1;
                if (m.opcode == EDDY_WS_OP_CLOSE) {
                    w->close_seen = m.close_code;
                    eddy_buf_t b;
                    eddy_buf_init(&b);
                    eddy_ws_close_write(&b, m.close_code, NULL, 0, NULL);
                    eddy_socket_send_all(c, b.data, b.len, 1000);
                    eddy_buf_free(&b);
                    done = 1;
                } else if (m.opcode == EDDY_WS_OP_TEXT || m.opcode == EDDY_WS_OP_BINARY) {
                    if (m.compressed) w->compressed_in = 1;
                    if (m.len == 7 && memcmp(m.data, "ping-me", 7) == 0) ws_send(c, EDDY_WS_OP_PING, "p", 1);
                    else if (m.len == 5 && memcmp(m.data, "close", 5) == 0) {
                        eddy_buf_t b;
                        eddy_buf_init(&b);
                        eddy_ws_close_write(&b, 4000, "bye", 3, NULL);
                        eddy_socket_send_all(c, b.data, b.len, 1000);
                        eddy_buf_free(&b);
                    } else ws_send(c, m.opcode, m.data, m.len);
                } 
                if (m.opcode == EDDY_WS_OP_PONG) ws_send(c, EDDY_WS_OP_TEXT, "pong-ok", 7);
                eddy_buf_consume(&in, (size_t)k);
            }
        }
    }
    if (w->deflate) eddy_ws_deflate_close(&d);
    eddy_buf_free(&in);
    eddy_buf_free(&msg);
    eddy_socket_close(c);
}

static void ws_take(ws_t *w, int i, eddy_http_client_t *c) {
    eddy_http_client_frame_t f;
    w->rc[2 + i] = eddy_http_client_recv(c, &f, 2000);
    if (w->rc[2 + i] == 0) {
        w->opcode[i] = f.opcode;
        snprintf(w->got[i], sizeof(w->got[i]), "%.*s", (int)f.len, f.data);
        if (f.opcode == EDDY_WS_OP_CLOSE) w->close_code = f.close_code;
    }
}

static void ws_client_co(void *arg) {
    ws_t *w = arg;
    eddy_http_client_opts_t o;
    eddy_http_client_opts_init(&o);
    o.websocket_compression = 1;
    eddy_http_client_t *c = eddy_http_client_new("127.0.0.1", w->port, &o);
    w->rc[0] = eddy_http_client_upgrade(c, "/ws", NULL, 0);
    if (w->rc[0] == 0) {
        eddy_http_client_push(c, "hello", 5, EDDY_WS_OP_TEXT, EDDY_HTTP_CLIENT_WS_FIN);
        ws_take(w, 0, c);
        eddy_http_client_push(c, "zipped zipped zipped", 20, EDDY_WS_OP_BINARY,
                              EDDY_HTTP_CLIENT_WS_FIN | EDDY_HTTP_CLIENT_WS_COMPRESS);
        ws_take(w, 1, c);
        eddy_http_client_push(c, "ping-me", 7, EDDY_WS_OP_TEXT, EDDY_HTTP_CLIENT_WS_FIN);
        ws_take(w, 2, c); /* the PING is answered inside recv; then "pong-ok" */
        eddy_http_client_push(c, "close", 5, EDDY_WS_OP_TEXT, EDDY_HTTP_CLIENT_WS_FIN);
        ws_take(w, 3, c);
        w->rc[1] = eddy_http_client_is_websocket(c);
    }
    eddy_http_client_free(c);
}

EDDY_TEST(http_client, websocket_upgrade_push_recv_compression_ping_and_close, .timeout = 30) {
    ws_t w;
    memset(&w, 0, sizeof(w));
    w.ls = listener(&w.port);
    go(ws_server_co, &w);
    go(ws_client_co, &w);
    run_loop();
    cr_assert_eq(w.rc[0], 0, "upgrade: %s", eddy_strerror(w.rc[0]));
    cr_assert_eq(w.deflate, 1, "permessage-deflate negotiated");
    for (int i = 0; i < 4; i++) cr_assert_eq(w.rc[2 + i], 0, "recv %d: %s", i, eddy_strerror(w.rc[2 + i]));
    cr_assert_str_eq(w.got[0], "hello");
    cr_assert_eq(w.opcode[0], EDDY_WS_OP_TEXT);
    cr_assert_str_eq(w.got[1], "zipped zipped zipped");
    cr_assert_eq(w.opcode[1], EDDY_WS_OP_BINARY);
    cr_assert_eq(w.compressed_in, 1, "the client compressed its message");
    cr_assert_str_eq(w.got[2], "pong-ok");
    cr_assert_eq(w.pong_seen, 1);
    cr_assert_eq(w.opcode[3], EDDY_WS_OP_CLOSE);
    cr_assert_eq(w.close_code, 4000);
    cr_assert_str_eq(w.got[3], "bye");
    cr_assert_eq(w.close_seen, 4000, "the client answered the close with its code");
    cr_assert_eq(w.rc[1], 0, "the connection ended after the close");
}

typedef struct {
    int port;
    int rc[5];
    char got[2][64];
    size_t big_len;
    int big_ok, big_compressed;
    int close_code;
    char reason[16];
    int still_ws;
} engine_ws_t;

static void engine_ws_co(void *arg) {
    engine_ws_t *w = arg;
    eddy_http_client_opts_t o;
    eddy_http_client_opts_init(&o);
    o.websocket_compression = 1;
    eddy_http_client_t *c = eddy_http_client_new("127.0.0.1", w->port, &o);
    eddy_http_client_frame_t f;
    w->rc[0] = eddy_http_client_upgrade(c, "/chat", NULL, 0);
    if (w->rc[0] == 0) {
        eddy_http_client_push(c, "hello engine", 12, EDDY_WS_OP_TEXT, EDDY_HTTP_CLIENT_WS_FIN);
        w->rc[1] = eddy_http_client_recv(c, &f, 3000);
        if (w->rc[1] == 0) snprintf(w->got[0], sizeof(w->got[0]), "%.*s", (int)f.len, f.data);
        static char big[100000];
        for (size_t i = 0; i < sizeof(big); i++) big[i] = (char)('a' + i % 7);
        eddy_http_client_push(c, big, sizeof(big), EDDY_WS_OP_BINARY,
                              EDDY_HTTP_CLIENT_WS_FIN | EDDY_HTTP_CLIENT_WS_COMPRESS);
        w->rc[2] = eddy_http_client_recv(c, &f, 3000);
        if (w->rc[2] == 0) {
            w->big_len = f.len;
            w->big_ok = f.len == sizeof(big) && memcmp(f.data, big, f.len) == 0;
            w->big_compressed = f.compressed;
        }
        eddy_http_client_push(c, "bye", 3, EDDY_WS_OP_TEXT, EDDY_HTTP_CLIENT_WS_FIN);
        w->rc[3] = eddy_http_client_recv(c, &f, 3000);
        if (w->rc[3] == 0 && f.opcode == EDDY_WS_OP_CLOSE) {
            w->close_code = f.close_code;
            snprintf(w->reason, sizeof(w->reason), "%.*s", (int)f.len, f.data);
        }
        w->still_ws = eddy_http_client_is_websocket(c);
    }
    eddy_http_client_free(c);
}

EDDY_TEST(http_client, websocket_against_the_engine_websocket_server_with_deflate, .timeout = 60) {
    proc_t p;
    start_child(&p, ws_child_main);
    engine_ws_t w = {.port = p.port};
    go(engine_ws_co, &w);
    run_loop();
    stop_server(&p);
    cr_assert_eq(w.rc[0], 0, "upgrade: %s", eddy_strerror(w.rc[0]));
    cr_assert_eq(w.rc[1], 0, "%s", eddy_strerror(w.rc[1]));
    cr_assert_str_eq(w.got[0], "hello engine");
    cr_assert_eq(w.rc[2], 0, "%s", eddy_strerror(w.rc[2]));
    cr_assert(w.big_ok, "100000-byte compressed message echoed intact (%zu bytes)", w.big_len);
    cr_assert_eq(w.big_compressed, 1, "the server's echo came deflated");
    cr_assert_eq(w.rc[3], 0, "%s", eddy_strerror(w.rc[3]));
    cr_assert_eq(w.close_code, 4001);
    cr_assert_str_eq(w.reason, "bye");
    cr_assert_eq(w.still_ws, 0);
}
