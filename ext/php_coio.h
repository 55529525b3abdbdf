/*
 * Coroutine I/O for PHP: Swoole\Coroutine\Socket (php_socket.c),
 * Swoole\Coroutine\Client (php_client.c), Swoole\Coroutine\Server and its
 * Connection (php_coserver.c), Swoole\Coroutine\System (php_system.c).
 *
 * These files only wrap the engine (include/eddy/socket.h, loop.h, coro.h):
 * every system call that touches the network, every wait and every timeout
 * is the engine's. What lives here is the PHP side: zval <-> C, the Swoole
 * timeout rules, errCode/errMsg, and the objects' lifetimes.
 *
 * Client and Server hold their connection as a Socket object, so the helpers
 * below are the one implementation of each operation; they fill
 * return_value (or throw) the way the Socket methods do.
 */
#ifndef PHP_COIO_H
#define PHP_COIO_H

#include <stdbool.h>
#include <stdint.h>

#include "php.h"
#include "eddy/socket.h"

/* ---- MINIT hooks (ext/swoole.c) ------------------------------------------ */

void php_swoole_socket_minit(int module_number);
void php_swoole_client_minit(int module_number);
void php_swoole_coserver_minit(int module_number);
void php_swoole_system_minit(int module_number);

/* ---- shared with the other I/O families ---------------------------------- */

extern zend_class_entry *php_cosocket_ce;
/* Swoole\Exception: found, or registered by php_socket.c if no family did. */
extern zend_class_entry *php_swoole_exception_ce;

/* Swoole's event bits (SWOOLE_EVENT_READ / _WRITE), as Socket::cancel() takes. */
#define PHP_COIO_EVENT_READ 512
#define PHP_COIO_EVENT_WRITE 1024

typedef struct php_cosocket_s php_cosocket_t;

/* A PHP timeout in seconds as the engine takes it, by Swoole's rules:
 * 0 (or NAN) means "the socket's own timeout", negative means forever. */
int64_t php_coio_timeout(double seconds);
/* The default of one kind of socket timeout ("connect", "read", "write",
 * "dns"), from Coroutine::set() (socket_<kind>_timeout, socket_timeout) or
 * Swoole's built-in default, in ms or EDDY_WAIT_FOREVER. */
int64_t php_coio_default_timeout(const char *kind);

php_cosocket_t *php_cosocket_from_obj(zend_object *obj);
zend_object *php_cosocket_obj(php_cosocket_t *ps);
/* A new Socket object owning `s`. */
void php_cosocket_wrap(zval *out, eddy_socket_t *s, int domain, int type, int protocol);
/* A new, unconnected Socket object of an engine kind; false on failure
 * (warning already given). */
bool php_cosocket_create(zval *out, eddy_sock_type_t kind, int *err);
/* The engine socket, NULL once closed. */
eddy_socket_t *php_cosocket_engine(php_cosocket_t *ps);
/* Last error of the socket object (errCode / errMsg). */
int php_cosocket_errcode(php_cosocket_t *ps);
const char *php_cosocket_errmsg(php_cosocket_t *ps);

/* Operations; each needs a coroutine where it may wait, and fills
 * return_value: string/int/bool, or false with errCode set. */
void php_cosocket_connect(php_cosocket_t *ps, zend_string *host, zend_long port, int64_t timeout,
                        zval *return_value);
/* A new Socket object for the next connection, or false. */
void php_cosocket_accept(php_cosocket_t *ps, int64_t timeout, zval *return_value);
void php_cosocket_recv(php_cosocket_t *ps, zend_long length, int64_t timeout, bool all,
                     zval *return_value);
void php_cosocket_send(php_cosocket_t *ps, zend_string *data, int64_t timeout, bool all,
                     zval *return_value);
void php_cosocket_name(php_cosocket_t *ps, bool peer, zval *return_value);
/* One framed message (Socket::recvPacket): string, '' at end, or false. */
void php_cosocket_recv_packet(php_cosocket_t *ps, int64_t timeout, zval *return_value);
/* Sends a file (Socket::sendFile); false with errCode set, or an exception. */
bool php_cosocket_sendfile(php_cosocket_t *ps, zend_string *path, zend_long offset,
                           zend_long length);
/* A datagram and its sender (no wait limit beyond `timeout`): string or false. */
void php_cosocket_recvfrom(php_cosocket_t *ps, zend_long length, int64_t timeout,
                           eddy_addr_t *from, zval *return_value);
/* Socket::sendto: bytes sent or false. */
void php_cosocket_sendto(php_cosocket_t *ps, zend_string *addr, zend_long port, zend_string *data,
                         zval *return_value);
/* "address" and "port" of an engine address. */
void php_coio_addr_parts(const eddy_addr_t *a, zval *host, zval *port);
/* The framing options of Swoole\Server in `opts`, through the engine's
 * option parser (include/eddy/server.h); false with a warning if one is
 * invalid. Keys it does not know are ignored. */
bool php_coio_framing_from_array(HashTable *opts, eddy_framing_t *f);
/* Wakes the coroutine waiting to read and/or write (event bits) with
 * ECANCELED; false if none was waiting. */
bool php_cosocket_cancel(php_cosocket_t *ps, zend_long events);
/* Closes the socket; coroutines waiting on it wake with EBADF. */
bool php_cosocket_close(php_cosocket_t *ps);

#endif /* PHP_COIO_H */
