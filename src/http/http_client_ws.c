/*
 * HTTP client: WebSocket upgrade and frames (RFC 6455 4.1, 5.3; RFC 7692).
 * The codec is include/eddy/websocket.h; this file only drives it over the
 * client's connection.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include "http_client_int.h"
#include "ws_internal.h"

static void random_bytes(void *p, size_t n) {
    /* getrandom never fails for small sizes once the pool is initialised;
     * a failure would leave the mask predictable, which RFC 6455 10.3
     * forbids, so it is logged. */
    if (getrandom(p, n, 0) != (ssize_t)n) eddy_log_error("getrandom failed");
}

/* The response's Sec-WebSocket-Accept must be the key's (RFC 6455 4.1). */
static int accept_ok(eddy_http_client_t *c, const char *key) {
    char want[EDDY_WS_ACCEPT_LEN + 1];
    eddy_ws_accept_key(key, strlen(key), want);
    for (size_t i = 0; i < c->num_headers; i++) {
        const eddy_http_header_t *h = &c->headers[i];
        if (eddy_http_name_eq(h->name, h->name_len, "sec-websocket-accept", 20))
            return h->value_len == EDDY_WS_ACCEPT_LEN && memcmp(h->value, want, h->value_len) == 0;
    }
    return 0;
}

/* permessage-deflate as the server accepted it (same grammar as an offer). */
static int setup_deflate(eddy_http_client_t *c) {
    for (size_t i = 0; i < c->num_headers; i++) {
        const eddy_http_header_t *h = &c->headers[i];
        if (!eddy_http_name_eq(h->name, h->name_len, "sec-websocket-extensions", 24)) continue;
        eddy_ws_deflate_params_t p;
        eddy_buf_t scratch;
        eddy_buf_init(&scratch);
        int ok = eddy_ws_deflate_negotiate(h->value, h->value_len, NULL, &p, &scratch);
        eddy_buf_free(&scratch);
        if (!ok || !c->o.websocket_compression) return EDDY_EPROTOCOL; /* not offered */
        if (p.client_max_window_bits < 9) p.client_max_window_bits = 9; /* zlib's floor */
        if (eddy_ws_deflate_init(&c->deflate, &p, EDDY_WS_CLIENT, -1) < 0) return EDDY_EPROTOCOL;
        c->ws_deflate_on = 1;
    }
    return 0;
}

int eddy_http_client_upgrade(eddy_http_client_t *c, const char *path,
                             const eddy_http_header_t *headers, size_t num_headers) {
    if (c->busy) return EDDY_ECO_HAS_BEEN_BOUND;
    if (c->ws) return EDDY_EWRONG_OP;
    unsigned char raw[16];
    char key[32];
    random_bytes(raw, sizeof(raw));
    eddy__base64_encode(raw, sizeof(raw), key);
    eddy_http_header_t h[64 + 5];
    if (num_headers > 64) return EDDY_EINVAL;
    size_t n = 0;
    h[n++] = (eddy_http_header_t){"Upgrade", 7, "websocket", 9};
    h[n++] = (eddy_http_header_t){"Connection", 10, "Upgrade", 7};
    h[n++] = (eddy_http_header_t){"Sec-WebSocket-Key", 17, key, strlen(key)};
    h[n++] = (eddy_http_header_t){"Sec-WebSocket-Version", 21, "13", 2};
    if (c->o.websocket_compression) {
        static const char ext[] = "permessage-deflate; client_max_window_bits";
        h[n++] = (eddy_http_header_t){"Sec-WebSocket-Extensions", 24, ext, sizeof(ext) - 1};
    }
    for (size_t i = 0; i < num_headers; i++) h[n++] = headers[i];
    eddy_http_client_request_t r = {.method = "GET", .path = path, .headers = h, .num_headers = n};
    eddy__hc_disconnect(c); /* an upgrade always gets a connection of its own */
    c->busy = 1;
    int rc = eddy__hc_request(c, &r, 1);
    c->busy = 0;
    if (rc < 0) return rc;
    if (c->status != 101 || !accept_ok(c, key) || setup_deflate(c) < 0) {
        if (c->status == 101) {
            c->errcode = EPROTO;
            snprintf(c->errmsg, sizeof(c->errmsg), "bad WebSocket handshake response");
        }
        eddy__hc_disconnect(c);
        return EDDY_EPROTOCOL;
    }
    c->ws = 1;
    eddy_ws_limits_t lim = {.role = EDDY_WS_CLIENT,
                            .rsv_allowed = c->ws_deflate_on ? EDDY_WS_RSV1 : 0,
                            .max_message_size = (size_t)c->o.body_max_size};
    eddy_ws_asm_init(&c->wsa, &lim, &c->ws_msg, c->ws_deflate_on ? &c->deflate : NULL);
    return 0;
}

