/* Internal to the WebSocket files: SHA-1 and base64 for the handshake.
 * Exposed (eddy__ prefix) so the tests can check them against RFC vectors. */
#ifndef EDDY_HTTP_WS_INTERNAL_H
#define EDDY_HTTP_WS_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

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

#endif
