/*
 * Channels: a bounded ring of pointers with two FIFO wait queues, after
 * Swoole's Coroutine\Channel.
 *
 * Invariants between calls (single thread, so only wakes can break them):
 *   - consumers wait only while the ring is empty: a push hands its item
 *     straight to the first waiting consumer instead of queueing it;
 *   - producers wait only while the ring is full: a pop that frees a slot
 *     moves the first waiting producer's item into it.
 * Handing over before waking keeps FIFO order among waiters and means a
 * woken coroutine never has to race for the item it was woken for.
 *
 * eddy_coro_wake() switches to the woken coroutine at once, and that
 * coroutine may push, pop, close or even free the channel before control
 * comes back. So every path finishes updating the channel before it wakes
 * anyone and never touches the channel after a wake or after its own wait
 * returns.
 */
#include <stdint.h>
#include <string.h>

#include "eddy/chan.h"

struct eddy_chan_s {
    eddy_waitq_t producers; /* waiters in push; w->data is their item */
    eddy_waitq_t consumers; /* waiters in pop; w->data receives the item */
    size_t capacity;
    size_t head;            /* index of the oldest item */
    size_t count;           /* items queued */
    int closed;
    void *ring[];           /* capacity slots, allocated with the struct */
};

/* ---- ring ---------------------------------------------------------------- */

static void ring_put(eddy_chan_t *ch, void *item) {
    size_t tail = ch->head + ch->count;
    if (tail >= ch->capacity) tail -= ch->capacity; /* cheaper than % */
    ch->ring[tail] = item;
    ch->count++;
}

static void *ring_take(eddy_chan_t *ch) {
    void *item = ch->ring[ch->head];
    if (++ch->head == ch->capacity) ch->head = 0;
    ch->count--;
    return item;
}

/* ---- waiting ------------------------------------------------------------- */

/* on_abort for timeout and cancel: the waiter leaves whichever queue holds
 * it, so no later push or pop hands an item to a coroutine that is gone. */
static void unlink_waiter(eddy_wait_t *w) {
    eddy_waitq_remove(w);
}

/* Queues the caller on q and suspends it. The wait may fail at once (the
 * coroutine was already canceled) without on_abort running, hence the
 * final remove, a no-op once the waiter was shifted or unlinked.
 *
 * w needs only `data` set: eddy_waitq_push fills the links and
 * eddy_coro_wait the rest. Zero-filling the ~100-byte waiter cost a
 * fifth of a channel round trip (rep stos in the profile). */
static int wait_on(eddy_waitq_t *q, eddy_wait_t *w, int64_t timeout_ms) {
    if (timeout_ms < 0) timeout_ms = EDDY_WAIT_FOREVER;
    eddy_waitq_push(q, w);
    int rc = eddy_coro_wait(w, timeout_ms, unlink_waiter);
    eddy_waitq_remove(w);
    return rc;
}

/* Whether a call that has to block may do so; 0 when it may. */
static int check_block(int64_t timeout_ms) {
    if (timeout_ms == 0) return EDDY_ETIMEDOUT;
    if (eddy_coro_current() == NULL) return EDDY_ECO_OUT_OF_COROUTINE;
    return 0;
}

/* Moves every waiter of `from` to the caller's `to`, in order. Waking runs
 * each woken coroutine at once, and it may use the channel again, close or
 * free it, or cancel another waiter (whose on_abort then unlinks it from
 * `to`): so close detaches all its waiters before waking the first. */
static void detach(eddy_waitq_t *from, eddy_waitq_t *to) {
    eddy_wait_t *w;
    while ((w = eddy_waitq_shift(from)) != NULL) eddy_waitq_push(to, w);
}

static void wake_all(eddy_waitq_t *q, int result) {
    eddy_wait_t *w;
    while ((w = eddy_waitq_shift(q)) != NULL) eddy_coro_wake(w, result);
}

/* ---- lifecycle ----------------------------------------------------------- */

eddy_chan_t *eddy_chan_new(size_t capacity) {
    if (capacity == 0) return NULL;
    if (capacity > (SIZE_MAX - sizeof(eddy_chan_t)) / sizeof(void *)) return NULL;
    eddy_chan_t *ch = eddy_malloc(sizeof(*ch) + capacity * sizeof(void *));
    memset(ch, 0, sizeof(*ch));
    ch->capacity = capacity;
    return ch;
}

int eddy_chan_close(eddy_chan_t *ch) {
    if (ch->closed) return EDDY_EWRONG_OP;
    ch->closed = 1;
    eddy_waitq_t producers = {0}, consumers = {0};
    detach(&ch->producers, &producers);
    detach(&ch->consumers, &consumers);
    /* From here on ch may be freed by a woken coroutine. Queued items stay
     * poppable, so only waiting consumers are drained: a consumer waits
     * only while the ring is empty. */
    wake_all(&producers, EDDY_ECHAN_CLOSED);
    wake_all(&consumers, EDDY_ECHAN_DRAINED);
    return 0;
}

/* Waiters are woken (and run) with the close codes before the memory goes,
 * so none is left suspended on freed memory; they must not touch the
 * channel again, as with any freed object. */
void eddy_chan_free(eddy_chan_t *ch) {
    if (ch == NULL) return;
    eddy_chan_close(ch);
    eddy_free(ch);
}

/* ---- I/O ----------------------------------------------------------------- */

int eddy_chan_push(eddy_chan_t *ch, void *item, int64_t timeout_ms) {
    if (ch->closed) return EDDY_ECHAN_CLOSED;
    eddy_wait_t *w = eddy_waitq_shift(&ch->consumers);
    if (w != NULL) {
        w->data = item;
        eddy_coro_wake(w, 0);
        return 0;
    }
    if (ch->count < ch->capacity) {
        ring_put(ch, item);
        return 0;
    }
    int rc = check_block(timeout_ms);
    if (rc != 0) return rc;
    eddy_wait_t self; /* see wait_on: no zero-fill on the hot path */
    self.data = item;
    /* 0 means a pop moved our item into the ring before waking us. */
    return wait_on(&ch->producers, &self, timeout_ms);
}

/* Takes the oldest item; if that freed a slot a producer waits for, the
 * producer's item fills it before the producer is woken. */
static void *take(eddy_chan_t *ch) {
    void *item = ring_take(ch);
    eddy_wait_t *w = eddy_waitq_shift(&ch->producers);
    if (w != NULL) {
        ring_put(ch, w->data);
        eddy_coro_wake(w, 0);
    }
    return item;
}

int eddy_chan_pop(eddy_chan_t *ch, void **item, int64_t timeout_ms) {
    if (ch->count > 0) {
        *item = take(ch);
        return 0;
    }
    if (ch->closed) return EDDY_ECHAN_DRAINED;
    int rc = check_block(timeout_ms);
    if (rc != 0) return rc;
    eddy_wait_t self; /* see wait_on: no zero-fill on the hot path */
    self.data = NULL;
    rc = wait_on(&ch->consumers, &self, timeout_ms);
    if (rc == 0) *item = self.data; /* handed over by a push */
    return rc;
}

/* ---- status -------------------------------------------------------------- */

size_t eddy_chan_length(const eddy_chan_t *ch) {
    return ch->count;
}

size_t eddy_chan_capacity(const eddy_chan_t *ch) {
    return ch->capacity;
}

int eddy_chan_is_closed(const eddy_chan_t *ch) {
    return ch->closed;
}

void eddy_chan_stats(const eddy_chan_t *ch, eddy_chan_stats_t *st) {
    st->consumer_num = ch->consumers.len;
    st->producer_num = ch->producers.len;
    st->queue_num = ch->count;
}
