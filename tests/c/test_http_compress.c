/*
 * Response compression: Accept-Encoding choice, media types, the gzip /
 * deflate / brotli encoders (decoded here with zlib and libbrotlidec), and
 * the HTTP server compressing real responses, checked with curl
 * --compressed and with raw sockets that decode the bodies themselves.
 *
 * Server routes: /text?n=N (text/plain, N bytes), /json, /png (image/png),
 * /stream (three writes, then end), /stream1 (one write, then a pause, then
 * end), /own (the handler's own Content-Encoding), /off (the response's
 * switch off), /on (switch on: for the server with compression off),
 * /vary (the handler's Vary: Origin), /etag (a strong ETag), /nocontent (204).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "compress_decode.h"
#include "eddy/http.h"
#include "eddy/server.h"
#include "eddy/timer.h"
#include "eddy_test.h"
#include "loopback_harness.h"

/* ---- shared helpers -------------------------------------------------------- */

/* n bytes of text that compresses well and differs line by line. */
static void fill_text(char *p, size_t n) {
    size_t off = 0;
    for (unsigned i = 0; off < n; i++) {
        char line[64];
        int l = snprintf(line, sizeof(line), "line %06u: the quick brown fox jumps\n", i);
        size_t take = (size_t)l < n - off ? (size_t)l : n - off;
        memcpy(p + off, line, take);
        off += take;
    }
}

/* Bytes that do not compress (xorshift), for the encoders' worst case. */
static void fill_noise(char *p, size_t n, uint32_t seed) {
    uint32_t x = seed ? seed : 1;
    for (size_t i = 0; i < n; i++) {
        x ^= x << 13, x ^= x >> 17, x ^= x << 5;
        p[i] = (char)(x & 0xff);
    }
}

static const int ENCS[] = {EDDY_HTTP_ENC_GZIP, EDDY_HTTP_ENC_DEFLATE, EDDY_HTTP_ENC_BR};

/* ---- Accept-Encoding ------------------------------------------------------- */

static int choose(const char *ae) { return eddy_http_compress_choose(ae, ae ? strlen(ae) : 0); }

EDDY_TEST(compress_choose, preference_and_aliases) {
    cr_assert_eq(choose(NULL), EDDY_HTTP_ENC_IDENTITY, "no header: identity");
    cr_assert_eq(choose(""), EDDY_HTTP_ENC_IDENTITY);
    cr_assert_eq(choose("gzip"), EDDY_HTTP_ENC_GZIP);
    cr_assert_eq(choose("x-gzip"), EDDY_HTTP_ENC_GZIP);
    cr_assert_eq(choose("deflate"), EDDY_HTTP_ENC_DEFLATE);
    cr_assert_eq(choose("br"), EDDY_HTTP_ENC_BR);
    cr_assert_eq(choose("gzip, deflate, br"), EDDY_HTTP_ENC_BR, "br first, as Swoole");
    cr_assert_eq(choose("deflate, gzip"), EDDY_HTTP_ENC_GZIP, "gzip before deflate");
    cr_assert_eq(choose("compress, sdch, zstd"), EDDY_HTTP_ENC_IDENTITY, "none we produce");
    cr_assert_eq(choose("br;level=5, gzip"), EDDY_HTTP_ENC_BR, "other params ignored");
}

EDDY_TEST(compress_choose, qvalues_and_zero) {
    cr_assert_eq(choose("br;q=0, gzip"), EDDY_HTTP_ENC_GZIP);
    cr_assert_eq(choose("gzip;q=0"), EDDY_HTTP_ENC_IDENTITY);
    cr_assert_eq(choose("gzip;q=0.000, deflate;q=0"), EDDY_HTTP_ENC_IDENTITY);
    cr_assert_eq(choose("br;q=0.5, gzip;q=0.8"), EDDY_HTTP_ENC_GZIP, "higher q wins over order");
    cr_assert_eq(choose("br;q=1.0, gzip;q=1"), EDDY_HTTP_ENC_BR, "tie: br");
    cr_assert_eq(choose("deflate;q=0.9, gzip;q=0.001"), EDDY_HTTP_ENC_DEFLATE);
    cr_assert_eq(choose("gzip ; q=0.5 ,br; q=0.4"), EDDY_HTTP_ENC_GZIP, "OWS around ';' and '='");
    /* malformed q: the element is ignored, the rest still counts */
    cr_assert_eq(choose("gzip;q=2"), EDDY_HTTP_ENC_IDENTITY);
    cr_assert_eq(choose("gzip;q=0.0001"), EDDY_HTTP_ENC_IDENTITY);
    cr_assert_eq(choose("br;q=x, gzip;q=0.1"), EDDY_HTTP_ENC_GZIP);
    cr_assert_eq(choose("br;q=, deflate"), EDDY_HTTP_ENC_DEFLATE);
    cr_assert_eq(choose("gzip;q=1.001"), EDDY_HTTP_ENC_IDENTITY);
}

