/*
 * Private interface between the files of the loop module. Nothing here is
 * part of the public contract (include/eddy/loop.h, include/eddy/timer.h).
 */
#ifndef EDDY_LOOP_INTERNAL_H
#define EDDY_LOOP_INTERNAL_H

#include <errno.h>
#include <unistd.h>

#include "eddy/loop.h"
#include "eddy/timer.h"

/* io.c: the epoll backend. The loop's own fds (signalfd, wake eventfd) are
 * registered with their field's address as the event tag, so a user watcher
 * can never be mistaken for them. */
int eddy__io_backend_init(eddy_loop_t *loop);
void eddy__io_backend_close(eddy_loop_t *loop);
int eddy__io_watch_internal(eddy_loop_t *loop, int fd, void *tag);
/* Waits up to timeout_ms (-1: forever) and dispatches what is ready.
 * Returns 0, or a negative errno other than EINTR. */
int eddy__io_poll(eddy_loop_t *loop, int timeout_ms);

/* timer.c */
void eddy__timer_run(eddy_loop_t *loop);
/* ms until the nearest timer is due (0 if overdue), -1 with no timer. */
int eddy__timer_timeout(eddy_loop_t *loop);
void eddy__timer_close(eddy_loop_t *loop);

/* signal.c */
void eddy__signal_dispatch(eddy_loop_t *loop);
void eddy__signal_close(eddy_loop_t *loop);

/* defer.c */
void eddy__defer_run(eddy_loop_t *loop);
void eddy__defer_close(eddy_loop_t *loop);

/* work.c */
void eddy__work_dispatch(eddy_loop_t *loop);
void eddy__work_close(eddy_loop_t *loop);
/* Starts the pool if work is queued but no thread runs it (after fork). */
void eddy__work_resume(eddy_loop_t *loop);

/* The module's one place for EINTR on read/write of its own fds (eventfd,
 * signalfd); they are non-blocking, so EAGAIN comes back to the caller. */
static inline ssize_t eddy__loop_read(int fd, void *buf, size_t n) {
    ssize_t r;
    do r = read(fd, buf, n);
    while (r < 0 && errno == EINTR);
    return r;
}

static inline ssize_t eddy__loop_write(int fd, const void *buf, size_t n) {
    ssize_t r;
    do r = write(fd, buf, n);
    while (r < 0 && errno == EINTR);
    return r;
}

/* Closes an fd the loop owns, once: -1 means "none". close(2) is not retried
 * on EINTR: on Linux the fd is released anyway and a retry could close an fd
 * another thread just opened. */
static inline void eddy__loop_close_fd(int *fd) {
    if (*fd >= 0) close(*fd);
    *fd = -1;
}

#endif /* EDDY_LOOP_INTERNAL_H */
