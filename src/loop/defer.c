/*
 * The defer queue: callbacks run after the current iteration's timers and
 * events. A FIFO of small nodes; spent nodes go to a free list owned by the
 * loop, so a steady defer rate allocates nothing after warm-up. The free
 * list keeps the peak number of nodes ever queued at once, released by
 * eddy_loop_close().
 */
#include "loop/internal.h"

struct eddy_defer_s {
    eddy_defer_cb cb;
    void *arg;
    eddy_defer_t *next;
};

void eddy_loop_defer(eddy_loop_t *loop, eddy_defer_cb cb, void *arg) {
    eddy_defer_t *d = loop->defer_free;
    if (d)
        loop->defer_free = d->next;
    else
        d = eddy_malloc(sizeof *d);
    d->cb = cb;
    d->arg = arg;
    d->next = NULL;
    if (loop->defer_tail)
        loop->defer_tail->next = d;
    else
        loop->defer_head = d;
    loop->defer_tail = d;
}

void eddy__defer_run(eddy_loop_t *loop) {
    /* Detach the queue first: whatever the callbacks defer lands on a fresh
     * queue for the next pass, so a self-re-deferring callback cannot
     * starve io and timers. */
    eddy_defer_t *d = loop->defer_head;
    loop->defer_head = loop->defer_tail = NULL;
    while (d) {
        eddy_defer_t *next = d->next;
        eddy_defer_cb cb = d->cb;
        void *arg = d->arg;
        d->next = loop->defer_free; /* recycled before the call: cb may defer */
        loop->defer_free = d;
        cb(arg);
        d = next;
    }
}

static void free_list(eddy_defer_t *d) {
    while (d) {
        eddy_defer_t *next = d->next;
        eddy_free(d);
        d = next;
    }
}

void eddy__defer_close(eddy_loop_t *loop) {
    free_list(loop->defer_head);
    free_list(loop->defer_free);
    loop->defer_head = loop->defer_tail = loop->defer_free = NULL;
}
