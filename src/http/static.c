/*
 * The static file handler (Swoole's enable_static_handler): maps a GET or
 * HEAD request's path into document_root and answers it from the file,
 * with validators (ETag, Last-Modified -> 304) and single byte ranges
 * (206 / 416). The contract, and what is refused, is in eddy/http.h
 * ("Static files").
 *
 * Containment is checked twice, because each check alone has a gap: the
 * decoded path may hold no ".." segment (so the name itself cannot climb),
 * and the file is opened with openat2(RESOLVE_BENEATH) from the root's
 * descriptor, which the kernel refuses to resolve outside the root (so no
 * symlink inside the root can lead out of it). Where openat2 is missing
 * (Linux < 5.6, or a seccomp filter), or refuses a symlink with an
 * absolute target, realpath() of the path must lie under
 * realpath(document_root) and the resolved name is opened: the window
 * between the two is open only to someone who can write the root.
 * The fast path costs one openat2 and one fstat per request.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "http_server.h"

typedef struct hs_static_s {
    char *root; /* realpath of document_root, owned */
    size_t root_len;
    char **locs; /* owned copies */
    size_t nlocs;
    char **index; /* owned copies */
    size_t nindex;
    int root_fd;     /* O_PATH descriptor of the root (openat2), owned */
    int no_openat2;  /* this kernel (or seccomp) refuses openat2: realpath() */
} hs_static_t;

/* lookup results besides an HTTP status */
#define NOT_FOUND (-1)  /* no such file: on_request (404 under a location) */
#define NOT_SERVED (-2) /* not ours: on_request */
#define IS_DIR (-3)     /* a directory: look for an index file */
#define FALLBACK (-4)   /* openat2 cannot tell: check with realpath() */

/* ---- options ----------------------------------------------------------- */

static char **copy_list(const char *const *list, size_t *n) {
    *n = 0;
    if (!list) return NULL;
    while (list[*n]) (*n)++;
    char **out = eddy_calloc(*n ? *n : 1, sizeof(*out));
    for (size_t i = 0; i < *n; i++) out[i] = eddy_strdup(list[i]);
    return out;
}

static void free_list(char **list, size_t n) {
    for (size_t i = 0; i < n; i++) eddy_free(list[i]);
    eddy_free(list);
}

int eddy__hs_static_new(eddy_http_server_t *hs, const eddy_http_server_opts_t *o) {
    hs->st = NULL;
    if (!o->enable_static_handler) return 0;
    char real[PATH_MAX];
    struct stat sb;
    if (!o->document_root || !*o->document_root || !realpath(o->document_root, real) ||
        stat(real, &sb) < 0 || !S_ISDIR(sb.st_mode)) {
        eddy_log_error("http server: enable_static_handler needs document_root to be an "
                       "existing directory (got '%s')",
                       o->document_root ? o->document_root : "");
        return EDDY_EINVAL;
    }
    hs_static_t *st = eddy_calloc(1, sizeof(*st));
    st->root = eddy_strdup(real);
    st->root_len = strlen(real);
    st->root_fd = open(real, O_PATH | O_DIRECTORY | O_CLOEXEC);
    st->no_openat2 = st->root_fd < 0;
    if (st->root_len == 1) st->root_len = 0; /* "/": paths are appended as they are */
    st->locs = copy_list(o->static_handler_locations, &st->nlocs);
    st->index = copy_list(o->http_index_files, &st->nindex);
    hs->st = st;
    return 0;
}

void eddy__hs_static_free(eddy_http_server_t *hs) {
    hs_static_t *st = hs->st;
    if (!st) return;
    eddy_free(st->root);
    if (st->root_fd >= 0) close(st->root_fd);
    free_list(st->locs, st->nlocs);
    free_list(st->index, st->nindex);
    eddy_free(st);
    hs->st = NULL;
}

/* ---- path -------------------------------------------------------------- */

static int has_ci(const char *s, size_t n, const char *needle) {
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (strncasecmp(s + i, needle, k) == 0) return 1;
    return 0;
}

static int has_dotdot_segment(const char *p, size_t n) {
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && p[j] != '/') j++;
        if (j - i == 2 && p[i] == '.' && p[i + 1] == '.') return 1;
        i = j + 1;
    }
    return 0;
}

static int located(const hs_static_t *st, const char *p, size_t n) {
    for (size_t i = 0; i < st->nlocs; i++) {
        size_t k = strlen(st->locs[i]);
        if (k <= n && strncmp(p, st->locs[i], k) == 0) return 1;
    }
    return 0;
}

