/*
 * Swoole\Timer and the swoole_timer_* functions on the default loop's timers
 * (include/eddy/timer.h).
 *
 * Each PHP timer is one record holding its engine timer, the callable and
 * the arguments; records live in a table by id (ids count from 1 in each
 * request). A tick callback gets ($timer_id, ...$params), an after callback
 * (...$params), each call in a new coroutine. Clearing a timer while its
 * callback is being started only marks it removed; the record goes when that
 * start returns (a callback that yields keeps its own copies of callable and
 * arguments, so the record is not needed after that).
 *
 * info(): exec_msec is when the timer fires next, in ms since the first timer
 * of the request (Swoole counts from its timer's creation); round counts the
 * loop iterations that fired PHP timers, and a timer's round is the one that
 * last fired it.
 */
#include <limits.h>

#include "php_swoole.h"
#include "php_coroutine.h"
#include "php_timer.h"

#include "ext/spl/spl_array.h"

#include "eddy/loop.h"
#include "eddy/timer.h"

#include "timer_arginfo.h"

#define TIMER_MIN_MS 1 /* Swoole's SW_TIMER_MIN_MS */

typedef struct {
    eddy_timer_t t;
    zend_long id;
    zval callable; /* resolved again at each call: see callable_cache() */
    zval *argv; /* tick: argv[0] is the timer id */
    uint32_t argc;
    zend_long interval; /* 0 for after() */
    zend_long exec_count;
    zend_long round;
    bool removed;
    bool running; /* its callback is being started */
} php_timer_t;

/* All timer state of the request (STYLE.md rule 6). */
static struct {
    HashTable *timers; /* id -> php_timer_t*, ascending ids */
    zend_long last_id;
    bool initialized;
    uint64_t base_ms;  /* loop time of the first timer */
    zend_long round;
    uint64_t round_at; /* loop time of the current round */
} timer_g;

static zend_class_entry *timer_ce;
static zend_class_entry *timer_iterator_ce;

static void timer_free(php_timer_t *pt) {
    uint32_t i;

    eddy_timer_stop(&pt->t);
    for (i = 0; i < pt->argc; i++) {
        zval_ptr_dtor(&pt->argv[i]);
    }
    if (pt->argv) {
        efree(pt->argv);
    }
    zval_ptr_dtor(&pt->callable);
    efree(pt);
}

/* Stops the timer and drops it from the table; freed now, or by timer_fire()
 * when its callback is being started. */
static void timer_remove(php_timer_t *pt) {
    eddy_timer_stop(&pt->t);
    pt->removed = true;
    if (!pt->running) {
        zend_hash_index_del(timer_g.timers, pt->id);
        timer_free(pt);
    }
}

static void timer_fire(eddy_timer_t *t) {
    php_timer_t *pt = t->data;
    uint64_t now = eddy_loop_now(t->loop);
    zend_fcall_info_cache fcc;

    if (now != timer_g.round_at || timer_g.round == 0) {
        timer_g.round++;
        timer_g.round_at = now;
    }
    pt->round = timer_g.round;
    pt->exec_count++;
    pt->running = true;
    if (php_swoole_callable_cache(&pt->callable, &fcc)) {
        php_coro_create(&fcc, &pt->callable, pt->argc, pt->argv);
    }
    pt->running = false;
    if (pt->removed || pt->interval == 0) {
        pt->removed = true;
        zend_hash_index_del(timer_g.timers, pt->id);
        timer_free(pt);
    }
    php_coro_after_switch();
}

static php_timer_t *timer_find(zend_long id) {
    return timer_g.timers ? zend_hash_index_find_ptr(timer_g.timers, id) : NULL;
}

static void timer_init_table(eddy_loop_t *loop) {
    if (!timer_g.timers) {
        timer_g.timers = zend_new_array(8);
    }
    if (!timer_g.initialized) {
        timer_g.initialized = true;
        eddy_loop_update_time(loop);
        timer_g.base_ms = eddy_loop_now(loop);
    }
}

static void timer_add(INTERNAL_FUNCTION_PARAMETERS, bool tick) {
    zend_long ms;
    zend_fcall_info fci;
    zend_fcall_info_cache fcc;
    zval *params = NULL;
    uint32_t nparams = 0, i, skip = tick ? 1 : 0;
    eddy_loop_t *loop;
    php_timer_t *pt;

    ZEND_PARSE_PARAMETERS_START(2, -1)
        Z_PARAM_LONG(ms)
        Z_PARAM_FUNC(fci, fcc)
        Z_PARAM_VARIADIC('*', params, nparams)
    ZEND_PARSE_PARAMETERS_END();

    if (ms < TIMER_MIN_MS) {
        php_error_docref(NULL, E_WARNING, "Timer must be greater than or equal to %d",
                         TIMER_MIN_MS);
        RETURN_FALSE;
    }
    if (!(loop = eddy_loop_default())) {
        php_error_docref(NULL, E_WARNING, "add timer failed: no event loop");
        RETURN_FALSE;
    }
    timer_init_table(loop);
    pt = ecalloc(1, sizeof(*pt));
    pt->id = ++timer_g.last_id;
    ZVAL_COPY(&pt->callable, &fci.function_name);
    zend_release_fcall_info_cache(&fcc);
    pt->interval = tick ? ms : 0;
    pt->argc = nparams + skip;
    if (pt->argc) {
        pt->argv = safe_emalloc(pt->argc, sizeof(zval), 0);
    }
    if (tick) {
        ZVAL_LONG(&pt->argv[0], pt->id);
    }
    for (i = 0; i < nparams; i++) {
        ZVAL_COPY(&pt->argv[i + skip], &params[i]);
    }
    eddy_timer_init(loop, &pt->t, timer_fire);
    pt->t.data = pt;
    eddy_timer_start(&pt->t, (uint64_t) ms, tick ? (uint64_t) ms : 0);
    zend_hash_index_add_new_ptr(timer_g.timers, pt->id, pt);
    if (!php_coro_in()) {
        php_swoole_event_run_at_shutdown();
    }
    RETURN_LONG(pt->id);
}

