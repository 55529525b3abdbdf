/*
 * Chunked transfer coding decoder (RFC 9112 7.1), in place and incremental.
 *
 *   chunked-body = *chunk last-chunk trailer-section CRLF
 *   chunk        = chunk-size [ chunk-ext ] CRLF chunk-data CRLF
 *
 * A byte-at-a-time state machine for the framing and one memmove per run of
 * data, so input may be cut anywhere: the state carries over in the caller's
 * eddy_http_chunked_t. Extensions are skipped (bounded by ext_max), trailers
 * are consumed and dropped (bounded by trailer_max): we never merge trailer
 * fields into the header section, which RFC 9110 6.5.1 discourages.
 */
#include <string.h>

#include "eddy/http.h"
#include "internal.h"

enum {
    S_SIZE = 0,   /* hex digits of chunk-size */
    S_SIZE_WS,    /* BWS after the size, before ';' or CR */
    S_EXT,        /* chunk-ext, skipped up to CR */
    S_SIZE_LF,    /* LF ending the size line */
    S_DATA,       /* `remaining` bytes of chunk data */
    S_DATA_CR,    /* CRLF after chunk data */
    S_DATA_LF,
    S_TRAILER,    /* start of a trailer line, or the final CRLF */
    S_TRAILER_LINE,
    S_TRAILER_LF,
    S_END_LF      /* LF of the final CRLF */
};

#define MAX_HEX_DIGITS 16 /* 2^64 - 1; leading zeros count too, to bound the line */

void eddy_http_chunked_init(eddy_http_chunked_t *d) {
    memset(d, 0, sizeof(*d));
    d->body_max_size = EDDY_HTTP_BODY_MAX_SIZE;
    d->ext_max = EDDY_HTTP_CHUNK_EXT_MAX;
    d->trailer_max = EDDY_HTTP_HEADER_MAX_SIZE;
}

static int is_ctl(unsigned char c) { return (c < 0x20 && c != '\t') || c == 0x7f; }

/* The size line is complete up to its digits: apply the body limit now,
 * before any of the chunk's data arrives. */
static int size_done(eddy_http_chunked_t *d) {
    if (d->count == 0) return EDDY_EHTTP_BAD_CHUNK;
    if (d->remaining > UINT64_MAX - d->body_size) return EDDY_EHTTP_BAD_CHUNK;
    if (d->body_max_size && d->body_size + d->remaining > d->body_max_size)
        return EDDY_EHTTP_BODY_TOO_LARGE;
    return 0;
}

/* One framing byte (any state but S_DATA). Returns 0, 1 at the end of the
 * body, or an error. */
static int step(eddy_http_chunked_t *d, unsigned char c) {
    int h, rc;
    switch (d->state) {
    case S_SIZE:
        if ((h = eddy__http_hex(c)) >= 0) {
            if (d->count++ == MAX_HEX_DIGITS) return EDDY_EHTTP_BAD_CHUNK;
            d->remaining = d->remaining << 4 | (uint64_t)h;
            return 0;
        }
        if ((rc = size_done(d))) return rc;
        d->count = 0;
        __attribute__((fallthrough)); /* the byte after the digits */
    case S_SIZE_WS:
        if (eddy__http_ows(c)) d->state = S_SIZE_WS;
        else if (c == ';') d->state = S_EXT;
        else if (c == '\r') d->state = S_SIZE_LF;
        else return EDDY_EHTTP_BAD_CHUNK;
        return 0;
    case S_EXT:
        if (c == '\r') d->state = S_SIZE_LF;
        else if (is_ctl(c) || ++d->count > d->ext_max) return EDDY_EHTTP_BAD_CHUNK;
        return 0;
    case S_SIZE_LF:
        if (c != '\n') return EDDY_EHTTP_BAD_CHUNK;
        d->count = 0;
        d->state = d->remaining ? S_DATA : S_TRAILER;
        return 0;
    case S_DATA_CR:
        if (c != '\r') return EDDY_EHTTP_BAD_CHUNK;
        d->state = S_DATA_LF;
        return 0;
    case S_DATA_LF:
        if (c != '\n') return EDDY_EHTTP_BAD_CHUNK;
        d->state = S_SIZE;
        return 0;
    default:
        return 0;
    }
}

/* Trailer states, split from step() to keep each function short. */
static int step_trailer(eddy_http_chunked_t *d, unsigned char c) {
    if (++d->count > d->trailer_max) return EDDY_EHTTP_HEADERS_TOO_LARGE;
    switch (d->state) {
    case S_TRAILER:
        if (c == '\r') d->state = S_END_LF;
        else if (c == '\n' || eddy__http_ows(c) || is_ctl(c)) return EDDY_EHTTP_BAD_CHUNK;
        else d->state = S_TRAILER_LINE;
        return 0;
    case S_TRAILER_LINE:
        if (c == '\r') d->state = S_TRAILER_LF;
        else if (is_ctl(c)) return EDDY_EHTTP_BAD_CHUNK;
        return 0;
    case S_TRAILER_LF:
        if (c != '\n') return EDDY_EHTTP_BAD_CHUNK;
        d->state = S_TRAILER;
        return 0;
    default: /* S_END_LF */
        if (c != '\n') return EDDY_EHTTP_BAD_CHUNK;
        return 1;
    }
}

ssize_t eddy_http_chunked_decode(eddy_http_chunked_t *d, char *buf, size_t len,
                                 size_t *data_len) {
    size_t i = 0, dst = 0;
    int rc = 0;
    while (i < len) {
        if (d->state == S_DATA) {
            size_t n = len - i;
            if (n > d->remaining) n = (size_t)d->remaining;
            memmove(buf + dst, buf + i, n);
            dst += n, i += n;
            d->remaining -= n;
            d->body_size += n;
            if (d->remaining == 0) d->state = S_DATA_CR;
            continue;
        }
        unsigned char c = (unsigned char)buf[i++];
        rc = d->state >= S_TRAILER ? step_trailer(d, c) : step(d, c);
        if (rc) break;
    }
    *data_len = dst;
    if (rc < 0) return rc;
    return rc == 1 ? (ssize_t)i : EDDY_EAGAIN;
}
