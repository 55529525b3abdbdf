/*
 * The HTTP server's attachment to the server engine: it takes the engine's
 * receive path (no framing: raw bytes), keeps per-connection state in a
 * per-worker table keyed by session id (the same code serves BASE and
 * PROCESS modes, whose ids differ in shape), and pools request/response
 * exchanges so a keep-alive request allocates nothing but its input.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http_server.h"

static eddy_http_server_t *HS(eddy_server_t *srv) { return eddy_server_data(srv); }

/* ---- connection table --------------------------------------------------- */

static size_t bucket(const eddy_http_server_t *hs, int fd) {
    /* Fibonacci hashing: BASE ids share their low (fd) bits' pattern. */
    return (size_t)(((uint32_t)fd * 2654435769u) >> 8) & (hs->nbuckets - 1);
}

static void table_grow(eddy_http_server_t *hs) {
    size_t old = hs->nbuckets;
    hs_conn_t **ob = hs->buckets;
    hs->nbuckets = old ? old * 2 : 256;
    hs->buckets = eddy_calloc(hs->nbuckets, sizeof(*hs->buckets));
    for (size_t i = 0; i < old; i++)
        for (hs_conn_t *c = ob[i], *next; c; c = next) {
            next = c->hnext;
            size_t b = bucket(hs, c->fd);
            c->hnext = hs->buckets[b];
            hs->buckets[b] = c;
        }
    eddy_free(ob);
}

hs_conn_t *eddy__hs_conn_find(eddy_http_server_t *hs, int fd) {
    if (!hs->nbuckets) return NULL;
    for (hs_conn_t *c = hs->buckets[bucket(hs, fd)]; c; c = c->hnext)
        if (c->fd == fd) return c;
    return NULL;
}

static hs_conn_t *conn_new(eddy_http_server_t *hs, int fd) {
    if (hs->nconns >= hs->nbuckets) table_grow(hs);
    hs_conn_t *c = eddy_calloc(1, sizeof(*c));
    c->fd = fd;
    eddy_buf_init(&c->in);
    eddy_buf_init(&c->pending);
    size_t b = bucket(hs, fd);
    c->hnext = hs->buckets[b];
    hs->buckets[b] = c;
    hs->nconns++;
    eddy__hs_timeout_update(hs, c, 0);
    return c;
}

void eddy__hs_conn_remove(eddy_http_server_t *hs, hs_conn_t *c) {
    if (!hs->nbuckets) return; /* a coroutine server's connections are not in the table */
    for (hs_conn_t **p = &hs->buckets[bucket(hs, c->fd)]; *p; p = &(*p)->hnext)
        if (*p == c) {
            *p = c->hnext;
            hs->nconns--;
            return;
        }
}

void eddy__hs_conn_free(hs_conn_t *c) {
    eddy_buf_free(&c->in);
    eddy_buf_free(&c->pending);
    eddy_free(c);
}

/* ---- exchange pool ----------------------------------------------------- */

hs_exchange_t *eddy__hs_exchange_get(eddy_http_server_t *hs) {
    hs_exchange_t *x = hs->free_x;
    if (x) {
        hs->free_x = x->next_free;
        hs->nfree--;
    } else {
        x = eddy_calloc(1, sizeof(*x));
        eddy_buf_init(&x->arena);
        eddy_buf_init(&x->keep);
        eddy_buf_init(&x->resp.strs);
    }
    x->parsed = 0;
    x->body = "";
    x->body_len = 0;
    x->resp.hs = hs;
    x->resp.status = 200;
    x->resp.reason_len = 0;
    x->resp.nhdrs = 0;
    x->resp.head_sent = x->resp.chunked = x->resp.close = 0;
    x->resp.is_head = x->resp.has_ctype = 0;
    x->resp.compress = -1; /* follow the server's http_compression */
    x->resp.ntrl = 0;
    x->resp.created = 0;
    return x;
}

static void exchange_free(hs_exchange_t *x) {
    eddy_buf_free(&x->arena);
    eddy_buf_free(&x->keep);
    eddy_buf_free(&x->resp.strs);
    for (int k = 0; k < 3; k++) eddy_free(x->params[k]);
    eddy_free(x->resp.hdrs);
    eddy_free(x->resp.trl);
    eddy_free(x);
}

