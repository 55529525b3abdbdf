/*
 * libFuzzer target for the framing splitter (include/eddy/framing.h).
 *
 * Input layout: 8 option bytes, then (for EOF modes) the delimiter, then the
 * stream. Each parse runs on an exact-size heap copy of the window, so ASan
 * flags any read past len. Invariants checked:
 *   - a result is never larger than len, and options that init accepts
 *     never make parse answer EDDY_EINVAL;
 *   - the scan hint changes nothing but speed (same answer as NULL);
 *   - for split and length framing, feeding the stream in chunks yields the
 *     same messages and the same final error as feeding it whole;
 *   - every EOF delivery ends with the delimiter and fits package_max_length.
 * Run: fuzz_framing -dict=fuzz/framing.dict fuzz/corpus/framing
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "eddy/framing.h"

#define MAXMSG 4096

typedef struct {
    size_t ends[MAXMSG];
    size_t n;
    ssize_t err;
} run_t;

static ssize_t parse_copy(const eddy_framing_t *f, const uint8_t *p, size_t len, size_t *hint) {
    char *copy = malloc(len ? len : 1);
    if (!copy) abort();
    memcpy(copy, p, len);
    ssize_t r = eddy_framing_parse(f, copy, len, hint);
    if (r > 0 && (size_t)r > len) abort();
    /* The hint is an optimisation only. */
    if (hint && eddy_framing_parse(f, copy, len, NULL) != r) abort();
    if (r > 0 && f->mode != EDDY_FRAMING_NONE && (size_t)r > f->package_max_length) abort();
    if (r > 0 && (f->mode == EDDY_FRAMING_EOF || f->mode == EDDY_FRAMING_EOF_SPLIT) &&
        ((size_t)r < f->package_eof_len ||
         memcmp(copy + r - f->package_eof_len, f->package_eof, f->package_eof_len) != 0))
        abort();
    free(copy);
    return r;
}

/* Delivers stream[0..n) in chunks of 1..chunk bytes (0 = all at once). */
static void run(const eddy_framing_t *f, const uint8_t *s, size_t n, size_t chunk, run_t *out) {
    size_t start = 0, avail = 0, hint = 0;
    out->n = 0;
    out->err = 0;
    while (avail < n || start < avail) {
        size_t step = chunk ? chunk : n;
        size_t grow = n - avail < step ? n - avail : step;
        avail += grow;
        for (;;) {
            ssize_t r = parse_copy(f, s + start, avail - start, &hint);
            if (r < 0) {
                out->err = r;
                return;
            }
            if (r == 0) break;
            start += (size_t)r;
            if (out->n < MAXMSG) out->ends[out->n++] = start;
        }
        if (grow == 0) break; /* all delivered, parser wants more: done */
    }
}

static void derive(const uint8_t *d, eddy_framing_t *f, int *init_ok) {
    static const char types[] = "cCsSnNlLvVq"; /* 'q': not a Swoole type */
    memset(f, 0, sizeof(*f));
    f->mode = (eddy_framing_mode_t)(d[0] % 4);
    f->package_max_length = 1 + (((size_t)d[2] | (size_t)d[3] << 8) % 4096);
    f->package_eof_len = 1 + d[1] % EDDY_FRAMING_EOF_MAX;
    f->package_length_type = types[d[4] % (sizeof(types) - 1)];
    f->package_length_offset = d[5] % 16;
    f->package_body_offset = d[6] % 32;
    eddy_framing_t check;
    if (f->mode == EDDY_FRAMING_LENGTH)
        *init_ok = eddy_framing_init_length(&check, f->package_length_type,
                                            f->package_length_offset, f->package_body_offset,
                                            f->package_max_length) == 0;
    else
        *init_ok = 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static run_t whole, chunked;
    if (size < 8) return 0;
    eddy_framing_t f;
    int init_ok;
    derive(data, &f, &init_ok);
    size_t chunk = 1 + data[7] % 8;
    data += 8, size -= 8;
    if (f.mode == EDDY_FRAMING_EOF || f.mode == EDDY_FRAMING_EOF_SPLIT) {
        if (size < f.package_eof_len) return 0;
        memcpy(f.package_eof, data, f.package_eof_len);
        data += f.package_eof_len, size -= f.package_eof_len;
    }
    run(&f, data, size, 0, &whole);
    run(&f, data, size, chunk, &chunked);
    if (init_ok && (whole.err == EDDY_EINVAL || chunked.err == EDDY_EINVAL)) abort();
    if (f.mode == EDDY_FRAMING_EOF_SPLIT || f.mode == EDDY_FRAMING_LENGTH) {
        if (whole.err != chunked.err || whole.n != chunked.n) abort();
        for (size_t i = 0; i < whole.n; i++)
            if (whole.ends[i] != chunked.ends[i]) abort();
    }
    return 0;
}
