/*
 * eddy_coro_poll (include/eddy/poll.h): a coroutine waits on foreign fds
 * while the loop runs others. Each test runs its coroutines from the root,
 * drains the default loop and closes it (clean exit for LeakSanitizer).
 */
#define _GNU_SOURCE /* pipe2 */
#include "eddy_test.h"
#include <fcntl.h>
#include <unistd.h>

#include "eddy/base.h"
#include "eddy/coro.h"
#include "eddy/loop.h"
#include "eddy/poll.h"

#define UNSET 12345

typedef struct {
    int fds[2];   /* pipe: [0] read end, [1] write end */
    int64_t timeout_ms;
    int rc;
    short revents;
    uint64_t elapsed_ms;
    uint64_t write_after_ms; /* the writer's delay; 0: no writer */
} pipe_case_t;

static void run_loop(void) {
    cr_assert_eq(eddy_loop_run(eddy_loop_default()), 0);
    eddy_loop_default_close();
}

static void waiter(void *arg) {
    pipe_case_t *c = arg;
    struct pollfd p = {.fd = c->fds[0], .events = POLLIN};
    uint64_t t0 = eddy_now_ms();
    c->rc = eddy_coro_poll(&p, 1, c->timeout_ms);
    c->revents = p.revents;
    c->elapsed_ms = eddy_now_ms() - t0;
}

static void writer(void *arg) {
    pipe_case_t *c = arg;
    eddy_coro_sleep(c->write_after_ms);
    cr_assert_eq(write(c->fds[1], "x", 1), 1);
}

static void run_case(pipe_case_t *c) {
    cr_assert_eq(pipe2(c->fds, O_NONBLOCK | O_CLOEXEC), 0);
    c->rc = UNSET;
    cr_assert_gt(eddy_coro_create(waiter, c), 0);
    if (c->write_after_ms) cr_assert_gt(eddy_coro_create(writer, c), 0);
    run_loop();
    close(c->fds[0]);
    close(c->fds[1]);
}

EDDY_TEST(poll, wakes_when_a_pipe_becomes_readable) {
    pipe_case_t c = {.timeout_ms = 2000, .write_after_ms = 50};
    run_case(&c);
    cr_assert_eq(c.rc, 1);
    cr_assert(c.revents & POLLIN);
    cr_assert_geq(c.elapsed_ms, 40);
    cr_assert_lt(c.elapsed_ms, 1500, "woke after %llu ms", (unsigned long long) c.elapsed_ms);
}

EDDY_TEST(poll, times_out_with_zero) {
    pipe_case_t c = {.timeout_ms = 80};
    run_case(&c);
    cr_assert_eq(c.rc, 0);
    cr_assert_eq(c.revents, 0);
    cr_assert_geq(c.elapsed_ms, 70);
    cr_assert_lt(c.elapsed_ms, 1000);
}

EDDY_TEST(poll, ready_fd_returns_at_once_and_zero_timeout_does_not_wait) {
    pipe_case_t c = {.timeout_ms = 0};
    cr_assert_eq(pipe2(c.fds, O_NONBLOCK | O_CLOEXEC), 0);
    cr_assert_eq(write(c.fds[1], "y", 1), 1);
    cr_assert_gt(eddy_coro_create(waiter, &c), 0);
    run_loop();
    cr_assert_eq(c.rc, 1);
    cr_assert(c.revents & POLLIN);
    close(c.fds[0]);
    close(c.fds[1]);
}

EDDY_TEST(poll, hang_up_is_reported) {
    pipe_case_t c = {.timeout_ms = 2000};
    cr_assert_eq(pipe2(c.fds, O_NONBLOCK | O_CLOEXEC), 0);
    close(c.fds[1]);
    c.fds[1] = -1;
    cr_assert_gt(eddy_coro_create(waiter, &c), 0);
    run_loop();
    cr_assert_eq(c.rc, 1);
    cr_assert(c.revents & POLLHUP);
    close(c.fds[0]);
}