void eddy__hs_exchange_put(eddy_http_server_t *hs, hs_exchange_t *x) {
    eddy__hs_file_release(x);
    x->req.ctx = NULL; /* a stale req pointer is refused by the accessors */
    eddy__hs_upload_free(x->up); /* unlinks the request's temp files */
    x->up = NULL;
    eddy__hs_compress_release(&x->resp);
    eddy_buf_free(&x->keep);
    eddy_buf_clear(&x->arena);
    eddy_buf_clear(&x->resp.strs);
    x->resp.conn = NULL;
    if (hs->nfree >= HS_FREE_MAX || x->arena.cap > 65536 || x->resp.strs.cap > 65536) {
        exchange_free(x);
        return;
    }
    x->next_free = hs->free_x;
    hs->free_x = x;
    hs->nfree++;
}

/* ---- transport: the server engine's sessions ---------------------------- */

static int engine_send(eddy_http_server_t *hs, hs_conn_t *c, int fd, const void *p, size_t len) {
    (void)c;
    return eddy_server_send(hs->srv, fd, p, len);
}

static void engine_close(eddy_http_server_t *hs, hs_conn_t *c, int fd) {
    (void)c;
    eddy_server_close_linger(hs->srv, fd);
}

static int engine_remote(eddy_http_server_t *hs, hs_conn_t *c, int fd, char *ip, size_t iplen,
                         int *port) {
    eddy_server_client_info_t info;
    (void)c;
    int rc = eddy_server_client_info(hs->srv, fd, &info);
    if (rc < 0) return rc;
    if (ip && iplen) snprintf(ip, iplen, "%s", info.remote_ip);
    if (port) *port = info.remote_port;
    return 0;
}

static const hs_transport_t engine_transport = {engine_send, engine_close, engine_remote, NULL};

int eddy__hs_send(eddy_http_server_t *hs, hs_conn_t *c, int fd, const void *p, size_t len) {
    return hs->tp->send(hs, c, fd, p, len);
}

void eddy__hs_close(eddy_http_server_t *hs, hs_conn_t *c, int fd) { hs->tp->close(hs, c, fd); }

/* ---- engine events ----------------------------------------------------- */

static void on_receive(eddy_server_t *srv, int fd, int reactor_id, const char *data, size_t len) {
    eddy_http_server_t *hs = HS(srv);
    (void)reactor_id;
    hs_conn_t *c = eddy__hs_conn_find(hs, fd);
    if (!c) c = conn_new(hs, fd);
    eddy__hs_feed(hs, c, data, len);
}

static void on_connect(eddy_server_t *srv, int fd, int reactor_id) {
    eddy_http_server_t *hs = HS(srv);
    /* Known from the accept, so that a client sending nothing times out. */
    if (!eddy__hs_conn_find(hs, fd)) conn_new(hs, fd);
    if (hs->user.on_connect) hs->user.on_connect(srv, fd, reactor_id);
}

static void on_close(eddy_server_t *srv, int fd, int reactor_id) {
    eddy_http_server_t *hs = HS(srv);
    hs_conn_t *c = eddy__hs_conn_find(hs, fd);
    if (c) eddy__hs_conn_gone(hs, c);
    if (hs->user.on_close) hs->user.on_close(srv, fd, reactor_id);
}

/* The deadline sweep runs in workers only, and stops when a worker
 * begins to stop: the drain waits for user timers to end. */
static void on_worker_start(eddy_server_t *srv, int worker_id) {
    eddy_http_server_t *hs = HS(srv);
    if (!eddy_server_is_task_worker(srv)) eddy__hs_timeout_start(hs);
    if (hs->user.on_worker_start) hs->user.on_worker_start(srv, worker_id);
}

static void on_worker_exit(eddy_server_t *srv, int worker_id) {
    eddy_http_server_t *hs = HS(srv);
    eddy__hs_timeout_stop(hs);
    if (hs->user.on_worker_exit) hs->user.on_worker_exit(srv, worker_id);
}

static void on_worker_stop(eddy_server_t *srv, int worker_id) {
    eddy_http_server_t *hs = HS(srv);
    eddy__hs_timeout_stop(hs);
    if (hs->user.on_worker_stop) hs->user.on_worker_stop(srv, worker_id);
}

