/*
 * The PHP face of coroutines: Swoole\Coroutine's static methods, go() /
 * Swoole\Coroutine\run() / defer(), Swoole\Coroutine\Context and Iterator,
 * and the Co\ short names (only with swoole.use_shortname on, as in Swoole).
 *
 * Coroutine::set() keeps every option it is given (getOptions() returns
 * them, as Swoole does) and applies the ones eddy implements: max_coroutine
 * (max_coro_num), stack_size (c_stack_size), enable_deadlock_check,
 * log_level and hook_flags (the Runtime hooks, php_runtime.h). Others are
 * only stored for the family that implements them (php_coro_option());
 * unknown keys are ignored, as in Swoole.
 */
#include <math.h>

#include "php_swoole.h"
#include "php_coroutine.h"
#include "php_coroutine_int.h"
#include "php_runtime.h"

#include "ext/spl/spl_array.h"
#include "ext/standard/basic_functions.h"
#include "zend_exceptions.h"
#include "zend_extensions.h"

#include "eddy/loop.h"

#include "coroutine_arginfo.h"

#define G php_coro_g

zend_class_entry *php_coro_context_ce;
zend_class_entry *php_coro_iterator_ce;
zend_class_entry *php_coro_canceled_ce;
static zend_class_entry *coroutine_ce;

/* Swoole's minimum timer, for sleep(). */
#define CORO_MIN_SLEEP 0.001

/* ---- running the loop when the script ends ------------------------------- */

/* Coroutines made outside Co\run() (go() in a plain script) run on the loop,
 * which Swoole runs when the main script ends: a shutdown function does it
 * here, so shutdown functions registered later and destructors still see
 * the coroutines' work done. It is an internal function of our own, not a
 * PHP-visible one, so Swoole's API stays as it is. */
static zend_internal_function loop_fn;

static ZEND_NAMED_FUNCTION(run_loop_at_shutdown) {
    php_coro_loop_run();
}

static void register_loop_at_shutdown(void) {
    php_shutdown_function_entry entry = {0};

    if (G.shutdown_registered) {
        return;
    }
    G.shutdown_registered = true;
    /* Observers keep per-function data in the run-time cache; registered
     * functions get one each request, so this one does too. */
    ZEND_MAP_PTR_INIT(loop_fn.run_time_cache,
                      zend_arena_calloc(&CG(arena), 1, zend_internal_run_time_cache_reserved_size()));
    entry.fci.size = sizeof(entry.fci);
    ZVAL_STR_COPY(&entry.fci.function_name, loop_fn.function_name);
    entry.fci_cache.function_handler = (zend_function *) &loop_fn;
    append_user_shutdown_function(&entry);
}

static void loop_fn_init(void) {
    memset(&loop_fn, 0, sizeof(loop_fn));
    loop_fn.type = ZEND_INTERNAL_FUNCTION;
    loop_fn.fn_flags = ZEND_ACC_PUBLIC;
    loop_fn.function_name = zend_string_init_interned(ZEND_STRL("Swoole\\Coroutine\\{loop}"), 1);
    loop_fn.handler = run_loop_at_shutdown;
}

/* ---- creation ------------------------------------------------------------ */

static void create_from_php(INTERNAL_FUNCTION_PARAMETERS, bool at_shutdown) {
    zend_fcall_info fci;
    zend_fcall_info_cache fcc;
    zval *args = NULL;
    uint32_t argc = 0;
    int64_t cid;

    ZEND_PARSE_PARAMETERS_START(1, -1)
        Z_PARAM_FUNC(fci, fcc)
        Z_PARAM_VARIADIC('*', args, argc)
    ZEND_PARSE_PARAMETERS_END();

    if (at_shutdown && !php_coro_in() && G.loop_depth == 0) {
        register_loop_at_shutdown();
    }
    cid = php_coro_create(&fcc, &fci.function_name, argc, args);
    if (EG(exception)) {
        RETURN_THROWS();
    }
    if (cid < 0) {
        RETURN_FALSE;
    }
    RETURN_LONG(cid);
}

