/*
 * eddy websocket: the RFC 6455 protocol without a server -- frame parser and
 * writer, message assembler, close payloads, the upgrade handshake and
 * permessage-deflate (RFC 7692).
 *
 * Parsers follow picohttpparser's contract: they read only buf[0..len), never
 * allocate, and answer "consumed n bytes" (> 0), "need more" (0) or an error
 * (< 0). The only writes into caller memory are in-place unmasking of payload
 * bytes and appends to caller-owned eddy_buf_t's.
 *
 * Errors map to close codes with eddy_ws_close_code_for():
 *   EDDY_EWS_PROTOCOL  -> 1002 (bad framing, bad close payload, bad deflate data)
 *   EDDY_EWS_TOO_BIG   -> 1009 (frame or message over its limit, zip bombs)
 *   EDDY_EWS_BAD_UTF8  -> 1007 (text message or close reason not UTF-8)
 *
 * Server loop over a connection's input buffer `in`:
 *
 *   eddy_ws_msg_t m;
 *   for (;;) {
 *       ssize_t n = eddy_ws_asm_feed(&a, in.data, in.len, &m);
 *       if (n == 0) break;                      // read more, call again
 *       if (n < 0) { send_close(eddy_ws_close_code_for((int)n)); break; }
 *       if (m.opcode != EDDY_WS_OP_NONE) handle(&m); // before consuming!
 *       eddy_buf_consume(&in, (size_t)n);
 *   }
 */
#ifndef EDDY_WEBSOCKET_H
#define EDDY_WEBSOCKET_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "eddy/base.h"

/* ---- constants ----------------------------------------------------------- */

/* Opcodes, numbered as Swoole's WEBSOCKET_OPCODE_* (RFC 6455 section 5.2). */
#define EDDY_WS_OP_CONTINUATION 0x0
#define EDDY_WS_OP_TEXT 0x1
#define EDDY_WS_OP_BINARY 0x2
#define EDDY_WS_OP_CLOSE 0x8
#define EDDY_WS_OP_PING 0x9
#define EDDY_WS_OP_PONG 0xa
#define EDDY_WS_OP_NONE 0xff /* assembler: bytes consumed, nothing to deliver */

/* Close codes, named as Swoole's WEBSOCKET_CLOSE_* (RFC 6455 section 7.4.1). */
#define EDDY_WS_CLOSE_NORMAL 1000
#define EDDY_WS_CLOSE_GOING_AWAY 1001
#define EDDY_WS_CLOSE_PROTOCOL_ERROR 1002
#define EDDY_WS_CLOSE_DATA_ERROR 1003
#define EDDY_WS_CLOSE_STATUS_ERROR 1005 /* no code in the close frame; never sent */
#define EDDY_WS_CLOSE_ABNORMAL 1006     /* connection dropped; never sent */
#define EDDY_WS_CLOSE_MESSAGE_ERROR 1007
#define EDDY_WS_CLOSE_POLICY_ERROR 1008
#define EDDY_WS_CLOSE_MESSAGE_TOO_BIG 1009
#define EDDY_WS_CLOSE_EXTENSION_MISSING 1010
#define EDDY_WS_CLOSE_SERVER_ERROR 1011
#define EDDY_WS_CLOSE_TLS 1015 /* TLS handshake failed; never sent */

/* Frame header bits as they sit in the first byte. */
#define EDDY_WS_FIN 0x80
#define EDDY_WS_RSV1 0x40 /* permessage-deflate: "this message is compressed" */
#define EDDY_WS_RSV2 0x20
#define EDDY_WS_RSV3 0x10

#define EDDY_WS_MAX_HEADER 14       /* 2 + 8 (64-bit length) + 4 (mask) */
#define EDDY_WS_MAX_CONTROL 125     /* control payload limit, section 5.5 */
#define EDDY_WS_ACCEPT_LEN 28       /* base64 of a 20-byte SHA-1 */
#define EDDY_WS_GUID "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

/* Errors (see the top of this file). */
#define EDDY_EWS_PROTOCOL EDDY_EPROTOCOL
#define EDDY_EWS_TOO_BIG (-EMSGSIZE)
#define EDDY_EWS_BAD_UTF8 (-EILSEQ)
#define EDDY_EWS_VERSION (-EPROTONOSUPPORT) /* handshake: answer 426 + version 13 */

/* ---- types -------------------------------------------------------------- */

/* One parsed frame header. */
typedef struct {
    /* read-only */
    uint8_t fin;
    uint8_t rsv;    /* EDDY_WS_RSV1|2|3 bits as in byte 0 */
    uint8_t opcode;
    uint8_t masked;
    uint8_t mask[4];
    uint8_t header_len; /* bytes before the payload: 2..14 */
    uint64_t payload_len;
} eddy_ws_frame_t;

