/*
 * eddy http: the HTTP/1.1 request parser, chunked body decoder, response
 * head writer and URL helpers. Pure functions over caller-owned memory, in
 * the picohttpparser mould: nothing here allocates except the response
 * writer, which appends to an eddy_buf_t the caller owns.
 *
 *   eddy_http_header_t hdrs[64];
 *   eddy_http_request_t req;
 *   ssize_t n = eddy_http_parse_request(buf.data, buf.len, NULL, &req, hdrs, 64);
 *   if (n == EDDY_EAGAIN) -> read more, call again with the whole buffer
 *   if (n > 0)            -> head is buf[0..n); body per req.flags / content_length
 *   else                  -> answer eddy_http_error_status(n), then close
 *
 * Strictness (RFC 9112 / RFC 9110), chosen where leniency enables request
 * smuggling or response splitting; each rejection has its own code below:
 *  - Line ends are CRLF only. A bare LF anywhere in the head is rejected
 *    (RFC 9112 2.2 lets a recipient accept it; two parsers disagreeing on
 *    where a line ends is exactly how smuggling starts). A CR not followed by
 *    LF is rejected too.
 *  - Empty lines (CRLF) before the request line are skipped (RFC 9112 2.2
 *    SHOULD), counted in the bytes consumed.
 *  - Request line: method SP target SP version, exactly one SP each. The
 *    method is a token; the target may hold no control character, SP or
 *    DEL (bytes >= 0x80 are accepted, as nginx does: they are not framing).
 *    Forms (RFC 9112 3.2): origin "/..."; absolute "scheme://auth/..." (the
 *    path after the authority is `path`); authority "host:port" with
 *    CONNECT only; "*" with OPTIONS only; anything else is 400. A fragment
 *    ("#...") is not split out: '#' ends the path or query, and stays in
 *    `target`.
 *  - Version "HTTP/1.0" or "HTTP/1.1"; "HTTP/1.x" with x > 1 is served as
 *    1.1 (RFC 9110 2.5); any other major version -> EDDY_EHTTP_VERSION (505);
 *    text that is not HTTP/DIGIT.DIGIT -> EDDY_EHTTP_BAD_VERSION (400).
 *  - Header names are tokens (tchar only); whitespace or anything else
 *    before the colon is rejected (RFC 9112 5.1 MUST). A line starting with
 *    SP/HT (obs-fold, and whitespace after the request line) is rejected
 *    (RFC 9112 5.2 allows 400). Values may not hold CTLs other than HT
 *    (NUL, bare CR, DEL...); leading and trailing OWS is trimmed.
 *  - Names are not lower-cased by the parser (zero-copy, const input): use
 *    eddy_http_name_eq() to compare, or eddy_http_headers_lower() to rewrite
 *    them in place when the caller's buffer is writable.
 *  - Content-Length: 1*DIGIT only (no sign, no list "5, 5", no spaces
 *    inside), at most 18 digits counting leading zeros (so no overflow).
 *    Duplicates with the same numeric value ("7" and "007") are accepted:
 *    RFC 9110 8.6 permits it and the length is not ambiguous; differing
 *    duplicates -> EDDY_EHTTP_DUP_CONTENT_LENGTH.
 *  - Transfer-Encoding: the combined list (all TE lines, empty elements
 *    ignored) must end in "chunked" (case-insensitive), else 400; chunked
 *    twice is 400; another coding before it (gzip, chunked) is 501 (we decode
 *    none). Transfer-Encoding in an HTTP/1.0 request is 400 (RFC 9112 6.1
 *    says treat the framing as faulty). Content-Length together with
 *    Transfer-Encoding is 400 (RFC 9112 6.3 lets us reject; we do).
 *  - Host: an HTTP/1.1 request without Host, or with two, is 400 (RFC 9112
 *    3.2 MUST).
 *  - Keep-alive: 1.1 persists unless Connection holds "close"; 1.0 persists
 *    only if Connection holds "keep-alive" and not "close" (RFC 9112 9.3).
 *  - Expect: "100-continue" sets EDDY_HTTP_EXPECT_CONTINUE for 1.1 only (RFC
 *    9110 10.1.1: a 1.0 request's expectation is ignored).
 *  - Limits: the request line over line_max_size -> EDDY_EHTTP_URI_TOO_LONG
 *    (414); the whole head (request line + headers + final CRLF) over
 *    header_max_size -> EDDY_EHTTP_HEADERS_TOO_LARGE (431), as are more
 *    headers than the caller's array holds. Content-Length over
 *    body_max_size -> EDDY_EHTTP_BODY_TOO_LARGE (413), before the body is
 *    read. Swoole has no user option for the head limit (it is the
 *    compile-time SW_HTTP_HEADER_MAX_SIZE; its manual gives 8 KiB for
 *    open_http_protocol), so ours is a parser option defaulting to 8 KiB;
 *    body_max_size is the server's package_max_length (2 MiB).
 *  - Cost: each call rescans the head from the start (memchr for line ends,
 *    then one pass), bounded by header_max_size; call it when data arrives.
 */
#ifndef EDDY_HTTP_H
#define EDDY_HTTP_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "eddy/base.h"

/* ---- constants --------------------------------------------------------- */

#define EDDY_HTTP_HEADER_MAX_SIZE 8192            /* whole request head */
#define EDDY_HTTP_LINE_MAX_SIZE 8192              /* request line */
#define EDDY_HTTP_BODY_MAX_SIZE (2 * 1024 * 1024) /* package_max_length */
#define EDDY_HTTP_CHUNK_EXT_MAX 1024              /* one chunk's extensions */
#define EDDY_HTTP_SERVER_NAME "swoole-http-server" /* Swoole's Server header */

/* Errors (eddy-specific numbers; eddy_http_strerror() names them).
 * "Need more input" is EDDY_EAGAIN, never one of these. */
#define EDDY_EHTTP_BAD_REQUEST (-7100)      /* 400: malformed request line */
#define EDDY_EHTTP_BAD_METHOD (-7101)       /* 400: method is not a token */
#define EDDY_EHTTP_BAD_TARGET (-7102)       /* 400: CTL/SP/DEL in target, bad form */
#define EDDY_EHTTP_BAD_VERSION (-7103)      /* 400: not HTTP/DIGIT.DIGIT */
#define EDDY_EHTTP_VERSION (-7104)          /* 505: major version is not 1 */
#define EDDY_EHTTP_BAD_LINE_END (-7105)     /* 400: bare LF or CR without LF */
#define EDDY_EHTTP_BAD_HEADER_NAME (-7106)  /* 400: non-tchar or space before ':' */
#define EDDY_EHTTP_BAD_HEADER_VALUE (-7107) /* 400: CTL in a field value */
#define EDDY_EHTTP_OBS_FOLD (-7108)         /* 400: line starts with SP/HT */
#define EDDY_EHTTP_BAD_CONTENT_LENGTH (-7109) /* 400: not digits, overflow */
#define EDDY_EHTTP_DUP_CONTENT_LENGTH (-7110) /* 400: differing duplicates */
#define EDDY_EHTTP_CL_AND_TE (-7111)          /* 400: both framings present */
#define EDDY_EHTTP_BAD_TRANSFER_ENCODING (-7112) /* 400: chunked not final/twice, 1.0 */
#define EDDY_EHTTP_TE_NOT_IMPLEMENTED (-7113) /* 501: a coding other than chunked */
#define EDDY_EHTTP_BAD_HOST (-7114)           /* 400: 1.1 without Host, or two */
#define EDDY_EHTTP_URI_TOO_LONG (-7115)       /* 414 */
#define EDDY_EHTTP_HEADERS_TOO_LARGE (-7116)  /* 431: head, header count, trailers */
#define EDDY_EHTTP_BODY_TOO_LARGE (-7117)     /* 413: over body_max_size */
#define EDDY_EHTTP_BAD_CHUNK (-7118)          /* 400: chunk size/ext/CRLF/trailer */

