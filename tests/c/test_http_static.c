/*
 * Static files and Response::sendfile on the HTTP server, as real server
 * processes on loopback (BASE and PROCESS modes) over a temporary
 * document_root, talked to with curl(1) and raw sockets.
 *
 * The tree: root/hello.txt, root/style.css, root/data.txt (20 bytes for
 * ranges), root/big.bin (8 MiB, a fixed pseudo-random pattern),
 * root/dir/index.html, root/out -> ../secret.txt and root/abs_out (symlinks
 * leading out of the root, relative and absolute), root/link.txt and
 * root/dir/abs.txt (symlinks to hello.txt inside it, relative and
 * absolute), and secret.txt beside root, which must never be served.
 *
 * on_request (reached when the static handler passes): /sf?off=N&len=M
 * sends data.txt with eddy_http_response_sendfile, /sfbig sends big.bin,
 * /sfmissing tries a missing file, anything else answers "dynamic:<path>".
 * A sendfile error is answered "err=<code>" with end().
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "eddy/http.h"
#include "eddy/server.h"
#include "eddy_test.h"
#include "loopback_harness.h"

#define BIG_SIZE (8u * 1024 * 1024)

typedef struct {
    pid_t pid;
    int port;
} proc_t;

static char g_dir[64];   /* the temp tree */
static char g_root[80];  /* g_dir/root */
static int g_locations;  /* server variant: static_handler_locations = {"/dir"} */
static int g_no_openat2; /* server variant: openat2(2) fails ENOSYS (seccomp) */

/* ---- the tree ---------------------------------------------------------- */

static void put_file(const char *rel, const void *data, size_t len) {
    char path[160];
    snprintf(path, sizeof(path), "%s/%s", g_dir, rel);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    cr_assert_geq(fd, 0, "%s", path);
    cr_assert_eq(write(fd, data, len), (ssize_t)len);
    close(fd);
}

static void make_tree(void) {
    char path[160];
    snprintf(g_dir, sizeof(g_dir), "/tmp/eddy-st-%d", getpid());
    snprintf(g_root, sizeof(g_root), "%s/root", g_dir);
    snprintf(path, sizeof(path), "rm -rf %s", g_dir);
    cr_assert_eq(system(path), 0);
    cr_assert_eq(mkdir(g_dir, 0755), 0);
    cr_assert_eq(mkdir(g_root, 0755), 0);
    snprintf(path, sizeof(path), "%s/dir", g_root);
    cr_assert_eq(mkdir(path, 0755), 0);
    put_file("root/hello.txt", "hello static\n", 13);
    put_file("root/style.css", "body{}\n", 7);
    put_file("root/data.txt", "0123456789abcdefghij", 20);
    put_file("root/dir/index.html", "<p>index</p>\n", 13);
    put_file("secret.txt", "TOP SECRET\n", 11);
    snprintf(path, sizeof(path), "%s/out", g_root);
    cr_assert_eq(symlink("../secret.txt", path), 0);
    char target[160];
    snprintf(path, sizeof(path), "%s/abs_out", g_root); /* absolute, out of the root */
    snprintf(target, sizeof(target), "%s/secret.txt", g_dir);
    cr_assert_eq(symlink(target, path), 0);
    snprintf(path, sizeof(path), "%s/link.txt", g_root); /* relative, inside */
    cr_assert_eq(symlink("hello.txt", path), 0);
    snprintf(path, sizeof(path), "%s/dir/abs.txt", g_root); /* absolute, inside */
    snprintf(target, sizeof(target), "%s/hello.txt", g_root);
    cr_assert_eq(symlink(target, path), 0);
    char *big = malloc(BIG_SIZE);
    uint32_t x = 12345;
    for (size_t i = 0; i < BIG_SIZE; i++) {
        x = x * 1103515245u + 12345u;
        big[i] = (char)(x >> 16);
    }
    put_file("root/big.bin", big, BIG_SIZE);
    free(big);
}

static void remove_tree(void) {
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", g_dir);
    cr_assert_eq(system(cmd), 0);
}

/* After every test, passed or not (a failed assertion skips the test's
 * own remove_tree): no tree is left behind in /tmp. */
