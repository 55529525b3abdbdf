/*
 * Swoole\Http\Response: the response to one request of Swoole\Http\Server,
 * over the engine's eddy_http_response_* (include/eddy/http.h).
 *
 * A call on a response that has ended gives Swoole's warning "http response
 * is unavailable (maybe it has been ended or detached)" and false. Once the
 * client has gone the engine refuses sends with EDDY_ESESSION_CLOSED: the
 * method returns false with swoole_last_error() 1004 and no warning (the
 * handler cannot prevent it), and the response still has to be ended, which
 * end() or the object's release does.
 *
 * A Response released without end() (the handler returned, or threw) is
 * ended as Swoole does: status 500 unless status() set one, empty body; a
 * body already being streamed by write() gets its last chunk. A detached
 * one is not: detach() gave its answer to someone else (create()).
 *
 * create() makes a Response for a session id of the running Http\Server or
 * WebSocket\Server, in a worker or a task worker (eddy_http_response_create
 * in include/eddy/http.h tells what its head can know); it has no Request,
 * and is released like any other (500 if never ended). trailer() fields
 * follow the last chunk (the response goes chunked to carry them).
 */
#include "php_swoole.h"
#include "php_http.h"
#include "php_server.h"

zend_class_entry *php_http_response_ce;
static zend_object_handlers response_handlers;
static uint32_t slot_fd;

static php_http_response_t *response_from_obj(zend_object *obj) {
    return (php_http_response_t *) ((char *) obj - XtOffsetOf(php_http_response_t, std));
}

#define THIS_RESPONSE() response_from_obj(Z_OBJ_P(ZEND_THIS))

static zend_object *response_create_object(zend_class_entry *ce) {
    php_http_response_t *r = zend_object_alloc(sizeof(php_http_response_t), ce);

    zend_object_std_init(&r->std, ce);
    object_properties_init(&r->std, ce);
    r->std.handlers = &response_handlers;
    return &r->std;
}

/* The engine response is ending (end, redirect, sendfile): r is unusable
 * for I/O from here. Returns the response for that last call. */
static eddy_http_response_t *release(php_http_response_t *r) {
    eddy_http_response_t *resp = r->resp;

    r->resp = NULL;
    r->req = NULL;
    if (r->request) {
        php_http_request_done(r->request);
    }
    return resp;
}

static int finish(php_http_response_t *r, const char *data, size_t len) {
    return eddy_http_response_end(release(r), data, len);
}

static void response_free(zend_object *obj) {
    php_http_response_t *r = response_from_obj(obj);

    if (r->request) {
        r->request->response = NULL;
    }
    if (r->resp) {
        if (!r->status_set) {
            eddy_http_response_status(r->resp, 500, NULL); /* refused once the head is sent */
        }
        finish(r, NULL, 0);
    }
    php_http_response_ws_free(r);
    zend_object_std_dtor(obj);
}

void php_http_response_new(eddy_http_request_t *req, eddy_http_response_t *resp, zval *zreq,
                           zval *zresp) {
    php_http_response_t *r;

    object_init_ex(zresp, php_http_response_ce);
    r = response_from_obj(Z_OBJ_P(zresp));
    r->resp = resp;
    r->req = req;
    ZVAL_LONG(OBJ_PROP(&r->std, slot_fd), eddy_http_request_fd(req));
    php_http_request_link(zreq, r, req);
}

/* ---- checks ------------------------------------------------------------------- */

static eddy_http_response_t *usable(php_http_response_t *r) {
    if (!r->resp) {
        php_error_docref(NULL, E_WARNING,
                         "http response is unavailable (maybe it has been ended or detached)");
    }
    return r->resp;
}

/* An engine result: true, or false with the error recorded; a warning for
 * everything but the client being gone (see the top). `bad` says what
 * EDDY_EINVAL means for the call. */
static bool result(int rc, const char *bad) {
    if (php_swoole_check(rc) >= 0) {
        return true;
    }
    if (rc == EDDY_EINVAL) {
        php_error_docref(NULL, E_WARNING, "%s", bad);
    } else if (rc == EDDY_EWRONG_OP) {
        php_error_docref(NULL, E_WARNING, "the response head has already been sent");
    } else if (rc != EDDY_ESESSION_CLOSED) {
        php_error_docref(NULL, E_WARNING, "%s", eddy_strerror(rc));
    }
    return false;
}

