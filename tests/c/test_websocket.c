/*
 * WebSocket protocol (include/eddy/websocket.h): RFC 6455 section 5.7
 * frames byte-exact, protocol errors and their close codes, reassembly at
 * every split point, UTF-8, close payloads, the handshake (SHA-1 and base64
 * against RFC 3174 / RFC 4648 vectors) and permessage-deflate (RFC 7692).
 *
 * run() plays a connection: input arrives in chunks cut at chosen points,
 * is appended to a buffer and fed to the assembler until it needs more,
 * as a reactor would; tests compare what it delivers.
 */
#include "eddy_test.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "eddy/websocket.h"
#include "http/ws_internal.h"

#define MAXEV 64

typedef struct {
    uint8_t opcode;
    uint16_t code;
    size_t len;
    char data[70000];
} event_t;

typedef struct {
    event_t ev[MAXEV];
    int n;
    int err;
} result_t;

static const uint8_t MASK[4] = {0x37, 0xfa, 0x21, 0x3d};

static eddy_ws_limits_t server_limits(void) {
    eddy_ws_limits_t l = {.role = EDDY_WS_SERVER, .max_frame_size = 1 << 20,
                          .max_message_size = 1 << 20};
    return l;
}

static eddy_ws_limits_t client_limits(void) {
    eddy_ws_limits_t l = server_limits();
    l.role = EDDY_WS_CLIENT;
    return l;
}

/* Feeds in[0..n) in chunks ending at cuts[0..ncuts) (ascending, last == n). */
static void run_cuts(result_t *r, const eddy_ws_limits_t *lim, eddy_ws_deflate_t *d,
                     const void *in, size_t n, const size_t *cuts, int ncuts) {
    eddy_buf_t input, msg;
    eddy_buf_init(&input);
    eddy_buf_init(&msg);
    eddy_ws_asm_t a;
    eddy_ws_asm_init(&a, lim, &msg, d);
    memset(r, 0, sizeof(*r));
    cr_assert_eq(cuts[ncuts - 1], n);
    size_t pos = 0;
    for (int c = 0; c < ncuts && !r->err; c++) {
        eddy_buf_append(&input, (const char *)in + pos, cuts[c] - pos);
        pos = cuts[c];
        for (;;) {
            eddy_ws_msg_t m;
            ssize_t k = eddy_ws_asm_feed(&a, input.data, input.len, &m);
            if (k < 0) {
                r->err = (int)k;
                break;
            }
            if (k == 0) break;
            cr_assert_leq((size_t)k, input.len);
            if (m.opcode != EDDY_WS_OP_NONE) {
                cr_assert_lt(r->n, MAXEV);
                event_t *e = &r->ev[r->n++];
                e->opcode = m.opcode;
                e->code = m.close_code;
                cr_assert_leq(m.len, sizeof(e->data));
                e->len = m.len;
                memcpy(e->data, m.data, m.len);
                if (m.opcode == EDDY_WS_OP_CLOSE) {
                    e->len = m.reason_len;
                    memcpy(e->data, m.reason, m.reason_len);
                }
            }
            eddy_buf_consume(&input, (size_t)k);
        }
    }
    eddy_buf_free(&input);
    eddy_buf_free(&msg);
}

static result_t *run(const eddy_ws_limits_t *lim, eddy_ws_deflate_t *d, const void *in, size_t n) {
    static result_t r;
    size_t cut = n;
    run_cuts(&r, lim, d, in, n, &cut, 1);
    return &r;
}

static void expect_error(const eddy_ws_limits_t *lim, const void *in, size_t n, uint16_t code) {
    result_t *r = run(lim, NULL, in, n);
    cr_assert_lt(r->err, 0, "no error for a bad frame");
    cr_assert_eq(eddy_ws_close_code_for(r->err), code, "close code %u, want %u",
                 eddy_ws_close_code_for(r->err), code);
}

static void assert_bytes(const void *got, size_t gl, const void *want, size_t wl) {
    cr_assert_eq(gl, wl, "length %zu, want %zu", gl, wl);
    cr_assert(memcmp(got, want, wl) == 0, "bytes differ");
}

/* ---- RFC 6455 section 5.7 examples ------------------------------------ */

static const uint8_t HELLO_UNMASKED[] = {0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f};
static const uint8_t HELLO_MASKED[] = {0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f,
                                       0x9f, 0x4d, 0x51, 0x58};
static const uint8_t HELLO_FRAGMENTED[] = {0x01, 0x03, 0x48, 0x65, 0x6c, 0x80, 0x02, 0x6c, 0x6f};
static const uint8_t PING_UNMASKED[] = {0x89, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f};
static const uint8_t PONG_MASKED[] = {0x8a, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f,
                                      0x9f, 0x4d, 0x51, 0x58};

EDDY_TEST(websocket, rfc_5_7_single_frame_unmasked_text) {
    eddy_buf_t out;
    eddy_buf_init(&out);
    eddy_ws_frame_write(&out, EDDY_WS_FIN, EDDY_WS_OP_TEXT, "Hello", 5, NULL);
    assert_bytes(out.data, out.len, HELLO_UNMASKED, sizeof(HELLO_UNMASKED));
    eddy_ws_limits_t lim = client_limits();
    result_t *r = run(&lim, NULL, HELLO_UNMASKED, sizeof(HELLO_UNMASKED));
    cr_assert_eq(r->err, 0);
    cr_assert_eq(r->n, 1);
    cr_assert_eq(r->ev[0].opcode, EDDY_WS_OP_TEXT);
    assert_bytes(r->ev[0].data, r->ev[0].len, "Hello", 5);
    eddy_buf_free(&out);
}

EDDY_TEST(websocket, rfc_5_7_single_frame_masked_text) {
    eddy_buf_t out;
    eddy_buf_init(&out);
    eddy_ws_frame_write(&out, EDDY_WS_FIN, EDDY_WS_OP_TEXT, "Hello", 5, MASK);
    assert_bytes(out.data, out.len, HELLO_MASKED, sizeof(HELLO_MASKED));
    eddy_ws_frame_t f;
    eddy_ws_limits_t lim = server_limits();
    cr_assert_eq(eddy_ws_frame_parse(&f, HELLO_MASKED, sizeof(HELLO_MASKED), &lim), 6);
    cr_assert(f.fin && f.masked && f.opcode == EDDY_WS_OP_TEXT && f.payload_len == 5);
    cr_assert(memcmp(f.mask, MASK, 4) == 0);
    result_t *r = run(&lim, NULL, HELLO_MASKED, sizeof(HELLO_MASKED));
    cr_assert_eq(r->n, 1);
    assert_bytes(r->ev[0].data, r->ev[0].len, "Hello", 5);
    eddy_buf_free(&out);
}

