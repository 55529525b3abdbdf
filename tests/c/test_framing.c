/*
 * Framing (include/eddy/framing.h): EOF with and without split, length
 * prefixes of every package_length_type, limits, and no over-read.
 *
 * feed() plays a connection: input arrives in chunks cut at chosen points,
 * is appended to a buffer, and parse is called until it needs more, exactly
 * as a reactor would. Tests then compare the message boundaries for every
 * way of cutting the same bytes.
 */
#include "eddy_test.h"
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "eddy/framing.h"

#define MAXMSG 128
#define MAXBUF 4096

typedef struct {
    size_t ends[MAXMSG]; /* stream offset just past each delivered message */
    int n;
    int err; /* first negative result, 0 if none */
} result_t;

/* Feeds in[0..n) in chunks ending at cuts[0..ncuts) (ascending, last == n). */
static result_t feed(const eddy_framing_t *f, const char *in, size_t n, const size_t *cuts,
                     int ncuts) {
    result_t r = {0};
    static char buf[MAXBUF];
    size_t len = 0, hint = 0, consumed = 0, pos = 0;
    cr_assert_leq(n, sizeof(buf));
    for (int c = 0; c < ncuts; c++) {
        memcpy(buf + len, in + pos, cuts[c] - pos);
        len += cuts[c] - pos;
        pos = cuts[c];
        for (;;) {
            ssize_t m = eddy_framing_parse(f, buf, len, &hint);
            if (m < 0) {
                r.err = (int)m;
                return r;
            }
            if (m == 0) break;
            cr_assert_leq((size_t)m, len, "parse returned more than it was given");
            consumed += (size_t)m;
            cr_assert_lt(r.n, MAXMSG);
            r.ends[r.n++] = consumed;
            memmove(buf, buf + m, len - (size_t)m);
            len -= (size_t)m;
        }
    }
    return r;
}

static result_t feed_whole(const eddy_framing_t *f, const char *in, size_t n) {
    size_t cut = n;
    return feed(f, in, n, &cut, 1);
}

static result_t feed_bytes(const eddy_framing_t *f, const char *in, size_t n) {
    static size_t cuts[MAXBUF];
    for (size_t i = 0; i < n; i++) cuts[i] = i + 1;
    return feed(f, in, n, cuts, (int)n);
}

static void assert_same(result_t a, result_t b, const char *what) {
    cr_assert_eq(a.err, b.err, "%s: error differs", what);
    cr_assert_eq(a.n, b.n, "%s: %d messages, expected %d", what, a.n, b.n);
    for (int i = 0; i < a.n; i++) cr_assert_eq(a.ends[i], b.ends[i], "%s: message %d", what, i);
}

/* The message boundaries must not depend on how the bytes were cut. */
static void assert_all_cuts_agree(const eddy_framing_t *f, const char *in, size_t n,
                                  result_t expect) {
    assert_same(feed_whole(f, in, n), expect, "whole");
    assert_same(feed_bytes(f, in, n), expect, "byte by byte");
    for (size_t k = 1; k < n; k++) {
        size_t cuts[2] = {k, n};
        assert_same(feed(f, in, n, cuts, 2), expect, "two chunks");
    }
}

/* ---- none -------------------------------------------------------------- */

EDDY_TEST(framing, none_delivers_whatever_arrived) {
    eddy_framing_t f;
    eddy_framing_init_none(&f);
    cr_assert_eq(eddy_framing_parse(&f, "abc", 3, NULL), 3);
    cr_assert_eq(eddy_framing_parse(&f, "abc", 0, NULL), 0);
}

/* ---- EOF split --------------------------------------------------------- */

static const char eof_input[] = "hello\r\n\r\n\r\n\r\nx\r\nworld!\r\n\r\n";

