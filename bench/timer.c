/*
 * Timer start + stop: arms and disarms one timer while `heap` others stay
 * armed, so each pair pays a real O(log n) sift up and removal (plus one
 * clock read: timers are armed from the current clock, see timer.c).
 * The background timers get random far deadlines so the measured timer
 * lands at varying depths, as it would among a server's timeouts.
 *
 * Usage: bench_timer [iterations] [heap]   (default 1,000,000 and 10,000)
 */
#include <stdio.h>
#include <stdlib.h>

#include "eddy/loop.h"
#include "eddy/timer.h"

static void never(eddy_timer_t *t) { (void)t; }

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 1000000;
    long heap = argc > 2 ? atol(argv[2]) : 10000;
    eddy_loop_t loop;
    if (n <= 0 || heap < 0 || eddy_loop_init(&loop) < 0) return 1;
    eddy_timer_t *bg = calloc((size_t)heap + 1, sizeof *bg), t;
    srand(1);
    for (long i = 0; i < heap; i++) {
        eddy_timer_init(&loop, &bg[i], never);
        eddy_timer_start(&bg[i], 60000 + (uint64_t)(rand() % 60000), 0);
    }
    eddy_timer_init(&loop, &t, never);
    uint64_t t0 = eddy_now_ns();
    for (long i = 0; i < n; i++) {
        eddy_timer_start(&t, 60000 + (uint64_t)(i % 60000), 0);
        eddy_timer_stop(&t);
    }
    uint64_t ns = eddy_now_ns() - t0;
    printf("timer add+cancel: %.1f ns (N=%ld, heap=%ld)\n", (double)ns / (double)n, n, heap);
    eddy_loop_close(&loop);
    free(bg);
    return 0;
}
