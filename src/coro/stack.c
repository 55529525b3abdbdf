/*
 * Coroutine stacks: guarded mappings while the process is under its guard
 * budget, shared slabs past it, a small per-thread cache in front of both.
 * See stack.h for the layout and the reasons.
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "coro/stack.h"
#include "eddy/coro.h"

#define SLAB_STACKS 16 /* stacks per slab mapping: 100,000 stacks ~ 6,250 VMAs */
#define SLAB_FULL ((1u << SLAB_STACKS) - 1)
#define DEFAULT_MAX_MAP_COUNT 65530 /* the kernel's default, if /proc is unreadable */

struct eddy__slab_s {
    char *base;                /* SLAB_STACKS * size bytes */
    size_t size;               /* bytes per stack */
    uint32_t free_mask;        /* bit i set: slot i is free */
    eddy__slab_t *prev, *next; /* in pool->partial while a slot is free */
};

/* Process-wide stack policy. Process-wide because the limit it manages,
 * vm.max_map_count, counts the VMAs of the whole process, every thread's
 * stacks included; the settings follow Swoole's process-wide c_stack_size. */
static struct {
    pthread_once_t once;
    size_t page;
    long max_map_count;         /* /proc/sys/vm/max_map_count at start */
    _Atomic long budget;        /* guarded stacks allowed at once */
    _Atomic long guarded;       /* guarded mappings alive, cached ones included */
    _Atomic size_t default_size;
    _Atomic int guard_on;
    int thp_always;             /* transparent huge pages on every mapping */
    atomic_flag warned;         /* the budget warning is logged once */
} policy = {
    .once = PTHREAD_ONCE_INIT,
    .default_size = EDDY_CORO_DEFAULT_STACK_SIZE,
    .guard_on = 1,
    .warned = ATOMIC_FLAG_INIT,
};

/* ---- policy -------------------------------------------------------------- */

static long read_long_file(const char *path, long fallback) {
    char buf[64];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return fallback;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) return fallback;
    buf[n] = '\0';
    char *end;
    long v = strtol(buf, &end, 10);
    return end == buf ? fallback : v;
}

static int thp_is_always(void) {
    char buf[128];
    int fd = open("/sys/kernel/mm/transparent_hugepage/enabled", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) return 0;
    buf[n] = '\0';
    return strstr(buf, "[always]") != NULL;
}

static void init_policy(void) {
    policy.page = (size_t)sysconf(_SC_PAGESIZE);
    policy.max_map_count = read_long_file("/proc/sys/vm/max_map_count", DEFAULT_MAX_MAP_COUNT);
    /* A quarter: each guarded stack costs 2 VMAs, and malloc arenas, shared
     * libraries, thread stacks and sockets' mappings need the rest. */
    policy.budget = policy.max_map_count / 4;
    policy.thp_always = thp_is_always();
}

static void ensure_policy(void) { pthread_once(&policy.once, init_policy); }

size_t eddy__stack_page_size(void) {
    ensure_policy();
    return policy.page;
}

size_t eddy__stack_round(size_t size) {
    size_t page = eddy__stack_page_size();
    if (size < EDDY_CORO_MIN_STACK_SIZE) size = EDDY_CORO_MIN_STACK_SIZE;
    if (size > EDDY_CORO_MAX_STACK_SIZE) size = EDDY_CORO_MAX_STACK_SIZE;
    return (size + page - 1) & ~(page - 1);
}

size_t eddy__stack_default_size(void) { return policy.default_size; }

int eddy__stack_set_default_size(size_t size) {
    if (size < EDDY_CORO_MIN_STACK_SIZE || size > EDDY_CORO_MAX_STACK_SIZE) return EDDY_EINVAL;
    policy.default_size = eddy__stack_round(size);
    return 0;
}

void eddy__stack_set_guard(int on) { policy.guard_on = on != 0; }

/* ---- reporting ----------------------------------------------------------- */

/* Lines of /proc/self/maps = VMAs in use. Only read after a failure. */
static long count_maps(void) {
    char buf[4096];
    long lines = 0;
    ssize_t n;
    int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    while ((n = read(fd, buf, sizeof buf)) > 0)
        for (ssize_t i = 0; i < n; i++) lines += buf[i] == '\n';
    close(fd);
    return lines;
}

static void report_map_failure(size_t len, int err) {
    long maps = count_maps(), max = policy.max_map_count;
    if (err == ENOMEM && maps >= 0 && maps + 16 >= max) {
        eddy_log_error("eddy: cannot map a %zu-byte coroutine stack: the process has %ld "
                       "memory maps, the limit vm.max_map_count=%ld; raise it with "
                       "sysctl -w vm.max_map_count=%ld",
                       len, maps, max, max * 4);
    } else if (err == ENOMEM) {
        eddy_log_error("eddy: cannot map a %zu-byte coroutine stack: out of memory or "
                       "address space (ENOMEM, %ld of vm.max_map_count=%ld maps in use); "
                       "check ulimit -v and vm.overcommit_memory, or lower the stack size "
                       "with eddy_coro_set_stack_size()",
                       len, maps, max);
    } else {
        eddy_log_error("eddy: cannot map a %zu-byte coroutine stack: %s", len, strerror(err));
    }
}

/* Logged once per process, when stacks start coming without guard pages. */
static void warn_budget(long guarded) {
    if (atomic_flag_test_and_set(&policy.warned)) return;
    eddy_log_warn("eddy: %ld coroutine stacks have guard pages, the budget for "
                  "vm.max_map_count=%ld (each guard costs a memory map); further stacks "
                  "come from shared slabs without guard pages, so an overflow there "
                  "goes undetected. Raise the limit with: sysctl -w vm.max_map_count=%ld",
                  guarded, policy.max_map_count, policy.max_map_count * 4);
}

