/*
 * A small response leaves the server as one TCP segment, head and body
 * together, on a keep-alive connection in BASE and PROCESS mode, for
 * HTTP/1.1 and for the HTTP/1.0 keep-alive that ab(1) speaks.
 *
 * Why it matters: a head and a body sent apart are two segments and two
 * wake-ups of the client per request, and without TCP_NODELAY the body
 * waits for the ACK of the head, which a client delays up to 40 ms. The
 * benchmark's hello world (bench/php_http.sh) is exactly this response.
 *
 * How it is seen: the client's TCP_INFO counts the segments that carried
 * data to it (tcpi_data_segs_in, pure ACKs excluded). Once a whole response
 * has been read, every segment of it has arrived, so a split shows as 2.
 * (The kernel may merge two quick sends into one segment now and then,
 * which would hide a split in one request, never invent one: 20 requests
 * per case.)
 */
#define _GNU_SOURCE
#include <linux/tcp.h>
#include <netinet/in.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include "eddy/http.h"
#include "eddy/server.h"
#include "eddy_test.h"
#include "loopback_harness.h"

#define PAGE "<h1>\nHello Swoole.\n</h1>"
#define ROUNDS 20

/* ---- server side: the hello world of examples/http_server.php --------- */

static void on_request(eddy_http_request_t *req, eddy_http_response_t *resp, void *data) {
    (void)req, (void)data;
    eddy_http_response_header(resp, "Last-Modified", "Thu, 18 Jun 2015 10:24:27 GMT");
    eddy_http_response_header(resp, "E-Tag", "55829c5b-17");
    eddy_http_response_header(resp, "Accept-Ranges", "bytes");
    eddy_http_response_end(resp, PAGE, sizeof(PAGE) - 1);
}

static int child_main(const void *arg) {
    int mode = *(const int *)arg;
    eddy_server_t *srv = harness_server_new(mode, 1, NULL);
    if (!srv) return 1;
    eddy_server_events_t ev = {.on_start = harness_on_start};
    eddy_http_server_opts_t o = {.on_request = on_request, .events = &ev};
    return harness_serve_http(srv, &o);
}

/* ---- test side ---------------------------------------------------------- */

static uint32_t data_segs_in(int fd) {
    struct tcp_info ti;
    socklen_t len = sizeof(ti);
    memset(&ti, 0, sizeof(ti));
    cr_assert_eq(getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len), 0);
    cr_assert_geq(len, offsetof(struct tcp_info, tcpi_data_segs_in) + sizeof(ti.tcpi_data_segs_in),
                  "this kernel's TCP_INFO has no tcpi_data_segs_in");
    return ti.tcpi_data_segs_in;
}

/* ROUNDS requests on one connection: each answered 200 with the page, the
 * connection kept, and the response in one data segment. */
static void one_segment_each(int mode, const char *request, const char *connection) {
    int port;
    pid_t pid = harness_start(child_main, &mode, &port);
    int fd = harness_dial(port);
    char buf[4096], val[64];
    for (int i = 0; i < ROUNDS; i++) {
        uint32_t before = data_segs_in(fd);
        cr_assert_eq(harness_send_str(fd, request), 0, "request %d", i);
        cr_assert_gt(harness_read_response(fd, buf, sizeof(buf), 0), 0, "response %d", i);
        cr_assert_eq(strncmp(buf, "HTTP/1.1 200 ", 13), 0, "response %d: %s", i, buf);
        cr_assert_str_eq(harness_body_of(buf), PAGE, "response %d", i);
        cr_assert_str_eq(harness_header(buf, "Connection", val, sizeof(val)), connection,
                         "response %d", i);
        uint32_t segs = data_segs_in(fd) - before;
        cr_assert_eq(segs, 1, "response %d came in %u segments (head and body apart?)", i, segs);
    }
    close(fd);
    cr_assert_eq(harness_stop(pid), 0);
}

#define HTTP10 "GET / HTTP/1.0\r\nConnection: Keep-Alive\r\nHost: x\r\nUser-Agent: ab\r\n\r\n"
#define HTTP11 "GET / HTTP/1.1\r\nHost: x\r\n\r\n"

EDDY_TEST(http_segments, base_http10_keepalive_response_is_one_segment) {
    one_segment_each(EDDY_SERVER_BASE, HTTP10, "keep-alive");
}

EDDY_TEST(http_segments, process_http10_keepalive_response_is_one_segment) {
    one_segment_each(EDDY_SERVER_PROCESS, HTTP10, "keep-alive");
}

EDDY_TEST(http_segments, base_http11_response_is_one_segment) {
    one_segment_each(EDDY_SERVER_BASE, HTTP11, "");
}

EDDY_TEST(http_segments, process_http11_response_is_one_segment) {
    one_segment_each(EDDY_SERVER_PROCESS, HTTP11, "");
}
