/*
 * The WebSocket server over the engine, as real processes on loopback, in
 * BASE and PROCESS modes. A forked child runs the server; tests talk to it
 * with a real client (python3-websockets, driven by tests/c/ws_client.py
 * next to this file) and with raw sockets for the protocol errors a
 * client library never sends. Server-side observations go to a per-test
 * events file.
 *
 * Messages the server understands (anything else is echoed, deflated
 * back when the connection negotiated it):
 *   "whoami"             -> "fd=<fd> opened=<on_open fired 0/1>"
 *   "bye"                -> eddy_ws_disconnect(4000, "bye")
 *   "push-to:<fd>:<msg>" -> pushes msg to fd, answers "pushed <rc>"
 *   "broadcast:<msg>"    -> eddy_ws_broadcast(msg), answers "sent=<n>"
 * Plain HTTP: any path answers "hello". With the custom handshake
 * variant, /deny is refused with 403 and other paths accepted by
 * eddy_ws_server_accept().
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "eddy/server.h"
#include "eddy/websocket.h"
#include "eddy_test.h"
#include "loopback_harness.h"

#define PYTHON "/usr/bin/python3" /* the Debian one, where python3-websockets lives */

typedef struct {
    pid_t pid;
    int port;
} proc_t;

static unsigned char g_opened[1 << 16]; /* on_open seen, by fd low bits (child) */

/* ---- server side ------------------------------------------------------- */

static int starts(const char *d, size_t n, const char *p) {
    size_t l = strlen(p);
    return n >= l && memcmp(d, p, l) == 0;
}

static void reply(eddy_ws_server_t *ws, int fd, const char *fmt, ...) {
    char out[128];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(out, sizeof(out), fmt, ap);
    va_end(ap);
    eddy_ws_push(ws, fd, EDDY_WS_OP_TEXT, out, (size_t)n, EDDY_WS_FLAG_FIN);
}

static void on_message(eddy_ws_server_t *ws, int fd, int opcode, const char *data, size_t len,
                       int flags) {
    if (opcode == EDDY_WS_OP_PING || opcode == EDDY_WS_OP_PONG) { /* open_websocket_*_frame */
        reply(ws, fd, "got %s %.*s", opcode == EDDY_WS_OP_PING ? "ping" : "pong", (int)len, data);
    } else if (opcode == EDDY_WS_OP_CLOSE) {
        uint16_t code = 0;
        const char *reason = NULL;
        size_t rl = 0;
        eddy_ws_close_parse(data, len, &code, &reason, &rl);
        harness_note("close frame code=%u reason=%.*s\n", code, (int)rl, reason ? reason : "");
    } else if (opcode == EDDY_WS_OP_TEXT && len == 6 && memcmp(data, "whoami", 6) == 0) {
        reply(ws, fd, "fd=%d opened=%d", fd, g_opened[fd & 0xffff]);
    } else if (opcode == EDDY_WS_OP_TEXT && len == 6 && memcmp(data, "reload", 6) == 0) {
        harness_note("reload rc=%d\n", eddy_server_reload(eddy_ws_server_server(ws)));
    } else if (opcode == EDDY_WS_OP_TEXT && len == 3 && memcmp(data, "bye", 3) == 0) {
        harness_note("disconnect rc=%d\n", eddy_ws_disconnect(ws, fd, 4000, "bye", 3));
    } else if (opcode == EDDY_WS_OP_TEXT && starts(data, len, "push-to:")) {
        char buf[128];
        snprintf(buf, sizeof(buf), "%.*s", (int)len, data);
        char *msg = strchr(buf + 8, ':');
        int to = atoi(buf + 8);
        int rc = msg ? eddy_ws_push(ws, to, EDDY_WS_OP_TEXT, msg + 1, strlen(msg + 1),
                                    EDDY_WS_FLAG_FIN)
                     : -1;
        reply(ws, fd, "pushed %d", rc);
    } else if (opcode == EDDY_WS_OP_TEXT && (starts(data, len, "relay:") ||
                                             starts(data, len, "relaybye:"))) {
        /* to the other worker, which pushes / disconnects (on_pipe_message) */
        eddy_server_t *srv = eddy_ws_server_server(ws);
        eddy_server_send_message(srv, data, len, 1 - eddy_server_worker_id(srv));
    } else if (opcode == EDDY_WS_OP_TEXT && starts(data, len, "broadcast:")) {
        int n = eddy_ws_broadcast(ws, EDDY_WS_OP_TEXT, data + 10, len - 10, EDDY_WS_FLAG_FIN);
        reply(ws, fd, "sent=%d", n);
    } else {
        if (len > 1000)
            harness_note("message len=%zu compressed=%d\n", len, !!(flags & EDDY_WS_FLAG_COMPRESS));
        /* Deflated back only where negotiated (the flag is ignored elsewhere). */
        eddy_ws_push(ws, fd, opcode, data, len, EDDY_WS_FLAG_FIN | EDDY_WS_FLAG_COMPRESS);
    }
}

