/*
 * Swoole\Coroutine\Http\Client, Swoole\Coroutine\Http\ClientProxy and the
 * Swoole\Coroutine\Http\get() / post() / request() helpers, over the
 * engine's HTTP client (include/eddy/http_client.h), which does all the
 * networking and protocol work. This file turns properties into a request
 * and a response into properties, as Swoole's client does:
 *
 *  - requestMethod / requestHeaders / requestBody / uploadFiles /
 *    downloadFile are the next request (set by setMethod(), setHeaders(),
 *    setData(), addFile(), addData(), download()); the method, body, files
 *    and download are used once and cleared after each request, the
 *    headers and cookies stay.
 *  - After a request: statusCode (negative: -1 connect failed, -2 timeout,
 *    -3 server reset, -4 send failed), errCode (errno) / errMsg, headers
 *    (names lower-cased; a repeated header keeps its last value),
 *    set_cookie_headers (raw Set-Cookie values), cookies (name => decoded
 *    value, merged into the cookies sent with the next request), body.
 *  - set(): timeout (connect, read and write), connect_timeout,
 *    read_timeout, write_timeout (seconds; 0 keeps the default, negative
 *    means none; defaults from Coroutine::set() socket_*_timeout, else 2 s /
 *    60 s / 60 s), keep_alive (true), http_compression (true: gzip /
 *    deflate accepted and decoded), websocket_compression (false),
 *    body_max_size (bytes, 0 = no limit), and the ssl_* options of
 *    php_ssl_settings.h for HTTPS ($ssl, or an https:// URL). Other keys
 *    are kept in $setting and ignored.
 *  - HTTPS and wss: the engine client's TLS (eddy_http_client_set_tls), its
 *    context made from $setting before the first request after a change.
 */
#include <unistd.h>

#include "php_swoole.h"
#include "php_coroutine.h"
#include "php_coio.h"
#include "http_client_arginfo.h"
#include "zend_exceptions.h"
#include "zend_smart_str.h"
#include "ext/standard/url.h"
#include "ext/standard/base64.h"

#include "eddy/http_client.h"
#include "eddy/tls.h"
#include "eddy/websocket.h"
#include "php_ssl_settings.h"

typedef struct {
    eddy_http_client_t *cli; /* owned; NULL only before __construct */
    eddy_http_client_opts_t opts;
    bool defer;
    bool ssl;       /* HTTPS: TLS on each connection */
    bool tls_stale; /* the ssl_* settings changed since the context was made */
    zend_object std;
} php_hc_t;

static zend_class_entry *hc_ce, *proxy_ce, *hc_exception_ce;
static zend_object_handlers hc_handlers;

static php_hc_t *hc_from_obj(zend_object *obj) {
    return (php_hc_t *) ((char *) obj - XtOffsetOf(php_hc_t, std));
}

#define THIS_HC() hc_from_obj(Z_OBJ_P(ZEND_THIS))

static zend_object *hc_create_object(zend_class_entry *ce) {
    php_hc_t *h = zend_object_alloc(sizeof(php_hc_t), ce);

    zend_object_std_init(&h->std, ce);
    object_properties_init(&h->std, ce);
    h->std.handlers = &hc_handlers;
    eddy_http_client_opts_init(&h->opts);
    h->opts.connect_timeout_ms = php_coio_default_timeout("connect");
    h->opts.read_timeout_ms = php_coio_default_timeout("read");
    h->opts.write_timeout_ms = php_coio_default_timeout("write");
    return &h->std;
}

static void hc_free_object(zend_object *obj) {
    php_hc_t *h = hc_from_obj(obj);

    eddy_http_client_free(h->cli);
    h->cli = NULL;
    zend_object_std_dtor(obj);
}

/* ---- properties ------------------------------------------------------------ */

static zval *prop(php_hc_t *h, const char *name) {
    zval rv;
    zval *v = zend_read_property(hc_ce, &h->std, name, strlen(name), 1, &rv);
    ZVAL_DEREF(v);
    return v;
}

static void set_error(php_hc_t *h, int code, const char *msg) {
    zend_update_property_long(hc_ce, &h->std, ZEND_STRL("errCode"), code);
    zend_update_property_string(hc_ce, &h->std, ZEND_STRL("errMsg"), msg ? msg : "");
    if (code) {
        php_swoole_set_error(code);
    }
}

static void sync_error(php_hc_t *h) {
    set_error(h, eddy_http_client_errcode(h->cli), eddy_http_client_errmsg(h->cli));
}

/* Clears the one-shot request properties (Swoole does after each request). */
static void reset_request(php_hc_t *h) {
    zend_update_property_null(hc_ce, &h->std, ZEND_STRL("requestMethod"));
    zend_update_property_null(hc_ce, &h->std, ZEND_STRL("requestBody"));
    zend_update_property_null(hc_ce, &h->std, ZEND_STRL("uploadFiles"));
    zend_update_property_null(hc_ce, &h->std, ZEND_STRL("downloadFile"));
    zend_update_property_long(hc_ce, &h->std, ZEND_STRL("downloadOffset"), 0);
}

/* ---- building a request ------------------------------------------------------ */

/* Strings made for one request, released after it. */
typedef struct {
    zend_string **strs;
    size_t nstrs, cap;
    eddy_http_header_t *headers;
    size_t nheaders;
    eddy_http_header_t *form;
    size_t nform;
    eddy_http_client_file_t *files;
    size_t nfiles;
    eddy_http_client_request_t r;
    /* References to the properties the request points into: reset_request()
     * replaces the properties while the request is in flight. */
    zval hold_body, hold_files;
} build_t;

static zend_string *keep_str(build_t *b, zend_string *s) {
    if (b->nstrs == b->cap) {
        b->cap = b->cap ? b->cap * 2 : 16;
        b->strs = erealloc(b->strs, b->cap * sizeof(*b->strs));
    }
    b->strs[b->nstrs++] = s;
    return s;
}

static void build_free(build_t *b) {
    for (size_t i = 0; i < b->nstrs; i++) {
        zend_string_release(b->strs[i]);
    }
    efree(b->strs);
    zval_ptr_dtor(&b->hold_body);
    zval_ptr_dtor(&b->hold_files);
    efree(b->headers);
    efree(b->form);
    efree(b->files);
}

static void add_header(build_t *b, zend_string *name, zend_string *value) {
    eddy_http_header_t *x = &b->headers[b->nheaders++];
    x->name = ZSTR_VAL(name);
    x->name_len = ZSTR_LEN(name);
    x->value = ZSTR_VAL(value);
    x->value_len = ZSTR_LEN(value);
}

