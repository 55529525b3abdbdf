/*
 * Swoole\Coroutine\Client: Swoole's TCP/UDP/unix client. The connection is
 * a Swoole\Coroutine\Socket object made by connect() (exportSocket() hands
 * it out), so every operation is the Socket's (php_coio.h).
 *
 * Timeouts follow Swoole's rules: set() gives timeout (all kinds),
 * connect_timeout, read_timeout, write_timeout; connect()'s $timeout is the
 * connect timeout and also the read/write timeout unless set() gave those;
 * a method's own $timeout wins for that call.
 *
 * The framing options (open_eof_check, open_eof_split, open_length_check and
 * their package_* settings) go to the engine socket (eddy_socket_set_framing)
 * and recv() returns one complete message (eddy_socket_recv_packet), as
 * Swoole's client does; parsing them is the engine's option table's job.
 *
 * SSL (SWOOLE_SOCK_TCP | SWOOLE_SSL, or enableSSL() on a connected client)
 * is the engine's TLS on the connection's socket, set up from the ssl_*
 * settings (php_ssl_settings.h); every operation of the Socket then moves
 * plaintext through it.
 */
#include "php_swoole.h"
#include "php_coroutine.h"
#include "php_coio.h"
#include "client_arginfo.h"
#include "zend_exceptions.h"
#include "ext/standard/php_array.h"
#include "php_ssl_settings.h"

#include "eddy/base.h"
#include "eddy/tls.h"

/* Swoole's socket kinds and flags (SWOOLE_SOCK_*, SWOOLE_SSL). */
#define CLIENT_KIND_MASK 0xff
#define CLIENT_FLAG_SSL (1 << 9)
#define CLIENT_ERROR_NO_CONNECTION 5001 /* SWOOLE_ERROR_CLIENT_NO_CONNECTION */
#define CLIENT_RECV_SIZE 65536          /* Swoole's SW_CLIENT_BUFFER_SIZE */

enum { T_CONNECT, T_READ, T_WRITE, T_KINDS };

typedef struct {
    zval socket;              /* Socket object; UNDEF before connect / after close */
    eddy_sock_type_t kind;
    bool connected;
    int64_t timeout[T_KINDS]; /* from set(); EDDY_TIMEOUT_DEFAULT if not given */
    eddy_framing_t framing;   /* from set(); mode NONE: recv() returns what arrives */
    bool ssl;                 /* SWOOLE_SSL: TLS right after connect */
    char host[256];           /* connect()'s host: TLS's default peer name */
    zend_object std;
} php_client_t;

static zend_class_entry *client_ce;
static zend_object_handlers client_handlers;

static php_client_t *client_from_obj(zend_object *obj) {
    return (php_client_t *) ((char *) obj - XtOffsetOf(php_client_t, std));
}

#define THIS_CLIENT() client_from_obj(Z_OBJ_P(ZEND_THIS))

static zend_object *client_create_object(zend_class_entry *ce) {
    php_client_t *c = zend_object_alloc(sizeof(php_client_t), ce);

    zend_object_std_init(&c->std, ce);
    object_properties_init(&c->std, ce);
    c->std.handlers = &client_handlers;
    ZVAL_UNDEF(&c->socket);
    for (int i = 0; i < T_KINDS; i++) {
        c->timeout[i] = EDDY_TIMEOUT_DEFAULT;
    }
    eddy_framing_init_none(&c->framing);
    return &c->std;
}

static void client_free_object(zend_object *obj) {
    php_client_t *c = client_from_obj(obj);

    zval_ptr_dtor(&c->socket);
    ZVAL_UNDEF(&c->socket);
    zend_object_std_dtor(obj);
}

static HashTable *client_get_gc(zend_object *obj, zval **table, int *n) {
    php_client_t *c = client_from_obj(obj);

    *table = &c->socket;
    *n = 1;
    return zend_std_get_properties(obj);
}

