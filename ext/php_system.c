/*
 * Swoole\Coroutine\System: system calls that would block the worker, made
 * to wait in the calling coroutine only.
 *
 *   - readFile / writeFile run on the engine's thread pool (eddy_work_submit);
 *   - gethostbyname / getaddrinfo / dnsLookup use eddy_resolve (the pool too);
 *   - exec spawns /bin/sh with its output on a socketpair read through an
 *     engine coroutine socket, then reaps the child like waitPid;
 *   - wait / waitPid reap with waitpid(WNOHANG), sleeping between tries on
 *     SIGCHLD delivered by the loop's signalfd (eddy_signal_*), so no thread
 *     is ever parked in waitpid();
 *   - waitSignal waits on eddy_signal watchers.
 *
 * Pool requests live on the heap, never on the coroutine's stack: the
 * coroutine may be canceled while a pool thread still works on it, so
 * whichever side finishes last frees it (the rule of src/net/resolve.c).
 * A pool thread touches only its request, and only with malloc'd memory.
 */
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "php_swoole.h"
#include "php_coroutine.h"
#include "php_coio.h"
#include "php_pool.h"
#include "php_spawn.h"
#include "system_arginfo.h"
#include "zend_smart_str.h"
#include "ext/standard/file.h"

#include "eddy/base.h"
#include "eddy/coro.h"
#include "eddy/loop.h"


#define SYS_EXEC_CHUNK 8192
#define SYS_ADDR_MAX 64          /* an IPv6 address in text */
#define SYS_RESOLVE_MAX 32       /* getaddrinfo answers kept */
#define ERR_DNS_FAILED 711       /* SWOOLE_ERROR_DNSLOOKUP_RESOLVE_FAILED */
#define ERR_DNS_TIMEOUT 712      /* SWOOLE_ERROR_DNSLOOKUP_RESOLVE_TIMEOUT */

/* This file's per-process state: the one SIGCHLD watcher, started while
 * some coroutine waits for a child, and the coroutines waiting. */
static struct {
    eddy_signal_t sigchld;
    bool watching;
    eddy_waitq_t waiters;
} SYS;

/* ---- the thread pool ------------------------------------------------------ */

/* A readFile / writeFile request, run through php_pool_call(). */
typedef struct {
    php_pool_req_t base;   /* first: the pool hands back &req->base */
    char *path;
    int flags;
    char *data;            /* readFile: the contents; writeFile: what to write */
    size_t len;
    ssize_t result;        /* bytes, or -errno */
} pool_req_t;

static void pool_free(pool_req_t *r) {
    eddy_free(r->path);
    eddy_free(r->data);
    eddy_free(r);
}

static void pool_release(php_pool_req_t *r) {
    pool_free((pool_req_t *) r);
}

/* A request that runs `run` on a pool thread. */
static pool_req_t *pool_req_new(void (*run)(php_pool_req_t *r)) {
    pool_req_t *r = eddy_calloc(1, sizeof(*r));
    r->base.run = run;
    r->base.release = pool_release;
    return r;
}

/* ---- files (pool threads) ------------------------------------------------- */

static ssize_t read_all(int fd, char **out) {
    size_t cap = 8192, len = 0;
    struct stat st;
    char *buf;

    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
        cap = (size_t) st.st_size + 1; /* +1: EOF shows without a regrow */
    }
    buf = malloc(cap);
    if (!buf) {
        return -ENOMEM;
    }
    for (;;) {
        ssize_t n;
        if (len == cap) {
            char *bigger = realloc(buf, cap * 2);
            if (!bigger) {
                free(buf);
                return -ENOMEM;
            }
            buf = bigger;
            cap *= 2;
        }
        n = read(fd, buf + len, cap - len);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            int err = errno;
            free(buf);
            return -err;
        }
        if (n == 0) {
            break;
        }
        len += (size_t) n;
    }
    *out = buf;
    return (ssize_t) len;
}

