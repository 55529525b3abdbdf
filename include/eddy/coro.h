/*
 * eddy coroutines: stackful, scheduled on this thread's default loop.
 *
 * Semantics follow Swoole: eddy_coro_create() runs the new coroutine at once
 * until it first yields or ends, then returns to the creator. Resuming a
 * coroutine switches to it immediately; the resumer continues when the
 * resumed coroutine yields or ends. A coroutine blocks only by yielding:
 * sleeps, channels and sockets wait through eddy_coro_wait() below, so each
 * of them honours timeouts and eddy_coro_cancel() the same way.
 *
 * Memory: coroutines are owned by the engine and freed when they end; hold a
 * coroutine by id (eddy_coro_get() returns NULL once it is gone).
 *
 * Stacks are mmap'ed with MAP_NORESERVE so only touched pages cost memory,
 * and carry a PROT_NONE guard page below them while the process stays under
 * its guard budget (a quarter of vm.max_map_count, since each guard splits a
 * mapping); past it stacks come unguarded from shared slabs and one warning
 * says which limit was hit and how to raise it. A fault on a guard page
 * prints "stack overflow in coroutine #N (stack size S)" and aborts.
 */
#ifndef EDDY_CORO_H
#define EDDY_CORO_H

#include <stddef.h>
#include <stdint.h>

#include "eddy/base.h"
#include "eddy/timer.h"

typedef struct eddy_coro_s eddy_coro_t; /* opaque, engine-owned */
typedef void (*eddy_coro_fn)(void *arg);
typedef void (*eddy_coro_defer_fn)(void *arg);

#define EDDY_CORO_DEFAULT_STACK_SIZE (2u * 1024 * 1024) /* Swoole's c_stack_size */
#define EDDY_CORO_MIN_STACK_SIZE (64u * 1024)
#define EDDY_CORO_MAX_STACK_SIZE (1024u * 1024 * 1024)
#define EDDY_CORO_KEYS_MAX 16

/* Timeout value meaning "wait forever" in every blocking call. */
#define EDDY_WAIT_FOREVER (-1)

typedef struct {
    size_t count;        /* live coroutines */
    size_t peak;         /* highest count seen */
    uint64_t created;    /* total created since start */
    size_t stack_size;   /* default stack size */
    size_t guarded;      /* live stacks with a guard page */
} eddy_coro_stats_t;

/* ---- lifecycle --------------------------------------------------------- */

/* Creates a coroutine running fn(arg) on a stack of the default size and
 * switches to it. Returns its id (> 0) once it yields or ends, or a negative
 * error (EDDY_ECO_PROTECT_STACK when no stack could be mapped; the log says
 * which limit). */
int64_t eddy_coro_create(eddy_coro_fn fn, void *arg);
/* Same with a stack size (rounded up to pages, clamped to MIN..MAX). */
int64_t eddy_coro_create_ex(eddy_coro_fn fn, void *arg, size_t stack_size);

/* Ends the current coroutine now: runs its defer callbacks (LIFO) and
 * coroutine-local destructors, then switches away. Nothing after it runs;
 * the C stack is dropped without unwinding, so free what you hold first.
 * Aborts if called outside a coroutine. */
void eddy_coro_exit(void) __attribute__((noreturn));

/* Ends coroutine `cid` without running it again, for an embedder that must
 * drop coroutines it can no longer run (PHP after a fatal error). It must
 * be suspended in eddy_coro_yield() or eddy_coro_wait(): a wait is aborted
 * first (its timer stopped, the owner's on_abort unlinks it, so a later
 * close, push or timeout cannot wake it), then its defer callbacks and
 * local destructors run here, in the caller's context, and its stack is
 * freed without unwinding: free what its frames hold by other means.
 * Works from the root context too. 0, EDDY_ECO_NOT_EXISTS, or
 * EDDY_EWRONG_OP for the current coroutine or one that is running (a
 * caller of the current one, switched away in create, resume or wake). */
int eddy_coro_kill(int64_t cid);

/* Suspends the current coroutine until eddy_coro_resume(). Returns
 * EDDY_ECO_OUT_OF_COROUTINE outside a coroutine, 0 after resumption. Not
 * cancelable: cancel targets coroutines in eddy_coro_wait(). */
int eddy_coro_yield(void);
/* Switches to a coroutine suspended in eddy_coro_yield(). EDDY_ECO_NOT_EXISTS
 * for a NULL target, EDDY_EWRONG_OP if it is not suspended in yield. */
int eddy_coro_resume(eddy_coro_t *co);

/* Runs fn(arg) when the current coroutine ends, last registered first. */
int eddy_coro_defer(eddy_coro_defer_fn fn, void *arg);

/* Sleeps `ms` milliseconds on a loop timer; 0 yields to the loop for one
 * iteration. 0, or EDDY_ECANCELED if canceled, or EDDY_ECO_OUT_OF_COROUTINE. */
int eddy_coro_sleep(uint64_t ms);

/* Wakes coroutine `cid` out of the blocking call it waits in (sleep,
 * channel, socket, wait group, resolve) with EDDY_ECANCELED and marks it
 * canceled; it runs at once and the caller continues when it suspends.
 * Works from the root context too. EDDY_ECO_NOT_EXISTS, or
 * EDDY_ECO_CANNOT_CANCEL if it is the caller or not in a wait (a coroutine
 * in eddy_coro_yield() is not cancelable). */
