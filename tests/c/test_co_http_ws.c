/*
 * WebSocket sessions on the coroutine HTTP server (eddy_ws_session_* over
 * eddy_co_http_*, src/http/ws_session_co.c): a child process runs the
 * server in a coroutine; the tests talk to it with python3-websockets
 * (tests/c/ws_client.py) and with raw RFC 6455 sockets. "/stop" shuts the
 * server down; the child exits 0 only when start() returned 0 and, under
 * ASan, nothing it allocated leaked.
 *
 * The "/" handler upgrades (permessage-deflate when offered) and loops on
 * recv; the text messages it understands (anything else is echoed):
 *   "bye"      -> eddy_ws_session_close(4000, "bye")
 *   "drop"     -> eddy_ws_session_close(0): the connection ends, no frame
 *   "ping:<p>" -> eddy_ws_session_ping(p)
 *   "timeout"  -> recv with a 200 ms timeout, answers "timeout rc=<rc>"
 *   "join"     -> joins the room, answers "joined"
 *   "say:<t>"  -> pushes <t> to every room member, from this coroutine
 *   "outside"  -> a push from a loop callback, outside any coroutine; its
 *                 rc is noted, and then said from the handler
 * "/late" hands the response to another coroutine, which upgrades 50 ms
 * after the handler returned and echoes. What the handlers saw goes to
 * the events file.
 */
#define _GNU_SOURCE
#include <stdint.h>

#include "eddy/coro.h"
#include "eddy/loop.h"
#include "eddy/websocket.h"
#include "loopback_harness.h"
#include "ws_echo_session.h"
#include "ws_raw_client.h"

#define ROOM_MAX 8

/* ---- the server (in the child) ------------------------------------------ */

static eddy_co_http_t *the_server;
static eddy_ws_session_t *room[ROOM_MAX]; /* not owned: each handler frees its own */

static void room_leave(eddy_ws_session_t *s) {
    for (int i = 0; i < ROOM_MAX; i++)
        if (room[i] == s) room[i] = NULL;
}

static void room_join(eddy_ws_session_t *s) {
    for (int i = 0; i < ROOM_MAX; i++)
        if (!room[i]) {
            room[i] = s;
            ws_say(s, "joined", 0);
            return;
        }
}

static void room_say(const char *p, size_t n) {
    int sent = 0;
    for (int i = 0; i < ROOM_MAX; i++)
        if (room[i] && eddy_ws_session_push(room[i], EDDY_WS_OP_TEXT, p, n, EDDY_WS_FLAG_FIN) == 0)
            sent++;
    harness_note("said to %d\n", sent);
}

static int outside_rc = 1;

static void push_outside(void *arg) {
    outside_rc = eddy_ws_session_push(arg, EDDY_WS_OP_TEXT, "no", 2, EDDY_WS_FLAG_FIN);
}

/* The suite's own commands, then ws_echo_serve()'s. */
static void serve_one(eddy_ws_session_t *s, eddy_ws_session_msg_t *m) {
    if (ws_is(m, "join")) {
        room_join(s);
    } else if (ws_starts(m, "say:")) {
        room_say(m->data + 4, m->len - 4);
    } else if (ws_is(m, "outside")) {
        eddy_loop_defer(eddy_loop_default(), push_outside, s);
        eddy_coro_sleep(20); /* the deferred call runs meanwhile */
        ws_say(s, "outside rc=%d", outside_rc);
    } else {
        ws_echo_serve(s, m);
    }
}

/* Upgrade, then recv until the connection ends; the session is freed. */
static void session(eddy_http_request_t *req, eddy_http_response_t *resp) {
    eddy_ws_session_t *s = ws_echo_upgrade(req, resp);
    if (!s) return;
    ws_echo_loop(s, serve_one);
    room_leave(s);
    eddy_ws_session_free(s);
}

static void h_ws(eddy_http_request_t *req, eddy_http_response_t *resp, void *d) {
    (void)d;
    session(req, resp);
}

typedef struct {
    eddy_http_request_t *req;
    eddy_http_response_t *resp;
} job_t;

static void late_main(void *arg) {
    job_t j = *(job_t *)arg;
    free(arg);
    eddy_coro_sleep(50); /* the handler has returned; its connection reads */
    session(j.req, j.resp);
}

