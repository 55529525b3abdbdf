/* WebSocket frames (RFC 6455 section 5): header parser, masking, writer,
 * close payloads. */
#include <string.h>

#include "eddy/websocket.h"

static int is_control(uint8_t op) { return (op & 0x8) != 0; }

static int is_known_opcode(uint8_t op) {
    return op <= EDDY_WS_OP_BINARY || (op >= EDDY_WS_OP_CLOSE && op <= EDDY_WS_OP_PONG);
}

/* Checks that depend on the first two bytes only, so a bad frame is refused
 * before its extended length or mask arrives. */
static int check_start(uint8_t b0, uint8_t b1, const eddy_ws_limits_t *lim) {
    uint8_t op = b0 & 0x0f, rsv = b0 & 0x70;
    int masked = (b1 & 0x80) != 0;
    if (rsv & ~lim->rsv_allowed) return EDDY_EWS_PROTOCOL; /* section 5.2 */
    if (!is_known_opcode(op)) return EDDY_EWS_PROTOCOL;
    /* Section 5.1: client-to-server frames are masked, server-to-client not. */
    if (masked != (lim->role == EDDY_WS_SERVER)) return EDDY_EWS_PROTOCOL;
    if (is_control(op)) {
        /* Section 5.5: control frames are never fragmented, <= 125 bytes;
         * RFC 7692 section 6: RSV1 only on data frames. */
        if (!(b0 & EDDY_WS_FIN) || (b1 & 0x7f) > EDDY_WS_MAX_CONTROL || rsv) return EDDY_EWS_PROTOCOL;
    }
    return 0;
}

ssize_t eddy_ws_frame_parse(eddy_ws_frame_t *f, const void *buf, size_t len,
                            const eddy_ws_limits_t *lim) {
    const uint8_t *p = buf;
    if (len < 2) return 0;
    int rc = check_start(p[0], p[1], lim);
    if (rc < 0) return rc;
    size_t need = 2, lenbytes = 0;
    uint8_t l7 = p[1] & 0x7f;
    if (l7 == 126) lenbytes = 2;
    else if (l7 == 127) lenbytes = 8;
    need += lenbytes;
    if (len < need) {
        /* Section 5.2: the 64-bit length's MSB must be 0; refuse it early. */
        if (lenbytes == 8 && len > 2 && (p[2] & 0x80)) return EDDY_EWS_PROTOCOL;
        return 0;
    }
    uint64_t plen = l7;
    if (lenbytes) {
        plen = 0;
        for (size_t i = 0; i < lenbytes; i++) plen = plen << 8 | p[2 + i];
        if (lenbytes == 8 && (plen >> 63)) return EDDY_EWS_PROTOCOL;
    }
    if (lim->max_frame_size && plen > lim->max_frame_size) return EDDY_EWS_TOO_BIG;
    int masked = (p[1] & 0x80) != 0;
    if (masked) need += 4;
    if (len < need) return 0;
    f->fin = (p[0] & EDDY_WS_FIN) != 0;
    f->rsv = p[0] & 0x70;
    f->opcode = p[0] & 0x0f;
    f->masked = (uint8_t)masked;
    if (masked) memcpy(f->mask, p + 2 + lenbytes, 4);
    else memset(f->mask, 0, 4);
    f->header_len = (uint8_t)need;
    f->payload_len = plen;
    return (ssize_t)need;
}

void eddy_ws_mask(void *data, size_t len, const uint8_t mask[4], uint64_t offset) {
    uint8_t *p = data;
    uint8_t key[4];
    for (int k = 0; k < 4; k++) key[k] = mask[(offset + (uint64_t)k) & 3];
    size_t i = 0;
    /* Bytes one at a time until p + i is 8-aligned, then 8 at a time with the
     * key rotated to the phase of p + i, then the tail. */
    while (i < len && ((uintptr_t)(p + i) & 7)) {
        p[i] ^= key[i & 3];
        i++;
    }
    if (len - i >= 8) {
        uint8_t rk[8];
        for (size_t k = 0; k < 8; k++) rk[k] = key[(i + k) & 3];
        uint64_t k64, w;
        memcpy(&k64, rk, 8);
        for (; i + 8 <= len; i += 8) {
            memcpy(&w, p + i, 8);
            w ^= k64;
            memcpy(p + i, &w, 8);
        }
    }
    for (; i < len; i++) p[i] ^= key[i & 3];
}