/* ---- status and headers --------------------------------------------------------- */

static void status_impl(INTERNAL_FUNCTION_PARAMETERS) {
    php_http_response_t *r = THIS_RESPONSE();
    zend_long code;
    zend_string *reason = NULL;

    ZEND_PARSE_PARAMETERS_START(1, 2)
        Z_PARAM_LONG(code)
        Z_PARAM_OPTIONAL
        Z_PARAM_STR(reason)
    ZEND_PARSE_PARAMETERS_END();

    if (!usable(r)) {
        RETURN_FALSE;
    }
    if (code < 100 || code > 999) {
        php_swoole_check(EDDY_EINVAL);
        php_error_docref(NULL, E_WARNING, "invalid http status code " ZEND_LONG_FMT, code);
        RETURN_FALSE;
    }
    if (!result(eddy_http_response_status(r->resp, (int) code,
                                          reason && ZSTR_LEN(reason) ? ZSTR_VAL(reason) : NULL),
                "invalid status or reason (CR or LF in it)")) {
        RETURN_FALSE;
    }
    r->status_set = true;
    RETURN_TRUE;
}

PHP_METHOD(Swoole_Http_Response, status) { status_impl(INTERNAL_FUNCTION_PARAM_PASSTHRU); }
PHP_METHOD(Swoole_Http_Response, setStatusCode) { status_impl(INTERNAL_FUNCTION_PARAM_PASSTHRU); }

/* Swoole's header-name format: first letter and each letter after '-'
 * upper case, the rest lower case ("x-foo-BAR" -> "X-Foo-Bar"). */
static void format_name(char *s, size_t n) {
    bool up = true;
    for (size_t i = 0; i < n; i++) { /* ASCII only, as HTTP names are: no locale */
        if (up && s[i] >= 'a' && s[i] <= 'z') {
            s[i] = (char) (s[i] - 'a' + 'A');
        } else if (!up && s[i] >= 'A' && s[i] <= 'Z') {
            s[i] = (char) (s[i] - 'A' + 'a');
        }
        up = s[i] == '-';
    }
}

/* The server frames the body itself (Content-Length from end(), chunked
 * for write()): a framework that sets these headers is not refused. */
static bool framing_header(const char *name, size_t n) {
    return eddy_http_name_eq(name, n, "content-length", 14) ||
           eddy_http_name_eq(name, n, "transfer-encoding", 17);
}

#define BAD_HEADER "invalid header: the name is not a token, or the value holds CR, LF or NUL"

/* str: one value; values: one line each; neither: remove the header. */
static bool set_header_values(php_http_response_t *r, const char *name, HashTable *values,
                              zend_string *str) {
    zval *v;

    if (!values) {
        return result(eddy_http_response_header(r->resp, name, str ? ZSTR_VAL(str) : NULL),
                      BAD_HEADER);
    }
    if (!result(eddy_http_response_header(r->resp, name, NULL), BAD_HEADER)) {
        return false;
    }
    ZEND_HASH_FOREACH_VAL(values, v) {
        zend_string *s = zval_get_string(v);
        bool ok = result(eddy_http_response_add_header(r->resp, name, ZSTR_VAL(s)), BAD_HEADER);
        zend_string_release(s);
        if (!ok) {
            return false;
        }
    } ZEND_HASH_FOREACH_END();
    return true;
}

static void header_impl(INTERNAL_FUNCTION_PARAMETERS) {
    php_http_response_t *r = THIS_RESPONSE();
    zend_string *key, *str = NULL;
    HashTable *values = NULL;
    bool format = true, ok;
    char small[64], *name;

    ZEND_PARSE_PARAMETERS_START(2, 3)
        Z_PARAM_STR(key)
        Z_PARAM_ARRAY_HT_OR_STR_OR_NULL(values, str) /* scalars become strings */
        Z_PARAM_OPTIONAL
        Z_PARAM_BOOL(format)
    ZEND_PARSE_PARAMETERS_END();

    if (!usable(r)) {
        RETURN_FALSE;
    }
    if (ZSTR_LEN(key) == 0) {
        php_error_docref(NULL, E_WARNING, "header key cannot be empty");
        RETURN_FALSE;
    }
    if (framing_header(ZSTR_VAL(key), ZSTR_LEN(key))) {
        RETURN_TRUE;
    }
    name = ZSTR_LEN(key) < sizeof(small) ? small : emalloc(ZSTR_LEN(key) + 1);
    memcpy(name, ZSTR_VAL(key), ZSTR_LEN(key) + 1);
    if (format) {
        format_name(name, ZSTR_LEN(key));
    }
    ok = set_header_values(r, name, values, str);
    if (name != small) {
        efree(name);
    }
    RETURN_BOOL(ok);
}