/* In the worker that does not own the connection. */
static void on_pipe_message(eddy_server_t *srv, int src, const char *data, size_t len) {
    eddy_ws_server_t *ws = eddy_ws_server_of(srv);
    char buf[128];
    snprintf(buf, sizeof(buf), "%.*s", (int)len, data);
    char *arg = strchr(buf, ':') + 1;
    int fd = atoi(arg);
    harness_note("relay from=%d in=%d est=%d\n", src, eddy_server_worker_id(srv),
         eddy_ws_is_established(ws, fd));
    if (starts(buf, len, "relaybye:")) {
        eddy_ws_disconnect(ws, fd, 4001, "far", 3);
    } else {
        char *msg = strchr(arg, ':') + 1;
        eddy_ws_push(ws, fd, EDDY_WS_OP_TEXT, msg, strlen(msg), EDDY_WS_FLAG_FIN);
    }
}

static void on_open(eddy_ws_server_t *ws, int fd, eddy_http_request_t *req) {
    (void)ws;
    (void)req;
    g_opened[fd & 0xffff] = 1;
}

static void on_close(eddy_ws_server_t *ws, int fd) {
    harness_note("close fd=%d established=%d\n", fd, eddy_ws_is_established(ws, fd));
}

static void on_disconnect(eddy_ws_server_t *ws, int fd) {
    (void)ws;
    harness_note("disconnect fd=%d\n", fd);
}

static void on_request(eddy_http_request_t *req, eddy_http_response_t *resp, void *data) {
    (void)req;
    (void)data;
    eddy_http_response_end(resp, "hello", 5);
}

static void on_handshake(eddy_ws_server_t *ws, eddy_http_request_t *req,
                         eddy_http_response_t *resp) {
    if (req->path_len == 5 && memcmp(req->path, "/deny", 5) == 0) {
        eddy_http_response_status(resp, 403, NULL);
        eddy_http_response_end(resp, "no", 2);
        return;
    }
    eddy_ws_server_accept(ws, req, resp);
}

#define V_HANDSHAKE 1 /* on_handshake set */
#define V_FRAMES 2    /* open_websocket_ping/pong/close_frame on */
#define V_TWO 4       /* two workers in BASE mode too */

typedef struct {
    int mode, variant;
} srv_t;

static int child_main(const void *arg) {
    const srv_t *so = arg;
    int mode = so->mode, variant = so->variant;
    int two = mode == EDDY_SERVER_PROCESS || (variant & V_TWO);
    static const char *const extra[] = {"package_max_length", "1048576", NULL};
    eddy_server_t *srv = harness_server_new(mode, two ? 2 : 1, extra);
    if (!srv) return 1;
    eddy_server_events_t ev = {.on_start = harness_on_start, .on_pipe_message = on_pipe_message};
    eddy_ws_server_opts_t o = {.on_message = on_message, .on_open = on_open,
                               .on_close = on_close, .on_request = on_request, .events = &ev,
                               .compression = 1};
    if (variant & V_HANDSHAKE) o.on_handshake = on_handshake;
    if (variant & V_FRAMES) {
        o.open_ping_frame = o.open_pong_frame = o.open_close_frame = 1;
        o.on_disconnect = on_disconnect;
    }
    return harness_serve_ws(srv, &o);
}

/* ---- test side --------------------------------------------------------- */

static void start_ex(int mode, int variant, proc_t *p) {
    srv_t so = {mode, variant};
    memset(p, 0, sizeof(*p));
    harness_events_open("ws");
    p->pid = harness_start(child_main, &so, &p->port);
}