static bool has_header(const build_t *b, const char *name) {
    for (size_t i = 0; i < b->nheaders; i++) {
        if (eddy_http_name_eq(b->headers[i].name, b->headers[i].name_len, name, strlen(name))) {
            return true;
        }
    }
    return false;
}

/* "a=1; b=2" from the cookies property (values url-encoded, as Swoole). */
static zend_string *cookie_line(HashTable *cookies) {
    smart_str s = {0};
    zend_string *k;
    zval *v;

    ZEND_HASH_FOREACH_STR_KEY_VAL(cookies, k, v) {
        if (!k) {
            continue;
        }
        zend_string *val = zval_get_string(v);
        zend_string *enc = php_url_encode(ZSTR_VAL(val), ZSTR_LEN(val));
        if (s.s) {
            smart_str_appends(&s, "; ");
        }
        smart_str_append(&s, k);
        smart_str_appendc(&s, '=');
        smart_str_append(&s, enc);
        zend_string_release(enc);
        zend_string_release(val);
    } ZEND_HASH_FOREACH_END();
    smart_str_0(&s);
    return s.s ? s.s : ZSTR_EMPTY_ALLOC();
}

static void build_headers(php_hc_t *h, build_t *b) {
    zval *hdrs = prop(h, "requestHeaders");
    zval *cookies = prop(h, "cookies");
    size_t n = Z_TYPE_P(hdrs) == IS_ARRAY ? zend_hash_num_elements(Z_ARRVAL_P(hdrs)) : 0;
    zend_string *k;
    zval *v;

    b->headers = ecalloc(n + 2, sizeof(*b->headers));
    if (n) {
        ZEND_HASH_FOREACH_STR_KEY_VAL(Z_ARRVAL_P(hdrs), k, v) {
            if (k) {
                add_header(b, k, keep_str(b, zval_get_string(v)));
            }
        } ZEND_HASH_FOREACH_END();
    }
    if (Z_TYPE_P(cookies) == IS_ARRAY && zend_hash_num_elements(Z_ARRVAL_P(cookies)) &&
        !has_header(b, "cookie")) {
        add_header(b, keep_str(b, zend_string_init(ZEND_STRL("Cookie"), 0)),
                   keep_str(b, cookie_line(Z_ARRVAL_P(cookies))));
    }
}

/* http_build_query($data), as Swoole encodes an array body. */
static zend_string *form_encode(zval *data) {
    zval fn, ret;
    zend_string *s;

    ZVAL_STRING(&fn, "http_build_query");
    if (call_user_function(NULL, NULL, &fn, &ret, 1, data) != SUCCESS || Z_TYPE(ret) != IS_STRING) {
        zval_ptr_dtor(&ret);
        s = ZSTR_EMPTY_ALLOC();
    } else {
        s = Z_STR(ret);
    }
    zval_ptr_dtor(&fn);
    return s;
}

static void build_files(php_hc_t *h, build_t *b) {
    zval *files = prop(h, "uploadFiles");
    zval *f;
    size_t n = Z_TYPE_P(files) == IS_ARRAY ? zend_hash_num_elements(Z_ARRVAL_P(files)) : 0;

    if (!n) {
        return;
    }
    b->files = ecalloc(n, sizeof(*b->files));
    ZEND_HASH_FOREACH_VAL(Z_ARRVAL_P(files), f) {
        eddy_http_client_file_t *x = &b->files[b->nfiles++];
        HashTable *t = Z_ARRVAL_P(f);
        zval *v;
        if ((v = zend_hash_str_find(t, ZEND_STRL("path")))) {
            x->path = ZSTR_VAL(Z_STR_P(v));
        }
        if ((v = zend_hash_str_find(t, ZEND_STRL("content")))) {
            x->data = Z_STRVAL_P(v);
            x->data_len = Z_STRLEN_P(v);
        }
        x->name = Z_STRVAL_P(zend_hash_str_find(t, ZEND_STRL("name")));
        if ((v = zend_hash_str_find(t, ZEND_STRL("type"))) && Z_TYPE_P(v) == IS_STRING) {
            x->mime = Z_STRVAL_P(v);
        }
        if ((v = zend_hash_str_find(t, ZEND_STRL("filename"))) && Z_TYPE_P(v) == IS_STRING) {
            x->filename = Z_STRVAL_P(v);
        }
        if ((v = zend_hash_str_find(t, ZEND_STRL("offset")))) {
            x->offset = zval_get_long(v);
        }
        if ((v = zend_hash_str_find(t, ZEND_STRL("length")))) {
            x->length = zval_get_long(v);
        }
    } ZEND_HASH_FOREACH_END();
}

static void build_body(php_hc_t *h, build_t *b) {
    zval *data = prop(h, "requestBody");
    zend_string *k;
    zval *v;

    if (Z_TYPE_P(data) == IS_ARRAY && b->nfiles) { /* multipart fields */
        b->form = ecalloc(zend_hash_num_elements(Z_ARRVAL_P(data)) + 1, sizeof(*b->form));
        ZEND_HASH_FOREACH_STR_KEY_VAL(Z_ARRVAL_P(data), k, v) {
            if (k) {
                zend_string *val = keep_str(b, zval_get_string(v));
                b->form[b->nform++] = (eddy_http_header_t){ZSTR_VAL(k), ZSTR_LEN(k), ZSTR_VAL(val),
                                                           ZSTR_LEN(val)};
            }
        } ZEND_HASH_FOREACH_END();
    } else if (Z_TYPE_P(data) == IS_ARRAY) {
        zend_string *s = keep_str(b, form_encode(data));
        b->r.body = ZSTR_VAL(s);
        b->r.body_len = ZSTR_LEN(s);
        b->r.has_body = 1;
        if (!has_header(b, "content-type")) {
            add_header(b, keep_str(b, zend_string_init(ZEND_STRL("Content-Type"), 0)),
                       keep_str(b, zend_string_init(ZEND_STRL("application/x-www-form-urlencoded"), 0)));
        }
    } else if (Z_TYPE_P(data) != IS_NULL) {
        zend_string *s = keep_str(b, zval_get_string(data));
        b->r.body = ZSTR_VAL(s);
        b->r.body_len = ZSTR_LEN(s);
        b->r.has_body = 1;
    }
}

