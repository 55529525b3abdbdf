/*
 * Swoole\Server: PHP callbacks over the server engine (include/eddy/server.h).
 * Processes, sockets, framing, dispatch and IPC are the engine's; this file
 * converts zvals, runs callbacks and keeps the PHP side of each process sane.
 *
 * Construction binds at once (the port is known before start(), and a taken
 * address throws), on a default config; set() fills a config of its own that
 * start() hands over with eddy_server_configure().
 *
 * Processes. The engine forks the manager from start() and the workers from
 * the manager, so every process inherits the PHP state of the master at the
 * moment start() was called. That state must not hold a running event loop:
 * like Swoole, start() refuses when timers or coroutines exist. In a worker
 * the engine replaces the default loop (which coroutines and Swoole\Timer
 * use) with a fresh one that it pumps from the server loop, so PHP timers
 * and coroutines made in a worker are that worker's own. The master and the
 * manager never run PHP coroutines: their callbacks are plain calls.
 *
 * Coroutines. With enable_coroutine (default on) the worker events (workerStart,
 * connect, receive, packet, close, finish, pipeMessage) each run in a new
 * coroutine, so a handler that sleeps or waits on I/O does not block the
 * worker. onTask is a plain call (Swoole's default task_enable_coroutine off;
 * the Task-object form is not implemented) and its return value, unless null,
 * is sent as finish().
 *
 * Errors in callbacks. As in Swoole, an uncaught exception or a fatal error
 * in a callback is reported as PHP reports it and ends the process; the
 * manager starts a new worker, so the server keeps serving. start() wraps the
 * engine in zend_try: a bailout (from any callback, or from a coroutine that
 * fails later, seen by a check at the top of every server-loop iteration)
 * lands there, in whichever process it happened, and that process exits with
 * status 255. exit() in a worker ends the worker with its status.
 *
 * Tasks and the payload format of sendMessage are in php_server_task.c.
 */
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "php_swoole.h"
#include "php_coroutine.h"
#include "php_coroutine_int.h"
#include "php_coio.h"
#include "php_timer.h"
#include "php_server.h"
#include "php_process.h"
#include "php_runtime.h"

#include "SAPI.h"
#include "ext/standard/php_var.h"
#include "zend_exceptions.h"
#include "zend_interfaces.h"
#include "zend_smart_str.h"

#include "eddy/loop.h"
#include "eddy/server.h"
#include "eddy/timer.h"

#include "server_arginfo.h"

/* Swoole\Timer and Swoole\Event functions the timer methods delegate to. */
ZEND_FUNCTION(swoole_timer_tick);
ZEND_FUNCTION(swoole_timer_after);
ZEND_FUNCTION(swoole_timer_clear);
ZEND_FUNCTION(swoole_event_defer);

#define SWOOLE_ERROR_SERVER_ONLY_START_ONE 9008
#define SWOOLE_ERROR_SERVER_SEND_IN_MASTER 9009

/* Lower-case, as on() compares them (Swoole's names are case-insensitive). */
static const char *const event_names[PHP_SERVER_EV_COUNT] = {
    "start",   "shutdown", "managerstart", "managerstop", "workerstart",
    "workerstop", "workerexit", "workererror", "connect",  "receive",
    "packet",  "close",    "task",         "finish",      "pipemessage",
    "request", "handshake", "open",        "message",     "beforereload",
    "afterreload", "disconnect"};

zend_class_entry *php_swoole_server_ce;
static zend_object_handlers server_handlers;


#define THIS_SERVER() php_server_from_obj(Z_OBJ_P(ZEND_THIS))

/* ---- object ----------------------------------------------------------------- */

zend_object *php_server_create_object(zend_class_entry *ce) {
    php_server_t *ps = zend_object_alloc(sizeof(php_server_t), ce);

    eddy_server_config_init(&ps->cfg);
    for (int i = 0; i < PHP_SERVER_EV_COUNT; i++) {
        ZVAL_UNDEF(&ps->cbs[i]);
    }
    ps->enable_coroutine = true;
    zend_object_std_init(&ps->std, ce);
    object_properties_init(&ps->std, ce);
    ps->std.handlers = &server_handlers;
    return &ps->std;
}

static void server_free(zend_object *obj) {
    php_server_t *ps = php_server_from_obj(obj);

    for (int i = 0; i < PHP_SERVER_EV_COUNT; i++) {
        zval_ptr_dtor(&ps->cbs[i]);
    }
    if (ps->finish_cbs) {
        zend_array_destroy(ps->finish_cbs);
    }
    if (ps->warned) {
        zend_array_destroy(ps->warned);
    }
    if (ps->iter) {
        php_server_iter_detach(ps->iter);
    }
    php_server_ports_detach(ps);
    if (ps->proto && ps->proto->free) {
        ps->proto->free(ps);
    }
    if (ps->srv && !ps->broken) {
        eddy_server_free(ps->srv);
    }
    eddy_server_config_free(&ps->cfg);
    zend_object_std_dtor(obj);
}

/* Callbacks are closures that often capture the server: show them to the
 * cycle collector. */