static void start(int mode, proc_t *p) { start_ex(mode, 0, p); }

static int stop(proc_t *p) {
    int rc = harness_stop(p->pid);
    if (rc >= 0) unlink(harness_events); /* kept when it had to be killed, to look at */
    return rc;
}

/* Runs ws_client.py SCENARIO PORT [arg]; its output into out; exit status. */
static int client(char *out, size_t cap, const char *scenario, int port, const char *arg) {
    char path[512];
    snprintf(path, sizeof(path), "%s", __FILE__);
    int st = harness_run(out, cap, "timeout 30 " PYTHON " %s/ws_client.py %s %d %s 2>&1",
                         dirname(path), scenario, port, arg ? arg : "");
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void expect_client(int port, const char *scenario, const char *arg, const char *want) {
    char out[4096];
    int rc = client(out, sizeof(out), scenario, port, arg);
    cr_assert_eq(rc, 0, "%s: exit %d:\n%s", scenario, rc, out);
    cr_assert_not_null(strstr(out, want), "%s: wanted '%s' in:\n%s", scenario, want, out);
}

#define KEY "dGhlIHNhbXBsZSBub25jZQ==" /* RFC 6455 section 1.3's example */

/* Opens a raw WebSocket: handshake checked, 101 head consumed. */
static int ws_dial(int port) {
    char head[2048];
    int fd = harness_dial(port);
    cr_assert_eq(harness_send_all(fd,
                          "GET /chat HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                          "Connection: Upgrade\r\nSec-WebSocket-Key: " KEY "\r\n"
                          "Sec-WebSocket-Version: 13\r\n\r\n",
                          strlen("GET /chat HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                                 "Connection: Upgrade\r\nSec-WebSocket-Key: " KEY "\r\n"
                                 "Sec-WebSocket-Version: 13\r\n\r\n")),
                 0);
    cr_assert_gt(harness_read_head(fd, head, sizeof(head)), 0);
    cr_assert(strncmp(head, "HTTP/1.1 101 ", 13) == 0, "%s", head);
    cr_assert_not_null(strstr(head, "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"),
                       "%s", head);
    return fd;
}

/* Reads one server frame (unmasked, payload <= 64 KiB); its opcode, or -1. */
static int read_frame(int fd, uint8_t *payload, size_t *len) {
    uint8_t h[2];
    if (harness_recv_all(fd, h, 2) < 0) return -1;
    cr_assert_eq(h[1] & 0x80, 0, "server frames are never masked");
    size_t n = h[1] & 0x7f;
    if (n == 126) {
        uint8_t e[2];
        if (harness_recv_all(fd, e, 2) < 0) return -1;
        n = (size_t)e[0] << 8 | e[1];
    }
    cr_assert_lt(n, 127u);
    if (n && harness_recv_all(fd, payload, n) < 0) return -1;
    *len = n;
    return h[0] & 0x0f;
}

/* Sends raw frame bytes, expects a close frame with `code`, then EOF. */
static void expect_close_code(int port, const void *frame, size_t n, int code) {
    int fd = ws_dial(port);
    uint8_t p[256];
    size_t len = 0;
    cr_assert_eq(harness_send_all(fd, frame, n), 0);
    cr_assert_eq(read_frame(fd, p, &len), EDDY_WS_OP_CLOSE, "no close frame for code %d", code);
    cr_assert_geq(len, 2u);
    cr_assert_eq(p[0] << 8 | p[1], code);
    cr_assert(harness_peer_closed(fd), "the server closes after the close frame (%d)", code);
    close(fd);
}

/* ---- tests -------------------------------------------------------------- */

static void t_echo(int mode) {
    proc_t p;
    start(mode, &p);
    expect_client(p.port, "echo", NULL, "ok text\nok binary\nok big\nok fd=");
    expect_client(p.port, "echo", NULL, "opened=1");
    expect_client(p.port, "fragment", NULL, "ok fragmented");
    expect_client(p.port, "ping", NULL, "ok pong");
    cr_assert_eq(stop(&p), 0);
}

static void t_close_codes(int mode) {
    proc_t p;
    start(mode, &p);
    expect_client(p.port, "close", NULL, "ok close 1000 done");
    expect_client(p.port, "disconnect", NULL, "ok closed 4000 bye");
    cr_assert(harness_events_have("disconnect rc=0\n"));
    cr_assert(harness_events_have("established=0\n"), "on_close fired, no longer established");
    cr_assert_eq(stop(&p), 0);
}

static void t_deflate(int mode) {
    proc_t p;
    start(mode, &p);
    expect_client(p.port, "deflate", NULL, "ok deflate 102400 permessage-deflate");
    cr_assert(harness_events_have("message len=102400 compressed=1\n"),
              "the client's messages arrived deflated and were inflated");
    cr_assert_eq(stop(&p), 0);
}

static void t_push_broadcast(int mode) {
    proc_t p;
    start(mode, &p);
    expect_client(p.port, "push", NULL, "ok push");
    expect_client(p.port, "broadcast", "10", "ok broadcast received=10 sent=10");
    cr_assert_eq(stop(&p), 0);
}

static void t_http_and_handshake_errors(int mode) {
    proc_t p;
    char buf[4096];
    start(mode, &p);
    /* plain HTTP on the same port still reaches on_request */
    int fd = harness_dial(p.port);
    cr_assert_eq(harness_send_all(fd, "GET /x HTTP/1.1\r\nHost: x\r\n\r\n", 28), 0);
    cr_assert_gt(harness_read_head(fd, buf, sizeof(buf)), 0);
    cr_assert(strncmp(buf, "HTTP/1.1 200 ", 13) == 0, "%s", buf);
    cr_assert_not_null(strstr(buf, "Content-Length: 5\r\n"));
    close(fd);
    /* no key: 400, then the connection ends */
    fd = harness_dial(p.port);
    const char *nokey = "GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                        "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n";
    cr_assert_eq(harness_send_all(fd, nokey, strlen(nokey)), 0);
    cr_assert_gt(harness_read_head(fd, buf, sizeof(buf)), 0);
    cr_assert(strncmp(buf, "HTTP/1.1 400 ", 13) == 0, "%s", buf);
    cr_assert(harness_peer_closed(fd));
    close(fd);
    /* a bad key and a POST are 400 too; another version is 426 */
    const char *bad[] = {
        "GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: short\r\nSec-WebSocket-Version: 13\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: " KEY "\r\nSec-WebSocket-Version: 13\r\nContent-Length: 0\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: " KEY "\r\nSec-WebSocket-Version: 8\r\n\r\n"};
    const char *want[] = {"HTTP/1.1 400 ", "HTTP/1.1 400 ", "HTTP/1.1 426 "};
    for (int i = 0; i < 3; i++) {
        fd = harness_dial(p.port);
        cr_assert_eq(harness_send_all(fd, bad[i], strlen(bad[i])), 0);
        cr_assert_gt(harness_read_head(fd, buf, sizeof(buf)), 0);
        cr_assert(strncmp(buf, want[i], 13) == 0, "case %d: %s", i, buf);
        if (i == 2) cr_assert_not_null(strstr(buf, "Sec-WebSocket-Version: 13\r\n"));
        cr_assert(harness_peer_closed(fd), "case %d", i);
        close(fd);
    }
    cr_assert_eq(stop(&p), 0);
}

static void t_protocol_errors(int mode) {
    proc_t p;
    start(mode, &p);
    /* a client frame without mask -> 1002 */
    expect_close_code(p.port, "\x81\x02hi", 4, 1002);
    /* a frame claiming 2 MiB (package_max_length is 1 MiB) -> 1009 at once */
    const uint8_t big[] = {0x82, 0xff, 0, 0, 0, 0, 0, 0x20, 0, 0, 1, 2, 3, 4};
    expect_close_code(p.port, big, sizeof(big), 1009);
    /* text that is not UTF-8 -> 1007 (mask 0: payload bytes as they are) */
    const uint8_t utf[] = {0x81, 0x82, 0, 0, 0, 0, 0xc3, 0x28};
    expect_close_code(p.port, utf, sizeof(utf), 1007);
    /* opcode 3 (reserved) and RSV1 without deflate -> 1002 */
    const uint8_t op3[] = {0x83, 0x80, 1, 2, 3, 4};
    expect_close_code(p.port, op3, sizeof(op3), 1002);
    const uint8_t rsv[] = {0xc1, 0x80, 1, 2, 3, 4};
    expect_close_code(p.port, rsv, sizeof(rsv), 1002);
    /* a fragmented message over the limit -> 1009 once it passes it */
    int fd = ws_dial(p.port);
    static uint8_t chunk[8 + 600 * 1024];
    memset(chunk, 'a', sizeof(chunk));
    for (int i = 0; i < 2; i++) {
        uint8_t h[14] = {i == 0 ? 0x02 : 0x00, 0xff, 0, 0, 0, 0, 0, 0x09, 0x60, 0x00, 0, 0, 0, 0};
        cr_assert_eq(harness_send_all(fd, h, sizeof(h)), 0);
        if (harness_send_all(fd, chunk, 600 * 1024) < 0) break; /* the server may stop reading */
    }
    uint8_t pl[256];
    size_t len = 0;
    cr_assert_eq(read_frame(fd, pl, &len), EDDY_WS_OP_CLOSE);
    cr_assert_eq(pl[0] << 8 | pl[1], 1009);
    close(fd);
    /* the server is still serving */
    expect_client(p.port, "echo", NULL, "ok text");
    cr_assert_eq(stop(&p), 0);
}

/* Frames that arrive with the handshake, and a close with no code. */
static void t_raw_pipelined(int mode) {
    proc_t p;
    start(mode, &p);
    char head[2048];
    int fd = harness_dial(p.port);
    const char *hs = "GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                     "Sec-WebSocket-Key: " KEY "\r\nSec-WebSocket-Version: 13\r\n\r\n";
    /* masked "hi" (mask 01 02 03 04) and a ping, in the same send */
    const uint8_t frames[] = {0x81, 0x82, 1, 2, 3, 4, 'h' ^ 1, 'i' ^ 2,
                              0x89, 0x81, 0, 0, 0, 0, 'p'};
    char msg[512];
    memcpy(msg, hs, strlen(hs));
    memcpy(msg + strlen(hs), frames, sizeof(frames));
    cr_assert_eq(harness_send_all(fd, msg, strlen(hs) + sizeof(frames)), 0);
    cr_assert_gt(harness_read_head(fd, head, sizeof(head)), 0);
    cr_assert(strncmp(head, "HTTP/1.1 101 ", 13) == 0, "%s", head);
    uint8_t pl[256];
    size_t len = 0;
    cr_assert_eq(read_frame(fd, pl, &len), EDDY_WS_OP_TEXT);
    cr_assert(len == 2 && memcmp(pl, "hi", 2) == 0);
    cr_assert_eq(read_frame(fd, pl, &len), EDDY_WS_OP_PONG);
    cr_assert(len == 1 && pl[0] == 'p');
    /* a close without a code is answered with an empty close */
    cr_assert_eq(harness_send_all(fd, "\x88\x80\0\0\0\0", 6), 0);
    cr_assert_eq(read_frame(fd, pl, &len), EDDY_WS_OP_CLOSE);
    cr_assert_eq(len, 0u);
    cr_assert(harness_peer_closed(fd));
    close(fd);
    cr_assert_eq(stop(&p), 0);
}

static void t_custom_handshake(int mode) {
    proc_t p;
    start_ex(mode, V_HANDSHAKE, &p);
    /* refused with the callback's status; accepted ones never fire on_open */
    expect_client(p.port, "reject", NULL, "ok refused 403\nok custom fd=");
    expect_client(p.port, "reject", NULL, "opened=0");
    cr_assert_eq(stop(&p), 0);
}

/* push and disconnect from the worker that does not own the connection */
static void t_other_worker(int mode) {
    proc_t p;
    start_ex(mode, V_TWO, &p);
    expect_client(p.port, "relay", NULL, "ok relay\nok relaybye 4001 far");
    cr_assert(harness_events_have("relay from=0 in=1 est=1\n") ||
              harness_events_have("relay from=1 in=0 est=1\n"));
    cr_assert(harness_events_have("established=0\n"));
    cr_assert_eq(stop(&p), 0);
}

/* PROCESS mode: connections outlive a worker, their frame state does not;
 * the successor closes them with 1001 instead of parsing frames as HTTP. */
static void t_restart_closes(int mode) {
    proc_t p;
    start(mode, &p);
    expect_client(p.port, "restart", NULL, "ok restart 1001");
    expect_client(p.port, "echo", NULL, "ok text"); /* and serves new ones */
    cr_assert_eq(stop(&p), 0);
}

/* open_websocket_ping_frame / _pong_frame / _close_frame: control frames
 * reach on_message; a ping is then not answered by the server. */
static void t_control_frames_delivered(int mode) {
    proc_t p;
    start_ex(mode, V_FRAMES, &p);
    int fd = ws_dial(p.port);
    uint8_t pl[256];
    size_t len = 0;
    cr_assert_eq(harness_send_all(fd, "\x89\x82\0\0\0\0p1\x8a\x82\0\0\0\0p2", 16), 0);
    cr_assert_eq(read_frame(fd, pl, &len), EDDY_WS_OP_TEXT, "no pong before the callback's answer");
    cr_assert(len == 11 && memcmp(pl, "got ping p1", 11) == 0, "%.*s", (int)len, pl);
    cr_assert_eq(read_frame(fd, pl, &len), EDDY_WS_OP_TEXT);
    cr_assert(len == 11 && memcmp(pl, "got pong p2", 11) == 0, "%.*s", (int)len, pl);
    /* close 1001 "away": delivered, then echoed and closed as usual */
    cr_assert_eq(harness_send_all(fd, "\x88\x86\0\0\0\0\x03\xe9" "away", 12), 0);
    cr_assert_eq(read_frame(fd, pl, &len), EDDY_WS_OP_CLOSE);
    cr_assert(len == 6 && (pl[0] << 8 | pl[1]) == 1001 && memcmp(pl + 2, "away", 4) == 0);
    cr_assert(harness_peer_closed(fd));
    close(fd);
    cr_assert(harness_events_have("close frame code=1001 reason=away\n"));
    cr_assert(harness_events_have("close fd="), "a WebSocket's close goes to on_close");
    /* with on_disconnect set, a plain HTTP connection's close goes there */
    char buf[1024];
    fd = harness_dial(p.port);
    cr_assert_eq(harness_send_all(fd, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 46),
                 0);
    cr_assert_gt(harness_read_head(fd, buf, sizeof(buf)), 0);
    cr_assert(harness_peer_closed(fd));
    close(fd);
    cr_assert(harness_events_have("disconnect fd="));
    cr_assert_eq(stop(&p), 0);
}

#define BOTH(name)                                                                          \
    EDDY_TEST(ws_base, name, .timeout = 90) { t_##name(EDDY_SERVER_BASE); }                \
    EDDY_TEST(ws_process, name, .timeout = 90) { t_##name(EDDY_SERVER_PROCESS); }

EDDY_TEST(ws_base, echo, .timeout = 90) { t_echo(EDDY_SERVER_BASE); }
EDDY_TEST(ws_base, close_codes, .timeout = 90) { t_close_codes(EDDY_SERVER_BASE); }
EDDY_TEST(ws_base, deflate, .timeout = 90) { t_deflate(EDDY_SERVER_BASE); }
EDDY_TEST(ws_base, http_and_handshake_errors, .timeout = 90) {
    t_http_and_handshake_errors(EDDY_SERVER_BASE);
}
EDDY_TEST(ws_base, protocol_errors, .timeout = 90) { t_protocol_errors(EDDY_SERVER_BASE); }
EDDY_TEST(ws_base, raw_pipelined, .timeout = 90) { t_raw_pipelined(EDDY_SERVER_BASE); }
EDDY_TEST(ws_base, custom_handshake, .timeout = 90) { t_custom_handshake(EDDY_SERVER_BASE); }
BOTH(push_broadcast)
BOTH(other_worker)
EDDY_TEST(ws_process, restart_closes, .timeout = 90) { t_restart_closes(EDDY_SERVER_PROCESS); }
EDDY_TEST(ws_base, control_frames_delivered, .timeout = 90) {
    t_control_frames_delivered(EDDY_SERVER_BASE);
}
EDDY_TEST(ws_process, echo, .timeout = 90) { t_echo(EDDY_SERVER_PROCESS); }
EDDY_TEST(ws_process, deflate, .timeout = 90) { t_deflate(EDDY_SERVER_PROCESS); }