/* ---- lifecycle --------------------------------------------------------- */

static int check_server(eddy_server_t *srv) {
    const eddy_server_config_t *cfg = eddy_server_config(srv);
    if (cfg->open_eof_check || cfg->open_eof_split || cfg->open_length_check) {
        eddy_log_error("http server: framing options (open_eof_check, open_length_check) "
                       "cannot be used: the HTTP server parses the stream itself");
        return EDDY_EINVAL;
    }
    if (eddy_server_mode(srv) == EDDY_SERVER_PROCESS &&
        (cfg->dispatch_mode == EDDY_DISPATCH_ROUND || cfg->dispatch_mode == EDDY_DISPATCH_IDLE)) {
        eddy_log_error("http server: PROCESS mode needs dispatch_mode 2, 4 or 5 (got %u): "
                       "a connection's bytes must reach one worker",
                       cfg->dispatch_mode);
        return EDDY_EINVAL;
    }
    return 0;
}

int eddy__hs_create(eddy_http_server_t **out, const eddy_http_server_opts_t *opts,
                    uint64_t body_max) {
    int rc;
    *out = NULL;
    eddy_http_server_t *hs = eddy_calloc(1, sizeof(*hs));
    hs->on_request = opts->on_request;
    hs->data = opts->data;
    eddy_http_parser_opts_init(&hs->popts);
    if (opts->header_max_size) hs->popts.header_max_size = opts->header_max_size;
    hs->popts.body_max_size = body_max;
    hs->upload_tmp_dir = eddy_strdup(opts->upload_tmp_dir ? opts->upload_tmp_dir : "/tmp");
    hs->upload_max_filesize = opts->upload_max_filesize;
    eddy__hs_timeout_init(hs, opts);
    eddy_buf_init(&hs->out);
    rc = eddy__hs_static_new(hs, opts);
    if (rc < 0) {
        eddy_http_server_free(hs);
        return rc;
    }
    rc = eddy__hs_compress_new(hs, opts);
    if (rc < 0) {
        eddy_http_server_free(hs);
        return rc;
    }
    *out = hs;
    return 0;
}

int eddy_http_server_new(eddy_http_server_t **out, eddy_server_t *srv,
                         const eddy_http_server_opts_t *opts) {
    *out = NULL;
    if (!opts || !opts->on_request) return EDDY_EINVAL;
    int rc = check_server(srv);
    if (rc < 0) return rc;
    eddy_http_server_t *hs;
    rc = eddy__hs_create(&hs, opts, eddy_server_config(srv)->package_max_length);
    if (rc < 0) return rc;
    eddy_server_require_raw_stream(srv); /* framing set later is refused at start */
    hs->srv = srv;
    hs->tp = &engine_transport;
    if (opts->events) hs->user = *opts->events;
    eddy_server_events_t ev = hs->user;
    ev.data = hs;
    ev.on_receive = on_receive;
    ev.on_connect = on_connect;
    ev.on_close = on_close;
    ev.on_worker_start = on_worker_start;
    ev.on_worker_exit = on_worker_exit;
    ev.on_worker_stop = on_worker_stop;
    eddy_server_set_events(srv, &ev);
    *out = hs;
    return 0;
}

void eddy_http_server_free(eddy_http_server_t *hs) {
    if (!hs) return;
    for (size_t i = 0; i < hs->nbuckets; i++)
        for (hs_conn_t *c = hs->buckets[i], *next; c; c = next) {
            next = c->hnext;
            if (c->x) eddy__hs_exchange_put(hs, c->x);
            eddy__hs_conn_free(c);
        }
    eddy_free(hs->buckets);
    while (hs->free_x) {
        hs_exchange_t *x = hs->free_x;
        hs->free_x = x->next_free;
        exchange_free(x);
    }
    eddy_free(hs->out_hdrs);
    eddy_free(hs->upload_tmp_dir);
    eddy_free(hs->expired);
    eddy_buf_free(&hs->out);
    eddy__hs_static_free(hs);
    eddy__hs_compress_free(hs);
    eddy_free(hs);
}

void *eddy_http_server_data(const eddy_http_server_t *hs) { return hs->data; }

eddy_server_t *eddy_http_server_server(const eddy_http_server_t *hs) { return hs->srv; }
