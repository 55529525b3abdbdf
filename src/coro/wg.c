/*
 * Wait groups: a counter coroutines wait on until it comes back to zero,
 * after Swoole's Coroutine\WaitGroup.
 */
#include "eddy/chan.h"

void eddy_wg_init(eddy_wg_t *wg) {
    wg->count = 0;
    wg->waiters = (eddy_waitq_t){0};
}

/* on_abort for timeout and cancel: leave the queue so a later zero does
 * not wake a coroutine that stopped waiting. */
static void unlink_waiter(eddy_wait_t *w) {
    eddy_waitq_remove(w);
}

/* Wakes everyone waiting for this zero. The queue is detached first: a
 * woken coroutine runs at once and may add and wait again, and must then
 * wait for the next zero, not be woken by this one. */
static void release(eddy_wg_t *wg) {
    eddy_waitq_t pending = {0};
    eddy_wait_t *w;
    while ((w = eddy_waitq_shift(&wg->waiters)) != NULL) eddy_waitq_push(&pending, w);
    while ((w = eddy_waitq_shift(&pending)) != NULL) eddy_coro_wake(w, 0);
}

int eddy_wg_add(eddy_wg_t *wg, int64_t delta) {
    int64_t count;
    if (__builtin_add_overflow(wg->count, delta, &count) || count < 0) return EDDY_EINVAL;
    wg->count = count;
    if (count == 0) release(wg);
    return 0;
}

int eddy_wg_done(eddy_wg_t *wg) {
    return eddy_wg_add(wg, -1);
}

int eddy_wg_wait(eddy_wg_t *wg, int64_t timeout_ms) {
    if (wg->count == 0) return 0;
    if (timeout_ms == 0) return EDDY_ETIMEDOUT;
    if (eddy_coro_current() == NULL) return EDDY_ECO_OUT_OF_COROUTINE;
    if (timeout_ms < 0) timeout_ms = EDDY_WAIT_FOREVER;
    eddy_wait_t self = {0};
    eddy_waitq_push(&wg->waiters, &self);
    int rc = eddy_coro_wait(&self, timeout_ms, unlink_waiter);
    /* The wait can fail at once (already canceled) without on_abort. */
    eddy_waitq_remove(&self);
    return rc;
}
