/*
 * TLS on coroutine sockets (include/eddy/tls.h, src/net/tls*.c).
 *
 * Both ends run as coroutines on the default loop over loopback, as in
 * test_socket.c. Certificates are made per test with the openssl CLI in a
 * temp dir: a CA, a server certificate it signed for "localhost" and
 * 127.0.0.1, and a self-signed one. Results are recorded in the coroutines
 * and asserted after the loop ends (an assert must not unwind a coroutine
 * stack).
 */
#include "eddy_test.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "eddy/chan.h"
#include "eddy/coro.h"
#include "eddy/http_client.h"
#include "eddy/loop.h"
#include "eddy/socket.h"
#include "eddy/tls.h"
#include "coro_net_fixture.h"

/* White-box: the session's SSL (renegotiation, SNI as the server saw it) */
#include <openssl/ssl.h>

#include "net/tls_int.h"

#define MiB (1024u * 1024u)

/* ---- helpers ----------------------------------------------------------- */

typedef struct {
    char dir[64];
    char ca[128], cert[128], key[128], self_cert[128], self_key[128];
    char cli_cert[128], cli_key[128]; /* a client certificate; the key is encrypted */
} certs_t;

static void sh(const char *dir, const char *cmd) {
    char line[1024];
    snprintf(line, sizeof(line), "cd %s && ( %s ) >/dev/null 2>&1", dir, cmd);
    cr_assert_eq(system(line), 0, "failed: %s", cmd);
}

/* EC keys: made in milliseconds, where RSA would take a noticeable part
 * of a second per test. */
#define EC_KEY_ARGS "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes"

/* Dirs to remove at exit too: a failed assert ends the test before its
 * certs_remove (the test's process still exits normally). */
static char made_dirs[4][64];

static void remove_made_dirs(void) {
    char cmd[128];
    for (int i = 0; i < 4; i++) {
        if (!made_dirs[i][0]) continue;
        snprintf(cmd, sizeof(cmd), "rm -rf %s", made_dirs[i]);
        if (system(cmd) != 0) fprintf(stderr, "left behind: %s\n", made_dirs[i]);
    }
}

static void certs_make(certs_t *c) {
    static int hooked;
    snprintf(c->dir, sizeof(c->dir), "/tmp/eddy-tls-XXXXXX");
    cr_assert_not_null(mkdtemp(c->dir));
    for (int i = 0; i < 4; i++) {
        if (made_dirs[i][0]) continue;
        snprintf(made_dirs[i], sizeof(made_dirs[i]), "%s", c->dir);
        break;
    }
    if (!hooked++) atexit(remove_made_dirs);
    sh(c->dir, "openssl req -x509 " EC_KEY_ARGS " -keyout ca.key -out ca.pem -days 2 "
               "-subj /CN=eddy-test-ca");
    sh(c->dir, "openssl req " EC_KEY_ARGS " -keyout srv.key -out srv.csr -subj /CN=localhost");
    sh(c->dir, "printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\\n' > srv.ext && "
               "openssl x509 -req -in srv.csr -CA ca.pem -CAkey ca.key -CAcreateserial "
               "-out srv.pem -days 2 -extfile srv.ext");
    sh(c->dir, "openssl req -x509 " EC_KEY_ARGS " -keyout self.key -out self.pem -days 2 "
               "-subj /CN=localhost -addext subjectAltName=DNS:localhost");
    sh(c->dir, "openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 "
               "-passout pass:secret -keyout cli.key -out cli.csr -subj /CN=eddy-client && "
               "openssl x509 -req -in cli.csr -CA ca.pem -CAkey ca.key -CAcreateserial "
               "-out cli.pem -days 2");
    snprintf(c->ca, sizeof(c->ca), "%s/ca.pem", c->dir);
    snprintf(c->cert, sizeof(c->cert), "%s/srv.pem", c->dir);
    snprintf(c->key, sizeof(c->key), "%s/srv.key", c->dir);
    snprintf(c->self_cert, sizeof(c->self_cert), "%s/self.pem", c->dir);
    snprintf(c->self_key, sizeof(c->self_key), "%s/self.key", c->dir);
    snprintf(c->cli_cert, sizeof(c->cli_cert), "%s/cli.pem", c->dir);
    snprintf(c->cli_key, sizeof(c->cli_key), "%s/cli.key", c->dir);
}

static void certs_remove(certs_t *c) {
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", c->dir);
    cr_assert_eq(system(cmd), 0);
    for (int i = 0; i < 4; i++)
        if (strcmp(made_dirs[i], c->dir) == 0) made_dirs[i][0] = '\0';
}

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One test's two ends. The server side accepts one connection and runs
 * `serve` on it (TLS or not, as the test wants); the client connects and
 * runs `client`. */
typedef struct pair_s pair_t;
typedef void (*side_fn)(pair_t *p, eddy_socket_t *conn);