/* Which side of the connection we are: a server requires masked frames, a
 * client requires unmasked ones (section 5.1). */
typedef enum { EDDY_WS_SERVER = 0, EDDY_WS_CLIENT = 1 } eddy_ws_role_t;

/* Limits and negotiated state for parsing a peer's frames. */
typedef struct {
    /* public */
    eddy_ws_role_t role;
    uint8_t rsv_allowed;      /* RSV bits extensions negotiated: EDDY_WS_RSV1 for deflate */
    uint64_t max_frame_size;  /* payload bytes of one frame; 0 = unlimited */
    size_t max_message_size;  /* bytes of a reassembled (inflated) message; 0 = unlimited */
} eddy_ws_limits_t;

/* permessage-deflate parameters as negotiated (RFC 7692 section 7.1). */
typedef struct {
    /* public */
    uint8_t server_no_context_takeover;
    uint8_t client_no_context_takeover;
    uint8_t server_max_window_bits; /* 9..15; the server's deflate window */
    uint8_t client_max_window_bits; /* 8..15; 15 when the client did not offer it */
} eddy_ws_deflate_params_t;

/* Per-connection compression state: one deflate stream for what we send, one
 * inflate stream for what we receive. zlib state lives behind the pointers. */
typedef struct {
    /* read-only */
    eddy_ws_deflate_params_t params;
    eddy_ws_role_t role;
    /* private */
    void *zdeflate;
    void *zinflate;
    int level;
} eddy_ws_deflate_t;

/* Incremental UTF-8 validation state; 0 = between characters. */
typedef uint32_t eddy_ws_utf8_t;

/* What the assembler delivers. `data` points either into the caller's input
 * (control frames; unfragmented uncompressed messages, unmasked in place) or
 * into the message buffer: valid until the input is consumed or the next
 * feed, whichever comes first. */
typedef struct {
    /* read-only */
    uint8_t opcode;       /* TEXT, BINARY, CLOSE, PING, PONG, or EDDY_WS_OP_NONE */
    uint8_t compressed;   /* the message came with RSV1 (already inflated) */
    const char *data;
    size_t len;
    uint16_t close_code;  /* CLOSE only: 1005 when the frame had no payload */
    const char *reason;   /* CLOSE only: reason bytes (valid UTF-8), not NUL-terminated */
    size_t reason_len;
} eddy_ws_msg_t;

/* Message assembler for one connection (fragments, control frames between
 * them, UTF-8, inflation). Caller-owned; holds no memory of its own. */
typedef struct {
    /* public */
    eddy_ws_limits_t limits;
    /* private */
    eddy_buf_t *msg;           /* caller's buffer for fragmented/compressed messages */
    eddy_ws_deflate_t *deflate; /* NULL unless permessage-deflate was negotiated */
    eddy_ws_frame_t frame;     /* data frame whose payload is being consumed */
    uint64_t frame_left;       /* payload bytes of `frame` not yet seen */
    uint64_t frame_off;        /* payload bytes of `frame` already seen (mask phase) */
    eddy_ws_utf8_t utf8;
    uint8_t in_frame;
    uint8_t in_message;        /* a data message has started and not finished */
    uint8_t msg_opcode;
    uint8_t msg_compressed;
} eddy_ws_asm_t;

/* The interesting headers of an upgrade request, as the HTTP parser found
 * them: pointer + length, NULL pointer when absent. Values may carry OWS. */
typedef struct {
    /* public */
    const char *upgrade;
    size_t upgrade_len;
    const char *connection;
    size_t connection_len;
    const char *version;
    size_t version_len;
    const char *key;
    size_t key_len;
} eddy_ws_upgrade_t;

/* ---- frames ------------------------------------------------------------- */

/* Parses the frame header at buf[0..len). Returns its length (2..14) with *f
 * filled, 0 if more bytes are needed, or EDDY_EWS_PROTOCOL / EDDY_EWS_TOO_BIG
 * when `lim` forbids it (checked as soon as the bytes deciding it arrive). */
ssize_t eddy_ws_frame_parse(eddy_ws_frame_t *f, const void *buf, size_t len,
                            const eddy_ws_limits_t *lim);
/* XORs data[0..len) with the mask, `offset` being the payload position of
 * data[0] (so a payload can be unmasked in pieces). Masking is the same op. */
void eddy_ws_mask(void *data, size_t len, const uint8_t mask[4], uint64_t offset);

/* Writes a frame header into out (EDDY_WS_MAX_HEADER bytes), returns its
 * length. flags: EDDY_WS_FIN | EDDY_WS_RSV*; mask NULL = unmasked. */
