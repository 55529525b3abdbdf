/*
 * eddy channels and wait groups: coroutine synchronisation.
 *
 * A channel is a bounded FIFO of pointers (Swoole's Coroutine\Channel). Push
 * blocks while full, pop while empty; both take a timeout in ms
 * (EDDY_WAIT_FOREVER for none, 0 to fail at once with EDDY_ETIMEDOUT).
 * Blocking outside a coroutine fails with EDDY_ECO_OUT_OF_COROUTINE;
 * a call that need not block works anywhere.
 *
 * Items are opaque: the channel never frees them. Whoever frees a channel
 * with items still queued owns those items (drain with eddy_chan_pop first).
 */
#ifndef EDDY_CHAN_H
#define EDDY_CHAN_H

#include <stddef.h>
#include <stdint.h>

#include "eddy/coro.h"

typedef struct eddy_chan_s eddy_chan_t; /* opaque: eddy_chan_new / eddy_chan_free */

typedef struct {
    size_t consumer_num; /* coroutines waiting in pop */
    size_t producer_num; /* coroutines waiting in push */
    size_t queue_num;    /* items queued */
} eddy_chan_stats_t;

/* ---- lifecycle --------------------------------------------------------- */

/* capacity >= 1; NULL with capacity 0. */
eddy_chan_t *eddy_chan_new(size_t capacity);
/* Closes (waking any waiter) then frees. Queued items are not touched. */
void eddy_chan_free(eddy_chan_t *ch);
/* After close: push fails with EDDY_ECHAN_CLOSED; pop returns what is still
 * queued, then fails with EDDY_ECHAN_DRAINED. Waiters wake with those codes.
 * Returns EDDY_EWRONG_OP if already closed. */
int eddy_chan_close(eddy_chan_t *ch);

/* ---- I/O --------------------------------------------------------------- */

/* 0, EDDY_ETIMEDOUT, EDDY_ECHAN_CLOSED, EDDY_ECANCELED, EDDY_ECO_OUT_OF_COROUTINE. */
int eddy_chan_push(eddy_chan_t *ch, void *item, int64_t timeout_ms);
/* 0 with *item set, or EDDY_ETIMEDOUT, EDDY_ECHAN_DRAINED, EDDY_ECANCELED,
 * EDDY_ECO_OUT_OF_COROUTINE (*item untouched on error). */
int eddy_chan_pop(eddy_chan_t *ch, void **item, int64_t timeout_ms);

/* ---- status ------------------------------------------------------------ */

size_t eddy_chan_length(const eddy_chan_t *ch);
size_t eddy_chan_capacity(const eddy_chan_t *ch);
int eddy_chan_is_closed(const eddy_chan_t *ch);
void eddy_chan_stats(const eddy_chan_t *ch, eddy_chan_stats_t *st);

/* ---- wait group -------------------------------------------------------- */

/* Caller-owned counter that coroutines wait on until it returns to zero
 * (Swoole's Coroutine\WaitGroup). */
typedef struct {
    /* read-only */
    int64_t count;
    /* private */
    eddy_waitq_t waiters;
} eddy_wg_t;

void eddy_wg_init(eddy_wg_t *wg);
/* Adds delta (may be negative). EDDY_EINVAL if the count would go below 0.
 * Reaching 0 wakes every waiter with 0. */
int eddy_wg_add(eddy_wg_t *wg, int64_t delta);
int eddy_wg_done(eddy_wg_t *wg); /* eddy_wg_add(wg, -1) */
/* Returns 0 at once if the count is 0, else waits: 0, EDDY_ETIMEDOUT,
 * EDDY_ECANCELED, EDDY_ECO_OUT_OF_COROUTINE. */
int eddy_wg_wait(eddy_wg_t *wg, int64_t timeout_ms);

#endif /* EDDY_CHAN_H */
