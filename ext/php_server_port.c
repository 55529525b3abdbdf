/*
 * Swoole\Server\Port: one listener of a Swoole\Server. The constructor's
 * address is $server->ports[0]; listen() / addlistener() bind another at
 * once (the engine's eddy_server_listen) and append its Port.
 *
 * Options. $port->set() takes the framing options the engine keeps per
 * listener (eddy_server_listener_config_set). They are checked when given
 * and applied at start(), after the server's own set() options: the
 * listener starts from the server's options with its framing switched off,
 * and the port's options apply over that. A port that sets nothing frames
 * as the server does, as in Swoole.
 *
 * Callbacks. $port->on('connect' | 'receive' | 'close' | 'packet') handles
 * that event for this port's connections; a port without one falls back to
 * the server's. start() copies the ports' callbacks into a per-process table
 * (one running server per process, as php_server_current()) that the
 * server's event handlers consult through the connection's listener
 * (eddy_server_session_listener).
 *
 * Lifetimes. A Port does not keep its server alive (the server's ports
 * array keeps the ports, and a counted back-reference would make a cycle):
 * the server clears each port's pointer when it is freed, and a port used
 * after that warns.
 */
#include "php_swoole.h"
#include "php_server.h"
#include "php_timer.h"

#include "zend_closures.h"

#include "eddy/server.h"

#include "server_port_arginfo.h"

/* The events a port takes, in the order of port_t.cbs. */
static const struct {
    const char *name;
    int ev;
} port_events[] = {{"connect", PHP_SERVER_EV_CONNECT},
                   {"receive", PHP_SERVER_EV_RECEIVE},
                   {"close", PHP_SERVER_EV_CLOSE},
                   {"packet", PHP_SERVER_EV_PACKET}};
#define PORT_NEV ((int) (sizeof(port_events) / sizeof(port_events[0])))

/* The options eddy_server_listener_config_set takes. */
static const char *const port_options[] = {
    "open_eof_check",      "open_eof_split",        "package_eof",
    "open_length_check",   "package_length_type",   "package_length_offset",
    "package_body_offset", "package_body_start",    "package_max_length"};

/* The options that select a framing, reset when a port sets its own. */
static const char *const framing_switches[] = {"open_eof_check", "open_eof_split",
                                               "open_length_check"};

typedef struct {
    php_server_t *ps; /* not counted (see the top); NULL once the server is gone */
    int index;        /* the engine's listener index */
    zval cbs[PORT_NEV];
    zend_object std;
} port_t;

static zend_class_entry *port_ce;
static zend_object_handlers port_handlers;

/* start()'s table for the running server: the ports (counted, so that a
 * user unsetting $server->ports cannot free callbacks in use) by listener. */
static zend_object *running_ports[EDDY_SERVER_MAX_LISTENERS];
static bool running_any[PHP_SERVER_EV_COUNT];

static port_t *port_from_obj(zend_object *obj) {
    return (port_t *) ((char *) obj - XtOffsetOf(port_t, std));
}

#define THIS_PORT() port_from_obj(Z_OBJ_P(ZEND_THIS))

static int port_event_index(const char *name, size_t len) {
    for (int i = 0; i < PORT_NEV; i++) {
        if (zend_binary_strcasecmp(name, len, port_events[i].name,
                                   strlen(port_events[i].name)) == 0) {
            return i;
        }
    }
    return -1;
}

/* ---- object ----------------------------------------------------------------- */

static zend_object *port_create(zend_class_entry *ce) {
    port_t *p = zend_object_alloc(sizeof(port_t), ce);

    for (int i = 0; i < PORT_NEV; i++) {
        ZVAL_UNDEF(&p->cbs[i]);
    }
    p->index = -1;
    zend_object_std_init(&p->std, ce);
    object_properties_init(&p->std, ce);
    p->std.handlers = &port_handlers;
    return &p->std;
}

static void port_free(zend_object *obj) {
    port_t *p = port_from_obj(obj);

    for (int i = 0; i < PORT_NEV; i++) {
        zval_ptr_dtor(&p->cbs[i]);
    }
    zend_object_std_dtor(obj);
}

/* Callbacks often capture the server (and so, through $server->ports,
 * this port): show them to the cycle collector. */
