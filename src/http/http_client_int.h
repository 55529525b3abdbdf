/* Private state of the HTTP client, shared by http_client*.c. */
#ifndef EDDY_HTTP_CLIENT_INT_H
#define EDDY_HTTP_CLIENT_INT_H

#include "eddy/http_client.h"
#include "eddy/socket.h"
#include "eddy/websocket.h"

/* Where decoded body bytes go: memory or a file, through an optional
 * inflater (Content-Encoding). */
typedef struct {
    void *z;       /* z_stream, NULL when the body is not gzip/deflate */
    void *br;      /* BrotliDecoderState, NULL when the body is not br */
    int z_started; /* deflate: the first bytes decided zlib vs raw */
    int z_gzip;
    int fd;        /* download target, -1 for memory */
    uint64_t max;  /* decoded bytes allowed; 0 = none */
    uint64_t size; /* decoded bytes so far */
} eddy__hc_sink_t;

struct eddy_http_client_s {
    /* settings */
    char *host; /* owned */
    int port;
    eddy_http_client_opts_t o;
    eddy_tls_ctx_t *tls; /* one reference, or NULL for plain HTTP */
    char *tls_host;      /* owned, or NULL: host */
    /* connection */
    eddy_socket_t *sock; /* NULL when not connected */
    unsigned connections;
    int busy;            /* a call is in progress (one at a time) */
    /* last exchange */
    int status;
    int errcode;
    char errmsg[160];
    eddy_buf_t in;       /* bytes read and not yet consumed */
    eddy_buf_t head;     /* copy of the response head; headers point into it */
    eddy_http_header_t headers[EDDY_HTTP_CLIENT_MAX_HEADERS];
    size_t num_headers;
    eddy_buf_t body;
    eddy_buf_t out;      /* request head as sent */
    /* websocket */
    int ws;
    int ws_deflate_on;
    eddy_ws_deflate_t deflate;
    eddy_ws_asm_t wsa;
    eddy_buf_t ws_msg;   /* the assembler's message buffer */
    eddy_buf_t ws_frame; /* last delivered message, copied out */
};

/* http_client_body.c */
int eddy__hc_sink_open(eddy__hc_sink_t *s, eddy_http_client_t *c, const char *encoding,
                       size_t enc_len, const char *download, int64_t offset);
int eddy__hc_sink_write(eddy__hc_sink_t *s, eddy_http_client_t *c, const char *p, size_t n);
int eddy__hc_sink_finish(eddy__hc_sink_t *s, eddy_http_client_t *c);
void eddy__hc_sink_close(eddy__hc_sink_t *s);

/* http_client.c */
void eddy__hc_fail(eddy_http_client_t *c, int status, int err, const char *what);
void eddy__hc_disconnect(eddy_http_client_t *c);
int eddy__hc_request(eddy_http_client_t *c, const eddy_http_client_request_t *r, int upgrade);

#endif /* EDDY_HTTP_CLIENT_INT_H */