static void sleeper_poll(void *arg) {
    int *rc = arg;
    *rc = eddy_coro_poll(NULL, 0, 30);
}

EDDY_TEST(poll, no_fds_sleeps) {
    int rc = UNSET;
    uint64_t t0 = eddy_now_ms();
    cr_assert_gt(eddy_coro_create(sleeper_poll, &rc), 0);
    run_loop();
    cr_assert_eq(rc, 0);
    cr_assert_geq(eddy_now_ms() - t0, 25);
}

EDDY_TEST(poll, outside_a_coroutine_fails) {
    struct pollfd p = {.fd = 0, .events = POLLIN};
    cr_assert_eq(eddy_coro_poll(&p, 1, 10), EDDY_ECO_OUT_OF_COROUTINE);
}

static void poll_file(void *arg) {
    int *rc = arg;
    int fd = open("/proc/self/stat", O_RDONLY | O_CLOEXEC);
    struct pollfd p = {.fd = fd, .events = POLLIN};
    p.revents = 0;
    /* a regular file is always readable: poll(2) says so at once */
    *rc = eddy_coro_poll(&p, 1, 1000);
    close(fd);
}

EDDY_TEST(poll, regular_file_is_ready_at_once) {
    int rc = UNSET;
    cr_assert_gt(eddy_coro_create(poll_file, &rc), 0);
    run_loop();
    cr_assert_eq(rc, 1);
}

/* An fd the loop already watches (as an engine socket's is) can be waited
 * on as well; the loop's own watcher keeps working. */
typedef struct {
    pipe_case_t c;
    eddy_io_t io;
    int io_fired;
} watched_case_t;

static void on_watched(eddy_loop_t *loop, eddy_io_t *io, unsigned events) {
    watched_case_t *w = io->data;
    (void) loop, (void) events;
    w->io_fired++;
    eddy_io_stop(io);
}

EDDY_TEST(poll, fd_watched_by_the_loop_and_given_twice) {
    watched_case_t w = {.c = {.timeout_ms = 2000, .write_after_ms = 30}};
    cr_assert_eq(pipe2(w.c.fds, O_NONBLOCK | O_CLOEXEC), 0);
    eddy_io_init(&w.io, w.c.fds[0], on_watched);
    w.io.data = &w;
    cr_assert_eq(eddy_io_set(eddy_loop_default(), &w.io, EDDY_READ), 0);
    w.c.rc = UNSET;
    cr_assert_gt(eddy_coro_create(waiter, &w.c), 0);
    cr_assert_gt(eddy_coro_create(writer, &w.c), 0);
    run_loop();
    cr_assert_eq(w.c.rc, 1);
    cr_assert(w.c.revents & POLLIN);
    cr_assert_eq(w.io_fired, 1);
    close(w.c.fds[0]);
    close(w.c.fds[1]);
}

static void poll_twice(void *arg) {
    pipe_case_t *c = arg;
    struct pollfd p[2] = {{.fd = c->fds[0], .events = POLLIN}, {.fd = c->fds[0], .events = POLLIN}};
    c->rc = eddy_coro_poll(p, 2, c->timeout_ms);
    c->revents = (short) (p[0].revents & p[1].revents);
}

EDDY_TEST(poll, same_fd_twice_reports_both_entries) {
    pipe_case_t c = {.timeout_ms = 2000, .write_after_ms = 20};
    cr_assert_eq(pipe2(c.fds, O_NONBLOCK | O_CLOEXEC), 0);
    c.rc = UNSET;
    cr_assert_gt(eddy_coro_create(poll_twice, &c), 0);
    cr_assert_gt(eddy_coro_create(writer, &c), 0);
    run_loop();
    cr_assert_eq(c.rc, 2);
    cr_assert(c.revents & POLLIN);
    close(c.fds[0]);
    close(c.fds[1]);
}