static void build(php_hc_t *h, build_t *b, zend_string *path) {
    zval *m = prop(h, "requestMethod");
    zval *dl = prop(h, "downloadFile");

    memset(b, 0, sizeof(*b));
    ZVAL_COPY(&b->hold_body, prop(h, "requestBody"));
    ZVAL_COPY(&b->hold_files, prop(h, "uploadFiles"));
    build_headers(h, b);
    build_files(h, b);
    build_body(h, b);
    b->r.method = Z_TYPE_P(m) == IS_STRING ? ZSTR_VAL(keep_str(b, zend_string_copy(Z_STR_P(m)))) : NULL;
    b->r.path = ZSTR_LEN(path) ? ZSTR_VAL(path) : "/";
    b->r.headers = b->headers;
    b->r.num_headers = b->nheaders;
    b->r.form = b->form;
    b->r.num_form = b->nform;
    b->r.files = b->files;
    b->r.num_files = b->nfiles;
    if (Z_TYPE_P(dl) == IS_STRING) {
        b->r.download = ZSTR_VAL(keep_str(b, zend_string_copy(Z_STR_P(dl))));
        b->r.download_offset = zval_get_long(prop(h, "downloadOffset"));
    }
}

/* ---- response -> properties ----------------------------------------------------- */

/* "name=value; attrs" -> cookies[name] = urldecode(value). */
static void add_cookie(zval *cookies, const char *v, size_t n) {
    const char *semi = memchr(v, ';', n);
    size_t len = semi ? (size_t) (semi - v) : n;
    const char *eq = memchr(v, '=', len);

    if (!eq || eq == v) {
        return;
    }
    const char *ns = v, *ne = eq;
    while (ns < ne && (*ns == ' ' || *ns == '\t')) {
        ns++;
    }
    while (ne > ns && (ne[-1] == ' ' || ne[-1] == '\t')) {
        ne--;
    }
    if (ns == ne) {
        return;
    }
    zend_string *val = zend_string_init(eq + 1, len - (size_t) (eq - v) - 1, 0);
    ZSTR_LEN(val) = php_url_decode(ZSTR_VAL(val), ZSTR_LEN(val));
    ZSTR_VAL(val)[ZSTR_LEN(val)] = 0;
    add_assoc_str_ex(cookies, ns, (size_t) (ne - ns), val);
}

static void publish_response(php_hc_t *h) {
    size_t n, blen;
    const eddy_http_header_t *hd = eddy_http_client_headers(h->cli, &n);
    const char *body = eddy_http_client_body(h->cli, &blen);
    zval headers, setc, cookies, *old = prop(h, "cookies");

    array_init(&headers);
    array_init(&setc);
    if (Z_TYPE_P(old) == IS_ARRAY) {
        ZVAL_ARR(&cookies, zend_array_dup(Z_ARRVAL_P(old)));
    } else {
        array_init(&cookies);
    }
    for (size_t i = 0; i < n; i++) {
        zend_string *name = zend_string_init(hd[i].name, hd[i].name_len, 0);
        zend_str_tolower(ZSTR_VAL(name), ZSTR_LEN(name));
        add_assoc_stringl_ex(&headers, ZSTR_VAL(name), ZSTR_LEN(name), hd[i].value, hd[i].value_len);
        if (zend_string_equals_literal(name, "set-cookie")) {
            add_next_index_stringl(&setc, hd[i].value, hd[i].value_len);
            add_cookie(&cookies, hd[i].value, hd[i].value_len);
        }
        zend_string_release(name);
    }
    zend_update_property_long(hc_ce, &h->std, ZEND_STRL("statusCode"), eddy_http_client_status(h->cli));
    zend_update_property(hc_ce, &h->std, ZEND_STRL("headers"), &headers);
    zend_update_property(hc_ce, &h->std, ZEND_STRL("set_cookie_headers"), &setc);
    zend_update_property(hc_ce, &h->std, ZEND_STRL("cookies"), &cookies);
    zend_update_property_stringl(hc_ce, &h->std, ZEND_STRL("body"), body, blen);
    zval_ptr_dtor(&headers);
    zval_ptr_dtor(&setc);
    zval_ptr_dtor(&cookies);
}

static void clear_response(php_hc_t *h) {
    zend_update_property_long(hc_ce, &h->std, ZEND_STRL("statusCode"), eddy_http_client_status(h->cli));
    zend_update_property_null(hc_ce, &h->std, ZEND_STRL("headers"));
    zend_update_property_null(hc_ce, &h->std, ZEND_STRL("set_cookie_headers"));
    zend_update_property_string(hc_ce, &h->std, ZEND_STRL("body"), "");
}

static void set_connected(php_hc_t *h) {
    zend_update_property_bool(hc_ce, &h->std, ZEND_STRL("connected"),
                              eddy_http_client_connected(h->cli));
}

/* The TLS context from $setting's ssl_* options, handed to the engine
 * client (which keeps its own reference). A setting OpenSSL refuses (an
 * unreadable CA file...) fails the request as a connect failure would. */
static bool refresh_tls(php_hc_t *h) {
    zval *setting = prop(h, "setting");
    zval *host = prop(h, "host");
    const char *name = NULL;
    char why[256];
    int err = 0;
    eddy_tls_ctx_t *ctx = php_ssl_client_ctx(
        Z_TYPE_P(setting) == IS_ARRAY ? Z_ARRVAL_P(setting) : NULL,
        Z_TYPE_P(host) == IS_STRING ? Z_STRVAL_P(host) : NULL, &name, &err, why, sizeof(why));

    if (!ctx) {
        zend_update_property_long(hc_ce, &h->std, ZEND_STRL("statusCode"),
                                  EDDY_HTTP_CLIENT_CONNECT_FAILED);
        set_error(h, -err, why);
        return false;
    }
    eddy_http_client_set_tls(h->cli, ctx, name);
    eddy_tls_ctx_free(ctx);
    h->tls_stale = false;
    return true;
}

/* The shared body of execute/get/post/download/upgrade. */
static bool do_request(php_hc_t *h, zend_string *path, bool upgrade) {
    build_t b;
    int rc;

    if (!php_coro_require()) {
        return false;
    }
    if (h->ssl && h->tls_stale && !refresh_tls(h)) {
        return false;
    }
    eddy_http_client_set_opts(h->cli, &h->opts);
    build(h, &b, path);
    reset_request(h);
    if (upgrade) {
        rc = eddy_http_client_upgrade(h->cli, b.r.path, b.r.headers, b.r.num_headers);
    } else {
        rc = eddy_http_client_execute(h->cli, &b.r);
    }
    build_free(&b);
    if (!php_coro_after_switch()) {
        return false;
    }
    sync_error(h);
    if (eddy_http_client_status(h->cli) > 0) {
        publish_response(h);
    } else {
        clear_response(h);
    }
    set_connected(h);
    return rc == 0;
}

