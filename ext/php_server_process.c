/*
 * Swoole\Server::addProcess(): a Swoole\Process the server's manager runs
 * (eddy_server_add_process, src/server/user_process.c): forked after the
 * workers, restarted whenever it exits, stopped (SIGTERM, SIGKILL after
 * max_wait_time) when the server shuts down.
 *
 * The Process's socketpair is made by its constructor, before start(), so
 * every process of the server inherits it: the workers use the parent's
 * end ($process->write() / read() in a worker), the user process the
 * child's. The user process runs the callback as Process::start()'s child
 * does (php_process_run_child). It is not a worker, but may call
 * Server::send(), close() and sendMessage(), which the engine forwards to
 * the workers through the manager; the other worker calls fail there with
 * a warning.
 */
#include "php_swoole.h"
#include "php_server.h"
#include "php_process.h"

#include "eddy/server.h"

/* This file's per-process state: the Process objects added, kept alive
 * (one reference each) until the request ends. */
static struct {
    HashTable *added;
} sp_g;

/* In the user process, forked by the manager. */
static void run_user_process(eddy_server_t *srv, int index, void *arg) {
    php_process_t *p = arg;

    (void) srv;
    (void) index;
    php_process_run_child(p);
}

PHP_METHOD(Swoole_Server, addProcess) {
    php_server_t *ps = php_server_from_obj(Z_OBJ_P(ZEND_THIS));
    zval *zp;
    php_process_t *p;
    int idx;

    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_OBJECT_OF_CLASS(zp, php_process_ce)
    ZEND_PARSE_PARAMETERS_END();

    if (!ps->srv) {
        zend_throw_error(NULL, "Swoole\\Server is not constructed");
        RETURN_THROWS();
    }
    p = php_process_from_obj(Z_OBJ_P(zp));
    if (p->started) {
        php_swoole_set_error(PHP_PROCESS_ERR_WRONG_OPERATION);
        php_error_docref(NULL, E_WARNING, p->added ? "the process has already been added"
                                                   : "the process has already been started");
        RETURN_FALSE;
    }
    idx = ps->started ? EDDY_EWRONG_OP : eddy_server_add_process(ps->srv, run_user_process, p);
    if (idx < 0) {
        php_swoole_check(idx);
        php_error_docref(NULL, E_WARNING, "server is running, unable to add a process");
        RETURN_FALSE;
    }
    /* The engine holds p until the server is gone: so does this table. */
    if (!sp_g.added) {
        sp_g.added = zend_new_array(4);
    }
    Z_ADDREF_P(zp);
    zend_hash_next_index_insert_new(sp_g.added, zp);
    p->started = true;
    p->added = true;
    zend_update_property_long(php_process_ce, &p->std, ZEND_STRL("id"), idx);
    RETURN_LONG(idx);
}

void php_server_process_release(void) {
    if (sp_g.added) {
        zend_array_destroy(sp_g.added);
        sp_g.added = NULL;
    }
}

bool php_server_require_worker_or_user(php_server_t *ps, int master_code) {
    if (ps->started && eddy_server_process_index(ps->srv) >= 0) {
        return true;
    }
    return php_server_require_worker(ps, master_code);
}
