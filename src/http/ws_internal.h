/* Internal to the WebSocket files: SHA-1 and base64 for the handshake.
 * Exposed (eddy__ prefix) so the tests can check them against RFC vectors. */
#ifndef EDDY_HTTP_WS_INTERNAL_H
#define EDDY_HTTP_WS_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "eddy/http.h"
#include "eddy/websocket.h"

typedef struct {
    uint32_t h[5];
    uint64_t total; /* bytes hashed so far */
    uint8_t block[64];
    size_t fill;
} eddy__sha1_t;

void eddy__sha1_init(eddy__sha1_t *s);
void eddy__sha1_update(eddy__sha1_t *s, const void *p, size_t n);
void eddy__sha1_final(eddy__sha1_t *s, uint8_t out[20]);

/* Standard alphabet with '=' padding (RFC 4648 section 4). encode writes
 * 4*ceil(n/3) chars plus a NUL and returns the char count; decode returns the
 * byte count, or -1 for anything but canonical padded base64 (bad length,
 * characters, padding, or non-zero bits in the last character). */
size_t eddy__base64_encode(const void *in, size_t n, char *out);
ssize_t eddy__base64_decode(const char *in, size_t n, uint8_t *out, size_t cap);

/* A parsed request as a handshake (RFC 6455 section 4.2.1): a GET whose
 * Upgrade, Connection, Sec-WebSocket-Version and Sec-WebSocket-Key pass
 * eddy_ws_handshake_check(), which writes accept. 0 or its EDDY_EWS_*
 * (EDDY_EWS_PROTOCOL for another method). The WebSocket server
 * (ws_upgrade.c) and the handler sessions (ws_session.c) both ask it. */
int eddy__ws_request_check(const eddy_http_request_t *req, char accept[EDDY_WS_ACCEPT_LEN + 1]);

#endif
