/*
 * libFuzzer target for response compression (include/eddy/http.h,
 * src/http/compress.c).
 *
 * Input layout: 2 control bytes (c0: coding and level, c1: cut point), then
 * the data. The data, on an exact-size heap copy (ASan flags a read past
 * len), is taken as an Accept-Encoding value and as a Content-Type; then it
 * is encoded one-shot and as a stream cut in two flushed writes, and both
 * are decoded with zlib / libbrotlidec. Invariants:
 *   - eddy_http_compress_choose() answers one of the four codings, and the
 *     same for the same bytes; type_ok() answers 0 or 1 with every list;
 *   - both encodings decode to exactly the data (byte-exact round trip), and
 *     the stream's first write decodes alone to the first piece.
 * Run: fuzz_http_compress -dict=fuzz/http_compress.dict fuzz/corpus/http_compress
 */
#include <brotli/decode.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "eddy/http.h"

/* Decodes in[0..n) into out; need_end: the stream must end exactly there. */
static int decode(int enc, const char *in, size_t n, eddy_buf_t *out, int need_end) {
    if (enc == EDDY_HTTP_ENC_BR) {
        BrotliDecoderState *s = BrotliDecoderCreateInstance(NULL, NULL, NULL);
        const uint8_t *ni = (const uint8_t *)in;
        size_t ai = n;
        BrotliDecoderResult r;
        do {
            eddy_buf_reserve(out, 65536);
            size_t room = out->cap - out->len - 1, ao = room;
            uint8_t *no = (uint8_t *)out->data + out->len;
            r = BrotliDecoderDecompressStream(s, &ai, &ni, &ao, &no, NULL);
            out->len += room - ao;
        } while (r == BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT);
        BrotliDecoderDestroyInstance(s);
        return ai == 0 && r == (need_end ? BROTLI_DECODER_RESULT_SUCCESS
                                         : BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT);
    }
    z_stream z = {0};
    if (inflateInit2(&z, enc == EDDY_HTTP_ENC_GZIP ? 31 : 15) != Z_OK) abort();
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
    if (need_end) return rc == Z_STREAM_END && z.avail_in == 0;
    return (rc == Z_OK || rc == Z_BUF_ERROR) && z.avail_in == 0;
}

static void same(const eddy_buf_t *b, const char *p, size_t n) {
    if (b->len != n || (n && memcmp(b->data, p, n) != 0)) abort();
}

static void negotiate(const char *s, size_t n) {
    int enc = eddy_http_compress_choose(s, n);
    if (enc < EDDY_HTTP_ENC_IDENTITY || enc > EDDY_HTTP_ENC_BR) abort();
    if (eddy_http_compress_choose(s, n) != enc) abort();
    static const char *const none[] = {NULL}, *const some[] = {"text/" "*", "a/b", "*/*", NULL};
    const char *const *lists[] = {NULL, none, some};
    for (int i = 0; i < 3; i++) {
        int ok = eddy_http_compress_type_ok(lists[i], s, n);
        if (ok != 0 && ok != 1) abort();
    }
}

static void roundtrip(int enc, int level, const char *s, size_t n, size_t cut) {
    eddy_buf_t z, plain;
    eddy_buf_init(&z);
    eddy_buf_init(&plain);
    if (eddy_http_compress(enc, level, s, n, &z) != 0) abort();
    if (!decode(enc, z.data, z.len, &plain, 1)) abort();
    same(&plain, s, n);
    eddy_http_compressor_t *c;
    if (eddy_http_compressor_new(&c, enc, level) != 0) abort();
    eddy_buf_clear(&z);
    eddy_buf_clear(&plain);
    if (eddy_http_compressor_write(c, s, cut, 0, &z) != 0) abort();
    if (!decode(enc, z.data, z.len, &plain, 0)) abort();
    same(&plain, s, cut);
    if (eddy_http_compressor_write(c, s + cut, n - cut, 1, &z) != 0) abort();
    eddy_buf_clear(&plain);
    if (!decode(enc, z.data, z.len, &plain, 1)) abort();
    same(&plain, s, n);
    eddy_http_compressor_free(c);
    eddy_buf_free(&z);
    eddy_buf_free(&plain);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 2) return 0;
    int enc = 1 + data[0] % 3, level = 1 + (data[0] / 3) % 9;
    size_t n = size - 2;
    char *s = malloc(n ? n : 1);
    if (!s) abort();
    memcpy(s, data + 2, n);
    negotiate(s, n);
    roundtrip(enc, level, s, n, n ? data[1] % (n + 1) : 0);
    free(s);
    return 0;
}
