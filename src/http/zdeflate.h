/* Private: zlib's deflate() driven into an eddy_buf_t, shared by the HTTP
 * response encoders (compress.c) and WebSocket permessage-deflate
 * (ws_deflate.c), which both append a stream's output to a buffer; and the
 * encoders' internal constructor. */
#ifndef EDDY_HTTP_ZDEFLATE_H
#define EDDY_HTTP_ZDEFLATE_H

#include <stddef.h>
#include <zlib.h>

#include "eddy/http.h"

/* Feeds in[0..len) to z with `flush` (Z_SYNC_FLUSH or Z_FINISH) and appends
 * all the output to out: returns once the input is used up and zlib holds
 * nothing back (Z_FINISH: the stream has ended). out stays NUL-terminated.
 * 0, or EDDY_ENOMEM when zlib fails (it only fails on memory or a misused
 * stream); out then holds whatever was produced. */
int eddy__zdeflate_buf(z_stream *z, const void *in, size_t len, int flush, eddy_buf_t *out);

/* compress.c: eddy_http_compressor_new() with the zlib state chosen: lean
 * (an 8 KiB window, 48 KiB, for streams) or full (zlib's defaults, 256 KiB:
 * the HTTP server's per-worker encoder for whole bodies). */
int eddy__http_compressor_open(eddy_http_compressor_t **out, int enc, int level, int lean);

#endif /* EDDY_HTTP_ZDEFLATE_H */
