/*
 * The loop (include/eddy/loop.h): liveness and stop, fd readiness, signals,
 * the defer queue and the work pool.
 *
 * Each test owns its loop and closes it (or the default loop), so
 * LeakSanitizer sees a clean exit. Every run is bounded: callbacks stop
 * after a fixed count, and Criterion kills a test past its timeout.
 */
#include "eddy_test.h"
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "eddy/loop.h"
#include "eddy/timer.h"

static void make_pair(int sv[2]) {
    cr_assert_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv), 0);
}

/* ---- liveness and stop ------------------------------------------------ */

EDDY_TEST(loop, run_returns_at_once_when_nothing_is_left, .timeout = 5) {
    eddy_loop_t loop;
    cr_assert_eq(eddy_loop_init(&loop), 0);
    cr_assert_eq(eddy_loop_run(&loop), 0);
    cr_assert_eq(eddy_loop_run(&loop), 0);
    eddy_loop_close(&loop);
}

static int ticks;

static void stop_every_third(eddy_timer_t *t) {
    if (++ticks % 3 == 0) eddy_loop_stop(t->loop);
}

EDDY_TEST(loop, stop_returns_after_the_iteration_and_a_later_run_resumes, .timeout = 5) {
    eddy_loop_t loop;
    eddy_timer_t t;
    cr_assert_eq(eddy_loop_init(&loop), 0);
    eddy_timer_init(&loop, &t, stop_every_third);
    eddy_timer_start(&t, 1, 1);
    cr_assert_eq(eddy_loop_run(&loop), 0);
    cr_assert_eq(ticks, 3);
    cr_assert(eddy_timer_active(&t)); /* stopped the loop, not the timer */
    cr_assert_eq(eddy_loop_run(&loop), 0);
    cr_assert_eq(ticks, 6);
    eddy_timer_stop(&t);
    cr_assert_eq(eddy_loop_run(&loop), 0);
    cr_assert_eq(ticks, 6);
    eddy_loop_close(&loop);
}

static uint64_t now_seen[2];

static void busy_then_look(eddy_timer_t *t) {
    now_seen[0] = eddy_loop_now(t->loop);
    uint64_t until = eddy_now_ms() + 5;
    while (eddy_now_ms() < until) {
    }
    now_seen[1] = eddy_loop_now(t->loop);
}

EDDY_TEST(loop, now_is_cached_for_the_iteration, .timeout = 5) {
    eddy_loop_t loop;
    eddy_timer_t t;
    cr_assert_eq(eddy_loop_init(&loop), 0);
    eddy_timer_init(&loop, &t, busy_then_look);
    eddy_timer_start(&t, 1, 0);
    cr_assert_eq(eddy_loop_run(&loop), 0);
    cr_assert_eq(now_seen[0], now_seen[1]);
    cr_assert_geq(eddy_now_ms(), now_seen[0] + 5);
    eddy_loop_update_time(&loop);
    cr_assert_geq(eddy_loop_now(&loop), now_seen[0] + 5);
    eddy_loop_close(&loop);
}

EDDY_TEST(loop, default_loop_is_per_thread_and_recreated_after_close, .timeout = 5) {
    eddy_loop_t *a = eddy_loop_default();
    cr_assert_not_null(a);
    cr_assert_eq(eddy_loop_default(), a);
    eddy_loop_default_close();
    eddy_loop_default_close(); /* safe with none */
    eddy_loop_t *b = eddy_loop_default();
    cr_assert_not_null(b);
    cr_assert_eq(eddy_loop_run(b), 0);
    eddy_loop_default_close();
}

static void *other_thread_default(void *arg) {
    eddy_loop_t *mine = eddy_loop_default();
    int differs = mine != NULL && mine != arg;
    eddy_loop_default_close();
    return (void *)(intptr_t)differs;
}

EDDY_TEST(loop, default_loop_differs_between_threads, .timeout = 5) {
    pthread_t tid;
    void *differs;
    eddy_loop_t *mine = eddy_loop_default();
    cr_assert_eq(pthread_create(&tid, NULL, other_thread_default, mine), 0);
    cr_assert_eq(pthread_join(tid, &differs), 0);
    cr_assert_eq((intptr_t)differs, 1);
    eddy_loop_default_close();
}