size_t eddy_ws_header_write(uint8_t *out, uint8_t flags, uint8_t opcode, uint64_t len,
                            const uint8_t *mask);
/* Appends a whole frame. Server frames pass mask = NULL; clients pass a key
 * (the payload is copied masked; the input is not modified). */
void eddy_ws_frame_write(eddy_buf_t *out, uint8_t flags, uint8_t opcode, const void *payload,
                         size_t len, const uint8_t *mask);
/* Appends `len` bytes as frames of at most `frag` payload bytes each (first
 * `opcode`, then continuations, FIN on the last; at least one frame). */
void eddy_ws_frame_write_fragmented(eddy_buf_t *out, uint8_t opcode, const void *payload,
                                    size_t len, size_t frag, const uint8_t *mask);
/* Appends a close frame. code 0 = empty payload; otherwise the code must be
 * valid on the wire and reason <= 123 bytes of UTF-8, else EDDY_EINVAL. */
int eddy_ws_close_write(eddy_buf_t *out, uint16_t code, const char *reason, size_t reason_len,
                        const uint8_t *mask);

/* ---- close payloads ----------------------------------------------------- */

/* 1 if `code` may appear in a close frame: 1000-1003, 1007-1011, 3000-4999. */
int eddy_ws_close_code_valid(unsigned code);
/* Parses a close payload. Empty: *code = 1005. One byte or an invalid code:
 * EDDY_EWS_PROTOCOL; reason not UTF-8: EDDY_EWS_BAD_UTF8. */
int eddy_ws_close_parse(const void *payload, size_t len, uint16_t *code, const char **reason,
                        size_t *reason_len);
/* The close code to send for an error from this module (1011 for others). */
uint16_t eddy_ws_close_code_for(int err);

/* ---- UTF-8 -------------------------------------------------------------- */

/* Validates the next n bytes (RFC 3629: no overlongs, surrogates or code
 * points over U+10FFFF). 0 so far so good, EDDY_EWS_BAD_UTF8 at the first
 * impossible byte (state is then stuck). Complete text needs *st == 0. */
int eddy_ws_utf8_feed(eddy_ws_utf8_t *st, const void *p, size_t n);
/* Whole-buffer check: 1 valid, 0 not. */
int eddy_ws_utf8_valid(const void *p, size_t n);

/* ---- message assembler -------------------------------------------------- */

/* Binds the assembler to the caller's message buffer (used only for
 * fragmented or compressed messages) and optional deflate state. */
void eddy_ws_asm_init(eddy_ws_asm_t *a, const eddy_ws_limits_t *lim, eddy_buf_t *msg,
                      eddy_ws_deflate_t *deflate);
/* Consumes from buf[0..len) (payload bytes are unmasked in place). Returns
 * bytes consumed (> 0) with *m set -- m->opcode is EDDY_WS_OP_NONE when
 * nothing is complete yet; 0 when it needs more input; or an error, after
 * which the connection must be failed with eddy_ws_close_code_for(err).
 * Data frames stream (payloads need not be buffered whole); control frames
 * are answered only once complete. Handle *m before consuming the input. */
ssize_t eddy_ws_asm_feed(eddy_ws_asm_t *a, char *buf, size_t len, eddy_ws_msg_t *m);

/* ---- handshake ---------------------------------------------------------- */

/* accept = base64(SHA-1(key + GUID)); out gets EDDY_WS_ACCEPT_LEN chars + NUL. */
void eddy_ws_accept_key(const char *key, size_t key_len, char out[EDDY_WS_ACCEPT_LEN + 1]);
/* Checks an upgrade request (section 4.2.1): Upgrade has the websocket token,
 * Connection has the upgrade token, version 13, a key that is base64 of 16
 * bytes. 0 with `accept` filled; EDDY_EWS_VERSION for another version (answer
 * 426 with Sec-WebSocket-Version: 13); EDDY_EWS_PROTOCOL otherwise (400). */
int eddy_ws_handshake_check(const eddy_ws_upgrade_t *req, char accept[EDDY_WS_ACCEPT_LEN + 1]);
/* Appends the 101 response head, ending with the blank line. extensions and
 * protocol are NUL-terminated header values or NULL. */
void eddy_ws_handshake_response(eddy_buf_t *out, const char *accept, const char *extensions,
                                const char *protocol);

/* ---- permessage-deflate ------------------------------------------------- */

/* Picks the first acceptable permessage-deflate offer in a
 * Sec-WebSocket-Extensions value. `want` holds the server's own wishes
 * (no_context_takeover flags to force, server_max_window_bits to cap; NULL =
 * none). Returns 1 with *out set and the response value appended to `resp`,
 * 0 if no offer is acceptable (malformed offers are declined, not errors). */