size_t eddy_ws_header_write(uint8_t *out, uint8_t flags, uint8_t opcode, uint64_t len,
                            const uint8_t *mask) {
    size_t n = 0;
    out[n++] = (uint8_t)((flags & 0xf0) | (opcode & 0x0f));
    uint8_t m = mask ? 0x80 : 0;
    if (len <= 125) {
        out[n++] = (uint8_t)(m | len);
    } else if (len <= 0xffff) {
        out[n++] = m | 126;
        out[n++] = (uint8_t)(len >> 8);
        out[n++] = (uint8_t)len;
    } else {
        out[n++] = m | 127;
        for (int s = 56; s >= 0; s -= 8) out[n++] = (uint8_t)(len >> s);
    }
    if (mask) {
        memcpy(out + n, mask, 4);
        n += 4;
    }
    return n;
}

void eddy_ws_frame_write(eddy_buf_t *out, uint8_t flags, uint8_t opcode, const void *payload,
                         size_t len, const uint8_t *mask) {
    uint8_t h[EDDY_WS_MAX_HEADER];
    size_t hl = eddy_ws_header_write(h, flags, opcode, len, mask);
    eddy_buf_reserve(out, hl + len);
    eddy_buf_append(out, h, hl);
    size_t at = out->len;
    eddy_buf_append(out, payload, len);
    if (mask) eddy_ws_mask(out->data + at, len, mask, 0);
}

void eddy_ws_frame_write_fragmented(eddy_buf_t *out, uint8_t opcode, const void *payload,
                                    size_t len, size_t frag, const uint8_t *mask) {
    const char *p = payload;
    if (frag == 0) frag = len ? len : 1;
    size_t off = 0;
    do {
        size_t n = len - off < frag ? len - off : frag;
        uint8_t flags = off + n == len ? EDDY_WS_FIN : 0;
        eddy_ws_frame_write(out, flags, off == 0 ? opcode : EDDY_WS_OP_CONTINUATION, p + off, n,
                            mask);
        off += n;
    } while (off < len);
}

int eddy_ws_close_code_valid(unsigned code) {
    /* Section 7.4: 1004-1006 and 1015 are reserved or never sent; 1012-1014
     * are IANA-registered later but not in RFC 6455's table -- refused, as
     * the brief's wire rules (and Swoole's table) say. */
    if (code >= 1000 && code <= 1003) return 1;
    if (code >= 1007 && code <= 1011) return 1;
    return code >= 3000 && code <= 4999;
}

int eddy_ws_close_parse(const void *payload, size_t len, uint16_t *code, const char **reason,
                        size_t *reason_len) {
    const uint8_t *p = payload;
    *reason = NULL;
    *reason_len = 0;
    if (len == 0) {
        *code = EDDY_WS_CLOSE_STATUS_ERROR;
        return 0;
    }
    if (len == 1) return EDDY_EWS_PROTOCOL;
    unsigned c = (unsigned)p[0] << 8 | p[1];
    if (!eddy_ws_close_code_valid(c)) return EDDY_EWS_PROTOCOL;
    if (!eddy_ws_utf8_valid(p + 2, len - 2)) return EDDY_EWS_BAD_UTF8;
    *code = (uint16_t)c;
    *reason = (const char *)p + 2;
    *reason_len = len - 2;
    return 0;
}

int eddy_ws_close_write(eddy_buf_t *out, uint16_t code, const char *reason, size_t reason_len,
                        const uint8_t *mask) {
    if (code == 0) {
        if (reason_len) return EDDY_EINVAL;
        eddy_ws_frame_write(out, EDDY_WS_FIN, EDDY_WS_OP_CLOSE, "", 0, mask);
        return 0;
    }
    if (!eddy_ws_close_code_valid(code) || reason_len > EDDY_WS_MAX_CONTROL - 2 ||
        !eddy_ws_utf8_valid(reason, reason_len))
        return EDDY_EINVAL;
    uint8_t p[EDDY_WS_MAX_CONTROL];
    p[0] = (uint8_t)(code >> 8);
    p[1] = (uint8_t)code;
    if (reason_len) memcpy(p + 2, reason, reason_len);
    eddy_ws_frame_write(out, EDDY_WS_FIN, EDDY_WS_OP_CLOSE, p, reason_len + 2, mask);
    return 0;
}

uint16_t eddy_ws_close_code_for(int err) {
    switch (err) {
    case EDDY_EWS_PROTOCOL: return EDDY_WS_CLOSE_PROTOCOL_ERROR;
    case EDDY_EWS_TOO_BIG: return EDDY_WS_CLOSE_MESSAGE_TOO_BIG;
    case EDDY_EWS_BAD_UTF8: return EDDY_WS_CLOSE_MESSAGE_ERROR;
    default: return EDDY_WS_CLOSE_SERVER_ERROR;
    }
}
