/*
 * File bodies: eddy_http_response_sendfile() and the static handler's
 * responses. The file is never read whole. BASE mode sends it with
 * sendfile(2) (eddy_server_sendfile: no copy through user space) for as
 * much as the socket takes; PROCESS mode, where the socket lives in the
 * master's reactor thread, reads FILE_CHUNK pieces and sends them through
 * eddy_server_send(), paced by the connection's output queue
 * (eddy_server_output_pending), so a body of any size costs one chunk of
 * memory and the queue stays far below socket_buffer_size (over which the
 * engine refuses or, in PROCESS mode, drops data). A connection whose
 * socket or queue is full is resumed by the engine once it is writable
 * (BASE: eddy_server_sendfile_wait), or looked at again after
 * FILE_RETRY_MS (PROCESS: the queue is in the master, published in shared
 * memory); one whose socket takes everything (the usual case on a fast
 * link) is fed straight through, at most FILE_ROUND bytes per loop
 * iteration so other connections are served.
 *
 * The exchange (request + response) stays in flight until the last byte
 * is queued: the connection's next pipelined request waits, as it does
 * for any response not yet ended.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <sys/stat.h>
#include <unistd.h>

#include "eddy/timer.h"
#include "http_server.h"

#define FILE_CHUNK (64 * 1024)
#define FILE_WINDOW (256 * 1024) /* queue more than this: wait */
#define FILE_ROUND (1024 * 1024) /* bytes per loop iteration and connection */
#define FILE_RETRY_MS 1
#define FILE_INLINE (16 * 1024) /* bodies up to this go out with the head */

typedef struct hs_file_s {
    int fd;
    uint64_t off, left;
    int keep; /* the connection persists after the body */
    hs_exchange_t *x;
    eddy_timer_t timer;
    int zero_copy; /* eddy_server_sendfile works here (BASE mode) */
    int waiting;   /* an eddy_server_sendfile_wait callback is due */
    char *buf;     /* FILE_CHUNK bytes, owned; taken when copying */
} hs_file_t;

#define X_OF(p) ((hs_exchange_t *)((char *)(p) - offsetof(hs_exchange_t, resp)))

static int no_body_status(int s) { return s / 100 == 1 || s == 204 || s == 304; }

void eddy__hs_file_release(hs_exchange_t *x) {
    hs_file_t *f = x->file;
    if (!f) return;
    x->file = NULL;
    eddy_timer_stop(&f->timer); /* safe from its own callback: not touched after */
    if (f->waiting && x->resp.conn) /* a closed connection calls nobody */
        eddy_server_sendfile_wait(x->resp.hs->srv, x->resp.fd, NULL, NULL);
    close(f->fd);
    eddy_free(f->buf);
    eddy_free(f);
}

/* Ends the exchange: the connection goes on (keep) or closes. The client
 * may be gone already (on_close ran during a send): then only release. */
static void finish(hs_exchange_t *x, int keep) {
    eddy_http_server_t *hs = x->resp.hs;
    hs_conn_t *c = x->resp.conn;
    if (!c) {
        eddy__hs_exchange_put(hs, x);
        return;
    }
    eddy__hs_finish(hs, c, keep);
}

static void cut_short(const hs_file_t *f, int err) {
    eddy_log_warn("http server: session#%d: file body cut short at offset %llu: %s",
                  f->x->resp.fd, (unsigned long long)f->off,
                  err ? eddy_strerror(err) : "the file shrank");
}

/* One piece through the socket without copying (BASE mode): bytes sent,
 * 0 to wait, -1 on failure; switches f to copying where it cannot work. */
static ssize_t piece_zero_copy(hs_file_t *f, size_t n) {
    eddy_http_response_t *r = &f->x->resp;
    ssize_t sent = eddy_server_sendfile(r->hs->srv, r->fd, f->fd, f->off, n);
    if (sent == EDDY_EWRONG_OP) {
        f->zero_copy = 0;
        f->buf = eddy_malloc(FILE_CHUNK);
        return 0;
    }
    if (sent == EDDY_EAGAIN) return 0;
    if (sent <= 0) {
        if (sent == 0 || sent == -EIO) cut_short(f, (int)sent);
        return -1;
    }
    return sent;
}

/* One FILE_CHUNK read and queued with eddy_server_send: bytes, or -1. */
static ssize_t piece_copy(hs_file_t *f, size_t n) {
    eddy_http_response_t *r = &f->x->resp;
    if (n > FILE_CHUNK) n = FILE_CHUNK;
    ssize_t got;
    do got = pread(f->fd, f->buf, n, (off_t)f->off);
    while (got < 0 && errno == EINTR);
    if (got <= 0) {
        cut_short(f, got < 0 ? -errno : 0);
        return -1;
    }
    return eddy_server_send(r->hs->srv, r->fd, f->buf, (size_t)got) < 0 ? -1 : got;
}

static void wait_room(hs_file_t *f);

/* Sends pieces while the connection's queue is short; finishes the
 * exchange once all is out, or on any failure (the Content-Length
 * already sent cannot be met: the connection closes). */
