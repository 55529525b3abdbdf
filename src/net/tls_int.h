/*
 * TLS internals shared by tls.c (contexts, attach, handshake, status),
 * tls_io.c (the non-blocking attempts) and the socket files, which call
 * the attempts instead of recv/send when s->tls is set.
 *
 * Each attempt is one non-blocking OpenSSL call: >= 0 done, EDDY_EAGAIN
 * with s->tls_want set to the readiness to wait for, or an error recorded
 * in the socket (OpenSSL's text in errmsg).
 */
#ifndef EDDY_TLS_INT_H
#define EDDY_TLS_INT_H

#include <stddef.h>
#include <sys/types.h>

#include <openssl/ssl.h>

#include "eddy/tls.h"
#include "net/socket_int.h"

struct eddy_tls_ctx_s {
    SSL_CTX *ssl_ctx;   /* owned: SSL_CTX_free when refs reach 0 */
    unsigned refs;      /* the creator's + one per attached socket */
    int server;
    int verify_host;
    int sni;
    unsigned char *alpn; /* wire format (length-prefixed), owned; NULL: none */
    unsigned alpn_len;
};

struct eddy__tls_s {
    SSL *ssl;            /* owned */
    eddy_tls_ctx_t *ctx; /* one reference, dropped at free */
    char *host_name;     /* owned copy, or NULL */
    int fd;              /* the socket's, for the BIO */
    char *pre;           /* read ahead before TLS came on (owned), served to
                            OpenSSL before the fd: a pipelined ClientHello */
    size_t pre_len, pre_off;
    int ready;           /* handshake completed */
    int broken;          /* a fatal error happened: no close_notify then */
};

/* ---- tls_io.c ------------------------------------------------------------ */

ssize_t eddy__tls_read(eddy_socket_t *s, void *buf, size_t len);
ssize_t eddy__tls_write(eddy_socket_t *s, const void *buf, size_t len);
/* As read, without consuming; never asks to wait: EDDY_EAGAIN means nothing yet. */
ssize_t eddy__tls_peek(eddy_socket_t *s, void *buf, size_t len);
/* Up to `want` bytes of file fd from *off through TLS (pread + write); *off
 * advances by what was sent. */
ssize_t eddy__tls_sendfile(eddy_socket_t *s, int fd, off_t *off, size_t want);
/* One SSL_do_handshake step. */
ssize_t eddy__tls_handshake_step(eddy_socket_t *s, void *ctx);
/* One SSL_shutdown step (sending our close_notify). */
ssize_t eddy__tls_shutdown_step(eddy_socket_t *s, void *ctx);
/* Maps a failed OpenSSL call's result to an eddy code, recording the text. */
ssize_t eddy__tls_fail(eddy_socket_t *s, int ret, int code_if_ssl_error);

/* ---- tls.c --------------------------------------------------------------- */

/* Best-effort close_notify at eddy_socket_close: one attempt, no wait. */
void eddy__tls_close_notify(eddy_socket_t *s);
/* Frees the session at the handle's release; no-op without TLS. */
void eddy__tls_free(eddy_socket_t *s);
/* True when TLS holds decrypted bytes not read yet. */
int eddy__tls_has_pending(const eddy_socket_t *s);

#endif /* EDDY_TLS_INT_H */