struct pair_s {
    certs_t certs;
    eddy_socket_t *lsn;
    int port;
    side_fn serve, client;
    /* results */
    int srv_rc, cli_rc;
    char srv_msg[256], cli_msg[256], bound_msg[256];
    char got[64];
    double elapsed;
    eddy_tls_info_t info;
    char alpn[32];
    char sni[64]; /* the name the server saw in the ClientHello */
    /* large transfers */
    unsigned char *up, *down, *up_got, *down_got;
    size_t big;
    ssize_t up_n, down_n, sent_up, sent_down;
};

static void server_co(void *arg) {
    pair_t *p = arg;
    int err = 0;
    eddy_socket_t *conn = eddy_socket_accept(p->lsn, 5000, &err);
    eddy_socket_close(p->lsn);
    if (!conn) {
        p->srv_rc = err;
        return;
    }
    p->serve(p, conn);
    eddy_socket_close(conn);
}

static void client_co(void *arg) {
    pair_t *p = arg;
    int err = 0;
    eddy_socket_t *s = eddy_socket_new(EDDY_SOCK_TCP, &err);
    p->cli_rc = eddy_socket_connect(s, "127.0.0.1", p->port, 2000);
    if (p->cli_rc == 0) p->client(p, s);
    eddy_socket_close(s);
}

/* A zeroed pair with fresh certificates (certs_remove() them at the end)
 * and its two sides; the test sets what else it needs, then run_pair(). */
static void pair_init(pair_t *p, side_fn serve, side_fn client) {
    memset(p, 0, sizeof(*p));
    certs_make(&p->certs);
    p->serve = serve;
    p->client = client;
}

static void run_pair(pair_t *p) {
    p->lsn = listener(&p->port);
    go(server_co, p);
    go(client_co, p);
    run_loop();
}

/* Server options with the CA-signed certificate; a test adds its own. */
static void server_opts(const pair_t *p, eddy_tls_opts_t *o) {
    eddy_tls_opts_init(o);
    o->cert_file = p->certs.cert;
    o->key_file = p->certs.key;
}

/* TLS with o on the accepted conn, its handshake done (3 s): 0 or the error. */
static int server_handshake(eddy_socket_t *conn, const eddy_tls_opts_t *o) {
    int rc = eddy_socket_tls_enable(conn, o, 1, NULL);
    return rc == 0 ? eddy_socket_tls_handshake(conn, 3000) : rc;
}

/* Server side: TLS with cert and key, ALPN offered, handshake done. */
static int server_tls(pair_t *p, eddy_socket_t *conn, const char *cert, const char *key) {
    eddy_tls_opts_t o;
    eddy_tls_opts_init(&o);
    o.cert_file = cert;
    o.key_file = key;
    o.alpn = "h2,http/1.1";
    int rc = server_handshake(conn, &o);
    p->srv_rc = rc;
    snprintf(p->srv_msg, sizeof(p->srv_msg), "%s", eddy_socket_errmsg(conn));
    return rc;
}

/* Client side verifying against our CA for host `host`. */
static int client_tls(pair_t *p, eddy_socket_t *s, const char *cafile, const char *host,
                      int64_t timeout_ms) {
    eddy_tls_opts_t o;
    eddy_tls_opts_init(&o);
    o.verify_peer = 1;
    o.verify_host = 1;
    o.cafile = cafile;
    o.alpn = "http/1.1";
    int rc = eddy_socket_tls_enable(s, &o, 0, host);
    double t0 = now_s();
    if (rc == 0) rc = eddy_socket_tls_handshake(s, timeout_ms);
    p->elapsed = now_s() - t0;
    p->cli_rc = rc;
    snprintf(p->cli_msg, sizeof(p->cli_msg), "%s", eddy_socket_errmsg(s));
    return rc;
}

/* ---- handshake and echo ------------------------------------------------ */

static void echo_serve(pair_t *p, eddy_socket_t *conn) {
    char buf[64];
    if (server_tls(p, conn, p->certs.cert, p->certs.key) < 0) return;
    const char *sni = SSL_get_servername(conn->tls->ssl, TLSEXT_NAMETYPE_host_name);
    snprintf(p->sni, sizeof(p->sni), "%s", sni ? sni : "(none)");
    ssize_t n = eddy_socket_recv(conn, buf, sizeof(buf), 3000);
    if (n > 0) n = eddy_socket_send_all(conn, buf, (size_t)n, 3000);
    if (n < 0) p->srv_rc = (int)n;
}

static void echo_client(pair_t *p, eddy_socket_t *s) {
    if (client_tls(p, s, p->certs.ca, "localhost", 3000) < 0) return;
    eddy_socket_tls_info(s, &p->info);
    if (p->info.alpn) snprintf(p->alpn, sizeof(p->alpn), "%.*s", (int)p->info.alpn_len, p->info.alpn);
    ssize_t n = eddy_socket_send_all(s, "hello tls", 9, 3000);
    if (n == 9) n = eddy_socket_recv_all(s, p->got, 9, 3000);
    if (n != 9) p->cli_rc = n < 0 ? (int)n : -1;
    /* after the server closed (with close_notify), a read sees the end */
    if (n == 9) p->up_n = eddy_socket_recv(s, p->got + 9, 8, 3000);
}

