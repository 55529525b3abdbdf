/*
 * Coroutines (include/eddy/coro.h): lifecycle, switching order, waits,
 * cancel, locals, stacks and overflow reporting.
 *
 * Each test ends with eddy_loop_default_close() after every coroutine has
 * finished, so LeakSanitizer sees a clean exit. Overflow tests run the
 * overflowing coroutine in a forked child with stderr on a pipe and check
 * both the message and that the child died of SIGABRT: the parent stays
 * alive to assert, and the child's crash cannot take Criterion with it.
 */
#include "eddy_test.h"
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "eddy/coro.h"
#include "eddy/loop.h"

#define UNSET 12345 /* a result no call returns */

/* ---- helpers ------------------------------------------------------------ */

static char trace[256]; /* order of events, one letter each */

static void mark(char c) {
    size_t n = strlen(trace);
    cr_assert_lt(n, sizeof trace - 1);
    trace[n] = c;
    trace[n + 1] = '\0';
}

static void run_loop(void) { cr_assert_eq(eddy_loop_run(eddy_loop_default()), 0); }

static void finish_test(void) {
    eddy_coro_stats_t st;
    eddy_coro_stats(&st);
    cr_assert_eq(st.count, 0, "%zu coroutines still alive", st.count);
    eddy_loop_default_close();
}

static int64_t go(eddy_coro_fn fn, void *arg) {
    int64_t cid = eddy_coro_create(fn, arg);
    cr_assert_gt(cid, 0, "eddy_coro_create: %s", eddy_strerror((int)cid));
    return cid;
}

/* Runs fn in a forked child whose stderr goes to `out`; returns the wait
 * status. */
static int run_in_child(void (*fn)(void), char *out, size_t cap) {
    int p[2];
    cr_assert_eq(pipe(p), 0);
    fflush(NULL);
    pid_t pid = fork();
    cr_assert_geq(pid, 0);
    if (pid == 0) {
        close(p[0]);
        dup2(p[1], STDERR_FILENO);
        fn();
        _exit(0);
    }
    close(p[1]);
    size_t len = 0;
    ssize_t n;
    while (len < cap - 1 && (n = read(p[0], out + len, cap - 1 - len)) > 0) len += (size_t)n;
    out[len] = '\0';
    close(p[0]);
    int status;
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    return status;
}

/* ---- create, ids, yield/resume ----------------------------------------- */

static void record_cid(void *arg) {
    mark('c');
    *(int64_t *)arg = eddy_coro_cid();
}

EDDY_TEST(coro, create_runs_child_immediately_and_returns_its_id) {
    int64_t seen = 0;
    mark('a');
    int64_t cid = go(record_cid, &seen);
    mark('b');
    cr_assert_str_eq(trace, "acb");
    cr_assert_eq(seen, cid);
    cr_assert_null(eddy_coro_get(cid), "a finished coroutine is gone");
    cr_assert_null(eddy_coro_current());
    cr_assert_eq(eddy_coro_cid(), -1);
    finish_test();
}

static int64_t child_pcid, parent_id;

static void child_ids(void *arg) {
    (void)arg;
    child_pcid = eddy_coro_pcid(eddy_coro_current());
}

static void parent_ids(void *arg) {
    int64_t *pcid = arg;
    parent_id = eddy_coro_cid();
    *pcid = eddy_coro_pcid(eddy_coro_current());
    go(child_ids, NULL);
}

EDDY_TEST(coro, ids_start_at_one_and_pcid_names_the_creator) {
    int64_t root_pcid = 0;
    cr_assert_eq(go(parent_ids, &root_pcid), 1);
    cr_assert_eq(root_pcid, -1, "created from root");
    cr_assert_eq(parent_id, 1);
    cr_assert_eq(child_pcid, 1, "created from coroutine #1");
    cr_assert_eq(go(record_cid, &root_pcid), 3, "ids are never reused");
    finish_test();
}

static void ping(void *arg) {
    (void)arg;
    for (int i = 0; i < 3; i++) {
        mark('p');
        cr_assert_eq(eddy_coro_yield(), 0);
    }
    mark('e');
}

