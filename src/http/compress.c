/*
 * HTTP response compression: Accept-Encoding negotiation (RFC 9110
 * 12.5.3), compressible media types, and gzip / deflate (zlib) / br
 * (brotli) encoders appending to an eddy_buf_t. See eddy/http.h.
 */
#include <brotli/encode.h>
#include <string.h>
#include <zlib.h>

#include "eddy/http.h"
#include "internal.h"
#include "zdeflate.h"

/* ---- Accept-Encoding ------------------------------------------------------ */

/* A qvalue (RFC 9110 12.4.2: "0" ["." 0*3DIGIT] / "1" ["." 0*3"0"]) in
 * thousandths, or -1 when it is not one. */
static int parse_q(const char *s, size_t n) {
    if (n == 0 || n > 5 || (s[0] != '0' && s[0] != '1')) return -1;
    int q = (s[0] - '0') * 1000;
    if (n == 1) return q;
    if (s[1] != '.') return -1;
    int scale = 100;
    for (size_t i = 2; i < n; i++, scale /= 10) {
        if (s[i] < '0' || s[i] > '9') return -1;
        q += (s[i] - '0') * scale;
    }
    return q > 1000 ? -1 : q;
}

static void trim(const char **s, size_t *n) {
    while (*n && eddy__http_ows((unsigned char)**s)) (*s)++, (*n)--;
    while (*n && eddy__http_ows((unsigned char)(*s)[*n - 1])) (*n)--;
}

/* One list element "coding *( OWS ; OWS param )": its coding name and q
 * (1000 without a q parameter), or -1 for a malformed q. */
static int element_q(const char *s, size_t n, const char **name, size_t *nl) {
    const char *semi = memchr(s, ';', n);
    size_t head = semi ? (size_t)(semi - s) : n;
    *name = s;
    *nl = head;
    trim(name, nl);
    int q = 1000;
    while (semi) {
        const char *p = semi + 1;
        size_t left = n - (size_t)(p - s);
        semi = memchr(p, ';', left);
        size_t pl = semi ? (size_t)(semi - p) : left;
        trim(&p, &pl);
        if (pl >= 2 && (p[0] == 'q' || p[0] == 'Q') && p[1] == '=') {
            const char *v = p + 2;
            size_t vl = pl - 2;
            trim(&v, &vl);
            q = parse_q(v, vl);
            if (q < 0) return -1;
        }
    }
    return q;
}

/* Index into the q table of choose(); -1 for codings we do not produce. */
enum { K_BR, K_GZIP, K_DEFLATE, K_IDENTITY, K_STAR, K_N };

static int coding_key(const char *s, size_t n) {
    if (eddy_http_name_eq(s, n, "br", 2)) return K_BR;
    if (eddy_http_name_eq(s, n, "gzip", 4) || eddy_http_name_eq(s, n, "x-gzip", 6)) return K_GZIP;
    if (eddy_http_name_eq(s, n, "deflate", 7)) return K_DEFLATE;
    if (eddy_http_name_eq(s, n, "identity", 8)) return K_IDENTITY;
    if (n == 1 && s[0] == '*') return K_STAR;
    return -1;
}

int eddy_http_compress_choose(const char *ae, size_t len) {
    static const int enc_of[3] = {EDDY_HTTP_ENC_BR, EDDY_HTTP_ENC_GZIP, EDDY_HTTP_ENC_DEFLATE};
    int q[K_N] = {-1, -1, -1, -1, -1}; /* -1: not listed */
    size_t pos = 0;
    while (ae && pos < len) {
        const char *comma = memchr(ae + pos, ',', len - pos);
        size_t el = comma ? (size_t)(comma - (ae + pos)) : len - pos;
        const char *name;
        size_t nl;
        int eq = element_q(ae + pos, el, &name, &nl);
        int k = eq < 0 ? -1 : coding_key(name, nl);
        if (k >= 0) q[k] = eq;
        pos += el + 1;
    }
    /* br, gzip, deflate in Swoole's order: a strict '>' keeps the earlier on a tie. */
    int best = -1, best_q = 0;
    for (int k = K_BR; k <= K_DEFLATE; k++) {
        int v = q[k] >= 0 ? q[k] : (q[K_STAR] >= 0 ? q[K_STAR] : 0);
        if (v > best_q) best = k, best_q = v;
    }
    if (best < 0 || q[K_IDENTITY] > best_q) return EDDY_HTTP_ENC_IDENTITY;
    return enc_of[best];
}