/* ---- options ---------------------------------------------------------------- */

static void timeout_opt(HashTable *o, const char *key, int64_t *slot, const char *kind) {
    zval *v = zend_hash_str_find(o, key, strlen(key));
    int64_t t;

    if (!v) {
        return;
    }
    t = php_coio_timeout(zval_get_double(v));
    if (t != EDDY_TIMEOUT_DEFAULT) {
        *slot = t;
    } else {
        *slot = php_coio_default_timeout(kind);
    }
}

static void apply_options(php_hc_t *h, HashTable *o) {
    zval *v;
    zend_string *key;

    ZEND_HASH_FOREACH_STR_KEY(o, key) {
        if (key && zend_string_starts_with_literal(key, "ssl_")) {
            h->tls_stale = true;
        }
    } ZEND_HASH_FOREACH_END();

    timeout_opt(o, "timeout", &h->opts.connect_timeout_ms, "connect");
    timeout_opt(o, "timeout", &h->opts.read_timeout_ms, "read");
    timeout_opt(o, "timeout", &h->opts.write_timeout_ms, "write");
    timeout_opt(o, "connect_timeout", &h->opts.connect_timeout_ms, "connect");
    timeout_opt(o, "read_timeout", &h->opts.read_timeout_ms, "read");
    timeout_opt(o, "write_timeout", &h->opts.write_timeout_ms, "write");
    if ((v = zend_hash_str_find(o, ZEND_STRL("keep_alive")))) {
        h->opts.keep_alive = zend_is_true(v);
    }
    if ((v = zend_hash_str_find(o, ZEND_STRL("http_compression")))) {
        h->opts.compression = zend_is_true(v);
    }
    if ((v = zend_hash_str_find(o, ZEND_STRL("websocket_compression")))) {
        h->opts.websocket_compression = zend_is_true(v);
    }
    if ((v = zend_hash_str_find(o, ZEND_STRL("body_max_size")))) {
        zend_long n = zval_get_long(v);
        h->opts.body_max_size = n > 0 ? (uint64_t) n : 0;
    }
}

/* ---- Client methods ------------------------------------------------------------ */

static bool init_client(php_hc_t *h, zend_string *host, zend_long port, bool ssl) {
    if (ZSTR_LEN(host) == 0 || memchr(ZSTR_VAL(host), 0, ZSTR_LEN(host))) {
        zend_throw_exception(hc_exception_ce, "host is empty", EINVAL);
        return false;
    }
    if (port <= 0 || port > 65535) {
        port = ssl ? 443 : 80;
    }
    zend_update_property_str(hc_ce, &h->std, ZEND_STRL("host"), host);
    zend_update_property_long(hc_ce, &h->std, ZEND_STRL("port"), port);
    zend_update_property_bool(hc_ce, &h->std, ZEND_STRL("ssl"), ssl);
    eddy_http_client_free(h->cli);
    h->cli = eddy_http_client_new(ZSTR_VAL(host), (int) port, &h->opts);
    h->ssl = ssl;
    h->tls_stale = ssl;
    return true;
}

#define REQUIRE_CLIENT(h)                                                        \
    do {                                                                         \
        if (!(h)->cli) {                                                         \
            zend_throw_error(NULL, "Swoole\\Coroutine\\Http\\Client is not constructed"); \
            RETURN_THROWS();                                                     \
        }                                                                        \
    } while (0)

PHP_METHOD(Swoole_Coroutine_Http_Client, __construct) {
    zend_string *host;
    zend_long port = 0;
    bool ssl = false;

    ZEND_PARSE_PARAMETERS_START(1, 3)
        Z_PARAM_STR(host)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(port)
        Z_PARAM_BOOL(ssl)
    ZEND_PARSE_PARAMETERS_END();

    if (!init_client(THIS_HC(), host, port, ssl)) {
        RETURN_THROWS();
    }
}

PHP_METHOD(Swoole_Coroutine_Http_Client, __destruct) {
    ZEND_PARSE_PARAMETERS_NONE();
}

PHP_METHOD(Swoole_Coroutine_Http_Client, set) {
    HashTable *opts;
    php_hc_t *h = THIS_HC();
    zval *setting, merged;

    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_ARRAY_HT(opts)
    ZEND_PARSE_PARAMETERS_END();
    REQUIRE_CLIENT(h);

    apply_options(h, opts);
    setting = prop(h, "setting");
    if (Z_TYPE_P(setting) == IS_ARRAY) {
        ZVAL_ARR(&merged, zend_array_dup(Z_ARRVAL_P(setting)));
        zend_hash_merge(Z_ARRVAL(merged), opts, zval_add_ref, 1);
    } else {
        ZVAL_ARR(&merged, zend_array_dup(opts));
    }
    zend_update_property(hc_ce, &h->std, ZEND_STRL("setting"), &merged);
    zval_ptr_dtor(&merged);
    RETURN_TRUE;
}

PHP_METHOD(Swoole_Coroutine_Http_Client, getDefer) {
    ZEND_PARSE_PARAMETERS_NONE();
    RETURN_BOOL(THIS_HC()->defer);
}

/* Swoole 4.x's deferred receive was replaced by coroutines running requests
 * concurrently; the flag is kept for code that sets it, as Swoole 5 does. */
PHP_METHOD(Swoole_Coroutine_Http_Client, setDefer) {
    bool defer = true;

    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_BOOL(defer)
    ZEND_PARSE_PARAMETERS_END();
    THIS_HC()->defer = defer;
    RETURN_TRUE;
}

PHP_METHOD(Swoole_Coroutine_Http_Client, setMethod) {
    zend_string *m;

    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_STR(m)
    ZEND_PARSE_PARAMETERS_END();
    zend_update_property_str(hc_ce, Z_OBJ_P(ZEND_THIS), ZEND_STRL("requestMethod"), m);
    RETURN_TRUE;
}

PHP_METHOD(Swoole_Coroutine_Http_Client, setHeaders) {
    zval *headers;

    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_ARRAY(headers)
    ZEND_PARSE_PARAMETERS_END();
    zend_update_property(hc_ce, Z_OBJ_P(ZEND_THIS), ZEND_STRL("requestHeaders"), headers);
    RETURN_TRUE;
}

