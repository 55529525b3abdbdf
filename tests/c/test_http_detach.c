/*
 * Response detach / create (eddy_http_response_detach, _create) and
 * trailers (eddy_http_response_trailer) of the HTTP server, BASE and
 * PROCESS modes, against a real server over loopback with raw sockets:
 *  - a handler detaches, a task worker answers through a created response,
 *    and the same keep-alive connection serves the next request;
 *  - a created response in the owning worker after a timer streams a body
 *    with trailers, which arrive after the last chunk;
 *  - trailers on a streamed body, on end() alone (sent chunked), refused
 *    for HTTP/1.0 and for framing fields;
 *  - a detached request waits longer than keepalive_timeout for its
 *    answer without its connection being closed as idle; once answered,
 *    the idle timeout applies again;
 *  - create() for a session that does not exist;
 *  - the cookie attributes Priority and Partitioned.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "eddy/http.h"
#include "eddy/server.h"
#include "eddy/timer.h"
#include "eddy_test.h"
#include "loopback_harness.h"

/* ---- server side ------------------------------------------------------- */

static int path_is(const eddy_http_request_t *req, const char *p) {
    return req->path_len == strlen(p) && memcmp(req->path, p, req->path_len) == 0;
}

/* The task: a created response for the session id in data. */
static void on_task(eddy_server_t *srv, int task_id, int src, const char *data, size_t len) {
    eddy_http_server_t *hs = eddy_server_data(srv);
    eddy_http_response_t *resp;
    int fd = 0, slow = 0;
    (void)task_id, (void)src;
    if (len >= sizeof(fd)) memcpy(&fd, data, sizeof(fd));
    if (len == 2 * sizeof(fd)) memcpy(&slow, data + sizeof(fd), sizeof(slow));
    if (slow) usleep((useconds_t)slow * 1000); /* a task worker may block */
    int rc = eddy_http_response_create(&resp, hs, fd, 0);
    harness_note("task create=%d\n", rc);
    if (rc < 0) return;
    eddy_http_response_header(resp, "X-From", "task");
    rc = eddy_http_response_end(resp, "from task", 9);
    harness_note("task end=%d\n", rc);
}

typedef struct {
    eddy_timer_t t;
    eddy_http_server_t *hs;
    int fd;
} later_t;

/* A created response in the worker that owns the connection: streamed,
 * with a trailer set after the first piece. */
static void later_fire(eddy_timer_t *t) {
    later_t *l = t->data;
    eddy_http_response_t *resp;
    if (eddy_http_response_create(&resp, l->hs, l->fd, 0) == 0) {
        eddy_http_response_write(resp, "late-", 5);
        eddy_http_response_trailer(resp, "X-Done", "yes");
        eddy_http_response_end(resp, "body", 4);
    }
    free(l);
}

static void route_trailers(eddy_http_request_t *req, eddy_http_response_t *resp) {
    if (path_is(req, "/trailer")) {
        eddy_http_response_trailer(resp, "X-Checksum", "abc123");
        eddy_http_response_write(resp, "one-", 4);
        eddy_http_response_trailer(resp, "grpc-status", "0"); /* after the head: unannounced */
        eddy_http_response_end(resp, "two", 3);
    } else if (path_is(req, "/trailer-end")) {
        eddy_http_response_trailer(resp, "X-Gone", "1");
        eddy_http_response_trailer(resp, "X-Gone", NULL); /* removed */
        eddy_http_response_trailer(resp, "X-Sum", "9");
        eddy_http_response_end(resp, "whole", 5);
    } else { /* /trailer-refused */
        int a = eddy_http_response_trailer(resp, "Content-Length", "5");
        int b = eddy_http_response_trailer(resp, "X-Bad", "a\r\nb");
        int c = eddy_http_response_trailer(resp, "Bad Name", "v");
        int d = eddy_http_response_trailer(resp, "X-Ok", "v");
        char out[96];
        int n = snprintf(out, sizeof(out), "%d %d %d %d", a, b, c, d);
        eddy_http_response_end(resp, out, (size_t)n);
    }
}

