/*
 * Swoole\Coroutine\Http\Server (php_co_http_server.c).
 */
#ifndef PHP_CO_HTTP_SERVER_H
#define PHP_CO_HTTP_SERVER_H

/* MINIT: registers the class (and Co\Http\Server with short names). */
void php_swoole_co_http_server_minit(int module_number);

#endif /* PHP_CO_HTTP_SERVER_H */
