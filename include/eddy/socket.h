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
 *
 * TLS (eddy/tls.h) goes on a connected stream socket; from then on every
 * I/O call below moves plaintext through it, with the same rules.
 */
#ifndef EDDY_SOCKET_H
#define EDDY_SOCKET_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "eddy/coro.h"
#include "eddy/framing.h"

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

/* Buffered reads (recv_with_buffer, recv_line, recv_packet) read ahead in
 * chunks of this size. */
#define EDDY_SOCKET_READ_CHUNK 65536

/* One piece of a vectored transfer (struct iovec without the platform
 * header). At most 1024 (IOV_MAX) pieces per call. */
typedef struct {
    void *base;
    size_t len;
} eddy_iov_t;

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

/* ---- buffered and framed reads ------------------------------------------
 *
 * The socket keeps a read buffer (filled by the calls below, in chunks of
 * EDDY_SOCKET_READ_CHUNK). Every read call (recv, recv_all, readv*, peek)
 * serves buffered bytes first, so mixing them never loses or reorders
 * data. A caller waiting for more (a partial line or message) holds the
 * read side: a second reader gets EDDY_ECO_HAS_BEEN_BOUND. */

/* Up to len buffered bytes, or one recv into the buffer first when it is
 * empty. 0: the peer closed. */
ssize_t eddy_socket_recv_with_buffer(eddy_socket_t *s, void *buf, size_t len, int64_t timeout_ms);
/* Bytes up to and including the first "\n", or exactly len bytes when no
 * newline comes within len. If the peer closes first, what arrived is
 * returned (0 if nothing). */
ssize_t eddy_socket_recv_line(eddy_socket_t *s, void *buf, size_t len, int64_t timeout_ms);
/* How recv_packet splits the stream; the socket keeps a copy. NULL (or
 * EDDY_FRAMING_NONE) returns whatever arrives. EDDY_EINVAL for a bad mode. */
int eddy_socket_set_framing(eddy_socket_t *s, const eddy_framing_t *f);
/* One complete message as set_framing() defines it: its size, with *msg
 * pointing into the socket's read buffer, valid until the next call on the
 * socket (copy it out). 0: the peer closed (an incomplete message is not
 * returned). EDDY_EPACKAGE_TOO_LARGE (base.h) over package_max_length,
 * EDDY_EPROTOCOL for a malformed length field; after either the read
 * buffer is dropped (the stream is out of step: close the socket). */
ssize_t eddy_socket_recv_packet(eddy_socket_t *s, const char **msg, int64_t timeout_ms);
/* Never waits (MSG_PEEK): up to len bytes without consuming them (buffered
 * ones first); 0 when the peer closed, EDDY_EAGAIN when nothing is there. */
ssize_t eddy_socket_peek(eddy_socket_t *s, void *buf, size_t len);
/* 1 if the connection looks usable, 0 if the peer closed it (errcode
 * EDDY_ECONNRESET), it failed, or the socket is closed. Never waits. Makes
 * no system call when the last read found the socket empty and the loop
 * has reported nothing on it since (the answer is then as of the loop's
 * last poll, as a recv(MSG_PEEK) races with a hang-up arriving after it). */
int eddy_socket_check_liveness(eddy_socket_t *s);

/* ---- vectored I/O and files --------------------------------------------- */

/* Scatter read: as recv, into the pieces in order. 0: the peer closed. */
ssize_t eddy_socket_readv(eddy_socket_t *s, const eddy_iov_t *iov, size_t cnt, int64_t timeout_ms);
/* Fills every piece unless the peer closes first (returns the bytes read). */
ssize_t eddy_socket_readv_all(eddy_socket_t *s, const eddy_iov_t *iov, size_t cnt,
                              int64_t timeout_ms);
/* Gather write: as send (what fits now) / send_all (everything). */
ssize_t eddy_socket_writev(eddy_socket_t *s, const eddy_iov_t *iov, size_t cnt, int64_t timeout_ms);
ssize_t eddy_socket_writev_all(eddy_socket_t *s, const eddy_iov_t *iov, size_t cnt,
                               int64_t timeout_ms);
/* Sends length bytes of an open file from offset with sendfile(2), across
 * partial writes, under one timeout; length 0 means "to the end of the
 * file". Returns the bytes sent; EDDY_EINVAL for an offset/length outside
 * the file. The file fd stays the caller's. */
ssize_t eddy_socket_sendfile(eddy_socket_t *s, int file_fd, int64_t offset, size_t length,
                             int64_t timeout_ms);
/* The same for a path (opened read-only for the call); -ENOENT etc. */
ssize_t eddy_socket_sendfile_path(eddy_socket_t *s, const char *path, int64_t offset,
                                  size_t length, int64_t timeout_ms);

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
