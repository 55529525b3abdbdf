/*
 * multipart/form-data: the incremental parser (every split of a sample
 * body, malformed bodies, the boundary parameter, a guard page after the
 * input) and uploads through the HTTP server as real processes: curl -F,
 * temp files in upload_tmp_dir during on_request and gone after, 413 over
 * package_max_length, a client leaving mid-upload, and the head / idle /
 * body timeouts with raw sockets. BASE mode, plus one PROCESS-mode upload.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "eddy/http.h"
#include "eddy/server.h"
#include "eddy_test.h"
#include "loopback_harness.h"

/* ---- parser: an event log per body ------------------------------------- */

typedef struct {
    char log[4096];
    size_t len;
    int fail_at_part; /* on_part returns an error for this part number (1-based) */
    int parts;
} rec_t;

static void add(rec_t *r, const char *s, size_t n) {
    cr_assert_lt(r->len + n, sizeof(r->log), "log overflow");
    memcpy(r->log + r->len, s, n);
    r->len += n;
    r->log[r->len] = 0;
}

static int rec_part(void *arg, const eddy_http_multipart_part_t *p) {
    rec_t *r = arg;
    char line[512];
    if (++r->parts == r->fail_at_part) return -12345;
    cr_assert_eq(strlen(p->name), p->name_len);
    int n = snprintf(line, sizeof(line), "[%s|%s|%s]", p->name, p->filename ? p->filename : "-",
                     p->content_type ? p->content_type : "-");
    add(r, line, (size_t)n);
    return 0;
}

static int rec_data(void *arg, const char *d, size_t n) {
    cr_assert_gt(n, 0);
    add(arg, d, n);
    return 0;
}

static int rec_end(void *arg) {
    add(arg, "|end", 4);
    return 0;
}

static const eddy_http_multipart_cb_t REC = {rec_part, rec_data, rec_end};

#define B "----eddyB0undary"

/* Two fields (one empty, one holding near-delimiters), two files (one with
 * CR, LF, NUL and a "--boundary" not at a line start; a field with partial
 * delimiters), a preamble, padding
 * after a delimiter and an epilogue. */
static const char SAMPLE[] =
    "preamble to ignore\r\n"
    "--" B "\r\n"
    "Content-Disposition: form-data; name=\"title\"\r\n"
    "\r\n"
    "hello\r\n------eddyB0und!not a delimiter\r-\n-\r\n-\r\n--"
    "\r\n--" B " \t\r\n"
    "content-disposition: form-data; name=empty\r\n"
    "\r\n"
    "\r\n--" B "\r\n"
    "Content-Disposition: form-data; name=\"f[]\"; filename=\"a \\\"q\\\".txt\"\r\n"
    "Content-Type: text/plain\r\n"
    "\r\n"
    "line1\r\nline2\r\r\n\0bin--" B "\r\n"
    "\r\n--" B "\r\n"
    "Content-Disposition: form-data; filename=\"\"; name=\"g\"\r\n"
    "\r\n"
    "\r\n--" B "--\r\n"
    "epilogue, ignored";

static const char SAMPLE_LOG[] =
    "[title|-|-]hello\r\n------eddyB0und!not a delimiter\r-\n-\r\n-\r\n--|end"
    "[empty|-|-]|end"
    "[f[]|a \"q\".txt|text/plain]line1\r\nline2\r\r\n\0bin--" B "\r\n|end"
    "[g||-]|end";

static int parse_pieces(rec_t *r, const char *body, size_t len, const size_t *cuts, size_t ncuts) {
    static eddy_http_multipart_t m; /* 8 KiB: off the stack */
    memset(r, 0, sizeof(*r));
    cr_assert_eq(eddy_http_multipart_init(&m, B, strlen(B), &REC, r), 0);
    size_t pos = 0;
    int rc = 0;
    for (size_t i = 0; i <= ncuts && rc >= 0; i++) {
        size_t end = i < ncuts ? cuts[i] : len;
        rc = eddy_http_multipart_feed(&m, body + pos, end - pos);
        if (rc == 1 && end < len) cr_assert_eq(eddy_http_multipart_feed(&m, body + end, 0), 1);
        pos = end;
    }
    return rc < 0 ? rc : eddy_http_multipart_finish(&m);
}

