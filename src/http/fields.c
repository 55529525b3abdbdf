/*
 * Header field rules shared by the request parser (parser.c) and the
 * response parser (response_parser.c): one definition of a field line and of
 * the framing headers both read (and the lookup by name), so the two stay
 * equally strict. The rules are those listed in include/eddy/http.h.
 */
#include "eddy/http.h"
#include "internal.h"

int eddy__http_field_line(const char *p, size_t n, eddy_http_header_t *h) {
    /* obs-fold (RFC 9112 5.2) is refused, never unfolded. */
    if (p[0] == ' ' || p[0] == '\t') return EDDY_EHTTP_OBS_FOLD;
    size_t i = 0;
    while (i < n && eddy__http_tchar((unsigned char)p[i])) i++;
    /* No whitespace before the colon (RFC 9112 5.1). */
    if (i == 0 || i == n || p[i] != ':') return EDDY_EHTTP_BAD_HEADER_NAME;
    size_t v = i + 1;
    while (v < n && eddy__http_ows((unsigned char)p[v])) v++;
    for (size_t k = v; k < n; k++) {
        unsigned char c = (unsigned char)p[k];
        if (!(eddy__http_class[c] & EDDY__HTTP_VCHAR))
            return c == '\r' ? EDDY_EHTTP_BAD_LINE_END : EDDY_EHTTP_BAD_HEADER_VALUE;
    }
    size_t e = n;
    while (e > v && eddy__http_ows((unsigned char)p[e - 1])) e--;
    h->name = p, h->name_len = i;
    h->value = p + v, h->value_len = e - v;
    return 0;
}

int eddy__http_each_element(const char *v, size_t n, eddy__http_element_fn fn, void *arg) {
    size_t i = 0;
    while (i < n) {
        size_t s = i;
        while (i < n && v[i] != ',') i++;
        size_t e = i++;
        while (s < e && eddy__http_ows((unsigned char)v[s])) s++;
        while (e > s && eddy__http_ows((unsigned char)v[e - 1])) e--;
        if (e > s) {
            int rc = fn(arg, v + s, e - s);
            if (rc) return rc;
        }
    }
    return 0;
}

static int connection_token(void *arg, const char *t, size_t n) {
    unsigned *flags = arg;
    if (eddy_http_name_eq(t, n, "close", 5)) *flags |= EDDY_HTTP_CONNECTION_CLOSE;
    else if (eddy_http_name_eq(t, n, "keep-alive", 10)) *flags |= EDDY_HTTP_KEEP_ALIVE;
    else if (eddy_http_name_eq(t, n, "upgrade", 7)) *flags |= EDDY_HTTP_UPGRADE;
    return 0;
}

void eddy__http_connection(const char *v, size_t n, unsigned *flags) {
    eddy__http_each_element(v, n, connection_token, flags);
}

int eddy__http_content_length(const char *v, size_t n, unsigned *flags, uint64_t *content_length) {
    /* 18 digits keep the value below 2^63: no overflow check needed. */
    if (n == 0 || n > 18) return EDDY_EHTTP_BAD_CONTENT_LENGTH;
    uint64_t x = 0;
    for (size_t i = 0; i < n; i++) {
        if (v[i] < '0' || v[i] > '9') return EDDY_EHTTP_BAD_CONTENT_LENGTH;
        x = x * 10 + (uint64_t)(v[i] - '0');
    }
    /* Repeats that agree are one value (RFC 9112 6.3 item 5 allows it). */
    if ((*flags & EDDY_HTTP_CONTENT_LENGTH) && *content_length != x)
        return EDDY_EHTTP_DUP_CONTENT_LENGTH;
    *flags |= EDDY_HTTP_CONTENT_LENGTH;
    *content_length = x;
    return 0;
}

const eddy_http_header_t *eddy__http_header_find(const eddy_http_header_t *headers, size_t n,
                                                 const char *name, size_t name_len) {
    for (size_t i = 0; i < n; i++)
        if (eddy_http_name_eq(headers[i].name, headers[i].name_len, name, name_len))
            return &headers[i];
    return NULL;
}