EDDY_TEST(framing, eof_split_delivers_one_message_per_delimiter) {
    eddy_framing_t f;
    cr_assert_eq(eddy_framing_init_eof(&f, "\r\n\r\n", 4, 1, 1024), 0);
    result_t r = feed_whole(&f, eof_input, strlen(eof_input));
    cr_assert_eq(r.err, 0);
    cr_assert_eq(r.n, 3);
    cr_assert_eq(r.ends[0], 9);  /* "hello\r\n\r\n" */
    cr_assert_eq(r.ends[1], 13); /* "\r\n\r\n" */
    cr_assert_eq(r.ends[2], strlen(eof_input));
}

EDDY_TEST(framing, eof_split_same_messages_for_every_cut_of_the_input) {
    eddy_framing_t f;
    cr_assert_eq(eddy_framing_init_eof(&f, "\r\n\r\n", 4, 1, 1024), 0);
    size_t n = strlen(eof_input);
    assert_all_cuts_agree(&f, eof_input, n, feed_whole(&f, eof_input, n));
}

EDDY_TEST(framing, eof_split_finds_single_byte_delimiters) {
    eddy_framing_t f;
    cr_assert_eq(eddy_framing_init_eof(&f, "\n", 1, 1, 1024), 0);
    const char *in = "a\n\nbc\n";
    result_t r = feed_bytes(&f, in, strlen(in));
    cr_assert_eq(r.n, 3);
    cr_assert_eq(r.ends[0], 2);
    cr_assert_eq(r.ends[1], 3);
    cr_assert_eq(r.ends[2], 6);
}

EDDY_TEST(framing, eof_split_finds_a_delimiter_straddling_two_reads) {
    eddy_framing_t f;
    cr_assert_eq(eddy_framing_init_eof(&f, "ABCDEFGH", 8, 1, 1024), 0);
    const char *in = "xxxxABCDEFGHyyABCDEFGH";
    assert_all_cuts_agree(&f, in, strlen(in), (result_t){.ends = {12, 22}, .n = 2});
}

EDDY_TEST(framing, eof_split_hint_resumes_where_the_last_search_stopped) {
    eddy_framing_t f;
    cr_assert_eq(eddy_framing_init_eof(&f, "\r\n", 2, 1, 1024), 0);
    char buf[64] = "0123456789";
    size_t hint = 0;
    cr_assert_eq(eddy_framing_parse(&f, buf, 10, &hint), 0);
    cr_assert_eq(hint, 9, "should back up eof_len - 1 bytes");
    memcpy(buf + 10, "\r\n", 2);
    cr_assert_eq(eddy_framing_parse(&f, buf, 12, &hint), 12);
    cr_assert_eq(hint, 0, "reset after delivering a message");
}

EDDY_TEST(framing, eof_split_stale_hint_past_the_end_is_ignored) {
    eddy_framing_t f;
    cr_assert_eq(eddy_framing_init_eof(&f, "\n", 1, 1, 1024), 0);
    size_t hint = 100;
    cr_assert_eq(eddy_framing_parse(&f, "ab\n", 3, &hint), 3);
}

/* ---- EOF check without split ------------------------------------------- */

EDDY_TEST(framing, eof_check_delivers_a_read_ending_with_eof_whole) {
    eddy_framing_t f;
    cr_assert_eq(eddy_framing_init_eof(&f, "\r\n", 2, 0, 1024), 0);
    const char *in = "one\r\ntwo\r\nthree\r\n";
    cr_assert_eq(eddy_framing_parse(&f, in, strlen(in), NULL), (ssize_t)strlen(in));
}

EDDY_TEST(framing, eof_check_waits_when_a_read_ends_mid_message) {
    eddy_framing_t f;
    cr_assert_eq(eddy_framing_init_eof(&f, "\r\n", 2, 0, 1024), 0);
    const char *in = "one\r\ntw";
    cr_assert_eq(eddy_framing_parse(&f, in, strlen(in), NULL), 0);
    cr_assert_eq(eddy_framing_parse(&f, "one\r", 4, NULL), 0);
}

