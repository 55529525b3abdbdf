/*
 * Swoole\Process: the object, start() and the child it forks, and the
 * pipe between parent and child (see php_process.h for who holds which
 * end). The static helpers are in php_process_static.c.
 *
 * read() / write() block (poll(2), then the call with MSG_DONTWAIT), as in
 * Swoole: inside a coroutine they block the whole process, so code there
 * uses exportSocket(), a Coroutine\Socket on a dup of this side's end.
 * Because the dup shares the file status flags, the pipe's fd may become
 * non-blocking under read() / write(); they never depend on that flag.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "php_swoole.h"
#include "php_coroutine.h"
#include "php_coio.h"
#include "php_timer.h"
#include "php_process.h"
#include "process_arginfo.h"
#include "main/php_output.h"
#include "zend_exceptions.h"
#include "SAPI.h"

#include "eddy/base.h"
#include "eddy/loop.h"
#include "eddy/socket.h"

#define PROCESS_READ_MAX 65536 /* Swoole's cap on one read() */

zend_class_entry *php_process_ce;
static zend_object_handlers process_handlers;
/* This process is the child of a start() or a server's user process. */
static bool in_child;

bool php_process_in_child(void) {
    return in_child;
}

#define THIS_PROCESS() php_process_from_obj(Z_OBJ_P(ZEND_THIS))

/* ---- the object ----------------------------------------------------------- */

static zend_object *process_create_object(zend_class_entry *ce) {
    php_process_t *p = zend_object_alloc(sizeof(php_process_t), ce);

    p->fds[0] = p->fds[1] = -1;
    ZVAL_UNDEF(&p->socket);
    zend_object_std_init(&p->std, ce);
    object_properties_init(&p->std, ce);
    p->std.handlers = &process_handlers;
    return &p->std;
}

static void close_end(php_process_t *p, int i) {
    if (p->fds[i] >= 0) {
        close(p->fds[i]);
        p->fds[i] = -1;
    }
}

static void process_free(zend_object *obj) {
    php_process_t *p = php_process_from_obj(obj);

    close_end(p, 0);
    close_end(p, 1);
    zval_ptr_dtor(&p->socket);
    ZVAL_UNDEF(&p->socket);
    zend_object_std_dtor(obj);
}

static void update_long(php_process_t *p, const char *name, zend_long v) {
    zend_update_property_long(php_process_ce, &p->std, name, strlen(name), v);
}

/* The fd of this process's side: the child's end in the child. */
static int side_fd(const php_process_t *p) {
    return p->fds[p->in_child ? 1 : 0];
}

static bool no_pipe(php_process_t *p, const char *what) {
    if (side_fd(p) >= 0) {
        return false;
    }
    php_swoole_set_error(PHP_PROCESS_ERR_WRONG_OPERATION);
    php_error_docref(NULL, E_WARNING, "no pipe, cannot %s", what);
    return true;
}

PHP_METHOD(Swoole_Process, __construct) {
    php_process_t *p = THIS_PROCESS();
    zend_fcall_info fci;
    zend_fcall_info_cache fcc;
    bool redirect = false, enable_coroutine = false;
    zend_long pipe_type = SOCK_DGRAM;

    ZEND_PARSE_PARAMETERS_START(1, 4)
        Z_PARAM_FUNC(fci, fcc)
        Z_PARAM_OPTIONAL
        Z_PARAM_BOOL(redirect)
        Z_PARAM_LONG(pipe_type)
        Z_PARAM_BOOL(enable_coroutine)
    ZEND_PARSE_PARAMETERS_END();

    if (p->fds[0] >= 0 || p->started) {
        zend_throw_error(NULL, "Swoole\\Process is already constructed");
        RETURN_THROWS();
    }
    if (pipe_type < 0 || pipe_type > SOCK_DGRAM) {
        zend_argument_value_error(3, "must be 0 (no pipe), 1 (SOCK_STREAM) or 2 (SOCK_DGRAM)");
        RETURN_THROWS();
    }
    if (redirect) {
        pipe_type = SOCK_STREAM; /* Swoole: echo output is a byte stream */
    }
    if (pipe_type != 0 &&
        socketpair(AF_UNIX, (int) pipe_type | SOCK_CLOEXEC, 0, p->fds) < 0) {
        php_swoole_set_error(errno);
        zend_throw_error(NULL, "Swoole\\Process: socketpair() failed: %s", strerror(errno));
        RETURN_THROWS();
    }
    p->pipe_type = (int) pipe_type;
    p->redirect = redirect;
    p->enable_coroutine = enable_coroutine;
    zend_update_property(php_process_ce, &p->std, ZEND_STRL("callback"), &fci.function_name);
    update_long(p, "pipe", p->fds[0] >= 0 ? p->fds[0] : 0);
}

