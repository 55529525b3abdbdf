/* Response head writer, chunk framing, reason phrases, Date, and the URL
 * helpers (percent-decoding, query/form and cookie iteration). */
#include <string.h>
#include <time.h>

#include "eddy/http.h"
#include "eddy_test.h"

#define NODS (EDDY_HTTP_RESP_NO_DATE | EDDY_HTTP_RESP_NO_SERVER)
#define HDR(n, v) {n, sizeof(n) - 1, v, sizeof(v) - 1}

static void expect_buf(eddy_buf_t *b, const char *want) {
    cr_assert_eq(b->len, strlen(want), "got [%s] want [%s]", b->data ? b->data : "", want);
    cr_assert_eq(memcmp(b->data, want, b->len), 0, "got [%s] want [%s]", b->data, want);
}

EDDY_TEST(http_response, head_with_content_length_exact_bytes) {
    eddy_buf_t b;
    eddy_buf_init(&b);
    eddy_http_header_t h[] = {HDR("Content-Type", "text/plain"), HDR("X-Multi", "a"),
                              HDR("X-Multi", "b")};
    cr_assert_eq(eddy_http_response_head(&b, 200, NULL, h, 3, 5, NODS), 0);
    expect_buf(&b, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-Multi: a\r\nX-Multi: b\r\n"
                   "Content-Length: 5\r\n\r\n");
    eddy_buf_free(&b);
}

/* Status digits and lengths are formatted by hand: every width, and the
 * largest length an int64 holds. */
EDDY_TEST(http_response, status_and_content_length_digits) {
    eddy_buf_t b;
    eddy_buf_init(&b);
    cr_assert_eq(eddy_http_response_head(&b, 999, "Top", NULL, 0, 9, NODS), 0);
    expect_buf(&b, "HTTP/1.1 999 Top\r\nContent-Length: 9\r\n\r\n");
    eddy_buf_clear(&b);
    cr_assert_eq(eddy_http_response_head(&b, 100, NULL, NULL, 0, 10, NODS), 0);
    expect_buf(&b, "HTTP/1.1 100 Continue\r\n\r\n"); /* 1xx: no framing */
    eddy_buf_clear(&b);
    cr_assert_eq(eddy_http_response_head(&b, 307, NULL, NULL, 0, 1234567890, NODS), 0);
    expect_buf(&b, "HTTP/1.1 307 Temporary Redirect\r\nContent-Length: 1234567890\r\n\r\n");
    eddy_buf_clear(&b);
    cr_assert_eq(eddy_http_response_head(&b, 200, "", NULL, 0, INT64_MAX, NODS), 0);
    expect_buf(&b, "HTTP/1.1 200 \r\nContent-Length: 9223372036854775807\r\n\r\n");
    eddy_buf_free(&b);
}

EDDY_TEST(http_response, chunked_close_keep_alive_and_custom_reason) {
    eddy_buf_t b;
    eddy_buf_init(&b);
    cr_assert_eq(eddy_http_response_head(&b, 404, NULL, NULL, 0, EDDY_HTTP_LENGTH_CHUNKED,
                                         NODS | EDDY_HTTP_RESP_CLOSE), 0);
    expect_buf(&b, "HTTP/1.1 404 Not Found\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n");
    eddy_buf_clear(&b);
    cr_assert_eq(eddy_http_response_head(&b, 299, "Fine", NULL, 0, 0,
                                         NODS | EDDY_HTTP_RESP_KEEP_ALIVE), 0);
    expect_buf(&b, "HTTP/1.1 299 Fine\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n");
    eddy_buf_clear(&b);
    cr_assert_eq(eddy_http_response_head(&b, 299, NULL, NULL, 0, EDDY_HTTP_LENGTH_NONE, NODS), 0);
    expect_buf(&b, "HTTP/1.1 299 \r\n\r\n");
    eddy_buf_free(&b);
}

EDDY_TEST(http_response, no_length_on_1xx_and_204) {
    eddy_buf_t b;
    eddy_buf_init(&b);
    cr_assert_eq(eddy_http_response_head(&b, 204, NULL, NULL, 0, 0, NODS), 0);
    expect_buf(&b, "HTTP/1.1 204 No Content\r\n\r\n");
    eddy_buf_clear(&b);
    cr_assert_eq(eddy_http_response_head(&b, 100, NULL, NULL, 0, EDDY_HTTP_LENGTH_CHUNKED, NODS), 0);
    expect_buf(&b, "HTTP/1.1 100 Continue\r\n\r\n");
    eddy_buf_free(&b);
}

