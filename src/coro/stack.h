/*
 * Private: coroutine stacks (stack.c) and their overflow reporting
 * (overflow.c).
 *
 * Two kinds of stack, both mmap'ed MAP_NORESERVE so only touched pages cost
 * memory:
 *   - guarded: its own mapping with a PROT_NONE page below it. The guard
 *     splits the mapping in two kernel VMAs, so guarded stacks are limited to
 *     a budget of vm.max_map_count / 4 live at once per process;
 *   - slab: one of SLAB_STACKS same-sized stacks in a shared mapping, no
 *     guard. Used past the budget or with guards turned off, so 100,000
 *     coroutines need ~6,000 VMAs, not 200,000.
 * Freed stacks go to a small per-thread cache first (hot reuse, no system
 * call), then back to the kernel.
 */
#ifndef EDDY_CORO_STACK_H
#define EDDY_CORO_STACK_H

#include <stddef.h>
#include <stdint.h>

/* AddressSanitizer needs to hear about every stack switch (coro.c). */
#if defined(__SANITIZE_ADDRESS__)
#define EDDY__CORO_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define EDDY__CORO_ASAN 1
#endif
#endif

/* Freed stacks kept per thread for reuse. A worker under 100 keep-alive
 * connections runs about 100 request coroutines at once; with 64 kept,
 * each swing of that number past 64 unmapped stacks and mapped fresh ones
 * (mmap, mprotect, page faults, munmap: 3-6% of requests in
 * bench/php_db.sh). 256 covers such loads; what it holds after a burst is
 * the dirty pages of at most 256 idle stacks. */
#define EDDY__STACK_CACHE_MAX 256

typedef struct eddy__slab_s eddy__slab_t;

typedef struct {
    char *lo;           /* lowest usable byte; the top is lo + size */
    size_t size;        /* usable bytes, a multiple of the page size */
    eddy__slab_t *slab; /* owning slab, NULL for a stack in its own mapping */
    int guarded;        /* a PROT_NONE page lies at [lo - page, lo) */
} eddy__stack_t;

/* Per-thread: lives in the scheduler's thread-local state (sched.h). */
typedef struct {
    eddy__stack_t cache[EDDY__STACK_CACHE_MAX];
    size_t ncache;
    eddy__slab_t *partial; /* slabs with at least one free slot */
} eddy__stack_pool_t;

/* Maps (or reuses) a stack of exactly `size` bytes (page multiple). Returns 0
 * or EDDY_ECO_PROTECT_STACK after logging which limit was hit. */
int eddy__stack_alloc(eddy__stack_pool_t *pool, eddy__stack_t *st, size_t size);
/* Gives the stack back; it must not be the stack we are running on. */
void eddy__stack_free(eddy__stack_pool_t *pool, eddy__stack_t *st);
/* Returns every cached stack to the kernel. */
void eddy__stack_pool_drain(eddy__stack_pool_t *pool);

size_t eddy__stack_page_size(void);
/* Rounds up to pages and clamps to EDDY_CORO_MIN/MAX_STACK_SIZE. */
size_t eddy__stack_round(size_t size);
size_t eddy__stack_default_size(void);
int eddy__stack_set_default_size(size_t size);
void eddy__stack_set_guard(int on);

/* overflow.c: SIGSEGV/SIGBUS reporting of guard page hits. install() is
 * process-wide and idempotent; thread_init() gives the calling thread an
 * alternate signal stack if it has none (a handler cannot run on the
 * stack that just overflowed). */
void eddy__overflow_install(void);
void eddy__overflow_thread_init(void);

#endif /* EDDY_CORO_STACK_H */