EDDY_TEST(multipart_parser, sample_same_events_at_every_split) {
    size_t len = sizeof(SAMPLE) - 1, want = sizeof(SAMPLE_LOG) - 1;
    rec_t r;
    cr_assert_eq(parse_pieces(&r, SAMPLE, len, NULL, 0), 0);
    cr_assert_eq(r.len, want, "%s", r.log);
    cr_assert(memcmp(r.log, SAMPLE_LOG, want) == 0, "%s", r.log);
    for (size_t cut = 0; cut <= len; cut++) { /* two pieces */
        cr_assert_eq(parse_pieces(&r, SAMPLE, len, &cut, 1), 0, "cut %zu", cut);
        cr_assert(r.len == want && memcmp(r.log, SAMPLE_LOG, want) == 0, "cut %zu", cut);
    }
    for (size_t a = 0; a <= len; a += 7) /* three pieces */
        for (size_t b = a; b <= len; b += 5) {
            size_t cuts[2] = {a, b};
            cr_assert_eq(parse_pieces(&r, SAMPLE, len, cuts, 2), 0);
            cr_assert(r.len == want && memcmp(r.log, SAMPLE_LOG, want) == 0, "%zu %zu", a, b);
        }
    size_t *every = malloc(len * sizeof(size_t)); /* byte by byte */
    for (size_t i = 0; i < len; i++) every[i] = i;
    cr_assert_eq(parse_pieces(&r, SAMPLE, len, every, len), 0);
    cr_assert(r.len == want && memcmp(r.log, SAMPLE_LOG, want) == 0);
    free(every);
}

/* The input ends right before a PROT_NONE page: a read past it faults. */
EDDY_TEST(multipart_parser, never_reads_past_the_input) {
    long pg = sysconf(_SC_PAGESIZE);
    size_t len = sizeof(SAMPLE) - 1;
    char *map = mmap(NULL, (size_t)pg * 2, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                     -1, 0);
    cr_assert_neq(map, MAP_FAILED);
    cr_assert_eq(mprotect(map + pg, (size_t)pg, PROT_NONE), 0);
    char *body = map + pg - len;
    memcpy(body, SAMPLE, len);
    rec_t r;
    for (size_t cut = 0; cut <= len; cut += 3) {
        /* each piece also ends at the guard: copy it there */
        static eddy_http_multipart_t m;
        memset(&r, 0, sizeof(r));
        eddy_http_multipart_init(&m, B, strlen(B), &REC, &r);
        char *first = map + pg - cut;
        memmove(first, SAMPLE, cut);
        int rc = eddy_http_multipart_feed(&m, first, cut);
        cr_assert_geq(rc, 0);
        memcpy(body, SAMPLE, len);
        rc = eddy_http_multipart_feed(&m, body + cut, len - cut);
        cr_assert_eq(rc, 1);
        cr_assert_eq(r.len, sizeof(SAMPLE_LOG) - 1);
    }
    munmap(map, (size_t)pg * 2);
}

static int parse_whole(const char *body, rec_t *r) {
    return parse_pieces(r, body, strlen(body), NULL, 0);
}

#define CD "Content-Disposition: form-data; name=\"a\"\r\n"

EDDY_TEST(multipart_parser, malformed_bodies_are_errors) {
    static const struct {
        const char *body;
        int rc;
    } cases[] = {
        {"", EDDY_EHTTP_MULTIPART_TRUNCATED},
        {"no boundary at all", EDDY_EHTTP_MULTIPART_TRUNCATED},
        {"--" B "\r\n" CD "\r\nvalue", EDDY_EHTTP_MULTIPART_TRUNCATED},
        {"--" B "\r\n" CD "\r\nv\r\n--" B "\r\n", EDDY_EHTTP_MULTIPART_TRUNCATED},
        {"--" B "\r\n" CD "\r\nv\r\n--" B "-", EDDY_EHTTP_MULTIPART_TRUNCATED},
        {"--" B "\r\n" CD, EDDY_EHTTP_MULTIPART_TRUNCATED},
        {"--" B "x\r\n" CD "\r\nv\r\n--" B "--", EDDY_EHTTP_MULTIPART_SYNTAX},
        {"--" B "\n" CD "\r\nv\r\n--" B "--", EDDY_EHTTP_MULTIPART_SYNTAX},
        {"--" B "\r\n" CD "\r\nv\r\n--" B "-x", EDDY_EHTTP_MULTIPART_SYNTAX},
        {"--" B "\r\n\r\nv\r\n--" B "--", EDDY_EHTTP_MULTIPART_DISPOSITION},
        {"--" B "\r\nContent-Type: text/plain\r\n\r\nv\r\n--" B "--",
         EDDY_EHTTP_MULTIPART_DISPOSITION},
        {"--" B "\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nv\r\n--" B "--",
         EDDY_EHTTP_MULTIPART_DISPOSITION},
        {"--" B "\r\nContent-Disposition: form-data; filename=\"x\"\r\n\r\nv\r\n--" B "--",
         EDDY_EHTTP_MULTIPART_DISPOSITION},
        {"--" B "\r\nContent-Disposition: form-data; name=a; name=b\r\n\r\nv\r\n--" B "--",
         EDDY_EHTTP_MULTIPART_DISPOSITION},
        {"--" B "\r\nContent-Disposition: form-data; name=\"a\r\n\r\nv\r\n--" B "--",
         EDDY_EHTTP_MULTIPART_DISPOSITION},
        {"--" B "\r\n" CD CD "\r\nv\r\n--" B "--", EDDY_EHTTP_MULTIPART_DISPOSITION},
        {"--" B "\r\n" CD " folded\r\n\r\nv\r\n--" B "--", EDDY_EHTTP_MULTIPART_SYNTAX},
        {"--" B "\r\nBad Name: x\r\n" CD "\r\nv\r\n--" B "--", EDDY_EHTTP_MULTIPART_SYNTAX},
        {"--" B "\r\nX: a\nb\r\n" CD "\r\nv\r\n--" B "--", EDDY_EHTTP_MULTIPART_SYNTAX},
        {"--" B "\r\nX: a\001b\r\n" CD "\r\nv\r\n--" B "--", EDDY_EHTTP_MULTIPART_SYNTAX},
        {"--" B "\r\nno colon\r\n" CD "\r\nv\r\n--" B "--", EDDY_EHTTP_MULTIPART_SYNTAX},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        rec_t r;
        int rc = parse_whole(cases[i].body, &r);
        cr_assert_eq(rc, cases[i].rc, "case %zu: got %d (%s)", i, rc,
                     eddy_http_multipart_strerror(rc));
    }
}

