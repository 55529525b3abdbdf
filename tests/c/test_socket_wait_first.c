/*
 * A read right after the last one emptied the receive queue waits for
 * readiness before its first recv (src/net/socket.c, eddy__sock_read_quiet):
 * a pool's database connection saves the recv that would return EAGAIN on
 * every reply. What a user relies on is that no byte is ever late or lost
 * for it: data that came while the loop did not run is read at once, a
 * zero timeout still finds what is queued, end of stream is seen, and a
 * socket whose loop is gone still reads.
 *
 * The liveness check (eddy_socket_check_liveness, phpredis' question before
 * each command) skips its recv(MSG_PEEK) on the same knowledge, but only
 * after a read that found nothing: a hang-up must still be seen, whether
 * it came after the data or behind it.
 *
 * The peer end is written with plain send(2) from inside the reading
 * coroutine, so the bytes are queued without the loop running in between:
 * the loop has not reported them when the read starts. Coroutines record
 * results; the test asserts them after the loop ends. Loopback, port 0.
 */
#include "eddy_test.h"
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "eddy/base.h"
#include "eddy/coro.h"
#include "eddy/loop.h"
#include "eddy/socket.h"
#include "socket_pair_fixture.h"

/* The peer writes without yielding: the bytes are in a's queue before the
 * loop runs again. */
static void peer_send(pair_t *p, const char *text) {
    size_t len = strlen(text);
    cr_assert_eq(send(eddy_socket_fd(p->b), text, len, MSG_NOSIGNAL), (ssize_t)len);
}

/* Results of the reading coroutine, one slot per read. */
typedef struct {
    pair_t *p;
    ssize_t got[4];
    char buf[4][16];
    uint64_t ms[4]; /* how long each read took */
} reads_t;

static ssize_t timed_recv(reads_t *r, int i, int64_t timeout_ms) {
    uint64_t t0 = eddy_now_ms();
    memset(r->buf[i], 0, sizeof(r->buf[i]));
    r->got[i] = eddy_socket_recv(r->p->a, r->buf[i], sizeof(r->buf[i]) - 1, timeout_ms);
    r->ms[i] = eddy_now_ms() - t0;
    return r->got[i];
}

/* The peer's first answer comes 20 ms after the read started, so that the
 * read waits (the read interest is registered, as on a pool's connection
 * after its first reply). */
static void late_answer_co(void *arg) {
    pair_t *p = arg;
    eddy_coro_sleep(20);
    peer_send(p, "one");
}

/* Request/reply as a pool does it: the first reply is waited for, and a
 * short read drains the queue; the second is queued before the read
 * starts, and the loop has not seen it. */
static void reply_already_there_co(void *arg) {
    reads_t *r = arg;
    go(late_answer_co, r->p);
    if (timed_recv(r, 0, 5000) != 3) return;
    eddy_coro_sleep(20); /* the loop polls, sees nothing */
    peer_send(r->p, "two");
    timed_recv(r, 1, 5000);
    peer_send(r->p, "three");
    /* no time to wait at all: what is queued must still be read */
    timed_recv(r, 2, 0);
}

EDDY_TEST(socket_wait_first, a_reply_queued_after_a_drained_read_is_read_at_once,
          .timeout = 30) {
    pair_t p = make_pair();
    reads_t r = {.p = &p, .got = {-1, -1, -1, -1}};
    go(reply_already_there_co, &r);
    cr_assert_eq(eddy_loop_run(eddy_loop_default()), 0);
    cr_assert_eq(r.got[0], 3, "first read: %zd", r.got[0]);
    cr_assert_str_eq(r.buf[0], "one");
    cr_assert_eq(r.got[1], 3, "second read: %zd (%s)", r.got[1],
                 r.got[1] < 0 ? eddy_strerror((int)r.got[1]) : "");
    cr_assert_str_eq(r.buf[1], "two");
    /* one loop iteration, not the 5 s timeout */
    cr_assert_lt(r.ms[1], 1000, "the queued reply took %llu ms", (unsigned long long)r.ms[1]);
    cr_assert_eq(r.got[2], 5, "zero-timeout read: %zd (%s)", r.got[2],
                 r.got[2] < 0 ? eddy_strerror((int)r.got[2]) : "");
    cr_assert_str_eq(r.buf[2], "three");
    eddy_loop_default_close();
    close_pair(&p);
}

/* The peer answers and closes while the reader is busy: the answer, then
 * end of stream, each without waiting out the timeout. */
static void hangup_co(void *arg) {
    reads_t *r = arg;
    go(late_answer_co, r->p);
    if (timed_recv(r, 0, 5000) != 3) return;
    peer_send(r->p, "bye");
    shutdown(eddy_socket_fd(r->p->b), SHUT_WR);
    timed_recv(r, 1, 5000);
    timed_recv(r, 2, 5000);
}

EDDY_TEST(socket_wait_first, an_answer_then_a_hangup_are_both_seen_at_once, .timeout = 30) {
    pair_t p = make_pair();
    reads_t r = {.p = &p, .got = {-1, -1, -1, -1}};
    go(hangup_co, &r);
    cr_assert_eq(eddy_loop_run(eddy_loop_default()), 0);
    cr_assert_eq(r.got[1], 3, "answer: %zd", r.got[1]);
    cr_assert_str_eq(r.buf[1], "bye");
    cr_assert_eq(r.got[2], 0, "end of stream: %zd", r.got[2]);
    cr_assert_lt(r.ms[1] + r.ms[2], 1000, "took %llu ms",
                 (unsigned long long)(r.ms[1] + r.ms[2]));
    eddy_loop_default_close();
    close_pair(&p);
}

