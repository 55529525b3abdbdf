/*
 * SWOOLE_HOOK_SSL / SWOOLE_HOOK_TLS: PHP's ssl://, tls:// and tlsv1.x://
 * stream transports, and stream_socket_enable_crypto(), on the engine's TLS
 * (include/eddy/tls.h) over the hooked TCP streams of php_hook_stream.c.
 *
 * With the flag on and inside a coroutine, the transports' factory makes a
 * hooked TCP stream marked to start TLS right after connect (the client
 * handshake) or accept (the server one); the handshake, reads, writes and
 * close then yield instead of blocking. Outside a coroutine, or with the
 * flag off, the factory PHP's openssl extension registered runs, so such
 * streams are PHP's own; unhooking puts it back.
 *
 * stream_socket_enable_crypto() works on every hooked TCP stream, so
 * STARTTLS (mysqlnd's TLS, SMTP, ...) yields too. The stream context's
 * "ssl" options are read as PHP's openssl transport reads them: verify_peer,
 * verify_peer_name, peer_name, allow_self_signed, cafile, capath,
 * verify_depth, local_cert, local_pk, passphrase, SNI_enabled, ciphers,
 * crypto_method, alpn_protocols, disable_compression, peer_fingerprint,
 * capture_peer_cert; openssl.cafile / openssl.capath from php.ini are the
 * defaults for cafile / capath.
 */
#include <poll.h>

#include "php_swoole.h"
#include "php_runtime.h"
#include "php_coroutine.h"
#include "php_hook_stream.h"

#include "eddy/base.h"
#include "eddy/tls.h"

struct php_hook_ssl_s {
    int method;      /* STREAM_CRYPTO_METHOD_*: bit 0 set for a client */
    bool on_connect; /* ssl://, tls://...: TLS starts at connect / accept */
};

static php_hook_ssl_t *ssl_state(hstream_t *hs, bool persistent) {
    if (!hs->ssl) {
        hs->ssl = pecalloc(1, sizeof(*hs->ssl), persistent); /* freed by php_hook_ssl_free */
    }
    return hs->ssl;
}

void php_hook_ssl_free(hstream_t *hs, bool persistent) {
    if (hs->ssl) {
        pefree(hs->ssl, persistent);
        hs->ssl = NULL;
    }
}

/* ---- the context's "ssl" options ---------------------------------------------- */

static zval *opt(php_stream *stream, const char *name) {
    php_stream_context *ctx = PHP_STREAM_CONTEXT(stream);
    return ctx ? php_stream_context_get_option(ctx, "ssl", name) : NULL;
}

static bool opt_bool(php_stream *stream, const char *name, bool dflt) {
    zval *v = opt(stream, name);
    return v ? zend_is_true(v) : dflt;
}

/* A non-empty string option; the zval is the context's, alive while the
 * stream is (the engine copies what it keeps). */
static const char *opt_str(php_stream *stream, const char *name) {
    zval *v = opt(stream, name);
    return v && Z_TYPE_P(v) == IS_STRING && Z_STRLEN_P(v) > 0 ? Z_STRVAL_P(v) : NULL;
}

static const char *ini_str(const char *name) {
    const char *v = zend_ini_string_ex((char *) name, strlen(name), 0, NULL);
    return v && v[0] ? v : NULL;
}

/* STREAM_CRYPTO_METHOD_* bits (1<<3 .. 1<<6: TLS 1.0 .. 1.3) as version
 * bounds. The ends of the range stay the library's (and the system
 * configuration's): asking for "any TLS" must not re-enable TLS 1.0 where
 * the system turned it off. */
static void method_bounds(int method, eddy_tls_opts_t *o) {
    static const eddy_tls_version_t versions[] = {EDDY_TLS_V1_0, EDDY_TLS_V1_1, EDDY_TLS_V1_2,
                                                  EDDY_TLS_V1_3};
    for (int i = 0; i < 4; i++) {
        if (method & (1 << (3 + i))) {
            if (!o->min_version) {
                o->min_version = versions[i];
            }
            o->max_version = versions[i];
        }
    }
    if (o->min_version == EDDY_TLS_V1_0) {
        o->min_version = EDDY_TLS_ANY;
    }
    if (o->max_version == EDDY_TLS_V1_3) {
        o->max_version = EDDY_TLS_ANY;
    }
}

