/*
 * The one way a coroutine blocks: eddy_coro_wait() parks it on an
 * eddy_wait_t (on its own stack) until exactly one of wake, timeout or
 * cancel ends the wait. Sleep, channels, wait groups and sockets all go
 * through here, so timeouts and cancel behave the same everywhere.
 *
 * Decisions:
 *   - timeout_ms == 0 fails at once with EDDY_ETIMEDOUT without suspending:
 *     callers (channels, sockets) check readiness before waiting, so a zero
 *     timeout means "do not wait". eddy_coro_sleep(0) is the exception: it
 *     yields to the loop for one iteration, as Swoole's Co::sleep(0) does.
 *   - Cancel marks the coroutine canceled until it next suspends (Swoole's
 *     resume code): eddy_coro_is_canceled() tells the woken coroutine why,
 *     and its next wait blocks normally. A sticky mark would make every
 *     later wait fail at once, and a loop like `while (1) sleep(100)` would
 *     then spin without ever yielding.
 */
#include <stddef.h>
#include <stdlib.h>

#include "coro/sched.h"

/* Ends w's wait with `result` and runs its coroutine now; `aborted`: the
 * owner did not finish it, so it must forget the waiter (on_abort). */
static void end_wait(eddy_wait_t *w, int result, int aborted) {
    eddy_coro_t *co = w->co;
    eddy_timer_stop(&w->timer);
    co->wait = NULL;
    if (aborted && w->on_abort) w->on_abort(w);
    w->result = result;
    eddy__coro_run(co);
}

void eddy__coro_abort_wait(eddy_coro_t *co) {
    eddy_wait_t *w = co->wait;
    eddy_timer_stop(&w->timer);
    co->wait = NULL;
    if (w->on_abort) w->on_abort(w);
    w->result = EDDY_ECANCELED;
}

static void on_timeout(eddy_timer_t *t) {
    eddy_wait_t *w = (eddy_wait_t *)((char *)t - offsetof(eddy_wait_t, timer));
    end_wait(w, EDDY_ETIMEDOUT, 1);
}

/* Suspends co on w; timeout_ms < 0 waits forever, 0 arms a 0 ms timer
 * (fires on the next loop iteration). */
static int wait_on(eddy_coro_t *co, eddy_wait_t *w, int64_t timeout_ms,
                   eddy_wait_abort_fn on_abort) {
    w->co = co;
    w->result = 0;
    w->on_abort = on_abort;
    eddy_timer_init(eddy_loop_default(), &w->timer, on_timeout);
    if (timeout_ms >= 0) eddy_timer_start(&w->timer, (uint64_t)timeout_ms, 0);
    co->wait = w;
    co->state = EDDY__CORO_WAITING;
    eddy__coro_suspend(co);
    return w->result;
}

int eddy_coro_wait(eddy_wait_t *w, int64_t timeout_ms, eddy_wait_abort_fn on_abort) {
    eddy_coro_t *co = eddy__sched.current;
    if (co == NULL) return EDDY_ECO_OUT_OF_COROUTINE;
    if (timeout_ms == 0) return EDDY_ETIMEDOUT;
    return wait_on(co, w, timeout_ms < 0 ? -1 : timeout_ms, on_abort);
}

void eddy_coro_wake(eddy_wait_t *w, int result) {
    eddy_coro_t *co = w->co;
    /* Waking a waiter that is not waiting would resume a coroutine in the
     * middle of something else: an owner bug, never a runtime condition. */
    if (co == NULL || co->state != EDDY__CORO_WAITING || co->wait != w) abort();
    end_wait(w, result, 0);
}

int eddy_coro_sleep(uint64_t ms) {
    eddy_coro_t *co = eddy__sched.current;
    if (co == NULL) return EDDY_ECO_OUT_OF_COROUTINE;
    eddy_wait_t w = {0};
    int64_t t = ms > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)ms;
    int rc = wait_on(co, &w, t, NULL);
    return rc == EDDY_ETIMEDOUT ? 0 : rc; /* for a sleep, the timeout is success */
}

int eddy_coro_cancel(int64_t cid) {
    eddy_coro_t *co = eddy_coro_get(cid);
    if (co == NULL) return EDDY_ECO_NOT_EXISTS;
    if (co == eddy__sched.current || co->state != EDDY__CORO_WAITING)
        return EDDY_ECO_CANNOT_CANCEL;
    co->canceled = 1;
    end_wait(co->wait, EDDY_ECANCELED, 1);
    return 0;
}

int eddy_coro_is_canceled(const eddy_coro_t *co) {
    if (co == NULL) co = eddy__sched.current;
    return co != NULL && co->canceled;
}

/* ---- wait queues --------------------------------------------------------- */

void eddy_waitq_push(eddy_waitq_t *q, eddy_wait_t *w) {
    w->queue = q;
    w->next = NULL;
    w->prev = q->tail;
    if (q->tail) q->tail->next = w;
    else q->head = w;
    q->tail = w;
    q->len++;
}

void eddy_waitq_remove(eddy_wait_t *w) {
    eddy_waitq_t *q = w->queue;
    if (q == NULL) return;
    if (w->prev) w->prev->next = w->next;
    else q->head = w->next;
    if (w->next) w->next->prev = w->prev;
    else q->tail = w->prev;
    q->len--;
    w->queue = NULL;
    w->prev = w->next = NULL;
}

eddy_wait_t *eddy_waitq_shift(eddy_waitq_t *q) {
    eddy_wait_t *w = q->head;
    if (w) eddy_waitq_remove(w);
    return w;
}