static void cleanup(void) {
    char cmd[128];
    if (!g_dir[0]) return;
    snprintf(cmd, sizeof(cmd), "rm -rf %s", g_dir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", g_dir);
}

TestSuite(http_static, .fini = cleanup);

/* ---- server side ------------------------------------------------------- */

static int path_is(const eddy_http_request_t *req, const char *p) {
    return req->path_len == strlen(p) && memcmp(req->path, p, req->path_len) == 0;
}

static uint64_t param(eddy_http_request_t *req, const char *name) {
    const char *v = eddy_http_request_param(req, EDDY_HTTP_PARAM_GET, name, NULL);
    return v ? strtoull(v, NULL, 10) : 0;
}

static void answer_error(eddy_http_response_t *resp, int rc) {
    char body[32];
    int n = snprintf(body, sizeof(body), "err=%d", rc);
    eddy_http_response_status(resp, 500, NULL);
    eddy_http_response_end(resp, body, (size_t)n);
}

static void on_request(eddy_http_request_t *req, eddy_http_response_t *resp, void *data) {
    char path[160];
    (void)data;
    int rc = 0;
    if (path_is(req, "/sf")) {
        snprintf(path, sizeof(path), "%s/data.txt", g_root);
        rc = eddy_http_response_sendfile(resp, path, param(req, "off"), param(req, "len"));
    } else if (path_is(req, "/sfbig")) {
        snprintf(path, sizeof(path), "%s/big.bin", g_root);
        rc = eddy_http_response_sendfile(resp, path, 0, 0);
    } else if (path_is(req, "/sfmissing")) {
        snprintf(path, sizeof(path), "%s/missing.txt", g_root);
        rc = eddy_http_response_sendfile(resp, path, 0, 0);
    } else {
        char body[300];
        int n = snprintf(body, sizeof(body), "dynamic:%.*s", (int)req->path_len, req->path);
        eddy_http_response_header(resp, "Content-Type", "text/plain");
        eddy_http_response_end(resp, body, (size_t)n);
        return;
    }
    if (rc < 0) answer_error(resp, rc);
}

/* Appends "w<id>" to g_dir/starts: a restarted worker shows twice. */
static void ev_worker_start(eddy_server_t *srv, int id) {
    char path[160], line[16];
    (void)srv;
    snprintf(path, sizeof(path), "%s/starts", g_dir);
    int n = snprintf(line, sizeof(line), "w%d\n", id);
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd >= 0 && write(fd, line, (size_t)n) != n) abort();
    if (fd >= 0) close(fd);
}

/* Makes openat2(2) fail with ENOSYS in this process and its children. */
static int deny_openat2(void) {
    struct sock_filter code[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_openat2, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (ENOSYS & SECCOMP_RET_DATA)),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct sock_fprog prog = {.len = sizeof(code) / sizeof(code[0]), .filter = code};
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) return -1;
    return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog);
}

static int child_main(const void *arg) {
    int mode = *(const int *)arg;
    if (g_no_openat2 && deny_openat2() < 0) return 5;
    /* A short output queue (1 MiB, Swoole's default is 8): an 8 MiB body
     * that is not paced overflows it, even with the kernel's buffers. */
    static const char *const extra[] = {"socket_buffer_size", "1048576", NULL};
    eddy_server_t *srv = harness_server_new(mode, mode == EDDY_SERVER_PROCESS ? 2 : 1, extra);
    if (!srv) return 1;
    eddy_server_events_t ev = {.on_start = harness_on_start, .on_worker_start = ev_worker_start};
    static const char *const index[] = {"index.htm", "index.html", NULL};
    static const char *const locs[] = {"/dir", NULL};
    eddy_http_server_opts_t o = {.on_request = on_request,
                                 .events = &ev,
                                 .enable_static_handler = 1,
                                 .document_root = g_root,
                                 .http_index_files = index,
                                 .static_handler_locations = g_locations ? locs : NULL};
    return harness_serve_http(srv, &o);
}

/* ---- test side --------------------------------------------------------- */

static void start(int mode, proc_t *p) {
    memset(p, 0, sizeof(*p));
    p->pid = harness_start(child_main, &mode, &p->port);
}

static int stop(proc_t *p) { return harness_stop(p->pid); }

/* One request on a fresh connection; the response into buf. */
static int exchange(int port, const char *req, char *buf, size_t cap) {
    int fd = harness_dial(port);
    cr_assert_eq(send(fd, req, strlen(req), MSG_NOSIGNAL), (ssize_t)strlen(req));
    int n = harness_read_response(fd, buf, cap, strncmp(req, "HEAD ", 5) == 0);
    close(fd);
    return n;
}