PHP_METHOD(Swoole_Coroutine_Http_Client, setBasicAuth) {
    zend_string *user, *pass;
    php_hc_t *h = THIS_HC();

    ZEND_PARSE_PARAMETERS_START(2, 2)
        Z_PARAM_STR(user)
        Z_PARAM_STR(pass)
    ZEND_PARSE_PARAMETERS_END();

    zend_string *plain = zend_strpprintf(0, "%s:%s", ZSTR_VAL(user), ZSTR_VAL(pass));
    zend_string *enc = php_base64_encode((const unsigned char *) ZSTR_VAL(plain), ZSTR_LEN(plain));
    zend_string *value = zend_strpprintf(0, "Basic %s", ZSTR_VAL(enc));
    zval *hdrs = prop(h, "requestHeaders"), copy;
    if (Z_TYPE_P(hdrs) == IS_ARRAY) {
        ZVAL_ARR(&copy, zend_array_dup(Z_ARRVAL_P(hdrs)));
    } else {
        array_init(&copy);
    }
    add_assoc_str_ex(&copy, ZEND_STRL("Authorization"), value);
    zend_update_property(hc_ce, &h->std, ZEND_STRL("requestHeaders"), &copy);
    zval_ptr_dtor(&copy);
    zend_string_release(enc);
    zend_string_release(plain);
}

PHP_METHOD(Swoole_Coroutine_Http_Client, setCookies) {
    zval *cookies;

    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_ARRAY(cookies)
    ZEND_PARSE_PARAMETERS_END();
    zend_update_property(hc_ce, Z_OBJ_P(ZEND_THIS), ZEND_STRL("cookies"), cookies);
    RETURN_TRUE;
}

PHP_METHOD(Swoole_Coroutine_Http_Client, setData) {
    zval *data;

    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_ZVAL(data)
    ZEND_PARSE_PARAMETERS_END();
    if (Z_TYPE_P(data) != IS_ARRAY && Z_TYPE_P(data) != IS_STRING) {
        zend_argument_type_error(1, "must be of type array|string, %s given", zend_zval_type_name(data));
        RETURN_THROWS();
    }
    zend_update_property(hc_ce, Z_OBJ_P(ZEND_THIS), ZEND_STRL("requestBody"), data);
    RETURN_TRUE;
}

static void push_upload(php_hc_t *h, zval *entry) {
    zval *files = prop(h, "uploadFiles"), copy;

    if (Z_TYPE_P(files) == IS_ARRAY) {
        ZVAL_ARR(&copy, zend_array_dup(Z_ARRVAL_P(files)));
    } else {
        array_init(&copy);
    }
    add_next_index_zval(&copy, entry);
    zend_update_property(hc_ce, &h->std, ZEND_STRL("uploadFiles"), &copy);
    zval_ptr_dtor(&copy);
}

PHP_METHOD(Swoole_Coroutine_Http_Client, addFile) {
    zend_string *path, *name, *type = NULL, *filename = NULL;
    zend_long offset = 0, length = 0;
    zval entry;

    ZEND_PARSE_PARAMETERS_START(2, 6)
        Z_PARAM_PATH_STR(path)
        Z_PARAM_STR(name)
        Z_PARAM_OPTIONAL
        Z_PARAM_STR_OR_NULL(type)
        Z_PARAM_STR_OR_NULL(filename)
        Z_PARAM_LONG(offset)
        Z_PARAM_LONG(length)
    ZEND_PARSE_PARAMETERS_END();

    if (access(ZSTR_VAL(path), R_OK) != 0) {
        php_error_docref(NULL, E_WARNING, "File[%s] does not exist or is not readable", ZSTR_VAL(path));
        RETURN_FALSE;
    }
    if (offset < 0 || length < 0) {
        php_error_docref(NULL, E_WARNING, "offset and length must not be negative");
        RETURN_FALSE;
    }
    array_init(&entry);
    add_assoc_str(&entry, "path", zend_string_copy(path));
    add_assoc_str(&entry, "name", zend_string_copy(name));
    if (type) {
        add_assoc_str(&entry, "type", zend_string_copy(type));
    }
    if (filename) {
        add_assoc_str(&entry, "filename", zend_string_copy(filename));
    }
    add_assoc_long(&entry, "offset", offset);
    add_assoc_long(&entry, "length", length);
    push_upload(THIS_HC(), &entry);
    RETURN_TRUE;
}

PHP_METHOD(Swoole_Coroutine_Http_Client, addData) {
    zend_string *data, *name, *type = NULL, *filename = NULL;
    zval entry;

    ZEND_PARSE_PARAMETERS_START(2, 4)
        Z_PARAM_STR(data)
        Z_PARAM_STR(name)
        Z_PARAM_OPTIONAL
        Z_PARAM_STR_OR_NULL(type)
        Z_PARAM_STR_OR_NULL(filename)
    ZEND_PARSE_PARAMETERS_END();

    array_init(&entry);
    add_assoc_str(&entry, "content", zend_string_copy(data));
    add_assoc_str(&entry, "name", zend_string_copy(name));
    if (type) {
        add_assoc_str(&entry, "type", zend_string_copy(type));
    }
    add_assoc_str(&entry, "filename", filename ? zend_string_copy(filename) : zend_string_copy(name));
    push_upload(THIS_HC(), &entry);
    RETURN_TRUE;
}

PHP_METHOD(Swoole_Coroutine_Http_Client, execute) {
    zend_string *path;
    php_hc_t *h = THIS_HC();

    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_STR(path)
    ZEND_PARSE_PARAMETERS_END();
    REQUIRE_CLIENT(h);
    RETURN_BOOL(do_request(h, path, false));
}

PHP_METHOD(Swoole_Coroutine_Http_Client, get) {
    zend_string *path;
    php_hc_t *h = THIS_HC();

    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_STR(path)
    ZEND_PARSE_PARAMETERS_END();
    REQUIRE_CLIENT(h);
    RETURN_BOOL(do_request(h, path, false));
}

PHP_METHOD(Swoole_Coroutine_Http_Client, post) {
    zend_string *path;
    zval *data;
    php_hc_t *h = THIS_HC();

    ZEND_PARSE_PARAMETERS_START(2, 2)
        Z_PARAM_STR(path)
        Z_PARAM_ZVAL(data)
    ZEND_PARSE_PARAMETERS_END();
    REQUIRE_CLIENT(h);
    zend_update_property_string(hc_ce, &h->std, ZEND_STRL("requestMethod"), "POST");
    zend_update_property(hc_ce, &h->std, ZEND_STRL("requestBody"), data);
    RETURN_BOOL(do_request(h, path, false));
}

