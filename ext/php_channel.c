/*
 * Swoole\Coroutine\Channel on the engine's channel (include/eddy/chan.h).
 *
 * Items: the engine queues pointers and never frees them, so each pushed
 * value is copied (refcounted, not deep-copied: Swoole's zero-copy) into an
 * emalloc'ed zval slot that the channel owns until a pop hands it back. A
 * channel freed with items still queued releases them in its free handler.
 *
 * Timeouts are float seconds: negative waits forever, 0 fails at once with
 * SWOOLE_CHANNEL_TIMEOUT when the call would block, and a positive value is
 * rounded up to whole milliseconds, so 0.0001 waits 1 ms instead of turning
 * into "do not wait" (Swoole likewise raises positive timeouts to 0.001 s).
 *
 * Outside coroutines: a push or pop that would block throws Swoole\Error
 * ("API must be called in the coroutine"); one that can complete at once
 * (room to push, an item to pop, a closed channel) works anywhere, as the
 * engine allows. Swoole refuses both; eddy only refuses what cannot work.
 */
#include <math.h>

#include "php_swoole.h"
#include "php_coroutine.h"
#include "php_channel.h"

#include "eddy/chan.h"

#include "channel_arginfo.h"

/* errCode values, Swoole's Channel::ERROR_*. */
#define CHANNEL_OK 0
#define CHANNEL_TIMEOUT (-1)
#define CHANNEL_CLOSED (-2)
#define CHANNEL_CANCELED (-3)

/* Declared property slots (channel.stub.php order). */
#define PROP_CAPACITY 0
#define PROP_ERRCODE 1

typedef struct {
    eddy_chan_t *chan;
    zend_object std;
} channel_t;

static zend_class_entry *channel_ce;
static zend_object_handlers channel_handlers;

static inline channel_t *channel_from_obj(zend_object *obj) {
    return (channel_t *) ((char *) obj - XtOffsetOf(channel_t, std));
}

/* The engine channel, or NULL after throwing when a subclass skipped the
 * constructor. */
static eddy_chan_t *this_chan(zval *this_zv) {
    channel_t *c = channel_from_obj(Z_OBJ_P(this_zv));

    if (!c->chan) {
        zend_throw_error(NULL, "Swoole\\Coroutine\\Channel::__construct() must be called first");
    }
    return c->chan;
}

static void set_prop_long(zend_object *obj, uint32_t slot, const char *name, zend_long v) {
    zval *p = OBJ_PROP_NUM(obj, slot);

    if (Z_TYPE_P(p) == IS_LONG) {
        Z_LVAL_P(p) = v; /* the common case, without a property lookup */
    } else {
        zend_update_property_long(obj->ce, obj, name, strlen(name), v);
    }
}

static void set_err(zval *this_zv, zend_long code) {
    set_prop_long(Z_OBJ_P(this_zv), PROP_ERRCODE, "errCode", code);
}

/* Engine result -> errCode. EDDY_ECHAN_DRAINED is a pop on a closed,
 * empty channel: Swoole reports both closed cases as CLOSED. */
static zend_long err_from_engine(int rc) {
    switch (rc) {
    case 0:
        return CHANNEL_OK;
    case EDDY_ETIMEDOUT:
        return CHANNEL_TIMEOUT;
    case EDDY_ECHAN_CLOSED:
    case EDDY_ECHAN_DRAINED:
        return CHANNEL_CLOSED;
    case EDDY_ECANCELED:
        return CHANNEL_CANCELED;
    default:
        return CHANNEL_CLOSED;
    }
}

/* Float seconds -> engine ms (see the file comment). */
static int64_t timeout_ms(double seconds) {
    double ms;

    if (seconds < 0 || isnan(seconds)) {
        return EDDY_WAIT_FOREVER;
    }
    ms = ceil(seconds * 1000);
    return ms > (double) INT64_MAX / 2 ? EDDY_WAIT_FOREVER : (int64_t) ms;
}