#define CURL "curl -sS --http1.1 --max-time 20"

/* ---- tests ------------------------------------------------------------- */

/* 200 with body and headers; a large file byte-exact, served statically
 * and through sendfile from on_request. */
static void t_basic_and_big(int mode) {
    proc_t p;
    static char out[1 << 16];
    char v[128];
    make_tree();
    start(mode, &p);
    harness_run(out, sizeof(out), CURL " -i http://127.0.0.1:%d/hello.txt", p.port);
    cr_assert(strncmp(out, "HTTP/1.1 200 OK\r\n", 17) == 0, "%s", out);
    cr_assert_str_eq(harness_header(out, "Content-Type", v, sizeof(v)), "text/plain", "%s", out);
    cr_assert_str_eq(harness_header(out, "Content-Length", v, sizeof(v)), "13");
    cr_assert_str_eq(harness_header(out, "Accept-Ranges", v, sizeof(v)), "bytes");
    cr_assert(harness_header(out, "ETag", v, sizeof(v))[0] == '"', "%s", out);
    cr_assert(strstr(harness_header(out, "Last-Modified", v, sizeof(v)), " GMT"), "%s", out);
    cr_assert_str_eq(harness_body_of(out), "hello static\n");
    harness_run(out, sizeof(out),
                CURL " -o /dev/null -w '%%{content_type}' http://127.0.0.1:%d/style.css", p.port);
    cr_assert_str_eq(out, "text/css");
    /* 8 MiB, statically; then from on_request with a client reading at
     * 16 MiB/s, so the server's output queue fills: unpaced, the body would
     * pass socket_buffer_size (BASE refuses the send, PROCESS drops it). */
    harness_run(out, sizeof(out),
        CURL " -o %s/got1 -w '%%{http_code} %%{size_download}' http://127.0.0.1:%d/big.bin; "
             "echo; cmp %s/got1 %s/big.bin && echo same",
        g_dir, p.port, g_dir, g_root);
    cr_assert_str_eq(out, "200 8388608\nsame\n");
    harness_run(out, sizeof(out),
        CURL " --limit-rate 16M -o %s/got2 -w '%%{http_code} %%{content_type}' "
             "http://127.0.0.1:%d/sfbig; echo; cmp %s/got2 %s/big.bin && echo same",
        g_dir, p.port, g_dir, g_root);
    cr_assert_str_eq(out, "200 application/octet-stream\nsame\n");
    cr_assert_eq(stop(&p), 0);
    remove_tree();
}

EDDY_TEST(http_static, serves_files_base) { t_basic_and_big(EDDY_SERVER_BASE); }
EDDY_TEST(http_static, serves_files_process) { t_basic_and_big(EDDY_SERVER_PROCESS); }

/* If-None-Match and If-Modified-Since give 304 without a body (the next
 * response on the connection reads cleanly); stale validators give 200. */