/* ---- the child -------------------------------------------------------------- */

/* The parent's shutdown functions and destructors are the parent's, not
 * the child's. */
ZEND_NORETURN void php_process_exit_now(int status) {
    zend_try {
        php_output_end_all();
    } zend_end_try();
    sapi_flush();
    fflush(NULL);
    _exit(status);
}

/* The default loop inherited over fork shares the parent's epoll instance
 * and signalfd: using it would steal the parent's events. PHP timers are
 * stopped first (that only edits the loop's memory), then the loop is
 * closed (no kernel state of the parent changes) and the signal handlers
 * forgotten. Event::add() watchers of the parent are not carried over
 * either: the child must not touch them. */
static void forget_parent_loop(void) {
    sigset_t none;

    if (eddy_loop_default_id() != 0) {
        php_swoole_timer_clear_all();
        eddy_loop_default_close();
        php_process_signals_forget();
    }
    /* A worker's or a loop's blocked signals are not the child's: SIGTERM
     * must end it unless it watches SIGTERM itself. */
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
}

/* Calls the callback with the Process; leaves an exception in EG. */
static void call_callback(php_process_t *p) {
    zval rv, *cb, arg, ret;
    zend_fcall_info_cache fcc;
    zend_fcall_info fci = {0};

    cb = zend_read_property(php_process_ce, &p->std, ZEND_STRL("callback"), 1, &rv);
    if (!php_swoole_callable_cache(cb, &fcc)) {
        return;
    }
    ZVAL_OBJ(&arg, &p->std);
    if (p->enable_coroutine) {
        php_coro_create(&fcc, cb, 1, &arg);
        if (!EG(exception)) {
            php_coro_loop_run();
        }
        return;
    }
    fci.size = sizeof(fci);
    ZVAL_COPY_VALUE(&fci.function_name, cb);
    fci.params = &arg;
    fci.param_count = 1;
    fci.retval = &ret;
    ZVAL_UNDEF(&ret);
    zend_call_function(&fci, &fcc);
    zval_ptr_dtor(&ret);
    /* Timers or signal handlers it left keep the child going, as in Swoole. */
    if (!EG(exception) && eddy_loop_default_id() != 0) {
        php_coro_loop_run();
    }
}

ZEND_NORETURN void php_process_run_child(php_process_t *p) {
    volatile int status = 0; /* read after a bailout's longjmp */

    in_child = true;
    p->in_child = true;
    p->started = true;
    p->pid = getpid();
    close_end(p, 0);
    /* An exported socket of the parent's end belongs to the parent's loop:
     * dropped without a close (the child ends with _exit). */
    ZVAL_UNDEF(&p->socket);
    update_long(p, "pid", p->pid);
    update_long(p, "pipe", p->fds[1] >= 0 ? p->fds[1] : 0);
    /* What the parent had in ob_start() buffers is the parent's to print. */
    zend_try {
        php_output_discard_all();
    } zend_end_try();
    if (p->redirect && p->fds[1] >= 0) {
        dup2(p->fds[1], STDIN_FILENO);
        dup2(p->fds[1], STDOUT_FILENO);
    }
    forget_parent_loop();
    zend_try {
        call_callback(p);
        if (EG(exception) && zend_is_unwind_exit(EG(exception))) {
            zend_clear_exception();
            status = (int) EG(exit_status);
        } else if (EG(exception)) {
            zend_exception_error(EG(exception), E_ERROR);
            status = 255;
        }
    } zend_catch {
        status = 255; /* a fatal error, already reported */
    } zend_end_try();
    php_process_exit_now(status);
}