static void set_error(php_client_t *c, int code, const char *msg) {
    zend_update_property_long(client_ce, &c->std, ZEND_STRL("errCode"), code);
    zend_update_property_string(client_ce, &c->std, ZEND_STRL("errMsg"), msg ? msg : "");
    if (code) {
        php_swoole_set_error(code);
    }
}

/* Copies the socket's errCode/errMsg after an operation. */
static void sync_error(php_client_t *c, php_cosocket_t *ps) {
    set_error(c, php_cosocket_errcode(ps), php_cosocket_errmsg(ps));
}

static void set_connected(php_client_t *c, bool on) {
    c->connected = on;
    zend_update_property_bool(client_ce, &c->std, ZEND_STRL("connected"), on);
    if (!on) {
        zend_update_property_long(client_ce, &c->std, ZEND_STRL("fd"), -1);
    }
}

/* The connection's Socket with a reference held for the call (another
 * coroutine may close the client while this one waits), or NULL with
 * errCode "no connection". Release with OBJ_RELEASE(php_cosocket_obj(ps)). */
static php_cosocket_t *hold_socket(php_client_t *c) {
    php_cosocket_t *ps;

    if (Z_TYPE(c->socket) != IS_OBJECT || !c->connected) {
        set_error(c, CLIENT_ERROR_NO_CONNECTION, php_swoole_error_message(CLIENT_ERROR_NO_CONNECTION));
        return NULL;
    }
    ps = php_cosocket_from_obj(Z_OBJ(c->socket));
    GC_ADDREF(php_cosocket_obj(ps));
    return ps;
}

static void drop_socket(php_client_t *c) {
    zval old;

    if (Z_TYPE(c->socket) != IS_OBJECT) {
        return;
    }
    ZVAL_COPY_VALUE(&old, &c->socket);
    ZVAL_UNDEF(&c->socket);
    php_cosocket_close(php_cosocket_from_obj(Z_OBJ(old)));
    zval_ptr_dtor(&old);
}

/* Timeouts and framing from set() onto the connection's socket. */
static void apply_timeouts(php_client_t *c, eddy_socket_t *s) {
    static const unsigned which[T_KINDS] = {EDDY_TIMEOUT_CONNECT, EDDY_TIMEOUT_READ,
                                            EDDY_TIMEOUT_WRITE};
    for (int i = 0; i < T_KINDS; i++) {
        if (c->timeout[i] != EDDY_TIMEOUT_DEFAULT) {
            eddy_socket_set_timeout(s, which[i], c->timeout[i]);
        }
    }
    eddy_socket_set_framing(s, &c->framing);
}

static bool is_dgram(eddy_sock_type_t kind);

/* ---- methods -------------------------------------------------------------- */

PHP_METHOD(Swoole_Coroutine_Client, __construct) {
    zend_long type;
    php_client_t *c = THIS_CLIENT();
    zend_long kind;

    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_LONG(type)
    ZEND_PARSE_PARAMETERS_END();

    kind = type & CLIENT_KIND_MASK;
    if (kind < EDDY_SOCK_TCP || kind > EDDY_SOCK_UNIX_DGRAM) {
        zend_argument_value_error(1, "must be one of the SWOOLE_SOCK_* socket types");
        RETURN_THROWS();
    }
    if ((type & CLIENT_FLAG_SSL) && is_dgram((eddy_sock_type_t) kind)) {
        zend_throw_exception(php_swoole_exception_ce, "SSL over datagrams (DTLS) is not supported",
                             EPROTONOSUPPORT);
        RETURN_THROWS();
    }
    c->kind = (eddy_sock_type_t) kind;
    c->ssl = (type & CLIENT_FLAG_SSL) != 0;
    zend_update_property_long(client_ce, &c->std, ZEND_STRL("type"), type);
}

/* Protocols Swoole's client parses that this build does not. */
static const char *const unsupported_options[] = {
    "open_mqtt_protocol", "open_fastcgi_protocol", NULL,
};

