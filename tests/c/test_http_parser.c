/* HTTP/1.1 request head parser (include/eddy/http.h): accepted and rejected
 * heads, keep-alive rules, limits, pipelining, every split point, and no
 * read past len at a guard page. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "eddy/http.h"
#include "eddy_test.h"

#define MAXH 32

static eddy_http_request_t req;
static eddy_http_header_t hdrs[MAXH];

static ssize_t parse_n(const char *s, size_t n) {
    return eddy_http_parse_request(s, n, NULL, &req, hdrs, MAXH);
}
static ssize_t parse(const char *s) { return parse_n(s, strlen(s)); }

static int span_is(const char *p, size_t n, const char *want) {
    return p && n == strlen(want) && memcmp(p, want, n) == 0;
}

#define H11 "Host: example.com\r\n"

/* ---- accepted heads --------------------------------------------------------- */

EDDY_TEST(http_parser, simple_get_fills_every_field) {
    const char *s = "GET /a/b?x=1&y=2 HTTP/1.1\r\n" H11 "Accept:  */*  \r\nX-Empty:\r\n\r\n";
    cr_assert_eq(parse(s), (ssize_t)strlen(s));
    cr_assert(span_is(req.method, req.method_len, "GET"));
    cr_assert(span_is(req.target, req.target_len, "/a/b?x=1&y=2"));
    cr_assert(span_is(req.path, req.path_len, "/a/b"));
    cr_assert(span_is(req.query, req.query_len, "x=1&y=2"));
    cr_assert_eq(req.version_minor, 1);
    cr_assert_eq(req.num_headers, 3);
    cr_assert(span_is(hdrs[0].name, hdrs[0].name_len, "Host"));
    cr_assert(span_is(hdrs[1].value, hdrs[1].value_len, "*/*"), "OWS trimmed");
    cr_assert_eq(hdrs[2].value_len, 0);
    cr_assert_eq(req.flags, EDDY_HTTP_KEEP_ALIVE);
    cr_assert_eq(req.content_length, 0);
}

EDDY_TEST(http_parser, target_forms_split_path_and_query) {
    cr_assert_gt(parse("GET /p?q#frag HTTP/1.1\r\n" H11 "\r\n"), 0);
    cr_assert(span_is(req.path, req.path_len, "/p"));
    cr_assert(span_is(req.query, req.query_len, "q"));
    cr_assert_gt(parse("GET /p#f?x HTTP/1.1\r\n" H11 "\r\n"), 0);
    cr_assert(span_is(req.path, req.path_len, "/p"));
    cr_assert_null(req.query);
    cr_assert_gt(parse("GET /p? HTTP/1.1\r\n" H11 "\r\n"), 0);
    cr_assert_not_null(req.query);
    cr_assert_eq(req.query_len, 0);
    cr_assert_gt(parse("GET http://h:80/x/y?z HTTP/1.1\r\n" H11 "\r\n"), 0);
    cr_assert(span_is(req.path, req.path_len, "/x/y"));
    cr_assert(span_is(req.query, req.query_len, "z"));
    cr_assert_gt(parse("GET http://h HTTP/1.1\r\n" H11 "\r\n"), 0);
    cr_assert(span_is(req.path, req.path_len, "/"));
    cr_assert_gt(parse("GET coap+tcp://h?x HTTP/1.1\r\n" H11 "\r\n"), 0);
    cr_assert(span_is(req.query, req.query_len, "x"));
    cr_assert(span_is(req.path, req.path_len, "/"));
    cr_assert_gt(parse("OPTIONS * HTTP/1.1\r\n" H11 "\r\n"), 0);
    cr_assert(span_is(req.path, req.path_len, "*"));
    cr_assert_gt(parse("CONNECT h:443 HTTP/1.1\r\n" H11 "\r\n"), 0);
    cr_assert_eq(req.path_len, 0);
    cr_assert(span_is(req.target, req.target_len, "h:443"));
    cr_assert_eq(parse("GET h:443 HTTP/1.1\r\n" H11 "\r\n"), EDDY_EHTTP_BAD_TARGET);
    cr_assert_gt(parse("GET /caf\xc3\xa9 HTTP/1.1\r\n" H11 "\r\n"), 0, "raw UTF-8 accepted");
}

