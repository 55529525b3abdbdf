/*
 * Input of a stream connection, BASE worker and PROCESS reactor alike:
 * the bytes of one read are framed straight out of the shared read buffer
 * when nothing is pending for the connection, so the common case (whole
 * messages per read) copies nothing; only an incomplete message's bytes
 * are kept in the connection's own buffer, and only those are framed
 * again when the next read completes them.
 */
#include "server/internal.h"

void eddy__feed(eddy_buf_t *in, const char *buf, size_t n, eddy__frames_cb frames, void *ctx,
                void *conn) {
    if (in->len == 0) {
        size_t used = frames(ctx, conn, buf, n);
        if (used != EDDY__FEED_GONE && used < n) eddy_buf_append(in, buf + used, n - used);
        return;
    }
    eddy_buf_append(in, buf, n);
    size_t used = frames(ctx, conn, in->data, in->len);
    if (used != EDDY__FEED_GONE) eddy_buf_consume(in, used);
}
