/*
 * Channels and wait groups (include/eddy/chan.h).
 *
 * Every test builds its coroutines from the root, runs the default loop
 * until nothing is left and closes it, so LeakSanitizer sees a clean exit.
 * A test that leaves a coroutine blocked forever fails on the loop
 * draining with results unset, not by hanging.
 *
 * No per-test .timeout: with --jobs 2, Criterion 2.4.1 leaks 48 bytes in
 * its runner when two tests with their own timeout overlap, and LSan then
 * fails the whole binary. ctest's --timeout 60 bounds every test instead.
 */
#include "eddy_test.h"
#include <stdint.h>
#include <string.h>

#include "eddy/chan.h"
#include "eddy/loop.h"

#define ITEM(n) ((void *)(uintptr_t)(n))
#define UNSET 12345 /* a result no call returns */

static void run_loop(void) {
    cr_assert_eq(eddy_loop_run(eddy_loop_default()), 0);
    eddy_loop_default_close();
}

static int64_t go(eddy_coro_fn fn, void *arg) {
    int64_t cid = eddy_coro_create(fn, arg);
    cr_assert_gt(cid, 0, "eddy_coro_create: %s", eddy_strerror((int)cid));
    return cid;
}

/* One blocking call made inside a coroutine, with its outcome. */
typedef struct {
    eddy_chan_t *ch;
    eddy_wg_t *wg;
    void *item;
    int64_t timeout_ms;
    int rc;
    uint64_t elapsed_ms;
} call_t;

static call_t call(eddy_chan_t *ch, void *item, int64_t timeout_ms) {
    return (call_t){.ch = ch, .item = item, .timeout_ms = timeout_ms, .rc = UNSET};
}

static void do_pop(void *arg) {
    call_t *c = arg;
    uint64_t t0 = eddy_now_ms();
    c->rc = eddy_chan_pop(c->ch, &c->item, c->timeout_ms);
    c->elapsed_ms = eddy_now_ms() - t0;
}

static void do_push(void *arg) {
    call_t *c = arg;
    uint64_t t0 = eddy_now_ms();
    c->rc = eddy_chan_push(c->ch, c->item, c->timeout_ms);
    c->elapsed_ms = eddy_now_ms() - t0;
}

static void do_wg_wait(void *arg) {
    call_t *c = arg;
    uint64_t t0 = eddy_now_ms();
    c->rc = eddy_wg_wait(c->wg, c->timeout_ms);
    c->elapsed_ms = eddy_now_ms() - t0;
}

/* ---- many producers and consumers ---------------------------------------- */

#define PC_PRODUCERS 50
#define PC_ITEMS 2000
#define PC_CONSUMERS 20
#define PC_TOTAL (PC_PRODUCERS * PC_ITEMS)

static struct {
    eddy_chan_t *ch;
    eddy_wg_t producing;
    unsigned char seen[PC_TOTAL];
    size_t received;
    int errors;
    int consumers_done; /* ended with DRAINED: none left stuck in pop */
    int ids[PC_PRODUCERS];
} pc;

/* Items are id + 1 so that no item is NULL and a lost one shows as 0. */
static void producer(void *arg) {
    int p = *(int *)arg;
    for (int i = 0; i < PC_ITEMS; i++) {
        if (eddy_chan_push(pc.ch, ITEM(p * PC_ITEMS + i + 1), EDDY_WAIT_FOREVER) != 0)
            pc.errors++;
        /* Sleep now and then so the loop's timers reorder the producers. */
        if (i % 500 == 499) eddy_coro_sleep(1);
    }
    eddy_wg_done(&pc.producing);
}

static void consumer(void *arg) {
    (void)arg;
    void *item;
    int rc;
    for (size_t n = 1; (rc = eddy_chan_pop(pc.ch, &item, EDDY_WAIT_FOREVER)) == 0; n++) {
        uintptr_t id = (uintptr_t)item;
        if (id == 0 || id > PC_TOTAL) pc.errors++;
        else pc.seen[id - 1]++;
        pc.received++;
        if (n % 1000 == 0) eddy_coro_sleep(1); /* let the ring fill up */
    }
    if (rc != EDDY_ECHAN_DRAINED) pc.errors++;
    pc.consumers_done++;
}

