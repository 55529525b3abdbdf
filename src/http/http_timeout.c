/*
 * Request timeouts (slowloris) and the keep-alive idle timeout. Each
 * connection holds one deadline, recomputed only when what it waits for
 * changes (a phase), so a head trickling in byte by byte cannot push its
 * deadline back; body bytes do extend theirs (it bounds the gap between
 * reads, as nginx's client_body_timeout). One repeating timer per worker
 * sweeps the connection table: no timer per connection, and a sweep costs
 * one pass over this worker's connections, as the engine's heartbeat does.
 */
#include "http_server.h"

enum { T_IDLE, T_HEAD, T_BODY };          /* hs->timeout_ms[] slots */
/* hs_conn_t.phase; P_NEW (0, calloc's) until the first update */
enum { P_NEW = 0, P_NONE, P_IDLE, P_HEAD, P_BODY };

#define DEFAULT_TIMEOUT_S 60.0
#define SWEEP_MIN_MS 50
#define SWEEP_MAX_MS 1000

static uint64_t to_ms(double s) {
    if (!(s >= 0)) return 0; /* negative or NaN: off */
    if (s == 0) s = DEFAULT_TIMEOUT_S;
    if (s > 1e9) s = 1e9;
    uint64_t ms = (uint64_t)(s * 1000.0 + 0.999); /* rounded up, without libm */
    return ms ? ms : 1;
}

void eddy__hs_timeout_init(eddy_http_server_t *hs, const eddy_http_server_opts_t *o) {
    hs->timeout_ms[T_IDLE] = to_ms(o->keepalive_timeout);
    hs->timeout_ms[T_HEAD] = to_ms(o->header_timeout);
    hs->timeout_ms[T_BODY] = to_ms(o->body_timeout);
}

static void sweep(eddy_timer_t *t) {
    eddy_http_server_t *hs = t->data;
    uint64_t now = eddy_loop_now(t->loop);
    size_t n = 0;
    /* Ids first, closes after: a close may run on_close, which edits the
     * table being walked. */
    for (size_t b = 0; b < hs->nbuckets; b++)
        for (hs_conn_t *c = hs->buckets[b]; c; c = c->hnext) {
            if (!c->deadline || c->deadline > now) continue;
            if (n == hs->nexpired_cap) {
                hs->nexpired_cap = n ? n * 2 : 16;
                hs->expired = eddy_realloc(hs->expired, hs->nexpired_cap * sizeof(int));
            }
            hs->expired[n++] = c->fd;
            c->deadline = 0;
            c->phase = P_NONE;
            c->state = S_CLOSING;
        }
    for (size_t i = 0; i < n; i++) eddy_server_close(hs->srv, hs->expired[i]);
}

void eddy__hs_timeout_start(eddy_http_server_t *hs) {
    uint64_t tick = 0;
    for (int i = 0; i < 3; i++)
        if (hs->timeout_ms[i] && (!tick || hs->timeout_ms[i] / 4 < tick))
            tick = hs->timeout_ms[i] / 4;
    if (!tick) return;
    /* A quarter of the shortest timeout: a connection is closed at most
     * that late, and a sweep runs at most every 50 ms. */
    if (tick < SWEEP_MIN_MS) tick = SWEEP_MIN_MS;
    if (tick > SWEEP_MAX_MS) tick = SWEEP_MAX_MS;
    eddy_timer_init(eddy_server_loop(hs->srv), &hs->sweep, sweep);
    hs->sweep.data = hs;
    eddy_timer_start(&hs->sweep, tick, tick);
}

void eddy__hs_timeout_stop(eddy_http_server_t *hs) {
    if (hs->sweep.loop) eddy_timer_stop(&hs->sweep);
}

static int phase_of(const hs_conn_t *c) {
    switch (c->state) {
    /* A new connection waiting for its first byte counts against the head
     * timeout (from the accept, as nginx's client_header_timeout). */
    case S_HEAD:
        if (c->in.len || c->phase == P_NEW) return P_HEAD;
        return c->detached ? P_NONE : P_IDLE; /* not idle: an answer is pending */
    case S_BODY: return P_BODY;
    default: return P_NONE; /* handled by on_request, closing, upgraded */
    }
}

void eddy__hs_timeout_update(eddy_http_server_t *hs, hs_conn_t *c, int got_bytes) {
    int ph = phase_of(c);
    if (ph == c->phase && !(ph == P_BODY && got_bytes)) return;
    c->phase = ph;
    uint64_t ms = ph == P_IDLE   ? hs->timeout_ms[T_IDLE]
                  : ph == P_HEAD ? hs->timeout_ms[T_HEAD]
                  : ph == P_BODY ? hs->timeout_ms[T_BODY]
                                 : 0;
    c->deadline = ms && hs->sweep.loop ? eddy_loop_now(hs->sweep.loop) + ms : 0;
}