static void set_timeout_option(php_client_t *c, HashTable *opts, const char *key, int from,
                               int to) {
    zval *v = zend_hash_str_find(opts, key, strlen(key));
    double t;

    if (!v) {
        return;
    }
    t = zval_get_double(v);
    if (t == 0) {
        return; /* Swoole: 0 leaves the timeout as it is */
    }
    for (int i = from; i <= to; i++) {
        c->timeout[i] = php_coio_timeout(t);
    }
}

PHP_METHOD(Swoole_Coroutine_Client, set) {
    HashTable *opts;
    php_client_t *c = THIS_CLIENT();
    zval *setting, merged;
    eddy_framing_t framing;
    bool ok;

    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_ARRAY_HT(opts)
    ZEND_PARSE_PARAMETERS_END();

    set_timeout_option(c, opts, "timeout", T_CONNECT, T_WRITE);
    set_timeout_option(c, opts, "connect_timeout", T_CONNECT, T_CONNECT);
    set_timeout_option(c, opts, "read_timeout", T_READ, T_READ);
    set_timeout_option(c, opts, "write_timeout", T_WRITE, T_WRITE);
    if (zend_hash_str_find(opts, ZEND_STRL("open_ssl"))) {
        c->ssl = zend_is_true(zend_hash_str_find(opts, ZEND_STRL("open_ssl")));
    }
    for (int i = 0; unsupported_options[i]; i++) {
        zval *v = zend_hash_str_find(opts, unsupported_options[i], strlen(unsupported_options[i]));
        if (v && zend_is_true(v)) {
            php_error_docref(NULL, E_WARNING, "option '%s' is not supported yet and is ignored",
                             unsupported_options[i]);
        }
    }
    /* $this->setting = array_merge($this->setting ?? [], $settings) */
    setting = zend_read_property(client_ce, &c->std, ZEND_STRL("setting"), 1, NULL);
    if (setting && Z_TYPE_P(setting) == IS_ARRAY) {
        ZVAL_ARR(&merged, zend_array_dup(Z_ARRVAL_P(setting)));
    } else {
        array_init(&merged);
    }
    php_array_merge(Z_ARRVAL(merged), opts);
    /* Framing from all settings so far: a later set(['timeout' => 1])
     * keeps the protocol. */
    ok = php_coio_framing_from_array(Z_ARRVAL(merged), &framing);
    if (ok) {
        c->framing = framing;
        zend_update_property(client_ce, &c->std, ZEND_STRL("setting"), &merged);
    }
    zval_ptr_dtor(&merged);
    if (Z_TYPE(c->socket) == IS_OBJECT) {
        eddy_socket_t *s = php_cosocket_engine(php_cosocket_from_obj(Z_OBJ(c->socket)));
        if (s) {
            apply_timeouts(c, s);
        }
    }
    RETURN_BOOL(ok);
}

/* TLS on the connection (ssl_* settings), handshake included; false with
 * errCode/errMsg set (SWOOLE_ERROR_SSL_*, OpenSSL's reason) on failure. */
static bool start_ssl(php_client_t *c) {
    zval *setting = zend_read_property(client_ce, &c->std, ZEND_STRL("setting"), 1, NULL);
    HashTable *ht = setting && Z_TYPE_P(setting) == IS_ARRAY ? Z_ARRVAL_P(setting) : NULL;
    eddy_socket_t *s = php_cosocket_engine(php_cosocket_from_obj(Z_OBJ(c->socket)));
    int rc;

    if (!s) {
        set_error(c, -EDDY_EBADF, eddy_strerror(EDDY_EBADF));
        return false;
    }
    /* the Socket object stays alive across the wait: c holds it */
    rc = php_ssl_client_start(s, ht, c->host, EDDY_TIMEOUT_DEFAULT);
    if (!php_coro_after_switch()) {
        return false;
    }
    if (rc < 0) {
        set_error(c, -rc, eddy_socket_errmsg(s));
        return false;
    }
    return true;
}

