/*
 * Coroutine sockets and addresses (src/net).
 *
 * Every test runs coroutines on the default loop over loopback only, binds
 * port 0 and reads the port back, so tests never collide on ports. Results
 * are recorded in the coroutines and asserted from the test's own stack
 * after the loop ends (a failed assert unwinds; it must not do so from a
 * coroutine stack).
 */
#include "eddy_test.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "eddy/coro.h"
#include "eddy/loop.h"
#include "eddy/socket.h"

#define MiB (1024u * 1024u)

/* ---- helpers ----------------------------------------------------------- */

static void run_loop(void) {
    cr_assert_eq(eddy_loop_run(eddy_loop_default()), 0);
    eddy_loop_default_close();
}

static int64_t go(eddy_coro_fn fn, void *arg) {
    int64_t cid = eddy_coro_create(fn, arg);
    cr_assert_gt(cid, 0, "eddy_coro_create: %s", eddy_strerror((int)cid));
    return cid;
}

static int local_port(eddy_socket_t *s) {
    eddy_addr_t a;
    char host[128];
    int port = -1;
    cr_assert_eq(eddy_socket_getsockname(s, &a), 0);
    cr_assert_eq(eddy_addr_format(&a, host, sizeof(host), &port), 0);
    return port;
}

static eddy_socket_t *new_socket(eddy_sock_type_t type) {
    int err = 1;
    eddy_socket_t *s = eddy_socket_new(type, &err);
    cr_assert_not_null(s, "eddy_socket_new: %s", eddy_strerror(err));
    cr_assert_eq(err, 0);
    return s;
}

/* Bound to host:0 (or the unix path) and, for streams, listening. */
static eddy_socket_t *new_server(eddy_sock_type_t type, const char *host, int backlog, int *port) {
    eddy_socket_t *s = new_socket(type);
    int rc = eddy_socket_bind(s, host, 0);
    cr_assert_eq(rc, 0, "bind %s: %s", host, eddy_strerror(rc));
    if (type == EDDY_SOCK_TCP || type == EDDY_SOCK_TCP6 || type == EDDY_SOCK_UNIX_STREAM) {
        cr_assert_eq(eddy_socket_listen(s, backlog), 0);
    }
    if (port) *port = local_port(s);
    return s;
}

static void fill_random(unsigned char *p, size_t n, unsigned *seed) {
    for (size_t i = 0; i < n; i++) p[i] = (unsigned char)rand_r(seed);
}

/* A scratch directory for unix socket paths, removed by tmpdir_remove. */
typedef struct {
    char dir[64];
    char server[128];
    char client[128];
} tmpdir_t;

static void tmpdir_make(tmpdir_t *t) {
    snprintf(t->dir, sizeof(t->dir), "/tmp/eddy-net-XXXXXX");
    cr_assert_not_null(mkdtemp(t->dir));
    snprintf(t->server, sizeof(t->server), "%s/server.sock", t->dir);
    snprintf(t->client, sizeof(t->client), "%s/client.sock", t->dir);
}

static void tmpdir_remove(tmpdir_t *t) {
    unlink(t->server);
    unlink(t->client);
    cr_assert_eq(rmdir(t->dir), 0, "socket files left behind in %s", t->dir);
}

/* ---- addresses --------------------------------------------------------- */

EDDY_TEST(addr, parses_and_formats_ipv4_ipv6_and_unix) {
    eddy_addr_t a;
    char host[128];
    int port = 0;
    cr_assert_eq(eddy_addr_parse(&a, EDDY_SOCK_TCP, "127.0.0.1", 8080), 0);
    cr_assert_eq(eddy_addr_format(&a, host, sizeof(host), &port), 0);
    cr_assert_str_eq(host, "127.0.0.1");
    cr_assert_eq(port, 8080);

    cr_assert_eq(eddy_addr_parse(&a, EDDY_SOCK_UDP6, "::1", 65535), 0);
    cr_assert_eq(eddy_addr_format(&a, host, sizeof(host), &port), 0);
    cr_assert_str_eq(host, "::1");
    cr_assert_eq(port, 65535);

    cr_assert_eq(eddy_addr_parse(&a, EDDY_SOCK_TCP6, "[fe80::1]", 1), 0);
    cr_assert_eq(eddy_addr_format(&a, host, sizeof(host), &port), 0);
    cr_assert_str_eq(host, "fe80::1");

    cr_assert_eq(eddy_addr_parse(&a, EDDY_SOCK_UNIX_STREAM, "/tmp/x.sock", 0), 0);
    cr_assert_eq(eddy_addr_format(&a, host, sizeof(host), &port), 0);
    cr_assert_str_eq(host, "/tmp/x.sock");
    cr_assert_eq(port, 0);
}

EDDY_TEST(addr, rejects_bad_hosts_ports_and_paths) {
    eddy_addr_t a;
    char longpath[200];
    memset(longpath, 'a', sizeof(longpath) - 1);
    longpath[sizeof(longpath) - 1] = '\0';
    cr_assert_eq(eddy_addr_parse(&a, EDDY_SOCK_TCP, "127.0.0.1", 65536), EDDY_EINVAL);
    cr_assert_eq(eddy_addr_parse(&a, EDDY_SOCK_TCP, "127.0.0.1", -1), EDDY_EINVAL);
    cr_assert_eq(eddy_addr_parse(&a, EDDY_SOCK_TCP, "::1", 80), EDDY_EINVAL);
    cr_assert_eq(eddy_addr_parse(&a, EDDY_SOCK_TCP6, "127.0.0.1", 80), EDDY_EINVAL);
    cr_assert_eq(eddy_addr_parse(&a, EDDY_SOCK_TCP, "localhost", 80), EDDY_EINVAL);
    cr_assert_eq(eddy_addr_parse(&a, EDDY_SOCK_TCP, "1.2.3.256", 80), EDDY_EINVAL);
    cr_assert_eq(eddy_addr_parse(&a, EDDY_SOCK_UNIX_DGRAM, longpath, 0), EDDY_EINVAL);
    cr_assert_eq(eddy_addr_parse(&a, EDDY_SOCK_UNIX_DGRAM, "", 0), EDDY_EINVAL);

    char tiny[4];
    cr_assert_eq(eddy_addr_parse(&a, EDDY_SOCK_TCP, "127.0.0.1", 1), 0);
    cr_assert_eq(eddy_addr_format(&a, tiny, sizeof(tiny), NULL), EDDY_EINVAL);
}

/* ---- stream echo ------------------------------------------------------- */

typedef struct {
    eddy_sock_type_t type;
    const char *host;
    int port;
    int rounds;
    size_t max_size;
    unsigned seed;
    eddy_socket_t *listener;
    int server_rc, client_rc;
    int rounds_ok;
} echo_t;