EDDY_TEST(http_static, conditional_requests) {
    proc_t p;
    char out[4096], etag[64], lm[64], req[1024];
    make_tree();
    start(EDDY_SERVER_BASE, &p);
    cr_assert_gt(exchange(p.port, "GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n", out, sizeof(out)), 0);
    harness_header(out, "ETag", etag, sizeof(etag));
    harness_header(out, "Last-Modified", lm, sizeof(lm));
    cr_assert(etag[0] && lm[0], "%s", out);
    int fd = harness_dial(p.port);
    snprintf(req, sizeof(req),
             "GET /hello.txt HTTP/1.1\r\nHost: x\r\nIf-None-Match: \"zzz\", W/%s\r\n\r\n"
             "GET /hello.txt HTTP/1.1\r\nHost: x\r\nIf-Modified-Since: %s\r\n\r\n"
             "GET /hello.txt HTTP/1.1\r\nHost: x\r\n"
             "If-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT\r\n\r\n"
             "GET /hello.txt HTTP/1.1\r\nHost: x\r\nIf-None-Match: \"other\"\r\n"
             "If-Modified-Since: %s\r\n\r\n"
             "GET /hello.txt HTTP/1.1\r\nHost: x\r\nIf-Modified-Since: not a date\r\n\r\n",
             etag, lm, lm);
    cr_assert_eq(send(fd, req, strlen(req), MSG_NOSIGNAL), (ssize_t)strlen(req));
    cr_assert_gt(harness_read_response(fd, out, sizeof(out), 0), 0);
    cr_assert(strncmp(out, "HTTP/1.1 304 ", 13) == 0, "If-None-Match: %s", out);
    cr_assert_str_eq(harness_header(out, "ETag", req, sizeof(req)), etag);
    cr_assert_str_eq(harness_body_of(out), "");
    cr_assert_gt(harness_read_response(fd, out, sizeof(out), 0), 0);
    cr_assert(strncmp(out, "HTTP/1.1 304 ", 13) == 0, "If-Modified-Since: %s", out);
    cr_assert_gt(harness_read_response(fd, out, sizeof(out), 0), 0);
    cr_assert(strncmp(out, "HTTP/1.1 200 ", 13) == 0, "older date: %s", out);
    cr_assert_str_eq(harness_body_of(out), "hello static\n");
    /* If-None-Match decides over If-Modified-Since (RFC 9110 13.2.2) */
    cr_assert_gt(harness_read_response(fd, out, sizeof(out), 0), 0);
    cr_assert(strncmp(out, "HTTP/1.1 200 ", 13) == 0, "other etag: %s", out);
    cr_assert_gt(harness_read_response(fd, out, sizeof(out), 0), 0);
    cr_assert(strncmp(out, "HTTP/1.1 200 ", 13) == 0, "a bad date is ignored: %s", out);
    close(fd);
    /* curl's own conditional GET */
    harness_run(out, sizeof(out), CURL " -o /dev/null -w '%%{http_code}' -H 'If-None-Match: %s' "
                              "http://127.0.0.1:%d/hello.txt", etag, p.port);
    cr_assert_str_eq(out, "304");
    cr_assert_eq(stop(&p), 0);
    remove_tree();
}

/* Range in its three forms, unsatisfiable ones, several ranges. */
EDDY_TEST(http_static, ranges) {
    proc_t p;
    char out[4096], v[64];
    make_tree();
    start(EDDY_SERVER_BASE, &p);
    static const struct {
        const char *range, *status, *body, *content_range;
    } cases[] = {
        {"bytes=2-5", "206", "2345", "bytes 2-5/20"},
        {"bytes=15-", "206", "fghij", "bytes 15-19/20"},
        {"bytes=-3", "206", "hij", "bytes 17-19/20"},
        {"bytes=18-100", "206", "ij", "bytes 18-19/20"},
        {"bytes=-50", "206", "0123456789abcdefghij", "bytes 0-19/20"},
        {"bytes=20-", "416", "", "bytes */20"},
        {"bytes=-0", "416", "", "bytes */20"},
        {"bytes=0-1,5-6", "200", "0123456789abcdefghij", ""},
        {"bytes=5-2", "200", "0123456789abcdefghij", ""},
        {"lines=1-2", "200", "0123456789abcdefghij", ""},
        {"bytes=99999999999999999999999-", "416", "", "bytes */20"},
        {"bytes=0-99999999999999999999999", "206", "0123456789abcdefghij", "bytes 0-19/20"},
        {"bytes=-99999999999999999999999", "206", "0123456789abcdefghij", "bytes 0-19/20"},
        {"bytes=x-1", "200", "0123456789abcdefghij", ""},
        {"bytes=-", "200", "0123456789abcdefghij", ""},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char req[256];
        snprintf(req, sizeof(req), "GET /data.txt HTTP/1.1\r\nHost: x\r\nRange: %s\r\n\r\n",
                 cases[i].range);
        cr_assert_gt(exchange(p.port, req, out, sizeof(out)), 0);
        cr_assert(strncmp(out + 9, cases[i].status, 3) == 0, "%s: %s", cases[i].range, out);
        cr_assert_str_eq(harness_body_of(out), cases[i].body, "%s", cases[i].range);
        cr_assert_str_eq(harness_header(out, "Content-Range", v, sizeof(v)), cases[i].content_range,
                         "%s: %s", cases[i].range, out);
    }
    /* If-Range with a stale validator: the whole file */
    cr_assert_gt(exchange(p.port, "GET /data.txt HTTP/1.1\r\nHost: x\r\nRange: bytes=0-1\r\n"
                                  "If-Range: \"stale\"\r\n\r\n", out, sizeof(out)), 0);
    cr_assert(strncmp(out + 9, "200", 3) == 0, "%s", out);
    harness_run(out, sizeof(out), CURL " -r 2-5 http://127.0.0.1:%d/data.txt", p.port);
    cr_assert_str_eq(out, "2345");
    cr_assert_eq(stop(&p), 0);
    remove_tree();
}

