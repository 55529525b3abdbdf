/*
 * Coroutine lifecycle and switching, with Swoole's semantics: whoever runs a
 * coroutine (create, resume, wake, cancel) becomes its origin and gets
 * control back when that coroutine suspends or ends. The root context is the
 * thread's own stack, where the loop runs.
 *
 * A coroutine cannot free the stack it runs on, so an ending coroutine parks
 * itself in sched.zombie and the context it switches to frees it (reap()).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "coro/sched.h"

#ifdef EDDY__CORO_ASAN
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#endif

#define MAP_MIN_BUCKETS 256

__thread eddy__sched_t *eddy__sched_tls __attribute__((tls_model("initial-exec")));

static pthread_key_t sched_key;
static pthread_once_t sched_once = PTHREAD_ONCE_INIT;

/* At thread exit: what the thread's scheduler still holds. Coroutines left
 * alive on an exiting thread are abandoned, as their stacks would be. */
static void sched_free(void *arg) {
    eddy__sched_t *s = arg;
    eddy__stack_pool_drain(&s->stacks);
    eddy_free(s->buckets);
    eddy_free(s);
    eddy__sched_tls = NULL;
}

static void sched_key_create(void) { pthread_key_create(&sched_key, sched_free); }

eddy__sched_t *eddy__sched_make(void) {
    eddy__sched_t *s = eddy_calloc(1, sizeof *s);
    pthread_once(&sched_once, sched_key_create);
    pthread_setspecific(sched_key, s);
    eddy__sched_tls = s;
    return s;
}

/* ---- id map and live list ------------------------------------------------ */

static size_t bucket_of(int64_t id, size_t nbuckets) {
    /* Fibonacci hashing: ids are sequential, the multiply spreads them. */
    return (size_t)(((uint64_t)id * 0x9E3779B97F4A7C15ull) >> 32) & (nbuckets - 1);
}

static void map_grow(eddy__sched_t *s) {
    size_t n = s->nbuckets ? s->nbuckets * 2 : MAP_MIN_BUCKETS;
    eddy_coro_t **b = eddy_calloc(n, sizeof *b);
    for (size_t i = 0; i < s->nbuckets; i++) {
        eddy_coro_t *co = s->buckets[i], *next;
        for (; co; co = next) {
            next = co->hnext;
            size_t j = bucket_of(co->id, n);
            co->hnext = b[j];
            b[j] = co;
        }
    }
    eddy_free(s->buckets);
    s->buckets = b;
    s->nbuckets = n;
}

static void register_coro(eddy__sched_t *s, eddy_coro_t *co) {
    if (s->count >= s->nbuckets) map_grow(s);
    size_t i = bucket_of(co->id, s->nbuckets);
    co->hnext = s->buckets[i];
    s->buckets[i] = co;
    co->prev = s->tail;
    co->next = NULL;
    if (s->tail) s->tail->next = co;
    else s->head = co;
    s->tail = co;
    if (++s->count > s->peak) s->peak = s->count;
    s->created++;
    s->guarded += co->stack.guarded != 0;
}

static void unregister_coro(eddy__sched_t *s, eddy_coro_t *co) {
    eddy_coro_t **p = &s->buckets[bucket_of(co->id, s->nbuckets)];
    while (*p != co) p = &(*p)->hnext;
    *p = co->hnext;
    if (co->prev) co->prev->next = co->next;
    else s->head = co->next;
    if (co->next) co->next->prev = co->prev;
    else s->tail = co->prev;
    s->count--;
    s->guarded -= co->stack.guarded != 0;
    /* Idle thread: give back a table a burst made big. The smallest one
     * stays (2 KiB, freed at thread exit by sched_free): a server that runs
     * one short coroutine per request goes idle after each, and allocating
     * and zeroing it again for the next was ~0.5% of a PHP worker's time. */
    if (s->count == 0 && s->nbuckets > MAP_MIN_BUCKETS) {
        eddy_free(s->buckets);
        s->buckets = NULL;
        s->nbuckets = 0;
    }
}