EDDY_TEST(http_parser, leading_empty_lines_are_skipped_and_counted) {
    const char *s = "\r\n\r\nGET / HTTP/1.1\r\n" H11 "\r\n";
    cr_assert_eq(parse(s), (ssize_t)strlen(s));
    cr_assert(span_is(req.method, req.method_len, "GET"));
    cr_assert_eq(parse("\r\n\r"), EDDY_EAGAIN);
}

EDDY_TEST(http_parser, keep_alive_rules_for_1_0_and_1_1) {
    struct { const char *s; unsigned ka; } c[] = {
        {"GET / HTTP/1.1\r\n" H11 "\r\n", 1},
        {"GET / HTTP/1.1\r\n" H11 "Connection: close\r\n\r\n", 0},
        {"GET / HTTP/1.1\r\n" H11 "Connection: keep-alive, CLOSE\r\n\r\n", 0},
        {"GET / HTTP/1.1\r\n" H11 "Connection: Upgrade\r\n\r\n", 1},
        {"GET / HTTP/1.0\r\n\r\n", 0},
        {"GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", 1},
        {"GET / HTTP/1.0\r\nConnection: foo,  keep-alive ,\r\n\r\n", 1},
        {"GET / HTTP/1.0\r\nConnection: keep-alive\r\nConnection: close\r\n\r\n", 0},
        {"GET / HTTP/1.2\r\n" H11 "\r\n", 1}, /* served as 1.1 */
    };
    for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
        cr_assert_gt(parse(c[i].s), 0, "case %zu", i);
        cr_assert_eq(!!(req.flags & EDDY_HTTP_KEEP_ALIVE), c[i].ka, "case %zu", i);
    }
    cr_assert_gt(parse("GET / HTTP/1.1\r\n" H11 "Connection: close\r\n\r\n"), 0);
    cr_assert(req.flags & EDDY_HTTP_CONNECTION_CLOSE);
    cr_assert_gt(parse("GET / HTTP/1.1\r\n" H11 "Connection: upgrade\r\n\r\n"), 0);
    cr_assert(req.flags & EDDY_HTTP_UPGRADE);
    cr_assert_gt(parse("GET / HTTP/1.2\r\n" H11 "\r\n"), 0);
    cr_assert_eq(req.version_minor, 1);
}

EDDY_TEST(http_parser, expect_100_continue_only_for_1_1) {
    cr_assert_gt(parse("POST / HTTP/1.1\r\n" H11 "Expect: 100-Continue\r\nContent-Length: 3\r\n\r\n"), 0);
    cr_assert(req.flags & EDDY_HTTP_EXPECT_CONTINUE);
    cr_assert_gt(parse("POST / HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n"), 0);
    cr_assert_not(req.flags & EDDY_HTTP_EXPECT_CONTINUE);
    cr_assert_gt(parse("POST / HTTP/1.1\r\n" H11 "Expect: something\r\n\r\n"), 0);
    cr_assert_not(req.flags & EDDY_HTTP_EXPECT_CONTINUE);
}

EDDY_TEST(http_parser, content_length_and_chunked_detection) {
    cr_assert_gt(parse("POST / HTTP/1.1\r\n" H11 "content-length: 42\r\n\r\n"), 0);
    cr_assert_eq(req.content_length, 42);
    cr_assert_eq(req.flags & (EDDY_HTTP_CONTENT_LENGTH | EDDY_HTTP_CHUNKED),
                 EDDY_HTTP_CONTENT_LENGTH);
    cr_assert_gt(parse("POST / HTTP/1.1\r\n" H11 "Content-Length: 0\r\n\r\n"), 0);
    cr_assert(req.flags & EDDY_HTTP_CONTENT_LENGTH);
    /* identical duplicates (same value) are accepted, documented in http.h */
    cr_assert_gt(parse("POST / HTTP/1.1\r\n" H11 "Content-Length: 7\r\nContent-Length: 007\r\n\r\n"), 0);
    cr_assert_eq(req.content_length, 7);
    cr_assert_gt(parse("POST / HTTP/1.1\r\n" H11 "Transfer-Encoding: CHUNKED \r\n\r\n"), 0);
    cr_assert_eq(req.flags & (EDDY_HTTP_CONTENT_LENGTH | EDDY_HTTP_CHUNKED), EDDY_HTTP_CHUNKED);
    cr_assert_gt(parse("POST / HTTP/1.1\r\n" H11 "Transfer-Encoding: , chunked\r\n\r\n"), 0);
    cr_assert(req.flags & EDDY_HTTP_CHUNKED);
    cr_assert_eq(parse("POST / HTTP/1.1\r\n" H11 "Content-Length: 999999999999999999\r\n\r\n"),
                 EDDY_EHTTP_BODY_TOO_LARGE, "18 digits parse, then meet the body limit");
}

