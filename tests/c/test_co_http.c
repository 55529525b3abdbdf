/*
 * Coroutine HTTP server (src/http/co_http.c, eddy_co_http_* in eddy/http.h):
 * a child process runs the server in a coroutine on 127.0.0.1 at a port
 * the kernel picks; the test talks to it with raw sockets and curl.
 * Every server has a "/stop" handler calling eddy_co_http_shutdown(), so
 * a clean stop is the child's exit code 0 (start() returned 0).
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <time.h>

#include "eddy/coro.h"
#include "eddy/loop.h"
#include "eddy/tls.h"
#include "loopback_harness.h"

/* ---- the server (in the child) ------------------------------------------ */

typedef struct {
    int with_root;            /* a "/" handler */
    uint64_t package_max_length;
    uint64_t configure_max; /* != 0: eddy_co_http_configure() with it before start */
    const char *tls_cert, *tls_key; /* HTTPS with these (and a 500 ms handshake bound) */
} srv_cfg_t;

static eddy_co_http_t *the_server;

static void reply(eddy_http_response_t *resp, const char *s) {
    eddy_http_response_end(resp, s, strlen(s));
}

static void h_root(eddy_http_request_t *req, eddy_http_response_t *resp, void *d) {
    (void)req;
    (void)d;
    reply(resp, "root");
}

static void h_api(eddy_http_request_t *req, eddy_http_response_t *resp, void *d) {
    (void)req;
    (void)d;
    reply(resp, "api");
}

static void h_v2(eddy_http_request_t *req, eddy_http_response_t *resp, void *d) {
    (void)req;
    (void)d;
    reply(resp, "v2");
}

static void h_echo(eddy_http_request_t *req, eddy_http_response_t *resp, void *d) {
    size_t n;
    const char *b = eddy_http_request_body(req, &n);
    (void)d;
    eddy_http_response_end(resp, b, n);
}

/* Two requests meet here: each handler sleeps in 10 ms steps until a
 * second one has arrived (at most 5 s), then says whether it met one. Only
 * a server that runs handlers concurrently lets the second arrive while the
 * first is still waiting; the evidence does not depend on how fast a
 * loaded machine starts the clients. */
static int meet_arrivals;

static void h_meet(eddy_http_request_t *req, eddy_http_response_t *resp, void *d) {
    (void)req;
    (void)d;
    meet_arrivals++;
    for (int i = 0; i < 500 && meet_arrivals < 2; i++) eddy_coro_sleep(10);
    reply(resp, meet_arrivals >= 2 ? "met" : "alone");
}

static void h_remote(eddy_http_request_t *req, eddy_http_response_t *resp, void *d) {
    char ip[64], out[96];
    int port = 0;
    (void)d;
    if (eddy_http_request_remote(req, ip, sizeof(ip), &port) < 0) snprintf(ip, sizeof(ip), "?");
    snprintf(out, sizeof(out), "%s %d", ip, port > 0);
    reply(resp, out);
}

/* Ends the response from another coroutine, 50 ms later. */
static void late_end(void *arg) {
    eddy_coro_sleep(50);
    reply(arg, "late");
}

static void h_later(eddy_http_request_t *req, eddy_http_response_t *resp, void *d) {
    (void)req;
    (void)d;
    eddy_coro_create(late_end, resp);
}

/* Ends its connection without an answer: the end() below is refused. */
static void h_abort(eddy_http_request_t *req, eddy_http_response_t *resp, void *d) {
    (void)req;
    (void)d;
    eddy_co_http_close_current(the_server);
    reply(resp, "not sent");
}

static char file_path[64]; /* set by the test before the fork */

static void h_file(eddy_http_request_t *req, eddy_http_response_t *resp, void *d) {
    (void)req;
    (void)d;
    if (eddy_http_response_sendfile(resp, file_path, 0, 0) < 0) reply(resp, "sendfile failed");
}

static void h_stop(eddy_http_request_t *req, eddy_http_response_t *resp, void *d) {
    (void)req;
    (void)d;
    reply(resp, "bye");
    eddy_co_http_shutdown(the_server);
}

static int child_rc = 9;