PHP_METHOD(Swoole_Coroutine_Http_Client, download) {
    zend_string *path, *file;
    zend_long offset = 0;
    php_hc_t *h = THIS_HC();

    ZEND_PARSE_PARAMETERS_START(2, 3)
        Z_PARAM_STR(path)
        Z_PARAM_PATH_STR(file)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(offset)
    ZEND_PARSE_PARAMETERS_END();
    REQUIRE_CLIENT(h);
    zend_update_property_str(hc_ce, &h->std, ZEND_STRL("downloadFile"), file);
    zend_update_property_long(hc_ce, &h->std, ZEND_STRL("downloadOffset"), offset);
    if (offset > 0) { /* Swoole resumes with a Range request from the offset */
        zval *hdrs = prop(h, "requestHeaders"), copy;
        if (Z_TYPE_P(hdrs) == IS_ARRAY) {
            ZVAL_ARR(&copy, zend_array_dup(Z_ARRVAL_P(hdrs)));
        } else {
            array_init(&copy);
        }
        add_assoc_str_ex(&copy, ZEND_STRL("Range"), zend_strpprintf(0, "bytes=" ZEND_LONG_FMT "-", offset));
        zend_update_property(hc_ce, &h->std, ZEND_STRL("requestHeaders"), &copy);
        zval_ptr_dtor(&copy);
    }
    RETURN_BOOL(do_request(h, path, false));
}

PHP_METHOD(Swoole_Coroutine_Http_Client, getpeername) {
    php_hc_t *h = THIS_HC();
    char ip[64];
    int port;

    ZEND_PARSE_PARAMETERS_NONE();
    REQUIRE_CLIENT(h);
    if (eddy_http_client_peer(h->cli, ip, sizeof(ip), &port) < 0) {
        RETURN_FALSE;
    }
    array_init(return_value);
    add_assoc_string(return_value, "host", ip);
    add_assoc_long(return_value, "port", port);
}

PHP_METHOD(Swoole_Coroutine_Http_Client, getBody) {
    ZEND_PARSE_PARAMETERS_NONE();
    RETURN_COPY(prop(THIS_HC(), "body"));
}

PHP_METHOD(Swoole_Coroutine_Http_Client, getHeaders) {
    ZEND_PARSE_PARAMETERS_NONE();
    RETURN_COPY(prop(THIS_HC(), "headers"));
}

PHP_METHOD(Swoole_Coroutine_Http_Client, getCookies) {
    ZEND_PARSE_PARAMETERS_NONE();
    RETURN_COPY(prop(THIS_HC(), "cookies"));
}

PHP_METHOD(Swoole_Coroutine_Http_Client, getStatusCode) {
    ZEND_PARSE_PARAMETERS_NONE();
    RETURN_COPY(prop(THIS_HC(), "statusCode"));
}

PHP_METHOD(Swoole_Coroutine_Http_Client, getHeaderOut) {
    php_hc_t *h = THIS_HC();

    ZEND_PARSE_PARAMETERS_NONE();
    REQUIRE_CLIENT(h);
    RETURN_STRING(eddy_http_client_header_out(h->cli));
}

PHP_METHOD(Swoole_Coroutine_Http_Client, close) {
    php_hc_t *h = THIS_HC();

    ZEND_PARSE_PARAMETERS_NONE();
    REQUIRE_CLIENT(h);
    eddy_http_client_close(h->cli);
    zend_update_property_bool(hc_ce, &h->std, ZEND_STRL("connected"), 0);
    RETURN_TRUE;
}

/* ---- WebSocket ------------------------------------------------------------------ */

PHP_METHOD(Swoole_Coroutine_Http_Client, upgrade) {
    zend_string *path;
    php_hc_t *h = THIS_HC();

    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_STR(path)
    ZEND_PARSE_PARAMETERS_END();
    REQUIRE_CLIENT(h);
    RETURN_BOOL(do_request(h, path, true));
}

PHP_METHOD(Swoole_Coroutine_Http_Client, push) {
    zval *data;
    zend_long opcode = EDDY_WS_OP_TEXT, flags = EDDY_HTTP_CLIENT_WS_FIN;
    php_hc_t *h = THIS_HC();
    zend_string *payload;
    int rc;

    ZEND_PARSE_PARAMETERS_START(1, 3)
        Z_PARAM_ZVAL(data)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(opcode)
        Z_PARAM_LONG(flags)
    ZEND_PARSE_PARAMETERS_END();
    REQUIRE_CLIENT(h);

    if (!php_coro_require()) {
        RETURN_THROWS();
    }
    if (Z_TYPE_P(data) == IS_OBJECT) { /* a Frame: its data, opcode and flags */
        zval rv, *v;
        v = zend_read_property(Z_OBJCE_P(data), Z_OBJ_P(data), ZEND_STRL("opcode"), 1, &rv);
        opcode = zval_get_long(v);
        v = zend_read_property(Z_OBJCE_P(data), Z_OBJ_P(data), ZEND_STRL("flags"), 1, &rv);
        flags = zval_get_long(v);
        v = zend_read_property(Z_OBJCE_P(data), Z_OBJ_P(data), ZEND_STRL("data"), 1, &rv);
        payload = zval_get_string(v);
    } else {
        payload = zval_get_string(data);
    }
    if (!eddy_http_client_is_websocket(h->cli)) {
        zend_string_release(payload);
        set_error(h, 8503, "websocket handshake failed, cannot push data"); /* SWOOLE_ERROR_WEBSOCKET_UNCONNECTED */
        RETURN_FALSE;
    }
    rc = eddy_http_client_push(h->cli, ZSTR_VAL(payload), ZSTR_LEN(payload), (int) opcode, (int) flags);
    zend_string_release(payload);
    if (!php_coro_after_switch()) {
        RETURN_THROWS();
    }
    if (rc < 0) {
        set_error(h, -rc, eddy_strerror(rc));
        set_connected(h);
        RETURN_FALSE;
    }
    RETURN_TRUE;
}

/* Swoole\WebSocket\Frame / CloseFrame when the WebSocket family provides
 * them, else a plain object with the same properties. */
