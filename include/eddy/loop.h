/*
 * eddy loop: the reactor of one thread.
 *
 * One loop per thread (like Swoole's reactor): epoll for fds, a min-heap of
 * timers (timer.h), signals through signalfd delivered as callbacks, a defer
 * queue run after the current iteration, and a thread pool for blocking
 * calls whose completion comes back to the loop.
 *
 * Handles (eddy_io_t, eddy_signal_t, eddy_work_t, eddy_timer_t) are owned by
 * the caller, who keeps them alive while they are active. The loop never
 * frees a handle. A call that fails never invokes its callback.
 *
 * eddy_loop_run() returns when nothing is left to wait for (no active io,
 * timer, signal, pending work or deferred callback) or after eddy_loop_stop().
 */
#ifndef EDDY_LOOP_H
#define EDDY_LOOP_H

#include <stddef.h>
#include <stdint.h>

#include "eddy/base.h"

typedef struct eddy_loop_s eddy_loop_t;
typedef struct eddy_io_s eddy_io_t;
typedef struct eddy_signal_s eddy_signal_t;
typedef struct eddy_work_s eddy_work_t;
typedef struct eddy_timer_s eddy_timer_t;
typedef struct eddy_defer_s eddy_defer_t;

/* Readiness bits for eddy_io_t. EDDY_ERROR comes with READ|WRITE set on
 * hang-up or socket error, so a waiting reader and writer both wake and
 * find the error with their next system call. */
#define EDDY_READ 0x1u
#define EDDY_WRITE 0x2u
#define EDDY_ERROR 0x4u

typedef void (*eddy_io_cb)(eddy_loop_t *loop, eddy_io_t *io, unsigned events);
typedef void (*eddy_signal_cb)(eddy_loop_t *loop, eddy_signal_t *sig, int signo);
typedef void (*eddy_defer_cb)(void *arg);
typedef void (*eddy_cycle_cb)(eddy_loop_t *loop, void *arg);

/* Slots for eddy_loop_set_cycle(). */
#define EDDY_CYCLE_BEFORE 0 /* start of each iteration, before its timers and poll */
#define EDDY_CYCLE_AFTER 1  /* end of each iteration, after its defer queue */
typedef void (*eddy_work_fn)(eddy_work_t *w);             /* runs on a pool thread */
typedef void (*eddy_work_done_cb)(eddy_work_t *w);        /* runs on the loop */

struct eddy_io_s {
    /* public */
    void *data;
    /* read-only */
    int fd;
    unsigned events; /* interest currently registered */
    /* private */
    eddy_io_cb cb;
    eddy_loop_t *loop;
    unsigned unref; /* eddy_io_unref(): the interest keeps no loop alive */
};

struct eddy_signal_s {
    /* public */
    void *data;
    /* read-only */
    int signo;
    /* private */
    eddy_signal_cb cb;
    eddy_loop_t *loop;
    eddy_signal_t *next;
};

struct eddy_work_s {
    /* public */
    void *data;
    /* private */
    eddy_work_fn work;
    eddy_work_done_cb done;
    eddy_loop_t *loop;
    eddy_work_t *next;
};

struct eddy_loop_s {
    /* public */
    void *data;
    /* private: see src/loop/loop.c */
    int epfd;
    int sigfd;
    int wakefd;            /* eventfd: the work pool reports completions */
    int stop_flag;
    uint64_t now_ms;       /* cached at the top of each iteration */
    uint64_t id;           /* unique in the process: eddy_loop_default_id() */
    size_t active_io;      /* watchers with non-zero interest */
    size_t pending_work;   /* submitted, done callback not yet run */
    eddy_timer_t **timers; /* min-heap by due time, then insertion order */
    size_t ntimers, timers_cap;
    uint64_t timer_seq;
    eddy_signal_t *signals;
    eddy_signal_t *sig_cursor; /* next watcher of the signal being dispatched */
    uint64_t sigmask;      /* bit n-1 set while signal n is watched */
    eddy_defer_t *defer_head, *defer_tail, *defer_free;
    eddy_work_t *done_head; /* completed work, guarded by the pool lock */
    size_t work_inflight;  /* submitted, not yet on done_head (pool lock) */
    void *epoll_events;    /* buffer for epoll_wait */
    int epoll_events_cap;
    int epoll_batch;       /* events of the batch being dispatched, else 0 */
    eddy_cycle_cb cycle_cb[2]; /* EDDY_CYCLE_BEFORE / EDDY_CYCLE_AFTER */
    void *cycle_arg[2];
};

/* ---- lifecycle --------------------------------------------------------- */

