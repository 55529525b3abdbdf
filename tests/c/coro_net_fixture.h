/*
 * The three helpers of the suites that run both ends of a connection as
 * coroutines on the default loop in the test process (tls, http_client,
 * socket_wait_first, socket_linger): start a coroutine, run the loop to its
 * end, and listen on a loopback port the kernel picks.
 *
 * static inline so that a suite compiles only what it uses (-Werror).
 */
#ifndef EDDY_CORO_NET_FIXTURE_H
#define EDDY_CORO_NET_FIXTURE_H

#include "eddy/base.h"
#include "eddy/coro.h"
#include "eddy/loop.h"
#include "eddy/socket.h"
#include "eddy_test.h"

/* Starts a coroutine; a failure to create one fails the test. */
static inline int64_t go(eddy_coro_fn fn, void *arg) {
    int64_t cid = eddy_coro_create(fn, arg);
    cr_assert_gt(cid, 0, "eddy_coro_create: %s", eddy_strerror((int)cid));
    return cid;
}

/* Runs the default loop until nothing is left on it, then closes it: the
 * next test (or the next phase of this one) starts on a fresh loop. */
static inline void run_loop(void) {
    cr_assert_eq(eddy_loop_run(eddy_loop_default()), 0);
    eddy_loop_default_close();
}

/* A TCP socket listening on 127.0.0.1 at a free port, stored in *port;
 * the caller closes it. */
static inline eddy_socket_t *listener(int *port) {
    int err = 0;
    eddy_addr_t a;
    char host[64];
    eddy_socket_t *s = eddy_socket_new(EDDY_SOCK_TCP, &err);
    cr_assert_not_null(s);
    cr_assert_eq(eddy_socket_bind(s, "127.0.0.1", 0), 0);
    cr_assert_eq(eddy_socket_listen(s, 64), 0);
    cr_assert_eq(eddy_socket_getsockname(s, &a), 0);
    cr_assert_eq(eddy_addr_format(&a, host, sizeof(host), port), 0);
    return s;
}

#endif /* EDDY_CORO_NET_FIXTURE_H */
