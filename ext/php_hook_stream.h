/*
 * The hooked stream sockets of php_hook_stream.c, shared with the SSL/TLS
 * hook (php_hook_ssl.c), which puts TLS on them: ssl:// and tls:// streams
 * are hooked TCP streams with TLS started at connect (or accept), and
 * stream_socket_enable_crypto() starts it on any hooked TCP stream.
 */
#ifndef PHP_HOOK_STREAM_H
#define PHP_HOOK_STREAM_H

#include "php.h"
#include "php_network.h"

#include "eddy/socket.h"

#define PHP_HOOK_HOST_MAX 256

typedef struct php_hook_ssl_s php_hook_ssl_t; /* php_hook_ssl.c */

typedef struct {
    php_netstream_data_t ns; /* first: mysqlnd and phpredis read ->socket. ns.socket is the engine fd */
    eddy_socket_t *s;        /* NULL until bind/connect; owned, closed by hs_close */
    eddy_sock_type_t kind;   /* the transport's kind (TCP becomes TCP6 per address) */
    php_hook_ssl_t *ssl;     /* TLS settings (php_hook_ssl.c), NULL for plain; owned */
    char peer_host[PHP_HOOK_HOST_MAX]; /* the host connected to: TLS's default peer name */
} hstream_t;

/* ---- php_hook_stream.c ------------------------------------------------------ */

/* One PHP stream transport a hook takes over (each hook keeps a static
 * table of them, its per-process state): the scheme, the runtime flag that
 * hooks it, and the factory PHP had, saved while hooked and registered
 * again when the flag goes off. `param` is the hook's own datum for the
 * scheme: the eddy_sock_type_t of php_hook_stream.c's transports, the
 * default crypto method of php_hook_ssl.c's. */
typedef struct {
    const char *name;
    uint32_t bit;
    int param;
    php_stream_transport_factory orig;
    bool hooked;
} php_hook_xport_t;

/* The entry of table[0..n) for the scheme proto (protolen bytes, any case),
 * or NULL if there is none or it is not hooked (no factory of PHP's to
 * fall back on). */
php_hook_xport_t *php_hook_xport_find(php_hook_xport_t *table, size_t n, const char *proto,
                                      size_t protolen);
/* Registers `factory` for each scheme of table[0..n) whose bit is in
 * flags and PHP's factory back for the others, changing only those whose
 * state differs. A scheme PHP does not have (no openssl extension, no unix
 * sockets) is left alone. The php_runtime_register() callback's work. */
void php_hook_xport_apply(php_hook_xport_t *table, size_t n, uint32_t flags,
                          php_stream_transport_factory factory);

/* A hooked TCP stream, not connected yet (the transport factories' work). */
php_stream *php_hook_stream_new_tcp(const char *persistent_id);
/* poll(2) on the fd for `events` outside a coroutine: >0 ready, 0 timeout. */
int php_hook_stream_poll(int fd, short events, int64_t ms);
/* The stream's read timeout in ms (EDDY_WAIT_FOREVER if none). */
int64_t php_hook_stream_timeout_ms(const hstream_t *hs);

/* ---- php_hook_ssl.c --------------------------------------------------------- */

/* PHP_STREAM_OPTION_CRYPTO_API (stream_socket_enable_crypto). */
int php_hook_ssl_crypto(php_stream *stream, hstream_t *hs, php_stream_xport_crypto_param *cp);
/* After a connect: the handshake of ssl:// / tls:// streams; -1 (with the
 * transport error set in xp) if it failed, else 0. */
int php_hook_ssl_connected(php_stream *stream, hstream_t *hs, php_stream_xport_param *xp);
/* After an accept on an ssl:// server: the server handshake on `client`. */
int php_hook_ssl_accepted(hstream_t *lhs, php_stream *client);
/* Reads and writes of a TLS stream that must not yield (non-blocking mode,
 * or outside a coroutine): as PHP's own, 0 for "nothing now". */
ssize_t php_hook_ssl_read_nowait(php_stream *stream, hstream_t *hs, char *buf, size_t count);
ssize_t php_hook_ssl_write_nowait(hstream_t *hs, const char *buf, size_t count);
/* Before select/poll on a TLS stream's fd: plaintext TLS already holds
 * (poll cannot see it) goes into PHP's read buffer, where stream_select
 * looks, as PHP's openssl transport does. */
void php_hook_ssl_before_select(php_stream *stream, hstream_t *hs);
/* stream_get_meta_data()'s "crypto" entry, once TLS is up. */
void php_hook_ssl_meta(hstream_t *hs, zval *meta);
/* Frees hs->ssl (hs_close). */
void php_hook_ssl_free(hstream_t *hs, bool persistent);

#endif /* PHP_HOOK_STREAM_H */
