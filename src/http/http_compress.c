/*
 * The HTTP server's response compression: which responses are encoded
 * (the rules are in eddy/http.h, "Response compression"), the head lines
 * that say so, and the encoders a worker keeps between responses.
 */
#include <string.h>
#include <strings.h>

#include "http_server.h"
#include "zdeflate.h"

#define X_OF(p) ((hs_exchange_t *)((char *)(p) - offsetof(hs_exchange_t, resp)))

/* hs->zout above this is given back after the response it carried. */
#define ZOUT_KEEP_MAX (256 * 1024)

/* ---- options ------------------------------------------------------------ */

int eddy__hs_compress_new(eddy_http_server_t *hs, const eddy_http_server_opts_t *o) {
    int level = o->http_compression_level ? o->http_compression_level : EDDY_HTTP_COMPRESSION_LEVEL;
    if (level < 1 || level > 9 || o->http_compression < -1 || o->http_compression > 1) {
        eddy_log_error("http server: http_compression_level must be 1..9 (got %d), "
                       "http_compression -1, 0 or 1 (got %d)",
                       o->http_compression_level, o->http_compression);
        return EDDY_EINVAL;
    }
    hs->compression = o->http_compression >= 0;
    hs->compression_level = level;
    hs->compression_min_length =
        o->compression_min_length ? o->compression_min_length : EDDY_HTTP_COMPRESSION_MIN_LENGTH;
    if (o->http_compression_types) {
        size_t n = 0;
        while (o->http_compression_types[n]) n++;
        hs->compression_types = eddy_calloc(n + 1, sizeof(char *));
        for (size_t i = 0; i < n; i++)
            hs->compression_types[i] = eddy_strdup(o->http_compression_types[i]);
    }
    eddy_buf_init(&hs->zout);
    return 0;
}

void eddy__hs_compress_free(eddy_http_server_t *hs) {
    for (char **t = hs->compression_types; t && *t; t++) eddy_free(*t);
    eddy_free(hs->compression_types);
    hs->compression_types = NULL;
    for (size_t i = 0; i < sizeof(hs->zc) / sizeof(hs->zc[0]); i++) {
        eddy_http_compressor_free(hs->zc[i]);
        hs->zc[i] = NULL;
    }
    eddy_buf_free(&hs->zout);
}

/* ---- the decision -------------------------------------------------------- */

/* Value of the last live response header named `name`, or NULL. */
static const char *resp_header(const eddy_http_response_t *r, const char *name, size_t *vl) {
    size_t nl = strlen(name);
    const char *v = NULL;
    for (size_t i = 0; i < r->nhdrs; i++) {
        const hs_hdr_t *h = &r->hdrs[i];
        if (!h->dead && eddy_http_name_eq(r->strs.data + h->no, h->nl, name, nl)) {
            v = r->strs.data + h->vo;
            *vl = h->vl;
        }
    }
    return v;
}

static int contains_ci(const char *s, const char *needle) {
    size_t n = strlen(needle);
    for (; *s; s++)
        if (strncasecmp(s, needle, n) == 0) return 1;
    return 0;
}

/* Whether a Vary the handler set already covers Accept-Encoding. */
static int vary_covers(const eddy_http_response_t *r) {
    for (size_t i = 0; i < r->nhdrs; i++) {
        const hs_hdr_t *h = &r->hdrs[i];
        if (h->dead || !eddy_http_name_eq(r->strs.data + h->no, h->nl, "vary", 4)) continue;
        const char *v = r->strs.data + h->vo; /* NUL-terminated in strs */
        if (strchr(v, '*') || contains_ci(v, "accept-encoding")) return 1;
    }
    return 0;
}

/* The coding the request accepts; several Accept-Encoding lines are one
 * list (RFC 9110 5.3), joined for the parser. */
static int request_choice(const eddy_http_request_t *req) {
    const eddy_http_header_t *first = NULL;
    eddy_buf_t joined;
    eddy_buf_init(&joined);
    for (size_t i = 0; i < req->num_headers; i++) {
        const eddy_http_header_t *h = &req->headers[i];
        if (!eddy_http_name_eq(h->name, h->name_len, "accept-encoding", 15)) continue;
        if (!first) {
            first = h;
            continue;
        }
        if (!joined.len) eddy_buf_append(&joined, first->value, first->value_len);
        eddy_buf_append(&joined, ",", 1);
        eddy_buf_append(&joined, h->value, h->value_len);
    }
    int enc = joined.len    ? eddy_http_compress_choose(joined.data, joined.len)
              : first       ? eddy_http_compress_choose(first->value, first->value_len)
                            : EDDY_HTTP_ENC_IDENTITY;
    eddy_buf_free(&joined);
    return enc;
}

/* A strong ETag names one representation's bytes (RFC 9110 8.8.3): once
 * the body is encoded, the handler's "\"x\"" becomes W/"x" (as nginx does),
 * so a cache never joins ranges or validations across codings. The header
 * is re-added at the end, as header() would, before the head is built. */
static void weaken_etag(eddy_http_response_t *r) {
    size_t vl = 0;
    const char *v = resp_header(r, "etag", &vl);
    if (!v || v[0] != '"') return;
    for (size_t i = 0; i < r->nhdrs; i++)
        if (eddy_http_name_eq(r->strs.data + r->hdrs[i].no, r->hdrs[i].nl, "etag", 4))
            r->hdrs[i].dead = 1;
    if (r->nhdrs == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 8;
        r->hdrs = eddy_realloc(r->hdrs, r->cap * sizeof(*r->hdrs));
    }
    size_t vo = (size_t)(v - r->strs.data);
    /* Room first: the value is copied from strs itself, which must not move. */
    eddy_buf_reserve(&r->strs, 5 + 2 + vl + 1);
    hs_hdr_t *h = &r->hdrs[r->nhdrs++];
    h->dead = 0;
    h->no = r->strs.len;
    h->nl = 4;
    eddy_buf_append(&r->strs, "ETag", 5);
    h->vo = r->strs.len;
    h->vl = vl + 2;
    eddy_buf_append(&r->strs, "W/", 2);
    eddy_buf_append(&r->strs, r->strs.data + vo, vl);
    eddy_buf_append(&r->strs, "", 1);
}