EDDY_TEST(coro, yield_returns_to_resumer_and_resume_continues_after_yield) {
    int64_t cid = go(ping, NULL);
    while (eddy_coro_get(cid)) {
        mark('r');
        cr_assert_eq(eddy_coro_resume(eddy_coro_get(cid)), 0);
    }
    cr_assert_str_eq(trace, "prprpre");
    finish_test();
}

static int64_t inner_cid;

static void yield_once_then_sleep(void *arg) {
    (void)arg;
    eddy_coro_yield();
    eddy_coro_sleep(1);
}

static void inner(void *arg) {
    (void)arg;
    mark('i');
    eddy_coro_yield();
    mark('j');
}

static void outer(void *arg) {
    (void)arg;
    mark('o');
    inner_cid = go(inner, NULL); /* runs inner until it yields, back here */
    mark('p');
    eddy_coro_yield(); /* back to root: inner's origin was us, not root */
    mark('q');
    cr_assert_eq(eddy_coro_resume(eddy_coro_get(inner_cid)), 0); /* inner ends */
    mark('r');
}

EDDY_TEST(coro, nested_create_and_resume_return_to_the_right_coroutine) {
    int64_t cid = go(outer, NULL);
    mark('R');
    cr_assert_eq(eddy_coro_resume(eddy_coro_get(cid)), 0);
    cr_assert_str_eq(trace, "oipRqjr");
    cr_assert_null(eddy_coro_get(cid));
    cr_assert_null(eddy_coro_get(inner_cid));
    finish_test();
}

static void resume_running(void *arg) {
    *(int *)arg = eddy_coro_resume(eddy_coro_current());
}

EDDY_TEST(coro, resume_of_a_coroutine_not_in_yield_is_refused) {
    int rc = UNSET;
    go(resume_running, &rc);
    cr_assert_eq(rc, EDDY_EWRONG_OP);
    cr_assert_eq(eddy_coro_resume(NULL), EDDY_ECO_NOT_EXISTS);
    finish_test();
}

static int64_t hook_log[16][2];
static int hook_n;

static void log_switch(eddy_coro_t *from, eddy_coro_t *to) {
    cr_assert_eq(eddy_coro_current(), from, "called before the switch");
    cr_assert_lt(hook_n, 16);
    hook_log[hook_n][0] = eddy_coro_id(from);
    hook_log[hook_n][1] = eddy_coro_id(to);
    hook_n++;
}

EDDY_TEST(coro, switch_hook_sees_every_switch_with_null_for_root) {
    eddy_coro_set_switch_hook(log_switch);
    int64_t a = go(yield_once_then_sleep, NULL); /* root->a, a->root */
    eddy_coro_resume(eddy_coro_get(a));          /* root->a, a->root (sleep) */
    run_loop();                                  /* root->a (wake), a->root (end) */
    eddy_coro_set_switch_hook(NULL);
    const int64_t want[][2] = {{-1, a}, {a, -1}, {-1, a}, {a, -1}, {-1, a}, {a, -1}};
    cr_assert_eq(hook_n, 6);
    for (int i = 0; i < 6; i++) {
        cr_assert_eq(hook_log[i][0], want[i][0], "switch %d", i);
        cr_assert_eq(hook_log[i][1], want[i][1], "switch %d", i);
    }
    finish_test();
}

/* ---- defer, exit, locals ---------------------------------------------- */

static void defer_mark(void *arg) { mark(*(char *)arg); }

static void with_defers(void *arg) {
    static char a = '1', b = '2', c = '3';
    eddy_coro_defer(defer_mark, &a);
    eddy_coro_defer(defer_mark, &b);
    eddy_coro_defer(defer_mark, &c);
    mark('b');
    if (arg) eddy_coro_exit();
    mark('x');
}

EDDY_TEST(coro, defer_runs_lifo_when_the_function_returns) {
    go(with_defers, NULL);
    cr_assert_str_eq(trace, "bx321");
    finish_test();
}

static void deep_exit(int depth) {
    if (depth == 0) with_defers(trace); /* non-NULL: exit */
    else deep_exit(depth - 1);
    mark('z');
}

static void exit_from_depth(void *arg) {
    (void)arg;
    deep_exit(5);
}

EDDY_TEST(coro, defer_runs_lifo_on_exit_from_nested_frames) {
    go(exit_from_depth, NULL);
    cr_assert_str_eq(trace, "b321", "nothing after eddy_coro_exit runs");
    finish_test();
}

