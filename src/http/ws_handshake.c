/* WebSocket opening handshake (RFC 6455 section 4.2) and the
 * permessage-deflate offer negotiation (RFC 7692 section 7.1). */
#include <string.h>
#include <strings.h>

#include "eddy/websocket.h"
#include "http/ws_internal.h"

static int is_ows(char c) { return c == ' ' || c == '\t'; }

static void trim(const char **p, size_t *n) {
    while (*n && is_ows(**p)) (*p)++, (*n)--;
    while (*n && is_ows((*p)[*n - 1])) (*n)--;
}

/* 1 if the comma-separated list p[0..n) holds `token` (case-insensitive). */
static int list_has(const char *p, size_t n, const char *token) {
    size_t tl = strlen(token);
    while (n) {
        size_t i = 0;
        while (i < n && p[i] != ',') i++;
        const char *e = p;
        size_t el = i;
        trim(&e, &el);
        if (el == tl && strncasecmp(e, token, tl) == 0) return 1;
        if (i == n) break;
        p += i + 1;
        n -= i + 1;
    }
    return 0;
}

void eddy_ws_accept_key(const char *key, size_t key_len, char out[EDDY_WS_ACCEPT_LEN + 1]) {
    eddy__sha1_t s;
    uint8_t d[20];
    eddy__sha1_init(&s);
    eddy__sha1_update(&s, key, key_len);
    eddy__sha1_update(&s, EDDY_WS_GUID, sizeof(EDDY_WS_GUID) - 1);
    eddy__sha1_final(&s, d);
    eddy__base64_encode(d, sizeof(d), out);
}

int eddy_ws_handshake_check(const eddy_ws_upgrade_t *req, char accept[EDDY_WS_ACCEPT_LEN + 1]) {
    if (!req->upgrade || !list_has(req->upgrade, req->upgrade_len, "websocket"))
        return EDDY_EWS_PROTOCOL;
    if (!req->connection || !list_has(req->connection, req->connection_len, "upgrade"))
        return EDDY_EWS_PROTOCOL;
    if (!req->version) return EDDY_EWS_PROTOCOL;
    const char *v = req->version;
    size_t vl = req->version_len;
    trim(&v, &vl);
    if (vl != 2 || memcmp(v, "13", 2) != 0) return EDDY_EWS_VERSION;
    if (!req->key) return EDDY_EWS_PROTOCOL;
    const char *k = req->key;
    size_t kl = req->key_len;
    trim(&k, &kl);
    uint8_t raw[18];
    if (kl != 24 || eddy__base64_decode(k, kl, raw, sizeof(raw)) != 16) return EDDY_EWS_PROTOCOL;
    eddy_ws_accept_key(k, kl, accept);
    return 0;
}

void eddy_ws_handshake_response(eddy_buf_t *out, const char *accept, const char *extensions,
                                const char *protocol) {
    eddy_buf_appendf(out,
                     "HTTP/1.1 101 Switching Protocols\r\n"
                     "Upgrade: websocket\r\n"
                     "Connection: Upgrade\r\n"
                     "Sec-WebSocket-Accept: %s\r\n",
                     accept);
    if (extensions && *extensions) eddy_buf_appendf(out, "Sec-WebSocket-Extensions: %s\r\n", extensions);
    if (protocol && *protocol) eddy_buf_appendf(out, "Sec-WebSocket-Protocol: %s\r\n", protocol);
    eddy_buf_append(out, "\r\n", 2);
}

/* ---- Sec-WebSocket-Extensions (RFC 6455 section 9.1 grammar) ------------ */

typedef struct {
    const char *p;
    size_t n, i;
} lex_t;