EDDY_TEST(multipart_parser, part_headers_over_the_limit) {
    static eddy_http_multipart_t m;
    char body[EDDY_HTTP_MULTIPART_HEAD_MAX + 256];
    rec_t r = {0};
    int n = snprintf(body, sizeof(body), "--" B "\r\n" CD "X-Pad: ");
    memset(body + n, 'p', sizeof(body) - (size_t)n);
    eddy_http_multipart_init(&m, B, strlen(B), &REC, &r);
    cr_assert_eq(eddy_http_multipart_feed(&m, body, sizeof(body)),
                 EDDY_EHTTP_MULTIPART_HEADERS_TOO_LARGE);
    /* sticky: the same error afterwards, and from finish() */
    cr_assert_eq(eddy_http_multipart_feed(&m, "x", 1), EDDY_EHTTP_MULTIPART_HEADERS_TOO_LARGE);
    cr_assert_eq(eddy_http_multipart_finish(&m), EDDY_EHTTP_MULTIPART_HEADERS_TOO_LARGE);
    /* a lowered head_max applies too */
    memset(&r, 0, sizeof(r));
    eddy_http_multipart_init(&m, B, strlen(B), &REC, &r);
    m.head_max = 40;
    const char *ok = "--" B "\r\n" CD "\r\nv\r\n--" B "--";
    cr_assert_eq(eddy_http_multipart_feed(&m, ok, strlen(ok)),
                 EDDY_EHTTP_MULTIPART_HEADERS_TOO_LARGE);
}

EDDY_TEST(multipart_parser, callback_error_stops_the_parse) {
    rec_t r;
    static eddy_http_multipart_t m;
    memset(&r, 0, sizeof(r));
    r.fail_at_part = 2;
    const char *body = "--" B "\r\n" CD "\r\n1\r\n--" B "\r\n" CD "\r\n2\r\n--" B "--";
    eddy_http_multipart_init(&m, B, strlen(B), &REC, &r);
    cr_assert_eq(eddy_http_multipart_feed(&m, body, strlen(body)), -12345);
    cr_assert_str_eq(r.log, "[a|-|-]1|end");
    cr_assert_eq(eddy_http_multipart_finish(&m), -12345);
}

