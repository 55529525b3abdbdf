/*
 * The HTTP server over the engine, as real processes on loopback, in BASE
 * and PROCESS modes. A forked child runs the server (routes below); tests
 * talk to it with blocking sockets (SO_RCVTIMEO bounds each read) and with
 * curl(1). Server-side observations a test needs (a write after the client
 * left) are appended to a per-test file.
 *
 * Routes: /hello, /echo (body back, X-Method), /query, /form, /cookie,
 * /stream (chunked), /redirect, /close, /async (ends from a timer),
 * /multi (two X-Multi lines), /remote, /gone (writes 300 ms later).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "eddy/http.h"
#include "eddy/server.h"
#include "eddy/timer.h"
#include "eddy_test.h"
#include "loopback_harness.h"

typedef struct {
    pid_t pid;
    int port;
} proc_t;

/* ---- server side ------------------------------------------------------- */

typedef struct {
    eddy_timer_t t;
    eddy_http_response_t *resp;
    int gone; /* /gone: write after the client left */
} later_t;

static void later_fire(eddy_timer_t *t) {
    later_t *l = t->data;
    if (l->gone) {
        int w = eddy_http_response_write(l->resp, "late", 4);
        int e = eddy_http_response_end(l->resp, NULL, 0);
        harness_note("gone write=%d end=%d writable_before=%d\n", w, e, 0);
    } else {
        eddy_http_response_end(l->resp, "async", 5);
    }
    free(l);
}

static void later(eddy_server_t *srv, eddy_http_response_t *resp, int ms, int gone) {
    later_t *l = calloc(1, sizeof(*l));
    l->resp = resp;
    l->gone = gone;
    eddy_timer_init(eddy_server_loop(srv), &l->t, later_fire);
    l->t.data = l;
    eddy_timer_start(&l->t, (uint64_t)ms, 0);
}

static int path_is(const eddy_http_request_t *req, const char *p) {
    return req->path_len == strlen(p) && memcmp(req->path, p, req->path_len) == 0;
}

static void route_params(eddy_http_request_t *req, eddy_http_response_t *resp) {
    char out[512];
    int n;
    if (path_is(req, "/query")) {
        const char *a = eddy_http_request_param(req, EDDY_HTTP_PARAM_GET, "a", NULL);
        const char *b = eddy_http_request_param(req, EDDY_HTTP_PARAM_GET, "b", NULL);
        n = snprintf(out, sizeof(out), "a=%s;b=%s", a ? a : "-", b ? b : "-");
    } else if (path_is(req, "/form")) {
        size_t np;
        eddy_http_request_params(req, EDDY_HTTP_PARAM_POST, &np);
        const char *nm = eddy_http_request_param(req, EDDY_HTTP_PARAM_POST, "name", NULL);
        const char *x = eddy_http_request_param(req, EDDY_HTTP_PARAM_POST, "x", NULL);
        const char *q = eddy_http_request_param(req, EDDY_HTTP_PARAM_GET, "q", NULL);
        n = snprintf(out, sizeof(out), "n=%zu;name=%s;x=%s;q=%s", np, nm ? nm : "-",
                     x ? x : "-", q ? q : "-");
    } else { /* /cookie */
        const char *sid = eddy_http_request_param(req, EDDY_HTTP_PARAM_COOKIE, "sid", NULL);
        const char *o = eddy_http_request_param(req, EDDY_HTTP_PARAM_COOKIE, "other", NULL);
        eddy_http_cookie_t c = {.name = "token", .value = "a b;c", .expires = 4102444800,
                                .path = "/", .domain = "example.com", .secure = 1,
                                .httponly = 1, .samesite = "Lax"};
        eddy_http_response_cookie(resp, &c);
        eddy_http_cookie_t d = {.name = "old"};
        eddy_http_response_cookie(resp, &d);
        n = snprintf(out, sizeof(out), "sid=%s;other=%s", sid ? sid : "-", o ? o : "-");
    }
    eddy_http_response_end(resp, out, (size_t)n);
}

