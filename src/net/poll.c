/*
 * eddy_coro_poll (include/eddy/poll.h). The fds go into a private epoll
 * instance and only that instance's fd is watched by the coroutine's loop:
 * an fd the loop already watches (an engine socket, a hooked PHP stream)
 * can be waited on too, and the same fd may appear twice. Readiness comes
 * from the loop; revents from a non-blocking poll(2) once something
 * happened, so the result is exactly poll(2)'s.
 */
#include <errno.h>
#include <sys/epoll.h>
#include <unistd.h>

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
    eddy_io_stop(io); /* level-triggered: it would fire again before the waiter runs */
    if (!st->woken) {
        st->woken = 1;
        eddy_coro_wake(&st->wait, 0);
    }
}

/* poll(2) without waiting: the number of ready fds or -errno. */
static int poll_now(struct pollfd *fds, size_t n) {
    int r;
    do {
        r = poll(fds, (nfds_t) n, 0);
    } while (r < 0 && errno == EINTR);
    return r < 0 ? -errno : r;
}

static uint32_t epoll_bits(short events) {
    return ((events & POLLIN) ? EPOLLIN : 0u) | ((events & POLLOUT) ? EPOLLOUT : 0u) |
           ((events & POLLPRI) ? EPOLLPRI : 0u);
}

/* The private set: an epoll fd holding fds[], or -errno. */
static int private_set(const struct pollfd *fds, size_t n) {
    int ep = epoll_create1(EPOLL_CLOEXEC);
    if (ep < 0) return -errno;
    for (size_t i = 0; i < n; i++) {
        struct epoll_event ev = {.events = epoll_bits(fds[i].events)};
        if (fds[i].fd < 0) continue; /* poll(2) ignores negative fds too */
        ev.data.fd = fds[i].fd;
        /* EEXIST: the fd twice in the array, its first entry's events rule;
         * EPERM: a regular file, which poll_now() already found ready */
        if (epoll_ctl(ep, EPOLL_CTL_ADD, fds[i].fd, &ev) < 0 && errno != EEXIST) {
            int err = -errno;
            close(ep);
            return err;
        }
    }
    return ep;
}

int eddy_coro_poll(struct pollfd *fds, size_t n, int64_t timeout_ms) {
    poll_state_t st = {0};
    eddy_io_t io;
    int ep, rc;

    if (!eddy_coro_current()) return EDDY_ECO_OUT_OF_COROUTINE;
    if (n == 0) {
        /* nothing can wake it: "forever" is a day, re-armed */
        do {
            rc = eddy_coro_sleep(timeout_ms < 0 ? 86400000u : (uint64_t) timeout_ms);
        } while (rc == 0 && timeout_ms < 0);
        return rc;
    }
    if ((rc = poll_now(fds, n)) != 0 || timeout_ms == 0) return rc;
    if ((ep = private_set(fds, n)) < 0) return ep;

    eddy_io_init(&io, ep, on_ready);
    io.data = &st;
    rc = eddy_io_set(eddy_loop_default(), &io, EDDY_READ);
    if (rc == 0) {
        rc = eddy_coro_wait(&st.wait, timeout_ms < 0 ? EDDY_WAIT_FOREVER : timeout_ms, NULL);
        eddy_io_stop(&io);
    }
    close(ep);
    if (rc == 0 || rc == EDDY_ETIMEDOUT) return poll_now(fds, n);
    return rc;
}
