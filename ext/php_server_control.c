/*
 * Swoole\Server's control and status methods: reload, shutdown, stop,
 * stats, getWorkerStatus and the ids and pids of the server's processes,
 * over the engine (include/eddy/server.h). The object and the events are
 * php_server.c's.
 */
#include <limits.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

#include "php_swoole.h"
#include "php_coroutine.h"
#include "php_coroutine_int.h"
#include "php_server.h"

#include "eddy/server.h"

#define THIS_SERVER() php_server_from_obj(Z_OBJ_P(ZEND_THIS))

/* Swoole's worker states (getWorkerStatus). */
enum { WORKER_BUSY = 1, WORKER_IDLE = 2, WORKER_EXIT = 3 };

PHP_METHOD(Swoole_Server, reload) {
    php_server_t *ps = THIS_SERVER();
    bool only_task = false;

    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_BOOL(only_task)
    ZEND_PARSE_PARAMETERS_END();

    if (!php_server_require_started(ps)) {
        RETURN_FALSE;
    }
    RETURN_BOOL(php_swoole_check(eddy_server_reload_ex(ps->srv, only_task)) >= 0);
}

PHP_METHOD(Swoole_Server, shutdown) {
    php_server_t *ps = THIS_SERVER();

    ZEND_PARSE_PARAMETERS_NONE();
    if (!php_server_require_started(ps)) {
        RETURN_FALSE;
    }
    RETURN_BOOL(php_swoole_check(eddy_server_shutdown(ps->srv)) >= 0);
}

/* stop(): Swoole sends the worker SIGTERM, and so do we: the engine's own
 * stop path (stop accepting; with reload_async finish the events in flight,
 * else close the connections; onWorkerStop), after which the manager starts
 * a replacement. $waitEvent changes nothing here: the engine always lets the
 * current callback return first. Another worker (or task worker) is found
 * in the engine's pid table. */
PHP_METHOD(Swoole_Server, stop) {
    php_server_t *ps = THIS_SERVER();
    zend_long id = -1;
    bool wait_event = false;
    int pid;

    ZEND_PARSE_PARAMETERS_START(0, 2)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(id)
        Z_PARAM_BOOL(wait_event)
    ZEND_PARSE_PARAMETERS_END();
    (void) wait_event;

    if (id == -1 ? !php_server_require_worker(ps, -EDDY_EWRONG_OP) : !php_server_require_started(ps)) {
        RETURN_FALSE;
    }
    if (id == -1 || id == eddy_server_worker_id(ps->srv)) {
        RETURN_BOOL(kill(getpid(), SIGTERM) == 0);
    }
    pid = id > INT_MAX ? EDDY_EINVAL : eddy_server_worker_pid(ps->srv, (int) id);
    if (pid <= 0) {
        php_swoole_set_error(pid < 0 ? -pid : -EDDY_EWRONG_OP);
        php_error_docref(NULL, E_WARNING, "worker#" ZEND_LONG_FMT " %s", id,
                         pid < 0 ? "does not exist" : "is being restarted");
        RETURN_FALSE;
    }
    RETURN_BOOL(kill(pid, SIGTERM) == 0);
}

/* The figures this process can vouch for (see the note on the issue):
 * Swoole's keys that would need counters shared by all processes
 * (accept_count, close_count, request_count, tasking_num...) are left out. */
PHP_METHOD(Swoole_Server, stats) {
    php_server_t *ps = THIS_SERVER();
    const eddy_server_config_t *cfg;
    int64_t requests;

    ZEND_PARSE_PARAMETERS_NONE();
    if (!php_server_require_started(ps)) {
        RETURN_EMPTY_ARRAY();
    }
    cfg = eddy_server_config(ps->srv);
    array_init_size(return_value, 8);
    add_assoc_long(return_value, "start_time", (zend_long) php_server_start_time());
    /* connection_num is the server's: every connection in PROCESS mode, but
     * only this worker's in BASE mode, which is the server's with one worker. */
    if (eddy_server_worker_id(ps->srv) >= 0 &&
        (eddy_server_mode(ps->srv) == EDDY_SERVER_PROCESS || cfg->worker_num == 1)) {
        int n = eddy_server_connections(ps->srv, NULL, NULL);
        if (n >= 0) {
            add_assoc_long(return_value, "connection_num", n);
        }
    }
    add_assoc_long(return_value, "worker_num", cfg->worker_num);
    add_assoc_long(return_value, "task_worker_num", cfg->task_worker_num);
    if ((requests = eddy_server_request_count(ps->srv)) >= 0) {
        add_assoc_long(return_value, "worker_request_count", (zend_long) requests);
    }
    add_assoc_long(return_value, "coroutine_num", (zend_long) php_coro_g.count);
}