static void closer(void *arg) {
    (void)arg;
    if (eddy_wg_wait(&pc.producing, EDDY_WAIT_FOREVER) != 0) pc.errors++;
    if (eddy_chan_close(pc.ch) != 0) pc.errors++;
}

EDDY_TEST(chan, many_producers_and_consumers_deliver_every_item_exactly_once) {
    pc.ch = eddy_chan_new(8);
    eddy_wg_init(&pc.producing);
    eddy_wg_add(&pc.producing, PC_PRODUCERS);
    go(closer, NULL);
    for (int c = 0; c < PC_CONSUMERS; c++) go(consumer, NULL);
    for (int p = 0; p < PC_PRODUCERS; p++) {
        pc.ids[p] = p;
        go(producer, &pc.ids[p]);
    }
    run_loop();
    cr_assert_eq(pc.errors, 0);
    cr_assert_eq(pc.received, PC_TOTAL);
    cr_assert_eq(pc.consumers_done, PC_CONSUMERS);
    cr_assert_eq(pc.producing.count, 0);
    for (size_t i = 0; i < PC_TOTAL; i++)
        cr_assert_eq(pc.seen[i], 1, "item %zu received %d times", i + 1, pc.seen[i]);
    cr_assert_eq(eddy_chan_length(pc.ch), 0);
    eddy_chan_free(pc.ch);
}

/* ---- timeouts ---------------------------------------------------------- */

EDDY_TEST(chan, pop_on_empty_times_out_after_the_given_time) {
    eddy_chan_t *ch = eddy_chan_new(1);
    call_t c = call(ch, NULL, 50);
    go(do_pop, &c);
    run_loop();
    cr_assert_eq(c.rc, EDDY_ETIMEDOUT, "rc %d", c.rc);
    cr_assert_null(c.item, "item untouched on error");
    cr_assert_geq(c.elapsed_ms, 50);
    cr_assert_lt(c.elapsed_ms, 1000);
    eddy_chan_stats_t st;
    eddy_chan_stats(ch, &st);
    cr_assert_eq(st.consumer_num, 0, "the timed-out consumer left the queue");
    eddy_chan_free(ch);
}

EDDY_TEST(chan, push_on_full_times_out_and_keeps_the_queue) {
    eddy_chan_t *ch = eddy_chan_new(1);
    cr_assert_eq(eddy_chan_push(ch, ITEM(1), 0), 0);
    call_t c = call(ch, ITEM(2), 50);
    go(do_push, &c);
    run_loop();
    cr_assert_eq(c.rc, EDDY_ETIMEDOUT, "rc %d", c.rc);
    cr_assert_geq(c.elapsed_ms, 50);
    cr_assert_lt(c.elapsed_ms, 1000);
    void *item = NULL;
    cr_assert_eq(eddy_chan_pop(ch, &item, 0), 0);
    cr_assert_eq(item, ITEM(1));
    cr_assert_eq(eddy_chan_pop(ch, &item, 0), EDDY_ETIMEDOUT, "the timed-out item was not queued");
    eddy_chan_free(ch);
}

EDDY_TEST(chan, zero_timeout_fails_at_once_instead_of_blocking) {
    eddy_chan_t *ch = eddy_chan_new(1);
    void *item = ITEM(7);
    cr_assert_eq(eddy_chan_pop(ch, &item, 0), EDDY_ETIMEDOUT);
    cr_assert_eq(item, ITEM(7));
    cr_assert_eq(eddy_chan_push(ch, ITEM(1), 0), 0);
    cr_assert_eq(eddy_chan_push(ch, ITEM(2), 0), EDDY_ETIMEDOUT);
    eddy_chan_free(ch);
    eddy_loop_default_close();
}

/* ---- ordering ------------------------------------------------------------ */