PHP_METHOD(Swoole_Process, start) {
    php_process_t *p = THIS_PROCESS();
    pid_t pid;

    ZEND_PARSE_PARAMETERS_NONE();

    if (p->started) {
        php_swoole_set_error(PHP_PROCESS_ERR_WRONG_OPERATION);
        php_error_docref(NULL, E_WARNING, p->added ? "process is managed by the server"
                                                   : "process has already been started");
        RETURN_FALSE;
    }
    /* The child would go on running on this coroutine's stack, with the
     * scheduler's state of the parent. Swoole refuses it as well. */
    if (php_coro_in()) {
        php_swoole_set_error(PHP_PROCESS_ERR_NOT_SUPPORT);
        php_error_docref(NULL, E_WARNING, "must be forked outside the coroutine");
        RETURN_FALSE;
    }
    sapi_flush();
    fflush(NULL); /* stdio buffers would be written by both processes */
    pid = fork();
    if (pid < 0) {
        php_swoole_set_error(errno);
        php_error_docref(NULL, E_WARNING, "fork() failed: %s", strerror(errno));
        RETURN_FALSE;
    }
    if (pid == 0) {
        php_process_run_child(p);
    }
    p->started = true;
    p->pid = pid;
    close_end(p, 1); /* the child's: EOF here once the child is gone */
    update_long(p, "pid", pid);
    RETURN_LONG(pid);
}

/* ---- the pipe --------------------------------------------------------------- */

/* One recv / send on this side's end, waiting (poll) for readiness unless
 * setBlocking(false), at most setTimeout()'s time. Bytes, or -errno. */
static ssize_t pipe_io(php_process_t *p, bool reading, void *buf, size_t len) {
    int fd = side_fd(p);
    uint64_t deadline = p->timeout > 0 ? eddy_now_ms() + (uint64_t) (p->timeout * 1000) : 0;

    for (;;) {
        struct pollfd pfd = {.fd = fd, .events = reading ? POLLIN : POLLOUT};
        ssize_t n = reading ? recv(fd, buf, len, MSG_DONTWAIT)
                            : send(fd, buf, len, MSG_DONTWAIT | MSG_NOSIGNAL);
        int wait_ms = -1;

        if (n >= 0) {
            return n;
        }
        if (errno == EINTR) {
            continue;
        }
        if ((errno != EAGAIN && errno != EWOULDBLOCK) || p->nonblocking) {
            return -errno;
        }
        if (deadline) {
            uint64_t now = eddy_now_ms();
            if (now >= deadline) {
                return -ETIMEDOUT;
            }
            wait_ms = (int) (deadline - now);
        }
        if (poll(&pfd, 1, wait_ms) < 0 && errno != EINTR) {
            return -errno;
        }
    }
}

static void io_failed(const char *what, ssize_t rc) {
    php_swoole_set_error((int) -rc);
    /* Not ready / too slow are answers, not faults: no warning. */
    if (rc != -EAGAIN && rc != -EWOULDBLOCK && rc != -ETIMEDOUT) {
        php_error_docref(NULL, E_WARNING, "%s() failed: %s", what, strerror((int) -rc));
    }
}

PHP_METHOD(Swoole_Process, read) {
    php_process_t *p = THIS_PROCESS();
    zend_long size = 8192;
    zend_string *buf;
    ssize_t n;

    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(size)
    ZEND_PARSE_PARAMETERS_END();

    if (no_pipe(p, "read from pipe")) {
        RETURN_FALSE;
    }
    if (size <= 0 || size > PROCESS_READ_MAX) {
        size = size <= 0 ? 8192 : PROCESS_READ_MAX;
    }
    buf = zend_string_alloc((size_t) size, 0);
    n = pipe_io(p, true, ZSTR_VAL(buf), (size_t) size);
    if (n < 0) {
        zend_string_efree(buf);
        io_failed("read", n);
        RETURN_FALSE;
    }
    ZSTR_VAL(buf)[n] = '\0';
    ZSTR_LEN(buf) = (size_t) n;
    RETURN_NEW_STR(zend_string_truncate(buf, (size_t) n, 0));
}

