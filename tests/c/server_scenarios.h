/*
 * Scenarios run alike in BASE and PROCESS mode: included by
 * test_server_base.c and test_server_process.c, whose harness (the same
 * shape in both, a server in the file's mode) provides spec_t, proc_t,
 * start_server(), stop_server(), dial(), send_all(), recv_n(),
 * peer_closed() and events_have(), and whose echo server (server_echo.h)
 * answers "SLOW", "BIG" (BIG_TOTAL bytes, defined by the includer) and
 * "SEND-UNKNOWN". Each file names the tests in its own suite
 * (server_base::..., server_process::...), one line per scenario, so both
 * modes' results stay visible; a scenario takes as arguments what the
 * modes answer differently.
 */
#ifndef EDDY_TEST_SERVER_SCENARIOS_H
#define EDDY_TEST_SERVER_SCENARIOS_H

#define NCONN 1000

static size_t length_packet(char *out, const char *body) {
    uint32_t n = htonl((uint32_t)strlen(body));
    memcpy(out, &n, 4);
    memcpy(out + 4, body, strlen(body));
    return 4 + strlen(body);
}

/* What the server answers to two framed messages of a and b bytes that
 * stand one after the other at pkt: each in brackets. Into want; its
 * length. */
static size_t bracketed_pair(char *want, const char *pkt, size_t a, size_t b) {
    size_t wl = 0;
    want[wl++] = '[';
    memcpy(want + wl, pkt, a), wl += a;
    want[wl++] = ']', want[wl++] = '[';
    memcpy(want + wl, pkt + a, b), wl += b;
    want[wl++] = ']';
    return wl;
}

static void scenario_echo_many_concurrent_connections_byte_exact(void) {
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
    spec_t spec = {.opts = {"worker_num", "2", "backlog", "2048", NULL},
                   .types = {EDDY_SOCK_TCP}, .ntypes = 1};
    proc_t proc;
    start_server(&spec, &proc);
    static int fds[NCONN];
    char msg[128], got[128];
    for (int i = 0; i < NCONN; i++) {
        fds[i] = dial(SOCK_STREAM, proc.ports[0]);
        cr_assert_geq(fds[i], 0, "connect %d failed", i);
    }
    for (int i = 0; i < NCONN; i++) {
        int n = snprintf(msg, sizeof(msg), "hello from connection %d, payload %08x", i, i * 7919);
        cr_assert_eq(send_all(fds[i], msg, (size_t)n), 0);
    }
    for (int i = 0; i < NCONN; i++) {
        int n = snprintf(msg, sizeof(msg), "hello from connection %d, payload %08x", i, i * 7919);
        cr_assert_eq(recv_n(fds[i], got, (size_t)n), (size_t)n, "short reply on %d", i);
        cr_assert_eq(memcmp(got, msg, (size_t)n), 0, "wrong bytes on connection %d", i);
        close(fds[i]);
    }
    cr_assert_eq(stop_server(&proc), 0);
}

static void scenario_eof_split_coalesced_and_split_packets(void) {
    spec_t spec = {.opts = {"open_eof_split", "1", "package_eof", "\r\n", NULL},
                   .types = {EDDY_SOCK_TCP}, .ntypes = 1};
    proc_t proc;
    start_server(&spec, &proc);
    int fd = dial(SOCK_STREAM, proc.ports[0]);
    cr_assert_geq(fd, 0);
    const char *coalesced = "a\r\nbb\r\nccc\r\n";
    const char *want1 = "[a\r\n][bb\r\n][ccc\r\n]";
    char got[64] = {0};
    send_all(fd, coalesced, strlen(coalesced));
    cr_assert_eq(recv_n(fd, got, strlen(want1)), strlen(want1));
    cr_assert_str_eq(got, want1);
    const char *parts[] = {"dd", "d\r", "\ne", "e\r\n"};
    for (int i = 0; i < 4; i++) {
        send_all(fd, parts[i], strlen(parts[i]));
        usleep(30000);
    }
    const char *want2 = "[ddd\r\n][ee\r\n]";
    memset(got, 0, sizeof(got));
    cr_assert_eq(recv_n(fd, got, strlen(want2)), strlen(want2));
    cr_assert_str_eq(got, want2);
    close(fd);
    cr_assert_eq(stop_server(&proc), 0);
}