static void serve(void *arg) {
    const srv_cfg_t *cfg = arg;
    eddy_co_http_t *co;
    if (eddy_co_http_new(&co, NULL, cfg->package_max_length) < 0) return;
    the_server = co;
    if (eddy_co_http_listen(co, "127.0.0.1", 0, 0) < 0) {
        eddy_co_http_free(co);
        child_rc = 3;
        return;
    }
    if (cfg->with_root) eddy_co_http_handle(co, "/", h_root, NULL);
    eddy_co_http_handle(co, "/api", h_api, NULL);
    eddy_co_http_handle(co, "/api/v2", h_v2, NULL);
    eddy_co_http_handle(co, "/echo", h_echo, NULL);
    eddy_co_http_handle(co, "/meet", h_meet, NULL);
    eddy_co_http_handle(co, "/remote", h_remote, NULL);
    eddy_co_http_handle(co, "/later", h_later, NULL);
    eddy_co_http_handle(co, "/stop", h_stop, NULL);
    eddy_co_http_handle(co, "/abort", h_abort, NULL);
    eddy_co_http_handle(co, "/file", h_file, NULL);
    if (cfg->configure_max && eddy_co_http_configure(co, NULL, cfg->configure_max) < 0) abort();
    if (cfg->tls_cert) {
        eddy_tls_opts_t o;
        int err;
        eddy_tls_opts_init(&o);
        o.cert_file = cfg->tls_cert;
        o.key_file = cfg->tls_key;
        eddy_tls_ctx_t *ctx = eddy_tls_ctx_new(&o, 1, &err, NULL, 0);
        if (!ctx || eddy_co_http_set_tls(co, ctx, 500) < 0) abort();
        eddy_tls_ctx_free(ctx); /* the server keeps its own reference */
    }
    child_rc = harness_co_http_serve(co);
}

static int child(const void *arg) {
    eddy_coro_create(serve, (void *)arg);
    if (eddy_loop_run(eddy_loop_default()) != 0) return 5;
    eddy_loop_default_close();
    return child_rc;
}

/* ---- test side ------------------------------------------------------------ */

/* Waits up to 10 s for pid to exit by itself: its exit code, -1 if not. */
static int wait_exit(pid_t pid) {
    int status;
    for (int i = 0; i < 1000; i++) {
        if (waitpid(pid, &status, WNOHANG) == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        usleep(10000);
    }
    return harness_stop(pid) == 0 ? 0 : -1;
}

static pid_t start(const srv_cfg_t *cfg, int *port) { return harness_start(child, cfg, port); }

static void stop(pid_t pid, int port) {
    char out[256];
    harness_run(out, sizeof(out), "curl -s -m 5 http://127.0.0.1:%d/stop", port);
    cr_assert_str_eq(out, "bye");
    cr_assert_eq(wait_exit(pid), 0, "start() did not return 0 after shutdown()");
}

static void get(int fd, const char *path, char *buf, size_t cap) {
    char req[256];
    snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: x\r\n\r\n", path);
    cr_assert_eq(harness_send_str(fd, req), 0);
    cr_assert_gt(harness_read_response(fd, buf, cap, 0), 0, "no response to %s", path);
}

EDDY_TEST(co_http, longest_prefix_wins_on_one_keepalive_connection) {
    srv_cfg_t cfg = {.with_root = 1};
    int port;
    pid_t pid = start(&cfg, &port);
    int fd = harness_dial(port);
    char buf[4096];
    const char *want[][2] = {{"/", "root"},        {"/x/y", "root"},       {"/api", "api"},
                             {"/api/users", "api"}, {"/api/v2/x", "v2"},   {"/apix", "api"},
                             {"/remote", "127.0.0.1 1"}};
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        get(fd, want[i][0], buf, sizeof(buf));
        cr_assert(strncmp(buf, "HTTP/1.1 200", 12) == 0, "%s: %s", want[i][0], buf);
        cr_assert_str_eq(harness_body_of(buf), want[i][1], "%s", want[i][0]);
    }
    close(fd);
    stop(pid, port);
}

EDDY_TEST(co_http, no_matching_handler_is_404_and_the_connection_stays) {
    srv_cfg_t cfg = {.with_root = 0};
    int port;
    pid_t pid = start(&cfg, &port);
    int fd = harness_dial(port);
    char buf[4096], v[64];
    get(fd, "/nothing", buf, sizeof(buf));
    cr_assert(strncmp(buf, "HTTP/1.1 404", 12) == 0, "%s", buf);
    cr_assert_str_neq(harness_header(buf, "Connection", v, sizeof(v)), "close");
    get(fd, "/api", buf, sizeof(buf));
    cr_assert_str_eq(harness_body_of(buf), "api");
    close(fd);
    stop(pid, port);
}

EDDY_TEST(co_http, pipelined_requests_are_answered_in_order) {
    srv_cfg_t cfg = {.with_root = 1};
    int port;
    pid_t pid = start(&cfg, &port);
    int fd = harness_dial(port);
    char buf[4096];
    cr_assert_eq(harness_send_str(fd, "GET /later HTTP/1.1\r\nHost: x\r\n\r\n"
                                      "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"
                                      "GET /api/v2 HTTP/1.1\r\nHost: x\r\n\r\n"),
                 0);
    const char *want[] = {"late", "hello", "v2"};
    for (int i = 0; i < 3; i++) {
        cr_assert_gt(harness_read_response(fd, buf, sizeof(buf), 0), 0);
        cr_assert_str_eq(harness_body_of(buf), want[i]);
    }
    close(fd);
    stop(pid, port);
}

