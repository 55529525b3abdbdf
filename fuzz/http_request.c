/*
 * libFuzzer target for the HTTP request parser and chunked decoder
 * (include/eddy/http.h).
 *
 * Input layout: 2 control bytes (split point, limits), then the stream. The
 * stream is parsed as a request head; if the head says chunked, the rest is
 * decoded as a chunked body, whole and then in two pieces. Every call runs on
 * an exact-size heap copy, so ASan flags any read past len. Invariants:
 *   - a head result is EDDY_EAGAIN, an EDDY_EHTTP_* code with a status, or a
 *     size <= len; every span it returns lies inside the head;
 *   - a prefix cut at a derived point answers EDDY_EAGAIN or exactly what
 *     the whole answers, with the same spans; a head's own bytes give the
 *     same answer and one byte less gives EDDY_EAGAIN;
 *   - the chunked decoder never yields more data than it was given, and two
 *     pieces decode to the same bytes and the same end as one;
 *   - the URL helpers stay within their spans.
 * Run: fuzz_http_request -dict=fuzz/http_request.dict fuzz/corpus/http_request
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "eddy/http.h"

#define MAXH 16

typedef struct {
    ssize_t rc;
    eddy_http_request_t req;
    eddy_http_header_t h[MAXH];
    char *buf; /* the exact-size copy the spans point into */
} head_t;

static void check_span(const char *base, size_t len, const char *p, size_t n) {
    if (p && (p < base || p + n > base + len)) abort();
}

static size_t rel(const head_t *h, const char *p) { return p ? (size_t)(p - h->buf) + 1 : 0; }

static void parse_copy(const uint8_t *s, size_t n, const eddy_http_parser_opts_t *o, head_t *out) {
    out->buf = malloc(n ? n : 1);
    if (!out->buf) abort();
    memcpy(out->buf, s, n);
    out->rc = eddy_http_parse_request(out->buf, n, o, &out->req, out->h, MAXH);
    if (out->rc == EDDY_EAGAIN) return;
    if (out->rc <= 0) {
        if (eddy_http_error_status(out->rc) == 0) abort();
        return;
    }
    size_t r = (size_t)out->rc;
    const eddy_http_request_t *q = &out->req;
    if (r > n || q->num_headers > MAXH) abort();
    if ((q->flags & EDDY_HTTP_CHUNKED) && (q->flags & EDDY_HTTP_CONTENT_LENGTH)) abort();
    check_span(out->buf, r, q->method, q->method_len);
    check_span(out->buf, r, q->target, q->target_len);
    check_span(out->buf, r, q->query, q->query_len);
    if (!(q->path_len == 1 && q->path[0] == '/')) /* "/" may be the parser's literal */
        check_span(out->buf, r, q->path, q->path_len);
    for (size_t i = 0; i < q->num_headers; i++) {
        check_span(out->buf, r, q->headers[i].name, q->headers[i].name_len);
        check_span(out->buf, r, q->headers[i].value, q->headers[i].value_len);
    }
}

static void same_head(const head_t *a, const head_t *b) {
    if (a->rc != b->rc) abort();
    if (a->rc <= 0) return;
    const eddy_http_request_t *x = &a->req, *y = &b->req;
    if (rel(a, x->method) != rel(b, y->method) || x->method_len != y->method_len ||
        rel(a, x->target) != rel(b, y->target) || x->target_len != y->target_len ||
        rel(a, x->query) != rel(b, y->query) || x->query_len != y->query_len ||
        x->path_len != y->path_len || x->num_headers != y->num_headers ||
        x->content_length != y->content_length || x->flags != y->flags ||
        x->version_minor != y->version_minor)
        abort();
    for (size_t i = 0; i < x->num_headers; i++)
        if (rel(a, x->headers[i].name) != rel(b, y->headers[i].name) ||
            rel(a, x->headers[i].value) != rel(b, y->headers[i].value) ||
            x->headers[i].value_len != y->headers[i].value_len)
            abort();
}

/* Decodes s[0..n) in two pieces cut at `cut`; returns the answer (input
 * bytes of the body, or an error / EAGAIN) and the data in out. */