/* eddy_http_request_t.flags */
#define EDDY_HTTP_KEEP_ALIVE 0x01       /* connection persists after this request */
#define EDDY_HTTP_CHUNKED 0x02          /* body is chunked: use the decoder */
#define EDDY_HTTP_CONTENT_LENGTH 0x04   /* content_length came from a header */
#define EDDY_HTTP_EXPECT_CONTINUE 0x08  /* Expect: 100-continue (1.1) */
#define EDDY_HTTP_CONNECTION_CLOSE 0x10 /* Connection: close seen */
#define EDDY_HTTP_UPGRADE 0x20          /* Connection: upgrade seen */

/* eddy_http_response_head() content_length specials and flags */
#define EDDY_HTTP_LENGTH_CHUNKED (-1) /* Transfer-Encoding: chunked */
#define EDDY_HTTP_LENGTH_NONE (-2)    /* no framing header (304, HEAD, close) */
#define EDDY_HTTP_RESP_CLOSE 0x01      /* Connection: close */
#define EDDY_HTTP_RESP_KEEP_ALIVE 0x02 /* Connection: keep-alive (for 1.0 peers) */
#define EDDY_HTTP_RESP_NO_DATE 0x04
#define EDDY_HTTP_RESP_NO_SERVER 0x08

#define EDDY_HTTP_DATE_LEN 29       /* "Sun, 06 Nov 1994 08:49:37 GMT" */
#define EDDY_HTTP_CHUNK_HEAD_MAX 19 /* 16 hex digits + CRLF + NUL */

/* eddy_http_url_decode() flags */
#define EDDY_HTTP_DECODE_PLUS 0x01 /* '+' means space (form/query encoding) */
#define EDDY_HTTP_DECODE_PATH 0x02 /* reject %00 (a NUL in a path) */

/* ---- types ------------------------------------------------------------- */

/* A header: spans into the caller's buffer, not NUL-terminated. Also the
 * input type of the response writer. */
typedef struct {
    /* public */
    const char *name;
    size_t name_len;
    const char *value;
    size_t value_len;
} eddy_http_header_t;

/* Parser limits. Plain data; eddy_http_parser_opts_init() sets defaults. */
typedef struct {
    /* public */
    size_t header_max_size; /* whole head; 431 over it */
    size_t line_max_size;   /* request line without CRLF; 414 over it */
    uint64_t body_max_size; /* Content-Length / chunked total; 413; 0 = none */
} eddy_http_parser_opts_t;

/* A parsed request head. Every pointer points into the parsed buffer and is
 * valid while that buffer is. */
typedef struct {
    /* read-only */
    const char *method;
    size_t method_len;
    const char *target; /* as sent */
    size_t target_len;
    const char *path;   /* target up to '?' / '#'; "/" for "http://h" */
    size_t path_len;    /* 0 for authority-form (CONNECT) */
    const char *query;  /* after '?', up to '#'; NULL when there is no '?' */
    size_t query_len;
    int version_minor;  /* 0 or 1 */
    eddy_http_header_t *headers; /* the caller's array */
    size_t num_headers;
    uint64_t content_length; /* 0 without Content-Length */
    unsigned flags;          /* EDDY_HTTP_KEEP_ALIVE ... */
    /* private */
    void *ctx; /* the HTTP server's exchange (NULL from the parser) */
} eddy_http_request_t;

/* Incremental chunked-body decoder state; caller-owned, plain data. */
typedef struct {
    /* public */
    uint64_t body_max_size; /* decoded total; 413 over it; 0 = none */
    size_t ext_max;         /* bytes of extensions per chunk line */
    size_t trailer_max;     /* bytes of trailer section */
    /* read-only */
    uint64_t body_size; /* data bytes decoded so far */
    /* private */
    int state;
    uint64_t remaining; /* chunk size being read, or data left in chunk */
    size_t count;       /* hex digits / ext bytes / trailer bytes */
} eddy_http_chunked_t;

/* Iterator over "k=v&k2=v2" (query, x-www-form-urlencoded) or cookie
 * pairs "a=b; c=d". Plain data over the caller's span. */
typedef struct {
    /* private */
    const char *pos;
    const char *end;
    char sep;
} eddy_http_iter_t;

typedef struct {
    /* read-only */
    const char *key;
    size_t key_len;
    const char *value; /* empty (len 0) when the pair has no '=' */
    size_t value_len;
} eddy_http_pair_t;

/* ---- lifecycle --------------------------------------------------------- */

/* Defaults: 8 KiB head and line, 2 MiB body. */
void eddy_http_parser_opts_init(eddy_http_parser_opts_t *o);
/* Fresh decoder: body limit 2 MiB, ext 1 KiB, trailers 8 KiB. Call again
 * for each chunked body. */
void eddy_http_chunked_init(eddy_http_chunked_t *d);

/* ---- parsing ----------------------------------------------------------- */

/* Parses the request head at buf[0..len). Returns its size (> 0, including
 * skipped leading CRLFs and the final CRLF), EDDY_EAGAIN when the head is
 * incomplete, or a negative EDDY_EHTTP_* error. Never reads buf[len]; never
 * allocates; `req` and `headers[0..max_headers)` are written, owned by the
 * caller. opts NULL means defaults. Same result whatever the split. */
ssize_t eddy_http_parse_request(const char *buf, size_t len, const eddy_http_parser_opts_t *opts,
                                eddy_http_request_t *req, eddy_http_header_t *headers,
                                size_t max_headers);

/* Decodes chunked data in place: chunk data from buf[0..len) is moved to
 * buf[0..*data_len). Returns EDDY_EAGAIN when the body continues (all len
 * bytes were used; state is kept in d), the number of input bytes the body's
 * end took (what follows is the next request, untouched) when it ended, or
 * EDDY_EHTTP_BAD_CHUNK / _BODY_TOO_LARGE / _HEADERS_TOO_LARGE (trailers).
 * After an error or the end, reinitialise d before reuse. */
ssize_t eddy_http_chunked_decode(eddy_http_chunked_t *d, char *buf, size_t len,
                                 size_t *data_len);

/* ---- headers and URLs --------------------------------------------------- */

/* ASCII case-insensitive equality of two spans. */
int eddy_http_name_eq(const char *a, size_t alen, const char *b, size_t blen);
/* First header named `name` (case-insensitive), or NULL. */
const eddy_http_header_t *eddy_http_find_header(const eddy_http_request_t *req, const char *name,
                                                size_t name_len);
/* Lower-cases header names in place. The parsed buffer must be writable
 * (the parser only takes it as const to promise it does not write). */
void eddy_http_headers_lower(eddy_http_header_t *headers, size_t n);

/* Percent-decodes s[0..len) in place; returns the new length, or
 * EDDY_EINVAL for '%' not followed by two hex digits, or for %00 with
 * EDDY_HTTP_DECODE_PATH. On error s may be partly rewritten. */
ssize_t eddy_http_url_decode(char *s, size_t len, unsigned flags);

/* Query / form iteration: pairs separated by '&', empty ones skipped. */
void eddy_http_query_iter_init(eddy_http_iter_t *it, const char *s, size_t len);
/* Cookie header iteration: pairs separated by ';', OWS around each trimmed;
 * values are raw (quotes kept, not decoded). */
void eddy_http_cookie_iter_init(eddy_http_iter_t *it, const char *s, size_t len);
/* Next pair into *p (spans into the iterated text): 1, or 0 at the end. */
int eddy_http_iter_next(eddy_http_iter_t *it, eddy_http_pair_t *p);

/* ---- response ---------------------------------------------------------- */

/* Appends "HTTP/1.1 <status> <reason>\r\n", the headers (names as given),
 * Date and Server unless present or switched off, Connection per flags
 * unless present, then Content-Length: content_length (>= 0), or
 * Transfer-Encoding: chunked (EDDY_HTTP_LENGTH_CHUNKED), or nothing
 * (EDDY_HTTP_LENGTH_NONE; 1xx and 204 never get one), then CRLF.
 * reason NULL means the standard phrase. EDDY_EINVAL, with out unchanged,
 * for a status outside 100..999, a header name that is not a token, a CR,
 * LF or NUL in a value or reason (response splitting), or a caller-given
 * Content-Length / Transfer-Encoding header (the writer owns framing). */