static int is_tchar(char c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return 1;
    return c && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

static void skip_ows(lex_t *l) {
    while (l->i < l->n && is_ows(l->p[l->i])) l->i++;
}

static int peek(lex_t *l) { return l->i < l->n ? (unsigned char)l->p[l->i] : -1; }

/* A token into (s, len); 0 if there is none. */
static int token(lex_t *l, const char **s, size_t *len) {
    size_t b = l->i;
    while (l->i < l->n && is_tchar(l->p[l->i])) l->i++;
    *s = l->p + b;
    *len = l->i - b;
    return *len > 0;
}

/* token or quoted-string; the value is copied unquoted into v (truncated). */
static int param_value(lex_t *l, char *v, size_t cap) {
    size_t o = 0;
    if (peek(l) == '"') {
        l->i++;
        for (;;) {
            int c = peek(l);
            if (c < 0) return 0;
            l->i++;
            if (c == '"') break;
            if (c == '\\') {
                if ((c = peek(l)) < 0) return 0;
                l->i++;
            }
            if (o + 1 < cap) v[o++] = (char)c;
        }
    } else {
        const char *s;
        size_t len;
        if (!token(l, &s, &len)) return 0;
        for (size_t k = 0; k < len && o + 1 < cap; k++) v[o++] = s[k];
    }
    v[o] = '\0';
    return 1;
}

typedef struct {
    int snct, cnct, smwb, cmwb; /* -1 absent; smwb/cmwb: 0 = present without value */
    int bad;
} offer_t;

/* 8..15, no leading zero (RFC 7692 section 7.1.2); -1 otherwise. */
static int window_bits(const char *v) {
    if (strlen(v) == 1 && v[0] >= '8' && v[0] <= '9') return v[0] - '0';
    if (strlen(v) == 2 && v[0] == '1' && v[1] >= '0' && v[1] <= '5') return 10 + v[1] - '0';
    return -1;
}

static void offer_param(offer_t *o, const char *name, size_t nl, int has_value, const char *v) {
#define IS(s) (nl == sizeof(s) - 1 && strncasecmp(name, s, nl) == 0)
    int *slot;
    if (IS("server_no_context_takeover")) slot = &o->snct;
    else if (IS("client_no_context_takeover")) slot = &o->cnct;
    else if (IS("server_max_window_bits")) slot = &o->smwb;
    else if (IS("client_max_window_bits")) slot = &o->cmwb;
    else {
        o->bad = 1; /* unknown parameter: decline the offer (section 7.1) */
        return;
    }
#undef IS
    if (*slot != -1) o->bad = 1; /* duplicates decline the offer */
    if (slot == &o->snct || slot == &o->cnct) {
        if (has_value) o->bad = 1;
        *slot = 1;
    } else if (slot == &o->smwb) {
        int b = has_value ? window_bits(v) : -1;
        if (b < 0) o->bad = 1;
        *slot = b;
    } else {
        int b = has_value ? window_bits(v) : 0;
        if (b < 0) o->bad = 1;
        *slot = b;
    }
}

/* Parses one element "name *(; param)" up to the next top-level comma.
 * Returns 0 on a syntax error; *pmd tells whether it was permessage-deflate. */
static int parse_offer(lex_t *l, offer_t *o, int *pmd) {
    const char *name;
    size_t nl;
    o->snct = o->cnct = o->smwb = o->cmwb = -1;
    o->bad = 0;
    skip_ows(l);
    if (!token(l, &name, &nl)) return 0;
    *pmd = nl == 18 && strncasecmp(name, "permessage-deflate", 18) == 0;
    for (;;) {
        skip_ows(l);
        if (peek(l) != ';') break;
        l->i++;
        skip_ows(l);
        const char *pn;
        size_t pl;
        char v[16] = "";
        int has_value = 0;
        if (!token(l, &pn, &pl)) return 0;
        skip_ows(l);
        if (peek(l) == '=') {
            l->i++;
            skip_ows(l);
            if (!param_value(l, v, sizeof(v))) return 0;
            has_value = 1;
        }
        offer_param(o, pn, pl, has_value, v);
    }
    return peek(l) == ',' || peek(l) == -1;
}

static void accept_offer(const offer_t *o, const eddy_ws_deflate_params_t *want,
                         eddy_ws_deflate_params_t *out, eddy_buf_t *resp) {
    int cap = want && want->server_max_window_bits >= 9 ? want->server_max_window_bits : 15;
    out->server_no_context_takeover = o->snct == 1 || (want && want->server_no_context_takeover);
    out->client_no_context_takeover = o->cnct == 1 || (want && want->client_no_context_takeover);
    out->server_max_window_bits = (uint8_t)(o->smwb > 0 && o->smwb < cap ? o->smwb : cap);
    out->client_max_window_bits = (uint8_t)(o->cmwb > 0 ? o->cmwb : 15);
    eddy_buf_append(resp, "permessage-deflate", 18);
    if (out->server_no_context_takeover) eddy_buf_appendf(resp, "; server_no_context_takeover");
    if (out->client_no_context_takeover) eddy_buf_appendf(resp, "; client_no_context_takeover");
    if (o->smwb > 0 || out->server_max_window_bits < 15)
        eddy_buf_appendf(resp, "; server_max_window_bits=%d", out->server_max_window_bits);
}

int eddy__ws_request_check(const eddy_http_request_t *req, char accept[EDDY_WS_ACCEPT_LEN + 1]) {
    /* Section 4.1: the handshake is a GET. */
    if (req->method_len != 3 || memcmp(req->method, "GET", 3) != 0) return EDDY_EWS_PROTOCOL;
    eddy_ws_upgrade_t u;
    u.upgrade = eddy_http_request_header(req, "upgrade", &u.upgrade_len);
    u.connection = eddy_http_request_header(req, "connection", &u.connection_len);
    u.version = eddy_http_request_header(req, "sec-websocket-version", &u.version_len);
    u.key = eddy_http_request_header(req, "sec-websocket-key", &u.key_len);
    return eddy_ws_handshake_check(&u, accept);
}

int eddy_ws_deflate_negotiate(const char *value, size_t len, const eddy_ws_deflate_params_t *want,
                              eddy_ws_deflate_params_t *out, eddy_buf_t *resp) {
    lex_t l = {value, value ? len : 0, 0};
    while (l.i < l.n) {
        offer_t o;
        int pmd = 0;
        if (!parse_offer(&l, &o, &pmd)) return 0; /* malformed header: decline all */
        /* zlib cannot produce a raw deflate stream with an 8-bit window
         * (deflateInit2 refuses -8), so an offer capping us at 8 is declined
         * and the client may fall back to its next offer. */
        if (pmd && !o.bad && o.smwb != 8) {
            accept_offer(&o, want, out, resp);
            return 1;
        }
        if (peek(&l) == ',') l.i++;
    }
    return 0;
}