static int key_a, key_b;

static void free_local(void *p) {
    mark('d');
    free(p);
}

static void use_locals(void *arg) {
    (void)arg;
    cr_assert_null(eddy_coro_get_local(NULL, key_a));
    cr_assert_eq(eddy_coro_set_local(NULL, key_a, strdup("x")), 0);
    cr_assert_eq(eddy_coro_set_local(eddy_coro_current(), key_b, trace), 0);
    cr_assert_str_eq(eddy_coro_get_local(NULL, key_a), "x");
    cr_assert_eq(eddy_coro_get_local(eddy_coro_current(), key_b), trace);
    eddy_coro_defer(defer_mark, "f");
    eddy_coro_sleep(1); /* another coroutine's locals are its own */
}

static void peek_locals(void *arg) {
    (void)arg;
    cr_assert_null(eddy_coro_get_local(NULL, key_a));
}

EDDY_TEST(coro, locals_are_per_coroutine_and_destructors_run_after_defers) {
    key_a = eddy_coro_key_create(free_local);
    key_b = eddy_coro_key_create(NULL);
    cr_assert_geq(key_a, 0);
    cr_assert_eq(key_b, key_a + 1);
    go(use_locals, NULL);
    go(peek_locals, NULL);
    run_loop();
    cr_assert_str_eq(trace, "fd", "defer, then the one destructor");
    cr_assert_eq(eddy_coro_set_local(NULL, key_a, NULL), EDDY_ECO_OUT_OF_COROUTINE);
    cr_assert_eq(eddy_coro_set_local(NULL, 99, NULL), EDDY_ECO_OUT_OF_COROUTINE);
    while (eddy_coro_key_create(NULL) >= 0) {}
    cr_assert_eq(eddy_coro_key_create(NULL), EDDY_ENOMEM);
    finish_test();
}

/* ---- sleep, wait, wake, cancel ----------------------------------------- */

static void sleeper(void *arg) {
    int ms = (int)(intptr_t)arg;
    cr_assert_eq(eddy_coro_sleep((uint64_t)ms), 0);
    mark((char)('0' + ms / 10));
}

EDDY_TEST(coro, sleepers_wake_in_deadline_order) {
    uint64_t t0 = eddy_now_ms();
    go(sleeper, (void *)(intptr_t)30);
    go(sleeper, (void *)(intptr_t)10);
    go(sleeper, (void *)(intptr_t)20);
    run_loop();
    cr_assert_str_eq(trace, "123");
    cr_assert_geq(eddy_now_ms() - t0, 30);
    finish_test();
}

static void sleep_zero(void *arg) {
    (void)arg;
    mark('a');
    cr_assert_eq(eddy_coro_sleep(0), 0);
    mark('c');
}

EDDY_TEST(coro, sleep_zero_yields_to_the_loop_once) {
    go(sleep_zero, NULL);
    mark('b');
    run_loop();
    cr_assert_str_eq(trace, "abc");
    finish_test();
}

typedef struct {
    int rc;
    int canceled_after;
    int canceled_next;
    uint64_t elapsed;
} sleep_res_t;

static void long_sleep(void *arg) {
    sleep_res_t *r = arg;
    uint64_t t0 = eddy_now_ms();
    r->rc = eddy_coro_sleep(10000);
    r->elapsed = eddy_now_ms() - t0;
    r->canceled_after = eddy_coro_is_canceled(NULL);
    eddy_coro_sleep(1); /* the mark is forgotten at the next suspension */
    r->canceled_next = eddy_coro_is_canceled(NULL);
}

static void canceler(void *arg) {
    int64_t cid = *(int64_t *)arg;
    eddy_coro_sleep(5);
    cr_assert_eq(eddy_coro_cancel(cid), 0);
    mark('k'); /* after the canceled one suspended again */
}

EDDY_TEST(coro, cancel_wakes_a_sleeping_coroutine_with_ECANCELED) {
    sleep_res_t r = {.rc = UNSET};
    int64_t cid = go(long_sleep, &r);
    go(canceler, &cid);
    run_loop();
    cr_assert_eq(r.rc, EDDY_ECANCELED);
    cr_assert_lt(r.elapsed, 5000);
    cr_assert_eq(r.canceled_after, 1);
    cr_assert_eq(r.canceled_next, 0);
    cr_assert_str_eq(trace, "k");
    finish_test();
}

