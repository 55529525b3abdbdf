/*
 * The echo server test_server_base.c and test_server_process.c both run,
 * its parts that do not depend on the mode; include it after
 * server_harness.h, with BIG_TOTAL and BIG_CHUNK (the "BIG" reply: total
 * bytes, bytes per send) defined. The includer defines command(), the
 * commands only its mode's tests send, and builds its child_main() on
 * echo_child_main().
 *
 * What the server does: it echoes; on a framed listener (the server's own
 * framing options, or any "portN:" option) the reply is "[" message "]",
 * so a test sees where the engine cut the stream, and "CLOSE\n" closes the
 * session instead (noting "close-call rc=<rc>"). Unframed, command() gets
 * the message first, then echo_command() ("SLOW", "BIG"). A message "NOTE-..." (under 64 bytes) is noted as
 * "recv NOTE-..." before anything else, so a test sees what was delivered.
 * on_close notes "close <fd> send=<rc of a send to the closed session>",
 * on_worker_error "werror <id> <pid> code=<code> signal=<signo>".
 */
#ifndef EDDY_TEST_SERVER_ECHO_H
#define EDDY_TEST_SERVER_ECHO_H

#include "eddy/timer.h"
#include "server_harness.h"

#if !defined(BIG_TOTAL) || !defined(BIG_CHUNK)
#error "define BIG_TOTAL and BIG_CHUNK before including server_echo.h"
#endif

/* ---- the server side (runs in the forked child) ------------------------ */

/* Answers a command on an unframed listener: 1 if data was one, 0 to echo
 * it. Defined by the includer. */
static int command(eddy_server_t *srv, int fd, const char *data, size_t len);

/* Whether data (len bytes) is exactly the command word. */
static inline int is_command(const char *data, size_t len, const char *word) {
    return len == strlen(word) && memcmp(data, word, len) == 0;
}

static inline void ev_worker_error(eddy_server_t *srv, int id, int pid, int code, int signo) {
    note(srv, "werror %d %d code=%d signal=%d\n", id, pid, code, signo);
}

static inline void ev_close(eddy_server_t *srv, int fd, int reactor_id) {
    (void)reactor_id;
    int rc = eddy_server_send(srv, fd, "x", 1); /* closed: must be refused */
    note(srv, "close %d send=%d\n", fd, rc);
}

/* "SLOW": "slow-done\n" from a 300 ms timer, a request still in flight
 * when a test starts a shutdown. The timer frees itself when it fires. */
typedef struct {
    eddy_timer_t t;
    eddy_server_t *srv;
    int fd;
} slow_t;

static inline void slow_done(eddy_timer_t *t) {
    slow_t *s = t->data;
    eddy_server_send(s->srv, s->fd, "slow-done\n", 10);
    free(s);
}

static inline int start_slow(eddy_server_t *srv, int fd) {
    slow_t *s = calloc(1, sizeof(*s));
    s->srv = srv;
    s->fd = fd;
    eddy_timer_init(eddy_server_loop(srv), &s->t, slow_done);
    s->t.data = s;
    eddy_timer_start(&s->t, 300, 0);
    return 1;
}

/* Byte i of a "BIG" reply or any other long test stream. */
static inline char big_byte(long i) { return (char)(i % 251); }

/* "BIG": total bytes of the big_byte() pattern in sends of chunk bytes (at
 * most 256 KiB), far more than a socket takes at once: exercises the
 * output queue, and with a small socket_buffer_size its overflow error.
 * Notes "big sent=<bytes accepted> rc=<the last send's result>". */
static inline int send_big(eddy_server_t *srv, int fd, int total, int chunk) {
    static char buf[256 << 10];
    int sent = 0, rc = 0;
    while (sent < total) {
        for (int i = 0; i < chunk; i++) buf[i] = big_byte(sent + i);
        if ((rc = eddy_server_send(srv, fd, buf, (size_t)chunk)) < 0) break;
        sent += chunk;
    }
    note(srv, "big sent=%d rc=%d\n", sent, rc);
    return 1;
}

/* The reply to "SEND-UNKNOWN" (into out): the results of a send to and
 * exists() of other, a session the includer knows does not exist, and
 * exists() of the asking session fd. Its length. */
static inline int unknown_session_reply(eddy_server_t *srv, int fd, int other, char *out,
                                        size_t cap) {
    return snprintf(out, cap, "rc=%d exists=%d self=%d\n", eddy_server_send(srv, other, "x", 1),
                    eddy_server_exists(srv, other), eddy_server_exists(srv, fd));
}

/* The commands both modes answer alike: 1 if data was one of them. */
static inline int echo_command(eddy_server_t *srv, int fd, const char *data, size_t len) {
    if (is_command(data, len, "SLOW")) return start_slow(srv, fd);
    if (is_command(data, len, "BIG")) return send_big(srv, fd, BIG_TOTAL, BIG_CHUNK);
    return 0;
}

