/*
 * The WebSocket server's attachment: it wraps an HTTP server (whose
 * requests it screens for handshakes and whose connections it takes over
 * after a 101), keeps this worker's frame state per connection, and the
 * handshake status of every connection in shared memory so that any
 * worker can tell whether a push may go out.
 */
#include <stdlib.h>
#include <string.h>

#include "http_server.h"
#include "ws_server.h"

/* ---- connection table (this worker's) ------------------------------------ */

static size_t bucket(const eddy_ws_server_t *ws, int fd) {
    return (size_t)(((uint32_t)fd * 2654435769u) >> 8) & (ws->nbuckets - 1);
}

static void table_grow(eddy_ws_server_t *ws) {
    size_t old = ws->nbuckets;
    ws_conn_t **ob = ws->buckets;
    ws->nbuckets = old ? old * 2 : 64;
    ws->buckets = eddy_calloc(ws->nbuckets, sizeof(*ws->buckets));
    for (size_t i = 0; i < old; i++)
        for (ws_conn_t *c = ob[i], *next; c; c = next) {
            next = c->hnext;
            size_t b = bucket(ws, c->fd);
            c->hnext = ws->buckets[b];
            ws->buckets[b] = c;
        }
    eddy_free(ob);
}

ws_conn_t *eddy__ws_conn_find(eddy_ws_server_t *ws, int fd) {
    if (!ws->nbuckets) return NULL;
    for (ws_conn_t *c = ws->buckets[bucket(ws, fd)]; c; c = c->hnext)
        if (c->fd == fd) return c;
    return NULL;
}

ws_conn_t *eddy__ws_conn_new(eddy_ws_server_t *ws, int fd) {
    if (ws->nconns >= ws->nbuckets) table_grow(ws);
    ws_conn_t *c = eddy_calloc(1, sizeof(*c));
    c->fd = fd;
    eddy_buf_init(&c->in);
    eddy_buf_init(&c->msg);
    size_t b = bucket(ws, fd);
    c->hnext = ws->buckets[b];
    ws->buckets[b] = c;
    ws->nconns++;
    return c;
}

void eddy__ws_conn_remove(eddy_ws_server_t *ws, ws_conn_t *c) {
    for (ws_conn_t **p = &ws->buckets[bucket(ws, c->fd)]; *p; p = &(*p)->hnext)
        if (*p == c) {
            *p = c->hnext;
            ws->nconns--;
            return;
        }
}

void eddy__ws_conn_free(ws_conn_t *c) {
    if (c->deflate) {
        eddy_ws_deflate_close(c->deflate);
        eddy_free(c->deflate);
    }
    eddy_buf_free(&c->in);
    eddy_buf_free(&c->msg);
    eddy_free(c);
}

/* ---- engine events --------------------------------------------------------- */

eddy_ws_server_t *eddy_ws_server_of(eddy_server_t *srv) {
    eddy_http_server_t *hs = eddy_server_data(srv);
    if (!hs || hs->upgrade.on_upgrade != eddy__ws_upgraded) return NULL;
    return hs->upgrade.data;
}

static void on_close(eddy_server_t *srv, int fd, int reactor_id) {
    eddy_ws_server_t *ws = eddy_ws_server_of(srv);
    (void)reactor_id;
    ws_conn_t *c = eddy__ws_conn_find(ws, fd);
    int was_ws = c && c->status >= EDDY_WS_STATUS_ACTIVE;
    if (c) {
        eddy__ws_status_clear(ws, fd);
        eddy__ws_conn_remove(ws, c);
        c->gone = 1;
        if (!c->busy) eddy__ws_conn_free(c);
    }
    if (!was_ws && ws->o.on_disconnect) ws->o.on_disconnect(ws, fd);
    else if (ws->o.on_close) ws->o.on_close(ws, fd);
}

static void on_worker_start(eddy_server_t *srv, int worker_id) {
    eddy_ws_server_t *ws = eddy_ws_server_of(srv);
    if (!eddy_server_is_task_worker(srv)) eddy__ws_table_worker_start(ws, worker_id);
    if (ws->user.on_worker_start) ws->user.on_worker_start(srv, worker_id);
}