EDDY_TEST(coro, cancel_from_the_root_context_works) {
    sleep_res_t r = {.rc = UNSET};
    int64_t cid = go(long_sleep, &r);
    cr_assert_eq(eddy_coro_cancel(cid), 0); /* runs it until its 1 ms sleep */
    cr_assert_eq(r.rc, EDDY_ECANCELED);
    run_loop();
    finish_test();
}

static void yield_once(void *arg) {
    (void)arg;
    eddy_coro_yield();
}

static void cancel_self(void *arg) { *(int *)arg = eddy_coro_cancel(eddy_coro_cid()); }

EDDY_TEST(coro, cancel_refuses_yielded_self_and_missing_coroutines) {
    int64_t cid = go(yield_once, NULL);
    cr_assert_eq(eddy_coro_cancel(cid), EDDY_ECO_CANNOT_CANCEL, "yield is not cancelable");
    int self = UNSET;
    go(cancel_self, &self);
    cr_assert_eq(self, EDDY_ECO_CANNOT_CANCEL);
    cr_assert_eq(eddy_coro_cancel(424242), EDDY_ECO_NOT_EXISTS);
    eddy_coro_resume(eddy_coro_get(cid));
    finish_test();
}

static eddy_waitq_t queue;
static int aborts;

static void unlink_waiter(eddy_wait_t *w) {
    aborts++;
    eddy_waitq_remove(w);
}

typedef struct {
    int64_t timeout;
    int rc;
    void *data;
} wait_res_t;

static void queued_wait(void *arg) {
    wait_res_t *r = arg;
    eddy_wait_t w = {0};
    eddy_waitq_push(&queue, &w);
    mark('w');
    r->rc = eddy_coro_wait(&w, r->timeout, unlink_waiter);
    r->data = w.data;
    mark('v');
}

EDDY_TEST(coro, wait_timeout_calls_on_abort_and_returns_ETIMEDOUT) {
    wait_res_t r = {.timeout = 10, .rc = UNSET};
    go(queued_wait, &r);
    cr_assert_eq(queue.len, 1);
    run_loop();
    cr_assert_eq(r.rc, EDDY_ETIMEDOUT);
    cr_assert_eq(aborts, 1);
    cr_assert_eq(queue.len, 0, "on_abort unlinked the waiter");
    finish_test();
}

static void zero_wait(void *arg) {
    eddy_wait_t w = {0};
    *(int *)arg = eddy_coro_wait(&w, 0, unlink_waiter);
}

EDDY_TEST(coro, wait_with_zero_timeout_fails_at_once_without_suspending) {
    int rc = UNSET;
    go(zero_wait, &rc);
    cr_assert_eq(rc, EDDY_ETIMEDOUT);
    cr_assert_eq(aborts, 0);
    finish_test();
}

static void waker(void *arg) {
    (void)arg;
    eddy_wait_t *w = eddy_waitq_shift(&queue);
    w->data = "item";
    mark('k');
    eddy_coro_wake(w, 7); /* the waiter runs now, we go on when it ends */
    mark('K');
}

/* ---- kill ---------------------------------------------------------------- */

static void local_dtor(void *v) { mark(*(char *)v); }

static int kill_key = -1;

/* Waits on `queue` forever with a defer and a local to clean up; marks 'x'
 * if it ever runs again. */
static void wait_forever_with_cleanups(void *arg) {
    static char d = 'd', l = 'l';
    (void)arg;
    eddy_wait_t w = {0};
    eddy_coro_defer(defer_mark, &d);
    cr_assert_eq(eddy_coro_set_local(NULL, kill_key, &l), 0);
    eddy_waitq_push(&queue, &w);
    eddy_coro_wait(&w, EDDY_WAIT_FOREVER, unlink_waiter);
    mark('x');
}

