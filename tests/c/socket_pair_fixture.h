/*
 * A connected loopback TCP pair of coroutine sockets for the suites that
 * test src/net/socket.c from both ends in one process (socket_wait_first,
 * socket_linger): `a` plays the client (a pooled connection), `b` the
 * accepted peer (the database). Port 0, 5 s bounds on accept and connect.
 *
 *   pair_t p = make_pair();  // runs the default loop until both ends exist
 *   ...                      // go(fn, &state); eddy_loop_run(...)
 *   close_pair(&p);
 *
 * static inline so that a suite compiles only what it uses (-Werror).
 */
#ifndef EDDY_SOCKET_PAIR_FIXTURE_H
#define EDDY_SOCKET_PAIR_FIXTURE_H

#include "eddy/base.h"
#include "eddy/coro.h"
#include "eddy/loop.h"
#include "eddy/socket.h"
#include "coro_net_fixture.h"
#include "eddy_test.h"

typedef struct {
    eddy_socket_t *server; /* listening */
    eddy_socket_t *a;      /* the client end (the pooled connection) */
    eddy_socket_t *b;      /* the accepted end (the database) */
    int port;
} pair_t;

static inline void pair_accept_co(void *arg) {
    pair_t *p = arg;
    p->b = eddy_socket_accept(p->server, 5000, NULL);
}

static inline void pair_connect_co(void *arg) {
    pair_t *p = arg;
    int err = 0;
    p->a = eddy_socket_new(EDDY_SOCK_TCP, &err);
    if (p->a && eddy_socket_connect(p->a, "127.0.0.1", p->port, 5000) < 0) {
        eddy_socket_close(p->a);
        p->a = NULL;
    }
}

/* A connected pair made on the default loop, which has ended when this
 * returns (nothing else may be pending on it). Both ends are asserted. */
static inline pair_t make_pair(void) {
    pair_t p = {0};
    p.server = listener(&p.port);
    go(pair_accept_co, &p);
    go(pair_connect_co, &p);
    cr_assert_eq(eddy_loop_run(eddy_loop_default()), 0);
    cr_assert_not_null(p.a);
    cr_assert_not_null(p.b);
    return p;
}

/* Closes all three sockets (each may be NULL). */
static inline void close_pair(pair_t *p) {
    eddy_socket_close(p->a);
    eddy_socket_close(p->b);
    eddy_socket_close(p->server);
}

#endif /* EDDY_SOCKET_PAIR_FIXTURE_H */