PHP_METHOD(Swoole_Coroutine_Client, enableSSL) {
    php_client_t *c = THIS_CLIENT();
    php_cosocket_t *ps;
    bool ok;

    ZEND_PARSE_PARAMETERS_NONE();
    if (!php_coro_require()) {
        RETURN_THROWS();
    }
    if (!(ps = hold_socket(c))) {
        RETURN_FALSE;
    }
    if (eddy_socket_tls_on(php_cosocket_engine(ps))) {
        php_error_docref(NULL, E_WARNING, "SSL has already been enabled");
        OBJ_RELEASE(php_cosocket_obj(ps));
        RETURN_FALSE;
    }
    ok = start_ssl(c);
    OBJ_RELEASE(php_cosocket_obj(ps));
    if (EG(exception)) {
        RETURN_THROWS();
    }
    c->ssl = c->ssl || ok;
    RETURN_BOOL(ok);
}

PHP_METHOD(Swoole_Coroutine_Client, getPeerCert) {
    php_client_t *c = THIS_CLIENT();
    php_cosocket_t *ps;
    size_t size = 65536; /* a certificate is a few KiB */
    char *pem;
    int rc;

    ZEND_PARSE_PARAMETERS_NONE();
    if (!(ps = hold_socket(c))) {
        RETURN_FALSE;
    }
    pem = emalloc(size);
    rc = eddy_socket_tls_peer_cert_pem(php_cosocket_engine(ps), pem, size);
    OBJ_RELEASE(php_cosocket_obj(ps));
    if (rc < 0) {
        set_error(c, -rc, eddy_strerror(rc));
        efree(pem);
        RETURN_FALSE;
    }
    RETVAL_STRINGL(pem, (size_t) rc);
    efree(pem);
}

PHP_METHOD(Swoole_Coroutine_Client, connect) {
    zend_string *host;
    zend_long port = 0, sock_flag = 0;
    double timeout = 0.5;
    php_client_t *c = THIS_CLIENT();
    php_cosocket_t *ps;
    eddy_socket_t *s;
    int64_t t;
    int err = 0;

    ZEND_PARSE_PARAMETERS_START(1, 4)
        Z_PARAM_PATH_STR(host)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(port)
        Z_PARAM_DOUBLE(timeout)
        Z_PARAM_LONG(sock_flag)
    ZEND_PARSE_PARAMETERS_END();
    (void) sock_flag; /* Swoole's async-connect flag: every connect here is */

    if (!php_coro_require()) {
        RETURN_THROWS();
    }
    if (c->connected) {
        php_error_docref(NULL, E_WARNING, "connection to the server has already been established");
        RETURN_FALSE;
    }
    drop_socket(c); /* a failed earlier attempt */
    if (!php_cosocket_create(&c->socket, c->kind, &err)) {
        set_error(c, -err, eddy_strerror(err));
        php_error_docref(NULL, E_WARNING, "new Socket() failed: %s", eddy_strerror(err));
        RETURN_FALSE;
    }
    ps = php_cosocket_from_obj(Z_OBJ(c->socket));
    s = php_cosocket_engine(ps);
    apply_timeouts(c, s);
    t = php_coio_timeout(timeout);
    if (t != EDDY_TIMEOUT_DEFAULT) {
        eddy_socket_set_timeout(s, EDDY_TIMEOUT_CONNECT, t);
        if (c->timeout[T_READ] == EDDY_TIMEOUT_DEFAULT) {
            eddy_socket_set_timeout(s, EDDY_TIMEOUT_READ, t);
        }
        if (c->timeout[T_WRITE] == EDDY_TIMEOUT_DEFAULT) {
            eddy_socket_set_timeout(s, EDDY_TIMEOUT_WRITE, t);
        }
    }
    zend_update_property_long(client_ce, &c->std, ZEND_STRL("fd"), eddy_socket_fd(s));
    GC_ADDREF(php_cosocket_obj(ps));
    php_cosocket_connect(ps, host, port, EDDY_TIMEOUT_DEFAULT, return_value);
    sync_error(c, ps);
    OBJ_RELEASE(php_cosocket_obj(ps));
    if (EG(exception)) {
        RETURN_THROWS();
    }
    snprintf(c->host, sizeof(c->host), "%s", ZSTR_VAL(host));
    if (Z_TYPE_P(return_value) == IS_TRUE && c->ssl && !start_ssl(c)) {
        if (EG(exception)) {
            RETURN_THROWS();
        }
        ZVAL_FALSE(return_value);
    }
    if (Z_TYPE_P(return_value) == IS_TRUE) {
        set_connected(c, true);
    } else {
        /* Swoole: a failed (or timed out) connect closes the socket. */
        drop_socket(c);
        set_connected(c, false);
    }
}

