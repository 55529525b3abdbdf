/*
 * Swoole\WebSocket\Server, Frame and CloseFrame: what the two files share
 * (php_websocket_server.c owns the server class and the registration;
 * php_websocket_frame.c the frame objects, pack/unpack and the constants).
 */
#ifndef PHP_SWOOLE_WEBSOCKET_H
#define PHP_SWOOLE_WEBSOCKET_H

#include "php.h"

extern zend_class_entry *php_ws_frame_ce;
extern zend_class_entry *php_ws_close_frame_ce;

/* A Frame (a CloseFrame for opcode 8, code and reason parsed from the
 * payload) for a message the engine delivered: flags are
 * SWOOLE_WEBSOCKET_FLAG_*. out gets a new reference. */
void php_ws_frame_new(zval *out, int fd, int opcode, const char *data, size_t len, int flags);

/* What push()/pack() send for a Frame object: its data (for a CloseFrame,
 * the code and reason as a close payload), opcode and flags. *data is a new
 * string the caller releases. */
void php_ws_frame_read(zend_object *frame, zend_string **data, zend_long *opcode,
                       zend_long *flags);

/* Registers the WEBSOCKET_* / SWOOLE_WEBSOCKET_* constants and gives the
 * frame classes their entries (registered by php_websocket_server.c, which
 * includes the generated arginfo). */
void php_ws_frame_minit(zend_class_entry *frame_ce, zend_class_entry *close_frame_ce,
                        int module_number);

/* MINIT of the family, after php_swoole_http_minit (Http\Server is the
 * parent) and before php_swoole_http_client_minit (which reuses the frame
 * classes and constants). */
void php_swoole_websocket_minit(int module_number);

#endif /* PHP_SWOOLE_WEBSOCKET_H */
