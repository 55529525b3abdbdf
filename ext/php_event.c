/*
 * Swoole\Event and the swoole_event_* functions: fd watchers, defer, cycle
 * and running the loop, on the default loop (include/eddy/loop.h).
 *
 * Watchers: one record per fd, in a table by fd number. $fd may be a PHP
 * stream (its castable fd), a sockets-extension Socket, an object with an
 * int $fd property, or an int fd. Callbacks get the $fd value that was
 * given to add(), each call in a new coroutine. As in Swoole, add() puts
 * the fd in non-blocking mode, set() with a null callback keeps the one it
 * has, and set() with $events 0 keeps the current events (eddy's choice: a
 * call that only swaps a callback must not silence the fd).
 *
 * defer(): the callbacks queue here and the whole queue runs from one engine
 * defer; callbacks deferred while it runs join the same pass, as Swoole
 * documents ("always executed in this event cycle").
 *
 * cycle() and dispatch() ride on the engine's per-iteration callbacks
 * (eddy_loop_set_cycle): cycle($cb) runs $cb at the end of every loop
 * iteration, after its timers, events and defers; cycle($cb, true) at the
 * start of every iteration, before them. Both may be set at once, as in
 * Swoole; cycle(null, $before) clears the one $before names. A cycle
 * callback does not keep the loop running by itself. dispatch() runs one
 * blocking wait of the loop (Swoole's single epoll_wait) and what it made
 * due: the loop's iteration order is timers, poll, defers, so dispatch()
 * ends in the next iteration, whose poll does not block, right after the
 * timers that came due during the wait have run.
 */
#include <fcntl.h>
#include <string.h>

#include "php_swoole.h"
#include "php_coroutine.h"
#include "php_timer.h"

#include "ext/standard/basic_functions.h"

/* php_socket's layout, for Socket objects of the sockets extension. The
 * header shows its types only to a build of that extension; no symbol of
 * sockets.so is used, so swoole.so loads without it. */
#undef HAVE_SOCKETS
#define HAVE_SOCKETS 1
#include "ext/sockets/php_sockets.h"

#include "eddy/loop.h"

#include "event_arginfo.h"

#define EVENT_READ 512  /* Swoole's SW_EVENT_READ */
#define EVENT_WRITE 1024 /* Swoole's SW_EVENT_WRITE */

typedef struct {
    eddy_io_t io;
    int fd;
    zval sock;     /* what add() was given, passed to the callbacks */
    zval read_cb;  /* UNDEF when none */
    zval write_cb;
    bool removed;  /* del() while its callbacks are being started */
    bool running;
} watcher_t;

typedef struct defer_s {
    zval cb;
    struct defer_s *next;
} defer_t;

/* All event state of the request (STYLE.md rule 6). */
static struct {
    HashTable *watchers; /* fd -> watcher_t* */
    defer_t *defer_head, *defer_tail;
    bool defer_scheduled;
    zval cycle_cb[2];    /* EDDY_CYCLE_BEFORE / AFTER; UNDEF when none */
    bool dispatching;    /* inside Event::dispatch() */
    int dispatch_iter;   /* iterations begun by the current dispatch() */
    bool hooks_on;       /* on_cycle is installed in some slot */
    int callback_depth;  /* inside one of our loop callbacks */
    bool shutdown_registered;
} event_g;

static zend_class_entry *event_ce;

/* ---- callables and the loop ----------------------------------------------- */

bool php_swoole_callable_cache(zval *callable, zend_fcall_info_cache *fcc) {
    char *error = NULL;

    if (zend_is_callable_ex(callable, NULL, 0, NULL, fcc, &error)) {
        return true;
    }
    php_error_docref(NULL, E_WARNING, "callback is not callable: %s", error ? error : "?");
    if (error) {
        efree(error);
    }
    return false;
}

/* Runs `callable`(argv) in a new coroutine from a loop callback. */
static void call_in_coroutine(zval *callable, uint32_t argc, zval *argv) {
    zend_fcall_info_cache fcc;

    if (php_swoole_callable_cache(callable, &fcc)) {
        event_g.callback_depth++;
        php_coro_create(&fcc, callable, argc, argv);
        event_g.callback_depth--;
    }
}