static HashTable *port_get_gc(zend_object *obj, zval **table, int *n) {
    port_t *p = port_from_obj(obj);

    *table = p->cbs;
    *n = PORT_NEV;
    return zend_std_get_properties(obj);
}

/* ---- server side (php_server.h) ------------------------------------------------ */

static zval *server_ports(php_server_t *ps) {
    zval rv, *ports = zend_read_property(php_swoole_server_ce, &ps->std, ZEND_STRL("ports"), 1,
                                         &rv);
    return Z_TYPE_P(ports) == IS_ARRAY ? ports : NULL;
}

void php_server_port_add(php_server_t *ps, int index, const char *host, int port, int type,
                         zval *out) {
    zval obj, *ports, copy;
    port_t *p;

    object_init_ex(&obj, port_ce);
    p = port_from_obj(Z_OBJ(obj));
    p->ps = ps;
    p->index = index;
    zend_update_property_string(port_ce, Z_OBJ(obj), ZEND_STRL("host"), host);
    zend_update_property_long(port_ce, Z_OBJ(obj), ZEND_STRL("port"), port);
    zend_update_property_long(port_ce, Z_OBJ(obj), ZEND_STRL("type"), type);
    php_server_iter_attach_port(ps, Z_OBJ(obj), port_ce, index);

    /* $server->ports gets a new array with the port appended: the property
     * may be shared with a copy the user holds. */
    ports = server_ports(ps);
    ZVAL_ARR(&copy, ports ? zend_array_dup(Z_ARRVAL_P(ports)) : zend_new_array(1));
    Z_ADDREF(obj);
    add_next_index_zval(&copy, &obj);
    zend_update_property(php_swoole_server_ce, &ps->std, ZEND_STRL("ports"), &copy);
    zval_ptr_dtor(&copy);
    if (out) {
        ZVAL_COPY_VALUE(out, &obj);
    } else {
        zval_ptr_dtor(&obj);
    }
}

void php_server_ports_detach(php_server_t *ps) {
    zval *ports = server_ports(ps), *v;

    if (!ports) {
        return;
    }
    ZEND_HASH_FOREACH_VAL(Z_ARRVAL_P(ports), v) {
        if (Z_TYPE_P(v) == IS_OBJECT && Z_OBJCE_P(v) == port_ce &&
            port_from_obj(Z_OBJ_P(v))->ps == ps) {
            port_from_obj(Z_OBJ_P(v))->ps = NULL;
        }
    } ZEND_HASH_FOREACH_END();
}

/* One port's options onto its listener. */
static bool apply_settings(php_server_t *ps, port_t *p) {
    char err[EDDY_SERVER_ERRLEN];
    zval rv, *setting = zend_read_property(port_ce, &p->std, ZEND_STRL("setting"), 1, &rv);
    zend_string *key;
    zval *v;
    bool ok = true;

    if (Z_TYPE_P(setting) != IS_ARRAY || zend_hash_num_elements(Z_ARRVAL_P(setting)) == 0) {
        return true;
    }
    /* A port that sets options chooses its own framing: the server's EOF or
     * length check is switched off first (the engine lets EOF win when both
     * are on, so a port asking for length framing would get the server's
     * EOF framing otherwise). Other values (package_max_length...) stay
     * the server's unless given. */
    for (size_t i = 0; i < sizeof(framing_switches) / sizeof(framing_switches[0]); i++) {
        eddy_server_listener_config_set(ps->srv, p->index, framing_switches[i], "0", err,
                                        sizeof(err));
    }
    ZEND_HASH_FOREACH_STR_KEY_VAL(Z_ARRVAL_P(setting), key, v) {
        zend_string *s;
        if (!key || Z_TYPE_P(v) == IS_ARRAY || Z_TYPE_P(v) == IS_OBJECT) {
            continue; /* refused by set() already */
        }
        s = zval_get_string(v);
        if (eddy_server_listener_config_setn(ps->srv, p->index, ZSTR_VAL(key), ZSTR_VAL(s),
                                             ZSTR_LEN(s), err, sizeof(err)) < 0) {
            php_swoole_set_error(-EDDY_EINVAL);
            php_error_docref(NULL, E_WARNING, "port %d: %s", p->index, err);
            ok = false;
        }
        zend_string_release(s);
    } ZEND_HASH_FOREACH_END();
    return ok;
}