/* Frames: an 8-byte length, then the payload; echoed back whole. */
static int echo_one(eddy_socket_t *c) {
    uint64_t n;
    ssize_t r = eddy_socket_recv_all(c, &n, sizeof(n), EDDY_WAIT_FOREVER);
    if (r == 0) return 0;
    if (r != (ssize_t)sizeof(n)) return r < 0 ? (int)r : -EPROTO;
    char *buf = malloc(n);
    r = eddy_socket_recv_all(c, buf, n, EDDY_WAIT_FOREVER);
    if (r == (ssize_t)n) r = eddy_socket_send_all(c, buf, n, EDDY_WAIT_FOREVER);
    free(buf);
    return r == (ssize_t)n ? 1 : (r < 0 ? (int)r : -EPROTO);
}

static void echo_server_co(void *arg) {
    echo_t *e = arg;
    int err = 0, rc;
    eddy_socket_t *c = eddy_socket_accept(e->listener, 10000, &err);
    eddy_socket_close(e->listener);
    if (!c) {
        e->server_rc = err;
        return;
    }
    while ((rc = echo_one(c)) == 1) {}
    e->server_rc = rc;
    eddy_socket_close(c);
}

static int echo_round(eddy_socket_t *c, echo_t *e, int round) {
    uint64_t n = round == 0 ? e->max_size : 1 + (uint64_t)rand_r(&e->seed) % e->max_size;
    unsigned char *out = malloc(n), *in = malloc(n);
    fill_random(out, n, &e->seed);
    int ok = eddy_socket_send_all(c, &n, sizeof(n), 5000) == (ssize_t)sizeof(n) &&
             eddy_socket_send_all(c, out, n, 10000) == (ssize_t)n &&
             eddy_socket_recv_all(c, in, n, 10000) == (ssize_t)n && memcmp(in, out, n) == 0;
    free(out);
    free(in);
    return ok;
}

static void echo_client_co(void *arg) {
    echo_t *e = arg;
    eddy_socket_t *c = new_socket(e->type);
    e->client_rc = eddy_socket_connect(c, e->host, e->port, 5000);
    for (int i = 0; e->client_rc == 0 && i < e->rounds; i++) {
        if (!echo_round(c, e, i)) break;
        e->rounds_ok++;
    }
    eddy_socket_close(c);
}

static void run_stream_echo(eddy_sock_type_t type, const char *host, int rounds, size_t max) {
    echo_t e = {.type = type, .host = host, .rounds = rounds, .max_size = max};
    e.seed = (unsigned)time(NULL);
    fprintf(stderr, "seed %u\n", e.seed);
    e.listener = new_server(type, host, 16, &e.port);
    go(echo_server_co, &e);
    go(echo_client_co, &e);
    run_loop();
    cr_assert_eq(e.client_rc, 0, "connect: %s", eddy_strerror(e.client_rc));
    cr_assert_eq(e.rounds_ok, rounds, "only %d of %d rounds echoed intact", e.rounds_ok, rounds);
    cr_assert_eq(e.server_rc, 0, "server ended with %s", eddy_strerror(e.server_rc));
}

EDDY_TEST(socket, tcp_echo_random_sizes_up_to_4mib_round_trip_intact, .timeout = 60) {
    run_stream_echo(EDDY_SOCK_TCP, "127.0.0.1", 6, 4 * MiB);
}

EDDY_TEST(socket, tcp6_echo_over_ipv6_loopback, .timeout = 60) {
    run_stream_echo(EDDY_SOCK_TCP6, "::1", 4, 1 * MiB);
}

EDDY_TEST(socket, unix_stream_echo_over_socket_path, .timeout = 60) {
    tmpdir_t t;
    tmpdir_make(&t);
    run_stream_echo(EDDY_SOCK_UNIX_STREAM, t.server, 4, 1 * MiB);
    tmpdir_remove(&t);
}

/* ---- datagram echo ----------------------------------------------------- */

typedef struct {
    eddy_sock_type_t type;
    const char *host;       /* server address */
    const char *client_path; /* unix dgram: where the client binds */
    int port;
    int rounds;
    eddy_socket_t *server;
    int server_rc;
    int rounds_ok;
    char last_from[128];
} dgram_t;

static void dgram_server_co(void *arg) {
    dgram_t *d = arg;
    char buf[2048], host[128];
    for (int i = 0; i < d->rounds; i++) {
        eddy_addr_t from;
        int port = 0;
        ssize_t n = eddy_socket_recvfrom(d->server, buf, sizeof(buf), &from, 5000);
        if (n < 0 || eddy_addr_format(&from, host, sizeof(host), &port) < 0) {
            d->server_rc = n < 0 ? (int)n : EDDY_EINVAL;
            break;
        }
        snprintf(d->last_from, sizeof(d->last_from), "%s", host);
        if (eddy_socket_sendto(d->server, host, port, buf, (size_t)n) != n) break;
    }
    eddy_socket_close(d->server);
}

static void dgram_client_co(void *arg) {
    dgram_t *d = arg;
    unsigned seed = (unsigned)time(NULL);
    unsigned char out[1500], in[2048];
    eddy_socket_t *c = new_socket(d->type);
    if (d->client_path && eddy_socket_bind(c, d->client_path, 0) < 0) d->rounds = 0;
    for (int i = 0; i < d->rounds; i++) {
        size_t n = 1 + (size_t)rand_r(&seed) % sizeof(out);
        fill_random(out, n, &seed);
        eddy_addr_t from;
        if (eddy_socket_sendto(c, d->host, d->port, out, n) != (ssize_t)n) break;
        if (eddy_socket_recvfrom(c, in, sizeof(in), &from, 5000) != (ssize_t)n) break;
        if (memcmp(in, out, n) != 0) break;
        d->rounds_ok++;
    }
    eddy_socket_close(c);
}

static void run_dgram_echo(dgram_t *d) {
    d->server = new_server(d->type, d->host, 0, &d->port);
    go(dgram_server_co, d);
    go(dgram_client_co, d);
    run_loop();
    cr_assert_eq(d->server_rc, 0, "server: %s", eddy_strerror(d->server_rc));
    cr_assert_eq(d->rounds_ok, d->rounds);
}

EDDY_TEST(socket, udp_sendto_recvfrom_echo_reports_sender, .timeout = 30) {
    dgram_t d = {.type = EDDY_SOCK_UDP, .host = "127.0.0.1", .rounds = 20};
    run_dgram_echo(&d);
    cr_assert_str_eq(d.last_from, "127.0.0.1");
}

EDDY_TEST(socket, udp6_sendto_recvfrom_echo, .timeout = 30) {
    dgram_t d = {.type = EDDY_SOCK_UDP6, .host = "::1", .rounds = 10};
    run_dgram_echo(&d);
    cr_assert_str_eq(d.last_from, "::1");
}

EDDY_TEST(socket, unix_dgram_echo_between_bound_paths, .timeout = 30) {
    tmpdir_t t;
    tmpdir_make(&t);
    dgram_t d = {.type = EDDY_SOCK_UNIX_DGRAM, .host = t.server, .client_path = t.client,
                 .rounds = 20};
    run_dgram_echo(&d);
    cr_assert_str_eq(d.last_from, t.client);
    tmpdir_remove(&t);
}

