/*
 * Swoole\Http\Request: one request of Swoole\Http\Server, as plain PHP
 * arrays (see php_http.h for lifetimes).
 *
 * Everything is built when the object is made, because the engine's request
 * is released when the response ends and a handler may read $request after
 * end(). The cost is kept to what the request carries: `header` and `server`
 * are always built (nearly every application reads them); `get`, `cookie`
 * and `post` only when there is a query string, a Cookie header or a form
 * body, and stay null otherwise, as in Swoole.
 *
 * get and post are parsed by PHP's own treat_data (PARSE_STRING), as Swoole
 * does, so "a[]=1&a[]=2" gives arrays and max_input_vars applies. Cookie
 * values are url-decoded as PHP's $_COOKIE (Swoole's http_parse_cookie).
 */
#include "php_swoole.h"
#include "php_http.h"
#include "SAPI.h"
#include "php_variables.h"
#include "ext/standard/url.h"

#include "eddy/server.h"

zend_class_entry *php_http_request_ce;
static zend_object_handlers request_handlers;

/* Slots of the declared properties, found at MINIT. */
static uint32_t slot_fd, slot_header, slot_server, slot_cookie, slot_get, slot_post, slot_files,
    slot_tmpfiles;

/* Keys of $request->server, interned once (hash computed once). */
enum {
    K_QUERY_STRING,
    K_REQUEST_METHOD,
    K_REQUEST_URI,
    K_PATH_INFO,
    K_REQUEST_TIME,
    K_REQUEST_TIME_FLOAT,
    K_SERVER_PROTOCOL,
    K_SERVER_PORT,
    K_REMOTE_PORT,
    K_REMOTE_ADDR,
    K_MASTER_TIME,
    K_COUNT
};
static const char *const key_names[K_COUNT] = {
    "query_string", "request_method", "request_uri", "path_info", "request_time",
    "request_time_float", "server_protocol", "server_port", "remote_port", "remote_addr",
    "master_time"};
static zend_string *keys[K_COUNT];
static zend_string *proto_10, *proto_11;
/* The usual methods, interned: no allocation for them per request. */
static const char *const method_names[] = {"GET", "POST", "HEAD", "PUT", "DELETE", "PATCH",
                                           "OPTIONS"};
#define N_METHODS (sizeof(method_names) / sizeof(method_names[0]))
static zend_string *methods[N_METHODS];

static php_http_request_t *request_from_obj(zend_object *obj) {
    return (php_http_request_t *) ((char *) obj - XtOffsetOf(php_http_request_t, std));
}

#define THIS_REQUEST() request_from_obj(Z_OBJ_P(ZEND_THIS))

static zend_object *request_create_object(zend_class_entry *ce) {
    php_http_request_t *r = zend_object_alloc(sizeof(php_http_request_t), ce);

    zend_object_std_init(&r->std, ce);
    object_properties_init(&r->std, ce);
    r->std.handlers = &request_handlers;
    return &r->std;
}

static void request_free(zend_object *obj) {
    php_http_request_t *r = request_from_obj(obj);

    if (r->response) {
        r->response->request = NULL;
        php_http_request_done(r); /* not ended yet: its temp files go with it */
    }
    if (r->body) {
        zend_string_release(r->body);
    }
    if (r->data) {
        zend_string_release(r->data);
    }
    if (r->method) {
        zend_string_release(r->method);
    }
    zend_object_std_dtor(obj);
}

/* ---- building ---------------------------------------------------------------- */

static zval *prop(php_http_request_t *r, uint32_t slot) {
    return OBJ_PROP(&r->std, slot);
}

/* Names come lower-cased from the engine; a repeated header keeps its last
 * value, as Swoole's parser callback overwrites. */