static HashTable *server_get_gc(zend_object *obj, zval **table, int *n) {
    php_server_t *ps = php_server_from_obj(obj);
    zend_get_gc_buffer *buf = zend_get_gc_buffer_create();

    for (int i = 0; i < PHP_SERVER_EV_COUNT; i++) {
        zend_get_gc_buffer_add_zval(buf, &ps->cbs[i]);
    }
    if (ps->finish_cbs) {
        zval *cb;
        ZEND_HASH_FOREACH_VAL(ps->finish_cbs, cb) {
            zend_get_gc_buffer_add_zval(buf, cb);
        } ZEND_HASH_FOREACH_END();
    }
    zend_get_gc_buffer_use(buf, table, n);
    return zend_std_get_properties(obj);
}

/* ---- ending a process from a callback --------------------------------------- */

/* A worker or the manager ends with php_process_exit_now(): its engine
 * state is mid-call, and atexit handlers belong to the master. */

/* After every callback: a fatal error or exit() that happened in it (or in
 * a coroutine that ran meanwhile) ends the process. A bailout longjmps to
 * start()'s zend_try. An event fired from inside a coroutine (close() runs
 * onClose at once) leaves an exception to that coroutine, which unwinds;
 * the check after the event that started it ends the process. */
static void after_callback(void) {
    if (php_coro_in()) {
        php_coro_after_switch();
        return;
    }
    if (!php_coro_after_switch() || EG(exception)) {
        if (EG(exception) && zend_is_unwind_exit(EG(exception))) {
            zend_clear_exception();
            php_process_exit_now(EG(exit_status));
        }
        if (EG(exception)) {
            zend_exception_error(EG(exception), E_ERROR);
            zend_bailout();
        }
    }
}

/* A coroutine resumed by a loop (a sleep ending, a socket ready) may have
 * failed since the last callback: checked after every pass of the default
 * loop (which the engine pumps from the server loop) and at the top of every
 * server-loop iteration (coroutines the server loop resumes, a taskwait).
 * Swoole\Event::cycle() in a worker takes the default loop's slot; failures
 * are then seen at the next event instead. */
static void check_coroutines(eddy_loop_t *loop, void *arg) {
    (void) loop, (void) arg;
    if (php_coro_g.bailout || php_coro_g.exiting) {
        after_callback();
    }
}

/* ---- firing events ---------------------------------------------------------- */

/* Calls event `ev` with args (args[0] is set to the server here). In a
 * coroutine when `coro` and enable_coroutine; retval (may be NULL) gets the
 * return value of a plain call. Releases args[1..argc). */
void php_server_fire(php_server_t *ps, int ev, zval *cb, zval *args, uint32_t argc, bool coro,
                 zval *retval) {
    zend_fcall_info_cache fcc;
    zval ret;

    zval *call = args;
    uint32_t n = argc;

    ZVAL_OBJ(&args[0], &ps->std);
    if (ev == PHP_SERVER_EV_REQUEST || ev == PHP_SERVER_EV_HANDSHAKE) {
        call++, n--; /* Swoole calls these with (Request, Response), no server */
    }
    if (!cb) {
        cb = &ps->cbs[ev];
    }
    if (!Z_ISUNDEF_P(cb) && php_swoole_callable_cache(cb, &fcc)) {
        if (coro && ps->enable_coroutine) {
            php_coro_create(&fcc, cb, n, call);
        } else {
            zend_fcall_info fci = {0};
            fci.size = sizeof(fci);
            ZVAL_COPY_VALUE(&fci.function_name, cb);
            fci.params = call;
            fci.param_count = n;
            fci.retval = retval ? retval : &ret;
            ZVAL_UNDEF(fci.retval);
            zend_call_function(&fci, &fcc);
            if (!retval) {
                zval_ptr_dtor(&ret);
            }
        }
    }
    for (uint32_t i = 1; i < argc; i++) {
        zval_ptr_dtor(&args[i]);
    }
    after_callback();
}

/* The running server of this process. Not eddy_server_data(srv): a
 * protocol attached to the server (eddy_http_server_new) owns that slot. */
static php_server_t *running;
static time_t start_time; /* of the running server, for stats() */

time_t php_server_start_time(void) {
    return start_time;
}

php_server_t *php_server_current(void) {
    return running;
}

static php_server_t *ps_of(eddy_server_t *srv) {
    (void) srv;
    return running;
}

static void update_long(php_server_t *ps, const char *name, zend_long v) {
    zend_update_property_long(php_swoole_server_ce, &ps->std, name, strlen(name), v);
}

static void on_start(eddy_server_t *srv) {
    php_server_t *ps = ps_of(srv);
    zval args[1];

    update_long(ps, "master_pid", eddy_server_master_pid(srv));
    update_long(ps, "manager_pid", eddy_server_manager_pid(srv));
    php_server_fire(ps, PHP_SERVER_EV_START, NULL, args, 1, false, NULL);
}