/* document_root + the decoded path into out. 0, NOT_SERVED (outside the
 * locations, too long), or the status to refuse with. */
static int build_path(const hs_static_t *st, const eddy_http_request_t *req, char *out,
                      int *in_loc) {
    const char *raw = req->path;
    size_t n = req->path_len;
    if (!n || raw[0] != '/') return NOT_SERVED; /* "*", authority-form */
    if (st->root_len + n >= PATH_MAX) return NOT_SERVED;
    /* An encoded separator would make one segment two after decoding, or
     * smuggle a NUL into a C string: neither names a file we would serve. */
    if (has_ci(raw, n, "%2f") || has_ci(raw, n, "%5c") || has_ci(raw, n, "%00")) return 403;
    char *p = out + st->root_len;
    memcpy(p, raw, n);
    ssize_t dn = eddy_http_url_decode(p, n, EDDY_HTTP_DECODE_PATH);
    if (dn < 0) return 400;
    p[dn] = '\0';
    if (has_dotdot_segment(p, (size_t)dn)) return 403;
    *in_loc = st->nlocs > 0;
    if (st->nlocs && !located(st, p, (size_t)dn)) return NOT_SERVED;
    memcpy(out, st->root, st->root_len);
    return 0;
}

static int inside_root(const hs_static_t *st, const char *real) {
    return st->root_len == 0 ||
           (strncmp(real, st->root, st->root_len) == 0 &&
            (real[st->root_len] == '/' || real[st->root_len] == '\0'));
}

/* The realpath() way (kernels without openat2, and the cases it leaves
 * open): 0 with *fd open, NOT_FOUND or 403. */
static int open_resolved(const hs_static_t *st, const char *path, int *fd) {
    char real[PATH_MAX];
    if (!realpath(path, real)) return errno == EACCES ? 403 : NOT_FOUND;
    if (!inside_root(st, real)) return 403;
    *fd = open(real, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (*fd < 0) return errno == EACCES ? 403 : NOT_FOUND;
    return 0;
}

/* openat2(2) with RESOLVE_BENEATH from the root's fd: one call that cannot
 * leave the root, by "..", a symlink or a magic link. A symlink with an
 * absolute target is refused by it (EXDEV) even when it points inside the
 * root, so EXDEV and ELOOP go to the realpath() check, which decides. */
static int open_beneath(hs_static_t *st, const char *path, int *fd) {
    const char *rel = path + st->root_len + 1; /* path is root + "/..." */
    struct open_how how = {.flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK,
                           .resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS};
    long r;
    do r = syscall(SYS_openat2, st->root_fd, *rel ? rel : ".", &how, sizeof(how));
    while (r < 0 && errno == EINTR);
    if (r >= 0) {
        *fd = (int)r;
        return 0;
    }
    if (errno == ENOSYS || errno == EPERM) st->no_openat2 = 1; /* old kernel, seccomp */
    if (errno == ENOSYS || errno == EPERM || errno == EXDEV || errno == ELOOP) return FALLBACK;
    return errno == EACCES ? 403 : NOT_FOUND;
}

/* Opens path (under the root): 0 with *fd on a regular file and *sb its
 * stat, IS_DIR, NOT_FOUND, NOT_SERVED (a device, a FIFO...) or 403. What
 * was opened decides, not what a name pointed at a moment before. */
static int open_file(hs_static_t *st, const char *path, int *fd, struct stat *sb) {
    int rc = st->no_openat2 ? FALLBACK : open_beneath(st, path, fd);
    if (rc == FALLBACK) rc = open_resolved(st, path, fd);
    if (rc) return rc;
    if (fstat(*fd, sb) < 0) rc = NOT_FOUND;
    else if (S_ISREG(sb->st_mode)) return 0;
    else rc = S_ISDIR(sb->st_mode) ? IS_DIR : NOT_SERVED;
    close(*fd);
    return rc;
}

/* A regular file, or a directory's first index file: 0 (*fd, *sb, and
 * `chosen` the name, for the MIME type), NOT_FOUND, NOT_SERVED or 403. */
static int lookup(hs_static_t *st, const char *path, char *chosen, int *fd, struct stat *sb) {
    int rc = open_file(st, path, fd, sb);
    if (rc != IS_DIR) {
        if (rc == 0) memcpy(chosen, path, strlen(path) + 1);
        return rc;
    }
    for (size_t i = 0; i < st->nindex; i++) {
        if ((size_t)snprintf(chosen, PATH_MAX, "%s/%s", path, st->index[i]) >= PATH_MAX)
            continue;
        rc = open_file(st, chosen, fd, sb);
        if (rc == 0 || rc == 403) return rc;
    }
    return NOT_SERVED;
}

/* ---- validators ---------------------------------------------------------- */

/* Copies a header value into a NUL-terminated buffer; 0 if absent or too
 * long (then it is ignored, as an unparsable validator is). */
static int header_str(const eddy_http_request_t *req, const char *name, char *out, size_t cap) {
    size_t n;
    const char *v = eddy_http_request_header(req, name, &n);
    if (!v || n >= cap) return 0;
    memcpy(out, v, n);
    out[n] = '\0';
    return 1;
}

/* RFC 9110 13.1.2: "*" or any listed tag, compared weakly (W/ ignored). */
static int etag_listed(const char *list, const char *etag) {
    size_t el = strlen(etag);
    const char *p = list;
    while (*p) {
        while (*p == ' ' || *p == '\t' || *p == ',') p++;
        if (!*p) break;
        const char *e = p;
        while (*e && *e != ',') e++;
        const char *t = e;
        while (t > p && (t[-1] == ' ' || t[-1] == '\t')) t--;
        if (t - p == 1 && *p == '*') return 1;
        const char *q = (t - p > 2 && p[0] == 'W' && p[1] == '/') ? p + 2 : p;
        if ((size_t)(t - q) == el && memcmp(q, etag, el) == 0) return 1;
        p = e;
    }
    return 0;
}

/* IMF-fixdate, or the obsolete RFC 850 and asctime forms (RFC 9110 5.6.7). */
static int parse_http_date(const char *s, time_t *out) {
    static const char *const forms[] = {"%a, %d %b %Y %H:%M:%S GMT", "%A, %d-%b-%y %H:%M:%S GMT",
                                        "%a %b %e %H:%M:%S %Y"};
    for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
        struct tm tm;
        memset(&tm, 0, sizeof(tm));
        const char *end = strptime(s, forms[i], &tm);
        if (end && *end == '\0') {
            *out = timegm(&tm);
            return 1;
        }
    }
    return 0;
}