int eddy_ws_deflate_negotiate(const char *value, size_t len, const eddy_ws_deflate_params_t *want,
                              eddy_ws_deflate_params_t *out, eddy_buf_t *resp);

/* Allocates both zlib streams (level 0-9, or -1 for zlib's default). */
int eddy_ws_deflate_init(eddy_ws_deflate_t *d, const eddy_ws_deflate_params_t *p,
                         eddy_ws_role_t role, int level);
void eddy_ws_deflate_close(eddy_ws_deflate_t *d);
/* Compresses one whole message, appending the payload (without the
 * 00 00 ff ff tail) to `out`; send it with RSV1 on the first frame. Resets
 * the stream afterwards when our side has no context takeover. */
int eddy_ws_deflate_message(eddy_ws_deflate_t *d, const void *in, size_t len, eddy_buf_t *out);
/* Inflates a piece of a compressed message into `out`; `final` on the last
 * piece appends the tail. Fails with EDDY_EWS_TOO_BIG before out->len would
 * pass `max` (0 = unlimited), EDDY_EWS_PROTOCOL on corrupt data. */
int eddy_ws_inflate(eddy_ws_deflate_t *d, const void *in, size_t len, int final, eddy_buf_t *out,
                    size_t max);

/* ======================================================================
 * WebSocket server (src/http/ws_server.c, ws_conn.c, ws_upgrade.c,
 * ws_push.c, ws_table.c): RFC 6455 over the HTTP server, BASE and PROCESS modes, as
 * Swoole\WebSocket\Server.
 *
 *   eddy_ws_server_opts_t o = {.on_message = echo, .compression = 1};
 *   eddy_ws_server_t *ws;
 *   eddy_ws_server_new(&ws, srv, &o);   // takes over the server's events
 *   eddy_server_start(srv);
 *   eddy_ws_server_free(ws);
 *
 *   static void echo(eddy_ws_server_t *ws, int fd, int opcode, const char *data,
 *                    size_t len, int flags) {
 *       eddy_ws_push(ws, fd, opcode, data, len, EDDY_WS_FLAG_FIN | (flags & EDDY_WS_FLAG_COMPRESS));
 *   }
 *
 * Upgrade. A request with "Upgrade: websocket" is a handshake; every
 * other request goes to on_request (400 without one). Without
 * on_handshake the server answers it: a GET whose Connection, version (13)
 * and key pass RFC 6455 section 4.2.1 gets "101 Switching Protocols" and
 * on_open fires; another version gets 426 with "Sec-WebSocket-Version: 13";
 * anything else (another method, a missing or malformed key...) gets 400;
 * both close the connection. With on_handshake the callback decides (as
 * Swoole's onHandshake, on_open then never fires): it accepts with
 * eddy_ws_server_accept(), or ends the response with any other status to
 * refuse. A response the callback ends with status 101 itself also
 * upgrades the connection (without compression: only the accept call
 * negotiates it). After the 101 the connection's bytes are frames.
 *
 * Messages. Text and binary messages reach on_message whole (fragments
 * joined, compressed ones inflated; data valid during the call). Control
 * frames:
 *  - ping: answered with a pong of the same payload; with open_ping_frame
 *    delivered to on_message instead and not answered (Swoole's
 *    open_websocket_ping_frame);
 *  - pong: dropped; delivered with open_pong_frame;
 *  - close: answered with a close frame carrying the same code and reason
 *    (empty when the client sent no code), then the connection closes;
 *    with open_close_frame it is also delivered to on_message first, data
 *    being the raw close payload (2-byte big-endian code, then the reason;
 *    eddy_ws_close_parse() reads it). After eddy_ws_disconnect(), the
 *    client's answering close frame just closes the connection.
 * Failures close the connection with a close frame, then a lingering
 * close (the client reads the frame instead of a reset): a client frame
 * without mask, a bad opcode, RSV bits not negotiated, a fragmented or
 * oversized control frame, a continuation out of place -> 1002; a frame
 * or a (reassembled, inflated) message over package_max_length -> 1009;
 * text or a close reason that is not UTF-8 -> 1007. Bytes after the
 * failure are discarded, and frames are not read while closing.
 *
 * Compression (permessage-deflate, RFC 7692) when `compression` is on and
 * the client offers it: both directions, context takeover unless the
 * client asks otherwise. Received messages are inflated whatever the
 * flags; pushes are deflated only when asked (EDDY_WS_FLAG_COMPRESS, as
 * Swoole's SWOOLE_WEBSOCKET_FLAG_COMPRESS) and only by the worker that
 * owns the connection (the deflate stream lives there): a push from
 * another worker goes out uncompressed (RSV1 clear, which RFC 7692 allows
 * on any message). Each compressing connection holds about 300 KiB of zlib
 * state.
 *
 * Across workers. push, disconnect, is_established and exists work for
 * any connection of the server from any worker (task workers included),
 * in both modes: frames are built here and sent with eddy_server_send(),
 * which forwards to the owner as it does for plain sends, and the
 * handshake status lives in a table in shared memory (one 8-byte slot per
 * connection: max_connection slots in PROCESS mode, 2^ceil(log2
 * worker_num) x RLIMIT_NOFILE's hard limit in BASE mode, pages touched
 * only when used). A connection's frame state (fragments, deflate
 * streams) lives in the worker that reads it: when that worker restarts
 * (reload, max_request, crash), its successor closes the connections it
 * inherits in PROCESS mode with a close frame 1001 (going away) -- where
 * Swoole, parsing frames in the master, keeps them open; in BASE mode they
 * end with the worker as every connection does. In
 * PROCESS mode with dispatch_mode 5, a connection bound to a uid after
 * its handshake moves to another worker, which knows nothing of its frame
 * state: bind before upgrading (Swoole has the same constraint on frame
 * reassembly). Pushes from different workers never interleave inside one
 * frame; a fragmented push (flags without FIN) followed by pushes from
 * another worker does interleave, as in Swoole.
 *
 * Broadcast: eddy_ws_broadcast() visits eddy_server_connections(): every
 * connection of the server in PROCESS mode, this worker's own in BASE
 * mode (as Swoole's $server->connections).
 * ==================================================================== */