EDDY_TEST(tls, handshake_verifies_the_server_and_echoes_in_coroutines) {
    pair_t p;
    pair_init(&p, echo_serve, echo_client);
    p.up_n = -99;
    run_pair(&p);
    cr_assert_eq(p.srv_rc, 0, "server: %s", p.srv_msg);
    cr_assert_eq(p.cli_rc, 0, "client: %s", p.cli_msg);
    cr_assert_str_eq(p.got, "hello tls");
    cr_assert_eq(p.up_n, 0, "a read after the peer's close returns 0, got %zd", p.up_n);
    cr_assert_str_eq(p.info.protocol, "TLSv1.3");
    cr_assert_gt(p.info.cipher_bits, 0);
    cr_assert_str_eq(p.alpn, "http/1.1", "ALPN: the server's pick among the client's offer");
    cr_assert_str_eq(p.sni, "localhost", "SNI: the host name given to the client");
    certs_remove(&p.certs);
}

/* ---- the peer's certificate ------------------------------------------------ */

static void hs_serve(pair_t *p, eddy_socket_t *conn);

typedef struct {
    char sha256[129], pem[4096];
    int digest_rc, pem_rc, bad_algo_rc, small_rc;
} peer_info_t;

static void cert_client(pair_t *p, eddy_socket_t *s) {
    peer_info_t *pi = (peer_info_t *)p->up; /* the test's scratch */
    char tiny[8];
    if (client_tls(p, s, p->certs.ca, "localhost", 3000) < 0) return;
    pi->digest_rc = eddy_socket_tls_peer_digest(s, "sha256", pi->sha256, sizeof(pi->sha256));
    pi->pem_rc = eddy_socket_tls_peer_cert_pem(s, pi->pem, sizeof(pi->pem));
    pi->bad_algo_rc = eddy_socket_tls_peer_digest(s, "no-such-md", tiny, sizeof(tiny));
    pi->small_rc = eddy_socket_tls_peer_cert_pem(s, tiny, sizeof(tiny));
}

/* The CLI's "sha256 Fingerprint=AB:CD:..." as "abcd..." */
static void cli_fingerprint(const certs_t *c, char *out, size_t len) {
    char cmd[256], line[256];
    snprintf(cmd, sizeof(cmd), "openssl x509 -in %s -noout -fingerprint -sha256", c->cert);
    FILE *f = popen(cmd, "r");
    cr_assert_not_null(f);
    cr_assert_not_null(fgets(line, sizeof(line), f));
    pclose(f);
    size_t o = 0;
    for (const char *q = strchr(line, '=') + 1; *q && *q != '\n' && o + 1 < len; q++)
        if (*q != ':') out[o++] = (char)(*q >= 'A' && *q <= 'F' ? *q - 'A' + 'a' : *q);
    out[o] = '\0';
}

EDDY_TEST(tls, the_peer_certificate_digest_and_pem_are_the_servers) {
    pair_t p;
    peer_info_t pi;
    char want[129], file[4096];
    memset(&pi, 0, sizeof(pi));
    pair_init(&p, hs_serve, cert_client);
    p.up = (unsigned char *)&pi;
    run_pair(&p);
    cr_assert_eq(p.cli_rc, 0, "client: %s", p.cli_msg);
    cli_fingerprint(&p.certs, want, sizeof(want));
    cr_assert_eq(pi.digest_rc, 0);
    cr_assert_str_eq(pi.sha256, want);
    FILE *f = fopen(p.certs.cert, "r");
    size_t n = fread(file, 1, sizeof(file) - 1, f);
    fclose(f);
    file[n] = '\0';
    cr_assert_eq(pi.pem_rc, (int)n);
    cr_assert_str_eq(pi.pem, file);
    cr_assert_eq(pi.bad_algo_rc, EDDY_EINVAL);
    cr_assert_eq(pi.small_rc, EDDY_EINVAL);
    certs_remove(&p.certs);
}

/* ---- protocol versions ------------------------------------------------------ */

static void v12_client(pair_t *p, eddy_socket_t *s) {
    eddy_tls_opts_t o;
    eddy_tls_opts_init(&o);
    o.max_version = EDDY_TLS_V1_2;
    int rc = eddy_socket_tls_enable(s, &o, 0, "localhost");
    if (rc == 0) rc = eddy_socket_tls_handshake(s, 3000);
    if (rc == 0) rc = eddy_socket_tls_info(s, &p->info);
    p->cli_rc = rc;
    snprintf(p->cli_msg, sizeof(p->cli_msg), "%s", eddy_socket_errmsg(s));
}