PHP_METHOD(Swoole_Coroutine_Client, recv) {
    double timeout = 0;
    php_client_t *c = THIS_CLIENT();
    php_cosocket_t *ps;

    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_DOUBLE(timeout)
    ZEND_PARSE_PARAMETERS_END();

    if (!php_coro_require()) {
        RETURN_THROWS();
    }
    if (!(ps = hold_socket(c))) {
        RETURN_FALSE;
    }
    if (c->framing.mode != EDDY_FRAMING_NONE) {
        php_cosocket_recv_packet(ps, php_coio_timeout(timeout), return_value);
    } else {
        php_cosocket_recv(ps, CLIENT_RECV_SIZE, php_coio_timeout(timeout), false, return_value);
    }
    sync_error(c, ps);
    OBJ_RELEASE(php_cosocket_obj(ps));
}

PHP_METHOD(Swoole_Coroutine_Client, send) {
    zend_string *data;
    double timeout = 0;
    php_client_t *c = THIS_CLIENT();
    php_cosocket_t *ps;

    ZEND_PARSE_PARAMETERS_START(1, 2)
        Z_PARAM_STR(data)
        Z_PARAM_OPTIONAL
        Z_PARAM_DOUBLE(timeout)
    ZEND_PARSE_PARAMETERS_END();

    if (!php_coro_require()) {
        RETURN_THROWS();
    }
    if (ZSTR_LEN(data) == 0) {
        php_error_docref(NULL, E_WARNING, "data to send is empty");
        RETURN_FALSE;
    }
    if (!(ps = hold_socket(c))) {
        RETURN_FALSE;
    }
    /* Swoole's client sends everything it is given (send_all). */
    php_cosocket_send(ps, data, php_coio_timeout(timeout), true, return_value);
    sync_error(c, ps);
    OBJ_RELEASE(php_cosocket_obj(ps));
}

PHP_METHOD(Swoole_Coroutine_Client, sendfile) {
    zend_string *file;
    zend_long offset = 0, length = 0;
    php_client_t *c = THIS_CLIENT();
    php_cosocket_t *ps;
    bool ok;

    ZEND_PARSE_PARAMETERS_START(1, 3)
        Z_PARAM_PATH_STR(file)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(offset)
        Z_PARAM_LONG(length)
    ZEND_PARSE_PARAMETERS_END();

    if (!php_coro_require()) {
        RETURN_THROWS();
    }
    if (!(ps = hold_socket(c))) {
        RETURN_FALSE;
    }
    ok = php_cosocket_sendfile(ps, file, offset, length);
    sync_error(c, ps);
    OBJ_RELEASE(php_cosocket_obj(ps));
    if (EG(exception)) {
        RETURN_THROWS();
    }
    RETURN_BOOL(ok);
}