#include "eddy/http.h"
#include "eddy/server.h"

/* Frame flags, numbered as Swoole's SWOOLE_WEBSOCKET_FLAG_*. */
#define EDDY_WS_FLAG_FIN 0x01      /* last frame of a message */
#define EDDY_WS_FLAG_COMPRESS 0x02 /* push: deflate it; message: it came deflated */
#define EDDY_WS_FLAG_RSV1 0x04
#define EDDY_WS_FLAG_RSV2 0x08
#define EDDY_WS_FLAG_RSV3 0x10
#define EDDY_WS_FLAG_MASK 0x20

/* Connection status, numbered as Swoole's WEBSOCKET_STATUS_*. */
#define EDDY_WS_STATUS_NONE 0       /* not a WebSocket (plain HTTP, unknown) */
#define EDDY_WS_STATUS_CONNECTION 1 /* accepted, handshake not seen yet */
#define EDDY_WS_STATUS_HANDSHAKE 2  /* handshake being answered */
#define EDDY_WS_STATUS_ACTIVE 3     /* established: frames flow */
#define EDDY_WS_STATUS_CLOSING 4    /* close frame sent, waiting for the end */

/* Errors, numbered as Swoole's SW_ERROR_WEBSOCKET_* (negated). */
#define EDDY_EWS_BAD_CLIENT (-8501)
#define EDDY_EWS_BAD_OPCODE (-8502)      /* push: opcode is not 0-2, 8-10 */
#define EDDY_EWS_UNCONNECTED (-8503)     /* not an established WebSocket connection */
#define EDDY_EWS_HANDSHAKE_FAILED (-8504) /* accept: the request is no valid handshake */

typedef struct eddy_ws_server_s eddy_ws_server_t; /* opaque */

/* A complete message or a control frame (see "Messages" above): opcode
 * EDDY_WS_OP_*, data[0..len) valid during the call, flags EDDY_WS_FLAG_FIN
 * (always: messages are whole) | EDDY_WS_FLAG_COMPRESS (it came deflated;
 * data is inflated). */
typedef void (*eddy_ws_message_cb)(eddy_ws_server_t *ws, int fd, int opcode, const char *data,
                                   size_t len, int flags);
/* The handshake was answered with 101 (automatic handshakes only); req is
 * the upgrade request, valid during the call. Pushes may start here. */
typedef void (*eddy_ws_open_cb)(eddy_ws_server_t *ws, int fd, eddy_http_request_t *req);
/* A handshake to decide: end resp (eddy_ws_server_accept(), or any
 * eddy_http_response_* that ends it), now or later, exactly once. */
typedef void (*eddy_ws_handshake_cb)(eddy_ws_server_t *ws, eddy_http_request_t *req,
                                     eddy_http_response_t *resp);
/* A connection closed (on_close) / a connection that never completed a
 * handshake closed, when on_disconnect is set (as Swoole's onDisconnect). */
typedef void (*eddy_ws_close_cb)(eddy_ws_server_t *ws, int fd);

