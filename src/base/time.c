/* Monotonic clock: timers and timeouts must not jump with wall-clock changes. */
#include <time.h>

#include "eddy/base.h"

uint64_t eddy_now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

uint64_t eddy_now_ms(void) { return eddy_now_ns() / 1000000ull; }
