/*
 * MIME types by file extension, for the static handler and
 * eddy_http_response_sendfile(). A short table of the types a web root
 * commonly holds, sorted by extension for a binary search; anything else
 * is application/octet-stream (what nginx's default_type and Swoole's
 * fallback answer), so a browser downloads what it cannot identify rather
 * than guessing (and sniffing is off for text types we do name).
 */
#include <stdlib.h>
#include <string.h>

#include "eddy/http.h"

typedef struct {
    const char *ext; /* lower case, no dot */
    const char *type;
} mime_entry_t;

/* Sorted by ext (strcmp order): bsearch relies on it. */
static const mime_entry_t MIME[] = {
    {"7z", "application/x-7z-compressed"},
    {"aac", "audio/aac"},
    {"avif", "image/avif"},
    {"bin", "application/octet-stream"},
    {"bmp", "image/bmp"},
    {"css", "text/css"},
    {"csv", "text/csv"},
    {"doc", "application/msword"},
    {"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
    {"eot", "application/vnd.ms-fontobject"},
    {"epub", "application/epub+zip"},
    {"flac", "audio/flac"},
    {"gif", "image/gif"},
    {"gz", "application/gzip"},
    {"htm", "text/html"},
    {"html", "text/html"},
    {"ico", "image/x-icon"},
    {"jpeg", "image/jpeg"},
    {"jpg", "image/jpeg"},
    {"js", "text/javascript"},
    {"json", "application/json"},
    {"map", "application/json"},
    {"md", "text/markdown"},
    {"mjs", "text/javascript"},
    {"mp3", "audio/mpeg"},
    {"mp4", "video/mp4"},
    {"mpeg", "video/mpeg"},
    {"oga", "audio/ogg"},
    {"ogg", "audio/ogg"},
    {"ogv", "video/ogg"},
    {"otf", "font/otf"},
    {"pdf", "application/pdf"},
    {"png", "image/png"},
    {"rar", "application/vnd.rar"},
    {"rss", "application/rss+xml"},
    {"svg", "image/svg+xml"},
    {"tar", "application/x-tar"},
    {"tif", "image/tiff"},
    {"tiff", "image/tiff"},
    {"ttf", "font/ttf"},
    {"txt", "text/plain"},
    {"wasm", "application/wasm"},
    {"wav", "audio/wav"},
    {"webm", "video/webm"},
    {"webmanifest", "application/manifest+json"},
    {"webp", "image/webp"},
    {"woff", "font/woff"},
    {"woff2", "font/woff2"},
    {"xhtml", "application/xhtml+xml"},
    {"xls", "application/vnd.ms-excel"},
    {"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
    {"xml", "application/xml"},
    {"zip", "application/zip"},
};

#define MIME_DEFAULT "application/octet-stream"
#define EXT_MAX 16 /* longer than any extension above */

static int cmp_entry(const void *key, const void *elem) {
    return strcmp(key, ((const mime_entry_t *)elem)->ext);
}

const char *eddy_http_mime_type(const char *path) {
    if (!path) return MIME_DEFAULT;
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    const char *dot = strrchr(base, '.');
    /* No dot, or a dot file such as ".htaccess" (its name, not a type). */
    if (!dot || dot == base || !dot[1]) return MIME_DEFAULT;
    char ext[EXT_MAX];
    size_t n = strlen(dot + 1);
    if (n >= sizeof(ext)) return MIME_DEFAULT;
    for (size_t i = 0; i <= n; i++) {
        char ch = dot[1 + i];
        ext[i] = (ch >= 'A' && ch <= 'Z') ? (char)(ch - 'A' + 'a') : ch;
    }
    const mime_entry_t *e = bsearch(ext, MIME, sizeof(MIME) / sizeof(MIME[0]), sizeof(MIME[0]),
                                    cmp_entry);
    return e ? e->type : MIME_DEFAULT;
}
