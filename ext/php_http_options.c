/*
 * The options of Swoole\Http\Server::set() that belong to the HTTP layer
 * (php_server.h's proto->set_option): checked when set() is called, kept in
 * php_http_options_t, and handed to eddy_http_server_new() at start()
 * (Swoole\WebSocket\Server's set() reads them here too and hands them to
 * eddy_ws_server_new() for its HTTP server).
 * Options not listed here go on to Swoole\Server's table, which warns about
 * unknown ones.
 *
 *   http_parse_post, http_parse_cookie   (bool, default true) fill
 *       $request->post / ->cookie; the raw header is kept either way
 *   http_compression                     (bool, default true)
 *   websocket_compression                (bool, default false): Response::
 *       upgrade() accepts permessage-deflate
 *   http_compression_level / compression_level   (1..9, default 1)
 *   compression_min_length               (bytes, default 20)
 *   http_compression_types               (array or string of media types;
 *       "text/" + '*' wildcards; [] compresses every type)
 *   enable_static_handler                (bool, default false)
 *   document_root                        (directory; required by the above)
 *   static_handler_locations             (array of URL prefixes)
 *   http_index_files                     (array of file names)
 *   upload_tmp_dir                       (directory for multipart files, "/tmp")
 *   upload_max_filesize                  (bytes per uploaded file; over it the
 *       file gets UPLOAD_ERR_INI_SIZE)
 *   http_parse_files                     (true only: multipart bodies are
 *       always parsed by the engine; false warns)
 *   keepalive_timeout, header_timeout, body_timeout   (seconds, engine
 *       options named after nginx's, default 60; < 0 turns one off)
 */
#include "php_swoole.h"
#include "php_http.h"

void php_http_options_init(php_http_options_t *o) {
    memset(o, 0, sizeof(*o));
    o->parse_post = true;
    o->parse_cookie = true;
}

static void free_list(char ***list) {
    if (*list) {
        for (char **t = *list; *t; t++) {
            efree(*t);
        }
        efree(*list);
        *list = NULL;
    }
}

void php_http_options_free(php_http_options_t *o) {
    free_list(&o->compression_types);
    free_list(&o->static_locations);
    free_list(&o->index_files);
    if (o->document_root) {
        efree(o->document_root);
        o->document_root = NULL;
    }
    if (o->upload_tmp_dir) {
        efree(o->upload_tmp_dir);
        o->upload_tmp_dir = NULL;
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

static char *copy_str(zval *v) {
    zend_string *s = zval_get_string(v);
    char *c = estrndup(ZSTR_VAL(s), ZSTR_LEN(s));
    zend_string_release(s);
    return c;
}

/* *list becomes a NULL-terminated copy of v (a string counts as a list of
 * one), owned by the options. */
static void set_list(char ***list, zval *v) {
    uint32_t n = Z_TYPE_P(v) == IS_ARRAY ? zend_hash_num_elements(Z_ARRVAL_P(v)) : 1;
    uint32_t i = 0;
    zval *e;

    free_list(list);
    *list = ecalloc(n + 1, sizeof(char *));
    if (Z_TYPE_P(v) != IS_ARRAY) {
        (*list)[0] = copy_str(v);
        return;
    }
    ZEND_HASH_FOREACH_VAL(Z_ARRVAL_P(v), e) {
        (*list)[i++] = copy_str(e);
    } ZEND_HASH_FOREACH_END();
}

/* Seconds; 0 would mean the engine's default, so it is taken as "off". */
static double timeout_of(zval *v) {
    double t = zval_get_double(v);
    return t > 0 ? t : -1;
}

bool php_http_option(php_http_options_t *o, zend_string *key, zval *v) {
    zend_long n;

    if (zend_string_equals_literal(key, "http_parse_post")) {
        o->parse_post = zend_is_true(v);
    } else if (zend_string_equals_literal(key, "http_parse_cookie")) {
        o->parse_cookie = zend_is_true(v);
    } else if (zend_string_equals_literal(key, "websocket_compression")) {
        o->websocket_compression = zend_is_true(v);
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
        set_list(&o->compression_types, v);
    } else if (zend_string_equals_literal(key, "enable_static_handler")) {
        o->static_handler = zend_is_true(v);
    } else if (zend_string_equals_literal(key, "document_root")) {
        if (o->document_root) {
            efree(o->document_root);
        }
        o->document_root = copy_str(v);
    } else if (zend_string_equals_literal(key, "static_handler_locations")) {
        set_list(&o->static_locations, v);
    } else if (zend_string_equals_literal(key, "http_index_files")) {
        set_list(&o->index_files, v);
    } else if (zend_string_equals_literal(key, "upload_tmp_dir")) {
        if (o->upload_tmp_dir) {
            efree(o->upload_tmp_dir);
        }
        o->upload_tmp_dir = copy_str(v);
    } else if (zend_string_equals_literal(key, "upload_max_filesize")) {
        if (int_in(key, v, 0, ZEND_LONG_MAX, &n)) {
            o->upload_max_filesize = (uint64_t) n;
        }
    } else if (zend_string_equals_literal(key, "http_parse_files")) {
        if (!zend_is_true(v)) {
            php_error_docref(NULL, E_WARNING, "http_parse_files cannot be turned off: "
                                              "multipart bodies are always parsed");
        }
    } else if (zend_string_equals_literal(key, "keepalive_timeout")) {
        o->keepalive_timeout = timeout_of(v);
    } else if (zend_string_equals_literal(key, "header_timeout")) {
        o->header_timeout = timeout_of(v);
    } else if (zend_string_equals_literal(key, "body_timeout")) {
        o->body_timeout = timeout_of(v);
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
    out->enable_static_handler = o->static_handler;
    out->document_root = o->document_root;
    out->static_handler_locations = (const char *const *) o->static_locations;
    out->http_index_files = (const char *const *) o->index_files;
    out->upload_tmp_dir = o->upload_tmp_dir;
    out->upload_max_filesize = o->upload_max_filesize;
    out->keepalive_timeout = o->keepalive_timeout;
    out->header_timeout = o->header_timeout;
    out->body_timeout = o->body_timeout;
}