eddy_coro_t *eddy_coro_get(int64_t cid) {
    eddy__sched_t *s = &eddy__sched;
    if (s->nbuckets == 0) return NULL;
    eddy_coro_t *co = s->buckets[bucket_of(cid, s->nbuckets)];
    while (co && co->id != cid) co = co->hnext;
    return co;
}

/* ---- switching ----------------------------------------------------------- */

/* Frees a coroutine that no context runs on any more. */
static void free_coro(eddy__sched_t *s, eddy_coro_t *co) {
#ifdef EDDY__CORO_ASAN
    /* Frames abandoned by eddy_coro_exit() and the final switch never ran
     * their epilogues, so their redzones are still poisoned and would fire
     * in the next coroutine on this stack. Everything below them returned
     * normally: unpoisoning just this part keeps the cost at the pages the
     * coroutine used, not the whole stack's shadow. */
    char *top = co->stack.lo + co->stack.size;
    ASAN_UNPOISON_MEMORY_REGION(co->asan_dirty, (size_t)(top - co->asan_dirty));
#endif
    eddy__stack_free(&s->stacks, &co->stack);
    eddy_free(co);
}

static void reap(eddy__sched_t *s) {
    eddy_coro_t *co = s->zombie;
    if (co == NULL) return;
    s->zombie = NULL;
    free_coro(s, co);
}

#ifdef EDDY__CORO_ASAN
/* ASan tracks one stack per thread; tell it about each switch so it does
 * not take coroutine frames for overflows of the thread stack. A NULL
 * fake-stack slot on the last switch out of a coroutine releases its fake
 * stack (use-after-return detection), which would otherwise leak. */
static void asan_start(eddy__sched_t *s, eddy_coro_t *to, void **fake) {
    const void *lo = to ? to->stack.lo : s->root_stack_lo;
    size_t size = to ? to->stack.size : s->root_stack_size;
    __sanitizer_start_switch_fiber(fake, lo, size);
}

static void asan_finish(eddy__sched_t *s, void *fake, int from_root) {
    const void *lo;
    size_t size;
    __sanitizer_finish_switch_fiber(fake, &lo, &size);
    if (from_root) { /* the first switch out of root tells us its bounds */
        s->root_stack_lo = lo;
        s->root_stack_size = size;
    }
}
#endif

/* Saves the current context (`from`, NULL: root) and runs `to`. Returns
 * when something switches back to `from`; never if `ending`. */
static void switch_context(eddy__sched_t *s, eddy_coro_t *from, eddy_coro_t *to, int ending) {
    eddy__ctx_t *fctx = from ? &from->ctx : &s->root;
    eddy__ctx_t *tctx = to ? &to->ctx : &s->root;
    if (s->hook) s->hook(from, to); /* still as `from`: current is unchanged */
    s->current = to;
#ifdef EDDY__CORO_ASAN
    void *fake = NULL;
    if (ending) { /* our own frame is the lowest one left poisoned */
        char *low = (char *)&fake - 1024;
        from->asan_dirty = low > from->stack.lo ? low : from->stack.lo;
    }
    asan_start(s, to, ending ? NULL : &fake);
    eddy__ctx_switch(fctx, tctx);
    asan_finish(s, fake, 0);
#else
    (void)ending;
    eddy__ctx_switch(fctx, tctx);
#endif
    reap(s);
}

void eddy__coro_run(eddy_coro_t *co) {
    eddy__sched_t *s = &eddy__sched;
    co->origin = s->current;
    co->state = EDDY__CORO_RUNNING;
    switch_context(s, s->current, co, 0);
}

void eddy__coro_suspend(eddy_coro_t *co) {
    /* Swoole's rule: the canceled mark describes the wait it interrupted
     * and is forgotten at the next suspension (resume_code_ = RC_OK). */
    co->canceled = 0;
    switch_context(&eddy__sched, co, co->origin, 0);
}

/* Runs the cleanups, then leaves for good; reap() in the next context
 * frees the stack we are standing on. */
static void __attribute__((noreturn)) finish(eddy_coro_t *co) {
    eddy__sched_t *s = &eddy__sched;
    eddy__coro_run_cleanups(co);
    co->state = EDDY__CORO_DEAD;
    unregister_coro(s, co);
    s->zombie = co;
    switch_context(s, co, co->origin, 1);
    abort(); /* unreachable: nothing switches to a dead coroutine */
}