/* ---- io ---------------------------------------------------------------- */

typedef struct {
    eddy_io_t io;
    int calls;
    unsigned last;
    char got[16];
} watcher_t;

/* What every io test starts from: a loop of its own and a watcher on one
 * end (sv[0]) of a non-blocking socketpair, not yet registered. */
typedef struct {
    eddy_loop_t loop;
    watcher_t w;
    int sv[2];
} io_case_t;

static void io_case_open(io_case_t *c, eddy_io_cb cb) {
    memset(c, 0, sizeof(*c));
    make_pair(c->sv);
    cr_assert_eq(eddy_loop_init(&c->loop), 0);
    eddy_io_init(&c->w.io, c->sv[0], cb);
    c->w.io.data = &c->w;
}

/* Closes the loop and whichever ends of the pair are still open (>= 0). */
static void io_case_close(io_case_t *c) {
    eddy_loop_close(&c->loop);
    for (int i = 0; i < 2; i++)
        if (c->sv[i] >= 0) close(c->sv[i]);
}

static void read_once(eddy_loop_t *loop, eddy_io_t *io, unsigned events) {
    (void)loop;
    watcher_t *w = io->data;
    w->calls++;
    w->last = events;
    cr_assert_gt(read(io->fd, w->got, sizeof w->got - 1), 0);
    eddy_io_stop(io);
}

EDDY_TEST(io, read_readiness_on_a_socketpair, .timeout = 5) {
    io_case_t c;
    io_case_open(&c, read_once);
    cr_assert_eq(eddy_io_set(&c.loop, &c.w.io, EDDY_READ), 0);
    cr_assert_eq(c.w.io.events, EDDY_READ);
    cr_assert_eq(write(c.sv[1], "ping", 4), 4);
    cr_assert_eq(eddy_loop_run(&c.loop), 0); /* returns once the watcher stops */
    cr_assert_eq(c.w.calls, 1);
    cr_assert_eq(c.w.last, EDDY_READ);
    cr_assert_str_eq(c.w.got, "ping");
    io_case_close(&c);
}

static void count_and_stop(eddy_loop_t *loop, eddy_io_t *io, unsigned events) {
    (void)loop;
    watcher_t *w = io->data;
    w->calls++;
    w->last = events;
    eddy_io_stop(io);
}

EDDY_TEST(io, write_interest_reports_writable, .timeout = 5) {
    io_case_t c;
    io_case_open(&c, count_and_stop);
    cr_assert_eq(eddy_io_set(&c.loop, &c.w.io, EDDY_WRITE), 0);
    cr_assert_eq(eddy_loop_run(&c.loop), 0);
    cr_assert_eq(c.w.calls, 1);
    cr_assert_eq(c.w.last, EDDY_WRITE);
    io_case_close(&c);
}

static void drop_write_then_stop(eddy_loop_t *loop, eddy_io_t *io, unsigned events) {
    watcher_t *w = io->data;
    w->calls++;
    w->last = events;
    if (w->calls == 1) {
        cr_assert_eq(events, EDDY_READ | EDDY_WRITE);
        cr_assert_eq(eddy_io_set(loop, io, EDDY_READ), 0); /* modify */
        char c;
        cr_assert_eq(read(io->fd, &c, 1), 1);
        return;
    }
    cr_assert_eq(events, EDDY_READ); /* writable, but no longer asked */
    cr_assert_eq(eddy_io_set(loop, io, 0), 0); /* 0 removes */
}

EDDY_TEST(io, modify_and_remove_interest, .timeout = 5) {
    io_case_t c;
    io_case_open(&c, drop_write_then_stop);
    cr_assert_eq(write(c.sv[1], "ab", 2), 2);
    cr_assert_eq(eddy_io_set(&c.loop, &c.w.io, EDDY_READ | EDDY_WRITE), 0);
    cr_assert_eq(eddy_loop_run(&c.loop), 0);
    cr_assert_eq(c.w.calls, 2);
    cr_assert_eq(c.w.io.events, 0);
    eddy_io_stop(&c.w.io); /* twice is fine */
    io_case_close(&c);
}