EDDY_TEST(multipart_parser, boundary_parameter) {
    const char *b;
    size_t bl;
#define CT(s) s, strlen(s), &b, &bl
    cr_assert_eq(eddy_http_multipart_boundary(CT("multipart/form-data; boundary=abc")), 1);
    cr_assert(bl == 3 && memcmp(b, "abc", 3) == 0);
    cr_assert_eq(eddy_http_multipart_boundary(CT("Multipart/Form-Data ; charset=x; "
                                                  "BOUNDARY=\"a b:c\"")),
                 1);
    cr_assert(bl == 5 && memcmp(b, "a b:c", 5) == 0);
    cr_assert_eq(eddy_http_multipart_boundary(CT("application/x-www-form-urlencoded")), 0);
    cr_assert_eq(eddy_http_multipart_boundary(CT("multipart/form-datax; boundary=a")), 0);
    cr_assert_eq(eddy_http_multipart_boundary(CT("multipart/mixed; boundary=a")), 0);
    static const char *bad[] = {
        "multipart/form-data",
        "multipart/form-data; boundary=",
        "multipart/form-data; boundary=\"\"",
        "multipart/form-data; boundary=\"ends in space \"",
        "multipart/form-data; boundary=\"a\\b\"",
        "multipart/form-data; boundary=a; boundary=b",
        "multipart/form-data; boundary=a{b",
        "multipart/form-data; boundary=\"unterminated",
        "multipart/form-data; boundary",
        /* 71 bchars, one over RFC 2046's limit */
        "multipart/form-data; boundary=1234567890123456789012345678901234567890123456789012345678901234567890x",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        cr_assert_eq(eddy_http_multipart_boundary(CT(bad[i])), EDDY_EHTTP_MULTIPART_BOUNDARY,
                     "%s", bad[i]);
    static eddy_http_multipart_t m;
    cr_assert_eq(eddy_http_multipart_init(&m, "", 0, &REC, NULL), EDDY_EHTTP_MULTIPART_BOUNDARY);
    cr_assert_eq(eddy_http_multipart_init(&m, "a\rb", 3, &REC, NULL),
                 EDDY_EHTTP_MULTIPART_BOUNDARY);
#undef CT
}

/* ---- server ------------------------------------------------------------ */

typedef struct {
    pid_t pid;
    int port;
} proc_t;

typedef struct {
    int mode;
    const char *max_len; /* package_max_length */
    double keepalive, header, body;
    uint64_t max_file;
} srv_opts_t;

static char g_dir[64]; /* upload_tmp_dir of this test */

static void fail_note(const char *what) {
    char p[128];
    snprintf(p, sizeof(p), "%s/FAILED-%s", g_dir, what);
    close(open(p, O_WRONLY | O_CREAT | O_CLOEXEC, 0600));
}

/* /upload: answers one line per field "F name=value" and per file
 * "U field|name|type|size|error|in_dir|exists", and keeps each temp file as
 * "<dir>/keep-<i>" (a hard link: the bytes are compared by the test). */
static void on_request(eddy_http_request_t *req, eddy_http_response_t *resp, void *data) {
    (void)data;
    char out[4096];
    size_t len = 0, n, nf;
    const eddy_http_pair_t *p = eddy_http_request_params(req, EDDY_HTTP_PARAM_POST, &n);
    for (size_t i = 0; i < n; i++)
        len += (size_t)snprintf(out + len, sizeof(out) - len, "F %s=%s\n", p[i].key, p[i].value);
    const eddy_http_file_t *f = eddy_http_request_files(req, &nf);
    for (size_t i = 0; f && i < nf; i++) {
        struct stat st;
        int exists = f[i].tmp_name[0] && stat(f[i].tmp_name, &st) == 0 &&
                     (uint64_t)st.st_size == f[i].size;
        int in_dir = strncmp(f[i].tmp_name, g_dir, strlen(g_dir)) == 0 &&
                     strncmp(f[i].tmp_name + strlen(g_dir), "/swoole.upfile.", 15) == 0;
        len += (size_t)snprintf(out + len, sizeof(out) - len, "U %s|%s|%s|%llu|%d|%d|%d\n",
                                f[i].field, f[i].name, f[i].type,
                                (unsigned long long)f[i].size, f[i].error, in_dir, exists);
        char keep[128];
        snprintf(keep, sizeof(keep), "%s/keep-%zu", g_dir, i);
        if (exists && link(f[i].tmp_name, keep) < 0) fail_note("link");
    }
    size_t bl;
    eddy_http_request_body(req, &bl);
    len += (size_t)snprintf(out + len, sizeof(out) - len, "B %zu\n", bl);
    eddy_http_response_end(resp, out, len);
}

static int child_main(const void *arg) {
    const srv_opts_t *so = arg;
    const char *extra[] = {"package_max_length", so->max_len, NULL};
    eddy_server_t *srv = harness_server_new(so->mode, so->mode == EDDY_SERVER_PROCESS ? 2 : 1,
                                            so->max_len ? extra : NULL);
    if (!srv) return 1;
    eddy_server_events_t ev = {.on_start = harness_on_start};
    eddy_http_server_opts_t o = {.on_request = on_request,
                                 .events = &ev,
                                 .upload_tmp_dir = g_dir,
                                 .upload_max_filesize = so->max_file,
                                 .keepalive_timeout = so->keepalive,
                                 .header_timeout = so->header,
                                 .body_timeout = so->body};
    return harness_serve_http(srv, &o);
}

static void start(const srv_opts_t *so, proc_t *p) {
    memset(p, 0, sizeof(*p));
    snprintf(g_dir, sizeof(g_dir), "/tmp/eddy-mp-%d", getpid());
    mkdir(g_dir, 0700);
    p->pid = harness_start(child_main, so, &p->port);
}

/* Names in g_dir starting with prefix ("" for all), up to 16 of them. */
static int dir_count(const char *prefix) {
    DIR *d = opendir(g_dir);
    int n = 0;
    if (!d) return -1;
    for (struct dirent *e; (e = readdir(d));)
        if (e->d_name[0] != '.' && strncmp(e->d_name, prefix, strlen(prefix)) == 0) n++;
    closedir(d);
    return n;
}

static void rm_dir(void) {
    DIR *d = opendir(g_dir);
    if (!d) return;
    char p[512];
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.') continue;
        snprintf(p, sizeof(p), "%s/%s", g_dir, e->d_name);
        unlink(p);
    }
    closedir(d);
    rmdir(g_dir);
}