/* Initialises a caller-owned loop. Negative errno if epoll or eventfd fail. */
int eddy_loop_init(eddy_loop_t *loop);
/* Releases the loop's fds and memory. Active handles are forgotten, not
 * called; deferred callbacks not yet run are dropped. */
void eddy_loop_close(eddy_loop_t *loop);
/* This thread's loop, created on first use. Coroutines run on it. NULL
 * (logged) only if its epoll or eventfd cannot be created. */
eddy_loop_t *eddy_loop_default(void);
/* Closes this thread's default loop (a later eddy_loop_default() makes a
 * fresh one). For clean shutdown and leak-free tests. */
void eddy_loop_default_close(void);
/* The id of this thread's default loop, 0 while there is none (it makes
 * none): no other loop initialized in the process (fork aside) had it, so
 * it tells the default loop from a later one at the same address. */
uint64_t eddy_loop_default_id(void);

/* Runs until nothing is left to wait for or eddy_loop_stop(). Returns 0, or
 * a negative errno if epoll_wait fails for a reason other than EINTR. */
int eddy_loop_run(eddy_loop_t *loop);
/* Makes eddy_loop_run() return after the current iteration. */
void eddy_loop_stop(eddy_loop_t *loop);
/* Cached monotonic time in ms, refreshed each iteration. */
uint64_t eddy_loop_now(const eddy_loop_t *loop);
void eddy_loop_update_time(eddy_loop_t *loop);

/* ---- fd readiness ------------------------------------------------------ */

void eddy_io_init(eddy_io_t *io, int fd, eddy_io_cb cb);
/* Sets the interest to `events` (EDDY_READ|EDDY_WRITE): adds, modifies, or
 * with 0 removes. Negative errno from epoll_ctl. */
int eddy_io_set(eddy_loop_t *loop, eddy_io_t *io, unsigned events);
/* Removes the fd from the loop (does not close it). Safe to call twice. */
void eddy_io_stop(eddy_io_t *io);
/* A watcher keeps eddy_loop_run() going while it has interest, unless
 * unref'd: it then stays registered and its callback still runs, but the
 * loop may end without it (interest kept between waits only to spare the
 * epoll_ctl calls of the next one). eddy_io_ref() undoes it. Either may be
 * called at any time; eddy_io_init() makes a watcher referenced. */
void eddy_io_unref(eddy_io_t *io);
void eddy_io_ref(eddy_io_t *io);

/* ---- signals ----------------------------------------------------------- */

/* Blocks `signo` for this thread and delivers it through signalfd as a
 * callback on the loop. Several watchers may share a signal. */
int eddy_signal_start(eddy_loop_t *loop, eddy_signal_t *sig, int signo, eddy_signal_cb cb);
/* Stops watching; the signal is unblocked when its last watcher stops. */
void eddy_signal_stop(eddy_signal_t *sig);

/* ---- defer ------------------------------------------------------------- */

/* Runs cb(arg) after the current iteration's events and timers. Callbacks
 * deferred from inside a deferred callback run on the next pass, so a
 * callback that re-defers itself cannot starve the loop. */
void eddy_loop_defer(eddy_loop_t *loop, eddy_defer_cb cb, void *arg);

/* ---- per-iteration callbacks ----------------------------------------- */

/* Sets the callback run once per iteration in `slot` (EDDY_CYCLE_BEFORE or
 * EDDY_CYCLE_AFTER), replacing the one there; a NULL cb clears it. Like
 * libuv's prepare/check handles, a cycle callback alone does not keep the
 * loop alive: iterations happen because something else is waited for.
 * Calling eddy_loop_stop() from the BEFORE callback makes that iteration's
 * poll non-blocking and ends the run after it. EDDY_EINVAL for a bad slot. */
int eddy_loop_set_cycle(eddy_loop_t *loop, int slot, eddy_cycle_cb cb, void *arg);

/* ---- blocking work on the thread pool --------------------------------- */

/* Runs work(w) on a pool thread, then done(w) on the loop thread. The pool
 * (4 threads, shared by every loop of the process) starts on first use.
 * While work is pending the loop stays alive. */
void eddy_work_submit(eddy_loop_t *loop, eddy_work_t *w, eddy_work_fn work,
                      eddy_work_done_cb done);
/* Stops the pool threads: work already running finishes (its done callback
 * still runs on its loop), queued work waits for the next submit, which
 * restarts the pool. Call before unloading the engine's code (PHP's module
 * shutdown) so no pool thread is left executing it. Not from a pool thread. */
void eddy_work_pool_shutdown(void);

#endif /* EDDY_LOOP_H */