EDDY_TEST(coro, kill_aborts_a_wait_runs_cleanups_and_never_resumes) {
    if (kill_key < 0) kill_key = eddy_coro_key_create(local_dtor);
    int64_t cid = go(wait_forever_with_cleanups, NULL);
    cr_assert_eq(queue.len, 1);
    cr_assert_eq(eddy_coro_kill(cid), 0);
    cr_assert_eq(aborts, 1, "on_abort ran");
    cr_assert_eq(queue.len, 0, "the waiter left the owner's queue");
    cr_assert_str_eq(trace, "dl", "defers, then local destructors; no 'x'");
    cr_assert_null(eddy_coro_get(cid));
    cr_assert_eq(eddy_coro_kill(cid), EDDY_ECO_NOT_EXISTS);
    run_loop();
    cr_assert_str_eq(trace, "dl");
    finish_test();
}

static void sleep_then_mark(void *arg) {
    (void)arg;
    eddy_coro_sleep(10);
    mark('x');
}

EDDY_TEST(coro, kill_of_a_sleeper_stops_its_timer_so_the_loop_ends_at_once) {
    int64_t cid = go(sleep_then_mark, NULL);
    cr_assert_eq(eddy_coro_kill(cid), 0);
    uint64_t t0 = eddy_now_ms();
    run_loop();
    cr_assert_lt(eddy_now_ms() - t0, 10, "no timer left to wait for");
    cr_assert_str_eq(trace, "");
    finish_test();
}

static void yield_then_mark(void *arg) {
    (void)arg;
    eddy_coro_yield();
    mark('x');
}

typedef struct {
    int64_t victim;
    int rc_self, rc_parent, rc_victim;
} kill_res_t;

static void killer_child(void *arg) {
    kill_res_t *r = arg;
    r->rc_parent = eddy_coro_kill(eddy_coro_pcid(eddy_coro_current()));
    r->rc_victim = eddy_coro_kill(r->victim);
}

static void killer(void *arg) {
    kill_res_t *r = arg;
    r->rc_self = eddy_coro_kill(eddy_coro_cid());
    go(killer_child, r);
}

EDDY_TEST(coro, kill_ends_a_yielded_coroutine_but_refuses_self_and_running_ones) {
    kill_res_t r = {.rc_self = UNSET, .rc_parent = UNSET, .rc_victim = UNSET};
    r.victim = go(yield_then_mark, NULL);
    go(killer, &r);
    cr_assert_eq(r.rc_self, EDDY_EWRONG_OP);
    cr_assert_eq(r.rc_parent, EDDY_EWRONG_OP, "the creator is running (switched away)");
    cr_assert_eq(r.rc_victim, 0, "a coroutine in yield can be killed from another one");
    cr_assert_null(eddy_coro_get(r.victim));
    cr_assert_str_eq(trace, "");
    finish_test();
}

EDDY_TEST(coro, wake_runs_the_waiter_at_once_and_the_waker_continues_after) {
    wait_res_t a = {.timeout = EDDY_WAIT_FOREVER, .rc = UNSET};
    wait_res_t b = {.timeout = 5000, .rc = UNSET};
    go(queued_wait, &a);
    go(queued_wait, &b);
    go(waker, NULL); /* from a coroutine: wakes a (FIFO) */
    cr_assert_eq(a.rc, 7);
    cr_assert_str_eq(a.data, "item");
    eddy_coro_wake(eddy_waitq_shift(&queue), 8); /* from root */
    cr_assert_eq(b.rc, 8);
    cr_assert_str_eq(trace, "wwkvKv");
    cr_assert_eq(aborts, 0);
    run_loop(); /* b's stopped timer must not fire */
    finish_test();
}

EDDY_TEST(coro, blocking_calls_outside_a_coroutine_fail) {
    eddy_wait_t w = {0};
    cr_assert_eq(eddy_coro_yield(), EDDY_ECO_OUT_OF_COROUTINE);
    cr_assert_eq(eddy_coro_sleep(1), EDDY_ECO_OUT_OF_COROUTINE);
    cr_assert_eq(eddy_coro_wait(&w, 10, NULL), EDDY_ECO_OUT_OF_COROUTINE);
    cr_assert_eq(eddy_coro_defer(defer_mark, NULL), EDDY_ECO_OUT_OF_COROUTINE);
    finish_test();
}

/* ---- scale, list, stats ------------------------------------------------ */

static void nap(void *arg) {
    (void)arg;
    eddy_coro_sleep(1);
}