/* PHP's defaults: a client verifies the peer and its name, a server does
 * not ask for a client certificate unless told to. */
static void read_options(php_stream *stream, hstream_t *hs, bool server, eddy_tls_opts_t *o) {
    zval *depth = opt(stream, "verify_depth");

    eddy_tls_opts_init(o);
    o->verify_peer = opt_bool(stream, "verify_peer", !server);
    o->verify_host = !server && opt_bool(stream, "verify_peer_name", true);
    o->allow_self_signed = opt_bool(stream, "allow_self_signed", false);
    o->verify_depth = depth ? (int) zval_get_long(depth) : 0;
    o->sni = opt_bool(stream, "SNI_enabled", true);
    o->disable_compression = opt_bool(stream, "disable_compression", true);
    o->cafile = opt_str(stream, "cafile") ? opt_str(stream, "cafile") : ini_str("openssl.cafile");
    o->capath = opt_str(stream, "capath") ? opt_str(stream, "capath") : ini_str("openssl.capath");
    o->cert_file = opt_str(stream, "local_cert");
    o->key_file = opt_str(stream, "local_pk");
    o->passphrase = opt_str(stream, "passphrase");
    o->ciphers = opt_str(stream, "ciphers");
    o->alpn = opt_str(stream, "alpn_protocols");
    method_bounds(hs->ssl ? hs->ssl->method : 0, o);
}

/* ---- the handshake --------------------------------------------------------------- */

/* A failed TLS start, in the words of PHP's openssl transport where it
 * has them. */
static void warn_failure(hstream_t *hs, int rc) {
    const char *msg = eddy_socket_errmsg(hs->s);

    switch (rc) {
    case EDDY_ETIMEDOUT:
        php_error_docref(NULL, E_WARNING, "SSL: Handshake timed out");
        break;
    case EDDY_ECO_OUT_OF_COROUTINE:
        php_error_docref(NULL, E_WARNING, "SSL: cannot start TLS on a coroutine socket outside "
                                          "a coroutine");
        break;
    case EDDY_ESSL_RESET:
        php_error_docref(NULL, E_WARNING, "SSL: %s", msg);
        break;
    case EDDY_ESSL_BAD_PROTOCOL:
    case EDDY_EWRONG_OP:
        php_error_docref(NULL, E_WARNING, "%s", msg);
        break;
    case EDDY_ESSL_VERIFY_FAILED:
    case EDDY_ESSL_EMPTY_PEER_CERTIFICATE:
        /* the host name check comes after OpenSSL's, in our own words */
        if (strncmp(msg, "certificate verify failed", 25) != 0) {
            php_error_docref(NULL, E_WARNING, "%s", msg);
            break;
        }
        ZEND_FALLTHROUGH;
    default:
        php_error_docref(NULL, E_WARNING,
                         "SSL operation failed with code 1. OpenSSL Error messages:\n%s", msg);
    }
}

/* peer_fingerprint, as PHP checks it: a string is an md5 (32 hex digits)
 * or sha1 (40) fingerprint, an array maps digest names to fingerprints,
 * all of which must match. False (warned) on a mismatch or a bad option. */