EDDY_TEST(websocket, rfc_5_7_fragmented_unmasked_text) {
    eddy_buf_t out;
    eddy_buf_init(&out);
    eddy_ws_frame_write_fragmented(&out, EDDY_WS_OP_TEXT, "Hello", 5, 3, NULL);
    assert_bytes(out.data, out.len, HELLO_FRAGMENTED, sizeof(HELLO_FRAGMENTED));
    eddy_ws_limits_t lim = client_limits();
    result_t *r = run(&lim, NULL, HELLO_FRAGMENTED, sizeof(HELLO_FRAGMENTED));
    cr_assert_eq(r->err, 0);
    cr_assert_eq(r->n, 1);
    cr_assert_eq(r->ev[0].opcode, EDDY_WS_OP_TEXT);
    assert_bytes(r->ev[0].data, r->ev[0].len, "Hello", 5);
    eddy_buf_free(&out);
}

EDDY_TEST(websocket, rfc_5_7_ping_and_masked_pong) {
    eddy_buf_t out;
    eddy_buf_init(&out);
    eddy_ws_frame_write(&out, EDDY_WS_FIN, EDDY_WS_OP_PING, "Hello", 5, NULL);
    assert_bytes(out.data, out.len, PING_UNMASKED, sizeof(PING_UNMASKED));
    eddy_buf_clear(&out);
    eddy_ws_frame_write(&out, EDDY_WS_FIN, EDDY_WS_OP_PONG, "Hello", 5, MASK);
    assert_bytes(out.data, out.len, PONG_MASKED, sizeof(PONG_MASKED));
    eddy_ws_limits_t cl = client_limits(), sv = server_limits();
    result_t *r = run(&cl, NULL, PING_UNMASKED, sizeof(PING_UNMASKED));
    cr_assert_eq(r->n, 1);
    cr_assert_eq(r->ev[0].opcode, EDDY_WS_OP_PING);
    assert_bytes(r->ev[0].data, r->ev[0].len, "Hello", 5);
    r = run(&sv, NULL, PONG_MASKED, sizeof(PONG_MASKED));
    cr_assert_eq(r->n, 1);
    cr_assert_eq(r->ev[0].opcode, EDDY_WS_OP_PONG);
    assert_bytes(r->ev[0].data, r->ev[0].len, "Hello", 5);
    eddy_buf_free(&out);
}

static void check_binary_len(size_t n, const uint8_t *head, size_t hl) {
    static uint8_t payload[65536];
    for (size_t i = 0; i < n; i++) payload[i] = (uint8_t)(i * 7);
    eddy_buf_t out;
    eddy_buf_init(&out);
    eddy_ws_frame_write(&out, EDDY_WS_FIN, EDDY_WS_OP_BINARY, payload, n, NULL);
    cr_assert_eq(out.len, hl + n);
    assert_bytes(out.data, hl, head, hl);
    eddy_ws_limits_t lim = client_limits();
    result_t *r = run(&lim, NULL, out.data, out.len);
    cr_assert_eq(r->err, 0);
    cr_assert_eq(r->n, 1);
    cr_assert_eq(r->ev[0].opcode, EDDY_WS_OP_BINARY);
    assert_bytes(r->ev[0].data, r->ev[0].len, payload, n);
    eddy_buf_free(&out);
}

EDDY_TEST(websocket, rfc_5_7_binary_256_bytes_uses_16_bit_length) {
    static const uint8_t head[] = {0x82, 0x7e, 0x01, 0x00};
    check_binary_len(256, head, sizeof(head));
}

EDDY_TEST(websocket, rfc_5_7_binary_64_kib_uses_64_bit_length) {
    static const uint8_t head[] = {0x82, 0x7f, 0, 0, 0, 0, 0, 0x01, 0x00, 0x00};
    check_binary_len(65536, head, sizeof(head));
}

EDDY_TEST(websocket, length_forms_at_their_boundaries) {
    static const struct {
        uint64_t len;
        size_t hl;
    } cases[] = {{0, 2}, {125, 2}, {126, 4}, {65535, 4}, {65536, 10}, {1ull << 40, 10}};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        uint8_t h[EDDY_WS_MAX_HEADER];
        size_t hl = eddy_ws_header_write(h, EDDY_WS_FIN, EDDY_WS_OP_BINARY, cases[i].len, MASK);
        cr_assert_eq(hl, cases[i].hl + 4);
        eddy_ws_frame_t f;
        eddy_ws_limits_t lim = {.role = EDDY_WS_SERVER};
        cr_assert_eq(eddy_ws_frame_parse(&f, h, hl, &lim), (ssize_t)hl);
        cr_assert_eq(f.payload_len, cases[i].len);
        for (size_t k = 0; k < hl; k++)
            cr_assert_eq(eddy_ws_frame_parse(&f, h, k, &lim), 0, "prefix %zu", k);
    }
}

/* ---- masking ------------------------------------------------------------ */

EDDY_TEST(websocket, mask_matches_bytewise_at_every_alignment_and_phase) {
    uint8_t buf[200], ref[200];
    for (size_t start = 0; start < 9; start++)
        for (uint64_t phase = 0; phase < 4; phase++)
            for (size_t len = 0; len < 40; len++) {
                for (size_t i = 0; i < sizeof(buf); i++) buf[i] = ref[i] = (uint8_t)(i * 13 + 1);
                eddy_ws_mask(buf + start, len, MASK, phase);
                for (size_t i = 0; i < len; i++) ref[start + i] ^= MASK[(phase + i) & 3];
                cr_assert(memcmp(buf, ref, sizeof(buf)) == 0, "start %zu phase %lu len %zu",
                          start, (unsigned long)phase, len);
            }
}

/* ---- protocol errors (server side) -------------------------------------- */

EDDY_TEST(websocket, unmasked_client_frame_is_1002) {
    eddy_ws_limits_t lim = server_limits();
    expect_error(&lim, HELLO_UNMASKED, sizeof(HELLO_UNMASKED), 1002);
}

EDDY_TEST(websocket, masked_server_frame_is_1002_for_a_client) {
    eddy_ws_limits_t lim = client_limits();
    expect_error(&lim, HELLO_MASKED, sizeof(HELLO_MASKED), 1002);
}

EDDY_TEST(websocket, reserved_bits_without_extension_are_1002) {
    eddy_ws_limits_t lim = server_limits();
    for (uint8_t rsv = 0x10; rsv <= 0x70; rsv += 0x10) {
        uint8_t f[sizeof(HELLO_MASKED)];
        memcpy(f, HELLO_MASKED, sizeof(f));
        f[0] |= rsv;
        expect_error(&lim, f, sizeof(f), 1002);
    }
    /* RSV1 negotiated but no inflater bound, or RSV1 on a continuation. */
    lim.rsv_allowed = EDDY_WS_RSV1;
    uint8_t f[sizeof(HELLO_MASKED)];
    memcpy(f, HELLO_MASKED, sizeof(f));
    f[0] |= EDDY_WS_RSV1;
    expect_error(&lim, f, sizeof(f), 1002);
}