static void scenario_length_framing_coalesced_and_split(void) {
    spec_t spec = {.opts = {"open_length_check", "1", "package_length_type", "N",
                            "package_length_offset", "0", "package_body_offset", "4", NULL},
                   .types = {EDDY_SOCK_TCP}, .ntypes = 1};
    proc_t proc;
    start_server(&spec, &proc);
    int fd = dial(SOCK_STREAM, proc.ports[0]);
    char pkt[64], want[128], got[128];
    size_t a = length_packet(pkt, "one");
    size_t b = length_packet(pkt + a, "second");
    send_all(fd, pkt, a + b); /* two messages in one write */
    size_t wl = bracketed_pair(want, pkt, a, b);
    cr_assert_eq(recv_n(fd, got, wl), wl);
    cr_assert_eq(memcmp(got, want, wl), 0);
    for (size_t i = 0; i < a; i++) { /* one message, a byte at a time */
        send_all(fd, pkt + i, 1);
        usleep(5000);
    }
    cr_assert_eq(recv_n(fd, got, a + 2), a + 2);
    cr_assert_eq(memcmp(got + 1, pkt, a), 0);
    close(fd);
    cr_assert_eq(stop_server(&proc), 0);
}

/* Each listener frames with its own options ($port->set()): EOF split on
 * one, length prefix on another, none on a third (the server's). */
static void scenario_listeners_frame_with_their_own_options(void) {
    spec_t spec = {.opts = {"port0:open_eof_split", "1", "port0:package_eof", "\n",
                            "port1:open_length_check", "1", "port1:package_length_type", "N",
                            "port1:package_body_offset", "4", NULL},
                   .types = {EDDY_SOCK_TCP, EDDY_SOCK_TCP, EDDY_SOCK_TCP}, .ntypes = 3};
    proc_t proc;
    start_server(&spec, &proc);
    int eof = dial(SOCK_STREAM, proc.ports[0]), len = dial(SOCK_STREAM, proc.ports[1]),
        raw = dial(SOCK_STREAM, proc.ports[2]);
    char pkt[64], want[128], got[128] = {0};
    send_all(eof, "a\nbb\n", 5);
    cr_assert_eq(recv_n(eof, got, 9), 9);
    cr_assert_str_eq(got, "[a\n][bb\n]");
    size_t a = length_packet(pkt, "one");
    size_t b = length_packet(pkt + a, "second");
    send_all(len, pkt, a + b);
    size_t wl = bracketed_pair(want, pkt, a, b);
    cr_assert_eq(recv_n(len, got, wl), wl);
    cr_assert_eq(memcmp(got, want, wl), 0);
    memset(got, 0, sizeof(got));
    send_all(raw, "x\ny", 3); /* no framing: as read */
    cr_assert_eq(recv_n(raw, got, 5), 5);
    cr_assert_str_eq(got, "[x\ny]");
    close(eof);
    close(len);
    close(raw);
    cr_assert_eq(stop_server(&proc), 0);
}

static void scenario_oversize_packet_closes_only_that_connection(void) {
    spec_t spec = {.opts = {"open_length_check", "1", "package_max_length", "65536", NULL},
                   .types = {EDDY_SOCK_TCP}, .ntypes = 1};
    proc_t proc;
    start_server(&spec, &proc);
    int bad = dial(SOCK_STREAM, proc.ports[0]);
    int good = dial(SOCK_STREAM, proc.ports[0]);
    uint32_t huge = htonl(1u << 20);
    send_all(bad, &huge, 4);
    cr_assert(peer_closed(bad), "oversize connection was not closed");
    close(bad);
    char pkt[32], got[32];
    size_t n = length_packet(pkt, "still-ok");
    send_all(good, pkt, n);
    cr_assert_eq(recv_n(good, got, n + 2), n + 2);
    cr_assert_eq(memcmp(got + 1, pkt, n), 0);
    close(good);
    cr_assert_eq(stop_server(&proc), 0);
}

static void scenario_heartbeat_closes_idle_connection(void) {
    spec_t spec = {.opts = {"heartbeat_check_interval", "1", "heartbeat_idle_time", "1", NULL},
                   .types = {EDDY_SOCK_TCP}, .ntypes = 1};
    proc_t proc;
    start_server(&spec, &proc);
    int fd = dial(SOCK_STREAM, proc.ports[0]);
    char got[8];
    send_all(fd, "hi", 2);
    cr_assert_eq(recv_n(fd, got, 2), 2);
    uint64_t t0 = eddy_now_ms();
    cr_assert(peer_closed(fd), "idle connection was not closed"); /* 5 s read timeout */
    cr_assert_geq(eddy_now_ms() - t0, 500, "closed too early");
    cr_assert(events_have(&proc, "send=-1004", 2000), "on_close did not fire");
    close(fd);
    cr_assert_eq(stop_server(&proc), 0);
}

