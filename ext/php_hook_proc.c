/*
 * SWOOLE_HOOK_PROC: child processes in coroutines.
 *
 *   - proc_open: PHP's own. Its pipes are then read and written through
 *     the stdio hook (php_hook_stdio.c) without blocking the worker. In a
 *     coroutine the parent's pipe ends are also marked close-on-exec at
 *     once: PHP leaves them inheritable, and with several children started
 *     from concurrent coroutines a later child would hold an earlier
 *     child's stdin open, so that child would never see EOF.
 *   - shell_exec (and the backtick operator): /bin/sh -c runs with its
 *     stdout on a pipe the coroutine reads through the loop; the child is
 *     then reaped with waitpid(WNOHANG) between short coroutine sleeps, so
 *     no thread waits in pclose().
 *
 * Outside a coroutine both are PHP's own.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "php_swoole.h"
#include "php_runtime.h"
#include "php_coroutine.h"
#include "php_spawn.h"

#include "php_network.h"
#include "zend_smart_str.h"

#include "eddy/base.h"
#include "eddy/poll.h"
#include "eddy/coro.h"

#define PROC_READ_CHUNK 8192
#define PROC_REAP_MAX_SLEEP_MS 50

static zif_handler orig_proc_open, orig_shell_exec;

/* ---- proc_open -------------------------------------------------------------- */

static ZEND_NAMED_FUNCTION(hook_proc_open) {
    zval *pipes;

    orig_proc_open(INTERNAL_FUNCTION_PARAM_PASSTHRU);
    if (!php_coro_in() || ZEND_NUM_ARGS() < 3 || Z_TYPE_P(return_value) != IS_RESOURCE) {
        return;
    }
    pipes = ZEND_CALL_ARG(execute_data, 3);
    ZVAL_DEREF(pipes);
    if (Z_TYPE_P(pipes) != IS_ARRAY) {
        return;
    }
    zval *elem;
    ZEND_HASH_FOREACH_VAL(Z_ARRVAL_P(pipes), elem) {
        php_stream *stream;
        php_socket_t fd;
        php_stream_from_zval_no_verify(stream, elem);
        if (stream && php_stream_cast(stream, PHP_STREAM_AS_FD | PHP_STREAM_CAST_INTERNAL,
                                      (void *) &fd, 0) == SUCCESS && fd >= 0) {
            fcntl(fd, F_SETFD, FD_CLOEXEC);
        }
    } ZEND_HASH_FOREACH_END();
}

/* ---- shell_exec ------------------------------------------------------------- */

/* Reads fd to EOF through the loop; false if the coroutine must stop. */
static bool read_all(int fd, smart_str *out) {
    for (;;) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        ssize_t n;
        int rc = eddy_coro_poll(&p, 1, EDDY_WAIT_FOREVER);

        if (!php_coro_after_switch()) {
            return false;
        }
        if (rc < 0) {
            return true; /* canceled: what arrived so far */
        }
        smart_str_alloc(out, PROC_READ_CHUNK, 0);
        do {
            n = read(fd, ZSTR_VAL(out->s) + ZSTR_LEN(out->s), PROC_READ_CHUNK);
        } while (n < 0 && errno == EINTR);
        if (n <= 0) {
            return true; /* EOF, or an error: what arrived so far */
        }
        ZSTR_LEN(out->s) += (size_t) n;
    }
}

/* Reaps pid without blocking the thread: WNOHANG between sleeps that grow
 * to 50 ms. Like pclose(), it waits as long as the child runs. */
static void reap(pid_t pid) {
    uint64_t ms = 1;
    int status;

    for (;;) {
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid || (r < 0 && errno != EINTR)) {
            return;
        }
        if (r == 0) {
            eddy_coro_sleep(ms); /* a cancel only cuts one sleep short */
            ms = ms * 2 > PROC_REAP_MAX_SLEEP_MS ? PROC_REAP_MAX_SLEEP_MS : ms * 2;
        }
    }
}

static ZEND_NAMED_FUNCTION(hook_shell_exec) {
    zend_string *cmd;
    smart_str out = {0};
    int fds[2], rc;
    bool go_on;
    pid_t pid;

    if (!php_coro_in()) {
        orig_shell_exec(INTERNAL_FUNCTION_PARAM_PASSTHRU);
        return;
    }
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_STR(cmd)
    ZEND_PARSE_PARAMETERS_END();
    if (!ZSTR_LEN(cmd)) {
        zend_argument_value_error(1, "cannot be empty");
        RETURN_THROWS();
    }
    if (strlen(ZSTR_VAL(cmd)) != ZSTR_LEN(cmd)) {
        zend_argument_value_error(1, "must not contain any null bytes");
        RETURN_THROWS();
    }
    if (pipe2(fds, O_CLOEXEC) < 0) {
        php_error_docref(NULL, E_WARNING, "Unable to execute '%s'", ZSTR_VAL(cmd));
        RETURN_FALSE;
    }
    rc = php_spawn_sh(ZSTR_VAL(cmd), fds[1], false, &pid);
    close(fds[1]);
    if (rc < 0) {
        close(fds[0]);
        php_error_docref(NULL, E_WARNING, "Unable to execute '%s'", ZSTR_VAL(cmd));
        RETURN_FALSE;
    }
    go_on = read_all(fds[0], &out);
    close(fds[0]);
    reap(pid);
    if (!go_on || !php_coro_after_switch()) {
        smart_str_free(&out);
        RETURN_THROWS();
    }
    if (!out.s || ZSTR_LEN(out.s) == 0) {
        smart_str_free(&out);
        RETURN_NULL(); /* PHP: null for no output */
    }
    RETURN_STR(smart_str_extract(&out));
}

static void apply(uint32_t flags) {
    bool on = (flags & PHP_HOOK_PROC) != 0;

    php_runtime_swap_function("proc_open", hook_proc_open, &orig_proc_open, on);
    php_runtime_swap_function("shell_exec", hook_shell_exec, &orig_shell_exec, on);
}

void php_hook_proc_minit(void) {
    php_runtime_register(PHP_HOOK_PROC, apply);
}