static int stop(proc_t *p) {
    int rc = harness_stop(p->pid);
    rm_dir();
    return rc;
}

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Writes n pseudo-random bytes (CR, LF and '-' included) to path. */
static void make_file(const char *path, size_t n, unsigned seed) {
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f);
    for (size_t i = 0; i < n; i++) {
        seed = seed * 1103515245u + 12345u;
        fputc((int)((seed >> 16) & 0xff), f);
    }
    fclose(f);
}

static int same_file(const char *a, const char *b) {
    char out[64];
    return harness_run(out, sizeof(out), "cmp -s '%s' '%s'", a, b) == 0;
}

static void upload_two_files(int mode) {
    srv_opts_t so = {.mode = mode};
    proc_t p;
    start(&so, &p);
    char a[128], b[128], out[4096];
    snprintf(a, sizeof(a), "/tmp/eddy-mp-src-a-%d", getpid());
    snprintf(b, sizeof(b), "/tmp/eddy-mp-src-b-%d", getpid());
    make_file(a, 300000, 1); /* several reads: streamed in pieces */
    make_file(b, 1, 2);
    int rc = harness_run(out, sizeof(out),
                 "curl -s -m 10 -F 'title=hello world' -F 'tags[]=x&y' "
                 "-F 'f1=@%s;type=image/png;filename=photo.png' "
                 "-F 'f2=@%s;filename=tiny.bin' http://127.0.0.1:%d/upload",
                 a, b, p.port);
    cr_assert_eq(rc, 0, "curl failed: %s", out);
    cr_assert_not_null(strstr(out, "F title=hello world\n"), "%s", out);
    cr_assert_not_null(strstr(out, "F tags[]=x&y\n"), "%s", out);
    cr_assert_not_null(strstr(out, "U f1|photo.png|image/png|300000|0|1|1\n"), "%s", out);
    cr_assert_not_null(strstr(out, "U f2|tiny.bin|application/octet-stream|1|0|1|1\n"), "%s",
                       out);
    cr_assert_not_null(strstr(out, "B 0\n"), "%s", out);
    char k0[128], k1[128];
    snprintf(k0, sizeof(k0), "%s/keep-0", g_dir);
    snprintf(k1, sizeof(k1), "%s/keep-1", g_dir);
    cr_assert(same_file(a, k0), "file 1 content differs");
    cr_assert(same_file(b, k1), "file 2 content differs");
    /* the temp names are gone once the response has ended */
    cr_assert_eq(dir_count("swoole.upfile."), 0);
    cr_assert_eq(dir_count("FAILED"), 0);
    unlink(a);
    unlink(b);
    cr_assert_eq(stop(&p), 0);
}

EDDY_TEST(http_upload, curl_fields_and_two_files_base) { upload_two_files(EDDY_SERVER_BASE); }

EDDY_TEST(http_upload, curl_fields_and_two_files_process) {
    upload_two_files(EDDY_SERVER_PROCESS);
}

EDDY_TEST(http_upload, file_limits_and_no_file) {
    srv_opts_t so = {.mode = EDDY_SERVER_BASE, .max_file = 1000};
    proc_t p;
    start(&so, &p);
    char a[128], out[4096];
    snprintf(a, sizeof(a), "/tmp/eddy-mp-src-c-%d", getpid());
    make_file(a, 1001, 3);
    int rc = harness_run(out, sizeof(out),
                 "curl -s -m 10 -F 'big=@%s;filename=big.bin' -F 'ok=@%s;filename=ok.bin' "
                 "http://127.0.0.1:%d/upload",
                 a, a, p.port);
    cr_assert_eq(rc, 0);
    /* over upload_max_filesize (1000): UPLOAD_ERR_INI_SIZE, no temp file,
     * size 0; the request goes on */
    cr_assert_not_null(strstr(out, "U big|big.bin|application/octet-stream|0|1|0|0\n"), "%s",
                       out);
    cr_assert_not_null(strstr(out, "U ok|ok.bin|application/octet-stream|0|1|0|0\n"), "%s",
                       out);
    cr_assert_eq(dir_count("swoole.upfile."), 0);
    /* an empty filename (no file chosen in a browser): UPLOAD_ERR_NO_FILE;
     * a file at the limit is kept */
    int fd = harness_dial(p.port);
    char req[2048], body[1536];
    char data[1001];
    memset(data, 'd', 1000);
    data[1000] = 0;
    int bl = snprintf(body, sizeof(body),
                      "--" B "\r\nContent-Disposition: form-data; name=\"none\"; filename=\"\"\r\n"
                      "Content-Type: application/octet-stream\r\n\r\n\r\n"
                      "--" B "\r\nContent-Disposition: form-data; name=\"max\"; filename=\"m\"\r\n"
                      "\r\n%s\r\n--" B "--\r\n", data);
    snprintf(req, sizeof(req),
             "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; "
             "boundary=" B "\r\nContent-Length: %d\r\n\r\n%s", bl, body);
    cr_assert_eq(harness_send_str(fd, req), 0);
    ssize_t r = recv(fd, out, sizeof(out) - 1, 0);
    cr_assert_gt(r, 0);
    out[r] = 0;
    cr_assert_not_null(strstr(out, "U none||application/octet-stream|0|4|0|0\n"), "%s", out);
    cr_assert_not_null(strstr(out, "U max|m||1000|0|1|1\n"), "%s", out);
    close(fd);
    unlink(a);
    cr_assert_eq(stop(&p), 0);
}