/* ---- rejected heads ------------------------------------------------------------ */

typedef struct {
    const char *s;
    ssize_t want;
} reject_t;

static const reject_t rejects[] = {
    /* smuggling: framing conflicts */
    {"POST / HTTP/1.1\r\n" H11 "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n", EDDY_EHTTP_CL_AND_TE},
    {"POST / HTTP/1.1\r\n" H11 "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n", EDDY_EHTTP_CL_AND_TE},
    {"POST / HTTP/1.1\r\n" H11 "Content-Length: 5\r\nContent-Length: 6\r\n\r\n", EDDY_EHTTP_DUP_CONTENT_LENGTH},
    {"POST / HTTP/1.1\r\n" H11 "Content-Length: 5, 5\r\n\r\n", EDDY_EHTTP_BAD_CONTENT_LENGTH},
    {"POST / HTTP/1.1\r\n" H11 "Content-Length: abc\r\n\r\n", EDDY_EHTTP_BAD_CONTENT_LENGTH},
    {"POST / HTTP/1.1\r\n" H11 "Content-Length: -1\r\n\r\n", EDDY_EHTTP_BAD_CONTENT_LENGTH},
    {"POST / HTTP/1.1\r\n" H11 "Content-Length: +5\r\n\r\n", EDDY_EHTTP_BAD_CONTENT_LENGTH},
    {"POST / HTTP/1.1\r\n" H11 "Content-Length: 1 2\r\n\r\n", EDDY_EHTTP_BAD_CONTENT_LENGTH},
    {"POST / HTTP/1.1\r\n" H11 "Content-Length:\r\n\r\n", EDDY_EHTTP_BAD_CONTENT_LENGTH},
    {"POST / HTTP/1.1\r\n" H11 "Content-Length: 0x10\r\n\r\n", EDDY_EHTTP_BAD_CONTENT_LENGTH},
    {"POST / HTTP/1.1\r\n" H11 "Content-Length: 18446744073709551617\r\n\r\n", EDDY_EHTTP_BAD_CONTENT_LENGTH},
    {"POST / HTTP/1.1\r\n" H11 "Content-Length: 1000000000000000000\r\n\r\n", EDDY_EHTTP_BAD_CONTENT_LENGTH},
    {"POST / HTTP/1.1\r\n" H11 "Transfer-Encoding: chunked, gzip\r\n\r\n", EDDY_EHTTP_BAD_TRANSFER_ENCODING},
    {"POST / HTTP/1.1\r\n" H11 "Transfer-Encoding: gzip\r\n\r\n", EDDY_EHTTP_BAD_TRANSFER_ENCODING},
    {"POST / HTTP/1.1\r\n" H11 "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", EDDY_EHTTP_BAD_TRANSFER_ENCODING},
    {"POST / HTTP/1.1\r\n" H11 "Transfer-Encoding: xchunked\r\n\r\n", EDDY_EHTTP_BAD_TRANSFER_ENCODING},
    {"POST / HTTP/1.1\r\n" H11 "Transfer-Encoding: chunked;q=1\r\n\r\n", EDDY_EHTTP_BAD_TRANSFER_ENCODING},
    {"POST / HTTP/1.1\r\n" H11 "Transfer-Encoding: gzip, chunked\r\n\r\n", EDDY_EHTTP_TE_NOT_IMPLEMENTED},
    {"POST / HTTP/1.1\r\n" H11 "Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n", EDDY_EHTTP_TE_NOT_IMPLEMENTED},
    {"POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", EDDY_EHTTP_BAD_TRANSFER_ENCODING},
    /* header syntax */
    {"GET / HTTP/1.1\r\nHost : x\r\n\r\n", EDDY_EHTTP_BAD_HEADER_NAME},
    {"GET / HTTP/1.1\r\n" H11 "Transfer-Encoding\t: chunked\r\n\r\n", EDDY_EHTTP_BAD_HEADER_NAME},
    {"GET / HTTP/1.1\r\n" H11 "Bad@Name: x\r\n\r\n", EDDY_EHTTP_BAD_HEADER_NAME},
    {"GET / HTTP/1.1\r\n" H11 ": x\r\n\r\n", EDDY_EHTTP_BAD_HEADER_NAME},
    {"GET / HTTP/1.1\r\n" H11 "NoColon\r\n\r\n", EDDY_EHTTP_BAD_HEADER_NAME},
    {"GET / HTTP/1.1\r\n" H11 "X: a\r\n b\r\n\r\n", EDDY_EHTTP_OBS_FOLD},
    {"GET / HTTP/1.1\r\n" H11 "X: a\r\n\tb\r\n\r\n", EDDY_EHTTP_OBS_FOLD},
    {"GET / HTTP/1.1\r\n Host: x\r\n\r\n", EDDY_EHTTP_OBS_FOLD},
    {"GET / HTTP/1.1\r\n" H11 "X: a\x01b\r\n\r\n", EDDY_EHTTP_BAD_HEADER_VALUE},
    {"GET / HTTP/1.1\r\n" H11 "X: a\x7f\r\n\r\n", EDDY_EHTTP_BAD_HEADER_VALUE},
    {"GET / HTTP/1.1\r\n" H11 "X: a\rb\r\n\r\n", EDDY_EHTTP_BAD_LINE_END},
    /* line ends */
    {"GET / HTTP/1.1\n" H11 "\r\n", EDDY_EHTTP_BAD_LINE_END},
    {"GET / HTTP/1.1\r\nHost: x\n\r\n", EDDY_EHTTP_BAD_LINE_END},
    {"GET / HTTP/1.1\r\n" H11 "\n", EDDY_EHTTP_BAD_LINE_END},
    {"\nGET / HTTP/1.1\r\n" H11 "\r\n", EDDY_EHTTP_BAD_LINE_END},
    {"GET / HTTP/1.1\r\r\n" H11 "\r\n", EDDY_EHTTP_BAD_VERSION},
    /* request line */
    {"G(T / HTTP/1.1\r\n" H11 "\r\n", EDDY_EHTTP_BAD_METHOD},
    {" GET / HTTP/1.1\r\n" H11 "\r\n", EDDY_EHTTP_BAD_METHOD},
    {"GET  / HTTP/1.1\r\n" H11 "\r\n", EDDY_EHTTP_BAD_TARGET},
    {"GET /a\x01 HTTP/1.1\r\n" H11 "\r\n", EDDY_EHTTP_BAD_TARGET},
    {"GET /a\x7f HTTP/1.1\r\n" H11 "\r\n", EDDY_EHTTP_BAD_TARGET},
    {"GET /a\tb HTTP/1.1\r\n" H11 "\r\n", EDDY_EHTTP_BAD_TARGET},
    {"GET * HTTP/1.1\r\n" H11 "\r\n", EDDY_EHTTP_BAD_TARGET},
    {"GET a?b://c HTTP/1.1\r\n" H11 "\r\n", EDDY_EHTTP_BAD_TARGET},
    {"GET ://h/ HTTP/1.1\r\n" H11 "\r\n", EDDY_EHTTP_BAD_TARGET},
    {"GET /\r\n\r\n", EDDY_EHTTP_BAD_REQUEST},
    {"GET / HTTP/1.1 \r\n" H11 "\r\n", EDDY_EHTTP_BAD_VERSION},
    {"GET /  HTTP/1.1\r\n" H11 "\r\n", EDDY_EHTTP_BAD_VERSION},
    {"GET / http/1.1\r\n" H11 "\r\n", EDDY_EHTTP_BAD_VERSION},
    {"GET / HTTP/1.10\r\n" H11 "\r\n", EDDY_EHTTP_BAD_VERSION},
    {"GET / HTTP/1\r\n" H11 "\r\n", EDDY_EHTTP_BAD_VERSION},
    {"GET / HTTP/2.0\r\n" H11 "\r\n", EDDY_EHTTP_VERSION},
    {"GET / HTTP/0.9\r\n" H11 "\r\n", EDDY_EHTTP_VERSION},
    /* Host */
    {"GET / HTTP/1.1\r\n\r\n", EDDY_EHTTP_BAD_HOST},
    {"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", EDDY_EHTTP_BAD_HOST},
    {"GET / HTTP/1.0\r\nHost: a\r\nHost: a\r\n\r\n", EDDY_EHTTP_BAD_HOST},
    /* body limit */
    {"POST / HTTP/1.1\r\n" H11 "Content-Length: 2097153\r\n\r\n", EDDY_EHTTP_BODY_TOO_LARGE},
};
#define NREJECTS (sizeof(rejects) / sizeof(rejects[0]))