EDDY_TEST(websocket, unknown_opcodes_are_1002) {
    eddy_ws_limits_t lim = server_limits();
    for (uint8_t op = 3; op <= 0xf; op++) {
        if (op >= 8 && op <= 0xa) continue;
        uint8_t f[] = {(uint8_t)(0x80 | op), 0x80, 1, 2, 3, 4};
        expect_error(&lim, f, sizeof(f), 1002);
        /* Refused from the first two bytes, before the mask arrives. */
        eddy_ws_frame_t fr;
        cr_assert_eq(eddy_ws_frame_parse(&fr, f, 2, &lim), EDDY_EWS_PROTOCOL);
    }
}

EDDY_TEST(websocket, fragmented_control_frame_is_1002) {
    eddy_ws_limits_t lim = server_limits();
    uint8_t f[] = {0x09, 0x80, 1, 2, 3, 4}; /* ping without FIN */
    expect_error(&lim, f, sizeof(f), 1002);
}

EDDY_TEST(websocket, control_payload_over_125_is_1002) {
    eddy_ws_limits_t lim = server_limits();
    uint8_t f[] = {0x89, 0xfe, 0x00, 0x7e, 1, 2, 3, 4}; /* 126 via the 16-bit form */
    expect_error(&lim, f, sizeof(f), 1002);
    uint8_t g[] = {0x8a, 0xfe}; /* decided from two bytes */
    eddy_ws_frame_t fr;
    cr_assert_eq(eddy_ws_frame_parse(&fr, g, 2, &lim), EDDY_EWS_PROTOCOL);
}

EDDY_TEST(websocket, sixty_four_bit_length_with_msb_set_is_1002) {
    eddy_ws_limits_t lim = {.role = EDDY_WS_SERVER};
    uint8_t f[] = {0x82, 0xff, 0x80, 0, 0, 0, 0, 0, 0, 1, 1, 2, 3, 4};
    expect_error(&lim, f, sizeof(f), 1002);
    eddy_ws_frame_t fr;
    cr_assert_eq(eddy_ws_frame_parse(&fr, f, 3, &lim), EDDY_EWS_PROTOCOL);
}

EDDY_TEST(websocket, frame_over_max_frame_size_is_1009) {
    eddy_ws_limits_t lim = server_limits();
    lim.max_frame_size = 100;
    uint8_t f[] = {0x82, 0xfe, 0x00, 101, 1, 2, 3, 4};
    expect_error(&lim, f, sizeof(f), 1009);
    eddy_ws_frame_t fr;
    /* Refused at the header, before any payload is buffered. */
    cr_assert_eq(eddy_ws_frame_parse(&fr, f, 4, &lim), EDDY_EWS_TOO_BIG);
    lim.max_frame_size = 101;
    cr_assert_eq(eddy_ws_frame_parse(&fr, f, sizeof(f), &lim), 8);
}

EDDY_TEST(websocket, continuation_without_a_message_is_1002) {
    eddy_buf_t out;
    eddy_buf_init(&out);
    eddy_ws_frame_write(&out, EDDY_WS_FIN, EDDY_WS_OP_CONTINUATION, "x", 1, MASK);
    eddy_ws_limits_t lim = server_limits();
    expect_error(&lim, out.data, out.len, 1002);
    eddy_buf_free(&out);
}

EDDY_TEST(websocket, new_message_inside_a_fragmented_one_is_1002) {
    eddy_buf_t out;
    eddy_buf_init(&out);
    eddy_ws_frame_write(&out, 0, EDDY_WS_OP_TEXT, "a", 1, MASK);
    eddy_ws_frame_write(&out, EDDY_WS_FIN, EDDY_WS_OP_BINARY, "b", 1, MASK);
    eddy_ws_limits_t lim = server_limits();
    expect_error(&lim, out.data, out.len, 1002);
    eddy_buf_free(&out);
}

EDDY_TEST(websocket, control_frames_between_fragments_are_delivered_in_order) {
    eddy_buf_t out;
    eddy_buf_init(&out);
    eddy_ws_frame_write(&out, 0, EDDY_WS_OP_TEXT, "Hel", 3, MASK);
    eddy_ws_frame_write(&out, EDDY_WS_FIN, EDDY_WS_OP_PING, "p", 1, MASK);
    eddy_ws_frame_write(&out, 0, EDDY_WS_OP_CONTINUATION, "l", 1, MASK);
    eddy_ws_frame_write(&out, EDDY_WS_FIN, EDDY_WS_OP_PONG, "", 0, MASK);
    eddy_ws_frame_write(&out, EDDY_WS_FIN, EDDY_WS_OP_CONTINUATION, "o", 1, MASK);
    eddy_ws_limits_t lim = server_limits();
    result_t *r = run(&lim, NULL, out.data, out.len);
    cr_assert_eq(r->err, 0);
    cr_assert_eq(r->n, 3);
    cr_assert_eq(r->ev[0].opcode, EDDY_WS_OP_PING);
    cr_assert_eq(r->ev[1].opcode, EDDY_WS_OP_PONG);
    cr_assert_eq(r->ev[2].opcode, EDDY_WS_OP_TEXT);
    assert_bytes(r->ev[2].data, r->ev[2].len, "Hello", 5);
    eddy_buf_free(&out);
}

EDDY_TEST(websocket, fragmented_message_over_max_size_is_1009) {
    eddy_buf_t out;
    eddy_buf_init(&out);
    static char big[600];
    memset(big, 'a', sizeof(big));
    eddy_ws_frame_write_fragmented(&out, EDDY_WS_OP_BINARY, big, sizeof(big), 100, MASK);
    eddy_ws_limits_t lim = server_limits();
    lim.max_message_size = 599;
    expect_error(&lim, out.data, out.len, 1009);
    lim.max_message_size = 600;
    result_t *r = run(&lim, NULL, out.data, out.len);
    cr_assert_eq(r->err, 0);
    cr_assert_eq(r->n, 1);
    cr_assert_eq(r->ev[0].len, 600);
    eddy_buf_free(&out);
}

EDDY_TEST(websocket, invalid_utf8_text_is_1007) {
    eddy_buf_t out;
    eddy_buf_init(&out);
    eddy_ws_frame_write(&out, EDDY_WS_FIN, EDDY_WS_OP_TEXT, "a\xc0\xaf", 3, MASK);
    eddy_ws_limits_t lim = server_limits();
    expect_error(&lim, out.data, out.len, 1007);
    /* A character cut by the end of the message. */
    eddy_buf_clear(&out);
    eddy_ws_frame_write(&out, 0, EDDY_WS_OP_TEXT, "a\xe2\x82", 3, MASK);
    eddy_ws_frame_write(&out, EDDY_WS_FIN, EDDY_WS_OP_CONTINUATION, "", 0, MASK);
    expect_error(&lim, out.data, out.len, 1007);
    /* Binary messages are not checked. */
    eddy_buf_clear(&out);
    eddy_ws_frame_write(&out, EDDY_WS_FIN, EDDY_WS_OP_BINARY, "\xff", 1, MASK);
    cr_assert_eq(run(&lim, NULL, out.data, out.len)->err, 0);
    eddy_buf_free(&out);
}