/* A call that would block outside a coroutine: Swoole\Error. */
static bool would_block(eddy_chan_t *ch, bool push, int64_t ms) {
    size_t len = eddy_chan_length(ch);

    if (ms == 0 || eddy_chan_is_closed(ch)) {
        return false;
    }
    return push ? len >= eddy_chan_capacity(ch) : len == 0;
}

/* ---- object handlers ------------------------------------------------------ */

static zend_object *channel_create(zend_class_entry *ce) {
    channel_t *c = zend_object_alloc(sizeof(channel_t), ce);

    zend_object_std_init(&c->std, ce);
    object_properties_init(&c->std, ce);
    c->std.handlers = &channel_handlers;
    return &c->std;
}

/* Releases what is still queued, then the channel. A channel that still has
 * waiters can only be met here after a fatal error, when their coroutines
 * were dropped without running again: freeing it would wake them, so it is
 * left alone (the request's memory goes as a whole). */
static void channel_free(zend_object *obj) {
    channel_t *c = channel_from_obj(obj);
    eddy_chan_stats_t st;
    void *item;

    if (c->chan) {
        eddy_chan_stats(c->chan, &st);
        if (st.consumer_num == 0 && st.producer_num == 0) {
            while (eddy_chan_pop(c->chan, &item, 0) == 0) {
                zval_ptr_dtor(item);
                efree(item);
            }
            eddy_chan_free(c->chan);
        }
        c->chan = NULL;
    }
    zend_object_std_dtor(obj);
}

/* ---- methods --------------------------------------------------------------- */

PHP_METHOD(Swoole_Coroutine_Channel, __construct) {
    zend_long size = 1;
    channel_t *c = channel_from_obj(Z_OBJ_P(ZEND_THIS));

    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(size)
    ZEND_PARSE_PARAMETERS_END();

    if (c->chan) {
        zend_throw_error(NULL, "Swoole\\Coroutine\\Channel::__construct() cannot be called twice");
        RETURN_THROWS();
    }
    if (size < 1) {
        size = 1; /* as Swoole: the capacity is at least 1 */
    }
    c->chan = eddy_chan_new((size_t) size);
    set_prop_long(&c->std, PROP_CAPACITY, "capacity", size);
}

PHP_METHOD(Swoole_Coroutine_Channel, push) {
    zval *data, *slot;
    double timeout = -1;
    eddy_chan_t *ch;
    int64_t ms;
    int rc;

    ZEND_PARSE_PARAMETERS_START(1, 2)
        Z_PARAM_ZVAL(data)
        Z_PARAM_OPTIONAL
        Z_PARAM_DOUBLE(timeout)
    ZEND_PARSE_PARAMETERS_END();

    if (!(ch = this_chan(ZEND_THIS))) {
        RETURN_THROWS();
    }
    ms = timeout_ms(timeout);
    if (would_block(ch, true, ms) && !php_coro_require()) {
        RETURN_THROWS();
    }
    slot = emalloc(sizeof(zval));
    ZVAL_COPY_DEREF(slot, data);
    rc = eddy_chan_push(ch, slot, ms);
    if (rc < 0) {
        zval_ptr_dtor(slot);
        efree(slot);
    }
    set_err(ZEND_THIS, err_from_engine(rc));
    if (!php_coro_after_switch()) {
        RETURN_THROWS();
    }
    RETURN_BOOL(rc == 0);
}

PHP_METHOD(Swoole_Coroutine_Channel, pop) {
    double timeout = -1;
    eddy_chan_t *ch;
    void *item = NULL;
    int64_t ms;
    int rc;

    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_DOUBLE(timeout)
    ZEND_PARSE_PARAMETERS_END();

    if (!(ch = this_chan(ZEND_THIS))) {
        RETURN_THROWS();
    }
    ms = timeout_ms(timeout);
    if (would_block(ch, false, ms) && !php_coro_require()) {
        RETURN_THROWS();
    }
    rc = eddy_chan_pop(ch, &item, ms);
    set_err(ZEND_THIS, err_from_engine(rc));
    if (rc == 0) {
        /* The slot's reference moves to the return value. */
        ZVAL_COPY_VALUE(return_value, (zval *) item);
        efree(item);
    } else {
        RETVAL_FALSE;
    }
    if (!php_coro_after_switch()) {
        zval_ptr_dtor(return_value);
        ZVAL_UNDEF(return_value);
        RETURN_THROWS();
    }
}

