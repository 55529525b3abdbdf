/*
 * HTTP client: connection, request writing, response reading. Behaviour
 * is documented in include/eddy/http_client.h; the WebSocket side is in
 * http_client_ws.c, body decoding and downloads in http_client_body.c.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "http_client_int.h"
#include "internal.h"

/* ---- lifecycle ------------------------------------------------------------ */

void eddy_http_client_opts_init(eddy_http_client_opts_t *o) {
    memset(o, 0, sizeof(*o));
    /* Swoole's socket defaults: connect 2 s, read and write 60 s. */
    o->connect_timeout_ms = 2000;
    o->read_timeout_ms = 60000;
    o->write_timeout_ms = 60000;
    o->keep_alive = 1;
    o->compression = 1;
}

eddy_http_client_t *eddy_http_client_new(const char *host, int port,
                                         const eddy_http_client_opts_t *opts) {
    eddy_http_client_t *c = eddy_calloc(1, sizeof(*c));
    c->host = eddy_strdup(host);
    c->port = port;
    if (opts) c->o = *opts;
    else eddy_http_client_opts_init(&c->o);
    eddy_buf_init(&c->in);
    eddy_buf_init(&c->head);
    eddy_buf_init(&c->body);
    eddy_buf_init(&c->out);
    eddy_buf_init(&c->ws_msg);
    eddy_buf_init(&c->ws_frame);
    return c;
}

void eddy_http_client_set_tls(eddy_http_client_t *c, eddy_tls_ctx_t *ctx, const char *host_name) {
    eddy_tls_ctx_free(c->tls);
    eddy_free(c->tls_host);
    c->tls = ctx ? eddy_tls_ctx_ref(ctx) : NULL;
    c->tls_host = host_name ? eddy_strdup(host_name) : NULL;
}

void eddy_http_client_set_opts(eddy_http_client_t *c, const eddy_http_client_opts_t *opts) {
    c->o = *opts;
}

void eddy__hc_disconnect(eddy_http_client_t *c) {
    eddy_socket_t *s = c->sock;
    c->sock = NULL;
    if (c->ws_deflate_on) eddy_ws_deflate_close(&c->deflate);
    c->ws_deflate_on = 0;
    c->ws = 0;
    eddy_buf_clear(&c->in);
    /* Last, and c is not touched after it: closing wakes a coroutine
     * waiting in a call on c, which may finish and free c before
     * eddy_socket_close() returns here. */
    if (s) eddy_socket_close(s);
}

void eddy_http_client_close(eddy_http_client_t *c) { eddy__hc_disconnect(c); }

void eddy_http_client_free(eddy_http_client_t *c) {
    if (!c) return;
    eddy__hc_disconnect(c);
    eddy_buf_free(&c->in);
    eddy_buf_free(&c->head);
    eddy_buf_free(&c->body);
    eddy_buf_free(&c->out);
    eddy_buf_free(&c->ws_msg);
    eddy_buf_free(&c->ws_frame);
    eddy_http_client_set_tls(c, NULL, NULL);
    eddy_free(c->host);
    eddy_free(c);
}

/* ---- errors ----------------------------------------------------------------- */

void eddy__hc_fail(eddy_http_client_t *c, int status, int err, const char *what) {
    if (status) c->status = status;
    c->errcode = err;
    /* errMsg is the errno's text as Swoole gives it; our own words only
     * where the errno alone would not say what went wrong. */
    if (err == EPROTO || err == EINVAL || err == EMSGSIZE)
        snprintf(c->errmsg, sizeof(c->errmsg), "%s", what);
    else
        snprintf(c->errmsg, sizeof(c->errmsg), "%s", eddy_strerror(-err));
}

/* A socket result -> positive errno for errCode. */
static int errno_of(ssize_t rc) { return rc < 0 ? (int)-rc : ECONNRESET; }

/* ---- connection ------------------------------------------------------------ */

/* The handshake on a fresh connection; on failure the socket is closed
 * and the reason (OpenSSL's words) kept as errmsg. */
static int start_tls(eddy_http_client_t *c, eddy_socket_t *s) {
    int rc = eddy_socket_tls_attach(s, c->tls, c->tls_host ? c->tls_host : c->host);
    if (rc == 0) rc = eddy_socket_tls_handshake(s, c->o.connect_timeout_ms);
    if (rc < 0) {
        eddy__hc_fail(c, EDDY_HTTP_CLIENT_CONNECT_FAILED, -rc, "tls");
        snprintf(c->errmsg, sizeof(c->errmsg), "%s", eddy_socket_errmsg(s));
        eddy_socket_close(s);
    }
    return rc;
}