PHP_FUNCTION(swoole_timer_tick) {
    timer_add(INTERNAL_FUNCTION_PARAM_PASSTHRU, true);
}

PHP_FUNCTION(swoole_timer_after) {
    timer_add(INTERNAL_FUNCTION_PARAM_PASSTHRU, false);
}

PHP_FUNCTION(swoole_timer_exists) {
    zend_long id;
    php_timer_t *pt;

    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_LONG(id)
    ZEND_PARSE_PARAMETERS_END();

    pt = timer_find(id);
    RETURN_BOOL(pt && !pt->removed);
}

PHP_FUNCTION(swoole_timer_info) {
    zend_long id;
    php_timer_t *pt;

    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_LONG(id)
    ZEND_PARSE_PARAMETERS_END();

    if (!(pt = timer_find(id))) {
        RETURN_NULL();
    }
    array_init_size(return_value, 5);
    add_assoc_long(return_value, "exec_msec",
                   (zend_long) (pt->t.due >= timer_g.base_ms ? pt->t.due - timer_g.base_ms : 0));
    add_assoc_long(return_value, "exec_count", pt->exec_count);
    add_assoc_long(return_value, "interval", pt->interval);
    add_assoc_long(return_value, "round", pt->round);
    add_assoc_bool(return_value, "removed", pt->removed);
}

/* num counts every timer of the loop, coroutine sleeps and timeouts
 * included, as Swoole's does. */
PHP_FUNCTION(swoole_timer_stats) {
    eddy_loop_t *loop;

    ZEND_PARSE_PARAMETERS_NONE();
    loop = timer_g.initialized ? eddy_loop_default() : NULL;
    array_init_size(return_value, 3);
    add_assoc_bool(return_value, "initialized", loop != NULL);
    add_assoc_long(return_value, "num", loop ? (zend_long) eddy_timer_count(loop) : 0);
    add_assoc_long(return_value, "round", timer_g.round);
}

PHP_FUNCTION(swoole_timer_list) {
    php_timer_t *pt;
    zval ids;

    ZEND_PARSE_PARAMETERS_NONE();
    array_init(&ids);
    if (timer_g.timers) {
        ZEND_HASH_FOREACH_PTR(timer_g.timers, pt) {
            if (!pt->removed) {
                add_next_index_long(&ids, pt->id);
            }
        } ZEND_HASH_FOREACH_END();
    }
    object_init_ex(return_value, timer_iterator_ce);
    zend_call_known_instance_method_with_1_params(timer_iterator_ce->constructor,
                                                  Z_OBJ_P(return_value), NULL, &ids);
    zval_ptr_dtor(&ids);
}

PHP_FUNCTION(swoole_timer_clear) {
    zend_long id;
    php_timer_t *pt;

    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_LONG(id)
    ZEND_PARSE_PARAMETERS_END();

    pt = timer_find(id);
    if (!pt || pt->removed) {
        RETURN_FALSE;
    }
    timer_remove(pt);
    RETURN_TRUE;
}

bool php_swoole_timer_clear_all(void) {
    php_timer_t *pt;

    if (!timer_g.timers) {
        return timer_g.initialized;
    }
    ZEND_HASH_FOREACH_PTR(timer_g.timers, pt) {
        eddy_timer_stop(&pt->t);
        pt->removed = true;
    } ZEND_HASH_FOREACH_END();
    ZEND_HASH_FOREACH_PTR(timer_g.timers, pt) {
        if (!pt->running) {
            timer_remove(pt);
        }
    } ZEND_HASH_FOREACH_END();
    return true;
}

PHP_FUNCTION(swoole_timer_clear_all) {
    ZEND_PARSE_PARAMETERS_NONE();
    RETURN_BOOL(php_swoole_timer_clear_all());
}

/* ---- lifecycle ------------------------------------------------------------ */

void php_swoole_timer_rshutdown(void) {
    php_timer_t *pt;

    if (timer_g.timers) {
        ZEND_HASH_FOREACH_PTR(timer_g.timers, pt) {
            timer_free(pt);
        } ZEND_HASH_FOREACH_END();
        zend_array_destroy(timer_g.timers);
    }
    memset(&timer_g, 0, sizeof(timer_g));
}

void php_swoole_timer_minit(int module_number) {
    memset(&timer_g, 0, sizeof(timer_g));
    timer_ce = register_class_Swoole_Timer();
    timer_iterator_ce = register_class_Swoole_Timer_Iterator(spl_ce_ArrayIterator);
    zend_register_functions(NULL, ext_functions, NULL, MODULE_PERSISTENT);

    REGISTER_LONG_CONSTANT("SWOOLE_TIMER_MIN_MS", TIMER_MIN_MS, CONST_CS | CONST_PERSISTENT);
    REGISTER_DOUBLE_CONSTANT("SWOOLE_TIMER_MIN_SEC", 0.001, CONST_CS | CONST_PERSISTENT);
    REGISTER_LONG_CONSTANT("SWOOLE_TIMER_MAX_MS", LONG_MAX, CONST_CS | CONST_PERSISTENT);
    REGISTER_DOUBLE_CONSTANT("SWOOLE_TIMER_MAX_SEC", (double) (LONG_MAX / 1000),
                             CONST_CS | CONST_PERSISTENT);
}
