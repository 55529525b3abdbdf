/*
 * The read interest a coroutine socket keeps between waits (src/net/socket.c,
 * update_interest): it saves the epoll_ctl calls of request/reply traffic,
 * but must never keep a loop running, spin the loop when data comes for
 * nobody, or outlive the default loop it was registered with.
 *
 * Coroutines record results; the test asserts them after the loop ends, on
 * its own stack. Loopback only, port 0.
 */
#include "eddy_test.h"
#include <string.h>

#include "eddy/base.h"
#include "eddy/coro.h"
#include "eddy/loop.h"
#include "eddy/socket.h"
#include "socket_pair_fixture.h"

/* One request and its reply: the client waits for the reply (read
 * interest registered), gets it, and leaves the socket idle. */
typedef struct {
    pair_t *p;
    ssize_t got;
    char buf[16];
} rr_t;

static void server_reply_co(void *arg) {
    rr_t *r = arg;
    char req[16];
    if (eddy_socket_recv(r->p->b, req, sizeof(req), 5000) > 0) {
        eddy_socket_send_all(r->p->b, "pong", 4, 5000);
    }
}

static void client_request_co(void *arg) {
    rr_t *r = arg;
    if (eddy_socket_send_all(r->p->a, "ping", 4, 5000) != 4) return;
    r->got = eddy_socket_recv(r->p->a, r->buf, sizeof(r->buf), 5000);
}

static ssize_t request_reply(pair_t *p, char *reply) {
    rr_t r = {.p = p, .got = -1};
    go(server_reply_co, &r);
    go(client_request_co, &r);
    uint64_t t0 = eddy_now_ms();
    cr_assert_eq(eddy_loop_run(eddy_loop_default()), 0);
    /* the loop ended on its own, not after a 5 s timeout */
    cr_assert_lt(eddy_now_ms() - t0, 3000, "the loop ran %llu ms",
                 (unsigned long long)(eddy_now_ms() - t0));
    if (r.got > 0) memcpy(reply, r.buf, (size_t)r.got);
    return r.got;
}

EDDY_TEST(socket_linger, an_idle_connection_after_a_reply_keeps_no_loop_running, .timeout = 30) {
    pair_t p = make_pair();
    char reply[16];
    /* twice on the same loop: the second wait reuses the kept interest */
    cr_assert_eq(request_reply(&p, reply), 4);
    cr_assert_eq(memcmp(reply, "pong", 4), 0);
    cr_assert_eq(request_reply(&p, reply), 4);
    cr_assert_eq(memcmp(reply, "pong", 4), 0);
    eddy_loop_default_close();
    close_pair(&p);
}

EDDY_TEST(socket_linger, a_connection_works_on_the_next_default_loop, .timeout = 30) {
    pair_t p = make_pair();
    char reply[16];
    cr_assert_eq(request_reply(&p, reply), 4);
    /* the loop the interest was kept in is gone; a new one must see the
     * reply (the socket registers again instead of trusting the old one) */
    eddy_loop_default_close();
    cr_assert_eq(request_reply(&p, reply), 4);
    cr_assert_eq(memcmp(reply, "pong", 4), 0);
    eddy_loop_default_close();
    /* and closing after the loop is gone touches nothing freed (ASan) */
    close_pair(&p);
}

/* Data for a client that is not reading: the kept interest fires once and
 * is dropped, instead of the level-triggered loop spinning until the
 * client reads. */
typedef struct {
    pair_t *p;
    ssize_t got;
    char buf[16];
} late_t;

static void unsolicited_co(void *arg) {
    late_t *l = arg;
    eddy_socket_send_all(l->p->b, "news", 4, 5000);
}

static void late_reader_co(void *arg) {
    late_t *l = arg;
    eddy_coro_sleep(300);
    l->got = eddy_socket_recv(l->p->a, l->buf, sizeof(l->buf), 5000);
}

static void count_iteration(eddy_loop_t *loop, void *arg) {
    (void)loop;
    ++*(unsigned *)arg;
}

EDDY_TEST(socket_linger, data_for_nobody_does_not_spin_the_loop, .timeout = 30) {
    pair_t p = make_pair();
    char reply[16];
    unsigned iterations = 0;
    cr_assert_eq(request_reply(&p, reply), 4); /* read interest now kept */
    late_t l = {.p = &p, .got = -1};
    eddy_loop_t *loop = eddy_loop_default();
    eddy_loop_set_cycle(loop, EDDY_CYCLE_AFTER, count_iteration, &iterations);
    go(late_reader_co, &l);
    go(unsolicited_co, &l);
    cr_assert_eq(eddy_loop_run(loop), 0);
    eddy_loop_set_cycle(loop, EDDY_CYCLE_AFTER, NULL, NULL);
    cr_assert_eq(l.got, 4);
    cr_assert_eq(memcmp(l.buf, "news", 4), 0);
    /* a handful (the send, the stray event, the sleep's timer, the read),
     * not one per loop turn for 300 ms */
    cr_assert_lt(iterations, 20, "%u iterations", iterations);
    eddy_loop_default_close();
    close_pair(&p);
}

/* The peer hanging up on an idle connection is seen by the next read. */
static void hangup_reader_co(void *arg) {
    late_t *l = arg;
    eddy_coro_sleep(100);
    l->got = eddy_socket_recv(l->p->a, l->buf, sizeof(l->buf), 5000);
}

EDDY_TEST(socket_linger, a_hang_up_while_idle_reads_as_end_of_stream, .timeout = 30) {
    pair_t p = make_pair();
    char reply[16];
    cr_assert_eq(request_reply(&p, reply), 4);
    eddy_socket_close(p.b);
    p.b = NULL;
    late_t l = {.p = &p, .got = -1};
    go(hangup_reader_co, &l);
    cr_assert_eq(eddy_loop_run(eddy_loop_default()), 0);
    cr_assert_eq(l.got, 0);
    eddy_loop_default_close();
    close_pair(&p);
}
