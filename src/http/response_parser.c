/*
 * HTTP/1.1 response head parser and body reader (RFC 9112 sections 4, 6).
 *
 * Same shape as the request parser (parser.c): a line is examined only once
 * its LF is in the buffer and the limit check runs before the syntax check,
 * so any cut of the input gives EDDY_EAGAIN or the whole input's answer.
 * The rules are listed in include/eddy/http.h.
 */
#include <string.h>

#include "eddy/http.h"
#include "internal.h"

typedef struct {
    eddy_http_res_t *res;
    size_t max_headers;
    int te;         /* a Transfer-Encoding line was seen */
    int te_chunked; /* its last coding so far is chunked */
} rparse_t;

#define NAME_IS(h, lit) eddy_http_name_eq((h)->name, (h)->name_len, lit, sizeof(lit) - 1)

static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* "HTTP/1.x SP 3DIGIT [SP reason]" */
static int parse_status_line(const char *p, size_t n, eddy_http_res_t *r) {
    if (n < 12 || memcmp(p, "HTTP/1.", 7) != 0 || !is_digit(p[7]) || p[8] != ' ')
        return EDDY_EHTTP_BAD_STATUS;
    if (!is_digit(p[9]) || !is_digit(p[10]) || !is_digit(p[11]) || p[9] == '0')
        return EDDY_EHTTP_BAD_STATUS;
    r->version_minor = p[7] == '0' ? 0 : 1;
    r->status = (p[9] - '0') * 100 + (p[10] - '0') * 10 + (p[11] - '0');
    r->reason = p + n, r->reason_len = 0;
    if (n == 12) return 0;
    if (p[12] != ' ') return EDDY_EHTTP_BAD_STATUS;
    for (size_t i = 13; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (!(eddy__http_class[c] & EDDY__HTTP_VCHAR))
            return c == '\r' ? EDDY_EHTTP_BAD_LINE_END : EDDY_EHTTP_BAD_STATUS;
    }
    r->reason = p + 13, r->reason_len = n - 13;
    return 0;
}

/* Only the last coding decides framing here: a client reads what the server
 * sent, and (unlike the request parser) does not refuse odd lists. */
static int te_coding(void *arg, const char *t, size_t n) {
    rparse_t *ps = arg;
    ps->te_chunked = eddy_http_name_eq(t, n, "chunked", 7);
    return 0;
}

static int parse_header_line(rparse_t *ps, const char *p, size_t n) {
    eddy_http_header_t f;
    int rc = eddy__http_field_line(p, n, &f); /* syntax before the count, as in requests */
    if (rc) return rc;
    eddy_http_res_t *r = ps->res;
    if (r->num_headers >= ps->max_headers) return EDDY_EHTTP_HEADERS_TOO_LARGE;
    eddy_http_header_t *h = &r->headers[r->num_headers++];
    *h = f;
    if (NAME_IS(h, "connection")) eddy__http_connection(h->value, h->value_len, &r->flags);
    else if (NAME_IS(h, "content-length"))
        return eddy__http_content_length(h->value, h->value_len, &r->flags, &r->content_length);
    else if (NAME_IS(h, "transfer-encoding")) {
        ps->te = 1;
        eddy__http_each_element(h->value, h->value_len, te_coding, ps);
    }
    return 0;
}

static int finish(rparse_t *ps, const eddy_http_parser_opts_t *o) {
    eddy_http_res_t *r = ps->res;
    int ka = r->version_minor == 1 || (r->flags & EDDY_HTTP_KEEP_ALIVE);
    if (r->flags & EDDY_HTTP_CONNECTION_CLOSE) ka = 0;
    if (ps->te) {
        /* Transfer-Encoding wins over Content-Length (RFC 9112 6.3 item 3);
         * with both, the framing was ambiguous: do not reuse the connection. */
        if (r->flags & EDDY_HTTP_CONTENT_LENGTH) ka = 0;
        r->flags &= ~(unsigned)EDDY_HTTP_CONTENT_LENGTH;
        r->content_length = 0;
        if (ps->te_chunked) r->flags |= EDDY_HTTP_CHUNKED;
    }
    if (o->body_max_size && r->content_length > o->body_max_size) return EDDY_EHTTP_BODY_TOO_LARGE;
    r->flags = ka ? (r->flags | EDDY_HTTP_KEEP_ALIVE) : (r->flags & ~(unsigned)EDDY_HTTP_KEEP_ALIVE);
    return 0;
}

