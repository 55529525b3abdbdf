/*
 * Swoole\Process, shared by its files: php_process.c (the object, start()
 * and the pipe), php_process_static.c (wait, kill, signal, alarm, daemon,
 * setAffinity) and php_server_process.c (Server::addProcess, where the
 * server's manager forks the process instead of start()).
 *
 * The pipe is one socketpair made by the constructor: fds[0] is the
 * parent's side ("master"), fds[1] the child's ("worker"). After fork each
 * side closes the other's end, so each sees EOF when the other is gone.
 * With Server::addProcess the master keeps both: the workers (forked from
 * it) use fds[0], the user process fds[1].
 */
#ifndef PHP_PROCESS_H
#define PHP_PROCESS_H

#include <stdbool.h>
#include <sys/types.h>

#include "php.h"

/* Process::close($which) and the SWOOLE_PIPE_* constants, numbered as
 * Swoole's: one end of the pair, or one direction of this side's end. */
#define PHP_PROCESS_PIPE_MASTER 1
#define PHP_PROCESS_PIPE_WORKER 2
#define PHP_PROCESS_PIPE_READ 3
#define PHP_PROCESS_PIPE_WRITE 4

/* Swoole error codes these files report (swoole_last_error()). */
#define PHP_PROCESS_ERR_INVALID_PARAMS 505
#define PHP_PROCESS_ERR_NOT_SUPPORT 507
#define PHP_PROCESS_ERR_WRONG_OPERATION 509

typedef struct {
    int fds[2];      /* [0] master side, [1] worker side; -1: none or closed */
    int pipe_type;   /* 0 (none), SOCK_STREAM (1) or SOCK_DGRAM (2) */
    bool redirect;   /* the child's stdin / stdout are its end of the pipe */
    bool enable_coroutine;
    bool nonblocking; /* setBlocking(false): read / write do not wait */
    bool started;     /* start() forked, or the server took it (added) */
    bool added;       /* Server::addProcess */
    bool in_child;    /* this process is the child: its side is fds[1] */
    double timeout;   /* setTimeout(): read / write wait at most this; <= 0: no limit */
    pid_t pid;
    zval socket;      /* exportSocket()'s object, UNDEF until asked */
    zend_object std;
} php_process_t;

extern zend_class_entry *php_process_ce;

static inline php_process_t *php_process_from_obj(zend_object *obj) {
    return (php_process_t *) ((char *) obj - XtOffsetOf(php_process_t, std));
}

/* MINIT / RSHUTDOWN hooks (ext/swoole.c). */
void php_swoole_process_minit(int module_number);
void php_swoole_process_rshutdown(void);

/* In a freshly forked child (start() or the server's manager): marks p as
 * the child's (pid, pipe properties), closes the parent's end, applies
 * redirect_stdin_and_stdout, drops what the parent's event loop and signal
 * handlers left behind, then runs the callback (in a coroutine with the
 * loop run after it for enable_coroutine; otherwise the loop is run after
 * it when the callback left timers or signal handlers) and ends the
 * process: status 0, exit()'s status, or 255 after an uncaught exception
 * or a fatal error. Never returns. */
ZEND_NORETURN void php_process_run_child(php_process_t *p);

/* Flushes what PHP has buffered (output layers, SAPI, stdio) and ends
 * this process at once with `status`, skipping the shutdown functions,
 * destructors and atexit handlers, which belong to the process it was
 * forked from: a Process child, a server's worker or manager. */
ZEND_NORETURN void php_process_exit_now(int status);

/* True in the child of a start(), or a server's user process, since it
 * began: whatever server state it inherited is not its own. */
bool php_process_in_child(void);

/* php_process_static.c: forget the signal handlers inherited over fork
 * (their loop is gone) without touching any loop. */
void php_process_signals_forget(void);
/* Stops and releases the signal handlers (request shutdown). */
void php_process_signals_clear(void);

/* php_server_process.c: releases the Process objects Server::addProcess
 * kept (request shutdown). */
void php_server_process_release(void);
/* For Server::send(), close() and sendMessage(), which a user process may
 * call too: php_server_require_worker() (php_server.h) elsewhere. */
struct php_server_s;
bool php_server_require_worker_or_user(struct php_server_s *ps, int master_code);

#endif /* PHP_PROCESS_H */