static void h_late(eddy_http_request_t *req, eddy_http_response_t *resp, void *d) {
    (void)d;
    job_t *j = malloc(sizeof(*j)); /* late_main's */
    *j = (job_t){req, resp};
    if (eddy_coro_create(late_main, j) < 0) abort();
}

static void h_plain(eddy_http_request_t *req, eddy_http_response_t *resp, void *d) {
    (void)req;
    (void)d;
    eddy_http_response_end(resp, "hello", 5);
}

/* A 101 written by hand, without a session: nobody could read the
 * connection afterwards, so it ends. */
static void h_manual(eddy_http_request_t *req, eddy_http_response_t *resp, void *d) {
    (void)req;
    (void)d;
    eddy_http_response_status(resp, 101, NULL);
    eddy_http_response_header(resp, "Upgrade", "websocket");
    eddy_http_response_header(resp, "Connection", "Upgrade");
    eddy_http_response_end(resp, NULL, 0);
}

static void h_stop(eddy_http_request_t *req, eddy_http_response_t *resp, void *d) {
    (void)req;
    (void)d;
    eddy_http_response_end(resp, "bye", 3);
    eddy_co_http_shutdown(the_server);
}

static int child_rc = 9;

static void serve(void *arg) {
    eddy_co_http_t *co;
    (void)arg;
    if (eddy_co_http_new(&co, NULL, 1024 * 1024) < 0) return;
    the_server = co;
    if (eddy_co_http_listen(co, "127.0.0.1", 0, 0) < 0) {
        eddy_co_http_free(co);
        child_rc = 3;
        return;
    }
    eddy_co_http_handle(co, "/", h_ws, NULL);
    eddy_co_http_handle(co, "/late", h_late, NULL);
    eddy_co_http_handle(co, "/plain", h_plain, NULL);
    eddy_co_http_handle(co, "/manual", h_manual, NULL);
    eddy_co_http_handle(co, "/stop", h_stop, NULL);
    child_rc = harness_co_http_serve(co);
}

static int child(const void *arg) {
    eddy_coro_create(serve, (void *)arg);
    if (eddy_loop_run(eddy_loop_default()) != 0) return 5;
    eddy_loop_default_close();
#ifdef EDDY_TEST_HAVE_LSAN
    if (child_rc == 0 && __lsan_do_recoverable_leak_check()) return 6;
#endif
    return child_rc;
}

/* ---- test side ------------------------------------------------------------ */

static pid_t start(int *port) {
    harness_events_open("cows");
    return harness_start(child, NULL, port);
}

static void stop(pid_t pid, int port) {
    char out[256];
    harness_run(out, sizeof(out), "curl -s -m 5 http://127.0.0.1:%d/stop", port);
    cr_assert_str_eq(out, "bye");
    cr_assert_eq(harness_wait(pid), 0, "start() did not return 0 after shutdown(), or leaked");
    unlink(harness_events);
}

static int await_note(const char *want) { return harness_events_have(want); }

static int close_code(const char *pl) { return (uint8_t)pl[0] << 8 | (uint8_t)pl[1]; }

EDDY_TEST(co_http_ws, a_real_client_library_echoes_fragments_pings_deflates_and_closes,
          .timeout = 90) {
    int port;
    pid_t pid = start(&port);
    ws_py_expect_echo_scenarios(port);
    cr_assert(await_note("close frame code=1000 reason=done\n"), "recv returned the close frame");
    cr_assert(await_note("recv ended rc=-1004\n"), "then recv saw the connection closed");
    stop(pid, port);
}