/* ---- connect ----------------------------------------------------------- */

typedef struct {
    const char *host;
    int port;
    int64_t timeout;
    int rc;
    int filled;
    uint64_t elapsed;
    eddy_socket_t *held[64];
} conn_t;

/* A listen(fd, 0) socket that never accepts holds one connection in its
 * accept queue; after that Linux drops incoming SYNs (the queue is full),
 * so the next connect hangs in SYN_SENT until its timeout. Loopback only. */
static void connect_until_timeout_co(void *arg) {
    conn_t *c = arg;
    for (int i = 0; i < 64; i++) {
        eddy_socket_t *s = new_socket(EDDY_SOCK_TCP);
        uint64_t t0 = eddy_now_ms();
        c->rc = eddy_socket_connect(s, "127.0.0.1", c->port, c->timeout);
        c->elapsed = eddy_now_ms() - t0;
        c->held[c->filled] = s;
        if (c->rc != 0) break;
        c->filled++;
    }
    for (int i = 0; i <= c->filled && i < 64; i++) eddy_socket_close(c->held[i]);
}

EDDY_TEST(socket, connect_to_full_backlog_times_out, .timeout = 30) {
    conn_t c = {.timeout = 300};
    eddy_socket_t *lis = new_server(EDDY_SOCK_TCP, "127.0.0.1", 0, &c.port);
    go(connect_until_timeout_co, &c);
    run_loop();
    eddy_socket_close(lis);
    fprintf(stderr, "%d connections filled the backlog\n", c.filled);
    cr_assert_eq(c.rc, EDDY_ETIMEDOUT, "got %s", eddy_strerror(c.rc));
    cr_assert_geq(c.elapsed, 250);
    cr_assert_lt(c.elapsed, 2000);
}

static void connect_once_co(void *arg) {
    conn_t *c = arg;
    eddy_socket_t *s = new_socket(EDDY_SOCK_TCP);
    c->rc = eddy_socket_connect(s, c->host, c->port, 5000);
    c->filled = eddy_socket_errcode(s);
    eddy_socket_close(s);
}

EDDY_TEST(socket, connect_to_closed_port_is_refused, .timeout = 30) {
    /* Bound but not listening: the port stays ours and answers RST. */
    conn_t c = {.host = "127.0.0.1"};
    eddy_socket_t *tcp = new_socket(EDDY_SOCK_TCP);
    cr_assert_eq(eddy_socket_bind(tcp, "127.0.0.1", 0), 0);
    c.port = local_port(tcp);
    go(connect_once_co, &c);
    run_loop();
    eddy_socket_close(tcp);
    cr_assert_eq(c.rc, -ECONNREFUSED, "got %s", eddy_strerror(c.rc));
    cr_assert_eq(c.filled, -ECONNREFUSED, "errcode records the failure");
}

EDDY_TEST(socket, connect_resolves_localhost_by_name, .timeout = 30) {
    conn_t c = {.host = "localhost"};
    eddy_socket_t *lis = new_server(EDDY_SOCK_TCP, "127.0.0.1", 4, &c.port);
    /* Named host: connect resolves it on the pool, then connects. */
    go(connect_once_co, &c);
    run_loop();
    eddy_socket_close(lis);
    cr_assert_eq(c.rc, 0, "got %s", eddy_strerror(c.rc));
}

/* ---- a connected pair -------------------------------------------------- */

typedef struct {
    eddy_socket_t *a, *b; /* a: client side, b: accepted side */
} pair_t;

static void pair_accept_co(void *arg) {
    pair_t *p = arg;
    eddy_socket_t *lis = p->b;
    int err;
    p->b = eddy_socket_accept(lis, 5000, &err);
    eddy_socket_close(lis);
}

static void pair_connect_co(void *arg) {
    pair_t *p = arg;
    int port = local_port(p->b);
    p->a = new_socket(EDDY_SOCK_TCP);
    if (eddy_socket_connect(p->a, "127.0.0.1", port, 5000) < 0) {
        eddy_socket_close(p->a);
        p->a = NULL;
    }
}

/* Two connected TCP sockets made on the default loop (which is then run
 * empty, so the caller starts its own coroutines on a quiet loop). */
static pair_t make_pair(void) {
    pair_t p = {0};
    p.b = new_server(EDDY_SOCK_TCP, "127.0.0.1", 4, NULL);
    go(pair_accept_co, &p);
    go(pair_connect_co, &p);
    cr_assert_eq(eddy_loop_run(eddy_loop_default()), 0);
    cr_assert_not_null(p.a);
    cr_assert_not_null(p.b);
    return p;
}

typedef struct {
    eddy_socket_t *s;
    int64_t timeout;
    ssize_t rc;
    uint64_t elapsed;
    int64_t cid;
    int done;
    char buf[64];
} op_t;

static void recv_co(void *arg) {
    op_t *o = arg;
    uint64_t t0 = eddy_now_ms();
    o->cid = eddy_coro_cid();
    o->rc = eddy_socket_recv(o->s, o->buf, sizeof(o->buf), o->timeout);
    o->elapsed = eddy_now_ms() - t0;
    o->done = 1;
}

EDDY_TEST(socket, recv_times_out_after_the_given_time, .timeout = 30) {
    pair_t p = make_pair();
    op_t o = {.s = p.a, .timeout = 200};
    go(recv_co, &o);
    run_loop();
    cr_assert_eq(o.rc, EDDY_ETIMEDOUT, "got %s", eddy_strerror((int)o.rc));
    cr_assert_eq(eddy_socket_errcode(p.a), EDDY_ETIMEDOUT);
    cr_assert_geq(o.elapsed, 190);
    cr_assert_lt(o.elapsed, 1000);
    eddy_socket_close(p.a);
    eddy_socket_close(p.b);
}

EDDY_TEST(socket, recv_uses_the_socket_default_read_timeout, .timeout = 30) {
    pair_t p = make_pair();
    eddy_socket_set_timeout(p.a, EDDY_TIMEOUT_READ, 100);
    cr_assert_eq(eddy_socket_get_timeout(p.a, EDDY_TIMEOUT_READ), 100);
    cr_assert_eq(eddy_socket_get_timeout(p.a, EDDY_TIMEOUT_WRITE), EDDY_WAIT_FOREVER);
    op_t o = {.s = p.a, .timeout = EDDY_TIMEOUT_DEFAULT};
    go(recv_co, &o);
    run_loop();
    cr_assert_eq(o.rc, EDDY_ETIMEDOUT);
    cr_assert_geq(o.elapsed, 90);
    eddy_socket_close(p.a);
    eddy_socket_close(p.b);
}