static void v13_only_serve(pair_t *p, eddy_socket_t *conn) {
    eddy_tls_opts_t o;
    server_opts(p, &o);
    o.min_version = EDDY_TLS_V1_3;
    int rc = server_handshake(conn, &o);
    p->srv_rc = rc;
}

EDDY_TEST(tls, version_bounds_pick_or_refuse_the_protocol) {
    pair_t p;
    pair_init(&p, hs_serve, v12_client);
    run_pair(&p);
    cr_assert_eq(p.cli_rc, 0, "client: %s", p.cli_msg);
    cr_assert_str_eq(p.info.protocol, "TLSv1.2");

    pair_t q;
    memset(&q, 0, sizeof(q));
    q.certs = p.certs;
    q.serve = v13_only_serve;
    q.client = v12_client;
    run_pair(&q);
    cr_assert_eq(q.cli_rc, EDDY_ESSL_HANDSHAKE_FAILED, "got %d: %s", q.cli_rc, q.cli_msg);
    cr_assert(strstr(q.cli_msg, "protocol version"), "%s", q.cli_msg);
    cr_assert_eq(q.srv_rc, EDDY_ESSL_HANDSHAKE_FAILED);
    certs_remove(&p.certs);
}

/* ---- verification failures ---------------------------------------------- */

static void hs_serve(pair_t *p, eddy_socket_t *conn) {
    server_tls(p, conn, p->certs.cert, p->certs.key);
}

static void hs_serve_self(pair_t *p, eddy_socket_t *conn) {
    server_tls(p, conn, p->certs.self_cert, p->certs.self_key);
}

static void verify_system_store_client(pair_t *p, eddy_socket_t *s) {
    /* no cafile: the system's store, which does not know our CA */
    client_tls(p, s, NULL, "localhost", 3000);
}

EDDY_TEST(tls, verify_peer_rejects_a_certificate_no_trusted_ca_signed) {
    pair_t p;
    pair_init(&p, hs_serve, verify_system_store_client);
    run_pair(&p);
    cr_assert_eq(p.cli_rc, EDDY_ESSL_VERIFY_FAILED, "got %d: %s", p.cli_rc, p.cli_msg);
    cr_assert(strstr(p.cli_msg, "unable to get local issuer certificate"), "%s", p.cli_msg);
    cr_assert_neq(p.srv_rc, 0, "the server's handshake fails too");
    certs_remove(&p.certs);
}

static void self_signed_client(pair_t *p, eddy_socket_t *s) {
    eddy_tls_opts_t o;
    eddy_tls_opts_init(&o);
    o.verify_peer = 1;
    o.allow_self_signed = (int)p->big; /* the test's switch */
    int rc = eddy_socket_tls_enable(s, &o, 0, "localhost");
    if (rc == 0) rc = eddy_socket_tls_handshake(s, 3000);
    p->cli_rc = rc;
    snprintf(p->cli_msg, sizeof(p->cli_msg), "%s", eddy_socket_errmsg(s));
}

EDDY_TEST(tls, self_signed_certificate_fails_unless_allowed) {
    for (int allow = 0; allow <= 1; allow++) {
        pair_t p;
        pair_init(&p, hs_serve_self, self_signed_client);
        p.big = (size_t)allow;
        run_pair(&p);
        if (allow) {
            cr_assert_eq(p.cli_rc, 0, "allow_self_signed: %s", p.cli_msg);
        } else {
            cr_assert_eq(p.cli_rc, EDDY_ESSL_VERIFY_FAILED, "got %d: %s", p.cli_rc, p.cli_msg);
            cr_assert(strstr(p.cli_msg, "self-signed certificate"), "%s", p.cli_msg);
        }
        certs_remove(&p.certs);
    }
}

static void wrong_host_client(pair_t *p, eddy_socket_t *s) {
    client_tls(p, s, p->certs.ca, "wrong.example", 3000);
}

EDDY_TEST(tls, host_name_mismatch_is_rejected) {
    pair_t p;
    pair_init(&p, hs_serve, wrong_host_client);
    run_pair(&p);
    cr_assert_eq(p.cli_rc, EDDY_ESSL_VERIFY_FAILED, "got %d: %s", p.cli_rc, p.cli_msg);
    cr_assert(strstr(p.cli_msg, "wrong.example"), "%s", p.cli_msg);
    certs_remove(&p.certs);
}

/* ---- a peer that does not play ------------------------------------------- */

static void silent_serve(pair_t *p, eddy_socket_t *conn) {
    char buf[4096];
    /* takes the ClientHello and says nothing until the client gives up */
    (void)p;
    while (eddy_socket_recv(conn, buf, sizeof(buf), 3000) > 0) {
    }
}

static void timeout_client(pair_t *p, eddy_socket_t *s) {
    client_tls(p, s, p->certs.ca, "localhost", 300);
}