static void run_read_file(php_pool_req_t *base) {
    pool_req_t *r = (pool_req_t *) base;
    int fd = open(r->path, O_RDONLY | O_CLOEXEC);
    char *buf = NULL;

    if (fd < 0) {
        r->result = -errno;
        return;
    }
    if ((r->flags & LOCK_EX) && flock(fd, LOCK_SH) < 0) {
        r->result = -errno;
        close(fd);
        return;
    }
    r->result = read_all(fd, &buf);
    if (r->flags & LOCK_EX) {
        flock(fd, LOCK_UN);
    }
    close(fd);
    /* eddy_free is free(): the request frees it either way */
    r->data = buf;
}

static void run_write_file(php_pool_req_t *base) {
    pool_req_t *r = (pool_req_t *) base;
    int oflags = O_WRONLY | O_CREAT | O_CLOEXEC | ((r->flags & PHP_FILE_APPEND) ? O_APPEND : O_TRUNC);
    int fd = open(r->path, oflags, 0644);
    size_t done = 0;

    if (fd < 0) {
        r->result = -errno;
        return;
    }
    if ((r->flags & LOCK_EX) && flock(fd, LOCK_EX) < 0) {
        r->result = -errno;
        close(fd);
        return;
    }
    while (done < r->len) {
        ssize_t n = write(fd, r->data + done, r->len - done);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            break;
        }
        done += (size_t) n;
    }
    r->result = done == r->len ? (ssize_t) done : -errno;
    if (r->flags & LOCK_EX) {
        flock(fd, LOCK_UN);
    }
    close(fd);
}

/* ---- children ------------------------------------------------------------- */

static void on_sigchld(eddy_loop_t *loop, eddy_signal_t *sig, int signo) {
    /* Wake the coroutines waiting now; one that finds its child still
     * running queues itself again, behind this count. */
    size_t n = SYS.waiters.len;
    (void) loop;
    (void) sig;
    (void) signo;
    while (n-- > 0) {
        eddy_wait_t *w = eddy_waitq_shift(&SYS.waiters);
        if (!w) {
            break;
        }
        eddy_coro_wake(w, 0);
    }
}

static void child_abort(eddy_wait_t *w) {
    eddy_waitq_remove(w);
}

static void sigchld_release(void) {
    if (SYS.watching && SYS.waiters.len == 0) {
        eddy_signal_stop(&SYS.sigchld);
        SYS.watching = false;
    }
}

/* Reaps `pid` (-1: any child): its pid, or ECHILD, ETIMEDOUT, ECANCELED
 * negated. Every try is waitpid(WNOHANG); between tries the coroutine
 * sleeps until SIGCHLD. The watcher starts before the last try, so an exit
 * that lands in between is never missed. */
static pid_t child_wait(pid_t pid, int64_t timeout_ms, int *status) {
    int64_t deadline = timeout_ms < 0 ? -1 : (int64_t) eddy_now_ms() + timeout_ms;

    for (;;) {
        eddy_wait_t w;
        int64_t left;
        pid_t r;
        int rc;

        do {
            r = waitpid(pid, status, WNOHANG);
        } while (r < 0 && errno == EINTR);
        if (r != 0) {
            return r > 0 ? r : -errno;
        }
        if (!SYS.watching) {
            rc = eddy_signal_start(eddy_loop_default(), &SYS.sigchld, SIGCHLD, on_sigchld);
            if (rc < 0) {
                return rc;
            }
            SYS.watching = true;
            continue;
        }
        left = deadline < 0 ? EDDY_WAIT_FOREVER : deadline - (int64_t) eddy_now_ms();
        if (deadline >= 0 && left <= 0) {
            sigchld_release();
            return EDDY_ETIMEDOUT;
        }
        memset(&w, 0, sizeof(w));
        eddy_waitq_push(&SYS.waiters, &w);
        rc = eddy_coro_wait(&w, left, child_abort);
        eddy_waitq_remove(&w);
        sigchld_release();
        if (rc < 0) {
            return rc;
        }
    }
}