EDDY_TEST(compress_choose, star_identity_and_case) {
    cr_assert_eq(choose("*"), EDDY_HTTP_ENC_BR);
    cr_assert_eq(choose("*;q=0.5, gzip"), EDDY_HTTP_ENC_GZIP, "listed gzip 1 beats * 0.5");
    cr_assert_eq(choose("*;q=0"), EDDY_HTTP_ENC_IDENTITY);
    cr_assert_eq(choose("gzip;q=0, br;q=0, *"), EDDY_HTTP_ENC_DEFLATE, "* covers the unlisted");
    cr_assert_eq(choose("identity"), EDDY_HTTP_ENC_IDENTITY);
    cr_assert_eq(choose("identity, gzip;q=0.5"), EDDY_HTTP_ENC_IDENTITY, "identity q 1 > 0.5");
    cr_assert_eq(choose("identity;q=0.5, gzip"), EDDY_HTTP_ENC_GZIP);
    cr_assert_eq(choose("gzip, identity;q=0"), EDDY_HTTP_ENC_GZIP);
    cr_assert_eq(choose("GZIP"), EDDY_HTTP_ENC_GZIP);
    cr_assert_eq(choose("Br;Q=0.9, GZip;q=0.1"), EDDY_HTTP_ENC_BR);
    cr_assert_eq(choose(" , ,gzip,,"), EDDY_HTTP_ENC_GZIP, "empty elements skipped");
    /* only the given length is read */
    cr_assert_eq(eddy_http_compress_choose("gzip, br", 4), EDDY_HTTP_ENC_GZIP);
    cr_assert_str_eq(eddy_http_encoding_name(EDDY_HTTP_ENC_BR), "br");
    cr_assert_str_eq(eddy_http_encoding_name(EDDY_HTTP_ENC_GZIP), "gzip");
    cr_assert_str_eq(eddy_http_encoding_name(EDDY_HTTP_ENC_DEFLATE), "deflate");
    cr_assert_str_eq(eddy_http_encoding_name(EDDY_HTTP_ENC_IDENTITY), "identity");
}

/* Inputs end right before a PROT_NONE page: a read past len faults. */
EDDY_TEST(compress_choose, never_reads_past_len) {
    long pg = sysconf(_SC_PAGESIZE);
    char *m = mmap(NULL, (size_t)pg * 2, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    cr_assert_neq(m, MAP_FAILED);
    cr_assert_eq(mprotect(m + pg, (size_t)pg, PROT_NONE), 0);
    const char *in[] = {"gzip", "gzip;q=", "br;q=0.", "*", "x-gzip;", "identity;q=1 ", "a,",
                        ";", "text/html", "text/", "application/json;", ""};
    int want[] = {EDDY_HTTP_ENC_GZIP, EDDY_HTTP_ENC_IDENTITY, EDDY_HTTP_ENC_IDENTITY,
                  EDDY_HTTP_ENC_BR, EDDY_HTTP_ENC_GZIP, EDDY_HTTP_ENC_IDENTITY,
                  EDDY_HTTP_ENC_IDENTITY, EDDY_HTTP_ENC_IDENTITY, EDDY_HTTP_ENC_IDENTITY,
                  EDDY_HTTP_ENC_IDENTITY, EDDY_HTTP_ENC_IDENTITY, EDDY_HTTP_ENC_IDENTITY};
    for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
        size_t n = strlen(in[i]);
        char *p = m + pg - n;
        memcpy(p, in[i], n);
        cr_assert_eq(eddy_http_compress_choose(p, n), want[i], "%s", in[i]);
        int t = eddy_http_compress_type_ok(NULL, p, n);
        cr_assert_eq(t, i == 8 || i == 10, "%s", in[i]);
    }
    munmap(m, (size_t)pg * 2);
}

/* ---- media types ------------------------------------------------------------ */

static int type_ok(const char *const *types, const char *ct) {
    return eddy_http_compress_type_ok(types, ct, strlen(ct));
}

EDDY_TEST(compress_types, default_list) {
    cr_assert(type_ok(NULL, "text/html"));
    cr_assert(type_ok(NULL, "text/plain; charset=utf-8"));
    cr_assert(type_ok(NULL, "TEXT/CSS"));
    cr_assert(type_ok(NULL, " application/json ;charset=utf-8"));
    cr_assert(type_ok(NULL, "application/javascript"));
    cr_assert(type_ok(NULL, "application/xml"));
    cr_assert(type_ok(NULL, "image/svg+xml"));
    cr_assert_not(type_ok(NULL, "image/png"));
    cr_assert_not(type_ok(NULL, "image/jpeg"));
    cr_assert_not(type_ok(NULL, "application/octet-stream"));
    cr_assert_not(type_ok(NULL, "application/zip"));
    cr_assert_not(type_ok(NULL, "text"), "no subtype");
    cr_assert_not(type_ok(NULL, "text/"), "empty subtype");
    cr_assert_not(type_ok(NULL, ""));
    cr_assert_not(type_ok(NULL, "application/jsonx"), "whole names only");
}

EDDY_TEST(compress_types, custom_and_empty_lists) {
    static const char *const mine[] = {"application/x-custom", "image/" "*", NULL};
    cr_assert(type_ok(mine, "application/x-custom"));
    cr_assert(type_ok(mine, "image/png"));
    cr_assert_not(type_ok(mine, "text/html"), "a list replaces the default");
    static const char *const none[] = {NULL};
    cr_assert(type_ok(none, "image/png"), "empty list: every type (Swoole)");
    cr_assert(type_ok(none, "application/octet-stream"));
    static const char *const all[] = {"*", NULL};
    cr_assert(type_ok(all, "video/mp4"));
}

/* ---- encoders ----------------------------------------------------------------- */

