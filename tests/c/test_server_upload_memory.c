/*
 * PROCESS mode keeps the master's memory bounded while a client uploads
 * far more than the reactor may hold: the reactor stops reading a client
 * while the records queued for a worker pass its high-water mark, and the
 * queue's memory must follow what is pending, not what went through it.
 * A real HTTP server (multipart upload to upload_tmp_dir, one worker) in a
 * forked process; a raw client sends a 256 MiB file at full speed; the
 * master's peak RSS (VmHWM) must grow by tens of MiB, not by the body.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "eddy/http.h"
#include "eddy/server.h"
#include "eddy_test.h"
#include "loopback_harness.h"

#define BODY (256u << 20)
#define CHUNK (256u << 10)
/* The reactor holds up to a worker channel's CHAN_HIGH (16 MiB) pending,
 * in a buffer at most twice that (the sent prefix is dropped once it
 * outweighs the rest): measured +26 to +37 MiB in release builds, +35
 * MiB under ASan; the whole body (+515 MiB) before the fix. */
#define GROWTH_LIMIT (64l << 20)

#ifdef EDDY_TEST_HAVE_LSAN
/* ASan holds freed blocks in a quarantine of 256 MiB by default before
 * reusing their memory: a buffer that grows, empties and grows again
 * would then show in RSS many times over. A small quarantine keeps the
 * figure about live memory (ASAN_OPTIONS still overrides it). */
const char *__asan_default_options(void);
const char *__asan_default_options(void) { return "quarantine_size_mb=8"; }
#endif

static int g_pipe = -1; /* child: port, then the worker's pid */
static char g_dir[64];

/* /up answers "<size of the first file> <its error>". */
static void on_request(eddy_http_request_t *req, eddy_http_response_t *resp, void *data) {
    (void)data;
    size_t nf;
    const eddy_http_file_t *f = eddy_http_request_files(req, &nf);
    char out[64];
    int n = f && nf ? snprintf(out, sizeof(out), "%llu %d", (unsigned long long)f[0].size,
                               f[0].error)
                    : snprintf(out, sizeof(out), "no file");
    eddy_http_response_end(resp, out, (size_t)n);
}

static void ev_start(eddy_server_t *srv) {
    int port = eddy_server_port(srv, 0);
    if (write(g_pipe, &port, sizeof(port)) < 0) abort();
}

static void ev_worker_start(eddy_server_t *srv, int id) {
    (void)srv, (void)id;
    int pid = getpid();
    if (write(g_pipe, &pid, sizeof(pid)) < 0) abort();
}

static int child_main(void) {
    static const char *const extra[] = {"package_max_length", "1073741824", NULL};
    eddy_server_t *srv = harness_server_new(EDDY_SERVER_PROCESS, 1, extra);
    if (!srv) return 5;
    eddy_server_events_t ev = {.on_start = ev_start, .on_worker_start = ev_worker_start};
    eddy_http_server_opts_t o = {.on_request = on_request, .events = &ev, .upload_tmp_dir = g_dir};
    eddy_http_server_t *hs;
    if (eddy_http_server_new(&hs, srv, &o) < 0) return 2;
    if (eddy_server_listen(srv, EDDY_SOCK_TCP, "127.0.0.1", 0) < 0) return 3;
    int rc = eddy_server_start(srv);
    eddy_http_server_free(hs);
    eddy_server_free(srv);
    return rc == 0 ? 0 : 4;
}

static int read_int(int fd) {
    int v = 0;
    struct pollfd pfd = {.fd = fd, .events = POLLIN};
    cr_assert_eq(poll(&pfd, 1, 15000), 1, "server did not start");
    cr_assert_eq(read(fd, &v, sizeof(v)), (ssize_t)sizeof(v));
    return v;
}

static pid_t start(int *port, int *worker) {
    snprintf(g_dir, sizeof(g_dir), "/tmp/eddy-upmem-%d", getpid());
    mkdir(g_dir, 0700);
    int fds[2];
    cr_assert_eq(pipe2(fds, O_CLOEXEC), 0);
    pid_t pid = harness_fork(); /* a failed assertion leaves no server behind */
    if (pid == 0) {
        close(fds[0]);
        g_pipe = fds[1];
        _exit(child_main());
    }
    close(fds[1]);
    *port = read_int(fds[0]);
    *worker = read_int(fds[0]);
    close(fds[0]);
    return pid;
}

/* kB from a "Key:   N kB" line of /proc/<pid>/status, -1 if missing. */
static long status_kb(pid_t pid, const char *key) {
    char path[64], line[256];
    snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "r");
    long v = -1;
    if (!f) return -1;
    size_t kl = strlen(key);
    while (fgets(line, sizeof(line), f))
        if (strncmp(line, key, kl) == 0 && line[kl] == ':') v = strtol(line + kl + 1, NULL, 10);
    fclose(f);
    return v;
}

/* A connection whose sends and receives may each take 30 s: the master
 * stops reading while the worker catches up. */
static int dial(int port) {
    int fd = harness_dial(port);
    harness_set_timeout(fd, 30000);
    return fd;
}

static void send_all(int fd, const void *p, size_t n) {
    cr_assert_eq(harness_send_all(fd, p, n), 0, "send: %s", strerror(errno));
}

EDDY_TEST(process_upload, master_memory_stays_bounded_while_a_256_mib_file_uploads,
          .timeout = 240) {
    int port, worker;
    pid_t pid = start(&port, &worker);
    long before = status_kb(pid, "VmHWM");
    cr_assert_gt(before, 0);
    const char *pre = "--XyZ\r\nContent-Disposition: form-data; name=\"f\"; filename=\"big.bin\"\r\n"
                      "Content-Type: application/octet-stream\r\n\r\n";
    const char *post = "\r\n--XyZ--\r\n";
    char head[256];
    int hl = snprintf(head, sizeof(head),
                      "POST /up HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; "
                      "boundary=XyZ\r\nContent-Length: %zu\r\n\r\n",
                      strlen(pre) + (size_t)BODY + strlen(post));
    char *chunk = malloc(CHUNK);
    for (size_t i = 0; i < CHUNK; i++) chunk[i] = (char)('a' + i % 23);
    int fd = dial(port);
    send_all(fd, head, (size_t)hl);
    send_all(fd, pre, strlen(pre));
    for (size_t sent = 0; sent < BODY; sent += CHUNK) send_all(fd, chunk, CHUNK);
    send_all(fd, post, strlen(post));
    free(chunk);
    char reply[1024];
    cr_assert_gt(harness_read_response(fd, reply, sizeof(reply), 0), 0, "no reply");
    close(fd);
    long after = status_kb(pid, "VmHWM");
    cr_log_info("master VmHWM: %ld kB before, %ld kB after the upload", before, after);
    char want[64];
    snprintf(want, sizeof(want), "\r\n\r\n%u 0", BODY);
    cr_assert_not_null(strstr(reply, want), "%s", reply);
    cr_assert_lt((after - before) * 1024, GROWTH_LIMIT,
                 "master's peak RSS grew by %ld kB for a %u-byte upload (from %ld kB)",
                 after - before, BODY, before);
    cr_assert_eq(harness_stop(pid), 0);
    rmdir(g_dir);
}