bool php_server_ports_start(php_server_t *ps) {
    zval *ports = server_ports(ps), *v;

    php_server_ports_stop();
    if (!ports) {
        return true;
    }
    ZEND_HASH_FOREACH_VAL(Z_ARRVAL_P(ports), v) {
        port_t *p;
        if (Z_TYPE_P(v) != IS_OBJECT || Z_OBJCE_P(v) != port_ce) {
            continue;
        }
        p = port_from_obj(Z_OBJ_P(v));
        if (p->ps != ps || p->index < 0 || p->index >= EDDY_SERVER_MAX_LISTENERS ||
            running_ports[p->index]) {
            continue;
        }
        if (!apply_settings(ps, p)) {
            php_server_ports_stop();
            return false;
        }
        GC_ADDREF(&p->std);
        running_ports[p->index] = &p->std;
        for (int i = 0; i < PORT_NEV; i++) {
            if (!Z_ISUNDEF(p->cbs[i])) {
                running_any[port_events[i].ev] = true;
            }
        }
    } ZEND_HASH_FOREACH_END();
    return true;
}

void php_server_ports_stop(void) {
    for (int i = 0; i < EDDY_SERVER_MAX_LISTENERS; i++) {
        if (running_ports[i]) {
            OBJ_RELEASE(running_ports[i]);
            running_ports[i] = NULL;
        }
    }
    memset(running_any, 0, sizeof(running_any));
}

bool php_server_ports_handle(int ev) {
    return ev >= 0 && ev < PHP_SERVER_EV_COUNT && running_any[ev];
}

zval *php_server_port_cb(int listener, int ev) {
    port_t *p;

    if (!php_server_ports_handle(ev) || listener < 0 || listener >= EDDY_SERVER_MAX_LISTENERS ||
        !running_ports[listener]) {
        return NULL;
    }
    p = port_from_obj(running_ports[listener]);
    for (int i = 0; i < PORT_NEV; i++) {
        if (port_events[i].ev == ev) {
            return Z_ISUNDEF(p->cbs[i]) ? NULL : &p->cbs[i];
        }
    }
    return NULL;
}

/* ---- methods --------------------------------------------------------------------- */

PHP_METHOD(Swoole_Server_Port, __construct) {
    ZEND_PARSE_PARAMETERS_NONE();
}

/* Before start(), on a port whose server still exists. */
static bool port_usable(port_t *p, const char *what) {
    if (!p->ps || !p->ps->srv) {
        php_swoole_set_error(-EDDY_EWRONG_OP);
        php_error_docref(NULL, E_WARNING, "the server of this port is gone, unable to %s", what);
        return false;
    }
    if (p->ps->started) {
        php_swoole_set_error(-EDDY_EWRONG_OP);
        php_error_docref(NULL, E_WARNING, "server is running, unable to %s", what);
        return false;
    }
    return true;
}

static bool is_port_option(zend_string *key) {
    for (size_t i = 0; i < sizeof(port_options) / sizeof(port_options[0]); i++) {
        if (zend_string_equals_cstr(key, port_options[i], strlen(port_options[i]))) {
            return true;
        }
    }
    return false;
}

/* A value the engine would refuse is refused now, on a scratch config, so
 * that the warning comes from the set() that gave it. */
static bool check_option(zend_string *key, zval *v) {
    char err[EDDY_SERVER_ERRLEN];
    eddy_server_config_t scratch;
    zend_string *s;
    bool ok;

    if (!is_port_option(key)) {
        php_error_docref(NULL, E_WARNING,
                         "unsupported option '%s' of a port is ignored (ports take framing "
                         "options only)",
                         ZSTR_VAL(key));
        return false;
    }
    if (Z_TYPE_P(v) == IS_ARRAY || Z_TYPE_P(v) == IS_OBJECT) {
        php_error_docref(NULL, E_WARNING, "option '%s' must be a scalar", ZSTR_VAL(key));
        return false;
    }
    eddy_server_config_init(&scratch);
    s = zval_get_string(v);
    ok = eddy_server_config_setn(&scratch, ZSTR_VAL(key), ZSTR_VAL(s), ZSTR_LEN(s), err,
                                 sizeof(err)) == 0;
    if (!ok) {
        php_swoole_set_error(-EDDY_EINVAL);
        php_error_docref(NULL, E_WARNING, "%s", err);
    }
    zend_string_release(s);
    eddy_server_config_free(&scratch);
    return ok;
}

