/*
 * Swoole\Http\Response in C: status, headers, cookies, end(), chunked
 * write(), redirect(). The head is assembled by eddy_http_response_head()
 * (Date, Server, Connection, framing), in a per-worker buffer.
 */
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "http_server.h"
#include "internal.h"

#define X_OF(p) ((hs_exchange_t *)((char *)(p) - offsetof(hs_exchange_t, resp)))

static int token(const char *s, size_t n) {
    if (n == 0) return 0;
    for (size_t i = 0; i < n; i++)
        if (!eddy__http_tchar((unsigned char)s[i])) return 0;
    return 1;
}

static int safe_value(const char *s) { return strpbrk(s, "\r\n") == NULL; }

static int has_bytes(const char *s, const char *bad) { return s && strpbrk(s, bad) != NULL; }

/* 0 while the head may still change, else why not. */
static int head_state(const eddy_http_response_t *r) {
    if (!r->conn) return EDDY_ESESSION_CLOSED;
    return r->head_sent ? EDDY_EWRONG_OP : 0;
}

/* ---- status and headers ------------------------------------------------- */

int eddy_http_response_status(eddy_http_response_t *r, int status, const char *reason) {
    int rc = head_state(r);
    if (rc) return rc;
    if (status < 100 || status > 999 || (reason && !safe_value(reason))) return EDDY_EINVAL;
    r->status = status;
    r->reason_len = reason ? strlen(reason) : 0;
    if (r->reason_len) {
        r->reason_off = r->strs.len;
        eddy_buf_append(&r->strs, reason, r->reason_len + 1);
    }
    return 0;
}

static int header_ok(const char *name, const char *value) {
    size_t nl = strlen(name);
    if (!token(name, nl) || (value && !safe_value(value))) return 0;
    return !eddy_http_name_eq(name, nl, "content-length", 14) &&
           !eddy_http_name_eq(name, nl, "transfer-encoding", 17);
}

static void push_header(eddy_http_response_t *r, const char *name, const char *value) {
    if (r->nhdrs == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 8;
        r->hdrs = eddy_realloc(r->hdrs, r->cap * sizeof(*r->hdrs));
    }
    hs_hdr_t *h = &r->hdrs[r->nhdrs++];
    h->nl = strlen(name);
    h->vl = strlen(value);
    h->dead = 0;
    h->no = r->strs.len;
    eddy_buf_append(&r->strs, name, h->nl + 1);
    h->vo = r->strs.len;
    eddy_buf_append(&r->strs, value, h->vl + 1);
    if (eddy_http_name_eq(name, h->nl, "content-type", 12)) r->has_ctype = 1;
    /* A handler's "Connection: close" ends the connection after this. */
    if (eddy_http_name_eq(name, h->nl, "connection", 10) && strstr(value, "close")) r->close = 1;
}

int eddy_http_response_header(eddy_http_response_t *r, const char *name, const char *value) {
    int rc = head_state(r);
    if (rc) return rc;
    if (!header_ok(name, value)) return EDDY_EINVAL;
    size_t nl = strlen(name);
    for (size_t i = 0; i < r->nhdrs; i++)
        if (eddy_http_name_eq(r->strs.data + r->hdrs[i].no, r->hdrs[i].nl, name, nl))
            r->hdrs[i].dead = 1;
    if (eddy_http_name_eq(name, nl, "content-type", 12)) r->has_ctype = 0;
    if (value) push_header(r, name, value);
    return 0;
}

int eddy_http_response_add_header(eddy_http_response_t *r, const char *name, const char *value) {
    int rc = head_state(r);
    if (rc) return rc;
    if (!value || !header_ok(name, value)) return EDDY_EINVAL;
    push_header(r, name, value);
    return 0;
}

/* ---- cookies ----------------------------------------------------------- */

/* RFC 3986 unreserved stay, the rest is %XX (rawurlencode). */
static void append_encoded(eddy_buf_t *b, const char *s) {
    static const char hex[] = "0123456789ABCDEF";
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
            ch == '-' || ch == '.' || ch == '_' || ch == '~') {
            eddy_buf_append(b, s, 1);
        } else {
            char e[3] = {'%', hex[ch >> 4], hex[ch & 15]};
            eddy_buf_append(b, e, 3);
        }
    }
}

#define COOKIE_BAD_NAME "=,; \t\r\n\013\014"
#define COOKIE_BAD_ATTR ",; \t\r\n\013\014"