static void on_shutdown(eddy_server_t *srv) {
    zval args[1];
    php_server_fire(ps_of(srv), PHP_SERVER_EV_SHUTDOWN, NULL, args, 1, false, NULL);
}

static void on_manager_start(eddy_server_t *srv) {
    php_server_t *ps = ps_of(srv);
    zval args[1];

    update_long(ps, "manager_pid", getpid());
    php_server_fire(ps, PHP_SERVER_EV_MANAGER_START, NULL, args, 1, false, NULL);
}

static void on_manager_stop(eddy_server_t *srv) {
    zval args[1];
    php_server_fire(ps_of(srv), PHP_SERVER_EV_MANAGER_STOP, NULL, args, 1, false, NULL);
}

static void on_worker_start(eddy_server_t *srv, int worker_id) {
    php_server_t *ps = ps_of(srv);
    bool task = eddy_server_is_task_worker(srv);
    eddy_loop_t *loop = eddy_server_loop(srv);
    zval args[2];

    update_long(ps, "worker_id", worker_id);
    update_long(ps, "worker_pid", getpid());
    update_long(ps, "manager_pid", eddy_server_manager_pid(srv));
    zend_update_property_bool(php_swoole_server_ce, &ps->std, ZEND_STRL("taskworker"), task);
    if (loop) {
        eddy_loop_set_cycle(loop, EDDY_CYCLE_BEFORE, check_coroutines, NULL);
    }
    if ((loop = eddy_loop_default())) {
        eddy_loop_set_cycle(loop, EDDY_CYCLE_AFTER, check_coroutines, NULL);
    }
    ZVAL_LONG(&args[1], worker_id);
    php_server_fire(ps, PHP_SERVER_EV_WORKER_START, NULL, args, 2, !task, NULL);
}

static void on_worker_stop(eddy_server_t *srv, int worker_id) {
    zval args[2];
    ZVAL_LONG(&args[1], worker_id);
    php_server_fire(ps_of(srv), PHP_SERVER_EV_WORKER_STOP, NULL, args, 2, false, NULL);
}

static void on_worker_exit(eddy_server_t *srv, int worker_id) {
    zval args[2];
    ZVAL_LONG(&args[1], worker_id);
    php_server_fire(ps_of(srv), PHP_SERVER_EV_WORKER_EXIT, NULL, args, 2, false, NULL);
}

static void on_worker_error(eddy_server_t *srv, int worker_id, int pid, int exit_code,
                            int signo) {
    zval args[5];
    ZVAL_LONG(&args[1], worker_id);
    ZVAL_LONG(&args[2], pid);
    ZVAL_LONG(&args[3], exit_code);
    ZVAL_LONG(&args[4], signo);
    php_server_fire(ps_of(srv), PHP_SERVER_EV_WORKER_ERROR, NULL, args, 5, false, NULL);
}

/* The callback of the port connection fd came in on, if it has one for
 * ev; NULL: the server's own (php_server_port.c). */
static zval *port_cb(eddy_server_t *srv, int fd, int ev) {
    return php_server_ports_handle(ev)
               ? php_server_port_cb(eddy_server_session_listener(srv, fd), ev)
               : NULL;
}

static void on_connect(eddy_server_t *srv, int fd, int reactor_id) {
    zval args[3];
    ZVAL_LONG(&args[1], fd);
    ZVAL_LONG(&args[2], reactor_id);
    php_server_fire(ps_of(srv), PHP_SERVER_EV_CONNECT, port_cb(srv, fd, PHP_SERVER_EV_CONNECT),
                    args, 3, true, NULL);
}

static void on_receive(eddy_server_t *srv, int fd, int reactor_id, const char *data,
                       size_t len) {
    zval args[4];
    ZVAL_LONG(&args[1], fd);
    ZVAL_LONG(&args[2], reactor_id);
    ZVAL_STRINGL(&args[3], data, len);
    php_server_fire(ps_of(srv), PHP_SERVER_EV_RECEIVE, port_cb(srv, fd, PHP_SERVER_EV_RECEIVE),
                    args, 4, true, NULL);
}

static void on_packet(eddy_server_t *srv, int listener, const char *data, size_t len,
                      const eddy_addr_t *from) {
    char host[128] = "";
    int port = 0;
    zval args[3];

    eddy_addr_format(from, host, sizeof(host), &port);
    ZVAL_STRINGL(&args[1], data, len);
    array_init_size(&args[2], 3);
    add_assoc_string(&args[2], "address", host);
    add_assoc_long(&args[2], "port", port);
    add_assoc_long(&args[2], "server_port", eddy_server_port(srv, listener));
    php_server_fire(ps_of(srv), PHP_SERVER_EV_PACKET,
                    php_server_port_cb(listener, PHP_SERVER_EV_PACKET), args, 3, true, NULL);
}

static void on_close(eddy_server_t *srv, int fd, int reactor_id) {
    zval args[3];
    ZVAL_LONG(&args[1], fd);
    ZVAL_LONG(&args[2], reactor_id);
    php_server_fire(ps_of(srv), PHP_SERVER_EV_CLOSE, port_cb(srv, fd, PHP_SERVER_EV_CLOSE), args,
                    3, true, NULL);
}