EDDY_TEST(tls, handshake_times_out_against_a_silent_peer) {
    pair_t p;
    pair_init(&p, silent_serve, timeout_client);
    run_pair(&p);
    cr_assert_eq(p.cli_rc, EDDY_ETIMEDOUT, "got %d: %s", p.cli_rc, p.cli_msg);
    cr_assert(p.elapsed >= 0.25 && p.elapsed < 1.5, "gave up after %.3f s", p.elapsed);
    cr_assert(strstr(p.cli_msg, "handshake timed out"), "%s", p.cli_msg);
    certs_remove(&p.certs);
}

static void closing_serve(pair_t *p, eddy_socket_t *conn) {
    char buf[8];
    (void)p;
    /* a few bytes of the ClientHello, then away with the rest unread */
    (void)eddy_socket_recv(conn, buf, sizeof(buf), 3000);
}

static void reset_client(pair_t *p, eddy_socket_t *s) {
    client_tls(p, s, p->certs.ca, "localhost", 3000);
}

EDDY_TEST(tls, peer_closing_mid_handshake_fails_the_handshake) {
    pair_t p;
    pair_init(&p, closing_serve, reset_client);
    run_pair(&p);
    cr_assert_eq(p.cli_rc, EDDY_ESSL_RESET, "got %d: %s", p.cli_rc, p.cli_msg);
    cr_assert(p.elapsed < 1.0, "noticed after %.3f s", p.elapsed);
    certs_remove(&p.certs);
}

/* ---- large transfers, a reader and a writer per socket ------------------ */

/* `big` random bytes each way (from `seed`) and room for what arrives;
 * big_free() releases the four buffers. */
static void big_alloc(pair_t *p, size_t big, unsigned seed) {
    p->big = big;
    p->up = malloc(big);
    p->down = malloc(big);
    p->up_got = malloc(big);
    p->down_got = malloc(big);
    cr_assert(p->up && p->down && p->up_got && p->down_got);
    for (size_t i = 0; i < big; i++) {
        p->up[i] = (unsigned char)rand_r(&seed);
        p->down[i] = (unsigned char)rand_r(&seed);
    }
}

static void big_free(pair_t *p) {
    free(p->up);
    free(p->down);
    free(p->up_got);
    free(p->down_got);
}

typedef struct {
    pair_t *p;
    eddy_socket_t *s;
    int server;
    eddy_wg_t *wg;
} half_t;

static void writer_co(void *arg) {
    half_t *h = arg;
    pair_t *p = h->p;
    ssize_t n = eddy_socket_send_all(h->s, h->server ? p->down : p->up, p->big, 10000);
    if (h->server) p->sent_down = n;
    else p->sent_up = n;
    eddy_wg_done(h->wg);
}

static void big_both(pair_t *p, eddy_socket_t *s, int server) {
    eddy_wg_t wg;
    eddy_wg_init(&wg);
    half_t h = {p, s, server, &wg};
    eddy_wg_add(&wg, 1);
    go(writer_co, &h);
    /* this coroutine reads while the other one writes the same socket */
    ssize_t n = eddy_socket_recv_all(s, server ? p->up_got : p->down_got, p->big, 10000);
    if (server) p->up_n = n;
    else p->down_n = n;
    eddy_wg_wait(&wg, 20000);
}

static void big_serve(pair_t *p, eddy_socket_t *conn) {
    if (server_tls(p, conn, p->certs.cert, p->certs.key) == 0) big_both(p, conn, 1);
}

static void big_client(pair_t *p, eddy_socket_t *s) {
    if (client_tls(p, s, p->certs.ca, "localhost", 3000) == 0) big_both(p, s, 0);
}

EDDY_TEST(tls, megabytes_both_ways_with_a_reader_and_a_writer_coroutine_per_socket) {
    pair_t p;
    pair_init(&p, big_serve, big_client);
    big_alloc(&p, 6 * MiB, 7);
    run_pair(&p);
    cr_assert_eq(p.srv_rc, 0, "server: %s", p.srv_msg);
    cr_assert_eq(p.cli_rc, 0, "client: %s", p.cli_msg);
    cr_assert_eq(p.sent_up, (ssize_t)p.big);
    cr_assert_eq(p.sent_down, (ssize_t)p.big);
    cr_assert_eq(p.up_n, (ssize_t)p.big);
    cr_assert_eq(p.down_n, (ssize_t)p.big);
    cr_assert(memcmp(p.up, p.up_got, p.big) == 0, "client to server bytes differ");
    cr_assert(memcmp(p.down, p.down_got, p.big) == 0, "server to client bytes differ");
    big_free(&p);
    certs_remove(&p.certs);
}

/* ---- the one-reader rule and errors -------------------------------------- */

typedef struct {
    eddy_socket_t *s;
    ssize_t rc;
    char got[16];
} first_t;

static void first_reader_co(void *arg) {
    first_t *r = arg;
    r->rc = eddy_socket_recv(r->s, r->got, sizeof(r->got) - 1, 2000);
}