static void status_array(zval *out, pid_t pid, int status, bool with_pid) {
    array_init(out);
    if (with_pid) {
        add_assoc_long(out, "pid", pid);
    }
    add_assoc_long(out, "code", WIFEXITED(status) ? WEXITSTATUS(status) : 0);
    add_assoc_long(out, "signal", WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

/* ---- helpers -------------------------------------------------------------- */

/* False after recording `rc` (< 0) as swoole_last_error(). */
static bool fail(int rc) {
    php_swoole_set_error(php_swoole_error_from_engine(rc));
    return false;
}

static int64_t timeout_ms(double seconds) {
    /* System's timeouts: negative (or 0) waits forever; no socket default. */
    return (isnan(seconds) || seconds <= 0) ? EDDY_WAIT_FOREVER : php_coio_timeout(seconds);
}

static bool check_family(zend_long family, int arg) {
    if (family != AF_INET && family != AF_INET6) {
        zend_argument_value_error(arg, "must be AF_INET or AF_INET6");
        return false;
    }
    return true;
}

/* Resolves `name`; the count of addresses or false (last error: 711/712). */
static int resolve(zend_string *name, zend_long family, double timeout, eddy_addr_t *out,
                   size_t max) {
    int n;

    if (ZSTR_LEN(name) == 0) {
        zend_argument_value_error(1, "must not be empty");
        return -1;
    }
    n = eddy_resolve(ZSTR_VAL(name), (int) family, out, max, timeout_ms(timeout));
    if (!php_coro_after_switch()) {
        return -1;
    }
    if (n <= 0) {
        php_swoole_set_error(n == EDDY_ETIMEDOUT ? ERR_DNS_TIMEOUT
                             : n == -ENOENT     ? ERR_DNS_FAILED
                                                : php_swoole_error_from_engine(n));
        return 0;
    }
    return n;
}

static void add_address(zval *arr_or_null, zval *rv, const eddy_addr_t *a) {
    char host[SYS_ADDR_MAX];
    int port;

    if (eddy_addr_format(a, host, sizeof(host), &port) < 0) {
        return;
    }
    if (arr_or_null) {
        add_next_index_string(arr_or_null, host);
    } else {
        ZVAL_STRING(rv, host);
    }
}

/* ---- methods -------------------------------------------------------------- */

/* gethostbyname and dnsLookup: the first address as a string, false if
 * none; they differ only in argument order and default timeout. */
static void lookup_one(zend_string *name, zend_long family, double timeout,
                       int family_argno, zval *return_value) {
    eddy_addr_t a;
    int n;

    if (!check_family(family, family_argno) || !php_coro_require()) {
        RETURN_THROWS();
    }
    if ((n = resolve(name, family, timeout, &a, 1)) < 0) {
        RETURN_THROWS();
    }
    if (n == 0) {
        RETURN_FALSE;
    }
    add_address(NULL, return_value, &a);
}

PHP_METHOD(Swoole_Coroutine_System, gethostbyname) {
    zend_string *name;
    zend_long family = AF_INET;
    double timeout = -1;

    ZEND_PARSE_PARAMETERS_START(1, 3)
        Z_PARAM_STR(name)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(family)
        Z_PARAM_DOUBLE(timeout)
    ZEND_PARSE_PARAMETERS_END();

    lookup_one(name, family, timeout, 2, return_value);
}

PHP_METHOD(Swoole_Coroutine_System, dnsLookup) {
    zend_string *name;
    zend_long family = AF_INET;
    double timeout = 60;

    ZEND_PARSE_PARAMETERS_START(1, 3)
        Z_PARAM_STR(name)
        Z_PARAM_OPTIONAL
        Z_PARAM_DOUBLE(timeout)
        Z_PARAM_LONG(family)
    ZEND_PARSE_PARAMETERS_END();

    lookup_one(name, family, timeout, 3, return_value);
}

PHP_METHOD(Swoole_Coroutine_System, getaddrinfo) {
    zend_string *name, *service = NULL;
    zend_long family = AF_INET, socktype = SOCK_STREAM, protocol = IPPROTO_TCP;
    double timeout = -1;
    eddy_addr_t *list;
    int n;

    ZEND_PARSE_PARAMETERS_START(1, 6)
        Z_PARAM_STR(name)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(family)
        Z_PARAM_LONG(socktype)
        Z_PARAM_LONG(protocol)
        Z_PARAM_STR_OR_NULL(service)
        Z_PARAM_DOUBLE(timeout)
    ZEND_PARSE_PARAMETERS_END();
    (void) socktype;
    (void) protocol;
    (void) service;

    if (!check_family(family, 2) || !php_coro_require()) {
        RETURN_THROWS();
    }
    list = emalloc(SYS_RESOLVE_MAX * sizeof(*list));
    if ((n = resolve(name, family, timeout, list, SYS_RESOLVE_MAX)) < 0) {
        efree(list);
        RETURN_THROWS();
    }
    if (n == 0) {
        efree(list);
        RETURN_FALSE;
    }
    array_init(return_value);
    for (int i = 0; i < n; i++) {
        add_address(return_value, NULL, &list[i]);
    }
    efree(list);
}

/* Reads the child's output to EOF; 0 or a negative engine code. */
static int read_output(eddy_socket_t *s, smart_str *out) {
    int64_t t = php_coio_default_timeout("read");

    for (;;) {
        ssize_t n;
        smart_str_alloc(out, SYS_EXEC_CHUNK, 0);
        n = eddy_socket_recv(s, ZSTR_VAL(out->s) + ZSTR_LEN(out->s), SYS_EXEC_CHUNK, t);
        if (n <= 0) {
            return (int) n;
        }
        ZSTR_LEN(out->s) += (size_t) n;
    }
}

PHP_METHOD(Swoole_Coroutine_System, exec) {
    zend_string *command;
    bool get_error_stream = false;
    smart_str out = {0};
    eddy_socket_t *s;
    int sv[2], rc, status = 0;
    pid_t pid;

    ZEND_PARSE_PARAMETERS_START(1, 2)
        Z_PARAM_PATH_STR(command)
        Z_PARAM_OPTIONAL
        Z_PARAM_BOOL(get_error_stream)
    ZEND_PARSE_PARAMETERS_END();

    if (!php_coro_require()) {
        RETURN_THROWS();
    }
    /* A socketpair, not a pipe: the engine's sockets read with recv(2). */
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
        php_error_docref(NULL, E_WARNING, "socketpair() failed: %s", strerror(errno));
        RETURN_BOOL(fail(-errno));
    }
    rc = php_spawn_sh(ZSTR_VAL(command), sv[1], get_error_stream, &pid);
    close(sv[1]);
    if (rc < 0) {
        close(sv[0]);
        php_error_docref(NULL, E_WARNING, "posix_spawn(/bin/sh) failed: %s", eddy_strerror(rc));
        RETURN_BOOL(fail(rc));
    }
    s = eddy_socket_from_fd(sv[0], EDDY_SOCK_UNIX_STREAM);
    rc = s ? read_output(s, &out) : EDDY_EBADF;
    if (s) {
        eddy_socket_close(s);
    } else {
        close(sv[0]);
    }
    if (rc < 0) {
        kill(pid, SIGKILL); /* gave up on it (timeout, cancel): do not leave it running */
    }
    /* Reap even after a failure, or it stays a zombie; nothing stops this
     * wait, the child is already dead or dying. */
    while (child_wait(pid, EDDY_WAIT_FOREVER, &status) == EDDY_ECANCELED) {
    }
    if (!php_coro_after_switch()) {
        smart_str_free(&out);
        RETURN_THROWS();
    }
    if (rc < 0) {
        smart_str_free(&out);
        RETURN_BOOL(fail(rc));
    }
    status_array(return_value, pid, status, false);
    add_assoc_str(return_value, "output", out.s ? smart_str_extract(&out) : ZSTR_EMPTY_ALLOC());
}

PHP_METHOD(Swoole_Coroutine_System, readFile) {
    zend_string *filename;
    zend_long flag = 0;
    pool_req_t *r;
    int rc;

    ZEND_PARSE_PARAMETERS_START(1, 2)
        Z_PARAM_PATH_STR(filename)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(flag)
    ZEND_PARSE_PARAMETERS_END();

    if (!php_coro_require()) {
        RETURN_THROWS();
    }
    r = pool_req_new(run_read_file);
    r->path = eddy_strdup(ZSTR_VAL(filename));
    r->flags = (int) flag;
    rc = php_pool_call(&r->base);
    if (!php_coro_after_switch()) {
        if (rc == 0) {
            pool_free(r);
        }
        RETURN_THROWS();
    }
    if (rc != 0) {
        RETURN_BOOL(fail(rc));
    }
    if (r->result < 0) {
        rc = (int) r->result;
        pool_free(r);
        RETURN_BOOL(fail(rc));
    }
    RETVAL_STRINGL(r->data ? r->data : "", (size_t) r->result);
    pool_free(r);
}

PHP_METHOD(Swoole_Coroutine_System, writeFile) {
    zend_string *filename, *content;
    zend_long flags = 0;
    pool_req_t *r;
    int rc;

    ZEND_PARSE_PARAMETERS_START(2, 3)
        Z_PARAM_PATH_STR(filename)
        Z_PARAM_STR(content)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(flags)
    ZEND_PARSE_PARAMETERS_END();

    if (!php_coro_require()) {
        RETURN_THROWS();
    }
    r = pool_req_new(run_write_file);
    r->path = eddy_strdup(ZSTR_VAL(filename));
    r->flags = (int) flags;
    /* A copy: the pool thread may outlive this call (cancel), the PHP
     * string may not. */
    r->len = ZSTR_LEN(content);
    r->data = eddy_malloc(r->len ? r->len : 1);
    memcpy(r->data, ZSTR_VAL(content), r->len);
    rc = php_pool_call(&r->base);
    if (!php_coro_after_switch()) {
        if (rc == 0) {
            pool_free(r);
        }
        RETURN_THROWS();
    }
    if (rc != 0) {
        RETURN_BOOL(fail(rc));
    }
    rc = r->result < 0 ? (int) r->result : 0;
    RETVAL_LONG((zend_long) r->result);
    pool_free(r);
    if (rc < 0) {
        RETURN_BOOL(fail(rc));
    }
}

static void wait_child(INTERNAL_FUNCTION_PARAMETERS, zend_long pid, double timeout) {
    int status = 0;
    pid_t r;

    if (!php_coro_require()) {
        RETURN_THROWS();
    }
    r = child_wait((pid_t) pid, timeout_ms(timeout), &status);
    if (!php_coro_after_switch()) {
        RETURN_THROWS();
    }
    if (r < 0) {
        RETURN_BOOL(fail(r));
    }
    status_array(return_value, r, status, true);
}

PHP_METHOD(Swoole_Coroutine_System, wait) {
    double timeout = -1;

    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_DOUBLE(timeout)
    ZEND_PARSE_PARAMETERS_END();

    wait_child(INTERNAL_FUNCTION_PARAM_PASSTHRU, -1, timeout);
}

PHP_METHOD(Swoole_Coroutine_System, waitPid) {
    zend_long pid;
    double timeout = -1;

    ZEND_PARSE_PARAMETERS_START(1, 2)
        Z_PARAM_LONG(pid)
        Z_PARAM_OPTIONAL
        Z_PARAM_DOUBLE(timeout)
    ZEND_PARSE_PARAMETERS_END();

    if (pid < -1 || pid == 0 || pid > INT_MAX) {
        zend_argument_value_error(1, "must be a process id, or -1 for any child");
        RETURN_THROWS();
    }
    wait_child(INTERNAL_FUNCTION_PARAM_PASSTHRU, pid, timeout);
}

/* ---- waitSignal ----------------------------------------------------------- */

#define SYS_SIGNALS_MAX 64 /* the loop watches signals 1..64 */

typedef struct {
    eddy_wait_t w;
    bool woken;
} sigwait_t;

static void on_signal(eddy_loop_t *loop, eddy_signal_t *sig, int signo) {
    sigwait_t *sw = sig->data;
    (void) loop;
    /* Two watched signals in one read: only the first ends the wait. */
    if (sw->woken) {
        return;
    }
    sw->woken = true;
    eddy_coro_wake(&sw->w, signo);
}

/* Collects the distinct signal numbers of an int|array argument. */
static int collect_signals(zend_long one, HashTable *many, int *out) {
    int n = 0;
    zval *v;

    if (!many) {
        out[n++] = (int) one;
    } else {
        ZEND_HASH_FOREACH_VAL(many, v) {
            if (Z_TYPE_P(v) != IS_LONG || n == SYS_SIGNALS_MAX) {
                zend_argument_type_error(1, "must contain only signal numbers");
                return -1;
            }
            out[n++] = (int) Z_LVAL_P(v);
        } ZEND_HASH_FOREACH_END();
    }
    if (n == 0) {
        zend_argument_value_error(1, "must not be empty");
        return -1;
    }
    for (int i = 0; i < n; i++) {
        if (out[i] < 1 || out[i] > SYS_SIGNALS_MAX || out[i] == SIGKILL || out[i] == SIGSTOP) {
            zend_argument_value_error(1, "must hold signal numbers from 1 to 64 (not SIGKILL or SIGSTOP), %d given", out[i]);
            return -1;
        }
    }
    return n;
}

PHP_METHOD(Swoole_Coroutine_System, waitSignal) {
    zend_long one = 0;
    HashTable *many = NULL;
    double timeout = -1;
    int signos[SYS_SIGNALS_MAX], n, started = 0, rc = 0;
    eddy_signal_t *watchers;
    sigwait_t sw;

    ZEND_PARSE_PARAMETERS_START(1, 2)
        Z_PARAM_ARRAY_HT_OR_LONG(many, one)
        Z_PARAM_OPTIONAL
        Z_PARAM_DOUBLE(timeout)
    ZEND_PARSE_PARAMETERS_END();

    if ((n = collect_signals(one, many, signos)) < 0 || !php_coro_require()) {
        RETURN_THROWS();
    }
    memset(&sw, 0, sizeof(sw));
    watchers = ecalloc((size_t) n, sizeof(*watchers));
    for (; started < n && rc == 0; started++) {
        watchers[started].data = &sw;
        rc = eddy_signal_start(eddy_loop_default(), &watchers[started], signos[started], on_signal);
        if (rc < 0) {
            break;
        }
    }
    if (rc == 0) {
        rc = eddy_coro_wait(&sw.w, timeout_ms(timeout), NULL);
    }
    for (int i = 0; i < started; i++) {
        eddy_signal_stop(&watchers[i]);
    }
    efree(watchers);
    if (!php_coro_after_switch()) {
        RETURN_THROWS();
    }
    if (rc <= 0) {
        RETURN_BOOL(fail(rc < 0 ? rc : EDDY_EINVAL));
    }
    RETURN_LONG(rc);
}

/* ---- registration --------------------------------------------------------- */

/* Swoole also offers these as Swoole\Coroutine's static methods
 * (Co::exec(), Co::gethostbyname()...); added to that class unless it
 * already has one of the name (sleep). */
static void alias_on_coroutine(void) {
    static zend_function_entry aliases[sizeof(class_Swoole_Coroutine_System_methods) /
                                        sizeof(zend_function_entry)];
    zend_class_entry *co = zend_hash_str_find_ptr(CG(class_table), ZEND_STRL("swoole\\coroutine"));
    size_t n = 0;

    if (!co) {
        return;
    }
    for (const zend_function_entry *fe = class_Swoole_Coroutine_System_methods; fe->fname; fe++) {
        size_t len = strlen(fe->fname);
        char *lc = zend_str_tolower_dup(fe->fname, len);
        if (!zend_hash_str_exists(&co->function_table, lc, len)) {
            aliases[n++] = *fe;
        }
        efree(lc);
    }
    memset(&aliases[n], 0, sizeof(aliases[n]));
    if (n > 0) {
        zend_register_functions(co, aliases, &co->function_table, MODULE_PERSISTENT);
    }
}

void php_swoole_system_minit(int module_number) {
    zend_class_entry *ce;

    (void) module_number;
    ce = register_class_Swoole_Coroutine_System();
    alias_on_coroutine();
    if (php_swoole_use_shortname()) {
        zend_register_class_alias("Co\\System", ce);
    }
}
