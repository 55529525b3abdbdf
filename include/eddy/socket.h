/*
 * eddy coroutine sockets: TCP (IPv4/IPv6), UDP, unix stream and datagram.
 *
 * Every call that can block yields the calling coroutine to the loop instead;
 * outside a coroutine such a call fails with EDDY_ECO_OUT_OF_COROUTINE.
 * Sizes or 0 on success, negative EDDY_E* / -errno on failure; the socket
 * also keeps its last error code and a message (eddy_socket_errmsg()).
 *
 * Timeouts are in ms. Each socket has a connect, read and write timeout
 * (default EDDY_WAIT_FOREVER); calls take a timeout argument where
 * EDDY_TIMEOUT_DEFAULT means "use the socket's". An elapsed timeout fails
 * with EDDY_ETIMEDOUT.
 *
 * One reading and one writing coroutine at a time: a second reader (or
 * writer) fails with EDDY_ECO_HAS_BEEN_BOUND and the message "Socket#N has
 * already been bound to another coroutine#M, reading of the same socket in
 * coroutine#K at the same time is not allowed".
 *
 * Ownership: eddy_socket_new()/eddy_socket_close(). Closing a socket that
 * other coroutines wait on wakes them with EDDY_EBADF; its memory is freed
 * when the last of them has returned, so no one touches freed memory.
 */
#ifndef EDDY_SOCKET_H
#define EDDY_SOCKET_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "eddy/coro.h"

typedef struct eddy_socket_s eddy_socket_t; /* opaque */

/* Kinds, numbered as Swoole's SWOOLE_SOCK_*. */
typedef enum {
    EDDY_SOCK_TCP = 1,
    EDDY_SOCK_UDP = 2,
    EDDY_SOCK_TCP6 = 3,
    EDDY_SOCK_UDP6 = 4,
    EDDY_SOCK_UNIX_STREAM = 5,
    EDDY_SOCK_UNIX_DGRAM = 6
} eddy_sock_type_t;

#define EDDY_TIMEOUT_DEFAULT (-2)

/* A socket address of any family, without platform headers. */
typedef struct {
    union {
        unsigned char bytes[112]; /* holds a sockaddr_in6 or sockaddr_un */
        uint64_t align;
    } u;
    uint32_t len;
} eddy_addr_t;

/* ---- addresses --------------------------------------------------------- */

/* Numeric host ("127.0.0.1", "::1") and port into addr; EDDY_EINVAL if the
 * host is not a numeric address. For unix kinds the host is the path. */
int eddy_addr_parse(eddy_addr_t *addr, eddy_sock_type_t type, const char *host, int port);
/* Writes the host (or unix path) into host[hostlen] and the port; 0 or EDDY_EINVAL. */
int eddy_addr_format(const eddy_addr_t *addr, char *host, size_t hostlen, int *port);

/* Resolves `name` for `family` (AF_INET, AF_INET6 or 0 for either) on the
 * thread pool, so the loop keeps running. Fills up to max addresses with
 * port 0; returns the count, or EDDY_ETIMEDOUT, EDDY_ECANCELED,
 * -ENOENT (no such host), EDDY_ECO_OUT_OF_COROUTINE. */
int eddy_resolve(const char *name, int family, eddy_addr_t *out, size_t max, int64_t timeout_ms);

/* ---- lifecycle --------------------------------------------------------- */

/* A new non-blocking, close-on-exec socket; NULL with *err set on failure. */
eddy_socket_t *eddy_socket_new(eddy_sock_type_t type, int *err);
/* Wraps an fd the caller gives up (made non-blocking). NULL on bad fd. */
eddy_socket_t *eddy_socket_from_fd(int fd, eddy_sock_type_t type);
/* Closes the fd, wakes waiters with EDDY_EBADF, releases the handle. */
void eddy_socket_close(eddy_socket_t *s);

/* ---- connection setup -------------------------------------------------- */

/* Host may be a name (resolved without blocking), an IP, or a unix path. */
int eddy_socket_connect(eddy_socket_t *s, const char *host, int port, int64_t timeout_ms);
int eddy_socket_bind(eddy_socket_t *s, const char *host, int port);
int eddy_socket_listen(eddy_socket_t *s, int backlog);
/* A connected socket, or NULL with *err (EDDY_ETIMEDOUT, EDDY_EBADF...). */
eddy_socket_t *eddy_socket_accept(eddy_socket_t *s, int64_t timeout_ms, int *err);
/* SHUT_RD / SHUT_WR / SHUT_RDWR. */
int eddy_socket_shutdown(eddy_socket_t *s, int how);

/* ---- I/O --------------------------------------------------------------- */

/* Up to len bytes as soon as any arrive; 0 means the peer closed. */
ssize_t eddy_socket_recv(eddy_socket_t *s, void *buf, size_t len, int64_t timeout_ms);
/* Exactly len bytes unless the peer closes first (returns fewer) or an
 * error/timeout occurs (negative; bytes already read are lost to the caller
 * only in that case, as in Swoole's recvAll). */
ssize_t eddy_socket_recv_all(eddy_socket_t *s, void *buf, size_t len, int64_t timeout_ms);
/* Writes what fits now (waiting once for writability if nothing fits). */
ssize_t eddy_socket_send(eddy_socket_t *s, const void *buf, size_t len, int64_t timeout_ms);
/* Writes everything, across partial writes; the timeout covers the whole call. */
ssize_t eddy_socket_send_all(eddy_socket_t *s, const void *buf, size_t len, int64_t timeout_ms);
ssize_t eddy_socket_recvfrom(eddy_socket_t *s, void *buf, size_t len, eddy_addr_t *from,
                             int64_t timeout_ms);
ssize_t eddy_socket_sendto(eddy_socket_t *s, const char *host, int port, const void *buf,
                           size_t len);

/* ---- options and status ------------------------------------------------ */

typedef enum { EDDY_TIMEOUT_CONNECT = 1, EDDY_TIMEOUT_READ = 2, EDDY_TIMEOUT_WRITE = 4 } eddy_timeout_kind_t;
#define EDDY_TIMEOUT_ALL (EDDY_TIMEOUT_CONNECT | EDDY_TIMEOUT_READ | EDDY_TIMEOUT_WRITE)

/* Sets the default timeout of the kinds in `which` (a mask). */
void eddy_socket_set_timeout(eddy_socket_t *s, unsigned which, int64_t timeout_ms);
int64_t eddy_socket_get_timeout(const eddy_socket_t *s, eddy_timeout_kind_t kind);
int eddy_socket_setopt(eddy_socket_t *s, int level, int name, const void *val, uint32_t len);
int eddy_socket_getopt(eddy_socket_t *s, int level, int name, void *val, uint32_t *len);
int eddy_socket_getpeername(eddy_socket_t *s, eddy_addr_t *addr);
int eddy_socket_getsockname(eddy_socket_t *s, eddy_addr_t *addr);

int eddy_socket_fd(const eddy_socket_t *s); /* -1 once closed */
eddy_sock_type_t eddy_socket_type(const eddy_socket_t *s);
int eddy_socket_errcode(const eddy_socket_t *s);       /* last error, 0 if none */
const char *eddy_socket_errmsg(const eddy_socket_t *s); /* "" if none */

#endif /* EDDY_SOCKET_H */
