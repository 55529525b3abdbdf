/*
 * TLS attempts: one non-blocking OpenSSL call each, in the shape
 * eddy__sock_io_retry() drives (done / EDDY_EAGAIN / error). On
 * EDDY_EAGAIN s->tls_want says which readiness OpenSSL needs, which is not
 * always the caller's own direction: a read can need to write (a
 * renegotiation, a key update reply) and a write can need to read.
 *
 * The error queue is per thread; it is cleared before each call so that
 * SSL_get_error() and the message describe this call only.
 */
#include <string.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/x509.h>

#include "net/tls_int.h"

enum { OP_READ, OP_WRITE, OP_HANDSHAKE, OP_SHUTDOWN };

/* OpenSSL's queued reasons, "; "-joined, into the socket's message. */
static int set_ssl_err(eddy_socket_t *s, int code, const char *what) {
    char all[EDDY__ERRMSG_MAX] = "";
    size_t used = 0;
    unsigned long e;
    while ((e = ERR_get_error()) != 0) {
        if (used && used + 2 < sizeof(all)) {
            memcpy(all + used, "; ", 3);
            used += 2;
        }
        /* writes what fits, NUL-terminated (a no-op once full) */
        ERR_error_string_n(e, all + used, sizeof(all) - used);
        used += strlen(all + used);
    }
    return eddy__sock_set_err(s, code, "%s%s%s", what, all[0] ? ": " : "", all);
}

/* A handshake that failed on the peer's certificate says why, in X.509's
 * words ("self-signed certificate", "certificate has expired"...). */
static int handshake_err(eddy_socket_t *s) {
    long vr = SSL_get_verify_result(s->tls->ssl);
    unsigned long e = ERR_peek_last_error();
    if (ERR_GET_LIB(e) == ERR_LIB_SSL && ERR_GET_REASON(e) == SSL_R_PEER_DID_NOT_RETURN_A_CERTIFICATE)
        return set_ssl_err(s, EDDY_ESSL_EMPTY_PEER_CERTIFICATE, "the peer sent no certificate");
    if (vr != X509_V_OK && SSL_get_verify_mode(s->tls->ssl) != SSL_VERIFY_NONE) {
        ERR_clear_error();
        return eddy__sock_set_err(s, EDDY_ESSL_VERIFY_FAILED,
                                  "certificate verify failed: code %ld %s", vr,
                                  X509_verify_cert_error_string(vr));
    }
    return set_ssl_err(s, EDDY_ESSL_HANDSHAKE_FAILED, "TLS handshake failed");
}

/* The peer went away (EOF or a reset at the socket level). */
static ssize_t gone(eddy_socket_t *s, int op, int err) {
    ERR_clear_error();
    if (op == OP_HANDSHAKE)
        return eddy__sock_set_err(s, EDDY_ESSL_RESET, "the peer closed the connection during "
                                  "the TLS handshake%s%s", err ? ": " : "",
                                  err ? strerror(err) : "");
    if (op == OP_READ && err == 0) return 0; /* EOF without close_notify: end of data */
    return err ? -err : EDDY_EPIPE;
}

static ssize_t fail(eddy_socket_t *s, int ret, int op) {
    int saved = errno;
    switch (SSL_get_error(s->tls->ssl, ret)) {
    case SSL_ERROR_WANT_READ:
        s->tls_want = EDDY_READ;
        return EDDY_EAGAIN;
    case SSL_ERROR_WANT_WRITE:
        s->tls_want = EDDY_WRITE;
        return EDDY_EAGAIN;
    case SSL_ERROR_ZERO_RETURN: /* close_notify, or EOF (SSL_OP_IGNORE_UNEXPECTED_EOF) */
        return gone(s, op, 0);
    case SSL_ERROR_SYSCALL:
        /* OpenSSL forbids any further use but freeing after these two */
        s->tls->broken = 1;
        if (ERR_peek_error() == 0) return gone(s, op, ret == 0 ? 0 : saved);
        break;
    default: s->tls->broken = 1; break;
    }
    if (op == OP_HANDSHAKE) return handshake_err(s);
    return set_ssl_err(s, EDDY_EPROTOCOL, op == OP_READ ? "TLS read failed" : "TLS write failed");
}

ssize_t eddy__tls_fail(eddy_socket_t *s, int ret, int op) { return fail(s, ret, op); }

/* OpenSSL counts in int: larger requests are cut (callers loop). */
static int clamp(size_t len) { return len > INT32_MAX ? INT32_MAX : (int)len; }

ssize_t eddy__tls_read(eddy_socket_t *s, void *buf, size_t len) {
    if (len == 0) return 0;
    ERR_clear_error();
    int n = SSL_read(s->tls->ssl, buf, clamp(len));
    return n > 0 ? n : fail(s, n, OP_READ);
}

ssize_t eddy__tls_write(eddy_socket_t *s, const void *buf, size_t len) {
    if (len == 0) return 0;
    ERR_clear_error();
    int n = SSL_write(s->tls->ssl, buf, clamp(len));
    return n > 0 ? n : fail(s, n, OP_WRITE);
}

ssize_t eddy__tls_peek(eddy_socket_t *s, void *buf, size_t len) {
    if (len == 0) return 0;
    ERR_clear_error();
    int n = SSL_peek(s->tls->ssl, buf, clamp(len));
    return n > 0 ? n : fail(s, n, OP_READ);
}

/* A TLS record holds 16 KiB of plaintext: one record per attempt. */
#define TLS_FILE_CHUNK 16384

ssize_t eddy__tls_sendfile(eddy_socket_t *s, int fd, off_t *off, size_t want) {
    size_t n = want < TLS_FILE_CHUNK ? want : TLS_FILE_CHUNK;
    char *buf = eddy_malloc(n); /* freed below: an attempt keeps nothing */
    ssize_t got = EDDY__NO_EINTR(pread(fd, buf, n, *off));
    ssize_t rc = got < 0 ? -errno : got;
    /* A retry after EDDY_EAGAIN reads the same bytes again (the offset
     * only moves on success), as SSL_write requires. */
    if (got > 0) rc = eddy__tls_write(s, buf, (size_t)got);
    if (rc > 0) *off += rc;
    eddy_free(buf);
    return rc;
}

ssize_t eddy__tls_handshake_step(eddy_socket_t *s, void *ctx) {
    (void)ctx;
    ERR_clear_error();
    int r = SSL_do_handshake(s->tls->ssl);
    return r == 1 ? 0 : fail(s, r, OP_HANDSHAKE);
}

ssize_t eddy__tls_shutdown_step(eddy_socket_t *s, void *ctx) {
    (void)ctx;
    ERR_clear_error();
    /* 0: our close_notify is out, the peer's not yet in; enough here. */
    int r = SSL_shutdown(s->tls->ssl);
    return r >= 0 ? 0 : fail(s, r, OP_SHUTDOWN);
}
