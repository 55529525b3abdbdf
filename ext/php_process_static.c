/*
 * Swoole\Process's static methods: wait, kill, signal, alarm, daemon,
 * setAffinity.
 *
 * signal() handlers are watchers on the default loop (signalfd, so the
 * handler runs from the loop, never inside a signal context), each call
 * of a handler in a coroutine of its own as with timers. A handler keeps
 * the loop alive until it is removed (signal($signo, null)); registered
 * outside a coroutine, it has the loop run when the script ends, as
 * Swoole does.
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "php_swoole.h"
#include "php_coroutine.h"
#include "php_timer.h"
#include "php_server.h"
#include "php_process.h"
#include "SAPI.h"

#include "eddy/loop.h"

#define SIGNAL_MAX 64 /* the loop watches signals 1..64 */

typedef struct {
    eddy_signal_t sig;
    zval cb; /* UNDEF: no handler */
} handler_t;

/* This file's per-process state: the handlers by signal number. */
static struct {
    handler_t *handlers[SIGNAL_MAX + 1];
} proc_g;

/* ---- wait / kill ------------------------------------------------------------ */

PHP_METHOD(Swoole_Process, wait) {
    bool blocking = true;
    int status;
    pid_t pid;

    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_BOOL(blocking)
    ZEND_PARSE_PARAMETERS_END();

    do {
        pid = waitpid(-1, &status, blocking ? 0 : WNOHANG);
    } while (pid < 0 && errno == EINTR);
    if (pid <= 0) {
        /* ECHILD (no child) or nothing exited yet: false, as Swoole. */
        php_swoole_set_error(pid < 0 ? errno : 0);
        RETURN_FALSE;
    }
    array_init(return_value);
    add_assoc_long(return_value, "pid", pid);
    add_assoc_long(return_value, "code", WIFEXITED(status) ? WEXITSTATUS(status) : 0);
    add_assoc_long(return_value, "signal", WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

PHP_METHOD(Swoole_Process, kill) {
    zend_long pid, signo = SIGTERM;

    ZEND_PARSE_PARAMETERS_START(1, 2)
        Z_PARAM_LONG(pid)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(signo)
    ZEND_PARSE_PARAMETERS_END();

    if (signo < 0 || signo > SIGNAL_MAX) {
        php_swoole_set_error(PHP_PROCESS_ERR_INVALID_PARAMS);
        php_error_docref(NULL, E_WARNING, "invalid signal number " ZEND_LONG_FMT, signo);
        RETURN_FALSE;
    }
    if (kill((pid_t) pid, (int) signo) < 0) {
        php_swoole_set_error(errno);
        /* kill($pid, 0) is the existence check: "no such process" is its
         * answer, not a fault. */
        if (!(signo == 0 && errno == ESRCH)) {
            php_error_docref(NULL, E_WARNING, "kill(%d, %d) failed: %s", (int) pid, (int) signo,
                             strerror(errno));
        }
        RETURN_FALSE;
    }
    RETURN_TRUE;
}

/* ---- signal ------------------------------------------------------------------ */

static void on_signal(eddy_loop_t *loop, eddy_signal_t *sig, int signo) {
    handler_t *h = sig->data;
    zend_fcall_info_cache fcc;
    zval cb, arg;

    (void) loop;
    if (Z_ISUNDEF(h->cb)) {
        return;
    }
    ZVAL_COPY(&cb, &h->cb); /* the handler may remove itself */
    ZVAL_LONG(&arg, signo);
    if (php_swoole_callable_cache(&cb, &fcc)) {
        php_coro_create(&fcc, &cb, 1, &arg);
    }
    zval_ptr_dtor(&cb);
    php_coro_after_switch();
}

static void handler_free(int signo, bool stop) {
    handler_t *h = proc_g.handlers[signo];

    if (!h) {
        return;
    }
    if (stop) {
        eddy_signal_stop(&h->sig);
    }
    zval_ptr_dtor(&h->cb);
    efree(h);
    proc_g.handlers[signo] = NULL;
}

void php_process_signals_forget(void) {
    for (int i = 1; i <= SIGNAL_MAX; i++) {
        handler_free(i, false);
    }
}

void php_process_signals_clear(void) {
    for (int i = 1; i <= SIGNAL_MAX; i++) {
        handler_free(i, true);
    }
}

/* In a running server only workers (and task workers) and user processes
 * may take signals, and not SIGTERM in a worker, which the server uses to
 * stop it: a second signalfd would take it away from the server's. A
 * child that start() forked from a worker is not a worker. */
static bool signal_allowed(zend_long signo) {
    php_server_t *ps = php_server_current();
    eddy_server_t *srv = ps ? ps->srv : NULL;

    if (!srv || php_process_in_child()) {
        return true;
    }
    if (eddy_server_worker_id(srv) < 0) {
        php_error_docref(NULL, E_WARNING, "cannot use Swoole\\Process::signal() in the master or "
                         "manager process of a server");
        return false;
    }
    if (signo == SIGTERM) {
        php_error_docref(NULL, E_WARNING, "signal [%d] is used by the server", (int) signo);
        return false;
    }
    return true;
}

PHP_METHOD(Swoole_Process, signal) {
    zend_long signo;
    zval *cb = NULL;
    handler_t *h;
    eddy_loop_t *loop;
    int rc;

    ZEND_PARSE_PARAMETERS_START(1, 2)
        Z_PARAM_LONG(signo)
        Z_PARAM_OPTIONAL
        Z_PARAM_ZVAL_OR_NULL(cb)
    ZEND_PARSE_PARAMETERS_END();

    if (signo < 1 || signo > SIGNAL_MAX || signo == SIGKILL || signo == SIGSTOP) {
        php_swoole_set_error(PHP_PROCESS_ERR_INVALID_PARAMS);
        php_error_docref(NULL, E_WARNING, "invalid signal number " ZEND_LONG_FMT, signo);
        RETURN_FALSE;
    }
    if (!signal_allowed(signo)) {
        php_swoole_set_error(PHP_PROCESS_ERR_WRONG_OPERATION);
        RETURN_FALSE;
    }
    if (!cb) {
        handler_free((int) signo, true);
        RETURN_TRUE;
    }
    if (!zend_is_callable(cb, 0, NULL)) {
        zend_argument_type_error(2, "must be a valid callback or null");
        RETURN_THROWS();
    }
    if ((h = proc_g.handlers[signo])) { /* replace the callback, keep watching */
        zval_ptr_dtor(&h->cb);
        ZVAL_COPY(&h->cb, cb);
        RETURN_TRUE;
    }
    if (!(loop = eddy_loop_default())) {
        php_swoole_set_error(PHP_PROCESS_ERR_WRONG_OPERATION);
        php_error_docref(NULL, E_WARNING, "no event loop");
        RETURN_FALSE;
    }
    h = ecalloc(1, sizeof(*h));
    h->sig.data = h;
    rc = eddy_signal_start(loop, &h->sig, (int) signo, on_signal);
    if (rc < 0) {
        efree(h);
        php_swoole_check(rc);
        php_error_docref(NULL, E_WARNING, "cannot watch signal %d: %s", (int) signo,
                         eddy_strerror(rc));
        RETURN_FALSE;
    }
    ZVAL_COPY(&h->cb, cb);
    proc_g.handlers[signo] = h;
    if (!php_coro_in()) {
        php_swoole_event_run_at_shutdown();
    }
    RETURN_TRUE;
}

/* ---- alarm / daemon / setAffinity ---------------------------------------------- */

PHP_METHOD(Swoole_Process, alarm) {
    zend_long usec, type = ITIMER_REAL;
    struct itimerval t;

    ZEND_PARSE_PARAMETERS_START(1, 2)
        Z_PARAM_LONG(usec)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(type)
    ZEND_PARSE_PARAMETERS_END();

    if (type != ITIMER_REAL && type != ITIMER_VIRTUAL && type != ITIMER_PROF) {
        php_swoole_set_error(PHP_PROCESS_ERR_INVALID_PARAMS);
        php_error_docref(NULL, E_WARNING, "type must be ITIMER_REAL (0), ITIMER_VIRTUAL (1) or "
                         "ITIMER_PROF (2), " ZEND_LONG_FMT " given", type);
        RETURN_FALSE;
    }
    if (usec < 0) {
        php_swoole_set_error(PHP_PROCESS_ERR_INVALID_PARAMS);
        php_error_docref(NULL, E_WARNING, "usec must not be negative");
        RETURN_FALSE;
    }
    /* A repeating timer (0 stops it); its signal (SIGALRM, SIGVTALRM,
     * SIGPROF) ends the process unless signal() watches it. */
    t.it_interval.tv_sec = usec / 1000000;
    t.it_interval.tv_usec = usec % 1000000;
    t.it_value = t.it_interval;
    if (setitimer((int) type, &t, NULL) < 0) {
        php_swoole_set_error(errno);
        php_error_docref(NULL, E_WARNING, "setitimer() failed: %s", strerror(errno));
        RETURN_FALSE;
    }
    RETURN_TRUE;
}

PHP_METHOD(Swoole_Process, daemon) {
    bool nochdir = true, noclose = true;

    ZEND_PARSE_PARAMETERS_START(0, 2)
        Z_PARAM_OPTIONAL
        Z_PARAM_BOOL(nochdir)
        Z_PARAM_BOOL(noclose)
    ZEND_PARSE_PARAMETERS_END();

    /* daemon(3) forks and the parent _exits: the script goes on in the
     * child with PHP's output buffers as they are; what the SAPI and stdio
     * hold is written now, before the fork. */
    sapi_flush();
    fflush(NULL);
    if (daemon(nochdir ? 1 : 0, noclose ? 1 : 0) < 0) {
        php_swoole_set_error(errno);
        php_error_docref(NULL, E_WARNING, "daemon() failed: %s", strerror(errno));
        RETURN_FALSE;
    }
    RETURN_TRUE;
}

PHP_METHOD(Swoole_Process, setAffinity) {
    HashTable *cpus;
    cpu_set_t set;
    zval *v;

    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_ARRAY_HT(cpus)
    ZEND_PARSE_PARAMETERS_END();

    if (zend_hash_num_elements(cpus) == 0) {
        php_swoole_set_error(PHP_PROCESS_ERR_INVALID_PARAMS);
        php_error_docref(NULL, E_WARNING, "the CPU list is empty");
        RETURN_FALSE;
    }
    CPU_ZERO(&set);
    ZEND_HASH_FOREACH_VAL(cpus, v) {
        zend_long cpu = zval_get_long(v);
        if (cpu < 0 || cpu >= CPU_SETSIZE) {
            php_swoole_set_error(PHP_PROCESS_ERR_INVALID_PARAMS);
            php_error_docref(NULL, E_WARNING, "invalid CPU number " ZEND_LONG_FMT, cpu);
            RETURN_FALSE;
        }
        CPU_SET((int) cpu, &set);
    } ZEND_HASH_FOREACH_END();
    if (sched_setaffinity(getpid(), sizeof(set), &set) < 0) {
        php_swoole_set_error(errno);
        php_error_docref(NULL, E_WARNING, "sched_setaffinity() failed: %s", strerror(errno));
        RETURN_FALSE;
    }
    RETURN_TRUE;
}
