/*
 * eddy base: error codes, leveled logging, growable buffers, allocation.
 *
 * Error convention (whole engine): a call returns 0, a size, or a negative
 * EDDY_E* code. System errors are negative errno values (EDDY_ETIMEDOUT is
 * -ETIMEDOUT); engine errors reuse Swoole's numbers, negated, so the PHP layer
 * maps them to SWOOLE_ERROR_* without a table. eddy_strerror() names any code.
 */
#ifndef EDDY_BASE_H
#define EDDY_BASE_H

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* ---- error codes ------------------------------------------------------- */

#define EDDY_OK 0
#define EDDY_EAGAIN (-EAGAIN)       /* would block: "not yet", never fatal */
#define EDDY_ENOMEM (-ENOMEM)       /* a peer-controlled size over its limit */
#define EDDY_EINVAL (-EINVAL)
#define EDDY_EBADF (-EBADF)         /* socket closed (also: closed while waiting) */
#define EDDY_ETIMEDOUT (-ETIMEDOUT) /* an operation's timeout elapsed */
#define EDDY_ECANCELED (-ECANCELED) /* the waiting coroutine was canceled */
#define EDDY_ECONNRESET (-ECONNRESET)
#define EDDY_EPIPE (-EPIPE)

/* Swoole-numbered engine errors (negated SWOOLE_ERROR_*). */
#define EDDY_ESYSCALL (-502)            /* a system call failed unexpectedly */
#define EDDY_EPROTOCOL (-508)           /* malformed data from a peer */
#define EDDY_EWRONG_OP (-509)           /* API used in the wrong state */
/* Session (connection) errors, numbered as SW_ERROR_SESSION_*: the server
 * API returns them and the PHP layer reports them as Swoole does. */
#define EDDY_ESESSION_CLOSED_BY_SERVER (-1001)
#define EDDY_ESESSION_CLOSED_BY_CLIENT (-1002)
#define EDDY_ESESSION_CLOSING (-1003)
#define EDDY_ESESSION_CLOSED (-1004)     /* known connection, already closed */
#define EDDY_ESESSION_NOT_EXIST (-1005)  /* no such connection */
#define EDDY_ESESSION_INVALID_ID (-1006) /* not a session id at all */
#define EDDY_ESESSION_DISCARD_DATA (-1007) /* data for a closed session dropped */
#define EDDY_ESESSION_DISCARD_TIMEOUT_DATA (-1008)
#define EDDY_EOUTPUT_BUFFER_OVERFLOW (-1009) /* over buffer_output_size / socket_buffer_size */
/* TLS (tls.h), numbered as SW_ERROR_SSL_*. */
#define EDDY_ESSL_NOT_READY (-1011)              /* no TLS on the socket, or not handshaken */
#define EDDY_ESSL_EMPTY_PEER_CERTIFICATE (-1013) /* verification wanted, peer sent none */
#define EDDY_ESSL_VERIFY_FAILED (-1014)          /* chain or host name did not verify */
#define EDDY_ESSL_BAD_PROTOCOL (-1016)           /* bad settings: version, ciphers, files */
#define EDDY_ESSL_RESET (-1017)                  /* peer went away during the handshake */
#define EDDY_ESSL_HANDSHAKE_FAILED (-1018)       /* any other handshake failure */
#define EDDY_EPACKAGE_TOO_LARGE (-1201) /* framed message over package_max_length */
#define EDDY_ECO_OUT_OF_COROUTINE (-10001) /* blocking call outside a coroutine */
#define EDDY_ECO_HAS_BEEN_BOUND (-10002)   /* second reader/writer on a socket */
#define EDDY_ECO_PROTECT_STACK (-10012)    /* stack mapping or guard page failed */
#define EDDY_ECO_CANNOT_CANCEL (-10015)    /* target is not in a cancelable wait */
#define EDDY_ECO_NOT_EXISTS (-10016)       /* no coroutine with that id */