EDDY_TEST(websocket, utf8_split_across_fragments_at_every_point) {
    /* U+20AC (3 bytes), U+10348 (4 bytes), U+00E9 (2 bytes), ASCII. */
    static const char text[] = "\xe2\x82\xac\xf0\x90\x8d\x88\xc3\xa9z";
    size_t n = sizeof(text) - 1;
    eddy_ws_limits_t lim = server_limits();
    for (size_t a = 0; a <= n; a++)
        for (size_t b = a; b <= n; b++) {
            eddy_buf_t out;
            eddy_buf_init(&out);
            eddy_ws_frame_write(&out, 0, EDDY_WS_OP_TEXT, text, a, MASK);
            eddy_ws_frame_write(&out, 0, EDDY_WS_OP_CONTINUATION, text + a, b - a, MASK);
            eddy_ws_frame_write(&out, EDDY_WS_FIN, EDDY_WS_OP_CONTINUATION, text + b, n - b, MASK);
            result_t *r = run(&lim, NULL, out.data, out.len);
            cr_assert_eq(r->err, 0, "split %zu/%zu", a, b);
            cr_assert_eq(r->n, 1);
            assert_bytes(r->ev[0].data, r->ev[0].len, text, n);
            eddy_buf_free(&out);
        }
}

/* ---- UTF-8 validator ---------------------------------------------------- */

static const char *const utf8_good[] = {
    "", "hello", "\x7f", "\xc2\x80", "\xdf\xbf", "\xe0\xa0\x80", "\xed\x9f\xbf",
    "\xee\x80\x80", "\xef\xbf\xbf", "\xf0\x90\x80\x80", "\xf4\x8f\xbf\xbf",
    "\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5", "0123456789abcdef\303\2510123456789",
};
static const char *const utf8_bad[] = {
    "\x80", "\xbf", "\xc0\x80", "\xc1\xbf", "\xe0\x80\x80", "\xe0\x9f\xbf", /* overlongs */
    "\xf0\x80\x80\x80", "\xf0\x8f\xbf\xbf", "\xed\xa0\x80", "\xed\xbf\xbf", /* surrogates */
    "\xf4\x90\x80\x80", "\xf5\x80\x80\x80", "\xff", "\xfe", "\xc2", "\xe2\x82",
    "\xf0\x90\x8d", "\xc2\x41", "abcdefgh\xc3", "\xe2\x28\xa1", "01234567\200abcdefgh",
};

EDDY_TEST(websocket, utf8_validator_accepts_and_rejects_at_every_split) {
    for (size_t t = 0; t < sizeof(utf8_good) / sizeof(utf8_good[0]); t++) {
        const char *s = utf8_good[t];
        size_t n = strlen(s);
        cr_assert(eddy_ws_utf8_valid(s, n), "good #%zu", t);
        for (size_t cut = 0; cut <= n; cut++) {
            eddy_ws_utf8_t st = 0;
            cr_assert_eq(eddy_ws_utf8_feed(&st, s, cut), 0);
            cr_assert_eq(eddy_ws_utf8_feed(&st, s + cut, n - cut), 0);
            cr_assert_eq(st, 0, "good #%zu cut %zu", t, cut);
        }
    }
    for (size_t t = 0; t < sizeof(utf8_bad) / sizeof(utf8_bad[0]); t++) {
        const char *s = utf8_bad[t];
        size_t n = strlen(s);
        cr_assert(!eddy_ws_utf8_valid(s, n), "bad #%zu", t);
        for (size_t cut = 0; cut <= n; cut++) {
            eddy_ws_utf8_t st = 0;
            int a = eddy_ws_utf8_feed(&st, s, cut);
            int b = eddy_ws_utf8_feed(&st, s + cut, n - cut);
            cr_assert(a < 0 || b < 0 || st != 0, "bad #%zu accepted at cut %zu", t, cut);
        }
    }
}

EDDY_TEST(websocket, utf8_validator_matches_a_reference_on_every_two_byte_pair) {
    /* Reference: decode and range-check each character by hand. */
    for (unsigned a = 0; a < 256; a++)
        for (unsigned b = 0; b < 256; b++) {
            uint8_t s[2] = {(uint8_t)a, (uint8_t)b};
            int want;
            if (a < 0x80) want = b < 0x80;
            else if (a >= 0xc2 && a <= 0xdf) want = b >= 0x80 && b <= 0xbf;
            else want = 0;
            cr_assert_eq(eddy_ws_utf8_valid(s, 2), want, "%02x %02x", a, b);
        }
}

/* ---- close payloads ----------------------------------------------------- */

EDDY_TEST(websocket, close_code_validity) {
    for (unsigned c = 0; c < 6000; c++) {
        int want = (c >= 1000 && c <= 1003) || (c >= 1007 && c <= 1011) ||
                   (c >= 3000 && c <= 4999);
        cr_assert_eq(eddy_ws_close_code_valid(c), want, "code %u", c);
    }
    cr_assert(!eddy_ws_close_code_valid(1004));
    cr_assert(!eddy_ws_close_code_valid(1005));
    cr_assert(!eddy_ws_close_code_valid(1006));
    cr_assert(!eddy_ws_close_code_valid(1015));
}

EDDY_TEST(websocket, close_payload_parsing) {
    uint16_t code;
    const char *reason;
    size_t rl;
    cr_assert_eq(eddy_ws_close_parse("", 0, &code, &reason, &rl), 0);
    cr_assert_eq(code, 1005);
    cr_assert_eq(eddy_ws_close_parse("\x03", 1, &code, &reason, &rl), EDDY_EWS_PROTOCOL);
    cr_assert_eq(eddy_ws_close_parse("\x03\xe8" "bye", 5, &code, &reason, &rl), 0);
    cr_assert_eq(code, 1000);
    assert_bytes(reason, rl, "bye", 3);
    cr_assert_eq(eddy_ws_close_parse("\x03\xed", 2, &code, &reason, &rl), EDDY_EWS_PROTOCOL);
    cr_assert_eq(eddy_ws_close_parse("\x03\xee", 2, &code, &reason, &rl), EDDY_EWS_PROTOCOL);
    cr_assert_eq(eddy_ws_close_parse("\x03\xf7", 2, &code, &reason, &rl), EDDY_EWS_PROTOCOL);
    cr_assert_eq(eddy_ws_close_parse("\x0b\xb8", 2, &code, &reason, &rl), 0); /* 3000 */
    cr_assert_eq(eddy_ws_close_parse("\x03\xe8\xff", 3, &code, &reason, &rl), EDDY_EWS_BAD_UTF8);
}