/* A unix datagram listener: on_packet gets each datagram with the
 * sender's (bound) address and the reply, starting with want, goes back
 * to it; the socket file goes with the server. */
static void scenario_unix_dgram_listener(const char *want) {
    spec_t spec = {.types = {EDDY_SOCK_TCP, EDDY_SOCK_UNIX_DGRAM}, .ntypes = 2};
    proc_t proc;
    start_server(&spec, &proc);
    struct sockaddr_un me = {.sun_family = AF_UNIX}, srv = {.sun_family = AF_UNIX};
    snprintf(me.sun_path, sizeof(me.sun_path), "/tmp/eddy-" SERVER_TEST_TAG "-%d.cli", getpid());
    snprintf(srv.sun_path, sizeof(srv.sun_path), "%s", proc.unix_path);
    unlink(me.sun_path);
    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    set_timeout(fd, 5000);
    cr_assert_eq(bind(fd, (struct sockaddr *)&me, sizeof(me)), 0);
    cr_assert_eq(connect(fd, (struct sockaddr *)&srv, sizeof(srv)), 0);
    for (int i = 0; i < 3; i++) {
        char got[64] = {0};
        cr_assert_eq(send(fd, "unix datagram", 13, 0), 13);
        cr_assert_gt(recv(fd, got, sizeof(got) - 1, 0), 0);
        cr_assert(strncmp(got, want, strlen(want)) == 0, "%s", got);
    }
    close(fd);
    unlink(me.sun_path);
    cr_assert_eq(stop_server(&proc), 0);
    cr_assert_neq(access(proc.unix_path, F_OK), 0, "socket file left behind");
}

/* "BIG": BIG_TOTAL bytes sent at once with socket_buffer_size room for
 * them all arrive intact and in order, and every send succeeded. With
 * queued_first, the whole reply is accepted (queued) before the client
 * reads a byte; otherwise the client reads first (PROCESS: the bytes
 * cross the worker's channel as the master writes them out). */
static void scenario_large_reply_arrives_intact(const char *socket_buffer_size,
                                                int queued_first) {
    spec_t spec = {.opts = {"socket_buffer_size", socket_buffer_size, NULL},
                   .types = {EDDY_SOCK_TCP}, .ntypes = 1};
    proc_t proc;
    start_server(&spec, &proc);
    int fd = dial(SOCK_STREAM, proc.ports[0]);
    send_all(fd, "BIG", 3);
    if (!queued_first) read_big(fd, BIG_TOTAL);
    cr_assert_eq(events_value(&proc, "big sent=", 5000), BIG_TOTAL);
    cr_assert(events_have(&proc, "rc=0", 0));
    if (queued_first) read_big(fd, BIG_TOTAL);
    close(fd);
    cr_assert_eq(stop_server(&proc), 0);
}

/* A send to a session that does not exist fails with 1005 (Swoole's
 * SW_ERROR_SESSION_NOT_EXIST), and exists() tells it from the asker's. */
static void assert_unknown_session_refused_with_1005(int port) {
    char line[64];
    cr_assert_gt(ask(port, "SEND-UNKNOWN", line, sizeof(line)), 0);
    cr_assert_str_eq(line, "rc=-1005 exists=0 self=1\n");
}

/* SIGTERM while "SLOW" is in flight on a new connection: the reply still
 * arrives (asserted). The connection, for the caller's own checks. */
static int sigterm_with_a_request_in_flight(const proc_t *proc) {
    int fd = dial(SOCK_STREAM, proc->ports[0]);
    send_all(fd, "SLOW", 4);
    usleep(100000);
    kill(proc->pid, SIGTERM);
    char line[32];
    cr_assert_gt(recv_line(fd, line, sizeof(line)), 0, "in-flight reply lost");
    cr_assert_str_eq(line, "slow-done\n");
    return fd;
}

#endif /* EDDY_TEST_SERVER_SCENARIOS_H */