EDDY_TEST(http_parser, rejects_each_malformed_or_ambiguous_head) {
    for (size_t i = 0; i < NREJECTS; i++) {
        ssize_t r = parse(rejects[i].s);
        cr_assert_eq(r, rejects[i].want, "case %zu: got %zd (%s), want %zd", i, r,
                     eddy_http_strerror((int)r), rejects[i].want);
    }
}

EDDY_TEST(http_parser, body_at_the_limit_is_accepted) {
    cr_assert_gt(parse("POST / HTTP/1.1\r\n" H11 "Content-Length: 2097152\r\n\r\n"), 0);
    eddy_http_parser_opts_t o;
    eddy_http_parser_opts_init(&o);
    o.body_max_size = 0; /* no limit */
    const char *s = "POST / HTTP/1.1\r\n" H11 "Content-Length: 999999999999999999\r\n\r\n";
    cr_assert_gt(eddy_http_parse_request(s, strlen(s), &o, &req, hdrs, MAXH), 0);
}

/* ---- limits ---------------------------------------------------------------------- */

static char *repeat(const char *head, char c, size_t n, const char *tail) {
    size_t hl = strlen(head), tl = strlen(tail);
    char *s = malloc(hl + n + tl + 1);
    memcpy(s, head, hl);
    memset(s + hl, c, n);
    memcpy(s + hl + n, tail, tl + 1);
    return s;
}