static void make_frame(zval *out, const eddy_http_client_frame_t *f) {
    bool close = f->opcode == EDDY_WS_OP_CLOSE;
    zend_string *cn = zend_string_init(close ? "Swoole\\WebSocket\\CloseFrame" : "Swoole\\WebSocket\\Frame",
                                       close ? 27 : 22, 0);
    zend_class_entry *ce = zend_lookup_class(cn);

    zend_string_release(cn);
    object_init_ex(out, ce ? ce : zend_standard_class_def);
    zend_object *o = Z_OBJ_P(out);
    zend_class_entry *oc = o->ce;
    zend_update_property_long(oc, o, ZEND_STRL("fd"), 0);
    zend_update_property_stringl(oc, o, ZEND_STRL("data"), f->data, f->len);
    zend_update_property_long(oc, o, ZEND_STRL("opcode"), f->opcode);
    /* As the WebSocket server's frames: COMPRESS means "it came deflated". */
    zend_update_property_long(oc, o, ZEND_STRL("flags"), (f->fin ? EDDY_HTTP_CLIENT_WS_FIN : 0) |
                                                           (f->compressed ? EDDY_HTTP_CLIENT_WS_COMPRESS : 0));
    zend_update_property_bool(oc, o, ZEND_STRL("finish"), f->fin);
    if (close) {
        zend_update_property_long(oc, o, ZEND_STRL("code"), f->close_code);
        zend_update_property_stringl(oc, o, ZEND_STRL("reason"), f->data, f->len);
    }
}

PHP_METHOD(Swoole_Coroutine_Http_Client, recv) {
    double timeout = 0;
    php_hc_t *h = THIS_HC();
    eddy_http_client_frame_t f;
    int rc;

    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_DOUBLE(timeout)
    ZEND_PARSE_PARAMETERS_END();
    REQUIRE_CLIENT(h);
    if (!php_coro_require()) {
        RETURN_THROWS();
    }
    if (!eddy_http_client_is_websocket(h->cli)) {
        set_error(h, 8503, "websocket handshake failed, cannot recv data");
        RETURN_FALSE;
    }
    rc = eddy_http_client_recv(h->cli, &f, php_coio_timeout(timeout));
    if (!php_coro_after_switch()) {
        RETURN_THROWS();
    }
    set_connected(h);
    if (rc < 0) {
        sync_error(h);
        RETURN_FALSE;
    }
    make_frame(return_value, &f);
}

/* ---- ClientProxy ------------------------------------------------------------------ */

PHP_METHOD(Swoole_Coroutine_Http_ClientProxy, __construct) {
    zend_string *body;
    zend_long status;
    zval *headers = NULL, *cookies = NULL;
    zend_object *o = Z_OBJ_P(ZEND_THIS);

    ZEND_PARSE_PARAMETERS_START(4, 4)
        Z_PARAM_STR(body)
        Z_PARAM_LONG(status)
        Z_PARAM_ARRAY_OR_NULL(headers)
        Z_PARAM_ARRAY_OR_NULL(cookies)
    ZEND_PARSE_PARAMETERS_END();

    zend_update_property_str(proxy_ce, o, ZEND_STRL("body"), body);
    zend_update_property_long(proxy_ce, o, ZEND_STRL("statusCode"), status);
    if (headers) {
        zend_update_property(proxy_ce, o, ZEND_STRL("headers"), headers);
    } else {
        zend_update_property_null(proxy_ce, o, ZEND_STRL("headers"));
    }
    if (cookies) {
        zend_update_property(proxy_ce, o, ZEND_STRL("cookies"), cookies);
    } else {
        zend_update_property_null(proxy_ce, o, ZEND_STRL("cookies"));
    }
}

static zval *proxy_prop(zval *self, const char *name) {
    zval rv;
    zval *v = zend_read_property(proxy_ce, Z_OBJ_P(self), name, strlen(name), 1, &rv);
    ZVAL_DEREF(v);
    return v;
}

PHP_METHOD(Swoole_Coroutine_Http_ClientProxy, getBody) {
    ZEND_PARSE_PARAMETERS_NONE();
    RETURN_COPY(proxy_prop(ZEND_THIS, "body"));
}

PHP_METHOD(Swoole_Coroutine_Http_ClientProxy, getStatusCode) {
    ZEND_PARSE_PARAMETERS_NONE();
    RETURN_COPY(proxy_prop(ZEND_THIS, "statusCode"));
}

PHP_METHOD(Swoole_Coroutine_Http_ClientProxy, getHeaders) {
    ZEND_PARSE_PARAMETERS_NONE();
    RETURN_COPY(proxy_prop(ZEND_THIS, "headers"));
}

PHP_METHOD(Swoole_Coroutine_Http_ClientProxy, getCookies) {
    ZEND_PARSE_PARAMETERS_NONE();
    RETURN_COPY(proxy_prop(ZEND_THIS, "cookies"));
}

/* ---- get() / post() / request() ------------------------------------------------ */

/* One request on a fresh Client, as Swoole's library does; a ClientProxy,
 * or a thrown Client\Exception when no response came. */
static void one_shot(zval *return_value, zend_string *url, const char *method, zval *data,
                     HashTable *options, zval *headers, zval *cookies) {
    php_url *u = php_url_parse_ex(ZSTR_VAL(url), ZSTR_LEN(url));
    zval zc;

    if (!u || !u->host) {
        if (u) {
            php_url_free(u);
        }
        zend_throw_exception_ex(hc_exception_ce, EINVAL, "invalid URL: %s", ZSTR_VAL(url));
        return;
    }
    bool ssl = u->scheme && zend_string_equals_literal_ci(u->scheme, "https");
    zend_long port = u->port ? u->port : (ssl ? 443 : 80);
    object_init_ex(&zc, hc_ce);
    php_hc_t *h = hc_from_obj(Z_OBJ(zc));
    zend_string *path = zend_strpprintf(0, "%s%s%s", u->path ? ZSTR_VAL(u->path) : "/",
                                        u->query ? "?" : "", u->query ? ZSTR_VAL(u->query) : "");
    bool ok = init_client(h, u->host, port, ssl);
    php_url_free(u);
    if (ok) {
        if (options) {
            apply_options(h, options);
            /* $setting as set() would leave it: refresh_tls reads it */
            zval zo;
            ZVAL_ARR(&zo, zend_array_dup(options));
            zend_update_property(hc_ce, &h->std, ZEND_STRL("setting"), &zo);
            zval_ptr_dtor(&zo);
        }
        if (headers) {
            zend_update_property(hc_ce, &h->std, ZEND_STRL("requestHeaders"), headers);
        }
        if (cookies) {
            zend_update_property(hc_ce, &h->std, ZEND_STRL("cookies"), cookies);
        }
        zend_update_property_string(hc_ce, &h->std, ZEND_STRL("requestMethod"), method);
        if (data && Z_TYPE_P(data) != IS_NULL) {
            zend_update_property(hc_ce, &h->std, ZEND_STRL("requestBody"), data);
        }
        ok = do_request(h, path, false);
        if (ok) {
            zval args[4];
            ZVAL_COPY(&args[0], prop(h, "body"));
            ZVAL_COPY(&args[1], prop(h, "statusCode"));
            ZVAL_COPY(&args[2], prop(h, "headers"));
            ZVAL_COPY(&args[3], prop(h, "cookies"));
            object_init_ex(return_value, proxy_ce);
            zend_call_known_instance_method(proxy_ce->constructor, Z_OBJ_P(return_value), NULL, 4, args);
            for (int i = 0; i < 4; i++) {
                zval_ptr_dtor(&args[i]);
            }
        } else if (!EG(exception)) {
            zend_throw_exception(hc_exception_ce, Z_STRVAL_P(prop(h, "errMsg")),
                                 zval_get_long(prop(h, "errCode")));
        }
    }
    zend_string_release(path);
    zval_ptr_dtor(&zc);
}