int eddy_coro_cancel(int64_t cid);
/* Whether co's last wait ended by eddy_coro_cancel() (NULL: the current
 * coroutine). As Swoole's isCanceled(), the mark lasts until the coroutine
 * next suspends: its next wait blocks normally instead of failing, so a
 * loop that ignores the result cannot spin without yielding. */
int eddy_coro_is_canceled(const eddy_coro_t *co);

/* ---- identity and status ----------------------------------------------- */

eddy_coro_t *eddy_coro_current(void); /* NULL outside coroutines */
int64_t eddy_coro_cid(void);          /* current id, -1 outside */
eddy_coro_t *eddy_coro_get(int64_t cid);
int64_t eddy_coro_id(const eddy_coro_t *co);
int64_t eddy_coro_pcid(const eddy_coro_t *co); /* creator's id, -1 if root */
uint64_t eddy_coro_elapsed_ms(const eddy_coro_t *co);
/* Copies up to `max` live ids into `out` (ascending); returns how many it
 * copied (eddy_coro_stats() gives the total). */
size_t eddy_coro_list(int64_t *out, size_t max);
void eddy_coro_stats(eddy_coro_stats_t *st);

/* Default stack size for eddy_coro_create(); EDDY_EINVAL out of range. */
int eddy_coro_set_stack_size(size_t bytes);
/* Turns guard pages on (default) or off for stacks made from now on. */
void eddy_coro_set_stack_guard(int on);

/* ---- embedding --------------------------------------------------------- */

/* Called on this thread right before every context switch (create, resume,
 * yield, wake, exit), with NULL standing for the root context. An embedder
 * such as the PHP extension swaps its own per-coroutine state here, because
 * switches also happen deep inside the engine (a channel push waking a
 * consumer). One hook per thread; NULL removes it. */
typedef void (*eddy_coro_switch_hook)(eddy_coro_t *from, eddy_coro_t *to);
void eddy_coro_set_switch_hook(eddy_coro_switch_hook hook);

/* ---- coroutine-local data ---------------------------------------------- */

/* Allocates a key for all coroutines (process-wide, like pthread keys);
 * dtor (may be NULL) runs on a non-NULL value when its coroutine ends, after
 * the defer callbacks. Returns a key >= 0 or EDDY_ENOMEM when all
 * EDDY_CORO_KEYS_MAX keys are taken. For set/get, a NULL co is the current
 * coroutine; set returns EDDY_EINVAL for an unallocated key. */
int eddy_coro_key_create(eddy_coro_defer_fn dtor);
int eddy_coro_set_local(eddy_coro_t *co, int key, void *value);
void *eddy_coro_get_local(const eddy_coro_t *co, int key);

/* ---- blocking primitive for engine modules ----------------------------- */

/* How chan, net and friends block. The waiter lives on the waiting
 * coroutine's stack. A wait ends in exactly one way:
 *   - eddy_coro_wake(w, result): the owner (channel, socket...) finished it;
 *   - its timeout: on_abort(w) runs so the owner unlinks it, result ETIMEDOUT;
 *   - eddy_coro_cancel(): on_abort(w) runs, result ECANCELED. */
typedef struct eddy_wait_s eddy_wait_t;
typedef void (*eddy_wait_abort_fn)(eddy_wait_t *w);

/* Intrusive FIFO of waiters for owners (channels, sockets). */
typedef struct {
    eddy_wait_t *head, *tail;
    size_t len;
} eddy_waitq_t;

struct eddy_wait_s {
    /* public */
    void *data;           /* for the owner (e.g. the item being passed) */
    /* read-only */
    eddy_coro_t *co;
    int result;
    /* private */
    eddy_wait_abort_fn on_abort;
    eddy_timer_t timer;
    eddy_waitq_t *queue;      /* set while queued with eddy_waitq_push */
    eddy_wait_t *prev, *next;
};

/* Suspends the current coroutine on `w` for at most timeout_ms
 * (EDDY_WAIT_FOREVER or any negative: no limit). Returns the woken result.
 * Fails at once with EDDY_ECO_OUT_OF_COROUTINE, or with EDDY_ETIMEDOUT
 * without suspending when timeout_ms is 0 (owners check readiness first;
 * on_abort does not run then). The owner pushes w on its queue before the
 * call and unlinks it in on_abort; zero-initialise w. */
int eddy_coro_wait(eddy_wait_t *w, int64_t timeout_ms, eddy_wait_abort_fn on_abort);
/* Ends w's wait with `result` and switches to its coroutine now; the caller
 * (coroutine or root) continues when it suspends or ends. The owner has
 * already unlinked w. Aborts if w's coroutine is not waiting on w. */
void eddy_coro_wake(eddy_wait_t *w, int result);

void eddy_waitq_push(eddy_waitq_t *q, eddy_wait_t *w);
eddy_wait_t *eddy_waitq_shift(eddy_waitq_t *q); /* NULL when empty */
/* Unlinks w from the queue it is in; no-op if it is in none. */
void eddy_waitq_remove(eddy_wait_t *w);

#endif /* EDDY_CORO_H */
