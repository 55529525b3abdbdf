/*
 * One HTTP connection: input buffering, head parsing, request bodies
 * (Content-Length or chunked, decoded in place), dispatch, pipelining,
 * 100-continue and error answers.
 *
 * Input lives in c->in from the first byte of the current request on. A
 * request is handed to on_request with every span pointing into c->in, so
 * while it is being handled (S_WAIT) new bytes go to c->pending instead:
 * c->in must not move under the user's feet. When the response ends, the
 * request's bytes are dropped, pending is appended, and parsing resumes:
 * one request in flight per connection keeps responses in order.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "http_server.h"

static double wall_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Keeps eddy_buf_t's promise that data is NUL-terminated past len. */
static void set_len(eddy_buf_t *b, size_t len) {
    b->len = len;
    if (b->cap) b->data[len] = '\0';
}

/* ---- errors ------------------------------------------------------------ */

/* Answers status with "Connection: close" and closes lingering. */
static void send_error(eddy_http_server_t *hs, hs_conn_t *c, int status) {
    char body[96];
    const char *reason = eddy_http_reason(status);
    int n = snprintf(body, sizeof(body), "<h1>%d %s</h1>\n", status, reason ? reason : "");
    eddy_http_header_t h = {"Content-Type", 12, "text/html", 9};
    eddy_buf_clear(&hs->out);
    eddy_http_response_head(&hs->out, status, NULL, &h, 1, n, EDDY_HTTP_RESP_CLOSE);
    eddy_buf_append(&hs->out, body, (size_t)n);
    if (c->x) {
        eddy__hs_exchange_put(hs, c->x);
        c->x = NULL;
    }
    c->state = S_CLOSING;
    if (eddy__hs_send(hs, c, c->fd, hs->out.data, hs->out.len) == 0) eddy__hs_close(hs, c, c->fd);
}

/* ---- head -------------------------------------------------------------- */

static int body_complete(const hs_conn_t *c) {
    return !(c->x->req.flags & EDDY_HTTP_CHUNKED) &&
           c->in.len - c->head_len >= c->x->req.content_length;
}

static void maybe_continue(eddy_http_server_t *hs, hs_conn_t *c) {
    const eddy_http_request_t *r = &c->x->req;
    if (!(r->flags & EDDY_HTTP_EXPECT_CONTINUE) || c->continue_sent) return;
    if (!(r->flags & EDDY_HTTP_CHUNKED) && (r->content_length == 0 || body_complete(c))) return;
    if ((r->flags & EDDY_HTTP_CHUNKED) && c->in.len > c->head_len) return; /* body coming */
    c->continue_sent = 1;
    static const char cont[] = "HTTP/1.1 100 Continue\r\n\r\n";
    eddy__hs_send(hs, c, c->fd, cont, sizeof(cont) - 1);
}

/* 1: head parsed (state S_BODY), 0: need more, -1: answered an error. */
static int parse_head(eddy_http_server_t *hs, hs_conn_t *c) {
    eddy_http_request_t req;
    if (!c->in.len) return 0;
    ssize_t n = eddy_http_parse_request(c->in.data, c->in.len, &hs->popts, &req, hs->scratch,
                                        HS_MAX_HEADERS);
    if (n == EDDY_EAGAIN) return 0;
    if (n < 0) {
        send_error(hs, c, eddy_http_error_status(n));
        return -1;
    }
    hs_exchange_t *x = eddy__hs_exchange_get(hs);
    x->req = req;
    memcpy(x->headers, hs->scratch, req.num_headers * sizeof(x->headers[0]));
    x->req.headers = x->headers;
    x->req.ctx = x;
    eddy_http_headers_lower(x->headers, req.num_headers);
    x->base = (uintptr_t)c->in.data;
    x->time = wall_now();
    x->resp.conn = c;
    x->resp.fd = c->fd;
    x->resp.is_head = req.method_len == 4 && memcmp(req.method, "HEAD", 4) == 0;
    c->x = x;
    c->head_len = (size_t)n;
    c->continue_sent = 0;
    c->detached = 0; /* a new request: the detached one's wait is over */
    if (req.flags & EDDY_HTTP_CHUNKED) {
        eddy_http_chunked_init(&c->dec);
        c->dec.body_max_size = hs->popts.body_max_size;
        c->raw_pos = c->head_len;
        c->body_len = 0;
    }
    c->state = S_BODY;
    int st = eddy__hs_upload_begin(hs, x); /* multipart/form-data: streamed */
    if (st) {
        send_error(hs, c, st);
        return -1;
    }
    if (x->up) c->body_len = 0; /* body bytes given to the multipart parser */
    maybe_continue(hs, c);
    return 1;
}