/* Without split, where deliveries fall depends on the reads, but each one
 * must be a run of whole messages and together they must be the input.
 * (The payloads hold no CR/LF: with a run like "\r\n\r\n\r\n" a tail check
 * cannot know where one message ended, in Swoole as here.) */
EDDY_TEST(framing, eof_check_every_cut_delivers_runs_of_whole_messages) {
    static const char in[] = "one\r\n\r\ntwo\r\n\r\nx\r\n\r\nfour4\r\n\r\n";
    eddy_framing_t f;
    cr_assert_eq(eddy_framing_init_eof(&f, "\r\n\r\n", 4, 0, 1024), 0);
    eddy_framing_t split;
    cr_assert_eq(eddy_framing_init_eof(&split, "\r\n\r\n", 4, 1, 1024), 0);
    size_t n = strlen(in);
    result_t whole_msgs = feed_whole(&split, in, n);
    cr_assert_eq(whole_msgs.n, 4);
    for (size_t k = 0; k <= n; k++) {
        size_t cuts[2] = {k, n};
        result_t r = k == 0 ? feed_whole(&f, in, n) : feed(&f, in, n, cuts, 2);
        cr_assert_eq(r.err, 0);
        cr_assert_gt(r.n, 0);
        cr_assert_eq(r.ends[r.n - 1], n, "cut %zu: all bytes delivered", k);
        for (int i = 0; i < r.n; i++) {
            int boundary = 0;
            for (int j = 0; j < whole_msgs.n; j++) boundary |= whole_msgs.ends[j] == r.ends[i];
            cr_assert(boundary, "cut %zu: delivery ends inside a message", k);
        }
    }
}

/* ---- EOF limits -------------------------------------------------------- */

EDDY_TEST(framing, eof_message_exactly_at_max_length_passes_one_byte_over_fails) {
    for (int split = 0; split <= 1; split++) {
        eddy_framing_t f;
        cr_assert_eq(eddy_framing_init_eof(&f, "\n", 1, split, 8), 0);
        cr_assert_eq(eddy_framing_parse(&f, "1234567\n", 8, NULL), 8);
        cr_assert_eq(eddy_framing_parse(&f, "12345678\n", 9, NULL), EDDY_EMSGSIZE);
    }
}

EDDY_TEST(framing, eof_incomplete_message_at_max_length_fails_without_waiting) {
    for (int split = 0; split <= 1; split++) {
        eddy_framing_t f;
        size_t hint = 0;
        cr_assert_eq(eddy_framing_init_eof(&f, "\n", 1, split, 8), 0);
        cr_assert_eq(eddy_framing_parse(&f, "1234567", 7, &hint), 0);
        cr_assert_eq(eddy_framing_parse(&f, "12345678", 8, &hint), EDDY_EMSGSIZE);
    }
}

EDDY_TEST(framing, eof_split_oversize_message_after_a_good_one_fails_on_its_turn) {
    eddy_framing_t f;
    cr_assert_eq(eddy_framing_init_eof(&f, "\n", 1, 1, 4), 0);
    const char *in = "ab\nabcdefg\n";
    result_t r = feed_whole(&f, in, strlen(in));
    cr_assert_eq(r.n, 1);
    cr_assert_eq(r.ends[0], 3);
    cr_assert_eq(r.err, EDDY_EMSGSIZE);
}

/* ---- length ------------------------------------------------------------ */

typedef struct {
    char type;
    size_t width;
    int is_signed;
    char order; /* 'h' host, 'b' big, 'l' little */
} lentype_t;

static const lentype_t lentypes[] = {
    {'c', 1, 1, 'h'}, {'C', 1, 0, 'h'}, {'s', 2, 1, 'h'}, {'S', 2, 0, 'h'}, {'n', 2, 0, 'b'},
    {'N', 4, 0, 'b'}, {'l', 4, 1, 'h'}, {'L', 4, 0, 'h'}, {'v', 2, 0, 'l'}, {'V', 4, 0, 'l'},
};
#define NLENTYPES (sizeof(lentypes) / sizeof(lentypes[0]))

