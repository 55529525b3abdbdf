/* Private helpers shared by the src/http/ files. */
#ifndef EDDY_HTTP_INTERNAL_H
#define EDDY_HTTP_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "eddy/http.h" /* eddy_http_header_t and the error codes, for the field helpers */

/* Character classes, one lookup per byte on the hot path (src/http/chars.c). */
#define EDDY__HTTP_TCHAR 0x1 /* tchar (RFC 9110 5.6.2): token, method, field name */
#define EDDY__HTTP_VCHAR 0x2 /* field-vchar / SP / HT: allowed in a field value */
extern const unsigned char eddy__http_class[256];

static inline int eddy__http_tchar(unsigned char c) {
    return eddy__http_class[c] & EDDY__HTTP_TCHAR;
}

static inline int eddy__http_ows(unsigned char c) { return c == ' ' || c == '\t'; }

static inline unsigned char eddy__http_lower(unsigned char c) {
    return (c >= 'A' && c <= 'Z') ? (unsigned char)(c | 0x20) : c;
}

/* Value of a hex digit, or -1. */
static inline int eddy__http_hex(unsigned char c) {
    if (c >= '0' && c <= '9') return c - '0';
    c = eddy__http_lower(c);
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

/* ---- header fields (src/http/fields.c), shared by both parsers ---------- */

/* Splits the field line p[0..n) (no CRLF, n > 0) into h's name and value,
 * OWS around the value trimmed. 0, or EDDY_EHTTP_OBS_FOLD (line starts with
 * SP/HT), _BAD_HEADER_NAME (empty, non-tchar or no colon), _BAD_LINE_END (a
 * bare CR) or _BAD_HEADER_VALUE (a control byte). h points into p. */
int eddy__http_field_line(const char *p, size_t n, eddy_http_header_t *h);

/* Calls fn(arg, element, len) on each element of a comma list, OWS trimmed
 * and empty elements skipped; stops at and returns fn's first non-zero. */
typedef int (*eddy__http_element_fn)(void *arg, const char *t, size_t n);
int eddy__http_each_element(const char *v, size_t n, eddy__http_element_fn fn, void *arg);

/* Connection value: ORs EDDY_HTTP_CONNECTION_CLOSE / _KEEP_ALIVE / _UPGRADE
 * into *flags for the tokens "close", "keep-alive", "upgrade" (any case);
 * other tokens are ignored. */
void eddy__http_connection(const char *v, size_t n, unsigned *flags);

/* Content-Length value: 1 to 18 digits, else EDDY_EHTTP_BAD_CONTENT_LENGTH;
 * a second one with another value is EDDY_EHTTP_DUP_CONTENT_LENGTH. On 0
 * sets EDDY_HTTP_CONTENT_LENGTH in *flags and stores *content_length. */
int eddy__http_content_length(const char *v, size_t n, unsigned *flags, uint64_t *content_length);

/* The first of headers[0..n) named name (any case), or NULL. */
const eddy_http_header_t *eddy__http_header_find(const eddy_http_header_t *headers, size_t n,
                                                 const char *name, size_t name_len);

#endif /* EDDY_HTTP_INTERNAL_H */