static void on_request(eddy_http_request_t *req, eddy_http_response_t *resp, void *data) {
    eddy_server_t *srv = data;
    eddy_http_server_t *hs = eddy_server_data(srv);
    int fd = eddy_http_request_fd(req);
    if (path_is(req, "/task")) {
        harness_note("detach=%d\n", eddy_http_response_detach(resp));
        eddy_server_task(srv, &fd, sizeof(fd), -1);
    } else if (path_is(req, "/slow")) {
        int job[2] = {fd, 1500}; /* three times keepalive_timeout */
        eddy_http_response_detach(resp);
        eddy_server_task(srv, job, sizeof(job), -1);
    } else if (path_is(req, "/later")) {
        eddy_http_response_detach(resp);
        later_t *l = calloc(1, sizeof(*l));
        l->hs = hs;
        l->fd = fd;
        eddy_timer_init(eddy_server_loop(srv), &l->t, later_fire);
        l->t.data = l;
        eddy_timer_start(&l->t, 50, 0);
    } else if (strncmp(req->path, "/trailer", 8) == 0) {
        route_trailers(req, resp);
    } else if (path_is(req, "/nosession")) {
        eddy_http_response_t *other;
        int a = eddy_http_response_create(&other, hs, 0x7ffff, 0);
        int b = eddy_http_response_create(&other, hs, 0, 0);
        char out[64];
        int n = snprintf(out, sizeof(out), "%d %d", a, b);
        eddy_http_response_end(resp, out, (size_t)n);
    } else if (path_is(req, "/cookie")) {
        eddy_http_cookie_t c = {.name = "a", .value = "1", .path = "/", .secure = 1,
                                .samesite = "None", .priority = "High", .partitioned = 1};
        eddy_http_response_cookie(resp, &c);
        eddy_http_cookie_t bad = {.name = "b", .value = "1", .priority = "High; x=y"};
        int rc = eddy_http_response_cookie(resp, &bad);
        char out[32];
        int n = snprintf(out, sizeof(out), "%d", rc);
        eddy_http_response_end(resp, out, (size_t)n);
    } else {
        eddy_http_response_end(resp, "hello", 5);
    }
}

static int child_main(const void *arg) {
    int mode = *(const int *)arg;
    const char *extra[] = {"task_worker_num", "1", NULL};
    eddy_server_t *srv = harness_server_new(mode, mode == EDDY_SERVER_PROCESS ? 2 : 1, extra);
    if (!srv) return 1;
    eddy_server_events_t ev = {.on_start = harness_on_start, .on_task = on_task};
    eddy_http_server_opts_t o = {.on_request = on_request, .data = srv, .events = &ev,
                                 .keepalive_timeout = 0.5};
    return harness_serve_http(srv, &o);
}

/* ---- test side --------------------------------------------------------- */

static pid_t start(int mode, int *port) {
    harness_events_open("detach");
    return harness_start(child_main, &mode, port);
}

static void stop(pid_t pid) {
    cr_assert_eq(harness_stop(pid), 0);
    unlink(harness_events);
}

/* Reads a chunked response whole: head, chunks, last chunk and trailer
 * section up to its empty line, into buf as the bytes came (lines are read
 * without their "\n", which is put back). Returns the length read. */
static int read_chunked(int fd, char *buf, size_t cap) {
    int h = harness_read_head(fd, buf, cap);
    cr_assert_gt(h, 0, "no head");
    size_t got = (size_t)h;
    for (;;) { /* chunk lines until "0" */
        char line[64];
        harness_read_line(fd, line, sizeof(line));
        size_t n = strtoul(line, NULL, 16);
        got += (size_t)snprintf(buf + got, cap - got, "%s\n", line);
        if (n == 0) break;
        cr_assert_lt(got + n + 2, cap);
        cr_assert_eq(harness_recv_all(fd, buf + got, n + 2), 0);
        got += n + 2;
    }
    for (;;) { /* trailer fields up to the empty line */
        char line[256];
        harness_read_line(fd, line, sizeof(line));
        got += (size_t)snprintf(buf + got, cap - got, "%s\n", line);
        if (strcmp(line, "\r") == 0 || line[0] == 0) break;
    }
    buf[got] = 0;
    return (int)got;
}