EDDY_TEST(http_response, date_and_server_are_added_unless_given) {
    eddy_buf_t b;
    eddy_buf_init(&b);
    cr_assert_eq(eddy_http_response_head(&b, 200, NULL, NULL, 0, 2, 0), 0);
    char date[EDDY_HTTP_DATE_LEN + 1];
    const char *d = strstr(b.data, "\r\nDate: ");
    cr_assert_not_null(d);
    cr_assert_eq(d[8 + EDDY_HTTP_DATE_LEN], '\r');
    cr_assert_eq(memcmp(d + 8 + EDDY_HTTP_DATE_LEN - 4, " GMT", 4), 0);
    cr_assert_not_null(strstr(b.data, "\r\nServer: swoole-http-server\r\n"));
    eddy_buf_clear(&b);
    eddy_http_header_t h[] = {HDR("date", "x"), HDR("SERVER", "mine"), HDR("connection", "Upgrade")};
    cr_assert_eq(eddy_http_response_head(&b, 101, NULL, h, 3, EDDY_HTTP_LENGTH_NONE,
                                         EDDY_HTTP_RESP_CLOSE), 0);
    expect_buf(&b, "HTTP/1.1 101 Switching Protocols\r\ndate: x\r\nSERVER: mine\r\n"
                   "connection: Upgrade\r\n\r\n");
    eddy_buf_free(&b);
    eddy_http_date(784111777, date);
    cr_assert_str_eq(date, "Sun, 06 Nov 1994 08:49:37 GMT");
    eddy_http_date(0, date);
    cr_assert_str_eq(date, "Thu, 01 Jan 1970 00:00:00 GMT");
}

