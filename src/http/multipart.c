/*
 * multipart/form-data parser (RFC 7578 over RFC 2046 5.1 framing): a byte
 * state machine that never buffers part data. The delimiter search keeps
 * only a count of matched delimiter bytes: a boundary cannot contain CR
 * (bchars exclude it), so a failed partial match can never hide the start
 * of another delimiter past its first byte, and the matched bytes are
 * replayed from `delim` itself. The only buffered text is one part's header
 * block, bounded by head_max.
 */
#include <stddef.h>
#include <string.h>

#include "eddy/http.h"
#include "internal.h"

enum {
    ST_DELIM,      /* looking for a delimiter (preamble or part data) */
    ST_AFTER,      /* just after a delimiter: padding, CRLF or "--" */
    ST_PAD,        /* transport padding, then CRLF */
    ST_PAD_LF,     /* CR seen after a delimiter */
    ST_CLOSE_DASH, /* first '-' of "--" seen */
    ST_HEAD,       /* a part's header block */
    ST_DONE,       /* closing delimiter seen: epilogue */
    ST_ERROR
};

/* ---- boundary ---------------------------------------------------------- */

/* RFC 2046 5.1.1 bchars: DIGIT / ALPHA / "'()+_,-./:=?" / SP (not last). */
static int bchar(unsigned char c) {
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return 1;
    return c != 0 && strchr("'()+_,-./:=? ", c) != NULL;
}

static int boundary_ok(const char *b, size_t n) {
    if (n == 0 || n > EDDY_HTTP_MULTIPART_BOUNDARY_MAX || b[n - 1] == ' ') return 0;
    for (size_t i = 0; i < n; i++)
        if (!bchar((unsigned char)b[i])) return 0;
    return 1;
}

static const char *skip_ows(const char *p, const char *end) {
    while (p < end && eddy__http_ows((unsigned char)*p)) p++;
    return p;
}

static const char *skip_token(const char *p, const char *end) {
    while (p < end && eddy__http_tchar((unsigned char)*p)) p++;
    return p;
}

/* One ";" name "=" value parameter of a Content-Type. Returns the position
 * after it, or NULL when malformed. Quoted values are returned without
 * their quotes and may not hold escapes (a boundary never needs one). */
static const char *ctype_param(const char *p, const char *end, const char **k, size_t *kl,
                               const char **v, size_t *vl) {
    p = skip_ows(p, end);
    if (p == end || *p != ';') return NULL;
    p = skip_ows(p + 1, end);
    *k = p;
    p = skip_token(p, end);
    *kl = (size_t)(p - *k);
    if (!*kl || p == end || *p != '=') return NULL;
    p++;
    if (p < end && *p == '"') {
        *v = ++p;
        while (p < end && *p != '"' && *p != '\\') p++;
        if (p == end || *p != '"') return NULL;
        *vl = (size_t)(p - *v);
        return p + 1;
    }
    *v = p;
    p = skip_token(p, end);
    *vl = (size_t)(p - *v);
    return *vl ? p : NULL;
}

int eddy_http_multipart_boundary(const char *ctype, size_t len, const char **b, size_t *blen) {
    static const char mt[] = "multipart/form-data";
    const char *p = skip_ows(ctype, ctype + len), *end = ctype + len;
    while (end > p && eddy__http_ows((unsigned char)end[-1])) end--;
    size_t ml = sizeof(mt) - 1;
    if ((size_t)(end - p) < ml || !eddy_http_name_eq(p, ml, mt, ml)) return 0;
    p += ml;
    if (p < end && *p != ';' && !eddy__http_ows((unsigned char)*p)) return 0; /* form-dataX */
    const char *k, *v, *found = NULL;
    size_t kl, vl, fl = 0;
    while (p < end) {
        p = ctype_param(p, end, &k, &kl, &v, &vl);
        if (!p) return EDDY_EHTTP_MULTIPART_BOUNDARY;
        if (!eddy_http_name_eq(k, kl, "boundary", 8)) continue;
        if (found) return EDDY_EHTTP_MULTIPART_BOUNDARY;
        found = v, fl = vl;
    }
    if (!found || !boundary_ok(found, fl)) return EDDY_EHTTP_MULTIPART_BOUNDARY;
    *b = found;
    *blen = fl;
    return 1;
}

