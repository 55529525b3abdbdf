/*
 * Swoole\Http\Request in C: header lookup, body, query / form / cookie
 * params (parsed on first use into the exchange's arena), remote address.
 */
#include <stdio.h>
#include <string.h>

#include "http_server.h"

static hs_exchange_t *X(const eddy_http_request_t *req) { return req ? req->ctx : NULL; }

const char *eddy_http_request_header(const eddy_http_request_t *req, const char *name,
                                     size_t *len) {
    if (!X(req)) return NULL;
    const eddy_http_header_t *h = eddy_http_find_header(req, name, strlen(name));
    if (!h) return NULL;
    if (len) *len = h->value_len;
    return h->value;
}

const char *eddy_http_request_body(const eddy_http_request_t *req, size_t *len) {
    hs_exchange_t *x = X(req);
    if (!x) return NULL;
    if (len) *len = x->body_len;
    return x->body;
}

int eddy_http_request_fd(const eddy_http_request_t *req) {
    hs_exchange_t *x = X(req);
    return x ? x->resp.fd : EDDY_EINVAL;
}

double eddy_http_request_time(const eddy_http_request_t *req) {
    hs_exchange_t *x = X(req);
    return x ? x->time : 0;
}

int eddy_http_request_remote(const eddy_http_request_t *req, char *ip, size_t iplen, int *port) {
    hs_exchange_t *x = X(req);
    if (!x) return EDDY_EINVAL;
    eddy_http_server_t *hs = x->resp.hs;
    return hs->tp->remote(hs, x->resp.conn, x->resp.fd, ip, iplen, port);
}

/* ---- params ------------------------------------------------------------ */

static int is_form(const eddy_http_request_t *req) {
    static const char form[] = "application/x-www-form-urlencoded";
    size_t n;
    const char *ct = eddy_http_request_header(req, "content-type", &n);
    return ct && n >= sizeof(form) - 1 && eddy_http_name_eq(ct, sizeof(form) - 1, form,
                                                            sizeof(form) - 1);
}

/* Copies s[0..n) to the arena NUL-terminated, decoded unless raw; offset
 * of the copy, its length in *out_len; -1 if it does not decode. */
static ssize_t arena_put(eddy_buf_t *a, const char *s, size_t n, int raw, size_t *out_len) {
    size_t off = a->len;
    eddy_buf_append(a, s, n);
    ssize_t dl = raw ? (ssize_t)n : eddy_http_url_decode(a->data + off, n, EDDY_HTTP_DECODE_PLUS);
    if (dl < 0) {
        a->len = off;
        return -1;
    }
    a->len = off + (size_t)dl;
    eddy_buf_append(a, "", 1);
    *out_len = (size_t)dl;
    return (ssize_t)off;
}

typedef struct {
    size_t ko, kl, vo, vl;
} span_t;

#define COOKIE_LINES_MAX 16

/* The sources of one kind: the query, a form body, every Cookie line. */
static size_t sources(eddy_http_request_t *req, int kind, eddy_http_iter_t *its) {
    hs_exchange_t *x = X(req);
    size_t n = 0;
    if (kind == EDDY_HTTP_PARAM_GET) {
        eddy_http_query_iter_init(&its[n++], req->query, req->query ? req->query_len : 0);
    } else if (kind == EDDY_HTTP_PARAM_POST) {
        eddy_http_query_iter_init(&its[n++], x->body, is_form(req) ? x->body_len : 0);
    } else { /* every Cookie line (HTTP/2 gateways may split them) */
        for (size_t i = 0; i < req->num_headers && n < COOKIE_LINES_MAX; i++) {
            const eddy_http_header_t *h = &req->headers[i];
            if (eddy_http_name_eq(h->name, h->name_len, "cookie", 6))
                eddy_http_cookie_iter_init(&its[n++], h->value, h->value_len);
        }
    }
    return n;
}

/* multipart/form-data fields (http_upload.c), copied raw: the body
 * carried them unencoded. Returns the new count. */
static size_t upload_fields(hs_exchange_t *x, span_t **sp, size_t n, size_t *cap) {
    eddy_http_pair_t p;
    for (size_t i = 0; eddy__hs_upload_field(x->up, i, &p); i++) {
        span_t s;
        s.ko = (size_t)arena_put(&x->arena, p.key, p.key_len, 1, &s.kl);
        s.vo = (size_t)arena_put(&x->arena, p.value, p.value_len, 1, &s.vl);
        if (n == *cap) *sp = eddy_realloc(*sp, (*cap = *cap ? *cap * 2 : 8) * sizeof(**sp));
        (*sp)[n++] = s;
    }
    return n;
}

/* Every kind at once, decoded into the arena; pointers are taken only
 * after the last append (the arena moves while it grows), so the strings
 * handed out stay put for the life of the request. */
static void parse_all(eddy_http_request_t *req) {
    hs_exchange_t *x = X(req);
    span_t *sp = NULL;
    size_t n = 0, cap = 0, first[4];
    eddy_http_iter_t its[COOKIE_LINES_MAX];
    eddy_http_pair_t p;
    eddy_buf_clear(&x->arena);
    for (int kind = 0; kind < 3; kind++) {
        first[kind] = n;
        size_t nits = sources(req, kind, its);
        int raw = kind == EDDY_HTTP_PARAM_COOKIE;
        for (size_t i = 0; i < nits; i++)
            while (eddy_http_iter_next(&its[i], &p)) {
                span_t s;
                ssize_t ko = arena_put(&x->arena, p.key, p.key_len, raw, &s.kl);
                ssize_t vo = ko < 0 ? -1 : arena_put(&x->arena, p.value, p.value_len, raw, &s.vl);
                if (ko < 0 || vo < 0) continue;
                s.ko = (size_t)ko, s.vo = (size_t)vo;
                if (n == cap) sp = eddy_realloc(sp, (cap = cap ? cap * 2 : 8) * sizeof(*sp));
                sp[n++] = s;
            }
        if (kind == EDDY_HTTP_PARAM_POST) n = upload_fields(x, &sp, n, &cap);
    }
    first[3] = n;
    for (int kind = 0; kind < 3; kind++) {
        size_t k = first[kind + 1] - first[kind];
        x->params[kind] = eddy_realloc(x->params[kind], (k ? k : 1) * sizeof(eddy_http_pair_t));
        x->nparams[kind] = k;
        for (size_t i = 0; i < k; i++) {
            const span_t *s = &sp[first[kind] + i];
            x->params[kind][i] = (eddy_http_pair_t){x->arena.data + s->ko, s->kl,
                                                    x->arena.data + s->vo, s->vl};
        }
    }
    x->parsed = 1;
    eddy_free(sp);
}

const eddy_http_pair_t *eddy_http_request_params(eddy_http_request_t *req, int kind, size_t *n) {
    hs_exchange_t *x = X(req);
    if (!x || kind < 0 || kind > 2) return NULL;
    if (!x->parsed) parse_all(req);
    if (n) *n = x->nparams[kind];
    return x->params[kind];
}

const char *eddy_http_request_param(eddy_http_request_t *req, int kind, const char *name,
                                    size_t *len) {
    size_t n;
    const eddy_http_pair_t *p = eddy_http_request_params(req, kind, &n);
    size_t nl = strlen(name);
    for (size_t i = 0; p && i < n; i++)
        if (p[i].key_len == nl && memcmp(p[i].key, name, nl) == 0) {
            if (len) *len = p[i].value_len;
            return p[i].value;
        }
    return NULL;
}