EDDY_TEST(socket, recv_outside_a_coroutine_fails_instead_of_blocking) {
    pair_t p = make_pair();
    char c;
    cr_assert_eq(eddy_socket_recv(p.a, &c, 1, 1000), EDDY_ECO_OUT_OF_COROUTINE);
    cr_assert_eq(eddy_socket_errcode(p.a), EDDY_ECO_OUT_OF_COROUTINE);
    /* Data already there needs no wait, so it works anywhere. */
    cr_assert_eq(eddy_socket_send(p.b, "x", 1, 1000), 1);
    usleep(10000);
    cr_assert_eq(eddy_socket_recv(p.a, &c, 1, 1000), 1);
    cr_assert_eq(eddy_socket_errcode(p.a), 0, "success clears the last error");
    eddy_socket_close(p.a);
    eddy_socket_close(p.b);
    eddy_loop_default_close();
}

static void close_later_co(void *arg) {
    eddy_socket_t *s = arg;
    eddy_coro_sleep(50);
    eddy_socket_close(s);
}

EDDY_TEST(socket, second_reader_is_refused_with_swoole_message, .timeout = 30) {
    pair_t p = make_pair();
    op_t first = {.s = p.a, .timeout = EDDY_WAIT_FOREVER};
    op_t second = {.s = p.a, .timeout = EDDY_WAIT_FOREVER};
    int fd = eddy_socket_fd(p.a);
    go(recv_co, &first);
    int64_t second_cid = go(recv_co, &second);
    char msg[256];
    snprintf(msg, sizeof(msg), "%s", eddy_socket_errmsg(p.a));
    go(close_later_co, p.a); /* ends the first reader */
    run_loop();
    cr_assert_eq(second.rc, EDDY_ECO_HAS_BEEN_BOUND);
    char want[256];
    snprintf(want, sizeof(want),
             "Socket#%d has already been bound to another coroutine#%lld, reading of the same "
             "socket in coroutine#%lld at the same time is not allowed",
             fd, (long long)first.cid, (long long)second_cid);
    cr_assert_str_eq(msg, want);
    cr_assert_eq(first.rc, EDDY_EBADF);
    eddy_socket_close(p.b);
}

typedef struct {
    eddy_socket_t *s;
    ssize_t rc;
    int64_t cid;
    size_t len;
} send_op_t;

static void send_big_co(void *arg) {
    send_op_t *o = arg;
    char *buf = calloc(1, o->len);
    o->cid = eddy_coro_cid();
    o->rc = eddy_socket_send_all(o->s, buf, o->len, EDDY_WAIT_FOREVER);
    free(buf);
}

static void send_small_co(void *arg) {
    send_op_t *o = arg;
    o->cid = eddy_coro_cid();
    o->rc = eddy_socket_send(o->s, "x", 1, EDDY_WAIT_FOREVER);
}

EDDY_TEST(socket, second_writer_is_refused_with_swoole_message, .timeout = 30) {
    pair_t p = make_pair();
    /* Nobody reads p.b, so 64 MiB fills both kernel buffers and blocks. */
    send_op_t big = {.s = p.a, .len = 64 * MiB}, small = {.s = p.a};
    int fd = eddy_socket_fd(p.a);
    go(send_big_co, &big);
    go(send_small_co, &small);
    char msg[256], want[256];
    snprintf(msg, sizeof(msg), "%s", eddy_socket_errmsg(p.a));
    go(close_later_co, p.a);
    run_loop();
    cr_assert_eq(small.rc, EDDY_ECO_HAS_BEEN_BOUND);
    snprintf(want, sizeof(want),
             "Socket#%d has already been bound to another coroutine#%lld, writing of the same "
             "socket in coroutine#%lld at the same time is not allowed",
             fd, (long long)big.cid, (long long)small.cid);
    cr_assert_str_eq(msg, want);
    cr_assert_eq(big.rc, EDDY_EBADF);
    eddy_socket_close(p.b);
}

EDDY_TEST(socket, close_wakes_waiting_reader_and_writer_with_ebadf, .timeout = 30) {
    pair_t p = make_pair();
    op_t reader = {.s = p.a, .timeout = EDDY_WAIT_FOREVER};
    send_op_t writer = {.s = p.a, .len = 64 * MiB};
    go(recv_co, &reader);
    go(send_big_co, &writer);
    cr_assert_eq(reader.done, 0, "the reader waits");
    /* Closed from the root context while both wait; each operation holds
     * the handle, so the memory goes only after both return (ASan). */
    eddy_socket_close(p.a);
    cr_assert_eq(reader.done, 1, "close woke the reader at once");
    run_loop();
    cr_assert_eq(reader.rc, EDDY_EBADF);
    cr_assert_eq(writer.rc, EDDY_EBADF);
    eddy_socket_close(p.b);
}

static void close_other_co(void *arg) {
    op_t *o = arg;
    eddy_socket_close(o->s);
}

EDDY_TEST(socket, close_from_another_coroutine_wakes_reader_with_ebadf, .timeout = 30) {
    pair_t p = make_pair();
    op_t reader = {.s = p.a, .timeout = EDDY_WAIT_FOREVER};
    go(recv_co, &reader);
    go(close_other_co, &reader);
    run_loop();
    cr_assert_eq(reader.rc, EDDY_EBADF);
    eddy_socket_close(p.b);
}

EDDY_TEST(socket, cancel_of_coroutine_in_recv_returns_ecanceled, .timeout = 30) {
    pair_t p = make_pair();
    op_t reader = {.s = p.a, .timeout = EDDY_WAIT_FOREVER};
    int64_t cid = go(recv_co, &reader);
    cr_assert_eq(eddy_coro_cancel(cid), 0);
    run_loop();
    cr_assert_eq(reader.rc, EDDY_ECANCELED);
    /* The canceled wait left the socket usable: another read works. */
    op_t again = {.s = p.a, .timeout = 1000};
    cr_assert_eq(eddy_socket_send(p.b, "hi", 2, 1000), 2);
    go(recv_co, &again);
    run_loop();
    cr_assert_eq(again.rc, 2);
    eddy_socket_close(p.a);
    eddy_socket_close(p.b);
}

static void recv_then_close_co(void *arg) {
    op_t *o = arg;
    o->rc = eddy_socket_recv(o->s, o->buf, sizeof(o->buf), EDDY_WAIT_FOREVER);
    eddy_socket_close(o->s); /* from inside the io callback's wake-up */
    o->done = 1;
}

EDDY_TEST(socket, reader_closing_socket_on_wake_ends_blocked_writer, .timeout = 30) {
    pair_t p = make_pair();
    send_op_t writer = {.s = p.a, .len = 64 * MiB};
    op_t reader = {.s = p.a};
    go(send_big_co, &writer);
    go(recv_then_close_co, &reader);
    /* Readable p.a: the io callback wakes the reader, which closes the
     * socket (waking the writer with EBADF) before the callback returns;
     * the callback's own ref keeps the handle valid until then (ASan). */
    cr_assert_eq(eddy_socket_send(p.b, "x", 1, 1000), 1);
    run_loop();
    cr_assert_eq(reader.rc, 1);
    cr_assert_eq(writer.rc, EDDY_EBADF);
    eddy_socket_close(p.b);
}

