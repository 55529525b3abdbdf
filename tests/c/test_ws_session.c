/*
 * WebSocket sessions inside HTTP request handlers (eddy_ws_session_*), as
 * real processes on loopback, BASE and PROCESS modes. The child runs a
 * plain HTTP server whose handler starts a coroutine that upgrades and
 * loops on recv; tests talk to it with python3-websockets
 * (tests/c/ws_client.py) and with raw sockets.
 *
 * Text messages the handler understands (anything else is echoed):
 *   "bye"      -> eddy_ws_session_close(4000, "bye")
 *   "drop"     -> eddy_ws_session_close(0): the connection ends, no frame
 *   "ping:<p>" -> eddy_ws_session_ping(p)
 *   "timeout"  -> recv with a 200 ms timeout, answers "timeout rc=<rc>"
 *   "nap"      -> sleeps 300 ms without reading
 *   "whoami"   -> "fd=<fd>"
 * Sessions negotiate permessage-deflate when the client offers it.
 * What the handler saw goes to the events file: "upgrade rc=", "close
 * frame code= reason=", "recv ended rc=".
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "eddy/coro.h"
#include "eddy/http.h"
#include "eddy/server.h"
#include "eddy/websocket.h"
#include "eddy_test.h"
#include "loopback_harness.h"
#include "ws_echo_session.h"
#include "ws_raw_client.h"


typedef struct {
    pid_t pid;
    int port;
} proc_t;

/* ---- server side ------------------------------------------------------- */

typedef struct {
    eddy_http_request_t *req;
    eddy_http_response_t *resp;
} job_t;

/* One message: the suite's own command, then ws_echo_serve()'s. */
static void serve_one(eddy_ws_session_t *s, eddy_ws_session_msg_t *m) {
    if (ws_is(m, "nap")) {
        eddy_coro_sleep(300); /* messages pile up meanwhile */
    } else {
        ws_echo_serve(s, m);
    }
}

static void handler_main(void *arg) {
    job_t *j = arg;
    eddy_ws_session_t *s = ws_echo_upgrade(j->req, j->resp);
    free(j);
    if (!s) return;
    ws_echo_loop(s, serve_one);
    eddy_ws_session_free(s);
}

static void on_request(eddy_http_request_t *req, eddy_http_response_t *resp, void *data) {
    (void)data;
    if (req->path_len == 6 && memcmp(req->path, "/plain", 6) == 0) {
        eddy_http_response_end(resp, "hello", 5);
        return;
    }
    job_t *j = malloc(sizeof(*j)); /* the coroutine's, freed once it upgraded */
    *j = (job_t){req, resp};
    if (eddy_coro_create(handler_main, j) < 0) {
        free(j);
        eddy_http_response_status(resp, 500, NULL);
        eddy_http_response_end(resp, NULL, 0);
    }
}

static int child_main(const void *arg) {
    int mode = *(const int *)arg;
    static const char *const extra[] = {"package_max_length", "1048576", NULL};
    eddy_server_t *srv = harness_server_new(mode, mode == EDDY_SERVER_PROCESS ? 2 : 1, extra);
    if (!srv) return 1;
    eddy_server_events_t ev = {.on_start = harness_on_start};
    eddy_http_server_opts_t o = {.on_request = on_request, .events = &ev};
    return harness_serve_http(srv, &o);
}

/* ---- test side --------------------------------------------------------- */

static void start(int mode, proc_t *p) {
    memset(p, 0, sizeof(*p));
    harness_events_open("wss");
    p->pid = harness_start(child_main, &mode, &p->port);
}

static int stop(proc_t *p) {
    int rc = harness_stop(p->pid);
    if (rc >= 0) unlink(harness_events);
    return rc;
}

/* Waits (bounded) for the child to note `want`. */
static int await_note(const char *want) {
    for (int i = 0; i < 200; i++) {
        if (harness_events_have(want)) return 1;
        usleep(10 * 1000);
    }
    return 0;
}

/* ---- tests -------------------------------------------------------------- */

static void t_client_library(int mode) {
    proc_t p;
    start(mode, &p);
    ws_py_expect_echo_scenarios(p.port);
    cr_assert(await_note("close frame code=1000 reason=done\n"), "recv returned the close frame");
    cr_assert(await_note("recv ended rc=-1004\n"), "then recv saw the connection closed");
    cr_assert_eq(stop(&p), 0);
}