int eddy_http_response_head(eddy_buf_t *out, int status, const char *reason,
                            const eddy_http_header_t *headers, size_t n,
                            int64_t content_length, unsigned flags);
/* Writes "<hex len>\r\n" into out (EDDY_HTTP_CHUNK_HEAD_MAX bytes); returns
 * its length. The chunk's data must be followed by "\r\n". */
size_t eddy_http_chunk_head(char *out, size_t len);
/* Appends one framed chunk; len 0 appends nothing (0 would end the body). */
void eddy_http_chunk_append(eddy_buf_t *out, const void *data, size_t len);
/* Appends the last chunk "0\r\n\r\n". */
void eddy_http_chunk_end(eddy_buf_t *out);

/* ---- status ------------------------------------------------------------ */

/* The status to answer a parse or decode error with: 400, 413, 414, 431,
 * 501 or 505; 0 for a code that is not an HTTP error (EDDY_EAGAIN, >= 0). */
int eddy_http_error_status(ssize_t code);
/* Name of an EDDY_EHTTP_* code; other codes go to eddy_strerror(). */
const char *eddy_http_strerror(int code);
/* Standard reason phrase (RFC 9110 and registered codes), or NULL. */
const char *eddy_http_reason(int status);
/* IMF-fixdate of t into out (EDDY_HTTP_DATE_LEN bytes + NUL); locale-free. */
void eddy_http_date(int64_t t, char *out);

/* ======================================================================
 * HTTP/1.1 response parser (src/http/response_parser.c): the client's
 * side, in the same mould as the request parser (zero-copy, incremental,
 * allocation-free; "need more" is EDDY_EAGAIN).
 *
 *   eddy_http_res_t res;
 *   eddy_http_header_t hdrs[64];
 *   ssize_t n = eddy_http_parse_response(in.data, in.len, NULL, &res, hdrs, 64);
 *   if (n == EDDY_EAGAIN) -> read more, call again with the whole buffer
 *   if (n < 0)            -> the peer is broken: close the connection
 *   if (res.status / 100 == 1 && res.status != 101) -> consume n, parse again
 *   eddy_http_body_init(&body, eddy_http_res_body_kind(&res, was_head), res.content_length, 0);
 *   then feed what follows the head to eddy_http_body_decode().
 *
 * Rules (RFC 9112), lenient only where it cannot change framing:
 *  - Status line: "HTTP/1.x" SP 3DIGIT, then SP and a reason (which may be
 *    empty) or nothing at all (some servers omit it); anything else,
 *    another major version or a status under 100 -> EDDY_EHTTP_BAD_STATUS.
 *  - Lines end with CRLF; header names are tokens, values carry no CTL but
 *    HT, obs-fold is rejected: the same checks and codes as requests.
 *  - Transfer-Encoding whose last coding is chunked -> chunked body, and it
 *    overrides Content-Length (RFC 9112 6.3 item 3), in which case the
 *    connection is not reused (the framing was ambiguous). Another final
 *    coding -> the body runs to the close (6.3 item 4; nothing is decoded).
 *  - Content-Length as in requests (digits only, equal duplicates); over
 *    body_max_size -> EDDY_EHTTP_BODY_TOO_LARGE.
 *  - Keep-alive: 1.1 unless Connection: close; 1.0 only with keep-alive.
 *  - The head (status line included) is limited by header_max_size
 *    (EDDY_EHTTP_HEADERS_TOO_LARGE); line_max_size is not used.
 * ==================================================================== */

#define EDDY_EHTTP_BAD_STATUS (-7119) /* response: malformed status line */

/* eddy_http_res_body_kind() / eddy_http_body_t.kind */
#define EDDY_HTTP_BODY_NONE 0    /* HEAD, 1xx, 204, 304: nothing follows the head */
#define EDDY_HTTP_BODY_LENGTH 1  /* Content-Length bytes */
#define EDDY_HTTP_BODY_CHUNKED 2 /* chunked coding */
#define EDDY_HTTP_BODY_CLOSE 3   /* everything until the server closes */

/* A parsed response head; pointers into the parsed buffer. */
typedef struct {
    /* read-only */
    int status;         /* 100..999 */
    int version_minor;  /* 0 or 1 (1.x > 1 reads as 1) */
    const char *reason; /* may be empty */
    size_t reason_len;
    eddy_http_header_t *headers; /* the caller's array */
    size_t num_headers;
    uint64_t content_length; /* 0 without Content-Length */
    unsigned flags; /* EDDY_HTTP_KEEP_ALIVE, _CHUNKED, _CONTENT_LENGTH, _CONNECTION_CLOSE, _UPGRADE */
} eddy_http_res_t;

/* Incremental body reader for any of the four kinds; caller-owned, plain
 * data (nothing to free). */
typedef struct {
    /* read-only */
    int kind;           /* EDDY_HTTP_BODY_* */
    uint64_t body_size; /* data bytes delivered so far */
    /* private */
    uint64_t remaining; /* LENGTH: bytes still to come */
    uint64_t max;       /* 0 = none */
    eddy_http_chunked_t chunked;
} eddy_http_body_t;

/* Parses the response head at buf[0..len). Returns its size (> 0, the final
 * CRLF included), EDDY_EAGAIN when it is incomplete, or a negative
 * EDDY_EHTTP_* code. Never reads buf[len], never allocates; opts NULL means
 * defaults (8 KiB head, 2 MiB body). Same result whatever the split. */
ssize_t eddy_http_parse_response(const char *buf, size_t len, const eddy_http_parser_opts_t *opts,
                                 eddy_http_res_t *res, eddy_http_header_t *headers,
                                 size_t max_headers);
/* First header of the response named `name` (case-insensitive), or NULL. */
const eddy_http_header_t *eddy_http_res_header(const eddy_http_res_t *res, const char *name,
                                               size_t name_len);
/* How the body of `res` is framed (RFC 9112 6.3): NONE for a response to
 * HEAD (head_request != 0), 1xx, 204 and 304; then chunked, length, close.
 * A CLOSE body also clears EDDY_HTTP_KEEP_ALIVE in res->flags. */
int eddy_http_res_body_kind(eddy_http_res_t *res, int head_request);
/* Starts a body of `kind` (content_length for LENGTH); max_size bounds the
 * decoded size of any kind (EDDY_EHTTP_BODY_TOO_LARGE), 0 = none. */
void eddy_http_body_init(eddy_http_body_t *b, int kind, uint64_t content_length,
                         uint64_t max_size);
/* As eddy_http_chunked_decode(), for every kind: the body's data in
 * buf[0..len) is moved to buf[0..*data_len); returns EDDY_EAGAIN when the
 * body continues (all of buf was used), the input bytes the body's end took
 * when it ended (what follows is the next response), or an error. A NONE
 * body ends at once (0); a CLOSE body never ends here -- call
 * eddy_http_body_eof() when the peer closes. */
ssize_t eddy_http_body_decode(eddy_http_body_t *b, char *buf, size_t len, size_t *data_len);
/* The peer closed before decode() saw the end: 0 if that completes the
 * body (CLOSE and NONE kinds, a LENGTH body with nothing left), else
 * EDDY_ECONNRESET (the body was cut short). */
int eddy_http_body_eof(const eddy_http_body_t *b);