int eddy_http_response_cookie(eddy_http_response_t *r, const eddy_http_cookie_t *c) {
    int rc = head_state(r);
    if (rc) return rc;
    if (!c->name || !*c->name || has_bytes(c->name, COOKIE_BAD_NAME) ||
        has_bytes(c->path, COOKIE_BAD_ATTR) || has_bytes(c->domain, COOKIE_BAD_ATTR) ||
        has_bytes(c->samesite, COOKIE_BAD_ATTR) || has_bytes(c->priority, COOKIE_BAD_ATTR) ||
        (c->raw && has_bytes(c->value, COOKIE_BAD_ATTR)))
        return EDDY_EINVAL;
    eddy_buf_t line;
    eddy_buf_init(&line);
    eddy_buf_appendf(&line, "%s=", c->name);
    char date[EDDY_HTTP_DATE_LEN + 1];
    if (!c->value || !*c->value) { /* deletion, as PHP's setcookie() */
        eddy_buf_appendf(&line, "deleted; expires=Thu, 01 Jan 1970 00:00:01 GMT; Max-Age=0");
    } else {
        if (c->raw) eddy_buf_append(&line, c->value, strlen(c->value));
        else append_encoded(&line, c->value);
        if (c->expires > 0) {
            int64_t left = c->expires - (int64_t)time(NULL);
            eddy_http_date(c->expires, date);
            eddy_buf_appendf(&line, "; expires=%s; Max-Age=%" PRId64, date, left > 0 ? left : 0);
        }
    }
    if (c->path && *c->path) eddy_buf_appendf(&line, "; path=%s", c->path);
    if (c->domain && *c->domain) eddy_buf_appendf(&line, "; domain=%s", c->domain);
    if (c->secure) eddy_buf_appendf(&line, "; secure");
    if (c->httponly) eddy_buf_appendf(&line, "; HttpOnly");
    if (c->samesite && *c->samesite) eddy_buf_appendf(&line, "; SameSite=%s", c->samesite);
    if (c->priority && *c->priority) eddy_buf_appendf(&line, "; Priority=%s", c->priority);
    if (c->partitioned) eddy_buf_appendf(&line, "; Partitioned");
    push_header(r, "Set-Cookie", line.data);
    eddy_buf_free(&line);
    return 0;
}

/* ---- sending ----------------------------------------------------------- */

static int no_body_status(int s) { return s / 100 == 1 || s == 204 || s == 304; }

static unsigned conn_flags(const eddy_http_response_t *r, int keep) {
    const eddy_http_request_t *req = &X_OF(r)->req;
    if (!keep) return EDDY_HTTP_RESP_CLOSE;
    /* A created response does not know the request's version: say it. */
    return req->version_minor == 0 || r->created ? EDDY_HTTP_RESP_KEEP_ALIVE : 0;
}

static int keep_alive(const eddy_http_response_t *r) {
    return (X_OF(r)->req.flags & EDDY_HTTP_KEEP_ALIVE) && !r->close;
}

/* Writes the head into hs->out (cleared first). */
static int build_head(eddy_http_response_t *r, int64_t length, int keep) {
    eddy_http_server_t *hs = r->hs;
    size_t n = 0;
    if (r->nhdrs + 3 > hs->out_cap) { /* + Content-Type, Content-Encoding, Vary */
        hs->out_cap = r->nhdrs + 8;
        hs->out_hdrs = eddy_realloc(hs->out_hdrs, hs->out_cap * sizeof(*hs->out_hdrs));
    }
    for (size_t i = 0; i < r->nhdrs; i++) {
        if (r->hdrs[i].dead) continue;
        eddy_http_header_t *h = &hs->out_hdrs[n++];
        h->name = r->strs.data + r->hdrs[i].no;
        h->name_len = r->hdrs[i].nl;
        h->value = r->strs.data + r->hdrs[i].vo;
        h->value_len = r->hdrs[i].vl;
    }
    if (!r->has_ctype && !no_body_status(r->status)) /* Swoole's default */
        hs->out_hdrs[n++] = (eddy_http_header_t){"Content-Type", 12, "text/html", 9};
    n = eddy__hs_compress_headers(r, hs->out_hdrs, n);
    eddy_buf_clear(&hs->out);
    return eddy_http_response_head(&hs->out, r->status,
                                   r->reason_len ? r->strs.data + r->reason_off : NULL,
                                   hs->out_hdrs, n, length, conn_flags(r, keep));
}

static int send_out(eddy_http_response_t *r, const void *extra, size_t extra_len) {
    eddy_http_server_t *hs = r->hs;
    int rc = eddy__hs_send(hs, r->conn, r->fd, hs->out.data, hs->out.len);
    if (rc == 0 && extra_len) rc = eddy__hs_send(hs, r->conn, r->fd, extra, extra_len);
    /* No on_close reaches a created response: a refused send tells it. */
    if (r->created && (rc == EDDY_ESESSION_CLOSED || rc == EDDY_ESESSION_NOT_EXIST)) r->conn = NULL;
    return rc;
}