/* Channel results, distinct so callers can tell why a call failed. */
#define EDDY_ECHAN_CLOSED (-20001)  /* push on a closed channel */
#define EDDY_ECHAN_DRAINED (-20002) /* pop on a closed channel with nothing left */

/* Human-readable name of any code above, or of -errno. Never NULL. */
const char *eddy_strerror(int code);

/* ---- logging ----------------------------------------------------------- */

/* Levels and numbers as Swoole's SWOOLE_LOG_* (log_level option). */
typedef enum {
    EDDY_LOG_DEBUG = 0,
    EDDY_LOG_TRACE = 1,
    EDDY_LOG_INFO = 2,
    EDDY_LOG_NOTICE = 3,
    EDDY_LOG_WARNING = 4,
    EDDY_LOG_ERROR = 5,
    EDDY_LOG_NONE = 6
} eddy_log_level_t;

/* Process-wide settings: the log is shared by every thread of a process.
 * Default: level INFO, written to stderr. */
void eddy_log_set_level(eddy_log_level_t level);
eddy_log_level_t eddy_log_get_level(void);
/* Append to `path` (created 0644); NULL returns to stderr. Negative errno on failure. */
int eddy_log_set_file(const char *path);
/* Writes one line "[time pid.tid LEVEL] message\n" with a single write(2),
 * so lines from several processes sharing the file never interleave. */
void eddy_log(eddy_log_level_t level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void eddy_vlog(eddy_log_level_t level, const char *fmt, va_list ap);

#define eddy_log_debug(...) eddy_log(EDDY_LOG_DEBUG, __VA_ARGS__)
#define eddy_log_info(...) eddy_log(EDDY_LOG_INFO, __VA_ARGS__)
#define eddy_log_warn(...) eddy_log(EDDY_LOG_WARNING, __VA_ARGS__)
#define eddy_log_error(...) eddy_log(EDDY_LOG_ERROR, __VA_ARGS__)

/* ---- allocation -------------------------------------------------------- */

/* For engine-internal sizes only: abort with a message when memory runs
 * out (one OOM policy, like redis zmalloc). Sizes chosen by a peer must be
 * checked against a limit first and fail with EDDY_ENOMEM instead. */
void *eddy_malloc(size_t size);
void *eddy_calloc(size_t n, size_t size);
void *eddy_realloc(void *p, size_t size);
char *eddy_strdup(const char *s);
void eddy_free(void *p);

/* ---- growable buffer --------------------------------------------------- */

/* A byte buffer owned by whoever embeds it. `data` is NUL-terminated past
 * `len` whenever cap > 0, so it can be printed; binary data is fine. */
typedef struct {
    /* read-only */
    char *data;
    size_t len;
    size_t cap;
} eddy_buf_t;

void eddy_buf_init(eddy_buf_t *b);
void eddy_buf_free(eddy_buf_t *b); /* releases memory; b is empty and reusable */
/* Makes room for `extra` more bytes; aborts on OOM (internal sizes). */
void eddy_buf_reserve(eddy_buf_t *b, size_t extra);
void eddy_buf_append(eddy_buf_t *b, const void *p, size_t n);
void eddy_buf_appendf(eddy_buf_t *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Drops the first n bytes (n > len drops all). */
void eddy_buf_consume(eddy_buf_t *b, size_t n);
void eddy_buf_clear(eddy_buf_t *b); /* len = 0, memory kept */
/* Space after len for a direct read(2); call eddy_buf_commit(n) after. */
char *eddy_buf_tail(eddy_buf_t *b, size_t *room);
void eddy_buf_commit(eddy_buf_t *b, size_t n);

/* ---- time -------------------------------------------------------------- */

/* Monotonic clock in milliseconds and nanoseconds. */
uint64_t eddy_now_ms(void);
uint64_t eddy_now_ns(void);

#endif /* EDDY_BASE_H */
