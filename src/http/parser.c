/*
 * HTTP/1.1 request head parser (RFC 9112 sections 2-3, 5, 6, 9.3).
 *
 * One pass, line by line: a line is looked at only once its LF is in the
 * buffer, and every check on a line runs in the same order (length limits,
 * then line end, then syntax), so a buffer cut anywhere gives either
 * EDDY_EAGAIN or the very error the whole buffer gives. The checks that need
 * the whole head (framing conflicts, Host, body limit) run after the empty
 * line. The choices are documented in include/eddy/http.h.
 */
#include <string.h>

#include "eddy/http.h"
#include "internal.h"

typedef struct {
    const eddy_http_parser_opts_t *opts;
    eddy_http_request_t *req;
    size_t max_headers;
    int hosts;
    int te;           /* a Transfer-Encoding line was seen */
    int te_chunked;   /* "chunked" appeared in the list */
    int te_last;      /* the last element so far is chunked */
    int te_other;     /* another coding appeared */
} parse_t;

void eddy_http_parser_opts_init(eddy_http_parser_opts_t *o) {
    o->header_max_size = EDDY_HTTP_HEADER_MAX_SIZE;
    o->line_max_size = EDDY_HTTP_LINE_MAX_SIZE;
    o->body_max_size = EDDY_HTTP_BODY_MAX_SIZE;
}

int eddy_http_name_eq(const char *a, size_t alen, const char *b, size_t blen) {
    if (alen != blen) return 0;
    for (size_t i = 0; i < alen; i++)
        if (eddy__http_lower((unsigned char)a[i]) != eddy__http_lower((unsigned char)b[i]))
            return 0;
    return 1;
}

const eddy_http_header_t *eddy_http_find_header(const eddy_http_request_t *req, const char *name,
                                                size_t name_len) {
    return eddy__http_header_find(req->headers, req->num_headers, name, name_len);
}

void eddy_http_headers_lower(eddy_http_header_t *headers, size_t n) {
    for (size_t i = 0; i < n; i++) {
        char *p = (char *)(uintptr_t)headers[i].name; /* caller vouches: writable */
        for (size_t j = 0; j < headers[i].name_len; j++)
            p[j] = (char)eddy__http_lower((unsigned char)p[j]);
    }
}

#define NAME_IS(h, lit) eddy_http_name_eq((h)->name, (h)->name_len, lit, sizeof(lit) - 1)

/* ---- request line -------------------------------------------------------- */

/* The "://" after a scheme (ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ),
 * RFC 3986 3.1) that starts an absolute-form target, or NULL. */
static const char *find_scheme_end(const char *t, const char *end) {
    const char *p = t;
    while (p < end && ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                       (p > t && ((*p >= '0' && *p <= '9') || *p == '+' || *p == '-' || *p == '.'))))
        p++;
    if (p == t || end - p < 3 || p[0] != ':' || p[1] != '/' || p[2] != '/') return NULL;
    return p;
}

static int set_target_parts(eddy_http_request_t *r) {
    const char *t = r->target, *end = t + r->target_len;
    const char *p = t;
    if (t[0] == '/') {
        /* origin-form */
    } else if (r->target_len == 1 && t[0] == '*') {
        /* asterisk-form: server-wide OPTIONS only (RFC 9112 3.2.4) */
        if (!eddy_http_name_eq(r->method, r->method_len, "OPTIONS", 7))
            return EDDY_EHTTP_BAD_TARGET;
        r->path = t, r->path_len = 1;
        return 0;
    } else {
        const char *s = find_scheme_end(t, end);
        if (!s) {
            if (!eddy_http_name_eq(r->method, r->method_len, "CONNECT", 7))
                return EDDY_EHTTP_BAD_TARGET;
            return 0; /* authority-form: no path */
        }
        for (p = s + 3; p < end && *p != '/' && *p != '?' && *p != '#'; p++) {}
    }
    const char *q = p;
    while (q < end && *q != '?' && *q != '#') q++;
    r->path = p, r->path_len = (size_t)(q - p);
    if (r->path_len == 0) r->path = "/", r->path_len = 1; /* "http://h" means "/" */
    if (q < end && *q == '?') {
        const char *f = ++q;
        while (f < end && *f != '#') f++;
        r->query = q, r->query_len = (size_t)(f - q);
    }
    return 0;
}