/* The engine's cycle callback for both slots; arg is the slot. */
static void on_cycle(eddy_loop_t *loop, void *arg) {
    int slot = (int) (intptr_t) arg;
    zval cb;

    if (slot == EDDY_CYCLE_BEFORE && event_g.dispatching && ++event_g.dispatch_iter == 2) {
        eddy_loop_stop(loop); /* this iteration's poll will not block */
    }
    if (Z_ISUNDEF(event_g.cycle_cb[slot])) {
        return;
    }
    ZVAL_COPY(&cb, &event_g.cycle_cb[slot]); /* the callback may replace itself */
    call_in_coroutine(&cb, 0, NULL);
    zval_ptr_dtor(&cb);
    php_coro_after_switch();
}

/* Installs the engine callbacks that the PHP state needs, and only them. */
static void update_cycle_hooks(void) {
    eddy_loop_t *loop;
    bool before = !Z_ISUNDEF(event_g.cycle_cb[EDDY_CYCLE_BEFORE]) || event_g.dispatching;
    bool after = !Z_ISUNDEF(event_g.cycle_cb[EDDY_CYCLE_AFTER]);

    if (!before && !after && !event_g.hooks_on) {
        return; /* nothing to undo: do not make a loop for nothing */
    }
    loop = eddy_loop_default();
    if (!loop) {
        return;
    }
    event_g.hooks_on = before || after;
    eddy_loop_set_cycle(loop, EDDY_CYCLE_BEFORE, before ? on_cycle : NULL,
                        (void *) (intptr_t) EDDY_CYCLE_BEFORE);
    eddy_loop_set_cycle(loop, EDDY_CYCLE_AFTER, after ? on_cycle : NULL,
                        (void *) (intptr_t) EDDY_CYCLE_AFTER);
}

static void cycle_clear(void) {
    int i;

    for (i = 0; i < 2; i++) {
        zval_ptr_dtor(&event_g.cycle_cb[i]);
        ZVAL_UNDEF(&event_g.cycle_cb[i]);
    }
    update_cycle_hooks();
}

void php_swoole_event_run_at_shutdown(void) {
    php_shutdown_function_entry entry = {0};
    zval fn;

    if (event_g.shutdown_registered) {
        return;
    }
    event_g.shutdown_registered = true;
    ZVAL_STRING(&fn, "Swoole\\Event::wait");
    if (zend_fcall_info_init(&fn, 0, &entry.fci, &entry.fci_cache, NULL, NULL) != SUCCESS) {
        zval_ptr_dtor(&fn);
        return;
    }
    /* fci holds its own copy of the name from here on */
    Z_TRY_ADDREF(entry.fci.function_name);
    zval_ptr_dtor(&fn);
    append_user_shutdown_function(&entry);
}

/* Was Event::exit() called from code the loop is running? */
static bool loop_is_running(void) {
    return php_coro_in() || event_g.callback_depth > 0;
}

/* ---- fd conversion ---------------------------------------------------------- */

/* The sockets extension may be absent: find its class by name and its fd
 * through the struct layout of its header. */
static int fd_of_object(zval *zv) {
    zend_object *obj = Z_OBJ_P(zv);
    zval *prop, rv;

    if (zend_string_equals_literal(obj->ce->name, "Socket")) {
        php_socket *s = (php_socket *) ((char *) obj - XtOffsetOf(php_socket, std));
        return s->bsd_socket;
    }
    prop = zend_read_property(obj->ce, obj, "fd", sizeof("fd") - 1, 1, &rv);
    if (prop && Z_TYPE_P(prop) == IS_LONG) {
        return (int) Z_LVAL_P(prop);
    }
    return -1;
}