static void roundtrip(int enc, int level, const char *in, size_t n) {
    eddy_buf_t z, plain;
    eddy_buf_init(&z);
    eddy_buf_init(&plain);
    eddy_buf_append(&z, "pre", 3); /* appends, keeps what was there */
    cr_assert_eq(eddy_http_compress(enc, level, in, n, &z), 0);
    cr_assert(memcmp(z.data, "pre", 3) == 0);
    if (enc == EDDY_HTTP_ENC_GZIP) cr_assert(z.len > 5 && (uint8_t)z.data[3] == 0x1f && (uint8_t)z.data[4] == 0x8b);
    if (enc == EDDY_HTTP_ENC_DEFLATE) cr_assert(z.len > 4 && (z.data[3] & 0x0f) == 8, "zlib header");
    cr_assert_eq(compress_decode(enc, z.data + 3, z.len - 3, &plain, 1), 0, "%s %zu bytes",
                 eddy_http_encoding_name(enc), n);
    cr_assert_eq(plain.len, n);
    cr_assert(n == 0 || memcmp(plain.data, in, n) == 0);
    eddy_buf_free(&z);
    eddy_buf_free(&plain);
}

EDDY_TEST(compress_codec, oneshot_roundtrip_byte_exact) {
    size_t sizes[] = {0, 1, 20, 4096, 300000, 3 * 1024 * 1024};
    char *text = malloc(sizes[5]), *noise = malloc(sizes[5]);
    fill_text(text, sizes[5]);
    fill_noise(noise, sizes[5], 7);
    for (size_t e = 0; e < 3; e++)
        for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
            roundtrip(ENCS[e], 1, text, sizes[i]);
            roundtrip(ENCS[e], 9, noise, sizes[i] > 300000 ? 300000 : sizes[i]);
        }
    /* text shrinks at level 1: what the server relies on to be worth it */
    eddy_buf_t z;
    eddy_buf_init(&z);
    for (size_t e = 0; e < 3; e++) {
        eddy_buf_clear(&z);
        eddy_http_compress(ENCS[e], 1, text, 100000, &z);
        cr_assert_lt(z.len, 100000 / 4, "%s: %zu", eddy_http_encoding_name(ENCS[e]), z.len);
    }
    eddy_buf_free(&z);
    free(text);
    free(noise);
}

EDDY_TEST(compress_codec, bad_arguments) {
    eddy_buf_t z;
    eddy_buf_init(&z);
    eddy_http_compressor_t *c = (eddy_http_compressor_t *)&z;
    cr_assert_eq(eddy_http_compress(EDDY_HTTP_ENC_GZIP, 0, "x", 1, &z), EDDY_EINVAL);
    cr_assert_eq(eddy_http_compress(EDDY_HTTP_ENC_BR, 10, "x", 1, &z), EDDY_EINVAL);
    cr_assert_eq(eddy_http_compress(EDDY_HTTP_ENC_IDENTITY, 1, "x", 1, &z), EDDY_EINVAL);
    cr_assert_eq(eddy_http_compress(99, 1, "x", 1, &z), EDDY_EINVAL);
    cr_assert_eq(z.len, 0, "out unchanged");
    cr_assert_eq(eddy_http_compressor_new(&c, 42, 1), EDDY_EINVAL);
    cr_assert_null(c);
    eddy_buf_free(&z);
}

/* Each flushed write decodes, on its own prefix, to everything written so
 * far: what lets a browser render a streamed page as it arrives. */
static void stream_flushes(int enc) {
    eddy_http_compressor_t *c;
    cr_assert_eq(eddy_http_compressor_new(&c, enc, 1), 0);
    eddy_buf_t z, plain;
    eddy_buf_init(&z);
    eddy_buf_init(&plain);
    char piece[5000], all[3 * 5000 + 5];
    size_t total = 0;
    for (int round = 0; round < 2; round++) { /* the second after a reset */
        eddy_buf_clear(&z);
        total = 0;
        for (int i = 0; i < 3; i++) {
            fill_text(piece, sizeof(piece));
            piece[0] = (char)('A' + i + round);
            memcpy(all + total, piece, sizeof(piece));
            total += sizeof(piece);
            cr_assert_eq(eddy_http_compressor_write(c, piece, sizeof(piece), 0, &z), 0);
            eddy_buf_clear(&plain);
            cr_assert_eq(compress_decode(enc, z.data, z.len, &plain, 0), 0, "%s flush %d",
                         eddy_http_encoding_name(enc), i);
            cr_assert_eq(plain.len, total);
            cr_assert(memcmp(plain.data, all, total) == 0);
        }
        cr_assert_eq(eddy_http_compressor_write(c, "tail", 4, 1, &z), 0);
        memcpy(all + total, "tail", 4);
        total += 4;
        eddy_buf_clear(&plain);
        cr_assert_eq(compress_decode(enc, z.data, z.len, &plain, 1), 0, "whole stream ends");
        cr_assert_eq(plain.len, total);
        cr_assert(memcmp(plain.data, all, total) == 0);
        cr_assert_eq(eddy_http_compressor_write(c, "x", 1, 0, &z), EDDY_EWRONG_OP);
        eddy_http_compressor_reset(c);
    }
    eddy_http_compressor_free(c);
    eddy_buf_free(&z);
    eddy_buf_free(&plain);
}

EDDY_TEST(compress_codec, stream_gzip_flushes_per_write) { stream_flushes(EDDY_HTTP_ENC_GZIP); }
EDDY_TEST(compress_codec, stream_deflate_flushes_per_write) { stream_flushes(EDDY_HTTP_ENC_DEFLATE); }
EDDY_TEST(compress_codec, stream_br_flushes_per_write) { stream_flushes(EDDY_HTTP_ENC_BR); }

