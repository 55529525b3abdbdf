/*
 * Swoole\Server's tasks: task, taskwait, taskWaitMulti, taskCo, finish, and
 * the onTask / onFinish events, over the engine's task workers
 * (include/eddy/server.h, src/server/task.c).
 *
 * Payloads (task, taskwait, finish, and sendMessage in php_server.c) carry
 * one tag byte: 'S' and a string as is, or 'Z' and serialize() output for
 * any other value, so both ends get back the PHP value that was sent.
 *
 * onTask is a plain call (Swoole's default task_enable_coroutine off; the
 * Task-object form is not implemented) and its return value, unless null,
 * is sent as finish().
 */
#include "php_swoole.h"
#include "php_coroutine.h"
#include "php_server.h"

#include "ext/standard/php_var.h"
#include "zend_smart_str.h"

#include "eddy/server.h"

/* ---- payloads --------------------------------------------------------------- */

/* Tag byte + bytes (see the top of the file). False if serialize() threw. */
bool php_server_pack(zval *v, smart_str *out) {
    if (Z_TYPE_P(v) == IS_STRING) {
        smart_str_appendc(out, 'S');
        smart_str_append(out, Z_STR_P(v));
    } else {
        php_serialize_data_t h;
        smart_str_appendc(out, 'Z');
        PHP_VAR_SERIALIZE_INIT(h);
        php_var_serialize(out, v, &h);
        PHP_VAR_SERIALIZE_DESTROY(h);
        if (EG(exception)) {
            smart_str_free(out);
            return false;
        }
    }
    smart_str_0(out);
    return true;
}

void php_server_unpack(const char *data, size_t len, zval *out) {
    if (len > 0 && data[0] == 'Z') {
        php_unserialize_data_t h;
        const unsigned char *p = (const unsigned char *) data + 1;

        PHP_VAR_UNSERIALIZE_INIT(h);
        if (!php_var_unserialize(out, &p, (const unsigned char *) data + len, &h)) {
            zval_ptr_dtor(out);
            ZVAL_FALSE(out);
            php_error_docref(NULL, E_WARNING, "cannot unserialize a payload of %zu bytes", len);
        }
        PHP_VAR_UNSERIALIZE_DESTROY(h);
        return;
    }
    ZVAL_STRINGL(out, len > 0 ? data + 1 : "", len > 0 ? len - 1 : 0);
}

static bool send_finish(php_server_t *ps, zval *data) {
    smart_str buf = {0};
    int rc;

    if (!php_server_pack(data, &buf)) {
        return false;
    }
    rc = eddy_server_finish(ps->srv, ZSTR_VAL(buf.s), ZSTR_LEN(buf.s));
    smart_str_free(&buf);
    if (php_swoole_check(rc) < 0) {
        php_error_docref(NULL, E_WARNING, "finish() failed: %s", eddy_strerror(rc));
        return false;
    }
    return true;
}

void php_server_on_task(eddy_server_t *srv, int task_id, int src_worker_id, const char *data,
                        size_t len) {
    php_server_t *ps = php_server_current();
    zval args[4], ret;

    (void) srv;
    ZVAL_LONG(&args[1], task_id);
    ZVAL_LONG(&args[2], src_worker_id);
    php_server_unpack(data, len, &args[3]);
    php_server_fire(ps, PHP_SERVER_EV_TASK, NULL, args, 4, false, &ret);
    if (!Z_ISUNDEF(ret) && Z_TYPE(ret) != IS_NULL) {
        send_finish(ps, &ret);
    }
    zval_ptr_dtor(&ret);
}

void php_server_on_finish(eddy_server_t *srv, int task_id, const char *data, size_t len) {
    php_server_t *ps = php_server_current();
    zval args[3], cb, *own;

    (void) srv;
    ZVAL_UNDEF(&cb);
    own = ps->finish_cbs ? zend_hash_index_find(ps->finish_cbs, task_id) : NULL;
    if (own) { /* task()'s own callback replaces onFinish for that task */
        ZVAL_COPY_VALUE(&cb, own);
        ZVAL_UNDEF(own);
        zend_hash_index_del(ps->finish_cbs, task_id);
    }
    ZVAL_LONG(&args[1], task_id);
    php_server_unpack(data, len, &args[2]);
    php_server_fire(ps, PHP_SERVER_EV_FINISH, own ? &cb : NULL, args, 3, true, NULL);
    zval_ptr_dtor(&cb);
}