static void send_all_co(void *arg) {
    op_t *o = arg;
    size_t len = 64 * MiB;
    char *buf = calloc(1, len);
    uint64_t t0 = eddy_now_ms();
    o->rc = eddy_socket_send_all(o->s, buf, len, o->timeout);
    o->elapsed = eddy_now_ms() - t0;
    free(buf);
}

EDDY_TEST(socket, send_all_timeout_covers_the_whole_call, .timeout = 30) {
    pair_t p = make_pair();
    /* No one reads p.b: partial writes fill the buffers, then time out. */
    op_t o = {.s = p.a, .timeout = 200};
    go(send_all_co, &o);
    run_loop();
    cr_assert_eq(o.rc, EDDY_ETIMEDOUT, "got %s", eddy_strerror((int)o.rc));
    cr_assert_geq(o.elapsed, 190);
    cr_assert_lt(o.elapsed, 1000);
    eddy_socket_close(p.a);
    eddy_socket_close(p.b);
}

static void close_peer_co(void *arg);

static void recv_all_co(void *arg) {
    op_t *o = arg;
    o->rc = eddy_socket_recv_all(o->s, o->buf, sizeof(o->buf), 5000);
}

EDDY_TEST(socket, recv_all_returns_short_count_when_peer_closes_early, .timeout = 30) {
    pair_t p = make_pair();
    op_t o = {.s = p.a};
    op_t closer = {.s = p.b};
    cr_assert_eq(eddy_socket_send(p.b, "abc", 3, 1000), 3);
    go(recv_all_co, &o);
    go(close_peer_co, &closer);
    run_loop();
    cr_assert_eq(o.rc, 3);
    cr_assert_eq(memcmp(o.buf, "abc", 3), 0);
    eddy_socket_close(p.a);
}

static void close_peer_co(void *arg) {
    op_t *o = arg;
    eddy_coro_sleep(20);
    eddy_socket_close(o->s);
}

EDDY_TEST(socket, recv_returns_zero_when_peer_closes, .timeout = 30) {
    pair_t p = make_pair();
    op_t reader = {.s = p.a, .timeout = 5000};
    op_t closer = {.s = p.b};
    go(recv_co, &reader);
    go(close_peer_co, &closer);
    run_loop();
    cr_assert_eq(reader.rc, 0);
    eddy_socket_close(p.a);
}

static void send_until_error_co(void *arg) {
    send_op_t *o = arg;
    /* The first write after the peer's close may succeed (it draws the
     * RST); the next ones fail with EPIPE/ECONNRESET. */
    for (int i = 0; i < 100; i++) {
        o->rc = eddy_socket_send(o->s, "ping", 4, 1000);
        if (o->rc < 0) return;
        eddy_coro_sleep(5);
    }
}

EDDY_TEST(socket, send_to_closed_peer_fails_without_sigpipe, .timeout = 30) {
    pair_t p = make_pair();
    eddy_socket_close(p.b);
    send_op_t o = {.s = p.a};
    go(send_until_error_co, &o);
    run_loop();
    cr_assert(o.rc == EDDY_EPIPE || o.rc == EDDY_ECONNRESET, "got %s",
              eddy_strerror((int)o.rc));
    eddy_socket_close(p.a);
}

typedef struct {
    eddy_socket_t *lis;
    int err;
    uint64_t elapsed;
} accept_op_t;

static void accept_co(void *arg) {
    accept_op_t *o = arg;
    uint64_t t0 = eddy_now_ms();
    eddy_socket_t *c = eddy_socket_accept(o->lis, 100, &o->err);
    o->elapsed = eddy_now_ms() - t0;
    if (c) eddy_socket_close(c);
}

EDDY_TEST(socket, accept_without_clients_times_out, .timeout = 30) {
    accept_op_t o = {.lis = new_server(EDDY_SOCK_TCP, "127.0.0.1", 4, NULL), .err = 1};
    go(accept_co, &o);
    run_loop();
    cr_assert_eq(o.err, EDDY_ETIMEDOUT);
    cr_assert_geq(o.elapsed, 90);
    eddy_socket_close(o.lis);
}

EDDY_TEST(socket, shutdown_wr_reads_as_end_of_stream_at_peer, .timeout = 30) {
    pair_t p = make_pair();
    cr_assert_eq(eddy_socket_shutdown(p.b, SHUT_WR), 0);
    op_t reader = {.s = p.a, .timeout = 1000};
    go(recv_co, &reader);
    run_loop();
    cr_assert_eq(reader.rc, 0);
    eddy_socket_close(p.a);
    eddy_socket_close(p.b);
}

EDDY_TEST(socket, options_and_names_round_trip) {
    pair_t p = make_pair();
    int one = 1, val = 0;
    uint32_t len = sizeof(val);
    cr_assert_eq(eddy_socket_setopt(p.a, IPPROTO_TCP, 1 /* TCP_NODELAY */, &one, sizeof(one)), 0);
    cr_assert_eq(eddy_socket_getopt(p.a, IPPROTO_TCP, 1, &val, &len), 0);
    cr_assert_eq(val, 1);
    eddy_addr_t local, peer;
    char h1[64], h2[64];
    int port1, port2;
    cr_assert_eq(eddy_socket_getsockname(p.a, &local), 0);
    cr_assert_eq(eddy_socket_getpeername(p.b, &peer), 0);
    eddy_addr_format(&local, h1, sizeof(h1), &port1);
    eddy_addr_format(&peer, h2, sizeof(h2), &port2);
    cr_assert_str_eq(h1, h2);
    cr_assert_eq(port1, port2);
    cr_assert_eq(eddy_socket_type(p.a), EDDY_SOCK_TCP);
    cr_assert_geq(eddy_socket_fd(p.a), 0);
    cr_assert_eq(eddy_socket_setopt(p.a, -1, -1, &one, sizeof(one)) < 0, 1);
    cr_assert_str_neq(eddy_socket_errmsg(p.a), "");
    eddy_socket_close(p.a);
    eddy_socket_close(p.b);
    eddy_loop_default_close();
}

/* ---- buffered, framed and vectored reads ------------------------------- */

/* A peer that writes its pieces with a pause between them, so that the
 * reader sees them as separate reads, then optionally closes. */
typedef struct {
    eddy_socket_t *s;
    const char *const *pieces; /* NULL-terminated */
    const size_t *lens;        /* NULL: strlen of each piece */
    int close_after;
} script_t;

static void script_co(void *arg) {
    script_t *sc = arg;
    for (size_t i = 0; sc->pieces[i]; i++) {
        size_t len = sc->lens ? sc->lens[i] : strlen(sc->pieces[i]);
        eddy_socket_send_all(sc->s, sc->pieces[i], len, 1000);
        eddy_coro_sleep(15);
    }
    if (sc->close_after) eddy_socket_close(sc->s);
}

#define MAX_MSGS 8