PHP_METHOD(Swoole_Http_Response, header) { header_impl(INTERNAL_FUNCTION_PARAM_PASSTHRU); }
PHP_METHOD(Swoole_Http_Response, setHeader) { header_impl(INTERNAL_FUNCTION_PARAM_PASSTHRU); }

/* ---- cookies -------------------------------------------------------------------- */

static void cookie_impl(INTERNAL_FUNCTION_PARAMETERS, bool raw) {
    php_http_response_t *r = THIS_RESPONSE();
    zend_string *name, *value = NULL, *path = NULL, *domain = NULL, *samesite = NULL,
                       *priority = NULL;
    zend_long expires = 0;
    bool secure = false, httponly = false, partitioned = false;
    eddy_http_cookie_t c = {0};

    ZEND_PARSE_PARAMETERS_START(1, 10)
        Z_PARAM_STR(name)
        Z_PARAM_OPTIONAL
        Z_PARAM_STR(value)
        Z_PARAM_LONG(expires)
        Z_PARAM_STR(path)
        Z_PARAM_STR(domain)
        Z_PARAM_BOOL(secure)
        Z_PARAM_BOOL(httponly)
        Z_PARAM_STR(samesite)
        Z_PARAM_STR(priority)
        Z_PARAM_BOOL(partitioned)
    ZEND_PARSE_PARAMETERS_END();

    if (!usable(r)) {
        RETURN_FALSE;
    }
    c.name = ZSTR_VAL(name);
    c.value = value ? ZSTR_VAL(value) : NULL;
    c.expires = expires;
    c.path = path ? (ZSTR_LEN(path) ? ZSTR_VAL(path) : NULL) : "/";
    c.domain = domain && ZSTR_LEN(domain) ? ZSTR_VAL(domain) : NULL;
    c.secure = secure;
    c.httponly = httponly;
    c.samesite = samesite && ZSTR_LEN(samesite) ? ZSTR_VAL(samesite) : NULL;
    c.priority = priority && ZSTR_LEN(priority) ? ZSTR_VAL(priority) : NULL;
    c.partitioned = partitioned;
    c.raw = raw;
    RETURN_BOOL(result(eddy_http_response_cookie(r->resp, &c),
                       "invalid cookie: a bad name, or forbidden bytes in a value or attribute"));
}

#define COOKIE_ARGS INTERNAL_FUNCTION_PARAM_PASSTHRU
PHP_METHOD(Swoole_Http_Response, cookie) { cookie_impl(COOKIE_ARGS, false); }
PHP_METHOD(Swoole_Http_Response, setCookie) { cookie_impl(COOKIE_ARGS, false); }
PHP_METHOD(Swoole_Http_Response, rawcookie) { cookie_impl(COOKIE_ARGS, true); }
PHP_METHOD(Swoole_Http_Response, setRawCookie) { cookie_impl(COOKIE_ARGS, true); }

/* ---- body ----------------------------------------------------------------------- */

PHP_METHOD(Swoole_Http_Response, write) {
    php_http_response_t *r = THIS_RESPONSE();
    zend_string *data;

    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_STR(data)
    ZEND_PARSE_PARAMETERS_END();

    if (!usable(r)) {
        RETURN_FALSE;
    }
    if (ZSTR_LEN(data) == 0) {
        php_error_docref(NULL, E_WARNING, "the data to send is empty");
        RETURN_FALSE;
    }
    RETURN_BOOL(result(eddy_http_response_write(r->resp, ZSTR_VAL(data), ZSTR_LEN(data)),
                       "write() failed"));
}

