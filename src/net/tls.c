/*
 * TLS contexts, attaching TLS to a coroutine socket, the handshake, close
 * and status (include/eddy/tls.h). The data path is in tls_io.c.
 *
 * OpenSSL talks to the fd through a BIO of ours instead of its socket BIO:
 * its writes go out with MSG_NOSIGNAL, so a peer that went away gives
 * EPIPE instead of killing the process with SIGPIPE (as every send of the
 * engine does; see socket_io.c).
 */
#include <arpa/inet.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "net/tls_int.h"

/* ---- the fd BIO ---------------------------------------------------------- */

static int bio_write(BIO *b, const char *buf, int len) {
    struct eddy__tls_s *t = BIO_get_data(b);
    BIO_clear_retry_flags(b);
    ssize_t n = EDDY__NO_EINTR(send(t->fd, buf, (size_t)len, MSG_NOSIGNAL));
    if (n < 0 && errno == EAGAIN) BIO_set_retry_write(b);
    return (int)n;
}

static int bio_read(BIO *b, char *buf, int len) {
    struct eddy__tls_s *t = BIO_get_data(b);
    BIO_clear_retry_flags(b);
    if (t->pre_off < t->pre_len) {
        size_t n = t->pre_len - t->pre_off < (size_t)len ? t->pre_len - t->pre_off : (size_t)len;
        memcpy(buf, t->pre + t->pre_off, n);
        t->pre_off += n;
        return (int)n;
    }
    ssize_t n = EDDY__NO_EINTR(recv(t->fd, buf, (size_t)len, 0));
    if (n < 0 && errno == EAGAIN) BIO_set_retry_read(b);
    return (int)n;
}

static long bio_ctrl(BIO *b, int cmd, long num, void *ptr) {
    (void)b, (void)num, (void)ptr;
    return cmd == BIO_CTRL_FLUSH ? 1 : 0; /* nothing is buffered here */
}

static int bio_create(BIO *b) {
    BIO_set_init(b, 1);
    return 1;
}

/* The BIO method table: made once per process, never freed (OpenSSL keeps
 * a pointer to it in every BIO made from it). */
static BIO_METHOD *fd_bio_method;
static pthread_once_t fd_bio_once = PTHREAD_ONCE_INIT;

static void make_fd_bio_method(void) {
    BIO_METHOD *m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "eddy fd");
    if (!m) return;
    BIO_meth_set_write(m, bio_write);
    BIO_meth_set_read(m, bio_read);
    BIO_meth_set_ctrl(m, bio_ctrl);
    BIO_meth_set_create(m, bio_create);
    fd_bio_method = m;
}

/* A BIO over t's fd (and its read-ahead); t outlives it (freed after
 * SSL_free, which frees the BIO). */
static BIO *fd_bio_new(struct eddy__tls_s *t) {
    pthread_once(&fd_bio_once, make_fd_bio_method);
    BIO *b = fd_bio_method ? BIO_new(fd_bio_method) : NULL;
    if (b) BIO_set_data(b, t);
    return b;
}

/* Bytes a buffered plain read took ahead (a STARTTLS line and, pipelined
 * behind it, the peer's first TLS bytes) belong to TLS now. */
static void take_read_ahead(eddy_socket_t *s, struct eddy__tls_s *t) {
    eddy__sock_rbuf_take(s, NULL, 0); /* settles a recv_packet loan */
    if (s->rbuf.len == 0) return;
    t->pre_len = s->rbuf.len;
    t->pre = eddy_malloc(t->pre_len);
    eddy__sock_rbuf_take(s, t->pre, t->pre_len);
}

/* ---- contexts ------------------------------------------------------------ */

void eddy_tls_opts_init(eddy_tls_opts_t *o) {
    memset(o, 0, sizeof(*o));
    o->sni = 1;
}

static int proto_version(eddy_tls_version_t v) {
    switch (v) {
    case EDDY_TLS_V1_0: return TLS1_VERSION;
    case EDDY_TLS_V1_1: return TLS1_1_VERSION;
    case EDDY_TLS_V1_2: return TLS1_2_VERSION;
    case EDDY_TLS_V1_3: return TLS1_3_VERSION;
    default: return 0; /* the library's bound */
    }
}

/* With allow_self_signed, a self-signed peer certificate is the one
 * verification failure forgiven (PHP's and Swoole's rule). */