const char *eddy_http_encoding_name(int enc) {
    switch (enc) {
    case EDDY_HTTP_ENC_GZIP: return "gzip";
    case EDDY_HTTP_ENC_DEFLATE: return "deflate";
    case EDDY_HTTP_ENC_BR: return "br";
    default: return "identity";
    }
}

/* ---- media types ---------------------------------------------------------- */

/* Text formats worth compressing. Images, audio, video, fonts in WOFF2 and
 * archives are compressed already: deflating them again only costs CPU. */
static const char *const default_types[] = {
    "text/*",
    "application/json",
    "application/javascript",
    "application/x-javascript",
    "application/ecmascript",
    "application/xml",
    "application/xhtml+xml",
    "application/rss+xml",
    "application/atom+xml",
    "application/ld+json",
    "application/manifest+json",
    "application/problem+json",
    "application/problem+xml",
    "application/vnd.api+json",
    "application/x-ndjson",
    "application/wasm",
    "image/svg+xml",
    NULL,
};

static int type_match(const char *pat, const char *t, size_t tl) {
    size_t pl = strlen(pat);
    if ((pl == 1 && pat[0] == '*') || (pl == 3 && memcmp(pat, "*/*", 3) == 0)) return 1;
    if (pl >= 2 && pat[pl - 2] == '/' && pat[pl - 1] == '*') /* "type/" + '*' */
        return tl > pl - 1 && eddy_http_name_eq(pat, pl - 1, t, pl - 1);
    return eddy_http_name_eq(pat, pl, t, tl);
}

int eddy_http_compress_type_ok(const char *const *types, const char *ctype, size_t len) {
    if (!types) types = default_types;
    if (!types[0]) return 1; /* Swoole: an empty list compresses every type */
    const char *semi = ctype ? memchr(ctype, ';', len) : NULL;
    size_t tl = semi ? (size_t)(semi - ctype) : len;
    trim(&ctype, &tl);
    if (!ctype || tl == 0) return 0;
    for (; *types; types++)
        if (type_match(*types, ctype, tl)) return 1;
    return 0;
}

/* ---- encoders ------------------------------------------------------------- */

struct eddy_http_compressor_s {
    int enc;
    int level;
    int finished;
    int lean; /* a stream's small zlib state, not the one-shot's */
    z_stream *z;            /* gzip, deflate */
    BrotliEncoderState *br; /* br */
};

/* Brotli streams keep a window of 2^18 (256 KiB of ring buffer at most):
 * the default 2^22 would let one streamed response hold 4 MiB. */
#define BR_STREAM_LGWIN 18
#define BR_STEP (16 * 1024)

static int valid(int enc, int level) {
    return enc >= EDDY_HTTP_ENC_GZIP && enc <= EDDY_HTTP_ENC_BR && level >= 1 && level <= 9;
}

/* zlib's memory is (1 << (wbits + 2)) + (1 << (memlevel + 9)) bytes: 256 KiB
 * with its defaults (15, 8), which a worker can afford once for whole
 * bodies, but not for every connection streaming a response (an event
 * stream may last hours). Streams get an 8 KiB window (13, 5: 48 KiB);
 * each write is flushed anyway, which costs more ratio than the window. */
#define Z_WBITS_FULL 15
#define Z_MEM_FULL 8
#define Z_WBITS_LEAN 13
#define Z_MEM_LEAN 5

static int zlib_open(eddy_http_compressor_t *c) {
    c->z = eddy_calloc(1, sizeof(*c->z));
    /* windowBits + 16 asks zlib for the gzip wrapper, plain for zlib's. */
    int wbits = c->lean ? Z_WBITS_LEAN : Z_WBITS_FULL;
    if (c->enc == EDDY_HTTP_ENC_GZIP) wbits += 16;
    int mem = c->lean ? Z_MEM_LEAN : Z_MEM_FULL;
    if (deflateInit2(c->z, c->level, Z_DEFLATED, wbits, mem, Z_DEFAULT_STRATEGY) != Z_OK) {
        eddy_free(c->z);
        c->z = NULL;
        return EDDY_ENOMEM;
    }
    return 0;
}

static int br_open(eddy_http_compressor_t *c) {
    c->br = BrotliEncoderCreateInstance(NULL, NULL, NULL);
    if (!c->br) return EDDY_ENOMEM;
    BrotliEncoderSetParameter(c->br, BROTLI_PARAM_QUALITY, (uint32_t)c->level);
    BrotliEncoderSetParameter(c->br, BROTLI_PARAM_LGWIN, BR_STREAM_LGWIN);
    return 0;
}