static bool fingerprint_ok(php_stream *stream, hstream_t *hs) {
    zval *fp = opt(stream, "peer_fingerprint"), *want;
    zend_string *algo;
    char hex[129];

    if (!fp) {
        return true;
    }
    if (Z_TYPE_P(fp) == IS_STRING) {
        const char *name = Z_STRLEN_P(fp) == 32 ? "md5" : Z_STRLEN_P(fp) == 40 ? "sha1" : NULL;
        if (!name) {
            php_error_docref(NULL, E_WARNING, "Expected peer fingerprint must be md5 or sha1 hash");
            return false;
        }
        if (eddy_socket_tls_peer_digest(hs->s, name, hex, sizeof(hex)) < 0 ||
            strcasecmp(hex, Z_STRVAL_P(fp)) != 0) {
            php_error_docref(NULL, E_WARNING, "peer_fingerprint match failure");
            return false;
        }
        return true;
    }
    if (Z_TYPE_P(fp) != IS_ARRAY || zend_hash_num_elements(Z_ARRVAL_P(fp)) == 0) {
        php_error_docref(NULL, E_WARNING, "Invalid peer_fingerprint array; [algo => fingerprint] form required");
        return false;
    }
    ZEND_HASH_FOREACH_STR_KEY_VAL(Z_ARRVAL_P(fp), algo, want) {
        if (!algo || Z_TYPE_P(want) != IS_STRING) {
            php_error_docref(NULL, E_WARNING, "Invalid peer_fingerprint array; [algo => fingerprint] form required");
            return false;
        }
        int rc = eddy_socket_tls_peer_digest(hs->s, ZSTR_VAL(algo), hex, sizeof(hex));
        if (rc == EDDY_EINVAL) {
            php_error_docref(NULL, E_WARNING, "Unknown digest method \"%s\"", ZSTR_VAL(algo));
            return false;
        }
        if (rc < 0 || strcasecmp(hex, Z_STRVAL_P(want)) != 0) {
            php_error_docref(NULL, E_WARNING, "peer_fingerprint match failure");
            return false;
        }
    } ZEND_HASH_FOREACH_END();
    return true;
}

/* capture_peer_cert: the context's "peer_certificate" option becomes the
 * peer's OpenSSLCertificate, made by openssl_x509_read() from its PEM. */
static void capture_peer_cert(php_stream *stream, hstream_t *hs) {
    php_stream_context *ctx = PHP_STREAM_CONTEXT(stream);
    size_t size = 65536; /* a certificate is a few KiB */
    char *pem;
    zval fn, arg, cert;

    if (!ctx || !opt_bool(stream, "capture_peer_cert", false)) {
        return;
    }
    pem = emalloc(size);
    if (eddy_socket_tls_peer_cert_pem(hs->s, pem, size) < 0) {
        efree(pem);
        return;
    }
    ZVAL_STRING(&fn, "openssl_x509_read");
    ZVAL_STRING(&arg, pem);
    ZVAL_UNDEF(&cert);
    if (call_user_function(NULL, NULL, &fn, &cert, 1, &arg) == SUCCESS && Z_TYPE(cert) == IS_OBJECT) {
        php_stream_context_set_option(ctx, "ssl", "peer_certificate", &cert);
    }
    zval_ptr_dtor(&cert);
    zval_ptr_dtor(&arg);
    zval_ptr_dtor(&fn);
    efree(pem);
}

/* Puts TLS on the stream's socket and runs the handshake; 0 or -1 (warned). */
static int start_tls(php_stream *stream, hstream_t *hs, bool server, int64_t timeout_ms) {
    eddy_tls_opts_t o;
    const char *peer = opt_str(stream, "peer_name");
    int rc;

    if (!hs->s) {
        php_error_docref(NULL, E_WARNING, "SSL: the stream is not connected");
        return -1;
    }
    read_options(stream, hs, server, &o);
    if (!server && !peer) {
        peer = hs->peer_host;
    }
    rc = eddy_socket_tls_enable(hs->s, &o, server, server ? NULL : peer);
    if (rc == 0) {
        rc = eddy_socket_tls_handshake(hs->s, timeout_ms);
        if (!php_coro_after_switch()) {
            return -1;
        }
    }
    if (rc < 0) {
        warn_failure(hs, rc);
        return -1;
    }
    if (!fingerprint_ok(stream, hs)) {
        return -1;
    }
    capture_peer_cert(stream, hs);
    return 0;
}

static int64_t tv_ms(const struct timeval *tv) {
    if (!tv || tv->tv_sec < 0) {
        return EDDY_WAIT_FOREVER;
    }
    return (int64_t) tv->tv_sec * 1000 + (tv->tv_usec + 999) / 1000;
}