EDDY_TEST(http_upload, over_package_max_length_is_413) {
    srv_opts_t so = {.mode = EDDY_SERVER_BASE, .max_len = "65536"};
    proc_t p;
    start(&so, &p);
    char a[128], out[256];
    snprintf(a, sizeof(a), "/tmp/eddy-mp-src-d-%d", getpid());
    make_file(a, 100000, 4);
    harness_run(out, sizeof(out), "curl -s -m 10 -o /dev/null -w '%%{http_code}' -F 'f=@%s' "
                          "http://127.0.0.1:%d/upload",
        a, p.port);
    cr_assert_str_eq(out, "413");
    cr_assert_eq(dir_count("swoole.upfile."), 0);
    cr_assert_eq(dir_count("keep-"), 0); /* on_request never ran */
    unlink(a);
    cr_assert_eq(stop(&p), 0);
}

EDDY_TEST(http_upload, malformed_body_is_400) {
    srv_opts_t so = {.mode = EDDY_SERVER_BASE};
    proc_t p;
    start(&so, &p);
    char buf[1024];
    const char *bodies[] = {
        "--" B "\r\nContent-Type: text/plain\r\n\r\nv\r\n--" B "--\r\n", /* no disposition */
        "--" B "\r\n" CD "\r\nv\r\n--" B "\r\n",                         /* no close */
    };
    for (int i = 0; i < 2; i++) {
        int fd = harness_dial(p.port);
        char req[512];
        snprintf(req, sizeof(req),
                 "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; "
                 "boundary=" B "\r\nContent-Length: %zu\r\n\r\n%s",
                 strlen(bodies[i]), bodies[i]);
        cr_assert_eq(harness_send_str(fd, req), 0);
        ssize_t r = recv(fd, buf, sizeof(buf) - 1, 0);
        cr_assert_gt(r, 12);
        cr_assert(strncmp(buf, "HTTP/1.1 400 ", 13) == 0, "case %d: %.*s", i, (int)r, buf);
        close(fd);
    }
    /* multipart without a boundary parameter: 400 at the head */
    int fd = harness_dial(p.port);
    cr_assert_eq(harness_send_str(fd, "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Type: "
                              "multipart/form-data\r\nContent-Length: 3\r\n\r\nabc"),
                 0);
    ssize_t r = recv(fd, buf, sizeof(buf) - 1, 0);
    cr_assert(r > 12 && strncmp(buf, "HTTP/1.1 400 ", 13) == 0);
    close(fd);
    cr_assert_eq(stop(&p), 0);
}

/* Waits up to ms for dir_count(prefix) to become want. */
static int wait_count(const char *prefix, int want, int ms) {
    for (int i = 0; i < ms / 10; i++) {
        if (dir_count(prefix) == want) return 1;
        usleep(10000);
    }
    return dir_count(prefix) == want;
}

EDDY_TEST(http_upload, client_leaving_mid_upload_leaves_no_file) {
    srv_opts_t so = {.mode = EDDY_SERVER_BASE};
    proc_t p;
    start(&so, &p);
    int fd = harness_dial(p.port);
    char req[512];
    snprintf(req, sizeof(req),
             "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; "
             "boundary=" B "\r\nContent-Length: 1000000\r\n\r\n"
             "--" B "\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.bin\"\r\n\r\n"
             "first bytes of the file");
    cr_assert_eq(harness_send_str(fd, req), 0);
    /* the temp file exists while the body is still arriving */
    cr_assert(wait_count("swoole.upfile.", 1, 3000), "no temp file during the upload");
    close(fd);
    cr_assert(wait_count("swoole.upfile.", 0, 3000), "temp file left after the client left");
    cr_assert_eq(dir_count("keep-"), 0);
    cr_assert_eq(stop(&p), 0);
}

/* Whether the server closed fd (EOF or reset) within ms; the time it took
 * in *took (seconds). */
static int closed_within(int fd, int ms, double *took) {
    double t0 = now_s();
    struct pollfd pfd = {.fd = fd, .events = POLLIN};
    char b[256];
    while (poll(&pfd, 1, ms) == 1) {
        ssize_t r = recv(fd, b, sizeof(b), 0);
        if (r == 0 || (r < 0 && errno == ECONNRESET)) {
            *took = now_s() - t0;
            return 1;
        }
        if (r < 0) return 0;
        int left = ms - (int)((now_s() - t0) * 1000);
        if (left <= 0) return 0;
        ms = left;
    }
    return 0;
}

