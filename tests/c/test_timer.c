/*
 * Timers (include/eddy/timer.h): deadline order, FIFO among equal
 * deadlines, periodic re-arm, stop and restart from any callback.
 *
 * Each test owns a loop on its stack and closes it, so LeakSanitizer sees a
 * clean exit. Every run is bounded: periodic timers stop themselves after a
 * fixed count, and Criterion kills a test that outlives its timeout.
 */
#include "eddy_test.h"
#include <stdlib.h>

#include "eddy/loop.h"
#include "eddy/timer.h"

#define MAXLOG 64

static int fired[MAXLOG];
static int nfired;

static void record(eddy_timer_t *t) {
    if (nfired < MAXLOG) fired[nfired++] = (int)(intptr_t)t->data;
}

static void start(eddy_loop_t *loop, eddy_timer_t *t, int id, eddy_timer_cb cb, uint64_t ms,
                  uint64_t repeat) {
    eddy_timer_init(loop, t, cb);
    t->data = (void *)(intptr_t)id;
    eddy_timer_start(t, ms, repeat);
}

EDDY_TEST(timer, fires_in_deadline_order, .timeout = 10) {
    eddy_loop_t loop;
    eddy_timer_t t[4];
    cr_assert_eq(eddy_loop_init(&loop), 0);
    nfired = 0;
    start(&loop, &t[0], 30, record, 30, 0);
    start(&loop, &t[1], 10, record, 10, 0);
    start(&loop, &t[2], 20, record, 20, 0);
    start(&loop, &t[3], 0, record, 0, 0);
    cr_assert_eq(eddy_timer_count(&loop), 4);
    cr_assert_eq(eddy_loop_run(&loop), 0);
    cr_assert_eq(nfired, 4);
    cr_assert_eq(fired[0], 0);
    cr_assert_eq(fired[1], 10);
    cr_assert_eq(fired[2], 20);
    cr_assert_eq(fired[3], 30);
    cr_assert_eq(eddy_timer_count(&loop), 0);
    eddy_loop_close(&loop);
}

EDDY_TEST(timer, equal_deadlines_fire_in_start_order, .timeout = 10) {
    eddy_loop_t loop;
    eddy_timer_t t[20];
    cr_assert_eq(eddy_loop_init(&loop), 0);
    nfired = 0;
    for (int i = 0; i < 20; i++) start(&loop, &t[i], i, record, 5, 0);
    cr_assert_eq(eddy_loop_run(&loop), 0);
    cr_assert_eq(nfired, 20);
    for (int i = 0; i < 20; i++) cr_assert_eq(fired[i], i, "position %d fired %d", i, fired[i]);
    eddy_loop_close(&loop);
}

EDDY_TEST(timer, never_fires_before_its_timeout, .timeout = 10) {
    eddy_loop_t loop;
    eddy_timer_t t;
    cr_assert_eq(eddy_loop_init(&loop), 0);
    nfired = 0;
    uint64_t t0 = eddy_now_ns();
    start(&loop, &t, 1, record, 20, 0);
    cr_assert_eq(eddy_loop_run(&loop), 0);
    /* Millisecond resolution: the start may fall late in its ms. */
    cr_assert_geq(eddy_now_ns() - t0, 19000000ull);
    cr_assert_eq(nfired, 1);
    eddy_loop_close(&loop);
}

static int periodic_count;

static void periodic_stop_at_5(eddy_timer_t *t) {
    if (++periodic_count == 5) eddy_timer_stop(t);
}

EDDY_TEST(timer, periodic_fires_expected_number_of_times, .timeout = 10) {
    eddy_loop_t loop;
    eddy_timer_t t;
    cr_assert_eq(eddy_loop_init(&loop), 0);
    periodic_count = 0;
    uint64_t t0 = eddy_now_ms();
    start(&loop, &t, 1, periodic_stop_at_5, 10, 10);
    cr_assert_eq(eddy_loop_run(&loop), 0);
    uint64_t elapsed = eddy_now_ms() - t0;
    cr_assert_eq(periodic_count, 5);
    cr_assert_geq(elapsed, 49);
    cr_assert_lt(elapsed, 2000);
    cr_assert_not(eddy_timer_active(&t));
    eddy_loop_close(&loop);
}

static eddy_timer_t ticker;
static int ticks;

static void tick(eddy_timer_t *t) {
    (void)t;
    ticks++;
}