/* ---- methods ------------------------------------------------------------------------ */

PHP_METHOD(Swoole_Server, task) {
    php_server_t *ps = php_server_from_obj(Z_OBJ_P(ZEND_THIS));
    zval *data;
    zend_long dst = -1;
    zend_fcall_info fci = empty_fcall_info;
    zend_fcall_info_cache fcc = empty_fcall_info_cache;
    smart_str buf = {0};
    int rc;

    ZEND_PARSE_PARAMETERS_START(1, 3)
        Z_PARAM_ZVAL(data)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(dst)
        Z_PARAM_FUNC_OR_NULL(fci, fcc)
    ZEND_PARSE_PARAMETERS_END();

    if (ZEND_FCI_INITIALIZED(fci)) {
        zend_release_fcall_info_cache(&fcc);
    }
    if (!php_server_require_worker(ps, -EDDY_EWRONG_OP)) {
        RETURN_FALSE;
    }
    if (!php_server_pack(data, &buf)) {
        RETURN_THROWS();
    }
    rc = eddy_server_task(ps->srv, ZSTR_VAL(buf.s), ZSTR_LEN(buf.s), (int) dst);
    smart_str_free(&buf);
    if (php_swoole_check(rc) < 0) {
        php_error_docref(NULL, E_WARNING, "task() failed: %s", eddy_strerror(rc));
        RETURN_FALSE;
    }
    if (ZEND_FCI_INITIALIZED(fci)) {
        if (!ps->finish_cbs) {
            ps->finish_cbs = zend_new_array(8);
        }
        Z_TRY_ADDREF(fci.function_name);
        zend_hash_index_update(ps->finish_cbs, rc, &fci.function_name);
    }
    RETURN_LONG(rc);
}

/* $taskWorkerIndex is accepted for Swoole's signature; the engine picks an
 * idle task worker for a taskwait. */
PHP_METHOD(Swoole_Server, taskwait) {
    php_server_t *ps = php_server_from_obj(Z_OBJ_P(ZEND_THIS));
    zval *data;
    double timeout = 0.5;
    zend_long dst = -1;
    smart_str buf = {0};
    eddy_buf_t out;
    int rc;

    ZEND_PARSE_PARAMETERS_START(1, 3)
        Z_PARAM_ZVAL(data)
        Z_PARAM_OPTIONAL
        Z_PARAM_DOUBLE(timeout)
        Z_PARAM_LONG(dst)
    ZEND_PARSE_PARAMETERS_END();
    (void) dst;

    if (!php_server_require_worker(ps, -EDDY_EWRONG_OP)) {
        RETURN_FALSE;
    }
    if (!php_server_pack(data, &buf)) {
        RETURN_THROWS();
    }
    eddy_buf_init(&out);
    rc = eddy_server_taskwait(ps->srv, ZSTR_VAL(buf.s), ZSTR_LEN(buf.s),
                              timeout < 0 ? -1 : (int64_t) (timeout * 1000), &out);
    smart_str_free(&buf);
    if (!php_coro_after_switch()) {
        eddy_buf_free(&out);
        RETURN_THROWS();
    }
    if (php_swoole_check(rc) < 0) {
        eddy_buf_free(&out);
        if (rc != EDDY_ETIMEDOUT) {
            php_error_docref(NULL, E_WARNING, "taskwait() failed: %s", eddy_strerror(rc));
        }
        RETURN_FALSE;
    }
    php_server_unpack(out.data, out.len, return_value);
    eddy_buf_free(&out);
}

PHP_METHOD(Swoole_Server, finish) {
    php_server_t *ps = php_server_from_obj(Z_OBJ_P(ZEND_THIS));
    zval *data;

    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_ZVAL(data)
    ZEND_PARSE_PARAMETERS_END();

    if (!php_server_require_worker(ps, -EDDY_EWRONG_OP)) {
        RETURN_FALSE;
    }
    RETURN_BOOL(send_finish(ps, data));
}