int eddy__http_compressor_open(eddy_http_compressor_t **out, int enc, int level, int lean) {
    *out = NULL;
    if (!valid(enc, level)) return EDDY_EINVAL;
    eddy_http_compressor_t *c = eddy_calloc(1, sizeof(*c));
    c->enc = enc;
    c->level = level;
    c->lean = lean;
    int rc = enc == EDDY_HTTP_ENC_BR ? br_open(c) : zlib_open(c);
    if (rc < 0) {
        eddy_free(c);
        return rc;
    }
    *out = c;
    return 0;
}

int eddy_http_compressor_new(eddy_http_compressor_t **out, int enc, int level) {
    return eddy__http_compressor_open(out, enc, level, 1);
}

static int br_write(BrotliEncoderState *s, const void *in, size_t len, int finish, eddy_buf_t *out) {
    BrotliEncoderOperation op = finish ? BROTLI_OPERATION_FINISH : BROTLI_OPERATION_FLUSH;
    const uint8_t *next_in = in;
    size_t avail_in = len;
    for (;;) {
        eddy_buf_reserve(out, BR_STEP);
        size_t room = out->cap - out->len - 1, avail_out = room;
        uint8_t *next_out = (uint8_t *)out->data + out->len;
        if (!BrotliEncoderCompressStream(s, op, &avail_in, &next_in, &avail_out, &next_out, NULL))
            return EDDY_ENOMEM;
        eddy_buf_commit(out, room - avail_out);
        /* A flush or finish is complete when all input is taken and the
         * encoder holds no output back (RFC 7932 streams end with ISLAST). */
        if (avail_in == 0 && !BrotliEncoderHasMoreOutput(s) &&
            (!finish || BrotliEncoderIsFinished(s)))
            return 0;
    }
}

int eddy_http_compressor_write(eddy_http_compressor_t *c, const void *in, size_t len, int finish,
                               eddy_buf_t *out) {
    if (c->finished) return EDDY_EWRONG_OP;
    if (finish) c->finished = 1;
    if (c->br) return br_write(c->br, in, len, finish, out);
    return eddy__zdeflate_buf(c->z, in, len, finish ? Z_FINISH : Z_SYNC_FLUSH, out);
}

void eddy_http_compressor_reset(eddy_http_compressor_t *c) {
    c->finished = 0;
    if (c->z) {
        deflateReset(c->z);
        return;
    }
    /* Brotli has no reset: a fresh instance. Should it fail, the next
     * write fails too (br NULL and z NULL would crash: keep the old one). */
    BrotliEncoderState *fresh = BrotliEncoderCreateInstance(NULL, NULL, NULL);
    if (!fresh) {
        c->finished = 1;
        return;
    }
    BrotliEncoderDestroyInstance(c->br);
    c->br = fresh;
    BrotliEncoderSetParameter(c->br, BROTLI_PARAM_QUALITY, (uint32_t)c->level);
    BrotliEncoderSetParameter(c->br, BROTLI_PARAM_LGWIN, BR_STREAM_LGWIN);
}

void eddy_http_compressor_free(eddy_http_compressor_t *c) {
    if (!c) return;
    if (c->z) {
        deflateEnd(c->z);
        eddy_free(c->z);
    }
    if (c->br) BrotliEncoderDestroyInstance(c->br);
    eddy_free(c);
}

/* Brotli one-shot: the library sizes its window to the input. */
static int br_once(int level, const void *in, size_t len, eddy_buf_t *out) {
    size_t bound = BrotliEncoderMaxCompressedSize(len);
    if (bound == 0) return EDDY_ENOMEM; /* input too large to bound */
    eddy_buf_reserve(out, bound);
    size_t got = bound;
    if (!BrotliEncoderCompress(level, BROTLI_DEFAULT_WINDOW, BROTLI_MODE_GENERIC, len, in, &got,
                               (uint8_t *)out->data + out->len))
        return EDDY_ENOMEM;
    eddy_buf_commit(out, got);
    return 0;
}

int eddy_http_compress(int enc, int level, const void *in, size_t len, eddy_buf_t *out) {
    if (!valid(enc, level)) return EDDY_EINVAL;
    if (enc == EDDY_HTTP_ENC_BR) return br_once(level, in, len, out);
    eddy_http_compressor_t c = {.enc = enc, .level = level};
    size_t start = out->len;
    int rc = zlib_open(&c);
    if (rc == 0) rc = eddy__zdeflate_buf(c.z, in, len, Z_FINISH, out);
    if (c.z) {
        deflateEnd(c.z);
        eddy_free(c.z);
    }
    if (rc < 0) {
        out->len = start; /* "out unchanged" on failure */
        if (out->cap) out->data[start] = '\0';
    }
    return rc;
}