/* In the manager (plain calls, as the manager's other events). */
static void on_before_reload(eddy_server_t *srv) {
    zval args[1];
    php_server_fire(ps_of(srv), PHP_SERVER_EV_BEFORE_RELOAD, NULL, args, 1, false, NULL);
}

static void on_after_reload(eddy_server_t *srv) {
    zval args[1];
    php_server_fire(ps_of(srv), PHP_SERVER_EV_AFTER_RELOAD, NULL, args, 1, false, NULL);
}

static void on_pipe_message(eddy_server_t *srv, int src_worker_id, const char *data,
                            size_t len) {
    php_server_t *ps = ps_of(srv);
    zval args[3];

    ZVAL_LONG(&args[1], src_worker_id);
    php_server_unpack(data, len, &args[2]);
    php_server_fire(ps, PHP_SERVER_EV_PIPE_MESSAGE, NULL, args, 3, !eddy_server_is_task_worker(srv), NULL);
}

/* Only the events the user set reach the engine: it skips work for the
 * others (and refuses to start task workers without on_task). */
static void set_events(php_server_t *ps) {
    eddy_server_events_t ev = {.data = ps};
#define EV(i, field, fn) if (!Z_ISUNDEF(ps->cbs[i]) || php_server_ports_handle(i)) ev.field = fn
    EV(PHP_SERVER_EV_START, on_start, on_start);
    EV(PHP_SERVER_EV_SHUTDOWN, on_shutdown, on_shutdown);
    EV(PHP_SERVER_EV_MANAGER_START, on_manager_start, on_manager_start);
    EV(PHP_SERVER_EV_MANAGER_STOP, on_manager_stop, on_manager_stop);
    EV(PHP_SERVER_EV_WORKER_STOP, on_worker_stop, on_worker_stop);
    EV(PHP_SERVER_EV_WORKER_EXIT, on_worker_exit, on_worker_exit);
    EV(PHP_SERVER_EV_WORKER_ERROR, on_worker_error, on_worker_error);
    EV(PHP_SERVER_EV_CONNECT, on_connect, on_connect);
    EV(PHP_SERVER_EV_RECEIVE, on_receive, on_receive);
    EV(PHP_SERVER_EV_PACKET, on_packet, on_packet);
    EV(PHP_SERVER_EV_CLOSE, on_close, on_close);
    EV(PHP_SERVER_EV_TASK, on_task, php_server_on_task);
    EV(PHP_SERVER_EV_PIPE_MESSAGE, on_pipe_message, on_pipe_message);
    EV(PHP_SERVER_EV_BEFORE_RELOAD, on_before_reload, on_before_reload);
    EV(PHP_SERVER_EV_AFTER_RELOAD, on_after_reload, on_after_reload);
#undef EV
    ev.on_start = on_start;               /* keeps master_pid / manager_pid right */
    ev.on_manager_start = on_manager_start;
    ev.on_worker_start = on_worker_start; /* per-process PHP state */
    ev.on_finish = php_server_on_finish; /* task()'s own callbacks */
    ps->events = ev;
    eddy_server_set_events(ps->srv, &ev);
}

/* ---- state checks ------------------------------------------------------------ */

/* Worker-only methods: a warning with Swoole's error code elsewhere. */
bool php_server_require_worker(php_server_t *ps, int master_code) {
    if (!ps->started) {
        php_swoole_set_error(-EDDY_EWRONG_OP);
        php_error_docref(NULL, E_WARNING, "server is not running");
        return false;
    }
    if (eddy_server_worker_id(ps->srv) < 0) {
        php_swoole_set_error(master_code);
        php_error_docref(NULL, E_WARNING, "can only be used in a worker process");
        return false;
    }
    return true;
}

bool php_server_require_started(php_server_t *ps) {
    if (!ps->started) {
        php_swoole_set_error(-EDDY_EWRONG_OP);
        php_error_docref(NULL, E_WARNING, "server is not running");
        return false;
    }
    return true;
}

/* ---- construct, set, on, start ------------------------------------------------ */