static int verify_allow_self_signed(int ok, X509_STORE_CTX *x) {
    int e = X509_STORE_CTX_get_error(x);
    if (!ok && (e == X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT ||
                e == X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN))
        return 1;
    return ok;
}

/* The key's passphrase, given to OpenSSL only while the key is read. */
static int passphrase_cb(char *buf, int size, int rwflag, void *u) {
    (void)rwflag;
    const char *p = u;
    size_t n = p ? strlen(p) : 0;
    if (n > (size_t)size) n = (size_t)size;
    if (n) memcpy(buf, p, n);
    return (int)n;
}

/* "h2,http/1.1" into ALPN's wire format (a length byte before each name). */
static int alpn_wire(eddy_tls_ctx_t *c, const char *list) {
    size_t len = strlen(list);
    c->alpn = eddy_malloc(len + 1); /* owned by c, freed with it */
    unsigned out = 0;
    const char *p = list;
    while (*p) {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (n == 0 || n > 255) return -1;
        c->alpn[out++] = (unsigned char)n;
        memcpy(c->alpn + out, p, n);
        out += (unsigned)n;
        p += n + (end ? 1 : 0);
    }
    c->alpn_len = out;
    return out ? 0 : -1;
}

/* Server side: the first of our protocols the client offers. */
static int alpn_select(SSL *ssl, const unsigned char **out, unsigned char *outlen,
                       const unsigned char *in, unsigned inlen, void *arg) {
    (void)ssl;
    eddy_tls_ctx_t *c = arg;
    unsigned char *sel = NULL;
    if (SSL_select_next_proto(&sel, outlen, c->alpn, c->alpn_len, in, inlen) !=
        OPENSSL_NPN_NEGOTIATED)
        return SSL_TLSEXT_ERR_NOACK;
    *out = sel;
    return SSL_TLSEXT_ERR_OK;
}

static int load_cert(SSL_CTX *sc, const eddy_tls_opts_t *o) {
    if (SSL_CTX_use_certificate_chain_file(sc, o->cert_file) != 1) return -1;
    SSL_CTX_set_default_passwd_cb(sc, passphrase_cb);
    SSL_CTX_set_default_passwd_cb_userdata(sc, (void *)o->passphrase);
    int ok = SSL_CTX_use_PrivateKey_file(sc, o->key_file ? o->key_file : o->cert_file,
                                         SSL_FILETYPE_PEM) == 1 &&
             SSL_CTX_check_private_key(sc) == 1;
    /* o->passphrase is the caller's: no pointer to it stays behind. */
    SSL_CTX_set_default_passwd_cb_userdata(sc, NULL);
    return ok ? 0 : -1;
}

static int setup_verify(SSL_CTX *sc, const eddy_tls_opts_t *o, int server) {
    if (!o->verify_peer) {
        SSL_CTX_set_verify(sc, SSL_VERIFY_NONE, NULL);
        return 0;
    }
    int mode = SSL_VERIFY_PEER | (server ? SSL_VERIFY_FAIL_IF_NO_PEER_CERT : 0);
    SSL_CTX_set_verify(sc, mode, o->allow_self_signed ? verify_allow_self_signed : NULL);
    if (o->verify_depth > 0) SSL_CTX_set_verify_depth(sc, o->verify_depth);
    if (o->cafile || o->capath)
        return SSL_CTX_load_verify_locations(sc, o->cafile, o->capath) == 1 ? 0 : -1;
    return SSL_CTX_set_default_verify_paths(sc) == 1 ? 0 : -1;
}

/* Everything a context's settings can get wrong; the reason is left in
 * OpenSSL's queue or in `why`. */
