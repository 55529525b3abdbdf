/*
 * The coroutine socket's private state, shared by socket.c (lifecycle,
 * waiting, options) and socket_io.c (connect/accept/recv/send).
 *
 * Lifetime: `refs` counts the owner (1 until eddy_socket_close) plus every
 * operation in progress (eddy__sock_enter/leave). Close marks the socket
 * closed, closes the fd, wakes the reader and writer with EDDY_EBADF and
 * drops the owner's reference; memory goes when the count reaches zero, so
 * a woken operation still reads valid memory on its way out.
 */
#ifndef EDDY_SOCKET_INT_H
#define EDDY_SOCKET_INT_H

#include <stdbool.h>

#include "eddy/coro.h"
#include "eddy/loop.h"
#include "eddy/socket.h"
#include "net/net.h"

#define EDDY__ERRMSG_MAX 256

struct eddy_socket_s {
    int fd;                  /* -1 once closed */
    eddy_sock_type_t type;
    unsigned refs;
    unsigned closed;
    eddy_io_t io;            /* interest: the waiters present, plus a lingering
                                read (update_interest in socket.c) */
    uint64_t io_loop;        /* eddy_loop_default_id() when io was registered */
    eddy_wait_t *reader;     /* the one coroutine waiting to read, or NULL */
    eddy_wait_t *writer;     /* the one coroutine waiting to write, or NULL */
    unsigned reader_wants;   /* readiness each waiter waits for: its own direction, */
    unsigned writer_wants;   /* or the other one when TLS needs it (tls_io.c) */
    int64_t timeout_connect, timeout_read, timeout_write;
    int errcode;
    char errmsg[EDDY__ERRMSG_MAX];
    /* buffered reads (socket_buf.c) */
    eddy_buf_t rbuf;         /* read ahead, not yet handed out */
    size_t rbuf_hold;        /* head of rbuf lent out by recv_packet; dropped
                                at the next read */
    size_t scan_hint;        /* eddy_framing_parse resume point in rbuf */
    eddy_framing_t framing;
    /* TLS (tls.c), NULL on a plain socket; owned, freed at release */
    struct eddy__tls_s *tls;
    unsigned tls_want;       /* EDDY_READ/EDDY_WRITE: what the last TLS attempt
                                that returned EDDY_EAGAIN waits for */
    unsigned rd_drained;     /* the last plain stream read emptied the receive
                                queue (EAGAIN, or fewer bytes than asked) and
                                the loop has reported no read readiness since:
                                the next read waits before trying (read_first
                                in socket_io.c) */
    unsigned rd_empty;       /* the last read attempt on a plain stream found
                                nothing at all (EAGAIN: no data, no hang-up)
                                and the loop has reported no read readiness
                                since (eddy_socket_check_liveness) */
};

/* An absolute point in time (eddy_now_ms), or forever (-1), so that
 * retries inside one call share the call's timeout. */
typedef struct {
    int64_t at;
} eddy__deadline_t;

/* Starts an operation: EDDY_EBADF on a closed socket, else takes a ref. */
int eddy__sock_enter(eddy_socket_t *s);
/* Ends an operation: records `rc` as the last error (0 clears it, as
 * Swoole does after a successful call), drops the ref, returns rc. */
ssize_t eddy__sock_leave(eddy_socket_t *s, ssize_t rc);
/* EDDY_ECO_HAS_BEEN_BOUND (with Swoole's message) if another coroutine
 * already waits in direction `ev` (EDDY_READ or EDDY_WRITE), else 0. */
int eddy__sock_check_bound(eddy_socket_t *s, unsigned ev);
/* Yields until the fd is ready for `ev`, the deadline passes
 * (EDDY_ETIMEDOUT), the coroutine is canceled (EDDY_ECANCELED) or the
 * socket is closed (EDDY_EBADF). 0 means "retry the system call". */
int eddy__sock_wait(eddy_socket_t *s, unsigned ev, const eddy__deadline_t *dl);
/* The same, holding the `slot` direction's place (reader or writer) while
 * waiting for `ready` readiness: TLS reads that must write and back. */
int eddy__sock_wait_for(eddy_socket_t *s, unsigned slot, unsigned ready,
                        const eddy__deadline_t *dl);
/* Records an error with a message; returns code. */
int eddy__sock_set_err(eddy_socket_t *s, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* New handle for an open non-blocking fd (owner ref only). */
eddy_socket_t *eddy__sock_alloc(int fd, eddy_sock_type_t type);

/* Whether a read should wait for readiness before its first attempt:
 * s->rd_drained with the read interest still registered in the current
 * default loop, in a coroutine, with time left (socket.c). */
bool eddy__sock_read_quiet(const eddy_socket_t *s, const eddy__deadline_t *dl);
/* Whether the socket is known to hold nothing and no hang-up: s->rd_empty
 * with the read interest still registered in the current default loop,
 * so that anything arriving since would have been reported (socket.c). */
bool eddy__sock_known_empty(const eddy_socket_t *s);
/* Records what a read attempt on `s` returned (EDDY_EAGAIN or not) for
 * eddy__sock_known_empty. */
void eddy__sock_note_read(eddy_socket_t *s, ssize_t rc);

/* One non-blocking attempt: >= 0 done, EDDY_EAGAIN to wait, < 0 error. */
typedef ssize_t (*eddy__attempt_fn)(eddy_socket_t *s, void *ctx);
/* Tries `attempt`, waiting for `ev` readiness on EDDY_EAGAIN (on a TLS
 * socket: for s->tls_want, as the attempt left it), until it succeeds,
 * fails or the deadline passes. */
ssize_t eddy__sock_io_retry(eddy_socket_t *s, unsigned ev, const eddy__deadline_t *dl,
                            eddy__attempt_fn attempt, void *ctx);
/* errno after a failed call: EDDY_EAGAIN for would-block, else -errno. */
ssize_t eddy__sock_sys_err(void);
/* Moves up to len buffered bytes (socket_buf.c) into dst; the count. */
size_t eddy__sock_rbuf_take(eddy_socket_t *s, void *dst, size_t len);
/* Frees the read buffer (at the handle's release). */
void eddy__sock_rbuf_free(eddy_socket_t *s);

/* `timeout_ms` as given to a call, with EDDY_TIMEOUT_DEFAULT -> `dflt`. */
eddy__deadline_t eddy__deadline(int64_t timeout_ms, int64_t dflt);
/* Milliseconds left (0 once passed), or EDDY_WAIT_FOREVER. */
int64_t eddy__deadline_left(const eddy__deadline_t *dl);

#endif /* EDDY_SOCKET_INT_H */
