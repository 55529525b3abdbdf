/*
 * net module internals shared by addr.c, resolve.c and socket*.c.
 * Not a public header: nothing outside src/net includes it.
 */
#ifndef EDDY_NET_INTERNAL_H
#define EDDY_NET_INTERNAL_H

#include <errno.h>
#include <sys/socket.h>

#include "eddy/loop.h"
#include "eddy/socket.h"

/* The one place EINTR is retried for the module's system calls. A signal
 * can interrupt even a non-blocking call (connect, sendto on some paths);
 * retrying is always right for them. Never used for close(2): on Linux the
 * fd is gone even when close reports EINTR, so a retry could close a fd
 * another thread just opened. */
#define EDDY__NO_EINTR(expr)                                                  \
    __extension__({                                                           \
        __typeof__(expr) eddy__r_;                                            \
        do {                                                                  \
            eddy__r_ = (expr);                                                \
        } while (eddy__r_ < 0 && errno == EINTR);                             \
        eddy__r_;                                                             \
    })

/* ---- addr.c ------------------------------------------------------------ */

static inline const struct sockaddr *eddy__addr_sa(const eddy_addr_t *a) {
    return (const struct sockaddr *)(const void *)a->u.bytes;
}
static inline struct sockaddr *eddy__addr_sa_mut(eddy_addr_t *a) {
    return (struct sockaddr *)(void *)a->u.bytes;
}
/* Copies a kernel address into addr; EDDY_EINVAL if it does not fit. */
int eddy__addr_from_sa(eddy_addr_t *addr, const struct sockaddr *sa, socklen_t len);
/* AF_INET / AF_INET6 / AF_UNIX of a socket kind. */
int eddy__sock_family(eddy_sock_type_t type);
/* SOCK_STREAM or SOCK_DGRAM of a socket kind; -1 for an unknown kind. */
int eddy__sock_socktype(eddy_sock_type_t type);
/* Sets the port of an AF_INET/AF_INET6 address (no-op for others). */
void eddy__addr_set_port(eddy_addr_t *addr, int port);

/* Turns host+port into an address for a socket kind: numeric hosts and unix
 * paths at once, names through eddy_resolve() (so it may yield). */
int eddy__addr_lookup(eddy_addr_t *addr, eddy_sock_type_t type, const char *host, int port,
                      int64_t timeout_ms);

/* ---- socket.c ---------------------------------------------------------- */

/* Closes a fd, keeping errno; the module's only call to close(2). */
void eddy__net_close(int fd);

#endif /* EDDY_NET_INTERNAL_H */