/* The fd behind $fd, or -1 after a warning. */
static int fd_of(zval *zv) {
    php_stream *stream;
    int fd = -1;

    ZVAL_DEREF(zv);
    switch (Z_TYPE_P(zv)) {
    case IS_LONG:
        if (Z_LVAL_P(zv) < 0 || Z_LVAL_P(zv) > INT_MAX) {
            php_error_docref(NULL, E_WARNING, "invalid file descriptor#" ZEND_LONG_FMT " passed",
                             Z_LVAL_P(zv));
            return -1;
        }
        return (int) Z_LVAL_P(zv);
    case IS_RESOURCE:
        stream = zend_fetch_resource2_ex(zv, NULL, php_file_le_stream(), php_file_le_pstream());
        if (stream &&
            php_stream_cast(stream, PHP_STREAM_AS_FD_FOR_SELECT | PHP_STREAM_CAST_INTERNAL,
                            (void **) &fd, 1) == SUCCESS &&
            fd >= 0) {
            return fd;
        }
        break;
    case IS_OBJECT:
        if ((fd = fd_of_object(zv)) >= 0) {
            return fd;
        }
        break;
    default:
        break;
    }
    php_error_docref(NULL, E_WARNING,
                     "fd argument must be either valid PHP stream or valid PHP socket resource");
    return -1;
}

/* ---- watchers ----------------------------------------------------------------- */

static unsigned to_engine(zend_long events) {
    return (events & EVENT_READ ? EDDY_READ : 0) | (events & EVENT_WRITE ? EDDY_WRITE : 0);
}

static watcher_t *watcher_find(int fd) {
    return event_g.watchers ? zend_hash_index_find_ptr(event_g.watchers, fd) : NULL;
}

static void watcher_free(watcher_t *w) {
    eddy_io_stop(&w->io);
    zval_ptr_dtor(&w->sock);
    zval_ptr_dtor(&w->read_cb);
    zval_ptr_dtor(&w->write_cb);
    efree(w);
}

static void watcher_remove(watcher_t *w) {
    eddy_io_stop(&w->io);
    w->removed = true;
    zend_hash_index_del(event_g.watchers, w->fd);
    if (!w->running) {
        watcher_free(w);
    }
}

/* Readiness: the read callback, then the write callback, each only if the
 * watcher still asks for it (the first may have changed or removed it).
 * Errors and hang-ups arrive as readiness, as in Swoole. */
static void watcher_ready(eddy_loop_t *loop, eddy_io_t *io, unsigned events) {
    watcher_t *w = io->data;

    (void) loop;
    w->running = true;
    if ((events & EDDY_READ) && (w->io.events & EDDY_READ) && !w->removed) {
        call_in_coroutine(&w->read_cb, 1, &w->sock);
    }
    if ((events & EDDY_WRITE) && (w->io.events & EDDY_WRITE) && !w->removed) {
        call_in_coroutine(&w->write_cb, 1, &w->sock);
    }
    w->running = false;
    if (w->removed) {
        watcher_free(w);
    }
    php_coro_after_switch();
}

/* Sets the callbacks given (non-NULL) and checks that each event asked for
 * has one. */
static bool watcher_check(watcher_t *w, zend_long events) {
    if ((events & EVENT_READ) && Z_ISUNDEF(w->read_cb)) {
        php_error_docref(NULL, E_WARNING, "%s: unable to find read callback of fd [%d]",
                         ZSTR_VAL(event_ce->name), w->fd);
        return false;
    }
    if ((events & EVENT_WRITE) && Z_ISUNDEF(w->write_cb)) {
        php_error_docref(NULL, E_WARNING, "%s: unable to find write callback of fd [%d]",
                         ZSTR_VAL(event_ce->name), w->fd);
        return false;
    }
    return true;
}

static void set_callback(zval *slot, zend_fcall_info *fci) {
    if (ZEND_FCI_INITIALIZED(*fci)) {
        zval_ptr_dtor(slot);
        ZVAL_COPY(slot, &fci->function_name);
    }
}

