/*
 * Response head writer and chunk framing (RFC 9112 4, 7.1; RFC 9110 6.6.1).
 *
 * Everything the caller passes is validated before the first byte is
 * appended, so a refused call leaves `out` as it was, and no CR or LF from a
 * header value or reason can split the response.
 */
#include <string.h>
#include <time.h>

#include "eddy/http.h"
#include "internal.h"

/* The Date line, formatted at most once per second per thread. A memo of
 * time(), not state anyone observes; thread-local because reactor threads
 * write responses concurrently. */
static _Thread_local struct {
    int64_t sec;
    char text[EDDY_HTTP_DATE_LEN + 1];
} date_cache = {-1, ""};

/* Writes v as exactly n decimal digits (zero-padded, high digits cut). */
static char *put_digits(char *o, int v, int n) {
    for (int i = n - 1; i >= 0; i--) {
        o[i] = (char)('0' + (v % 10 + 10) % 10);
        v /= 10;
    }
    return o + n;
}

void eddy_http_date(int64_t t, char *out) {
    static const char days[7][4] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char months[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    /* Built by hand: no locale may enter an IMF-fixdate (strftime's %a would). */
    char *o = out;
    memcpy(o, days[tm.tm_wday % 7], 3), o += 3;
    *o++ = ',', *o++ = ' ';
    o = put_digits(o, tm.tm_mday, 2);
    *o++ = ' ';
    memcpy(o, months[tm.tm_mon % 12], 3), o += 3;
    *o++ = ' ';
    o = put_digits(o, tm.tm_year + 1900, 4);
    *o++ = ' ';
    o = put_digits(o, tm.tm_hour, 2);
    *o++ = ':';
    o = put_digits(o, tm.tm_min, 2);
    *o++ = ':';
    o = put_digits(o, tm.tm_sec, 2);
    memcpy(o, " GMT", 5);
}

static const char *cached_date(void) {
    int64_t now = (int64_t)time(NULL);
    if (now != date_cache.sec) {
        eddy_http_date(now, date_cache.text);
        date_cache.sec = now;
    }
    return date_cache.text;
}

/* No CR, LF or NUL: the bytes that could end a line or a C string early. */
static int safe_text(const char *s, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (s[i] == '\r' || s[i] == '\n' || s[i] == '\0') return 0;
    return 1;
}

#define H_DATE 0x1
#define H_SERVER 0x2
#define H_CONNECTION 0x4

/* Validates the caller's headers; returns the H_* set present, or -1. */
static int check_headers(const eddy_http_header_t *h, size_t n) {
    int seen = 0;
    for (size_t i = 0; i < n; i++) {
        if (h[i].name_len == 0) return -1;
        for (size_t k = 0; k < h[i].name_len; k++)
            if (!eddy__http_tchar((unsigned char)h[i].name[k])) return -1;
        if (!safe_text(h[i].value, h[i].value_len)) return -1;
        const char *nm = h[i].name;
        size_t nl = h[i].name_len;
        if (eddy_http_name_eq(nm, nl, "content-length", 14) ||
            eddy_http_name_eq(nm, nl, "transfer-encoding", 17))
            return -1;
        if (eddy_http_name_eq(nm, nl, "date", 4)) seen |= H_DATE;
        if (eddy_http_name_eq(nm, nl, "server", 6)) seen |= H_SERVER;
        if (eddy_http_name_eq(nm, nl, "connection", 10)) seen |= H_CONNECTION;
    }
    return seen;
}

/* One reserve, then the line copied in place: this runs for every header of
 * every response, and four eddy_buf_append calls per line (a reserve, a
 * memcpy call and a terminator each) cost about 1% of a hello-world PHP
 * worker's time more than this. */
static void add_header(eddy_buf_t *out, const char *name, size_t nl, const char *v, size_t vl) {
    eddy_buf_reserve(out, nl + vl + 4);
    char *p = out->data + out->len;
    memcpy(p, name, nl), p += nl; /* nl > 0: check_headers */
    *p++ = ':', *p++ = ' ';
    if (vl) memcpy(p, v, vl), p += vl;
    *p++ = '\r', *p++ = '\n';
    *p = '\0';
    out->len = (size_t)(p - out->data);
}

#define ADD_LIT(out, name, v) add_header(out, name, sizeof(name) - 1, v, strlen(v))

/* Decimal digits of v at the end of buf[0..24); returns where they start.
 * By hand: printf's machinery was a few percent of a small response. */
static char *format_u64(char buf[24], uint64_t v) {
    char *p = buf + 24;
    do *--p = (char)('0' + v % 10);
    while ((v /= 10) != 0);
    return p;
}

static void add_framing(eddy_buf_t *out, int status, int64_t content_length) {
    if (status / 100 == 1 || status == 204) return; /* RFC 9110 8.6, 6.4.1 */
    if (content_length == EDDY_HTTP_LENGTH_CHUNKED) {
        ADD_LIT(out, "Transfer-Encoding", "chunked");
    } else if (content_length >= 0) {
        char num[24], *p = format_u64(num, (uint64_t)content_length);
        add_header(out, "Content-Length", 14, p, (size_t)(num + 24 - p));
    }
}

int eddy_http_response_head(eddy_buf_t *out, int status, const char *reason,
                            const eddy_http_header_t *headers, size_t n,
                            int64_t content_length, unsigned flags) {
    if (status < 100 || status > 999) return EDDY_EINVAL;
    if (content_length < EDDY_HTTP_LENGTH_NONE) return EDDY_EINVAL;
    if (!reason) reason = eddy_http_reason(status);
    if (!reason) reason = "";
    if (!safe_text(reason, strlen(reason))) return EDDY_EINVAL;
    int seen = check_headers(headers, n);
    if (seen < 0) return EDDY_EINVAL;

    char line[] = "HTTP/1.1 000 "; /* status is 100..999: three digits */
    line[9] = (char)('0' + status / 100);
    line[10] = (char)('0' + status / 10 % 10);
    line[11] = (char)('0' + status % 10);
    size_t rl = strlen(reason);
    eddy_buf_reserve(out, sizeof(line) - 1 + rl + 2);
    eddy_buf_append(out, line, sizeof(line) - 1);
    eddy_buf_append(out, reason, rl);
    eddy_buf_append(out, "\r\n", 2);
    for (size_t i = 0; i < n; i++)
        add_header(out, headers[i].name, headers[i].name_len, headers[i].value,
                   headers[i].value_len);
    if (!(seen & H_DATE) && !(flags & EDDY_HTTP_RESP_NO_DATE))
        ADD_LIT(out, "Date", cached_date());
    if (!(seen & H_SERVER) && !(flags & EDDY_HTTP_RESP_NO_SERVER))
        ADD_LIT(out, "Server", EDDY_HTTP_SERVER_NAME);
    if (!(seen & H_CONNECTION)) {
        if (flags & EDDY_HTTP_RESP_CLOSE) ADD_LIT(out, "Connection", "close");
        else if (flags & EDDY_HTTP_RESP_KEEP_ALIVE) ADD_LIT(out, "Connection", "keep-alive");
    }
    add_framing(out, status, content_length);
    eddy_buf_append(out, "\r\n", 2);
    return 0;
}

size_t eddy_http_chunk_head(char *out, size_t len) {
    static const char hex[] = "0123456789abcdef";
    char tmp[16];
    size_t n = 0;
    do {
        tmp[n++] = hex[len & 0xf];
        len >>= 4;
    } while (len);
    for (size_t i = 0; i < n; i++) out[i] = tmp[n - 1 - i];
    out[n] = '\r', out[n + 1] = '\n', out[n + 2] = '\0';
    return n + 2;
}

void eddy_http_chunk_append(eddy_buf_t *out, const void *data, size_t len) {
    if (len == 0) return;
    char head[EDDY_HTTP_CHUNK_HEAD_MAX];
    size_t hn = eddy_http_chunk_head(head, len);
    eddy_buf_reserve(out, hn + len + 2);
    eddy_buf_append(out, head, hn);
    eddy_buf_append(out, data, len);
    eddy_buf_append(out, "\r\n", 2);
}

void eddy_http_chunk_end(eddy_buf_t *out) { eddy_buf_append(out, "0\r\n\r\n", 5); }