/* ======================================================================
 * Response compression (src/http/compress.c): Accept-Encoding negotiation,
 * compressible media types, and gzip / deflate / brotli encoders that
 * append to an eddy_buf_t. Usable without the server:
 *
 *   int enc = eddy_http_compress_choose(ae, ae_len);   // from the request
 *   if (enc != EDDY_HTTP_ENC_IDENTITY)
 *       eddy_http_compress(enc, 1, body, len, &out);   // "Content-Encoding: "
 *                                                      // eddy_http_encoding_name(enc)
 * Codings (RFC 9110 8.4.1): "gzip" is the gzip file format (RFC 1952),
 * "deflate" the zlib format (RFC 1950; Swoole sends raw deflate under that
 * name, which RFC 9110 8.4.1.2 calls a common mistake, so we do not), "br"
 * brotli (RFC 7932).
 *
 * In the HTTP server (eddy_http_server_opts_t: http_compression,
 * http_compression_level, compression_min_length, http_compression_types,
 * Swoole's names and defaults) a response body is compressed when all of
 * these hold: compression is on (the option, or eddy_http_response_compress
 * for one response); the request's Accept-Encoding picks a coding (above;
 * several Accept-Encoding lines count as one list); the status may carry a
 * body and is not 206; the handler set neither Content-Encoding nor
 * Content-Range; the Content-Type (text/html, Swoole's default, when unset)
 * is in the types list; the body given to end() has at least
 * compression_min_length bytes. The response then carries
 * "Content-Encoding: <coding>" and the Content-Length of the encoded body;
 * a HEAD request gets the same head (its body is encoded to know the
 * length). "Vary: Accept-Encoding" goes with every response whose coding
 * only Accept-Encoding decided, identity ones too, so that caches keep the
 * variants apart (not when the handler's Vary names it already, or is "*").
 * A strong ETag from the handler goes out weak (W/"...") on an encoded
 * response, as nginx does: it names other bytes (RFC 9110 8.8.3).
 * Streamed responses (write() then end()) of a compressible type are
 * encoded on the fly whatever their length (unknown when the head leaves):
 * each write() sends what the encoder gives after a flush, so a client can
 * decode each piece as it arrives. (Swoole streams uncompressed.) Files
 * (static handler, sendfile) are never compressed, as in Swoole.
 * ==================================================================== */

#define EDDY_HTTP_ENC_IDENTITY 0
#define EDDY_HTTP_ENC_GZIP 1
#define EDDY_HTTP_ENC_DEFLATE 2
#define EDDY_HTTP_ENC_BR 3

#define EDDY_HTTP_COMPRESSION_LEVEL 1       /* Swoole's http_compression_level */
#define EDDY_HTTP_COMPRESSION_MIN_LENGTH 20 /* Swoole's compression_min_length */

/* A streaming encoder: one gzip / deflate / brotli stream. Opaque. */
typedef struct eddy_http_compressor_s eddy_http_compressor_t;

/* The coding to answer a request with, given its Accept-Encoding value
 * (NULL: no header -> identity, as Swoole and nginx do, though RFC 9110
 * would allow any coding). Elements are "coding[;q=V]", case-insensitive,
 * "x-gzip" meaning gzip (RFC 9110 8.4.1.3); q=0 excludes a coding; "*"
 * stands for every coding not listed. The highest q wins among br, gzip and
 * deflate; a tie goes to br, then gzip, then deflate (Swoole's order, which
 * ignores q). Identity wins only when listed with a q above that best one.
 * An element with a malformed q (not 0..1, 3 decimals at most) is ignored.
 * Returns EDDY_HTTP_ENC_*; never fails, never allocates. */
int eddy_http_compress_choose(const char *accept_encoding, size_t len);
/* "gzip", "deflate", "br", or "identity". */
const char *eddy_http_encoding_name(int enc);

/* Whether a Content-Type value (parameters after ';' ignored, case-
 * insensitive) is one of `types`: a NULL-terminated list of media types,
 * an entry "type/" + '*' (as "text/" + '*') matching every subtype, "*"
 * matching anything. types NULL: the default list (all text types,
 * application/json, application/javascript, application/xml, XHTML, RSS,
 * Atom, JSON-LD, manifests, problem+json, image/svg+xml...: text formats,
 * never images, audio, video or archives, which are compressed already).
 * An empty list (types[0] == NULL) matches every type, as Swoole does when
 * http_compression_types is empty. */
int eddy_http_compress_type_ok(const char *const *types, const char *ctype, size_t len);

/* One-shot: appends the whole encoded form of in[0..len) to out. level is
 * 1..9 (zlib's levels; brotli's quality, whose range 0..11 covers it).
 * 0, or EDDY_EINVAL for an unknown enc / bad level (out unchanged). */
int eddy_http_compress(int enc, int level, const void *in, size_t len, eddy_buf_t *out);

/* Streaming: *out is the caller's, freed with eddy_http_compressor_free().
 * EDDY_EINVAL as above. Sized for many at once (one per streaming
 * response): gzip / deflate keep an 8 KiB window (about 54 KiB in all,
 * against 256 KiB with zlib's defaults; every write is flushed anyway),
 * brotli a 2^18 window (about 22 KiB at quality 1, measured after 600 KB);
 * the one-shot eddy_http_compress() uses zlib's full window. */
int eddy_http_compressor_new(eddy_http_compressor_t **out, int enc, int level);
/* Encodes in[0..len) and appends everything it produced to out: with
 * finish 0 the stream is flushed (Z_SYNC_FLUSH / BROTLI_OPERATION_FLUSH),
 * so a client can decode all data written so far; with finish 1 the stream
 * ends (len may be 0). After finish, only _reset or _free. 0, or
 * EDDY_EWRONG_OP after finish, EDDY_ENOMEM if the library fails (it
 * fails only to allocate). */
int eddy_http_compressor_write(eddy_http_compressor_t *c, const void *in, size_t len, int finish,
                               eddy_buf_t *out);
/* Starts a new stream with the same coding and level (reuses the memory
 * of a deflate stream). */
void eddy_http_compressor_reset(eddy_http_compressor_t *c);
void eddy_http_compressor_free(eddy_http_compressor_t *c);

/* ======================================================================
 * HTTP server (src/http/http_server.c, http_conn.c, http_response.c):
 * HTTP/1.1 over an eddy_server_t, BASE and PROCESS modes, as
 * Swoole\Http\Server with Swoole\Http\Request / Response.
 *
 *   eddy_http_server_opts_t o = {.on_request = hello};
 *   eddy_http_server_t *hs;
 *   eddy_http_server_new(&hs, srv, &o);   // takes over the server's events
 *   eddy_server_start(srv);
 *   eddy_http_server_free(hs);
 *
 *   static void hello(eddy_http_request_t *req, eddy_http_response_t *resp, void *data) {
 *       eddy_http_response_header(resp, "Content-Type", "text/plain");
 *       eddy_http_response_end(resp, "hi\n", 3);
 *   }
 *
 * Connections: the server reads raw bytes (no framing options may be set)
 * and parses them in the worker. One request per connection is in flight
 * at a time: a pipelined request is parsed only once the previous response
 * has ended, so responses leave in request order. Keep-alive follows the
 * request (HTTP/1.1 unless "Connection: close"; 1.0 only with
 * "Connection: keep-alive"), or a "Connection: close" the handler sets.
 * "Expect: 100-continue" (1.1, with a body to come) is answered with
 * "100 Continue" as soon as the head is parsed and passes the limits.
 * Request bodies: Content-Length or chunked (decoded), at most the
 * server's package_max_length.
 *
 * Errors are answered by the server, never reach on_request: 400
 * malformed / smuggling (see the parser notes above), 413 body over
 * package_max_length, 414 request line over 8 KiB, 431 head over
 * header_max_size, 501 unknown transfer coding, 505 HTTP major version
 * not 1; each with "Connection: close", then a lingering close
 * (eddy_server_close_linger: FIN after the response, input discarded for
 * up to 2 s / 1 MiB), so that a client still sending its body reads the
 * error instead of a reset.
 *
 * PROCESS mode needs a stateful dispatch_mode (2, 4 or 5): the bytes of
 * one connection must reach one worker, in order.
 * ==================================================================== */

#include "eddy/server.h"

typedef struct eddy_http_server_s eddy_http_server_t;     /* opaque */
typedef struct eddy_http_response_s eddy_http_response_t; /* opaque */

/* A request, fully received. req is the parsed head (header names
 * lower-cased) and stays valid, with resp, until the response ends; end it
 * exactly once, in the callback or later (a timer, a coroutine). */
typedef void (*eddy_http_request_cb)(eddy_http_request_t *req, eddy_http_response_t *resp,
                                     void *data);

