/*
 * Swoole\Coroutine\WaitGroup on the engine's wait group (eddy_wg_t), and
 * Swoole\Coroutine\Barrier.
 *
 * WaitGroup follows Swoole's library class: add() while a coroutine waits
 * throws BadMethodCallException, a count that would go negative throws
 * InvalidArgumentException (add) or BadMethodCallException (done), wait()
 * returns true at once when the count is 0 and false on timeout.
 *
 * Barrier is reference counting turned into a wait: Barrier::wait($b) drops
 * the caller's reference ($b becomes null) and suspends until the object is
 * destroyed, i.e. until every coroutine that captured it has dropped its
 * copy. The object's destructor wakes the waiter. If the caller held the last
 * reference, the destructor runs inside wait() itself and wait() returns at
 * once, as in Swoole.
 */
#include <math.h>

#include "php_swoole.h"
#include "php_coroutine.h"
#include "php_channel.h"

#include "zend_exceptions.h"
#include "ext/spl/spl_exceptions.h"

#include "eddy/chan.h"

#include "wait_group_arginfo.h"

/* Float seconds -> engine ms: negative forever, positive rounded up. */
static int64_t timeout_ms(double seconds) {
    double ms;

    if (seconds < 0 || isnan(seconds)) {
        return EDDY_WAIT_FOREVER;
    }
    ms = ceil(seconds * 1000);
    return ms > (double) INT64_MAX / 2 ? EDDY_WAIT_FOREVER : (int64_t) ms;
}

/* ==== WaitGroup ============================================================ */

typedef struct {
    eddy_wg_t wg;
    uint32_t waiting; /* coroutines inside wait() */
    zend_object std;
} wait_group_t;

static zend_class_entry *wait_group_ce;
static zend_object_handlers wait_group_handlers;

static inline wait_group_t *wg_from_obj(zend_object *obj) {
    return (wait_group_t *) ((char *) obj - XtOffsetOf(wait_group_t, std));
}

#define THIS_WG() wg_from_obj(Z_OBJ_P(ZEND_THIS))

static zend_object *wait_group_create(zend_class_entry *ce) {
    wait_group_t *w = zend_object_alloc(sizeof(wait_group_t), ce);

    zend_object_std_init(&w->std, ce);
    object_properties_init(&w->std, ce);
    w->std.handlers = &wait_group_handlers;
    eddy_wg_init(&w->wg);
    return &w->std;
}

/* Adds delta; reaching 0 wakes the waiters at once. False after throwing. */
static bool wg_add(wait_group_t *w, zend_long delta, bool from_done) {
    if (w->waiting && delta > 0) {
        zend_throw_exception(spl_ce_BadMethodCallException,
                             "WaitGroup misuse: add called concurrently with wait", 0);
        return false;
    }
    if (eddy_wg_add(&w->wg, delta) < 0) {
        zend_throw_exception(from_done ? spl_ce_BadMethodCallException
                                       : spl_ce_InvalidArgumentException,
                             "negative WaitGroup counter", 0);
        return false;
    }
    return php_coro_after_switch();
}

PHP_METHOD(Swoole_Coroutine_WaitGroup, __construct) {
    zend_long delta = 0;

    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(delta)
    ZEND_PARSE_PARAMETERS_END();

    if (delta > 0) {
        wg_add(THIS_WG(), delta, false);
    }
}

PHP_METHOD(Swoole_Coroutine_WaitGroup, add) {
    zend_long delta = 1;

    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(delta)
    ZEND_PARSE_PARAMETERS_END();

    wg_add(THIS_WG(), delta, false);
}

PHP_METHOD(Swoole_Coroutine_WaitGroup, done) {
    ZEND_PARSE_PARAMETERS_NONE();
    wg_add(THIS_WG(), -1, true);
}

PHP_METHOD(Swoole_Coroutine_WaitGroup, wait) {
    double timeout = -1;
    wait_group_t *w = THIS_WG();
    int rc;

    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_DOUBLE(timeout)
    ZEND_PARSE_PARAMETERS_END();

    if (w->wg.count == 0) {
        RETURN_TRUE;
    }
    if (!php_coro_require()) {
        RETURN_THROWS();
    }
    w->waiting++;
    rc = eddy_wg_wait(&w->wg, timeout_ms(timeout));
    w->waiting--;
    if (!php_coro_after_switch()) {
        RETURN_THROWS();
    }
    php_swoole_check(rc);
    RETURN_BOOL(rc == 0);
}

PHP_METHOD(Swoole_Coroutine_WaitGroup, count) {
    ZEND_PARSE_PARAMETERS_NONE();
    RETURN_LONG((zend_long) THIS_WG()->wg.count);
}

/* ==== Barrier ============================================================== */

typedef struct barrier_wait_s barrier_wait_t;

typedef struct {
    barrier_wait_t *waiter; /* the coroutine in Barrier::wait(), or NULL */
    zend_object std;
} barrier_t;

