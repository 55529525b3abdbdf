/*
 * Timers: a binary min-heap of eddy_timer_t* ordered by (due, seq). Each
 * timer keeps its heap_index, so stop and restart are O(log n) without a
 * search. seq is the start order, which makes equal due times fire FIFO.
 *
 * Start time: a timer is armed from the current clock, not the loop's
 * cached time, so a timer started late in a long iteration never fires
 * early (Swoole measures sleeps and socket timeouts from the call). It still
 * fires only once the cached time, refreshed each iteration, reaches `due`.
 *
 * Periodic timers re-arm at due + repeat, the time they were scheduled for,
 * so they do not drift with callback latency. If the loop fell behind so far
 * that this is already past, the next due is now + repeat instead: missed
 * ticks are skipped, not fired in a burst.
 *
 * A periodic timer is re-armed before its callback runs, so the callback may
 * stop it (it then stays stopped) or restart it with other values.
 */
#include <limits.h>

#include "loop/internal.h"

#define HEAP_MIN 16

static int before(const eddy_timer_t *a, const eddy_timer_t *b) {
    return a->due < b->due || (a->due == b->due && a->seq < b->seq);
}

static void place(eddy_timer_t **heap, eddy_timer_t *t, size_t i) {
    heap[i] = t;
    t->heap_index = i;
}

static void sift_up(eddy_loop_t *loop, size_t i) {
    eddy_timer_t **heap = loop->timers, *t = heap[i];
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (!before(t, heap[parent])) break;
        place(heap, heap[parent], i);
        i = parent;
    }
    place(heap, t, i);
}

static void sift_down(eddy_loop_t *loop, size_t i) {
    eddy_timer_t **heap = loop->timers, *t = heap[i];
    size_t n = loop->ntimers;
    for (;;) {
        size_t child = 2 * i + 1;
        if (child >= n) break;
        if (child + 1 < n && before(heap[child + 1], heap[child])) child++;
        if (!before(heap[child], t)) break;
        place(heap, heap[child], i);
        i = child;
    }
    place(heap, t, i);
}

static void heap_push(eddy_loop_t *loop, eddy_timer_t *t) {
    if (loop->ntimers == loop->timers_cap) {
        loop->timers_cap = loop->timers_cap ? loop->timers_cap * 2 : HEAP_MIN;
        loop->timers = eddy_realloc(loop->timers, loop->timers_cap * sizeof *loop->timers);
    }
    t->seq = loop->timer_seq++;
    place(loop->timers, t, loop->ntimers++);
    sift_up(loop, t->heap_index);
}

static void heap_remove(eddy_loop_t *loop, eddy_timer_t *t) {
    size_t i = t->heap_index, last = --loop->ntimers;
    if (i != last) {
        place(loop->timers, loop->timers[last], i);
        /* The moved timer may belong above or below its new slot. */
        sift_down(loop, i);
        sift_up(loop, loop->timers[i]->heap_index);
    }
    t->heap_index = EDDY_TIMER_INACTIVE;
}

static uint64_t add_sat(uint64_t a, uint64_t b) { return b > UINT64_MAX - a ? UINT64_MAX : a + b; }

void eddy_timer_init(eddy_loop_t *loop, eddy_timer_t *t, eddy_timer_cb cb) {
    t->loop = loop;
    t->due = 0;
    t->repeat = 0;
    t->cb = cb;
    t->seq = 0;
    t->heap_index = EDDY_TIMER_INACTIVE;
}

void eddy_timer_start(eddy_timer_t *t, uint64_t timeout_ms, uint64_t repeat_ms) {
    if (eddy_timer_active(t)) heap_remove(t->loop, t);
    t->due = add_sat(eddy_now_ms(), timeout_ms);
    t->repeat = repeat_ms;
    heap_push(t->loop, t);
}

void eddy_timer_stop(eddy_timer_t *t) {
    if (eddy_timer_active(t)) heap_remove(t->loop, t);
}

size_t eddy_timer_count(const eddy_loop_t *loop) { return loop->ntimers; }

static void rearm(eddy_loop_t *loop, eddy_timer_t *t) {
    uint64_t next = add_sat(t->due, t->repeat);
    if (next <= loop->now_ms) next = add_sat(loop->now_ms, t->repeat);
    t->due = next;
    heap_push(loop, t); /* new seq: waits for the next pass even if due */
}

void eddy__timer_run(eddy_loop_t *loop) {
    /* Timers started (or re-armed) during this pass get seq >= limit and
     * wait for the next pass: a 0 ms timer restarting itself, or two
     * timers restarting each other, cannot keep the pass going forever. */
    uint64_t limit = loop->timer_seq;
    while (loop->ntimers) {
        eddy_timer_t *t = loop->timers[0];
        /* The heap top is the smallest (due, seq); a timer armed in this
         * pass has due >= now, so nothing past a too-new top is due. */
        if (t->due > loop->now_ms || t->seq >= limit) break;
        heap_remove(loop, t);
        if (t->repeat) rearm(loop, t);
        t->cb(t);
    }
}

int eddy__timer_timeout(eddy_loop_t *loop) {
    if (!loop->ntimers) return -1;
    /* Whole ms, counted from the floored current ms: sleeping that long
     * reaches a clock reading >= due, so a timer never fires early. */
    uint64_t due = loop->timers[0]->due, now = eddy_now_ms();
    if (due <= now) return 0;
    return due - now > INT_MAX ? INT_MAX : (int)(due - now);
}

void eddy__timer_close(eddy_loop_t *loop) {
    for (size_t i = 0; i < loop->ntimers; i++)
        loop->timers[i]->heap_index = EDDY_TIMER_INACTIVE;
    eddy_free(loop->timers);
    loop->timers = NULL;
    loop->ntimers = loop->timers_cap = 0;
}
