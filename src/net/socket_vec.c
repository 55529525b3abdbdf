/*
 * Vectored transfers (readv/writev and their _all forms) and sendfile(2)
 * on a coroutine socket. Same rules as socket_io.c: one reader and one
 * writer, one deadline per call across every partial transfer.
 *
 * The caller's eddy_iov_t array is copied into a struct iovec array the
 * call may advance, so the caller's stays untouched.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>

#include "net/socket_int.h"
#include "net/tls_int.h"

typedef struct {
    struct iovec *iov;
    size_t cnt;
} vec_t;

/* A private, advanceable copy; EDDY_EINVAL over IOV_MAX pieces. */
static int vec_copy(vec_t *v, const eddy_iov_t *iov, size_t cnt) {
    if (cnt > IOV_MAX) return EDDY_EINVAL;
    v->iov = eddy_malloc((cnt ? cnt : 1) * sizeof(*v->iov));
    v->cnt = cnt;
    for (size_t i = 0; i < cnt; i++) {
        v->iov[i].iov_base = iov[i].base;
        v->iov[i].iov_len = iov[i].len;
    }
    return 0;
}

static size_t vec_total(const vec_t *v) {
    size_t t = 0;
    for (size_t i = 0; i < v->cnt; i++) t += v->iov[i].iov_len;
    return t;
}

/* Skips n transferred bytes: drops finished pieces, trims the next one. */
static void vec_advance(vec_t *v, size_t n) {
    while (v->cnt && n >= v->iov->iov_len) {
        n -= v->iov->iov_len;
        v->iov++;
        v->cnt--;
    }
    if (v->cnt && n) {
        v->iov->iov_base = (char *)v->iov->iov_base + n;
        v->iov->iov_len -= n;
    }
}

/* Buffered bytes (socket_buf.c) scattered into the pieces first. */
static size_t vec_take_buffered(eddy_socket_t *s, vec_t *v) {
    size_t took = 0;
    while (v->cnt) {
        size_t n = eddy__sock_rbuf_take(s, v->iov->iov_base, v->iov->iov_len);
        if (n == 0) break;
        took += n;
        vec_advance(v, n);
    }
    return took;
}

/* TLS moves one piece per attempt (OpenSSL has no vectored calls); the
 * loops around go on with the next. vec_advance(v, 0) drops empty pieces
 * in front, which TLS would take for a closed connection. */
static ssize_t try_readv(eddy_socket_t *s, void *ctx) {
    vec_t *v = ctx;
    if (s->tls) {
        vec_advance(v, 0);
        return eddy__tls_read(s, v->iov->iov_base, v->iov->iov_len);
    }
    struct msghdr m;
    memset(&m, 0, sizeof(m));
    m.msg_iov = v->iov;
    m.msg_iovlen = v->cnt;
    ssize_t n = EDDY__NO_EINTR(recvmsg(s->fd, &m, 0));
    return n >= 0 ? n : eddy__sock_sys_err();
}

/* sendmsg rather than writev: MSG_NOSIGNAL, as every send here. */
static ssize_t try_writev(eddy_socket_t *s, void *ctx) {
    vec_t *v = ctx;
    if (s->tls) {
        vec_advance(v, 0);
        return eddy__tls_write(s, v->iov->iov_base, v->iov->iov_len);
    }
    struct msghdr m;
    memset(&m, 0, sizeof(m));
    m.msg_iov = v->iov;
    m.msg_iovlen = v->cnt;
    ssize_t n = EDDY__NO_EINTR(sendmsg(s->fd, &m, MSG_NOSIGNAL));
    return n >= 0 ? n : eddy__sock_sys_err();
}

/* The loop behind all four calls: until everything moved (all), or after
 * the first transfer; a read of 0 (peer closed) ends it early. */
static ssize_t vec_loop(eddy_socket_t *s, unsigned ev, vec_t *v, int all, int64_t timeout_ms) {
    int64_t dflt = ev == EDDY_READ ? s->timeout_read : s->timeout_write;
    eddy__deadline_t dl = eddy__deadline(timeout_ms, dflt);
    eddy__attempt_fn attempt = ev == EDDY_READ ? try_readv : try_writev;
    size_t done = ev == EDDY_READ ? vec_take_buffered(s, v) : 0;
    if (done && !all) return (ssize_t)done;
    while (vec_total(v) > 0) {
        ssize_t n = eddy__sock_io_retry(s, ev, &dl, attempt, v);
        if (n < 0) return n;
        if (n == 0) break;
        done += (size_t)n;
        vec_advance(v, (size_t)n);
        if (!all) break;
    }
    return (ssize_t)done;
}