EDDY_TEST(co_http_ws, raw_frames_pings_timeouts_and_closes_from_the_server, .timeout = 60) {
    int port;
    char buf[4096], pl[128];
    size_t n;
    pid_t pid = start(&port);
    /* frames sent along with the handshake are read after the 101 */
    int fd = ws_raw_dial_text(port, "/chat", "early");
    ws_raw_expect_text(fd, "early");
    /* a client ping is answered with the same payload by the next recv */
    ws_raw_send(fd, EDDY_WS_OP_PING, "are-you-there");
    cr_assert_eq(ws_raw_read(fd, pl, &n), EDDY_WS_OP_PONG);
    cr_assert_str_eq(pl, "are-you-there");
    /* the handler pings; a recv timeout is an error the handler sees, the
     * session goes on */
    ws_raw_expect_ping_and_recv_timeout(fd);
    /* a push outside any coroutine is refused, nothing sent, the session goes on */
    ws_raw_send(fd, EDDY_WS_OP_TEXT, "outside");
    ws_raw_expect_text(fd, "outside rc=-10001");
    /* a message in three frames, a ping between two of them */
    ws_raw_send_part(fd, EDDY_WS_OP_TEXT, 0, "frag1-");
    ws_raw_send(fd, EDDY_WS_OP_PING, "mid");
    ws_raw_send_part(fd, EDDY_WS_OP_CONTINUATION, 0, "frag2-");
    ws_raw_send_part(fd, EDDY_WS_OP_CONTINUATION, 1, "frag3");
    cr_assert_eq(ws_raw_read(fd, pl, &n), EDDY_WS_OP_PONG);
    cr_assert_str_eq(pl, "mid");
    ws_raw_expect_text(fd, "frag1-frag2-frag3");
    /* close from the server: a close frame 4000 "bye", then the end */
    ws_raw_send(fd, EDDY_WS_OP_TEXT, "bye");
    cr_assert_eq(ws_raw_read(fd, pl, &n), EDDY_WS_OP_CLOSE);
    cr_assert_eq(n, 5u);
    cr_assert_eq(close_code(pl), 4000);
    cr_assert(memcmp(pl + 2, "bye", 3) == 0);
    cr_assert(harness_peer_closed(fd));
    close(fd);
    cr_assert(await_note("close rc=0\n"));
    /* close without a frame */
    fd = ws_raw_dial(port, "/chat", NULL);
    ws_raw_send(fd, EDDY_WS_OP_TEXT, "drop");
    cr_assert(harness_peer_closed(fd), "the connection ends without a close frame");
    close(fd);
    cr_assert(await_note("drop rc=0\n"));
    /* a request that is no handshake: 400, and the handler learns it */
    fd = harness_dial(port);
    cr_assert_eq(harness_send_str(fd, "GET /x HTTP/1.1\r\nHost: x\r\n\r\n"), 0);
    cr_assert_gt(harness_read_head(fd, buf, sizeof(buf)), 0);
    cr_assert(strncmp(buf, "HTTP/1.1 400 ", 13) == 0, "%s", buf);
    close(fd);
    cr_assert(await_note("upgrade rc=-8504\n"));
    /* plain requests on the same server are untouched */
    fd = harness_dial(port);
    cr_assert_eq(harness_send_str(fd, "GET /plain HTTP/1.1\r\nHost: x\r\n\r\n"), 0);
    cr_assert_gt(harness_read_response(fd, buf, sizeof(buf), 0), 0);
    cr_assert_str_eq(harness_body_of(buf), "hello");
    close(fd);
    stop(pid, port);
}

EDDY_TEST(co_http_ws, protocol_errors_close_with_1002_1007_1009_and_a_vanished_client_ends_recv,
          .timeout = 60) {
    int port;
    char pl[128];
    size_t n;
    pid_t pid = start(&port);
    /* the client vanishes: the waiting recv returns "closed" */
    int fd = ws_raw_dial(port, "/", NULL);
    ws_raw_send(fd, EDDY_WS_OP_TEXT, "hi");
    ws_raw_expect_text(fd, "hi");
    close(fd);
    cr_assert(await_note("recv ended rc=-1004\n"), "recv saw the connection closed");
    /* an unmasked client frame is a protocol error: close 1002 */
    fd = ws_raw_dial(port, "/", NULL);
    static const char unmasked[] = "\x81\x02hi";
    cr_assert_eq(harness_send_all(fd, unmasked, 4), 0);
    cr_assert_eq(ws_raw_read(fd, pl, &n), EDDY_WS_OP_CLOSE);
    cr_assert_eq(close_code(pl), 1002);
    cr_assert(harness_peer_closed(fd));
    close(fd);
    /* a frame over package_max_length (1 MiB here): 1009, said from its header */
    fd = ws_raw_dial(port, "/", NULL);
    static const char big[] = "\x82\xff\0\0\0\0\0\x20\0\0" "abcd"; /* 2 MiB, masked */
    cr_assert_eq(harness_send_all(fd, big, sizeof(big) - 1), 0);
    cr_assert_eq(ws_raw_read(fd, pl, &n), EDDY_WS_OP_CLOSE);
    cr_assert_eq(close_code(pl), 1009);
    cr_assert(harness_peer_closed(fd));
    close(fd);
    /* text that is not UTF-8: 1007 */
    fd = ws_raw_dial(port, "/", NULL);
    ws_raw_send(fd, EDDY_WS_OP_TEXT, "\xc3\x28");
    cr_assert_eq(ws_raw_read(fd, pl, &n), EDDY_WS_OP_CLOSE);
    cr_assert_eq(close_code(pl), 1007);
    cr_assert(harness_peer_closed(fd));
    close(fd);
    stop(pid, port);
}