static int connect_now(eddy_http_client_t *c) {
    int err = 0;
    eddy_socket_t *s = eddy_socket_new(EDDY_SOCK_TCP, &err);
    if (!s) {
        eddy__hc_fail(c, EDDY_HTTP_CLIENT_CONNECT_FAILED, -err, "socket");
        return err;
    }
    /* An IPv6 literal or a name that resolves only to IPv6 needs a TCP6
     * socket; try it when the IPv4 attempt says the address does not fit. */
    int rc = eddy_socket_connect(s, c->host, c->port, c->o.connect_timeout_ms);
    if (rc == EDDY_EINVAL || rc == -EAFNOSUPPORT) {
        eddy_socket_close(s);
        s = eddy_socket_new(EDDY_SOCK_TCP6, &err);
        rc = s ? eddy_socket_connect(s, c->host, c->port, c->o.connect_timeout_ms) : err;
    }
    if (rc < 0) {
        if (s) eddy_socket_close(s);
        eddy__hc_fail(c, EDDY_HTTP_CLIENT_CONNECT_FAILED, -rc, "connect");
        return rc;
    }
    int one = 1;
    eddy_socket_setopt(s, 6 /* IPPROTO_TCP */, 1 /* TCP_NODELAY */, &one, sizeof(one));
    if (c->tls && (rc = start_tls(c, s)) < 0) return rc;
    c->sock = s;
    c->connections++;
    eddy_buf_clear(&c->in);
    return 0;
}

/* ---- request writing --------------------------------------------------------- */

static int has_crlf(const char *s, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (s[i] == '\r' || s[i] == '\n' || s[i] == '\0') return 1;
    return 0;
}

static int is_token(const char *s, size_t n) {
    if (n == 0) return 0;
    for (size_t i = 0; i < n; i++)
        if (!eddy__http_tchar((unsigned char)s[i])) return 0;
    return 1;
}

static int user_has(const eddy_http_client_request_t *r, const char *name) {
    for (size_t i = 0; i < r->num_headers; i++)
        if (eddy_http_name_eq(r->headers[i].name, r->headers[i].name_len, name, strlen(name)))
            return 1;
    return 0;
}

static int check_request(const eddy_http_client_request_t *r) {
    const char *m = r->method ? r->method : "GET";
    const char *p = r->path ? r->path : "/";
    if (!is_token(m, strlen(m)) || has_crlf(p, strlen(p)) || strchr(p, ' ')) return EDDY_EINVAL;
    for (size_t i = 0; i < r->num_headers; i++) {
        const eddy_http_header_t *h = &r->headers[i];
        if (!is_token(h->name, h->name_len) || has_crlf(h->value, h->value_len)) return EDDY_EINVAL;
        /* The client owns the body framing. */
        if (eddy_http_name_eq(h->name, h->name_len, "content-length", 14) ||
            eddy_http_name_eq(h->name, h->name_len, "transfer-encoding", 17))
            return EDDY_EINVAL;
    }
    for (size_t i = 0; i < r->num_form; i++)
        if (has_crlf(r->form[i].name, r->form[i].name_len) || memchr(r->form[i].name, '"', r->form[i].name_len))
            return EDDY_EINVAL;
    for (size_t i = 0; i < r->num_files; i++) {
        const eddy_http_client_file_t *f = &r->files[i];
        const char *fn = f->filename ? f->filename : "";
        const char *mt = f->mime ? f->mime : "";
        if (!f->name || has_crlf(f->name, strlen(f->name)) || strchr(f->name, '"') ||
            has_crlf(fn, strlen(fn)) || strchr(fn, '"') || has_crlf(mt, strlen(mt)))
            return EDDY_EINVAL;
    }
    return 0;
}

/* ---- multipart ---------------------------------------------------------------- */

typedef struct {
    char boundary[48];
    int64_t file_len[64]; /* resolved length of each file part */
} multipart_t;

static void part_head(eddy_buf_t *b, const multipart_t *mp, const char *name, size_t nlen,
                      const eddy_http_client_file_t *f) {
    eddy_buf_appendf(b, "--%s\r\nContent-Disposition: form-data; name=\"%.*s\"", mp->boundary,
                     (int)nlen, name);
    if (f) {
        const char *fn = f->filename;
        if (!fn && f->path) fn = strrchr(f->path, '/') ? strrchr(f->path, '/') + 1 : f->path;
        eddy_buf_appendf(b, "; filename=\"%s\"\r\nContent-Type: %s", fn ? fn : "blob",
                         f->mime ? f->mime : "application/octet-stream");
    }
    eddy_buf_append(b, "\r\n\r\n", 4);
}