static void stop_ticker(eddy_timer_t *t) {
    (void)t;
    eddy_timer_stop(&ticker);
}

EDDY_TEST(timer, periodic_count_matches_elapsed_periods, .timeout = 10) {
    eddy_loop_t loop;
    eddy_timer_t stopper;
    cr_assert_eq(eddy_loop_init(&loop), 0);
    ticks = 0;
    start(&loop, &ticker, 1, tick, 20, 20);
    start(&loop, &stopper, 2, stop_ticker, 110, 0);
    cr_assert_eq(eddy_loop_run(&loop), 0);
    /* 20, 40, 60, 80, 100 ms; a slow sanitized run may skip a late tick. */
    cr_assert(ticks >= 4 && ticks <= 5, "ticks = %d", ticks);
    eddy_loop_close(&loop);
}

static void stop_self(eddy_timer_t *t) {
    periodic_count++;
    eddy_timer_stop(t);
}

EDDY_TEST(timer, periodic_stopping_itself_in_callback_is_not_rearmed, .timeout = 10) {
    eddy_loop_t loop;
    eddy_timer_t t;
    cr_assert_eq(eddy_loop_init(&loop), 0);
    periodic_count = 0;
    start(&loop, &t, 1, stop_self, 1, 1);
    cr_assert_eq(eddy_loop_run(&loop), 0); /* returns: nothing re-armed */
    cr_assert_eq(periodic_count, 1);
    cr_assert_not(eddy_timer_active(&t));
    cr_assert_eq(eddy_timer_count(&loop), 0);
    eddy_loop_close(&loop);
}

static eddy_timer_t victim;

static void cancel_victim(eddy_timer_t *t) {
    record(t);
    eddy_timer_stop(&victim);
}

EDDY_TEST(timer, timer_cancelled_by_another_timers_callback_does_not_fire, .timeout = 10) {
    eddy_loop_t loop;
    eddy_timer_t killer, later_killer, later_victim;
    cr_assert_eq(eddy_loop_init(&loop), 0);
    nfired = 0;
    /* Same deadline: both are due in the same pass, the killer first. */
    start(&loop, &killer, 1, cancel_victim, 5, 0);
    start(&loop, &victim, 2, record, 5, 0);
    cr_assert_eq(eddy_loop_run(&loop), 0);
    cr_assert_eq(nfired, 1);
    cr_assert_eq(fired[0], 1);
    /* Later deadline. */
    nfired = 0;
    start(&loop, &later_killer, 3, cancel_victim, 5, 0);
    start(&loop, &victim, 4, record, 30, 0);
    (void)later_victim;
    cr_assert_eq(eddy_loop_run(&loop), 0);
    cr_assert_eq(nfired, 1);
    cr_assert_eq(fired[0], 3);
    eddy_loop_close(&loop);
}

EDDY_TEST(timer, restarting_an_active_timer_rearms_it, .timeout = 10) {
    eddy_loop_t loop;
    eddy_timer_t t;
    cr_assert_eq(eddy_loop_init(&loop), 0);
    nfired = 0;
    uint64_t t0 = eddy_now_ms();
    start(&loop, &t, 1, record, 10, 0);
    eddy_timer_start(&t, 40, 0); /* restart: the 10 ms arming is gone */
    cr_assert_eq(eddy_timer_count(&loop), 1);
    cr_assert_eq(eddy_loop_run(&loop), 0);
    cr_assert_eq(nfired, 1);
    cr_assert_geq(eddy_now_ms() - t0, 39);
    eddy_loop_close(&loop);
}

static void restart_twice(eddy_timer_t *t) {
    record(t);
    if (nfired < 3) eddy_timer_start(t, 1, 0);
}

EDDY_TEST(timer, one_shot_restarted_from_its_callback_fires_again, .timeout = 10) {
    eddy_loop_t loop;
    eddy_timer_t t;
    cr_assert_eq(eddy_loop_init(&loop), 0);
    nfired = 0;
    start(&loop, &t, 7, restart_twice, 1, 0);
    cr_assert_eq(eddy_loop_run(&loop), 0);
    cr_assert_eq(nfired, 3);
    eddy_loop_close(&loop);
}

static int passes;    /* defer passes so far */
static int last_pass; /* the pass the zero timer last fired in */
static int zero_fires;
static int same_pass;

static void count_pass(void *arg) {
    eddy_loop_t *loop = arg;
    passes++;
    if (zero_fires < 50) eddy_loop_defer(loop, count_pass, loop);
}