EDDY_TEST(co_http, post_bodies_with_length_and_chunked) {
    srv_cfg_t cfg = {.with_root = 1};
    int port;
    pid_t pid = start(&cfg, &port);
    char out[4096];
    harness_run(out, sizeof(out), "curl -s -m 5 --data-binary 'a=1&b=two' http://127.0.0.1:%d/echo",
                port);
    cr_assert_str_eq(out, "a=1&b=two");
    int fd = harness_dial(port);
    cr_assert_eq(harness_send_str(fd, "POST /echo HTTP/1.1\r\nHost: x\r\n"
                                      "Transfer-Encoding: chunked\r\n\r\n"
                                      "3\r\nabc\r\n4\r\ndefg\r\n0\r\n\r\n"),
                 0);
    cr_assert_gt(harness_read_response(fd, out, sizeof(out), 0), 0);
    cr_assert_str_eq(harness_body_of(out), "abcdefg");
    close(fd);
    stop(pid, port);
}

/* One request that gets `status` and a closed connection. */
static void expect_error(int port, const char *req, size_t len, const char *status) {
    char buf[4096];
    int fd = harness_dial(port);
    cr_assert_eq(harness_send_all(fd, req, len), 0);
    cr_assert_gt(harness_read_response(fd, buf, sizeof(buf), 0), 0, "no answer, want %s", status);
    cr_assert(strncmp(buf + 9, status, 3) == 0, "want %s: %s", status, buf);
    cr_assert(harness_peer_closed(fd), "connection not closed after %s", status);
    close(fd);
}

EDDY_TEST(co_http, bad_requests_get_400_413_431_and_the_connection_closes) {
    srv_cfg_t cfg = {.with_root = 1, .package_max_length = 1000};
    int port;
    pid_t pid = start(&cfg, &port);
    static const char bad[] = "GARBAGE\r\n\r\n";
    expect_error(port, bad, sizeof(bad) - 1, "400");
    static const char big[] = "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1001\r\n\r\n";
    expect_error(port, big, sizeof(big) - 1, "413");
    char huge[12000];
    int n = snprintf(huge, sizeof(huge), "GET / HTTP/1.1\r\nHost: x\r\nX-Big: ");
    memset(huge + n, 'a', 9000);
    memcpy(huge + n + 9000, "\r\n\r\n", 4);
    expect_error(port, huge, (size_t)n + 9004, "431");
    stop(pid, port); /* the server still serves after all that */
}

EDDY_TEST(co_http, slow_handlers_run_concurrently) {
    srv_cfg_t cfg = {.with_root = 1};
    int port;
    pid_t pid = start(&cfg, &port);
    char out[256];
    harness_run(out, sizeof(out),
                "curl -s -m 10 http://127.0.0.1:%d/meet & curl -s -m 10 http://127.0.0.1:%d/meet & "
                "wait",
                port, port);
    cr_assert_str_eq(out, "metmet", "the second handler did not run while the first waited: %s", out);
    stop(pid, port);
}

EDDY_TEST(co_http, shutdown_closes_idle_connections_and_start_returns) {
    srv_cfg_t cfg = {.with_root = 1};
    int port;
    pid_t pid = start(&cfg, &port);
    int idle = harness_dial(port);
    char buf[4096];
    get(idle, "/api", buf, sizeof(buf)); /* now idle in keep-alive */
    int fresh = harness_dial(port);      /* accepted, nothing sent */
    stop(pid, port);
    cr_assert(harness_peer_closed(idle));
    cr_assert(harness_peer_closed(fresh));
    close(idle);
    close(fresh);
}

EDDY_TEST(co_http, configure_replaces_the_body_limit_before_start) {
    srv_cfg_t cfg = {.with_root = 1, .configure_max = 10};
    int port;
    pid_t pid = start(&cfg, &port);
    static const char ok[] = "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n0123456789";
    char buf[4096];
    int fd = harness_dial(port);
    cr_assert_eq(harness_send_str(fd, ok), 0);
    cr_assert_gt(harness_read_response(fd, buf, sizeof(buf), 0), 0);
    cr_assert_str_eq(harness_body_of(buf), "0123456789");
    close(fd);
    static const char big[] = "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\n";
    expect_error(port, big, sizeof(big) - 1, "413");
    stop(pid, port);
}