/* Resolves file lengths and the total body size; EDDY_EINVAL / -errno for
 * a file that cannot be sent. */
static int64_t multipart_size(eddy_http_client_t *c, const eddy_http_client_request_t *r,
                              multipart_t *mp) {
    unsigned char rnd[12];
    if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd)) memset(rnd, 0x5a, sizeof(rnd));
    int n = snprintf(mp->boundary, sizeof(mp->boundary), "----eddyBoundary");
    for (size_t i = 0; i < sizeof(rnd); i++) n += snprintf(mp->boundary + n, 3, "%02x", rnd[i]);
    if (r->num_files > 64) return EDDY_EINVAL;
    eddy_buf_t tmp;
    eddy_buf_init(&tmp);
    int64_t total = 0;
    for (size_t i = 0; i < r->num_form; i++) {
        eddy_buf_clear(&tmp);
        part_head(&tmp, mp, r->form[i].name, r->form[i].name_len, NULL);
        total += (int64_t)tmp.len + (int64_t)r->form[i].value_len + 2;
    }
    for (size_t i = 0; i < r->num_files; i++) {
        const eddy_http_client_file_t *f = &r->files[i];
        int64_t len = (int64_t)f->data_len;
        if (f->path) {
            struct stat st;
            if (stat(f->path, &st) < 0 || !S_ISREG(st.st_mode)) {
                int e = errno ? errno : EINVAL;
                eddy_buf_free(&tmp);
                eddy__hc_fail(c, 0, e, f->path);
                return -e;
            }
            if (f->offset < 0 || f->offset > st.st_size || f->length < 0 ||
                f->offset + f->length > st.st_size) {
                eddy_buf_free(&tmp);
                eddy__hc_fail(c, 0, EINVAL, "file offset/length outside the file");
                return EDDY_EINVAL;
            }
            len = f->length ? f->length : st.st_size - f->offset;
        }
        mp->file_len[i] = len;
        eddy_buf_clear(&tmp);
        part_head(&tmp, mp, f->name, strlen(f->name), f);
        total += (int64_t)tmp.len + len + 2;
    }
    eddy_buf_free(&tmp);
    return total + (int64_t)strlen(mp->boundary) + 6; /* "--" boundary "--\r\n" */
}

/* Writes the multipart body; its parts are sent as they are built so that
 * files never sit in memory. */
static int send_multipart(eddy_http_client_t *c, const eddy_http_client_request_t *r,
                          const multipart_t *mp, int64_t timeout) {
    eddy_buf_t b;
    eddy_buf_init(&b);
    ssize_t rc = 0;
    for (size_t i = 0; i < r->num_form && rc >= 0; i++) {
        part_head(&b, mp, r->form[i].name, r->form[i].name_len, NULL);
        eddy_buf_append(&b, r->form[i].value, r->form[i].value_len);
        eddy_buf_append(&b, "\r\n", 2);
    }
    for (size_t i = 0; i < r->num_files && rc >= 0; i++) {
        const eddy_http_client_file_t *f = &r->files[i];
        part_head(&b, mp, f->name, strlen(f->name), f);
        if (!f->path) {
            eddy_buf_append(&b, f->data, f->data_len);
        } else if (mp->file_len[i] > 0) {
            rc = eddy_socket_send_all(c->sock, b.data, b.len, timeout);
            eddy_buf_clear(&b);
            if (rc >= 0)
                rc = eddy_socket_sendfile_path(c->sock, f->path, f->offset,
                                               (size_t)mp->file_len[i], timeout);
        }
        eddy_buf_append(&b, "\r\n", 2);
    }
    eddy_buf_appendf(&b, "--%s--\r\n", mp->boundary);
    if (rc >= 0) rc = eddy_socket_send_all(c->sock, b.data, b.len, timeout);
    eddy_buf_free(&b);
    return rc < 0 ? (int)rc : 0;
}

