/*
 * Swoole\Http\Server, Request and Response: what the three files share.
 *
 * Lifetimes: the engine's request and response (include/eddy/http.h) stay
 * valid until eddy_http_response_end(). The Response object owns that end:
 * end()/redirect() call it, and freeing a Response that was never ended
 * ends it the way Swoole does (status 500 unless one was set, empty body).
 * The Request object copies what it exposes (header, server, get, post,
 * cookie, the body) when it is made, and reaches the engine's request only
 * through its Response while that is not ended (getData()).
 */
#ifndef PHP_SWOOLE_HTTP_H
#define PHP_SWOOLE_HTTP_H

#include "php.h"

#include "eddy/http.h"

typedef struct php_http_request_s php_http_request_t;

typedef struct {
    eddy_http_response_t *resp; /* NULL once ended */
    eddy_http_request_t *req;   /* same lifetime as resp */
    php_http_request_t *request; /* its Request object, not counted; NULL once freed */
    bool status_set;             /* status() was called: no 500 at free */
    void *ws; /* eddy_ws_session_t after upgrade() (php_http_response_ws.c); owned */
    /* A Coroutine\Http\Server's response: PHP_HTTP_WS_CO and that server's
     * WebSocket options of set(), for upgrade(); 0 for Http\Server's. */
    unsigned ws_co;
    zend_object std;
} php_http_response_t;

#define PHP_HTTP_WS_CO 0x01          /* ws_co is set */
#define PHP_HTTP_WS_COMPRESSION 0x02 /* websocket_compression */
#define PHP_HTTP_WS_PING_FRAME 0x04  /* open_websocket_ping_frame */
#define PHP_HTTP_WS_PONG_FRAME 0x08  /* open_websocket_pong_frame */

struct php_http_request_s {
    php_http_response_t *response; /* not counted; NULL once freed */
    zend_string *body;             /* decoded body, NULL when empty */
    zend_string *data;             /* getData(), built on first call */
    zend_string *method;
    zend_object std;
};

extern zend_class_entry *php_http_request_ce;
extern zend_class_entry *php_http_response_ce;

/* Makes the Request and Response objects of one engine request (both
 * refcount 1, linked to each other). */
void php_http_request_new(eddy_http_request_t *req, zval *zreq);
void php_http_response_new(eddy_http_request_t *req, eddy_http_response_t *resp, zval *zreq,
                           zval *zresp);

/* Frees the WebSocket session of an upgraded response (php_http_response_ws.c). */
void php_http_response_ws_free(php_http_response_t *r);
/* true while an upgraded response's WebSocket is open (isWritable()). */
bool php_http_response_ws_open(const php_http_response_t *r);

/* Gives the pair to each other and builds $request->server (which needs
 * the connection's addresses). */
void php_http_request_link(zval *zreq, php_http_response_t *resp, eddy_http_request_t *req);

/* A new connection got session id fd: a cached peer address under that id
 * (BASE mode ids are recycled) is dropped. */
void php_http_peer_forget(int fd);

/* The engine server of the running Http\Server (NULL before start()). */
eddy_server_t *php_http_server_engine(void);
/* The engine HTTP server of ps when it is an Http\Server or a
 * WebSocket\Server whose start() has attached one, else NULL. */
struct php_server_s;
eddy_http_server_t *php_http_server_hs(struct php_server_s *ps);

extern zend_class_entry *php_http_server_ce;

/* multipart/form-data (php_http_upload.c): $request->post (when
 * parse_post), ->files and ->tmpfiles from the engine's parts; zvals are
 * left alone when there is nothing for them. */
void php_http_upload_build(eddy_http_request_t *req, bool parse_post, zval *post, zval *files,
                           zval *tmpfiles);
/* The response ended (the engine unlinks the temp files): they are no
 * longer uploaded files for move_uploaded_file(). */
void php_http_upload_forget(zval *tmpfiles);
/* The Request's part of ending the response. */
void php_http_request_done(php_http_request_t *r);

/* Options of set() for the HTTP layer (php_http_options.c). */
typedef struct {
    bool parse_post;            /* http_parse_post */
    bool parse_cookie;          /* http_parse_cookie */
    int compression;            /* http_compression: 0 default (on), 1 on, -1 off */
    int compression_level;      /* 0: the engine's default */
    size_t compression_min_length; /* 0: the engine's default */
    char **compression_types;   /* NULL-terminated, owned; NULL: the default list */
    bool static_handler;        /* enable_static_handler */
    char *document_root;        /* owned */
    char **static_locations;    /* static_handler_locations, as compression_types */
    char **index_files;         /* http_index_files, as compression_types */
    char *upload_tmp_dir;       /* owned; NULL: the engine's "/tmp" */
    uint64_t upload_max_filesize; /* 0: no own limit */
    double keepalive_timeout;   /* seconds; 0: the engine's default, < 0: off */
    double header_timeout;
    double body_timeout;
    bool websocket_compression; /* Response::upgrade() negotiates permessage-deflate */
} php_http_options_t;

void php_http_options_init(php_http_options_t *o);
void php_http_options_free(php_http_options_t *o);
/* true when key is an HTTP option (taken, or warned about when bad). */
bool php_http_option(php_http_options_t *o, zend_string *key, zval *value);
/* Into the engine's options (which copy what they keep). */
void php_http_options_apply(const php_http_options_t *o, eddy_http_server_opts_t *out);

/* Http\Server's protocol data (php_server_t.proto_data). WebSocket\Server's
 * (php_websocket_server.c) begins with one, so that php_http_parse_post()
 * and the other option readers work for both. */
typedef struct {
    eddy_http_server_t *hs;      /* from attach(), freed with the object */
    eddy_server_events_t events; /* the server's, with on_connect wrapped in BASE mode */
    php_http_options_t opts;
} php_http_proto_t;

/* set()'s http_parse_post / http_parse_cookie of the running server
 * (default on). */
bool php_http_parse_post(void);
/* While a Coroutine\Http\Server builds a Request (php_co_http_server.c),
 * its options, which the two above then read; else NULL. */
extern const php_http_options_t *php_http_co_options;
bool php_http_parse_cookie(void);
/* set()'s websocket_compression of the running server (default off). */
bool php_http_websocket_compression(void);

/* Class registration (MINIT): php_swoole_http_minit registers all three. */
void php_swoole_http_minit(int module_number);
/* The classes' handlers, given the registered class entries. */
void php_http_request_minit(zend_class_entry *ce);
void php_http_response_minit(zend_class_entry *ce);

#endif /* PHP_SWOOLE_HTTP_H */