EDDY_TEST(io, stopped_watcher_gets_no_callback_and_run_returns, .timeout = 5) {
    io_case_t c;
    io_case_open(&c, count_and_stop);
    cr_assert_eq(eddy_io_set(&c.loop, &c.w.io, EDDY_READ | EDDY_WRITE), 0);
    eddy_io_stop(&c.w.io);
    cr_assert_eq(write(c.sv[1], "x", 1), 1);
    cr_assert_eq(eddy_loop_run(&c.loop), 0);
    cr_assert_eq(c.w.calls, 0);
    io_case_close(&c);
}

/* Two readable watchers in one batch; whichever runs first stops the other,
 * closes its fd and frees it: ASan catches any later touch, and the
 * counter catches a stale dispatch. */
static int batch_calls;
static eddy_io_t *batch_ios[2], *survivor;

static void stop_the_other(eddy_loop_t *loop, eddy_io_t *io, unsigned events) {
    (void)loop;
    (void)events;
    batch_calls++;
    eddy_io_t *other = batch_ios[0] == io ? batch_ios[1] : batch_ios[0];
    eddy_io_stop(other);
    close(other->fd);
    free(other);
    eddy_io_stop(io);
    survivor = io;
}

EDDY_TEST(io, callback_stopping_another_watcher_in_the_same_batch_prevents_its_dispatch, .timeout = 5) {
    eddy_loop_t loop;
    int a[2], b[2];
    make_pair(a);
    make_pair(b);
    cr_assert_eq(eddy_loop_init(&loop), 0);
    cr_assert_eq(write(a[1], "a", 1), 1);
    cr_assert_eq(write(b[1], "b", 1), 1);
    for (int i = 0; i < 2; i++) {
        batch_ios[i] = malloc(sizeof(eddy_io_t));
        eddy_io_init(batch_ios[i], i == 0 ? a[0] : b[0], stop_the_other);
        cr_assert_eq(eddy_io_set(&loop, batch_ios[i], EDDY_READ), 0);
    }
    cr_assert_eq(eddy_loop_run(&loop), 0);
    cr_assert_eq(batch_calls, 1);
    /* The survivor stopped itself: find and free it. */
    close(survivor->fd);
    free(survivor);
    eddy_loop_close(&loop);
    close(a[1]);
    close(b[1]);
}

EDDY_TEST(io, hangup_reports_error_with_the_registered_interest, .timeout = 5) {
    io_case_t c;
    io_case_open(&c, count_and_stop);
    cr_assert_eq(eddy_io_set(&c.loop, &c.w.io, EDDY_READ), 0);
    close(c.sv[1]);
    c.sv[1] = -1;
    cr_assert_eq(eddy_loop_run(&c.loop), 0);
    cr_assert_eq(c.w.calls, 1);
    cr_assert_eq(c.w.last, EDDY_READ | EDDY_ERROR); /* no WRITE: not asked for */
    io_case_close(&c);
}

EDDY_TEST(io, set_on_a_bad_fd_fails_and_leaves_the_loop_idle, .timeout = 5) {
    eddy_loop_t loop;
    eddy_io_t io;
    cr_assert_eq(eddy_loop_init(&loop), 0);
    eddy_io_init(&io, 1000000, count_and_stop);
    cr_assert_eq(eddy_io_set(&loop, &io, EDDY_READ), EDDY_EBADF);
    cr_assert_eq(io.events, 0);
    cr_assert_eq(eddy_loop_run(&loop), 0);
    eddy_loop_close(&loop);
}

/* ---- signals ----------------------------------------------------------- */

static int blocked(int signo) {
    sigset_t cur;
    pthread_sigmask(SIG_SETMASK, NULL, &cur);
    return sigismember(&cur, signo);
}

static int sig_calls[2];

static void on_signal_stop(eddy_loop_t *loop, eddy_signal_t *sig, int signo) {
    (void)loop;
    cr_assert_eq(signo, SIGUSR1);
    sig_calls[(intptr_t)sig->data]++;
    eddy_signal_stop(sig);
}

EDDY_TEST(signal, delivered_as_a_callback_and_unblocked_after_stop, .timeout = 5) {
    eddy_loop_t loop;
    eddy_signal_t sig = {0};
    cr_assert_eq(eddy_loop_init(&loop), 0);
    cr_assert_not(blocked(SIGUSR1));
    cr_assert_eq(eddy_signal_start(&loop, &sig, SIGUSR1, on_signal_stop), 0);
    cr_assert(blocked(SIGUSR1));
    cr_assert_eq(raise(SIGUSR1), 0); /* blocked: waits for the loop */
    cr_assert_eq(eddy_loop_run(&loop), 0);
    cr_assert_eq(sig_calls[0], 1);
    cr_assert_not(blocked(SIGUSR1));
    eddy_loop_close(&loop);
}

