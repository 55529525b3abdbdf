/* Private to the HTTP server files (http_server.c, http_conn.c,
 * http_response.c, http_request.c). */
#ifndef EDDY_HTTP_SERVER_INTERNAL_H
#define EDDY_HTTP_SERVER_INTERNAL_H

#include <stdint.h>

#include "eddy/http.h"
#include "eddy/server.h"
#include "eddy/timer.h"

#define HS_MAX_HEADERS 100 /* header lines per request; more is 431 */
#define HS_FREE_MAX 64     /* pooled exchanges kept per worker */

typedef struct hs_conn_s hs_conn_t;
typedef struct hs_upload_s hs_upload_t; /* http_upload.c */

/* Where a server's bytes go: the server engine's session calls
 * (http_server.c) or a coroutine socket per connection (co_http.c), so
 * that one connection state machine and one response writer serve both.
 * c is NULL once the connection is gone (fd is its session id then). */
typedef struct {
    int (*send)(eddy_http_server_t *hs, hs_conn_t *c, int fd, const void *p, size_t len);
    void (*close)(eddy_http_server_t *hs, hs_conn_t *c, int fd); /* lingering: after the sends */
    int (*remote)(eddy_http_server_t *hs, hs_conn_t *c, int fd, char *ip, size_t iplen,
                  int *port);
    /* NULL: sendfile.c paces the file through the engine's output queue;
     * else sends len bytes of file fd from off, all of them or an error. */
    int (*sendfile)(eddy_http_server_t *hs, hs_conn_t *c, int fd, uint64_t off, uint64_t len);
} hs_transport_t;

/* One response header line: offsets into eddy_http_response_s.strs. */
typedef struct {
    size_t no, nl, vo, vl;
    int dead; /* replaced by header() */
} hs_hdr_t;

struct eddy_http_response_s {
    eddy_http_server_t *hs;
    hs_conn_t *conn; /* NULL once the client is gone */
    int fd;
    int status;
    size_t reason_off, reason_len; /* reason_len 0: the standard phrase */
    eddy_buf_t strs;               /* header names, values, reason */
    hs_hdr_t *hdrs;
    size_t nhdrs, cap;
    unsigned head_sent : 1;
    unsigned chunked : 1;  /* head said Transfer-Encoding: chunked */
    unsigned close : 1;    /* close after this response */
    unsigned is_head : 1;  /* HEAD request: no body */
    unsigned has_ctype : 1;
    /* http_compress.c */
    unsigned vary : 1;         /* add "Vary: Accept-Encoding" */
    signed char compress;      /* -1: the server's switch; 0 / 1: eddy_http_response_compress */
    unsigned char enc;         /* EDDY_HTTP_ENC_* of the body being sent */
    eddy_http_compressor_t *z; /* streamed body's encoder, owned; NULL if none */
    /* response_trailer.c: trailer fields, offsets into strs like hdrs */
    hs_hdr_t *trl;
    size_t ntrl, trl_cap;
    /* response_detach.c: made by eddy_http_response_create() for a session
     * this worker may not read; conn is then a placeholder, never a real
     * connection, and no connection state follows the response's end. */
    unsigned created : 1;
};

/* A request and its response: taken when a head is parsed, given back
 * (pooled) when the response ends. */
typedef struct hs_exchange_s {
    eddy_http_request_t req; /* req.ctx == this */
    eddy_http_header_t headers[HS_MAX_HEADERS];
    struct eddy_http_response_s resp;
    const char *body;
    size_t body_len;
    double time;
    uintptr_t base;   /* conn input buffer the spans were parsed in */
    eddy_buf_t arena; /* decoded params */
    eddy_http_pair_t *params[3];
    size_t nparams[3];
    unsigned parsed; /* params parsed (all kinds at once) */
    eddy_buf_t keep; /* the input buffer, once the connection is gone */
    hs_upload_t *up; /* multipart/form-data body: fields and temp files; owned */
    struct hs_file_s *file; /* sendfile.c: a file body being sent, owned */
    struct hs_exchange_s *next_free;
} hs_exchange_t;

/* S_UPGRADED: a response ended with 101 and a WebSocket server took the
 * connection (hs->upgrade): its bytes go there, not to the parser. */
enum { S_HEAD = 0, S_BODY, S_WAIT, S_CLOSING, S_UPGRADED };

