/* Chunked body decoder (include/eddy/http.h): in-place decoding,
 * extensions, trailers, bad framing, limits, and every split point. */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "eddy/http.h"
#include "eddy_test.h"

typedef struct {
    ssize_t rc;       /* final answer: consumed total, or an error */
    char data[256];
    size_t data_len;
} result_t;

/* Feeds s in pieces: the first `first` bytes, then `step` at a time, each
 * through an exact-size heap copy (ASan catches over-reads). */
static void decode(const eddy_http_chunked_t *init, const char *s, size_t n, size_t first,
                   size_t step, result_t *out) {
    eddy_http_chunked_t d = *init;
    memset(out, 0, sizeof(*out));
    size_t pos = 0;
    for (int round = 0;; round++) {
        size_t add = round == 0 ? first : step;
        if (add > n - pos) add = n - pos;
        char *copy = malloc(add ? add : 1);
        memcpy(copy, s + pos, add);
        size_t got = 0;
        ssize_t r = eddy_http_chunked_decode(&d, copy, add, &got);
        cr_assert_leq(got, add);
        cr_assert_leq(out->data_len + got, sizeof(out->data));
        memcpy(out->data + out->data_len, copy, got);
        out->data_len += got;
        free(copy);
        if (r >= 0) {
            cr_assert_leq((size_t)r, add);
            out->rc = (ssize_t)pos + r;
            return;
        }
        pos += add;
        if (r != EDDY_EAGAIN || pos == n) {
            out->rc = r;
            return;
        }
    }
}

static void whole(const char *s, result_t *out) {
    eddy_http_chunked_t d;
    eddy_http_chunked_init(&d);
    decode(&d, s, strlen(s), strlen(s), strlen(s), out);
}

EDDY_TEST(http_chunked, decodes_in_place_and_reports_the_end) {
    char s[] = "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\nGET / HTTP/1.1";
    eddy_http_chunked_t d;
    eddy_http_chunked_init(&d);
    size_t got;
    ssize_t r = eddy_http_chunked_decode(&d, s, strlen(s), &got);
    cr_assert_eq(r, (ssize_t)(strlen(s) - strlen("GET / HTTP/1.1")));
    cr_assert_eq(got, 11);
    cr_assert_eq(memcmp(s, "hello world", 11), 0);
    cr_assert_eq(strcmp(s + r, "GET / HTTP/1.1"), 0, "what follows is untouched");
    cr_assert_eq(d.body_size, 11);
}

EDDY_TEST(http_chunked, extensions_and_trailers_are_skipped) {
    result_t out;
    whole("A;name=value;q=\"x;y\"\r\n0123456789\r\n1 ; ext\r\n!\r\n"
          "0;last\r\nX-Trailer: a\r\nChecksum: 1\r\n\r\nNEXT", &out);
    cr_assert_eq(out.data_len, 11);
    cr_assert_eq(memcmp(out.data, "0123456789!", 11), 0);
    cr_assert_eq(out.rc, (ssize_t)strlen("A;name=value;q=\"x;y\"\r\n0123456789\r\n1 ; ext\r\n!\r\n"
                                        "0;last\r\nX-Trailer: a\r\nChecksum: 1\r\n\r\n"));
}

EDDY_TEST(http_chunked, hex_sizes_in_either_case) {
    char body[300];
    memset(body, 'z', sizeof(body));
    result_t out;
    whole("1f\r\nzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz\r\n0000\r\n\r\n", &out);
    cr_assert_eq(out.data_len, 31);
    whole("0F\r\nzzzzzzzzzzzzzzz\r\n0\r\n\r\n", &out);
    cr_assert_eq(out.data_len, 15);
}

EDDY_TEST(http_chunked, bad_framing_is_rejected) {
    struct { const char *s; ssize_t want; } c[] = {
        {"\r\n", EDDY_EHTTP_BAD_CHUNK},                     /* no size */
        {"g\r\n", EDDY_EHTTP_BAD_CHUNK},                    /* not hex */
        {"-1\r\n", EDDY_EHTTP_BAD_CHUNK},
        {"0x5\r\nhello\r\n", EDDY_EHTTP_BAD_CHUNK},
        {"5\nhello\r\n0\r\n\r\n", EDDY_EHTTP_BAD_CHUNK},    /* bare LF */
        {"5\r\nhelloX\r\n", EDDY_EHTTP_BAD_CHUNK},          /* data longer than size */
        {"5\r\nhello\n0\r\n\r\n", EDDY_EHTTP_BAD_CHUNK},
        {"5\rxhello", EDDY_EHTTP_BAD_CHUNK},
        {"1 2\r\n", EDDY_EHTTP_BAD_CHUNK},                  /* space inside the size */
        {"10000000000000000\r\n", EDDY_EHTTP_BAD_CHUNK},    /* 17 digits: overflow */
        {"00000000000000001\r\n", EDDY_EHTTP_BAD_CHUNK},    /* 17 digits, bounded */
        {"5;a\x01\r\n", EDDY_EHTTP_BAD_CHUNK},             /* CTL in extension */
        {"5;a\nb\r\n", EDDY_EHTTP_BAD_CHUNK},
        {"0\r\nX: a\nY: b\r\n\r\n", EDDY_EHTTP_BAD_CHUNK},  /* bare LF in trailer */
        {"0\r\n folded\r\n\r\n", EDDY_EHTTP_BAD_CHUNK},
        {"0\r\nX: a\x00\r\n\r\n", EDDY_EHTTP_BAD_CHUNK},
        {"0\r\n\rX", EDDY_EHTTP_BAD_CHUNK},
        {"200001\r\n", EDDY_EHTTP_BODY_TOO_LARGE},          /* 2 MiB + 1 */
        {"ffffffffffffffff\r\n", EDDY_EHTTP_BODY_TOO_LARGE},
    };
    for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
        result_t out;
        eddy_http_chunked_t d;
        eddy_http_chunked_init(&d);
        size_t n = i == 15 ? 12 : strlen(c[i].s); /* case 15 holds a NUL */
        decode(&d, c[i].s, n, n, n, &out);
        cr_assert_eq(out.rc, c[i].want, "case %zu: %zd", i, out.rc);
    }
}