static int parse_version(const char *v, size_t n, eddy_http_request_t *r) {
    if (n != 8 || memcmp(v, "HTTP/", 5) != 0 || v[6] != '.' || v[5] < '0' || v[5] > '9' ||
        v[7] < '0' || v[7] > '9')
        return EDDY_EHTTP_BAD_VERSION;
    if (v[5] != '1') return EDDY_EHTTP_VERSION;
    r->version_minor = v[7] == '0' ? 0 : 1; /* 1.x > 1 is served as 1.1 */
    return 0;
}

static int parse_request_line(const char *p, size_t n, eddy_http_request_t *r) {
    size_t i = 0;
    while (i < n && eddy__http_tchar((unsigned char)p[i])) i++;
    if (i == 0 || i == n || p[i] != ' ') return EDDY_EHTTP_BAD_METHOD;
    r->method = p, r->method_len = i;
    size_t t = ++i;
    for (; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c <= 0x20 || c == 0x7f) break;
    }
    if (i == t) return EDDY_EHTTP_BAD_TARGET;
    if (i == n) return EDDY_EHTTP_BAD_REQUEST; /* no version (HTTP/0.9 style) */
    if (p[i] == '\r') return EDDY_EHTTP_BAD_LINE_END;
    if (p[i] != ' ') return EDDY_EHTTP_BAD_TARGET;
    r->target = p + t, r->target_len = i - t;
    int rc = parse_version(p + i + 1, n - i - 1, r);
    if (rc) return rc;
    return set_target_parts(r);
}

/* ---- header semantics ---------------------------------------------------- */

static int te_coding(void *arg, const char *t, size_t n) {
    parse_t *ps = arg;
    if (eddy_http_name_eq(t, n, "chunked", 7)) {
        if (ps->te_chunked) return EDDY_EHTTP_BAD_TRANSFER_ENCODING; /* RFC 9112 7: once */
        ps->te_chunked = ps->te_last = 1;
    } else {
        ps->te_other = 1;
        ps->te_last = 0;
    }
    return 0;
}

static int header_semantics(parse_t *ps, const eddy_http_header_t *h) {
    switch (h->name_len) {
    case 4:
        if (NAME_IS(h, "host")) ps->hosts++;
        return 0;
    case 6:
        if (NAME_IS(h, "expect") && eddy_http_name_eq(h->value, h->value_len, "100-continue", 12))
            ps->req->flags |= EDDY_HTTP_EXPECT_CONTINUE;
        return 0;
    case 10:
        if (NAME_IS(h, "connection"))
            eddy__http_connection(h->value, h->value_len, &ps->req->flags);
        return 0;
    case 14:
        if (NAME_IS(h, "content-length"))
            return eddy__http_content_length(h->value, h->value_len, &ps->req->flags,
                                             &ps->req->content_length);
        return 0;
    case 17:
        if (NAME_IS(h, "transfer-encoding")) {
            ps->te = 1;
            return eddy__http_each_element(h->value, h->value_len, te_coding, ps);
        }
        return 0;
    default:
        return 0;
    }
}

/* ---- header line ----------------------------------------------------------- */

static int parse_header_line(parse_t *ps, const char *p, size_t n) {
    eddy_http_header_t f;
    int rc = eddy__http_field_line(p, n, &f); /* syntax before the count, as documented */
    if (rc) return rc;
    eddy_http_request_t *r = ps->req;
    if (r->num_headers >= ps->max_headers) return EDDY_EHTTP_HEADERS_TOO_LARGE;
    eddy_http_header_t *h = &r->headers[r->num_headers++];
    *h = f;
    return header_semantics(ps, h);
}