static void on_request(eddy_http_request_t *req, eddy_http_response_t *resp, void *data) {
    eddy_server_t *srv = data;
    char out[256];
    size_t blen;
    const char *body = eddy_http_request_body(req, &blen);
    if (path_is(req, "/echo")) {
        snprintf(out, sizeof(out), "%.*s", (int)req->method_len, req->method);
        eddy_http_response_header(resp, "X-Method", out);
        eddy_http_response_end(resp, body, blen);
    } else if (path_is(req, "/query") || path_is(req, "/form") || path_is(req, "/cookie")) {
        route_params(req, resp);
    } else if (path_is(req, "/stream")) {
        eddy_http_response_write(resp, "part1-", 6);
        eddy_http_response_write(resp, "part2-", 6);
        eddy_http_response_end(resp, "end", 3);
    } else if (path_is(req, "/redirect")) {
        eddy_http_response_redirect(resp, "/hello", 301);
    } else if (path_is(req, "/close")) {
        eddy_http_response_header(resp, "Connection", "close");
        eddy_http_response_end(resp, "bye", 3);
    } else if (path_is(req, "/async")) {
        later(srv, resp, 50, 0);
    } else if (path_is(req, "/gone")) {
        later(srv, resp, 300, 1);
    } else if (path_is(req, "/multi")) {
        eddy_http_response_add_header(resp, "X-Multi", "a");
        eddy_http_response_add_header(resp, "X-Multi", "b");
        eddy_http_response_status(resp, 201, NULL);
        eddy_http_response_end(resp, "multi", 5);
    } else if (path_is(req, "/remote")) {
        char ip[64];
        int port = 0;
        eddy_http_request_remote(req, ip, sizeof(ip), &port);
        int n = snprintf(out, sizeof(out), "%s:%d", ip, port);
        eddy_http_response_end(resp, out, (size_t)n);
    } else {
        eddy_http_response_header(resp, "Content-Type", "text/plain");
        eddy_http_response_end(resp, "hello", 5);
    }
}

static int child_main(const void *arg) {
    int mode = *(const int *)arg;
    eddy_server_t *srv = harness_server_new(mode, mode == EDDY_SERVER_PROCESS ? 2 : 1, NULL);
    if (!srv) return 1;
    eddy_server_events_t ev = {.on_start = harness_on_start};
    eddy_http_server_opts_t o = {.on_request = on_request, .data = srv, .events = &ev};
    return harness_serve_http(srv, &o);
}

/* ---- test side --------------------------------------------------------- */

static void start(int mode, proc_t *p) {
    memset(p, 0, sizeof(*p));
    harness_events_open("hs");
    p->pid = harness_start(child_main, &mode, &p->port);
}

static int stop(proc_t *p) {
    int rc = harness_stop(p->pid);
    if (rc >= 0) unlink(harness_events); /* kept when it had to be killed, to look at */
    return rc;
}

/* ---- tests, each for both modes ---------------------------------------- */

static void t_keepalive(int mode) {
    proc_t p;
    char buf[4096];
    start(mode, &p);
    int fd = harness_dial(p.port);
    cr_assert_eq(harness_send_str(fd, "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n"), 0);
    cr_assert_gt(harness_read_response(fd, buf, sizeof(buf), 0), 0);
    cr_assert(strncmp(buf, "HTTP/1.1 200 OK\r\n", 17) == 0, "%s", buf);
    cr_assert_not_null(strstr(buf, "Content-Length: 5\r\n"));
    cr_assert_not_null(strstr(buf, "Server: swoole-http-server\r\n"));
    cr_assert_not_null(strstr(buf, "Date: "));
    cr_assert_str_eq(harness_body_of(buf), "hello");
    cr_assert_eq(harness_send_str(fd, "GET /multi HTTP/1.1\r\nHost: x\r\n\r\n"), 0); /* same conn */
    cr_assert_gt(harness_read_response(fd, buf, sizeof(buf), 0), 0);
    cr_assert(strncmp(buf, "HTTP/1.1 201 Created\r\n", 22) == 0, "%s", buf);
    cr_assert_not_null(strstr(buf, "X-Multi: a\r\nX-Multi: b\r\n"));
    cr_assert_not_null(strstr(buf, "Content-Type: text/html\r\n")); /* Swoole's default */
    /* HTTP/1.0 without keep-alive: answered, then closed */
    cr_assert_eq(harness_send_str(fd, "GET /hello HTTP/1.0\r\n\r\n"), 0);
    cr_assert_gt(harness_read_response(fd, buf, sizeof(buf), 0), 0);
    cr_assert_not_null(strstr(buf, "Connection: close\r\n"), "%s", buf);
    cr_assert(harness_peer_closed(fd));
    close(fd);
    /* HTTP/1.0 with keep-alive stays open */
    fd = harness_dial(p.port);
    for (int i = 0; i < 2; i++) {
        cr_assert_eq(harness_send_str(fd, "GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"),
                     0);
        cr_assert_gt(harness_read_response(fd, buf, sizeof(buf), 0), 0);
        cr_assert_not_null(strstr(buf, "Connection: keep-alive\r\n"), "%s", buf);
    }
    close(fd);
    cr_assert_eq(stop(&p), 0);
}