/* Encodes v as the peer would with PHP's pack(type, v). */
static void put_len(const lentype_t *t, unsigned char *p, uint32_t v) {
    if (t->order == 'h') {
        uint8_t u8 = (uint8_t)v;
        uint16_t u16 = (uint16_t)v;
        if (t->width == 1) memcpy(p, &u8, 1);
        else if (t->width == 2) memcpy(p, &u16, 2);
        else memcpy(p, &v, 4);
        return;
    }
    for (size_t i = 0; i < t->width; i++) {
        size_t shift = t->order == 'b' ? (t->width - 1 - i) * 8 : i * 8;
        p[i] = (unsigned char)(v >> shift);
    }
}

/* Writes a message whose length field (at loff, counting from boff) says
 * total bytes; returns total. Header bytes around the field are filler. */
static size_t make_msg(const lentype_t *t, unsigned char *p, uint32_t loff, uint32_t boff,
                       size_t total) {
    memset(p, 0xAB, total);
    put_len(t, p + loff, (uint32_t)(total - boff));
    return total;
}

EDDY_TEST(framing, length_every_type_frames_coalesced_messages_for_every_cut) {
    for (size_t i = 0; i < NLENTYPES; i++) {
        const lentype_t *t = &lentypes[i];
        uint32_t loff = 3, boff = 3 + (uint32_t)t->width + 2;
        eddy_framing_t f;
        cr_assert_eq(eddy_framing_init_length(&f, t->type, loff, boff, 1024), 0, "%c", t->type);
        unsigned char in[256];
        size_t n = 0;
        size_t sizes[] = {boff, boff + 1, boff + 40, boff + 7};
        result_t expect = {0};
        for (size_t m = 0; m < 4; m++) {
            n += make_msg(t, in + n, loff, boff, sizes[m]);
            expect.ends[expect.n++] = n;
        }
        assert_all_cuts_agree(&f, (const char *)in, n, expect);
    }
}

EDDY_TEST(framing, length_field_counting_the_whole_message_with_body_offset_zero) {
    eddy_framing_t f;
    cr_assert_eq(eddy_framing_init_length(&f, 'N', 0, 0, 1024), 0);
    unsigned char msg[10] = {0, 0, 0, 10, 'a', 'b', 'c', 'd', 'e', 'f'};
    cr_assert_eq(eddy_framing_parse(&f, (const char *)msg, 10, NULL), 10);
    cr_assert_eq(eddy_framing_parse(&f, (const char *)msg, 9, NULL), 0);
}

EDDY_TEST(framing, length_swoole_doc_header_struct_with_offsets) {
    /* type, uid, length, serid; body after 16 bytes (setting.md's example). */
    eddy_framing_t f;
    cr_assert_eq(eddy_framing_init_length(&f, 'N', 8, 16, 81920), 0);
    unsigned char msg[21] = {0};
    msg[11] = 5;
    cr_assert_eq(eddy_framing_parse(&f, (const char *)msg, 21, NULL), 21);
    cr_assert_eq(eddy_framing_parse(&f, (const char *)msg, 20, NULL), 0);
}

EDDY_TEST(framing, length_partial_header_needs_more) {
    eddy_framing_t f;
    cr_assert_eq(eddy_framing_init_length(&f, 'N', 4, 8, 1024), 0);
    unsigned char msg[8] = {0};
    for (size_t len = 0; len < 8; len++)
        cr_assert_eq(eddy_framing_parse(&f, (const char *)msg, len, NULL), 0, "len %zu", len);
    cr_assert_eq(eddy_framing_parse(&f, (const char *)msg, 8, NULL), 8);
}

