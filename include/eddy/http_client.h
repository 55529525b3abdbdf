/*
 * eddy http client: a coroutine HTTP/1.1 client for one host:port, as
 * Swoole\Coroutine\Http\Client (src/http/http_client.c). Every call that
 * talks to the network yields the calling coroutine; outside a coroutine
 * it fails with EDDY_ECO_OUT_OF_COROUTINE.
 *
 *   eddy_http_client_t *c = eddy_http_client_new("example.com", 80, NULL);
 *   eddy_http_client_request_t r = {.method = "GET", .path = "/"};
 *   if (eddy_http_client_execute(c, &r) == 0) {
 *       size_t n;
 *       const char *body = eddy_http_client_body(c, &n);
 *       ... eddy_http_client_status(c) ...
 *   }
 *   eddy_http_client_free(c);
 *
 * Behaviour:
 *  - The connection is made on the first request (the host is resolved
 *    without blocking the loop) and kept for the next one while both sides
 *    keep it alive (opts.keep_alive and the response's keep-alive). A kept
 *    connection the server closed while idle is noticed when the next
 *    request gets no byte of answer (EOF or reset): that request is sent
 *    once more on a new connection.
 *  - Request: "METHOD path HTTP/1.1", Host (unless given; ":port" unless
 *    80), Connection: keep-alive or close (unless given), Accept-Encoding
 *    (when opts.compression and not given), the caller's headers, then the
 *    body with Content-Length. Multipart (form fields and files) is built
 *    here, with Content-Type multipart/form-data and a random boundary;
 *    files are streamed with sendfile. A CR or LF in a header, method or
 *    path, or a name that is not a token, fails with EDDY_EINVAL before
 *    anything is sent (request splitting).
 *  - Response: 1xx heads are skipped (101 ends an upgrade); Content-Length,
 *    chunked and read-until-close bodies; none for HEAD, 204 and 304.
 *    Content-Encoding gzip, x-gzip, deflate (zlib or raw) and br are
 *    decoded when opts.compression is on (Accept-Encoding: gzip, deflate,
 *    br is then sent), with the Content-Encoding header left as sent;
 *    other codings are left encoded.
 *  - The read timeout is one deadline for the whole response (head and
 *    body), the write timeout one for the whole request.
 *  - Failures set the status as Swoole's statusCode does and close the
 *    connection: EDDY_HTTP_CLIENT_CONNECT_FAILED (-1), _REQUEST_TIMEOUT
 *    (-2), _SERVER_RESET (-3, also for a malformed response), _SEND_FAILED
 *    (-4); eddy_http_client_errcode() then holds a positive errno
 *    (ECONNREFUSED, ETIMEDOUT, ECONNRESET, EPROTO...) and errmsg its text.
 *  - One request at a time per client: a second coroutine using the same
 *    client while a call is in progress gets EDDY_ECO_HAS_BEEN_BOUND.
 *  - HTTPS: with a TLS context (eddy_http_client_set_tls) each new
 *    connection runs the TLS handshake (under the connect timeout) before
 *    the request; a failed handshake is a connect failure whose errcode is
 *    the positive SW_ERROR_SSL_* code and errmsg OpenSSL's reason. The Host
 *    header then leaves out ":443".
 *
 * WebSocket: eddy_http_client_upgrade() sends the handshake (offering
 * permessage-deflate when opts.websocket_compression) and checks the 101
 * answer and its Sec-WebSocket-Accept; then push/recv exchange frames on
 * the same connection. Frames from the client are masked with a fresh
 * random key each. recv answers pings with pongs itself and does not
 * deliver them; a close frame is delivered, answered, and ends the
 * connection.
 */
#ifndef EDDY_HTTP_CLIENT_H
#define EDDY_HTTP_CLIENT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "eddy/base.h"
#include "eddy/http.h"
#include "eddy/tls.h"

/* ---- constants --------------------------------------------------------- */

/* eddy_http_client_status() when no response came, as Swoole's
 * SWOOLE_HTTP_CLIENT_ESTATUS_*. */
