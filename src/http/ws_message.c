/* WebSocket message assembler (RFC 6455 section 5.4): fragments joined into
 * the caller's buffer, control frames delivered between them, text checked
 * as UTF-8 as it arrives, compressed messages inflated (RFC 7692). */
#include <string.h>

#include "eddy/websocket.h"

void eddy_ws_asm_init(eddy_ws_asm_t *a, const eddy_ws_limits_t *lim, eddy_buf_t *msg,
                      eddy_ws_deflate_t *deflate) {
    memset(a, 0, sizeof(*a));
    a->limits = *lim;
    a->msg = msg;
    a->deflate = deflate;
}

static ssize_t control(eddy_ws_asm_t *a, const eddy_ws_frame_t *f, char *buf, size_t len,
                       eddy_ws_msg_t *m) {
    (void)a;
    size_t total = f->header_len + (size_t)f->payload_len;
    if (len < total) return 0; /* <= 139 bytes: wait for all of it */
    char *p = buf + f->header_len;
    size_t n = (size_t)f->payload_len;
    if (f->masked) eddy_ws_mask(p, n, f->mask, 0);
    if (f->opcode == EDDY_WS_OP_CLOSE) {
        int rc = eddy_ws_close_parse(p, n, &m->close_code, &m->reason, &m->reason_len);
        if (rc < 0) return rc;
    }
    m->opcode = f->opcode;
    m->data = p;
    m->len = n;
    return (ssize_t)total;
}

/* Section 5.4 continuation rules, RFC 7692 RSV1 rules, early size check. */
static int check_data(const eddy_ws_asm_t *a, const eddy_ws_frame_t *f) {
    int rsv1 = (f->rsv & EDDY_WS_RSV1) != 0;
    size_t base = 0;
    if (f->opcode == EDDY_WS_OP_CONTINUATION) {
        if (!a->in_message || rsv1) return EDDY_EWS_PROTOCOL;
        base = a->msg_compressed ? 0 : a->msg->len;
    } else if (a->in_message) {
        return EDDY_EWS_PROTOCOL; /* a new message before the last one's FIN */
    }
    if (rsv1 && !a->deflate) return EDDY_EWS_PROTOCOL;
    /* Compressed sizes say nothing about the inflated size; inflate checks. */
    int compressed = f->opcode == EDDY_WS_OP_CONTINUATION ? a->msg_compressed : rsv1;
    size_t max = a->limits.max_message_size;
    if (max && !compressed && f->payload_len > max - base) return EDDY_EWS_TOO_BIG;
    return 0;
}

/* Payload bytes p[0..n) (already unmasked) of the current data frame.
 * Inflated text is checked for UTF-8 before an inflate error is reported,
 * so the first error in the message wins however the input was cut. */
static int payload(eddy_ws_asm_t *a, const char *p, size_t n, int last) {
    eddy_buf_t *msg = a->msg;
    size_t old = msg->len;
    const char *fresh = p;
    int rc = 0;
    if (a->msg_compressed) {
        rc = eddy_ws_inflate(a->deflate, p, n, last, msg, a->limits.max_message_size);
        fresh = msg->data + old;
        n = msg->len - old;
    } else {
        eddy_buf_append(msg, p, n);
    }
    if (a->msg_opcode == EDDY_WS_OP_TEXT) {
        if (eddy_ws_utf8_feed(&a->utf8, fresh, n) < 0) return EDDY_EWS_BAD_UTF8;
        if (rc < 0) return rc;
        if (last && a->utf8 != 0) return EDDY_EWS_BAD_UTF8; /* truncated character */
    }
    return rc;
}

/* An unfragmented, uncompressed message wholly in buf: delivered in place. */
static ssize_t whole(const eddy_ws_frame_t *f, char *buf, eddy_ws_msg_t *m) {
    char *p = buf + f->header_len;
    size_t n = (size_t)f->payload_len;
    if (f->masked) eddy_ws_mask(p, n, f->mask, 0);
    if (f->opcode == EDDY_WS_OP_TEXT && !eddy_ws_utf8_valid(p, n)) return EDDY_EWS_BAD_UTF8;
    m->opcode = f->opcode;
    m->data = p;
    m->len = n;
    return (ssize_t)(f->header_len + n);
}

/* Parses the next frame header; returns bytes consumed so far or < 0/0. */
static ssize_t start_frame(eddy_ws_asm_t *a, char *buf, size_t len, eddy_ws_msg_t *m, int *done) {
    eddy_ws_frame_t f;
    ssize_t h = eddy_ws_frame_parse(&f, buf, len, &a->limits);
    *done = 1;
    if (h <= 0) return h;
    if (f.opcode & 0x8) return control(a, &f, buf, len, m);
    int rc = check_data(a, &f);
    if (rc < 0) return rc;
    int rsv1 = (f.rsv & EDDY_WS_RSV1) != 0;
    if (f.fin && f.opcode != EDDY_WS_OP_CONTINUATION && !rsv1 &&
        f.payload_len <= len - (size_t)h)
        return whole(&f, buf, m);
    if (f.opcode != EDDY_WS_OP_CONTINUATION) {
        a->in_message = 1;
        a->msg_opcode = f.opcode;
        a->msg_compressed = (uint8_t)rsv1;
        a->utf8 = 0;
        eddy_buf_clear(a->msg);
    }
    a->frame = f;
    a->frame_left = f.payload_len;
    a->frame_off = 0;
    a->in_frame = 1;
    *done = 0;
    return h;
}

ssize_t eddy_ws_asm_feed(eddy_ws_asm_t *a, char *buf, size_t len, eddy_ws_msg_t *m) {
    memset(m, 0, sizeof(*m));
    m->opcode = EDDY_WS_OP_NONE;
    size_t used = 0;
    if (!a->in_frame) {
        int done;
        ssize_t r = start_frame(a, buf, len, m, &done);
        if (done) return r;
        used = (size_t)r;
    }
    uint64_t avail = len - used;
    size_t n = (size_t)(a->frame_left < avail ? a->frame_left : avail);
    if (n == 0 && a->frame_left > 0) return (ssize_t)used;
    char *p = buf + used;
    if (a->frame.masked) eddy_ws_mask(p, n, a->frame.mask, a->frame_off);
    int last = a->frame.fin && n == a->frame_left;
    int rc = payload(a, p, n, last);
    if (rc < 0) return rc;
    a->frame_left -= n;
    a->frame_off += n;
    used += n;
    if (a->frame_left == 0) {
        a->in_frame = 0;
        if (a->frame.fin) {
            a->in_message = 0;
            m->opcode = a->msg_opcode;
            m->compressed = a->msg_compressed;
            m->data = a->msg->data ? a->msg->data : "";
            m->len = a->msg->len;
        }
    }
    return (ssize_t)used;
}
