/* deflate() into a growable buffer; see zdeflate.h. */
#include <limits.h>
#include <stdint.h>

#include "zdeflate.h"

/* zlib counts in uInt: a larger input goes in slices. */
#define SLICE ((size_t)1 << 30)
/* Output is taken in steps of at most this much, so a small message does
 * not reserve deflateBound() of a huge one, nor a huge one grow by bytes. */
#define STEP_MAX (256 * 1024)

static int run(z_stream *z, int flush, eddy_buf_t *out) {
    for (;;) {
        size_t want = deflateBound(z, z->avail_in) + 16;
        if (want > STEP_MAX) want = STEP_MAX;
        eddy_buf_reserve(out, want);
        size_t room = out->cap - out->len - 1;
        if (room > UINT_MAX) room = UINT_MAX;
        z->next_out = (Bytef *)out->data + out->len;
        z->avail_out = (uInt)room;
        int rc = deflate(z, flush);
        eddy_buf_commit(out, room - z->avail_out);
        if (rc == Z_STREAM_END) return 0;
        /* Z_BUF_ERROR only says "no progress possible": not an error here. */
        if (rc != Z_OK && rc != Z_BUF_ERROR) return EDDY_ENOMEM;
        /* Room left over means zlib had nothing more to give. */
        if (flush != Z_FINISH && z->avail_in == 0 && z->avail_out > 0) return 0;
    }
}

int eddy__zdeflate_buf(z_stream *z, const void *in, size_t len, int flush, eddy_buf_t *out) {
    const Bytef *p = in;
    do {
        size_t n = len > SLICE ? SLICE : len;
        z->next_in = (Bytef *)(uintptr_t)p;
        z->avail_in = (uInt)n;
        /* Only the last slice carries the caller's flush. */
        int rc = run(z, len > n ? Z_NO_FLUSH : flush, out);
        if (rc < 0) return rc;
        p += n;
        len -= n;
    } while (len);
    return 0;
}
