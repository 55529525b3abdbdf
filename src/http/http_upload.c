/*
 * multipart/form-data requests in the HTTP server: the body goes through
 * the multipart parser as it arrives (http_conn.c feeds it and drops the
 * bytes), file parts are written straight to temp files in upload_tmp_dir,
 * and fields are kept as NUL-terminated copies for the POST params. What
 * a request holds in memory is its fields and one parser state, never a
 * file; the temp files live until the exchange is released.
 */
#define _GNU_SOURCE /* mkostemp */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "http_server.h"

/* Offsets into u->strs (it moves while it grows): made into pointers
 * only once the body is whole. */
typedef struct {
    size_t field, name, type, tmp; /* tmp: SIZE_MAX when there is no file */
    uint64_t size;
    int error;
} up_file_t;

typedef struct {
    size_t k, kl, v, vl;
} up_field_t;

enum { CUR_NONE, CUR_FIELD, CUR_FILE, CUR_SKIP };

struct hs_upload_s {
    eddy_http_server_t *hs;
    eddy_buf_t strs; /* names, values, paths; each NUL-terminated */
    up_file_t *files;
    size_t nfiles, fcap;
    up_field_t *fields;
    size_t nfields, kcap;
    int cur;   /* CUR_*: what the current part's data goes to */
    int fd;    /* the file being written, -1 */
    int over;  /* status to answer after a part callback refused (413) */
    eddy_http_file_t *out; /* built by eddy_http_request_files() */
    eddy_http_multipart_t mp; /* last: about 8 KiB */
};

static size_t put_str(eddy_buf_t *b, const char *s, size_t n) {
    size_t off = b->len;
    eddy_buf_append(b, s, n);
    eddy_buf_append(b, "", 1);
    return off;
}

/* ---- temp files -------------------------------------------------------- */

static void drop_file(hs_upload_t *u, up_file_t *f, int error) {
    if (u->fd >= 0) close(u->fd);
    u->fd = -1;
    if (f->tmp != SIZE_MAX) unlink(u->strs.data + f->tmp);
    f->tmp = SIZE_MAX;
    f->size = 0;
    f->error = error;
    u->cur = CUR_SKIP;
}

static void open_file(hs_upload_t *u, up_file_t *f) {
    char path[4096];
    const char *dir = u->hs->upload_tmp_dir;
    size_t dl = strlen(dir);
    while (dl > 1 && dir[dl - 1] == '/') dl--; /* "/data/up/" as Swoole's manual writes it */
    int n = snprintf(path, sizeof(path), "%.*s/swoole.upfile.XXXXXX", (int)dl, dir);
    if (n < 0 || (size_t)n >= sizeof(path)) {
        drop_file(u, f, EDDY_HTTP_UPLOAD_ERR_NO_TMP_DIR);
        return;
    }
    u->fd = mkostemp(path, O_CLOEXEC);
    if (u->fd < 0) {
        int e = errno;
        eddy_log_warn("http server: cannot create an upload file in %s: %s",
                      u->hs->upload_tmp_dir, strerror(e));
        drop_file(u, f, e == ENOENT || e == ENOTDIR ? EDDY_HTTP_UPLOAD_ERR_NO_TMP_DIR
                                                    : EDDY_HTTP_UPLOAD_ERR_CANT_WRITE);
        return;
    }
    f->tmp = put_str(&u->strs, path, (size_t)n);
    u->cur = CUR_FILE;
}

static void write_file(hs_upload_t *u, const char *p, size_t n) {
    up_file_t *f = &u->files[u->nfiles - 1];
    uint64_t max = u->hs->upload_max_filesize;
    if (max && f->size + n > max) {
        drop_file(u, f, EDDY_HTTP_UPLOAD_ERR_INI_SIZE);
        return;
    }
    while (n) {
        ssize_t w = write(u->fd, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) {
            eddy_log_warn("http server: writing an upload file: %s",
                          w < 0 ? strerror(errno) : "no progress");
            drop_file(u, f, EDDY_HTTP_UPLOAD_ERR_CANT_WRITE);
            return;
        }
        p += w, n -= (size_t)w;
        f->size += (uint64_t)w;
    }
}

/* ---- parser callbacks -------------------------------------------------- */