static size_t count_in_file(const char *path, const char *needle) {
    char buf[65536];
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f);
    size_t n = fread(buf, 1, sizeof buf - 1, f), hits = 0;
    fclose(f);
    buf[n] = '\0';
    for (char *p = buf; (p = strstr(p, needle)) != NULL; p++) hits++;
    return hits;
}

/* Default settings: past the guard budget (vm.max_map_count / 4) stacks
 * come from slabs, and one warning says so. */
EDDY_TEST(coro, hundred_thousand_coroutines_sleep_and_finish, .timeout = 60) {
    char log[] = "/tmp/eddy_coro_log_XXXXXX";
    int fd = mkstemp(log);
    cr_assert_geq(fd, 0);
    close(fd);
    cr_assert_eq(eddy_log_set_file(log), 0);
    for (int i = 0; i < 100000; i++) {
        int64_t cid = eddy_coro_create(nap, NULL);
        cr_assert_gt(cid, 0, "coroutine %d: %s", i, eddy_strerror((int)cid));
    }
    eddy_coro_stats_t st;
    eddy_coro_stats(&st);
    cr_assert_eq(st.count, 100000);
    cr_assert_gt(st.guarded, 0);
    cr_assert_lt(st.guarded, 100000, "guards stop at the budget");
    run_loop();
    eddy_coro_stats(&st);
    cr_assert_eq(st.count, 0);
    cr_assert_eq(st.peak, 100000);
    cr_assert_eq(st.created, 100000);
    eddy_log_set_file(NULL);
    cr_assert_eq(count_in_file(log, "sysctl -w vm.max_map_count="), 1, "exactly one warning");
    unlink(log);
    finish_test();
}

EDDY_TEST(coro, list_is_ascending_and_stats_count_live_coroutines) {
    int64_t ids[4], out[8];
    for (int i = 0; i < 4; i++) ids[i] = go(yield_once, NULL);
    eddy_coro_resume(eddy_coro_get(ids[1]));
    cr_assert_eq(eddy_coro_list(out, 8), 3);
    cr_assert_eq(out[0], ids[0]);
    cr_assert_eq(out[1], ids[2]);
    cr_assert_eq(out[2], ids[3]);
    cr_assert_eq(eddy_coro_list(out, 2), 2);
    eddy_coro_stats_t st;
    eddy_coro_stats(&st);
    cr_assert_eq(st.count, 3);
    cr_assert_eq(st.peak, 4);
    cr_assert_eq(st.created, 4);
    cr_assert_eq(st.guarded, 3);
    cr_assert_eq(st.stack_size, EDDY_CORO_DEFAULT_STACK_SIZE);
    cr_assert_lt(eddy_coro_elapsed_ms(eddy_coro_get(ids[0])), 1000);
    for (int i = 0; i < 4; i++) eddy_coro_resume(eddy_coro_get(ids[i]));
    finish_test();
}

EDDY_TEST(coro, stack_size_setting_is_checked_and_rounded_to_pages) {
    eddy_coro_stats_t st;
    cr_assert_eq(eddy_coro_set_stack_size(EDDY_CORO_MIN_STACK_SIZE - 1), EDDY_EINVAL);
    cr_assert_eq(eddy_coro_set_stack_size((size_t)EDDY_CORO_MAX_STACK_SIZE + 1), EDDY_EINVAL);
    cr_assert_eq(eddy_coro_set_stack_size(100000), 0);
    eddy_coro_stats(&st);
    cr_assert_eq(st.stack_size % (size_t)sysconf(_SC_PAGESIZE), 0);
    cr_assert_geq(st.stack_size, 100000);
    finish_test();
}

EDDY_TEST(coro, unguarded_stacks_work_when_guards_are_off) {
    eddy_coro_set_stack_guard(0);
    int64_t ids[20];
    for (int i = 0; i < 20; i++) ids[i] = go(yield_once, NULL);
    eddy_coro_stats_t st;
    eddy_coro_stats(&st);
    cr_assert_eq(st.guarded, 0);
    for (int i = 0; i < 20; i++) eddy_coro_resume(eddy_coro_get(ids[i]));
    finish_test();
}