static void on_signal_count(eddy_loop_t *loop, eddy_signal_t *sig, int signo) {
    (void)signo;
    sig_calls[(intptr_t)sig->data]++;
    eddy_loop_stop(loop);
}

EDDY_TEST(signal, several_watchers_share_a_signal, .timeout = 5) {
    eddy_loop_t loop;
    eddy_signal_t a = {0}, b = {0};
    a.data = (void *)0;
    b.data = (void *)1;
    cr_assert_eq(eddy_loop_init(&loop), 0);
    cr_assert_eq(eddy_signal_start(&loop, &a, SIGUSR2, on_signal_count), 0);
    cr_assert_eq(eddy_signal_start(&loop, &b, SIGUSR2, on_signal_count), 0);
    cr_assert_eq(kill(getpid(), SIGUSR2), 0);
    cr_assert_eq(eddy_loop_run(&loop), 0);
    cr_assert_eq(sig_calls[0], 1);
    cr_assert_eq(sig_calls[1], 1);
    eddy_signal_stop(&a);
    cr_assert(blocked(SIGUSR2)); /* b still watches it */
    cr_assert_eq(kill(getpid(), SIGUSR2), 0);
    cr_assert_eq(eddy_loop_run(&loop), 0);
    cr_assert_eq(sig_calls[0], 1);
    cr_assert_eq(sig_calls[1], 2);
    eddy_signal_stop(&b);
    eddy_signal_stop(&b); /* twice is fine */
    cr_assert_not(blocked(SIGUSR2));
    eddy_loop_close(&loop);
}

EDDY_TEST(signal, arrived_but_undispatched_signal_is_dropped_when_the_last_watcher_stops,
     .timeout = 5) {
    eddy_loop_t loop;
    eddy_signal_t sig = {0};
    cr_assert_eq(eddy_loop_init(&loop), 0);
    cr_assert_eq(eddy_signal_start(&loop, &sig, SIGUSR1, on_signal_stop), 0);
    cr_assert_eq(raise(SIGUSR1), 0);
    eddy_signal_stop(&sig); /* would kill us if the pending one were delivered */
    cr_assert_not(blocked(SIGUSR1));
    cr_assert_eq(eddy_loop_run(&loop), 0);
    cr_assert_eq(sig_calls[0], 0);
    eddy_loop_close(&loop);
}

EDDY_TEST(signal, start_rejects_signals_it_cannot_watch, .timeout = 5) {
    eddy_loop_t loop;
    eddy_signal_t sig = {0};
    cr_assert_eq(eddy_loop_init(&loop), 0);
    cr_assert_eq(eddy_signal_start(&loop, &sig, 0, on_signal_stop), EDDY_EINVAL);
    cr_assert_eq(eddy_signal_start(&loop, &sig, SIGKILL, on_signal_stop), EDDY_EINVAL);
    cr_assert_eq(eddy_signal_start(&loop, &sig, 65, on_signal_stop), EDDY_EINVAL);
    cr_assert_eq(eddy_loop_run(&loop), 0);
    eddy_loop_close(&loop);
}

EDDY_TEST(signal, close_unblocks_watched_signals, .timeout = 5) {
    eddy_loop_t loop;
    eddy_signal_t sig = {0};
    cr_assert_eq(eddy_loop_init(&loop), 0);
    cr_assert_eq(eddy_signal_start(&loop, &sig, SIGUSR1, on_signal_stop), 0);
    eddy_loop_close(&loop);
    cr_assert_not(blocked(SIGUSR1));
}

/* ---- defer ------------------------------------------------------------- */

static char order[32];
static int norder;

typedef struct {
    eddy_loop_t *loop;
    char name;
    int redefer; /* how many more times to defer itself */
} step_t;

static void note(void *arg) {
    step_t *s = arg;
    order[norder++] = s->name;
    if (s->redefer-- > 0) eddy_loop_defer(s->loop, note, s);
}

