/*
 * The options of Swoole\Http\Server::set() that belong to the HTTP layer
 * (php_server.h's proto->set_option): checked when set() is called, kept in
 * php_http_options_t, and handed to eddy_http_server_new() at start().
 * Options not listed here go on to Swoole\Server's table, which warns about
 * unknown ones.
 *
 *   http_parse_post, http_parse_cookie   (bool, default true) fill
 *       $request->post / ->cookie; the raw header is kept either way
 *   http_compression                     (bool, default true)
 *   http_compression_level / compression_level   (1..9, default 1)
 *   compression_min_length               (bytes, default 20)
 *   http_compression_types               (array or string of media types;
 *       "text/" + '*' wildcards; [] compresses every type)
 */
#include "php_swoole.h"
#include "php_http.h"

void php_http_options_init(php_http_options_t *o) {
    memset(o, 0, sizeof(*o));
    o->parse_post = true;
    o->parse_cookie = true;
}

void php_http_options_free(php_http_options_t *o) {
    if (o->compression_types) {
        for (char **t = o->compression_types; *t; t++) {
            efree(*t);
        }
        efree(o->compression_types);
        o->compression_types = NULL;
    }
}

static bool int_in(zend_string *key, zval *v, zend_long lo, zend_long hi, zend_long *out) {
    zend_long n = zval_get_long(v);

    if (n < lo || n > hi) {
        php_swoole_set_error(-EDDY_EINVAL);
        php_error_docref(NULL, E_WARNING,
                         "option '%s' must be between " ZEND_LONG_FMT " and " ZEND_LONG_FMT,
                         ZSTR_VAL(key), lo, hi);
        return false;
    }
    *out = n;
    return true;
}

/* A NULL-terminated copy of the list (a string counts as a list of one). */
static void set_types(php_http_options_t *o, zval *v) {
    uint32_t n = Z_TYPE_P(v) == IS_ARRAY ? zend_hash_num_elements(Z_ARRVAL_P(v)) : 1;
    uint32_t i = 0;
    zval *e;

    php_http_options_free(o);
    o->compression_types = ecalloc(n + 1, sizeof(char *)); /* owned by o */
    if (Z_TYPE_P(v) != IS_ARRAY) {
        zend_string *s = zval_get_string(v);
        o->compression_types[0] = estrndup(ZSTR_VAL(s), ZSTR_LEN(s));
        zend_string_release(s);
        return;
    }
    ZEND_HASH_FOREACH_VAL(Z_ARRVAL_P(v), e) {
        zend_string *s = zval_get_string(e);
        o->compression_types[i++] = estrndup(ZSTR_VAL(s), ZSTR_LEN(s));
        zend_string_release(s);
    } ZEND_HASH_FOREACH_END();
}

bool php_http_option(php_http_options_t *o, zend_string *key, zval *v) {
    zend_long n;

    if (zend_string_equals_literal(key, "http_parse_post")) {
        o->parse_post = zend_is_true(v);
    } else if (zend_string_equals_literal(key, "http_parse_cookie")) {
        o->parse_cookie = zend_is_true(v);
    } else if (zend_string_equals_literal(key, "http_compression")) {
        o->compression = zend_is_true(v) ? 1 : -1;
    } else if (zend_string_equals_literal(key, "http_compression_level") ||
               zend_string_equals_literal(key, "compression_level")) {
        if (int_in(key, v, 1, 9, &n)) {
            o->compression_level = (int) n;
        }
    } else if (zend_string_equals_literal(key, "compression_min_length")) {
        if (int_in(key, v, 0, ZEND_LONG_MAX, &n)) {
            /* the engine reads 0 as its default (20): 0 here means any body */
            o->compression_min_length = n == 0 ? 1 : (size_t) n;
        }
    } else if (zend_string_equals_literal(key, "http_compression_types")) {
        set_types(o, v);
    } else {
        return false;
    }
    return true;
}

void php_http_options_apply(const php_http_options_t *o, eddy_http_server_opts_t *out) {
    out->http_compression = o->compression;
    out->http_compression_level = o->compression_level;
    out->compression_min_length = o->compression_min_length;
    out->http_compression_types = (const char *const *) o->compression_types;
}
