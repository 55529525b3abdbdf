/*
 * eddy timers: one-shot and periodic, millisecond resolution, on the loop's
 * min-heap. Timers due at the same time fire in the order they were started.
 *
 * A timer is owned by the caller and must stay alive while active. Stopping
 * a timer from inside any callback, its own included, is safe: a periodic
 * timer stopped in its own callback is not re-armed.
 */
#ifndef EDDY_TIMER_H
#define EDDY_TIMER_H

#include <stddef.h>
#include <stdint.h>

#include "eddy/loop.h"

typedef void (*eddy_timer_cb)(eddy_timer_t *t);

#define EDDY_TIMER_INACTIVE ((size_t)-1)

struct eddy_timer_s {
    /* public */
    void *data;
    /* read-only */
    eddy_loop_t *loop;
    uint64_t due;      /* loop time (ms) it fires at */
    uint64_t repeat;   /* 0: one-shot; else period in ms */
    /* private */
    eddy_timer_cb cb;
    uint64_t seq;      /* start order: FIFO among equal due times */
    size_t heap_index; /* EDDY_TIMER_INACTIVE when not in the heap */
};

/* ---- lifecycle --------------------------------------------------------- */

void eddy_timer_init(eddy_loop_t *loop, eddy_timer_t *t, eddy_timer_cb cb);
/* Arms the timer to fire after `timeout_ms`, then every `repeat_ms` if not
 * 0. Restarting an active timer re-arms it. */
void eddy_timer_start(eddy_timer_t *t, uint64_t timeout_ms, uint64_t repeat_ms);
/* Disarms; safe on an inactive timer and from any callback. */
void eddy_timer_stop(eddy_timer_t *t);

/* ---- status ------------------------------------------------------------ */

static inline int eddy_timer_active(const eddy_timer_t *t) {
    return t->heap_index != EDDY_TIMER_INACTIVE;
}
/* Number of active timers on the loop. */
size_t eddy_timer_count(const eddy_loop_t *loop);

#endif /* EDDY_TIMER_H */