/* RFC 9110 13.2.2: If-None-Match decides when present, else
 * If-Modified-Since (GET and HEAD only, which is all we serve). */
static int not_modified(const eddy_http_request_t *req, const char *etag, time_t mtime) {
    char v[512];
    if (eddy_http_request_header(req, "if-none-match", NULL))
        return header_str(req, "if-none-match", v, sizeof(v)) && etag_listed(v, etag);
    time_t since;
    return header_str(req, "if-modified-since", v, sizeof(v)) && parse_http_date(v, &since) &&
           mtime <= since;
}

/* ---- ranges ------------------------------------------------------------ */

/* Decimal digits at *p; *ovf set past UINT64_MAX. 0 if there are none. */
static int parse_num(const char **p, uint64_t *v, int *ovf) {
    const char *s = *p;
    *v = 0;
    *ovf = 0;
    while (**p >= '0' && **p <= '9') {
        unsigned d = (unsigned)(**p - '0');
        if (*v > (UINT64_MAX - d) / 10) *ovf = 1;
        else *v = *v * 10 + d;
        (*p)++;
    }
    return *p > s;
}

/* One "bytes=" range against size: 206 with *off and *len, 416, or 200 (no
 * Range, another unit, bad syntax, several ranges: the whole file). */
static int parse_range(const char *v, uint64_t size, uint64_t *off, uint64_t *len) {
    if (strncasecmp(v, "bytes=", 6) != 0 || strchr(v, ',')) return 200;
    const char *p = v + 6;
    while (*p == ' ' || *p == '\t') p++;
    uint64_t a = 0, b = 0;
    int ovf_a = 0, ovf_b = 0, has_a = parse_num(&p, &a, &ovf_a);
    if (*p++ != '-') return 200;
    int has_b = parse_num(&p, &b, &ovf_b);
    while (*p == ' ' || *p == '\t') p++;
    if (*p || (!has_a && !has_b)) return 200;
    if (!has_a) { /* suffix: the last b bytes */
        if (b == 0 || size == 0) return 416;
        if (ovf_b || b > size) b = size;
        *off = size - b;
        *len = b;
        return 206;
    }
    if (has_b && !ovf_b && !ovf_a && b < a) return 200; /* invalid: ignored */
    if (ovf_a || a >= size) return 416;
    uint64_t last = (!has_b || ovf_b || b >= size) ? size - 1 : b;
    *off = a;
    *len = last - a + 1;
    return 206;
}