EDDY_TEST(co_http_ws, a_handler_pushes_to_other_connections_sessions, .timeout = 60) {
    int port;
    pid_t pid = start(&port);
    int a = ws_raw_dial(port, "/", NULL), b = ws_raw_dial(port, "/", NULL);
    int c = ws_raw_dial(port, "/", NULL); /* not in the room */
    ws_raw_send(a, EDDY_WS_OP_TEXT, "join");
    ws_raw_expect_text(a, "joined");
    ws_raw_send(b, EDDY_WS_OP_TEXT, "join");
    ws_raw_expect_text(b, "joined");
    for (int i = 0; i < 50; i++) { /* b hears a, a hears itself; both in order */
        char want[32], say[40];
        snprintf(want, sizeof(want), "hello %d", i);
        snprintf(say, sizeof(say), "say:%s", want);
        ws_raw_send(i % 2 ? b : a, EDDY_WS_OP_TEXT, say);
        ws_raw_expect_text(a, want);
        ws_raw_expect_text(b, want);
    }
    cr_assert(await_note("said to 2\n"));
    ws_raw_send(c, EDDY_WS_OP_TEXT, "say:from c");
    ws_raw_expect_text(a, "from c");
    ws_raw_expect_text(b, "from c");
    ws_raw_send(c, EDDY_WS_OP_TEXT, "still here");
    ws_raw_expect_text(c, "still here"); /* c got no broadcast before its echo */
    close(b); /* b leaves the room when its recv ends */
    cr_assert(await_note("recv ended rc=-1004\n"));
    ws_raw_send(a, EDDY_WS_OP_TEXT, "say:alone");
    ws_raw_expect_text(a, "alone");
    cr_assert(await_note("said to 1\n"));
    close(a);
    close(c);
    stop(pid, port);
}

EDDY_TEST(co_http_ws, another_coroutine_upgrades_after_the_handler_returned, .timeout = 60) {
    int port;
    pid_t pid = start(&port);
    int fd = ws_raw_dial_text(port, "/late", "sent early");
    ws_raw_expect_text(fd, "sent early");
    ws_raw_send(fd, EDDY_WS_OP_TEXT, "later");
    ws_raw_expect_text(fd, "later");
    close(fd);
    cr_assert(await_note("recv ended rc=-1004\n"));
    stop(pid, port);
}

EDDY_TEST(co_http_ws, shutdown_ends_a_waiting_recv_and_start_returns, .timeout = 60) {
    int port;
    pid_t pid = start(&port);
    int fd = ws_raw_dial(port, "/", NULL);
    ws_raw_send(fd, EDDY_WS_OP_TEXT, "hi");
    ws_raw_expect_text(fd, "hi");
    stop(pid, port); /* the session's recv returns "closed", its handler ends */
    cr_assert(harness_peer_closed(fd));
    close(fd);
}

EDDY_TEST(co_http_ws, a_101_written_by_hand_without_a_session_ends_the_connection, .timeout = 60) {
    int port;
    char buf[4096];
    pid_t pid = start(&port);
    int fd = harness_dial(port);
    cr_assert_eq(harness_send_str(fd, "GET /manual HTTP/1.1\r\nHost: x\r\n\r\n"
                                      "GET /plain HTTP/1.1\r\nHost: x\r\n\r\n"),
                 0);
    cr_assert_gt(harness_read_head(fd, buf, sizeof(buf)), 0);
    cr_assert(strncmp(buf, "HTTP/1.1 101 ", 13) == 0, "%s", buf);
    cr_assert(harness_peer_closed(fd), "the second request is not read as HTTP");
    close(fd);
    stop(pid, port);
}