EDDY_TEST(http_parser, request_line_over_the_limit_is_414) {
    /* "GET /" + n + " HTTP/1.1" = n + 14 bytes of line */
    char *ok = repeat("GET /", 'a', 8192 - 14, " HTTP/1.1\r\n\r\n");
    eddy_http_parser_opts_t o;
    eddy_http_parser_opts_init(&o);
    o.header_max_size = 16384;
    cr_assert_eq(eddy_http_parse_request(ok, strlen(ok), &o, &req, hdrs, MAXH), EDDY_EHTTP_BAD_HOST,
                 "a line of exactly line_max_size passes the limit");
    char *big = repeat("GET /", 'a', 8192 - 13, " HTTP/1.1\r\n" H11 "\r\n");
    cr_assert_eq(eddy_http_parse_request(big, strlen(big), &o, &req, hdrs, MAXH),
                 EDDY_EHTTP_URI_TOO_LONG);
    /* detected before the line ends */
    cr_assert_eq(eddy_http_parse_request(big, 8200, &o, &req, hdrs, MAXH), EDDY_EHTTP_URI_TOO_LONG);
    cr_assert_eq(eddy_http_error_status(EDDY_EHTTP_URI_TOO_LONG), 414);
    free(ok);
    free(big);
}

EDDY_TEST(http_parser, head_over_the_limit_is_431) {
    char *big = repeat("GET / HTTP/1.1\r\n" H11 "X-Big: ", 'v', 8192, "\r\n\r\n");
    cr_assert_eq(parse(big), EDDY_EHTTP_HEADERS_TOO_LARGE);
    cr_assert_eq(parse_n(big, 8193), EDDY_EHTTP_HEADERS_TOO_LARGE, "found while incomplete");
    cr_assert_eq(parse_n(big, 8192), EDDY_EAGAIN);
    free(big);
    /* exactly at the limit passes */
    eddy_http_parser_opts_t o;
    eddy_http_parser_opts_init(&o);
    const char *s = "GET / HTTP/1.1\r\n" H11 "\r\n";
    o.header_max_size = strlen(s);
    cr_assert_gt(eddy_http_parse_request(s, strlen(s), &o, &req, hdrs, MAXH), 0);
    o.header_max_size--;
    cr_assert_eq(eddy_http_parse_request(s, strlen(s), &o, &req, hdrs, MAXH),
                 EDDY_EHTTP_HEADERS_TOO_LARGE);
    cr_assert_eq(eddy_http_error_status(EDDY_EHTTP_HEADERS_TOO_LARGE), 431);
}