EDDY_TEST(compress_codec, stream_finish_with_nothing_written) {
    for (size_t e = 0; e < 3; e++) {
        eddy_http_compressor_t *c;
        cr_assert_eq(eddy_http_compressor_new(&c, ENCS[e], 5), 0);
        eddy_buf_t z, plain;
        eddy_buf_init(&z);
        eddy_buf_init(&plain);
        cr_assert_eq(eddy_http_compressor_write(c, NULL, 0, 1, &z), 0);
        cr_assert_gt(z.len, 0, "a valid empty stream still has framing");
        cr_assert_eq(compress_decode(ENCS[e], z.data, z.len, &plain, 1), 0);
        cr_assert_eq(plain.len, 0);
        eddy_http_compressor_free(c);
        eddy_buf_free(&z);
        eddy_buf_free(&plain);
    }
}

/* ---- the server ---------------------------------------------------------------- */

typedef struct {
    pid_t pid;
    int port;
} proc_t;


static int path_is(const eddy_http_request_t *req, const char *p) {
    return req->path_len == strlen(p) && memcmp(req->path, p, req->path_len) == 0;
}

static void end_text(eddy_http_response_t *resp, const char *ctype, size_t n) {
    char *body = malloc(n + 1);
    fill_text(body, n);
    if (ctype) eddy_http_response_header(resp, "Content-Type", ctype);
    eddy_http_response_end(resp, body, n);
    free(body);
}

typedef struct {
    eddy_timer_t t;
    eddy_http_response_t *resp;
} later_t;

static void later_fire(eddy_timer_t *t) {
    later_t *l = t->data;
    eddy_http_response_end(l->resp, "last", 4);
    free(l);
}

/* The stream routes: pieces of 3000 text bytes, the first starting "A". */
static void route_stream(eddy_server_t *srv, eddy_http_request_t *req, eddy_http_response_t *resp) {
    char piece[3000];
    eddy_http_response_header(resp, "Content-Type", "text/plain");
    fill_text(piece, sizeof(piece));
    piece[0] = 'A';
    eddy_http_response_write(resp, piece, sizeof(piece));
    if (path_is(req, "/stream1")) { /* the end comes 300 ms later */
        later_t *l = calloc(1, sizeof(*l));
        l->resp = resp;
        eddy_timer_init(eddy_server_loop(srv), &l->t, later_fire);
        l->t.data = l;
        eddy_timer_start(&l->t, 300, 0);
        return;
    }
    piece[0] = 'B';
    eddy_http_response_write(resp, piece, sizeof(piece));
    piece[0] = 'C';
    eddy_http_response_end(resp, piece, sizeof(piece));
}

static void on_request(eddy_http_request_t *req, eddy_http_response_t *resp, void *data) {
    eddy_server_t *srv = data;
    if (path_is(req, "/text")) {
        const char *n = eddy_http_request_param(req, EDDY_HTTP_PARAM_GET, "n", NULL);
        end_text(resp, "text/plain", n ? (size_t)atol(n) : 100000);
    } else if (path_is(req, "/json")) {
        end_text(resp, "application/json; charset=utf-8", 5000);
    } else if (path_is(req, "/png")) {
        end_text(resp, "image/png", 5000);
    } else if (path_is(req, "/stream") || path_is(req, "/stream1")) {
        route_stream(srv, req, resp);
    } else if (path_is(req, "/own")) { /* already gzip-encoded by the handler */
        char text[5000];
        eddy_buf_t z;
        eddy_buf_init(&z);
        fill_text(text, sizeof(text));
        eddy_http_compress(EDDY_HTTP_ENC_GZIP, 6, text, sizeof(text), &z);
        eddy_http_response_header(resp, "Content-Type", "text/plain");
        eddy_http_response_header(resp, "Content-Encoding", "gzip");
        eddy_http_response_end(resp, z.data, z.len);
        eddy_buf_free(&z);
    } else if (path_is(req, "/off") || path_is(req, "/on")) {
        eddy_http_response_compress(resp, path_is(req, "/on"));
        end_text(resp, "text/plain", 5000);
    } else if (path_is(req, "/vary")) {
        eddy_http_response_header(resp, "Vary", "Origin");
        end_text(resp, NULL, 5000); /* Swoole's default text/html */
    } else if (path_is(req, "/etag")) {
        eddy_http_response_header(resp, "ETag", "\"v1\"");
        end_text(resp, "text/plain", 5000);
    } else if (path_is(req, "/nocontent")) {
        eddy_http_response_status(resp, 204, NULL);
        eddy_http_response_end(resp, NULL, 0);
    } else {
        eddy_http_response_status(resp, 404, NULL);
        eddy_http_response_end(resp, "not found", 9);
    }
}

typedef struct {
    int mode, compression;
} srv_t;

static int child_main(const void *arg) {
    const srv_t *so = arg;
    int mode = so->mode, compression = so->compression;
    eddy_server_t *srv = harness_server_new(mode, mode == EDDY_SERVER_PROCESS ? 2 : 1, NULL);
    if (!srv) return 1;
    eddy_server_events_t ev = {.on_start = harness_on_start};
    eddy_http_server_opts_t o = {.on_request = on_request, .data = srv, .events = &ev,
                                 .http_compression = compression};
    return harness_serve_http(srv, &o);
}

static void start(int mode, int compression, proc_t *p) {
    srv_t so = {mode, compression};
    memset(p, 0, sizeof(*p));
    p->pid = harness_start(child_main, &so, &p->port);
}

static int stop(proc_t *p) { return harness_stop(p->pid); }