PHP_METHOD(Swoole_Server, __construct) {
    php_server_t *ps = THIS_SERVER();
    zend_string *host = NULL;
    zend_long port = 0, mode = EDDY_SERVER_BASE, type = EDDY_SOCK_TCP;
    int rc;

    ZEND_PARSE_PARAMETERS_START(0, 4)
        Z_PARAM_OPTIONAL
        Z_PARAM_STR(host)
        Z_PARAM_LONG(port)
        Z_PARAM_LONG(mode)
        Z_PARAM_LONG(type)
    ZEND_PARSE_PARAMETERS_END();

    if (ps->srv) {
        zend_throw_error(NULL, "Constructor of Swoole\\Server can only be called once");
        RETURN_THROWS();
    }
    if (mode != EDDY_SERVER_BASE && mode != EDDY_SERVER_PROCESS) {
        zend_throw_exception_ex(php_swoole_exception_ce, -EDDY_EINVAL,
                                "invalid $mode parameters " ZEND_LONG_FMT, mode);
        RETURN_THROWS();
    }
    if (type < EDDY_SOCK_TCP || type > EDDY_SOCK_UNIX_DGRAM) {
        zend_throw_exception_ex(php_swoole_exception_ce, -EDDY_EINVAL,
                                "invalid $sock_type parameters " ZEND_LONG_FMT, type);
        RETURN_THROWS();
    }
    if (port < 0 || port > 65535) {
        zend_throw_exception_ex(php_swoole_exception_ce, -EDDY_EINVAL,
                                "invalid port [" ZEND_LONG_FMT "]", port);
        RETURN_THROWS();
    }
    const char *h = host ? ZSTR_VAL(host) : "0.0.0.0";
    ps->srv = eddy_server_new(NULL);
    eddy_server_set_mode(ps->srv, (int) mode);
    ps->sock_type = (int) type;
    if ((rc = eddy_server_listen(ps->srv, (eddy_sock_type_t) type, h, (int) port)) < 0) {
        eddy_server_free(ps->srv);
        ps->srv = NULL;
        php_swoole_check(rc);
        zend_throw_exception_ex(php_swoole_exception_ce, -rc,
                                "failed to listen server port[%s:" ZEND_LONG_FMT "], Error: %s[%d]",
                                h, port, eddy_strerror(rc), -rc);
        RETURN_THROWS();
    }
    zend_update_property_string(php_swoole_server_ce, &ps->std, ZEND_STRL("host"), h);
    update_long(ps, "port", eddy_server_port(ps->srv, rc));
    update_long(ps, "type", type);
    update_long(ps, "mode", mode);
    php_server_port_add(ps, rc, h, eddy_server_port(ps->srv, rc), (int) type, NULL);

    php_server_iter_attach(ps);
}

/* Options the PHP layer handles itself. */
static bool set_php_option(php_server_t *ps, zend_string *key, zval *v) {
    if (zend_string_equals_literal(key, "hook_flags")) {
        /* per process, as Runtime::setHookFlags(); workers inherit it */
        php_runtime_set_flags((uint32_t) zval_get_long(v));
        return true;
    }
    if (zend_string_equals_literal(key, "enable_coroutine")) {
        ps->enable_coroutine = zend_is_true(v);
        return true;
    }
    if (zend_string_equals_literal(key, "task_enable_coroutine")) {
        if (zend_is_true(v)) {
            php_error_docref(NULL, E_WARNING,
                             "unsupported option 'task_enable_coroutine' is ignored "
                             "(onTask gets no Swoole\\Server\\Task object)");
        }
        return true;
    }
    return false;
}

static void warn_unsupported(php_server_t *ps, zend_string *key) {
    if (!ps->warned) {
        ps->warned = zend_new_array(4);
    }
    if (zend_hash_add_empty_element(ps->warned, key)) {
        php_error_docref(NULL, E_WARNING, "unsupported option '%s' is ignored", ZSTR_VAL(key));
    }
}

static void set_option(php_server_t *ps, zend_string *key, zval *v) {
    char err[EDDY_SERVER_ERRLEN];
    zend_string *s;

    if (set_php_option(ps, key, v)) {
        return;
    }
    if (ps->proto && ps->proto->set_option && ps->proto->set_option(ps, key, v)) {
        return;
    }
    if (!eddy_server_config_has_option(ZSTR_VAL(key))) {
        warn_unsupported(ps, key);
        return;
    }
    if (Z_TYPE_P(v) == IS_ARRAY || Z_TYPE_P(v) == IS_OBJECT) {
        php_error_docref(NULL, E_WARNING, "option '%s' must be a scalar", ZSTR_VAL(key));
        return;
    }
    s = zval_get_string(v); /* true -> "1", false -> "" */
    if (eddy_server_config_setn(&ps->cfg, ZSTR_VAL(key), ZSTR_VAL(s), ZSTR_LEN(s), err,
                                sizeof(err)) < 0) {
        php_swoole_set_error(-EDDY_EINVAL);
        php_error_docref(NULL, E_WARNING, "%s", err);
    }
    zend_string_release(s);
}

PHP_METHOD(Swoole_Server, set) {
    php_server_t *ps = THIS_SERVER();
    HashTable *opts;
    zend_string *key;
    zval *v, rv, *setting;

    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_ARRAY_HT(opts)
    ZEND_PARSE_PARAMETERS_END();

    if (ps->started) {
        php_swoole_set_error(-EDDY_EWRONG_OP);
        php_error_docref(NULL, E_WARNING, "server is running, unable to execute %s->set()",
                         ZSTR_VAL(php_swoole_server_ce->name));
        RETURN_FALSE;
    }
    ZEND_HASH_FOREACH_STR_KEY_VAL(opts, key, v) {
        if (!key) {
            php_error_docref(NULL, E_WARNING, "option names must be strings");
            continue;
        }
        set_option(ps, key, v);
    } ZEND_HASH_FOREACH_END();

    setting = zend_read_property(php_swoole_server_ce, &ps->std, ZEND_STRL("setting"), 1, &rv);
    zval merged;
    ZVAL_ARR(&merged, zend_array_dup(Z_ARRVAL_P(setting)));
    zend_hash_merge(Z_ARRVAL(merged), opts, zval_add_ref, 1);
    zend_update_property(php_swoole_server_ce, &ps->std, ZEND_STRL("setting"), &merged);
    zval_ptr_dtor(&merged);
    RETURN_TRUE;
}