/* Bodies up to this size are copied behind the head: one send, one packet. */
#define COALESCE_MAX (16 * 1024)

static int send_whole(eddy_http_response_t *r, const void *data, size_t len, int keep) {
    int nobody = no_body_status(r->status);
    if (!nobody) eddy__hs_compress_body(r, &data, &len); /* data may become hs->zout */
    int64_t length = nobody ? EDDY_HTTP_LENGTH_NONE : (int64_t)len;
    if (r->status == 204 || r->status / 100 == 1) length = EDDY_HTTP_LENGTH_NONE;
    int rc = build_head(r, length, keep);
    if (rc < 0) return rc;
    r->head_sent = 1;
    if (nobody || r->is_head || !len) return send_out(r, NULL, 0);
    if (len <= COALESCE_MAX) {
        eddy_buf_append(&r->hs->out, data, len);
        return send_out(r, NULL, 0);
    }
    return send_out(r, data, len);
}

int eddy__hs_response_head(eddy_http_response_t *r, int64_t length, int *keep) {
    *keep = keep_alive(r);
    int rc = build_head(r, no_body_status(r->status) ? EDDY_HTTP_LENGTH_NONE : length, *keep);
    if (rc < 0) return rc;
    r->head_sent = 1;
    return 0;
}

int eddy_http_response_write(eddy_http_response_t *r, const void *data, size_t len) {
    if (!r->conn) return EDDY_ESESSION_CLOSED;
    eddy_http_server_t *hs = r->hs;
    if (!r->head_sent) {
        /* An HTTP/1.0 peer knows no chunks: the body ends with the connection. */
        int http10 = X_OF(r)->req.version_minor == 0;
        if (http10) r->close = 1;
        eddy__hs_compress_stream(r); /* before the head: it may add Content-Encoding */
        int rc = http10 ? 0 : eddy__hs_trailer_announce(r);
        if (rc == 0)
            rc = build_head(r, http10 ? EDDY_HTTP_LENGTH_NONE : EDDY_HTTP_LENGTH_CHUNKED,
                            keep_alive(r));
        if (rc < 0) return rc;
        r->head_sent = 1;
        r->chunked = !http10;
    } else {
        eddy_buf_clear(&hs->out);
    }
    if (r->z && len && !r->is_head) {
        int zrc = eddy__hs_compress_write(r, data, len, 0);
        if (zrc < 0) return zrc;
        return hs->out.len ? send_out(r, NULL, 0) : 0;
    }
    if (len && !r->is_head) {
        if (r->chunked) eddy_http_chunk_append(&hs->out, data, len);
        else eddy_buf_append(&hs->out, data, len);
    }
    return hs->out.len ? send_out(r, NULL, 0) : 0;
}

int eddy_http_response_end(eddy_http_response_t *r, const void *data, size_t len) {
    eddy_http_server_t *hs = r->hs;
    int rc, keep = keep_alive(r);
    if (!r->conn) {
        rc = EDDY_ESESSION_CLOSED;
    } else if (!r->head_sent && !eddy__hs_trailer_stream(r)) {
        rc = send_whole(r, data, len, keep);
    } else {
        rc = eddy_http_response_write(r, data, len);
        if (rc == 0 && r->chunked && !r->is_head) {
            eddy_buf_clear(&hs->out);
            if (r->z) rc = eddy__hs_compress_write(r, NULL, 0, 1); /* the stream's end */
            eddy__hs_trailer_end(r, &hs->out); /* the last chunk, trailers if any */
            if (rc == 0) rc = send_out(r, NULL, 0);
        }
        keep = keep_alive(r);
    }
    /* The send may have found the client gone (on_close ran: conn NULL). */
    int gone = r->conn == NULL;
    eddy__hs_response_done(r, rc == 0 && keep);
    return gone && rc == 0 ? EDDY_ESESSION_CLOSED : rc;
}

int eddy_http_response_redirect(eddy_http_response_t *r, const char *url, int status) {
    int rc = eddy_http_response_status(r, status ? status : 302, NULL);
    if (rc == 0) rc = eddy_http_response_header(r, "Location", url);
    int erc = eddy_http_response_end(r, NULL, 0);
    return rc ? rc : erc;
}

int eddy_http_response_writable(const eddy_http_response_t *r) { return r->conn != NULL; }
