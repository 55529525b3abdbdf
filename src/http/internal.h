/* Private helpers shared by the src/http/ files. */
#ifndef EDDY_HTTP_INTERNAL_H
#define EDDY_HTTP_INTERNAL_H

/* tchar (RFC 9110 5.6.2): the characters of a token, such as a method or a
 * field name. */
static inline int eddy__http_tchar(unsigned char c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return 1;
    switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+':
    case '-': case '.': case '^': case '_': case '`': case '|': case '~':
        return 1;
    default:
        return 0;
    }
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