/* After the empty line: checks that need the whole head. */
static int finish(parse_t *ps) {
    eddy_http_request_t *r = ps->req;
    if (ps->te) {
        if (r->version_minor == 0) return EDDY_EHTTP_BAD_TRANSFER_ENCODING;
        if (r->flags & EDDY_HTTP_CONTENT_LENGTH) return EDDY_EHTTP_CL_AND_TE;
        if (!ps->te_last) return EDDY_EHTTP_BAD_TRANSFER_ENCODING;
        if (ps->te_other) return EDDY_EHTTP_TE_NOT_IMPLEMENTED;
        r->flags |= EDDY_HTTP_CHUNKED;
    }
    if (r->version_minor == 1 && ps->hosts != 1) return EDDY_EHTTP_BAD_HOST;
    if (ps->hosts > 1) return EDDY_EHTTP_BAD_HOST;
    if (ps->opts->body_max_size && r->content_length > ps->opts->body_max_size)
        return EDDY_EHTTP_BODY_TOO_LARGE;
    if (r->version_minor == 0) r->flags &= ~(unsigned)EDDY_HTTP_EXPECT_CONTINUE;
    int ka = r->version_minor == 1 || (r->flags & EDDY_HTTP_KEEP_ALIVE);
    if (r->flags & EDDY_HTTP_CONNECTION_CLOSE) ka = 0;
    r->flags = ka ? (r->flags | EDDY_HTTP_KEEP_ALIVE) : (r->flags & ~(unsigned)EDDY_HTTP_KEEP_ALIVE);
    return 0;
}

/* ---- driver ---------------------------------------------------------------- */

/* Limits on a line ending (LF at buf[j]) or, with j == len, on the tail
 * still without its LF: the same order in both cases keeps results
 * independent of where the input was cut. */
static int check_limits(const parse_t *ps, const char *buf, size_t start, size_t ls, size_t j,
                        size_t len) {
    size_t content = j - ls;
    if (j > ls && buf[j - 1] == '\r') content--; /* the CR of CRLF, or maybe */
    if (ls == start && content > ps->opts->line_max_size) return EDDY_EHTTP_URI_TOO_LONG;
    size_t head = (j == len ? len : j + 1) - start;
    if (head > ps->opts->header_max_size) return EDDY_EHTTP_HEADERS_TOO_LARGE;
    return 0;
}

static size_t skip_empty_lines(const char *buf, size_t len) {
    size_t i = 0;
    while (i + 1 < len && buf[i] == '\r' && buf[i + 1] == '\n') i += 2;
    return i;
}

ssize_t eddy_http_parse_request(const char *buf, size_t len, const eddy_http_parser_opts_t *opts,
                                eddy_http_request_t *req, eddy_http_header_t *headers,
                                size_t max_headers) {
    eddy_http_parser_opts_t defaults;
    if (!opts) eddy_http_parser_opts_init(&defaults), opts = &defaults;
    memset(req, 0, sizeof(*req));
    req->headers = headers;
    parse_t ps = {.opts = opts, .req = req, .max_headers = max_headers};
    size_t start = skip_empty_lines(buf, len);
    if (start > opts->header_max_size) return EDDY_EHTTP_HEADERS_TOO_LARGE;
    size_t ls = start;
    for (;;) {
        const char *nl = memchr(buf + ls, '\n', len - ls);
        size_t j = nl ? (size_t)(nl - buf) : len;
        int rc = check_limits(&ps, buf, start, ls, j, len);
        if (rc) return rc;
        if (!nl) return EDDY_EAGAIN;
        if (j == ls || buf[j - 1] != '\r') return EDDY_EHTTP_BAD_LINE_END;
        size_t n = j - 1 - ls;
        if (ls == start) rc = parse_request_line(buf + ls, n, req);
        else if (n == 0) rc = finish(&ps);
        else rc = parse_header_line(&ps, buf + ls, n);
        if (rc) return rc;
        if (ls != start && n == 0) return (ssize_t)(j + 1);
        ls = j + 1;
    }
}