int php_hook_ssl_connected(php_stream *stream, hstream_t *hs, php_stream_xport_param *xp) {
    if (!hs->ssl->on_connect) {
        return 0;
    }
    if (start_tls(stream, hs, false, tv_ms(xp->inputs.timeout)) == 0) {
        return 0;
    }
    /* as PHP: this warning, then the caller's "Unable to connect to ..." */
    php_error_docref(NULL, E_WARNING, "Failed to enable crypto");
    xp->outputs.returncode = -1;
    xp->outputs.error_code = 0;
    return -1;
}

int php_hook_ssl_accepted(hstream_t *lhs, php_stream *client) {
    hstream_t *chs = client->abstract;

    if (!lhs->ssl->on_connect) {
        return 0;
    }
    ssl_state(chs, false)->method = lhs->ssl->method & ~1; /* the server side of it */
    return start_tls(client, chs, true, php_hook_stream_timeout_ms(chs));
}

int php_hook_ssl_crypto(php_stream *stream, hstream_t *hs, php_stream_xport_crypto_param *cp) {
    if (cp->op == STREAM_XPORT_CRYPTO_OP_SETUP) {
        ssl_state(hs, php_stream_is_persistent(stream))->method = (int) cp->inputs.method;
        cp->outputs.returncode = 0;
        return PHP_STREAM_OPTION_RETURN_OK;
    }
    if (!cp->inputs.activate) {
        /* The engine keeps TLS on a socket for its life: going back to
         * plain text after a TLS session is not offered. */
        if (hs->s && eddy_socket_tls_on(hs->s)) {
            php_error_docref(NULL, E_WARNING, "SSL: turning crypto off is not supported on "
                                              "coroutine sockets");
            cp->outputs.returncode = -1;
        } else {
            cp->outputs.returncode = 0;
        }
        return PHP_STREAM_OPTION_RETURN_OK;
    }
    if (hs->s && eddy_socket_tls_on(hs->s)) {
        cp->outputs.returncode = -1; /* already on, as PHP's openssl answers */
        return PHP_STREAM_OPTION_RETURN_OK;
    }
    bool server = hs->ssl && !(hs->ssl->method & 1);
    cp->outputs.returncode =
        start_tls(stream, hs, server, php_hook_stream_timeout_ms(hs)) == 0 ? 1 : -1;
    return PHP_STREAM_OPTION_RETURN_OK;
}

/* ---- reads and writes that must not yield ------------------------------------------ */

/* "Nothing now": the engine's answer to a try that would wait, in a
 * coroutine (a zero timeout) or outside one. */
static bool nothing_now(ssize_t n) {
    return n == EDDY_ETIMEDOUT || n == EDDY_ECO_OUT_OF_COROUTINE || n == EDDY_EAGAIN;
}

ssize_t php_hook_ssl_read_nowait(php_stream *stream, hstream_t *hs, char *buf, size_t count) {
    int64_t ms = php_hook_stream_timeout_ms(hs);

    for (;;) {
        ssize_t n = eddy_socket_recv(hs->s, buf, count, 0);
        if (n > 0) {
            return n;
        }
        if (n == 0 || !nothing_now(n)) {
            stream->eof = 1;
            return n == 0 ? 0 : -1;
        }
        if (!hs->ns.is_blocked) {
            return 0;
        }
        /* a blocking read outside a coroutine: PHP's own would wait too.
         * A partial record makes the fd readable and the read come back
         * empty: wait again, under the stream's timeout each time. */
        if (php_hook_stream_poll(hs->ns.socket, POLLIN, ms) == 0) {
            hs->ns.timeout_event = 1;
            return 0;
        }
    }
}

ssize_t php_hook_ssl_write_nowait(hstream_t *hs, const char *buf, size_t count) {
    size_t done = 0;
    int64_t ms = php_hook_stream_timeout_ms(hs);

    while (done < count) {
        ssize_t n = eddy_socket_send(hs->s, buf + done, count - done, 0);
        if (n > 0) {
            done += (size_t) n;
            continue;
        }
        if (!nothing_now(n)) {
            return done ? (ssize_t) done : -1;
        }
        if (!hs->ns.is_blocked) {
            break;
        }
        if (php_hook_stream_poll(hs->ns.socket, POLLOUT, ms) == 0) {
            hs->ns.timeout_event = 1;
            break;
        }
    }
    return (ssize_t) done;
}

