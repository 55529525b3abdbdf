/*
 * Response trailer fields (RFC 9112 7.1.2, RFC 9110 6.5): fields sent after
 * the last chunk of a chunked body, for what is known only once the body
 * has gone (a checksum, gRPC's grpc-status). Swoole documents trailer() for
 * HTTP/2; over HTTP/1.1 the only place for them is the chunked coding's
 * trailer section, so a response with trailers is always sent chunked.
 */
#include <string.h>

#include "http_server.h"
#include "internal.h"

#define X_OF(p) ((hs_exchange_t *)((char *)(p) - offsetof(hs_exchange_t, resp)))

static int no_body_status(int s) { return s / 100 == 1 || s == 204 || s == 304; }

/* Fields a trailer may not carry because they frame or route the message
 * (RFC 9110 6.5.1): a recipient would have had to know them from the head. */
static int forbidden(const char *name, size_t n) {
    static const char *const names[] = {"content-length", "transfer-encoding", "trailer",
                                        "host", "content-encoding", "content-type",
                                        "content-range", "connection", "te", NULL};
    for (size_t i = 0; names[i]; i++)
        if (eddy_http_name_eq(name, n, names[i], strlen(names[i]))) return 1;
    return 0;
}

static int valid(const char *name, const char *value) {
    size_t n = strlen(name);
    if (n == 0 || forbidden(name, n)) return 0;
    for (size_t i = 0; i < n; i++)
        if (!eddy__http_tchar((unsigned char)name[i])) return 0;
    return !value || strpbrk(value, "\r\n") == NULL;
}

int eddy_http_response_trailer(eddy_http_response_t *r, const char *name, const char *value) {
    if (!r->conn) return EDDY_ESESSION_CLOSED;
    /* No chunked coding, no trailer section: an HTTP/1.0 peer, a HEAD
     * request, a body already framed by length. */
    if (X_OF(r)->req.version_minor == 0 || r->is_head || (r->head_sent && !r->chunked))
        return EDDY_EWRONG_OP;
    if (!name || !valid(name, value)) return EDDY_EINVAL;
    size_t nl = strlen(name);
    for (size_t i = 0; i < r->ntrl; i++)
        if (eddy_http_name_eq(r->strs.data + r->trl[i].no, r->trl[i].nl, name, nl))
            r->trl[i].dead = 1;
    if (!value) return 0;
    if (r->ntrl == r->trl_cap) {
        r->trl_cap = r->trl_cap ? r->trl_cap * 2 : 4;
        r->trl = eddy_realloc(r->trl, r->trl_cap * sizeof(*r->trl));
    }
    hs_hdr_t *t = &r->trl[r->ntrl++];
    t->nl = nl;
    t->vl = strlen(value);
    t->dead = 0;
    t->no = r->strs.len;
    eddy_buf_append(&r->strs, name, nl + 1);
    /* Swoole sends trailer names lower-cased (HTTP/2 requires it; HTTP/1.1
     * does not care), and so do we: one spelling whatever the version. */
    for (size_t i = 0; i < nl; i++) {
        char *ch = r->strs.data + t->no + i;
        if (*ch >= 'A' && *ch <= 'Z') *ch = (char)(*ch - 'A' + 'a');
    }
    t->vo = r->strs.len;
    eddy_buf_append(&r->strs, value, t->vl + 1);
    return 0;
}

size_t eddy__hs_trailer_count(const eddy_http_response_t *r) {
    size_t n = 0;
    for (size_t i = 0; i < r->ntrl; i++) n += !r->trl[i].dead;
    return n;
}

int eddy__hs_trailer_stream(const eddy_http_response_t *r) {
    return eddy__hs_trailer_count(r) > 0 && !no_body_status(r->status) && !r->is_head &&
           X_OF(r)->req.version_minor > 0;
}

/* RFC 9110 6.6.2: a sender that means to send trailer fields SHOULD list
 * them in a Trailer header, so that a recipient can tell what to expect. */
int eddy__hs_trailer_announce(eddy_http_response_t *r) {
    if (!eddy__hs_trailer_count(r)) return 0;
    eddy_buf_t names;
    eddy_buf_init(&names);
    for (size_t i = 0; i < r->ntrl; i++) {
        if (r->trl[i].dead) continue;
        if (names.len) eddy_buf_append(&names, ", ", 2);
        eddy_buf_append(&names, r->strs.data + r->trl[i].no, r->trl[i].nl);
    }
    int rc = eddy_http_response_header(r, "Trailer", names.data);
    eddy_buf_free(&names);
    return rc;
}

void eddy__hs_trailer_end(const eddy_http_response_t *r, eddy_buf_t *out) {
    if (!eddy__hs_trailer_count(r)) {
        eddy_http_chunk_end(out);
        return;
    }
    eddy_buf_append(out, "0\r\n", 3);
    for (size_t i = 0; i < r->ntrl; i++) {
        const hs_hdr_t *t = &r->trl[i];
        if (t->dead) continue;
        eddy_buf_append(out, r->strs.data + t->no, t->nl);
        eddy_buf_append(out, ": ", 2);
        eddy_buf_append(out, r->strs.data + t->vo, t->vl);
        eddy_buf_append(out, "\r\n", 2);
    }
    eddy_buf_append(out, "\r\n", 2);
}
