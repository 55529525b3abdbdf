/* eddy_coro_poll (include/eddy/poll.h): readiness comes from the loop, the
 * revents from a non-blocking poll(2) once something happened, so the
 * result is exactly poll(2)'s even for conditions epoll reports coarsely. */
#include <errno.h>

#include "eddy/base.h"
#include "eddy/coro.h"
#include "eddy/loop.h"
#include "eddy/poll.h"

typedef struct {
    eddy_wait_t wait;
    int woken;
} poll_state_t;

static void on_ready(eddy_loop_t *loop, eddy_io_t *io, unsigned events) {
    poll_state_t *st = io->data;
    (void) loop, (void) events;
    if (!st->woken) {
        st->woken = 1;
        eddy_coro_wake(&st->wait, 0);
    }
}

static void on_abort(eddy_wait_t *w) {
    (void) w; /* nothing queued: the watchers are stopped by the waiter */
}

/* poll(2) without waiting: the number of ready fds or -errno. */
static int poll_now(struct pollfd *fds, size_t n) {
    int r;
    do {
        r = poll(fds, (nfds_t) n, 0);
    } while (r < 0 && errno == EINTR);
    return r < 0 ? -errno : r;
}

static unsigned interest(short events) {
    return ((events & POLLIN) ? EDDY_READ : 0u) | ((events & POLLOUT) ? EDDY_WRITE : 0u);
}

int eddy_coro_poll(struct pollfd *fds, size_t n, int64_t timeout_ms) {
    poll_state_t st = {0};
    eddy_io_t *ios;
    size_t started = 0;
    int rc;

    if (!eddy_coro_current()) return EDDY_ECO_OUT_OF_COROUTINE;
    if (n == 0) {
        /* nothing can wake it: "forever" is a day, re-armed */
        do {
            rc = eddy_coro_sleep(timeout_ms < 0 ? 86400000u : (uint64_t) timeout_ms);
        } while (rc == 0 && timeout_ms < 0);
        return rc;
    }
    if ((rc = poll_now(fds, n)) != 0 || timeout_ms == 0) return rc;

    ios = eddy_calloc(n, sizeof(*ios)); /* owned here, freed before returning */
    for (; started < n; started++) {
        eddy_io_init(&ios[started], fds[started].fd, on_ready);
        ios[started].data = &st;
        unsigned want = interest(fds[started].events);
        if (want && eddy_io_set(eddy_loop_default(), &ios[started], want) < 0) {
            rc = EDDY_EINVAL;
            break;
        }
    }
    if (rc == 0) {
        rc = eddy_coro_wait(&st.wait, timeout_ms < 0 ? EDDY_WAIT_FOREVER : timeout_ms, on_abort);
    }
    for (size_t i = 0; i < started; i++) eddy_io_stop(&ios[i]);
    eddy_free(ios);
    if (rc == EDDY_ETIMEDOUT || rc == 0) return poll_now(fds, n);
    return rc;
}