static void write_head(eddy_http_client_t *c, const eddy_http_client_request_t *r,
                       const char *method, int64_t body_len, const multipart_t *mp) {
    eddy_buf_t *o = &c->out;
    eddy_buf_clear(o);
    eddy_buf_appendf(o, "%s %s HTTP/1.1\r\n", method, r->path ? r->path : "/");
    if (!user_has(r, "host")) {
        int v6 = strchr(c->host, ':') != NULL;
        eddy_buf_appendf(o, "Host: %s%s%s", v6 ? "[" : "", c->host, v6 ? "]" : "");
        if (c->port != (c->tls ? 443 : 80)) eddy_buf_appendf(o, ":%d", c->port);
        eddy_buf_append(o, "\r\n", 2);
    }
    if (!user_has(r, "connection"))
        eddy_buf_appendf(o, "Connection: %s\r\n", c->o.keep_alive ? "keep-alive" : "close");
    if (c->o.compression && !user_has(r, "accept-encoding"))
        eddy_buf_appendf(o, "Accept-Encoding: gzip, deflate, br\r\n");
    for (size_t i = 0; i < r->num_headers; i++) {
        const eddy_http_header_t *h = &r->headers[i];
        if (mp && eddy_http_name_eq(h->name, h->name_len, "content-type", 12)) continue;
        eddy_buf_appendf(o, "%.*s: %.*s\r\n", (int)h->name_len, h->name, (int)h->value_len,
                         h->value);
    }
    if (mp)
        eddy_buf_appendf(o, "Content-Type: multipart/form-data; boundary=%s\r\n", mp->boundary);
    if (body_len >= 0) eddy_buf_appendf(o, "Content-Length: %lld\r\n", (long long)body_len);
    eddy_buf_append(o, "\r\n", 2);
}

/* Sends head and body; a socket error code on failure. */
static int send_request(eddy_http_client_t *c, const eddy_http_client_request_t *r,
                        const multipart_t *mp) {
    int64_t t = c->o.write_timeout_ms;
    if (mp) {
        ssize_t rc = eddy_socket_send_all(c->sock, c->out.data, c->out.len, t);
        return rc < 0 ? (int)rc : send_multipart(c, r, mp, t);
    }
    eddy_iov_t iov[2] = {{c->out.data, c->out.len}, {(void *)(uintptr_t)r->body, r->body_len}};
    ssize_t rc = eddy_socket_writev_all(c->sock, iov, r->body_len ? 2 : 1, t);
    return rc < 0 ? (int)rc : 0;
}

/* ---- response reading ------------------------------------------------------- */

typedef struct {
    uint64_t deadline; /* eddy_now_ms() bound for the whole response */
    int64_t timeout;
    size_t got;        /* response bytes seen on this connection attempt */
} reader_t;

/* Reads more into c->in: > 0 bytes, 0 EOF, or a negative socket error. */
static ssize_t read_more(eddy_http_client_t *c, reader_t *rd) {
    int64_t left = EDDY_WAIT_FOREVER;
    if (rd->timeout >= 0) {
        uint64_t now = eddy_now_ms();
        left = now >= rd->deadline ? 0 : (int64_t)(rd->deadline - now);
        if (left == 0) return EDDY_ETIMEDOUT;
    }
    size_t room;
    eddy_buf_reserve(&c->in, 16384);
    char *tail = eddy_buf_tail(&c->in, &room);
    ssize_t n = eddy_socket_recv(c->sock, tail, room, left);
    if (n > 0) {
        eddy_buf_commit(&c->in, (size_t)n);
        rd->got += (size_t)n;
    }
    return n;
}

/* A failed read -> the status Swoole reports. */
static int read_failed(eddy_http_client_t *c, ssize_t n, const char *what) {
    if (n == EDDY_ETIMEDOUT) eddy__hc_fail(c, EDDY_HTTP_CLIENT_REQUEST_TIMEOUT, ETIMEDOUT, what);
    else eddy__hc_fail(c, EDDY_HTTP_CLIENT_SERVER_RESET, errno_of(n), what);
    eddy__hc_disconnect(c);
    return n < 0 ? (int)n : EDDY_ECONNRESET;
}

/* Reads and parses the head (1xx skipped unless upgrading); copies it to
 * c->head with c->headers pointing there. Returns the kept response. */