static void quiet_serve(pair_t *p, eddy_socket_t *conn) {
    char buf[16];
    if (server_tls(p, conn, p->certs.cert, p->certs.key) < 0) return;
    /* answers once, late, so the client's first reader is still waiting
     * when a second coroutine tries to read */
    eddy_coro_sleep(200);
    (void)eddy_socket_send_all(conn, "late", 4, 1000);
    (void)eddy_socket_recv(conn, buf, sizeof(buf), 1000);
}

static void bound_client(pair_t *p, eddy_socket_t *s) {
    first_t r = {s, -99, ""};
    char c;
    if (client_tls(p, s, p->certs.ca, "localhost", 3000) < 0) return;
    /* the new coroutine runs first, up to its wait in recv: the reader */
    if (eddy_coro_create(first_reader_co, &r) <= 0) return;
    p->down_n = eddy_socket_recv(s, &c, 1, 1000); /* a second reader */
    snprintf(p->bound_msg, sizeof(p->bound_msg), "%s", eddy_socket_errmsg(s));
    for (int i = 0; i < 100 && r.rc == -99; i++) eddy_coro_sleep(20);
    p->up_n = r.rc;
    memcpy(p->got, r.got, sizeof(r.got));
}

EDDY_TEST(tls, a_second_reader_of_a_tls_socket_gets_the_bound_error) {
    pair_t p;
    pair_init(&p, quiet_serve, bound_client);
    run_pair(&p);
    cr_assert_eq(p.cli_rc, 0, "client: %s", p.cli_msg);
    cr_assert_eq(p.up_n, 4);
    cr_assert_str_eq(p.got, "late");
    cr_assert_eq(p.down_n, EDDY_ECO_HAS_BEEN_BOUND);
    cr_assert(strstr(p.bound_msg, "has already been bound"), "[%s]", p.bound_msg);
    certs_remove(&p.certs);
}

EDDY_TEST(tls, bad_settings_fail_with_openssl_reasons) {
    eddy_tls_opts_t o;
    char why[256] = "";
    int err = 0;
    eddy_tls_opts_init(&o);
    cr_assert_null(eddy_tls_ctx_new(&o, 1, &err, why, sizeof(why)));
    cr_assert_eq(err, EDDY_ESSL_BAD_PROTOCOL);
    cr_assert(strstr(why, "needs a certificate"), "%s", why);

    o.cert_file = "/nonexistent/cert.pem";
    cr_assert_null(eddy_tls_ctx_new(&o, 0, &err, why, sizeof(why)));
    cr_assert(strstr(why, "cannot load the certificate"), "%s", why);

    eddy_tls_opts_init(&o);
    o.ciphers = "NO-SUCH-CIPHER";
    cr_assert_null(eddy_tls_ctx_new(&o, 0, &err, why, sizeof(why)));
    cr_assert(strstr(why, "cipher"), "%s", why);

    eddy_tls_opts_init(&o);
    o.alpn = "h2,,x";
    cr_assert_null(eddy_tls_ctx_new(&o, 0, &err, why, sizeof(why)));

    eddy_tls_opts_init(&o);
    eddy_tls_ctx_t *c = eddy_tls_ctx_new(&o, 0, &err, why, sizeof(why));
    cr_assert_not_null(c, "%s", why);
    eddy_socket_t *u = eddy_socket_new(EDDY_SOCK_UDP, &err);
    cr_assert_eq(eddy_socket_tls_attach(u, c, NULL), EDDY_EINVAL);
    eddy_socket_close(u);
    eddy_tls_ctx_free(c);
}

/* ---- STARTTLS with the handshake pipelined behind the command ---------- */

static void starttls_serve(pair_t *p, eddy_socket_t *conn) {
    char line[64];
    /* late, so that the line and the ClientHello behind it arrive together
     * and the buffered line read takes both */
    eddy_coro_sleep(100);
    ssize_t n = eddy_socket_recv_line(conn, line, sizeof(line) - 1, 3000);
    if (n != 9 || memcmp(line, "STARTTLS\n", 9) != 0) {
        p->srv_rc = -2;
        return;
    }
    echo_serve(p, conn);
}

static void starttls_client(pair_t *p, eddy_socket_t *s) {
    /* no wait for an answer: the handshake follows the command at once */
    if (eddy_socket_send_all(s, "STARTTLS\n", 9, 3000) != 9) return;
    echo_client(p, s);
}

EDDY_TEST(tls, starttls_keeps_handshake_bytes_a_buffered_read_took_ahead) {
    pair_t p;
    pair_init(&p, starttls_serve, starttls_client);
    run_pair(&p);
    cr_assert_eq(p.srv_rc, 0, "server: %d %s", p.srv_rc, p.srv_msg);
    cr_assert_eq(p.cli_rc, 0, "client: %s", p.cli_msg);
    cr_assert_str_eq(p.got, "hello tls");
    certs_remove(&p.certs);
}

/* ---- client certificates --------------------------------------------------- */