/* taskWaitMulti and taskCo: every task is sent at once and all share one
 * timeout. The result is keyed as $tasks was. taskWaitMulti leaves a task
 * that did not answer in time out of it; taskCo gives false for it (both
 * as Swoole documents). The engine yields when called in a coroutine and
 * blocks the worker otherwise; taskCo requires a coroutine, as Swoole's. */
static void wait_multi(INTERNAL_FUNCTION_PARAMETERS, bool co) {
    php_server_t *ps = php_server_from_obj(Z_OBJ_P(ZEND_THIS));
    HashTable *tasks;
    double timeout = 0.5;
    zval *v;
    uint32_t n, i = 0;
    int rc;

    ZEND_PARSE_PARAMETERS_START(1, 2)
        Z_PARAM_ARRAY_HT(tasks)
        Z_PARAM_OPTIONAL
        Z_PARAM_DOUBLE(timeout)
    ZEND_PARSE_PARAMETERS_END();

    if (!php_server_require_worker(ps, -EDDY_EWRONG_OP) || (co && !php_coro_require())) {
        RETURN_FALSE;
    }
    n = zend_hash_num_elements(tasks);
    if (n == 0) {
        RETURN_EMPTY_ARRAY();
    }
    /* Per-task arrays, all freed at the end of this call. */
    smart_str *bufs = ecalloc(n, sizeof(*bufs));
    const void **datas = ecalloc(n, sizeof(*datas));
    size_t *lens = ecalloc(n, sizeof(*lens));
    eddy_buf_t *outs = ecalloc(n, sizeof(*outs));
    int *rcs = ecalloc(n, sizeof(*rcs));
    uint32_t packed = 0;

    for (uint32_t j = 0; j < n; j++) {
        eddy_buf_init(&outs[j]);
    }
    ZEND_HASH_FOREACH_VAL(tasks, v) {
        if (!php_server_pack(v, &bufs[i])) {
            break;
        }
        datas[i] = ZSTR_VAL(bufs[i].s);
        lens[i] = ZSTR_LEN(bufs[i].s);
        i++;
    } ZEND_HASH_FOREACH_END();
    packed = i;
    rc = packed < n ? EDDY_EINVAL
               : eddy_server_taskwait_multi(ps->srv, datas, lens, n,
                                            timeout < 0 ? -1 : (int64_t) (timeout * 1000), outs,
                                            rcs);
    if (packed == n && php_coro_after_switch() && php_swoole_check(rc) >= 0) {
        zend_string *key;
        zend_ulong idx;
        zval r;

        array_init_size(return_value, n);
        i = 0;
        ZEND_HASH_FOREACH_KEY(tasks, idx, key) {
            if (rcs[i] == 0) {
                php_server_unpack(outs[i].data, outs[i].len, &r);
            } else if (co) {
                ZVAL_FALSE(&r);
            } else {
                i++;
                continue;
            }
            if (key) {
                zend_hash_update(Z_ARRVAL_P(return_value), key, &r);
            } else {
                zend_hash_index_update(Z_ARRVAL_P(return_value), idx, &r);
            }
            i++;
        } ZEND_HASH_FOREACH_END();
    } else if (!EG(exception)) { /* else the exception (serialize, coroutine) stands */
        php_error_docref(NULL, E_WARNING, "%s() failed: %s", co ? "taskCo" : "taskWaitMulti",
                         eddy_strerror(rc));
        RETVAL_FALSE;
    }
    for (uint32_t j = 0; j < n; j++) {
        smart_str_free(&bufs[j]);
        eddy_buf_free(&outs[j]);
    }
    efree(bufs), efree(datas), efree(lens), efree(outs), efree(rcs);
}

PHP_METHOD(Swoole_Server, taskWaitMulti) {
    wait_multi(INTERNAL_FUNCTION_PARAM_PASSTHRU, false);
}

PHP_METHOD(Swoole_Server, taskCo) {
    wait_multi(INTERNAL_FUNCTION_PARAM_PASSTHRU, true);
}