EDDY_TEST(defer, runs_in_order_and_redefer_runs_next_pass, .timeout = 5) {
    eddy_loop_t loop;
    cr_assert_eq(eddy_loop_init(&loop), 0);
    step_t a = {&loop, 'a', 2}, b = {&loop, 'b', 0}, c = {&loop, 'c', 1};
    eddy_loop_defer(&loop, note, &a);
    eddy_loop_defer(&loop, note, &b);
    eddy_loop_defer(&loop, note, &c);
    cr_assert_eq(eddy_loop_run(&loop), 0); /* defers alone keep it alive */
    order[norder] = '\0';
    /* pass 1: a b c; pass 2: what they deferred; pass 3: a again */
    cr_assert_str_eq(order, "abcaca");
    eddy_loop_close(&loop);
}

static eddy_timer_t far_timer;
static int chain;

static void defer_chain(void *arg) {
    eddy_loop_t *loop = arg;
    if (++chain < 20)
        eddy_loop_defer(loop, defer_chain, loop);
    else
        eddy_timer_stop(&far_timer);
}

static void never(eddy_timer_t *t) {
    (void)t;
    cr_assert_fail("the far timer must not fire");
}

EDDY_TEST(defer, pending_defers_keep_the_loop_from_blocking, .timeout = 5) {
    eddy_loop_t loop;
    cr_assert_eq(eddy_loop_init(&loop), 0);
    eddy_timer_init(&loop, &far_timer, never);
    eddy_timer_start(&far_timer, 60000, 0);
    eddy_loop_defer(&loop, defer_chain, &loop);
    uint64_t t0 = eddy_now_ms();
    cr_assert_eq(eddy_loop_run(&loop), 0);
    cr_assert_eq(chain, 20);
    cr_assert_lt(eddy_now_ms() - t0, 1000);
    eddy_loop_close(&loop);
}

static void not_run(void *arg) {
    (void)arg;
    cr_assert_fail("dropped defer ran");
}

EDDY_TEST(defer, close_drops_pending_defers, .timeout = 5) {
    eddy_loop_t loop;
    cr_assert_eq(eddy_loop_init(&loop), 0);
    for (int i = 0; i < 10; i++) eddy_loop_defer(&loop, not_run, NULL);
    eddy_loop_close(&loop);
}

/* ---- work pool --------------------------------------------------------- */

typedef struct {
    eddy_work_t w;
    pthread_t worker, done_on;
    int done;
} job_t;

static atomic_int works_run;

static void job_work(eddy_work_t *w) {
    job_t *j = w->data;
    j->worker = pthread_self();
    usleep(1000);
    atomic_fetch_add(&works_run, 1);
}

static int dones;

static void job_done(eddy_work_t *w) {
    job_t *j = w->data;
    j->done_on = pthread_self();
    j->done++;
    dones++;
}

EDDY_TEST(work, runs_on_a_pool_thread_and_done_on_the_loop_thread, .timeout = 10) {
    eddy_loop_t *loop = eddy_loop_default();
    job_t j = {0};
    j.w.data = &j;
    eddy_work_submit(loop, &j.w, job_work, job_done);
    cr_assert_eq(eddy_loop_run(loop), 0); /* pending work keeps it alive */
    cr_assert_eq(j.done, 1);
    cr_assert_not(pthread_equal(j.worker, pthread_self()));
    cr_assert(pthread_equal(j.done_on, pthread_self()));
    eddy_loop_default_close();
}

EDDY_TEST(work, hundred_concurrent_works_all_complete, .timeout = 20) {
    enum { N = 100 };
    static job_t jobs[N];
    eddy_loop_t loop;
    cr_assert_eq(eddy_loop_init(&loop), 0);
    for (int i = 0; i < N; i++) {
        jobs[i].w.data = &jobs[i];
        eddy_work_submit(&loop, &jobs[i].w, job_work, job_done);
    }
    cr_assert_eq(eddy_loop_run(&loop), 0);
    cr_assert_eq(dones, N);
    cr_assert_eq(atomic_load(&works_run), N);
    for (int i = 0; i < N; i++) {
        cr_assert_eq(jobs[i].done, 1);
        cr_assert(pthread_equal(jobs[i].done_on, pthread_self()));
    }
    eddy_loop_close(&loop);
}

