/*
 * The open connections of a Swoole\Server: getClientList() and
 * $server->connections (Swoole\Connection\Iterator). In BASE mode a
 * worker sees its own connections, in PROCESS mode all of them (the
 * engine's eddy_server_connections()). A Swoole\Server\Port's
 * $port->connections is the same iterator limited to that listener's
 * connections.
 */
#include <stdlib.h>

#include "php_swoole.h"
#include "php_server.h"

#include "zend_interfaces.h"

#include "eddy/server.h"

#include "connection_iterator_arginfo.h"

static zend_class_entry *conn_iter_ce;
static zend_object_handlers conn_iter_handlers;

#define THIS_SERVER() php_server_from_obj(Z_OBJ_P(ZEND_THIS))

typedef struct {
    int *ids;
    size_t n, cap;
    int listener; /* only this listener's connections; -1: all */
} idlist_t;

static int collect_id(eddy_server_t *srv, int session, void *arg) {
    idlist_t *l = arg;
    if (l->listener >= 0 && eddy_server_session_listener(srv, session) != l->listener) {
        return 0;
    }
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 64;
        l->ids = safe_erealloc(l->ids, l->cap, sizeof(int), 0);
    }
    l->ids[l->n++] = session;
    return 0;
}

static int cmp_id(const void *a, const void *b) {
    int x = *(const int *) a, y = *(const int *) b;
    return x < y ? -1 : x > y;
}

/* The open connections' ids (of one listener, or all with -1) in
 * ascending order; none outside a worker. */
static idlist_t list_connections(php_server_t *ps, int listener) {
    idlist_t l = {.listener = listener};
    if (ps->srv && ps->started && eddy_server_worker_id(ps->srv) >= 0) {
        eddy_server_connections(ps->srv, collect_id, &l);
        if (l.n > 1) {
            qsort(l.ids, l.n, sizeof(int), cmp_id);
        }
    }
    return l;
}

#define CLIENT_LIST_MAX 100 /* Swoole's cap on $find_count */

PHP_METHOD(Swoole_Server, getClientList) {
    php_server_t *ps = THIS_SERVER();
    zend_long start = 0, count = 10;
    idlist_t l;

    ZEND_PARSE_PARAMETERS_START(0, 2)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(start)
        Z_PARAM_LONG(count)
    ZEND_PARSE_PARAMETERS_END();

    if (!php_server_require_worker(ps, -EDDY_EWRONG_OP)) {
        RETURN_FALSE;
    }
    if (count > CLIENT_LIST_MAX) {
        php_error_docref(NULL, E_WARNING, "swoole connection list max_find_count=%d",
                         CLIENT_LIST_MAX);
        RETURN_FALSE;
    }
    l = list_connections(ps, -1);
    array_init(return_value);
    for (size_t i = 0; i < l.n && zend_hash_num_elements(Z_ARRVAL_P(return_value)) < count; i++) {
        if (l.ids[i] > start) {
            add_next_index_long(return_value, l.ids[i]);
        }
    }
    if (l.ids) {
        efree(l.ids);
    }
}

/* Swoole\Connection\Iterator. It and its server point at each other
 * without counting (the server's property holds the count), and whichever
 * is freed first clears the other's pointer: a counted pair would be a
 * cycle, and an unset server would keep its port until the collector ran.
 * A port's iterator (listener >= 0) does not hold its server: it reads
 * `owner` only while that server is the one running in this process, and
 * before start() or in the master there is nothing to list anyway. */
typedef struct {
    zend_object *server;
    php_server_t *owner; /* port iterators: compared, dereferenced only while running */
    int listener;
    idlist_t list;
    size_t pos;
    zend_object std;
} php_conn_iter_t;

static inline php_conn_iter_t *iter_from_obj(zend_object *obj) {
    return (php_conn_iter_t *) ((char *) obj - XtOffsetOf(php_conn_iter_t, std));
}

#define THIS_ITER() iter_from_obj(Z_OBJ_P(ZEND_THIS))

static zend_object *conn_iter_create(zend_class_entry *ce) {
    php_conn_iter_t *it = zend_object_alloc(sizeof(php_conn_iter_t), ce);
    it->listener = -1;
    zend_object_std_init(&it->std, ce);
    object_properties_init(&it->std, ce);
    it->std.handlers = &conn_iter_handlers;
    return &it->std;
}

static void conn_iter_free(zend_object *obj) {
    php_conn_iter_t *it = iter_from_obj(obj);
    if (it->list.ids) {
        efree(it->list.ids);
    }
    if (it->server) {
        php_server_from_obj(it->server)->iter = NULL;
    }
    zend_object_std_dtor(obj);
}

void php_server_iter_detach(zend_object *iter) {
    iter_from_obj(iter)->server = NULL;
}

static php_server_t *iter_server(php_conn_iter_t *it) {
    if (it->server) {
        return php_server_from_obj(it->server);
    }
    return it->owner && it->owner == php_server_current() ? it->owner : NULL;
}

static void iter_snapshot(php_conn_iter_t *it) {
    php_server_t *ps = iter_server(it);
    if (it->list.ids) {
        efree(it->list.ids);
    }
    memset(&it->list, 0, sizeof(it->list));
    it->pos = 0;
    if (ps) {
        it->list = list_connections(ps, it->listener);
    }
}

PHP_METHOD(Swoole_Connection_Iterator, __construct) {
    ZEND_PARSE_PARAMETERS_NONE();
}