typedef struct {
    eddy_socket_t *s;
    int mode; /* 0 recv_line(maxlen), 1 recv_packet, 2 recv_with_buffer(maxlen) */
    size_t maxlen;
    int64_t timeout;
    int count;
    char msgs[MAX_MSGS][128];
    ssize_t rcs[MAX_MSGS];
    uint64_t elapsed;
} reads_t;

/* Reads until a result <= 0 (kept as the last rc) or MAX_MSGS. */
static void reads_co(void *arg) {
    reads_t *r = arg;
    uint64_t t0 = eddy_now_ms();
    for (r->count = 0; r->count < MAX_MSGS; r->count++) {
        char *out = r->msgs[r->count];
        const char *msg = NULL;
        ssize_t n;
        if (r->mode == 0) n = eddy_socket_recv_line(r->s, out, r->maxlen, r->timeout);
        else if (r->mode == 2) n = eddy_socket_recv_with_buffer(r->s, out, r->maxlen, r->timeout);
        else {
            n = eddy_socket_recv_packet(r->s, &msg, r->timeout);
            if (n > 0 && n < 128) memcpy(out, msg, (size_t)n);
        }
        r->rcs[r->count] = n;
        if (n > 0 && n < 128) out[n] = '\0';
        if (n <= 0) break;
    }
    r->elapsed = eddy_now_ms() - t0;
}

EDDY_TEST(socket, peek_never_waits_and_leaves_the_data, .timeout = 30) {
    pair_t p = make_pair();
    char buf[8] = {0};
    /* No coroutine needed: peek never waits. */
    cr_assert_eq(eddy_socket_peek(p.a, buf, sizeof(buf)), EDDY_EAGAIN);
    cr_assert_eq(eddy_socket_errcode(p.a), EDDY_EAGAIN);
    cr_assert_eq(eddy_socket_send(p.b, "abc", 3, 1000), 3);
    usleep(10000);
    cr_assert_eq(eddy_socket_peek(p.a, buf, 2), 2);
    cr_assert_eq(memcmp(buf, "ab", 2), 0);
    cr_assert_eq(eddy_socket_recv(p.a, buf, sizeof(buf), 1000), 3, "peek consumed nothing");
    eddy_socket_close(p.b);
    usleep(10000);
    cr_assert_eq(eddy_socket_peek(p.a, buf, sizeof(buf)), 0, "peer closed reads as 0");
    eddy_socket_close(p.a);
    eddy_loop_default_close();
}

EDDY_TEST(socket, check_liveness_is_false_once_the_peer_closes, .timeout = 30) {
    pair_t p = make_pair();
    cr_assert_eq(eddy_socket_check_liveness(p.a), 1);
    cr_assert_eq(eddy_socket_send(p.b, "x", 1, 1000), 1);
    usleep(10000);
    cr_assert_eq(eddy_socket_check_liveness(p.a), 1, "unread data: alive");
    char c;
    cr_assert_eq(eddy_socket_recv(p.a, &c, 1, 1000), 1);
    eddy_socket_close(p.b);
    usleep(10000);
    cr_assert_eq(eddy_socket_check_liveness(p.a), 0);
    cr_assert_eq(eddy_socket_errcode(p.a), EDDY_ECONNRESET);
    eddy_socket_close(p.a);
    eddy_loop_default_close();
}

EDDY_TEST(socket, recv_line_joins_split_writes_and_splits_coalesced_ones, .timeout = 30) {
    pair_t p = make_pair();
    static const char *const pieces[] = {"hel", "lo\nwor", "ld\nabcdefgh\nx\ny\n", "tail", NULL};
    script_t sc = {.s = p.b, .pieces = pieces, .close_after = 1};
    reads_t r = {.s = p.a, .mode = 0, .maxlen = 6, .timeout = 5000};
    go(reads_co, &r);
    go(script_co, &sc);
    run_loop();
    const char *want[] = {"hello\n", "world\n", "abcdef", "gh\n", "x\n", "y\n", "tail"};
    cr_assert_eq(r.count, 7, "got %d reads", r.count);
    for (int i = 0; i < 7; i++) cr_assert_str_eq(r.msgs[i], want[i], "line %d", i);
    cr_assert_eq(r.rcs[7], 0, "then end of stream");
    eddy_socket_close(p.a);
}

EDDY_TEST(socket, recv_line_times_out_holding_the_partial_line, .timeout = 30) {
    pair_t p = make_pair();
    cr_assert_eq(eddy_socket_send(p.b, "partial", 7, 1000), 7);
    reads_t r = {.s = p.a, .mode = 0, .maxlen = 64, .timeout = 150};
    go(reads_co, &r);
    run_loop();
    cr_assert_eq(r.rcs[0], EDDY_ETIMEDOUT);
    cr_assert_geq(r.elapsed, 140);
    /* The partial line stayed buffered: a plain recv gets it first. */
    char buf[16];
    cr_assert_eq(eddy_socket_recv(p.a, buf, sizeof(buf), 1000), 7);
    cr_assert_eq(memcmp(buf, "partial", 7), 0);
    eddy_socket_close(p.a);
    eddy_socket_close(p.b);
    eddy_loop_default_close();
}

EDDY_TEST(socket, recv_with_buffer_serves_read_ahead_in_order, .timeout = 30) {
    pair_t p = make_pair();
    cr_assert_eq(eddy_socket_send(p.b, "0123456789", 10, 1000), 10);
    usleep(10000);
    reads_t r = {.s = p.a, .mode = 2, .maxlen = 4, .timeout = 100};
    go(reads_co, &r);
    run_loop();
    cr_assert_eq(r.count, 3);
    cr_assert_str_eq(r.msgs[0], "0123");
    cr_assert_str_eq(r.msgs[1], "4567");
    cr_assert_str_eq(r.msgs[2], "89");
    cr_assert_eq(r.rcs[3], EDDY_ETIMEDOUT);
    eddy_socket_close(p.a);
    eddy_socket_close(p.b);
}

EDDY_TEST(socket, recv_packet_eof_split_across_split_and_coalesced_writes, .timeout = 30) {
    pair_t p = make_pair();
    eddy_framing_t f;
    cr_assert_eq(eddy_framing_init_eof(&f, "\r\n", 2, 1, 1024), 0);
    cr_assert_eq(eddy_socket_set_framing(p.a, &f), 0);
    static const char *const pieces[] = {"one\r", "\ntwo\r\nthree\r\nfo", "ur\r\n", "half", NULL};
    script_t sc = {.s = p.b, .pieces = pieces, .close_after = 1};
    reads_t r = {.s = p.a, .mode = 1, .timeout = 5000};
    go(reads_co, &r);
    go(script_co, &sc);
    run_loop();
    cr_assert_eq(r.count, 4);
    cr_assert_str_eq(r.msgs[0], "one\r\n");
    cr_assert_str_eq(r.msgs[1], "two\r\n");
    cr_assert_str_eq(r.msgs[2], "three\r\n");
    cr_assert_str_eq(r.msgs[3], "four\r\n");
    cr_assert_eq(r.rcs[4], 0, "an incomplete message at close is not returned");
    eddy_socket_close(p.a);
}

