/*
 * Lingering close, as nginx's (ngx_http_set_lingering_close): the server
 * has answered and wants the connection gone, but the peer may still be
 * sending (a request body the server refused, pipelined requests). Closing
 * a socket whose receive queue holds unread bytes makes Linux send a reset
 * instead of a FIN (RFC 1122 4.2.2.13), and a reset that reaches the peer
 * before it has read the response makes its TCP stack drop that response.
 * So: write what is queued, shut the write side down (the peer reads the
 * response, then EOF), read and discard what still arrives until the peer
 * closes, and close for good after EDDY_SERVER_LINGER_MS or once
 * EDDY_SERVER_LINGER_BYTES were discarded, whichever comes first: a client
 * that keeps sending regardless cannot hold the connection open.
 *
 * The helpers on a bare fd are shared by BASE workers (below) and PROCESS
 * reactor threads (reactor.c).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sys/socket.h>

#include "server/internal.h"

int eddy__linger_shutdown(int fd) {
    /* ENOTCONN: the peer is already gone; the caller closes at once. */
    return shutdown(fd, SHUT_WR) < 0 ? -errno : 0;
}

int eddy__linger_drain(int fd, char *scratch, size_t size, size_t *discarded) {
    for (;;) {
        ssize_t n = recv(fd, scratch, size, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno == EAGAIN) return 0;
        if (n <= 0) return 1; /* EOF or reset: the peer has what we sent, or never will */
        *discarded += (size_t)n;
        if (*discarded >= EDDY_SERVER_LINGER_BYTES) return 1;
    }
}

/* ---- BASE workers ------------------------------------------------------ */

static void on_linger_timeout(eddy_timer_t *t) {
    eddy__conn_t *c = t->data;
    eddy__conn_close(t->loop->data, c); /* the worker's loop data is its server */
}

void eddy__linger_start(eddy_server_t *srv, eddy__conn_t *c) {
    c->lingering = 1;
    if (eddy__linger_shutdown(c->fd) < 0 || eddy_io_set(&srv->loop, &c->io, EDDY_READ) < 0) {
        eddy__conn_close(srv, c);
        return;
    }
    c->linger_timer = eddy_malloc(sizeof(*c->linger_timer));
    eddy_timer_init(&srv->loop, c->linger_timer, on_linger_timeout);
    c->linger_timer->data = c;
    eddy_timer_start(c->linger_timer, EDDY_SERVER_LINGER_MS, 0);
}

void eddy__linger_read(eddy_server_t *srv, eddy__conn_t *c, char *scratch, size_t size) {
    size_t discarded = c->lingered;
    int done = eddy__linger_drain(c->fd, scratch, size, &discarded);
    c->lingered = discarded;
    if (done) eddy__conn_close(srv, c);
}

void eddy__linger_stop(eddy__conn_t *c) {
    if (!c->linger_timer) return;
    eddy_timer_stop(c->linger_timer);
    eddy_free(c->linger_timer);
    c->linger_timer = NULL;
}
