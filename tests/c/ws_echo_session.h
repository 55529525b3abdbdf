/*
 * The server side of the coroutine WebSocket suites (co_http_ws on
 * eddy_co_http_t, ws_session on eddy_server_t): the echo protocol their
 * handlers speak to ws_raw_client.h's client, run on an upgraded
 * eddy_ws_session_t in the child. Results the test checks go out as
 * harness_note() lines or as text messages. The test side runs a real
 * client library against it (ws_py_expect*).
 *
 * static inline so that a suite compiles only what it uses (-Werror).
 */
#ifndef EDDY_TEST_WS_ECHO_SESSION_H
#define EDDY_TEST_WS_ECHO_SESSION_H

#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "eddy/coro.h"
#include "eddy/websocket.h"
#include "loopback_harness.h"

/* m is the text message s, exactly. */
static inline int ws_is(const eddy_ws_session_msg_t *m, const char *s) {
    return m->opcode == EDDY_WS_OP_TEXT && m->len == strlen(s) && memcmp(m->data, s, m->len) == 0;
}

/* m is a text message starting with p. */
static inline int ws_starts(const eddy_ws_session_msg_t *m, const char *p) {
    size_t n = strlen(p);
    return m->opcode == EDDY_WS_OP_TEXT && m->len >= n && memcmp(m->data, p, n) == 0;
}

/* Sends fmt with one int (under 64 bytes) as a text message. */
static inline void ws_say(eddy_ws_session_t *s, const char *fmt, int v) {
    char out[64];
    int n = snprintf(out, sizeof(out), fmt, v);
    eddy_ws_session_push(s, EDDY_WS_OP_TEXT, out, (size_t)n, EDDY_WS_FLAG_FIN);
}

/* One message of the echo protocol:
 *   a close frame   note "close frame code=C reason=R"
 *   "bye"           close 4000 "bye", note "close rc=N"
 *   "drop"          close without a close frame, note "drop rc=N"
 *   "ping:X"        a ping carrying X
 *   "timeout"       a 200 ms recv with nothing coming: "timeout rc=N" back
 *   "whoami"        "fd=N" back (the connection's fd)
 *   anything else   echoed back, deflated again when it came deflated
 * A suite's own commands are tested before this. */
static inline void ws_echo_serve(eddy_ws_session_t *s, eddy_ws_session_msg_t *m) {
    if (m->opcode == EDDY_WS_OP_CLOSE) {
        harness_note("close frame code=%u reason=%.*s\n", m->close_code, (int)m->reason_len,
                     m->reason);
    } else if (ws_is(m, "bye")) {
        harness_note("close rc=%d\n", eddy_ws_session_close(s, 4000, "bye", 3));
    } else if (ws_is(m, "drop")) {
        harness_note("drop rc=%d\n", eddy_ws_session_close(s, 0, NULL, 0));
    } else if (ws_starts(m, "ping:")) {
        eddy_ws_session_ping(s, m->data + 5, m->len - 5);
    } else if (ws_is(m, "timeout")) {
        eddy_ws_session_msg_t t;
        int rc = eddy_ws_session_recv(s, &t, 200);
        if (rc == 0) eddy_ws_session_msg_release(&t);
        ws_say(s, "timeout rc=%d", rc);
    } else if (ws_is(m, "whoami")) {
        ws_say(s, "fd=%d", eddy_ws_session_fd(s));
    } else {
        eddy_ws_session_push(s, m->opcode, m->data, m->len,
                             EDDY_WS_FLAG_FIN | (m->flags & EDDY_WS_FLAG_COMPRESS));
    }
}

/* Upgrades the request to a session with permessage-deflate offered and
 * notes "upgrade rc=N". The session (the caller frees it), NULL if the
 * upgrade failed. */
static inline eddy_ws_session_t *ws_echo_upgrade(eddy_http_request_t *req,
                                                 eddy_http_response_t *resp) {
    eddy_ws_session_t *s = NULL;
    eddy_ws_session_opts_t o = {.compression = 1};
    int rc = eddy_ws_session_upgrade(req, resp, &o, &s);
    harness_note("upgrade rc=%d\n", rc);
    return rc < 0 ? NULL : s;
}

/* Hands each message to serve until a recv fails (30 s each: bounded, and
 * generous, as a loaded machine makes the client slow), then notes
 * "recv ended rc=N". */
static inline void ws_echo_loop(eddy_ws_session_t *s,
                                void (*serve)(eddy_ws_session_t *, eddy_ws_session_msg_t *)) {
    eddy_ws_session_msg_t m;
    int rc;
    while ((rc = eddy_ws_session_recv(s, &m, 30000)) == 0) {
        serve(s, &m);
        eddy_ws_session_msg_release(&m);
    }
    harness_note("recv ended rc=%d\n", rc);
}

/* ---- test side: python3-websockets (tests/c/ws_client.py) ---------------- */

#define WS_PY_PYTHON "/usr/bin/python3" /* the Debian one, where python3-websockets lives */

/* Runs ws_client.py SCENARIO PORT (30 s at most); asserts it exits 0 and
 * prints want. */
static inline void ws_py_expect(int port, const char *scenario, const char *want) {
    char out[4096], path[512];
    snprintf(path, sizeof(path), "%s", __FILE__); /* ws_client.py is beside this header */
    int st = harness_run(out, sizeof(out),
                         "timeout 30 " WS_PY_PYTHON " %s/ws_client.py %s %d 2>&1", dirname(path),
                         scenario, port);
    int rc = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    cr_assert_eq(rc, 0, "%s: exit %d:\n%s", scenario, rc, out);
    cr_assert_not_null(strstr(out, want), "%s: wanted '%s' in:\n%s", scenario, want, out);
}

/* The client library against the echo handler: text, binary and a large
 * message, a fragmented one, its ping answered, permessage-deflate, and
 * its close (1000 "done"). */
static inline void ws_py_expect_echo_scenarios(int port) {
    ws_py_expect(port, "echo", "ok text\nok binary\nok big\nok fd=");
    ws_py_expect(port, "fragment", "ok fragmented");
    ws_py_expect(port, "ping", "ok pong");
    ws_py_expect(port, "deflate", "ok deflate 102400 permessage-deflate");
    ws_py_expect(port, "close", "ok close 1000 done");
}

#endif /* EDDY_TEST_WS_ECHO_SESSION_H */