/* HEAD: the head of the GET (length included), no body; the connection
 * goes on. A directory is served by its index file. */
EDDY_TEST(http_static, head_and_index) {
    proc_t p;
    char out[4096], v[64];
    make_tree();
    start(EDDY_SERVER_BASE, &p);
    int fd = harness_dial(p.port);
    const char *two = "HEAD /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n"
                      "GET /data.txt HTTP/1.1\r\nHost: x\r\n\r\n";
    cr_assert_eq(send(fd, two, strlen(two), MSG_NOSIGNAL), (ssize_t)strlen(two));
    cr_assert_gt(harness_read_response(fd, out, sizeof(out), 1), 0);
    cr_assert(strncmp(out, "HTTP/1.1 200 ", 13) == 0, "%s", out);
    cr_assert_str_eq(harness_header(out, "Content-Length", v, sizeof(v)), "13");
    cr_assert_str_eq(harness_body_of(out), "");
    cr_assert_gt(harness_read_response(fd, out, sizeof(out), 0), 0);
    cr_assert(strncmp(out, "HTTP/1.1 200 ", 13) == 0, "after HEAD: %s", out);
    cr_assert_str_eq(harness_body_of(out), "0123456789abcdefghij");
    close(fd);
    harness_run(out, sizeof(out), CURL " -I http://127.0.0.1:%d/hello.txt", p.port);
    cr_assert(strstr(out, "Content-Length: 13\r\n") && strstr(out, "ETag: "), "%s", out);
    harness_run(out, sizeof(out), CURL " -w ' %%{content_type}' http://127.0.0.1:%d/dir/", p.port);
    cr_assert_str_eq(out, "<p>index</p>\n text/html");
    harness_run(out, sizeof(out), CURL " http://127.0.0.1:%d/dir", p.port);
    cr_assert_str_eq(out, "<p>index</p>\n");
    cr_assert_eq(stop(&p), 0);
    remove_tree();
}

/* Traversal in every spelling, and a symlink out of the root: 403, never
 * the file, never on_request. */
static void t_traversal(void) {
    proc_t p;
    char out[4096];
    make_tree();
    start(EDDY_SERVER_BASE, &p);
    static const char *const paths[] = {
        "/../secret.txt",          "/dir/../../secret.txt", "/%2e%2e/secret.txt",
        "/%2E%2e/secret.txt",      "/.%2e/secret.txt",      "/dir/%2e%2e/%2e%2e/secret.txt",
        "/..%2fsecret.txt",        "/dir%2f..%2f..%2fsecret.txt", "/out",
        "/hello.txt%00.css",       "/dir/..",               "/abs_out",
    };
    for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
        char req[256];
        snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: x\r\n\r\n", paths[i]);
        cr_assert_gt(exchange(p.port, req, out, sizeof(out)), 0, "%s", paths[i]);
        cr_assert(strncmp(out, "HTTP/1.1 403 ", 13) == 0, "%s: %s", paths[i], out);
        cr_assert_null(strstr(out, "SECRET"), "%s", paths[i]);
        cr_assert_null(strstr(out, "dynamic:"), "%s", paths[i]);
    }
    /* curl sends the dots as they are with --path-as-is */
    harness_run(out, sizeof(out), CURL " --path-as-is -w ' %%{http_code}' "
                              "http://127.0.0.1:%d/dir/../../secret.txt", p.port);
    cr_assert(strstr(out, " 403") && !strstr(out, "SECRET"), "%s", out);
    /* symlinks that stay inside the root are followed, absolute or not */
    harness_run(out, sizeof(out),
                CURL " http://127.0.0.1:%d/link.txt http://127.0.0.1:%d/dir/abs.txt", p.port,
                p.port);
    cr_assert_str_eq(out, "hello static\nhello static\n");
    /* a malformed escape is a bad request */
    cr_assert_gt(exchange(p.port, "GET /%zz HTTP/1.1\r\nHost: x\r\n\r\n", out, sizeof(out)), 0);
    cr_assert(strncmp(out, "HTTP/1.1 400 ", 13) == 0, "%s", out);
    cr_assert_eq(stop(&p), 0);
    remove_tree();
}

