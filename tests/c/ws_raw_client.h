/*
 * A raw RFC 6455 client for the WebSocket tests, over loopback_harness.h's
 * sockets: the handshake with RFC 6455 section 1.3's key (so the accept
 * value is known), masked client frames, and unmasked server frames with
 * payloads under 126 bytes read back. Every read is bounded by the
 * harness's socket timeouts; failures are Criterion assertions.
 */
#ifndef EDDY_TEST_WS_RAW_CLIENT_H
#define EDDY_TEST_WS_RAW_CLIENT_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "eddy/websocket.h"
#include "loopback_harness.h"

#define WS_RAW_KEY "dGhlIHNhbXBsZSBub25jZQ=="
#define WS_RAW_ACCEPT "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="

/* One client frame (masked) appended to b; fin 0 for a message's first or
 * middle fragment. */
static inline void ws_raw_frame_part(eddy_buf_t *b, int opcode, int fin, const char *payload) {
    static const uint8_t mask[4] = {0x12, 0x34, 0x56, 0x78};
    eddy_ws_frame_write(b, fin ? EDDY_WS_FIN : 0, (uint8_t)opcode, payload, strlen(payload), mask);
}

static inline void ws_raw_frame(eddy_buf_t *b, int opcode, const char *payload) {
    ws_raw_frame_part(b, opcode, 1, payload);
}

static inline void ws_raw_send_part(int fd, int opcode, int fin, const char *payload) {
    eddy_buf_t b;
    eddy_buf_init(&b);
    ws_raw_frame_part(&b, opcode, fin, payload);
    cr_assert_eq(harness_send_all(fd, b.data, b.len), 0);
    eddy_buf_free(&b);
}

static inline void ws_raw_send(int fd, int opcode, const char *payload) {
    ws_raw_send_part(fd, opcode, 1, payload);
}

/* Connects and upgrades at path; `early` frames go in the same write as
 * the handshake (a client that does not wait for the 101). Asserts the 101
 * and its Sec-WebSocket-Accept; the connected fd. */
static inline int ws_raw_dial(int port, const char *path, const eddy_buf_t *early) {
    char head[2048];
    int fd = harness_dial(port);
    snprintf(head, sizeof(head),
             "GET %s HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
             "Sec-WebSocket-Key: " WS_RAW_KEY "\r\nSec-WebSocket-Version: 13\r\n\r\n",
             path);
    cr_assert_eq(harness_send_str(fd, head), 0);
    if (early) cr_assert_eq(harness_send_all(fd, early->data, early->len), 0);
    cr_assert_gt(harness_read_head(fd, head, sizeof(head)), 0);
    cr_assert(strncmp(head, "HTTP/1.1 101 ", 13) == 0, "%s", head);
    cr_assert_not_null(strstr(head, "Sec-WebSocket-Accept: " WS_RAW_ACCEPT "\r\n"), "%s", head);
    return fd;
}

/* ws_raw_dial() with one text message sent along with the handshake. */
static inline int ws_raw_dial_text(int port, const char *path, const char *text) {
    eddy_buf_t early;
    eddy_buf_init(&early);
    ws_raw_frame(&early, EDDY_WS_OP_TEXT, text);
    int fd = ws_raw_dial(port, path, &early);
    eddy_buf_free(&early);
    return fd;
}

/* Reads one server frame (unmasked, payload < 126) into payload (NUL-
 * terminated) and *len; its opcode, or -1 when the connection ended. */
static inline int ws_raw_read(int fd, char *payload, size_t *len) {
    uint8_t h[2];
    if (harness_recv_all(fd, h, 2) < 0) return -1;
    cr_assert_eq(h[1] & 0x80, 0, "server frames are never masked");
    size_t n = h[1] & 0x7f;
    cr_assert_lt(n, 126u);
    if (n && harness_recv_all(fd, payload, n) < 0) return -1;
    payload[n] = '\0';
    *len = n;
    return h[0] & 0x0f;
}

static inline void ws_raw_expect_text(int fd, const char *want) {
    char p[128];
    size_t n = 0;
    cr_assert_eq(ws_raw_read(fd, p, &n), EDDY_WS_OP_TEXT, "wanted text '%s'", want);
    cr_assert_str_eq(p, want);
}

/* The echo handlers of the coroutine WebSocket suites (co_http_ws,
 * ws_session) answer "ping:X" with a ping carrying X, and "timeout" with
 * the error of a short recv with nothing to read ("timeout rc=-110"),
 * after which the session still echoes. Asserts both on fd. */
static inline void ws_raw_expect_ping_and_recv_timeout(int fd) {
    char pl[128];
    size_t n = 0;
    ws_raw_send(fd, EDDY_WS_OP_TEXT, "ping:abc");
    cr_assert_eq(ws_raw_read(fd, pl, &n), EDDY_WS_OP_PING);
    cr_assert_str_eq(pl, "abc");
    ws_raw_send(fd, EDDY_WS_OP_TEXT, "timeout");
    ws_raw_expect_text(fd, "timeout rc=-110");
    ws_raw_send(fd, EDDY_WS_OP_TEXT, "still");
    ws_raw_expect_text(fd, "still");
}

#endif /* EDDY_TEST_WS_RAW_CLIENT_H */