EDDY_TEST(chan, waiting_consumers_receive_items_in_arrival_order) {
    eddy_chan_t *ch = eddy_chan_new(4);
    call_t c[3];
    for (int i = 0; i < 3; i++) {
        c[i] = call(ch, NULL, EDDY_WAIT_FOREVER);
        go(do_pop, &c[i]);
    }
    for (uintptr_t i = 1; i <= 3; i++) cr_assert_eq(eddy_chan_push(ch, ITEM(i), 0), 0);
    cr_assert_eq(eddy_chan_length(ch), 0, "items went straight to the waiters");
    run_loop();
    for (int i = 0; i < 3; i++) {
        cr_assert_eq(c[i].rc, 0);
        cr_assert_eq(c[i].item, ITEM(i + 1));
    }
    eddy_chan_free(ch);
}

EDDY_TEST(chan, waiting_producers_enqueue_in_arrival_order) {
    eddy_chan_t *ch = eddy_chan_new(1);
    cr_assert_eq(eddy_chan_push(ch, ITEM(1), 0), 0);
    call_t c[3];
    for (int i = 0; i < 3; i++) {
        c[i] = call(ch, ITEM(i + 2), EDDY_WAIT_FOREVER);
        go(do_push, &c[i]);
    }
    for (uintptr_t want = 1; want <= 4; want++) {
        void *item = NULL;
        cr_assert_eq(eddy_chan_pop(ch, &item, 0), 0);
        cr_assert_eq(item, ITEM(want));
        cr_assert_eq(eddy_chan_length(ch), want < 4 ? 1 : 0, "a producer refilled the slot");
    }
    run_loop();
    for (int i = 0; i < 3; i++) cr_assert_eq(c[i].rc, 0);
    eddy_chan_free(ch);
}

EDDY_TEST(chan, ring_wraps_around_keeping_fifo_order) {
    eddy_chan_t *ch = eddy_chan_new(3);
    uintptr_t next_in = 1, next_out = 1;
    for (int round = 0; round < 10; round++) {
        while (eddy_chan_push(ch, ITEM(next_in), 0) == 0) next_in++;
        for (int k = 0; k < 2; k++) {
            void *item = NULL;
            cr_assert_eq(eddy_chan_pop(ch, &item, 0), 0);
            cr_assert_eq(item, ITEM(next_out++));
        }
    }
    eddy_chan_free(ch);
    eddy_loop_default_close();
}

/* ---- close --------------------------------------------------------------- */

EDDY_TEST(chan, close_wakes_waiting_consumer_with_drained) {
    eddy_chan_t *ch = eddy_chan_new(1);
    call_t c = call(ch, NULL, EDDY_WAIT_FOREVER);
    go(do_pop, &c);
    cr_assert_eq(eddy_chan_close(ch), 0);
    run_loop();
    cr_assert_eq(c.rc, EDDY_ECHAN_DRAINED, "rc %d", c.rc);
    cr_assert_null(c.item);
    eddy_chan_free(ch);
}

EDDY_TEST(chan, close_wakes_waiting_producer_with_closed) {
    eddy_chan_t *ch = eddy_chan_new(1);
    cr_assert_eq(eddy_chan_push(ch, ITEM(1), 0), 0);
    call_t c = call(ch, ITEM(2), EDDY_WAIT_FOREVER);
    go(do_push, &c);
    cr_assert_eq(eddy_chan_close(ch), 0);
    run_loop();
    cr_assert_eq(c.rc, EDDY_ECHAN_CLOSED, "rc %d", c.rc);
    void *item = NULL;
    cr_assert_eq(eddy_chan_pop(ch, &item, 0), 0, "the item queued before close survives");
    cr_assert_eq(item, ITEM(1));
    cr_assert_eq(eddy_chan_pop(ch, &item, 0), EDDY_ECHAN_DRAINED);
    eddy_chan_free(ch);
}

EDDY_TEST(chan, items_queued_before_close_can_still_be_popped) {
    eddy_chan_t *ch = eddy_chan_new(4);
    for (uintptr_t i = 1; i <= 3; i++) cr_assert_eq(eddy_chan_push(ch, ITEM(i), 0), 0);
    cr_assert_eq(eddy_chan_close(ch), 0);
    cr_assert(eddy_chan_is_closed(ch));
    /* A coroutine blocking forever gets the items without waiting. */
    call_t c[4];
    for (int i = 0; i < 4; i++) {
        c[i] = call(ch, NULL, EDDY_WAIT_FOREVER);
        go(do_pop, &c[i]);
    }
    run_loop();
    for (int i = 0; i < 3; i++) {
        cr_assert_eq(c[i].rc, 0);
        cr_assert_eq(c[i].item, ITEM(i + 1));
    }
    cr_assert_eq(c[3].rc, EDDY_ECHAN_DRAINED);
    eddy_chan_free(ch);
}

