/*
 * The reference decoder the HTTP compression test and its fuzz target
 * check eddy's encoders against: zlib (gzip, deflate) and libbrotlidec,
 * never eddy's own code.
 *
 * compress_decode() appends the decoding of in[0..n) in coding enc
 * (EDDY_HTTP_ENC_GZIP / _DEFLATE / _BR) to out. need_end: the stream must
 * end exactly at n (a whole body); otherwise all input must decode without
 * the stream ending (a flushed prefix). 0 when that holds, else -1.
 */
#ifndef EDDY_TEST_COMPRESS_DECODE_H
#define EDDY_TEST_COMPRESS_DECODE_H

#include <brotli/decode.h>
#include <zlib.h>

#include "eddy/base.h"
#include "eddy/http.h"

static inline int compress_decode_zlib(int wbits, const char *in, size_t n, eddy_buf_t *out,
                                       int need_end) {
    z_stream z = {0};
    if (inflateInit2(&z, wbits) != Z_OK) return -1;
    z.next_in = (Bytef *)in;
    z.avail_in = (uInt)n;
    int rc;
    do {
        eddy_buf_reserve(out, 65536);
        z.next_out = (Bytef *)out->data + out->len;
        z.avail_out = (uInt)(out->cap - out->len - 1);
        size_t before = z.avail_out;
        rc = inflate(&z, Z_SYNC_FLUSH);
        out->len += before - z.avail_out;
    } while (rc == Z_OK && (z.avail_in > 0 || z.avail_out == 0));
    inflateEnd(&z);
    if (need_end) return rc == Z_STREAM_END && z.avail_in == 0 ? 0 : -1;
    return (rc == Z_OK || rc == Z_BUF_ERROR) && z.avail_in == 0 ? 0 : -1;
}

static inline int compress_decode_br(const char *in, size_t n, eddy_buf_t *out, int need_end) {
    BrotliDecoderState *s = BrotliDecoderCreateInstance(NULL, NULL, NULL);
    const uint8_t *next_in = (const uint8_t *)in;
    size_t avail_in = n;
    BrotliDecoderResult r;
    do {
        eddy_buf_reserve(out, 65536);
        size_t room = out->cap - out->len - 1, avail_out = room;
        uint8_t *next_out = (uint8_t *)out->data + out->len;
        r = BrotliDecoderDecompressStream(s, &avail_in, &next_in, &avail_out, &next_out, NULL);
        out->len += room - avail_out;
    } while (r == BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT);
    BrotliDecoderDestroyInstance(s);
    if (need_end) return r == BROTLI_DECODER_RESULT_SUCCESS && avail_in == 0 ? 0 : -1;
    return r == BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT && avail_in == 0 ? 0 : -1;
}

static inline int compress_decode(int enc, const char *in, size_t n, eddy_buf_t *out,
                                  int need_end) {
    switch (enc) {
    case EDDY_HTTP_ENC_GZIP: return compress_decode_zlib(15 + 16, in, n, out, need_end);
    case EDDY_HTTP_ENC_DEFLATE: return compress_decode_zlib(15, in, n, out, need_end);
    case EDDY_HTTP_ENC_BR: return compress_decode_br(in, n, out, need_end);
    default: return -1;
    }
}

#endif