EDDY_TEST(socket, recv_packet_length_framing_across_partial_writes, .timeout = 30) {
    pair_t p = make_pair();
    eddy_framing_t f;
    cr_assert_eq(eddy_framing_init_length(&f, 'N', 0, 4, 1024), 0);
    cr_assert_eq(eddy_socket_set_framing(p.a, &f), 0);
    /* "hello" and "hi" framed; header split, then two messages in one write. */
    static const char *const pieces[] = {"\0\0", "\0\5hel", "lo\0\0\0\2hi\0\0\0\1!", NULL};
    static const size_t lens[] = {2, 5, 13};
    script_t sc = {.s = p.b, .pieces = pieces, .lens = lens, .close_after = 1};
    reads_t r = {.s = p.a, .mode = 1, .timeout = 5000};
    go(reads_co, &r);
    go(script_co, &sc);
    run_loop();
    cr_assert_eq(r.count, 3);
    cr_assert_eq(r.rcs[0], 9);
    cr_assert_eq(memcmp(r.msgs[0] + 4, "hello", 5), 0);
    cr_assert_eq(r.rcs[1], 6);
    cr_assert_eq(memcmp(r.msgs[1] + 4, "hi", 2), 0);
    cr_assert_eq(r.rcs[2], 5);
    cr_assert_eq(r.rcs[3], 0);
    eddy_socket_close(p.a);
}

EDDY_TEST(socket, recv_packet_over_package_max_length_fails_clearly, .timeout = 30) {
    pair_t p = make_pair();
    eddy_framing_t f;
    cr_assert_eq(eddy_framing_init_length(&f, 'N', 0, 4, 64), 0);
    cr_assert_eq(eddy_socket_set_framing(p.a, &f), 0);
    cr_assert_eq(eddy_socket_send(p.b, "\0\0\1\0body", 8, 1000), 8); /* 256 + 4 bytes */
    reads_t r = {.s = p.a, .mode = 1, .timeout = 1000};
    go(reads_co, &r);
    run_loop();
    cr_assert_eq(r.rcs[0], EDDY_EPACKAGE_TOO_LARGE);
    cr_assert_eq(eddy_socket_errcode(p.a), EDDY_EPACKAGE_TOO_LARGE);
    cr_assert_not_null(strstr(eddy_socket_errmsg(p.a), "package_max_length (64)"),
                       "message: %s", eddy_socket_errmsg(p.a));
    cr_assert_str_eq(eddy_strerror(EDDY_EPACKAGE_TOO_LARGE), "Package length too large");
    eddy_socket_close(p.a);
    eddy_socket_close(p.b);
}

EDDY_TEST(socket, recv_packet_without_framing_returns_what_arrives_or_times_out,
          .timeout = 30) {
    pair_t p = make_pair();
    cr_assert_eq(eddy_socket_set_framing(p.a, NULL), 0);
    cr_assert_eq(eddy_socket_send(p.b, "raw", 3, 1000), 3);
    reads_t r = {.s = p.a, .mode = 1, .timeout = 120};
    go(reads_co, &r);
    run_loop();
    cr_assert_str_eq(r.msgs[0], "raw");
    cr_assert_eq(r.rcs[1], EDDY_ETIMEDOUT);
    cr_assert_geq(r.elapsed, 110);
    eddy_socket_close(p.a);
    eddy_socket_close(p.b);
}

typedef struct {
    eddy_socket_t *s;
    ssize_t rc;
    char a[4], b[8];
} vec_op_t;

static void readv_all_co(void *arg) {
    vec_op_t *o = arg;
    eddy_iov_t iov[2] = {{o->a, sizeof(o->a)}, {o->b, sizeof(o->b)}};
    o->rc = eddy_socket_readv_all(o->s, iov, 2, 5000);
}

static void writev_pieces_co(void *arg) {
    eddy_socket_t *s = arg;
    char x[] = "abcd", y[] = "efghij", z[] = "kl";
    eddy_iov_t iov[3] = {{x, 4}, {y, 6}, {z, 2}};
    eddy_socket_writev_all(s, iov, 2, 1000); /* abcdefghij */
    eddy_coro_sleep(20);
    eddy_socket_writev(s, iov + 2, 1, 1000); /* kl */
}

EDDY_TEST(socket, writev_and_readv_all_scatter_across_pieces, .timeout = 30) {
    pair_t p = make_pair();
    vec_op_t o = {.s = p.a};
    go(readv_all_co, &o);
    go(writev_pieces_co, p.b);
    run_loop();
    cr_assert_eq(o.rc, 12);
    cr_assert_eq(memcmp(o.a, "abcd", 4), 0);
    cr_assert_eq(memcmp(o.b, "efghijkl", 8), 0);
    /* Plain readv returns after the first transfer; 0 once the peer closed. */
    cr_assert_eq(eddy_socket_send(p.b, "xyz", 3, 1000), 3);
    eddy_socket_close(p.b);
    usleep(10000);
    char a[2], b[8];
    eddy_iov_t iov[2] = {{a, 2}, {b, 8}};
    cr_assert_eq(eddy_socket_readv(p.a, iov, 2, 1000), 3);
    cr_assert_eq(memcmp(a, "xy", 2), 0);
    cr_assert_eq(b[0], 'z');
    cr_assert_eq(eddy_socket_readv(p.a, iov, 2, 1000), 0);
    cr_assert_eq(eddy_socket_readv(p.a, iov, 2000, 1000), EDDY_EINVAL, "over IOV_MAX");
    eddy_socket_close(p.a);
    eddy_loop_default_close();
}

EDDY_TEST(socket, readv_all_returns_short_count_when_peer_closes, .timeout = 30) {
    pair_t p = make_pair();
    vec_op_t o = {.s = p.a};
    static const char *const pieces[] = {"abcde", NULL};
    script_t sc = {.s = p.b, .pieces = pieces, .close_after = 1};
    go(readv_all_co, &o);
    go(script_co, &sc);
    run_loop();
    cr_assert_eq(o.rc, 5);
    cr_assert_eq(memcmp(o.a, "abcd", 4), 0);
    cr_assert_eq(o.b[0], 'e');
    eddy_socket_close(p.a);
}

/* A temp file of n pseudo-random bytes; its contents in *data. */
static int temp_file(size_t n, unsigned char **data) {
    char path[] = "/tmp/eddy-sendfile-XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    unlink(path);
    unsigned seed = 7;
    *data = malloc(n);
    fill_random(*data, n, &seed);
    cr_assert_eq(write(fd, *data, n), (ssize_t)n);
    return fd;
}

typedef struct {
    eddy_socket_t *s;
    int fd;
    int64_t offset;
    size_t length;
    int64_t timeout;
    ssize_t rc;
    unsigned char *got;
    size_t got_len;
} file_op_t;

static void sendfile_co(void *arg) {
    file_op_t *o = arg;
    o->rc = eddy_socket_sendfile(o->s, o->fd, o->offset, o->length, o->timeout);
}