EDDY_TEST(http_parser, more_headers_than_the_array_is_431) {
    const char *s = "GET / HTTP/1.1\r\n" H11 "A: 1\r\nB: 2\r\n\r\n";
    cr_assert_gt(eddy_http_parse_request(s, strlen(s), NULL, &req, hdrs, 3), 0);
    cr_assert_eq(eddy_http_parse_request(s, strlen(s), NULL, &req, hdrs, 2),
                 EDDY_EHTTP_HEADERS_TOO_LARGE);
}

EDDY_TEST(http_parser, error_codes_map_to_statuses) {
    cr_assert_eq(eddy_http_error_status(EDDY_EHTTP_BAD_HEADER_NAME), 400);
    cr_assert_eq(eddy_http_error_status(EDDY_EHTTP_CL_AND_TE), 400);
    cr_assert_eq(eddy_http_error_status(EDDY_EHTTP_BAD_CHUNK), 400);
    cr_assert_eq(eddy_http_error_status(EDDY_EHTTP_BODY_TOO_LARGE), 413);
    cr_assert_eq(eddy_http_error_status(EDDY_EHTTP_VERSION), 505);
    cr_assert_eq(eddy_http_error_status(EDDY_EHTTP_TE_NOT_IMPLEMENTED), 501);
    cr_assert_eq(eddy_http_error_status(EDDY_EAGAIN), 0);
    cr_assert_eq(eddy_http_error_status(100), 0);
    for (int c = EDDY_EHTTP_BAD_CHUNK; c <= EDDY_EHTTP_BAD_REQUEST; c++) {
        cr_assert_neq(eddy_http_error_status(c), 0);
        cr_assert_eq(strncmp(eddy_http_strerror(c), "HTTP: ", 6), 0);
    }
}

/* ---- incremental ---------------------------------------------------------------- */

EDDY_TEST(http_parser, every_proper_prefix_needs_more) {
    const char *s = "POST /up?x=1 HTTP/1.1\r\n" H11 "Content-Length: 3\r\nX-A: b\r\n\r\n";
    size_t n = strlen(s);
    for (size_t k = 0; k < n; k++) cr_assert_eq(parse_n(s, k), EDDY_EAGAIN, "prefix %zu", k);
    cr_assert_eq(parse_n(s, n), (ssize_t)n);
}

EDDY_TEST(http_parser, pipelined_requests_parse_one_after_another) {
    const char *s = "GET /1 HTTP/1.1\r\n" H11 "\r\n"
                    "POST /2 HTTP/1.1\r\n" H11 "Content-Length: 4\r\n\r\nbody"
                    "GET /3 HTTP/1.0\r\n\r\n"
                    "GET /4 HTTP/1.1\r\n";
    size_t n = strlen(s), off = 0;
    const char *paths[] = {"/1", "/2", "/3"};
    for (int i = 0; i < 3; i++) {
        ssize_t r = parse_n(s + off, n - off);
        cr_assert_gt(r, 0, "request %d", i);
        cr_assert(span_is(req.path, req.path_len, paths[i]));
        off += (size_t)r + req.content_length;
    }
    cr_assert_eq(parse_n(s + off, n - off), EDDY_EAGAIN);
}

/* A result made comparable across buffers: spans become offsets. */
typedef struct {
    ssize_t rc;
    size_t f[8];
    size_t nh;
    size_t h[MAXH][4];
    uint64_t cl;
    unsigned flags;
    int minor;
} snap_t;

