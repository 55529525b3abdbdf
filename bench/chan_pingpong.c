/*
 * Channel round trip: two coroutines bounce one item through two channels
 * of capacity 1. Each round trip is two pushes, two pops and two context
 * switches (push hands the item straight to the waiting pop and switches
 * to it), so this measures the channel's hand-off path end to end.
 *
 * Usage: bench_chan_pingpong [round_trips]   (default 2,000,000)
 */
#include <stdio.h>
#include <stdlib.h>

#include "eddy/chan.h"
#include "eddy/loop.h"

static eddy_chan_t *ping, *pong;
static long rounds;
static uint64_t elapsed_ns;

/* Echoes whatever arrives on ping back on pong until ping is drained. */
static void echo(void *arg) {
    (void)arg;
    void *item;
    while (eddy_chan_pop(ping, &item, EDDY_WAIT_FOREVER) == 0)
        eddy_chan_push(pong, item, EDDY_WAIT_FOREVER);
}

static void bounce(long n) {
    void *item = &rounds;
    for (long i = 0; i < n; i++) {
        eddy_chan_push(ping, item, EDDY_WAIT_FOREVER);
        eddy_chan_pop(pong, &item, EDDY_WAIT_FOREVER);
    }
}

static void drive(void *arg) {
    (void)arg;
    bounce(rounds / 10 + 1); /* warm caches and the branch predictor */
    uint64_t t0 = eddy_now_ns();
    bounce(rounds);
    elapsed_ns = eddy_now_ns() - t0;
    eddy_chan_close(ping);
}

int main(int argc, char **argv) {
    rounds = argc > 1 ? atol(argv[1]) : 2000000;
    if (rounds < 1) {
        fprintf(stderr, "usage: %s [round_trips >= 1]\n", argv[0]);
        return 2;
    }
    ping = eddy_chan_new(1);
    pong = eddy_chan_new(1);
    if (eddy_coro_create(echo, NULL) < 0 || eddy_coro_create(drive, NULL) < 0) {
        fprintf(stderr, "cannot create coroutines\n");
        return 1;
    }
    eddy_loop_run(eddy_loop_default());
    printf("channel round trip: %.1f ns (N=%ld)\n", (double)elapsed_ns / (double)rounds, rounds);
    eddy_chan_free(ping);
    eddy_chan_free(pong);
    eddy_loop_default_close();
    return 0;
}
