/*
 * libFuzzer target for the multipart/form-data parser (include/eddy/http.h).
 *
 * Input layout: 2 control bytes (split point, header limit), then the body,
 * parsed with the boundary "fuzzB". Every piece is fed from an exact-size
 * heap copy, so ASan flags any read past it. Invariants:
 *   - the result is 0/1 or an EDDY_EHTTP_MULTIPART_* code; finish() agrees;
 *   - the events (parts with name, filename, type; data; part ends) are the
 *     same whether the body comes whole, in two pieces cut at a derived
 *     point, or byte by byte (bodies up to 4 KiB);
 *   - data never exceeds the input, spans are NUL-terminated at their
 *     length, and every on_data piece is non-empty;
 *   - the Content-Type boundary reader stays within its input.
 * Run: fuzz_multipart -dict=fuzz/multipart.dict fuzz/corpus/multipart
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "eddy/http.h"

#define BOUNDARY "fuzzB"

typedef struct {
    char *log;
    size_t len, cap, data;
} ev_t;

static void put(ev_t *e, const void *p, size_t n) {
    if (e->len + n + 1 > e->cap) {
        e->cap = (e->len + n + 1) * 2;
        e->log = realloc(e->log, e->cap);
        if (!e->log) abort();
    }
    memcpy(e->log + e->len, p, n);
    e->len += n;
}

static void put_span(ev_t *e, const char *s, size_t n) {
    if (!s) {
        put(e, "\x01", 1);
        return;
    }
    if (strlen(s) != n) abort(); /* NUL-terminated at its length, no NUL inside */
    put(e, &n, sizeof(n));
    put(e, s, n);
}

static int on_part(void *arg, const eddy_http_multipart_part_t *p) {
    ev_t *e = arg;
    put(e, "P", 1);
    if (!p->name) abort();
    put_span(e, p->name, p->name_len);
    put_span(e, p->filename, p->filename_len);
    put_span(e, p->content_type, p->content_type_len);
    return 0;
}

static int on_data(void *arg, const char *d, size_t n) {
    ev_t *e = arg;
    if (n == 0) abort();
    e->data += n;
    put(e, d, n); /* no marker: pieces differ with the split, the bytes may not */
    return 0;
}

static int on_end(void *arg) {
    put(arg, "E", 1);
    return 0;
}

static const eddy_http_multipart_cb_t CB = {on_part, on_data, on_end};

static int run(const uint8_t *s, size_t n, size_t step, size_t cut, size_t head_max, ev_t *e) {
    static eddy_http_multipart_t m;
    memset(e, 0, sizeof(*e));
    if (eddy_http_multipart_init(&m, BOUNDARY, sizeof(BOUNDARY) - 1, &CB, e) != 0) abort();
    m.head_max = head_max;
    int rc = 0;
    size_t pos = 0;
    while (pos < n && rc >= 0) {
        size_t len = step ? step : (pos < cut ? cut - pos : n - pos);
        if (len > n - pos) len = n - pos;
        char *copy = malloc(len ? len : 1);
        if (!copy) abort();
        memcpy(copy, s + pos, len);
        rc = eddy_http_multipart_feed(&m, copy, len);
        free(copy);
        pos += len;
    }
    int fin = eddy_http_multipart_finish(&m);
    if (rc < 0 && fin != rc) abort();
    if (rc == 1 && fin != 0) abort();
    if (rc == 0 && fin != EDDY_EHTTP_MULTIPART_TRUNCATED) abort();
    if (fin < 0 && (fin > EDDY_EHTTP_MULTIPART_BOUNDARY || fin < EDDY_EHTTP_MULTIPART_TRUNCATED))
        abort();
    if (e->data > n) abort();
    return fin;
}

static void same(const ev_t *a, int ra, const ev_t *b, int rb) {
    if (ra != rb || a->len != b->len || (a->len && memcmp(a->log, b->log, a->len) != 0))
        abort();
}

static void fuzz_ctype(const uint8_t *s, size_t n) {
    char *copy = malloc(n ? n : 1);
    if (!copy) abort();
    memcpy(copy, s, n);
    const char *b;
    size_t bl;
    int rc = eddy_http_multipart_boundary(copy, n, &b, &bl);
    if (rc == 1 && (b < copy || b + bl > copy + n || bl == 0 || bl > 70)) abort();
    if (rc != 1 && rc != 0 && rc != EDDY_EHTTP_MULTIPART_BOUNDARY) abort();
    free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 2) return 0;
    uint8_t k = data[0], lim = data[1];
    data += 2, size -= 2;
    size_t head_max = lim & 1 ? 16 + (size_t)lim * 8 : EDDY_HTTP_MULTIPART_HEAD_MAX;
    ev_t whole, part, bytes;
    int rw = run(data, size, 0, size, head_max, &whole);
    int rp = run(data, size, 0, size ? (size_t)k * size / 255 : 0, head_max, &part);
    same(&whole, rw, &part, rp);
    if (size <= 4096) {
        int rb = run(data, size, 1, 0, head_max, &bytes);
        same(&whole, rw, &bytes, rb);
        free(bytes.log);
    }
    free(whole.log);
    free(part.log);
    fuzz_ctype(data, size < 256 ? size : 256);
    return 0;
}
