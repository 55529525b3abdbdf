/*
 * The loop core: lifecycle, run/stop, cached time and the per-thread
 * default loop. The parts live beside it: io.c (epoll backend and fd
 * watchers), timer.c (min-heap), signal.c (signalfd), defer.c (defer queue)
 * and work.c (the process-wide thread pool).
 *
 * One iteration of eddy_loop_run():
 *   1. refresh the cached time (eddy_loop_now), then run the BEFORE cycle
 *      callback (eddy_loop_set_cycle);
 *   2. run the timers due at that time (timer.c; a timer started by one of
 *      these callbacks waits for the next pass, so a 0 ms timer that re-arms
 *      itself cannot spin the pass forever);
 *   3. poll: epoll_wait with a timeout that reaches the nearest timer, or 0
 *      when defers are pending, the loop was stopped or nothing is left; the
 *      time is refreshed on wake-up, then the ready fds are dispatched in the
 *      order epoll reports them: io callbacks, signal callbacks (signalfd)
 *      and work done callbacks (the wake eventfd);
 *   4. run the defer queue as it stood when the pass began (defer.c), then
 *      the AFTER cycle callback.
 * Liveness (active io, timers, signal watchers, pending work, defers) and
 * the stop flag are checked before each iteration, so eddy_loop_stop() takes
 * effect when the current iteration ends.
 *
 * A loop belongs to one thread: only eddy_work_submit's pool threads touch
 * it from elsewhere, and only under the pool lock (work.c).
 */
#include <string.h>
#include <sys/eventfd.h>

#include "loop/internal.h"

/* The module's only per-thread state: each thread that asks gets its own
 * loop, as each Swoole reactor thread has one. Not freed at thread exit;
 * eddy_loop_default_close() does it. (The process-wide work pool in work.c
 * is the only other state the module keeps outside a loop.) */
static _Thread_local eddy_loop_t *default_loop;

int eddy_loop_init(eddy_loop_t *loop) {
    memset(loop, 0, sizeof *loop);
    loop->epfd = loop->sigfd = loop->wakefd = -1;
    int rc = eddy__io_backend_init(loop);
    if (rc < 0) return rc;
    loop->wakefd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (loop->wakefd < 0) {
        rc = -errno;
        eddy__io_backend_close(loop);
        return rc;
    }
    rc = eddy__io_watch_internal(loop, loop->wakefd, &loop->wakefd);
    if (rc < 0) {
        eddy__loop_close_fd(&loop->wakefd);
        eddy__io_backend_close(loop);
        return rc;
    }
    static _Atomic uint64_t last_id;
    loop->id = ++last_id;
    eddy_loop_update_time(loop);
    return 0;
}

void eddy_loop_close(eddy_loop_t *loop) {
    /* Work first: it waits for pool threads still running this loop's work,
     * which write to wakefd. */
    eddy__work_close(loop);
    eddy__signal_close(loop);
    eddy__timer_close(loop);
    eddy__defer_close(loop);
    eddy__io_backend_close(loop);
    eddy__loop_close_fd(&loop->wakefd);
    eddy__loop_close_fd(&loop->sigfd);
    loop->active_io = 0;
}

eddy_loop_t *eddy_loop_default(void) {
    if (default_loop) return default_loop;
    eddy_loop_t *loop = eddy_malloc(sizeof *loop);
    int rc = eddy_loop_init(loop);
    if (rc < 0) {
        /* Out of fds is not an internal OOM: report it, let the caller fail. */
        eddy_log_error("eddy_loop_default: %s", eddy_strerror(rc));
        eddy_free(loop);
        return NULL;
    }
    default_loop = loop;
    return loop;
}

void eddy_loop_default_close(void) {
    if (!default_loop) return;
    eddy_loop_close(default_loop);
    eddy_free(default_loop);
    default_loop = NULL;
}

static int alive(const eddy_loop_t *loop) {
    return loop->active_io || loop->ntimers || loop->signals || loop->pending_work ||
           loop->defer_head;
}

static int poll_timeout(eddy_loop_t *loop) {
    if (loop->stop_flag || loop->defer_head || !alive(loop)) return 0;
    return eddy__timer_timeout(loop);
}

/* Not part of alive(): a cycle callback only watches iterations that
 * something else causes (libuv's prepare/check rule). */
static void run_cycle(eddy_loop_t *loop, int slot) {
    if (loop->cycle_cb[slot]) loop->cycle_cb[slot](loop, loop->cycle_arg[slot]);
}

int eddy_loop_set_cycle(eddy_loop_t *loop, int slot, eddy_cycle_cb cb, void *arg) {
    if (slot != EDDY_CYCLE_BEFORE && slot != EDDY_CYCLE_AFTER) return EDDY_EINVAL;
    loop->cycle_cb[slot] = cb;
    loop->cycle_arg[slot] = cb ? arg : NULL;
    return 0;
}

int eddy_loop_run(eddy_loop_t *loop) {
    int rc = 0;
    eddy__work_resume(loop);
    while (!loop->stop_flag && alive(loop)) {
        eddy_loop_update_time(loop);
        run_cycle(loop, EDDY_CYCLE_BEFORE);
        eddy__timer_run(loop);
        rc = eddy__io_poll(loop, poll_timeout(loop));
        if (rc < 0) break;
        eddy__defer_run(loop);
        run_cycle(loop, EDDY_CYCLE_AFTER);
    }
    loop->stop_flag = 0; /* consumed: a later run starts afresh */
    return rc;
}

void eddy_loop_stop(eddy_loop_t *loop) { loop->stop_flag = 1; }

uint64_t eddy_loop_now(const eddy_loop_t *loop) { return loop->now_ms; }

uint64_t eddy_loop_default_id(void) { return default_loop ? default_loop->id : 0; }

void eddy_loop_update_time(eddy_loop_t *loop) { loop->now_ms = eddy_now_ms(); }