EDDY_TEST(http_timeout, slow_head_is_closed) {
    srv_opts_t so = {.mode = EDDY_SERVER_BASE, .header = 0.5};
    proc_t p;
    start(&so, &p);
    int fd = harness_dial(p.port);
    const char *head = "GET /upload HTTP/1.1\r\nHost: x\r\nX-Slow: 0123456789012345\r\n\r\n";
    double t0 = now_s();
    int closed = 0;
    /* one byte every 100 ms would take over 5 s; the bound is 0.5 s */
    for (size_t i = 0; head[i] && !closed; i++) {
        if (send(fd, head + i, 1, MSG_NOSIGNAL) != 1) break;
        struct pollfd pfd = {.fd = fd, .events = POLLIN};
        if (poll(&pfd, 1, 100) == 1) {
            char b[64];
            ssize_t r = recv(fd, b, sizeof(b), 0);
            cr_assert_leq(r, 0, "the server answered a head it never got whole");
            closed = 1;
        }
    }
    double took = now_s() - t0;
    cr_assert(closed, "still open after %.2f s", took);
    cr_assert(took >= 0.4 && took < 2.0, "closed after %.2f s", took);
    close(fd);
    /* a new connection sending nothing is closed by the same bound */
    fd = harness_dial(p.port);
    cr_assert(closed_within(fd, 3000, &took));
    cr_assert(took >= 0.4 && took < 2.0, "silent client closed after %.2f s", took);
    close(fd);
    cr_assert_eq(stop(&p), 0);
}

EDDY_TEST(http_timeout, idle_keepalive_is_closed) {
    srv_opts_t so = {.mode = EDDY_SERVER_BASE, .keepalive = 0.5};
    proc_t p;
    start(&so, &p);
    int fd = harness_dial(p.port);
    char buf[1024];
    cr_assert_eq(harness_send_str(fd, "GET /upload HTTP/1.1\r\nHost: x\r\n\r\n"), 0);
    ssize_t r = recv(fd, buf, sizeof(buf) - 1, 0);
    cr_assert(r > 12 && strncmp(buf, "HTTP/1.1 200 ", 13) == 0);
    double took;
    cr_assert(closed_within(fd, 3000, &took), "idle keep-alive connection left open");
    cr_assert(took >= 0.4 && took < 2.0, "closed after %.2f s", took);
    close(fd);
    /* a connection that keeps asking stays open past the idle bound */
    fd = harness_dial(p.port);
    for (int i = 0; i < 5; i++) {
        cr_assert_eq(harness_send_str(fd, "GET /upload HTTP/1.1\r\nHost: x\r\n\r\n"), 0);
        r = recv(fd, buf, sizeof(buf) - 1, 0);
        cr_assert(r > 12 && strncmp(buf, "HTTP/1.1 200 ", 13) == 0, "request %d", i);
        usleep(250000);
    }
    close(fd);
    cr_assert_eq(stop(&p), 0);
}

EDDY_TEST(http_timeout, stalled_body_is_closed_and_its_file_removed) {
    srv_opts_t so = {.mode = EDDY_SERVER_BASE, .body = 0.5};
    proc_t p;
    start(&so, &p);
    int fd = harness_dial(p.port);
    char req[512];
    snprintf(req, sizeof(req),
             "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; "
             "boundary=" B "\r\nContent-Length: 5000\r\n\r\n"
             "--" B "\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.bin\"\r\n\r\n");
    cr_assert_eq(harness_send_str(fd, req), 0);
    /* body bytes every 300 ms keep it alive (the gap is what is bounded) */
    for (int i = 0; i < 4; i++) {
        usleep(300000);
        cr_assert_eq(harness_send_str(fd, "data"), 0, "closed while the body was moving");
    }
    cr_assert_eq(dir_count("swoole.upfile."), 1);
    double took;
    cr_assert(closed_within(fd, 3000, &took), "stalled body left open");
    cr_assert(took >= 0.4 && took < 2.0, "closed after %.2f s", took);
    cr_assert(wait_count("swoole.upfile.", 0, 3000));
    close(fd);
    cr_assert_eq(stop(&p), 0);
}