static int read_head(eddy_http_client_t *c, reader_t *rd, int upgrade, eddy_http_res_t *res) {
    eddy_http_parser_opts_t po;
    eddy_http_parser_opts_init(&po);
    po.header_max_size = EDDY_HTTP_CLIENT_HEAD_MAX;
    po.body_max_size = c->o.body_max_size;
    for (;;) {
        ssize_t h = eddy_http_parse_response(c->in.data, c->in.len, &po, res, c->headers,
                                             EDDY_HTTP_CLIENT_MAX_HEADERS);
        if (h == EDDY_EAGAIN) {
            ssize_t n = read_more(c, rd);
            if (n <= 0) return read_failed(c, n, "recv response head");
            continue;
        }
        if (h < 0) {
            eddy__hc_fail(c, EDDY_HTTP_CLIENT_SERVER_RESET, EPROTO, "bad response");
            snprintf(c->errmsg, sizeof(c->errmsg), "%s", eddy_http_strerror((int)h));
            eddy__hc_disconnect(c);
            return EDDY_EPROTOCOL;
        }
        if (res->status < 200 && !(upgrade && res->status == 101)) {
            eddy_buf_consume(&c->in, (size_t)h); /* 100 Continue, 103 Early Hints */
            continue;
        }
        /* Keep the head apart from c->in, which the body will consume. */
        eddy_buf_clear(&c->head);
        eddy_buf_append(&c->head, c->in.data, (size_t)h);
        for (size_t i = 0; i < res->num_headers; i++) {
            c->headers[i].name = c->head.data + (c->headers[i].name - c->in.data);
            c->headers[i].value = c->head.data + (c->headers[i].value - c->in.data);
        }
        c->num_headers = res->num_headers;
        eddy_buf_consume(&c->in, (size_t)h);
        return 0;
    }
}

/* Reads the body into the sink; 0, or a failure already recorded. */
static int read_body(eddy_http_client_t *c, reader_t *rd, eddy_http_body_t *b, eddy__hc_sink_t *s) {
    for (;;) {
        size_t data = 0;
        ssize_t r = eddy_http_body_decode(b, c->in.data, c->in.len, &data);
        if (r < 0 && r != EDDY_EAGAIN) {
            if (r == EDDY_EHTTP_BODY_TOO_LARGE) eddy__hc_fail(c, 0, EMSGSIZE, "response body too large");
            else eddy__hc_fail(c, 0, EPROTO, eddy_http_strerror((int)r));
            c->status = EDDY_HTTP_CLIENT_SERVER_RESET;
            eddy__hc_disconnect(c);
            return EDDY_EPROTOCOL;
        }
        int wr = eddy__hc_sink_write(s, c, c->in.data, data);
        if (wr < 0) {
            c->status = EDDY_HTTP_CLIENT_SERVER_RESET;
            eddy__hc_disconnect(c);
            return wr;
        }
        eddy_buf_consume(&c->in, r >= 0 ? (size_t)r : c->in.len);
        if (r >= 0) return 0;
        ssize_t n = read_more(c, rd);
        if (n == 0 && eddy_http_body_eof(b) == 0) return 0;
        if (n <= 0) return read_failed(c, n, "recv response body");
    }
}

static int receive(eddy_http_client_t *c, const eddy_http_client_request_t *r, const char *method,
                   int upgrade, reader_t *rd) {
    eddy_http_res_t res;
    int rc = read_head(c, rd, upgrade, &res);
    if (rc < 0) return rc;
    c->status = res.status;
    int head = eddy_http_name_eq(method, strlen(method), "HEAD", 4);
    int kind = upgrade && res.status == 101 ? EDDY_HTTP_BODY_NONE : eddy_http_res_body_kind(&res, head);
    eddy_http_body_t b;
    eddy_http_body_init(&b, kind, res.content_length, c->o.body_max_size);
    const eddy_http_header_t *ce = eddy_http_res_header(&res, "content-encoding", 16);
    eddy__hc_sink_t s;
    rc = eddy__hc_sink_open(&s, c, ce ? ce->value : NULL, ce ? ce->value_len : 0, r->download,
                            r->download_offset);
    if (rc < 0) {
        eddy__hc_disconnect(c); /* the body was not read: the stream is out of step */
        return rc;
    }
    rc = read_body(c, rd, &b, &s);
    if (rc == 0) rc = eddy__hc_sink_finish(&s, c);
    eddy__hc_sink_close(&s);
    if (rc == 0 && !(upgrade && res.status == 101) &&
        (!(res.flags & EDDY_HTTP_KEEP_ALIVE) || !c->o.keep_alive))
        eddy__hc_disconnect(c);
    return rc;
}

/* One attempt on the current connection. *retry is set when a kept
 * connection turned out dead before any byte of answer. */
