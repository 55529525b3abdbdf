/*
 * eddy TLS: OpenSSL on top of a coroutine socket (socket.h), client and
 * server side.
 *
 * Once TLS is attached to a socket (eddy_socket_tls_attach/enable) every
 * data call of socket.h -- recv, send, their _all forms, buffered and framed
 * reads, readv/writev, peek, sendfile -- moves plaintext through the TLS
 * session instead of the raw fd, with the same timeouts, the same
 * one-reader/one-writer rule and the same errors. Where OpenSSL needs the
 * other direction (a read that must write during a renegotiation, a write
 * that must read), the caller waits for that readiness on the fd while
 * keeping its own place as the socket's reader or writer, so one coroutine
 * may read while another writes the same TLS socket.
 *
 * Errors: 0 or negative EDDY_E*; TLS failures use Swoole's numbers below
 * (negated SW_ERROR_SSL_*) and put OpenSSL's own text (or the verification
 * result) in eddy_socket_errmsg().
 *
 * Ownership: an eddy_tls_ctx_t (OpenSSL's SSL_CTX with its settings) is
 * reference counted: eddy_tls_ctx_new() gives the caller one reference,
 * eddy_tls_ctx_free() drops it, and every socket attached to the context
 * holds one of its own. The per-connection state (OpenSSL's SSL) belongs to
 * the socket and is freed with it (eddy_socket_close). No OpenSSL type
 * appears here.
 */
#ifndef EDDY_TLS_H
#define EDDY_TLS_H

#include <stddef.h>
#include <stdint.h>

#include "eddy/socket.h"

/* Errors: EDDY_ESSL_* in base.h (negated SW_ERROR_SSL_*), named by
 * eddy_strerror(). */

/* Protocol versions for min_version / max_version. */
typedef enum {
    EDDY_TLS_ANY = 0, /* OpenSSL's default bound */
    EDDY_TLS_V1_0 = 1,
    EDDY_TLS_V1_1 = 2,
    EDDY_TLS_V1_2 = 3,
    EDDY_TLS_V1_3 = 4
} eddy_tls_version_t;

/* Settings of a context. Strings are copied or used before
 * eddy_tls_ctx_new() returns: the caller keeps ownership of them. */
typedef struct {
    int verify_peer;       /* the peer's chain must verify (against cafile/capath, else the
                              system's default store), or the handshake fails */
    int allow_self_signed; /* with verify_peer: a self-signed peer certificate is accepted */
    int verify_depth;      /* longest accepted chain; 0: OpenSSL's default */
    int verify_host;       /* after the handshake the peer certificate must match the
                              attach()'s host_name (SAN or CN), even without verify_peer */
    int sni;               /* client: send host_name as SNI (when it is not an IP) */
    int disable_compression;
    eddy_tls_version_t min_version, max_version;
    const char *cafile, *capath; /* PEM bundle / hashed directory of trusted CAs */
    const char *cert_file;       /* our certificate (PEM, chain allowed); server: required */
    const char *key_file;        /* its private key; NULL: in cert_file */
    const char *passphrase;      /* for an encrypted key */
    const char *ciphers;         /* OpenSSL cipher list for TLS <= 1.2 */
    const char *alpn;            /* comma-separated protocols ("h2,http/1.1"): the client
                                    offers them, the server picks its first the client has */
} eddy_tls_opts_t;

typedef struct eddy_tls_ctx_s eddy_tls_ctx_t; /* opaque, reference counted */

/* What the handshake settled on (eddy_socket_tls_info). Strings are
 * static or owned by the session: valid until the socket is closed. */
typedef struct {
    const char *protocol; /* "TLSv1.3" ... */
    const char *cipher;   /* "TLS_AES_256_GCM_SHA384" ... */
    const char *cipher_version; /* the protocol the cipher belongs to */
    int cipher_bits;
    const char *alpn; /* selected protocol, not NUL-terminated; NULL if none */
    size_t alpn_len;
} eddy_tls_info_t;

/* ---- contexts ---------------------------------------------------------- */