EDDY_TEST(websocket, close_frames_through_the_assembler) {
    eddy_buf_t out;
    eddy_buf_init(&out);
    cr_assert_eq(eddy_ws_close_write(&out, 1001, "gone", 4, MASK), 0);
    eddy_ws_limits_t lim = server_limits();
    result_t *r = run(&lim, NULL, out.data, out.len);
    cr_assert_eq(r->n, 1);
    cr_assert_eq(r->ev[0].opcode, EDDY_WS_OP_CLOSE);
    cr_assert_eq(r->ev[0].code, 1001);
    assert_bytes(r->ev[0].data, r->ev[0].len, "gone", 4);
    /* Wire-invalid codes and bad reasons. */
    uint8_t bad[] = {0x88, 0x82, 0, 0, 0, 0, 0x03, 0xed};
    expect_error(&lim, bad, sizeof(bad), 1002);
    uint8_t one[] = {0x88, 0x81, 0, 0, 0, 0, 0x03};
    expect_error(&lim, one, sizeof(one), 1002);
    uint8_t utf[] = {0x88, 0x83, 0, 0, 0, 0, 0x03, 0xe8, 0xc0};
    expect_error(&lim, utf, sizeof(utf), 1007);
    /* Writer refuses what a peer would refuse. */
    cr_assert_eq(eddy_ws_close_write(&out, 1005, NULL, 0, NULL), EDDY_EINVAL);
    char longr[124];
    memset(longr, 'x', sizeof(longr));
    cr_assert_eq(eddy_ws_close_write(&out, 1000, longr, 124, NULL), EDDY_EINVAL);
    cr_assert_eq(eddy_ws_close_write(&out, 1000, longr, 123, NULL), 0);
    eddy_buf_clear(&out);
    cr_assert_eq(eddy_ws_close_write(&out, 0, NULL, 0, NULL), 0);
    assert_bytes(out.data, out.len, "\x88\x00", 2);
    eddy_buf_free(&out);
}

/* ---- every split point -------------------------------------------------- */

static void build_stream(eddy_buf_t *out) {
    eddy_ws_frame_write(out, EDDY_WS_FIN, EDDY_WS_OP_TEXT, "Hello", 5, MASK);
    eddy_ws_frame_write(out, 0, EDDY_WS_OP_BINARY, "\x00\x01\x02", 3, MASK);
    eddy_ws_frame_write(out, EDDY_WS_FIN, EDDY_WS_OP_PING, "ping!", 5, MASK);
    static char mid[300];
    for (size_t i = 0; i < sizeof(mid); i++) mid[i] = (char)i;
    eddy_ws_frame_write(out, 0, EDDY_WS_OP_CONTINUATION, mid, sizeof(mid), MASK);
    eddy_ws_frame_write(out, EDDY_WS_FIN, EDDY_WS_OP_CONTINUATION, "end", 3, MASK);
    eddy_ws_frame_write_fragmented(out, EDDY_WS_OP_TEXT, "\xe2\x82\xac\xc3\xa9", 5, 1, MASK);
    eddy_ws_frame_write(out, EDDY_WS_FIN, EDDY_WS_OP_TEXT, "", 0, MASK);
    eddy_ws_close_write(out, 1000, "done", 4, MASK);
}

static void assert_same(const result_t *a, const result_t *b, const char *what, size_t at) {
    cr_assert_eq(a->err, b->err, "%s %zu: error differs", what, at);
    cr_assert_eq(a->n, b->n, "%s %zu: %d events, want %d", what, at, a->n, b->n);
    for (int i = 0; i < a->n; i++) {
        cr_assert_eq(a->ev[i].opcode, b->ev[i].opcode, "%s %zu: event %d", what, at, i);
        cr_assert_eq(a->ev[i].code, b->ev[i].code);
        cr_assert_eq(a->ev[i].len, b->ev[i].len, "%s %zu: event %d length", what, at, i);
        cr_assert(memcmp(a->ev[i].data, b->ev[i].data, a->ev[i].len) == 0);
    }
}

EDDY_TEST(websocket, every_split_point_gives_the_same_messages) {
    eddy_buf_t s;
    eddy_buf_init(&s);
    build_stream(&s);
    eddy_ws_limits_t lim = server_limits();
    static result_t whole, part;
    size_t all = s.len;
    run_cuts(&whole, &lim, NULL, s.data, s.len, &all, 1);
    cr_assert_eq(whole.err, 0);
    cr_assert_eq(whole.n, 6);
    cr_assert_eq(whole.ev[0].opcode, EDDY_WS_OP_TEXT);
    cr_assert_eq(whole.ev[1].opcode, EDDY_WS_OP_PING);
    cr_assert_eq(whole.ev[2].opcode, EDDY_WS_OP_BINARY);
    cr_assert_eq(whole.ev[2].len, 306);
    cr_assert_eq(whole.ev[3].opcode, EDDY_WS_OP_TEXT);
    cr_assert_eq(whole.ev[4].len, 0);
    cr_assert_eq(whole.ev[5].code, 1000);
    for (size_t cut = 0; cut <= s.len; cut++) {
        size_t cuts[2] = {cut, s.len};
        run_cuts(&part, &lim, NULL, s.data, s.len, cuts, 2);
        assert_same(&part, &whole, "split", cut);
    }
    /* And byte by byte. */
    static size_t bytes[2048];
    cr_assert_leq(s.len, 2048);
    for (size_t i = 0; i < s.len; i++) bytes[i] = i + 1;
    run_cuts(&part, &lim, NULL, s.data, s.len, bytes, (int)s.len);
    assert_same(&part, &whole, "bytewise", 0);
    eddy_buf_free(&s);
}

/* ---- handshake ---------------------------------------------------------- */

EDDY_TEST(websocket, sha1_rfc3174_vectors) {
    static const struct {
        const char *in;
        int repeat;
        const char *hex;
    } v[] = {
        {"abc", 1, "a9993e364706816aba3e25717850c26c9cd0d89d"},
        {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 1,
         "84983e441c3bd26ebaae4aa1f95129e5e54670f1"},
        {"a", 1000000, "34aa973cd4c4daa4f61eeb2bdbad27316534016f"},
        {"0123456701234567012345670123456701234567012345670123456701234567", 10,
         "dea356a2cddd90c7a7ecedc5ebb563934f460452"},
        {"", 1, "da39a3ee5e6b4b0d3255bfef95601890afd80709"},
    };
    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        eddy__sha1_t s;
        uint8_t d[20];
        char hex[41];
        eddy__sha1_init(&s);
        for (int k = 0; k < v[i].repeat; k++) eddy__sha1_update(&s, v[i].in, strlen(v[i].in));
        eddy__sha1_final(&s, d);
        for (int k = 0; k < 20; k++) snprintf(hex + 2 * k, 3, "%02x", d[k]);
        cr_assert_str_eq(hex, v[i].hex, "vector %zu", i);
    }
}