EDDY_TEST(http_static, traversal_refused) { t_traversal(); }

/* The same with openat2(2) failing ENOSYS in the server (a seccomp filter,
 * as on a kernel before 5.6): the realpath() check alone keeps the root,
 * and the files inside are still served. */
EDDY_TEST(http_static, traversal_refused_without_openat2) {
    g_no_openat2 = 1;
    t_traversal();
    proc_t p;
    char out[4096];
    make_tree();
    start(EDDY_SERVER_BASE, &p);
    harness_run(out, sizeof(out), CURL " http://127.0.0.1:%d/hello.txt http://127.0.0.1:%d/dir/",
                p.port, p.port);
    cr_assert_str_eq(out, "hello static\n<p>index</p>\n");
    cr_assert_eq(stop(&p), 0);
    remove_tree();
}

/* What the static handler does not serve reaches on_request: a missing
 * file, a method other than GET/HEAD. */
EDDY_TEST(http_static, falls_through_to_on_request) {
    proc_t p;
    char out[4096];
    make_tree();
    start(EDDY_SERVER_BASE, &p);
    harness_run(out, sizeof(out), CURL " http://127.0.0.1:%d/nope.txt", p.port);
    cr_assert_str_eq(out, "dynamic:/nope.txt");
    harness_run(out, sizeof(out), CURL " -d x=1 http://127.0.0.1:%d/hello.txt", p.port);
    cr_assert_str_eq(out, "dynamic:/hello.txt");
    cr_assert_eq(stop(&p), 0);
    remove_tree();
}

/* static_handler_locations: only those prefixes are looked up; a missing
 * file under one is 404 from the server. */
EDDY_TEST(http_static, locations) {
    proc_t p;
    char out[4096];
    make_tree();
    g_locations = 1;
    start(EDDY_SERVER_BASE, &p);
    harness_run(out, sizeof(out), CURL " http://127.0.0.1:%d/hello.txt", p.port);
    cr_assert_str_eq(out, "dynamic:/hello.txt");
    harness_run(out, sizeof(out), CURL " http://127.0.0.1:%d/dir/index.html", p.port);
    cr_assert_str_eq(out, "<p>index</p>\n");
    harness_run(out, sizeof(out),
                CURL " -o /dev/null -w '%%{http_code}' http://127.0.0.1:%d/dir/no", p.port);
    cr_assert_str_eq(out, "404");
    cr_assert_eq(stop(&p), 0);
    remove_tree();
}

/* Response::sendfile with offset and length; errors come back before
 * anything is sent, and the response can still be ended. */
static void t_sendfile(int mode) {
    proc_t p;
    char out[4096], v[64];
    make_tree();
    start(mode, &p);
    cr_assert_gt(exchange(p.port, "GET /sf?off=3&len=4 HTTP/1.1\r\nHost: x\r\n\r\n", out,
                          sizeof(out)), 0);
    cr_assert(strncmp(out, "HTTP/1.1 200 ", 13) == 0, "%s", out);
    cr_assert_str_eq(harness_body_of(out), "3456");
    cr_assert_str_eq(harness_header(out, "Content-Type", v, sizeof(v)), "text/plain");
    harness_run(out, sizeof(out), CURL " 'http://127.0.0.1:%d/sf?off=15'", p.port);
    cr_assert_str_eq(out, "fghij");
    harness_run(out, sizeof(out), CURL " http://127.0.0.1:%d/sf", p.port);
    cr_assert_str_eq(out, "0123456789abcdefghij");
    harness_run(out, sizeof(out), CURL " 'http://127.0.0.1:%d/sf?off=21'", p.port);
    cr_assert_str_eq(out, "err=-22", "offset past the end");
    harness_run(out, sizeof(out), CURL " 'http://127.0.0.1:%d/sf?off=10&len=11'", p.port);
    cr_assert_str_eq(out, "err=-22", "length past the end");
    harness_run(out, sizeof(out), CURL " http://127.0.0.1:%d/sfmissing", p.port);
    cr_assert_str_eq(out, "err=-2", "missing file");
    cr_assert_eq(stop(&p), 0);
    remove_tree();
}

EDDY_TEST(http_static, sendfile_base) { t_sendfile(EDDY_SERVER_BASE); }
EDDY_TEST(http_static, sendfile_process) { t_sendfile(EDDY_SERVER_PROCESS); }