PHP_METHOD(Swoole_Process, write) {
    php_process_t *p = THIS_PROCESS();
    zend_string *data;
    size_t done = 0;

    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_STR(data)
    ZEND_PARSE_PARAMETERS_END();

    if (ZSTR_LEN(data) == 0) {
        php_swoole_set_error(PHP_PROCESS_ERR_INVALID_PARAMS);
        php_error_docref(NULL, E_WARNING, "the data to send is empty");
        RETURN_FALSE;
    }
    if (no_pipe(p, "write into pipe")) {
        RETURN_FALSE;
    }
    /* A datagram goes whole or not at all; a stream until all is taken
     * (or, non-blocking, what the socket took at once). */
    do {
        ssize_t n = pipe_io(p, false, ZSTR_VAL(data) + done, ZSTR_LEN(data) - done);
        if (n < 0) {
            if (done > 0 && p->nonblocking) {
                break;
            }
            io_failed("write", n);
            RETURN_FALSE;
        }
        done += (size_t) n;
    } while (p->pipe_type == SOCK_STREAM && done < ZSTR_LEN(data));
    RETURN_LONG((zend_long) done);
}

PHP_METHOD(Swoole_Process, exportSocket) {
    php_process_t *p = THIS_PROCESS();
    eddy_socket_t *s;
    int fd;

    ZEND_PARSE_PARAMETERS_NONE();

    if (Z_TYPE(p->socket) == IS_OBJECT) {
        RETURN_COPY(&p->socket);
    }
    if (no_pipe(p, "export socket")) {
        RETURN_FALSE;
    }
    /* A dup: closing the Socket leaves read() / write() working. */
    fd = fcntl(side_fd(p), F_DUPFD_CLOEXEC, 0);
    if (fd < 0) {
        io_failed("dup", -errno);
        RETURN_FALSE;
    }
    s = eddy_socket_from_fd(fd, p->pipe_type == SOCK_STREAM ? EDDY_SOCK_UNIX_STREAM
                                                             : EDDY_SOCK_UNIX_DGRAM);
    if (!s) {
        io_failed("exportSocket", -errno);
        close(fd);
        RETURN_FALSE;
    }
    php_cosocket_wrap(&p->socket, s, AF_UNIX, p->pipe_type, 0);
    RETURN_COPY(&p->socket);
}

PHP_METHOD(Swoole_Process, close) {
    php_process_t *p = THIS_PROCESS();
    zend_long which = 0;
    int rc = 0;

    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(which)
    ZEND_PARSE_PARAMETERS_END();

    if (p->fds[0] < 0 && p->fds[1] < 0) {
        php_swoole_set_error(PHP_PROCESS_ERR_WRONG_OPERATION);
        php_error_docref(NULL, E_WARNING, "no pipe, cannot close");
        RETURN_FALSE;
    }
    switch (which) {
    case 0:
        close_end(p, 0);
        close_end(p, 1);
        break;
    case PHP_PROCESS_PIPE_MASTER:
    case PHP_PROCESS_PIPE_WORKER:
        close_end(p, (int) which - 1);
        break;
    case PHP_PROCESS_PIPE_READ:
    case PHP_PROCESS_PIPE_WRITE:
        if (no_pipe(p, "shut down pipe")) {
            RETURN_FALSE;
        }
        rc = shutdown(side_fd(p), which == PHP_PROCESS_PIPE_READ ? SHUT_RD : SHUT_WR);
        break;
    default:
        php_swoole_set_error(PHP_PROCESS_ERR_INVALID_PARAMS);
        php_error_docref(NULL, E_WARNING, "which must be 0 or one of SWOOLE_PIPE_MASTER, "
                         "SWOOLE_PIPE_WORKER, SWOOLE_PIPE_READ, SWOOLE_PIPE_WRITE");
        RETURN_FALSE;
    }
    if (rc < 0) {
        io_failed("shutdown", -errno);
        RETURN_FALSE;
    }
    RETURN_TRUE;
}

PHP_METHOD(Swoole_Process, setTimeout) {
    php_process_t *p = THIS_PROCESS();
    double seconds;

    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_DOUBLE(seconds)
    ZEND_PARSE_PARAMETERS_END();

    if (no_pipe(p, "set timeout")) {
        RETURN_FALSE;
    }
    p->timeout = seconds;
    RETURN_TRUE;
}

PHP_METHOD(Swoole_Process, setBlocking) {
    bool blocking;

    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_BOOL(blocking)
    ZEND_PARSE_PARAMETERS_END();

    THIS_PROCESS()->nonblocking = !blocking;
}

/* ---- the process ------------------------------------------------------------ */

