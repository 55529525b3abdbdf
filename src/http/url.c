/* URL helpers: percent-decoding in place (RFC 3986 2.1), query / form and
 * cookie pair iteration over spans of the caller's buffer. */
#include <string.h>

#include "eddy/http.h"
#include "internal.h"

ssize_t eddy_http_url_decode(char *s, size_t len, unsigned flags) {
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c == '%') {
            if (len - i < 3) return EDDY_EINVAL; /* '%' needs two hex digits */
            int h = eddy__http_hex((unsigned char)s[i + 1]);
            int l = eddy__http_hex((unsigned char)s[i + 2]);
            if (h < 0 || l < 0) return EDDY_EINVAL;
            c = (char)(h << 4 | l);
            if (c == '\0' && (flags & EDDY_HTTP_DECODE_PATH)) return EDDY_EINVAL;
            i += 2;
        } else if (c == '+' && (flags & EDDY_HTTP_DECODE_PLUS)) {
            c = ' ';
        }
        s[o++] = c;
    }
    return (ssize_t)o;
}

void eddy_http_query_iter_init(eddy_http_iter_t *it, const char *s, size_t len) {
    it->pos = s;
    it->end = s ? s + len : s;
    it->sep = '&';
}

void eddy_http_cookie_iter_init(eddy_http_iter_t *it, const char *s, size_t len) {
    eddy_http_query_iter_init(it, s, len);
    it->sep = ';';
}

int eddy_http_iter_next(eddy_http_iter_t *it, eddy_http_pair_t *p) {
    while (it->pos && it->pos < it->end) {
        const char *s = it->pos, *e = memchr(s, it->sep, (size_t)(it->end - s));
        if (!e) e = it->end;
        it->pos = e < it->end ? e + 1 : it->end;
        if (it->sep == ';') { /* cookie-string: "; " between pairs, be lenient on OWS */
            while (s < e && eddy__http_ows((unsigned char)*s)) s++;
            while (e > s && eddy__http_ows((unsigned char)e[-1])) e--;
        }
        if (s == e) continue; /* empty pair */
        const char *eq = memchr(s, '=', (size_t)(e - s));
        p->key = s;
        p->key_len = (size_t)((eq ? eq : e) - s);
        p->value = eq ? eq + 1 : e;
        p->value_len = eq ? (size_t)(e - eq - 1) : 0;
        return 1;
    }
    return 0;
}