/* ---- raw client ------------------------------------------------------------------ */

static void send_req(int fd, const char *method, const char *target, const char *ae) {
    char req[512];
    int n = snprintf(req, sizeof(req), "%s %s HTTP/1.1\r\nHost: x\r\n%s%s%s\r\n", method, target,
                     ae ? "Accept-Encoding: " : "", ae ? ae : "", ae ? "\r\n" : "");
    cr_assert_eq(send(fd, req, (size_t)n, MSG_NOSIGNAL), n);
}

/* Reads up to and including "\r\n\r\n" (or one "\r\n" line when line is
 * set), NUL-terminated; its length or -1 (EOF, timeout, too long). */
static int read_until(int fd, char *buf, size_t cap, int line) {
    size_t got = 0, end = line ? 2 : 4;
    const char *mark = line ? "\r\n" : "\r\n\r\n";
    while (got < end || memcmp(buf + got - end, mark, end) != 0) {
        if (got + 1 >= cap || recv(fd, buf + got, 1, 0) != 1) return -1;
        buf[++got] = 0;
    }
    return (int)got;
}

typedef struct {
    char head[4096];
    eddy_buf_t body;  /* as sent (chunk framing removed) */
    eddy_buf_t first; /* chunked: the first chunk's data */
    int status;
} resp_t;

static void resp_free(resp_t *r) {
    eddy_buf_free(&r->body);
    eddy_buf_free(&r->first);
}

/* One response; head_only: the body is not read (HEAD). 0 or -1. */
static int read_resp(int fd, resp_t *r, int head_only) {
    char v[64];
    eddy_buf_init(&r->body);
    eddy_buf_init(&r->first);
    if (read_until(fd, r->head, sizeof(r->head), 0) < 0) return -1;
    r->status = atoi(r->head + 9);
    if (head_only || r->status == 204) return 0;
    if (*harness_header(r->head, "content-length", v, sizeof(v))) {
        size_t n = (size_t)atol(v);
        eddy_buf_reserve(&r->body, n);
        if (harness_recv_all(fd, r->body.data, n) < 0) return -1;
        eddy_buf_commit(&r->body, n);
        return 0;
    }
    if (strcasecmp(harness_header(r->head, "transfer-encoding", v, sizeof(v)), "chunked") != 0)
        return -1;
    for (int i = 0;; i++) {
        char line[64];
        if (read_until(fd, line, sizeof(line), 1) < 0) return -1;
        size_t n = strtoul(line, NULL, 16);
        eddy_buf_reserve(&r->body, n + 2);
        if (harness_recv_all(fd, r->body.data + r->body.len, n + 2) < 0) return -1;
        if (i == 0) eddy_buf_append(&r->first, r->body.data + r->body.len, n);
        eddy_buf_commit(&r->body, n);
        if (n == 0) return 0; /* no trailers from this server */
    }
}

static int enc_of(const char *head) {
    char v[64];
    harness_header(head, "content-encoding", v, sizeof(v));
    if (!*v) return EDDY_HTTP_ENC_IDENTITY;
    if (!strcmp(v, "gzip")) return EDDY_HTTP_ENC_GZIP;
    if (!strcmp(v, "deflate")) return EDDY_HTTP_ENC_DEFLATE;
    if (!strcmp(v, "br")) return EDDY_HTTP_ENC_BR;
    return -1;
}

/* The body decodes (per its Content-Encoding) to exactly fill_text(n). */
static void expect_text_body(const resp_t *r, size_t n) {
    eddy_buf_t plain;
    eddy_buf_init(&plain);
    const char *b = r->body.data;
    size_t bl = r->body.len;
    int enc = enc_of(r->head);
    if (enc != EDDY_HTTP_ENC_IDENTITY) {
        cr_assert_eq(compress_decode(enc, r->body.data, r->body.len, &plain, 1), 0, "%s", r->head);
        b = plain.data, bl = plain.len;
    }
    char *want = malloc(n + 1);
    fill_text(want, n);
    cr_assert_eq(bl, n, "%s", r->head);
    cr_assert(memcmp(b, want, n) == 0);
    free(want);
    eddy_buf_free(&plain);
}

/* curl --compressed, Accept-Encoding forced to `ae`: the head it received
 * must name `enc`, and the body it decoded must be fill_text(n) (or the
 * three stream pieces). */
static void curl_expect(int port, const char *path, const char *ae, const char *enc, size_t n,
                        int stream) {
    static char out[1 << 20];
    int st = harness_run(out, sizeof(out),
                 "curl -sS --http1.1 --max-time 10 --compressed -H 'Accept-Encoding: %s' -D - "
                 "'http://127.0.0.1:%d%s'", ae, port, path);
    cr_assert_eq(st, 0, "curl failed: %s", out);
    char *body = strstr(out, "\r\n\r\n");
    cr_assert_not_null(body, "%s", out);
    body[2] = 0;
    char want_line[64];
    snprintf(want_line, sizeof(want_line), "\r\nContent-Encoding: %s\r\n", enc);
    cr_assert_not_null(strstr(out, want_line), "%s", out);
    cr_assert_not_null(strstr(out, "\r\nVary: Accept-Encoding\r\n"), "%s", out);
    body += 4;
    char *want = malloc(n + 1);
    fill_text(want, n);
    for (size_t i = 0; stream && i < 3; i++) { /* 3000-byte pieces starting A, B, C */
        fill_text(want + i * 3000, 3000);
        want[i * 3000] = (char)('A' + i);
    }
    int same = strlen(body) == n && memcmp(body, want, n) == 0;
    free(want);
    cr_assert(same, "%s: decoded %zu bytes, not the body sent", enc, strlen(body));
}