static int configure(eddy_tls_ctx_t *c, const eddy_tls_opts_t *o, const char **why) {
    SSL_CTX *sc = c->ssl_ctx;
    /* Partial writes and a moving buffer: send_all resumes a record-sized
     * write from a new position after each wait. IGNORE_UNEXPECTED_EOF: a
     * peer closing without close_notify reads as the end (PHP's view). */
    SSL_CTX_set_mode(sc, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    SSL_CTX_set_options(sc, SSL_OP_IGNORE_UNEXPECTED_EOF |
                                (o->disable_compression ? SSL_OP_NO_COMPRESSION : 0));
    if ((o->min_version && !SSL_CTX_set_min_proto_version(sc, proto_version(o->min_version))) ||
        (o->max_version && !SSL_CTX_set_max_proto_version(sc, proto_version(o->max_version))))
        return *why = "bad protocol version bounds", -1;
    if (o->ciphers && SSL_CTX_set_cipher_list(sc, o->ciphers) != 1)
        return *why = "no usable cipher in the list", -1;
    if (setup_verify(sc, o, c->server) < 0) return *why = "cannot load the CA file/path", -1;
    if (c->server && !o->cert_file) return *why = "a TLS server needs a certificate", -1;
    if (o->cert_file && load_cert(sc, o) < 0)
        return *why = "cannot load the certificate or its key", -1;
    if (o->alpn && o->alpn[0]) {
        if (alpn_wire(c, o->alpn) < 0) return *why = "bad ALPN protocol list", -1;
        if (c->server) SSL_CTX_set_alpn_select_cb(sc, alpn_select, c);
        /* set_alpn_protos is the one OpenSSL call where 0 means success */
        else if (SSL_CTX_set_alpn_protos(sc, c->alpn, c->alpn_len) != 0)
            return *why = "bad ALPN protocol list", -1;
    }
    return 0;
}

eddy_tls_ctx_t *eddy_tls_ctx_new(const eddy_tls_opts_t *o, int server, int *err, char *errbuf,
                                 size_t errlen) {
    eddy_tls_ctx_t *c = eddy_calloc(1, sizeof(*c));
    const char *why = "cannot make an OpenSSL context";
    c->refs = 1;
    c->server = server;
    c->verify_host = o->verify_host;
    c->sni = o->sni;
    ERR_clear_error();
    c->ssl_ctx = SSL_CTX_new(server ? TLS_server_method() : TLS_client_method());
    if (c->ssl_ctx && configure(c, o, &why) == 0) {
        if (err) *err = 0;
        return c;
    }
    if (err) *err = EDDY_ESSL_BAD_PROTOCOL;
    if (errbuf && errlen) {
        unsigned long e = ERR_get_error();
        char reason[200] = "";
        if (e) ERR_error_string_n(e, reason, sizeof(reason));
        snprintf(errbuf, errlen, "%s%s%s", why, e ? ": " : "", reason);
    }
    ERR_clear_error();
    eddy_tls_ctx_free(c);
    return NULL;
}

eddy_tls_ctx_t *eddy_tls_ctx_ref(eddy_tls_ctx_t *c) {
    c->refs++;
    return c;
}

void eddy_tls_ctx_free(eddy_tls_ctx_t *c) {
    if (!c || --c->refs) return;
    SSL_CTX_free(c->ssl_ctx);
    eddy_free(c->alpn);
    eddy_free(c);
}

/* ---- sockets ------------------------------------------------------------- */

static int is_ip(const char *host) {
    unsigned char tmp[16];
    return inet_pton(AF_INET, host, tmp) == 1 || inet_pton(AF_INET6, host, tmp) == 1;
}

static int set_err_ssl_new(eddy_socket_t *s) {
    char reason[200] = "out of memory";
    unsigned long e = ERR_get_error();
    if (e) ERR_error_string_n(e, reason, sizeof(reason));
    ERR_clear_error();
    return eddy__sock_set_err(s, EDDY_ESYSCALL, "cannot start a TLS session: %s", reason);
}

static int attach(eddy_socket_t *s, eddy_tls_ctx_t *c, const char *host) {
    if (s->tls) return eddy__sock_set_err(s, EDDY_EWRONG_OP, "TLS is already on this socket");
    if (s->type == EDDY_SOCK_UDP || s->type == EDDY_SOCK_UDP6 || s->type == EDDY_SOCK_UNIX_DGRAM)
        return eddy__sock_set_err(s, EDDY_EINVAL, "TLS needs a stream socket");
    ERR_clear_error();
    struct eddy__tls_s *t = eddy_calloc(1, sizeof(*t)); /* owned by s, see eddy__tls_free */
    t->fd = s->fd;
    SSL *ssl = SSL_new(c->ssl_ctx);
    BIO *bio = ssl ? fd_bio_new(t) : NULL;
    if (!bio) {
        SSL_free(ssl);
        eddy_free(t);
        return set_err_ssl_new(s);
    }
    SSL_set_bio(ssl, bio, bio); /* the SSL owns the BIO from here */
    if (c->server) SSL_set_accept_state(ssl);
    else SSL_set_connect_state(ssl);
    if (!c->server && c->sni && host && host[0] && !is_ip(host))
        SSL_set_tlsext_host_name(ssl, host);
    take_read_ahead(s, t);
    t->ssl = ssl;
    t->ctx = c;
    c->refs++;
    t->host_name = host ? eddy_strdup(host) : NULL;
    s->tls = t;
    return 0;
}

int eddy_socket_tls_attach(eddy_socket_t *s, eddy_tls_ctx_t *ctx, const char *host_name) {
    int rc = eddy__sock_enter(s);
    if (rc < 0) return rc;
    return (int)eddy__sock_leave(s, attach(s, ctx, host_name));
}

int eddy_socket_tls_enable(eddy_socket_t *s, const eddy_tls_opts_t *o, int server,
                           const char *host_name) {
    char why[EDDY__ERRMSG_MAX];
    int rc = eddy__sock_enter(s);
    if (rc < 0) return rc;
    eddy_tls_ctx_t *c = eddy_tls_ctx_new(o, server, &rc, why, sizeof(why));
    if (!c) return (int)eddy__sock_leave(s, eddy__sock_set_err(s, rc, "%s", why));
    rc = attach(s, c, host_name);
    eddy_tls_ctx_free(c); /* the socket holds its own reference now */
    return (int)eddy__sock_leave(s, rc);
}

/* verify_host: the certificate names host_name (SAN, else CN; an IP
 * address against the certificate's IP entries). */
static int check_host(eddy_socket_t *s) {
    struct eddy__tls_s *t = s->tls;
    if (!t->ctx->verify_host || !t->host_name) return 0;
    X509 *peer = SSL_get1_peer_certificate(t->ssl);
    if (!peer)
        return eddy__sock_set_err(s, EDDY_ESSL_EMPTY_PEER_CERTIFICATE,
                                  "the peer sent no certificate to check '%s' against",
                                  t->host_name);
    int ok = is_ip(t->host_name) ? X509_check_ip_asc(peer, t->host_name, 0)
                                 : X509_check_host(peer, t->host_name, 0, 0, NULL);
    X509_free(peer);
    if (ok == 1) return 0;
    return eddy__sock_set_err(s, EDDY_ESSL_VERIFY_FAILED,
                              "the peer certificate does not match the host name '%s'",
                              t->host_name);
}

/* Runs a TLS step (handshake, shutdown) to its end: it may need either
 * direction at any time, so it waits in the slot of what it needs, having
 * made sure at the start that it owns both. */
static ssize_t run_steps(eddy_socket_t *s, eddy__attempt_fn step, const eddy__deadline_t *dl) {
    for (;;) {
        ssize_t n = step(s, NULL);
        if (n != EDDY_EAGAIN) return n;
        int rc = eddy__sock_wait_for(s, s->tls_want, s->tls_want, dl);
        if (rc < 0) return rc;
    }
}

static int begin_tls_op(eddy_socket_t *s) {
    int rc = eddy__sock_enter(s);
    if (rc < 0) return rc;
    if (!s->tls) rc = eddy__sock_set_err(s, EDDY_ESSL_NOT_READY, "TLS is not on this socket");
    else if ((rc = eddy__sock_check_bound(s, EDDY_READ)) == 0)
        rc = eddy__sock_check_bound(s, EDDY_WRITE);
    if (rc < 0) eddy__sock_leave(s, rc); /* on failure the op is over already */
    return rc;
}

int eddy_socket_tls_handshake(eddy_socket_t *s, int64_t timeout_ms) {
    int rc = begin_tls_op(s);
    if (rc < 0) return rc;
    if (!s->tls->ready) {
        eddy__deadline_t dl = eddy__deadline(timeout_ms, s->timeout_connect);
        rc = (int)run_steps(s, eddy__tls_handshake_step, &dl);
        if (rc == 0 && s->closed) rc = EDDY_EBADF;
        if (rc == 0) rc = check_host(s);
        if (rc == 0) s->tls->ready = 1;
        else if (rc == EDDY_ETIMEDOUT)
            eddy__sock_set_err(s, rc, "TLS handshake timed out");
    }
    return (int)eddy__sock_leave(s, rc);
}

int eddy_socket_tls_shutdown(eddy_socket_t *s, int64_t timeout_ms) {
    int rc = begin_tls_op(s);
    if (rc < 0) return rc;
    if (!s->tls->ready || s->tls->broken) {
        rc = eddy__sock_set_err(s, EDDY_ESSL_NOT_READY, "no TLS session to shut down");
    } else {
        eddy__deadline_t dl = eddy__deadline(timeout_ms, s->timeout_write);
        rc = (int)run_steps(s, eddy__tls_shutdown_step, &dl);
    }
    return (int)eddy__sock_leave(s, rc);
}

/* ---- internal hooks of socket*.c ------------------------------------------- */

void eddy__tls_close_notify(eddy_socket_t *s) {
    struct eddy__tls_s *t = s->tls;
    if (!t->ready || t->broken || (SSL_get_shutdown(t->ssl) & SSL_SENT_SHUTDOWN)) return;
    ERR_clear_error();
    (void)SSL_shutdown(t->ssl); /* one try: a full socket buffer loses it */
    ERR_clear_error();
}

void eddy__tls_free(eddy_socket_t *s) {
    struct eddy__tls_s *t = s->tls;
    if (!t) return;
    SSL_free(t->ssl); /* and its BIO */
    eddy_tls_ctx_free(t->ctx);
    eddy_free(t->pre);
    eddy_free(t->host_name);
    eddy_free(t);
    s->tls = NULL;
}

int eddy__tls_has_pending(const eddy_socket_t *s) {
    return s->tls && SSL_pending(s->tls->ssl) > 0;
}

/* ---- status ---------------------------------------------------------------- */

int eddy_socket_tls_on(const eddy_socket_t *s) { return s->tls != NULL; }

int eddy_socket_tls_ready(const eddy_socket_t *s) { return s->tls && s->tls->ready; }

size_t eddy_socket_tls_pending(const eddy_socket_t *s) {
    return s->tls ? (size_t)SSL_pending(s->tls->ssl) : 0;
}

int eddy_socket_tls_info(const eddy_socket_t *s, eddy_tls_info_t *info) {
    memset(info, 0, sizeof(*info));
    if (!s->tls || !s->tls->ready) return EDDY_ESSL_NOT_READY;
    SSL *ssl = s->tls->ssl;
    const SSL_CIPHER *c = SSL_get_current_cipher(ssl);
    const unsigned char *alpn = NULL;
    unsigned alen = 0;
    info->protocol = SSL_get_version(ssl);
    info->cipher = c ? SSL_CIPHER_get_name(c) : "";
    info->cipher_version = c ? SSL_CIPHER_get_version(c) : "";
    info->cipher_bits = c ? SSL_CIPHER_get_bits(c, NULL) : 0;
    SSL_get0_alpn_selected(ssl, &alpn, &alen);
    info->alpn = alen ? (const char *)alpn : NULL;
    info->alpn_len = alen;
    return 0;
}

/* The peer certificate (a new reference, X509_free it), or NULL with *rc. */
static X509 *peer_cert(const eddy_socket_t *s, int *rc) {
    if (!s->tls || !s->tls->ready) {
        *rc = EDDY_ESSL_NOT_READY;
        return NULL;
    }
    X509 *x = SSL_get1_peer_certificate(s->tls->ssl);
    *rc = x ? 0 : EDDY_ESSL_EMPTY_PEER_CERTIFICATE;
    return x;
}

int eddy_socket_tls_peer_digest(const eddy_socket_t *s, const char *algo, char *hex,
                                size_t hexlen) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned n = 0;
    int rc;
    const EVP_MD *type = EVP_get_digestbyname(algo);
    if (!type) return EDDY_EINVAL;
    X509 *x = peer_cert(s, &rc);
    if (!x) return rc;
    rc = X509_digest(x, type, md, &n) == 1 ? 0 : EDDY_EINVAL;
    X509_free(x);
    if (rc == 0 && hexlen < 2 * (size_t)n + 1) rc = EDDY_EINVAL;
    for (unsigned i = 0; rc == 0 && i < n; i++) snprintf(hex + 2 * i, 3, "%02x", md[i]);
    if (rc == 0) hex[2 * n] = '\0';
    return rc;
}

int eddy_socket_tls_peer_cert_pem(const eddy_socket_t *s, char *buf, size_t len) {
    int rc;
    X509 *x = peer_cert(s, &rc);
    if (!x) return rc;
    BIO *mem = BIO_new(BIO_s_mem());
    char *data = NULL;
    long n = mem && PEM_write_bio_X509(mem, x) == 1 ? BIO_get_mem_data(mem, &data) : -1;
    rc = n < 0 ? EDDY_ESYSCALL : (size_t)n + 1 > len ? EDDY_EINVAL : (int)n;
    if (rc >= 0) {
        memcpy(buf, data, (size_t)n);
        buf[n] = '\0';
    }
    BIO_free(mem);
    X509_free(x);
    return rc;
}