/* ---- mappings ------------------------------------------------------------ */

static void *map_anon(size_t len) {
    void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
    if (p == MAP_FAILED) {
        report_map_failure(len, errno);
        return NULL;
    }
    /* With THP "always", the first touch of a 2 MiB-aligned stretch could
     * commit a whole huge page per coroutine instead of 4 KiB. */
    if (policy.thp_always) madvise(p, len, MADV_NOHUGEPAGE);
    return p;
}

/* 1: mapped with a guard; 0: the guard could not be placed (map count),
 * fall back to a slab; -1: mmap failed. */
static int map_guarded(eddy__stack_t *st, size_t size) {
    size_t page = policy.page;
    char *p = map_anon(size + page);
    if (p == NULL) return -1;
    if (mprotect(p, page, PROT_NONE) != 0) {
        /* Splitting the VMA failed: the map count is at its limit even
         * though we are under budget (others use maps too). Lower the
         * budget to what we have so we stop trying. */
        munmap(p, size + page);
        policy.budget = policy.guarded;
        return 0;
    }
    st->lo = p + page;
    st->size = size;
    st->slab = NULL;
    st->guarded = 1;
    policy.guarded++;
    return 1;
}

static void unmap_guarded(eddy__stack_t *st) {
    munmap(st->lo - policy.page, st->size + policy.page);
    policy.guarded--;
}

/* ---- slabs --------------------------------------------------------------- */

static void partial_link(eddy__stack_pool_t *pool, eddy__slab_t *s) {
    s->prev = NULL;
    s->next = pool->partial;
    if (pool->partial) pool->partial->prev = s;
    pool->partial = s;
}

static void partial_unlink(eddy__stack_pool_t *pool, eddy__slab_t *s) {
    if (s->prev) s->prev->next = s->next;
    else pool->partial = s->next;
    if (s->next) s->next->prev = s->prev;
    s->prev = s->next = NULL;
}

static eddy__slab_t *slab_new(eddy__stack_pool_t *pool, size_t size) {
    char *base = map_anon(size * SLAB_STACKS);
    if (base == NULL) return NULL;
    eddy__slab_t *s = eddy_malloc(sizeof *s);
    s->base = base;
    s->size = size;
    s->free_mask = SLAB_FULL;
    partial_link(pool, s);
    return s;
}

static int slab_take(eddy__stack_pool_t *pool, eddy__stack_t *st, size_t size) {
    eddy__slab_t *s = pool->partial;
    while (s && s->size != size) s = s->next;
    if (s == NULL && (s = slab_new(pool, size)) == NULL) return -1;
    unsigned i = (unsigned)__builtin_ctz(s->free_mask);
    s->free_mask &= ~(1u << i);
    if (s->free_mask == 0) partial_unlink(pool, s);
    st->lo = s->base + (size_t)i * size;
    st->size = size;
    st->slab = s;
    st->guarded = 0;
    return 0;
}

static void slab_put(eddy__stack_pool_t *pool, eddy__stack_t *st) {
    eddy__slab_t *s = st->slab;
    unsigned i = (unsigned)((st->lo - s->base) / s->size);
    if (s->free_mask == 0) partial_link(pool, s);
    s->free_mask |= 1u << i;
    if (s->free_mask == SLAB_FULL) {
        partial_unlink(pool, s);
        munmap(s->base, s->size * SLAB_STACKS);
        eddy_free(s);
        return;
    }
    /* The slab stays: drop the pages this stack dirtied so that RSS follows
     * the live coroutines, not the peak. */
    madvise(st->lo, st->size, MADV_DONTNEED);
}

/* ---- allocation ---------------------------------------------------------- */

/* Whether the next new stack should get a guard page. */
static int want_guard(void) {
    if (!policy.guard_on) return 0;
    long guarded = policy.guarded;
    if (guarded < policy.budget) return 1;
    warn_budget(guarded);
    return 0;
}

static int cache_take(eddy__stack_pool_t *pool, eddy__stack_t *st, size_t size, int guard) {
    for (size_t i = pool->ncache; i-- > 0;) {
        eddy__stack_t *c = &pool->cache[i];
        if (c->size != size || (guard && !c->guarded)) continue;
        *st = *c;
        *c = pool->cache[--pool->ncache];
        return 1;
    }
    return 0;
}

int eddy__stack_alloc(eddy__stack_pool_t *pool, eddy__stack_t *st, size_t size) {
    ensure_policy();
    int guard = want_guard();
    if (cache_take(pool, st, size, guard)) return 0;
    if (guard) {
        int rc = map_guarded(st, size);
        if (rc > 0) return 0;
        if (rc < 0) return EDDY_ECO_PROTECT_STACK;
        warn_budget(policy.guarded);
    }
    return slab_take(pool, st, size) == 0 ? 0 : EDDY_ECO_PROTECT_STACK;
}

static void release(eddy__stack_pool_t *pool, eddy__stack_t *st) {
    if (st->slab) slab_put(pool, st);
    else unmap_guarded(st);
}

void eddy__stack_free(eddy__stack_pool_t *pool, eddy__stack_t *st) {
    /* Cached stacks keep their dirty pages: at most CACHE_MAX of them, and
     * reusing one costs no system call at all. */
    if (pool->ncache < EDDY__STACK_CACHE_MAX) {
        pool->cache[pool->ncache++] = *st;
        return;
    }
    release(pool, st);
}

void eddy__stack_pool_drain(eddy__stack_pool_t *pool) {
    while (pool->ncache > 0) release(pool, &pool->cache[--pool->ncache]);
}