EDDY_TEST(http_chunked, limits_on_body_extensions_and_trailers) {
    eddy_http_chunked_t d;
    eddy_http_chunked_init(&d);
    d.body_max_size = 10;
    result_t out;
    const char *ok = "5\r\nhello\r\n5\r\nworld\r\n0\r\n\r\n";
    decode(&d, ok, strlen(ok), strlen(ok), 1, &out);
    cr_assert_eq(out.rc, (ssize_t)strlen(ok), "exactly at the limit");
    const char *big = "5\r\nhello\r\n6\r\nworld!\r\n0\r\n\r\n";
    decode(&d, big, strlen(big), strlen(big), 1, &out);
    cr_assert_eq(out.rc, EDDY_EHTTP_BODY_TOO_LARGE);
    cr_assert_eq(out.data_len, 5, "refused before the chunk's data");
    cr_assert_eq(eddy_http_error_status(out.rc), 413);

    eddy_http_chunked_init(&d);
    d.ext_max = 4;
    decode(&d, "1;abc\r\nx\r\n0\r\n\r\n", 15, 15, 15, &out);
    cr_assert_eq(out.rc, 15);
    decode(&d, "1;abcde\r\nx\r\n0\r\n\r\n", 17, 17, 17, &out);
    cr_assert_eq(out.rc, EDDY_EHTTP_BAD_CHUNK);

    eddy_http_chunked_init(&d);
    d.trailer_max = 8;
    decode(&d, "0\r\nA: b\r\n\r\n", 11, 11, 11, &out);
    cr_assert_eq(out.rc, 11);
    decode(&d, "0\r\nA: bc\r\n\r\n", 12, 12, 12, &out);
    cr_assert_eq(out.rc, EDDY_EHTTP_HEADERS_TOO_LARGE);
}

EDDY_TEST(http_chunked, every_split_point_gives_the_same_result) {
    const char *cases[] = {
        "5\r\nhello\r\n1A;ext=\"v\"\r\nabcdefghijklmnopqrstuvwxyz\r\n0;e\r\nT: 1\r\nU: 2\r\n\r\nrest",
        "3 ;x\r\nabc\r\n0\r\n\r\n",
        "3\r\nabc\r\n0\r\nX: y\n\r\n",
        "3\r\nabcd\r\n",
        "4\r\nab",
    };
    eddy_http_chunked_t d;
    eddy_http_chunked_init(&d);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        size_t n = strlen(cases[i]);
        result_t all, part;
        decode(&d, cases[i], n, n, n, &all);
        for (size_t k = 0; k <= n; k++) {
            decode(&d, cases[i], n, k, n, &part);
            cr_assert_eq(part.rc, all.rc, "case %zu split %zu", i, k);
            cr_assert_eq(part.data_len, all.data_len);
            cr_assert_eq(memcmp(part.data, all.data, all.data_len), 0);
        }
        decode(&d, cases[i], n, 1, 1, &part);
        cr_assert_eq(part.rc, all.rc, "case %zu byte by byte", i);
        cr_assert_eq(part.data_len, all.data_len);
        cr_assert_eq(memcmp(part.data, all.data, all.data_len), 0);
    }
}

EDDY_TEST(http_chunked, never_reads_past_len_at_a_guard_page) {
    long page = sysconf(_SC_PAGESIZE);
    char *p = mmap(NULL, (size_t)page * 2, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                   -1, 0);
    cr_assert_neq(p, MAP_FAILED);
    cr_assert_eq(mprotect(p + page, (size_t)page, PROT_NONE), 0);
    char *end = p + page;
    const char *s = "4;x=y\r\nWiki\r\n5\r\npedia\r\n0\r\nT: v\r\n\r\n";
    size_t n = strlen(s);
    for (size_t len = 0; len <= n; len++) {
        eddy_http_chunked_t d;
        eddy_http_chunked_init(&d);
        memcpy(end - len, s, len);
        size_t got;
        ssize_t r = eddy_http_chunked_decode(&d, end - len, len, &got);
        cr_assert_eq(r, len == n ? (ssize_t)n : EDDY_EAGAIN, "len %zu", len);
    }
}