EDDY_TEST(framing, length_negative_signed_value_is_a_protocol_error) {
    for (size_t i = 0; i < NLENTYPES; i++) {
        const lentype_t *t = &lentypes[i];
        eddy_framing_t f;
        cr_assert_eq(eddy_framing_init_length(&f, t->type, 0, 4, SIZE_MAX), 0);
        unsigned char msg[4] = {0};
        put_len(t, msg, UINT32_MAX); /* -1 when signed, the type's maximum otherwise */
        ssize_t r = eddy_framing_parse(&f, (const char *)msg, 4, NULL);
        if (t->is_signed) cr_assert_eq(r, EDDY_EPROTOCOL, "%c", t->type);
        else cr_assert_eq(r, 0, "%c: unsigned maximum is a length, wait for the body", t->type);
    }
}

EDDY_TEST(framing, length_message_ending_inside_its_header_is_a_protocol_error) {
    eddy_framing_t f;
    cr_assert_eq(eddy_framing_init_length(&f, 'N', 0, 0, 1024), 0);
    unsigned char zero[4] = {0, 0, 0, 0}, two[4] = {0, 0, 0, 2};
    cr_assert_eq(eddy_framing_parse(&f, (const char *)zero, 4, NULL), EDDY_EPROTOCOL);
    cr_assert_eq(eddy_framing_parse(&f, (const char *)two, 4, NULL), EDDY_EPROTOCOL);
}

EDDY_TEST(framing, length_message_exactly_at_max_length_passes_one_byte_over_fails) {
    for (size_t i = 0; i < NLENTYPES; i++) {
        const lentype_t *t = &lentypes[i];
        eddy_framing_t f;
        cr_assert_eq(eddy_framing_init_length(&f, t->type, 1, 6, 100), 0);
        unsigned char msg[101];
        make_msg(t, msg, 1, 6, 101);
        cr_assert_eq(eddy_framing_parse(&f, (const char *)msg, 101, NULL), EDDY_EMSGSIZE);
        make_msg(t, msg, 1, 6, 100);
        cr_assert_eq(eddy_framing_parse(&f, (const char *)msg, 100, NULL), 100, "%c", t->type);
    }
}

EDDY_TEST(framing, length_oversize_is_refused_as_soon_as_the_header_arrives) {
    eddy_framing_t f;
    cr_assert_eq(eddy_framing_init_length(&f, 'N', 0, 4, 2 * 1024 * 1024), 0);
    unsigned char hdr[4] = {0x7f, 0xff, 0xff, 0xff};
    cr_assert_eq(eddy_framing_parse(&f, (const char *)hdr, 4, NULL), EDDY_EMSGSIZE);
}

EDDY_TEST(framing, length_largest_field_and_offset_do_not_wrap) {
    eddy_framing_t f;
    cr_assert_eq(eddy_framing_init_length(&f, 'N', 0, 65535, SIZE_MAX), 0);
    unsigned char hdr[4] = {0xff, 0xff, 0xff, 0xff};
    cr_assert_eq(eddy_framing_parse(&f, (const char *)hdr, 4, NULL), 0);
}

/* ---- options ----------------------------------------------------------- */

EDDY_TEST(framing, init_refuses_options_swoole_refuses) {
    eddy_framing_t f;
    const char bad_types[] = "qQJPiIfdxaZ0";
    for (size_t i = 0; i < sizeof(bad_types) - 1; i++)
        cr_assert_eq(eddy_framing_init_length(&f, bad_types[i], 0, 4, 1024), EDDY_EINVAL);
    cr_assert_eq(eddy_framing_init_length(&f, 'N', 0, 4, 0), EDDY_EINVAL);
    cr_assert_eq(eddy_framing_init_length(&f, 'N', 1021, 4, 1024), EDDY_EINVAL);
    cr_assert_eq(eddy_framing_init_length(&f, 'N', 1020, 4, 1024), 0);
    cr_assert_eq(eddy_framing_init_length(&f, 'N', 0, 1025, 1024), EDDY_EINVAL);
    cr_assert_eq(eddy_framing_init_eof(&f, "", 0, 1, 1024), EDDY_EINVAL);
    cr_assert_eq(eddy_framing_init_eof(&f, "123456789", 9, 1, 1024), EDDY_EINVAL);
    cr_assert_eq(eddy_framing_init_eof(&f, "12345678", 8, 1, 1024), 0);
    cr_assert_eq(eddy_framing_init_eof(&f, "\n", 1, 0, 0), EDDY_EINVAL);
}

