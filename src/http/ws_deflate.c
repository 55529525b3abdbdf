/* permessage-deflate (RFC 7692): raw deflate streams per connection.
 *
 * A message is deflated with Z_SYNC_FLUSH, whose output ends in an empty
 * stored block 00 00 ff ff; the sender strips those four bytes and the
 * receiver appends them back before the last inflate (section 7.2.1/7.2.2).
 * With context takeover the streams live across messages (the LZ77 window
 * carries over); without it they are reset after each message.
 *
 * Cost per connection: deflate with memLevel 8 and a 2^15 window is about
 * 256 KiB, inflate about 44 KiB, so callers should create this only for
 * connections that negotiated the extension. */
#include <string.h>
#include <zlib.h>

#include "eddy/websocket.h"
#include "zdeflate.h"

#define CHUNK 16384

static const uint8_t tail[4] = {0x00, 0x00, 0xff, 0xff};

int eddy_ws_deflate_init(eddy_ws_deflate_t *d, const eddy_ws_deflate_params_t *p,
                         eddy_ws_role_t role, int level) {
    memset(d, 0, sizeof(*d));
    d->params = *p;
    d->role = role;
    d->level = level;
    int wbits = role == EDDY_WS_SERVER ? p->server_max_window_bits : p->client_max_window_bits;
    if (wbits == 0) wbits = 15;
    /* zlib refuses a raw deflate window of 8 bits; negotiation never accepts
     * it for the server, and a 9-bit window is the closest a client can use
     * only if the server allowed 9 or more. */
    if (wbits < 9 || wbits > 15 || level < -1 || level > 9) return EDDY_EINVAL;
    z_stream *zd = eddy_calloc(1, sizeof(*zd));
    z_stream *zi = eddy_calloc(1, sizeof(*zi));
    if (deflateInit2(zd, level, Z_DEFLATED, -wbits, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        eddy_free(zd);
        eddy_free(zi);
        return EDDY_ENOMEM;
    }
    /* Inflating with the largest window accepts whatever the peer used. */
    if (inflateInit2(zi, -15) != Z_OK) {
        deflateEnd(zd);
        eddy_free(zd);
        eddy_free(zi);
        return EDDY_ENOMEM;
    }
    d->zdeflate = zd;
    d->zinflate = zi;
    return 0;
}

void eddy_ws_deflate_close(eddy_ws_deflate_t *d) {
    if (d->zdeflate) {
        deflateEnd(d->zdeflate);
        eddy_free(d->zdeflate);
    }
    if (d->zinflate) {
        inflateEnd(d->zinflate);
        eddy_free(d->zinflate);
    }
    d->zdeflate = d->zinflate = NULL;
}

static int our_no_takeover(const eddy_ws_deflate_t *d) {
    return d->role == EDDY_WS_SERVER ? d->params.server_no_context_takeover
                                     : d->params.client_no_context_takeover;
}

static int peer_no_takeover(const eddy_ws_deflate_t *d) {
    return d->role == EDDY_WS_SERVER ? d->params.client_no_context_takeover
                                     : d->params.server_no_context_takeover;
}

int eddy_ws_deflate_message(eddy_ws_deflate_t *d, const void *in, size_t len, eddy_buf_t *out) {
    z_stream *z = d->zdeflate;
    if (!z) return EDDY_EINVAL;
    size_t start = out->len;
    if (eddy__zdeflate_buf(z, in, len, Z_SYNC_FLUSH, out) < 0) return EDDY_EPROTOCOL;
    if (out->len - start >= 4 && memcmp(out->data + out->len - 4, tail, 4) == 0) out->len -= 4;
    out->data[out->len] = '\0';
    if (our_no_takeover(d)) deflateReset(z);
    return 0;
}

/* Runs inflate over z's pending input into out, bounded by max, until the
 * input is used up and no output is pending.
 *
 * A peer may end a message with a BFINAL block (RFC 7692 section 7.2.3.4:
 * "f3 48 cd c9 c9 07 00" then 00, the header of an empty stored block that
 * our appended tail completes). So a stream end inside a message starts a
 * new raw stream on the remaining bytes; the old window is gone, and a later
 * back-reference into it fails as corrupt data. */
static int inflate_some(z_stream *z, eddy_buf_t *out, size_t max) {
    for (;;) {
        size_t room = CHUNK;
        /* One byte over the limit is enough to know it is over: a zip bomb
         * never makes us allocate more than about max + CHUNK. */
        if (max && max + 1 - out->len < room) room = max + 1 - out->len;
        eddy_buf_reserve(out, room);
        z->next_out = (Bytef *)out->data + out->len;
        z->avail_out = (uInt)room;
        int rc = inflate(z, Z_SYNC_FLUSH);
        out->len += room - z->avail_out;
        out->data[out->len] = '\0';
        if (max && out->len > max) return EDDY_EWS_TOO_BIG;
        if (rc == Z_STREAM_END) {
            inflateReset(z);
            if (z->avail_in == 0) return 0;
            continue;
        }
        if (rc != Z_OK && rc != Z_BUF_ERROR) return EDDY_EWS_PROTOCOL;
        /* Output space left over means zlib has nothing pending. */
        if (z->avail_out > 0 && (z->avail_in == 0 || rc == Z_BUF_ERROR)) return 0;
    }
}

int eddy_ws_inflate(eddy_ws_deflate_t *d, const void *in, size_t len, int final, eddy_buf_t *out,
                    size_t max) {
    z_stream *z = d->zinflate;
    if (!z) return EDDY_EINVAL;
    if (max && out->len > max) return EDDY_EWS_TOO_BIG;
    z->next_in = (Bytef *)(uintptr_t)in;
    z->avail_in = (uInt)len;
    int rc = inflate_some(z, out, max);
    if (rc < 0 || !final) return rc;
    z->next_in = (Bytef *)(uintptr_t)tail;
    z->avail_in = sizeof(tail);
    rc = inflate_some(z, out, max);
    if (rc < 0) return rc;
    if (peer_no_takeover(d)) inflateReset(z);
    return 0;
}