PHP_METHOD(Swoole_Server_Port, set) {
    port_t *p = THIS_PORT();
    HashTable *opts;
    zend_string *key;
    zval *v, rv, *setting, merged;

    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_ARRAY_HT(opts)
    ZEND_PARSE_PARAMETERS_END();

    if (!port_usable(p, "execute Swoole\\Server\\Port->set()")) {
        return;
    }
    setting = zend_read_property(port_ce, &p->std, ZEND_STRL("setting"), 1, &rv);
    ZVAL_ARR(&merged, Z_TYPE_P(setting) == IS_ARRAY ? zend_array_dup(Z_ARRVAL_P(setting))
                                                    : zend_new_array(4));
    ZEND_HASH_FOREACH_STR_KEY_VAL(opts, key, v) {
        if (!key) {
            php_error_docref(NULL, E_WARNING, "option names must be strings");
            continue;
        }
        if (check_option(key, v)) {
            Z_TRY_ADDREF_P(v);
            zend_hash_update(Z_ARRVAL(merged), key, v);
        }
    } ZEND_HASH_FOREACH_END();
    zend_update_property(port_ce, &p->std, ZEND_STRL("setting"), &merged);
    zval_ptr_dtor(&merged);
}

PHP_METHOD(Swoole_Server_Port, on) {
    port_t *p = THIS_PORT();
    zend_string *name;
    zend_fcall_info fci;
    zend_fcall_info_cache fcc;
    int i;

    ZEND_PARSE_PARAMETERS_START(2, 2)
        Z_PARAM_STR(name)
        Z_PARAM_FUNC(fci, fcc)
    ZEND_PARSE_PARAMETERS_END();

    zend_release_fcall_info_cache(&fcc);
    if (!port_usable(p, "register event callback")) {
        RETURN_FALSE;
    }
    if ((i = port_event_index(ZSTR_VAL(name), ZSTR_LEN(name))) < 0) {
        php_error_docref(NULL, E_WARNING,
                         "unknown event types[%s] (a port takes connect, receive, close, packet)",
                         ZSTR_VAL(name));
        RETURN_FALSE;
    }
    zval_ptr_dtor(&p->cbs[i]);
    ZVAL_COPY(&p->cbs[i], &fci.function_name);
    RETURN_TRUE;
}

PHP_METHOD(Swoole_Server_Port, getCallback) {
    port_t *p = THIS_PORT();
    zend_string *name;
    zend_fcall_info_cache fcc;
    zval obj;
    int i;

    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_STR(name)
    ZEND_PARSE_PARAMETERS_END();

    if ((i = port_event_index(ZSTR_VAL(name), ZSTR_LEN(name))) < 0 || Z_ISUNDEF(p->cbs[i])) {
        RETURN_NULL();
    }
    if (Z_TYPE(p->cbs[i]) == IS_OBJECT && Z_OBJCE(p->cbs[i]) == zend_ce_closure) {
        RETURN_COPY(&p->cbs[i]);
    }
    /* A name or an array callable: a closure over it, as Closure::fromCallable. */
    if (!php_swoole_callable_cache(&p->cbs[i], &fcc)) {
        RETURN_NULL();
    }
    if (fcc.object) {
        ZVAL_OBJ(&obj, fcc.object);
    }
    zend_create_fake_closure(return_value, fcc.function_handler, fcc.calling_scope,
                             fcc.called_scope, fcc.object ? &obj : NULL);
}

void php_server_port_minit(void) {
    port_ce = register_class_Swoole_Server_Port();
    port_ce->create_object = port_create;
    memcpy(&port_handlers, &std_object_handlers, sizeof(port_handlers));
    port_handlers.offset = XtOffsetOf(port_t, std);
    port_handlers.free_obj = port_free;
    port_handlers.get_gc = port_get_gc;
    port_handlers.clone_obj = NULL;
}