/* ---- body -------------------------------------------------------------- */

/* Upload bodies are not kept: the decoded bytes after the head go to the
 * multipart parser and are dropped (body_len back to 0); at the end of the
 * body the parser must have seen its close. -1: answered an error. */
static int upload_take(eddy_http_server_t *hs, hs_conn_t *c, int end) {
    int st = eddy__hs_upload_feed(c->x->up, c->in.data + c->head_len, c->body_len);
    c->body_len = 0;
    if (!st && end) st = eddy__hs_upload_end(c->x->up);
    if (st) send_error(hs, c, st);
    return st ? -1 : 0;
}

/* Content-Length upload: what arrived of the body goes to the parser and
 * leaves the buffer (a pipelined request after it moves up to the head). */
static int read_upload(eddy_http_server_t *hs, hs_conn_t *c) {
    size_t avail = c->in.len - c->head_len;
    uint64_t want = c->x->req.content_length - c->body_len;
    size_t take = avail < want ? avail : (size_t)want;
    char *p = c->in.data + c->head_len;
    int st = eddy__hs_upload_feed(c->x->up, p, take);
    c->body_len += take;
    if (!st && c->body_len == c->x->req.content_length) st = eddy__hs_upload_end(c->x->up);
    if (st) {
        send_error(hs, c, st);
        return -1;
    }
    memmove(p, p + take, avail - take);
    set_len(&c->in, c->head_len + avail - take);
    if (c->body_len < c->x->req.content_length) return 0;
    c->req_end = c->head_len;
    return 1;
}

/* Chunked: decodes what arrived, moving data to follow the head (and
 * what follows the body, the next request, to follow the data). */
static int read_chunked(eddy_http_server_t *hs, hs_conn_t *c) {
    size_t dl = 0;
    char *raw = c->in.data + c->raw_pos;
    ssize_t r = eddy_http_chunked_decode(&c->dec, raw, c->in.len - c->raw_pos, &dl);
    char *dst = c->in.data + c->head_len + c->body_len;
    if (r < 0 && r != EDDY_EAGAIN) {
        send_error(hs, c, eddy_http_error_status(r));
        return -1;
    }
    memmove(dst, raw, dl);
    c->body_len += dl;
    if (c->x->up && upload_take(hs, c, r != EDDY_EAGAIN) < 0) return -1;
    if (r == EDDY_EAGAIN) {
        set_len(&c->in, c->head_len + c->body_len);
        c->raw_pos = c->in.len;
        return 0;
    }
    size_t rest_off = c->raw_pos + (size_t)r, rest = c->in.len - rest_off;
    c->req_end = c->head_len + c->body_len;
    memmove(c->in.data + c->req_end, c->in.data + rest_off, rest);
    set_len(&c->in, c->req_end + rest);
    return 1;
}

/* 1: the request is whole (c->req_end set), 0: need more, -1: error. */
static int read_body(eddy_http_server_t *hs, hs_conn_t *c) {
    if (c->x->req.flags & EDDY_HTTP_CHUNKED) return read_chunked(hs, c);
    if (c->x->up) return read_upload(hs, c);
    if (!body_complete(c)) return 0;
    c->req_end = c->head_len + (size_t)c->x->req.content_length;
    return 1;
}

/* ---- dispatch ---------------------------------------------------------- */

static void dispatch(eddy_http_server_t *hs, hs_conn_t *c) {
    hs_exchange_t *x = c->x;
    if ((uintptr_t)c->in.data != x->base) { /* the buffer grew while the body came */
        eddy_http_request_t req;
        eddy_http_parse_request(c->in.data, c->head_len, &hs->popts, &req, x->headers,
                                HS_MAX_HEADERS);
        req.ctx = x;
        x->req = req;
    }
    x->body = c->in.data + c->head_len;
    x->body_len = c->req_end - c->head_len;
    c->state = S_WAIT;
    eddy__hs_timeout_update(hs, c, 0); /* no deadline while the handler runs */
    if (hs->st && eddy__hs_static(hs, x)) return; /* a file under document_root */
    hs->on_request(&x->req, &x->resp, hs->data);
}