typedef struct {
    /* public */
    eddy_ws_message_cb on_message;     /* required */
    eddy_ws_open_cb on_open;           /* may be NULL */
    eddy_ws_handshake_cb on_handshake; /* NULL: the server answers handshakes */
    eddy_http_request_cb on_request;   /* plain HTTP requests (data: this struct's data) */
    /* Every connection's close (HTTP ones too), unless on_disconnect is
     * set: then connections that never became WebSockets go there. */
    eddy_ws_close_cb on_close;
    eddy_ws_close_cb on_disconnect;
    void *data; /* eddy_ws_server_data() */
    /* The server's other events, as eddy_http_server_opts_t.events
     * (on_receive, on_close are the WebSocket server's; on_connect is
     * passed through). eddy_ws_server_of(srv) finds the WebSocket server. */
    const eddy_server_events_t *events;
    size_t header_max_size; /* handshake / request head; 0: 8 KiB */
    /* The HTTP server's options (a WebSocket server is an HTTP server, as
     * Swoole\WebSocket\Server extends Swoole\Http\Server): static files,
     * compression, uploads, timeouts... apply to its plain requests as to
     * an eddy_http_server_t's. Copied as eddy_http_server_new() copies
     * them; its on_request, data and events are ignored (the ones above
     * are used), and header_max_size above wins when set. NULL: defaults. */
    const eddy_http_server_opts_t *http;
    /* Swoole's options. */
    int compression;         /* websocket_compression: negotiate permessage-deflate */
    int open_ping_frame;     /* open_websocket_ping_frame */
    int open_pong_frame;     /* open_websocket_pong_frame */
    int open_close_frame;    /* open_websocket_close_frame */
    const char *subprotocol; /* websocket_subprotocol; copied; NULL: none */
} eddy_ws_server_opts_t;

/* ---- lifecycle --------------------------------------------------------- */

/* Attaches a WebSocket server (and its HTTP server) to srv before start;
 * reads package_max_length and max_connection from srv's config now, so
 * configure srv first. 0, or EDDY_EINVAL (no on_message; the HTTP server's
 * refusals: framing options, PROCESS with dispatch_mode 1 or 3),
 * EDDY_ENOMEM (the shared status table). *out is the caller's to free. */
int eddy_ws_server_new(eddy_ws_server_t **out, eddy_server_t *srv,
                       const eddy_ws_server_opts_t *opts);
/* After eddy_server_start() returned (master) or never started. */
void eddy_ws_server_free(eddy_ws_server_t *ws);
void *eddy_ws_server_data(const eddy_ws_server_t *ws);
eddy_server_t *eddy_ws_server_server(const eddy_ws_server_t *ws);
/* The WebSocket server attached to srv (in the server's events), or NULL. */
eddy_ws_server_t *eddy_ws_server_of(eddy_server_t *srv);

/* ---- handshake --------------------------------------------------------- */

/* Answers req with 101 (Sec-WebSocket-Accept, the negotiated
 * permessage-deflate when compression is on and offered, the subprotocol
 * when the client offered it) and ends resp: the connection is a WebSocket
 * from then on. A request that fails the checks is answered 400 (426 for
 * another version) with "Connection: close" instead, and
 * EDDY_EWS_HANDSHAKE_FAILED returned. resp is ended in every case (also
 * EDDY_ESESSION_CLOSED when the client has gone). */
int eddy_ws_server_accept(eddy_ws_server_t *ws, eddy_http_request_t *req,
                          eddy_http_response_t *resp);

/* ---- I/O (worker or task worker) ---------------------------------------- */

/* Sends one frame to connection fd: opcode EDDY_WS_OP_* (0-2, 8-10),
 * flags EDDY_WS_FLAG_FIN (a message's last frame; Swoole's default) |
 * EDDY_WS_FLAG_COMPRESS (deflate it, when the connection negotiated
 * permessage-deflate and lives in this worker; whole text/binary messages
 * only). 0 once queued; EDDY_EWS_UNCONNECTED (not an established
 * WebSocket), EDDY_EWS_BAD_OPCODE, EDDY_EINVAL (a control frame over 125
 * bytes or without FIN), or an error of eddy_server_send(). */
int eddy_ws_push(eddy_ws_server_t *ws, int fd, int opcode, const void *data, size_t len,
                 int flags);
/* Sends a close frame (code 1000-1003, 1007-1011 or 3000-4999; Swoole's
 * default is 1000; reason up to 123 bytes of UTF-8) and closes the
 * connection once it is written. 0, EDDY_EWS_UNCONNECTED, EDDY_EINVAL
 * (code, reason), or a session error. */
int eddy_ws_disconnect(eddy_ws_server_t *ws, int fd, int code, const char *reason,
                       size_t reason_len);