/* If-Range (RFC 9110 13.1.5): the range applies only if the validator is
 * our current strong ETag or exactly our Last-Modified date. */
static int if_range_ok(const eddy_http_request_t *req, const char *etag, const char *lm) {
    char v[128];
    if (!eddy_http_request_header(req, "if-range", NULL)) return 1;
    if (!header_str(req, "if-range", v, sizeof(v))) return 0;
    return strcmp(v, etag) == 0 || strcmp(v, lm) == 0;
}

/* ---- answers ----------------------------------------------------------- */

static int answer(hs_exchange_t *x, int status) {
    eddy_http_response_t *r = &x->resp;
    char body[96];
    const char *reason = eddy_http_reason(status);
    int n = snprintf(body, sizeof(body), "<h1>%d %s</h1>\n", status, reason ? reason : "");
    eddy_http_response_status(r, status, NULL);
    eddy_http_response_header(r, "Content-Type", "text/html");
    eddy_http_response_end(r, body, (size_t)n);
    return 1;
}

static int serve(hs_exchange_t *x, int fd, const struct stat *sb, const char *real) {
    eddy_http_request_t *req = &x->req;
    eddy_http_response_t *r = &x->resp;
    uint64_t size = (uint64_t)sb->st_size, off = 0, len = size;
    char etag[48], lm[EDDY_HTTP_DATE_LEN + 1], v[128];
    snprintf(etag, sizeof(etag), "\"%" PRIx64 "-%" PRIx64 "\"", (uint64_t)sb->st_mtime, size);
    eddy_http_date((int64_t)sb->st_mtime, lm);
    eddy_http_response_header(r, "Last-Modified", lm);
    eddy_http_response_header(r, "ETag", etag);
    if (not_modified(req, etag, sb->st_mtime)) {
        close(fd);
        eddy_http_response_status(r, 304, NULL);
        eddy_http_response_end(r, NULL, 0);
        return 1;
    }
    eddy_http_response_header(r, "Accept-Ranges", "bytes");
    int rs = 200;
    if (header_str(req, "range", v, sizeof(v)) && if_range_ok(req, etag, lm))
        rs = parse_range(v, size, &off, &len);
    if (rs == 416) {
        close(fd);
        snprintf(v, sizeof(v), "bytes */%" PRIu64, size);
        eddy_http_response_header(r, "Content-Range", v);
        eddy_http_response_status(r, 416, NULL);
        eddy_http_response_end(r, NULL, 0);
        return 1;
    }
    if (rs == 206) {
        snprintf(v, sizeof(v), "bytes %" PRIu64 "-%" PRIu64 "/%" PRIu64, off, off + len - 1, size);
        eddy_http_response_header(r, "Content-Range", v);
        eddy_http_response_status(r, 206, NULL);
    }
    eddy_http_response_header(r, "Content-Type", eddy_http_mime_type(real));
    if (eddy__hs_file_send(r, fd, off, len) < 0) return answer(x, 500); /* fd closed */
    return 1;
}

int eddy__hs_static(eddy_http_server_t *hs, hs_exchange_t *x) {
    const eddy_http_request_t *req = &x->req;
    int get = req->method_len == 3 && memcmp(req->method, "GET", 3) == 0;
    if (!get && !x->resp.is_head) return 0;
    /* A protocol switch (a WebSocket handshake to "/" with an index file
     * there) is for the handler or the WebSocket server, not a file. */
    if ((req->flags & EDDY_HTTP_UPGRADE) && eddy_http_find_header(req, "upgrade", 7)) return 0;
    char path[PATH_MAX], chosen[PATH_MAX];
    int in_loc = 0, fd = -1;
    int rc = build_path(hs->st, req, path, &in_loc);
    if (rc == NOT_SERVED) return 0;
    if (rc > 0) return answer(x, rc);
    struct stat sb;
    rc = lookup(hs->st, path, chosen, &fd, &sb);
    if (rc == NOT_FOUND) return in_loc ? answer(x, 404) : 0;
    if (rc == NOT_SERVED) return 0;
    if (rc > 0) return answer(x, rc);
    return serve(x, fd, &sb, chosen);
}
