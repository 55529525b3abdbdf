/*
 * Per-coroutine extras: defer callbacks, coroutine-local data, and the
 * status queries (identity, elapsed time, list, stats).
 */
#include <stdatomic.h>

#include "coro/sched.h"

#define DTOR_PASSES 4 /* as PTHREAD_DESTRUCTOR_ITERATIONS: a dtor may set keys */

/* Keys are process-wide, like pthread keys: a module allocates one at
 * start-up and uses it from whichever thread runs its coroutines. */
static struct {
    _Atomic int count;
    eddy_coro_defer_fn dtors[EDDY_CORO_KEYS_MAX];
} keys;

/* ---- defer ------------------------------------------------------------- */

int eddy_coro_defer(eddy_coro_defer_fn fn, void *arg) {
    eddy_coro_t *co = eddy__sched.current;
    if (co == NULL) return EDDY_ECO_OUT_OF_COROUTINE;
    if (fn == NULL) return EDDY_EINVAL;
    eddy__defer_t *d = eddy_malloc(sizeof *d);
    d->fn = fn;
    d->arg = arg;
    d->next = co->defers;
    co->defers = d;
    return 0;
}

static void run_defers(eddy_coro_t *co) {
    eddy__defer_t *d;
    /* Pop before calling: a callback may defer more, which then run next. */
    while ((d = co->defers) != NULL) {
        co->defers = d->next;
        d->fn(d->arg);
        eddy_free(d);
    }
}

static void run_dtors(eddy_coro_t *co) {
    int n = keys.count;
    for (int pass = 0; pass < DTOR_PASSES; pass++) {
        int again = 0;
        for (int k = 0; k < n; k++) {
            void *v = co->locals[k];
            if (v == NULL) continue;
            co->locals[k] = NULL;
            if (keys.dtors[k]) {
                keys.dtors[k](v);
                again = 1;
            }
        }
        if (!again) break;
    }
}

void eddy__coro_run_cleanups(eddy_coro_t *co) {
    run_defers(co);
    run_dtors(co);
}

/* ---- locals ------------------------------------------------------------ */

int eddy_coro_key_create(eddy_coro_defer_fn dtor) {
    int k = atomic_fetch_add(&keys.count, 1);
    if (k >= EDDY_CORO_KEYS_MAX) {
        atomic_fetch_sub(&keys.count, 1);
        return EDDY_ENOMEM;
    }
    keys.dtors[k] = dtor;
    return k;
}

int eddy_coro_set_local(eddy_coro_t *co, int key, void *value) {
    if (co == NULL) co = eddy__sched.current;
    if (co == NULL) return EDDY_ECO_OUT_OF_COROUTINE;
    if (key < 0 || key >= keys.count) return EDDY_EINVAL;
    co->locals[key] = value;
    return 0;
}

void *eddy_coro_get_local(const eddy_coro_t *co, int key) {
    if (co == NULL) co = eddy__sched.current;
    if (co == NULL || key < 0 || key >= keys.count) return NULL;
    return co->locals[key];
}

/* ---- identity and status ----------------------------------------------- */

eddy_coro_t *eddy_coro_current(void) { return eddy__sched.current; }

int64_t eddy_coro_cid(void) {
    eddy_coro_t *co = eddy__sched.current;
    return co ? co->id : -1;
}

int64_t eddy_coro_id(const eddy_coro_t *co) { return co ? co->id : -1; }

int64_t eddy_coro_pcid(const eddy_coro_t *co) { return co ? co->pcid : -1; }

uint64_t eddy_coro_elapsed_ms(const eddy_coro_t *co) {
    return co ? eddy_now_ms() - co->start_ms : 0;
}

size_t eddy_coro_list(int64_t *out, size_t max) {
    size_t n = 0;
    for (eddy_coro_t *co = eddy__sched.head; co && n < max; co = co->next) out[n++] = co->id;
    return n;
}

void eddy_coro_stats(eddy_coro_stats_t *st) {
    eddy__sched_t *s = &eddy__sched;
    st->count = s->count;
    st->peak = s->peak;
    st->created = s->created;
    st->stack_size = eddy__stack_default_size();
    st->guarded = s->guarded;
}