PHP_FUNCTION(swoole_coroutine_create) {
    create_from_php(INTERNAL_FUNCTION_PARAM_PASSTHRU, true);
}

PHP_FUNCTION(swoole_coroutine_defer) {
    zend_fcall_info fci;
    zend_fcall_info_cache fcc;
    php_coro_t *c;

    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_FUNC(fci, fcc)
    ZEND_PARSE_PARAMETERS_END();

    if (!php_coro_require()) {
        RETURN_THROWS();
    }
    c = php_coro_current();
    if (c->ndefers == c->defers_cap) {
        c->defers_cap = c->defers_cap ? c->defers_cap * 2 : 4;
        c->defers = safe_erealloc(c->defers, c->defers_cap, sizeof(zval), 0);
    }
    ZVAL_COPY(&c->defers[c->ndefers++], &fci.function_name);
}

PHP_FUNCTION(Swoole_Coroutine_run) {
    if (php_coro_in() || G.loop_depth > 0) {
        zend_throw_error(php_swoole_error_ce,
                         "Swoole\\Coroutine\\run() cannot be nested: it must be called "
                         "outside coroutines and outside a running event loop");
        RETURN_THROWS();
    }
    create_from_php(INTERNAL_FUNCTION_PARAM_PASSTHRU, false);
    if (EG(exception) || Z_TYPE_P(return_value) == IS_FALSE) {
        return;
    }
    php_coro_loop_run();
    if (EG(exception)) {
        RETURN_THROWS();
    }
    RETURN_TRUE;
}

/* ---- options ------------------------------------------------------------- */

static void apply_option(zend_string *key, zval *v) {
    if (zend_string_equals_literal(key, "max_coroutine") ||
        zend_string_equals_literal(key, "max_coro_num")) {
        zend_long n = zval_get_long(v);
        G.max_coroutine = n > 0 ? n : PHP_CORO_DEFAULT_MAX;
    } else if (zend_string_equals_literal(key, "stack_size") ||
               zend_string_equals_literal(key, "c_stack_size")) {
        zend_long n = zval_get_long(v);
        if (n <= 0 || php_swoole_check(eddy_coro_set_stack_size((size_t) n)) < 0) {
            php_error_docref(NULL, E_WARNING, "invalid stack_size " ZEND_LONG_FMT, n);
        }
    } else if (zend_string_equals_literal(key, "enable_deadlock_check")) {
        G.deadlock_check = zend_is_true(v);
    } else if (zend_string_equals_literal(key, "hook_flags")) {
        php_runtime_set_flags((uint32_t) zval_get_long(v));
    } else if (zend_string_equals_literal(key, "log_level")) {
        zend_long n = zval_get_long(v);
        if (n >= EDDY_LOG_DEBUG && n <= EDDY_LOG_NONE) {
            eddy_log_set_level((eddy_log_level_t) n);
        }
    }
}

PHP_METHOD(Swoole_Coroutine, set) {
    HashTable *opts;
    zend_string *key;
    zval *v;

    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_ARRAY_HT(opts)
    ZEND_PARSE_PARAMETERS_END();

    if (!G.options) {
        G.options = zend_new_array(0);
    }
    ZEND_HASH_FOREACH_STR_KEY_VAL(opts, key, v) {
        if (!key) {
            continue;
        }
        apply_option(key, v);
        Z_TRY_ADDREF_P(v);
        zend_hash_update(G.options, key, v);
    } ZEND_HASH_FOREACH_END();
}

PHP_METHOD(Swoole_Coroutine, getOptions) {
    ZEND_PARSE_PARAMETERS_NONE();
    if (!G.options) {
        RETURN_NULL();
    }
    RETURN_ARR(zend_array_dup(G.options));
}

/* ---- status -------------------------------------------------------------- */

PHP_METHOD(Swoole_Coroutine, exists) {
    zend_long cid;

    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_LONG(cid)
    ZEND_PARSE_PARAMETERS_END();
    RETURN_BOOL(eddy_coro_get(cid) != NULL);
}

PHP_METHOD(Swoole_Coroutine, getCid) {
    ZEND_PARSE_PARAMETERS_NONE();
    RETURN_LONG(eddy_coro_cid());
}