/* The server asks for a client certificate signed by the test CA. */
static void mtls_serve(pair_t *p, eddy_socket_t *conn) {
    eddy_tls_opts_t o;
    server_opts(p, &o);
    o.verify_peer = 1;
    o.cafile = p->certs.ca;
    int rc = server_handshake(conn, &o);
    /* TLS 1.3: the client learns of a refusal on its first read */
    if (rc == 0) rc = eddy_socket_send_all(conn, "k", 1, 3000) == 1 ? 0 : -1;
    p->srv_rc = rc;
    snprintf(p->srv_msg, sizeof(p->srv_msg), "%s", eddy_socket_errmsg(conn));
}

static void mtls_client(pair_t *p, eddy_socket_t *s) {
    eddy_tls_opts_t o;
    eddy_tls_opts_init(&o);
    o.verify_peer = 1;
    o.cafile = p->certs.ca;
    if (p->big) { /* the test's switch: present the certificate */
        o.cert_file = p->certs.cli_cert;
        o.key_file = p->certs.cli_key;
        o.passphrase = "secret";
    }
    int rc = eddy_socket_tls_enable(s, &o, 0, "localhost");
    if (rc == 0) rc = eddy_socket_tls_handshake(s, 3000);
    if (rc == 0) {
        ssize_t n = eddy_socket_recv(s, p->got, 1, 3000);
        rc = n == 1 ? 0 : n < 0 ? (int)n : -1;
    }
    p->cli_rc = rc;
    snprintf(p->cli_msg, sizeof(p->cli_msg), "%s", eddy_socket_errmsg(s));
}

EDDY_TEST(tls, server_verifies_a_client_certificate_with_an_encrypted_key) {
    for (int present = 1; present >= 0; present--) {
        pair_t p;
        pair_init(&p, mtls_serve, mtls_client);
        p.big = (size_t)present;
        run_pair(&p);
        if (present) {
            cr_assert_eq(p.srv_rc, 0, "server: %s", p.srv_msg);
            cr_assert_eq(p.cli_rc, 0, "client: %s", p.cli_msg);
            cr_assert_str_eq(p.got, "k");
        } else {
            cr_assert_eq(p.srv_rc, EDDY_ESSL_EMPTY_PEER_CERTIFICATE, "server: %d %s", p.srv_rc,
                         p.srv_msg);
            cr_assert_neq(p.cli_rc, 0, "the client must see the refusal");
        }
        certs_remove(&p.certs);
    }
}

EDDY_TEST(tls, a_wrong_passphrase_fails_the_context) {
    certs_t c;
    char why[256] = "";
    int err = 0;
    certs_make(&c);
    eddy_tls_opts_t o;
    eddy_tls_opts_init(&o);
    o.cert_file = c.cli_cert;
    o.key_file = c.cli_key;
    o.passphrase = "wrong";
    cr_assert_null(eddy_tls_ctx_new(&o, 0, &err, why, sizeof(why)));
    cr_assert_eq(err, EDDY_ESSL_BAD_PROTOCOL);
    cr_assert(strstr(why, "cannot load the certificate or its key"), "%s", why);
    certs_remove(&c);
}

/* ---- HTTPS through the HTTP client ------------------------------------- */

static void https_serve(pair_t *p, eddy_socket_t *conn) {
    char req[2048];
    size_t have = 0;
    static const char resp[] = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\n"
                               "hello";
    if (server_tls(p, conn, p->certs.cert, p->certs.key) < 0) return;
    while (have < sizeof(req) - 1) {
        ssize_t n = eddy_socket_recv(conn, req + have, sizeof(req) - 1 - have, 3000);
        if (n <= 0) return;
        have += (size_t)n;
        req[have] = '\0';
        if (strstr(req, "\r\n\r\n")) break;
    }
    snprintf(p->bound_msg, sizeof(p->bound_msg), "%.200s", req);
    (void)eddy_socket_send_all(conn, resp, sizeof(resp) - 1, 3000);
}

typedef struct {
    pair_t *p;
    const char *ca;
    int status;
    char body[16];
    char err[160];
} https_t;

static void https_client_co(void *arg) {
    https_t *h = arg;
    eddy_tls_opts_t o;
    eddy_tls_opts_init(&o);
    o.verify_peer = 1;
    o.verify_host = 1;
    o.cafile = h->ca;
    eddy_tls_ctx_t *ctx = eddy_tls_ctx_new(&o, 0, NULL, NULL, 0);
    eddy_http_client_t *c = eddy_http_client_new("127.0.0.1", h->p->port, NULL);
    eddy_http_client_set_tls(c, ctx, "localhost");
    eddy_tls_ctx_free(ctx); /* the client holds its own reference */
    eddy_http_client_request_t r = {.method = "GET", .path = "/x"};
    eddy_http_client_execute(c, &r);
    h->status = eddy_http_client_status(c);
    size_t n = 0;
    const char *b = eddy_http_client_body(c, &n);
    snprintf(h->body, sizeof(h->body), "%.*s", (int)n, b ? b : "");
    snprintf(h->err, sizeof(h->err), "%s", eddy_http_client_errmsg(c));
    eddy_http_client_free(c);
}