static ssize_t vec_op(eddy_socket_t *s, unsigned ev, const eddy_iov_t *iov, size_t cnt, int all,
                      int64_t timeout_ms) {
    vec_t v = {NULL, 0};
    ssize_t rc = eddy__sock_enter(s);
    if (rc < 0) return rc;
    if ((rc = eddy__sock_check_bound(s, ev)) == 0 && (rc = vec_copy(&v, iov, cnt)) == 0) {
        struct iovec *base = v.iov;
        rc = vec_loop(s, ev, &v, all, timeout_ms);
        eddy_free(base);
    }
    return eddy__sock_leave(s, rc);
}

ssize_t eddy_socket_readv(eddy_socket_t *s, const eddy_iov_t *iov, size_t cnt,
                          int64_t timeout_ms) {
    return vec_op(s, EDDY_READ, iov, cnt, 0, timeout_ms);
}

ssize_t eddy_socket_readv_all(eddy_socket_t *s, const eddy_iov_t *iov, size_t cnt,
                              int64_t timeout_ms) {
    return vec_op(s, EDDY_READ, iov, cnt, 1, timeout_ms);
}

ssize_t eddy_socket_writev(eddy_socket_t *s, const eddy_iov_t *iov, size_t cnt,
                           int64_t timeout_ms) {
    return vec_op(s, EDDY_WRITE, iov, cnt, 0, timeout_ms);
}

ssize_t eddy_socket_writev_all(eddy_socket_t *s, const eddy_iov_t *iov, size_t cnt,
                               int64_t timeout_ms) {
    return vec_op(s, EDDY_WRITE, iov, cnt, 1, timeout_ms);
}

/* ---- sendfile ---------------------------------------------------------- */

/* Linux sends at most 0x7ffff000 bytes per call anyway. */
#define SENDFILE_MAX ((size_t)1 << 30)

typedef struct {
    int fd;
    off_t off;
    size_t left;
} file_xfer_t;

static ssize_t try_sendfile(eddy_socket_t *s, void *ctx) {
    file_xfer_t *f = ctx;
    size_t want = f->left < SENDFILE_MAX ? f->left : SENDFILE_MAX;
    if (s->tls) return eddy__tls_sendfile(s, f->fd, &f->off, want);
    ssize_t n = EDDY__NO_EINTR(sendfile(s->fd, f->fd, &f->off, want));
    return n >= 0 ? n : eddy__sock_sys_err();
}

/* The range to send, checked against the file's size. */
static int file_range(eddy_socket_t *s, int fd, int64_t offset, size_t *length) {
    struct stat st;
    if (fstat(fd, &st) < 0) return -errno;
    if (offset < 0 || offset > st.st_size)
        return eddy__sock_set_err(s, EDDY_EINVAL, "offset %lld is outside the file (%lld bytes)",
                                  (long long)offset, (long long)st.st_size);
    if (*length == 0) *length = (size_t)(st.st_size - offset);
    if ((uint64_t)*length > (uint64_t)(st.st_size - offset))
        return eddy__sock_set_err(s, EDDY_EINVAL, "offset %lld + length %zu is past the end of "
                                  "the file (%lld bytes)",
                                  (long long)offset, *length, (long long)st.st_size);
    return 0;
}

static ssize_t sendfile_loop(eddy_socket_t *s, file_xfer_t *f, int64_t timeout_ms) {
    eddy__deadline_t dl = eddy__deadline(timeout_ms, s->timeout_write);
    size_t done = 0;
    while (f->left > 0) {
        ssize_t n = eddy__sock_io_retry(s, EDDY_WRITE, &dl, try_sendfile, f);
        if (n < 0) return n;
        /* The file shrank under us: what is promised cannot be sent. */
        if (n == 0) return eddy__sock_set_err(s, -EIO, "the file ended before its length");
        done += (size_t)n;
        f->left -= (size_t)n;
    }
    return (ssize_t)done;
}

ssize_t eddy_socket_sendfile(eddy_socket_t *s, int file_fd, int64_t offset, size_t length,
                             int64_t timeout_ms) {
    ssize_t rc = eddy__sock_enter(s);
    if (rc < 0) return rc;
    if ((rc = eddy__sock_check_bound(s, EDDY_WRITE)) == 0 &&
        (rc = file_range(s, file_fd, offset, &length)) == 0) {
        file_xfer_t f = {file_fd, (off_t)offset, length};
        rc = sendfile_loop(s, &f, timeout_ms);
    }
    return eddy__sock_leave(s, rc);
}

ssize_t eddy_socket_sendfile_path(eddy_socket_t *s, const char *path, int64_t offset,
                                  size_t length, int64_t timeout_ms) {
    int fd = EDDY__NO_EINTR(open(path, O_RDONLY | O_CLOEXEC));
    if (fd < 0) {
        int err = -errno;
        if (s->closed) return EDDY_EBADF;
        return eddy__sock_set_err(s, err, "cannot open %s: %s", path, eddy_strerror(err));
    }
    ssize_t rc = eddy_socket_sendfile(s, fd, offset, length, timeout_ms);
    eddy__net_close(fd);
    return rc;
}