EDDY_TEST(http_upload, chunked_body_and_pipelined_request) {
    srv_opts_t so = {.mode = EDDY_SERVER_BASE};
    proc_t p;
    start(&so, &p);
    char a[128], out[4096];
    snprintf(a, sizeof(a), "/tmp/eddy-mp-src-e-%d", getpid());
    make_file(a, 200000, 5);
    /* a chunked multipart body: decoded, then parsed as it arrives */
    int rc = harness_run(out, sizeof(out),
                 "curl -s -m 10 -H 'Transfer-Encoding: chunked' -F 'k=v' -F 'f=@%s' "
                 "http://127.0.0.1:%d/upload",
                 a, p.port);
    cr_assert_eq(rc, 0);
    cr_assert_not_null(strstr(out, "F k=v\n"), "%s", out);
    cr_assert_not_null(strstr(out, "U f|eddy-mp-src-e-"), "%s", out);
    cr_assert_not_null(strstr(out, "|application/octet-stream|200000|0|1|1\n"), "%s", out);
    char k0[128];
    snprintf(k0, sizeof(k0), "%s/keep-0", g_dir);
    cr_assert(same_file(a, k0));
    unlink(k0);
    /* an upload and a GET in one write: the GET is answered after it */
    int fd = harness_dial(p.port);
    const char *body = "--" B "\r\n" CD "\r\nv1\r\n--" B "--\r\n";
    char req[1024];
    snprintf(req, sizeof(req),
             "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; "
             "boundary=" B "\r\nContent-Length: %zu\r\n\r\n%s"
             "GET /upload?second HTTP/1.1\r\nHost: x\r\n\r\n",
             strlen(body), body);
    cr_assert_eq(harness_send_str(fd, req), 0);
    size_t got = 0;
    for (int i = 0; i < 50 && got < sizeof(out) - 1; i++) {
        ssize_t r = recv(fd, out + got, sizeof(out) - 1 - got, 0);
        if (r <= 0) break;
        got += (size_t)r;
        out[got] = 0;
        char *second = strstr(out, "HTTP/1.1 200");
        if (second && (second = strstr(second + 1, "HTTP/1.1 200")) && strstr(second, "B 0\n"))
            break;
    }
    char *first = strstr(out, "F a=v1\n");
    cr_assert_not_null(first, "%s", out);
    char *second = strstr(first, "HTTP/1.1 200 ");
    cr_assert_not_null(second, "no second response: %s", out);
    cr_assert_null(strstr(second, "F a="), "the GET saw the upload's fields: %s", out);
    close(fd);
    unlink(a);
    cr_assert_eq(dir_count("swoole.upfile."), 0);
    cr_assert_eq(stop(&p), 0);
}

EDDY_TEST(http_upload, too_many_files_is_413) {
    srv_opts_t so = {.mode = EDDY_SERVER_BASE};
    proc_t p;
    start(&so, &p);
    size_t cap = 64 * 1024, bl = 0;
    char *body = malloc(cap), *req = malloc(cap + 512), out[512];
    for (int i = 0; i <= EDDY_HTTP_UPLOAD_MAX_FILES; i++)
        bl += (size_t)snprintf(body + bl, cap - bl,
                               "--" B "\r\nContent-Disposition: form-data; name=\"f%d\"; "
                               "filename=\"%d.txt\"\r\n\r\nx\r\n",
                               i, i);
    bl += (size_t)snprintf(body + bl, cap - bl, "--" B "--\r\n");
    int n = snprintf(req, cap + 512,
                     "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; "
                     "boundary=" B "\r\nContent-Length: %zu\r\n\r\n%s",
                     bl, body);
    int fd = harness_dial(p.port);
    cr_assert_eq(send(fd, req, (size_t)n, MSG_NOSIGNAL), n);
    ssize_t r = recv(fd, out, sizeof(out) - 1, 0);
    cr_assert(r > 12 && strncmp(out, "HTTP/1.1 413 ", 13) == 0, "%.*s", (int)(r > 0 ? r : 0), out);
    close(fd);
    cr_assert(wait_count("swoole.upfile.", 0, 3000), "the first 128 temp files were left");
    cr_assert_eq(dir_count("keep-"), 0);
    free(body);
    free(req);
    cr_assert_eq(stop(&p), 0);
}

/* PROCESS mode: the worker learns of the connection from on_connect and
 * closes it through the reactor. */
EDDY_TEST(http_timeout, slow_head_and_idle_closed_process) {
    srv_opts_t so = {.mode = EDDY_SERVER_PROCESS, .header = 0.5, .keepalive = 0.5};
    proc_t p;
    start(&so, &p);
    double took;
    int fd = harness_dial(p.port);
    cr_assert_eq(harness_send_str(fd, "GET /upload HTTP/1.1\r\nHo"), 0);
    cr_assert(closed_within(fd, 3000, &took), "partial head left open");
    cr_assert(took >= 0.3 && took < 2.0, "closed after %.2f s", took);
    close(fd);
    fd = harness_dial(p.port);
    char buf[1024];
    cr_assert_eq(harness_send_str(fd, "GET /upload HTTP/1.1\r\nHost: x\r\n\r\n"), 0);
    ssize_t r = recv(fd, buf, sizeof(buf) - 1, 0);
    cr_assert(r > 12 && strncmp(buf, "HTTP/1.1 200 ", 13) == 0);
    cr_assert(closed_within(fd, 3000, &took), "idle keep-alive connection left open");
    cr_assert(took >= 0.4 && took < 2.0, "closed after %.2f s", took);
    close(fd);
    cr_assert_eq(stop(&p), 0);
}
