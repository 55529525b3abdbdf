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

#endif /* EDDY_WEBSOCKET_H */
