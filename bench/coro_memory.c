/*
 * Memory for many sleeping coroutines with default settings (2 MiB stacks,
 * guard pages up to the budget, slabs past it): RSS and page-table size
 * read from /proc/self/status while all of them sleep.
 *
 * Usage: bench_coro_memory [coroutines] [sleep_ms]   (default 100000, 1000)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eddy/coro.h"
#include "eddy/loop.h"

static uint64_t sleep_ms;

static void sleeper(void *arg) {
    (void)arg;
    eddy_coro_sleep(sleep_ms);
}

/* A "Vm...: N kB" field of /proc/self/status, in kB; -1 if absent. */
static long status_kb(const char *field) {
    char line[256];
    long kb = -1;
    size_t len = strlen(field);
    FILE *f = fopen("/proc/self/status", "r");
    if (f == NULL) return -1;
    while (fgets(line, sizeof line, f))
        if (strncmp(line, field, len) == 0 && line[len] == ':') kb = atol(line + len + 1);
    fclose(f);
    return kb;
}

static void report(long n, uint64_t create_ns) {
    eddy_coro_stats_t st;
    eddy_coro_stats(&st);
    long rss = status_kb("VmRSS"), pte = status_kb("VmPTE");
    printf("%ld sleeping coroutines: RSS %ld MiB (VmPTE %ld MiB; %.1f KiB RSS each; "
           "%zu guarded; created in %.0f ms)\n",
           n, rss / 1024, pte / 1024, (double)rss / (double)n, st.guarded, create_ns / 1e6);
}

/* Runs in a short timer-free coroutine once every sleeper is parked. */
static void measure(void *arg) {
    long *args = arg;
    report(args[0], (uint64_t)args[1]);
}

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 100000L;
    sleep_ms = argc > 2 ? (uint64_t)atol(argv[2]) : 1000;
    uint64_t t0 = eddy_now_ns();
    for (long i = 0; i < n; i++) {
        int64_t cid = eddy_coro_create(sleeper, NULL);
        if (cid < 0) {
            fprintf(stderr, "coroutine %ld: %s\n", i, eddy_strerror((int)cid));
            return 1;
        }
    }
    long args[2] = {n, (long)(eddy_now_ns() - t0)};
    eddy_coro_create(measure, args);
    eddy_loop_run(eddy_loop_default());
    eddy_coro_stats_t st;
    eddy_coro_stats(&st);
    printf("all finished: count %zu, peak %zu, RSS %ld MiB\n", st.count, st.peak,
           status_kb("VmRSS") / 1024);
    eddy_loop_default_close();
    return st.count == 0 ? 0 : 1;
}