PHP_METHOD(Swoole_Connection_Iterator, rewind) {
    ZEND_PARSE_PARAMETERS_NONE();
    iter_snapshot(THIS_ITER());
}

PHP_METHOD(Swoole_Connection_Iterator, next) {
    ZEND_PARSE_PARAMETERS_NONE();
    THIS_ITER()->pos++;
}

PHP_METHOD(Swoole_Connection_Iterator, valid) {
    php_conn_iter_t *it = THIS_ITER();
    ZEND_PARSE_PARAMETERS_NONE();
    RETURN_BOOL(it->pos < it->list.n);
}

PHP_METHOD(Swoole_Connection_Iterator, current) {
    php_conn_iter_t *it = THIS_ITER();
    ZEND_PARSE_PARAMETERS_NONE();
    if (it->pos >= it->list.n) {
        RETURN_NULL();
    }
    RETURN_LONG(it->list.ids[it->pos]);
}

PHP_METHOD(Swoole_Connection_Iterator, key) {
    php_conn_iter_t *it = THIS_ITER();
    ZEND_PARSE_PARAMETERS_NONE();
    if (it->pos >= it->list.n) {
        RETURN_NULL();
    }
    RETURN_LONG((zend_long) it->pos);
}

PHP_METHOD(Swoole_Connection_Iterator, count) {
    php_conn_iter_t *it = THIS_ITER();
    php_server_t *ps = iter_server(it);
    int n;

    ZEND_PARSE_PARAMETERS_NONE();
    if (!ps || !ps->started || eddy_server_worker_id(ps->srv) < 0) {
        RETURN_LONG(0);
    }
    if (it->listener >= 0) {
        idlist_t l = list_connections(ps, it->listener);
        if (l.ids) {
            efree(l.ids);
        }
        RETURN_LONG((zend_long) l.n);
    }
    n = eddy_server_connections(ps->srv, NULL, NULL);
    RETURN_LONG(n < 0 ? 0 : n);
}

PHP_METHOD(Swoole_Connection_Iterator, offsetExists) {
    php_conn_iter_t *it = THIS_ITER();
    php_server_t *ps = iter_server(it);
    zval *fd;

    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_ZVAL(fd)
    ZEND_PARSE_PARAMETERS_END();
    if (!ps || !ps->started || eddy_server_worker_id(ps->srv) < 0) {
        RETURN_FALSE;
    }
    if (it->listener >= 0 &&
        eddy_server_session_listener(ps->srv, (int) zval_get_long(fd)) != it->listener) {
        RETURN_FALSE;
    }
    RETURN_BOOL(eddy_server_exists(ps->srv, (int) zval_get_long(fd)) == 1);
}

/* $server->connections[$fd] is getClientInfo($fd). */
PHP_METHOD(Swoole_Connection_Iterator, offsetGet) {
    php_conn_iter_t *it = THIS_ITER();
    zval *fd, arg;

    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_ZVAL(fd)
    ZEND_PARSE_PARAMETERS_END();
    php_server_t *ps = iter_server(it);
    if (!ps) {
        RETURN_FALSE;
    }
    ZVAL_LONG(&arg, zval_get_long(fd));
    zend_call_method_with_1_params(&ps->std, php_swoole_server_ce, NULL, "getclientinfo", return_value,
                                   &arg);
}

/* Read-only, as in Swoole. */
PHP_METHOD(Swoole_Connection_Iterator, offsetSet) {
    zval *fd, *value;
    ZEND_PARSE_PARAMETERS_START(2, 2)
        Z_PARAM_ZVAL(fd)
        Z_PARAM_ZVAL(value)
    ZEND_PARSE_PARAMETERS_END();
}

PHP_METHOD(Swoole_Connection_Iterator, offsetUnset) {
    zval *fd;
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_ZVAL(fd)
    ZEND_PARSE_PARAMETERS_END();
}


void php_server_iter_attach(php_server_t *ps) {
    zval iter;
    object_init_ex(&iter, conn_iter_ce);
    iter_from_obj(Z_OBJ(iter))->server = &ps->std;
    ps->iter = Z_OBJ(iter);
    zend_update_property(php_swoole_server_ce, &ps->std, ZEND_STRL("connections"), &iter);
    zval_ptr_dtor(&iter);
}

void php_server_iter_attach_port(php_server_t *ps, zend_object *port, zend_class_entry *port_ce,
                                 int listener) {
    zval iter;
    object_init_ex(&iter, conn_iter_ce);
    iter_from_obj(Z_OBJ(iter))->owner = ps;
    iter_from_obj(Z_OBJ(iter))->listener = listener;
    zend_update_property(port_ce, port, ZEND_STRL("connections"), &iter);
    zval_ptr_dtor(&iter);
}

void php_server_iter_minit(void) {
    conn_iter_ce = register_class_Swoole_Connection_Iterator(zend_ce_iterator, zend_ce_countable,
                                                             zend_ce_arrayaccess);
    conn_iter_ce->create_object = conn_iter_create;
    memcpy(&conn_iter_handlers, &std_object_handlers, sizeof(conn_iter_handlers));
    conn_iter_handlers.offset = XtOffsetOf(php_conn_iter_t, std);
    conn_iter_handlers.free_obj = conn_iter_free;
    conn_iter_handlers.clone_obj = NULL;
}