static void run_https(pair_t *p, https_t *h) {
    p->lsn = listener(&p->port);
    h->p = p;
    go(server_co, p);
    go(https_client_co, h);
    run_loop();
}

EDDY_TEST(tls, http_client_speaks_https_and_checks_the_certificate) {
    pair_t p;
    pair_init(&p, https_serve, NULL); /* run_https() is the client */
    https_t h = {.ca = p.certs.ca};
    run_https(&p, &h);
    cr_assert_eq(h.status, 200, "status %d: %s", h.status, h.err);
    cr_assert_str_eq(h.body, "hello");
    cr_assert(strstr(p.bound_msg, "GET /x HTTP/1.1\r\n"), "%s", p.bound_msg);

    /* the system store does not know our CA: a connect failure */
    pair_t q;
    memset(&q, 0, sizeof(q));
    q.certs = p.certs;
    q.serve = hs_serve;
    https_t bad = {.ca = NULL};
    run_https(&q, &bad);
    cr_assert_eq(bad.status, EDDY_HTTP_CLIENT_CONNECT_FAILED);
    cr_assert(strstr(bad.err, "certificate verify failed"), "%s", bad.err);
    certs_remove(&p.certs);
}

/* ---- renegotiation: reads that must write, writes that must read ------- */

static void reneg_serve(pair_t *p, eddy_socket_t *conn) {
    eddy_tls_opts_t o;
    server_opts(p, &o);
    o.max_version = EDDY_TLS_V1_2; /* TLS 1.3 has no renegotiation */
    int rc = server_handshake(conn, &o);
    if (rc < 0) {
        p->srv_rc = rc;
        return;
    }
    size_t half = p->big / 2;
    p->sent_down = eddy_socket_send_all(conn, p->down, half, 10000);
    /* HelloRequest: the client must answer with a ClientHello from inside
     * its reads (and its writes then wait for the server's reply) */
    SSL *ssl = conn->tls->ssl;
    p->srv_rc = SSL_renegotiate(ssl) == 1 ? 0 : -1;
    /* sends the HelloRequest (or leaves it for the next write to flush) */
    (void)SSL_do_handshake(ssl);
    ssize_t n = eddy_socket_send_all(conn, p->down + half, p->big - half, 10000);
    if (n > 0) p->sent_down += n;
    p->up_n = eddy_socket_recv_all(conn, p->up_got, p->big, 10000);
    /* The client's ClientHello came after its data: "done" / "ack" get the
     * server to read it (and answer from inside that read); "bye" then has
     * to wait for the client's side of the new handshake (a write that must
     * read), which the client sends from inside its read of "bye". */
    char ack[4];
    if (eddy_socket_send_all(conn, "done", 4, 5000) != 4 ||
        eddy_socket_recv_all(conn, ack, 3, 5000) != 3 ||
        eddy_socket_send_all(conn, "bye", 3, 5000) != 3)
        p->srv_rc = -2;
    /* 1 while the renegotiation is still under way: it must have finished */
    p->down_n = SSL_renegotiate_pending(ssl);

}

static void reneg_client(pair_t *p, eddy_socket_t *s) {
    if (client_tls(p, s, p->certs.ca, "localhost", 3000) < 0) return;
    big_both(p, s, 0);
    if (eddy_socket_recv_all(s, p->got, 4, 5000) != 4 ||
        eddy_socket_send_all(s, "ack", 3, 5000) != 3 ||
        eddy_socket_recv_all(s, p->got + 4, 3, 5000) != 3)
        p->cli_rc = -2;

}

EDDY_TEST(tls, server_renegotiation_in_the_middle_of_transfers_both_ways) {
    pair_t p;
    pair_init(&p, reneg_serve, reneg_client);
    big_alloc(&p, 4 * MiB, 11);
    run_pair(&p);
    cr_assert_eq(p.cli_rc, 0, "client: %s", p.cli_msg);
    cr_assert_eq(p.srv_rc, 0, "the server could not renegotiate (%d)", p.srv_rc);
    cr_assert_eq(p.sent_up, (ssize_t)p.big, "client sent %zd", p.sent_up);
    cr_assert_eq(p.sent_down, (ssize_t)p.big, "server sent %zd", p.sent_down);
    cr_assert_eq(p.up_n, (ssize_t)p.big, "server got %zd", p.up_n);
    cr_assert(memcmp(p.up, p.up_got, p.big) == 0, "client to server bytes differ");
    cr_assert(memcmp(p.down, p.down_got, p.big) == 0, "server to client bytes differ");
    cr_assert_str_eq(p.got, "donebye");
    cr_assert_eq(p.down_n, 0, "the renegotiation did not complete");
    big_free(&p);
    certs_remove(&p.certs);
}