static bool is_dgram(eddy_sock_type_t kind) {
    return kind == EDDY_SOCK_UDP || kind == EDDY_SOCK_UDP6 || kind == EDDY_SOCK_UNIX_DGRAM;
}

/* A datagram client needs no connect() for sendto()/recvfrom(): its socket
 * is made on first use. Returns it held, as hold_socket() does. */
static php_cosocket_t *hold_dgram_socket(php_client_t *c) {
    php_cosocket_t *ps;
    int err = 0;

    if (!is_dgram(c->kind)) {
        php_error_docref(NULL, E_WARNING, "only a UDP or unix dgram client can use this method");
        return NULL;
    }
    if (Z_TYPE(c->socket) != IS_OBJECT) {
        if (!php_cosocket_create(&c->socket, c->kind, &err)) {
            set_error(c, -err, eddy_strerror(err));
            return NULL;
        }
        eddy_socket_t *s = php_cosocket_engine(php_cosocket_from_obj(Z_OBJ(c->socket)));
        /* No connect() to take a timeout from: Swoole's defaults, then set()'s. */
        eddy_socket_set_timeout(s, EDDY_TIMEOUT_READ, php_coio_default_timeout("read"));
        eddy_socket_set_timeout(s, EDDY_TIMEOUT_WRITE, php_coio_default_timeout("write"));
        apply_timeouts(c, s);
    }
    ps = php_cosocket_from_obj(Z_OBJ(c->socket));
    GC_ADDREF(php_cosocket_obj(ps));
    return ps;
}

PHP_METHOD(Swoole_Coroutine_Client, sendto) {
    zend_string *addr, *data;
    zend_long port;
    php_client_t *c = THIS_CLIENT();
    php_cosocket_t *ps;

    ZEND_PARSE_PARAMETERS_START(3, 3)
        Z_PARAM_PATH_STR(addr)
        Z_PARAM_LONG(port)
        Z_PARAM_STR(data)
    ZEND_PARSE_PARAMETERS_END();

    if (!php_coro_require()) {
        RETURN_THROWS();
    }
    if (!(ps = hold_dgram_socket(c))) {
        RETURN_FALSE;
    }
    php_cosocket_sendto(ps, addr, port, data, return_value);
    sync_error(c, ps);
    OBJ_RELEASE(php_cosocket_obj(ps));
    if (EG(exception)) {
        RETURN_THROWS();
    }
    RETURN_BOOL(Z_TYPE_P(return_value) == IS_LONG);
}

PHP_METHOD(Swoole_Coroutine_Client, recvfrom) {
    zend_long length;
    zval *address, *port = NULL;
    php_client_t *c = THIS_CLIENT();
    php_cosocket_t *ps;
    eddy_addr_t from;

    ZEND_PARSE_PARAMETERS_START(2, 3)
        Z_PARAM_LONG(length)
        Z_PARAM_ZVAL(address)
        Z_PARAM_OPTIONAL
        Z_PARAM_ZVAL(port)
    ZEND_PARSE_PARAMETERS_END();

    if (length <= 0 || (zend_ulong) length > ZSTR_MAX_LEN) {
        zend_argument_value_error(1, "must be greater than 0");
        RETURN_THROWS();
    }
    if (!php_coro_require()) {
        RETURN_THROWS();
    }
    if (!(ps = hold_dgram_socket(c))) {
        RETURN_FALSE;
    }
    php_cosocket_recvfrom(ps, length, EDDY_TIMEOUT_DEFAULT, &from, return_value);
    sync_error(c, ps);
    OBJ_RELEASE(php_cosocket_obj(ps));
    if (EG(exception)) {
        RETURN_THROWS();
    }
    if (Z_TYPE_P(return_value) == IS_STRING) {
        zval host, p;
        php_coio_addr_parts(&from, &host, &p);
        ZEND_TRY_ASSIGN_REF_TMP(address, &host);
        if (port) {
            ZEND_TRY_ASSIGN_REF_TMP(port, &p);
        }
    }
}