static int attempt(eddy_http_client_t *c, const eddy_http_client_request_t *r, const char *method,
                   const multipart_t *mp, int upgrade, int reused, int *retry) {
    int rc = send_request(c, r, mp);
    if (rc < 0) {
        /* Only a peer that dropped the kept connection earns a retry; a
         * close() from another coroutine (EBADF), a cancel or a timeout
         * ends the call. */
        if (reused && (rc == EDDY_EPIPE || rc == EDDY_ECONNRESET)) {
            *retry = 1;
            return rc;
        }
        eddy__hc_fail(c, EDDY_HTTP_CLIENT_SEND_FAILED, errno_of(rc), "send request");
        eddy__hc_disconnect(c);
        return rc;
    }
    reader_t rd = {.timeout = c->o.read_timeout_ms};
    rd.deadline = eddy_now_ms() + (uint64_t)(rd.timeout > 0 ? rd.timeout : 0);
    rc = receive(c, r, method, upgrade, &rd);
    if (rc < 0 && reused && rd.got == 0 && c->status == EDDY_HTTP_CLIENT_SERVER_RESET &&
        c->errcode == ECONNRESET) /* EOF or reset before any byte of answer */
        *retry = 1;
    return rc;
}

int eddy__hc_request(eddy_http_client_t *c, const eddy_http_client_request_t *r, int upgrade) {
    c->status = 0;
    c->errcode = 0;
    c->errmsg[0] = 0;
    c->num_headers = 0;
    eddy_buf_clear(&c->head);
    eddy_buf_clear(&c->body);
    if (check_request(r) < 0) {
        eddy__hc_fail(c, 0, EINVAL, "invalid request (method, path or header)");
        return EDDY_EINVAL;
    }
    int with_body = r->has_body || r->body_len || r->num_files;
    const char *method = r->method ? r->method : (with_body ? "POST" : "GET");
    multipart_t mp;
    int64_t body_len = r->num_files ? multipart_size(c, r, &mp) : (with_body ? (int64_t)r->body_len : -1);
    if (r->num_files && body_len < 0) return (int)body_len;
    write_head(c, r, method, body_len, r->num_files ? &mp : NULL);
    for (int tries = 0;; tries++) {
        int reused = c->sock != NULL;
        if (!c->sock) {
            int rc = connect_now(c);
            if (rc < 0) return rc;
        }
        int retry = 0;
        int rc = attempt(c, r, method, r->num_files ? &mp : NULL, upgrade, reused, &retry);
        if (!retry || tries > 0) return rc;
        eddy__hc_disconnect(c); /* stale keep-alive connection: once more, fresh */
        c->status = 0;
    }
}

int eddy_http_client_execute(eddy_http_client_t *c, const eddy_http_client_request_t *r) {
    if (c->busy) {
        eddy__hc_fail(c, 0, 10002, "client is in use by another coroutine");
        return EDDY_ECO_HAS_BEEN_BOUND;
    }
    if (c->ws) {
        eddy__hc_fail(c, 0, EINVAL, "the connection is a WebSocket");
        return EDDY_EWRONG_OP;
    }
    c->busy = 1;
    int rc = eddy__hc_request(c, r, 0);
    c->busy = 0;
    return rc;
}

/* ---- status ------------------------------------------------------------------- */

int eddy_http_client_status(const eddy_http_client_t *c) { return c->status; }

const eddy_http_header_t *eddy_http_client_headers(const eddy_http_client_t *c, size_t *n) {
    *n = c->num_headers;
    return c->headers;
}

const char *eddy_http_client_body(const eddy_http_client_t *c, size_t *len) {
    *len = c->body.len;
    return c->body.len ? c->body.data : "";
}

const char *eddy_http_client_header_out(const eddy_http_client_t *c) {
    return c->out.len ? c->out.data : "";
}

int eddy_http_client_errcode(const eddy_http_client_t *c) { return c->errcode; }
const char *eddy_http_client_errmsg(const eddy_http_client_t *c) { return c->errmsg; }
unsigned eddy_http_client_connections(const eddy_http_client_t *c) { return c->connections; }
int eddy_http_client_connected(const eddy_http_client_t *c) { return c->sock != NULL; }

int eddy_http_client_peer(eddy_http_client_t *c, char *ip, size_t iplen, int *port) {
    eddy_addr_t a;
    if (!c->sock || eddy_socket_getpeername(c->sock, &a) < 0) return EDDY_EBADF;
    return eddy_addr_format(&a, ip, iplen, port);
}