/* Defaults: no verification, SNI on, library version bounds. */
void eddy_tls_opts_init(eddy_tls_opts_t *o);
/* A context for the client (server = 0) or server side. NULL on failure
 * with *err (EDDY_ESSL_BAD_PROTOCOL for bad settings or unreadable files)
 * and OpenSSL's reason in errbuf[errlen] (either may be NULL/0). */
eddy_tls_ctx_t *eddy_tls_ctx_new(const eddy_tls_opts_t *o, int server, int *err, char *errbuf,
                                 size_t errlen);
/* One more reference for the caller (another owner); returns ctx. */
eddy_tls_ctx_t *eddy_tls_ctx_ref(eddy_tls_ctx_t *ctx);
/* Drops the caller's reference; sockets attached keep theirs. NULL is a no-op. */
void eddy_tls_ctx_free(eddy_tls_ctx_t *ctx);

/* ---- sockets ----------------------------------------------------------- */

/* Puts TLS on a connected (or accepted) stream socket, without I/O: the
 * next call should be eddy_socket_tls_handshake(). host_name (copied; may
 * be NULL) is the client's SNI and the name verify_host checks. Bytes a
 * buffered read (recv_line, recv_packet...) took ahead of what it returned
 * go to TLS first: a peer may pipeline its handshake behind a STARTTLS
 * line.
 * EDDY_EWRONG_OP if TLS is already on, EDDY_EINVAL for a datagram socket. */
int eddy_socket_tls_attach(eddy_socket_t *s, eddy_tls_ctx_t *ctx, const char *host_name);
/* eddy_tls_ctx_new + attach for one socket; the error and OpenSSL's text
 * land in the socket's errcode/errmsg. */
int eddy_socket_tls_enable(eddy_socket_t *s, const eddy_tls_opts_t *o, int server,
                           const char *host_name);
/* Runs the handshake, yielding while the peer is slow; the timeout
 * (EDDY_TIMEOUT_DEFAULT: the socket's connect timeout) covers it all.
 * EDDY_ETIMEDOUT, EDDY_ESSL_VERIFY_FAILED, EDDY_ESSL_EMPTY_PEER_CERTIFICATE,
 * EDDY_ESSL_RESET (peer closed), EDDY_ESSL_HANDSHAKE_FAILED, EDDY_ESSL_NOT_READY
 * (no TLS attached). Takes both the read and the write side for its length. */
int eddy_socket_tls_handshake(eddy_socket_t *s, int64_t timeout_ms);
/* Sends close_notify (waiting for writability, not for the peer's reply);
 * the socket stays open. eddy_socket_close() sends it too, without waiting. */
int eddy_socket_tls_shutdown(eddy_socket_t *s, int64_t timeout_ms);

/* ---- status ------------------------------------------------------------ */

/* 1 once TLS is attached (handshake done or not), else 0. */
int eddy_socket_tls_on(const eddy_socket_t *s);
/* 1 once the handshake has completed. */
int eddy_socket_tls_ready(const eddy_socket_t *s);
/* Fills info after the handshake; EDDY_ESSL_NOT_READY before. */
int eddy_socket_tls_info(const eddy_socket_t *s, eddy_tls_info_t *info);
/* The peer certificate's digest under `algo` (an OpenSSL digest name:
 * "sha256", "sha1", "md5"...) in lowercase hex, NUL-terminated, into
 * hex[hexlen] (129 bytes hold any). EDDY_ESSL_NOT_READY before the
 * handshake, EDDY_ESSL_EMPTY_PEER_CERTIFICATE when the peer sent none,
 * EDDY_EINVAL for an unknown algorithm or a buffer too small. */
int eddy_socket_tls_peer_digest(const eddy_socket_t *s, const char *algo, char *hex,
                                size_t hexlen);
/* The peer certificate in PEM into buf[len] (NUL-terminated); its length,
 * or the errors above (EDDY_EINVAL: buf too small; ~1-2 KiB is usual). */
int eddy_socket_tls_peer_cert_pem(const eddy_socket_t *s, char *buf, size_t len);
/* Decrypted bytes TLS holds that a read would return without waiting: a
 * poll on the fd alone would miss them. */
size_t eddy_socket_tls_pending(const eddy_socket_t *s);

#endif /* EDDY_TLS_H */
