/*
 * libFuzzer target for the HTTP response parser and body reader
 * (include/eddy/http.h, src/http/response_parser.c).
 *
 * Input layout: 2 control bytes (split point, flags), then the stream. The
 * stream is parsed as a response head on an exact-size heap copy (ASan
 * flags a read past len); then the rest is read as the body its framing
 * says, whole and in two pieces. Invariants:
 *   - the head result is EDDY_EAGAIN, a negative code, or a size <= len
 *     whose spans lie inside the head; a cut prefix answers EDDY_EAGAIN or
 *     the same; the head's own bytes answer the same, one byte less EAGAIN;
 *   - a status is 100..999 and version_minor 0 or 1;
 *   - the body reader never yields more data than it was given; two pieces
 *     give the same bytes and the same end as one; a LENGTH body never
 *     yields more than Content-Length.
 * Run: fuzz_http_response -dict=fuzz/http_response.dict fuzz/corpus/http_response
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "eddy/http.h"

#define MAXH 16

static void check_span(const char *base, size_t len, const char *p, size_t n) {
    if (p && (p < base || p + n > base + len)) abort();
}

static ssize_t parse_copy(const uint8_t *s, size_t n, eddy_http_res_t *res,
                          eddy_http_header_t *h, char **copy) {
    *copy = malloc(n ? n : 1);
    if (!*copy) abort();
    memcpy(*copy, s, n);
    eddy_http_parser_opts_t o;
    eddy_http_parser_opts_init(&o);
    o.body_max_size = 1 << 20;
    ssize_t rc = eddy_http_parse_response(*copy, n, &o, res, h, MAXH);
    if (rc > 0) {
        if ((size_t)rc > n || res->num_headers > MAXH) abort();
        if (res->status < 100 || res->status > 999 || res->version_minor < 0 ||
            res->version_minor > 1)
            abort();
        check_span(*copy, (size_t)rc, res->reason, res->reason_len);
        for (size_t i = 0; i < res->num_headers; i++) {
            check_span(*copy, (size_t)rc, h[i].name, h[i].name_len);
            check_span(*copy, (size_t)rc, h[i].value, h[i].value_len);
        }
    } else if (rc != EDDY_EAGAIN && rc >= 0) {
        abort();
    }
    return rc;
}

/* Reads s[0..n) as a body of `kind` in two pieces cut at `cut`. */
static ssize_t body(int kind, uint64_t cl, const uint8_t *s, size_t n, size_t cut, char *out,
                    size_t *out_len) {
    eddy_http_body_t b;
    eddy_http_body_init(&b, kind, cl, 1 << 16);
    *out_len = 0;
    size_t parts[2] = {cut, n - cut}, pos = 0;
    ssize_t r = EDDY_EAGAIN;
    for (int i = 0; i < 2 && r == EDDY_EAGAIN; i++) {
        char *copy = malloc(parts[i] ? parts[i] : 1);
        if (!copy) abort();
        memcpy(copy, s + pos, parts[i]);
        size_t got = 0;
        r = eddy_http_body_decode(&b, copy, parts[i], &got);
        if (got > parts[i] || (r >= 0 && (size_t)r > parts[i])) abort();
        memcpy(out + *out_len, copy, got);
        *out_len += got;
        free(copy);
        if (r >= 0) r += (ssize_t)pos;
        pos += parts[i];
    }
    if (kind == EDDY_HTTP_BODY_LENGTH && *out_len > cl) abort();
    if (r == EDDY_EAGAIN) (void)eddy_http_body_eof(&b);
    return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 2) return 0;
    uint8_t k = data[0], flags = data[1];
    data += 2, size -= 2;
    eddy_http_res_t whole, part;
    eddy_http_header_t hw[MAXH], hp[MAXH];
    char *cw, *cp;
    ssize_t rw = parse_copy(data, size, &whole, hw, &cw);
    ssize_t rp = parse_copy(data, size ? (size_t)k * size / 255 : 0, &part, hp, &cp);
    if (rp != EDDY_EAGAIN && rp != rw) abort();
    free(cp);
    if (rw > 0) {
        rp = parse_copy(data, (size_t)rw, &part, hp, &cp);
        if (rp != rw || part.status != whole.status || part.flags != whole.flags ||
            part.content_length != whole.content_length || part.num_headers != whole.num_headers)
            abort();
        free(cp);
        rp = parse_copy(data, (size_t)rw - 1, &part, hp, &cp);
        if (rp != EDDY_EAGAIN) abort();
        free(cp);
        int kind = eddy_http_res_body_kind(&whole, flags & 1);
        const uint8_t *b = data + rw;
        size_t n = size - (size_t)rw;
        char *x = malloc(n + 1), *y = malloc(n + 1);
        if (!x || !y) abort();
        size_t xl, yl;
        ssize_t a = body(kind, whole.content_length, b, n, n, x, &xl);
        ssize_t c = body(kind, whole.content_length, b, n, n ? (size_t)k * n / 255 : 0, y, &yl);
        if (a != c || xl != yl || memcmp(x, y, xl) != 0) abort();
        free(x);
        free(y);
    }
    free(cw);
    return 0;
}
