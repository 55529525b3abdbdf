/*
 * Swoole\Server's object and the pieces its subclasses and helpers share
 * (ext/php_server.c owns the object; php_server_iter.c is
 * $server->connections; Http\Server and WebSocket\Server attach a protocol).
 *
 * A protocol (HTTP, WebSocket) is attached at start(): the subclass's
 * create_object sets `proto`, and start() calls proto->attach() after the
 * engine events are set, which may take the server's events over (as
 * eddy_http_server_new does). Protocol events ("request", "open",
 * "message", "handshake") are registered with on() like the others and
 * live in cbs[] too.
 */
#ifndef PHP_SWOOLE_SERVER_H
#define PHP_SWOOLE_SERVER_H

#include "php.h"
#include "zend_smart_str.h"

#include "eddy/server.h"

enum {
    PHP_SERVER_EV_START,
    PHP_SERVER_EV_SHUTDOWN,
    PHP_SERVER_EV_MANAGER_START,
    PHP_SERVER_EV_MANAGER_STOP,
    PHP_SERVER_EV_WORKER_START,
    PHP_SERVER_EV_WORKER_STOP,
    PHP_SERVER_EV_WORKER_EXIT,
    PHP_SERVER_EV_WORKER_ERROR,
    PHP_SERVER_EV_CONNECT,
    PHP_SERVER_EV_RECEIVE,
    PHP_SERVER_EV_PACKET,
    PHP_SERVER_EV_CLOSE,
    PHP_SERVER_EV_TASK,
    PHP_SERVER_EV_FINISH,
    PHP_SERVER_EV_PIPE_MESSAGE,
    /* protocol events: only a protocol fires them */
    PHP_SERVER_EV_REQUEST,
    PHP_SERVER_EV_HANDSHAKE,
    PHP_SERVER_EV_OPEN,
    PHP_SERVER_EV_MESSAGE,
    PHP_SERVER_EV_BEFORE_RELOAD,
    PHP_SERVER_EV_AFTER_RELOAD,
    PHP_SERVER_EV_DISCONNECT, /* WebSocket\Server: a non-WebSocket connection closed */
    PHP_SERVER_EV_COUNT
};

typedef struct php_server_s php_server_t;

typedef struct {
    /* start(), in the master, after the engine events are set: attach the
     * protocol to ps->srv. false (with a warning given) fails start(). */
    bool (*attach)(php_server_t *ps);
    /* set(): an option the protocol takes (document_root...); true when
     * taken (warnings are the protocol's), false passes it on to the
     * server engine. May be NULL. */
    bool (*set_option)(php_server_t *ps, zend_string *key, zval *value);
    /* The object is freed (ps->proto_data is the protocol's). */
    void (*free)(php_server_t *ps);
} php_server_proto_t;

struct php_server_s {
    eddy_server_t *srv;
    eddy_server_config_t cfg; /* set() writes here; start() hands it over */
    zval cbs[PHP_SERVER_EV_COUNT];
    eddy_server_events_t events; /* what start() gave the engine (attach may wrap them) */
    HashTable *finish_cbs; /* task id -> callable given to task() */
    HashTable *warned;     /* unsupported options already warned about */
    zend_object *iter;     /* the connections iterator, not counted (php_server_iter.c) */
    const php_server_proto_t *proto; /* NULL: a plain Swoole\Server */
    void *proto_data;                /* the protocol's, freed by proto->free */
    int sock_type;
    bool enable_coroutine;
    bool started;
    bool broken; /* left the engine by longjmp: its state is not freed */
    zend_object std;
};

extern zend_class_entry *php_swoole_server_ce;

static inline php_server_t *php_server_from_obj(zend_object *obj) {
    return (php_server_t *) ((char *) obj - XtOffsetOf(php_server_t, std));
}

/* The server running in this process (set by start()), or NULL. One per
 * process: start() can only be called once. */
php_server_t *php_server_current(void);

/* create_object of Swoole\Server, for subclasses (they set proto after). */
zend_object *php_server_create_object(zend_class_entry *ce);

/* Calls event `ev` (cb NULL: the registered one) with args; args[0] is set
 * to the server here. In a coroutine when `coro` and enable_coroutine,
 * otherwise a plain call whose return value goes to retval (may be NULL).
 * Releases args[1..argc). Ends the process on a fatal error or exit() in it.
 * The request and handshake events are called without the server (args[0]
 * is skipped), as Swoole calls them. */
void php_server_fire(php_server_t *ps, int ev, zval *cb, zval *args, uint32_t argc, bool coro,
                     zval *retval);

/* Worker-only methods: false with a warning and Swoole's error code
 * (master_code in the master) elsewhere. */
bool php_server_require_worker(php_server_t *ps, int master_code);

/* $server->connections (php_server_iter.c). */
void php_server_iter_minit(void);
void php_server_iter_attach(php_server_t *ps);
void php_server_iter_detach(zend_object *iter);
/* $port->connections: an iterator over listener `listener`'s connections
 * of ps while ps runs in this process. */
void php_server_iter_attach_port(php_server_t *ps, zend_object *port, zend_class_entry *port_ce,
                                 int listener);

/* Tasks (php_server_task.c). A payload (task, taskwait, finish,
 * sendMessage) is a tag byte and bytes: 'S' and a string as is, 'Z' and
 * serialize() output. pack appends to out (false if serialize() threw, out
 * freed); unpack sets out (false with a warning for a corrupt payload). */
bool php_server_pack(zval *v, smart_str *out);
void php_server_unpack(const char *data, size_t len, zval *out);
/* The engine's on_task / on_finish for the running server. */
void php_server_on_task(eddy_server_t *srv, int task_id, int src_worker_id, const char *data,
                        size_t len);
void php_server_on_finish(eddy_server_t *srv, int task_id, const char *data, size_t len);

/* Swoole\Server\Port (php_server_port.c). */
void php_server_port_minit(void);
/* A Port for listener `index`, appended to $server->ports; out (may be
 * NULL) gets a reference to it. */
void php_server_port_add(php_server_t *ps, int index, const char *host, int port, int type,
                         zval *out);
/* The server object is being freed: its ports forget it. */
void php_server_ports_detach(php_server_t *ps);
/* start(), after the server's options are configured: applies each port's
 * set() options to its listener (false, warned, on a bad one) and makes
 * the ports' callbacks this process's. _stop releases that table. */
bool php_server_ports_start(php_server_t *ps);
void php_server_ports_stop(void);
/* true when some port of the running server has a callback for event ev
 * (PHP_SERVER_EV_CONNECT, _RECEIVE, _CLOSE, _PACKET). */
bool php_server_ports_handle(int ev);
/* That callback for the connections of listener `listener`, or NULL (the
 * server's own callback applies). */
zval *php_server_port_cb(int listener, int ev);

/* Methods of a running server: false with a warning ("server is not
 * running") unless start() runs in this process or one it forked. */
bool php_server_require_started(php_server_t *ps);
/* time() when the running server's start() began (stats()). */
time_t php_server_start_time(void);
/* php_server_control.c: the SWOOLE_WORKER_* constants. */
void php_server_control_minit(int module_number);

#endif /* PHP_SWOOLE_SERVER_H */
