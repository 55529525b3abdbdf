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

typedef struct {
    eddy_socket_t *server; /* listening */
    eddy_socket_t *a;      /* the client end: the "pooled connection" */
    eddy_socket_t *b;      /* the accepted end: the "database" */
    int port;
} pair_t;

static int64_t go(eddy_coro_fn fn, void *arg) {
    int64_t cid = eddy_coro_create(fn, arg);
    cr_assert_gt(cid, 0, "eddy_coro_create: %s", eddy_strerror((int)cid));
    return cid;
}

static void accept_co(void *arg) {
    pair_t *p = arg;
    p->b = eddy_socket_accept(p->server, 5000, NULL);
}

static void connect_co(void *arg) {
    pair_t *p = arg;
    int err = 0;
    p->a = eddy_socket_new(EDDY_SOCK_TCP, &err);
    if (p->a && eddy_socket_connect(p->a, "127.0.0.1", p->port, 5000) < 0) {
        eddy_socket_close(p->a);
        p->a = NULL;
    }
}

/* A connected pair made on a fresh default loop, which then ends. */
static pair_t make_pair(void) {
    pair_t p = {0};
    eddy_addr_t addr;
    char host[64];
    int err = 0;
    p.server = eddy_socket_new(EDDY_SOCK_TCP, &err);
    cr_assert_not_null(p.server);
    cr_assert_eq(eddy_socket_bind(p.server, "127.0.0.1", 0), 0);
    cr_assert_eq(eddy_socket_listen(p.server, 4), 0);
    cr_assert_eq(eddy_socket_getsockname(p.server, &addr), 0);
    cr_assert_eq(eddy_addr_format(&addr, host, sizeof(host), &p.port), 0);
    go(accept_co, &p);
    go(connect_co, &p);
    cr_assert_eq(eddy_loop_run(eddy_loop_default()), 0);
    cr_assert_not_null(p.a);
    cr_assert_not_null(p.b);
    return p;
}

static void close_pair(pair_t *p) {
    eddy_socket_close(p->a);
    eddy_socket_close(p->b);
    eddy_socket_close(p->server);
}

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
