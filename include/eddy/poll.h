/*
 * eddy_coro_poll: poll(2) for a coroutine. Waits until one of the given
 * file descriptors is ready or the timeout passes, yielding to the loop
 * meanwhile, so foreign fds (a libcurl multi handle's sockets, a pipe from
 * another library) can be waited on without blocking the thread.
 *
 *   struct pollfd p = {.fd = fd, .events = POLLIN};
 *   int n = eddy_coro_poll(&p, 1, 500);   // 1: p.revents says why
 *
 * Any fd works, also one the loop already watches (an engine socket, a
 * hooked PHP stream): the wait uses a private epoll set nested in the
 * loop. POLLIN, POLLOUT and POLLPRI interest is taken (for an fd given
 * twice, its first entry's); revents is filled as poll(2) fills it
 * (POLLERR / POLLHUP / POLLNVAL included). Costs an epoll set per call.
 */
#ifndef EDDY_POLL_H
#define EDDY_POLL_H

#include <poll.h>
#include <stddef.h>
#include <stdint.h>

/* Number of fds with a non-zero revents (>= 1) once one is ready; 0 when
 * timeout_ms (EDDY_WAIT_FOREVER or negative: no limit) passed first; or
 * EDDY_ECO_OUT_OF_COROUTINE, EDDY_ECANCELED (eddy_coro_cancel), -errno
 * from poll(2) or epoll (EBADF for a closed fd). With n == 0 it sleeps
 * for timeout_ms (0, or EDDY_ECANCELED). */
int eddy_coro_poll(struct pollfd *fds, size_t n, int64_t timeout_ms);

#endif /* EDDY_POLL_H */