static void t_server_side(int mode) {
    proc_t p;
    char buf[4096], pl[128];
    size_t n;
    start(mode, &p);
    /* frames sent along with the handshake are read after the 101 */
    int fd = ws_raw_dial_text(p.port, "/chat", "early");
    ws_raw_expect_text(fd, "early");
    /* the handler pings; a recv timeout is an error the handler sees, the
     * session goes on */
    ws_raw_expect_ping_and_recv_timeout(fd);
    /* close from the server: a close frame 4000 "bye", then the end */
    ws_raw_send(fd, EDDY_WS_OP_TEXT, "bye");
    cr_assert_eq(ws_raw_read(fd, pl, &n), EDDY_WS_OP_CLOSE);
    cr_assert_eq(n, 5u);
    cr_assert_eq((uint8_t)pl[0] << 8 | (uint8_t)pl[1], 4000);
    cr_assert(memcmp(pl + 2, "bye", 3) == 0);
    cr_assert(harness_peer_closed(fd));
    close(fd);
    cr_assert(await_note("close rc=0\n"));
    /* close without a frame */
    fd = ws_raw_dial(p.port, "/chat", NULL);
    ws_raw_send(fd, EDDY_WS_OP_TEXT, "drop");
    cr_assert(harness_peer_closed(fd), "the connection ends without a close frame");
    close(fd);
    /* a request that is no handshake: 400, and the handler learns it */
    fd = harness_dial(p.port);
    cr_assert_eq(harness_send_str(fd, "GET /x HTTP/1.1\r\nHost: x\r\n\r\n"), 0);
    cr_assert_gt(harness_read_head(fd, buf, sizeof(buf)), 0);
    cr_assert(strncmp(buf, "HTTP/1.1 400 ", 13) == 0, "%s", buf);
    close(fd);
    cr_assert(await_note("upgrade rc=-8504\n"));
    /* plain requests on the same server are untouched */
    fd = harness_dial(p.port);
    cr_assert_eq(harness_send_str(fd, "GET /plain HTTP/1.1\r\nHost: x\r\n\r\n"), 0);
    cr_assert_gt(harness_read_response(fd, buf, sizeof(buf), 0), 0);
    cr_assert(strncmp(buf, "HTTP/1.1 200 ", 13) == 0, "%s", buf);
    close(fd);
    cr_assert_eq(stop(&p), 0);
}

static void t_peer_gone_and_errors(int mode) {
    proc_t p;
    char pl[128];
    size_t n;
    start(mode, &p);
    /* the client vanishes: the waiting recv wakes with "closed" */
    int fd = ws_raw_dial(p.port, "/chat", NULL);
    ws_raw_send(fd, EDDY_WS_OP_TEXT, "hi");
    ws_raw_expect_text(fd, "hi");
    close(fd);
    cr_assert(await_note("recv ended rc=-1004\n"), "recv woke when the connection closed");
    /* an unmasked client frame is a protocol error: close 1002 */
    fd = ws_raw_dial(p.port, "/chat", NULL);
    static const char unmasked[] = "\x81\x02hi";
    cr_assert_eq(harness_send_all(fd, unmasked, 4), 0);
    cr_assert_eq(ws_raw_read(fd, pl, &n), EDDY_WS_OP_CLOSE);
    cr_assert_eq((uint8_t)pl[0] << 8 | (uint8_t)pl[1], 1002);
    cr_assert(harness_peer_closed(fd));
    close(fd);
    /* a frame over package_max_length (1 MiB here): 1009, said from its header */
    fd = ws_raw_dial(p.port, "/chat", NULL);
    static const char big[] = "\x82\xff\0\0\0\0\0\x20\0\0" "abcd"; /* 2 MiB, masked */
    cr_assert_eq(harness_send_all(fd, big, sizeof(big) - 1), 0);
    cr_assert_eq(ws_raw_read(fd, pl, &n), EDDY_WS_OP_CLOSE);
    cr_assert_eq((uint8_t)pl[0] << 8 | (uint8_t)pl[1], 1009);
    cr_assert(harness_peer_closed(fd));
    close(fd);
    /* text that is not UTF-8: 1007 */
    fd = ws_raw_dial(p.port, "/chat", NULL);
    ws_raw_send(fd, EDDY_WS_OP_TEXT, "\xc3\x28");
    cr_assert_eq(ws_raw_read(fd, pl, &n), EDDY_WS_OP_CLOSE);
    cr_assert_eq((uint8_t)pl[0] << 8 | (uint8_t)pl[1], 1007);
    cr_assert(harness_peer_closed(fd));
    close(fd);
    cr_assert_eq(stop(&p), 0);
}

/* A handler that does not read for a while: 2 MB of messages arrive
 * meanwhile (past the 1 MiB queue the connection is paused, the sender
 * blocks), then every one comes back, in order. */
static void t_backlog(int mode) {
    proc_t p;
    char pl[128], want[128];
    size_t n;
    start(mode, &p);
    int fd = ws_raw_dial(p.port, "/chat", NULL);
    ws_raw_send(fd, EDDY_WS_OP_TEXT, "nap");
    enum { N = 20000 };
    eddy_buf_t b;
    eddy_buf_init(&b);
    for (int i = 0; i < N; i++) {
        snprintf(want, sizeof(want), "%05d-%090d", i, 0);
        ws_raw_frame(&b, EDDY_WS_OP_TEXT, want);
    }
    cr_assert_eq(harness_send_all(fd, b.data, b.len), 0);
    eddy_buf_free(&b);
    for (int i = 0; i < N; i++) {
        snprintf(want, sizeof(want), "%05d-%090d", i, 0);
        cr_assert_eq(ws_raw_read(fd, pl, &n), EDDY_WS_OP_TEXT, "message %d", i);
        cr_assert_str_eq(pl, want);
    }
    close(fd);
    cr_assert(await_note("recv ended rc=-1004\n"));
    cr_assert_eq(stop(&p), 0);
}

#define BOTH(name)                                                                             \
    EDDY_TEST(wss_base, name, .timeout = 90) { t_##name(EDDY_SERVER_BASE); }                   \
    EDDY_TEST(wss_process, name, .timeout = 90) { t_##name(EDDY_SERVER_PROCESS); }

BOTH(client_library)
BOTH(server_side)
BOTH(peer_gone_and_errors)
BOTH(backlog)