#define EDDY_HTTP_CLIENT_CONNECT_FAILED (-1)
#define EDDY_HTTP_CLIENT_REQUEST_TIMEOUT (-2)
#define EDDY_HTTP_CLIENT_SERVER_RESET (-3)
#define EDDY_HTTP_CLIENT_SEND_FAILED (-4)

#define EDDY_HTTP_CLIENT_MAX_HEADERS 128     /* response header lines */
#define EDDY_HTTP_CLIENT_HEAD_MAX (64 * 1024) /* response head bytes */

/* eddy_http_client_push() flags, as Swoole's SWOOLE_WEBSOCKET_FLAG_* */
#define EDDY_HTTP_CLIENT_WS_FIN 0x01
#define EDDY_HTTP_CLIENT_WS_COMPRESS 0x02 /* deflate it, if negotiated */

/* ---- types ------------------------------------------------------------- */

typedef struct eddy_http_client_s eddy_http_client_t; /* opaque */

/* Options; eddy_http_client_opts_init() gives Swoole's defaults. Times in
 * ms, EDDY_WAIT_FOREVER (-1) for none. */
typedef struct {
    /* public */
    int64_t connect_timeout_ms;  /* 2 s */
    int64_t read_timeout_ms;     /* 60 s: the whole response */
    int64_t write_timeout_ms;    /* 60 s: the whole request */
    int keep_alive;              /* 1: reuse the connection */
    int compression;             /* 1: Accept-Encoding and decoding (http_compression) */
    int websocket_compression;   /* 0: offer permessage-deflate on upgrade */
    uint64_t body_max_size;      /* decoded body / WebSocket message; 0 = none (default) */
} eddy_http_client_opts_t;

/* A file part of a multipart request (Swoole's addFile / addData). */
typedef struct {
    const char *name;     /* form field name, required */
    const char *path;     /* file to stream, or NULL to send data[0..data_len) */
    const void *data;
    size_t data_len;
    const char *filename; /* NULL: the path's basename ("blob" for data) */
    const char *mime;     /* NULL: application/octet-stream */
    int64_t offset;       /* into the file */
    int64_t length;       /* 0: to the end of the file */
} eddy_http_client_file_t;

/* One request. Everything is the caller's and need only live for the call. */
typedef struct {
    /* public */
    const char *method; /* NULL: POST with a body, form or files, else GET */
    const char *path;   /* NULL: "/" */
    const eddy_http_header_t *headers;
    size_t num_headers;
    const void *body; /* sent as is (with Content-Length) unless files are given */
    size_t body_len;
    int has_body;     /* send body even when body_len is 0 */
    const eddy_http_header_t *form; /* multipart fields, with files only */
    size_t num_form;
    const eddy_http_client_file_t *files; /* non-zero count: multipart/form-data */
    size_t num_files;
    const char *download;    /* write the body to this file instead of memory */
    int64_t download_offset; /* > 0: write from there (no truncation) */
} eddy_http_client_request_t;

/* A WebSocket message from eddy_http_client_recv(); data is the client's,
 * valid until the next call on the client. */
typedef struct {
    /* read-only */
    int opcode; /* EDDY_WS_OP_TEXT, _BINARY, _CLOSE, _PONG */
    int fin;
    int compressed;
    const char *data;
    size_t len;
    int close_code; /* CLOSE only */
} eddy_http_client_frame_t;

/* ---- lifecycle --------------------------------------------------------- */

void eddy_http_client_opts_init(eddy_http_client_opts_t *o);
/* A client for host (name or address) and port; opts NULL means defaults
 * (copied). No I/O happens here. Free with eddy_http_client_free(). */
eddy_http_client_t *eddy_http_client_new(const char *host, int port,
                                         const eddy_http_client_opts_t *opts);
/* HTTPS from the next connection on: the client takes its own reference
 * on ctx (a client-side context, eddy_tls_ctx_new) and copies host_name,
 * the SNI and verification name (NULL: the client's host). A NULL ctx
 * turns TLS off again. */