static void slow_reader_co(void *arg) {
    file_op_t *o = arg; /* reads o->got_len bytes in small steps */
    size_t done = 0;
    while (done < o->got_len) {
        ssize_t n = eddy_socket_recv(o->s, o->got + done, o->got_len - done, 5000);
        if (n <= 0) break;
        done += (size_t)n;
        if (done < 1024 * 1024) eddy_coro_sleep(1); /* force partial writes */
    }
}

EDDY_TEST(socket, sendfile_sends_a_range_across_partial_writes, .timeout = 60) {
    pair_t p = make_pair();
    size_t size = 8 * MiB;
    unsigned char *data;
    int fd = temp_file(size, &data);
    file_op_t snd = {.s = p.b, .fd = fd, .offset = 1000, .length = 0, .timeout = 10000};
    file_op_t rcv = {.s = p.a, .got = malloc(size), .got_len = size - 1000};
    go(sendfile_co, &snd);
    go(slow_reader_co, &rcv);
    run_loop();
    cr_assert_eq(snd.rc, (ssize_t)(size - 1000), "rc %zd", snd.rc);
    cr_assert_eq(memcmp(rcv.got, data + 1000, size - 1000), 0);
    /* Bad ranges fail before sending anything. */
    cr_assert_eq(eddy_socket_sendfile(p.b, fd, (int64_t)size + 1, 0, 100), EDDY_EINVAL);
    cr_assert_eq(eddy_socket_sendfile(p.b, fd, 10, size, 100), EDDY_EINVAL);
    cr_assert_eq(eddy_socket_sendfile_path(p.b, "/nonexistent/x", 0, 0, 100), -ENOENT);
    close(fd);
    free(data);
    free(rcv.got);
    eddy_socket_close(p.a);
    eddy_socket_close(p.b);
    eddy_loop_default_close();
}

EDDY_TEST(socket, sendfile_times_out_when_nobody_reads, .timeout = 30) {
    pair_t p = make_pair();
    unsigned char *data;
    int fd = temp_file(64 * MiB, &data);
    file_op_t snd = {.s = p.b, .fd = fd, .timeout = 200};
    uint64_t t0 = eddy_now_ms();
    go(sendfile_co, &snd);
    run_loop();
    cr_assert_eq(snd.rc, EDDY_ETIMEDOUT, "rc %zd", snd.rc);
    cr_assert_geq(eddy_now_ms() - t0, 190);
    close(fd);
    free(data);
    eddy_socket_close(p.a);
    eddy_socket_close(p.b);
}

EDDY_TEST(socket, second_line_reader_is_refused_while_first_waits, .timeout = 30) {
    pair_t p = make_pair();
    reads_t first = {.s = p.a, .mode = 0, .maxlen = 64, .timeout = 200};
    reads_t second = {.s = p.a, .mode = 1, .timeout = 200};
    go(reads_co, &first);
    go(reads_co, &second);
    run_loop();
    cr_assert_eq(second.rcs[0], EDDY_ECO_HAS_BEEN_BOUND);
    cr_assert_eq(first.rcs[0], EDDY_ETIMEDOUT);
    eddy_socket_close(p.a);
    eddy_socket_close(p.b);
}

/* ---- resolve ----------------------------------------------------------- */

typedef struct {
    int rc;
    int done;
    int ticks_at_done;
    int ticks;
    int64_t timeout;
    eddy_addr_t addrs[8];
} resolve_t;

static void resolve_co(void *arg) {
    resolve_t *r = arg;
    r->rc = eddy_resolve("localhost", 0, r->addrs, 8, r->timeout);
    r->ticks_at_done = r->ticks;
    r->done = 1;
}

static void ticker_co(void *arg) {
    resolve_t *r = arg;
    while (!r->done) {
        r->ticks++;
        eddy_coro_sleep(1);
    }
}

EDDY_TEST(resolve, localhost_resolves_while_the_loop_keeps_running, .timeout = 30) {
    resolve_t r = {.timeout = 5000};
    go(resolve_co, &r);
    cr_assert_eq(r.done, 0, "resolution yielded instead of blocking the thread");
    go(ticker_co, &r);
    run_loop();
    cr_assert_gt(r.rc, 0, "got %s", eddy_strerror(r.rc));
    cr_assert_geq(r.ticks_at_done, 1, "another coroutine ran during resolution");
    int found = 0;
    for (int i = 0; i < r.rc; i++) {
        char host[64];
        int port = -1;
        cr_assert_eq(eddy_addr_format(&r.addrs[i], host, sizeof(host), &port), 0);
        cr_assert_eq(port, 0);
        found |= strcmp(host, "127.0.0.1") == 0 || strcmp(host, "::1") == 0;
    }
    cr_assert(found, "localhost gave neither 127.0.0.1 nor ::1");
}

EDDY_TEST(resolve, numeric_hosts_resolve_at_once_even_outside_coroutines) {
    eddy_addr_t a[2];
    char host[64];
    cr_assert_eq(eddy_resolve("::1", 0, a, 2, 1000), 1);
    cr_assert_eq(eddy_addr_format(&a[0], host, sizeof(host), NULL), 0);
    cr_assert_str_eq(host, "::1");
    cr_assert_eq(eddy_resolve("10.1.2.3", AF_INET, a, 2, 1000), 1);
    cr_assert_eq(eddy_resolve("10.1.2.3", AF_INET6, a, 2, 1000), EDDY_ECO_OUT_OF_COROUTINE);
    cr_assert_eq(eddy_resolve("localhost", 0, a, 2, 1000), EDDY_ECO_OUT_OF_COROUTINE);
    cr_assert_eq(eddy_resolve("localhost", 0, a, 0, 1000), EDDY_EINVAL);
}

EDDY_TEST(resolve, cancel_during_resolution_frees_request_when_pool_finishes, .timeout = 30) {
    /* The getaddrinfo job outlives the canceled wait; its done callback
     * then owns and frees the request (ASan reports a leak or a
     * use-after-free otherwise). */
    resolve_t r = {.timeout = EDDY_WAIT_FOREVER};
    int64_t cid = go(resolve_co, &r);
    cr_assert_eq(eddy_coro_cancel(cid), 0);
    cr_assert_eq(r.done, 1);
    cr_assert_eq(r.rc, EDDY_ECANCELED);
    run_loop();
}

static void resolve_unknown_co(void *arg) {
    resolve_t *r = arg;
    r->rc = eddy_resolve("no-such-host.invalid", AF_INET, r->addrs, 8, r->timeout);
}

EDDY_TEST(resolve, unknown_host_is_enoent, .timeout = 60) {
    /* RFC 6761: .invalid never resolves. A sandbox whose DNS server cannot
     * be reached reports that as a timeout (EAI_AGAIN) instead. */
    resolve_t r = {.timeout = 20000};
    go(resolve_unknown_co, &r);
    run_loop();
    cr_assert(r.rc == -ENOENT || r.rc == EDDY_ETIMEDOUT, "got %s", eddy_strerror(r.rc));
}