static void build_header(const eddy_http_request_t *req, zval *out) {
    array_init_size(out, (uint32_t) req->num_headers);
    for (size_t i = 0; i < req->num_headers; i++) {
        const eddy_http_header_t *h = &req->headers[i];
        zval v;
        ZVAL_STRINGL_FAST(&v, h->value, h->value_len);
        zend_symtable_str_update(Z_ARRVAL_P(out), h->name, h->name_len, &v);
    }
}

static void add_str(HashTable *ht, int k, const char *s, size_t n) {
    zval v;
    ZVAL_STRINGL_FAST(&v, s, n);
    zend_hash_add_new(ht, keys[k], &v);
}

static zend_string *method_string(const char *m, size_t n) {
    for (size_t i = 0; i < N_METHODS; i++) {
        if (ZSTR_LEN(methods[i]) == n && memcmp(ZSTR_VAL(methods[i]), m, n) == 0) {
            return methods[i]; /* interned: copies and releases are no-ops */
        }
    }
    return zend_string_init(m, n, 0);
}

static void add_long(HashTable *ht, int k, zend_long n) {
    zval v;
    ZVAL_LONG(&v, n);
    zend_hash_add_new(ht, keys[k], &v);
}

/* The addresses of a connection do not change: they are looked up once per
 * connection (eddy_server_client_info formats the peer with inet_ntop, a
 * few percent of a keep-alive request) and kept in a small direct-mapped
 * table. PROCESS mode session ids count up to INT_MAX, so an entry holding
 * the session is that connection's; BASE mode ids recycle a generation
 * counter per fd, so a new connection forgets its id's entry
 * (php_http_peer_forget from on_connect). Per process: workers serve their
 * own requests. */
#define PEER_SLOTS 256
typedef struct {
    int session;        /* 0: empty */
    int remote_port;
    int server_port;
    zend_string *addr;  /* owned by the slot */
} peer_t;
static peer_t peers[PEER_SLOTS];

static const peer_t *peer_of(int fd) {
    peer_t *p = &peers[(unsigned) fd % PEER_SLOTS];
    eddy_server_t *srv = php_http_server_engine();
    eddy_server_client_info_t info;

    if (p->session == fd && fd > 0) {
        return p;
    }
    if (!srv || eddy_server_client_info(srv, fd, &info) < 0) {
        static const peer_t none = {0};
        return &none; /* the client has gone: zeros and "" as Swoole gives */
    }
    if (p->addr) {
        zend_string_release(p->addr);
    }
    p->session = fd;
    p->remote_port = info.remote_port;
    p->server_port = info.server_port;
    p->addr = zend_string_init(info.remote_ip, strlen(info.remote_ip), 0);
    return p;
}

void php_http_peer_forget(int fd) {
    peer_t *p = &peers[(unsigned) fd % PEER_SLOTS];

    if (p->session == fd) {
        p->session = 0;
    }
}

/* Swoole's keys, in its order; request_uri is the path without the query.
 * master_time is Swoole's time of the connection's last data: the time the
 * head arrived. */
static void build_server(php_http_request_t *r, eddy_http_request_t *req, zval *out) {
    const peer_t *peer = peer_of(eddy_http_request_fd(req));
    double now = eddy_http_request_time(req);
    HashTable *ht;
    zval v;

    array_init_size(out, K_COUNT);
    ht = Z_ARRVAL_P(out);
    if (req->query) {
        add_str(ht, K_QUERY_STRING, req->query, req->query_len);
    }
    r->method = method_string(req->method, req->method_len);
    ZVAL_STR_COPY(&v, r->method);
    zend_hash_add_new(ht, keys[K_REQUEST_METHOD], &v);
    ZVAL_STRINGL_FAST(&v, req->path, req->path_len); /* one string for both keys */
    zend_hash_add_new(ht, keys[K_REQUEST_URI], &v);
    Z_TRY_ADDREF(v);
    zend_hash_add_new(ht, keys[K_PATH_INFO], &v);
    add_long(ht, K_REQUEST_TIME, (zend_long) now);
    ZVAL_DOUBLE(&v, now);
    zend_hash_add_new(ht, keys[K_REQUEST_TIME_FLOAT], &v);
    ZVAL_INTERNED_STR(&v, req->version_minor == 0 ? proto_10 : proto_11);
    zend_hash_add_new(ht, keys[K_SERVER_PROTOCOL], &v);

    add_long(ht, K_SERVER_PORT, peer->server_port);
    add_long(ht, K_REMOTE_PORT, peer->remote_port);
    if (peer->addr) {
        ZVAL_STR_COPY(&v, peer->addr);
    } else {
        ZVAL_EMPTY_STRING(&v);
    }
    zend_hash_add_new(ht, keys[K_REMOTE_ADDR], &v);
    add_long(ht, K_MASTER_TIME, (zend_long) now);
}