EDDY_TEST(websocket, base64_rfc4648_vectors) {
    static const char *const v[][2] = {{"", ""},         {"f", "Zg=="},       {"fo", "Zm8="},
                                       {"foo", "Zm9v"},   {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="},
                                       {"foobar", "Zm9vYmFy"}};
    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        char enc[16];
        uint8_t dec[16];
        cr_assert_eq(eddy__base64_encode(v[i][0], strlen(v[i][0]), enc), strlen(v[i][1]));
        cr_assert_str_eq(enc, v[i][1]);
        ssize_t n = eddy__base64_decode(v[i][1], strlen(v[i][1]), dec, sizeof(dec));
        cr_assert_eq(n, (ssize_t)strlen(v[i][0]));
        cr_assert(memcmp(dec, v[i][0], (size_t)n) == 0);
    }
    uint8_t dec[16];
    cr_assert_eq(eddy__base64_decode("Zg=", 3, dec, 16), -1);
    cr_assert_eq(eddy__base64_decode("Zh==", 4, dec, 16), -1); /* non-zero pad bits */
    cr_assert_eq(eddy__base64_decode("Z===", 4, dec, 16), -1);
    cr_assert_eq(eddy__base64_decode("Zg==Zg==", 8, dec, 16), -1);
    cr_assert_eq(eddy__base64_decode("Zm9v!A==", 8, dec, 16), -1);
}