/* Sets r->enc and r->vary for a body of len bytes (streaming: unknown). */
static void pick(eddy_http_response_t *r, size_t len, int streaming) {
    eddy_http_server_t *hs = r->hs;
    size_t vl = 0;
    r->enc = EDDY_HTTP_ENC_IDENTITY;
    r->vary = 0;
    if (!(r->compress >= 0 ? r->compress : hs->compression)) return;
    int s = r->status;
    if (s / 100 == 1 || s == 204 || s == 206 || s == 304) return;
    if (resp_header(r, "content-encoding", &vl) || resp_header(r, "content-range", &vl)) return;
    const char *ct = resp_header(r, "content-type", &vl);
    if (!ct) ct = "text/html", vl = 9; /* what build_head will send */
    if (!eddy_http_compress_type_ok((const char *const *)hs->compression_types, ct, vl)) return;
    if (!streaming && (len == 0 || len < hs->compression_min_length)) return;
    r->vary = !vary_covers(r);
    r->enc = (unsigned char)request_choice(&X_OF(r)->req);
    if (r->enc != EDDY_HTTP_ENC_IDENTITY) weaken_etag(r);
}

/* ---- bodies -------------------------------------------------------------- */

static int encode_once(eddy_http_server_t *hs, int enc, const void *data, size_t len) {
    if (enc == EDDY_HTTP_ENC_BR) /* one-shot: brotli sizes its window to the body */
        return eddy_http_compress(enc, hs->compression_level, data, len, &hs->zout);
    /* A deflate stream costs ~256 KiB to set up: one per coding is kept
     * and reset, rather than allocated for every response. */
    eddy_http_compressor_t **c = &hs->zc[enc];
    if (!*c) {
        int rc = eddy__http_compressor_open(c, enc, hs->compression_level, 0);
        if (rc < 0) return rc;
    } else {
        eddy_http_compressor_reset(*c);
    }
    return eddy_http_compressor_write(*c, data, len, 1, &hs->zout);
}

void eddy__hs_compress_body(eddy_http_response_t *r, const void **data, size_t *len) {
    eddy_http_server_t *hs = r->hs;
    pick(r, *len, 0);
    if (r->enc == EDDY_HTTP_ENC_IDENTITY) return;
    eddy_buf_clear(&hs->zout);
    if (encode_once(hs, r->enc, *data, *len) < 0) {
        eddy_log_warn("http server: %s encoder failed, response sent uncompressed",
                      eddy_http_encoding_name(r->enc));
        r->enc = EDDY_HTTP_ENC_IDENTITY;
        return;
    }
    *data = hs->zout.data;
    *len = hs->zout.len;
}

void eddy__hs_compress_stream(eddy_http_response_t *r) {
    /* HTTP/1.0 peers get a close-delimited stream: left uncompressed, so
     * that the end of the body needs no extra step. */
    if (X_OF(r)->req.version_minor == 0) {
        r->enc = EDDY_HTTP_ENC_IDENTITY;
        r->vary = 0;
        return;
    }
    pick(r, 0, 1);
    if (r->enc == EDDY_HTTP_ENC_IDENTITY || r->is_head) return; /* HEAD: head only */
    if (eddy_http_compressor_new(&r->z, r->enc, r->hs->compression_level) < 0) {
        r->enc = EDDY_HTTP_ENC_IDENTITY;
        r->z = NULL;
    }
}

int eddy__hs_compress_write(eddy_http_response_t *r, const void *data, size_t len, int finish) {
    eddy_http_server_t *hs = r->hs;
    eddy_buf_clear(&hs->zout);
    int rc = eddy_http_compressor_write(r->z, data, len, finish, &hs->zout);
    if (rc < 0) return rc;
    eddy_http_chunk_append(&hs->out, hs->zout.data, hs->zout.len);
    return 0;
}

size_t eddy__hs_compress_headers(const eddy_http_response_t *r, eddy_http_header_t *h, size_t n) {
    if (r->enc != EDDY_HTTP_ENC_IDENTITY) {
        const char *name = eddy_http_encoding_name(r->enc);
        h[n++] = (eddy_http_header_t){"Content-Encoding", 16, name, strlen(name)};
    }
    if (r->vary) h[n++] = (eddy_http_header_t){"Vary", 4, "Accept-Encoding", 15};
    return n;
}

void eddy__hs_compress_release(eddy_http_response_t *r) {
    eddy_http_compressor_free(r->z);
    r->z = NULL;
    r->enc = EDDY_HTTP_ENC_IDENTITY;
    r->vary = 0;
    r->compress = -1;
    if (r->hs && r->hs->zout.cap > ZOUT_KEEP_MAX) eddy_buf_free(&r->hs->zout);
}

/* ---- public ------------------------------------------------------------- */

int eddy_http_response_compress(eddy_http_response_t *r, int enable) {
    if (!r->conn) return EDDY_ESESSION_CLOSED;
    if (r->head_sent) return EDDY_EWRONG_OP;
    r->compress = enable ? 1 : 0;
    return 0;
}
