/*
 * fd readiness through epoll, level-triggered.
 *
 * The backend seam is the four static functions at the top (ctl, translate
 * in, translate out, wait) plus eddy__io_backend_init/close: another poller
 * (kqueue, poll) replaces only those.
 *
 * Stale events: one epoll_wait batch can hold events for several watchers,
 * and a callback may stop any of them (and close or reuse their fds, or free
 * the memory holding them). Stopping a watcher therefore erases it from the
 * rest of the batch being dispatched (libuv's uv__platform_invalidate_fd),
 * so no callback ever sees an event for a watcher stopped earlier in the
 * batch, and the dispatcher never touches its memory again. A watcher whose
 * interest shrank mid-batch only gets the bits it still asks for.
 *
 * Stop a watcher before closing its fd: epoll forgets a closed fd by itself,
 * but if the number is reused and watched again, a late eddy_io_stop() on
 * the old watcher would remove the new registration.
 */
#include <sys/epoll.h>

#include "loop/internal.h"

#define EVENTS_MIN 64
#define EVENTS_MAX 4096

static int backend_ctl(eddy_loop_t *loop, int op, int fd, uint32_t events, void *tag) {
    struct epoll_event ev = {.events = events, .data.ptr = tag};
    return epoll_ctl(loop->epfd, op, fd, &ev) < 0 ? -errno : 0;
}

static uint32_t to_backend(unsigned events) {
    return (events & EDDY_READ ? EPOLLIN : 0) | (events & EDDY_WRITE ? EPOLLOUT : 0);
}

/* Errors and hang-ups wake both directions (see EDDY_ERROR in loop.h), but
 * only the ones the watcher asked for, plus EDDY_ERROR itself. */
static unsigned from_backend(uint32_t ev, unsigned interest) {
    unsigned r = (ev & EPOLLIN ? EDDY_READ : 0) | (ev & EPOLLOUT ? EDDY_WRITE : 0);
    if (ev & (EPOLLERR | EPOLLHUP)) return (interest & (EDDY_READ | EDDY_WRITE)) | EDDY_ERROR;
    return r & interest;
}

static int backend_wait(eddy_loop_t *loop, int timeout_ms) {
    int n = epoll_wait(loop->epfd, loop->epoll_events, loop->epoll_events_cap, timeout_ms);
    if (n >= 0) return n;
    return errno == EINTR ? 0 : -errno; /* EINTR: the loop just iterates again */
}

int eddy__io_backend_init(eddy_loop_t *loop) {
    loop->epfd = epoll_create1(EPOLL_CLOEXEC);
    if (loop->epfd < 0) return -errno;
    loop->epoll_events = eddy_malloc(EVENTS_MIN * sizeof(struct epoll_event));
    loop->epoll_events_cap = EVENTS_MIN;
    return 0;
}

void eddy__io_backend_close(eddy_loop_t *loop) {
    eddy__loop_close_fd(&loop->epfd);
    eddy_free(loop->epoll_events);
    loop->epoll_events = NULL;
    loop->epoll_events_cap = 0;
}

int eddy__io_watch_internal(eddy_loop_t *loop, int fd, void *tag) {
    return backend_ctl(loop, EPOLL_CTL_ADD, fd, EPOLLIN, tag);
}

void eddy_io_init(eddy_io_t *io, int fd, eddy_io_cb cb) {
    io->fd = fd;
    io->events = 0;
    io->cb = cb;
    io->loop = NULL;
    io->unref = 0;
}

/* Drops `io` from the part of the current batch not yet dispatched. */
static void invalidate(eddy_loop_t *loop, eddy_io_t *io) {
    struct epoll_event *ev = loop->epoll_events;
    for (int i = 0; i < loop->epoll_batch; i++)
        if (ev[i].data.ptr == io) ev[i].data.ptr = NULL;
}

int eddy_io_set(eddy_loop_t *loop, eddy_io_t *io, unsigned events) {
    events &= EDDY_READ | EDDY_WRITE;
    if (io->events && io->loop != loop) eddy_io_stop(io);
    if (!events) {
        eddy_io_stop(io);
        return 0;
    }
    if (events == io->events) return 0;
    int op = io->events ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
    int rc = backend_ctl(loop, op, io->fd, to_backend(events), io);
    /* The fd may have been closed and reopened behind our back (MOD:
     * ENOENT), or registered still through a dup (ADD: EEXIST). */
    if (rc == -ENOENT && op == EPOLL_CTL_MOD)
        rc = backend_ctl(loop, EPOLL_CTL_ADD, io->fd, to_backend(events), io);
    else if (rc == -EEXIST && op == EPOLL_CTL_ADD)
        rc = backend_ctl(loop, EPOLL_CTL_MOD, io->fd, to_backend(events), io);
    if (rc < 0) return rc;
    if (!io->events && !io->unref) loop->active_io++;
    io->events = events;
    io->loop = loop;
    return 0;
}

void eddy_io_stop(eddy_io_t *io) {
    if (!io->events) return;
    eddy_loop_t *loop = io->loop;
    /* EBADF/ENOENT: the fd was closed first, epoll already forgot it. */
    (void)backend_ctl(loop, EPOLL_CTL_DEL, io->fd, 0, NULL);
    io->events = 0;
    if (!io->unref) loop->active_io--;
    invalidate(loop, io);
}

/* active_io counts the watchers with interest that are referenced. */
void eddy_io_unref(eddy_io_t *io) {
    if (io->unref) return;
    io->unref = 1;
    if (io->events) io->loop->active_io--;
}

void eddy_io_ref(eddy_io_t *io) {
    if (!io->unref) return;
    io->unref = 0;
    if (io->events) io->loop->active_io++;
}

static void dispatch(eddy_loop_t *loop, struct epoll_event *ev) {
    void *tag = ev->data.ptr;
    if (!tag) return; /* invalidated earlier in this batch */
    if (tag == &loop->wakefd) {
        eddy__work_dispatch(loop);
    } else if (tag == &loop->sigfd) {
        eddy__signal_dispatch(loop);
    } else {
        eddy_io_t *io = tag;
        unsigned events = from_backend(ev->events, io->events);
        if (events) io->cb(loop, io, events);
    }
}

int eddy__io_poll(eddy_loop_t *loop, int timeout_ms) {
    int n = backend_wait(loop, timeout_ms);
    eddy_loop_update_time(loop); /* callbacks see the time they woke at */
    if (n <= 0) return n;
    struct epoll_event *ev = loop->epoll_events;
    loop->epoll_batch = n;
    for (int i = 0; i < n; i++) dispatch(loop, &ev[i]);
    loop->epoll_batch = 0;
    /* A full batch hints at more ready fds than room: grow, up to a bound. */
    if (n == loop->epoll_events_cap && n < EVENTS_MAX) {
        loop->epoll_events_cap = n * 2;
        loop->epoll_events =
            eddy_realloc(loop->epoll_events, (size_t)n * 2 * sizeof(struct epoll_event));
    }
    return 0;
}