static void set_nonblock(int fd) {
    int flags = fcntl(fd, F_GETFL);

    if (flags >= 0 && !(flags & O_NONBLOCK)) {
        (void) fcntl(fd, F_SETFL, flags | O_NONBLOCK);
    }
}

PHP_FUNCTION(swoole_event_add) {
    zval *zfd;
    zend_fcall_info rfci = empty_fcall_info, wfci = empty_fcall_info;
    zend_fcall_info_cache rfcc = empty_fcall_info_cache, wfcc = empty_fcall_info_cache;
    zend_long events = EVENT_READ;
    eddy_loop_t *loop;
    watcher_t *w;
    int fd, rc;

    ZEND_PARSE_PARAMETERS_START(1, 4)
        Z_PARAM_ZVAL(zfd)
        Z_PARAM_OPTIONAL
        Z_PARAM_FUNC_OR_NULL(rfci, rfcc)
        Z_PARAM_FUNC_OR_NULL(wfci, wfcc)
        Z_PARAM_LONG(events)
    ZEND_PARSE_PARAMETERS_END();

    zend_release_fcall_info_cache(&rfcc);
    zend_release_fcall_info_cache(&wfcc);
    if (!ZEND_FCI_INITIALIZED(rfci) && !ZEND_FCI_INITIALIZED(wfci)) {
        php_error_docref(NULL, E_WARNING, "both read and write callbacks are empty");
        RETURN_FALSE;
    }
    if ((fd = fd_of(zfd)) < 0) {
        RETURN_FALSE;
    }
    if (fd == 0 && (events & EVENT_WRITE)) {
        php_error_docref(NULL, E_WARNING, "invalid socket fd [%d]", fd);
        RETURN_FALSE;
    }
    if (watcher_find(fd)) {
        php_error_docref(NULL, E_WARNING, "already exist");
        RETURN_FALSE;
    }
    if (!(events & (EVENT_READ | EVENT_WRITE))) {
        php_error_docref(NULL, E_WARNING, "invalid events");
        RETURN_FALSE;
    }
    if (!(loop = eddy_loop_default())) {
        php_error_docref(NULL, E_WARNING, "swoole_event_add failed: no event loop");
        RETURN_FALSE;
    }

    w = ecalloc(1, sizeof(*w));
    w->fd = fd;
    ZVAL_COPY_DEREF(&w->sock, zfd);
    ZVAL_UNDEF(&w->read_cb);
    ZVAL_UNDEF(&w->write_cb);
    set_callback(&w->read_cb, &rfci);
    set_callback(&w->write_cb, &wfci);
    eddy_io_init(&w->io, fd, watcher_ready);
    w->io.data = w;
    if (!watcher_check(w, events)) {
        watcher_free(w);
        RETURN_FALSE;
    }
    set_nonblock(fd);
    if ((rc = eddy_io_set(loop, &w->io, to_engine(events))) < 0) {
        php_swoole_check(rc);
        php_error_docref(NULL, E_WARNING, "swoole_event_add failed: %s", eddy_strerror(rc));
        watcher_free(w);
        RETURN_FALSE;
    }
    if (!event_g.watchers) {
        event_g.watchers = zend_new_array(8);
    }
    zend_hash_index_add_new_ptr(event_g.watchers, fd, w);
    if (!php_coro_in()) {
        php_swoole_event_run_at_shutdown();
    }
    RETURN_LONG(fd);
}

