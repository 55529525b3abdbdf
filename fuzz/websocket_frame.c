/*
 * libFuzzer target for the WebSocket frame parser and message assembler
 * (include/eddy/websocket.h).
 *
 * Input layout: 4 option bytes, then the byte stream a peer sends.
 *   d[0] bit 0: role (server expects masked frames, client unmasked)
 *        bit 1: permessage-deflate negotiated (RSV1 allowed, inflater bound)
 *        bit 2: peer has no context takeover
 *   d[1]: max frame size = 1 + d[1] * 64
 *   d[2]: max message size = 1 + d[2] * 64
 *   d[3]: split point (the stream is delivered in two pieces cut there)
 * Every feed works on an exact-size heap copy, so ASan flags any read past
 * len. Invariants:
 *   - a feed never consumes more than it was given, and 0 only when it
 *     made no progress;
 *   - delivered messages respect the limits; text and close reasons are UTF-8;
 *   - control payloads are <= 125 bytes;
 *   - the stream delivered whole and delivered in two pieces gives the same
 *     messages and the same final error.
 * Run: fuzz_websocket_frame -dict=fuzz/websocket_frame.dict fuzz/corpus/websocket_frame
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "eddy/websocket.h"

#define MAXEV 256

typedef struct {
    uint8_t op[MAXEV];
    size_t len[MAXEV];
    uint64_t hash[MAXEV];
    int n;
    int err;
} run_t;

static uint64_t fnv(const void *p, size_t n) {
    const uint8_t *b = p;
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) h = (h ^ b[i]) * 1099511628211ull;
    return h;
}

static void check_msg(const eddy_ws_limits_t *lim, const eddy_ws_msg_t *m) {
    if (m->opcode == EDDY_WS_OP_NONE) return;
    if (m->len && !m->data) abort();
    if (m->opcode & 0x8) {
        if (m->len > EDDY_WS_MAX_CONTROL) abort();
        if (m->opcode == EDDY_WS_OP_CLOSE && !eddy_ws_utf8_valid(m->reason, m->reason_len))
            abort();
        return;
    }
    if (m->opcode != EDDY_WS_OP_TEXT && m->opcode != EDDY_WS_OP_BINARY) abort();
    if (lim->max_message_size && m->len > lim->max_message_size) abort();
    if (m->opcode == EDDY_WS_OP_TEXT && !eddy_ws_utf8_valid(m->data, m->len)) abort();
}

static void run(const uint8_t *d, const uint8_t *s, size_t n, size_t cut, run_t *out) {
    eddy_ws_limits_t lim = {
        .role = (d[0] & 1) ? EDDY_WS_CLIENT : EDDY_WS_SERVER,
        .rsv_allowed = (d[0] & 2) ? EDDY_WS_RSV1 : 0,
        .max_frame_size = 1 + (uint64_t)d[1] * 64,
        .max_message_size = 1 + (size_t)d[2] * 64,
    };
    eddy_ws_deflate_params_t p = {(d[0] >> 2) & 1, (d[0] >> 2) & 1, 15, 15};
    eddy_ws_deflate_t z;
    int deflate = (d[0] & 2) && eddy_ws_deflate_init(&z, &p, lim.role, -1) == 0;
    eddy_buf_t msg;
    eddy_buf_init(&msg);
    eddy_ws_asm_t a;
    eddy_ws_asm_init(&a, &lim, &msg, deflate ? &z : NULL);
    memset(out, 0, sizeof(*out));
    size_t start = 0, avail = cut;
    for (int piece = 0; piece < 2 && !out->err; piece++, avail = n) {
        for (;;) {
            size_t len = avail - start;
            char *copy = malloc(len ? len : 1);
            if (!copy) abort();
            memcpy(copy, s + start, len);
            eddy_ws_msg_t m;
            ssize_t r = eddy_ws_asm_feed(&a, copy, len, &m);
            if (r > 0 && (size_t)r > len) abort();
            if (r < 0) {
                /* Every error maps to one of the three protocol close codes. */
                uint16_t c = eddy_ws_close_code_for((int)r);
                if (c != 1002 && c != 1007 && c != 1009) abort();
                out->err = (int)r;
            } else if (r > 0) {
                check_msg(&lim, &m);
                if (m.opcode != EDDY_WS_OP_NONE && out->n < MAXEV) {
                    out->op[out->n] = m.opcode;
                    out->len[out->n] = m.len;
                    out->hash[out->n] = fnv(m.data, m.len) ^ m.close_code;
                    out->n++;
                }
                start += (size_t)r;
            }
            free(copy);
            if (r <= 0) break;
        }
    }
    eddy_buf_free(&msg);
    if (deflate) eddy_ws_deflate_close(&z);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 4) return 0;
    const uint8_t *s = data + 4;
    size_t n = size - 4;
    size_t cut = n ? data[3] % (n + 1) : 0;
    static run_t whole, split;
    run(data, s, n, n, &whole);
    run(data, s, n, cut, &split);
    if (whole.err != split.err || whole.n != split.n) abort();
    for (int i = 0; i < whole.n; i++)
        if (whole.op[i] != split.op[i] || whole.len[i] != split.len[i] ||
            whole.hash[i] != split.hash[i])
            abort();
    return 0;
}