EDDY_TEST(websocket, rfc_1_3_accept_value) {
    char acc[EDDY_WS_ACCEPT_LEN + 1];
    eddy_ws_accept_key("dGhlIHNhbXBsZSBub25jZQ==", 24, acc);
    cr_assert_str_eq(acc, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

#define S(x) x, sizeof(x) - 1

EDDY_TEST(websocket, handshake_check_accepts_a_valid_request) {
    eddy_ws_upgrade_t req = {S("websocket"), S("keep-alive, Upgrade"), S(" 13 "),
                             S("dGhlIHNhbXBsZSBub25jZQ==")};
    char acc[EDDY_WS_ACCEPT_LEN + 1];
    cr_assert_eq(eddy_ws_handshake_check(&req, acc), 0);
    cr_assert_str_eq(acc, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    eddy_buf_t out;
    eddy_buf_init(&out);
    eddy_ws_handshake_response(&out, acc, "permessage-deflate", NULL);
    cr_assert_str_eq(out.data, "HTTP/1.1 101 Switching Protocols\r\n"
                               "Upgrade: websocket\r\n"
                               "Connection: Upgrade\r\n"
                               "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
                               "Sec-WebSocket-Extensions: permessage-deflate\r\n"
                               "\r\n");
    eddy_buf_free(&out);
}

EDDY_TEST(websocket, handshake_check_refuses_bad_requests) {
    char acc[EDDY_WS_ACCEPT_LEN + 1];
    eddy_ws_upgrade_t ok = {S("WebSocket"), S("Upgrade"), S("13"), S("dGhlIHNhbXBsZSBub25jZQ==")};
    cr_assert_eq(eddy_ws_handshake_check(&ok, acc), 0);
    eddy_ws_upgrade_t r;
    r = ok, r.upgrade = NULL;
    cr_assert_eq(eddy_ws_handshake_check(&r, acc), EDDY_EWS_PROTOCOL);
    r = ok, r.upgrade = "h2c", r.upgrade_len = 3;
    cr_assert_eq(eddy_ws_handshake_check(&r, acc), EDDY_EWS_PROTOCOL);
    r = ok, r.connection = "keep-alive", r.connection_len = 10;
    cr_assert_eq(eddy_ws_handshake_check(&r, acc), EDDY_EWS_PROTOCOL);
    r = ok, r.connection = "upgraded", r.connection_len = 8;
    cr_assert_eq(eddy_ws_handshake_check(&r, acc), EDDY_EWS_PROTOCOL);
    r = ok, r.version = "8", r.version_len = 1;
    cr_assert_eq(eddy_ws_handshake_check(&r, acc), EDDY_EWS_VERSION);
    r = ok, r.version = NULL;
    cr_assert_eq(eddy_ws_handshake_check(&r, acc), EDDY_EWS_PROTOCOL);
    r = ok, r.key = NULL;
    cr_assert_eq(eddy_ws_handshake_check(&r, acc), EDDY_EWS_PROTOCOL);
    r = ok, r.key = "dGhlIHNhbXBsZSBub25jZQ", r.key_len = 22; /* unpadded */
    cr_assert_eq(eddy_ws_handshake_check(&r, acc), EDDY_EWS_PROTOCOL);
    r = ok, r.key = "dGhlIHNhbXBsZSBub25jZTE=", r.key_len = 24; /* 17 bytes */
    cr_assert_eq(eddy_ws_handshake_check(&r, acc), EDDY_EWS_PROTOCOL);
    r = ok, r.key = "dGhlIHNhbXBsZSBub25jZ!==", r.key_len = 24;
    cr_assert_eq(eddy_ws_handshake_check(&r, acc), EDDY_EWS_PROTOCOL);
}

static int negotiate(const char *offer, eddy_ws_deflate_params_t *out, char *resp, size_t cap,
                     const eddy_ws_deflate_params_t *want) {
    eddy_buf_t b;
    eddy_buf_init(&b);
    int rc = eddy_ws_deflate_negotiate(offer, strlen(offer), want, out, &b);
    snprintf(resp, cap, "%s", b.data ? b.data : "");
    eddy_buf_free(&b);
    return rc;
}

EDDY_TEST(websocket, permessage_deflate_negotiation) {
    eddy_ws_deflate_params_t p;
    char resp[256];
    cr_assert_eq(negotiate("permessage-deflate; client_max_window_bits", &p, resp, 256, NULL), 1);
    cr_assert_str_eq(resp, "permessage-deflate");
    cr_assert_eq(p.server_max_window_bits, 15);
    cr_assert_eq(p.client_max_window_bits, 15);
    cr_assert(!p.server_no_context_takeover && !p.client_no_context_takeover);

    cr_assert_eq(negotiate("permessage-deflate; server_no_context_takeover; "
                           "client_no_context_takeover; server_max_window_bits=10; "
                           "client_max_window_bits=\"12\"",
                           &p, resp, 256, NULL),
                 1);
    cr_assert_str_eq(resp, "permessage-deflate; server_no_context_takeover; "
                           "client_no_context_takeover; server_max_window_bits=10");
    cr_assert(p.server_no_context_takeover && p.client_no_context_takeover);
    cr_assert_eq(p.server_max_window_bits, 10);
    cr_assert_eq(p.client_max_window_bits, 12);

    /* First offer bad (unknown param / duplicate / bad value / 8 bits): next one wins. */
    cr_assert_eq(negotiate("permessage-deflate; foo, permessage-deflate; "
                           "server_no_context_takeover",
                           &p, resp, 256, NULL),
                 1);
    cr_assert_str_eq(resp, "permessage-deflate; server_no_context_takeover");
    cr_assert_eq(negotiate("permessage-deflate; server_max_window_bits=8", &p, resp, 256, NULL),
                 0);
    cr_assert_eq(negotiate("permessage-deflate; server_max_window_bits=16", &p, resp, 256, NULL),
                 0);
    cr_assert_eq(negotiate("permessage-deflate; server_max_window_bits=09", &p, resp, 256, NULL),
                 0);
    cr_assert_eq(negotiate("permessage-deflate; server_max_window_bits", &p, resp, 256, NULL), 0);
    cr_assert_eq(negotiate("permessage-deflate; client_no_context_takeover; "
                           "client_no_context_takeover",
                           &p, resp, 256, NULL),
                 0);
    cr_assert_eq(negotiate("permessage-deflate; server_no_context_takeover=1", &p, resp, 256, NULL),
                 0);
    cr_assert_eq(negotiate("x-webkit-deflate-frame", &p, resp, 256, NULL), 0);
    cr_assert_eq(negotiate("foo; a=\"b,c\", permessage-deflate", &p, resp, 256, NULL), 1);
    cr_assert_eq(negotiate("permessage-deflate; ;", &p, resp, 256, NULL), 0);
    cr_assert_eq(negotiate("", &p, resp, 256, NULL), 0);

    /* The server's own wishes are added to the response. */
    eddy_ws_deflate_params_t want = {.server_no_context_takeover = 1, .server_max_window_bits = 12};
    cr_assert_eq(negotiate("permessage-deflate", &p, resp, 256, &want), 1);
    cr_assert_str_eq(resp, "permessage-deflate; server_no_context_takeover; "
                           "server_max_window_bits=12");
}

/* ---- permessage-deflate ------------------------------------------------- */

static const eddy_ws_deflate_params_t PMD_TAKEOVER = {0, 0, 15, 15};
static const eddy_ws_deflate_params_t PMD_NO_TAKEOVER = {1, 1, 15, 15};

static void compress_frame(eddy_ws_deflate_t *d, eddy_buf_t *wire, const char *msg, size_t n,
                           const uint8_t *mask) {
    eddy_buf_t z;
    eddy_buf_init(&z);
    cr_assert_eq(eddy_ws_deflate_message(d, msg, n, &z), 0);
    eddy_ws_frame_write(wire, EDDY_WS_FIN | EDDY_WS_RSV1, EDDY_WS_OP_TEXT, z.data, z.len, mask);
    eddy_buf_free(&z);
}

EDDY_TEST(websocket, rfc7692_7_2_3_hello_examples) {
    eddy_ws_deflate_t srv;
    cr_assert_eq(eddy_ws_deflate_init(&srv, &PMD_TAKEOVER, EDDY_WS_SERVER, -1), 0);
    /* 7.2.3.1 and 7.2.3.2: "Hello" twice with a shared window. */
    eddy_buf_t z;
    eddy_buf_init(&z);
    cr_assert_eq(eddy_ws_deflate_message(&srv, "Hello", 5, &z), 0);
    assert_bytes(z.data, z.len, "\xf2\x48\xcd\xc9\xc9\x07\x00", 7);
    eddy_buf_clear(&z);
    cr_assert_eq(eddy_ws_deflate_message(&srv, "Hello", 5, &z), 0);
    assert_bytes(z.data, z.len, "\xf2\x00\x11\x00\x00", 5);
    eddy_buf_free(&z);
    eddy_ws_deflate_close(&srv);

    /* The RFC's frames as a client would read them from a server. */
    static const struct {
        const char *bytes;
        size_t n;
    } frames[] = {
        {S("\xc1\x07\xf2\x48\xcd\xc9\xc9\x07\x00")},                  /* 7.2.3.1 */
        {S("\x41\x03\xf2\x48\xcd\x80\x04\xc9\xc9\x07\x00")},          /* 7.2.3.1 fragmented */
        {S("\xc1\x0b\x00\x05\x00\xfa\xff\x48\x65\x6c\x6c\x6f\x00")},  /* 7.2.3.3 stored */
        {S("\xc1\x08\xf3\x48\xcd\xc9\xc9\x07\x00\x00")},              /* 7.2.3.4 BFINAL */
        {S("\xc1\x0d\xf2\x48\x05\x00\x00\x00\xff\xff\xca\xc9\xc9\x07\x00")}, /* 7.2.3.5 */
    };
    eddy_ws_limits_t lim = client_limits();
    lim.rsv_allowed = EDDY_WS_RSV1;
    for (size_t i = 0; i < sizeof(frames) / sizeof(frames[0]); i++) {
        eddy_ws_deflate_t cli;
        cr_assert_eq(eddy_ws_deflate_init(&cli, &PMD_TAKEOVER, EDDY_WS_CLIENT, -1), 0);
        result_t *r = run(&lim, &cli, frames[i].bytes, frames[i].n);
        cr_assert_eq(r->err, 0, "frame %zu: %d", i, r->err);
        cr_assert_eq(r->n, 1, "frame %zu", i);
        assert_bytes(r->ev[0].data, r->ev[0].len, "Hello", 5);
        eddy_ws_deflate_close(&cli);
    }
    /* 7.2.3.2: the second message refers back into the first. */
    eddy_ws_deflate_t cli;
    cr_assert_eq(eddy_ws_deflate_init(&cli, &PMD_TAKEOVER, EDDY_WS_CLIENT, -1), 0);
    static const char two[] = "\xc1\x07\xf2\x48\xcd\xc9\xc9\x07\x00\xc1\x05\xf2\x00\x11\x00\x00";
    result_t *r = run(&lim, &cli, two, sizeof(two) - 1);
    cr_assert_eq(r->err, 0);
    cr_assert_eq(r->n, 2);
    assert_bytes(r->ev[1].data, r->ev[1].len, "Hello", 5);
    eddy_ws_deflate_close(&cli);
}

static void round_trip(const eddy_ws_deflate_params_t *p, size_t *first_len, size_t *second_len) {
    eddy_ws_deflate_t cli, srv;
    cr_assert_eq(eddy_ws_deflate_init(&cli, p, EDDY_WS_CLIENT, 6), 0);
    cr_assert_eq(eddy_ws_deflate_init(&srv, p, EDDY_WS_SERVER, 6), 0);
    static char text[5000];
    /* Pseudo-random letters: compress poorly alone, well against a window
     * that already holds them. */
    uint32_t x = 12345;
    for (size_t i = 0; i < sizeof(text); i++) {
        x = x * 1103515245u + 12345u;
        text[i] = (char)('a' + (x >> 16) % 26);
    }
    eddy_buf_t wire;
    eddy_buf_init(&wire);
    compress_frame(&cli, &wire, text, sizeof(text), MASK);
    size_t first = wire.len;
    *first_len = first;
    compress_frame(&cli, &wire, text, sizeof(text), MASK);
    *second_len = wire.len - first;
    /* And a fragmented compressed message: RSV1 on the first frame only. */
    eddy_buf_t z;
    eddy_buf_init(&z);
    cr_assert_eq(eddy_ws_deflate_message(&cli, "\xe2\x82\xac uro", 7, &z), 0);
    for (size_t i = 0; i < z.len; i++)
        eddy_ws_frame_write(&wire, (i + 1 == z.len ? EDDY_WS_FIN : 0) | (i == 0 ? EDDY_WS_RSV1 : 0),
                            i == 0 ? EDDY_WS_OP_TEXT : EDDY_WS_OP_CONTINUATION, z.data + i, 1,
                            MASK);
    eddy_buf_free(&z);
    eddy_ws_limits_t lim = server_limits();
    lim.rsv_allowed = EDDY_WS_RSV1;
    result_t *r = run(&lim, &srv, wire.data, wire.len);
    cr_assert_eq(r->err, 0, "%d", r->err);
    cr_assert_eq(r->n, 3);
    assert_bytes(r->ev[0].data, r->ev[0].len, text, sizeof(text));
    assert_bytes(r->ev[1].data, r->ev[1].len, text, sizeof(text));
    assert_bytes(r->ev[2].data, r->ev[2].len, "\xe2\x82\xac uro", 7);
    eddy_buf_free(&wire);
    eddy_ws_deflate_close(&cli);
    eddy_ws_deflate_close(&srv);
}

EDDY_TEST(websocket, deflate_round_trip_with_context_takeover) {
    size_t first, second;
    round_trip(&PMD_TAKEOVER, &first, &second);
    cr_assert_lt(second * 2, first, "second message should reuse the window (%zu vs %zu bytes)",
                 second, first);
}

EDDY_TEST(websocket, deflate_round_trip_without_context_takeover) {
    size_t first, second;
    round_trip(&PMD_NO_TAKEOVER, &first, &second);
    /* A fresh stream each time: the same message compresses the same. */
    cr_assert_eq(second, first, "second message must not depend on the first");
}

EDDY_TEST(websocket, deflate_corrupt_data_is_1002) {
    eddy_ws_deflate_t srv;
    cr_assert_eq(eddy_ws_deflate_init(&srv, &PMD_TAKEOVER, EDDY_WS_SERVER, -1), 0);
    eddy_buf_t wire;
    eddy_buf_init(&wire);
    eddy_ws_frame_write(&wire, EDDY_WS_FIN | EDDY_WS_RSV1, EDDY_WS_OP_BINARY, "\xff\xff\xff", 3,
                        MASK);
    eddy_ws_limits_t lim = server_limits();
    lim.rsv_allowed = EDDY_WS_RSV1;
    result_t *r = run(&lim, &srv, wire.data, wire.len);
    cr_assert_eq(eddy_ws_close_code_for(r->err), 1002);
    eddy_buf_free(&wire);
    eddy_ws_deflate_close(&srv);
}

EDDY_TEST(websocket, deflate_zip_bomb_is_bounded_1009) {
    eddy_ws_deflate_t cli, srv;
    cr_assert_eq(eddy_ws_deflate_init(&cli, &PMD_TAKEOVER, EDDY_WS_CLIENT, 9), 0);
    cr_assert_eq(eddy_ws_deflate_init(&srv, &PMD_TAKEOVER, EDDY_WS_SERVER, -1), 0);
    size_t big = 64 << 20; /* 64 MiB of zeros: about 64 KiB compressed */
    char *zeros = calloc(1, big);
    eddy_buf_t wire;
    eddy_buf_init(&wire);
    compress_frame(&cli, &wire, zeros, big, MASK);
    free(zeros);
    cr_assert_lt(wire.len, 200000);
    eddy_buf_t msg;
    eddy_buf_init(&msg);
    eddy_ws_asm_t a;
    eddy_ws_limits_t lim = server_limits();
    lim.rsv_allowed = EDDY_WS_RSV1;
    lim.max_message_size = 1 << 20;
    eddy_ws_asm_init(&a, &lim, &msg, &srv);
    eddy_ws_msg_t m;
    ssize_t k;
    size_t used = 0;
    while ((k = eddy_ws_asm_feed(&a, wire.data + used, wire.len - used, &m)) > 0) used += (size_t)k;
    cr_assert_eq(k, EDDY_EWS_TOO_BIG);
    cr_assert_eq(eddy_ws_close_code_for((int)k), 1009);
    cr_assert_leq(msg.cap, (size_t)(4 << 20), "inflate buffer grew to %zu", msg.cap);
    eddy_buf_free(&msg);
    eddy_buf_free(&wire);
    eddy_ws_deflate_close(&cli);
    eddy_ws_deflate_close(&srv);
}

/* ---- no over-read (picohttpparser's guard-page trick) ------------------ */

static char *guard_boundary(void) {
    long page = sysconf(_SC_PAGESIZE);
    char *p = mmap(NULL, (size_t)page * 2, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                   -1, 0);
    cr_assert_neq(p, MAP_FAILED);
    cr_assert_eq(mprotect(p + page, (size_t)page, PROT_NONE), 0);
    return p + page; /* first byte that faults */
}

EDDY_TEST(websocket, frame_parser_never_reads_past_len_at_a_guard_page) {
    char *end = guard_boundary();
    eddy_buf_t s;
    eddy_buf_init(&s);
    eddy_ws_frame_write(&s, EDDY_WS_FIN, EDDY_WS_OP_BINARY, NULL, 0, MASK);
    static char pay[70000];
    eddy_ws_frame_write(&s, EDDY_WS_FIN, EDDY_WS_OP_BINARY, pay, 300, MASK);
    uint8_t h[EDDY_WS_MAX_HEADER];
    size_t hl = eddy_ws_header_write(h, EDDY_WS_FIN, EDDY_WS_OP_BINARY, 70000, MASK);
    eddy_buf_append(&s, h, hl);
    eddy_ws_limits_t lim = {.role = EDDY_WS_SERVER};
    /* Every prefix of every header ends right at the guard page. */
    for (size_t k = 0; k <= 14 && k <= s.len; k++) {
        for (size_t off = 0; off < s.len; off++) {
            size_t n = s.len - off < k ? s.len - off : k;
            memcpy(end - n, s.data + off, n);
            eddy_ws_frame_t f;
            ssize_t r = eddy_ws_frame_parse(&f, end - n, n, &lim);
            cr_assert_leq(r, (ssize_t)n);
        }
    }
    /* The assembler over a whole frame ending at the page, then every prefix. */
    eddy_buf_t one;
    eddy_buf_init(&one);
    eddy_ws_frame_write(&one, EDDY_WS_FIN, EDDY_WS_OP_TEXT, "Hello, guard page", 17, MASK);
    for (size_t n = 0; n <= one.len; n++) {
        eddy_buf_t msg;
        eddy_buf_init(&msg);
        eddy_ws_asm_t a;
        eddy_ws_asm_init(&a, &lim, &msg, NULL);
        memcpy(end - n, one.data, n);
        eddy_ws_msg_t m;
        ssize_t r = eddy_ws_asm_feed(&a, end - n, n, &m);
        cr_assert_geq(r, 0);
        cr_assert_leq(r, (ssize_t)n);
        if (n == one.len) {
            cr_assert_eq(r, (ssize_t)n);
            assert_bytes(m.data, m.len, "Hello, guard page", 17);
        }
        eddy_buf_free(&msg);
    }
    /* UTF-8 fast path reads 8 at a time: it must stop at len too. */
    for (size_t n = 0; n < 20; n++) {
        memset(end - n, 'a', n);
        cr_assert(eddy_ws_utf8_valid(end - n, n));
    }
    eddy_buf_free(&one);
    eddy_buf_free(&s);
}
