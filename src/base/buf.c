/* Growable byte buffer; memory owned by the struct's embedder. */
#include <stdio.h>
#include <string.h>

#include "eddy/base.h"

void eddy_buf_init(eddy_buf_t *b) {
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
}

void eddy_buf_free(eddy_buf_t *b) {
    eddy_free(b->data);
    eddy_buf_init(b);
}

void eddy_buf_reserve(eddy_buf_t *b, size_t extra) {
    size_t need = b->len + extra + 1; /* +1 keeps room for the NUL */
    if (need <= b->cap) return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need) cap *= 2;
    b->data = eddy_realloc(b->data, cap);
    b->cap = cap;
}

void eddy_buf_append(eddy_buf_t *b, const void *p, size_t n) {
    eddy_buf_reserve(b, n);
    if (n) memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void eddy_buf_appendf(eddy_buf_t *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n <= 0) return;
    eddy_buf_reserve(b, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void eddy_buf_consume(eddy_buf_t *b, size_t n) {
    if (n >= b->len) {
        eddy_buf_clear(b);
        return;
    }
    memmove(b->data, b->data + n, b->len - n);
    b->len -= n;
    b->data[b->len] = '\0';
}

void eddy_buf_clear(eddy_buf_t *b) {
    b->len = 0;
    if (b->cap) b->data[0] = '\0';
}

char *eddy_buf_tail(eddy_buf_t *b, size_t *room) {
    if (b->cap < b->len + 2) eddy_buf_reserve(b, 4096);
    *room = b->cap - b->len - 1;
    return b->data + b->len;
}

void eddy_buf_commit(eddy_buf_t *b, size_t n) {
    b->len += n;
    b->data[b->len] = '\0';
}
