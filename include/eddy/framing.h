/*
 * eddy framing: split a stream connection's input into messages, per the
 * listener's Swoole options (open_eof_check, open_eof_split,
 * open_length_check and their package_* settings).
 *
 * The splitter is a pure function in the picohttpparser mould: zero-copy,
 * allocation-free, incremental. Give it everything buffered for the
 * connection; it returns the size of the first complete message, 0 when more
 * bytes are needed, or a negative error after which the connection must be
 * closed. It never reads buf[len] or beyond, and keeps no state other than
 * the optional scan hint the caller owns.
 *
 *   size_t hint = 0;
 *   for (;;) {
 *       ssize_t n = eddy_framing_parse(&f, buf.data, buf.len, &hint);
 *       if (n > 0) { deliver(buf.data, n); eddy_buf_consume(&buf, n); continue; }
 *       if (n == 0) break;                       // read more, call again
 *       close_connection(n);                     // EDDY_EPROTOCOL / EDDY_EMSGSIZE
 *   }
 */
#ifndef EDDY_FRAMING_H
#define EDDY_FRAMING_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "eddy/base.h"

/* A message (or, for EOF checks, the buffered data) would exceed
 * package_max_length. Distinct from EDDY_EPROTOCOL so the server can log
 * which limit was hit. */
#define EDDY_EMSGSIZE (-EMSGSIZE)

/* Swoole's package_eof holds at most 8 bytes. */
#define EDDY_FRAMING_EOF_MAX 8

typedef enum {
    EDDY_FRAMING_NONE = 0, /* deliver whatever arrived */
    /* open_eof_check: data is delivered once the buffer *ends* with
     * package_eof; a read holding several messages is delivered whole
     * (Swoole's documented behaviour; the user splits it). */
    EDDY_FRAMING_EOF,
    /* open_eof_split: each message is exactly one EOF-terminated piece. */
    EDDY_FRAMING_EOF_SPLIT,
    /* open_length_check: a length field of package_length_type at
     * package_length_offset; message size = package_body_offset + value. */
    EDDY_FRAMING_LENGTH
} eddy_framing_mode_t;

/* Plain data, owned by the caller (usually embedded in a listener). Fill it
 * with one of the eddy_framing_init_* helpers, which validate it; parse
 * also tolerates a hand-filled struct and returns EDDY_EINVAL if it is bad. */
typedef struct {
    /* public */
    eddy_framing_mode_t mode;
    size_t package_max_length; /* EOF and length modes; must be > 0 */
    char package_eof[EDDY_FRAMING_EOF_MAX];
    size_t package_eof_len;    /* 1..EDDY_FRAMING_EOF_MAX */
    char package_length_type;  /* pack() letter: c C s S n N l L v V */
    uint32_t package_length_offset;
    uint32_t package_body_offset;
} eddy_framing_t;

/* ---- lifecycle --------------------------------------------------------- */

/* No framing: every parse returns all of len. */
void eddy_framing_init_none(eddy_framing_t *f);
/* EOF framing; split selects open_eof_split. EDDY_EINVAL if eof_len is 0 or
 * over EDDY_FRAMING_EOF_MAX, or max_length is 0. */
int eddy_framing_init_eof(eddy_framing_t *f, const char *eof, size_t eof_len, int split,
                          size_t max_length);
/* Length framing. EDDY_EINVAL for a type letter Swoole does not accept, a
 * max_length of 0, or a length field that cannot fit within max_length. */
int eddy_framing_init_length(eddy_framing_t *f, char type, uint32_t length_offset,
                             uint32_t body_offset, size_t max_length);

/* ---- I/O --------------------------------------------------------------- */

/* Size of the first complete message in buf[0..len), > 0; 0 when more data
 * is needed; EDDY_EPROTOCOL for a negative or impossible length field;
 * EDDY_EMSGSIZE when the message cannot fit in package_max_length;
 * EDDY_EINVAL for invalid options.
 *
 * `scanned` (may be NULL) makes EOF splitting linear over partial reads:
 * start it at 0 for a fresh buffer; when parse returns 0 it records where
 * the next search resumes, and when it returns a message it is reset to 0,
 * ready for the buffer after the caller consumes that message. Reset it to 0
 * yourself if you change the buffer in any other way. */
ssize_t eddy_framing_parse(const eddy_framing_t *f, const char *buf, size_t len, size_t *scanned);

/* ---- status ------------------------------------------------------------ */

/* Width in bytes of a package_length_type letter; 0 if Swoole rejects it. */
size_t eddy_framing_length_size(char type);

#endif /* EDDY_FRAMING_H */
