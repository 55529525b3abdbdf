/*
 * Swoole's ssl_* settings on the engine's TLS (include/eddy/tls.h): the
 * client side shared by Swoole\Coroutine\Client and
 * Swoole\Coroutine\Http\Client, the server side (php_ssl_server_ctx) by
 * Swoole\Coroutine\Server and Swoole\Coroutine\Http\Server.
 *
 * Options (Swoole's names): ssl_verify_peer (default false),
 * ssl_allow_self_signed, ssl_cafile, ssl_capath, ssl_verify_depth,
 * ssl_host_name (SNI and, with ssl_verify_peer, the name the certificate
 * must carry; default: the host connected to), ssl_cert_file, ssl_key_file,
 * ssl_passphrase, ssl_ciphers, ssl_protocols (SWOOLE_SSL_TLSv1 ...
 * SWOOLE_SSL_TLSv1_3, or-ed), ssl_alpn_protocols ("h2,http/1.1").
 */
#ifndef PHP_SSL_SETTINGS_H
#define PHP_SSL_SETTINGS_H

#include "php.h"

#include "eddy/socket.h"
#include "eddy/tls.h"

/* SWOOLE_SSL_* protocol bits (Swoole's values). */
#define PHP_SSL_SSLv2 (1 << 1)
#define PHP_SSL_SSLv3 (1 << 2)
#define PHP_SSL_TLSv1 (1 << 3)
#define PHP_SSL_TLSv1_1 (1 << 4)
#define PHP_SSL_TLSv1_2 (1 << 5)
#define PHP_SSL_TLSv1_3 (1 << 6)

/* Registers SWOOLE_SSL_SSLv2 ... SWOOLE_SSL_TLSv1_3 (MINIT; a name already
 * registered is left alone). */
void php_ssl_settings_register_constants(int module_number);

/* Puts TLS on a connected socket per `settings` (may be NULL) and runs the
 * client handshake under `timeout_ms` (EDDY_TIMEOUT_DEFAULT: the socket's
 * connect timeout). `host` is the name connected to. 0, or an engine error
 * with the reason in eddy_socket_errmsg(). May yield. */
int php_ssl_client_start(eddy_socket_t *s, HashTable *settings, const char *host,
                         int64_t timeout_ms);
/* A client TLS context per `settings` (the caller frees it with
 * eddy_tls_ctx_free), and in *name the peer name to give with it (a
 * pointer into settings, or host). NULL with *err and errbuf filled when a
 * setting is unusable (a CA file that cannot be read...). */
eddy_tls_ctx_t *php_ssl_client_ctx(HashTable *settings, const char *host, const char **name,
                                   int *err, char *errbuf, size_t errlen);

/* A server TLS context per a server's `settings` (Swoole's names):
 * ssl_cert_file and ssl_key_file (both required), ssl_passphrase,
 * ssl_verify_peer (ask for and verify a client certificate),
 * ssl_client_cert_file (the CAs client certificates must chain to),
 * ssl_allow_self_signed, ssl_verify_depth, ssl_protocols, ssl_ciphers,
 * ssl_alpn_protocols. The caller frees it with eddy_tls_ctx_free. NULL
 * with *err and the reason in errbuf when a file is missing or unusable. */
eddy_tls_ctx_t *php_ssl_server_ctx(HashTable *settings, int *err, char *errbuf, size_t errlen);

#endif /* PHP_SSL_SETTINGS_H */
