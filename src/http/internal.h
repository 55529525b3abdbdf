/* Private helpers shared by the src/http/ files. */
#ifndef EDDY_HTTP_INTERNAL_H
#define EDDY_HTTP_INTERNAL_H

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

#endif /* EDDY_HTTP_INTERNAL_H */