static void t_task(int mode) {
    int port;
    pid_t pid = start(mode, &port);
    int fd = harness_dial(port);
    char buf[4096], v[128];
    harness_send_str(fd, "GET /task HTTP/1.1\r\nHost: x\r\n\r\n");
    cr_assert_gt(harness_read_response(fd, buf, sizeof(buf), 0), 0);
    cr_assert(strncmp(buf, "HTTP/1.1 200 OK\r\n", 17) == 0, "%s", buf);
    cr_assert_str_eq(harness_header(buf, "X-From", v, sizeof(v)), "task");
    cr_assert_str_eq(harness_header(buf, "Connection", v, sizeof(v)), "keep-alive");
    cr_assert_str_eq(harness_header(buf, "Content-Length", v, sizeof(v)), "9");
    cr_assert_str_eq(harness_header(buf, "Server", v, sizeof(v)), EDDY_HTTP_SERVER_NAME);
    cr_assert_eq(strlen(harness_header(buf, "Date", v, sizeof(v))), EDDY_HTTP_DATE_LEN);
    cr_assert_str_eq(harness_body_of(buf), "from task");
    /* The detach let the connection go on: the next request is served. */
    harness_send_str(fd, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    cr_assert_gt(harness_read_response(fd, buf, sizeof(buf), 0), 0);
    cr_assert_str_eq(harness_body_of(buf), "hello");
    cr_assert(harness_events_have("task create=0\ntask end=0\n"));
    close(fd);
    stop(pid);
}

EDDY_TEST(http_detach, task_worker_answers_a_detached_request_base, .timeout = 60) {
    t_task(EDDY_SERVER_BASE);
}

EDDY_TEST(http_detach, task_worker_answers_a_detached_request_process, .timeout = 60) {
    t_task(EDDY_SERVER_PROCESS);
}

static void t_slow(int mode) {
    int port;
    pid_t pid = start(mode, &port);
    int fd = harness_dial(port);
    char buf[4096];
    harness_send_str(fd, "GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
    cr_assert_gt(harness_read_response(fd, buf, sizeof(buf), 0), 0, "closed while waiting");
    cr_assert_str_eq(harness_body_of(buf), "from task");
    /* The task's answer cannot tell the worker; the next request's can. */
    harness_send_str(fd, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    cr_assert_gt(harness_read_response(fd, buf, sizeof(buf), 0), 0);
    cr_assert_str_eq(harness_body_of(buf), "hello");
    /* Idle again: the 0.5 s keep-alive timeout closes it. */
    struct timeval tv = {.tv_sec = 3};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    cr_assert(harness_peer_closed(fd), "not closed after the keep-alive timeout");
    close(fd);
    stop(pid);
}

EDDY_TEST(http_detach, detached_request_outlives_the_keepalive_timeout_base, .timeout = 60) {
    t_slow(EDDY_SERVER_BASE);
}

EDDY_TEST(http_detach, detached_request_outlives_the_keepalive_timeout_process, .timeout = 60) {
    t_slow(EDDY_SERVER_PROCESS);
}

static void t_later(int mode) {
    int port;
    pid_t pid = start(mode, &port);
    int fd = harness_dial(port);
    char buf[4096], v[128];
    harness_send_str(fd, "GET /later HTTP/1.1\r\nHost: x\r\n\r\n");
    read_chunked(fd, buf, sizeof(buf));
    cr_assert_str_eq(harness_header(buf, "Transfer-Encoding", v, sizeof(v)), "chunked");
    cr_assert_str_eq(harness_header(buf, "Trailer", v, sizeof(v)), "");
    cr_assert(strstr(buf, "\r\n\r\n5\r\nlate-\r\n4\r\nbody\r\n0\r\nx-done: yes\r\n\r\n"),
              "%s", buf);
    /* Answered in this worker: idle again at once, closed by the timeout. */
    struct timeval tv = {.tv_sec = 3};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    cr_assert(harness_peer_closed(fd), "not closed after the keep-alive timeout");
    close(fd);
    stop(pid);
}

EDDY_TEST(http_detach, created_response_streams_with_trailers_base, .timeout = 60) {
    t_later(EDDY_SERVER_BASE);
}

EDDY_TEST(http_detach, created_response_streams_with_trailers_process, .timeout = 60) {
    t_later(EDDY_SERVER_PROCESS);
}

static void t_trailers(int mode) {
    int port;
    pid_t pid = start(mode, &port);
    int fd = harness_dial(port);
    char buf[4096], v[128];
    harness_send_str(fd, "GET /trailer HTTP/1.1\r\nHost: x\r\n\r\n");
    read_chunked(fd, buf, sizeof(buf));
    cr_assert_str_eq(harness_header(buf, "Trailer", v, sizeof(v)), "x-checksum");
    cr_assert(strstr(buf, "\r\n\r\n4\r\none-\r\n3\r\ntwo\r\n0\r\n"
                          "x-checksum: abc123\r\ngrpc-status: 0\r\n\r\n"),
              "%s", buf);
    /* end() alone: sent chunked so that the trailer has a place. */
    harness_send_str(fd, "GET /trailer-end HTTP/1.1\r\nHost: x\r\n\r\n");
    read_chunked(fd, buf, sizeof(buf));
    cr_assert_str_eq(harness_header(buf, "Trailer", v, sizeof(v)), "x-sum");
    cr_assert_str_eq(harness_header(buf, "Content-Length", v, sizeof(v)), "");
    cr_assert(strstr(buf, "\r\n\r\n5\r\nwhole\r\n0\r\nx-sum: 9\r\n\r\n"), "%s", buf);
    cr_assert_null(strstr(buf, "x-gone"));
    /* Still in step after those: the next response is whole (and chunked,
     * for the one field that was taken). */
    harness_send_str(fd, "GET /trailer-refused HTTP/1.1\r\nHost: x\r\n\r\n");
    read_chunked(fd, buf, sizeof(buf));
    snprintf(v, sizeof(v), "\r\n%d %d %d 0\r\n0\r\nx-ok: v\r\n\r\n", EDDY_EINVAL, EDDY_EINVAL,
             EDDY_EINVAL);
    cr_assert(strstr(buf, v), "%s", buf);
    close(fd);
    /* HTTP/1.0: no chunked coding, so no trailers. */
    fd = harness_dial(port);
    harness_send_str(fd, "GET /trailer-refused HTTP/1.0\r\n\r\n");
    cr_assert_gt(harness_read_response(fd, buf, sizeof(buf), 0), 0);
    snprintf(v, sizeof(v), "%d %d %d %d", EDDY_EWRONG_OP, EDDY_EWRONG_OP, EDDY_EWRONG_OP,
             EDDY_EWRONG_OP);
    cr_assert_str_eq(harness_body_of(buf), v);
    close(fd);
    stop(pid);
}

EDDY_TEST(http_detach, trailers_follow_the_last_chunk_base, .timeout = 60) {
    t_trailers(EDDY_SERVER_BASE);
}

EDDY_TEST(http_detach, trailers_follow_the_last_chunk_process, .timeout = 60) {
    t_trailers(EDDY_SERVER_PROCESS);
}

EDDY_TEST(http_detach, create_refuses_unknown_sessions_and_cookie_attributes, .timeout = 60) {
    int port;
    pid_t pid = start(EDDY_SERVER_BASE, &port);
    int fd = harness_dial(port);
    char buf[4096], v[256];
    harness_send_str(fd, "GET /nosession HTTP/1.1\r\nHost: x\r\n\r\n");
    cr_assert_gt(harness_read_response(fd, buf, sizeof(buf), 0), 0);
    snprintf(v, sizeof(v), "%d %d", EDDY_ESESSION_NOT_EXIST, EDDY_ESESSION_INVALID_ID);
    cr_assert_str_eq(harness_body_of(buf), v);
    harness_send_str(fd, "GET /cookie HTTP/1.1\r\nHost: x\r\n\r\n");
    cr_assert_gt(harness_read_response(fd, buf, sizeof(buf), 0), 0);
    cr_assert_str_eq(harness_header(buf, "Set-Cookie", v, sizeof(v)),
                     "a=1; path=/; secure; SameSite=None; Priority=High; Partitioned");
    snprintf(v, sizeof(v), "%d", EDDY_EINVAL);
    cr_assert_str_eq(harness_body_of(buf), v);
    close(fd);
    stop(pid);
}