/* Per-listener framing in use ("portN:" options): every reply is bracketed. */
static int bracket_all;

static inline void ev_receive(eddy_server_t *srv, int fd, int reactor_id, const char *data,
                              size_t len) {
    const eddy_server_config_t *cfg = eddy_server_config(srv);
    (void)reactor_id;
    if (len > 5 && len < 64 && memcmp(data, "NOTE-", 5) == 0) /* seen by the test */
        note(srv, "recv %.*s\n", (int)(data[len - 1] == '\n' ? len - 1 : len), data);
    if (!(cfg->open_eof_check || cfg->open_length_check || bracket_all)) {
        if (!command(srv, fd, data, len) && !echo_command(srv, fd, data, len))
            eddy_server_send(srv, fd, data, len);
        return;
    }
    if (len == 6 && memcmp(data, "CLOSE\n", 6) == 0) { /* framed: close, keep reading */
        note(srv, "close-call rc=%d\n", eddy_server_close(srv, fd));
        return;
    }
    eddy_server_send(srv, fd, "[", 1);
    eddy_server_send(srv, fd, data, len);
    eddy_server_send(srv, fd, "]", 1);
}

/* The whole life of the child's server: defaults (name, value pairs,
 * NULL-terminated; refusals ignored) then the spec's options (a refusal:
 * exit 2), mode (5 if refused), the events ev with on_start and
 * on_shutdown from server_harness.h, a listener per spec type (unix ones at
 * proc->unix_path, TCP6 on ::1, others on 127.0.0.1; 3 if one fails), the
 * "portN:name" options on listener N (6 if refused), then start until it
 * stops (4 if start failed, 0 after a clean stop). */
static inline int echo_child_main(const spec_t *spec, const proc_t *proc, int port_pipe, int mode,
                                  const char *const *defaults, eddy_server_events_t ev) {
    eddy_server_config_t cfg;
    char err[EDDY_SERVER_ERRLEN];
    eddy_server_config_init(&cfg);
    for (int i = 0; defaults[i]; i += 2)
        eddy_server_config_set(&cfg, defaults[i], defaults[i + 1], err, sizeof(err));
    for (int i = 0; spec->opts[i]; i += 2)
        if (strncmp(spec->opts[i], "port", 4) != 0 && /* portN:name: listener N's, below */
            eddy_server_config_set(&cfg, spec->opts[i], spec->opts[i + 1], err, sizeof(err)) < 0)
            return 2;
    eddy_server_t *srv = eddy_server_new(&cfg);
    eddy_server_config_free(&cfg);
    if (eddy_server_set_mode(srv, mode) < 0) return 5;
    child_ctx_t ctx = {.port_pipe = port_pipe};
    snprintf(ctx.events, sizeof(ctx.events), "%s", proc->events);
    ev.data = &ctx;
    ev.on_start = ev_start;
    ev.on_shutdown = ev_shutdown;
    eddy_server_set_events(srv, &ev);
    for (int i = 0; i < spec->ntypes; i++) {
        int unix_kind = spec->types[i] == EDDY_SOCK_UNIX_STREAM ||
                        spec->types[i] == EDDY_SOCK_UNIX_DGRAM;
        const char *host = unix_kind ? proc->unix_path
                           : spec->types[i] == EDDY_SOCK_TCP6 ? "::1" : "127.0.0.1";
        if (eddy_server_listen(srv, spec->types[i], host, 0) < 0) return 3;
    }
    for (int i = 0; spec->opts[i]; i += 2) {
        if (strncmp(spec->opts[i], "port", 4) != 0) continue;
        bracket_all = 1;
        if (eddy_server_listener_config_set(srv, spec->opts[i][4] - '0', spec->opts[i] + 6,
                                            spec->opts[i + 1], err, sizeof(err)) < 0)
            return 6;
    }
    int rc = eddy_server_start(srv);
    eddy_server_free(srv);
    return rc == 0 ? 0 : 4;
}

/* ---- the test side ----------------------------------------------------- */

/* Reads total bytes of the big_byte() pattern from fd, asserting each. */
static inline void read_big(int fd, long total) {
    static char buf[1 << 16];
    long got = 0, bad = -1;
    while (got < total) {
        ssize_t r = recv(fd, buf, sizeof(buf), 0);
        cr_assert_gt(r, 0, "stream ended after %ld of %ld bytes", got, total);
        for (ssize_t i = 0; i < r && bad < 0; i++)
            if (buf[i] != big_byte(got + i)) bad = got + i;
        got += r;
    }
    cr_assert_eq(bad, -1, "byte %ld differs", bad);
}

#endif /* EDDY_TEST_SERVER_ECHO_H */