PHP_METHOD(Swoole_Http_Response, end) {
    php_http_response_t *r = THIS_RESPONSE();
    zend_string *data = NULL;

    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_STR_OR_NULL(data)
    ZEND_PARSE_PARAMETERS_END();

    if (!usable(r)) {
        RETURN_FALSE;
    }
    RETURN_BOOL(result(finish(r, data ? ZSTR_VAL(data) : NULL, data ? ZSTR_LEN(data) : 0),
                       "end() failed"));
}

PHP_METHOD(Swoole_Http_Response, redirect) {
    php_http_response_t *r = THIS_RESPONSE();
    zend_string *url;
    zend_long code = 302;
    eddy_http_response_t *resp;

    ZEND_PARSE_PARAMETERS_START(1, 2)
        Z_PARAM_STR(url)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(code)
    ZEND_PARSE_PARAMETERS_END();

    if (!usable(r)) {
        RETURN_FALSE;
    }
    if (code < 300 || code > 399) {
        php_error_docref(NULL, E_WARNING, "invalid redirect status code " ZEND_LONG_FMT, code);
        RETURN_FALSE;
    }
    resp = release(r); /* redirect() ends the response, whatever it returns */
    RETURN_BOOL(result(eddy_http_response_redirect(resp, ZSTR_VAL(url), (int) code),
                       "invalid redirect location (CR, LF or NUL in it)"));
}

/* Errors come before anything is sent: the response stays usable (to
 * answer 404 with end(), say). Once the head is sent the engine owns the
 * response and ends it after the last byte. */
PHP_METHOD(Swoole_Http_Response, sendfile) {
    php_http_response_t *r = THIS_RESPONSE();
    zend_string *path;
    zend_long offset = 0, length = 0;
    int rc;

    ZEND_PARSE_PARAMETERS_START(1, 3)
        Z_PARAM_PATH_STR(path)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(offset)
        Z_PARAM_LONG(length)
    ZEND_PARSE_PARAMETERS_END();

    if (!usable(r)) {
        RETURN_FALSE;
    }
    if (ZSTR_LEN(path) == 0) {
        php_error_docref(NULL, E_WARNING, "file name is empty");
        RETURN_FALSE;
    }
    if (offset < 0 || length < 0) {
        php_error_docref(NULL, E_WARNING, "offset and length cannot be negative");
        RETURN_FALSE;
    }
    rc = eddy_http_response_sendfile(r->resp, ZSTR_VAL(path), (uint64_t) offset,
                                     (uint64_t) length);
    if (rc == 0) {
        release(r);
        RETURN_TRUE;
    }
    php_swoole_check(rc);
    if (rc == EDDY_EINVAL) {
        php_error_docref(NULL, E_WARNING,
                         "cannot send '%s': not a regular file, or offset/length beyond its end",
                         ZSTR_VAL(path));
    } else if (rc == EDDY_EWRONG_OP) {
        php_error_docref(NULL, E_WARNING, "the response head has already been sent");
    } else if (rc != EDDY_ESESSION_CLOSED) {
        php_error_docref(NULL, E_WARNING, "cannot send '%s': %s", ZSTR_VAL(path),
                         eddy_strerror(rc));
    }
    RETURN_FALSE;
}

PHP_METHOD(Swoole_Http_Response, isWritable) {
    php_http_response_t *r = THIS_RESPONSE();

    ZEND_PARSE_PARAMETERS_NONE();
    /* After upgrade(): while the WebSocket is open (push() can still send). */
    RETURN_BOOL((r->resp && eddy_http_response_writable(r->resp)) || php_http_response_ws_open(r));
}

/* ---- trailer ------------------------------------------------------------------------ */

