/* One out-of-memory policy for engine-internal allocations: abort loudly. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eddy/base.h"

static void oom(size_t size) {
    fprintf(stderr, "eddy: out of memory allocating %zu bytes\n", size);
    abort();
}

void *eddy_malloc(size_t size) {
    void *p = malloc(size ? size : 1);
    if (!p) oom(size);
    return p;
}

void *eddy_calloc(size_t n, size_t size) {
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p) oom(n * size);
    return p;
}

void *eddy_realloc(void *p, size_t size) {
    void *q = realloc(p, size ? size : 1);
    if (!q) oom(size);
    return q;
}

char *eddy_strdup(const char *s) {
    size_t n = strlen(s) + 1;
    char *p = eddy_malloc(n);
    memcpy(p, s, n);
    return p;
}

void eddy_free(void *p) { free(p); }