typedef struct {
    /* public */
    eddy_http_request_cb on_request; /* required */
    void *data;                      /* passed to on_request */
    /* The server's other events (worker start...), may be NULL; copied.
     * on_receive is the HTTP server's own; on_connect / on_close are
     * called after it. In all of them eddy_server_data() returns the
     * eddy_http_server_t (events->data is ignored): use
     * eddy_http_server_data() for yours. */
    const eddy_server_events_t *events;
    size_t header_max_size; /* request head, 431 over it; 0: 8 KiB */
    /* Uploads (multipart/form-data, see eddy_http_request_files()). */
    const char *upload_tmp_dir;   /* Swoole's option; NULL: "/tmp"; copied */
    uint64_t upload_max_filesize; /* bytes per file, over it UPLOAD_ERR_INI_SIZE; 0: no own limit */
    /* Timeouts, seconds: engine options, as Swoole documents none for its
     * HTTP server (its heartbeat_idle_time applies to any connection);
     * named after nginx's keepalive_timeout, client_header_timeout and
     * client_body_timeout. 0: the default; < 0: off.
     * keepalive_timeout: an idle connection (no byte of a next request)
     * is closed after it, default 60. header_timeout: a request head must
     * be whole within it of its first byte (of the accept for a new
     * connection), default 60. body_timeout: the longest gap between two
     * reads of a request body, default 60. Closed without a response. */
    double keepalive_timeout;
    double header_timeout;
    double body_timeout;
    /* Response compression (see "Response compression" above). The list
     * is copied; it ends with NULL. */
    int http_compression;          /* 0 or 1: on (Swoole's default); -1: off */
    int http_compression_level;    /* 1..9; 0: 1 (Swoole's default) */
    size_t compression_min_length; /* body bytes; 0: 20 (Swoole's default) */
    const char *const *http_compression_types; /* NULL: default list; {NULL}: all */
    /* Static files (Swoole's options; src/http/static.c). Strings and
     * lists are copied; lists end with NULL. See "Static files" below. */
    int enable_static_handler; /* default off */
    const char *document_root; /* required when enable_static_handler is on */
    const char *const *static_handler_locations; /* URL prefixes; NULL: every path */
    const char *const *http_index_files; /* tried in order for a directory */
} eddy_http_server_opts_t;

/* eddy_http_request_params() kinds */
#define EDDY_HTTP_PARAM_GET 0    /* query string */
#define EDDY_HTTP_PARAM_POST 1   /* application/x-www-form-urlencoded body */
#define EDDY_HTTP_PARAM_COOKIE 2 /* Cookie header(s) */

/* Set-Cookie attributes, as Swoole's Response::cookie() (PHP setcookie()
 * format: "name=value; expires=<date>; Max-Age=<n>; path=...; domain=...;
 * secure; HttpOnly; SameSite=...; Priority=...; Partitioned"). Strings may
 * be NULL. Priority (Chrome's "Low", "Medium", "High") and Partitioned
 * (CHIPS: a third-party cookie kept per top-level site; browsers want
 * secure and SameSite=None with it) are Swoole 5's and 6's additions; as
 * with samesite, the values are checked for forbidden bytes only. */
typedef struct {
    const char *name;  /* required, no "=,; \t\r\n\013\014" */
    const char *value; /* url-encoded unless raw; NULL or "" deletes the cookie */
    int64_t expires;   /* unix time; 0: a session cookie */
    const char *path;
    const char *domain;
    int secure;
    int httponly;
    const char *samesite; /* "Strict", "Lax", "None" */
    const char *priority; /* "Low", "Medium", "High"; no ",; " SP, CTL */
    int partitioned;
    int raw;              /* value sent as is (rawCookie); checked for CTL, ',', ';', SP */
} eddy_http_cookie_t;

/* ---- lifecycle --------------------------------------------------------- */

/* Attaches an HTTP server to srv (not started yet): sets srv's events.
 * 0, or EDDY_EINVAL when on_request is missing, a framing option
 * (open_eof_check, open_length_check) is set, or PROCESS mode uses a
 * stateless dispatch_mode (1, 3). *out is the caller's to free. */
int eddy_http_server_new(eddy_http_server_t **out, eddy_server_t *srv,
                         const eddy_http_server_opts_t *opts);
/* After eddy_server_start() returned (master) or never started. */
void eddy_http_server_free(eddy_http_server_t *hs);
void *eddy_http_server_data(const eddy_http_server_t *hs);
eddy_server_t *eddy_http_server_server(const eddy_http_server_t *hs);

/* ---- request ----------------------------------------------------------- */

/* Everything is valid while req is. Header values and the body are spans
 * (not NUL-terminated); params are decoded copies, NUL-terminated. A req
 * that did not come from the HTTP server gives NULL / EDDY_EINVAL. */

/* First header named `name` (case-insensitive), its value length in *len. */
const char *eddy_http_request_header(const eddy_http_request_t *req, const char *name,
                                     size_t *len);
/* The decoded body (chunked already undone); "" when there is none. */
const char *eddy_http_request_body(const eddy_http_request_t *req, size_t *len);
/* Decoded pairs of one EDDY_HTTP_PARAM_* kind (all kinds parsed on first use; cookie
 * values raw, keys and values of the others url-decoded with '+' as space;
 * a pair that does not decode is skipped), count in *n. */
const eddy_http_pair_t *eddy_http_request_params(eddy_http_request_t *req, int kind, size_t *n);
/* Value of the first pair named `name`, or NULL. */
const char *eddy_http_request_param(eddy_http_request_t *req, int kind, const char *name,
                                    size_t *len);
/* Session id of the connection (eddy_server_send / _client_info). */
int eddy_http_request_fd(const eddy_http_request_t *req);
/* Wall-clock time the head was complete, seconds (request_time_float). */
double eddy_http_request_time(const eddy_http_request_t *req);
/* Peer address and port ("remote_addr", "remote_port"): 0, or a session
 * error once the connection is gone. */
int eddy_http_request_remote(const eddy_http_request_t *req, char *ip, size_t iplen, int *port);

/* Uploaded files (Swoole's $request->files, PHP's $_FILES). A request
 * whose Content-Type is multipart/form-data has its body parsed as it
 * arrives (the multipart rules above; malformed -> 400 before on_request):
 * each file part is written to a new temp file "<upload_tmp_dir>/
 * swoole.upfile.XXXXXX" (mkstemp, mode 0600) while it streams in, form
 * fields become EDDY_HTTP_PARAM_POST pairs (raw values, names as sent:
 * "a[]" is left to the PHP layer), and eddy_http_request_body() is ""
 * (the body is not kept). The temp files are unlinked when the response
 * ends, or when the client leaves before the request is whole: move or
 * link one inside on_request to keep it. The whole body is bounded by
 * package_max_length (413); a file over upload_max_filesize gets
 * UPLOAD_ERR_INI_SIZE, no temp file and size 0, as PHP does (Swoole's
 * upload_max_filesize instead lifts package_max_length for uploads: here
 * the body limit always holds). More than EDDY_HTTP_UPLOAD_MAX_FILES file
 * parts -> 413. */
#define EDDY_HTTP_UPLOAD_MAX_FILES 128
/* eddy_http_file_t.error: PHP's UPLOAD_ERR_* numbers */
#define EDDY_HTTP_UPLOAD_ERR_OK 0
#define EDDY_HTTP_UPLOAD_ERR_INI_SIZE 1   /* over upload_max_filesize */
#define EDDY_HTTP_UPLOAD_ERR_NO_FILE 4    /* filename="" (no file chosen) */
#define EDDY_HTTP_UPLOAD_ERR_NO_TMP_DIR 6 /* upload_tmp_dir missing */
#define EDDY_HTTP_UPLOAD_ERR_CANT_WRITE 7 /* temp file not created or written */

typedef struct {
    /* read-only; strings NUL-terminated, valid while the request is */
    const char *field;    /* form field name, raw ("f[]" kept) */
    const char *name;     /* client's file name, as sent */
    const char *type;     /* part Content-Type, "" when none */
    const char *tmp_name; /* temp file path, "" when error != 0 */
    uint64_t size;        /* bytes written */
    int error;            /* EDDY_HTTP_UPLOAD_ERR_* */
} eddy_http_file_t;

/* The uploaded files in body order, count in *n (0 and a non-NULL pointer
 * when there are none). NULL for a req not from the HTTP server. */
const eddy_http_file_t *eddy_http_request_files(eddy_http_request_t *req, size_t *n);