int eddy_http_client_is_websocket(const eddy_http_client_t *c) { return c->ws; }

static int send_frame(eddy_http_client_t *c, uint8_t flags, int opcode, const void *data,
                      size_t len) {
    uint8_t mask[4];
    random_bytes(mask, sizeof(mask));
    eddy_buf_t b;
    eddy_buf_init(&b);
    eddy_ws_frame_write(&b, flags, (uint8_t)opcode, data, len, mask);
    ssize_t rc = eddy_socket_send_all(c->sock, b.data, b.len, c->o.write_timeout_ms);
    eddy_buf_free(&b);
    if (rc < 0) {
        c->errcode = (int)-rc;
        snprintf(c->errmsg, sizeof(c->errmsg), "%s", eddy_strerror((int)rc));
        return (int)rc;
    }
    return 0;
}

int eddy_http_client_push(eddy_http_client_t *c, const void *data, size_t len, int opcode,
                          int flags) {
    if (!c->ws || !c->sock) return EDDY_EWRONG_OP;
    if ((opcode & 0x8) && len > EDDY_WS_MAX_CONTROL) return EDDY_EINVAL;
    uint8_t f = (flags & EDDY_HTTP_CLIENT_WS_FIN) ? EDDY_WS_FIN : 0;
    int data_op = opcode == EDDY_WS_OP_TEXT || opcode == EDDY_WS_OP_BINARY;
    /* Only whole messages are compressed: fragments go out as they are. */
    if (data_op && (flags & EDDY_HTTP_CLIENT_WS_COMPRESS) && c->ws_deflate_on && f) {
        eddy_buf_t z;
        eddy_buf_init(&z);
        int rc = eddy_ws_deflate_message(&c->deflate, data, len, &z);
        if (rc == 0) rc = send_frame(c, EDDY_WS_FIN | EDDY_WS_RSV1, opcode, z.data, z.len);
        eddy_buf_free(&z);
        return rc;
    }
    return send_frame(c, f, opcode, data, len);
}

/* A broken stream: tell the server why (best effort), drop the connection. */
static int ws_fail(eddy_http_client_t *c, int err) {
    eddy_buf_t b;
    eddy_buf_init(&b);
    uint8_t mask[4];
    random_bytes(mask, sizeof(mask));
    if (eddy_ws_close_write(&b, eddy_ws_close_code_for(err), NULL, 0, mask) == 0)
        eddy_socket_send_all(c->sock, b.data, b.len, 100);
    eddy_buf_free(&b);
    c->errcode = err == EDDY_ETIMEDOUT ? ETIMEDOUT : -err;
    snprintf(c->errmsg, sizeof(c->errmsg), "%s", eddy_strerror(err));
    eddy__hc_disconnect(c);
    return err;
}

/* Copies a delivered message out of the input before it is consumed. */
static void deliver(eddy_http_client_t *c, const eddy_ws_msg_t *m, eddy_http_client_frame_t *f) {
    /* A close frame's data is its reason (the code is close_code). */
    int close = m->opcode == EDDY_WS_OP_CLOSE;
    const char *p = close ? m->reason : m->data;
    size_t n = close ? m->reason_len : m->len;
    eddy_buf_clear(&c->ws_frame);
    eddy_buf_append(&c->ws_frame, p ? p : "", n);
    memset(f, 0, sizeof(*f));
    f->opcode = m->opcode;
    f->fin = 1;
    f->compressed = m->compressed;
    f->data = c->ws_frame.data;
    f->len = n;
    f->close_code = m->opcode == EDDY_WS_OP_CLOSE ? m->close_code : 0;
}