/* A read that filled the buffer did not drain the queue: the rest is read
 * by the next call, however many calls it takes. */
static void large_co(void *arg) {
    reads_t *r = arg;
    char big[64];
    memset(big, 'z', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    go(late_answer_co, r->p);
    if (timed_recv(r, 0, 5000) != 3) return;
    peer_send(r->p, big);
    ssize_t total = 0;
    for (int i = 0; i < 8 && total < (ssize_t)sizeof(big) - 1; i++) {
        ssize_t n = timed_recv(r, 0, 5000);
        if (n <= 0) break;
        total += n;
    }
    r->got[1] = total;
}

EDDY_TEST(socket_wait_first, a_full_read_leaves_the_rest_for_the_next, .timeout = 30) {
    pair_t p = make_pair();
    reads_t r = {.p = &p, .got = {-1, -1, -1, -1}};
    go(large_co, &r);
    cr_assert_eq(eddy_loop_run(eddy_loop_default()), 0);
    cr_assert_eq(r.got[1], 63, "read %zd of 63 bytes", r.got[1]);
    eddy_loop_default_close();
    close_pair(&p);
}

/* The loop the read interest was registered in is gone: a read on the next
 * loop must not wait for a report the old registration would have made. */
static void first_read_co(void *arg) {
    reads_t *r = arg;
    go(late_answer_co, r->p);
    timed_recv(r, 0, 5000);
}

static void next_loop_co(void *arg) {
    reads_t *r = arg;
    peer_send(r->p, "b");
    timed_recv(r, 1, 5000);
}

EDDY_TEST(socket_wait_first, a_drained_socket_reads_on_the_next_default_loop, .timeout = 30) {
    pair_t p = make_pair();
    reads_t r = {.p = &p, .got = {-1, -1, -1, -1}};
    go(first_read_co, &r);
    cr_assert_eq(eddy_loop_run(eddy_loop_default()), 0);
    cr_assert_eq(r.got[0], 3);
    eddy_loop_default_close();
    go(next_loop_co, &r);
    cr_assert_eq(eddy_loop_run(eddy_loop_default()), 0);
    cr_assert_eq(r.got[1], 1, "read on the next loop: %zd (%s)", r.got[1],
                 r.got[1] < 0 ? eddy_strerror((int)r.got[1]) : "");
    cr_assert_str_eq(r.buf[1], "b");
    cr_assert_lt(r.ms[1], 1000, "took %llu ms", (unsigned long long)r.ms[1]);
    eddy_loop_default_close();
    close_pair(&p);
}

/* Liveness: an empty read, then the peer hangs up while the reader sleeps
 * (the loop polls and reports it): the check says so. */
typedef struct {
    pair_t *p;
    int alive[3];
    ssize_t got;
    char buf[16];
} live_t;

static void hangup_while_idle_co(void *arg) {
    live_t *l = arg;
    go(late_answer_co, l->p);
    l->got = eddy_socket_recv(l->p->a, l->buf, sizeof(l->buf), 5000);
    /* a read that finds nothing: times out after its EAGAIN */
    if (eddy_socket_recv(l->p->a, l->buf, sizeof(l->buf), 10) != EDDY_ETIMEDOUT) return;
    l->alive[0] = eddy_socket_check_liveness(l->p->a);
    shutdown(eddy_socket_fd(l->p->b), SHUT_WR);
    eddy_coro_sleep(30);
    l->alive[1] = eddy_socket_check_liveness(l->p->a);
}

EDDY_TEST(socket_wait_first, liveness_sees_a_hangup_that_came_while_idle, .timeout = 30) {
    pair_t p = make_pair();
    live_t l = {.p = &p, .alive = {-1, -1, -1}};
    go(hangup_while_idle_co, &l);
    cr_assert_eq(eddy_loop_run(eddy_loop_default()), 0);
    cr_assert_eq(l.got, 3);
    cr_assert_eq(l.alive[0], 1, "open connection: %d", l.alive[0]);
    cr_assert_eq(l.alive[1], 0, "after the hang-up: %d", l.alive[1]);
    eddy_loop_default_close();
    close_pair(&p);
}

/* The last answer and the hang-up arrive together; the reader takes the
 * answer and asks at once, before the loop polls again: the hang-up left
 * behind the data must be seen (a read that took data proves nothing). */
static void hangup_behind_data_co(void *arg) {
    live_t *l = arg;
    go(late_answer_co, l->p);
    if (eddy_socket_recv(l->p->a, l->buf, sizeof(l->buf), 5000) != 3) return;
    peer_send(l->p, "bye");
    shutdown(eddy_socket_fd(l->p->b), SHUT_WR);
    l->got = eddy_socket_recv(l->p->a, l->buf, sizeof(l->buf), 5000);
    l->alive[0] = eddy_socket_check_liveness(l->p->a);
}

EDDY_TEST(socket_wait_first, liveness_sees_a_hangup_behind_the_last_answer, .timeout = 30) {
    pair_t p = make_pair();
    live_t l = {.p = &p, .alive = {-1, -1, -1}};
    go(hangup_behind_data_co, &l);
    cr_assert_eq(eddy_loop_run(eddy_loop_default()), 0);
    cr_assert_eq(l.got, 3, "answer: %zd", l.got);
    cr_assert_eq(l.alive[0], 0, "after the answer and the hang-up: %d", l.alive[0]);
    eddy_loop_default_close();
    close_pair(&p);
}