/* ---- response ---------------------------------------------------------- */

/* Calls that shape the head return EDDY_EWRONG_OP once it is sent (after
 * the first write() or end()). Everything returns EDDY_ESESSION_CLOSED when
 * the client has gone: the response then only needs its end(). */

/* Status and optional reason (NULL: the standard phrase). EDDY_EINVAL for
 * a status outside 100..999 or CR/LF in reason. */
int eddy_http_response_status(eddy_http_response_t *resp, int status, const char *reason);
/* Sets a header, replacing those of the same name (case-insensitive);
 * the name is sent as given. value NULL removes it. EDDY_EINVAL for a name
 * that is not a token, CR/LF/NUL in the value, or Content-Length /
 * Transfer-Encoding (the server frames the body). */
int eddy_http_response_header(eddy_http_response_t *resp, const char *name, const char *value);
/* Adds one more header line of that name (multiple values). */
int eddy_http_response_add_header(eddy_http_response_t *resp, const char *name,
                                  const char *value);
/* Adds a Set-Cookie line. EDDY_EINVAL for a bad name or attribute. */
int eddy_http_response_cookie(eddy_http_response_t *resp, const eddy_http_cookie_t *c);
/* Streams a piece of the body: the first call sends the head with
 * "Transfer-Encoding: chunked" (HTTP/1.0 peers: no length, the connection
 * closes after the body), each call one chunk. len 0 sends nothing. */
int eddy_http_response_write(eddy_http_response_t *resp, const void *data, size_t len);
/* Ends the response with a last piece of body (data may be NULL with len
 * 0): with no earlier write(), one send with Content-Length. HEAD requests
 * get the head only (Content-Length of the body that would be sent); 1xx,
 * 204 and 304 never carry a body. Always releases resp and the request,
 * also when it returns an error: neither may be used afterwards. */
int eddy_http_response_end(eddy_http_response_t *resp, const void *data, size_t len);
/* Location: url, status (0: 302), empty body; ends the response. */
int eddy_http_response_redirect(eddy_http_response_t *resp, const char *url, int status);
/* 1 while the client is connected and the response not ended. */
int eddy_http_response_writable(const eddy_http_response_t *resp);
/* The session id the response goes to (Swoole's $response->fd). */
int eddy_http_response_fd(const eddy_http_response_t *resp);

/* Trailer fields (Swoole's Response::trailer()). HTTP/1.1 carries them in
 * the trailer section after the last chunk (RFC 9112 7.1.2), so a response
 * with trailers is sent chunked: by write() then end() as usual, and also
 * when end() is the first call (its data as one chunk, then the last chunk
 * and the fields). Before the head leaves, a "Trailer: <names>" header
 * announces them (RFC 9110 6.6.2); fields set after the first write() are
 * sent too, unannounced. Sets `name` (sent lower-cased, as Swoole does),
 * replacing a field of that name; value NULL removes it. EDDY_EINVAL for a
 * name that is not a token, CR/LF in value, or a field that frames or
 * routes the message and may not be a trailer (RFC 9110 6.5.1:
 * Content-Length, Transfer-Encoding, Trailer, Host, Content-Type,
 * Content-Encoding, Content-Range, Connection, TE); EDDY_EWRONG_OP when
 * the response cannot have a trailer section: an HTTP/1.0 request (no
 * chunked coding), a HEAD request (no body), a body already framed by
 * length; EDDY_ESESSION_CLOSED. A status set afterwards that has no body
 * (1xx, 204, 304) sends no trailers either: there is no body to end. */
int eddy_http_response_trailer(eddy_http_response_t *resp, const char *name, const char *value);

/* Detach and create (Swoole's Response::detach() / Response::create()).
 *
 * eddy_http_response_detach() lets go of resp without sending anything:
 * resp and its request are released (as by end(); temp files of an upload
 * are unlinked), and the connection goes on as after a response on a
 * persistent connection: the next request is read and handled; the
 * keep-alive timeout does not run while it waits for that answer (it
 * starts again once a response created in this worker for it ends, or
 * after the next request's response otherwise). The answer is written
 * later by whoever holds the session id (a created response below, or
 * eddy_server_send), from this process or another one.
 * Nothing orders that answer with those of later (pipelined) requests;
 * neither does Swoole. A request that asked to close keeps its connection
 * open: the taker's response closes it if it says "Connection: close".
 * 0, or EDDY_EWRONG_OP for a coroutine server's response (resp is then
 * still the caller's). */
int eddy_http_response_detach(eddy_http_response_t *resp);

/* eddy_http_response_create() flags: what is known of the request. */
#define EDDY_HTTP_CREATE_HTTP10 0x01 /* an HTTP/1.0 request: no chunks, close after write() */
#define EDDY_HTTP_CREATE_CLOSE 0x02  /* close the connection after the response */
#define EDDY_HTTP_CREATE_HEAD 0x04   /* a HEAD request: the head only */

/* A response to session fd not parsed by this process: in any worker or
 * task worker of a running server, for a connection of any worker, usually
 * a detached one. With flags 0 the request is taken to be HTTP/1.1 and
 * persistent, as Swoole does: the head is "HTTP/1.1", with Date, Server,
 * Content-Type (text/html unless set), "Connection: keep-alive" (said
 * explicitly, since the client's version is unknown), and Content-Length
 * from end() or chunked coding from write(). Nothing of the request is
 * known: no compression (no Accept-Encoding), and a HEAD request gets a
 * body unless flags say HEAD. Every eddy_http_response_* call works on it
 * as on a handler's response and end() releases it; sendfile() hands the whole
 * file to eddy_server_send_path() (so it is bounded by
 * socket_buffer_size). Sends to a session that has gone fail with
 * EDDY_ESESSION_CLOSED / _NOT_EXIST, and writable() is 0 from then on.
 * 0 and *out, or EDDY_EWRONG_OP (not a worker or task worker of a running
 * server, or a coroutine server), EDDY_ESESSION_INVALID_ID (fd <= 0),
 * EDDY_ESESSION_NOT_EXIST (no such connection now). */
int eddy_http_response_create(eddy_http_response_t **out, eddy_http_server_t *hs, int fd,
                              unsigned flags);
/* Swoole's Response::sendfile(): sends length bytes of the file at path
 * from offset as the whole body (Content-Length), and ends the response.
 * offset 0 and length 0 send the whole file; length 0 means "to the end".
 * Content-Type comes from the file's extension (eddy_http_mime_type())
 * unless a header set it; the status is the one set (default 200).
 * The file is never read whole: BASE mode sends it with sendfile(2)
 * (eddy_server_sendfile, no copy) as fast as the socket takes it; PROCESS
 * mode reads 64 KiB pieces and sends them while the connection's output
 * queue is short (eddy_server_output_pending() under 256 KiB). A full
 * socket or queue is looked at again every millisecond, so a body of any
 * size takes bounded memory and never overflows socket_buffer_size. The
 * next pipelined request waits until the body is out. HEAD requests (and
 * a status of 204 or 304) get the head only.
 * Errors found before anything is sent return with resp still usable
 * (e.g. to answer 404 with end()): -ENOENT / -EACCES / ... (open(2)),
 * EDDY_EINVAL (not a regular file, offset beyond the end, offset + length
 * past it), EDDY_EWRONG_OP (head already sent by write()),
 * EDDY_ESESSION_CLOSED. Otherwise 0: from the head on the response
 * belongs to the server, which ends it whatever happens (a client that
 * goes, even while the head is sent, or a file that shrinks under us: the
 * promised length cannot be met, the connection is closed), and, as after
 * end(), neither resp nor its request may be used again. */
int eddy_http_response_sendfile(eddy_http_response_t *resp, const char *path, uint64_t offset,
                                uint64_t length);