/* The creator's id, -1 for a coroutine made outside coroutines, false
 * outside coroutines or for an unknown id. */
PHP_METHOD(Swoole_Coroutine, getPcid) {
    zend_long cid = 0;
    eddy_coro_t *co;

    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(cid)
    ZEND_PARSE_PARAMETERS_END();

    co = cid ? eddy_coro_get(cid) : eddy_coro_current();
    if (!co) {
        RETURN_FALSE;
    }
    RETURN_LONG(eddy_coro_pcid(co));
}

PHP_METHOD(Swoole_Coroutine, getElapsed) {
    zend_long cid = 0;
    eddy_coro_t *co;

    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(cid)
    ZEND_PARSE_PARAMETERS_END();

    co = cid ? eddy_coro_get(cid) : eddy_coro_current();
    RETURN_LONG(co ? (zend_long) eddy_coro_elapsed_ms(co) : -1);
}

PHP_METHOD(Swoole_Coroutine, stats) {
    eddy_coro_stats_t st;

    ZEND_PARSE_PARAMETERS_NONE();
    eddy_coro_stats(&st);
    array_init(return_value);
    add_assoc_long(return_value, "c_stack_size", (zend_long) st.stack_size);
    add_assoc_long(return_value, "coroutine_num", (zend_long) st.count);
    add_assoc_long(return_value, "coroutine_peak_num", (zend_long) st.peak);
    /* Ids are handed out in sequence, one per coroutine created. */
    add_assoc_long(return_value, "coroutine_last_cid", (zend_long) st.created);
}

PHP_METHOD(Swoole_Coroutine, list) {
    eddy_coro_stats_t st;
    int64_t *ids;
    size_t n, i;
    zval arr;

    ZEND_PARSE_PARAMETERS_NONE();
    eddy_coro_stats(&st);
    ids = safe_emalloc(st.count ? st.count : 1, sizeof(*ids), 0);
    n = eddy_coro_list(ids, st.count);
    array_init_size(&arr, (uint32_t) n);
    for (i = 0; i < n; i++) {
        add_next_index_long(&arr, (zend_long) ids[i]);
    }
    efree(ids);
    object_init_ex(return_value, php_coro_iterator_ce);
    zend_call_known_instance_method_with_1_params(php_coro_iterator_ce->constructor,
                                                  Z_OBJ_P(return_value), NULL, &arr);
    zval_ptr_dtor(&arr);
}

PHP_METHOD(Swoole_Coroutine, getContext) {
    zend_long cid = 0;
    php_coro_t *c;
    zval obj;

    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(cid)
    ZEND_PARSE_PARAMETERS_END();

    c = cid ? php_coro_find(cid) : php_coro_current();
    if (!c) {
        RETURN_NULL();
    }
    if (!c->context) {
        object_init_ex(&obj, php_coro_context_ce);
        c->context = Z_OBJ(obj);
    }
    RETURN_OBJ_COPY(c->context);
}

/* ---- backtraces ---------------------------------------------------------- */

/* Fills `out` with the backtrace of coroutine cid (0: the caller's context).
 * False for an unknown id. */
static bool backtrace_of(zend_long cid, zend_long options, zend_long limit, zval *out) {
    php_coro_t *c = NULL;

    if (cid && cid != eddy_coro_cid()) {
        c = php_coro_find(cid);
        if (!c) {
            return false;
        }
    }
    php_coro_backtrace(c, out, (int) options, (int) limit);
    return true;
}

PHP_METHOD(Swoole_Coroutine, getBackTrace) {
    zend_long cid = 0, options = DEBUG_BACKTRACE_PROVIDE_OBJECT, limit = 0;

    ZEND_PARSE_PARAMETERS_START(0, 3)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(cid)
        Z_PARAM_LONG(options)
        Z_PARAM_LONG(limit)
    ZEND_PARSE_PARAMETERS_END();

    if (!backtrace_of(cid, options, limit, return_value)) {
        RETURN_FALSE;
    }
}