static size_t off(const char *base, const char *p) { return p ? (size_t)(p - base) + 1 : 0; }

static void snap(const char *base, ssize_t rc, snap_t *s) {
    memset(s, 0, sizeof(*s));
    s->rc = rc;
    if (rc <= 0) return;
    size_t f[8] = {off(base, req.method), req.method_len, off(base, req.target), req.target_len,
                   req.path_len, req.query ? off(base, req.query) : 0, req.query_len, 0};
    memcpy(s->f, f, sizeof(f));
    s->nh = req.num_headers;
    for (size_t i = 0; i < req.num_headers; i++) {
        s->h[i][0] = off(base, hdrs[i].name), s->h[i][1] = hdrs[i].name_len;
        s->h[i][2] = off(base, hdrs[i].value), s->h[i][3] = hdrs[i].value_len;
    }
    s->cl = req.content_length, s->flags = req.flags, s->minor = req.version_minor;
}

/* Feeds s through an exact-size heap copy grown by `step` bytes at a time
 * (first step `first`); returns the first answer that is not EAGAIN. */
static void feed(const char *s, size_t n, size_t first, size_t step, snap_t *out) {
    size_t have = 0;
    for (int round = 0;; round++) {
        size_t add = round == 0 ? first : step;
        have = have + add > n ? n : have + add;
        char *copy = malloc(have ? have : 1);
        memcpy(copy, s, have);
        ssize_t r = parse_n(copy, have);
        snap(copy, r, out);
        free(copy);
        if (r != EDDY_EAGAIN || have == n) return;
    }
}

static void check_all_splits(const char *s) {
    size_t n = strlen(s);
    snap_t whole, part;
    feed(s, n, n, n, &whole);
    for (size_t k = 0; k <= n; k++) {
        feed(s, n, k, n, &part);
        cr_assert(memcmp(&whole, &part, sizeof(whole)) == 0, "split at %zu of %s", k, s);
    }
    feed(s, n, 1, 1, &part);
    cr_assert(memcmp(&whole, &part, sizeof(whole)) == 0, "byte by byte: %s", s);
}

EDDY_TEST(http_parser, every_split_point_gives_the_same_result) {
    check_all_splits("\r\nPOST http://h/up?x=1 HTTP/1.1\r\n" H11
                     "Content-Length: 3\r\nConnection: close\r\n\r\nabcGET");
    check_all_splits("GET / HTTP/1.0\r\nConnection: keep-alive\r\nExpect: 100-continue\r\n\r\n");
    check_all_splits("PUT /x HTTP/1.1\r\n" H11 "Transfer-Encoding: chunked\r\n\r\n5\r\nhello");
    for (size_t i = 0; i < NREJECTS; i++) check_all_splits(rejects[i].s);
}

/* ---- no over-read (picohttpparser's guard-page trick) -------------------------- */

static char *guard_boundary(void) {
    long page = sysconf(_SC_PAGESIZE);
    char *p = mmap(NULL, (size_t)page * 4, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                   -1, 0);
    cr_assert_neq(p, MAP_FAILED);
    cr_assert_eq(mprotect(p + 3 * page, (size_t)page, PROT_NONE), 0);
    return p + 3 * page;
}

EDDY_TEST(http_parser, never_reads_past_len_at_a_guard_page) {
    char *end = guard_boundary();
    const char *ok[] = {
        "GET /a?b HTTP/1.1\r\n" H11 "Connection: keep-alive\r\nContent-Length: 12\r\n\r\n",
        "\r\n\r\nPOST / HTTP/1.1\r\n" H11 "Transfer-Encoding: chunked\r\n\r\n",
        "CONNECT h:1 HTTP/1.0\r\n\r\n",
    };
    for (size_t i = 0; i < 3; i++) {
        size_t n = strlen(ok[i]);
        for (size_t len = 0; len <= n; len++) {
            memcpy(end - len, ok[i], len);
            ssize_t r = parse_n(end - len, len);
            cr_assert_eq(r, len == n ? (ssize_t)n : EDDY_EAGAIN, "case %zu len %zu", i, len);
        }
    }
    for (size_t i = 0; i < NREJECTS; i++) {
        size_t n = strlen(rejects[i].s);
        for (size_t len = 0; len <= n; len++) {
            memcpy(end - len, rejects[i].s, len);
            ssize_t r = parse_n(end - len, len);
            cr_assert(r == EDDY_EAGAIN || r == rejects[i].want, "reject %zu len %zu", i, len);
        }
    }
}