/* Pushes to every established connection eddy_server_connections() visits
 * (see "Broadcast" above); the number pushed to, or EDDY_EWRONG_OP outside
 * a worker, EDDY_EWS_BAD_OPCODE / EDDY_EINVAL as push. */
int eddy_ws_broadcast(eddy_ws_server_t *ws, int opcode, const void *data, size_t len, int flags);

/* ---- status ------------------------------------------------------------ */

/* 1 when fd is an established WebSocket connection (101 sent, no close
 * started), from any worker; else 0. */
int eddy_ws_is_established(const eddy_ws_server_t *ws, int fd);
/* EDDY_WS_STATUS_* of fd (getClientInfo's websocket_status), any worker. */
int eddy_ws_status(const eddy_ws_server_t *ws, int fd);
/* 1 if fd is an open connection (WebSocket or not), as eddy_server_exists. */
int eddy_ws_exists(eddy_ws_server_t *ws, int fd);
/* The HTTP server underneath (for its request/response helpers). */
eddy_http_server_t *eddy_ws_server_http(const eddy_ws_server_t *ws);

/* ======================================================================
 * WebSocket session in an HTTP request handler (src/http/ws_session.c), as
 * Swoole's Http\Response::upgrade / push / recv / ping / close: the
 * handler, running in a coroutine, turns its connection into a WebSocket
 * and keeps it for the whole session. BASE and PROCESS modes (the session
 * lives in the worker that handles the request).
 *
 *   static void on_request(eddy_http_request_t *req, eddy_http_response_t *resp, void *d) {
 *       eddy_ws_session_t *s;               // in a coroutine (recv yields)
 *       if (eddy_ws_session_upgrade(req, resp, NULL, &s) < 0) return; // 400 sent
 *       eddy_ws_session_msg_t m;
 *       while (eddy_ws_session_recv(s, &m, -1) == 0) {
 *           if (m.opcode != EDDY_WS_OP_CLOSE)
 *               eddy_ws_session_push(s, m.opcode, m.data, m.len, EDDY_WS_FLAG_FIN);
 *           eddy_ws_session_msg_release(&m);
 *       }
 *       eddy_ws_session_free(s);
 *   }
 *
 * Frames are read as they arrive, whether or not recv is waiting: text
 * and binary messages are reassembled (fragments joined, text checked to
 * be UTF-8, frames and messages over max_message_size refused) and
 * queued for recv; pings are answered with a pong of the same payload
 * (queued instead, unanswered, with open_ping_frame); pongs are dropped
 * (queued with open_pong_frame). A close frame from the peer is queued
 * (recv returns it, opcode EDDY_WS_OP_CLOSE, as Swoole's CloseFrame), and
 * answered with the same code and reason, then the connection closes.
 * Protocol failures send the close code RFC 6455 section 7.4.1 gives
 * them (1002, 1007, 1009) and close. Past 1 MiB of queued messages the
 * connection is not read (the client's sends block) until recv drains
 * the queue. With `compression` on and offered by the client,
 * permessage-deflate (RFC 7692) is negotiated: compressed messages are
 * inflated (flags EDDY_WS_FLAG_COMPRESS), and pushes of whole text/binary
 * messages with EDDY_WS_FLAG_COMPRESS are deflated (about 300 KiB of zlib
 * state per session); otherwise that flag is ignored.
 *
 * The session is attached in front of the HTTP server's upgrade hook and
 * on_close event, so it works with a plain HTTP server and next to a
 * WebSocket server (whose connections it passes through).
 *
 * On a coroutine HTTP server (eddy_co_http_*, eddy/http.h; Swoole's
 * Coroutine\Http\Server) the same calls serve a handler's request, with
 * these differences, as in Swoole's coroutine server. There is no server
 * engine: the session borrows the connection's socket and recv reads it
 * in its caller's coroutine, so frames are handled (pings answered, the
 * close handshake completed, protocol errors closed) when recv runs, not
 * as they arrive, and nothing is queued beyond what one read brought.
 * push, ping and close may be called from any coroutine (Swoole's chat
 * room pushes to the other members' sessions): a send writes the socket,
 * waiting for it at most the server's keepalive_timeout, and concurrent
 * senders take turns, each frame going out whole; a send that fails or
 * times out closes the connection (a frame may have been cut). The
 * connection outlives its handler for as long as the session is open and
 * not freed. eddy_co_http_shutdown() ends the sessions: a waiting recv
 * returns EDDY_ESESSION_CLOSED.
 * ==================================================================== */

typedef struct eddy_ws_session_s eddy_ws_session_t; /* opaque */