static void pump(hs_file_t *f) {
    hs_exchange_t *x = f->x;
    eddy_http_response_t *r = &x->resp;
    size_t round = 0;
    while (r->conn && f->left) {
        int queued = eddy_server_output_pending(r->hs->srv, r->fd);
        if (queued < 0) break;
        if (queued >= FILE_WINDOW) {
            wait_room(f);
            return;
        }
        if (round >= FILE_ROUND) { /* the other connections first: resumed next iteration */
            eddy_timer_start(&f->timer, 0, 0);
            return;
        }
        size_t n = f->left < FILE_WINDOW ? (size_t)f->left : FILE_WINDOW;
        int zc = f->zero_copy;
        ssize_t sent = zc ? piece_zero_copy(f, n) : piece_copy(f, n);
        if (sent < 0) break;
        if (sent == 0 && zc && f->zero_copy) { /* the socket is full */
            wait_room(f);
            return;
        }
        f->off += (uint64_t)sent;
        f->left -= (uint64_t)sent;
        round += (size_t)sent;
    }
    finish(x, f->left == 0 && f->keep);
}

static void on_retry(eddy_timer_t *t) { pump(t->data); }

static void on_writable(eddy_server_t *srv, int fd, void *arg) {
    (void)srv, (void)fd;
    hs_file_t *f = arg;
    f->waiting = 0;
    pump(f);
}

/* Comes back when the connection can take more: told by the engine in
 * BASE mode (EPOLLOUT), by polling the published queue in PROCESS mode
 * (the socket is in the master). */
static void wait_room(hs_file_t *f) {
    eddy_http_response_t *r = &f->x->resp;
    if (eddy_server_sendfile_wait(r->hs->srv, r->fd, on_writable, f) == 0) {
        f->waiting = 1;
        return;
    }
    eddy_timer_start(&f->timer, FILE_RETRY_MS, 0);
}

/* Reads len bytes of fd at off onto the end of out: 0, or -errno / -EIO
 * (the file is shorter than its size said). */
static int append_file(eddy_buf_t *out, int fd, uint64_t off, size_t len) {
    eddy_buf_reserve(out, len);
    size_t room, done = 0;
    char *dst = eddy_buf_tail(out, &room);
    while (done < len) {
        ssize_t n = pread(fd, dst + done, len - done, (off_t)(off + done));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return n < 0 ? -errno : -EIO;
        done += (size_t)n;
    }
    eddy_buf_commit(out, len);
    return 0;
}

int eddy__hs_file_send(eddy_http_response_t *r, int fd, uint64_t off, uint64_t len) {
    hs_exchange_t *x = X_OF(r);
    eddy_http_server_t *hs = r->hs;
    int keep = 0;
    int rc = eddy__hs_response_head(r, (int64_t)len, &keep);
    if (rc < 0) { /* nothing built or sent: the response is still the caller's */
        close(fd);
        return rc;
    }
    int body = !r->is_head && !no_body_status(r->status) && len > 0;
    /* A small body rides in the head's buffer: one send, one packet, and
     * no sendfile round. */
    if (body && len <= FILE_INLINE) {
        rc = append_file(&hs->out, fd, off, (size_t)len);
        if (rc < 0) {
            eddy_log_warn("http server: session#%d: file body unreadable: %s", r->fd,
                          eddy_strerror(rc));
            eddy_buf_clear(&hs->out); /* nothing sent: the connection closes */
            keep = 0;
        }
        body = 0;
    }
    if (rc == 0) rc = eddy__hs_send(hs, r->conn, r->fd, hs->out.data, hs->out.len);
    /* A coroutine transport sends the whole file in the calling coroutine. */
    if (rc == 0 && r->conn && body && hs->tp->sendfile) {
        rc = hs->tp->sendfile(hs, r->conn, fd, off, len);
        body = 0;
    }
    /* From here the response is over for the caller whatever happens: a
     * failed send (the client left) ends it as a client leaving mid-body
     * would, and 0 says "do not touch resp again". */
    if (rc < 0 || !r->conn || !body) {
        close(fd);
        finish(x, rc == 0 && keep);
        return 0;
    }
    hs_file_t *f = eddy_calloc(1, sizeof(*f)); /* owned by x until released */
    f->fd = fd;
    f->off = off;
    f->left = len;
    f->keep = keep;
    f->x = x;
    f->zero_copy = 1;
    eddy_timer_init(eddy_server_loop(r->hs->srv), &f->timer, on_retry);
    f->timer.data = f;
    x->file = f;
    pump(f);
    return 0;
}

int eddy_http_response_sendfile(eddy_http_response_t *r, const char *path, uint64_t offset,
                                uint64_t length) {
    if (!r->conn) return EDDY_ESESSION_CLOSED;
    if (r->head_sent) return EDDY_EWRONG_OP;
    if (!path || !*path) return EDDY_EINVAL;
    /* O_NONBLOCK: opening a FIFO must not wait for a writer (it is then
     * refused as not regular); no effect on a regular file's reads. */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) return -errno;
    struct stat st;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return EDDY_EINVAL;
    }
    uint64_t size = (uint64_t)st.st_size;
    if (offset > size || length > size - offset) {
        close(fd);
        return EDDY_EINVAL;
    }
    if (length == 0) length = size - offset;
    if (!r->has_ctype) eddy_http_response_header(r, "Content-Type", eddy_http_mime_type(path));
    if (r->created) { /* another worker's connection, maybe: no pacing here */
        close(fd);
        return eddy__hs_created_sendfile(r, path, offset, length);
    }
    return eddy__hs_file_send(r, fd, offset, length);
}
