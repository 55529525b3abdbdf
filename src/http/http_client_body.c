/*
 * HTTP client: where a response body goes. Decoded (de-chunked) body bytes
 * pass through an inflater when Content-Encoding asks for one, then land in
 * the client's body buffer or in the download file.
 *
 * "deflate" is meant as a zlib stream (RFC 9110 8.4.1.2) but some servers
 * send raw deflate; the first byte tells them apart (a zlib header has
 * compression method 8 in its low nibble and a header checksum), as curl
 * and browsers do. "br" is brotli (RFC 7932), decoded with libbrotlidec.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include <brotli/decode.h>

#include "http_client_int.h"

#define INFLATE_CHUNK 16384

static int coding_is(const char *v, size_t n, const char *name) {
    return eddy_http_name_eq(v, n, name, strlen(name));
}

static int open_download(eddy__hc_sink_t *s, eddy_http_client_t *c, const char *path,
                         int64_t offset) {
    int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (offset > 0 ? 0 : O_TRUNC);
    s->fd = open(path, flags, 0644);
    if (s->fd < 0) {
        int e = errno;
        eddy__hc_fail(c, 0, e, "open download file");
        return -e;
    }
    if (offset > 0 && lseek(s->fd, offset, SEEK_SET) < 0) {
        int e = errno;
        eddy__hc_fail(c, 0, e, "seek in download file");
        eddy__hc_sink_close(s);
        return -e;
    }
    return 0;
}

int eddy__hc_sink_open(eddy__hc_sink_t *s, eddy_http_client_t *c, const char *encoding,
                       size_t enc_len, const char *download, int64_t offset) {
    memset(s, 0, sizeof(*s));
    s->fd = -1;
    s->max = c->o.body_max_size;
    if (encoding && c->o.compression) {
        while (enc_len && (encoding[enc_len - 1] == ' ' || encoding[enc_len - 1] == '\t'))
            enc_len--;
        if (coding_is(encoding, enc_len, "br")) {
            s->br = BrotliDecoderCreateInstance(NULL, NULL, NULL); /* freed in sink_close */
            if (!s->br) eddy_log_error("BrotliDecoderCreateInstance failed");
        }
        int gzip = coding_is(encoding, enc_len, "gzip") || coding_is(encoding, enc_len, "x-gzip");
        if (gzip || coding_is(encoding, enc_len, "deflate")) {
            z_stream *z = eddy_calloc(1, sizeof(*z)); /* owned by s, freed in sink_close */
            s->z = z;
            s->z_gzip = gzip;
            if (gzip) {
                s->z_started = 1;
                if (inflateInit2(z, 16 + MAX_WBITS) != Z_OK) eddy_log_error("inflateInit2 failed");
            }
        }
    }
    if (download) return open_download(s, c, download, offset);
    return 0;
}

static int put(eddy__hc_sink_t *s, eddy_http_client_t *c, const char *p, size_t n) {
    if (s->max && s->size + n > s->max) {
        eddy__hc_fail(c, 0, EMSGSIZE, "response body over body_max_size");
        return EDDY_EHTTP_BODY_TOO_LARGE;
    }
    s->size += n;
    if (s->fd < 0) {
        eddy_buf_append(&c->body, p, n);
        return 0;
    }
    while (n) { /* a local file: short blocking writes, as Swoole's download */
        ssize_t w = write(s->fd, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) {
            int e = w < 0 ? errno : EIO;
            eddy__hc_fail(c, 0, e, "write download file");
            return -e;
        }
        p += w, n -= (size_t)w;
    }
    return 0;
}

/* Deflate without a declared wrapper: zlib if the first two bytes are a
 * valid zlib header, raw otherwise. */
static void start_deflate(eddy__hc_sink_t *s, const unsigned char *p) {
    int zlib_hdr = (p[0] & 0x0f) == 8 && ((p[0] << 8) | p[1]) % 31 == 0;
    if (inflateInit2((z_stream *)s->z, zlib_hdr ? MAX_WBITS : -MAX_WBITS) != Z_OK)
        eddy_log_error("inflateInit2 failed");
    s->z_started = 1;
}

static int write_br(eddy__hc_sink_t *s, eddy_http_client_t *c, const char *p, size_t n) {
    const uint8_t *in = (const uint8_t *)p;
    size_t avail_in = n;
    for (;;) {
        uint8_t out[INFLATE_CHUNK];
        uint8_t *next_out = out;
        size_t avail_out = sizeof(out);
        BrotliDecoderResult r =
            BrotliDecoderDecompressStream(s->br, &avail_in, &in, &avail_out, &next_out, NULL);
        if (r == BROTLI_DECODER_RESULT_ERROR) {
            eddy__hc_fail(c, 0, EPROTO, "corrupt compressed body");
            return EDDY_EPROTOCOL;
        }
        int rc = put(s, c, (const char *)out, sizeof(out) - avail_out);
        if (rc < 0) return rc;
        /* NEEDS_MORE_INPUT: all of p is used; SUCCESS: the stream ended
         * (bytes after it are ignored); NEEDS_MORE_OUTPUT: loop. */
        if (r != BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT) return 0;
    }
}

int eddy__hc_sink_write(eddy__hc_sink_t *s, eddy_http_client_t *c, const char *p, size_t n) {
    if (s->br) return write_br(s, c, p, n);
    if (!s->z) return put(s, c, p, n);
    if (n == 0) return 0;
    if (!s->z_started) start_deflate(s, (const unsigned char *)p);
    z_stream *z = s->z;
    unsigned char out[INFLATE_CHUNK];
    z->next_in = (unsigned char *)(uintptr_t)p; /* zlib does not write its input */
    z->avail_in = (uInt)n;
    while (z->avail_in) {
        z->next_out = out;
        z->avail_out = sizeof(out);
        int zr = inflate(z, Z_NO_FLUSH);
        if (zr != Z_OK && zr != Z_STREAM_END && !(zr == Z_BUF_ERROR && z->avail_out)) {
            eddy__hc_fail(c, 0, EPROTO, "corrupt compressed body");
            return EDDY_EPROTOCOL;
        }
        int rc = put(s, c, (const char *)out, sizeof(out) - z->avail_out);
        if (rc < 0) return rc;
        if (zr == Z_STREAM_END) break; /* trailing bytes after the stream are ignored */
        if (z->avail_out && zr == Z_BUF_ERROR) break;
    }
    return 0;
}

int eddy__hc_sink_finish(eddy__hc_sink_t *s, eddy_http_client_t *c) {
    (void)c;
    if (s->fd >= 0 && close(s->fd) < 0 && errno != EINTR) {
        s->fd = -1;
        eddy__hc_fail(c, 0, errno, "close download file");
        return -EIO;
    }
    s->fd = -1;
    return 0;
}

void eddy__hc_sink_close(eddy__hc_sink_t *s) {
    if (s->br) BrotliDecoderDestroyInstance(s->br);
    s->br = NULL;
    if (s->z) {
        if (s->z_started) inflateEnd((z_stream *)s->z);
        eddy_free(s->z);
        s->z = NULL;
    }
    if (s->fd >= 0) close(s->fd);
    s->fd = -1;
}
