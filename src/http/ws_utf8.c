/* Incremental UTF-8 validation (RFC 3629 section 4) for text messages whose
 * fragments may split a character anywhere.
 *
 * State: bits 0-7 = continuation bytes still expected, bits 8-15 / 16-23 =
 * the allowed range of the next one. Only the byte right after a lead byte
 * has a narrowed range: that is what excludes overlongs (E0 80..9F, F0
 * 80..8F), surrogates (ED A0..BF) and code points past U+10FFFF (F4 90..). */
#include <string.h>

#include "eddy/websocket.h"

#define ST(need, lo, hi) ((uint32_t)(need) | (uint32_t)(lo) << 8 | (uint32_t)(hi) << 16)
#define BAD 0xffffffffu

static uint32_t lead(uint8_t c) {
    if (c < 0x80) return 0;
    if (c < 0xc2) return BAD; /* stray continuation, or overlong C0/C1 */
    if (c < 0xe0) return ST(1, 0x80, 0xbf);
    if (c == 0xe0) return ST(2, 0xa0, 0xbf);
    if (c == 0xed) return ST(2, 0x80, 0x9f);
    if (c < 0xf0) return ST(2, 0x80, 0xbf);
    if (c == 0xf0) return ST(3, 0x90, 0xbf);
    if (c < 0xf4) return ST(3, 0x80, 0xbf);
    if (c == 0xf4) return ST(3, 0x80, 0x8f);
    return BAD; /* F5..FF */
}

int eddy_ws_utf8_feed(eddy_ws_utf8_t *st, const void *buf, size_t n) {
    const uint8_t *p = buf;
    uint32_t s = *st;
    if (s == BAD) return EDDY_EWS_BAD_UTF8;
    size_t i = 0;
    while (i < n) {
        if (s == 0) {
            /* ASCII fast path, 8 bytes at a time. */
            while (i + 8 <= n) {
                uint64_t w;
                memcpy(&w, p + i, 8);
                if (w & 0x8080808080808080ull) break;
                i += 8;
            }
            if (i >= n) break;
            s = lead(p[i++]);
            if (s == BAD) goto bad;
            continue;
        }
        uint8_t c = p[i++];
        if (c < ((s >> 8) & 0xff) || c > ((s >> 16) & 0xff)) goto bad;
        uint32_t need = (s & 0xff) - 1;
        s = need ? ST(need, 0x80, 0xbf) : 0;
    }
    *st = s;
    return 0;
bad:
    *st = BAD;
    return EDDY_EWS_BAD_UTF8;
}

int eddy_ws_utf8_valid(const void *p, size_t n) {
    eddy_ws_utf8_t st = 0;
    return eddy_ws_utf8_feed(&st, p, n) == 0 && st == 0;
}