PHP_FUNCTION(Swoole_Coroutine_Http_request) {
    zend_string *url, *method;
    zval *data = NULL, *headers = NULL, *cookies = NULL;
    HashTable *options = NULL;

    ZEND_PARSE_PARAMETERS_START(2, 6)
        Z_PARAM_STR(url)
        Z_PARAM_STR(method)
        Z_PARAM_OPTIONAL
        Z_PARAM_ZVAL(data)
        Z_PARAM_ARRAY_HT_OR_NULL(options)
        Z_PARAM_ARRAY_OR_NULL(headers)
        Z_PARAM_ARRAY_OR_NULL(cookies)
    ZEND_PARSE_PARAMETERS_END();
    one_shot(return_value, url, ZSTR_VAL(method), data, options, headers, cookies);
}

PHP_FUNCTION(Swoole_Coroutine_Http_get) {
    zend_string *url;
    zval *headers = NULL, *cookies = NULL;
    HashTable *options = NULL;

    ZEND_PARSE_PARAMETERS_START(1, 4)
        Z_PARAM_STR(url)
        Z_PARAM_OPTIONAL
        Z_PARAM_ARRAY_HT_OR_NULL(options)
        Z_PARAM_ARRAY_OR_NULL(headers)
        Z_PARAM_ARRAY_OR_NULL(cookies)
    ZEND_PARSE_PARAMETERS_END();
    one_shot(return_value, url, "GET", NULL, options, headers, cookies);
}

PHP_FUNCTION(Swoole_Coroutine_Http_post) {
    zend_string *url;
    zval *data, *headers = NULL, *cookies = NULL;
    HashTable *options = NULL;

    ZEND_PARSE_PARAMETERS_START(2, 5)
        Z_PARAM_STR(url)
        Z_PARAM_ZVAL(data)
        Z_PARAM_OPTIONAL
        Z_PARAM_ARRAY_HT_OR_NULL(options)
        Z_PARAM_ARRAY_OR_NULL(headers)
        Z_PARAM_ARRAY_OR_NULL(cookies)
    ZEND_PARSE_PARAMETERS_END();
    one_shot(return_value, url, "POST", data, options, headers, cookies);
}

/* ---- registration ------------------------------------------------------------------ */

static void register_constant(const char *name, zend_long value, int module_number) {
    if (zend_get_constant_str(name, strlen(name))) {
        return; /* the WebSocket server family registered it */
    }
    zend_register_long_constant(name, strlen(name), value, CONST_CS | CONST_PERSISTENT, module_number);
}

void php_swoole_http_client_minit(int module_number) {
    /* Called after every other family's MINIT: constants the WebSocket
     * server also defines are only added when it did not. */
    register_constant("SWOOLE_WEBSOCKET_OPCODE_CONTINUATION", EDDY_WS_OP_CONTINUATION, module_number);
    register_constant("SWOOLE_WEBSOCKET_OPCODE_TEXT", EDDY_WS_OP_TEXT, module_number);
    register_constant("SWOOLE_WEBSOCKET_OPCODE_BINARY", EDDY_WS_OP_BINARY, module_number);
    register_constant("SWOOLE_WEBSOCKET_OPCODE_CLOSE", EDDY_WS_OP_CLOSE, module_number);
    register_constant("SWOOLE_WEBSOCKET_OPCODE_PING", EDDY_WS_OP_PING, module_number);
    register_constant("SWOOLE_WEBSOCKET_OPCODE_PONG", EDDY_WS_OP_PONG, module_number);
    register_constant("SWOOLE_WEBSOCKET_FLAG_FIN", EDDY_HTTP_CLIENT_WS_FIN, module_number);
    register_constant("SWOOLE_WEBSOCKET_FLAG_COMPRESS", EDDY_HTTP_CLIENT_WS_COMPRESS, module_number);
    register_constant("SWOOLE_HTTP_CLIENT_ESTATUS_CONNECT_FAILED", EDDY_HTTP_CLIENT_CONNECT_FAILED, module_number);
    register_constant("SWOOLE_HTTP_CLIENT_ESTATUS_REQUEST_TIMEOUT", EDDY_HTTP_CLIENT_REQUEST_TIMEOUT, module_number);
    register_constant("SWOOLE_HTTP_CLIENT_ESTATUS_SERVER_RESET", EDDY_HTTP_CLIENT_SERVER_RESET, module_number);
    register_constant("SWOOLE_HTTP_CLIENT_ESTATUS_SEND_FAILED", EDDY_HTTP_CLIENT_SEND_FAILED, module_number);

    hc_ce = register_class_Swoole_Coroutine_Http_Client();
    hc_ce->create_object = hc_create_object;
    memcpy(&hc_handlers, zend_get_std_object_handlers(), sizeof(hc_handlers));
    hc_handlers.offset = XtOffsetOf(php_hc_t, std);
    hc_handlers.free_obj = hc_free_object;
    hc_handlers.clone_obj = NULL;
    proxy_ce = register_class_Swoole_Coroutine_Http_ClientProxy();
    hc_exception_ce = register_class_Swoole_Coroutine_Http_Client_Exception(php_swoole_exception_ce);
    zend_register_functions(NULL, ext_functions, NULL, MODULE_PERSISTENT);
    if (php_swoole_use_shortname()) {
        zend_register_class_alias("Co\\Http\\Client", hc_ce);
    }
}