ssize_t eddy_http_parse_response(const char *buf, size_t len, const eddy_http_parser_opts_t *opts,
                                 eddy_http_res_t *res, eddy_http_header_t *headers,
                                 size_t max_headers) {
    eddy_http_parser_opts_t defaults;
    if (!opts) eddy_http_parser_opts_init(&defaults), opts = &defaults;
    memset(res, 0, sizeof(*res));
    res->headers = headers;
    rparse_t ps = {.res = res, .max_headers = max_headers};
    size_t ls = 0;
    for (;;) {
        const char *nl = len > ls ? memchr(buf + ls, '\n', len - ls) : NULL;
        size_t j = nl ? (size_t)(nl - buf) : len;
        if ((nl ? j + 1 : len) > opts->header_max_size) return EDDY_EHTTP_HEADERS_TOO_LARGE;
        if (!nl) return EDDY_EAGAIN;
        if (j == ls || buf[j - 1] != '\r') return EDDY_EHTTP_BAD_LINE_END;
        size_t n = j - 1 - ls;
        int rc;
        if (ls == 0) rc = parse_status_line(buf, n, res);
        else if (n == 0) rc = finish(&ps, opts);
        else rc = parse_header_line(&ps, buf + ls, n);
        if (rc) return rc;
        if (ls != 0 && n == 0) return (ssize_t)(j + 1);
        ls = j + 1;
    }
}

const eddy_http_header_t *eddy_http_res_header(const eddy_http_res_t *res, const char *name,
                                               size_t name_len) {
    return eddy__http_header_find(res->headers, res->num_headers, name, name_len);
}

int eddy_http_res_body_kind(eddy_http_res_t *res, int head_request) {
    if (head_request || res->status < 200 || res->status == 204 || res->status == 304)
        return EDDY_HTTP_BODY_NONE;
    if (res->flags & EDDY_HTTP_CHUNKED) return EDDY_HTTP_BODY_CHUNKED;
    if (res->flags & EDDY_HTTP_CONTENT_LENGTH) return EDDY_HTTP_BODY_LENGTH;
    res->flags &= ~(unsigned)EDDY_HTTP_KEEP_ALIVE; /* the close delimits the body */
    return EDDY_HTTP_BODY_CLOSE;
}

/* ---- body ------------------------------------------------------------------ */

void eddy_http_body_init(eddy_http_body_t *b, int kind, uint64_t content_length,
                         uint64_t max_size) {
    memset(b, 0, sizeof(*b));
    b->kind = kind;
    b->remaining = kind == EDDY_HTTP_BODY_LENGTH ? content_length : 0;
    b->max = max_size;
    eddy_http_chunked_init(&b->chunked);
    b->chunked.body_max_size = max_size;
}

ssize_t eddy_http_body_decode(eddy_http_body_t *b, char *buf, size_t len, size_t *data_len) {
    *data_len = 0;
    switch (b->kind) {
    case EDDY_HTTP_BODY_NONE:
        return 0;
    case EDDY_HTTP_BODY_LENGTH: {
        if (b->max && b->body_size + b->remaining > b->max) return EDDY_EHTTP_BODY_TOO_LARGE;
        size_t n = len < b->remaining ? len : (size_t)b->remaining;
        b->remaining -= n;
        b->body_size += n;
        *data_len = n;
        return b->remaining ? EDDY_EAGAIN : (ssize_t)n;
    }
    case EDDY_HTTP_BODY_CHUNKED: {
        ssize_t r = eddy_http_chunked_decode(&b->chunked, buf, len, data_len);
        b->body_size = b->chunked.body_size;
        return r;
    }
    default: /* CLOSE */
        if (b->max && b->body_size + len > b->max) return EDDY_EHTTP_BODY_TOO_LARGE;
        b->body_size += len;
        *data_len = len;
        return EDDY_EAGAIN;
    }
}

int eddy_http_body_eof(const eddy_http_body_t *b) {
    if (b->kind == EDDY_HTTP_BODY_CLOSE || b->kind == EDDY_HTTP_BODY_NONE) return 0;
    if (b->kind == EDDY_HTTP_BODY_LENGTH && b->remaining == 0) return 0;
    return EDDY_ECONNRESET;
}