/* A worker asking about itself is running PHP code, so it is busy. The
 * others' status lives in their own processes: false. */
PHP_METHOD(Swoole_Server, getWorkerStatus) {
    php_server_t *ps = THIS_SERVER();
    zend_long id = -1;
    int own;

    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(id)
    ZEND_PARSE_PARAMETERS_END();

    own = ps->srv && ps->started ? eddy_server_worker_id(ps->srv) : -1;
    if (own < 0 || (id != -1 && id != own)) {
        RETURN_FALSE;
    }
    RETURN_LONG(WORKER_BUSY);
}

PHP_METHOD(Swoole_Server, getWorkerId) {
    php_server_t *ps = THIS_SERVER();
    int id;

    ZEND_PARSE_PARAMETERS_NONE();
    id = ps->srv && ps->started ? eddy_server_worker_id(ps->srv) : -1;
    if (id < 0) {
        RETURN_FALSE;
    }
    RETURN_LONG(id);
}

/* Any worker's or task worker's pid, from any process of the running
 * server (the engine's pid table); -1: this worker's. False for an id out
 * of range, outside a worker for -1, or while that worker restarts. */
PHP_METHOD(Swoole_Server, getWorkerPid) {
    php_server_t *ps = THIS_SERVER();
    zend_long id = -1;
    int pid;

    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(id)
    ZEND_PARSE_PARAMETERS_END();

    if (!ps->srv || !ps->started) {
        RETURN_FALSE;
    }
    if (id == -1) {
        if (eddy_server_worker_id(ps->srv) < 0) {
            RETURN_FALSE;
        }
        RETURN_LONG(getpid());
    }
    pid = id < 0 || id > INT_MAX ? EDDY_EINVAL : eddy_server_worker_pid(ps->srv, (int) id);
    if (pid <= 0) {
        RETURN_FALSE;
    }
    RETURN_LONG(pid);
}

PHP_METHOD(Swoole_Server, getManagerPid) {
    php_server_t *ps = THIS_SERVER();

    ZEND_PARSE_PARAMETERS_NONE();
    if (ps->srv && ps->started && eddy_server_worker_id(ps->srv) < 0 &&
        getpid() != eddy_server_master_pid(ps->srv)) {
        RETURN_LONG(getpid()); /* the manager itself */
    }
    RETURN_LONG(ps->srv && ps->started ? eddy_server_manager_pid(ps->srv) : 0);
}

PHP_METHOD(Swoole_Server, getMasterPid) {
    php_server_t *ps = THIS_SERVER();

    ZEND_PARSE_PARAMETERS_NONE();
    RETURN_LONG(ps->srv && ps->started ? eddy_server_master_pid(ps->srv) : 0);
}

PHP_METHOD(Swoole_Server, getLastError) {
    ZEND_PARSE_PARAMETERS_NONE();
    RETURN_LONG(SWOOLE_G(last_error));
}

void php_server_control_minit(int module_number) {
    REGISTER_LONG_CONSTANT("SWOOLE_WORKER_BUSY", WORKER_BUSY, CONST_CS | CONST_PERSISTENT);
    REGISTER_LONG_CONSTANT("SWOOLE_WORKER_IDLE", WORKER_IDLE, CONST_CS | CONST_PERSISTENT);
    REGISTER_LONG_CONSTANT("SWOOLE_WORKER_EXIT", WORKER_EXIT, CONST_CS | CONST_PERSISTENT);
}
