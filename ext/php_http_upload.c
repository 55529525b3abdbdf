/*
 * multipart/form-data requests for Swoole\Http\Request: the engine parses
 * the body as it arrives, writes each file part to a temp file and keeps
 * the form fields as POST pairs (eddy_http_request_files / _params); here
 * they become $request->post, ->files and ->tmpfiles.
 *
 * Field names go through PHP's php_register_variable, as Swoole does, so
 * "a[]" and "a[k]" build arrays; a file under "f[]" is
 * $request->files['f'][0] = [name, type, tmp_name, error, size] (Swoole's
 * layout, not $_FILES' transposed one).
 *
 * Temp files are registered in SG(rfc1867_uploaded_files), so that
 * is_uploaded_file() and move_uploaded_file() accept them as in Swoole;
 * they are dropped from it when the response ends, which is when the
 * engine unlinks the files that were not moved.
 */
#include "php_swoole.h"
#include "php_http.h"
#include "SAPI.h"
#include "php_variables.h"

static void free_name(zval *el) {
    zend_string_release_ex(Z_PTR_P(el), 0);
}

static void register_tmp(const char *path) {
    zend_string *s;

    if (!SG(rfc1867_uploaded_files)) { /* PHP's own shape: zend_string keys and values */
        ALLOC_HASHTABLE(SG(rfc1867_uploaded_files));
        zend_hash_init(SG(rfc1867_uploaded_files), 8, NULL, free_name, 0);
    }
    s = zend_string_init(path, strlen(path), 0);
    if (!zend_hash_add_ptr(SG(rfc1867_uploaded_files), s, s)) {
        zend_string_release(s);
    }
}

static void add_file(const eddy_http_file_t *f, zval *files, zval *tmpfiles) {
    zval entry;

    array_init_size(&entry, 5);
    add_assoc_string(&entry, "name", f->name);
    add_assoc_string(&entry, "type", f->type);
    add_assoc_string(&entry, "tmp_name", f->tmp_name);
    add_assoc_long(&entry, "error", f->error);
    add_assoc_long(&entry, "size", (zend_long) f->size);
    if (f->tmp_name[0]) {
        if (Z_TYPE_P(tmpfiles) != IS_ARRAY) {
            array_init(tmpfiles);
        }
        add_next_index_string(tmpfiles, f->tmp_name);
        register_tmp(f->tmp_name);
    }
    php_register_variable_ex(f->field, &entry, files); /* takes entry */
}

void php_http_upload_build(eddy_http_request_t *req, bool parse_post, zval *post, zval *files,
                           zval *tmpfiles) {
    const eddy_http_pair_t *p;
    const eddy_http_file_t *f;
    size_t n;

    if (parse_post && (p = eddy_http_request_params(req, EDDY_HTTP_PARAM_POST, &n)) && n > 0) {
        array_init(post);
        for (size_t i = 0; i < n; i++) {
            php_register_variable_safe(p[i].key, p[i].value, p[i].value_len, post);
        }
    }
    if ((f = eddy_http_request_files(req, &n)) && n > 0) {
        array_init(files);
        for (size_t i = 0; i < n; i++) {
            add_file(&f[i], files, tmpfiles);
        }
    }
}

void php_http_upload_forget(zval *tmpfiles) {
    zval *v;

    if (Z_TYPE_P(tmpfiles) != IS_ARRAY || !SG(rfc1867_uploaded_files)) {
        return;
    }
    ZEND_HASH_FOREACH_VAL(Z_ARRVAL_P(tmpfiles), v) {
        if (Z_TYPE_P(v) == IS_STRING) {
            zend_hash_del(SG(rfc1867_uploaded_files), Z_STR_P(v));
        }
    } ZEND_HASH_FOREACH_END();
}