PHP_METHOD(Swoole_Http_Response, trailer) {
    php_http_response_t *r = THIS_RESPONSE();
    zend_string *key, *value = NULL;
    int rc;

    ZEND_PARSE_PARAMETERS_START(2, 2)
        Z_PARAM_STR(key)
        Z_PARAM_STR_OR_NULL(value)
    ZEND_PARSE_PARAMETERS_END();

    if (!usable(r)) {
        RETURN_FALSE;
    }
    if (ZSTR_LEN(key) == 0) {
        php_error_docref(NULL, E_WARNING, "trailer key cannot be empty");
        RETURN_FALSE;
    }
    /* A NUL would cut the C strings the engine takes: refused as such. */
    rc = memchr(ZSTR_VAL(key), 0, ZSTR_LEN(key)) ||
                 (value && memchr(ZSTR_VAL(value), 0, ZSTR_LEN(value)))
             ? EDDY_EINVAL
             : eddy_http_response_trailer(r->resp, ZSTR_VAL(key), value ? ZSTR_VAL(value) : NULL);
    if (rc == EDDY_EWRONG_OP) {
        php_swoole_check(rc);
        php_error_docref(NULL, E_WARNING,
                         "this response cannot carry trailers: they follow the last chunk of a "
                         "chunked body, which an HTTP/1.0 request, a HEAD request or a body "
                         "sent with a length does not have");
        RETURN_FALSE;
    }
    RETURN_BOOL(result(rc, "invalid trailer: the name is not a token or frames the message "
                           "(Content-Length, Transfer-Encoding, Host, Content-Type...), or the "
                           "value holds CR, LF or NUL"));
}

/* ---- detach and create ----------------------------------------------------------------- */

PHP_METHOD(Swoole_Http_Response, detach) {
    php_http_response_t *r = THIS_RESPONSE();
    int rc;

    ZEND_PARSE_PARAMETERS_NONE();
    if (!usable(r)) {
        RETURN_FALSE;
    }
    rc = eddy_http_response_detach(r->resp);
    if (rc < 0) {
        php_swoole_check(rc);
        php_error_docref(NULL, E_WARNING,
                         "detach() needs a server whose connections have session ids "
                         "(Swoole\\Http\\Server, Swoole\\WebSocket\\Server), not "
                         "Swoole\\Coroutine\\Http\\Server");
        RETURN_FALSE;
    }
    release(r); /* the engine let go of it: no end, no 500 at free */
    RETURN_TRUE;
}

/* What the Request object tells of its request (create([$server,
 * $request])): EDDY_HTTP_CREATE_* flags from its copied server and header
 * arrays, with RFC 9112 9.3's keep-alive rule. */
static unsigned request_flags(zval *zreq) {
    zval rv, *server, *header, *v;
    bool http10 = false, close = false, head = false;

    server = zend_read_property(php_http_request_ce, Z_OBJ_P(zreq), ZEND_STRL("server"), 1, &rv);
    if (Z_TYPE_P(server) == IS_ARRAY &&
        (v = zend_hash_str_find(Z_ARRVAL_P(server), ZEND_STRL("server_protocol"))) &&
        Z_TYPE_P(v) == IS_STRING) {
        http10 = zend_string_equals_literal(Z_STR_P(v), "HTTP/1.0");
    }
    if (Z_TYPE_P(server) == IS_ARRAY &&
        (v = zend_hash_str_find(Z_ARRVAL_P(server), ZEND_STRL("request_method"))) &&
        Z_TYPE_P(v) == IS_STRING) {
        head = zend_string_equals_literal(Z_STR_P(v), "HEAD");
    }
    header = zend_read_property(php_http_request_ce, Z_OBJ_P(zreq), ZEND_STRL("header"), 1, &rv);
    v = Z_TYPE_P(header) == IS_ARRAY
            ? zend_hash_str_find(Z_ARRVAL_P(header), ZEND_STRL("connection"))
            : NULL;
    if (v && Z_TYPE_P(v) == IS_STRING) {
        zend_string *lc = zend_string_tolower(Z_STR_P(v));
        close = strstr(ZSTR_VAL(lc), "close") != NULL ||
                (http10 && !strstr(ZSTR_VAL(lc), "keep-alive"));
        zend_string_release(lc);
    } else {
        close = http10;
    }
    return (http10 ? EDDY_HTTP_CREATE_HTTP10 : 0) | (close ? EDDY_HTTP_CREATE_CLOSE : 0) |
           (head ? EDDY_HTTP_CREATE_HEAD : 0);
}

/* create()'s first argument: the server (NULL: the running one), the
 * session id and the flags. false after a warning. */