void php_hook_ssl_before_select(php_stream *stream, hstream_t *hs) {
    size_t pending;

    if (!hs->s || stream->writepos != stream->readpos ||
        (pending = eddy_socket_tls_pending(hs->s)) == 0) {
        return;
    }
    /* served from TLS's buffer: this read does not wait */
    php_stream_fill_read_buffer(stream, pending < stream->chunk_size ? pending : stream->chunk_size);
}

void php_hook_ssl_meta(hstream_t *hs, zval *meta) {
    eddy_tls_info_t info;
    zval crypto;

    if (!hs->s || eddy_socket_tls_info(hs->s, &info) < 0) {
        return;
    }
    array_init(&crypto);
    add_assoc_string(&crypto, "protocol", (char *) info.protocol);
    add_assoc_string(&crypto, "cipher_name", (char *) info.cipher);
    add_assoc_long(&crypto, "cipher_bits", info.cipher_bits);
    add_assoc_string(&crypto, "cipher_version", (char *) info.cipher_version);
    if (info.alpn) {
        add_assoc_stringl(&crypto, "alpn_protocol", info.alpn, info.alpn_len);
    }
    add_assoc_zval(meta, "crypto", &crypto);
}

/* ---- the transports ---------------------------------------------------------------- */

/* This file's per-process state: each transport, param its default crypto
 * method (PHP's, by scheme). */
static php_hook_xport_t TRANSPORTS[] = {
    {"ssl", PHP_HOOK_SSL, STREAM_CRYPTO_METHOD_ANY_CLIENT, NULL, false},
    {"tls", PHP_HOOK_TLS, STREAM_CRYPTO_METHOD_TLS_CLIENT, NULL, false},
    {"tlsv1.0", PHP_HOOK_TLS, STREAM_CRYPTO_METHOD_TLSv1_0_CLIENT, NULL, false},
    {"tlsv1.1", PHP_HOOK_TLS, STREAM_CRYPTO_METHOD_TLSv1_1_CLIENT, NULL, false},
    {"tlsv1.2", PHP_HOOK_TLS, STREAM_CRYPTO_METHOD_TLSv1_2_CLIENT, NULL, false},
    {"tlsv1.3", PHP_HOOK_TLS, STREAM_CRYPTO_METHOD_TLSv1_3_CLIENT, NULL, false},
};
#define NTRANSPORTS (sizeof(TRANSPORTS) / sizeof(TRANSPORTS[0]))

static php_stream *ssl_factory(const char *proto, size_t protolen, const char *resourcename,
                               size_t resourcenamelen, const char *persistent_id, int options,
                               int flags, struct timeval *timeout,
                               php_stream_context *context STREAMS_DC) {
    php_hook_xport_t *x = php_hook_xport_find(TRANSPORTS, NTRANSPORTS, proto, protolen);
    php_stream *stream;
    zval *method;

    if (!x) {
        return NULL;
    }
    if (!php_runtime_active(x->bit)) {
        return x->orig(proto, protolen, resourcename, resourcenamelen, persistent_id, options,
                       flags, timeout, context STREAMS_REL_CC);
    }
    stream = php_hook_stream_new_tcp(persistent_id);
    if (stream) {
        php_hook_ssl_t *st = ssl_state(stream->abstract, persistent_id != NULL);
        /* the context's crypto_method wins over the scheme's, as in PHP */
        method = context ? php_stream_context_get_option(context, "ssl", "crypto_method") : NULL;
        st->method = method ? (int) zval_get_long(method) : x->param;
        st->on_connect = true;
    }
    return stream;
}

static void apply(uint32_t flags) {
    php_hook_xport_apply(TRANSPORTS, NTRANSPORTS, flags, ssl_factory);
}

void php_hook_ssl_minit(void) {
    php_runtime_register(PHP_HOOK_SSL | PHP_HOOK_TLS, apply);
}