EDDY_TEST(coro, create_fails_with_PROTECT_STACK_when_the_stack_cannot_be_mapped) {
    /* Cap the address space just above what is mapped (ASan maps terabytes
     * of shadow), so a 512 MiB stack cannot fit but small allocations do. */
    long kb = 0;
    char line[256];
    FILE *f = fopen("/proc/self/status", "r");
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "VmSize: %ld kB", &kb) == 1) break;
    fclose(f);
    struct rlimit old, lim;
    getrlimit(RLIMIT_AS, &old);
    lim = old;
    lim.rlim_cur = (rlim_t)kb * 1024 + 256u * 1024 * 1024;
    cr_assert_eq(setrlimit(RLIMIT_AS, &lim), 0);
    eddy_log_set_level(EDDY_LOG_NONE);
    int64_t rc = eddy_coro_create_ex(nap, NULL, 512u * 1024 * 1024);
    setrlimit(RLIMIT_AS, &old);
    cr_assert_eq(rc, EDDY_ECO_PROTECT_STACK);
    finish_test();
}

/* ---- stack size and overflow ------------------------------------------ */

/* Uses `bytes` of stack in frames smaller than the guard page, touched from
 * the top down, so an overflow always lands on the guard page first. */
static __attribute__((noinline)) size_t use_stack(size_t bytes) {
    volatile char buf[2048];
    for (size_t i = sizeof buf; i-- > 0;) buf[i] = (char)i;
    if (bytes <= sizeof buf) return buf[0];
    return use_stack(bytes - sizeof buf) + buf[1];
}

static void use_200k(void *arg) {
    (void)arg;
    use_stack(200 * 1024);
    mark('u');
}

EDDY_TEST(coro, custom_stack_size_holds_what_it_says) {
    cr_assert_gt(eddy_coro_create_ex(use_200k, NULL, 256 * 1024), 0);
    cr_assert_str_eq(trace, "u");
    finish_test();
}

static void overflow_small_stack(void) {
    eddy_coro_create_ex(use_200k, NULL, 64 * 1024);
}

EDDY_TEST(coro, overflowing_a_64k_stack_is_reported_with_its_size) {
    char out[4096];
    int status = run_in_child(overflow_small_stack, out, sizeof out);
    cr_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT, "status %#x, stderr:\n%s",
              status, out);
    cr_assert(strstr(out, "eddy: stack overflow in coroutine #1 (stack size 65536 bytes); "
                          "raise it with eddy_coro_set_stack_size()"),
              "stderr:\n%s", out);
    finish_test();
}

static volatile int keep_going = 1; /* hides the endless recursion from -Winfinite-recursion */

static __attribute__((noinline)) size_t recurse_forever(size_t n) {
    volatile char buf[512];
    buf[sizeof buf - 1] = (char)n;
    buf[0] = (char)n;
    if (!keep_going) return n;
    return recurse_forever(n + 1) + buf[7];
}

static void runaway(void *arg) {
    (void)arg;
    recurse_forever(0);
}

static void overflow_default_stack(void) {
    go(yield_once, NULL); /* #1 stays alive, #2 overflows */
    eddy_coro_create(runaway, NULL);
}

EDDY_TEST(coro, runaway_recursion_in_a_guarded_coroutine_names_the_coroutine) {
    char out[4096];
    int status = run_in_child(overflow_default_stack, out, sizeof out);
    cr_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT, "status %#x, stderr:\n%s",
              status, out);
    cr_assert(strstr(out, "stack overflow in coroutine #2 (stack size 2097152 bytes)"),
              "stderr:\n%s", out);
    finish_test();
}

static void null_deref(void) {
    volatile int *p = NULL;
    *p = 1;
}

static void crash_in_coroutine(void *arg) {
    (void)arg;
    null_deref();
}

static void segv_child(void) {
    signal(SIGSEGV, SIG_DFL); /* what the handler chains to without ASan */
    eddy_coro_create(crash_in_coroutine, NULL);
}

EDDY_TEST(coro, other_faults_in_a_coroutine_are_not_called_overflows) {
    char out[8192];
    int status = run_in_child(segv_child, out, sizeof out);
    cr_assert(strstr(out, "stack overflow") == NULL, "stderr:\n%s", out);
    cr_assert(WIFSIGNALED(status) || WEXITSTATUS(status) != 0, "the fault was not swallowed");
    finish_test();
}
