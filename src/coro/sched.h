/*
 * Private: the coroutine object and this thread's scheduler state, shared by
 * coro.c (lifecycle, switching), wait.c (blocking, cancel), local.c (defer,
 * locals, status) and overflow.c (fault reporting).
 */
#ifndef EDDY_CORO_SCHED_H
#define EDDY_CORO_SCHED_H

#include "coro/context.h"
#include "coro/stack.h"
#include "eddy/coro.h"

typedef enum {
    EDDY__CORO_RUNNING,   /* current, or switched away in resume/wake/create
                             (it continues when the one it ran yields) */
    EDDY__CORO_SUSPENDED, /* in eddy_coro_yield(): eddy_coro_resume() only */
    EDDY__CORO_WAITING,   /* in eddy_coro_wait(): wake, timeout or cancel */
    EDDY__CORO_DEAD       /* ended, its memory freed by the next context */
} eddy__coro_state_t;

typedef struct eddy__defer_s eddy__defer_t;
struct eddy__defer_s {
    eddy_coro_defer_fn fn;
    void *arg;
    eddy__defer_t *next;
};

struct eddy_coro_s {
    eddy__ctx_t ctx;
    int64_t id;
    int64_t pcid;
    eddy__coro_state_t state;
    int canceled;         /* its last wait was canceled; cleared at next suspend */
    eddy_coro_t *origin;  /* what switched to it (NULL: root); runs again when
                             this one suspends or ends (Swoole's origin) */
    eddy_coro_fn fn;
    void *arg;
    eddy_wait_t *wait;    /* while WAITING */
    eddy__defer_t *defers; /* LIFO */
    uint64_t start_ms;
    eddy_coro_t *hnext;   /* chain in the id map */
    eddy_coro_t *prev, *next; /* live list in creation order = ascending id */
    eddy__stack_t stack;
#ifdef EDDY__CORO_ASAN
    char *asan_dirty;     /* lowest frame it left without returning */
#endif
    void *locals[EDDY_CORO_KEYS_MAX];
};

/*
 * Everything the scheduler knows, one instance per thread: coroutines never
 * migrate between threads, and each thread has its own default loop. Kept
 * in one struct so that what is per-thread state is obvious in one place.
 */
typedef struct {
    eddy_coro_t *current;     /* NULL: the root context (the thread's own stack) */
    eddy__ctx_t root;         /* saved root registers while a coroutine runs */
    int64_t last_id;          /* ids start at 1 */
    eddy_coro_t **buckets;    /* id -> coroutine, chained; power-of-two size */
    size_t nbuckets;
    eddy_coro_t *head, *tail; /* live coroutines, ascending id */
    size_t count, peak, guarded;
    uint64_t created;
    eddy_coro_t *zombie;      /* ended; freed by whoever runs next, since a
                                 stack cannot be unmapped while in use */
    int ready;                /* thread-level setup done (alt signal stack) */
    eddy_coro_switch_hook hook; /* embedder's, called before each switch */
    eddy__stack_pool_t stacks;
#ifdef EDDY__CORO_ASAN
    const void *root_stack_lo; /* the thread stack, learnt from ASan */
    size_t root_stack_size;
#endif
} eddy__sched_t;

/* The calling thread's scheduler, made on first use and freed when the
 * thread exits. Only a pointer is thread-local, in the initial-exec model:
 * inside swoole.so (a dlopen'ed object) a thread-local the size of the
 * struct would live in dynamic TLS, reached through __tls_get_addr on every
 * access, several times per switch; a pointer fits the static TLS that the
 * C library reserves for such objects, reached with one %fs-relative load. */
extern __thread eddy__sched_t *eddy__sched_tls __attribute__((tls_model("initial-exec")));
eddy__sched_t *eddy__sched_make(void);

static inline eddy__sched_t *eddy__sched_get(void) {
    eddy__sched_t *s = eddy__sched_tls;
    return __builtin_expect(s != NULL, 1) ? s : eddy__sched_make();
}
#define eddy__sched (*eddy__sched_get())

/* coro.c: makes `co` current now; the caller continues when it suspends. */
void eddy__coro_run(eddy_coro_t *co);
/* coro.c: switches back to the current coroutine's origin; returns when it
 * is run again. The caller sets the state it suspends in first. */
void eddy__coro_suspend(eddy_coro_t *co);

/* wait.c: ends co's wait without running it (timer stopped, on_abort
 * called), for eddy_coro_kill(). */
void eddy__coro_abort_wait(eddy_coro_t *co);

/* local.c: defer callbacks then local destructors, before a coroutine ends. */
void eddy__coro_run_cleanups(eddy_coro_t *co);

#endif /* EDDY_CORO_SCHED_H */