static ssize_t decode(const uint8_t *s, size_t n, size_t cut, char *out, size_t *out_len) {
    eddy_http_chunked_t d;
    eddy_http_chunked_init(&d);
    d.body_max_size = 1 << 16;
    *out_len = 0;
    size_t parts[2] = {cut, n - cut}, pos = 0;
    ssize_t r = EDDY_EAGAIN;
    for (int i = 0; i < 2 && r == EDDY_EAGAIN; i++) {
        char *copy = malloc(parts[i] ? parts[i] : 1);
        if (!copy) abort();
        memcpy(copy, s + pos, parts[i]);
        size_t got = 0;
        r = eddy_http_chunked_decode(&d, copy, parts[i], &got);
        if (got > parts[i] || (r >= 0 && (size_t)r > parts[i])) abort();
        memcpy(out + *out_len, copy, got);
        *out_len += got;
        free(copy);
        if (r >= 0) r += (ssize_t)pos;
        pos += parts[i];
    }
    return r;
}

static void fuzz_body(const uint8_t *s, size_t n, uint8_t k) {
    char *a = malloc(n + 1), *b = malloc(n + 1);
    if (!a || !b) abort();
    size_t alen, blen;
    ssize_t ra = decode(s, n, n, a, &alen);
    ssize_t rb = decode(s, n, n ? (size_t)k * n / 255 : 0, b, &blen);
    if (ra != rb || alen != blen || memcmp(a, b, alen) != 0) abort();
    free(a);
    free(b);
}

static void fuzz_helpers(head_t *h) {
    const eddy_http_request_t *q = &h->req;
    eddy_http_iter_t it;
    eddy_http_pair_t p;
    eddy_http_query_iter_init(&it, q->query, q->query_len);
    while (eddy_http_iter_next(&it, &p)) {
        check_span(q->query, q->query_len, p.key, p.key_len);
        check_span(q->query, q->query_len, p.value, p.value_len);
        ssize_t n = eddy_http_url_decode((char *)(uintptr_t)p.value, p.value_len,
                                         EDDY_HTTP_DECODE_PLUS);
        if (n > (ssize_t)p.value_len) abort();
    }
    const eddy_http_header_t *c = eddy_http_find_header(q, "cookie", 6);
    if (c) {
        eddy_http_cookie_iter_init(&it, c->value, c->value_len);
        while (eddy_http_iter_next(&it, &p)) check_span(c->value, c->value_len, p.key, p.key_len);
    }
    eddy_http_headers_lower(h->h, q->num_headers);
    if (q->path_len > 1) {
        ssize_t n = eddy_http_url_decode((char *)(uintptr_t)q->path, q->path_len,
                                         EDDY_HTTP_DECODE_PATH);
        if (n > (ssize_t)q->path_len) abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 2) return 0;
    uint8_t k = data[0], lim = data[1];
    data += 2, size -= 2;
    eddy_http_parser_opts_t o;
    eddy_http_parser_opts_init(&o);
    if (lim & 1) { /* small limits, so the 414 / 431 / 413 paths are reached */
        o.line_max_size = 16 + (lim >> 1);
        o.header_max_size = 64 + (size_t)lim * 4;
        o.body_max_size = lim;
    }
    head_t whole, part;
    parse_copy(data, size, &o, &whole);
    parse_copy(data, size ? (size_t)k * size / 255 : 0, &o, &part);
    if (part.rc != EDDY_EAGAIN) same_head(&whole, &part);
    free(part.buf);
    if (whole.rc > 0) {
        /* The head alone gives the same answer; one byte less needs more. */
        parse_copy(data, (size_t)whole.rc, &o, &part);
        same_head(&whole, &part);
        free(part.buf);
        parse_copy(data, (size_t)whole.rc - 1, &o, &part);
        if (part.rc != EDDY_EAGAIN) abort();
        free(part.buf);
        if (whole.req.flags & EDDY_HTTP_CHUNKED)
            fuzz_body(data + whole.rc, size - (size_t)whole.rc, k);
        fuzz_helpers(&whole);
    }
    free(whole.buf);
    return 0;
}
