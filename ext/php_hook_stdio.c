/*
 * SWOOLE_HOOK_FILE, SWOOLE_HOOK_PROC and SWOOLE_HOOK_STDIO: reads and
 * writes of PHP's fd-based "stdio" streams (plain files, proc_open pipes,
 * STDIN/STDOUT/STDERR) in a coroutine stop blocking the worker.
 *
 * All three kinds are php_stream_stdio_ops streams, so the hook replaces
 * that table's read, write and set_option entries (PHP exports the table
 * writable; its address stays the same, so PHP_STREAM_IS_STDIO checks keep
 * working). Each call picks its way by the kind of fd:
 *
 *   - fd 0, 1, 2 (STDIO) and pipes, sockets, terminals (PROC: what
 *     proc_open hands out): the coroutine waits on the loop until the fd is
 *     ready (eddy_coro_poll), then PHP's own read/write runs and finds it
 *     ready; writes go out non-blocking, as much as fits, waiting between;
 *   - regular files (FILE): the read() / write() runs on the engine's
 *     thread pool while the coroutine waits, through a buffer of our own
 *     (the coroutine may be canceled while the thread still works).
 *
 * Outside a coroutine or with the kind's flag off the call is PHP's own.
 * Streams over a FILE* (the cli's STDIN, popen() pipes of exec/system/
 * passthru) are included: PHP itself reads and writes them through their
 * fd, never the FILE buffer, whenever they have one. Opening, stat, unlink
 * and close stay on the worker's thread: they are metadata calls, and PHP
 * keeps state around them.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "php_swoole.h"
#include "php_runtime.h"
#include "php_coroutine.h"
#include "php_pool.h"

#include "eddy/base.h"
#include "eddy/poll.h"
#include "eddy/coro.h"
#include "eddy/loop.h"

#define STDIO_BITS (PHP_HOOK_FILE | PHP_HOOK_PROC | PHP_HOOK_STDIO)

/* The first members of PHP's private php_stdio_stream_data (plain_wrapper.c,
 * the same from PHP 7.0 to 8.4): the FILE* if any, and the fd (-1 if none). */
typedef struct {
    FILE *file;
    int fd;
} stdio_head_t;

/* PHP's entries, saved when the hook goes in, and how deep the compiler is
 * in (this file's per-process state). */
static struct {
    zend_op_array *(*compile_file)(zend_file_handle *fh, int type);
    int compiling;
    ssize_t (*read)(php_stream *stream, char *buf, size_t count);
    ssize_t (*write)(php_stream *stream, const char *buf, size_t count);
    int (*set_option)(php_stream *stream, int option, int value, void *ptrparam);
    bool hooked;
} ORIG;

/* Which flag governs this stream now: 0 for PHP's own path. *fd is set. */
static uint32_t kind_of(php_stream *stream, int *fd) {
    stdio_head_t *h = stream->abstract;
    struct stat st;

    if (!h || h->fd < 0 || !php_coro_in()) {
        return 0;
    }
    *fd = h->fd;
    if (h->fd <= 2) {
        return PHP_HOOK_STDIO;
    }
    if (fstat(h->fd, &st) < 0) {
        return 0;
    }
    return S_ISREG(st.st_mode) ? PHP_HOOK_FILE : PHP_HOOK_PROC;
}

static uint32_t active_kind(php_stream *stream, int *fd) {
    uint32_t k;

    /* include/require read their file while the compiler holds global
     * state: no coroutine may run in between, so those reads stay PHP's. */
    if (ORIG.compiling) {
        return 0;
    }
    k = kind_of(stream, fd);
    return (php_runtime_flags() & k) ? k : 0;
}

static zend_op_array *hook_compile_file(zend_file_handle *fh, int type) {
    zend_op_array *op_array;

    ORIG.compiling++;
    zend_try {
        op_array = ORIG.compile_file(fh, type);
    } zend_catch {
        ORIG.compiling--;
        zend_bailout();
    } zend_end_try();
    ORIG.compiling--;
    return op_array;
}