typedef struct {
    /* public */
    size_t max_message_size; /* frame and reassembled message; 0: package_max_length */
    int open_ping_frame;     /* deliver pings to recv, do not answer them */
    int open_pong_frame;     /* deliver pongs to recv */
    int compression;         /* websocket_compression: negotiate permessage-deflate */
} eddy_ws_session_opts_t;

/* A message as recv returns it. data is the caller's (NUL-terminated past
 * len), released with eddy_ws_session_msg_release(). */
typedef struct {
    /* read-only */
    int opcode;          /* EDDY_WS_OP_TEXT, BINARY, CLOSE, PING, PONG */
    int flags;           /* EDDY_WS_FLAG_FIN: messages are whole */
    char *data;          /* the payload; CLOSE: the raw close payload */
    size_t len;
    uint16_t close_code; /* CLOSE: the peer's code, 1005 when it sent none */
    const char *reason;  /* CLOSE: into data, reason_len bytes of UTF-8 */
    size_t reason_len;
} eddy_ws_session_msg_t;

/* ---- lifecycle --------------------------------------------------------- */

/* Answers req with "101 Switching Protocols" (Sec-WebSocket-Accept) and
 * ends resp (with Sec-WebSocket-Extensions when compression was
 * negotiated): from then on the connection's bytes are frames for *out,
 * which is the caller's to free. A request that is no valid handshake
 * (not a GET, no websocket Upgrade / Connection token, version other than
 * 13 -- answered 426 --, bad key) is answered 400 and
 * EDDY_EWS_HANDSHAKE_FAILED returned; EDDY_ESESSION_CLOSED when the
 * client has gone or resp was already ended (or, on a coroutine server,
 * its connection is closing).
 * o may be NULL (defaults). */
int eddy_ws_session_upgrade(eddy_http_request_t *req, eddy_http_response_t *resp,
                            const eddy_ws_session_opts_t *o, eddy_ws_session_t **out);
/* Closes the connection if it is still open (no close frame: use
 * eddy_ws_session_close first for a clean close) and frees s and its
 * queue. Not while a recv (or, on a coroutine server, a push) of s is
 * waiting. */
void eddy_ws_session_free(eddy_ws_session_t *s);

/* ---- I/O (the worker that upgraded) ------------------------------------ */

/* The next message, waiting in the current coroutine for at most
 * timeout_ms (negative: no limit). 0 with *m filled; EDDY_ETIMEDOUT;
 * EDDY_ESESSION_CLOSED once the connection is closed (coroutine server:
 * also by the peer's FIN or reset, seen by this recv) and the queue empty;
 * EDDY_ECO_HAS_BEEN_BOUND when another coroutine is already waiting;
 * EDDY_ECO_OUT_OF_COROUTINE / EDDY_ECANCELED as eddy_coro_wait. */
int eddy_ws_session_recv(eddy_ws_session_t *s, eddy_ws_session_msg_t *m, int64_t timeout_ms);
void eddy_ws_session_msg_release(eddy_ws_session_msg_t *m);
/* Sends one frame (opcode 0-2, 8-10; flags EDDY_WS_FLAG_FIN for a
 * message's last frame). 0 once queued (coroutine server: written);
 * EDDY_EWS_UNCONNECTED after a close started, EDDY_ESESSION_CLOSED after
 * the connection closed,
 * EDDY_EWS_BAD_OPCODE, EDDY_EINVAL (a control frame over 125 bytes or
 * without FIN), or an error of eddy_server_send() (coroutine server:
 * EDDY_ETIMEDOUT or EDDY_ESESSION_CLOSED, the connection then closed;
 * EDDY_ECANCELED while waiting for its turn). Pushing a close frame
 * starts the close: the peer's answer then closes the connection. */
int eddy_ws_session_push(eddy_ws_session_t *s, int opcode, const void *data, size_t len,
                         int flags);
/* A ping frame with data (up to 125 bytes); errors as push. */
int eddy_ws_session_ping(eddy_ws_session_t *s, const void *data, size_t len);
/* code 0: closes the connection at once, without a close frame (Swoole's
 * Response::close). Otherwise sends a close frame (code valid on the wire,
 * reason up to 123 bytes of UTF-8, else EDDY_EINVAL) and closes once it
 * is written. EDDY_ESESSION_CLOSED when already closed. */
int eddy_ws_session_close(eddy_ws_session_t *s, int code, const char *reason, size_t reason_len);

/* ---- status ------------------------------------------------------------ */

int eddy_ws_session_fd(const eddy_ws_session_t *s); /* the connection's session id */
/* 1 until a close started (either side) or the connection closed. */
int eddy_ws_session_is_open(const eddy_ws_session_t *s);

#endif /* EDDY_WEBSOCKET_H */