PHP_METHOD(Swoole_Coroutine, printBackTrace) {
    zend_long cid = 0, options = 0, limit = 0;
    zend_string *s;
    zval trace;

    ZEND_PARSE_PARAMETERS_START(0, 3)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(cid)
        Z_PARAM_LONG(options)
        Z_PARAM_LONG(limit)
    ZEND_PARSE_PARAMETERS_END();

    if (!backtrace_of(cid, options, limit, &trace)) {
        php_swoole_set_error(-EDDY_ECO_NOT_EXISTS);
        php_error_docref(NULL, E_WARNING, "coroutine #" ZEND_LONG_FMT " does not exist", cid);
        return;
    }
    s = zend_trace_to_string(Z_ARRVAL(trace), false);
    PHPWRITE(ZSTR_VAL(s), ZSTR_LEN(s));
    zend_string_release(s);
    zval_ptr_dtor(&trace);
}

/* ---- scheduling ---------------------------------------------------------- */

PHP_METHOD(Swoole_Coroutine, yield) {
    php_coro_t *c;
    int rc;

    ZEND_PARSE_PARAMETERS_NONE();
    if (!php_coro_require()) {
        RETURN_THROWS();
    }
    c = php_coro_current();
    c->user_yield = true;
    rc = eddy_coro_yield();
    c->user_yield = false;
    if (!php_coro_after_switch()) {
        RETURN_THROWS();
    }
    RETURN_BOOL(rc == 0);
}

PHP_METHOD(Swoole_Coroutine, resume) {
    zend_long cid;
    php_coro_t *c;

    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_LONG(cid)
    ZEND_PARSE_PARAMETERS_END();

    c = php_coro_find(cid);
    if (!c || !c->user_yield) {
        php_swoole_set_error(-EDDY_ECO_NOT_EXISTS);
        php_error_docref(NULL, E_WARNING,
                         "can not resume the coroutine which is in IO operation or non-existent");
        RETURN_FALSE;
    }
    c->user_yield = false;
    if (php_swoole_check(eddy_coro_resume(c->co)) < 0) {
        RETURN_FALSE;
    }
    if (!php_coro_after_switch()) {
        RETURN_THROWS();
    }
    RETURN_TRUE;
}

/* With $throw_exception (Swoole 6.1), a Swoole\Coroutine\CanceledException
 * is thrown in the target when it next runs (the switch hook throws it): it
 * is woken at once out of a wait or a yield; one that is running (a caller
 * of ours) gets it when control returns to it. */
static int cancel_throwing(zend_long cid) {
    php_coro_t *c = php_coro_find(cid);

    if (!c) {
        return EDDY_ECO_NOT_EXISTS;
    }
    if (c == php_coro_current()) {
        return EDDY_ECO_CANNOT_CANCEL;
    }
    if (c->cancel_throw) {
        return EDDY_ECANCELED; /* already canceled this way, not run since */
    }
    c->cancel_throw = true;
    if (c->user_yield) {
        c->user_yield = false;
        eddy_coro_resume(c->co);
    } else {
        eddy_coro_cancel(cid); /* fails for a running one: it throws later */
    }
    return 0;
}

PHP_METHOD(Swoole_Coroutine, cancel) {
    zend_long cid;
    bool throw_exception = false;
    int rc;

    ZEND_PARSE_PARAMETERS_START(1, 2)
        Z_PARAM_LONG(cid)
        Z_PARAM_OPTIONAL
        Z_PARAM_BOOL(throw_exception)
    ZEND_PARSE_PARAMETERS_END();

    rc = php_swoole_check(throw_exception ? cancel_throwing(cid) : eddy_coro_cancel(cid));
    if (!php_coro_after_switch()) {
        RETURN_THROWS();
    }
    RETURN_BOOL(rc == 0);
}

PHP_METHOD(Swoole_Coroutine, isCanceled) {
    ZEND_PARSE_PARAMETERS_NONE();
    if (!php_coro_require()) {
        RETURN_THROWS();
    }
    RETURN_BOOL(eddy_coro_is_canceled(eddy_coro_current()));
}