struct barrier_wait_s {
    eddy_wait_t w;
    barrier_t *barrier; /* NULL once the barrier is gone */
    bool released;      /* the barrier was destroyed: wake-up, not timeout */
    bool sleeping;      /* inside eddy_coro_wait */
};

static zend_class_entry *barrier_ce;
static zend_object_handlers barrier_handlers;

static inline barrier_t *barrier_from_obj(zend_object *obj) {
    return (barrier_t *) ((char *) obj - XtOffsetOf(barrier_t, std));
}

static zend_object *barrier_create(zend_class_entry *ce) {
    barrier_t *b = zend_object_alloc(sizeof(barrier_t), ce);

    zend_object_std_init(&b->std, ce);
    object_properties_init(&b->std, ce);
    b->std.handlers = &barrier_handlers;
    return &b->std;
}

/* Detaches the waiter; wakes it if it already sleeps. */
static void barrier_release(barrier_t *b, bool wake) {
    barrier_wait_t *bw = b->waiter;

    if (!bw) {
        return;
    }
    b->waiter = NULL;
    bw->barrier = NULL;
    bw->released = true;
    if (wake && bw->sleeping) {
        eddy_coro_wake(&bw->w, 0);
    }
}

/* The last reference is gone: this is Swoole's __destruct resuming the
 * waiter. The wake switches to it now, like Coroutine::resume() would. */
static void barrier_dtor(zend_object *obj) {
    zend_objects_destroy_object(obj);
    barrier_release(barrier_from_obj(obj), true);
}

/* Reached without the destructor only when PHP skips destructors (after a
 * fatal error): the waiter's coroutine is not resumed then. */
static void barrier_free(zend_object *obj) {
    barrier_release(barrier_from_obj(obj), false);
    zend_object_std_dtor(obj);
}

/* Timeout or cancel: forget the waiter, the barrier lives on. */
static void barrier_wait_abort(eddy_wait_t *w) {
    barrier_wait_t *bw = (barrier_wait_t *) w;

    if (bw->barrier) {
        bw->barrier->waiter = NULL;
        bw->barrier = NULL;
    }
}

PHP_METHOD(Swoole_Coroutine_Barrier, make) {
    ZEND_PARSE_PARAMETERS_NONE();
    object_init_ex(return_value, barrier_ce);
}

PHP_METHOD(Swoole_Coroutine_Barrier, wait) {
    zval *ref;
    double timeout = -1;
    barrier_wait_t bw;
    barrier_t *b;

    ZEND_PARSE_PARAMETERS_START(1, 2)
        Z_PARAM_ZVAL(ref)
        Z_PARAM_OPTIONAL
        Z_PARAM_DOUBLE(timeout)
    ZEND_PARSE_PARAMETERS_END();

    /* arginfo types are not enforced for internal functions */
    if (Z_TYPE_P(Z_REFVAL_P(ref)) != IS_OBJECT ||
        !instanceof_function(Z_OBJCE_P(Z_REFVAL_P(ref)), barrier_ce)) {
        zend_argument_type_error(1, "must be of type Swoole\\Coroutine\\Barrier, %s given",
                                 zend_zval_type_name(Z_REFVAL_P(ref)));
        RETURN_THROWS();
    }
    b = barrier_from_obj(Z_OBJ_P(Z_REFVAL_P(ref)));
    if (!php_coro_require()) {
        RETURN_THROWS();
    }
    if (b->waiter) {
        zend_throw_error(php_swoole_error_ce, "The barrier is already waited on by another coroutine");
        RETURN_THROWS();
    }
    memset(&bw, 0, sizeof(bw));
    bw.barrier = b;
    b->waiter = &bw;
    /* Drop the caller's reference; if it was the last, the destructor runs
     * here and marks bw released. */
    ZEND_TRY_ASSIGN_REF_NULL(ref);
    if (!bw.released) {
        bw.sleeping = true;
        eddy_coro_wait(&bw.w, timeout_ms(timeout), barrier_wait_abort);
        bw.sleeping = false;
    }
    if (!php_coro_after_switch()) {
        RETURN_THROWS();
    }
}

/* ==== registration ========================================================== */

void php_swoole_wait_group_minit(int module_number) {
    wait_group_ce = register_class_Swoole_Coroutine_WaitGroup();
    wait_group_ce->create_object = wait_group_create;
    memcpy(&wait_group_handlers, &std_object_handlers, sizeof(wait_group_handlers));
    wait_group_handlers.offset = XtOffsetOf(wait_group_t, std);
    wait_group_handlers.clone_obj = NULL;

    barrier_ce = register_class_Swoole_Coroutine_Barrier();
    barrier_ce->create_object = barrier_create;
    memcpy(&barrier_handlers, &std_object_handlers, sizeof(barrier_handlers));
    barrier_handlers.offset = XtOffsetOf(barrier_t, std);
    barrier_handlers.dtor_obj = barrier_dtor;
    barrier_handlers.free_obj = barrier_free;
    barrier_handlers.clone_obj = NULL; /* a copy would be a second barrier */
}