PHP_METHOD(Swoole_Coroutine_Client, exportSocket) {
    php_client_t *c = THIS_CLIENT();

    ZEND_PARSE_PARAMETERS_NONE();
    if (Z_TYPE(c->socket) != IS_OBJECT) {
        set_error(c, CLIENT_ERROR_NO_CONNECTION, php_swoole_error_message(CLIENT_ERROR_NO_CONNECTION));
        RETURN_FALSE;
    }
    RETURN_COPY(&c->socket);
}

PHP_METHOD(Swoole_Coroutine_Client, isConnected) {
    ZEND_PARSE_PARAMETERS_NONE();
    RETURN_BOOL(THIS_CLIENT()->connected);
}

static void name_method(INTERNAL_FUNCTION_PARAMETERS, bool peer) {
    php_client_t *c = THIS_CLIENT();
    php_cosocket_t *ps;

    ZEND_PARSE_PARAMETERS_NONE();
    if (!(ps = hold_socket(c))) {
        RETURN_FALSE;
    }
    php_cosocket_name(ps, peer, return_value);
    sync_error(c, ps);
    OBJ_RELEASE(php_cosocket_obj(ps));
}

PHP_METHOD(Swoole_Coroutine_Client, getsockname) {
    name_method(INTERNAL_FUNCTION_PARAM_PASSTHRU, false);
}

PHP_METHOD(Swoole_Coroutine_Client, getpeername) {
    name_method(INTERNAL_FUNCTION_PARAM_PASSTHRU, true);
}

PHP_METHOD(Swoole_Coroutine_Client, close) {
    php_client_t *c = THIS_CLIENT();
    bool had = Z_TYPE(c->socket) == IS_OBJECT;

    ZEND_PARSE_PARAMETERS_NONE();
    set_connected(c, false);
    drop_socket(c);
    if (EG(exception)) {
        RETURN_THROWS();
    }
    RETURN_BOOL(had);
}

/* ---- registration --------------------------------------------------------- */

static void register_constant(const char *name, zend_long value, int module_number) {
    if (zend_get_constant_str(name, strlen(name))) {
        return; /* another family (the server's) registered it */
    }
    zend_register_long_constant(name, strlen(name), value, CONST_CS | CONST_PERSISTENT,
                                module_number);
}

void php_swoole_client_minit(int module_number) {
    register_constant("SWOOLE_SOCK_TCP", EDDY_SOCK_TCP, module_number);
    register_constant("SWOOLE_SOCK_TCP6", EDDY_SOCK_TCP6, module_number);
    register_constant("SWOOLE_SOCK_UDP", EDDY_SOCK_UDP, module_number);
    register_constant("SWOOLE_SOCK_UDP6", EDDY_SOCK_UDP6, module_number);
    register_constant("SWOOLE_SOCK_UNIX_STREAM", EDDY_SOCK_UNIX_STREAM, module_number);
    register_constant("SWOOLE_SOCK_UNIX_DGRAM", EDDY_SOCK_UNIX_DGRAM, module_number);
    register_constant("SWOOLE_SOCK_SYNC", 0, module_number);
    register_constant("SWOOLE_SOCK_ASYNC", 1, module_number);
    register_constant("SWOOLE_SSL", CLIENT_FLAG_SSL, module_number);
    php_ssl_settings_register_constants(module_number);

    client_ce = register_class_Swoole_Coroutine_Client();
    client_ce->create_object = client_create_object;
    memcpy(&client_handlers, zend_get_std_object_handlers(), sizeof(client_handlers));
    client_handlers.offset = XtOffsetOf(php_client_t, std);
    client_handlers.free_obj = client_free_object;
    client_handlers.get_gc = client_get_gc;
    client_handlers.clone_obj = NULL;
    if (php_swoole_use_shortname()) {
        zend_register_class_alias("Co\\Client", client_ce);
    }
}