/* "k=v&..." through PHP's treat_data, which takes ownership of the copy. */
static void parse_query(const char *s, size_t n, zval *out) {
    array_init(out);
    sapi_module.treat_data(PARSE_STRING, estrndup(s, n), out);
}

static void build_cookie(const char *s, size_t n, zval *out) {
    eddy_http_iter_t it;
    eddy_http_pair_t p;

    array_init(out);
    eddy_http_cookie_iter_init(&it, s, n);
    while (eddy_http_iter_next(&it, &p)) {
        zval v;
        if (p.key_len == 0) {
            continue;
        }
        ZVAL_STRINGL(&v, p.value, p.value_len);
        Z_STRLEN(v) = php_url_decode(Z_STRVAL(v), Z_STRLEN(v));
        zend_symtable_str_update(Z_ARRVAL_P(out), p.key, p.key_len, &v);
    }
}

/* Whether the Content-Type (n bytes at ct) is of media type `type`. */
static bool is_type(const char *ct, size_t n, const char *type, size_t tlen) {
    return ct && n >= tlen && strncasecmp(ct, type, tlen) == 0;
}

void php_http_request_new(eddy_http_request_t *req, zval *zreq) {
    php_http_request_t *r;
    const char *s, *ct;
    size_t n, ctlen;

    object_init_ex(zreq, php_http_request_ce);
    r = request_from_obj(Z_OBJ_P(zreq));
    ZVAL_LONG(prop(r, slot_fd), eddy_http_request_fd(req));
    build_header(req, prop(r, slot_header));
    if (req->query) {
        parse_query(req->query, req->query_len, prop(r, slot_get));
    }
    if (php_http_parse_cookie() && (s = eddy_http_request_header(req, "cookie", &n))) {
        build_cookie(s, n, prop(r, slot_cookie));
    }
    ct = eddy_http_request_header(req, "content-type", &ctlen);
    if (is_type(ct, ctlen, ZEND_STRL("multipart/form-data"))) {
        php_http_upload_build(req, php_http_parse_post(), prop(r, slot_post), prop(r, slot_files),
                              prop(r, slot_tmpfiles));
        return; /* the engine does not keep a multipart body */
    }
    s = eddy_http_request_body(req, &n);
    if (s && n > 0) {
        r->body = zend_string_init(s, n, 0);
        if (php_http_parse_post() &&
            is_type(ct, ctlen, ZEND_STRL("application/x-www-form-urlencoded"))) {
            parse_query(s, n, prop(r, slot_post));
        }
    }
}

void php_http_request_done(php_http_request_t *r) {
    php_http_upload_forget(prop(r, slot_tmpfiles));
}

/* Called by php_http_response_new once the pair is linked ($server needs the
 * connection, which only the response knows). */
void php_http_request_link(zval *zreq, php_http_response_t *resp, eddy_http_request_t *req) {
    php_http_request_t *r = request_from_obj(Z_OBJ_P(zreq));

    r->response = resp;
    if (resp) { /* NULL: WebSocket\Server's onOpen request, which has no response */
        resp->request = r;
    }
    build_server(r, req, prop(r, slot_server));
}