/* ---- static files ------------------------------------------------------
 *
 * With enable_static_handler on, a GET or HEAD request whose path names a
 * regular file under document_root is answered by the server and never
 * reaches on_request; anything else (another method, a file that does not
 * exist, a directory without an index file) goes to on_request, as in
 * Swoole; so does a request to switch protocols (Connection: upgrade with
 * an Upgrade header: a WebSocket handshake to "/" is not answered with
 * the index file). With static_handler_locations set, only paths starting with one
 * of those prefixes ("/static", "/app/images") are looked up, and a
 * missing file under one is answered 404 by the server (Swoole's rule).
 * A directory is served by the first of http_index_files it holds (e.g.
 * "index.html"); Swoole's http_autoindex (directory listings) is not
 * implemented.
 *
 * The path (up to '?') is percent-decoded once. Refused with 403
 * Forbidden, never served and never passed to on_request: a ".."
 * segment (also "%2e%2e"), an encoded '/' or '\' ("%2f", "%5c"), an
 * encoded NUL, and a file whose realpath() leaves document_root (a
 * symlink pointing out of the root); 403 is nginx's answer to a file it
 * will not serve (disable_symlinks) and tells no more than 404 would.
 * A malformed escape ("%zz") is 400; a file the worker may not read
 * (EACCES) is 403 too. Files are opened with openat2(RESOLVE_BENEATH),
 * or checked with realpath() where the kernel lacks it (Linux < 5.6).
 *
 * Responses carry Content-Type (by extension), Last-Modified (the file's
 * mtime), ETag ("<mtime hex>-<size hex>", as nginx) and Accept-Ranges.
 * If-None-Match (a list, "*", weak tags compare equal) matching the ETag,
 * or without it If-Modified-Since at or after the mtime -> 304, no body.
 * Range "bytes=a-b", "bytes=a-", "bytes=-n" -> 206 with Content-Range
 * (an end past the file is clamped; a suffix longer than the file is the
 * whole file); a start at or past the end, or "-0" -> 416 with
 * Content-Range "bytes <asterisk>/<size>" and an empty body. A
 * syntactically bad Range or another unit is ignored (200), as RFC 9110 14.2 allows;
 * several ranges ("0-1,5-6") are answered with the whole file, 200 (no
 * multipart/byteranges). If-Range that is not the current ETag or
 * Last-Modified date turns a Range into a 200. Bodies go out as
 * eddy_http_response_sendfile() sends them. */

/* The MIME type for path's extension (case-insensitive, from a table in
 * src/http/mime.c), "application/octet-stream" when unknown or absent.
 * A static string. */
const char *eddy_http_mime_type(const char *path);
/* This response's compression switch: enable 0 sends it uncompressed,
 * 1 compresses it by the server's rules (types, length, Accept-Encoding)
 * even when http_compression is off. 0, or EDDY_EWRONG_OP once the head is
 * sent, EDDY_ESESSION_CLOSED when the client has gone. */
int eddy_http_response_compress(eddy_http_response_t *resp, int enable);

/* ======================================================================
 * Coroutine HTTP server (src/http/co_http.c): Swoole's
 * Coroutine\Http\Server. No server engine, no processes: a listening
 * coroutine socket in the calling process; eddy_co_http_start() accepts
 * in the calling coroutine and serves each connection in a coroutine of
 * its own. Requests are parsed, limited (400 / 413 / 431), framed and
 * answered exactly as by the HTTP server above (same request and response
 * calls, keep-alive, pipelining, 100-continue, chunked bodies, uploads,
 * compression), and routed by path to the handler of the longest matching
 * prefix ("/" catches everything); no match -> 404, the connection stays.
 *
 * A handler runs in its connection's coroutine and may wait (sleep,
 * sockets, channels): other connections go on. It may also leave resp to
 * another coroutine; the connection then waits for that end() before its
 * next request (input read meanwhile is kept, bounded). Each response's
 * sends complete (or fail) before the call returns.
 *
 *   static void hi(eddy_http_request_t *req, eddy_http_response_t *resp, void *d) {
 *       eddy_http_response_end(resp, "hi\n", 3);
 *   }
 *   // in a coroutine:
 *   eddy_co_http_t *co;
 *   eddy_co_http_new(&co, NULL, 0);
 *   eddy_co_http_listen(co, "127.0.0.1", 0, 0);
 *   eddy_co_http_handle(co, "/", hi, NULL);
 *   eddy_co_http_start(co); // until eddy_co_http_shutdown(co) elsewhere
 *   eddy_co_http_free(co);
 *
 * WebSocket (Swoole's coroutine WebSocket server): a handler turns its
 * request into a WebSocket session with eddy_ws_session_upgrade() and
 * then recv / push / ping / close on it, as on the HTTP server; see
 * "WebSocket session in an HTTP request handler" in eddy/websocket.h for
 * what differs here (recv reads the socket itself; pushes from any
 * coroutine take turns). The connection stays open after the handler
 * returns while its session is open and not freed; shutdown ends it.
 * ==================================================================== */

typedef struct eddy_co_http_s eddy_co_http_t; /* opaque */

/* A server, not listening yet. opts (NULL: defaults) gives the options
 * of eddy_http_server_opts_t that apply: header_max_size, upload_tmp_dir,
 * upload_max_filesize, the compression ones, and keepalive_timeout (here
 * every read and every send of a connection waits at most that long: the
 * connection ends when one times out; default 60 s, < 0: forever); on_request, data, events, the other timeouts and static
 * files are ignored (use eddy_co_http_handle). package_max_length bounds
 * a request body (413); 0: 2 MiB, Swoole's default. 0, or an option's
 * error; *out is the caller's to free. */
int eddy_co_http_new(eddy_co_http_t **out, const eddy_http_server_opts_t *opts,
                     uint64_t package_max_length);
/* Replaces the options given to eddy_co_http_new() (same rules), before
 * start() and while no connection is open: 0, an option's error, or
 * EDDY_EWRONG_OP. */
int eddy_co_http_configure(eddy_co_http_t *co, const eddy_http_server_opts_t *opts,
                           uint64_t package_max_length);
/* Binds and listens on host:port (port 0: a free one, see
 * eddy_co_http_port); host "::" or with ':' is IPv6, "unix:/path" a unix
 * socket. reuse_port sets SO_REUSEPORT. 0, or a socket error (-errno,
 * EDDY_EINVAL for a bad address); in a coroutine or not. Once only. */
int eddy_co_http_listen(eddy_co_http_t *co, const char *host, int port, int reuse_port);
/* Requests whose path starts with prefix go to cb (the longest matching
 * prefix wins); prefix is copied; the same prefix again replaces the
 * handler. 0 or EDDY_EINVAL (empty prefix or cb NULL). Any time. */
int eddy_co_http_handle(eddy_co_http_t *co, const char *prefix, eddy_http_request_cb cb,
                        void *data);
/* Serves until eddy_co_http_shutdown(): accepts in the calling coroutine
 * and returns once every connection has ended (a handler that never
 * returns holds it). 0 after a shutdown; EDDY_ECO_OUT_OF_COROUTINE outside
 * a coroutine, EDDY_EWRONG_OP when not listening or already started,
 * else the accept error (the listening socket failed). */
int eddy_co_http_start(eddy_co_http_t *co);
/* Stops accepting and closes the listening socket; idle connections close
 * at once, busy ones after their current response. start() then returns.
 * Any coroutine, or none; more than once is harmless. */
void eddy_co_http_shutdown(eddy_co_http_t *co);
/* Called from a handler running in its connection's coroutine: that
 * connection ends as soon as the handler returns, without lingering or
 * reading another request (what was sent stays sent). A binding uses it
 * when the handler failed in a way that must end the coroutine (an
 * uncaught exception). Elsewhere, nothing. */
void eddy_co_http_close_current(eddy_co_http_t *co);
/* How start() runs each accepted connection: spawn must start a coroutine
 * that calls run(arg) (once; run ends the connection and frees what it
 * needs) and return its id > 0, or < 0 when it could not (the connection
 * is then dropped). Default: eddy_coro_create. A language binding passes
 * its own so that handlers run in coroutines that carry its state. */