struct hs_conn_s {
    int fd;
    int state;
    hs_conn_t *hnext; /* hash chain */
    eddy_buf_t in;      /* the current request, then what follows it */
    eddy_buf_t pending; /* input that arrived while a request is handled */
    size_t head_len;    /* S_BODY / S_WAIT: size of the head in `in` */
    size_t raw_pos;     /* chunked: undecoded input starts here */
    uint64_t body_len;  /* chunked: decoded bytes so far */
    size_t req_end;     /* S_WAIT: end of the request in `in` */
    eddy_http_chunked_t dec;
    hs_exchange_t *x;
    unsigned busy; /* > 0 while conn_process runs */
    uint64_t deadline; /* loop ms the connection is closed at; 0: none (http_timeout.c) */
    int phase;         /* what the deadline is for (http_timeout.c) */
    unsigned gone : 1;
    unsigned continue_sent : 1;
    /* response_detach.c: a request's answer is pending elsewhere, so the
     * idle keep-alive deadline does not run until the next request. */
    unsigned detached : 1;
    void *tp_data; /* the transport's per-connection state (co_http.c: its socket) */
};

struct eddy_http_server_s {
    eddy_server_t *srv; /* NULL for a coroutine HTTP server (co_http.c) */
    const hs_transport_t *tp;
    eddy_http_request_cb on_request;
    void *data;
    eddy_server_events_t user; /* the user's other events */
    eddy_http_parser_opts_t popts;
    /* Set by a WebSocket server (ws_server.c), else all NULL: on_upgrade
     * runs when a response ended with 101 (req still valid), on_data then
     * gets every byte of that connection (what followed the request first). */
    struct {
        void *data;
        void (*on_upgrade)(void *data, int fd, eddy_http_request_t *req);
        void (*on_data)(void *data, int fd, const char *p, size_t len);
    } upgrade;
    hs_conn_t **buckets; /* session -> connection, per worker */
    size_t nbuckets, nconns;
    hs_exchange_t *free_x;
    size_t nfree;
    eddy_http_header_t scratch[HS_MAX_HEADERS]; /* parser output before a head is whole */
    eddy_http_header_t *out_hdrs;               /* response head assembly */
    size_t out_cap;
    eddy_buf_t out;
    /* uploads and timeouts (http_upload.c, http_timeout.c) */
    char *upload_tmp_dir; /* owned */
    uint64_t upload_max_filesize;
    uint64_t timeout_ms[3]; /* idle keep-alive, head, body gap; 0: off */
    eddy_timer_t sweep;     /* one per worker, closes connections past their deadline */
    int *expired;           /* sweep scratch: session ids to close */
    size_t nexpired_cap;
    struct hs_static_s *st; /* static.c: NULL unless enable_static_handler */
    /* http_compress.c: options and per-worker scratch */
    int compression; /* http_compression: 1 on, 0 off */
    int compression_level;
    size_t compression_min_length;
    char **compression_types;        /* copied list; NULL: the default list */
    eddy_http_compressor_t *zc[3];   /* gzip/deflate streams reused per body; [enc] */
    eddy_buf_t zout;                 /* encoded body or piece being sent */
};

/* http_server.c */
/* A server without its transport: options, limits (body_max: 413 over it),
 * compression, static files. 0 or the error of an option. */
int eddy__hs_create(eddy_http_server_t **out, const eddy_http_server_opts_t *opts,
                    uint64_t body_max);
int eddy__hs_send(eddy_http_server_t *hs, hs_conn_t *c, int fd, const void *p, size_t len);
void eddy__hs_close(eddy_http_server_t *hs, hs_conn_t *c, int fd);
hs_conn_t *eddy__hs_conn_find(eddy_http_server_t *hs, int fd);
void eddy__hs_conn_remove(eddy_http_server_t *hs, hs_conn_t *c);
void eddy__hs_conn_free(hs_conn_t *c);
hs_exchange_t *eddy__hs_exchange_get(eddy_http_server_t *hs);
void eddy__hs_exchange_put(eddy_http_server_t *hs, hs_exchange_t *x);

/* http_conn.c */
void eddy__hs_feed(eddy_http_server_t *hs, hs_conn_t *c, const char *data, size_t len);
void eddy__hs_process(eddy_http_server_t *hs, hs_conn_t *c);
/* The response of c's current request has been sent (keep: the
 * connection stays open): releases the exchange, goes on with the next. */
void eddy__hs_finish(eddy_http_server_t *hs, hs_conn_t *c, int keep);
void eddy__hs_conn_gone(eddy_http_server_t *hs, hs_conn_t *c);

/* http_upload.c: multipart/form-data bodies streamed to upload_tmp_dir.
 * begin: 0 when x is not multipart (x->up stays NULL) or its upload is
 * ready, else the HTTP status to answer (400). feed / end: 0 or the
 * status to answer (400 malformed, 413 too many files). free: closes and
 * unlinks every temp file, releases u (NULL is fine). */
