/*
 * Context switch cost: two coroutines hand control back and forth with
 * eddy_coro_resume()/eddy_coro_yield(). Each round trip is two one-way
 * switches; the figure is per one-way switch, scheduler bookkeeping
 * included (what every wake and yield pays), not just the register swap.
 *
 * Usage: bench_switch [round_trips]   (default 10,000,000)
 */
#include <stdio.h>
#include <stdlib.h>

#include "eddy/coro.h"
#include "eddy/loop.h"

static long rounds;
static int64_t echo_cid;
static uint64_t elapsed_ns;

/* Yields straight back each time it is resumed, until told to stop. */
static void echo(void *arg) {
    (void)arg;
    while (rounds > 0) eddy_coro_yield();
}

static void driver(void *arg) {
    long n = *(long *)arg;
    eddy_coro_t *peer = eddy_coro_get(echo_cid);
    uint64_t t0 = eddy_now_ns();
    for (long i = 0; i < n; i++) eddy_coro_resume(peer);
    elapsed_ns = eddy_now_ns() - t0;
    rounds = 0;
    eddy_coro_resume(peer); /* lets echo return */
}

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 10000000L;
    if (n <= 0) {
        fprintf(stderr, "usage: %s [round_trips]\n", argv[0]);
        return 2;
    }
    rounds = n;
    echo_cid = eddy_coro_create(echo, NULL); /* runs to its first yield */
    if (echo_cid < 0 || eddy_coro_create(driver, &n) < 0) {
        fprintf(stderr, "eddy_coro_create failed\n");
        return 1;
    }
    double per = (double)elapsed_ns / (2.0 * (double)n);
    printf("context switch: %.1f ns (N=%ld one-way switches)\n", per, 2 * n);
    eddy_loop_default_close();
    return 0;
}