/* Feeds buffered input; 1 with *f when a message is ready, 0 for more. */
static int feed(eddy_http_client_t *c, eddy_http_client_frame_t *f, int *err) {
    while (c->in.len) {
        eddy_ws_msg_t m;
        ssize_t n = eddy_ws_asm_feed(&c->wsa, c->in.data, c->in.len, &m);
        if (n == 0) return 0;
        if (n < 0) {
            *err = (int)n;
            return -1;
        }
        int ready = 0;
        if (m.opcode == EDDY_WS_OP_PING) {
            eddy_buf_t pong;
            eddy_buf_init(&pong);
            eddy_buf_append(&pong, m.data, m.len); /* m.data lives in c->in */
            eddy_buf_consume(&c->in, (size_t)n);
            int rc = send_frame(c, EDDY_WS_FIN, EDDY_WS_OP_PONG, pong.data, pong.len);
            eddy_buf_free(&pong);
            if (rc < 0) return *err = rc, -1;
            continue;
        }
        if (m.opcode != EDDY_WS_OP_NONE) deliver(c, &m, f), ready = 1;
        eddy_buf_consume(&c->in, (size_t)n);
        if (ready) return 1;
    }
    return 0;
}

int eddy_http_client_recv(eddy_http_client_t *c, eddy_http_client_frame_t *f, int64_t timeout_ms) {
    if (!c->ws || !c->sock) return EDDY_EWRONG_OP;
    if (c->busy) return EDDY_ECO_HAS_BEEN_BOUND;
    if (timeout_ms == EDDY_TIMEOUT_DEFAULT) timeout_ms = c->o.read_timeout_ms;
    uint64_t deadline = eddy_now_ms() + (uint64_t)(timeout_ms > 0 ? timeout_ms : 0);
    c->busy = 1;
    int rc = 0;
    for (;;) {
        int err = 0;
        int got = feed(c, f, &err);
        if (got < 0) {
            rc = ws_fail(c, err);
            break;
        }
        if (got > 0) {
            if (f->opcode == EDDY_WS_OP_CLOSE) { /* answer with its code, then end */
                eddy_buf_t b;
                eddy_buf_init(&b);
                uint8_t mask[4];
                random_bytes(mask, sizeof(mask));
                uint16_t code = f->close_code == EDDY_WS_CLOSE_STATUS_ERROR ? 0 : (uint16_t)f->close_code;
                if (eddy_ws_close_write(&b, code, NULL, 0, mask) == 0)
                    eddy_socket_send_all(c->sock, b.data, b.len, 100);
                eddy_buf_free(&b);
                eddy__hc_disconnect(c);
            }
            break;
        }
        int64_t left = EDDY_WAIT_FOREVER;
        if (timeout_ms >= 0) {
            uint64_t now = eddy_now_ms();
            left = now >= deadline ? 0 : (int64_t)(deadline - now);
        }
        size_t room;
        eddy_buf_reserve(&c->in, 16384);
        char *tail = eddy_buf_tail(&c->in, &room);
        ssize_t n = left == 0 ? EDDY_ETIMEDOUT : eddy_socket_recv(c->sock, tail, room, left);
        if (n > 0) {
            eddy_buf_commit(&c->in, (size_t)n);
            continue;
        }
        if (n == EDDY_ETIMEDOUT) { /* the stream is intact: keep the connection */
            c->errcode = ETIMEDOUT;
            snprintf(c->errmsg, sizeof(c->errmsg), "%s", eddy_strerror(EDDY_ETIMEDOUT));
            rc = EDDY_ETIMEDOUT;
            break;
        }
        c->errcode = n == 0 ? ECONNRESET : (int)-n;
        snprintf(c->errmsg, sizeof(c->errmsg), "%s", eddy_strerror(n == 0 ? EDDY_ECONNRESET : (int)n));
        eddy__hc_disconnect(c);
        rc = n == 0 ? EDDY_ECONNRESET : (int)n;
        break;
    }
    c->busy = 0;
    return rc;
}
