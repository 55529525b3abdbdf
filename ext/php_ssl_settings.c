/*
 * Swoole's ssl_* settings on the engine's TLS (php_ssl_settings.h).
 */
#include "php_swoole.h"
#include "php_coroutine.h"
#include "php_ssl_settings.h"

#include "eddy/base.h"
#include "eddy/tls.h"

static zval *find(HashTable *settings, const char *key) {
    return settings ? zend_hash_str_find(settings, key, strlen(key)) : NULL;
}

/* A non-empty string setting; points into the array, which outlives the
 * handshake (the engine copies what it keeps). */
static const char *str_opt(HashTable *settings, const char *key) {
    zval *v = find(settings, key);
    return v && Z_TYPE_P(v) == IS_STRING && Z_STRLEN_P(v) > 0 ? Z_STRVAL_P(v) : NULL;
}

static bool bool_opt(HashTable *settings, const char *key) {
    zval *v = find(settings, key);
    return v && zend_is_true(v);
}

/* ssl_protocols: the lowest and highest TLS bit set bound the versions. */
static void protocols(HashTable *settings, eddy_tls_opts_t *o) {
    static const struct {
        int bit;
        eddy_tls_version_t v;
    } map[] = {{PHP_SSL_TLSv1, EDDY_TLS_V1_0}, {PHP_SSL_TLSv1_1, EDDY_TLS_V1_1},
               {PHP_SSL_TLSv1_2, EDDY_TLS_V1_2}, {PHP_SSL_TLSv1_3, EDDY_TLS_V1_3}};
    zval *v = find(settings, "ssl_protocols");
    zend_long bits = v ? zval_get_long(v) : 0;

    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
        if (bits & map[i].bit) {
            if (!o->min_version) {
                o->min_version = map[i].v;
            }
            o->max_version = map[i].v;
        }
    }
}

/* Swoole's settings as engine options; *name: the peer name. */
static void fill_opts(HashTable *settings, const char *host, eddy_tls_opts_t *o_,
                      const char **name_out) {
    eddy_tls_opts_t o;
    zval *depth = find(settings, "ssl_verify_depth");
    const char *name = str_opt(settings, "ssl_host_name");

    eddy_tls_opts_init(&o);
    o.verify_peer = bool_opt(settings, "ssl_verify_peer");
    o.allow_self_signed = bool_opt(settings, "ssl_allow_self_signed");
    o.verify_depth = depth ? (int) zval_get_long(depth) : 0;
    o.cafile = str_opt(settings, "ssl_cafile");
    o.capath = str_opt(settings, "ssl_capath");
    o.cert_file = str_opt(settings, "ssl_cert_file");
    o.key_file = str_opt(settings, "ssl_key_file");
    o.passphrase = str_opt(settings, "ssl_passphrase");
    o.ciphers = str_opt(settings, "ssl_ciphers");
    o.alpn = str_opt(settings, "ssl_alpn_protocols");
    protocols(settings, &o);
    if (!name) {
        name = host;
    }
    /* Swoole checks the host name as part of verifying the peer */
    o.verify_host = o.verify_peer && name && name[0];
    *o_ = o;
    *name_out = name;
}

eddy_tls_ctx_t *php_ssl_client_ctx(HashTable *settings, const char *host, const char **name,
                                   int *err, char *errbuf, size_t errlen) {
    eddy_tls_opts_t o;

    fill_opts(settings, host, &o, name);
    return eddy_tls_ctx_new(&o, 0, err, errbuf, errlen);
}

eddy_tls_ctx_t *php_ssl_server_ctx(HashTable *settings, int *err, char *errbuf, size_t errlen) {
    eddy_tls_opts_t o;
    const char *name;

    fill_opts(settings, NULL, &o, &name);
    if (!o.cert_file || !o.key_file) {
        *err = EDDY_ESSL_BAD_PROTOCOL;
        snprintf(errbuf, errlen, "ssl_cert_file and ssl_key_file must be set");
        return NULL;
    }
    /* a server has no peer name to check; the client's CAs are named
     * ssl_client_cert_file on the server side */
    o.verify_host = 0;
    o.sni = 0;
    if (str_opt(settings, "ssl_client_cert_file")) {
        o.cafile = str_opt(settings, "ssl_client_cert_file");
    }
    return eddy_tls_ctx_new(&o, 1, err, errbuf, errlen);
}

int php_ssl_client_start(eddy_socket_t *s, HashTable *settings, const char *host,
                         int64_t timeout_ms) {
    eddy_tls_opts_t o;
    const char *name;
    int rc;

    fill_opts(settings, host, &o, &name);
    rc = eddy_socket_tls_enable(s, &o, 0, name);
    if (rc == 0) {
        rc = eddy_socket_tls_handshake(s, timeout_ms);
    }
    return rc;
}

void php_ssl_settings_register_constants(int module_number) {
    static const struct {
        const char *name;
        zend_long value;
    } consts[] = {
        {"SWOOLE_SSL_SSLv2", PHP_SSL_SSLv2},     {"SWOOLE_SSL_SSLv3", PHP_SSL_SSLv3},
        {"SWOOLE_SSL_TLSv1", PHP_SSL_TLSv1},     {"SWOOLE_SSL_TLSv1_1", PHP_SSL_TLSv1_1},
        {"SWOOLE_SSL_TLSv1_2", PHP_SSL_TLSv1_2}, {"SWOOLE_SSL_TLSv1_3", PHP_SSL_TLSv1_3},
    };

    for (size_t i = 0; i < sizeof(consts) / sizeof(consts[0]); i++) {
        if (zend_get_constant_str(consts[i].name, strlen(consts[i].name))) {
            continue;
        }
        zend_register_long_constant(consts[i].name, strlen(consts[i].name), consts[i].value,
                                    CONST_CS | CONST_PERSISTENT, module_number);
    }
}
