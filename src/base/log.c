/* Leveled log: one write(2) per line so concurrent writers never interleave. */
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "eddy/base.h"

/* Process-wide by design: every thread and module logs to one place. */
static _Atomic int log_level = EDDY_LOG_INFO;
static _Atomic int log_fd = STDERR_FILENO;

static const char *const level_names[] = {"DEBUG", "TRACE", "INFO", "NOTICE", "WARNING", "ERROR"};

void eddy_log_set_level(eddy_log_level_t level) { log_level = (int)level; }
eddy_log_level_t eddy_log_get_level(void) { return (eddy_log_level_t)log_level; }

int eddy_log_set_file(const char *path) {
    int fd = STDERR_FILENO;
    if (path) {
        fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
        if (fd < 0) return -errno;
    }
    int old = atomic_exchange(&log_fd, fd);
    if (old != STDERR_FILENO) close(old);
    return 0;
}

static size_t format_prefix(char *out, size_t cap, eddy_log_level_t level) {
    struct timeval tv;
    struct tm tm;
    gettimeofday(&tv, NULL);
    localtime_r(&tv.tv_sec, &tm);
    char stamp[32];
    strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M:%S", &tm);
    int n = snprintf(out, cap, "[%s.%06ld %d.%ld %s] ", stamp, (long)tv.tv_usec, (int)getpid(),
                     (long)syscall(SYS_gettid), level_names[level]);
    return n < 0 ? 0 : ((size_t)n < cap ? (size_t)n : cap - 1);
}

void eddy_vlog(eddy_log_level_t level, const char *fmt, va_list ap) {
    if ((int)level < log_level || level >= EDDY_LOG_NONE) return;
    char line[2048];
    size_t n = format_prefix(line, sizeof line, level);
    int m = vsnprintf(line + n, sizeof line - n - 1, fmt, ap);
    if (m > 0) n += (size_t)m < sizeof line - n - 1 ? (size_t)m : sizeof line - n - 2;
    line[n++] = '\n';
    ssize_t w;
    do {
        w = write(log_fd, line, n);
    } while (w < 0 && errno == EINTR);
}

void eddy_log(eddy_log_level_t level, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    eddy_vlog(level, fmt, ap);
    va_end(ap);
}
