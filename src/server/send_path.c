/*
 * eddy_server_send_path(): a file (or a range of it) to a connection, as
 * Swoole's $server->sendfile(). The whole range is handed over before the
 * call returns, so it stays in order with the sends before and after it:
 * in BASE mode sendfile(2) first puts as much as the socket takes now
 * straight from the page cache (eddy_server_sendfile, no copy), and the
 * rest is read and queued like any send; in PROCESS mode the worker does
 * not own the socket and the bytes travel to the reactor as sends do.
 *
 * Queued bytes count against socket_buffer_size, so a range that would not
 * fit in the connection's queue is refused before anything is sent (a
 * caller streaming a larger file paces itself with
 * eddy_server_output_pending, as the HTTP server does).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "server/internal.h"

#define CHUNK (64 * 1024) /* read size of the copy path */

/* Opens path and resolves the range; the fd, or a negative error. */
static int open_range(const char *path, uint64_t offset, uint64_t *length) {
    struct stat st;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -errno;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || offset > (uint64_t)st.st_size ||
        (*length && *length > (uint64_t)st.st_size - offset)) {
        int err = S_ISREG(st.st_mode) ? EDDY_EINVAL : -EISDIR;
        eddy__server_close_fd(fd);
        return err;
    }
    if (!*length) *length = (uint64_t)st.st_size - offset;
    return fd;
}

/* Reads [off, off + left) of file_fd and sends it in CHUNK pieces. */
static int copy_range(eddy_server_t *srv, int session, int file_fd, uint64_t off,
                      uint64_t left) {
    char *buf = eddy_malloc(CHUNK); /* freed below */
    int rc = 0;
    while (left > 0 && rc == 0) {
        ssize_t n = pread(file_fd, buf, left < CHUNK ? (size_t)left : CHUNK, (off_t)off);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) { /* the file shrank under us, or cannot be read */
            rc = n < 0 ? -errno : -EIO;
            break;
        }
        rc = eddy_server_send(srv, session, buf, (size_t)n);
        off += (uint64_t)n;
        left -= (uint64_t)n;
    }
    eddy_free(buf);
    return rc;
}

int eddy_server_send_path(eddy_server_t *srv, int fd, const char *path, uint64_t offset,
                          uint64_t length) {
    if (srv->role != ROLE_WORKER) return EDDY_EWRONG_OP;
    int pending = eddy_server_output_pending(srv, fd);
    if (pending < 0 && pending != EDDY_EWRONG_OP) return pending; /* a session error */
    int file_fd = open_range(path, offset, &length);
    if (file_fd < 0) return file_fd;
    int rc = 0;
    if (length + (uint64_t)(pending > 0 ? pending : 0) > srv->cfg.socket_buffer_size) {
        eddy_log_warn("server: sendfile of %llu bytes to session#%d over socket_buffer_size=%u",
                      (unsigned long long)length, fd, srv->cfg.socket_buffer_size);
        rc = EDDY_EOUTPUT_BUFFER_OVERFLOW;
    }
    while (rc == 0 && length > 0) { /* zero-copy while the socket takes it (BASE) */
        ssize_t n = eddy_server_sendfile(srv, fd, file_fd, offset, (size_t)length);
        if (n == EDDY_EAGAIN || n == EDDY_EWRONG_OP) break; /* queue the rest */
        if (n < 0) rc = (int)n;
        else if (n == 0) rc = -EIO; /* the file shrank */
        else offset += (uint64_t)n, length -= (uint64_t)n;
    }
    if (rc == 0) rc = copy_range(srv, fd, file_fd, offset, length);
    eddy__server_close_fd(file_fd);
    return rc;
}