/* Wakes every waiter: pushers fail with CLOSED, poppers get what is still
 * queued, then CLOSED. False if already closed. */
PHP_METHOD(Swoole_Coroutine_Channel, close) {
    eddy_chan_t *ch;
    int rc;

    ZEND_PARSE_PARAMETERS_NONE();
    if (!(ch = this_chan(ZEND_THIS))) {
        RETURN_THROWS();
    }
    rc = eddy_chan_close(ch);
    if (!php_coro_after_switch()) {
        RETURN_THROWS();
    }
    RETURN_BOOL(rc == 0);
}

PHP_METHOD(Swoole_Coroutine_Channel, stats) {
    eddy_chan_stats_t st;
    eddy_chan_t *ch;

    ZEND_PARSE_PARAMETERS_NONE();
    if (!(ch = this_chan(ZEND_THIS))) {
        RETURN_THROWS();
    }
    eddy_chan_stats(ch, &st);
    array_init_size(return_value, 3);
    add_assoc_long(return_value, "consumer_num", (zend_long) st.consumer_num);
    add_assoc_long(return_value, "producer_num", (zend_long) st.producer_num);
    add_assoc_long(return_value, "queue_num", (zend_long) st.queue_num);
}

PHP_METHOD(Swoole_Coroutine_Channel, length) {
    eddy_chan_t *ch;

    ZEND_PARSE_PARAMETERS_NONE();
    if (!(ch = this_chan(ZEND_THIS))) {
        RETURN_THROWS();
    }
    RETURN_LONG((zend_long) eddy_chan_length(ch));
}

PHP_METHOD(Swoole_Coroutine_Channel, isEmpty) {
    eddy_chan_t *ch;

    ZEND_PARSE_PARAMETERS_NONE();
    if (!(ch = this_chan(ZEND_THIS))) {
        RETURN_THROWS();
    }
    RETURN_BOOL(eddy_chan_length(ch) == 0);
}

PHP_METHOD(Swoole_Coroutine_Channel, isFull) {
    eddy_chan_t *ch;

    ZEND_PARSE_PARAMETERS_NONE();
    if (!(ch = this_chan(ZEND_THIS))) {
        RETURN_THROWS();
    }
    RETURN_BOOL(eddy_chan_length(ch) >= eddy_chan_capacity(ch));
}

/* ---- registration ------------------------------------------------------------ */

void php_swoole_channel_minit(int module_number) {
    channel_ce = register_class_Swoole_Coroutine_Channel();
    channel_ce->create_object = channel_create;
    memcpy(&channel_handlers, &std_object_handlers, sizeof(channel_handlers));
    channel_handlers.offset = XtOffsetOf(channel_t, std);
    channel_handlers.free_obj = channel_free;
    channel_handlers.clone_obj = NULL; /* a channel is one queue: no copies */

    REGISTER_LONG_CONSTANT("SWOOLE_CHANNEL_OK", CHANNEL_OK, CONST_CS | CONST_PERSISTENT);
    REGISTER_LONG_CONSTANT("SWOOLE_CHANNEL_TIMEOUT", CHANNEL_TIMEOUT, CONST_CS | CONST_PERSISTENT);
    REGISTER_LONG_CONSTANT("SWOOLE_CHANNEL_CLOSED", CHANNEL_CLOSED, CONST_CS | CONST_PERSISTENT);
    REGISTER_LONG_CONSTANT("SWOOLE_CHANNEL_CANCELED", CHANNEL_CANCELED,
                           CONST_CS | CONST_PERSISTENT);

    if (php_swoole_use_shortname()) {
        zend_register_class_alias("Co\\Channel", channel_ce);
        zend_register_class_alias("Chan", channel_ce);
    }
}