/* ---- server tests ----------------------------------------------------------------- */

static void t_curl(int mode) {
    proc_t p;
    start(mode, 0, &p);
    curl_expect(p.port, "/text?n=100000", "gzip", "gzip", 100000, 0);
    curl_expect(p.port, "/text?n=100000", "br", "br", 100000, 0);
    curl_expect(p.port, "/text?n=100000", "deflate", "deflate", 100000, 0);
    curl_expect(p.port, "/text?n=100000", "gzip, deflate, br", "br", 100000, 0);
    curl_expect(p.port, "/text?n=1000000", "gzip", "gzip", 1000000, 0); /* sent apart from the head */
    curl_expect(p.port, "/stream", "gzip", "gzip", 9000, 1);
    curl_expect(p.port, "/stream", "br", "br", 9000, 1);
    cr_assert_eq(stop(&p), 0);
}

/* Raw sockets, one keep-alive connection: the choice follows each
 * request's Accept-Encoding, Content-Length is the encoded size, HEAD gets
 * the GET head without a body. */
static void t_raw(int mode) {
    proc_t p;
    resp_t r;
    char v[64], gzip_len[64];
    start(mode, 0, &p);
    int fd = harness_dial(p.port);
    send_req(fd, "GET", "/text?n=50000", "gzip, deflate, br");
    cr_assert_eq(read_resp(fd, &r, 0), 0);
    cr_assert_eq(enc_of(r.head), EDDY_HTTP_ENC_BR, "%s", r.head);
    cr_assert_lt(r.body.len, 50000 / 4);
    expect_text_body(&r, 50000);
    resp_free(&r);
    send_req(fd, "GET", "/text?n=50000", "br;q=0.5, GZIP;q=1");
    cr_assert_eq(read_resp(fd, &r, 0), 0);
    cr_assert_eq(enc_of(r.head), EDDY_HTTP_ENC_GZIP, "%s", r.head);
    cr_assert_str_eq(harness_header(r.head, "vary", v, sizeof(v)), "Accept-Encoding");
    snprintf(gzip_len, sizeof(gzip_len), "%zu", r.body.len);
    cr_assert_str_eq(harness_header(r.head, "content-length", v, sizeof(v)), gzip_len);
    expect_text_body(&r, 50000);
    resp_free(&r);
    /* two Accept-Encoding lines are one list */
    const char *two = "GET /json HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip;q=0.2\r\n"
                      "Accept-Encoding: deflate\r\n\r\n";
    cr_assert_eq(send(fd, two, strlen(two), MSG_NOSIGNAL), (ssize_t)strlen(two));
    cr_assert_eq(read_resp(fd, &r, 0), 0);
    cr_assert_eq(enc_of(r.head), EDDY_HTTP_ENC_DEFLATE, "%s", r.head);
    expect_text_body(&r, 5000);
    resp_free(&r);
    /* HEAD: the same head as GET, no body; the next response follows at once */
    send_req(fd, "HEAD", "/text?n=50000", "gzip");
    send_req(fd, "GET", "/text?n=30", "gzip");
    cr_assert_eq(read_resp(fd, &r, 1), 0);
    cr_assert_eq(enc_of(r.head), EDDY_HTTP_ENC_GZIP, "%s", r.head);
    cr_assert_str_eq(harness_header(r.head, "content-length", v, sizeof(v)), gzip_len);
    cr_assert_str_eq(harness_header(r.head, "vary", v, sizeof(v)), "Accept-Encoding");
    resp_free(&r);
    cr_assert_eq(read_resp(fd, &r, 0), 0);
    cr_assert(strncmp(r.head, "HTTP/1.1 200", 12) == 0, "%s", r.head);
    expect_text_body(&r, 30);
    resp_free(&r);
    close(fd);
    cr_assert_eq(stop(&p), 0);
}

/* One request on a fresh connection; the response into *r. */
static void get(int port, const char *path, const char *ae, resp_t *r) {
    int fd = harness_dial(port);
    send_req(fd, "GET", path, ae);
    cr_assert_eq(read_resp(fd, r, 0), 0, "%s", path);
    close(fd);
}