void eddy_http_client_set_tls(eddy_http_client_t *c, eddy_tls_ctx_t *ctx, const char *host_name);
/* Replaces the options (applied to the connection from the next call). */
void eddy_http_client_set_opts(eddy_http_client_t *c, const eddy_http_client_opts_t *opts);
/* Closes the connection (if any) and releases everything. Must not be
 * called while another coroutine is inside a call on c. */
void eddy_http_client_free(eddy_http_client_t *c);
/* Closes the connection; the next request opens a new one. Wakes a
 * coroutine waiting in a call on c (it fails with EDDY_EBADF). */
void eddy_http_client_close(eddy_http_client_t *c);

/* ---- requests ---------------------------------------------------------- */

/* Sends the request and reads the whole response. 0 when a response came
 * (whatever its status), else a negative code with the status set to one of
 * the EDDY_HTTP_CLIENT_* values above (EDDY_EINVAL for a bad request, status
 * unchanged at 0). The previous response's data is dropped first. */
int eddy_http_client_execute(eddy_http_client_t *c, const eddy_http_client_request_t *r);

/* The last response. Status: the HTTP status, a negative
 * EDDY_HTTP_CLIENT_* value, or 0 before any request. */
int eddy_http_client_status(const eddy_http_client_t *c);
/* Its headers as received (names as sent, values trimmed); count in *n. */
const eddy_http_header_t *eddy_http_client_headers(const eddy_http_client_t *c, size_t *n);
/* Its decoded body (empty for downloads), NUL-terminated; length in *len. */
const char *eddy_http_client_body(const eddy_http_client_t *c, size_t *len);
/* The last request's head as sent (Swoole's getHeaderOut()), NUL-terminated. */
const char *eddy_http_client_header_out(const eddy_http_client_t *c);

/* ---- WebSocket --------------------------------------------------------- */

/* GET path with the upgrade headers plus the caller's; 0 when the server
 * switched protocols (status 101, accept key right), else EDDY_EPROTOCOL
 * with the response kept (status and body readable), or a request failure
 * as execute(). */
int eddy_http_client_upgrade(eddy_http_client_t *c, const char *path,
                             const eddy_http_header_t *headers, size_t num_headers);
/* 1 after a successful upgrade, until the connection ends. */
int eddy_http_client_is_websocket(const eddy_http_client_t *c);
/* Sends one frame (opcode EDDY_WS_OP_*, flags EDDY_HTTP_CLIENT_WS_*; a
 * frame without FIN starts or continues a fragmented message). Returns 0,
 * EDDY_EWRONG_OP before an upgrade, or a socket error. Control frames
 * over 125 bytes: EDDY_EINVAL. */
int eddy_http_client_push(eddy_http_client_t *c, const void *data, size_t len, int opcode,
                          int flags);
/* Receives the next message (fragments reassembled, inflated). 0 with *f
 * set; EDDY_ETIMEDOUT (timeout_ms; EDDY_TIMEOUT_DEFAULT: the read timeout),
 * EDDY_ECONNRESET when the server closed without a close frame,
 * EDDY_EPROTOCOL / -EMSGSIZE / -EILSEQ for a broken stream (the client
 * sends the matching close and drops the connection), EDDY_EWRONG_OP
 * before an upgrade. */
int eddy_http_client_recv(eddy_http_client_t *c, eddy_http_client_frame_t *f, int64_t timeout_ms);

/* ---- status ------------------------------------------------------------ */

int eddy_http_client_errcode(const eddy_http_client_t *c);       /* errno, 0 if none */
const char *eddy_http_client_errmsg(const eddy_http_client_t *c); /* "" if none */
/* 1 while a connection is open (kept alive, or a WebSocket). Never waits. */
int eddy_http_client_connected(const eddy_http_client_t *c);
/* Peer address of the current connection; 0 or EDDY_EBADF when none. */
int eddy_http_client_peer(eddy_http_client_t *c, char *ip, size_t iplen, int *port);
/* Connections opened so far (keep-alive reuse shows as 1 for many requests). */
unsigned eddy_http_client_connections(const eddy_http_client_t *c);

#endif /* EDDY_HTTP_CLIENT_H */