/* ---- methods ------------------------------------------------------------------ */

PHP_METHOD(Swoole_Http_Request, rawContent) {
    php_http_request_t *r = THIS_REQUEST();

    ZEND_PARSE_PARAMETERS_NONE();
    if (!r->body) {
        RETURN_FALSE;
    }
    RETURN_STR_COPY(r->body);
}

/* The head's end: the parser accepted it, so the empty line that ends it
 * follows the last header (or the request line) inside the buffer. */
static const char *head_end(const eddy_http_request_t *req) {
    const char *p = req->num_headers ? req->headers[req->num_headers - 1].name : req->method;
    while (!(p[0] == '\r' && p[1] == '\n' && p[2] == '\r' && p[3] == '\n')) {
        p++;
    }
    return p + 4;
}

PHP_METHOD(Swoole_Http_Request, getData) {
    php_http_request_t *r = THIS_REQUEST();
    eddy_http_request_t *req;
    size_t head, body;

    ZEND_PARSE_PARAMETERS_NONE();
    if (r->data) {
        RETURN_STR_COPY(r->data);
    }
    req = r->response ? r->response->req : NULL;
    if (!req) {
        php_error_docref(NULL, E_WARNING,
                         "http request is unavailable (maybe it has been ended)");
        RETURN_FALSE;
    }
    head = (size_t) (head_end(req) - req->method);
    body = r->body ? ZSTR_LEN(r->body) : 0;
    r->data = zend_string_alloc(head + body, 0);
    memcpy(ZSTR_VAL(r->data), req->method, head);
    if (body) {
        memcpy(ZSTR_VAL(r->data) + head, ZSTR_VAL(r->body), body);
    }
    ZSTR_VAL(r->data)[head + body] = '\0';
    RETURN_STR_COPY(r->data);
}

PHP_METHOD(Swoole_Http_Request, getMethod) {
    php_http_request_t *r = THIS_REQUEST();

    ZEND_PARSE_PARAMETERS_NONE();
    if (!r->method) {
        RETURN_FALSE;
    }
    RETURN_STR_COPY(r->method);
}

PHP_METHOD(Swoole_Http_Request, isCompleted) {
    ZEND_PARSE_PARAMETERS_NONE();
    RETURN_TRUE;
}

/* ---- registration ------------------------------------------------------------ */

static uint32_t slot_of(const char *name) {
    zend_property_info *pi = zend_hash_str_find_ptr(&php_http_request_ce->properties_info, name,
                                                    strlen(name));
    ZEND_ASSERT(pi);
    return pi->offset;
}

void php_http_request_minit(zend_class_entry *ce) {
    php_http_request_ce = ce;
    php_http_request_ce->create_object = request_create_object;
    memcpy(&request_handlers, &std_object_handlers, sizeof(request_handlers));
    request_handlers.offset = XtOffsetOf(php_http_request_t, std);
    request_handlers.free_obj = request_free;
    request_handlers.clone_obj = NULL;

    slot_fd = slot_of("fd");
    slot_header = slot_of("header");
    slot_server = slot_of("server");
    slot_cookie = slot_of("cookie");
    slot_get = slot_of("get");
    slot_post = slot_of("post");
    slot_files = slot_of("files");
    slot_tmpfiles = slot_of("tmpfiles");

    for (int i = 0; i < K_COUNT; i++) {
        keys[i] = zend_string_init_interned(key_names[i], strlen(key_names[i]), 1);
    }
    for (size_t i = 0; i < N_METHODS; i++) {
        methods[i] = zend_string_init_interned(method_names[i], strlen(method_names[i]), 1);
    }
    proto_10 = zend_string_init_interned("HTTP/1.0", 8, 1);
    proto_11 = zend_string_init_interned("HTTP/1.1", 8, 1);
}