PHP_METHOD(Swoole_Server, on) {
    php_server_t *ps = THIS_SERVER();
    zend_string *name;
    zend_fcall_info fci;
    zend_fcall_info_cache fcc;

    ZEND_PARSE_PARAMETERS_START(2, 2)
        Z_PARAM_STR(name)
        Z_PARAM_FUNC(fci, fcc)
    ZEND_PARSE_PARAMETERS_END();

    zend_release_fcall_info_cache(&fcc);
    if (ps->started) {
        php_swoole_set_error(-EDDY_EWRONG_OP);
        php_error_docref(NULL, E_WARNING, "server is running, unable to register event callback");
        RETURN_FALSE;
    }
    for (int i = 0; i < PHP_SERVER_EV_COUNT; i++) {
        if (zend_binary_strcasecmp(ZSTR_VAL(name), ZSTR_LEN(name), event_names[i],
                                   strlen(event_names[i])) == 0) {
            zval_ptr_dtor(&ps->cbs[i]);
            ZVAL_COPY(&ps->cbs[i], &fci.function_name);
            RETURN_TRUE;
        }
    }
    php_error_docref(NULL, E_WARNING, "unknown event types[%s]", ZSTR_VAL(name));
    RETURN_FALSE;
}

/* listen() / addlistener(): binds at once, as the constructor does, so a
 * taken address fails here. */
PHP_METHOD(Swoole_Server, listen) {
    php_server_t *ps = THIS_SERVER();
    zend_string *host;
    zend_long port, type;
    int rc;

    ZEND_PARSE_PARAMETERS_START(3, 3)
        Z_PARAM_STR(host)
        Z_PARAM_LONG(port)
        Z_PARAM_LONG(type)
    ZEND_PARSE_PARAMETERS_END();

    if (!ps->srv) {
        zend_throw_error(NULL, "Swoole\\Server is not constructed");
        RETURN_THROWS();
    }
    if (ps->started) {
        php_swoole_set_error(-EDDY_EWRONG_OP);
        php_error_docref(NULL, E_WARNING, "server is running, can't add listener");
        RETURN_FALSE;
    }
    if (type < EDDY_SOCK_TCP || type > EDDY_SOCK_UNIX_DGRAM || port < 0 || port > 65535) {
        php_swoole_set_error(-EDDY_EINVAL);
        php_error_docref(NULL, E_WARNING, "invalid port " ZEND_LONG_FMT " or sock_type " ZEND_LONG_FMT,
                         port, type);
        RETURN_FALSE;
    }
    if ((rc = eddy_server_listen(ps->srv, (eddy_sock_type_t) type, ZSTR_VAL(host), (int) port)) <
        0) {
        php_swoole_check(rc);
        php_error_docref(NULL, E_WARNING, "failed to listen server port[%s:" ZEND_LONG_FMT "], "
                         "Error: %s[%d]", ZSTR_VAL(host), port, eddy_strerror(rc), -rc);
        RETURN_FALSE;
    }
    php_server_port_add(ps, rc, ZSTR_VAL(host), eddy_server_port(ps->srv, rc), (int) type,
                        return_value);
}

/* A bailout out of the engine (see the top of the file). Workers and the
 * manager end here; the master stops the manager (its workers follow it)
 * and lets the fatal error end the script. */
static void start_failed(php_server_t *ps) {
    ps->broken = true;
    if (getpid() != eddy_server_master_pid(ps->srv)) {
        php_process_exit_now(255);
    }
    if (eddy_server_manager_pid(ps->srv) > 0) {
        kill(eddy_server_manager_pid(ps->srv), SIGTERM);
    }
    zend_bailout();
}

/* Swoole refuses to fork a process that already runs an event loop: the
 * children would inherit its timers and coroutines. */
static bool loop_in_use(void) {
    eddy_loop_t *loop = eddy_loop_default();
    return php_coro_g.count > 0 || (loop && eddy_timer_count(loop) > 0);
}