PHP_METHOD(Swoole_Coroutine, sleep) {
    double seconds;
    int rc;

    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_DOUBLE(seconds)
    ZEND_PARSE_PARAMETERS_END();

    if (!php_coro_require()) {
        RETURN_THROWS();
    }
    if (!(seconds >= CORO_MIN_SLEEP)) { /* also NAN */
        php_error_docref(NULL, E_WARNING, "Timer must be greater than or equal to 0.001");
        RETURN_FALSE;
    }
    rc = eddy_coro_sleep((uint64_t) llround(seconds * 1000));
    if (!php_coro_after_switch()) {
        RETURN_THROWS();
    }
    if (php_swoole_check(rc) < 0) {
        RETURN_FALSE;
    }
    RETURN_TRUE;
}

/* ---- registration -------------------------------------------------------- */

PHP_INI_BEGIN()
    PHP_INI_ENTRY("swoole.use_shortname", "On", PHP_INI_SYSTEM, NULL)
PHP_INI_END()

static const zend_function_entry short_functions[] = {
    ZEND_RAW_FENTRY("go", zif_swoole_coroutine_create, arginfo_swoole_coroutine_create, 0)
    ZEND_RAW_FENTRY("defer", zif_swoole_coroutine_defer, arginfo_swoole_coroutine_defer, 0)
    ZEND_NS_RAW_FENTRY("Co", "run", zif_Swoole_Coroutine_run, arginfo_Swoole_Coroutine_run, 0)
    ZEND_FE_END
};

bool php_swoole_use_shortname(void) {
    const char *v = INI_STR("swoole.use_shortname");
    zend_string *s;
    bool on;

    if (!v) {
        return true;
    }
    s = zend_string_init(v, strlen(v), 0);
    on = zend_ini_parse_bool(s);
    zend_string_release(s);
    return on;
}

/* Swoole\Error may already come from the module's own MINIT. */
static void register_error_class(void) {
    zend_class_entry ce;

    php_swoole_error_ce = zend_hash_str_find_ptr(CG(class_table), ZEND_STRL("swoole\\error"));
    if (php_swoole_error_ce) {
        return;
    }
    INIT_NS_CLASS_ENTRY(ce, "Swoole", "Error", NULL);
    php_swoole_error_ce = zend_register_internal_class_ex(&ce, zend_ce_error);
}

/* Swoole\Exception is shared with the socket family: whichever registers
 * first makes it, the other finds it. */
static zend_class_entry *find_or_register_exception(void) {
    zend_class_entry ce, *found;

    found = zend_hash_str_find_ptr(CG(class_table), ZEND_STRL("swoole\\exception"));
    if (found) {
        return found;
    }
    INIT_NS_CLASS_ENTRY(ce, "Swoole", "Exception", NULL);
    return zend_register_internal_class_ex(&ce, zend_ce_exception);
}

void php_coro_api_minit(int module_number);

void php_coro_api_minit(int module_number) {
    zend_register_ini_entries(ini_entries, module_number);
    register_error_class();
    coroutine_ce = register_class_Swoole_Coroutine();
    php_coro_create_fn = zend_hash_str_find_ptr(&coroutine_ce->function_table, ZEND_STRL("create"));
    php_coro_context_ce = register_class_Swoole_Coroutine_Context(spl_ce_ArrayObject);
    /* Swoole's documented use: $context->key = ... as well as $context['key']. */
    php_coro_context_ce->ce_flags |= ZEND_ACC_ALLOW_DYNAMIC_PROPERTIES;
    php_coro_iterator_ce = register_class_Swoole_Coroutine_Iterator(spl_ce_ArrayIterator);
    php_coro_canceled_ce =
        register_class_Swoole_Coroutine_CanceledException(find_or_register_exception());
    zend_register_functions(NULL, ext_functions, NULL, MODULE_PERSISTENT);
    loop_fn_init();
    if (php_swoole_use_shortname()) {
        zend_register_class_alias("Co", coroutine_ce);
        zend_register_class_alias("Co\\Context", php_coro_context_ce);
        zend_register_class_alias("Co\\Iterator", php_coro_iterator_ce);
        zend_register_functions(NULL, short_functions, NULL, MODULE_PERSISTENT);
    }
}