/* ---- helpers ----------------------------------------------------------------------- */

EDDY_TEST(http_parser, names_compare_case_insensitively_and_lower_in_place) {
    char s[] = "GET / HTTP/1.1\r\nHOST: x\r\nContent-Type: text/plain\r\n\r\n";
    cr_assert_gt(parse(s), 0);
    const eddy_http_header_t *h = eddy_http_find_header(&req, "content-type", 12);
    cr_assert_not_null(h);
    cr_assert(span_is(h->value, h->value_len, "text/plain"));
    cr_assert_null(eddy_http_find_header(&req, "cookie", 6));
    cr_assert(eddy_http_name_eq("Host", 4, "hOST", 4));
    cr_assert_not(eddy_http_name_eq("Host", 4, "Hosts", 5));
    eddy_http_headers_lower(hdrs, req.num_headers);
    cr_assert(span_is(hdrs[0].name, hdrs[0].name_len, "host"));
    cr_assert(span_is(hdrs[1].name, hdrs[1].name_len, "content-type"));
    cr_assert(span_is(hdrs[1].value, hdrs[1].value_len, "text/plain"), "values untouched");
}

EDDY_TEST(http_parser, leading_empty_lines_count_toward_the_head_limit) {
    eddy_http_parser_opts_t o;
    eddy_http_parser_opts_init(&o);
    o.header_max_size = 64;
    char *s = malloc(200);
    for (int i = 0; i < 100; i += 2) s[i] = '\r', s[i + 1] = '\n';
    cr_assert_eq(eddy_http_parse_request(s, 100, &o, &req, hdrs, MAXH), EDDY_EHTTP_HEADERS_TOO_LARGE);
    cr_assert_eq(eddy_http_parse_request(s, 64, &o, &req, hdrs, MAXH), EDDY_EAGAIN);
    free(s);
}

EDDY_TEST(http_parser, obs_text_in_values_is_kept) {
    const char *s = "GET / HTTP/1.1\r\n" H11 "X-Name: J\xc3\xbcrgen\t \r\n\r\n";
    cr_assert_eq(parse(s), (ssize_t)strlen(s));
    cr_assert(span_is(hdrs[1].value, hdrs[1].value_len, "J\xc3\xbcrgen"));
}

/* Every byte, in a name and in a value, against the RFC 9110 definitions. */
EDDY_TEST(http_parser, every_byte_in_names_and_values) {
    const char *tchars = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyz"
                         "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    for (int c = 0; c < 256; c++) {
        char s[64];
        int n = snprintf(s, sizeof(s), "GET / HTTP/1.1\r\n" H11 "X%cY: v\r\n\r\n", c ? c : '?');
        if (c == 0) s[strlen("GET / HTTP/1.1\r\n" H11 "X")] = '\0';
        /* ':' ends the name early: "X:Y: v" is X with value "Y: v" */
        int is_t = c == ':' || (c != 0 && strchr(tchars, c) != NULL);
        ssize_t r = parse_n(s, (size_t)n);
        if (is_t) cr_assert_eq(r, n, "name byte 0x%02x", c);
        else cr_assert_lt(r, 0, "name byte 0x%02x: %zd", c, r);

        n = snprintf(s, sizeof(s), "GET / HTTP/1.1\r\n" H11 "X: a%cb\r\n\r\n", c ? c : '?');
        if (c == 0) s[strlen("GET / HTTP/1.1\r\n" H11 "X: a")] = '\0';
        int is_v = c == '\t' || (c >= 0x20 && c != 0x7f);
        r = parse_n(s, (size_t)n);
        if (is_v) cr_assert_eq(r, n, "value byte 0x%02x", c);
        else if (c != '\n') cr_assert_lt(r, 0, "value byte 0x%02x: %zd", c, r);
        else cr_assert_eq(r, EDDY_EHTTP_BAD_LINE_END);
    }
}