PHP_METHOD(Swoole_Server, start) {
    php_server_t *ps = THIS_SERVER();
    int rc = 0;

    ZEND_PARSE_PARAMETERS_NONE();

    if (!ps->srv) {
        zend_throw_error(NULL, "Swoole\\Server is not constructed");
        RETURN_THROWS();
    }
    if (ps->started) {
        php_swoole_set_error(SWOOLE_ERROR_SERVER_ONLY_START_ONE);
        php_error_docref(NULL, E_WARNING, "server is running, unable to execute %s->start()",
                         ZSTR_VAL(php_swoole_server_ce->name));
        RETURN_FALSE;
    }
    if (php_coro_in() || loop_in_use()) {
        php_swoole_set_error(-EDDY_EWRONG_OP);
        php_error_docref(NULL, E_WARNING, "eventLoop has already been created, unable to start %s",
                         ZSTR_VAL(php_swoole_server_ce->name));
        RETURN_FALSE;
    }
    ps->cfg.task_enable_coroutine = 0; /* onTask runs as a plain call, see the top */
    eddy_server_configure(ps->srv, &ps->cfg);
    if (!php_server_ports_start(ps)) {
        RETURN_FALSE;
    }
    set_events(ps);
    if (ps->proto && !ps->proto->attach(ps)) {
        php_server_ports_stop();
        RETURN_FALSE;
    }
    ps->started = true;
    running = ps;
    start_time = time(NULL);
    update_long(ps, "master_pid", getpid());
    zend_try {
        rc = eddy_server_start(ps->srv);
    } zend_catch {
        start_failed(ps);
    } zend_end_try();
    ps->started = false;
    running = NULL;
    php_server_ports_stop();
    if (rc < 0) {
        php_swoole_check(rc);
        php_error_docref(NULL, E_WARNING, "failed to start server: %s", eddy_strerror(rc));
        RETURN_FALSE;
    }
    RETURN_TRUE;
}

/* ---- connections ---------------------------------------------------------------- */

PHP_METHOD(Swoole_Server, send) {
    php_server_t *ps = THIS_SERVER();
    zend_long fd, server_socket = -1;
    zend_string *data;

    ZEND_PARSE_PARAMETERS_START(2, 3)
        Z_PARAM_LONG(fd)
        Z_PARAM_STR(data)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(server_socket)
    ZEND_PARSE_PARAMETERS_END();
    (void) server_socket;

    if (!php_server_require_worker_or_user(ps, SWOOLE_ERROR_SERVER_SEND_IN_MASTER)) {
        RETURN_FALSE;
    }
    if (ZSTR_LEN(data) == 0) {
        php_error_docref(NULL, E_WARNING, "data is empty");
        RETURN_FALSE;
    }
    RETURN_BOOL(php_swoole_check(eddy_server_send(ps->srv, (int) fd, ZSTR_VAL(data),
                                                  ZSTR_LEN(data))) >= 0);
}

PHP_METHOD(Swoole_Server, sendto) {
    php_server_t *ps = THIS_SERVER();
    zend_string *ip, *data;
    zend_long port, server_socket = -1;
    eddy_addr_t to;
    int rc;

    ZEND_PARSE_PARAMETERS_START(3, 4)
        Z_PARAM_STR(ip)
        Z_PARAM_LONG(port)
        Z_PARAM_STR(data)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(server_socket)
    ZEND_PARSE_PARAMETERS_END();
    (void) server_socket;

    if (!php_server_require_worker(ps, SWOOLE_ERROR_SERVER_SEND_IN_MASTER)) {
        RETURN_FALSE;
    }
    if ((rc = eddy_addr_parse(&to, (eddy_sock_type_t) ps->sock_type, ZSTR_VAL(ip), (int) port)) <
            0 ||
        (rc = eddy_server_sendto(ps->srv, 0, &to, ZSTR_VAL(data), ZSTR_LEN(data))) < 0) {
        php_swoole_check(rc);
        php_error_docref(NULL, E_WARNING, "sendto(%s:" ZEND_LONG_FMT ") failed: %s",
                         ZSTR_VAL(ip), port, eddy_strerror(rc));
        RETURN_FALSE;
    }
    RETURN_TRUE;
}

/* $reset (RST instead of FIN) is accepted and ignored: the engine closes
 * after the queued output is written. */
PHP_METHOD(Swoole_Server, close) {
    php_server_t *ps = THIS_SERVER();
    zend_long fd;
    bool reset = false;

    ZEND_PARSE_PARAMETERS_START(1, 2)
        Z_PARAM_LONG(fd)
        Z_PARAM_OPTIONAL
        Z_PARAM_BOOL(reset)
    ZEND_PARSE_PARAMETERS_END();
    (void) reset;

    if (!php_server_require_worker_or_user(ps, -EDDY_EWRONG_OP)) {
        RETURN_FALSE;
    }
    RETURN_BOOL(php_swoole_check(eddy_server_close(ps->srv, (int) fd)) >= 0);
}

PHP_METHOD(Swoole_Server, exists) {
    php_server_t *ps = THIS_SERVER();
    zend_long fd;

    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_LONG(fd)
    ZEND_PARSE_PARAMETERS_END();

    if (!php_server_require_worker(ps, -EDDY_EWRONG_OP)) {
        RETURN_FALSE;
    }
    RETURN_BOOL(eddy_server_exists(ps->srv, (int) fd) == 1);
}