/* ---- regular files: the thread pool ---------------------------------------- */

typedef struct {
    php_pool_req_t base; /* first: the pool hands back &req->base */
    int fd;
    bool write;
    char *buf;           /* malloc'd, owned by the request */
    size_t len;
    ssize_t result;      /* bytes, or -errno */
} file_req_t;

static void req_free(file_req_t *r) {
    free(r->buf);
    free(r);
}

static void req_release(php_pool_req_t *r) {
    req_free((file_req_t *) r);
}

static void req_work(php_pool_req_t *base) {
    file_req_t *r = (file_req_t *) base;
    ssize_t n;

    do {
        n = r->write ? write(r->fd, r->buf, r->len) : read(r->fd, r->buf, r->len);
    } while (n < 0 && errno == EINTR);
    r->result = n < 0 ? -errno : n;
}

/* NULL when out of memory: the caller then takes PHP's own path. */
static file_req_t *req_new(int fd, bool write, size_t len) {
    file_req_t *r = calloc(1, sizeof(*r));
    if (!r || !(r->buf = malloc(len ? len : 1))) {
        free(r);
        return NULL;
    }
    r->base.run = req_work;
    r->base.release = req_release;
    r->fd = fd;
    r->write = write;
    r->len = len;
    return r;
}

/* PHP's notice and eof rules for a failed read/write (plain_wrapper.c). */
static void io_failed(php_stream *stream, bool write, size_t count, int err) {
    if (err == EAGAIN || err == EWOULDBLOCK) {
        return;
    }
    if (!(stream->flags & PHP_STREAM_FLAG_SUPPRESS_ERRORS)) {
        php_error_docref(NULL, E_NOTICE, "%s of %zu bytes failed with errno=%d %s",
                         write ? "Write" : "Read", count, err, strerror(err));
    }
    if (!write && err != EBADF) {
        stream->eof = 1;
    }
}

static ssize_t file_read(php_stream *stream, int fd, char *buf, size_t count) {
    file_req_t *r = req_new(fd, false, count);
    ssize_t n;

    if (!r) {
        return ORIG.read(stream, buf, count);
    }
    if (php_pool_call(&r->base) != 0) {
        php_coro_after_switch();
        return -1;
    }
    n = r->result;
    if (n > 0) {
        memcpy(buf, r->buf, (size_t) n);
    }
    req_free(r);
    if (!php_coro_after_switch()) {
        return -1;
    }
    if (n < 0) {
        io_failed(stream, false, count, (int) -n);
        return -1;
    }
    if (n == 0) {
        stream->eof = 1;
    }
    return n;
}

static ssize_t file_write(php_stream *stream, int fd, const char *buf, size_t count) {
    file_req_t *r = req_new(fd, true, count);
    ssize_t n;

    if (!r) {
        return ORIG.write(stream, buf, count);
    }
    memcpy(r->buf, buf, count); /* a copy: the pool may outlive this call */
    if (php_pool_call(&r->base) != 0) {
        php_coro_after_switch();
        return -1;
    }
    n = r->result;
    req_free(r);
    if (!php_coro_after_switch()) {
        return -1;
    }
    if (n < 0) {
        io_failed(stream, true, count, (int) -n);
        return -1;
    }
    return n;
}

/* ---- pipes, terminals, stdio: wait on the loop ------------------------------ */

/* 1 when the fd is ready for `events`, else a negative engine code. */
static int wait_fd(int fd, short events) {
    struct pollfd p = {.fd = fd, .events = events};
    int rc = eddy_coro_poll(&p, 1, EDDY_WAIT_FOREVER);

    if (!php_coro_after_switch()) {
        return EDDY_ECANCELED;
    }
    return rc;
}

static ssize_t pipe_read(php_stream *stream, int fd, char *buf, size_t count) {
    int fl = fcntl(fd, F_GETFL);

    /* stream_set_blocking(false) made the fd non-blocking: PHP's read()
     * does not wait either. Otherwise wait until it is ready (data, EOF or
     * an error), then PHP's read() returns at once. */
    if (fl >= 0 && !(fl & O_NONBLOCK) && wait_fd(fd, POLLIN) < 0) {
        return -1;
    }
    return ORIG.read(stream, buf, count);
}