static void t_pipelined(int mode) {
    proc_t p;
    char buf[4096];
    start(mode, &p);
    int fd = harness_dial(p.port);
    /* async first: its response comes from a timer, the next must wait */
    cr_assert_eq(harness_send_str(fd, "GET /async HTTP/1.1\r\nHost: x\r\n\r\n"
                              "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"
                              "GET /query?a=1 HTTP/1.1\r\nHost: x\r\n\r\n"
                              "GET /close HTTP/1.1\r\nHost: x\r\n\r\n"
                              "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n"),
                 0);
    const char *want[] = {"async", "abc", "a=1;b=-", "bye"};
    for (int i = 0; i < 4; i++) {
        cr_assert_gt(harness_read_response(fd, buf, sizeof(buf), 0), 0, "response %d", i);
        cr_assert_str_eq(harness_body_of(buf), want[i], "response %d: %s", i, buf);
    }
    cr_assert(harness_peer_closed(fd), "Connection: close from the handler ends the connection");
    close(fd);
    cr_assert_eq(stop(&p), 0);
}

static void t_bodies(int mode) {
    proc_t p;
    char buf[8192];
    start(mode, &p);
    int fd = harness_dial(p.port);
    /* chunked request body, cut across sends, with an extension and a trailer */
    cr_assert_eq(
        harness_send_str(fd, "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                             "5;ext=1\r\nhel"),
        0);
    usleep(20000);
    cr_assert_eq(harness_send_str(fd, "lo\r\n6\r\n world\r\n0\r\nX-T: 1\r\n\r\n"), 0);
    cr_assert_gt(harness_read_response(fd, buf, sizeof(buf), 0), 0);
    cr_assert_str_eq(harness_body_of(buf), "hello world");
    /* a body that makes the buffer grow after the head was parsed */
    static char big[200000];
    memset(big, 'z', sizeof(big));
    snprintf(buf, sizeof(buf), "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: %zu\r\n\r\n",
             sizeof(big));
    cr_assert_eq(harness_send_str(fd, buf), 0);
    cr_assert_eq(harness_send_all(fd, big, sizeof(big)), 0);
    static char rbuf[300000];
    cr_assert_gt(harness_read_response(fd, rbuf, sizeof(rbuf), 0), 0);
    cr_assert_not_null(strstr(rbuf, "X-Method: POST\r\n"));
    cr_assert_eq(strlen(harness_body_of(rbuf)), sizeof(big));
    /* HEAD: the length of what GET would send, no body */
    cr_assert_eq(harness_send_str(fd, "HEAD /hello HTTP/1.1\r\nHost: x\r\n\r\n"
                              "GET /redirect HTTP/1.1\r\nHost: x\r\n\r\n"), 0);
    cr_assert_gt(harness_read_head(fd, buf, 4096), 0);
    cr_assert_not_null(strstr(buf, "Content-Length: 5\r\n"));
    /* the body would have been "hello": the next bytes must be the next response */
    char next[16] = {0};
    cr_assert_eq(recv(fd, next, 12, MSG_PEEK | MSG_WAITALL), 12);
    cr_assert(strncmp(next, "HTTP/1.1 301", 12) == 0, "%s", next);
    cr_assert_gt(harness_read_response(fd, buf, sizeof(buf), 0), 0);
    cr_assert_not_null(strstr(buf, "Location: /hello\r\n"), "%s", buf);
    close(fd);
    cr_assert_eq(stop(&p), 0);
}

/* Sends `head` and then keeps sending `extra` bytes; the error must still
 * be read, the sends must not fail (no reset), and the server must close. */
static void expect_error_lingering(int port, const char *head, size_t extra, const char *status) {
    char buf[4096];
    int fd = harness_dial(port);
    cr_assert_eq(harness_send_str(fd, head), 0);
    /* The server has answered and closed its side by now: without a
     * lingering close, the first bytes below would draw a reset and the
     * next send would fail with ECONNRESET. */
    usleep(100000);
    static char junk[16 * 1024];
    memset(junk, 'j', sizeof(junk));
    size_t sent = 0, piece = extra <= 4096 ? 256 : sizeof(junk);
    while (sent < extra) {
        size_t n = extra - sent < piece ? extra - sent : piece;
        cr_assert_eq(harness_send_all(fd, junk, n), 0, "send failed after %zu bytes: reset?", sent);
        sent += n;
        usleep(1000);
    }
    cr_assert_gt(harness_read_response(fd, buf, sizeof(buf), 0), 0, "no response for %s", status);
    cr_assert(strncmp(buf + 9, status, 3) == 0, "want %s, got %s", status, buf);
    cr_assert_not_null(strstr(buf, "Connection: close\r\n"));
    shutdown(fd, SHUT_WR);
    cr_assert(harness_peer_closed(fd));
    close(fd);
}

static void t_errors(int mode) {
    proc_t p;
    char head[16384];
    start(mode, &p);
    expect_error_lingering(p.port,
                           "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000\r\n\r\n",
                           512 * 1024, "413");
    int n = snprintf(head, sizeof(head), "GET /hello HTTP/1.1\r\nHost: x\r\nX-Big: ");
    memset(head + n, 'b', 9000);
    head[n + 9000] = 0;
    expect_error_lingering(p.port, head, 64 * 1024, "431");
    n = snprintf(head, sizeof(head), "GET /");
    memset(head + n, 'u', 9000);
    snprintf(head + n + 9000, sizeof(head) - (size_t)n - 9000, " HTTP/1.1\r\nHost: x\r\n\r\n");
    expect_error_lingering(p.port, head, 64 * 1024, "414");
    expect_error_lingering(p.port, "GET / HTTP/2.0\r\nHost: x\r\n\r\n", 1024, "505");
    expect_error_lingering(p.port, "GET / HTTP/1.1\r\nHost x\r\n\r\n", 1024, "400");
    /* smuggling: both framings */
    expect_error_lingering(p.port,
                           "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
                           "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /x HTTP/1.1\r\n\r\n",
                           1024, "400");
    expect_error_lingering(p.port,
                           "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                           "zz\r\n",
                           1024, "400");
    cr_assert_eq(stop(&p), 0);
}

static void t_continue(int mode) {
    proc_t p;
    char buf[4096];
    start(mode, &p);
    int fd = harness_dial(p.port);
    cr_assert_eq(harness_send_str(fd, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n"
                              "Expect: 100-continue\r\n\r\n"), 0);
    cr_assert_gt(harness_read_response(fd, buf, sizeof(buf), 0), 0);
    cr_assert_str_eq(buf, "HTTP/1.1 100 Continue\r\n\r\n");
    cr_assert_eq(harness_send_str(fd, "data"), 0);
    cr_assert_gt(harness_read_response(fd, buf, sizeof(buf), 0), 0);
    cr_assert(strncmp(buf, "HTTP/1.1 200", 12) == 0);
    cr_assert_str_eq(harness_body_of(buf), "data");
    /* over the limit: 413 at once, no 100 */
    cr_assert_eq(harness_send_str(fd,
                                  "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999\r\n"
                                  "Expect: 100-continue\r\n\r\n"),
                 0);
    cr_assert_gt(harness_read_response(fd, buf, sizeof(buf), 0), 0);
    cr_assert(strncmp(buf, "HTTP/1.1 413", 12) == 0, "%s", buf);
    close(fd);
    cr_assert_eq(stop(&p), 0);
}

static void t_curl(int mode) {
    proc_t p;
    static char out[1 << 20];
    start(mode, &p);
    const char *c = "curl -sS --http1.1 --max-time 10";
    /* keep-alive: two URLs, one connection */
    harness_run(out, sizeof(out), "%s -v http://127.0.0.1:%d/hello http://127.0.0.1:%d/hello 2>&1",
                c, p.port, p.port);
    cr_assert_not_null(strstr(out, "Re-using existing connection"), "%s", out);
    /* chunked upload */
    harness_run(out, sizeof(out), "printf 'chunky-body' | %s -H 'Transfer-Encoding: chunked' "
                          "--data-binary @- http://127.0.0.1:%d/echo", c, p.port);
    cr_assert_str_eq(out, "chunky-body");
    /* url-encoded form, and a query next to it */
    harness_run(out, sizeof(out),
                "%s --data 'name=J%%C3%%BCrgen+X&x=1%%262' 'http://127.0.0.1:%d/form?q=a+b'", c,
                p.port);
    cr_assert_str_eq(out, "n=2;name=J\xc3\xbcrgen X;x=1&2;q=a b");
    /* cookies in, Set-Cookie out */
    harness_run(out, sizeof(out), "%s -i -b 'sid=abc; other=x%%20y' http://127.0.0.1:%d/cookie", c,
        p.port);
    cr_assert_not_null(strstr(out, "sid=abc;other=x%20y"), "%s", out);
    cr_assert_not_null(strstr(out, "Set-Cookie: token=a%20b%3Bc; expires=Fri, 01 Jan 2100 "
                                   "00:00:00 GMT; Max-Age="), "%s", out);
    cr_assert_not_null(strstr(out, "; path=/; domain=example.com; secure; HttpOnly; SameSite=Lax\r\n"));
    cr_assert_not_null(strstr(out, "Set-Cookie: old=deleted; expires=Thu, 01 Jan 1970 00:00:01 GMT; Max-Age=0\r\n"));
    /* chunked streaming response */
    harness_run(out, sizeof(out), "%s -i http://127.0.0.1:%d/stream", c, p.port);
    cr_assert_not_null(strstr(out, "Transfer-Encoding: chunked\r\n"), "%s", out);
    cr_assert_not_null(strstr(out, "\r\n\r\npart1-part2-end"), "%s", out);
    /* HEAD */
    harness_run(out, sizeof(out), "%s -I http://127.0.0.1:%d/hello", c, p.port);
    cr_assert_not_null(strstr(out, "Content-Length: 5\r\n"), "%s", out);
    /* 100-continue: curl waits for it before the body */
    harness_run(out, sizeof(out), "head -c 2000000 /dev/zero > /tmp/eddy-hs-%d.body && "
                          "%s -v -H 'Expect: 100-continue' --data-binary @/tmp/eddy-hs-%d.body "
                          "-o /tmp/eddy-hs-%d.out http://127.0.0.1:%d/echo 2>&1 | "
                          "grep -c '^< HTTP/1.1 100 Continue'; cmp /tmp/eddy-hs-%d.body "
                          "/tmp/eddy-hs-%d.out && echo same; rm -f /tmp/eddy-hs-%d.*",
        getpid(), c, getpid(), getpid(), p.port, getpid(), getpid(), getpid());
    cr_assert_str_eq(out, "1\nsame\n", "100 Continue once and the body echoed: %s", out);
    /* redirect followed */
    harness_run(out, sizeof(out), "%s -L http://127.0.0.1:%d/redirect", c, p.port);
    cr_assert_str_eq(out, "hello");
    /* remote address */
    harness_run(out, sizeof(out), "%s http://127.0.0.1:%d/remote", c, p.port);
    cr_assert(strncmp(out, "127.0.0.1:", 10) == 0 && atoi(out + 10) > 0, "%s", out);
    cr_assert_eq(stop(&p), 0);
}

static void t_gone(int mode) {
    proc_t p;
    char line[256] = {0};
    start(mode, &p);
    int fd = harness_dial(p.port);
    cr_assert_eq(harness_send_str(fd, "GET /gone HTTP/1.1\r\nHost: x\r\n\r\n"), 0);
    usleep(50000);
    close(fd);
    for (int i = 0; i < 200 && !strstr(line, "\n"); i++) {
        usleep(10000);
        FILE *f = fopen(harness_events, "r");
        if (f) {
            if (!fgets(line, sizeof(line), f)) line[0] = 0;
            fclose(f);
        }
    }
    char want[128];
    snprintf(want, sizeof(want), "gone write=%d end=%d", EDDY_ESESSION_CLOSED, EDDY_ESESSION_CLOSED);
    cr_assert(strncmp(line, want, strlen(want)) == 0, "%s", line);
    /* and the worker still serves */
    char buf[1024];
    fd = harness_dial(p.port);
    cr_assert_eq(harness_send_str(fd, "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n"), 0);
    cr_assert_gt(harness_read_response(fd, buf, sizeof(buf), 0), 0);
    close(fd);
    cr_assert_eq(stop(&p), 0);
}

#define BOTH(name)                                                                         \
    EDDY_TEST(http_base, name, .timeout = 60) { t_##name(EDDY_SERVER_BASE); }            \
    EDDY_TEST(http_process, name, .timeout = 60) { t_##name(EDDY_SERVER_PROCESS); }

BOTH(keepalive)
BOTH(pipelined)
BOTH(bodies)
BOTH(errors)
BOTH(continue)
BOTH(curl)
BOTH(gone)

EDDY_TEST(http_server, refuses_framing_and_stateless_dispatch) {
    eddy_server_config_t cfg;
    char err[EDDY_SERVER_ERRLEN];
    eddy_server_config_init(&cfg);
    eddy_server_config_set(&cfg, "log_level", "5", err, sizeof(err));
    eddy_server_config_set(&cfg, "open_eof_check", "1", err, sizeof(err));
    eddy_server_t *srv = eddy_server_new(&cfg);
    eddy_http_server_t *hs;
    eddy_http_server_opts_t o = {.on_request = on_request};
    cr_assert_eq(eddy_http_server_new(&hs, srv, &o), EDDY_EINVAL);
    eddy_server_free(srv);
    eddy_server_config_set(&cfg, "open_eof_check", "0", err, sizeof(err));
    eddy_server_config_set(&cfg, "dispatch_mode", "1", err, sizeof(err));
    srv = eddy_server_new(&cfg);
    eddy_server_set_mode(srv, EDDY_SERVER_PROCESS);
    cr_assert_eq(eddy_http_server_new(&hs, srv, &o), EDDY_EINVAL);
    eddy_server_set_mode(srv, EDDY_SERVER_BASE);
    cr_assert_eq(eddy_http_server_new(&hs, srv, &o), 0);
    eddy_http_server_free(hs);
    eddy_server_free(srv);
    eddy_server_config_free(&cfg);
}

/* Framing given to a listener after the HTTP server was attached would cut
 * requests apart: start refuses it (before forking anything). */
EDDY_TEST(http_server, start_refuses_listener_framing_set_after_attach) {
    eddy_server_config_t cfg;
    char err[EDDY_SERVER_ERRLEN];
    eddy_server_config_init(&cfg);
    eddy_server_config_set(&cfg, "log_level", "5", err, sizeof(err));
    eddy_server_t *srv = eddy_server_new(&cfg);
    cr_assert_eq(eddy_server_listen(srv, EDDY_SOCK_TCP, "127.0.0.1", 0), 0);
    eddy_http_server_t *hs;
    eddy_http_server_opts_t o = {.on_request = on_request};
    cr_assert_eq(eddy_http_server_new(&hs, srv, &o), 0);
    cr_assert_eq(eddy_server_listener_config_set(srv, 0, "open_eof_check", "1", err, sizeof(err)), 0,
                 "%s", err);
    cr_assert_eq(eddy_server_start(srv), EDDY_EINVAL);
    eddy_http_server_free(hs);
    eddy_server_free(srv);
    eddy_server_config_free(&cfg);
}