EDDY_TEST(framing, length_size_matches_swoole_types) {
    for (size_t i = 0; i < NLENTYPES; i++)
        cr_assert_eq(eddy_framing_length_size(lentypes[i].type), lentypes[i].width);
    cr_assert_eq(eddy_framing_length_size('q'), 0);
    cr_assert_eq(eddy_framing_length_size('\0'), 0);
}

EDDY_TEST(framing, parse_refuses_hand_filled_invalid_options) {
    eddy_framing_t f;
    memset(&f, 0, sizeof(f));
    f.mode = EDDY_FRAMING_LENGTH;
    f.package_length_type = 'q';
    f.package_max_length = 100;
    cr_assert_eq(eddy_framing_parse(&f, "12345678", 8, NULL), EDDY_EINVAL);
    f.mode = EDDY_FRAMING_EOF_SPLIT;
    f.package_eof_len = 0;
    cr_assert_eq(eddy_framing_parse(&f, "12345678", 8, NULL), EDDY_EINVAL);
    f.mode = (eddy_framing_mode_t)42;
    cr_assert_eq(eddy_framing_parse(&f, "12345678", 8, NULL), EDDY_EINVAL);
}

/* ---- no over-read (picohttpparser's guard-page trick) ------------------ */

/* Returns the first byte of a PROT_NONE page: data placed to end exactly
 * there faults on any read past its end. */
static char *guard_boundary(void) {
    long page = sysconf(_SC_PAGESIZE);
    char *p = mmap(NULL, (size_t)page * 2, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                   -1, 0);
    cr_assert_neq(p, MAP_FAILED);
    cr_assert_eq(mprotect(p + page, (size_t)page, PROT_NONE), 0);
    return p + page;
}

static ssize_t parse_at_boundary(const eddy_framing_t *f, char *end, const void *data,
                                 size_t len, size_t *hint) {
    memcpy(end - len, data, len);
    return eddy_framing_parse(f, end - len, len, hint);
}

EDDY_TEST(framing, length_never_reads_past_len_at_a_guard_page) {
    char *end = guard_boundary();
    for (size_t i = 0; i < NLENTYPES; i++) {
        const lentype_t *t = &lentypes[i];
        uint32_t loff = 5, boff = 5 + (uint32_t)t->width;
        eddy_framing_t f;
        cr_assert_eq(eddy_framing_init_length(&f, t->type, loff, boff, 1024), 0);
        unsigned char msg[64];
        size_t total = make_msg(t, msg, loff, boff, boff + 20);
        for (size_t len = 0; len <= total; len++) {
            ssize_t r = parse_at_boundary(&f, end, msg, len, NULL);
            cr_assert_eq(r, len == total ? (ssize_t)total : 0, "%c len %zu", t->type, len);
        }
    }
}

EDDY_TEST(framing, eof_never_reads_past_len_at_a_guard_page) {
    char *end = guard_boundary();
    const char *msg = "payload-ABCDEFGH";
    size_t n = strlen(msg);
    for (int split = 0; split <= 1; split++) {
        eddy_framing_t f;
        cr_assert_eq(eddy_framing_init_eof(&f, "ABCDEFGH", 8, split, 1024), 0);
        for (size_t len = 0; len <= n; len++) {
            size_t hint = 0;
            ssize_t r = parse_at_boundary(&f, end, msg, len, &hint);
            cr_assert_eq(r, len == n ? (ssize_t)n : 0, "split %d len %zu", split, len);
        }
    }
}

EDDY_TEST(framing, none_never_reads_past_len_at_a_guard_page) {
    char *end = guard_boundary();
    eddy_framing_t f;
    eddy_framing_init_none(&f);
    cr_assert_eq(parse_at_boundary(&f, end, "xyz", 3, NULL), 3);
}