EDDY_TEST(http_response, refuses_splitting_and_framing_headers) {
    eddy_buf_t b;
    eddy_buf_init(&b);
    eddy_buf_append(&b, "keep", 4);
    eddy_http_header_t bad[][1] = {
        {HDR("X", "a\r\nSet-Cookie: evil")}, {HDR("X", "a\nb")}, {HDR("X:Y", "v")},
        {HDR("Bad Name", "v")}, {HDR("Content-Length", "3")}, {HDR("transfer-encoding", "chunked")},
        {{"", 0, "v", 1}}, {HDR("X", "a\0b")},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        cr_assert_eq(eddy_http_response_head(&b, 200, NULL, bad[i], 1, 0, 0), EDDY_EINVAL, "%zu", i);
    cr_assert_eq(eddy_http_response_head(&b, 200, "OK\r\nX: y", NULL, 0, 0, 0), EDDY_EINVAL);
    cr_assert_eq(eddy_http_response_head(&b, 99, NULL, NULL, 0, 0, 0), EDDY_EINVAL);
    cr_assert_eq(eddy_http_response_head(&b, 1000, NULL, NULL, 0, 0, 0), EDDY_EINVAL);
    cr_assert_eq(eddy_http_response_head(&b, 200, NULL, NULL, 0, -3, 0), EDDY_EINVAL);
    expect_buf(&b, "keep");
    eddy_buf_free(&b);
}

EDDY_TEST(http_response, reason_phrases_for_standard_codes) {
    int codes[] = {100, 101, 200, 201, 204, 206, 301, 302, 304, 307, 308, 400, 401, 403, 404,
                   405, 408, 413, 414, 416, 417, 426, 429, 431, 500, 501, 502, 503, 504, 505};
    for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
        cr_assert_not_null(eddy_http_reason(codes[i]), "%d", codes[i]);
    cr_assert_str_eq(eddy_http_reason(413), "Content Too Large");
    cr_assert_str_eq(eddy_http_reason(431), "Request Header Fields Too Large");
    cr_assert_null(eddy_http_reason(299));
}

EDDY_TEST(http_response, chunk_framing) {
    char head[EDDY_HTTP_CHUNK_HEAD_MAX];
    cr_assert_eq(eddy_http_chunk_head(head, 0), 3);
    cr_assert_str_eq(head, "0\r\n");
    cr_assert_eq(eddy_http_chunk_head(head, 0x1a2b), 6);
    cr_assert_str_eq(head, "1a2b\r\n");
    cr_assert_eq(eddy_http_chunk_head(head, SIZE_MAX), 18);
    cr_assert_str_eq(head, "ffffffffffffffff\r\n");
    eddy_buf_t b;
    eddy_buf_init(&b);
    eddy_http_chunk_append(&b, "hello", 5);
    eddy_http_chunk_append(&b, "", 0);
    eddy_http_chunk_append(&b, "0123456789abcdefX", 17);
    eddy_http_chunk_end(&b);
    expect_buf(&b, "5\r\nhello\r\n11\r\n0123456789abcdefX\r\n0\r\n\r\n");
    /* and it decodes back */
    eddy_http_chunked_t d;
    eddy_http_chunked_init(&d);
    size_t got;
    cr_assert_eq(eddy_http_chunked_decode(&d, b.data, b.len, &got), (ssize_t)b.len);
    cr_assert_eq(got, 22);
    cr_assert_eq(memcmp(b.data, "hello0123456789abcdefX", 22), 0);
    eddy_buf_free(&b);
}

/* ---- URL helpers ------------------------------------------------------------- */

static ssize_t dec(char *s, unsigned flags) { return eddy_http_url_decode(s, strlen(s), flags); }

EDDY_TEST(http_url, percent_decoding_in_place) {
    char a[] = "/a%20b/%C3%a9+x";
    ssize_t n = dec(a, EDDY_HTTP_DECODE_PATH);
    cr_assert_eq(n, 9);
    cr_assert_eq(memcmp(a, "/a b/\xc3\xa9+x", 9), 0, "'+' kept in paths");
    char f[] = "a+b%2Bc";
    cr_assert_eq(dec(f, EDDY_HTTP_DECODE_PLUS), 5);
    cr_assert_eq(memcmp(f, "a b+c", 5), 0);
    char z[] = "x%00y";
    cr_assert_eq(dec(z, 0), 3, "%%00 allowed outside paths");
    char zp[] = "x%00y";
    cr_assert_eq(dec(zp, EDDY_HTTP_DECODE_PATH), EDDY_EINVAL);
    const char *bad[] = {"%", "%2", "a%g0", "%0g", "abc%", "%%41"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char buf[16];
        strcpy(buf, bad[i]);
        cr_assert_eq(dec(buf, 0), EDDY_EINVAL, "%s", bad[i]);
    }
    char e[] = "";
    cr_assert_eq(dec(e, 0), 0);
}

static int pair_is(const eddy_http_pair_t *p, const char *k, const char *v) {
    return p->key_len == strlen(k) && memcmp(p->key, k, p->key_len) == 0 &&
           p->value_len == strlen(v) && memcmp(p->value, v, p->value_len) == 0;
}

EDDY_TEST(http_url, query_and_form_iteration) {
    const char *q = "a=1&&b=&c&=v&d=x%20y=z&";
    eddy_http_iter_t it;
    eddy_http_pair_t p;
    eddy_http_query_iter_init(&it, q, strlen(q));
    cr_assert(eddy_http_iter_next(&it, &p) && pair_is(&p, "a", "1"));
    cr_assert(eddy_http_iter_next(&it, &p) && pair_is(&p, "b", ""));
    cr_assert(eddy_http_iter_next(&it, &p) && pair_is(&p, "c", ""));
    cr_assert(eddy_http_iter_next(&it, &p) && pair_is(&p, "", "v"));
    cr_assert(eddy_http_iter_next(&it, &p) && pair_is(&p, "d", "x%20y=z"));
    cr_assert_not(eddy_http_iter_next(&it, &p));
    cr_assert_not(eddy_http_iter_next(&it, &p));
    eddy_http_query_iter_init(&it, NULL, 0);
    cr_assert_not(eddy_http_iter_next(&it, &p));
}

EDDY_TEST(http_url, cookie_iteration) {
    const char *c = "sid=abc; theme=\"dark\";;  lang=en ;flag; e=a=b";
    eddy_http_iter_t it;
    eddy_http_pair_t p;
    eddy_http_cookie_iter_init(&it, c, strlen(c));
    cr_assert(eddy_http_iter_next(&it, &p) && pair_is(&p, "sid", "abc"));
    cr_assert(eddy_http_iter_next(&it, &p) && pair_is(&p, "theme", "\"dark\""));
    cr_assert(eddy_http_iter_next(&it, &p) && pair_is(&p, "lang", "en"));
    cr_assert(eddy_http_iter_next(&it, &p) && pair_is(&p, "flag", ""));
    cr_assert(eddy_http_iter_next(&it, &p) && pair_is(&p, "e", "a=b"));
    cr_assert_not(eddy_http_iter_next(&it, &p));
}

EDDY_TEST(http_url, form_pairs_decode_in_place) {
    char body[] = "name=J%C3%BCrgen+M&tags=a%2Cb&empty=&bad=%zz";
    eddy_http_iter_t it;
    eddy_http_pair_t p;
    eddy_http_query_iter_init(&it, body, strlen(body));
    const char *want[][2] = {{"name", "J\xc3\xbcrgen M"}, {"tags", "a,b"}, {"empty", ""}};
    for (int i = 0; i < 3; i++) {
        cr_assert(eddy_http_iter_next(&it, &p));
        ssize_t kl = eddy_http_url_decode((char *)p.key, p.key_len, EDDY_HTTP_DECODE_PLUS);
        ssize_t vl = eddy_http_url_decode((char *)p.value, p.value_len, EDDY_HTTP_DECODE_PLUS);
        cr_assert_eq(kl, (ssize_t)strlen(want[i][0]));
        cr_assert_eq(vl, (ssize_t)strlen(want[i][1]));
        cr_assert_eq(memcmp(p.key, want[i][0], (size_t)kl), 0);
        cr_assert_eq(memcmp(p.value, want[i][1], (size_t)vl), 0);
    }
    cr_assert(eddy_http_iter_next(&it, &p));
    cr_assert_eq(eddy_http_url_decode((char *)p.value, p.value_len, 0), EDDY_EINVAL);
    cr_assert_not(eddy_http_iter_next(&it, &p));
}
