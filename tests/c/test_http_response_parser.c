/*
 * HTTP/1.1 response head parser and body reader (src/http/response_parser.c).
 * Every case is also parsed from every prefix: a prefix gives EDDY_EAGAIN
 * or the whole input's answer. Inputs sit right before a guard page so a
 * read past len faults.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "eddy/http.h"
#include "eddy_test.h"

/* len bytes of s ending exactly at a PROT_NONE page. */
typedef struct {
    char *map;
    size_t maplen;
    char *p;
} guarded_t;

static guarded_t guard(const char *s, size_t len) {
    size_t pg = (size_t)sysconf(_SC_PAGESIZE);
    size_t data_pages = (len + pg - 1) / pg + 1;
    guarded_t g;
    g.maplen = (data_pages + 1) * pg;
    g.map = mmap(NULL, g.maplen, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    cr_assert_neq(g.map, MAP_FAILED);
    cr_assert_eq(mprotect(g.map + data_pages * pg, pg, PROT_NONE), 0);
    g.p = g.map + data_pages * pg - len;
    memcpy(g.p, s, len);
    return g;
}

static void unguard(guarded_t *g) { munmap(g->map, g->maplen); }

static ssize_t parse(const char *s, size_t len, eddy_http_res_t *res, eddy_http_header_t *h) {
    guarded_t g = guard(s, len);
    ssize_t whole = eddy_http_parse_response(g.p, len, NULL, res, h, 16);
    for (size_t cut = 0; cut < len; cut++) {
        guarded_t pg = guard(s, cut);
        eddy_http_res_t r2;
        eddy_http_header_t h2[16];
        ssize_t part = eddy_http_parse_response(pg.p, cut, NULL, &r2, h2, 16);
        unguard(&pg);
        cr_assert(part == EDDY_EAGAIN || part == whole,
                  "prefix %zu of %zu gave %zd, whole gave %zd", cut, len, part, whole);
    }
    /* Re-parse into caller-visible memory (the spans must outlive g). */
    unguard(&g);
    return eddy_http_parse_response(s, len, NULL, res, h, 16);
}

#define S(lit) lit, sizeof(lit) - 1

EDDY_TEST(http_response_parser, status_line_headers_and_framing) {
    eddy_http_res_t r;
    eddy_http_header_t h[16];
    static const char in[] = "HTTP/1.1 404 Not Found\r\nContent-Length:  12 \r\n"
                             "X-A: b\r\n\r\nbody";
    ssize_t n = parse(S(in), &r, h);
    cr_assert_eq(n, (ssize_t)sizeof(in) - 1 - 4);
    cr_assert_eq(r.status, 404);
    cr_assert_eq(r.version_minor, 1);
    cr_assert_eq(r.reason_len, 9);
    cr_assert(memcmp(r.reason, "Not Found", 9) == 0);
    cr_assert_eq(r.num_headers, 2);
    cr_assert_eq(r.content_length, 12);
    cr_assert(r.flags & EDDY_HTTP_KEEP_ALIVE);
    const eddy_http_header_t *x = eddy_http_res_header(&r, "x-a", 3);
    cr_assert_not_null(x);
    cr_assert_eq(x->value_len, 1);
    cr_assert_eq(eddy_http_res_body_kind(&r, 0), EDDY_HTTP_BODY_LENGTH);
    cr_assert_eq(eddy_http_res_body_kind(&r, 1), EDDY_HTTP_BODY_NONE, "HEAD has no body");
}

EDDY_TEST(http_response_parser, reason_may_be_missing_or_empty) {
    eddy_http_res_t r;
    eddy_http_header_t h[16];
    cr_assert_gt(parse(S("HTTP/1.1 200\r\n\r\n"), &r, h), 0);
    cr_assert_eq(r.status, 200);
    cr_assert_gt(parse(S("HTTP/1.0 200 \r\n\r\n"), &r, h), 0);
    cr_assert_eq(r.version_minor, 0);
    cr_assert_eq(r.flags & EDDY_HTTP_KEEP_ALIVE, 0, "1.0 closes by default");
    cr_assert_eq(eddy_http_res_body_kind(&r, 0), EDDY_HTTP_BODY_CLOSE);
}

EDDY_TEST(http_response_parser, rejects_malformed_heads_with_distinct_codes) {
    eddy_http_res_t r;
    eddy_http_header_t h[16];
    struct {
        const char *in;
        ssize_t want;
    } cases[] = {
        {"HTTP/2.0 200 OK\r\n\r\n", EDDY_EHTTP_BAD_STATUS},
        {"HTTP/1.1 20 OK\r\n\r\n", EDDY_EHTTP_BAD_STATUS},
        {"HTTP/1.1 099 OK\r\n\r\n", EDDY_EHTTP_BAD_STATUS},
        {"HTTP/1.1 200OK\r\n\r\n", EDDY_EHTTP_BAD_STATUS},
        {"ICY 200 OK\r\n\r\n", EDDY_EHTTP_BAD_STATUS},
        {"HTTP/1.1 200 OK\n\r\n", EDDY_EHTTP_BAD_LINE_END},
        {"HTTP/1.1 200 OK\r\nA b: c\r\n\r\n", EDDY_EHTTP_BAD_HEADER_NAME},
        {"HTTP/1.1 200 OK\r\nA: b\r\n c\r\n\r\n", EDDY_EHTTP_OBS_FOLD},
        {"HTTP/1.1 200 OK\r\nA: b\x01\r\n\r\n", EDDY_EHTTP_BAD_HEADER_VALUE},
        {"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", EDDY_EHTTP_BAD_CONTENT_LENGTH},
        {"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
         EDDY_EHTTP_DUP_CONTENT_LENGTH},
        {"HTTP/1.1 200 OK\r\nContent-Length: 99999999\r\n\r\n", EDDY_EHTTP_BODY_TOO_LARGE},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        ssize_t n = parse(cases[i].in, strlen(cases[i].in), &r, h);
        cr_assert_eq(n, cases[i].want, "case %zu: got %zd (%s)", i, n, eddy_http_strerror((int)n));
    }
}

EDDY_TEST(http_response_parser, transfer_encoding_decides_the_framing) {
    eddy_http_res_t r;
    eddy_http_header_t h[16];
    cr_assert_gt(parse(S("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"), &r, h), 0);
    cr_assert_eq(eddy_http_res_body_kind(&r, 0), EDDY_HTTP_BODY_CHUNKED);
    cr_assert(r.flags & EDDY_HTTP_KEEP_ALIVE);
    /* Both framings: chunked wins, and the connection is not reused. */
    cr_assert_gt(parse(S("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"),
                       &r, h), 0);
    cr_assert_eq(eddy_http_res_body_kind(&r, 0), EDDY_HTTP_BODY_CHUNKED);
    cr_assert_eq(r.flags & EDDY_HTTP_KEEP_ALIVE, 0);
    /* A final coding other than chunked: the body runs to the close. */
    cr_assert_gt(parse(S("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n"), &r, h), 0);
    cr_assert_eq(eddy_http_res_body_kind(&r, 0), EDDY_HTTP_BODY_CLOSE);
    cr_assert_eq(r.flags & EDDY_HTTP_KEEP_ALIVE, 0);
}

EDDY_TEST(http_response_parser, no_body_for_1xx_204_304_and_connection_close_honoured) {
    eddy_http_res_t r;
    eddy_http_header_t h[16];
    cr_assert_gt(parse(S("HTTP/1.1 100 Continue\r\n\r\n"), &r, h), 0);
    cr_assert_eq(eddy_http_res_body_kind(&r, 0), EDDY_HTTP_BODY_NONE);
    cr_assert_gt(parse(S("HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n"), &r, h), 0);
    cr_assert_eq(eddy_http_res_body_kind(&r, 0), EDDY_HTTP_BODY_NONE);
    cr_assert_gt(parse(S("HTTP/1.1 304 Not Modified\r\nConnection: close\r\n\r\n"), &r, h), 0);
    cr_assert_eq(eddy_http_res_body_kind(&r, 0), EDDY_HTTP_BODY_NONE);
    cr_assert_eq(r.flags & EDDY_HTTP_KEEP_ALIVE, 0);
    cr_assert(r.flags & EDDY_HTTP_CONNECTION_CLOSE);
    cr_assert_gt(parse(S("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n"),
                       &r, h), 0);
    cr_assert(r.flags & EDDY_HTTP_KEEP_ALIVE);
}

/* Feeds body bytes in pieces of `step`; the data and the end must match. */
static void body_in_steps(int kind, uint64_t cl, const char *in, size_t len, size_t step,
                          const char *want, ssize_t want_end) {
    eddy_http_body_t b;
    eddy_http_body_init(&b, kind, cl, 1 << 20);
    char out[256] = "";
    size_t outlen = 0, pos = 0;
    ssize_t r = EDDY_EAGAIN;
    while (r == EDDY_EAGAIN && pos < len) {
        size_t n = len - pos < step ? len - pos : step;
        char piece[256];
        memcpy(piece, in + pos, n);
        size_t data = 0;
        r = eddy_http_body_decode(&b, piece, n, &data);
        memcpy(out + outlen, piece, data);
        outlen += data;
        if (r >= 0) r += (ssize_t)pos;
        pos += n;
    }
    cr_assert_eq(outlen, strlen(want), "step %zu: %zu data bytes", step, outlen);
    cr_assert(memcmp(out, want, outlen) == 0);
    cr_assert_eq(r, want_end, "step %zu: end %zd", step, r);
}

EDDY_TEST(http_response_parser, body_reader_any_split_same_bytes_and_end) {
    static const char chunked[] = "3\r\nabc\r\n2;x=y\r\nde\r\n0\r\nT: v\r\n\r\nNEXT";
    for (size_t step = 1; step <= sizeof(chunked); step++) {
        body_in_steps(EDDY_HTTP_BODY_LENGTH, 5, "hello" "NEXT", 9, step, "hello", 5);
        body_in_steps(EDDY_HTTP_BODY_CHUNKED, 0, chunked, sizeof(chunked) - 1, step, "abcde",
                      (ssize_t)sizeof(chunked) - 1 - 4);
    }
    eddy_http_body_t b;
    size_t data;
    char buf[8] = "xyz";
    eddy_http_body_init(&b, EDDY_HTTP_BODY_CLOSE, 0, 0);
    cr_assert_eq(eddy_http_body_decode(&b, buf, 3, &data), EDDY_EAGAIN);
    cr_assert_eq(data, 3);
    cr_assert_eq(eddy_http_body_eof(&b), 0, "close ends a close-delimited body");
    eddy_http_body_init(&b, EDDY_HTTP_BODY_LENGTH, 10, 0);
    cr_assert_eq(eddy_http_body_decode(&b, buf, 3, &data), EDDY_EAGAIN);
    cr_assert_eq(eddy_http_body_eof(&b), EDDY_ECONNRESET, "a short body is an error");
    eddy_http_body_init(&b, EDDY_HTTP_BODY_CLOSE, 0, 2);
    cr_assert_eq(eddy_http_body_decode(&b, buf, 3, &data), EDDY_EHTTP_BODY_TOO_LARGE);
    eddy_http_body_init(&b, EDDY_HTTP_BODY_NONE, 0, 0);
    cr_assert_eq(eddy_http_body_decode(&b, buf, 3, &data), 0);
    cr_assert_eq(data, 0);
}