PHP_METHOD(Swoole_Server, getClientInfo) {
    php_server_t *ps = THIS_SERVER();
    zend_long fd, reactor_id = -1;
    bool ignore_error = false;
    eddy_server_client_info_t info;

    ZEND_PARSE_PARAMETERS_START(1, 3)
        Z_PARAM_LONG(fd)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(reactor_id)
        Z_PARAM_BOOL(ignore_error)
    ZEND_PARSE_PARAMETERS_END();
    (void) reactor_id, (void) ignore_error;

    if (!php_server_require_worker(ps, -EDDY_EWRONG_OP)) {
        RETURN_FALSE;
    }
    if (php_swoole_check(eddy_server_client_info(ps->srv, (int) fd, &info)) < 0) {
        RETURN_FALSE;
    }
    array_init_size(return_value, 8);
    add_assoc_long(return_value, "server_port", info.server_port);
    add_assoc_long(return_value, "socket_type", ps->sock_type);
    add_assoc_long(return_value, "remote_port", info.remote_port);
    add_assoc_string(return_value, "remote_ip", info.remote_ip);
    add_assoc_long(return_value, "reactor_id", info.reactor_id);
    add_assoc_long(return_value, "connect_time", (zend_long) info.connect_time);
    add_assoc_long(return_value, "last_time", (zend_long) info.last_time);
    add_assoc_long(return_value, "last_recv_time", (zend_long) info.last_time);
}

PHP_METHOD(Swoole_Server, bind) {
    php_server_t *ps = THIS_SERVER();
    zend_long fd, uid;

    ZEND_PARSE_PARAMETERS_START(2, 2)
        Z_PARAM_LONG(fd)
        Z_PARAM_LONG(uid)
    ZEND_PARSE_PARAMETERS_END();

    if (!php_server_require_worker(ps, -EDDY_EWRONG_OP)) {
        RETURN_FALSE;
    }
    if (uid <= 0 || uid > UINT32_MAX) {
        php_swoole_set_error(-EDDY_EINVAL);
        php_error_docref(NULL, E_WARNING, "uid can not be less than or equal to 0 or greater "
                                          "than 4294967295");
        RETURN_FALSE;
    }
    RETURN_BOOL(php_swoole_check(eddy_server_bind(ps->srv, (int) fd, (uint32_t) uid)) >= 0);
}

/* ---- messages (tasks are in php_server_task.c; reload, stop, stats and
 * the pids in php_server_control.c) ----------------------------------------------- */

PHP_METHOD(Swoole_Server, sendMessage) {
    php_server_t *ps = THIS_SERVER();
    zval *msg;
    zend_long dst;
    smart_str buf = {0};
    int rc;

    ZEND_PARSE_PARAMETERS_START(2, 2)
        Z_PARAM_ZVAL(msg)
        Z_PARAM_LONG(dst)
    ZEND_PARSE_PARAMETERS_END();

    if (!php_server_require_worker_or_user(ps, -EDDY_EWRONG_OP)) {
        RETURN_FALSE;
    }
    if (!php_server_pack(msg, &buf)) {
        RETURN_THROWS();
    }
    rc = eddy_server_send_message(ps->srv, ZSTR_VAL(buf.s), ZSTR_LEN(buf.s), (int) dst);
    smart_str_free(&buf);
    if (php_swoole_check(rc) < 0) {
        php_error_docref(NULL, E_WARNING, "sendMessage() to worker#" ZEND_LONG_FMT " failed: %s",
                         dst, eddy_strerror(rc));
        RETURN_FALSE;
    }
    RETURN_TRUE;
}

/* ---- timers: Swoole\Timer's functions, same arguments ---------------------------- */

PHP_METHOD(Swoole_Server, tick) {
    ZEND_FN(swoole_timer_tick)(INTERNAL_FUNCTION_PARAM_PASSTHRU);
}

PHP_METHOD(Swoole_Server, after) {
    ZEND_FN(swoole_timer_after)(INTERNAL_FUNCTION_PARAM_PASSTHRU);
}

PHP_METHOD(Swoole_Server, clearTimer) {
    ZEND_FN(swoole_timer_clear)(INTERNAL_FUNCTION_PARAM_PASSTHRU);
}

PHP_METHOD(Swoole_Server, defer) {
    ZEND_FN(swoole_event_defer)(INTERNAL_FUNCTION_PARAM_PASSTHRU);
}

/* ---- module init ------------------------------------------------------------------- */

void php_swoole_server_minit(int module_number) {
    php_swoole_server_ce = register_class_Swoole_Server();
    php_swoole_server_ce->create_object = php_server_create_object;
    memcpy(&server_handlers, &std_object_handlers, sizeof(server_handlers));
    server_handlers.offset = XtOffsetOf(php_server_t, std);
    server_handlers.free_obj = server_free;
    server_handlers.get_gc = server_get_gc;
    server_handlers.clone_obj = NULL;

    php_server_iter_minit();
    php_server_port_minit();

    REGISTER_LONG_CONSTANT("SWOOLE_BASE", EDDY_SERVER_BASE, CONST_CS | CONST_PERSISTENT);
    REGISTER_LONG_CONSTANT("SWOOLE_PROCESS", EDDY_SERVER_PROCESS, CONST_CS | CONST_PERSISTENT);
    php_server_control_minit(module_number);
}
