/*
 * Message framing for stream listeners (include/eddy/framing.h).
 *
 * Everything here is bounded by `len`: the length field is read only once
 * offset + width <= len, the EOF tail only once len >= eof_len, and memmem()
 * never looks past its haystack. Sizes are computed in 64 bits so a 4-byte
 * length plus a 16-bit body offset cannot wrap.
 */
#define _GNU_SOURCE /* memmem */
#include <string.h>

#include "eddy/framing.h"

/* The ten letters Swoole documents for package_length_type (a subset of
 * PHP's pack(): no 64-bit or machine-sized types). Lower case = signed,
 * except n/v/N/V which pack() defines as unsigned with a fixed byte order. */
size_t eddy_framing_length_size(char type) {
    switch (type) {
    case 'c': case 'C': return 1;
    case 's': case 'S': case 'n': case 'v': return 2;
    case 'l': case 'L': case 'N': case 'V': return 4;
    default: return 0;
    }
}

void eddy_framing_init_none(eddy_framing_t *f) {
    memset(f, 0, sizeof(*f));
    f->mode = EDDY_FRAMING_NONE;
}

int eddy_framing_init_eof(eddy_framing_t *f, const char *eof, size_t eof_len, int split,
                          size_t max_length) {
    if (eof_len == 0 || eof_len > EDDY_FRAMING_EOF_MAX || max_length == 0) return EDDY_EINVAL;
    memset(f, 0, sizeof(*f));
    f->mode = split ? EDDY_FRAMING_EOF_SPLIT : EDDY_FRAMING_EOF;
    memcpy(f->package_eof, eof, eof_len);
    f->package_eof_len = eof_len;
    f->package_max_length = max_length;
    return 0;
}

int eddy_framing_init_length(eddy_framing_t *f, char type, uint32_t length_offset,
                             uint32_t body_offset, size_t max_length) {
    size_t width = eddy_framing_length_size(type);
    if (width == 0 || max_length == 0) return EDDY_EINVAL;
    /* A header that cannot fit in the largest allowed message would make
     * every message fail; say so at configuration time instead. */
    if ((uint64_t)length_offset + width > max_length || body_offset > max_length)
        return EDDY_EINVAL;
    memset(f, 0, sizeof(*f));
    f->mode = EDDY_FRAMING_LENGTH;
    f->package_length_type = type;
    f->package_length_offset = length_offset;
    f->package_body_offset = body_offset;
    f->package_max_length = max_length;
    return 0;
}

/* open_eof_check without split: only the tail matters, so this is O(eof_len)
 * however much is buffered. */
static ssize_t parse_eof_tail(const eddy_framing_t *f, const char *buf, size_t len) {
    size_t el = f->package_eof_len;
    if (len >= el && memcmp(buf + len - el, f->package_eof, el) == 0)
        return len <= f->package_max_length ? (ssize_t)len : EDDY_EMSGSIZE;
    /* Not complete: the message will be at least len + 1 bytes. */
    return len >= f->package_max_length ? EDDY_EMSGSIZE : 0;
}

/* open_eof_split: search only what has not been searched, backing up
 * eof_len - 1 bytes so a delimiter split across two reads is still found. */
static ssize_t parse_eof_split(const eddy_framing_t *f, const char *buf, size_t len,
                               size_t *scanned) {
    size_t el = f->package_eof_len;
    size_t from = scanned && *scanned <= len ? *scanned : 0;
    const char *hit = memmem(buf + from, len - from, f->package_eof, el);
    if (hit) {
        size_t end = (size_t)(hit - buf) + el;
        if (scanned) *scanned = 0;
        return end <= f->package_max_length ? (ssize_t)end : EDDY_EMSGSIZE;
    }
    if (scanned) *scanned = len >= el - 1 ? len - (el - 1) : 0;
    return len >= f->package_max_length ? EDDY_EMSGSIZE : 0;
}

static uint32_t load_be(const unsigned char *p, size_t n) {
    uint32_t v = 0;
    for (size_t i = 0; i < n; i++) v = v << 8 | p[i];
    return v;
}

static uint32_t load_le(const unsigned char *p, size_t n) {
    uint32_t v = 0;
    for (size_t i = n; i > 0; i--) v = v << 8 | p[i - 1];
    return v;
}

/* Decodes the length field at p; -1 when a signed type holds a negative
 * value. Host-order types go through memcpy: p may be unaligned. */
static int64_t read_length(char type, const unsigned char *p) {
    int16_t s16; uint16_t u16; int32_t s32; uint32_t u32;
    switch (type) {
    case 'c': return (int8_t)p[0] < 0 ? -1 : (int8_t)p[0];
    case 'C': return p[0];
    case 's': memcpy(&s16, p, 2); return s16 < 0 ? -1 : s16;
    case 'S': memcpy(&u16, p, 2); return u16;
    case 'n': return load_be(p, 2);
    case 'v': return load_le(p, 2);
    case 'l': memcpy(&s32, p, 4); return s32 < 0 ? -1 : s32;
    case 'L': memcpy(&u32, p, 4); return u32;
    case 'N': return load_be(p, 4);
    case 'V': return load_le(p, 4);
    default: return -1;
    }
}

static ssize_t parse_length(const eddy_framing_t *f, const char *buf, size_t len) {
    size_t width = eddy_framing_length_size(f->package_length_type);
    if (width == 0) return EDDY_EINVAL;
    uint64_t header = (uint64_t)f->package_length_offset + width;
    if (len < header) return 0;
    int64_t value = read_length(f->package_length_type,
                                (const unsigned char *)buf + f->package_length_offset);
    if (value < 0) return EDDY_EPROTOCOL;
    uint64_t total = (uint64_t)f->package_body_offset + (uint64_t)value;
    /* A message that ends before its own length field (total 0 included)
     * would make the splitter stall or re-read header bytes as a new
     * message; it can only come from a broken or hostile peer. */
    if (total < header) return EDDY_EPROTOCOL;
    /* Rejected as soon as the header is in, before the body is buffered:
     * Swoole's "discard without consuming memory". */
    if (total > f->package_max_length) return EDDY_EMSGSIZE;
    return len >= total ? (ssize_t)total : 0;
}

ssize_t eddy_framing_parse(const eddy_framing_t *f, const char *buf, size_t len, size_t *scanned) {
    switch (f->mode) {
    case EDDY_FRAMING_NONE:
        return (ssize_t)len;
    case EDDY_FRAMING_EOF:
    case EDDY_FRAMING_EOF_SPLIT:
        if (f->package_eof_len == 0 || f->package_eof_len > EDDY_FRAMING_EOF_MAX ||
            f->package_max_length == 0)
            return EDDY_EINVAL;
        if (f->mode == EDDY_FRAMING_EOF) return parse_eof_tail(f, buf, len);
        return parse_eof_split(f, buf, len, scanned);
    case EDDY_FRAMING_LENGTH:
        if (f->package_max_length == 0) return EDDY_EINVAL;
        return parse_length(f, buf, len);
    }
    return EDDY_EINVAL;
}