static void t_identity(int mode) {
    proc_t p;
    resp_t r;
    char v[128];
    start(mode, 0, &p);
    /* under compression_min_length (20): as is, and no Vary (never varies) */
    get(p.port, "/text?n=19", "gzip", &r);
    cr_assert_eq(enc_of(r.head), EDDY_HTTP_ENC_IDENTITY, "%s", r.head);
    cr_assert_str_eq(harness_header(r.head, "vary", v, sizeof(v)), "");
    expect_text_body(&r, 19);
    resp_free(&r);
    get(p.port, "/text?n=20", "gzip", &r); /* at the limit: compressed */
    cr_assert_eq(enc_of(r.head), EDDY_HTTP_ENC_GZIP, "%s", r.head);
    expect_text_body(&r, 20);
    resp_free(&r);
    /* a type that is not compressible */
    get(p.port, "/png", "gzip, br", &r);
    cr_assert_eq(enc_of(r.head), EDDY_HTTP_ENC_IDENTITY, "%s", r.head);
    cr_assert_str_eq(harness_header(r.head, "vary", v, sizeof(v)), "");
    expect_text_body(&r, 5000);
    resp_free(&r);
    /* no Accept-Encoding, or one that excludes all: identity, Vary kept */
    const char *aes[] = {NULL, "identity", "gzip;q=0, br;q=0", "compress"};
    for (size_t i = 0; i < 4; i++) {
        get(p.port, "/text?n=5000", aes[i], &r);
        cr_assert_eq(enc_of(r.head), EDDY_HTTP_ENC_IDENTITY, "%s: %s", aes[i], r.head);
        cr_assert_str_eq(harness_header(r.head, "vary", v, sizeof(v)), "Accept-Encoding");
        expect_text_body(&r, 5000);
        resp_free(&r);
    }
    /* the handler's own Content-Encoding: sent as it is, not encoded twice */
    get(p.port, "/own", "gzip, br", &r);
    cr_assert_eq(enc_of(r.head), EDDY_HTTP_ENC_GZIP, "%s", r.head);
    cr_assert_null(strcasestr(strcasestr(r.head, "content-encoding") + 1, "content-encoding"));
    expect_text_body(&r, 5000);
    resp_free(&r);
    /* a strong ETag is weakened on the encoded representation only */
    get(p.port, "/etag", "gzip", &r);
    cr_assert_eq(enc_of(r.head), EDDY_HTTP_ENC_GZIP, "%s", r.head);
    cr_assert_str_eq(harness_header(r.head, "etag", v, sizeof(v)), "W/\"v1\"", "%s", r.head);
    expect_text_body(&r, 5000);
    resp_free(&r);
    get(p.port, "/etag", NULL, &r);
    cr_assert_str_eq(harness_header(r.head, "etag", v, sizeof(v)), "\"v1\"", "%s", r.head);
    resp_free(&r);
    /* the response's switch off */
    get(p.port, "/off", "gzip", &r);
    cr_assert_eq(enc_of(r.head), EDDY_HTTP_ENC_IDENTITY, "%s", r.head);
    expect_text_body(&r, 5000);
    resp_free(&r);
    /* no body: nothing to encode */
    get(p.port, "/nocontent", "gzip", &r);
    cr_assert_eq(r.status, 204);
    cr_assert_eq(enc_of(r.head), EDDY_HTTP_ENC_IDENTITY, "%s", r.head);
    resp_free(&r);
    /* the handler's Vary stays; ours is added beside it; default type text/html */
    get(p.port, "/vary", "gzip", &r);
    cr_assert_eq(enc_of(r.head), EDDY_HTTP_ENC_GZIP, "%s", r.head);
    cr_assert_not_null(strstr(r.head, "\r\nVary: Origin\r\n"), "%s", r.head);
    cr_assert_not_null(strstr(r.head, "\r\nVary: Accept-Encoding\r\n"), "%s", r.head);
    cr_assert_not_null(strstr(r.head, "\r\nContent-Type: text/html\r\n"), "%s", r.head);
    expect_text_body(&r, 5000);
    resp_free(&r);
    cr_assert_eq(stop(&p), 0);
}

/* write() then end(): chunked, encoded on the fly; the first chunk decodes
 * on its own before the response has ended (flushed per write). */