EDDY_TEST(chan, push_and_pop_on_closed_channel_return_distinct_errors) {
    eddy_chan_t *ch = eddy_chan_new(2);
    cr_assert_eq(eddy_chan_close(ch), 0);
    cr_assert_neq(EDDY_ECHAN_CLOSED, EDDY_ECHAN_DRAINED);
    cr_assert_eq(eddy_chan_push(ch, ITEM(1), EDDY_WAIT_FOREVER), EDDY_ECHAN_CLOSED);
    cr_assert_eq(eddy_chan_push(ch, ITEM(1), 0), EDDY_ECHAN_CLOSED);
    void *item = NULL;
    cr_assert_eq(eddy_chan_pop(ch, &item, EDDY_WAIT_FOREVER), EDDY_ECHAN_DRAINED);
    cr_assert_eq(eddy_chan_pop(ch, &item, 0), EDDY_ECHAN_DRAINED);
    cr_assert_null(item);
    cr_assert_eq(eddy_chan_close(ch), EDDY_EWRONG_OP, "closing twice");
    eddy_chan_free(ch);
    eddy_loop_default_close();
}

/* Freeing a channel while coroutines wait: they wake with the close codes
 * (and run) before the memory goes. */
EDDY_TEST(chan, free_wakes_waiters_with_close_codes_before_releasing) {
    eddy_chan_t *empty = eddy_chan_new(1), *full = eddy_chan_new(1);
    cr_assert_eq(eddy_chan_push(full, ITEM(1), 0), 0);
    call_t pop = call(empty, NULL, EDDY_WAIT_FOREVER);
    call_t push = call(full, ITEM(2), EDDY_WAIT_FOREVER);
    go(do_pop, &pop);
    go(do_push, &push);
    eddy_chan_free(empty);
    eddy_chan_free(full);
    cr_assert_eq(pop.rc, EDDY_ECHAN_DRAINED, "woken inside free, rc %d", pop.rc);
    cr_assert_eq(push.rc, EDDY_ECHAN_CLOSED, "woken inside free, rc %d", push.rc);
    run_loop();
}

/* The first consumer woken by close frees the channel; close must not
 * touch it after that first wake (ASan would report the use after free),
 * yet the other waiters still wake with DRAINED. */
static void pop_then_free(void *arg) {
    call_t *c = arg;
    c->rc = eddy_chan_pop(c->ch, &c->item, EDDY_WAIT_FOREVER);
    eddy_chan_free(c->ch);
}

EDDY_TEST(chan, waiter_woken_by_close_may_free_the_channel) {
    eddy_chan_t *ch = eddy_chan_new(1);
    call_t first = call(ch, NULL, EDDY_WAIT_FOREVER), rest[2];
    go(pop_then_free, &first);
    for (int i = 0; i < 2; i++) {
        rest[i] = call(ch, NULL, EDDY_WAIT_FOREVER);
        go(do_pop, &rest[i]);
    }
    cr_assert_eq(eddy_chan_close(ch), 0);
    run_loop();
    cr_assert_eq(first.rc, EDDY_ECHAN_DRAINED);
    for (int i = 0; i < 2; i++) cr_assert_eq(rest[i].rc, EDDY_ECHAN_DRAINED);
}

/* ---- cancel -------------------------------------------------------------- */