PHP_METHOD(Swoole_Process, exit) {
    php_process_t *p = THIS_PROCESS();
    zend_long code = 0;

    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(code)
    ZEND_PARSE_PARAMETERS_END();

    if (!p->in_child || p->pid != getpid()) {
        php_swoole_set_error(PHP_PROCESS_ERR_WRONG_OPERATION);
        php_error_docref(NULL, E_WARNING, "not current process");
        return;
    }
    close_end(p, 1);
    php_process_exit_now((int) (code & 0xff));
}

PHP_METHOD(Swoole_Process, name) {
    zend_string *name;
    zend_function *fn;

    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_STR(name)
    ZEND_PARSE_PARAMETERS_END();

    if (ZSTR_LEN(name) == 0) {
        php_swoole_set_error(PHP_PROCESS_ERR_INVALID_PARAMS);
        php_error_docref(NULL, E_WARNING, "process name cannot be empty");
        RETURN_FALSE;
    }
    /* The CLI's own call rewrites argv, which is what ps shows in full;
     * elsewhere only the 15-byte thread name can be set. */
    fn = zend_hash_str_find_ptr(CG(function_table), ZEND_STRL("cli_set_process_title"));
    if (fn) {
        zval arg, ret;
        ZVAL_STR(&arg, name);
        ZVAL_UNDEF(&ret);
        zend_call_known_function(fn, NULL, NULL, &ret, 1, &arg, NULL);
        bool ok = zend_is_true(&ret);
        zval_ptr_dtor(&ret);
        RETURN_BOOL(ok);
    }
    RETURN_BOOL(prctl(PR_SET_NAME, ZSTR_VAL(name), 0, 0, 0) == 0);
}

static bool priority_target(php_process_t *p, zend_long which, bool who_null, zend_long *who) {
    if (which != PRIO_PROCESS && which != PRIO_PGRP && which != PRIO_USER) {
        zend_argument_value_error(1, "must be one of PRIO_PROCESS, PRIO_PGRP or PRIO_USER");
        return false;
    }
    if (who_null) {
        /* $this->pid for a process (0, this one, before start). */
        *who = which == PRIO_PROCESS ? p->pid : 0;
    }
    return true;
}

PHP_METHOD(Swoole_Process, setPriority) {
    php_process_t *p = THIS_PROCESS();
    zend_long which, priority, who = 0;
    bool who_null = true;

    ZEND_PARSE_PARAMETERS_START(2, 3)
        Z_PARAM_LONG(which)
        Z_PARAM_LONG(priority)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG_OR_NULL(who, who_null)
    ZEND_PARSE_PARAMETERS_END();

    if (!priority_target(p, which, who_null, &who)) {
        RETURN_THROWS();
    }
    if (setpriority((int) which, (id_t) who, (int) priority) < 0) {
        io_failed("setpriority", -errno);
        RETURN_FALSE;
    }
    RETURN_TRUE;
}

PHP_METHOD(Swoole_Process, getPriority) {
    php_process_t *p = THIS_PROCESS();
    zend_long which, who = 0;
    bool who_null = true;
    int prio;

    ZEND_PARSE_PARAMETERS_START(1, 2)
        Z_PARAM_LONG(which)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG_OR_NULL(who, who_null)
    ZEND_PARSE_PARAMETERS_END();

    if (!priority_target(p, which, who_null, &who)) {
        RETURN_THROWS();
    }
    errno = 0; /* -1 is also a priority */
    prio = getpriority((int) which, (id_t) who);
    if (prio == -1 && errno != 0) {
        io_failed("getpriority", -errno);
        RETURN_FALSE;
    }
    RETURN_LONG(prio);
}

/* ---- registration -------------------------------------------------------------- */

void php_swoole_process_minit(int module_number) {
    register_process_symbols(module_number);
    php_process_ce = register_class_Swoole_Process();
    php_process_ce->create_object = process_create_object;
    memcpy(&process_handlers, zend_get_std_object_handlers(), sizeof(process_handlers));
    process_handlers.offset = XtOffsetOf(php_process_t, std);
    process_handlers.free_obj = process_free;
    process_handlers.clone_obj = NULL;
}

void php_swoole_process_rshutdown(void) {
    php_server_process_release();
    php_process_signals_clear();
}
