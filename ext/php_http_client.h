/* Swoole\Coroutine\Http\Client family (ext/php_http_client.c). */
#ifndef PHP_HTTP_CLIENT_H
#define PHP_HTTP_CLIENT_H

/* Registers the client classes, the get()/post()/request() functions and
 * the WebSocket / client status constants the other families did not.
 * Call after every other family's MINIT. */
void php_swoole_http_client_minit(int module_number);

#endif /* PHP_HTTP_CLIENT_H */