EDDY_TEST(chan, cancel_of_waiting_pop_returns_canceled_and_channel_stays_usable) {
    eddy_chan_t *ch = eddy_chan_new(1);
    call_t victim = call(ch, NULL, EDDY_WAIT_FOREVER);
    int64_t cid = go(do_pop, &victim);
    cr_assert_eq(eddy_coro_cancel(cid), 0);
    run_loop();
    cr_assert_eq(victim.rc, EDDY_ECANCELED, "rc %d", victim.rc);
    eddy_chan_stats_t st;
    eddy_chan_stats(ch, &st);
    cr_assert_eq(st.consumer_num, 0, "the canceled consumer left the queue");

    /* The next push is queued, not handed to the canceled coroutine. */
    cr_assert_eq(eddy_chan_push(ch, ITEM(1), 0), 0);
    cr_assert_eq(eddy_chan_length(ch), 1);
    call_t later = call(ch, NULL, EDDY_WAIT_FOREVER);
    go(do_pop, &later);
    call_t waiter = call(ch, NULL, EDDY_WAIT_FOREVER);
    go(do_pop, &waiter);
    cr_assert_eq(eddy_chan_push(ch, ITEM(2), 0), 0);
    run_loop();
    cr_assert_eq(later.rc, 0);
    cr_assert_eq(later.item, ITEM(1));
    cr_assert_eq(waiter.rc, 0);
    cr_assert_eq(waiter.item, ITEM(2));
    eddy_chan_free(ch);
}

/* ---- outside coroutines --------------------------------------------------- */

EDDY_TEST(chan, blocking_outside_coroutine_fails_but_nonblocking_calls_work) {
    eddy_chan_t *ch = eddy_chan_new(1);
    void *item = NULL;
    cr_assert_eq(eddy_chan_pop(ch, &item, EDDY_WAIT_FOREVER), EDDY_ECO_OUT_OF_COROUTINE);
    cr_assert_eq(eddy_chan_pop(ch, &item, 100), EDDY_ECO_OUT_OF_COROUTINE);
    cr_assert_eq(eddy_chan_push(ch, ITEM(1), EDDY_WAIT_FOREVER), 0, "room: no need to block");
    cr_assert_eq(eddy_chan_push(ch, ITEM(2), EDDY_WAIT_FOREVER), EDDY_ECO_OUT_OF_COROUTINE);
    cr_assert_eq(eddy_chan_length(ch), 1);
    cr_assert_eq(eddy_chan_pop(ch, &item, EDDY_WAIT_FOREVER), 0, "queued: no need to block");
    cr_assert_eq(item, ITEM(1));

    eddy_wg_t wg;
    eddy_wg_init(&wg);
    cr_assert_eq(eddy_wg_wait(&wg, EDDY_WAIT_FOREVER), 0, "zero: no need to block");
    eddy_wg_add(&wg, 1);
    cr_assert_eq(eddy_wg_wait(&wg, EDDY_WAIT_FOREVER), EDDY_ECO_OUT_OF_COROUTINE);
    eddy_chan_free(ch);
    eddy_loop_default_close();
}

/* ---- status ----------------------------------------------------------- */

EDDY_TEST(chan, stats_count_waiters_and_queued_items) {
    cr_assert_null(eddy_chan_new(0));
    eddy_chan_t *ch = eddy_chan_new(2);
    cr_assert_eq(eddy_chan_capacity(ch), 2);
    cr_assert_eq(eddy_chan_length(ch), 0);
    cr_assert_not(eddy_chan_is_closed(ch));

    call_t pops[3], pushes[2];
    for (int i = 0; i < 3; i++) {
        pops[i] = call(ch, NULL, EDDY_WAIT_FOREVER);
        go(do_pop, &pops[i]);
    }
    eddy_chan_stats_t st;
    eddy_chan_stats(ch, &st);
    cr_assert_eq(st.consumer_num, 3);
    cr_assert_eq(st.producer_num, 0);
    cr_assert_eq(st.queue_num, 0);
    for (uintptr_t i = 1; i <= 3; i++) eddy_chan_push(ch, ITEM(i), 0);

    for (uintptr_t i = 4; i <= 5; i++) eddy_chan_push(ch, ITEM(i), 0);
    for (int i = 0; i < 2; i++) {
        pushes[i] = call(ch, ITEM(6 + i), EDDY_WAIT_FOREVER);
        go(do_push, &pushes[i]);
    }
    eddy_chan_stats(ch, &st);
    cr_assert_eq(st.consumer_num, 0);
    cr_assert_eq(st.producer_num, 2);
    cr_assert_eq(st.queue_num, 2);
    cr_assert_eq(eddy_chan_length(ch), 2);
    cr_assert_eq(eddy_chan_capacity(ch), 2);

    void *item;
    while (eddy_chan_pop(ch, &item, 0) == 0) continue;
    run_loop();
    eddy_chan_stats(ch, &st);
    cr_assert_eq(st.consumer_num + st.producer_num + st.queue_num, 0);
    eddy_chan_free(ch);
}