static void slow_work(eddy_work_t *w) {
    (void)w;
    usleep(20000);
}

static void unexpected_done(eddy_work_t *w) {
    (void)w;
    cr_assert_fail("done ran after close");
}

EDDY_TEST(work, close_waits_for_running_work_and_drops_its_done, .timeout = 10) {
    enum { N = 8 };
    eddy_loop_t loop;
    eddy_work_t w[N];
    cr_assert_eq(eddy_loop_init(&loop), 0);
    for (int i = 0; i < N; i++) eddy_work_submit(&loop, &w[i], slow_work, unexpected_done);
    usleep(5000); /* let the pool pick some */
    eddy_loop_close(&loop); /* must not return while a thread still uses the loop */
}

static void slow_job_work(eddy_work_t *w) {
    usleep(50000);
    job_work(w);
}

/* Shutdown must wait for running work (a host unloads the engine's code
 * next), keep its done callback, and leave the pool restartable. */
EDDY_TEST(work, pool_shutdown_waits_for_running_work_and_pool_restarts, .timeout = 10) {
    eddy_loop_t *loop = eddy_loop_default();
    job_t a = {0}, b = {0};
    a.w.data = &a;
    b.w.data = &b;
    int before = atomic_load(&works_run);
    eddy_work_submit(loop, &a.w, slow_job_work, job_done);
    usleep(10000); /* let a pool thread pick it up */
    eddy_work_pool_shutdown();
    cr_assert_eq(atomic_load(&works_run), before + 1, "shutdown returned before the work ended");
    cr_assert_eq(a.done, 0, "done callbacks run on the loop, not in shutdown");
    eddy_work_submit(loop, &b.w, job_work, job_done); /* restarts the pool */
    cr_assert_eq(eddy_loop_run(loop), 0);
    cr_assert_eq(a.done, 1);
    cr_assert_eq(b.done, 1);
    cr_assert_not(pthread_equal(b.worker, pthread_self()), "ran on a restarted pool thread");
    eddy_work_pool_shutdown();
    eddy_loop_default_close();
}

/* Holds each of the pool's 4 threads in a job until all 4 are in one
 * (bounded: 5 s), so every thread has finished starting. */
static atomic_int rendezvous_in;

static void rendezvous_work(eddy_work_t *w) {
    (void)w;
    atomic_fetch_add(&rendezvous_in, 1);
    for (int i = 0; i < 5000 && atomic_load(&rendezvous_in) < 4; i++) usleep(1000);
}

EDDY_TEST(work, pool_restarts_in_a_forked_child, .timeout = 20) {
    eddy_loop_t loop;
    job_t j[4] = {0};
    cr_assert_eq(eddy_loop_init(&loop), 0);
    /* All pool threads must be past their start-up before fork(): under
     * ASan a thread still starting may hold the sanitizer's allocator lock,
     * and the child, which allocates to start its own pool, would then
     * wait on it for ever (glibc's malloc is fork-safe; that allocator is
     * not). Once each thread has run a job it only waits on a condition. */
    for (int i = 0; i < 4; i++) {
        j[i].w.data = &j[i];
        eddy_work_submit(&loop, &j[i].w, rendezvous_work, job_done);
    }
    cr_assert_eq(eddy_loop_run(&loop), 0);
    cr_assert_eq(atomic_load(&rendezvous_in), 4, "all four pool threads ran a job");
    eddy_loop_close(&loop);
    pid_t pid = fork();
    cr_assert_geq(pid, 0);
    if (pid == 0) {
        eddy_loop_t child;
        job_t cj = {0};
        if (eddy_loop_init(&child) < 0) _exit(2);
        cj.w.data = &cj;
        eddy_work_submit(&child, &cj.w, job_work, job_done);
        eddy_loop_run(&child);
        int ok = cj.done == 1 && !pthread_equal(cj.worker, pthread_self());
        eddy_loop_close(&child);
        _exit(ok ? 0 : 1);
    }
    int status;
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status %d", status);
}

/* ---- cycle callbacks ------------------------------------------------------ */

static char cyc_trace[64];

static void cyc_mark(char c) {
    size_t n = strlen(cyc_trace);
    cr_assert_lt(n, sizeof cyc_trace - 1);
    cyc_trace[n] = c;
    cyc_trace[n + 1] = '\0';
}