EDDY_TEST(co_http, close_current_ends_the_connection_without_an_answer) {
    srv_cfg_t cfg = {.with_root = 1};
    int port;
    pid_t pid = start(&cfg, &port);
    int fd = harness_dial(port);
    char b[64];
    cr_assert_eq(harness_send_str(fd, "GET /abort HTTP/1.1\r\nHost: x\r\n\r\n"
                                      "GET /api HTTP/1.1\r\nHost: x\r\n\r\n"),
                 0);
    ssize_t n = recv(fd, b, sizeof(b), 0); /* a reset if input was left unread */
    cr_assert(n == 0 || (n < 0 && errno == ECONNRESET), "expected EOF and no answer: %zd", n);
    close(fd);
    stop(pid, port);
}

EDDY_TEST(co_http, sendfile_sends_a_large_file_whole_then_keeps_the_connection) {
    snprintf(file_path, sizeof(file_path), "/tmp/eddy-co-http-XXXXXX");
    int ffd = mkstemp(file_path);
    cr_assert_geq(ffd, 0);
    static char data[300 * 1024];
    for (size_t i = 0; i < sizeof(data); i++) data[i] = (char)('a' + i % 26);
    cr_assert_eq(write(ffd, data, sizeof(data)), (ssize_t)sizeof(data));
    close(ffd);
    srv_cfg_t cfg = {.with_root = 1};
    int port;
    pid_t pid = start(&cfg, &port);
    int fd = harness_dial(port);
    static char buf[400 * 1024];
    char v[64];
    cr_assert_eq(harness_send_str(fd, "GET /file HTTP/1.1\r\nHost: x\r\n\r\n"), 0);
    int n = harness_read_response(fd, buf, sizeof(buf), 0);
    cr_assert_gt(n, 0);
    cr_assert_str_eq(harness_header(buf, "Content-Length", v, sizeof(v)), "307200");
    const char *body = harness_body_of(buf);
    cr_assert_eq((size_t)(buf + n - body), sizeof(data));
    cr_assert(memcmp(body, data, sizeof(data)) == 0);
    get(fd, "/api", buf, sizeof(buf)); /* the same connection goes on */
    cr_assert_str_eq(harness_body_of(buf), "api");
    close(fd);
    stop(pid, port);
    unlink(file_path);
}

/* HTTPS: curl verifies a self-signed localhost certificate made here with
 * the openssl CLI; a client that sends nothing holds neither the others
 * nor, past the handshake bound, its own connection; a plain-HTTP request
 * gets the connection closed, no answer, and the server goes on. */
EDDY_TEST(co_http, tls_serves_https_and_drops_silent_and_plain_clients) {
    char dir[] = "/tmp/eddy-co-https-XXXXXX", cert[64], key[64], out[512];
    cr_assert_not_null(mkdtemp(dir));
    snprintf(cert, sizeof(cert), "%s/c.pem", dir);
    snprintf(key, sizeof(key), "%s/k.pem", dir);
    cr_assert_eq(harness_run(out, sizeof(out),
                             "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 "
                             "-nodes -keyout %s -out %s -days 2 -subj /CN=localhost "
                             "-addext subjectAltName=DNS:localhost 2>&1",
                             key, cert),
                 0, "openssl: %s", out);
    srv_cfg_t cfg = {.with_root = 1, .tls_cert = cert, .tls_key = key};
    int port;
    pid_t pid = start(&cfg, &port);
    int silent = harness_dial(port);
    const char *curl = "curl -s -m 5 --cacert %s --resolve localhost:%d:127.0.0.1 "
                       "https://localhost:%d%s";
    harness_run(out, sizeof(out), curl, cert, port, port, "/api");
    cr_assert_str_eq(out, "api", "HTTPS GET while a client is silent");

    int plain = harness_dial(port);
    cr_assert_eq(harness_send_str(plain, "GET /api HTTP/1.1\r\nHost: x\r\n\r\n"), 0);
    char b[256];
    ssize_t n = recv(plain, b, sizeof(b), 0);
    cr_assert(n <= 0 || memcmp(b, "HTTP/", 5) != 0, "a plain request was answered in clear");
    cr_assert(n <= 0 || harness_peer_closed(plain), "the plain connection stayed open");
    close(plain);
    cr_assert(harness_peer_closed(silent), "the silent client outlived the handshake bound");
    close(silent);

    harness_run(out, sizeof(out), curl, cert, port, port, "/stop");
    cr_assert_str_eq(out, "bye");
    cr_assert_eq(wait_exit(pid), 0, "start() did not return 0 after shutdown()");
    unlink(cert);
    unlink(key);
    rmdir(dir);
}