/* ---- wait group -------------------------------------------------------------- */

#define WG_WORKERS 10

static struct {
    eddy_wg_t wg;
    int done;
    int delays[WG_WORKERS];
} wgt;

static void worker(void *arg) {
    eddy_coro_sleep((uint64_t)*(int *)arg);
    wgt.done++;
    eddy_wg_done(&wgt.wg);
}

static void wait_for_workers(void *arg) {
    call_t *c = arg;
    c->rc = eddy_wg_wait(&wgt.wg, EDDY_WAIT_FOREVER);
    c->item = ITEM(wgt.done); /* how many had finished when we woke */
}

EDDY_TEST(wg, wait_returns_when_every_coroutine_called_done) {
    eddy_wg_init(&wgt.wg);
    call_t waiters[2] = {call(NULL, NULL, 0), call(NULL, NULL, 0)};
    cr_assert_eq(eddy_wg_add(&wgt.wg, WG_WORKERS), 0);
    for (int i = 0; i < 2; i++) go(wait_for_workers, &waiters[i]);
    for (int i = 0; i < WG_WORKERS; i++) {
        wgt.delays[i] = (i * 7) % 5 + 1;
        go(worker, &wgt.delays[i]);
    }
    run_loop();
    for (int i = 0; i < 2; i++) {
        cr_assert_eq(waiters[i].rc, 0);
        cr_assert_eq(waiters[i].item, ITEM(WG_WORKERS), "woke only after the last done");
    }
    cr_assert_eq(wgt.wg.count, 0);
}

EDDY_TEST(wg, wait_times_out_while_count_stays_above_zero) {
    eddy_wg_t wg;
    eddy_wg_init(&wg);
    eddy_wg_add(&wg, 1);
    call_t c = call(NULL, NULL, 50);
    c.wg = &wg;
    go(do_wg_wait, &c);
    run_loop();
    cr_assert_eq(c.rc, EDDY_ETIMEDOUT, "rc %d", c.rc);
    cr_assert_geq(c.elapsed_ms, 50);
    cr_assert_lt(c.elapsed_ms, 1000);
    cr_assert_eq(eddy_wg_wait(&wg, 0), EDDY_ETIMEDOUT);
    cr_assert_eq(eddy_wg_done(&wg), 0, "done after a timed-out wait wakes no one");
    cr_assert_eq(eddy_wg_wait(&wg, 0), 0);
    eddy_loop_default_close();
}

EDDY_TEST(wg, add_below_zero_is_einval_and_leaves_count) {
    eddy_wg_t wg;
    eddy_wg_init(&wg);
    cr_assert_eq(eddy_wg_done(&wg), EDDY_EINVAL);
    cr_assert_eq(wg.count, 0);
    cr_assert_eq(eddy_wg_add(&wg, 2), 0);
    cr_assert_eq(eddy_wg_add(&wg, -3), EDDY_EINVAL);
    cr_assert_eq(wg.count, 2);
    cr_assert_eq(eddy_wg_add(&wg, INT64_MAX), EDDY_EINVAL, "overflow");
    cr_assert_eq(eddy_wg_add(&wg, -2), 0);
    cr_assert_eq(wg.count, 0);
    eddy_loop_default_close();
}

EDDY_TEST(wg, cancel_of_waiter_returns_canceled) {
    eddy_wg_t wg;
    eddy_wg_init(&wg);
    eddy_wg_add(&wg, 1);
    call_t c = call(NULL, NULL, EDDY_WAIT_FOREVER);
    c.wg = &wg;
    int64_t cid = go(do_wg_wait, &c);
    cr_assert_eq(eddy_coro_cancel(cid), 0);
    run_loop();
    cr_assert_eq(c.rc, EDDY_ECANCELED, "rc %d", c.rc);
    cr_assert_eq(wg.waiters.len, 0);
    cr_assert_eq(eddy_wg_done(&wg), 0);
}