static ssize_t pipe_write(php_stream *stream, int fd, const char *buf, size_t count) {
    int fl = fcntl(fd, F_GETFL);
    size_t done = 0;

    if (fl < 0 || (fl & O_NONBLOCK)) {
        return ORIG.write(stream, buf, count); /* the owner chose non-blocking */
    }
    /* A blocking write of more than the pipe holds would block the worker:
     * write what fits with O_NONBLOCK set for the call, wait, repeat. */
    while (done < count) {
        ssize_t n;
        fcntl(fd, F_SETFL, fl | O_NONBLOCK);
        do {
            n = write(fd, buf + done, count - done);
        } while (n < 0 && errno == EINTR);
        int err = errno;
        fcntl(fd, F_SETFL, fl);
        if (n >= 0) {
            done += (size_t) n;
            continue;
        }
        if (err != EAGAIN && err != EWOULDBLOCK) {
            if (done == 0) {
                io_failed(stream, true, count, err);
                return -1;
            }
            break;
        }
        if (wait_fd(fd, POLLOUT) < 0) {
            break;
        }
    }
    return (ssize_t) done;
}

/* ---- the stdio ops entries -------------------------------------------------- */

static ssize_t hook_read(php_stream *stream, char *buf, size_t count) {
    int fd = -1;

    switch (active_kind(stream, &fd)) {
    case PHP_HOOK_FILE:
        return file_read(stream, fd, buf, count);
    case PHP_HOOK_PROC:
    case PHP_HOOK_STDIO:
        return pipe_read(stream, fd, buf, count);
    default:
        return ORIG.read(stream, buf, count);
    }
}

static ssize_t hook_write(php_stream *stream, const char *buf, size_t count) {
    int fd = -1;

    switch (active_kind(stream, &fd)) {
    case PHP_HOOK_FILE:
        return file_write(stream, fd, buf, count);
    case PHP_HOOK_PROC:
    case PHP_HOOK_STDIO:
        return pipe_write(stream, fd, buf, count);
    default:
        return ORIG.write(stream, buf, count);
    }
}

static int hook_set_option(php_stream *stream, int option, int value, void *ptrparam) {
    int fd = -1;

    /* No mmap of a hooked file: its page faults would be disk reads on the
     * worker's thread. PHP falls back to read(), which goes to the pool. */
    if (option == PHP_STREAM_OPTION_MMAP_API && active_kind(stream, &fd) == PHP_HOOK_FILE) {
        return PHP_STREAM_OPTION_RETURN_NOTIMPL;
    }
    return ORIG.set_option(stream, option, value, ptrparam);
}

static void apply(uint32_t flags) {
    bool on = (flags & STDIO_BITS) != 0;

    if (on == ORIG.hooked) {
        return;
    }
    if (on) {
        ORIG.read = php_stream_stdio_ops.read;
        ORIG.write = php_stream_stdio_ops.write;
        ORIG.set_option = php_stream_stdio_ops.set_option;
        php_stream_stdio_ops.read = hook_read;
        php_stream_stdio_ops.write = hook_write;
        php_stream_stdio_ops.set_option = hook_set_option;
    } else {
        php_stream_stdio_ops.read = ORIG.read;
        php_stream_stdio_ops.write = ORIG.write;
        php_stream_stdio_ops.set_option = ORIG.set_option;
    }
    ORIG.hooked = on;
}

void php_hook_stdio_minit(void) {
    /* For good: a compile_file hook cannot be taken out safely once opcache
     * or a profiler has wrapped it in turn. It only counts. */
    ORIG.compile_file = zend_compile_file;
    zend_compile_file = hook_compile_file;
    php_runtime_register(STDIO_BITS, apply);
}

void php_hook_stdio_mshutdown(void) {
    if (zend_compile_file == hook_compile_file) {
        zend_compile_file = ORIG.compile_file;
    }
}