/* A file body and a request pipelined behind it: the second response
 * follows the whole first body. A client leaving mid-body stops it, and
 * the worker goes on serving. */
static void t_pipeline_and_gone(int mode) {
    proc_t p;
    static char buf[BIG_SIZE + 4096];
    char out[4096];
    make_tree();
    start(mode, &p);
    int fd = harness_dial(p.port);
    const char *two = "GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n"
                      "GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n";
    cr_assert_eq(send(fd, two, strlen(two), MSG_NOSIGNAL), (ssize_t)strlen(two));
    int n = harness_read_response(fd, buf, sizeof(buf), 0);
    cr_assert_gt(n, (int)BIG_SIZE);
    const char *body = harness_body_of(buf);
    cr_assert_eq((size_t)(buf + n - body), (size_t)BIG_SIZE);
    char path[160];
    snprintf(path, sizeof(path), "%s/big.bin", g_root);
    FILE *f = fopen(path, "rb");
    char *want = malloc(BIG_SIZE);
    cr_assert_eq(fread(want, 1, BIG_SIZE, f), (size_t)BIG_SIZE);
    fclose(f);
    cr_assert_eq(memcmp(body, want, BIG_SIZE), 0, "body differs");
    free(want);
    cr_assert_gt(harness_read_response(fd, out, sizeof(out), 0), 0);
    cr_assert_str_eq(harness_body_of(out), "hello static\n", "%s", out);
    close(fd);
    /* Leave after 64 KiB of 8 MiB, many times: the server's next write
     * then meets a reset (EPIPE / ECONNRESET), at whatever point. */
    for (int i = 0; i < 20; i++) {
        fd = harness_dial(p.port);
        const char *req = i % 2 ? "GET /sfbig HTTP/1.1\r\nHost: x\r\n\r\n"
                                : "GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n";
        cr_assert_eq(send(fd, req, strlen(req), MSG_NOSIGNAL), (ssize_t)strlen(req));
        size_t got = 0;
        while (got < 65536) {
            ssize_t r = recv(fd, buf, sizeof(out), 0);
            cr_assert_gt(r, 0);
            got += (size_t)r;
        }
        close(fd);
    }
    harness_run(out, sizeof(out), CURL " http://127.0.0.1:%d/hello.txt", p.port);
    cr_assert_str_eq(out, "hello static\n");
    cr_assert_eq(stop(&p), 0);
    /* no worker was killed (SIGPIPE) or crashed meanwhile: one start each */
    harness_run(out, sizeof(out), "sort %s/starts", g_dir);
    cr_assert_str_eq(out, mode == EDDY_SERVER_PROCESS ? "w0\nw1\n" : "w0\n",
                     "workers restarted: %s", out);
    remove_tree();
}

EDDY_TEST(http_static, pipeline_and_gone_base) { t_pipeline_and_gone(EDDY_SERVER_BASE); }
EDDY_TEST(http_static, pipeline_and_gone_process) { t_pipeline_and_gone(EDDY_SERVER_PROCESS); }

EDDY_TEST(http_static, mime_types) {
    cr_assert_str_eq(eddy_http_mime_type("/a/b/logo.PNG"), "image/png");
    cr_assert_str_eq(eddy_http_mime_type("x.tar.gz"), "application/gzip");
    cr_assert_str_eq(eddy_http_mime_type("app.js"), "text/javascript");
    cr_assert_str_eq(eddy_http_mime_type("/srv/.htaccess"), "application/octet-stream");
    cr_assert_str_eq(eddy_http_mime_type("/srv/v1.2/README"), "application/octet-stream");
    cr_assert_str_eq(eddy_http_mime_type("file."), "application/octet-stream");
    cr_assert_str_eq(eddy_http_mime_type("a.verylongextensionname"), "application/octet-stream");
}

/* enable_static_handler without a usable document_root is refused. */
EDDY_TEST(http_static, needs_document_root) {
    eddy_server_t *srv = eddy_server_new(NULL);
    eddy_http_server_t *hs = NULL;
    eddy_http_server_opts_t o = {.on_request = on_request, .enable_static_handler = 1};
    cr_assert_eq(eddy_http_server_new(&hs, srv, &o), EDDY_EINVAL);
    o.document_root = "/nonexistent/eddy";
    cr_assert_eq(eddy_http_server_new(&hs, srv, &o), EDDY_EINVAL);
    cr_assert_null(hs);
    eddy_server_free(srv);
}
