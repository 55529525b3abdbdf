/* Private: zlib's deflate() driven into an eddy_buf_t, shared by the HTTP
 * response encoders (compress.c) and WebSocket permessage-deflate
 * (ws_deflate.c), which both append a stream's output to a buffer. */
#ifndef EDDY_HTTP_ZDEFLATE_H
#define EDDY_HTTP_ZDEFLATE_H

#include <stddef.h>
#include <zlib.h>

#include "eddy/base.h"

/* Feeds in[0..len) to z with `flush` (Z_SYNC_FLUSH or Z_FINISH) and appends
 * all the output to out: returns once the input is used up and zlib holds
 * nothing back (Z_FINISH: the stream has ended). out stays NUL-terminated.
 * 0, or EDDY_ENOMEM when zlib fails (it only fails on memory or a misused
 * stream); out then holds whatever was produced. */
int eddy__zdeflate_buf(z_stream *z, const void *in, size_t len, int flush, eddy_buf_t *out);

#endif /* EDDY_HTTP_ZDEFLATE_H */