static void t_stream(int mode) {
    proc_t p;
    resp_t r;
    char v[64];
    start(mode, 0, &p);
    for (size_t e = 0; e < 3; e++) {
        const char *name = eddy_http_encoding_name(ENCS[e]);
        int fd = harness_dial(p.port);
        send_req(fd, "GET", "/stream1", name);
        /* the end comes 300 ms after the first write: read the head and the first chunk only */
        cr_assert_gt(read_until(fd, r.head, sizeof(r.head), 0), 0);
        cr_assert_eq(enc_of(r.head), ENCS[e], "%s", r.head);
        cr_assert_str_eq(harness_header(r.head, "transfer-encoding", v, sizeof(v)), "chunked");
        cr_assert_str_eq(harness_header(r.head, "content-length", v, sizeof(v)), "");
        char line[64];
        cr_assert_gt(read_until(fd, line, sizeof(line), 1), 0);
        size_t n = strtoul(line, NULL, 16);
        char *chunk = malloc(n + 2);
        cr_assert_eq(harness_recv_all(fd, chunk, n + 2), 0);
        eddy_buf_t plain;
        eddy_buf_init(&plain);
        cr_assert_eq(compress_decode(ENCS[e], chunk, n, &plain, 0), 0, "%s: first chunk alone", name);
        cr_assert_eq(plain.len, 3000, "%s: %zu", name, plain.len);
        cr_assert_eq(plain.data[0], 'A');
        /* then the rest: "last" and the stream's end */
        eddy_buf_t all;
        eddy_buf_init(&all);
        eddy_buf_append(&all, chunk, n);
        free(chunk);
        for (;;) {
            cr_assert_gt(read_until(fd, line, sizeof(line), 1), 0);
            n = strtoul(line, NULL, 16);
            eddy_buf_reserve(&all, n + 2);
            cr_assert_eq(harness_recv_all(fd, all.data + all.len, n + 2), 0);
            eddy_buf_commit(&all, n);
            if (n == 0) break;
        }
        eddy_buf_clear(&plain);
        cr_assert_eq(compress_decode(ENCS[e], all.data, all.len, &plain, 1), 0, "%s: whole stream", name);
        cr_assert_eq(plain.len, 3004);
        cr_assert(memcmp(plain.data + 3000, "last", 4) == 0);
        eddy_buf_free(&all);
        eddy_buf_free(&plain);
        close(fd);
    }
    /* three pieces, and the connection kept for a second response */
    int fd = harness_dial(p.port);
    send_req(fd, "GET", "/stream", "gzip");
    cr_assert_eq(read_resp(fd, &r, 0), 0);
    cr_assert_eq(enc_of(r.head), EDDY_HTTP_ENC_GZIP, "%s", r.head);
    eddy_buf_t plain;
    eddy_buf_init(&plain);
    cr_assert_eq(compress_decode(EDDY_HTTP_ENC_GZIP, r.body.data, r.body.len, &plain, 1), 0);
    cr_assert_eq(plain.len, 9000);
    cr_assert(plain.data[0] == 'A' && plain.data[3000] == 'B' && plain.data[6000] == 'C');
    eddy_buf_free(&plain);
    resp_free(&r);
    send_req(fd, "GET", "/text?n=100", "br");
    cr_assert_eq(read_resp(fd, &r, 0), 0);
    expect_text_body(&r, 100);
    resp_free(&r);
    /* HEAD of a stream: the head says what GET would use, no chunk follows */
    send_req(fd, "HEAD", "/stream", "br");
    send_req(fd, "GET", "/text?n=10", NULL);
    cr_assert_eq(read_resp(fd, &r, 1), 0);
    cr_assert_eq(enc_of(r.head), EDDY_HTTP_ENC_BR, "%s", r.head);
    resp_free(&r);
    cr_assert_eq(read_resp(fd, &r, 0), 0);
    cr_assert(strncmp(r.head, "HTTP/1.1 200", 12) == 0, "%s", r.head);
    expect_text_body(&r, 10);
    resp_free(&r);
    close(fd);
    /* HTTP/1.0 peers: the stream ends with the connection, uncompressed */
    fd = harness_dial(p.port);
    const char *req10 = "GET /stream HTTP/1.0\r\nAccept-Encoding: gzip\r\n\r\n";
    cr_assert_eq(send(fd, req10, strlen(req10), MSG_NOSIGNAL), (ssize_t)strlen(req10));
    cr_assert_gt(read_until(fd, r.head, sizeof(r.head), 0), 0);
    cr_assert_eq(enc_of(r.head), EDDY_HTTP_ENC_IDENTITY, "%s", r.head);
    char body[9100];
    size_t got = 0;
    for (ssize_t k; got < sizeof(body) && (k = recv(fd, body + got, sizeof(body) - got, 0)) > 0;)
        got += (size_t)k;
    cr_assert_eq(got, 9000);
    close(fd);
    cr_assert_eq(stop(&p), 0);
}

#define BOTH(name)                                                                         \
    EDDY_TEST(compress_base, name, .timeout = 60) { t_##name(EDDY_SERVER_BASE); }        \
    EDDY_TEST(compress_process, name, .timeout = 60) { t_##name(EDDY_SERVER_PROCESS); }

BOTH(curl)
EDDY_TEST(compress_base, raw, .timeout = 60) { t_raw(EDDY_SERVER_BASE); }
EDDY_TEST(compress_base, identity, .timeout = 60) { t_identity(EDDY_SERVER_BASE); }
EDDY_TEST(compress_base, stream, .timeout = 60) { t_stream(EDDY_SERVER_BASE); }

/* http_compression off: nothing is encoded (no Vary either), except a
 * response whose own switch is on. */
EDDY_TEST(compress_base, server_switch_off, .timeout = 60) {
    proc_t p;
    resp_t r;
    char v[64];
    start(EDDY_SERVER_BASE, -1, &p);
    get(p.port, "/text?n=5000", "gzip, br", &r);
    cr_assert_eq(enc_of(r.head), EDDY_HTTP_ENC_IDENTITY, "%s", r.head);
    cr_assert_str_eq(harness_header(r.head, "vary", v, sizeof(v)), "");
    expect_text_body(&r, 5000);
    resp_free(&r);
    get(p.port, "/stream", "gzip", &r);
    cr_assert_eq(enc_of(r.head), EDDY_HTTP_ENC_IDENTITY, "%s", r.head);
    cr_assert_eq(r.body.len, 9000);
    resp_free(&r);
    get(p.port, "/on", "gzip", &r);
    cr_assert_eq(enc_of(r.head), EDDY_HTTP_ENC_GZIP, "%s", r.head);
    expect_text_body(&r, 5000);
    resp_free(&r);
    cr_assert_eq(stop(&p), 0);
}

EDDY_TEST(compress_server, refuses_bad_options) {
    eddy_server_config_t cfg;
    char err[EDDY_SERVER_ERRLEN];
    eddy_server_config_init(&cfg);
    eddy_server_config_set(&cfg, "log_level", "5", err, sizeof(err));
    eddy_server_t *srv = eddy_server_new(&cfg);
    eddy_http_server_t *hs;
    eddy_http_server_opts_t o = {.on_request = on_request, .http_compression_level = 10};
    cr_assert_eq(eddy_http_server_new(&hs, srv, &o), EDDY_EINVAL);
    cr_assert_null(hs);
    o.http_compression_level = 9;
    o.http_compression = 2;
    cr_assert_eq(eddy_http_server_new(&hs, srv, &o), EDDY_EINVAL);
    static const char *const types[] = {"image/png", NULL};
    o.http_compression = 1;
    o.http_compression_types = types; /* copied: freed with the server */
    cr_assert_eq(eddy_http_server_new(&hs, srv, &o), 0);
    eddy_http_server_free(hs);
    eddy_server_free(srv);
    eddy_server_config_free(&cfg);
}