static bool create_target(zval *zserver, zend_long fd, php_server_t **ps, zend_long *sid,
                          unsigned *flags) {
    zval *zs, *zreq;

    *ps = NULL;
    *sid = fd;
    *flags = 0;
    if (Z_TYPE_P(zserver) == IS_ARRAY) {
        zs = zend_hash_index_find(Z_ARRVAL_P(zserver), 0);
        zreq = zend_hash_index_find(Z_ARRVAL_P(zserver), 1);
        if (!zreq || Z_TYPE_P(zreq) != IS_OBJECT ||
            !instanceof_function(Z_OBJCE_P(zreq), php_http_request_ce)) {
            php_error_docref(NULL, E_WARNING, "parameter $1.second must be instanceof Http\\Request");
            return false;
        }
        zval rv, *zfd = zend_read_property(php_http_request_ce, Z_OBJ_P(zreq), ZEND_STRL("fd"), 1, &rv);
        *sid = zval_get_long(zfd);
        *flags = request_flags(zreq);
        zserver = zs;
        if (!zserver) {
            php_error_docref(NULL, E_WARNING, "parameter $1 must be instanceof Server");
            return false;
        }
    } else if (Z_TYPE_P(zserver) != IS_OBJECT) {
        *sid = zval_get_long(zserver); /* create($fd): the running server */
        *ps = php_server_current();
        return true;
    }
    if (Z_TYPE_P(zserver) != IS_OBJECT ||
        !instanceof_function(Z_OBJCE_P(zserver), php_swoole_server_ce)) {
        /* Swoole also takes a Coroutine\Socket here; eddy has no Request::create()/
         * parse() to go with it, so that form is refused. */
        php_error_docref(NULL, E_WARNING, "parameter $1 must be instanceof Server");
        return false;
    }
    *ps = php_server_from_obj(Z_OBJ_P(zserver));
    return true;
}

PHP_METHOD(Swoole_Http_Response, create) {
    zval *zserver = NULL, dflt;
    zend_long fd = -1, sid;
    php_server_t *ps;
    eddy_http_server_t *hs;
    eddy_http_response_t *resp;
    php_http_response_t *r;
    unsigned flags;
    int rc;

    ZEND_PARSE_PARAMETERS_START(0, 2)
        Z_PARAM_OPTIONAL
        Z_PARAM_ZVAL(zserver)
        Z_PARAM_LONG(fd)
    ZEND_PARSE_PARAMETERS_END();

    if (!zserver) {
        ZVAL_LONG(&dflt, -1);
        zserver = &dflt;
    }
    if (!create_target(zserver, fd, &ps, &sid, &flags)) {
        RETURN_FALSE;
    }
    if (!ps || ps != php_server_current()) {
        php_error_docref(NULL, E_WARNING, "server is not running");
        RETURN_FALSE;
    }
    if (!(hs = php_http_server_hs(ps))) { /* a plain Swoole\Server: no HTTP layer to write with */
        php_error_docref(NULL, E_WARNING,
                         "Response::create() needs a Swoole\\Http\\Server or "
                         "Swoole\\WebSocket\\Server");
        RETURN_FALSE;
    }
    rc = sid > 0 && sid <= INT_MAX ? eddy_http_response_create(&resp, hs, (int) sid, flags)
                                   : EDDY_ESESSION_INVALID_ID;
    if (rc < 0) {
        php_swoole_check(rc);
        if (rc == EDDY_EWRONG_OP) {
            php_error_docref(NULL, E_WARNING, "server is not running");
        } else {
            php_error_docref(NULL, E_WARNING, "parameter $2 must be valid connection session id");
        }
        RETURN_FALSE;
    }
    object_init_ex(return_value, php_http_response_ce);
    r = response_from_obj(Z_OBJ_P(return_value));
    r->resp = resp; /* no request here: r->req and r->request stay NULL */
    ZVAL_LONG(OBJ_PROP(&r->std, slot_fd), sid);
}

/* ---- registration ----------------------------------------------------------------- */

void php_http_response_minit(zend_class_entry *ce) {
    zend_property_info *pi;

    php_http_response_ce = ce;
    php_http_response_ce->create_object = response_create_object;
    memcpy(&response_handlers, &std_object_handlers, sizeof(response_handlers));
    response_handlers.offset = XtOffsetOf(php_http_response_t, std);
    response_handlers.free_obj = response_free;
    response_handlers.clone_obj = NULL;

    pi = zend_hash_str_find_ptr(&php_http_response_ce->properties_info, ZEND_STRL("fd"));
    slot_fd = pi->offset;
}