static void coro_main(void *arg) {
    eddy_coro_t *co = arg;
    eddy__sched_t *s = &eddy__sched;
#ifdef EDDY__CORO_ASAN
    asan_finish(s, NULL, co->origin == NULL);
#endif
    reap(s);
    co->fn(co->arg);
    finish(co);
}

/* ---- lifecycle ----------------------------------------------------------- */

static void thread_setup(eddy__sched_t *s) {
    eddy__overflow_install();
    eddy__overflow_thread_init();
    s->ready = 1;
}

static eddy_coro_t *new_coro(eddy__sched_t *s, eddy_coro_fn fn, void *arg) {
    eddy_coro_t *co = eddy_calloc(1, sizeof *co);
    co->id = ++s->last_id;
    co->pcid = s->current ? s->current->id : -1;
    co->fn = fn;
    co->arg = arg;
    co->start_ms = eddy_now_ms();
    return co;
}

int64_t eddy_coro_create_ex(eddy_coro_fn fn, void *arg, size_t stack_size) {
    eddy__sched_t *s = &eddy__sched;
    if (fn == NULL) return EDDY_EINVAL;
    if (!s->ready) thread_setup(s);
    eddy__stack_t st;
    if (eddy__stack_alloc(&s->stacks, &st, eddy__stack_round(stack_size)) != 0)
        return EDDY_ECO_PROTECT_STACK;
    eddy_coro_t *co = new_coro(s, fn, arg);
    co->stack = st;
    eddy__ctx_init(&co->ctx, st.lo, st.size, coro_main, co);
    register_coro(s, co);
    int64_t id = co->id; /* co may be gone by the time we are back */
    eddy__coro_run(co);
    return id;
}

int64_t eddy_coro_create(eddy_coro_fn fn, void *arg) {
    return eddy_coro_create_ex(fn, arg, eddy__stack_default_size());
}

void eddy_coro_exit(void) {
    eddy_coro_t *co = eddy__sched.current;
    if (co == NULL) abort(); /* no coroutine to end: a caller bug */
    finish(co);
}

int eddy_coro_yield(void) {
    eddy_coro_t *co = eddy__sched.current;
    if (co == NULL) return EDDY_ECO_OUT_OF_COROUTINE;
    co->state = EDDY__CORO_SUSPENDED;
    eddy__coro_suspend(co);
    return 0;
}

/* The coroutine's frames are dropped where they stand, as eddy_coro_exit()
 * drops the ones above it: nothing on its stack runs again. Only a
 * coroutine parked in yield or wait can go, because any other one is a
 * caller of the current context (it switched away in create, resume or
 * wake) and its frames are still in use when control unwinds back. */
int eddy_coro_kill(int64_t cid) {
    eddy__sched_t *s = &eddy__sched;
    eddy_coro_t *co = eddy_coro_get(cid);
    if (co == NULL) return EDDY_ECO_NOT_EXISTS;
    if (co->state == EDDY__CORO_WAITING) {
        eddy__coro_abort_wait(co);
    } else if (co->state != EDDY__CORO_SUSPENDED) {
        return EDDY_EWRONG_OP;
    }
    eddy__coro_run_cleanups(co);
    co->state = EDDY__CORO_DEAD;
    unregister_coro(s, co);
#ifdef EDDY__CORO_ASAN
    /* Every frame it had is left poisoned: clear the whole stack. */
    co->asan_dirty = co->stack.lo;
#endif
    free_coro(s, co);
    return 0;
}

int eddy_coro_resume(eddy_coro_t *co) {
    if (co == NULL) return EDDY_ECO_NOT_EXISTS;
    if (co->state != EDDY__CORO_SUSPENDED) return EDDY_EWRONG_OP;
    eddy__coro_run(co);
    return 0;
}

/* ---- settings ------------------------------------------------------------ */

int eddy_coro_set_stack_size(size_t bytes) { return eddy__stack_set_default_size(bytes); }

void eddy_coro_set_stack_guard(int on) { eddy__stack_set_guard(on); }

void eddy_coro_set_switch_hook(eddy_coro_switch_hook hook) { eddy__sched.hook = hook; }
