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
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "compress_decode.h" /* tests/c: the reference decoder */
#include "eddy/http.h"

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
    if (compress_decode(enc, z.data, z.len, &plain, 1) != 0) abort();
    same(&plain, s, n);
    eddy_http_compressor_t *c;
    if (eddy_http_compressor_new(&c, enc, level) != 0) abort();
    eddy_buf_clear(&z);
    eddy_buf_clear(&plain);
    if (eddy_http_compressor_write(c, s, cut, 0, &z) != 0) abort();
    if (compress_decode(enc, z.data, z.len, &plain, 0) != 0) abort();
    same(&plain, s, cut);
    if (eddy_http_compressor_write(c, s + cut, n - cut, 1, &z) != 0) abort();
    eddy_buf_clear(&plain);
    if (compress_decode(enc, z.data, z.len, &plain, 1) != 0) abort();
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