int eddy_http_multipart_init(eddy_http_multipart_t *m, const char *boundary, size_t len,
                             const eddy_http_multipart_cb_t *cb, void *arg) {
    if (!boundary_ok(boundary, len)) return EDDY_EHTTP_MULTIPART_BOUNDARY;
    memset(m, 0, offsetof(eddy_http_multipart_t, head));
    m->head_max = EDDY_HTTP_MULTIPART_HEAD_MAX;
    m->cb = cb;
    m->arg = arg;
    memcpy(m->delim, "\r\n--", 4);
    memcpy(m->delim + 4, boundary, len);
    m->dlen = 4 + len;
    m->state = ST_DELIM;
    m->match = 2; /* the body's start counts as a line start: "--b" may open it */
    return 0;
}

/* ---- part headers ------------------------------------------------------ */

typedef struct {
    char *s;
    size_t n;
} span_t;

/* A Content-Disposition parameter value at *pp: token (bytes >= 0x80
 * allowed) or quoted string, whose escapes are undone in place. */
static int disp_value(char **pp, char *end, span_t *out) {
    char *p = *pp;
    if (p < end && *p == '"') {
        char *w = ++p;
        out->s = w;
        for (;;) {
            if (p == end) return -1;
            unsigned char c = (unsigned char)*p;
            if (c == '"') break;
            if (c == '\\' && p + 1 < end) c = (unsigned char)*++p;
            if (c < 0x20 && c != '\t') return -1;
            *w++ = (char)c;
            p++;
        }
        out->n = (size_t)(w - out->s);
        *pp = p + 1;
        return 0;
    }
    out->s = p;
    while (p < end && (eddy__http_tchar((unsigned char)*p) || (unsigned char)*p >= 0x80)) p++;
    out->n = (size_t)(p - out->s);
    *pp = p;
    return out->n ? 0 : -1;
}

/* Content-Disposition: form-data; name=...; filename=... */
static int disposition(char *p, char *end, span_t *name, span_t *file) {
    char *t = p;
    p = (char *)skip_token(p, end);
    if (!eddy_http_name_eq(t, (size_t)(p - t), "form-data", 9)) return -1;
    for (;;) {
        p = (char *)skip_ows(p, end);
        if (p == end) break;
        if (*p != ';') return -1;
        p = (char *)skip_ows(p + 1, end);
        char *k = p;
        p = (char *)skip_token(p, end);
        size_t kl = (size_t)(p - k);
        p = (char *)skip_ows(p, end);
        if (!kl || p == end || *p != '=') return -1;
        p = (char *)skip_ows(p + 1, end);
        span_t v;
        if (disp_value(&p, end, &v) < 0) return -1;
        span_t *dst = eddy_http_name_eq(k, kl, "name", 4)       ? name
                      : eddy_http_name_eq(k, kl, "filename", 8) ? file
                                                                : NULL;
        if (!dst) continue; /* filename* and unknown parameters */
        if (dst->s) return -1;
        *dst = v;
    }
    return name->s ? 0 : -1;
}

/* One "Name: value" line [p, end): name and trimmed value, or -1. */
static int header_line(char *p, char *end, span_t *k, span_t *v) {
    k->s = p;
    p = (char *)skip_token(p, end);
    k->n = (size_t)(p - k->s);
    if (!k->n || p == end || *p != ':') return -1;
    p = (char *)skip_ows(p + 1, end);
    while (end > p && eddy__http_ows((unsigned char)end[-1])) end--;
    for (char *q = p; q < end; q++)
        if (!(eddy__http_class[(unsigned char)*q] & EDDY__HTTP_VCHAR)) return -1;
    v->s = p;
    v->n = (size_t)(end - p);
    return 0;
}