static int on_part(void *arg, const eddy_http_multipart_part_t *pt) {
    hs_upload_t *u = arg;
    if (!pt->filename) {
        if (u->nfields == u->kcap)
            u->fields = eddy_realloc(u->fields, (u->kcap = u->kcap ? u->kcap * 2 : 8) *
                                                    sizeof(*u->fields));
        up_field_t *k = &u->fields[u->nfields++];
        k->k = put_str(&u->strs, pt->name, pt->name_len);
        k->kl = pt->name_len;
        k->v = u->strs.len;
        k->vl = 0;
        u->cur = CUR_FIELD;
        return 0;
    }
    if (u->nfiles == EDDY_HTTP_UPLOAD_MAX_FILES) {
        u->over = 413;
        return EDDY_ENOMEM;
    }
    if (u->nfiles == u->fcap)
        u->files = eddy_realloc(u->files, (u->fcap = u->fcap ? u->fcap * 2 : 4) *
                                              sizeof(*u->files));
    up_file_t *f = &u->files[u->nfiles++];
    memset(f, 0, sizeof(*f));
    f->tmp = SIZE_MAX;
    f->field = put_str(&u->strs, pt->name, pt->name_len);
    f->name = put_str(&u->strs, pt->filename, pt->filename_len);
    f->type = put_str(&u->strs, pt->content_type ? pt->content_type : "",
                      pt->content_type ? pt->content_type_len : 0);
    if (pt->filename_len == 0) /* no file chosen: PHP reports it, data or not */
        drop_file(u, f, EDDY_HTTP_UPLOAD_ERR_NO_FILE);
    else
        open_file(u, f);
    return 0;
}

static int on_data(void *arg, const char *p, size_t n) {
    hs_upload_t *u = arg;
    if (u->cur == CUR_FIELD) {
        eddy_buf_append(&u->strs, p, n); /* bounded by package_max_length */
        u->fields[u->nfields - 1].vl += n;
    } else if (u->cur == CUR_FILE) {
        write_file(u, p, n);
    }
    return 0;
}

static int on_part_end(void *arg) {
    hs_upload_t *u = arg;
    if (u->cur == CUR_FIELD) eddy_buf_append(&u->strs, "", 1);
    if (u->cur == CUR_FILE) {
        close(u->fd);
        u->fd = -1;
    }
    u->cur = CUR_NONE;
    return 0;
}

static const eddy_http_multipart_cb_t CALLBACKS = {on_part, on_data, on_part_end};

/* ---- the server's side ------------------------------------------------- */

int eddy__hs_upload_begin(eddy_http_server_t *hs, hs_exchange_t *x) {
    size_t cl;
    const char *ct = eddy_http_request_header(&x->req, "content-type", &cl), *b;
    size_t bl;
    if (!ct) return 0;
    int rc = eddy_http_multipart_boundary(ct, cl, &b, &bl);
    if (rc == 0) return 0;
    if (rc < 0) return 400;
    hs_upload_t *u = eddy_calloc(1, sizeof(*u)); /* owned by x, freed with it */
    u->hs = hs;
    u->fd = -1;
    eddy_buf_init(&u->strs);
    eddy_http_multipart_init(&u->mp, b, bl, &CALLBACKS, u);
    x->up = u;
    return 0;
}

static int status_of(const hs_upload_t *u, int rc) {
    if (rc >= 0) return 0;
    if (u->over) return u->over;
    eddy_log_debug("http server: upload refused: %s", eddy_http_multipart_strerror(rc));
    return 400;
}

int eddy__hs_upload_feed(hs_upload_t *u, const char *data, size_t len) {
    return status_of(u, eddy_http_multipart_feed(&u->mp, data, len));
}

int eddy__hs_upload_end(hs_upload_t *u) {
    return status_of(u, eddy_http_multipart_finish(&u->mp));
}

void eddy__hs_upload_free(hs_upload_t *u) {
    if (!u) return;
    if (u->fd >= 0) close(u->fd);
    for (size_t i = 0; i < u->nfiles; i++)
        if (u->files[i].tmp != SIZE_MAX) unlink(u->strs.data + u->files[i].tmp);
    eddy_buf_free(&u->strs);
    eddy_free(u->files);
    eddy_free(u->fields);
    eddy_free(u->out);
    eddy_free(u);
}

int eddy__hs_upload_field(const hs_upload_t *u, size_t i, eddy_http_pair_t *p) {
    if (!u || i >= u->nfields) return 0;
    const up_field_t *k = &u->fields[i];
    *p = (eddy_http_pair_t){u->strs.data + k->k, k->kl, u->strs.data + k->v, k->vl};
    return 1;
}

const eddy_http_file_t *eddy_http_request_files(eddy_http_request_t *req, size_t *n) {
    hs_exchange_t *x = req ? req->ctx : NULL;
    static const eddy_http_file_t none[1];
    if (!x) return NULL;
    hs_upload_t *u = x->up;
    if (n) *n = u ? u->nfiles : 0;
    if (!u || !u->nfiles) return none;
    if (!u->out) { /* strs no longer grows: the body is whole */
        u->out = eddy_calloc(u->nfiles, sizeof(*u->out));
        for (size_t i = 0; i < u->nfiles; i++) {
            const up_file_t *f = &u->files[i];
            const char *s = u->strs.data;
            u->out[i] = (eddy_http_file_t){s + f->field, s + f->name, s + f->type,
                                           f->tmp == SIZE_MAX ? "" : s + f->tmp, f->size,
                                           f->error};
        }
    }
    return u->out;
}