void eddy__hs_process(eddy_http_server_t *hs, hs_conn_t *c) {
    c->busy++;
    while (!c->gone && (c->state == S_HEAD || c->state == S_BODY)) {
        if (c->state == S_HEAD && parse_head(hs, c) <= 0) break;
        int r = read_body(hs, c);
        if (r <= 0) break;
        dispatch(hs, c);
    }
    if (!c->gone) eddy__hs_timeout_update(hs, c, 1);
    c->busy--;
    if (c->gone && !c->busy) eddy__hs_conn_free(c);
}

void eddy__hs_feed(eddy_http_server_t *hs, hs_conn_t *c, const char *data, size_t len) {
    if (c->state == S_CLOSING) return;
    if (c->state == S_UPGRADED) {
        hs->upgrade.on_data(hs->upgrade.data, c->fd, data, len);
        return;
    }
    if (c->state == S_WAIT) {
        /* Bounded: a client pipelining more than a request's worth while
         * one is handled is dropped. */
        if (c->pending.len + len > hs->popts.header_max_size + hs->popts.body_max_size) {
            c->state = S_CLOSING;
            eddy__hs_close(hs, c, c->fd);
            return;
        }
        eddy_buf_append(&c->pending, data, len);
        return;
    }
    eddy_buf_append(&c->in, data, len);
    eddy__hs_process(hs, c);
}

/* ---- end of a request -------------------------------------------------- */

/* A 101 response ended: the upgrade owner takes the connection. The
 * exchange is detached first so that a close during on_upgrade (which
 * frees c->x) cannot release it twice; req's spans stay valid because c,
 * and its input, live until busy drops. */
static void upgrade(eddy_http_server_t *hs, hs_conn_t *c) {
    hs_exchange_t *x = c->x;
    c->x = NULL;
    c->state = S_UPGRADED;
    c->busy++;
    hs->upgrade.on_upgrade(hs->upgrade.data, c->fd, &x->req);
    eddy__hs_exchange_put(hs, x);
    if (!c->gone) {
        eddy_buf_consume(&c->in, c->req_end);
        if (c->pending.len) eddy_buf_append(&c->in, c->pending.data, c->pending.len);
        eddy_buf_free(&c->pending);
        eddy_buf_t rest = c->in; /* the client's first frames, sent early */
        eddy_buf_init(&c->in);
        if (rest.len) hs->upgrade.on_data(hs->upgrade.data, c->fd, rest.data, rest.len);
        eddy_buf_free(&rest);
    }
    c->busy--;
    if (c->gone && !c->busy) eddy__hs_conn_free(c);
}

void eddy__hs_finish(eddy_http_server_t *hs, hs_conn_t *c, int keep) {
    if (keep && c->x->resp.status == 101 && hs->upgrade.on_upgrade) {
        upgrade(hs, c);
        return;
    }
    eddy__hs_exchange_put(hs, c->x);
    c->x = NULL;
    if (c->gone) return;
    if (!keep) {
        c->state = S_CLOSING;
        eddy__hs_close(hs, c, c->fd);
        return;
    }
    eddy_buf_consume(&c->in, c->req_end);
    if (c->pending.len) {
        eddy_buf_append(&c->in, c->pending.data, c->pending.len);
        eddy_buf_free(&c->pending);
    }
    /* Idle keep-alive connections hold no buffer (memory per idle conn). */
    if (!c->in.len) eddy_buf_free(&c->in);
    c->state = S_HEAD;
    c->head_len = c->req_end = 0;
    eddy__hs_timeout_update(hs, c, 0);
    if (!c->busy && c->in.len) eddy__hs_process(hs, c); /* ended outside the callback */
}

/* The engine closed the connection. A request being handled keeps its
 * input (its spans point there) until its response ends. */
void eddy__hs_conn_gone(eddy_http_server_t *hs, hs_conn_t *c) {
    eddy__hs_conn_remove(hs, c);
    c->gone = 1;
    if (c->x && c->state == S_WAIT) {
        c->x->keep = c->in;
        eddy_buf_init(&c->in);
        c->x->resp.conn = NULL;
    } else if (c->x) {
        eddy__hs_exchange_put(hs, c->x);
    }
    c->x = NULL;
    if (!c->busy) eddy__hs_conn_free(c);
}