static void set_part(eddy_http_multipart_part_t *part, span_t n, span_t f, span_t ct) {
    part->name = n.s, part->name_len = n.n;
    part->filename = f.s, part->filename_len = f.n;
    part->content_type = ct.s, part->content_type_len = ct.n;
    /* NUL-terminate only now: every span is parsed, and each is followed
     * by a byte that was consumed (quote, delimiter, OWS or CR). */
    n.s[n.n] = 0;
    if (f.s) f.s[f.n] = 0;
    if (ct.s) ct.s[ct.n] = 0;
}

/* The whole header block head[0..hlen) ends with CRLF CRLF. */
static int parse_head(eddy_http_multipart_t *m) {
    char *p = m->head, *end = m->head + m->hlen - 2; /* up to the last line's CRLF */
    span_t name = {0}, file = {0}, ct = {0};
    int seen = 0;
    while (p < end) {
        char *eol = memchr(p, '\r', (size_t)(end - p));
        if (!eol || eol[1] != '\n') return EDDY_EHTTP_MULTIPART_SYNTAX;
        span_t k, v;
        if (memchr(p, '\n', (size_t)(eol - p)) || header_line(p, eol, &k, &v) < 0)
            return EDDY_EHTTP_MULTIPART_SYNTAX; /* bare LF, obs-fold, bad name/value */
        if (eddy_http_name_eq(k.s, k.n, "content-disposition", 19)) {
            if (seen++ || disposition(v.s, v.s + v.n, &name, &file) < 0)
                return EDDY_EHTTP_MULTIPART_DISPOSITION;
        } else if (eddy_http_name_eq(k.s, k.n, "content-type", 12)) {
            if (ct.s) return EDDY_EHTTP_MULTIPART_SYNTAX;
            ct = v;
        }
        p = eol + 2;
    }
    if (!seen) return EDDY_EHTTP_MULTIPART_DISPOSITION;
    set_part(&m->part, name, file, ct);
    return 0;
}

/* ---- state machine ----------------------------------------------------- */

static int fail(eddy_http_multipart_t *m, int rc) {
    m->state = ST_ERROR;
    m->err = rc;
    return rc;
}

/* Part data (or preamble, dropped) out to the callback. */
static int emit(eddy_http_multipart_t *m, int in_part, const char *p, size_t n) {
    if (!n || !in_part) return 0;
    m->data_size += n;
    return m->cb && m->cb->on_data ? m->cb->on_data(m->arg, p, n) : 0;
}

/* ST_DELIM over [*pp, end): emits data up to a delimiter. 1 when a whole
 * delimiter was matched (*pp after it), 0 when the input ran out, or a
 * callback's error. in_part: after the first delimiter (else preamble). */
static int scan(eddy_http_multipart_t *m, const char **pp, const char *end, int in_part) {
    const char *p = *pp, *run = p; /* run: unemitted data not in the match */
    int rc;
    while (p < end) {
        if (m->match == 0) {
            const char *cr = memchr(p, '\r', (size_t)(end - p));
            if (!cr) {
                p = end;
                break;
            }
            if ((rc = emit(m, in_part, run, (size_t)(cr - run))) < 0) return rc;
            m->match = 1;
            p = run = cr + 1;
            continue;
        }
        if (*p == m->delim[m->match]) {
            p++;
            run = p;
            if (++m->match == m->dlen) {
                m->match = 0;
                *pp = p;
                return 1;
            }
            continue;
        }
        /* Mismatch: the matched bytes were data after all; p is looked at
         * again from a fresh start (it may be the CR of a delimiter). */
        if ((rc = emit(m, in_part, m->delim, m->match)) < 0) return rc;
        m->match = 0;
        run = p;
    }
    if (m->match == 0 && (rc = emit(m, in_part, run, (size_t)(p - run))) < 0) return rc;
    *pp = p;
    return 0;
}