PHP_FUNCTION(swoole_event_set) {
    zval *zfd;
    zend_fcall_info rfci = empty_fcall_info, wfci = empty_fcall_info;
    zend_fcall_info_cache rfcc = empty_fcall_info_cache, wfcc = empty_fcall_info_cache;
    zend_long events = 0;
    unsigned want;
    watcher_t *w;
    int fd, rc;

    ZEND_PARSE_PARAMETERS_START(1, 4)
        Z_PARAM_ZVAL(zfd)
        Z_PARAM_OPTIONAL
        Z_PARAM_FUNC_OR_NULL(rfci, rfcc)
        Z_PARAM_FUNC_OR_NULL(wfci, wfcc)
        Z_PARAM_LONG(events)
    ZEND_PARSE_PARAMETERS_END();

    zend_release_fcall_info_cache(&rfcc);
    zend_release_fcall_info_cache(&wfcc);
    if ((fd = fd_of(zfd)) < 0) {
        RETURN_FALSE;
    }
    if (!(w = watcher_find(fd))) {
        php_error_docref(NULL, E_WARNING, "socket[%d] is not found in the reactor", fd);
        RETURN_FALSE;
    }
    set_callback(&w->read_cb, &rfci);
    set_callback(&w->write_cb, &wfci);
    want = events ? to_engine(events) : w->io.events;
    if (!watcher_check(w, events)) {
        RETURN_FALSE;
    }
    if (want != w->io.events) {
        rc = eddy_io_set(eddy_loop_default(), &w->io, want);
        if (rc < 0) {
            php_swoole_check(rc);
            php_error_docref(NULL, E_WARNING, "%s::set failed: %s", ZSTR_VAL(event_ce->name),
                             eddy_strerror(rc));
            RETURN_FALSE;
        }
    }
    RETURN_TRUE;
}

PHP_FUNCTION(swoole_event_del) {
    zval *zfd;
    watcher_t *w;
    int fd;

    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_ZVAL(zfd)
    ZEND_PARSE_PARAMETERS_END();

    if ((fd = fd_of(zfd)) < 0) {
        RETURN_FALSE;
    }
    if (!(w = watcher_find(fd))) {
        RETURN_FALSE;
    }
    watcher_remove(w);
    RETURN_TRUE;
}

PHP_FUNCTION(swoole_event_isset) {
    zval *zfd;
    zend_long events = EVENT_READ | EVENT_WRITE;
    watcher_t *w;
    int fd;

    ZEND_PARSE_PARAMETERS_START(1, 2)
        Z_PARAM_ZVAL(zfd)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(events)
    ZEND_PARSE_PARAMETERS_END();

    if ((fd = fd_of(zfd)) < 0) {
        RETURN_FALSE;
    }
    w = watcher_find(fd);
    RETURN_BOOL(w && !w->removed && (w->io.events & to_engine(events)));
}

/* ---- defer and cycle ---------------------------------------------------------- */

static void run_defers(void *arg) {
    (void) arg;
    event_g.defer_scheduled = false;
    while (event_g.defer_head) {
        defer_t *d = event_g.defer_head;

        event_g.defer_head = d->next;
        if (!event_g.defer_head) {
            event_g.defer_tail = NULL;
        }
        call_in_coroutine(&d->cb, 0, NULL);
        zval_ptr_dtor(&d->cb);
        efree(d);
        if (!php_coro_after_switch()) {
            break;
        }
    }
}

PHP_FUNCTION(swoole_event_defer) {
    zend_fcall_info fci;
    zend_fcall_info_cache fcc;
    eddy_loop_t *loop;
    defer_t *d;

    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_FUNC(fci, fcc)
    ZEND_PARSE_PARAMETERS_END();

    zend_release_fcall_info_cache(&fcc);
    if (!(loop = eddy_loop_default())) {
        RETURN_FALSE;
    }
    d = emalloc(sizeof(*d));
    ZVAL_COPY(&d->cb, &fci.function_name);
    d->next = NULL;
    if (event_g.defer_tail) {
        event_g.defer_tail->next = d;
    } else {
        event_g.defer_head = d;
    }
    event_g.defer_tail = d;
    if (!event_g.defer_scheduled) {
        event_g.defer_scheduled = true;
        eddy_loop_defer(loop, run_defers, NULL);
    }
    if (!php_coro_in()) {
        php_swoole_event_run_at_shutdown();
    }
    RETURN_TRUE;
}

