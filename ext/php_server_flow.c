/*
 * Swoole\Server's per-connection controls over the engine (src/server/
 * flow.c, send_path.c): sendfile(), pause(), resume(), protect().
 *
 * In BASE mode they act on this worker's own connections only (the engine
 * refuses another worker's with EDDY_EWRONG_OP, as Swoole's BASE mode does
 * not reach them either); in PROCESS mode on any connection of the server.
 */
#include "php_swoole.h"
#include "php_server.h"

#include "eddy/server.h"

#define THIS_SERVER() php_server_from_obj(Z_OBJ_P(ZEND_THIS))

/* A failed call: false, the error code for swoole_last_error(), and a
 * warning for what is not a plain session error (those log a notice). */
static bool check(int rc, const char *what, zend_long fd) {
    if (php_swoole_check(rc) >= 0) {
        return true;
    }
    if (rc != EDDY_ESESSION_NOT_EXIST && rc != EDDY_ESESSION_CLOSED) {
        php_error_docref(NULL, E_WARNING, "%s(" ZEND_LONG_FMT ") failed: %s", what, fd,
                         eddy_strerror(rc));
    }
    return false;
}

PHP_METHOD(Swoole_Server, sendfile) {
    php_server_t *ps = THIS_SERVER();
    zend_long fd, offset = 0, length = 0;
    zend_string *file;

    ZEND_PARSE_PARAMETERS_START(2, 4)
        Z_PARAM_LONG(fd)
        Z_PARAM_PATH_STR(file)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(offset)
        Z_PARAM_LONG(length)
    ZEND_PARSE_PARAMETERS_END();

    if (!php_server_require_worker(ps, -EDDY_EWRONG_OP)) {
        RETURN_FALSE;
    }
    if (offset < 0 || length < 0) {
        php_swoole_set_error(-EDDY_EINVAL);
        php_error_docref(NULL, E_WARNING, "offset and length must not be negative");
        RETURN_FALSE;
    }
    RETURN_BOOL(check(eddy_server_send_path(ps->srv, (int) fd, ZSTR_VAL(file), (uint64_t) offset,
                                            (uint64_t) length),
                      "sendfile", fd));
}

/* pause() and resume(): one fd, one engine call. */
static void fd_op(INTERNAL_FUNCTION_PARAMETERS, int (*op)(eddy_server_t *srv, int fd),
                  const char *what) {
    php_server_t *ps = THIS_SERVER();
    zend_long fd;

    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_LONG(fd)
    ZEND_PARSE_PARAMETERS_END();

    if (!php_server_require_worker(ps, -EDDY_EWRONG_OP)) {
        RETURN_FALSE;
    }
    RETURN_BOOL(check(op(ps->srv, (int) fd), what, fd));
}

PHP_METHOD(Swoole_Server, pause) {
    fd_op(INTERNAL_FUNCTION_PARAM_PASSTHRU, eddy_server_pause, "pause");
}

PHP_METHOD(Swoole_Server, resume) {
    fd_op(INTERNAL_FUNCTION_PARAM_PASSTHRU, eddy_server_resume, "resume");
}

PHP_METHOD(Swoole_Server, protect) {
    php_server_t *ps = THIS_SERVER();
    zend_long fd;
    bool on = true;

    ZEND_PARSE_PARAMETERS_START(1, 2)
        Z_PARAM_LONG(fd)
        Z_PARAM_OPTIONAL
        Z_PARAM_BOOL(on)
    ZEND_PARSE_PARAMETERS_END();

    if (!php_server_require_worker(ps, -EDDY_EWRONG_OP)) {
        RETURN_FALSE;
    }
    RETURN_BOOL(check(eddy_server_protect(ps->srv, (int) fd, on), "protect", fd));
}