static void cyc_before(eddy_loop_t *loop, void *arg) {
    (void)loop;
    cyc_mark(*(char *)arg);
}

static void cyc_after(eddy_loop_t *loop, void *arg) {
    (void)loop;
    cyc_mark(*(char *)arg);
}

static void cyc_timer(eddy_timer_t *t) {
    (void)t;
    cyc_mark('t');
}

static void cyc_defer(void *arg) {
    (void)arg;
    cyc_mark('d');
}

static void cyc_timer_defers(eddy_timer_t *t) {
    cyc_mark('t');
    eddy_loop_defer(t->loop, cyc_defer, NULL);
}

EDDY_TEST(loop, cycle_callbacks_run_before_timers_and_after_defers_each_iteration, .timeout = 5) {
    eddy_loop_t loop;
    eddy_timer_t t;
    static char b = 'b', a = 'a';
    cyc_trace[0] = '\0';
    cr_assert_eq(eddy_loop_init(&loop), 0);
    cr_assert_eq(eddy_loop_set_cycle(&loop, EDDY_CYCLE_BEFORE, cyc_before, &b), 0);
    cr_assert_eq(eddy_loop_set_cycle(&loop, EDDY_CYCLE_AFTER, cyc_after, &a), 0);
    cr_assert_eq(eddy_loop_set_cycle(&loop, 2, cyc_after, &a), EDDY_EINVAL);
    eddy_timer_init(&loop, &t, cyc_timer_defers);
    eddy_timer_start(&t, 0, 0);
    cr_assert_eq(eddy_loop_run(&loop), 0);
    /* One iteration: before, the due timer, its defer, after; then the loop
     * has nothing left and the cycle callbacks do not keep it alive. */
    cr_assert_str_eq(cyc_trace, "btda");
    eddy_loop_close(&loop);
}

EDDY_TEST(loop, cycle_callback_alone_does_not_keep_the_loop_alive, .timeout = 5) {
    eddy_loop_t loop;
    static char a = 'a';
    cyc_trace[0] = '\0';
    cr_assert_eq(eddy_loop_init(&loop), 0);
    eddy_loop_set_cycle(&loop, EDDY_CYCLE_AFTER, cyc_after, &a);
    eddy_loop_set_cycle(&loop, EDDY_CYCLE_BEFORE, cyc_before, &a);
    cr_assert_eq(eddy_loop_run(&loop), 0);
    cr_assert_str_eq(cyc_trace, "", "no iteration ran");
    eddy_loop_close(&loop);
}

static void stop_in_before(eddy_loop_t *loop, void *arg) {
    (void)arg;
    cyc_mark('b');
    eddy_loop_stop(loop);
}

EDDY_TEST(loop, stop_from_the_before_callback_ends_the_run_after_a_non_blocking_iteration, .timeout = 5) {
    eddy_loop_t loop;
    eddy_timer_t far, due;
    static char a = 'a';
    cyc_trace[0] = '\0';
    cr_assert_eq(eddy_loop_init(&loop), 0);
    eddy_loop_set_cycle(&loop, EDDY_CYCLE_BEFORE, stop_in_before, NULL);
    eddy_loop_set_cycle(&loop, EDDY_CYCLE_AFTER, cyc_after, &a);
    eddy_timer_init(&loop, &far, cyc_timer);
    eddy_timer_start(&far, 10000, 0);
    eddy_timer_init(&loop, &due, cyc_timer);
    eddy_timer_start(&due, 0, 0);
    uint64_t t0 = eddy_now_ms();
    cr_assert_eq(eddy_loop_run(&loop), 0);
    cr_assert_lt(eddy_now_ms() - t0, 1000, "the poll did not wait for the far timer");
    cr_assert_str_eq(cyc_trace, "bta");
    /* Cleared slots run nothing. */
    eddy_loop_set_cycle(&loop, EDDY_CYCLE_BEFORE, NULL, NULL);
    eddy_loop_set_cycle(&loop, EDDY_CYCLE_AFTER, NULL, NULL);
    eddy_timer_stop(&far);
    eddy_timer_start(&due, 0, 0);
    cr_assert_eq(eddy_loop_run(&loop), 0);
    cr_assert_str_eq(cyc_trace, "btat");
    eddy_loop_close(&loop);
}