int eddy__hs_upload_begin(eddy_http_server_t *hs, hs_exchange_t *x);
int eddy__hs_upload_feed(hs_upload_t *u, const char *data, size_t len);
int eddy__hs_upload_end(hs_upload_t *u);
void eddy__hs_upload_free(hs_upload_t *u);
/* The i-th form field as a pair (raw, NUL-terminated): 1, or 0 past the end. */
int eddy__hs_upload_field(const hs_upload_t *u, size_t i, eddy_http_pair_t *p);

/* http_timeout.c: per-connection deadlines swept by one timer per worker. */
void eddy__hs_timeout_init(eddy_http_server_t *hs, const eddy_http_server_opts_t *o);
void eddy__hs_timeout_start(eddy_http_server_t *hs); /* worker start */
void eddy__hs_timeout_stop(eddy_http_server_t *hs);  /* worker exit / stop */
/* Re-arms c's deadline after its state changed or bytes arrived. */
void eddy__hs_timeout_update(eddy_http_server_t *hs, hs_conn_t *c, int got_bytes);

/* http_compress.c (see "Response compression" in eddy/http.h) */
int eddy__hs_compress_new(eddy_http_server_t *hs, const eddy_http_server_opts_t *o);
void eddy__hs_compress_free(eddy_http_server_t *hs);
/* Whole body: picks r's coding (r->enc, r->vary) and, when it is not
 * identity, points *data / *len at the encoded body (hs->zout, valid until
 * the next response is built). An encoder failure leaves identity. */
void eddy__hs_compress_body(eddy_http_response_t *r, const void **data, size_t *len);
/* Streamed body, before its head: picks r's coding and starts r->z. */
void eddy__hs_compress_stream(eddy_http_response_t *r);
/* Encodes a streamed piece (finish: the stream's end) and appends it to
 * hs->out, chunk-framed. 0 or EDDY_ENOMEM. */
int eddy__hs_compress_write(eddy_http_response_t *r, const void *data, size_t len, int finish);
/* Content-Encoding / Vary for r into h[n..] (2 free slots); the new n. */
size_t eddy__hs_compress_headers(const eddy_http_response_t *r, eddy_http_header_t *h, size_t n);
/* The response is being released: frees r->z. */
void eddy__hs_compress_release(eddy_http_response_t *r);

/* http_response.c: builds the head of a body of `length` bytes into
 * hs->out (cleared first) and marks it sent; the caller sends hs->out,
 * then the body. *keep tells whether the connection persists after it.
 * 0, or EDDY_EINVAL from eddy_http_response_head. */
int eddy__hs_response_head(eddy_http_response_t *r, int64_t length, int *keep);

/* sendfile.c: sends the head (Content-Length: len), then len bytes of the
 * open file fd from off, paced by the connection's output queue, and ends
 * the response. Takes fd (closed on every path). HEAD: the head only.
 * 0: the response is over for the caller (also when the client left);
 * < 0 (the head would not build): nothing sent, r still the caller's. */
int eddy__hs_file_send(eddy_http_response_t *r, int fd, uint64_t off, uint64_t len);
/* Stops a file body (the exchange is being released). */
void eddy__hs_file_release(hs_exchange_t *x);

/* response_trailer.c */
/* Live trailer fields of r. */
size_t eddy__hs_trailer_count(const eddy_http_response_t *r);
/* 1 when end() must stream r (chunked) to carry its trailers: there are
 * some and the status may have a body. */
int eddy__hs_trailer_stream(const eddy_http_response_t *r);
/* Before a chunked head: "Trailer: <names>" announces them. 0 or error. */
int eddy__hs_trailer_announce(eddy_http_response_t *r);
/* Appends the last chunk: "0\r\n", the trailer fields, "\r\n". */
void eddy__hs_trailer_end(const eddy_http_response_t *r, eddy_buf_t *out);

/* response_detach.c */
/* The response ended (its bytes sent, or not: rc): hands the exchange
 * back, and for a connection of this worker goes on with it (keep) or
 * closes it. Every end path of a response comes here. */
void eddy__hs_response_done(eddy_http_response_t *r, int keep);
/* sendfile() of a created response: head and file with
 * eddy_server_send_path(), then done. */
int eddy__hs_created_sendfile(eddy_http_response_t *r, const char *path, uint64_t off,
                              uint64_t len);

/* static.c */
int eddy__hs_static_new(eddy_http_server_t *hs, const eddy_http_server_opts_t *o);
void eddy__hs_static_free(eddy_http_server_t *hs);
/* 1 when the static handler answered (or is answering) the request, 0
 * when on_request should run. */
int eddy__hs_static(eddy_http_server_t *hs, hs_exchange_t *x);

#endif /* EDDY_HTTP_SERVER_INTERNAL_H */
