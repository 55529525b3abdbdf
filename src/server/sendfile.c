/*
 * Zero-copy file bodies for BASE workers: sendfile(2) from a file straight
 * into a connection's socket, for as much as the socket takes now. Only
 * while nothing is queued for the connection (queued bytes were sent
 * earlier and must leave first); the caller then waits and tries again.
 * A PROCESS worker does not own the socket (a reactor thread of the
 * master does) and gets EDDY_EWRONG_OP, as does a file sendfile(2) cannot
 * read: both mean "send the bytes with eddy_server_send instead".
 * eddy_server_sendfile_wait() then asks for one call back when the socket
 * takes data again (EPOLLOUT), so a slow client costs no polling.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <time.h>
#include <sys/sendfile.h>

#include "server/internal.h"
#include "server/ipc.h"

/* sendfile(2) has no MSG_NOSIGNAL: to a peer that has gone it raises
 * SIGPIPE, whose default action would kill the worker. The signal is
 * blocked around the call and a pending one taken back, so the caller
 * sees EPIPE as from send(). */
static ssize_t send_quiet(int sock, int file_fd, off_t *off, size_t len) {
    sigset_t pipe_set, old;
    sigemptyset(&pipe_set);
    sigaddset(&pipe_set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
    ssize_t n = sendfile(sock, file_fd, off, len);
    int err = errno;
    sigset_t pending;
    if (!sigismember(&old, SIGPIPE) && sigpending(&pending) == 0 &&
        sigismember(&pending, SIGPIPE)) {
        struct timespec now = {0, 0};
        sigtimedwait(&pipe_set, NULL, &now);
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    errno = err;
    return n;
}

ssize_t eddy_server_sendfile(eddy_server_t *srv, int fd, int file_fd, uint64_t offset,
                             size_t len) {
    int err;
    if (srv->mode == EDDY_SERVER_PROCESS || eddy__ipc_remote(srv, fd)) return EDDY_EWRONG_OP;
    eddy__conn_t *c = eddy__worker_conn(srv, fd, &err);
    if (err) return err;
    if (c->out.len) return EDDY_EAGAIN;
    off_t off = (off_t)offset;
    for (;;) {
        ssize_t n = send_quiet(c->fd, file_fd, &off, len);
        if (n >= 0) return n;
        if (errno == EINTR) continue;
        if (errno == EAGAIN) return EDDY_EAGAIN;
        /* The file's side: not sendfile-able, or unreadable. */
        if (errno == EINVAL || errno == ENOSYS || errno == EOVERFLOW) return EDDY_EWRONG_OP;
        if (errno == EIO) return -EIO;
        err = -errno; /* the socket's side: the peer is gone */
        eddy__conn_close(srv, c);
        return err;
    }
}

int eddy_server_sendfile_wait(eddy_server_t *srv, int fd,
                              void (*cb)(eddy_server_t *srv, int fd, void *arg), void *arg) {
    int err;
    if (srv->mode == EDDY_SERVER_PROCESS || eddy__ipc_remote(srv, fd)) return EDDY_EWRONG_OP;
    eddy__conn_t *c = eddy__worker_conn(srv, fd, &err);
    if (err) return err;
    c->on_writable = cb;
    c->writable_arg = arg;
    /* Level-triggered: EDDY_WRITE stays only while someone waits or bytes
     * are queued, or an idle writable socket would wake the loop forever. */
    if (cb) eddy_io_set(&srv->loop, &c->io, c->io.events | EDDY_WRITE);
    else if (!c->out.len) eddy_io_set(&srv->loop, &c->io, c->io.events & ~EDDY_WRITE);
    return 0;
}

void eddy__conn_writable(eddy_server_t *srv, eddy__conn_t *c) {
    void (*cb)(eddy_server_t *, int, void *) = c->on_writable;
    c->on_writable = NULL;
    eddy_io_set(&srv->loop, &c->io, c->io.events & ~EDDY_WRITE); /* nothing queued */
    cb(srv, c->session, c->writable_arg);
}