static void zero_again(eddy_timer_t *t) {
    if (zero_fires > 0 && passes == last_pass) same_pass++;
    last_pass = passes;
    if (++zero_fires < 50) eddy_timer_start(t, 0, 0);
}

EDDY_TEST(timer, zero_timeout_started_in_callback_waits_for_next_pass, .timeout = 10) {
    eddy_loop_t loop;
    eddy_timer_t t;
    cr_assert_eq(eddy_loop_init(&loop), 0);
    eddy_loop_defer(&loop, count_pass, &loop);
    start(&loop, &t, 1, zero_again, 0, 0);
    cr_assert_eq(eddy_loop_run(&loop), 0);
    cr_assert_eq(zero_fires, 50);
    cr_assert_eq(same_pass, 0, "%d re-fires within one pass", same_pass);
    eddy_loop_close(&loop);
}

static void check_heap(const eddy_loop_t *loop) {
    for (size_t i = 0; i < loop->ntimers; i++) {
        const eddy_timer_t *t = loop->timers[i];
        cr_assert_eq(t->heap_index, i);
        if (i == 0) continue;
        const eddy_timer_t *p = loop->timers[(i - 1) / 2];
        cr_assert(p->due < t->due || (p->due == t->due && p->seq < t->seq), "heap order at %zu",
                  i);
    }
}

EDDY_TEST(timer, heap_stays_ordered_under_random_start_and_stop, .timeout = 30) {
    enum { N = 500 };
    eddy_loop_t loop;
    static eddy_timer_t t[N];
    cr_assert_eq(eddy_loop_init(&loop), 0);
    srand(42);
    for (int i = 0; i < N; i++) eddy_timer_init(&loop, &t[i], record);
    size_t active = 0;
    for (int round = 0; round < 5000; round++) {
        eddy_timer_t *x = &t[rand() % N];
        if (rand() % 3 == 0) {
            active -= eddy_timer_active(x) ? 1 : 0;
            eddy_timer_stop(x);
        } else {
            active += eddy_timer_active(x) ? 0 : 1;
            eddy_timer_start(x, (uint64_t)(rand() % 1000) + 1000, 0);
        }
        if (round % 97 == 0) check_heap(&loop);
    }
    check_heap(&loop);
    cr_assert_eq(eddy_timer_count(&loop), active);
    eddy_loop_close(&loop);
    for (int i = 0; i < N; i++) cr_assert_not(eddy_timer_active(&t[i]));
}

static uint64_t last_due;
static int out_of_order;

static void check_order(eddy_timer_t *t) {
    if (t->due < last_due) out_of_order++;
    last_due = t->due;
    nfired++;
}

EDDY_TEST(timer, random_timers_fire_in_due_order_and_stopped_ones_never, .timeout = 10) {
    enum { N = 300 };
    eddy_loop_t loop;
    static eddy_timer_t t[N];
    cr_assert_eq(eddy_loop_init(&loop), 0);
    srand(7);
    nfired = 0;
    int stopped = 0;
    for (int i = 0; i < N; i++) {
        eddy_timer_init(&loop, &t[i], check_order);
        eddy_timer_start(&t[i], (uint64_t)(rand() % 30), 0);
    }
    for (int i = 0; i < N; i += 3, stopped++) eddy_timer_stop(&t[i]);
    cr_assert_eq(eddy_loop_run(&loop), 0);
    cr_assert_eq(nfired, N - stopped);
    cr_assert_eq(out_of_order, 0);
    eddy_loop_close(&loop);
}

EDDY_TEST(timer, stop_is_safe_on_inactive_and_closed_loop_forgets_timers, .timeout = 10) {
    eddy_loop_t loop;
    eddy_timer_t a, b;
    cr_assert_eq(eddy_loop_init(&loop), 0);
    eddy_timer_init(&loop, &a, record);
    eddy_timer_stop(&a);
    eddy_timer_stop(&a);
    cr_assert_not(eddy_timer_active(&a));
    eddy_timer_start(&a, 100000, 0);
    eddy_timer_init(&loop, &b, record);
    eddy_timer_start(&b, 100000, 5);
    cr_assert_eq(eddy_timer_count(&loop), 2);
    eddy_loop_close(&loop); /* active timers forgotten, not called */
    cr_assert_not(eddy_timer_active(&a));
    cr_assert_not(eddy_timer_active(&b));
}