/* Header bytes until CRLF CRLF; 1 when the block is whole. */
static int head_bytes(eddy_http_multipart_t *m, const char **pp, const char *end) {
    const char *p = *pp;
    size_t max = m->head_max < EDDY_HTTP_MULTIPART_HEAD_MAX ? m->head_max
                                                            : EDDY_HTTP_MULTIPART_HEAD_MAX;
    while (p < end) {
        if (m->hlen >= max) return EDDY_EHTTP_MULTIPART_HEADERS_TOO_LARGE;
        m->head[m->hlen++] = *p++;
        if (m->hlen == 2 && memcmp(m->head, "\r\n", 2) == 0)
            return EDDY_EHTTP_MULTIPART_DISPOSITION; /* a part without headers */
        if (m->hlen >= 4 && memcmp(m->head + m->hlen - 4, "\r\n\r\n", 4) == 0) {
            *pp = p;
            return 1;
        }
    }
    *pp = p;
    return 0;
}

static int part_begin(eddy_http_multipart_t *m) {
    int rc = parse_head(m);
    if (rc < 0) return rc;
    m->data_size = 0;
    m->state = ST_DELIM;
    m->match = 0;
    return m->cb && m->cb->on_part ? m->cb->on_part(m->arg, &m->part) : 0;
}

/* A delimiter ended: the part before it (if any) is over. */
static int delim_seen(eddy_http_multipart_t *m) {
    int in_part = m->hlen != 0;
    m->state = ST_AFTER;
    if (in_part && m->cb && m->cb->on_part_end) return m->cb->on_part_end(m->arg);
    return 0;
}

/* One byte in the small states after a delimiter. */
static int after_byte(eddy_http_multipart_t *m, char c) {
    switch (m->state) {
    case ST_AFTER:
        if (c == '-') return m->state = ST_CLOSE_DASH, 0;
        /* fallthrough */
    case ST_PAD:
        if (c == ' ' || c == '\t') return m->state = ST_PAD, 0;
        if (c == '\r') return m->state = ST_PAD_LF, 0;
        return EDDY_EHTTP_MULTIPART_SYNTAX;
    case ST_PAD_LF:
        if (c != '\n') return EDDY_EHTTP_MULTIPART_SYNTAX;
        m->hlen = 0;
        return m->state = ST_HEAD, 0;
    default: /* ST_CLOSE_DASH */
        if (c != '-') return EDDY_EHTTP_MULTIPART_SYNTAX;
        return m->state = ST_DONE, 0;
    }
}

int eddy_http_multipart_feed(eddy_http_multipart_t *m, const char *data, size_t len) {
    const char *p = data, *end = data + len;
    int rc;
    while (p < end && m->state != ST_DONE && m->state != ST_ERROR) {
        if (m->state == ST_DELIM) {
            /* hlen is 0 only before the first part: the preamble */
            int in_part = m->hlen != 0;
            if ((rc = scan(m, &p, end, in_part)) < 0) return fail(m, rc);
            if (rc == 1 && (rc = delim_seen(m)) < 0) return fail(m, rc);
        } else if (m->state == ST_HEAD) {
            if ((rc = head_bytes(m, &p, end)) < 0) return fail(m, rc);
            if (rc == 1 && (rc = part_begin(m)) < 0) return fail(m, rc);
        } else if ((rc = after_byte(m, *p++)) < 0) {
            return fail(m, rc);
        }
    }
    if (m->state == ST_ERROR) return m->err;
    return m->state == ST_DONE;
}

int eddy_http_multipart_finish(const eddy_http_multipart_t *m) {
    if (m->state == ST_ERROR) return m->err;
    return m->state == ST_DONE ? 0 : EDDY_EHTTP_MULTIPART_TRUNCATED;
}

const char *eddy_http_multipart_strerror(int code) {
    switch (code) {
    case EDDY_EHTTP_MULTIPART_BOUNDARY: return "multipart: missing or invalid boundary";
    case EDDY_EHTTP_MULTIPART_SYNTAX: return "multipart: malformed delimiter or part header";
    case EDDY_EHTTP_MULTIPART_DISPOSITION:
        return "multipart: part without Content-Disposition form-data and a name";
    case EDDY_EHTTP_MULTIPART_HEADERS_TOO_LARGE: return "multipart: part headers too large";
    case EDDY_EHTTP_MULTIPART_TRUNCATED: return "multipart: body ended before the closing boundary";
    default: return eddy_http_strerror(code);
    }
}