typedef int64_t (*eddy_co_http_spawn_fn)(void (*run)(void *arg), void *arg, void *ud);
void eddy_co_http_set_spawn(eddy_co_http_t *co, eddy_co_http_spawn_fn spawn, void *ud);
/* TLS (HTTPS, and WSS through upgrades): every accepted connection runs
 * the server handshake with ctx (a server context of eddy/tls.h, built
 * with cert_file and key_file) in its own coroutine, bounded by
 * handshake_ms (<= 0: EDDY_CO_HTTP_HANDSHAKE_MS), before any HTTP is
 * read; a failed or timed-out handshake (a plain-HTTP client, a silent
 * one) just closes that connection. Then requests, responses, sendfile
 * and WebSocket sessions go through TLS unchanged. The server takes its
 * own reference to ctx (the caller keeps and frees its one); NULL turns
 * TLS off. Before start() and with no connection open: 0 or
 * EDDY_EWRONG_OP. */
#define EDDY_CO_HTTP_HANDSHAKE_MS 10000
struct eddy_tls_ctx_s;
int eddy_co_http_set_tls(eddy_co_http_t *co, struct eddy_tls_ctx_s *ctx, int64_t handshake_ms);
/* Not while start() runs. NULL is fine. */
void eddy_co_http_free(eddy_co_http_t *co);
/* The bound port (the chosen one after port 0), 0 before listen. */
int eddy_co_http_port(const eddy_co_http_t *co);
/* The listening socket's fd, -1 when not listening. */
int eddy_co_http_fd(const eddy_co_http_t *co);

/* ======================================================================
 * multipart/form-data (src/http/multipart.c): an incremental parser for
 * RFC 7578 bodies (RFC 2046 5.1 framing). Fed the body in pieces of any
 * size, it reports each part through callbacks and streams part data as it
 * arrives, so no body is ever held whole; the only memory is the caller-
 * owned eddy_http_multipart_t (one part's header block, bounded).
 *
 *   const char *b; size_t bl;
 *   if (eddy_http_multipart_boundary(ctype, ctype_len, &b, &bl) == 1) {
 *       eddy_http_multipart_t *m = malloc(sizeof(*m));
 *       eddy_http_multipart_init(m, b, bl, &callbacks, arg);
 *       for each piece: rc = eddy_http_multipart_feed(m, piece, n); rc < 0 -> 400
 *       at the end of the body: eddy_http_multipart_finish(m) < 0 -> 400
 *   }
 *
 * Rules (strict: every deviation is an error, never a guess):
 *  - Boundary: the Content-Type's boundary parameter, token or quoted
 *    string, 1..70 bchars (RFC 2046 5.1.1: digits, letters, '()+_,-./:=?
 *    and space, not last); missing, empty, too long, other bytes, or given
 *    twice -> EDDY_EHTTP_MULTIPART_BOUNDARY.
 *  - Framing: a delimiter is CRLF "--" boundary at the start of a line (the
 *    body's start counts as one). Text before the first delimiter (the
 *    preamble) and after the closing one (the epilogue) is ignored, as RFC
 *    2046 says. After a delimiter: optional SP/HT (transport padding) then
 *    CRLF, or "--" (the close); anything else -> _SYNTAX.
 *  - Part headers: "Name: value" lines ended by CRLF, then an empty line;
 *    names are tokens with no space before ':', values have no CTL but HT,
 *    obs-fold is rejected -> _SYNTAX. The header block (final CRLF
 *    included) over head_max bytes -> _HEADERS_TOO_LARGE.
 *  - Content-Disposition is required, once, of type "form-data" with a
 *    "name" parameter; "filename" makes the part a file (it may be "",
 *    which browsers send when no file was chosen). Parameter values are
 *    tokens (bytes >= 0x80 allowed, as browsers send raw UTF-8) or quoted
 *    strings, whose backslash escapes are undone. "filename*" (RFC 5987)
 *    is ignored: RFC 7578 4.2 says senders must not use it. A parameter
 *    given twice, a missing name, another disposition type or no header ->
 *    _DISPOSITION. Names are raw: "a[]" stays "a[]".
 *  - Content-Type of a part is reported as sent (NULL when absent);
 *    Content-Transfer-Encoding and other headers are ignored (RFC 7578 4.7).
 *  - The body ends (finish()) before the closing delimiter -> _TRUNCATED.
 * ==================================================================== */

#define EDDY_HTTP_MULTIPART_BOUNDARY_MAX 70 /* RFC 2046 5.1.1 */
#define EDDY_HTTP_MULTIPART_HEAD_MAX 8192   /* a part's header block, ceiling of head_max */

#define EDDY_EHTTP_MULTIPART_BOUNDARY (-7160)          /* bad or missing boundary parameter */
#define EDDY_EHTTP_MULTIPART_SYNTAX (-7161)            /* delimiter line or part header */
#define EDDY_EHTTP_MULTIPART_DISPOSITION (-7162)       /* no valid Content-Disposition */
#define EDDY_EHTTP_MULTIPART_HEADERS_TOO_LARGE (-7163) /* part header block over head_max */
#define EDDY_EHTTP_MULTIPART_TRUNCATED (-7164)         /* body ended before the close */

/* One part, as on_part sees it. Spans into the parser's header block,
 * NUL-terminated, valid until on_part_end returns. */
typedef struct {
    /* read-only */
    const char *name; /* field name, raw */
    size_t name_len;
    const char *filename; /* NULL: a plain field; else a file ("" allowed) */
    size_t filename_len;
    const char *content_type; /* NULL when the part has none */
    size_t content_type_len;
} eddy_http_multipart_part_t;

/* Each callback returns 0 to go on, or a negative code: the parse stops and
 * feed() returns that code (from then on, too). on_data may be called any
 * number of times per part, with len > 0; a part with no data gets none. */
typedef struct {
    int (*on_part)(void *arg, const eddy_http_multipart_part_t *part);
    int (*on_data)(void *arg, const char *data, size_t len);
    int (*on_part_end)(void *arg);
} eddy_http_multipart_cb_t;

/* Parser state: caller-owned plain data, about 8.3 KiB; nothing to free. */
typedef struct {
    /* public */
    size_t head_max; /* part header block limit; init sets the ceiling, may be lowered */
    /* read-only */
    uint64_t data_size; /* data bytes of the current part so far */
    /* private */
    const eddy_http_multipart_cb_t *cb;
    void *arg;
    int state;
    int err;
    size_t match; /* delimiter bytes matched so far */
    size_t dlen;
    size_t hlen;
    eddy_http_multipart_part_t part;
    char delim[4 + EDDY_HTTP_MULTIPART_BOUNDARY_MAX]; /* CRLF "--" boundary */
    char head[EDDY_HTTP_MULTIPART_HEAD_MAX + 1];
} eddy_http_multipart_t;

/* ---- lifecycle --------------------------------------------------------- */

/* Reads a Content-Type value: 1 when it is multipart/form-data with a valid
 * boundary (*b, *blen: a span of ctype, quotes excluded), 0 when the media
 * type is something else, EDDY_EHTTP_MULTIPART_BOUNDARY when it is
 * multipart/form-data without a valid boundary. Allocates nothing. */
int eddy_http_multipart_boundary(const char *ctype, size_t len, const char **b, size_t *blen);
/* Readies m for one body. The boundary is copied (1..70 bytes, else
 * EDDY_EHTTP_MULTIPART_BOUNDARY); cb is kept (not copied) and must outlive
 * the parse. 0 or an error. */
int eddy_http_multipart_init(eddy_http_multipart_t *m, const char *boundary, size_t len,
                             const eddy_http_multipart_cb_t *cb, void *arg);

/* ---- parsing ----------------------------------------------------------- */

/* Parses the next len bytes of the body. 0: more is expected; 1: the
 * closing delimiter has been seen (the rest is epilogue; later calls return
 * 1 and ignore their bytes); negative: an EDDY_EHTTP_MULTIPART_* code or a
 * callback's code, sticky. Never reads past len. */
int eddy_http_multipart_feed(eddy_http_multipart_t *m, const char *data, size_t len);
/* The body has ended: 0 when the closing delimiter was seen, the sticky
 * error if any, else EDDY_EHTTP_MULTIPART_TRUNCATED. */
int eddy_http_multipart_finish(const eddy_http_multipart_t *m);
/* Text of an EDDY_EHTTP_MULTIPART_* code; others go to eddy_http_strerror(). */
const char *eddy_http_multipart_strerror(int code);

#endif /* EDDY_HTTP_H */