PHP_FUNCTION(swoole_event_cycle) {
    zend_fcall_info fci = empty_fcall_info;
    zend_fcall_info_cache fcc = empty_fcall_info_cache;
    bool before = false;
    bool had;
    int slot;

    ZEND_PARSE_PARAMETERS_START(1, 2)
        Z_PARAM_FUNC_OR_NULL(fci, fcc)
        Z_PARAM_OPTIONAL
        Z_PARAM_BOOL(before)
    ZEND_PARSE_PARAMETERS_END();

    slot = before ? EDDY_CYCLE_BEFORE : EDDY_CYCLE_AFTER;
    zend_release_fcall_info_cache(&fcc);
    had = !Z_ISUNDEF(event_g.cycle_cb[slot]);
    zval_ptr_dtor(&event_g.cycle_cb[slot]);
    ZVAL_UNDEF(&event_g.cycle_cb[slot]);
    if (ZEND_FCI_INITIALIZED(fci)) {
        ZVAL_COPY(&event_g.cycle_cb[slot], &fci.function_name);
    }
    update_cycle_hooks();
    RETURN_BOOL(had || ZEND_FCI_INITIALIZED(fci));
}

/* ---- running the loop ----------------------------------------------------------- */

PHP_FUNCTION(swoole_event_wait) {
    ZEND_PARSE_PARAMETERS_NONE();
    if (php_coro_in()) {
        return; /* the loop is already running this coroutine */
    }
    php_coro_loop_run();
}

PHP_FUNCTION(swoole_event_dispatch) {
    bool saved = event_g.dispatching;
    int saved_iter = event_g.dispatch_iter;

    ZEND_PARSE_PARAMETERS_NONE();
    if (php_coro_in()) {
        RETURN_FALSE;
    }
    event_g.dispatching = true;
    event_g.dispatch_iter = 0;
    update_cycle_hooks();
    php_coro_loop_run();
    event_g.dispatching = saved;
    event_g.dispatch_iter = saved_iter;
    update_cycle_hooks();
    if (EG(exception)) {
        RETURN_THROWS();
    }
    RETURN_TRUE;
}

/* Drops every watcher and deferred callback. */
static void event_clear(void) {
    watcher_t *w;

    if (event_g.watchers) {
        ZEND_HASH_FOREACH_PTR(event_g.watchers, w) {
            watcher_remove(w);
        } ZEND_HASH_FOREACH_END();
    }
    while (event_g.defer_head) {
        defer_t *d = event_g.defer_head;

        event_g.defer_head = d->next;
        zval_ptr_dtor(&d->cb);
        efree(d);
    }
    event_g.defer_tail = NULL;
    cycle_clear();
}

/* As Swoole: clears every timer, and ends the loop. */
PHP_FUNCTION(swoole_event_exit) {
    eddy_loop_t *loop = eddy_loop_default();

    ZEND_PARSE_PARAMETERS_NONE();
    php_swoole_timer_clear_all();
    event_clear();
    if (loop && loop_is_running()) {
        eddy_loop_stop(loop);
    }
}

/* ---- lifecycle ------------------------------------------------------------------- */

void php_swoole_event_rshutdown(void) {
    /* A deferred run_defers() still queued in the engine finds empty
     * state and does nothing; the cycle hooks are cleared. */
    event_clear();
    if (event_g.watchers) {
        zend_array_destroy(event_g.watchers);
    }
    memset(&event_g, 0, sizeof(event_g));
    ZVAL_UNDEF(&event_g.cycle_cb[0]);
    ZVAL_UNDEF(&event_g.cycle_cb[1]);
}

void php_swoole_event_minit(int module_number) {
    memset(&event_g, 0, sizeof(event_g));
    ZVAL_UNDEF(&event_g.cycle_cb[0]);
    ZVAL_UNDEF(&event_g.cycle_cb[1]);
    REGISTER_LONG_CONSTANT("SWOOLE_EVENT_READ", EVENT_READ, CONST_CS | CONST_PERSISTENT);
    REGISTER_LONG_CONSTANT("SWOOLE_EVENT_WRITE", EVENT_WRITE, CONST_CS | CONST_PERSISTENT);
    event_ce = register_class_Swoole_Event();
    zend_register_functions(NULL, ext_functions, NULL, MODULE_PERSISTENT);
}