/* Plain requests go to the user; handshakes are screened here. */
static int is_handshake(const eddy_http_request_t *req) {
    size_t n;
    const char *v = eddy_http_request_header(req, "upgrade", &n);
    if (!v) return 0;
    for (size_t i = 0; i + 9 <= n; i++)
        if (eddy_http_name_eq(v + i, 9, "websocket", 9)) return 1;
    return 0;
}

static void on_request(eddy_http_request_t *req, eddy_http_response_t *resp, void *data) {
    eddy_ws_server_t *ws = data;
    if (is_handshake(req)) {
        if (ws->o.on_handshake) ws->o.on_handshake(ws, req, resp);
        else eddy__ws_accept(ws, req, resp, 1);
        return;
    }
    if (ws->o.on_request) {
        ws->o.on_request(req, resp, ws->o.data);
        return;
    }
    /* No HTTP handler: nothing here but WebSockets. */
    eddy_http_response_status(resp, 400, NULL);
    eddy_http_response_end(resp, "<h1>400 Bad Request</h1>\n", 25);
}

/* ---- lifecycle --------------------------------------------------------------- */

int eddy_ws_server_new(eddy_ws_server_t **out, eddy_server_t *srv,
                       const eddy_ws_server_opts_t *opts) {
    *out = NULL;
    if (!opts || !opts->on_message) return EDDY_EINVAL;
    eddy_ws_server_t *ws = eddy_calloc(1, sizeof(*ws));
    ws->srv = srv;
    ws->o = *opts;
    ws->o.http = NULL; /* read by eddy_ws_server_new only: not kept */
    if (opts->subprotocol) ws->subprotocol = eddy_strdup(opts->subprotocol);
    ws->o.subprotocol = ws->subprotocol;
    if (opts->events) ws->user = *opts->events;
    eddy_buf_init(&ws->out);
    eddy_buf_init(&ws->zout);
    uint32_t max = eddy_server_config(srv)->package_max_length;
    ws->limits = (eddy_ws_limits_t){.role = EDDY_WS_SERVER, .max_frame_size = max,
                                    .max_message_size = max};
    eddy_server_events_t ev = ws->user;
    ev.on_close = on_close;
    ev.on_worker_start = on_worker_start;
    eddy_http_server_opts_t ho = {0};
    if (opts->http) ho = *opts->http;
    ho.on_request = on_request;
    ho.data = ws;
    ho.events = &ev;
    if (opts->header_max_size) ho.header_max_size = opts->header_max_size;
    /* The table first: once the HTTP server exists, srv's events point at
     * it, and a failure after that would leave them dangling. */
    int rc = eddy__ws_table_init(ws);
    if (rc == 0) rc = eddy_http_server_new(&ws->hs, srv, &ho);
    if (rc < 0) {
        eddy_ws_server_free(ws);
        return rc;
    }
    ws->hs->upgrade.data = ws;
    ws->hs->upgrade.on_upgrade = eddy__ws_upgraded;
    ws->hs->upgrade.on_data = eddy__ws_feed;
    *out = ws;
    return 0;
}

void eddy_ws_server_free(eddy_ws_server_t *ws) {
    if (!ws) return;
    for (size_t i = 0; i < ws->nbuckets; i++)
        for (ws_conn_t *c = ws->buckets[i], *next; c; c = next) {
            next = c->hnext;
            eddy__ws_conn_free(c);
        }
    eddy_free(ws->buckets);
    eddy__ws_table_free(ws);
    eddy_http_server_free(ws->hs);
    eddy_buf_free(&ws->out);
    eddy_buf_free(&ws->zout);
    eddy_free(ws->subprotocol);
    eddy_free(ws);
}

void *eddy_ws_server_data(const eddy_ws_server_t *ws) { return ws->o.data; }

eddy_server_t *eddy_ws_server_server(const eddy_ws_server_t *ws) { return ws->srv; }

eddy_http_server_t *eddy_ws_server_http(const eddy_ws_server_t *ws) { return ws->hs; }

int eddy_ws_exists(eddy_ws_server_t *ws, int fd) { return eddy_server_exists(ws->srv, fd); }
