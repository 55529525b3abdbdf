/*
 * Framed streams between the manager and each worker / task worker, and the
 * manager's routing of frames (design in ipc.h).
 *
 * A link reads everything the socket has into `in`, then dispatches the
 * complete frames from a detached buffer: a handler may run a blocking
 * taskwait that reads more into `in`, and the payload it was handed must
 * not move under it. `in` thus always begins at a frame boundary.
 */
#define _GNU_SOURCE
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "server/ipc.h"

#define HDR sizeof(eddy__frame_t)
#define READ_CHUNK (256 * 1024)

/* ---- links ------------------------------------------------------------- */

static void on_link_io(eddy_loop_t *loop, eddy_io_t *io, unsigned events);

eddy__link_t *eddy__link_new(eddy_server_t *srv, int fd, int peer, eddy__frame_cb cb) {
    eddy__link_t *l = eddy_calloc(1, sizeof(*l));
    l->fd = fd;
    l->srv = srv;
    l->peer = peer;
    l->on_frame = cb;
    eddy_buf_init(&l->in);
    eddy_buf_init(&l->out);
    eddy_io_init(&l->io, fd, on_link_io);
    l->io.data = l;
    if (eddy_io_set(&srv->loop, &l->io, EDDY_READ) < 0) l->closed = 1;
    return l;
}

void eddy__link_free(eddy__link_t *l, int touch_loop) {
    if (!l) return;
    if (touch_loop) eddy_io_stop(&l->io);
    eddy__server_close_fd(l->fd);
    eddy_buf_free(&l->in);
    eddy_buf_free(&l->out);
    eddy_free(l);
}

static void link_down(eddy__link_t *l) {
    if (l->closed) return;
    l->closed = 1;
    eddy_io_stop(&l->io);
}

/* 0 when the socket has nothing more for now, EDDY_EPIPE at EOF. */
static int link_fill(eddy__link_t *l);

void eddy__link_poll(eddy__link_t *l) {
    if (!l->closed && link_fill(l) < 0) link_down(l);
}

static int link_fill(eddy__link_t *l) {
    for (;;) {
        size_t room;
        eddy_buf_reserve(&l->in, READ_CHUNK);
        char *p = eddy_buf_tail(&l->in, &room);
        ssize_t n = recv(l->fd, p, room, 0);
        if (n > 0) {
            eddy_buf_commit(&l->in, (size_t)n);
            if ((size_t)n < room) return 0;
            continue;
        }
        if (n == 0) return EDDY_EPIPE;
        if (errno == EINTR) continue;
        return errno == EAGAIN ? 0 : -errno;
    }
}

static int link_flush(eddy__link_t *l) {
    while (l->out.len) {
        ssize_t n = send(l->fd, l->out.data, l->out.len, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno == EAGAIN) break;
        if (n < 0) return -errno;
        eddy_buf_consume(&l->out, (size_t)n);
    }
    return 0;
}

static void link_interest(eddy__link_t *l) {
    if (!l->closed) eddy_io_set(&l->srv->loop, &l->io, EDDY_READ | (l->out.len ? EDDY_WRITE : 0));
}

int eddy__link_send(eddy__link_t *l, const eddy__frame_t *h, const void *payload) {
    if (!l || l->closed) return EDDY_EPIPE;
    size_t total = HDR + h->len, done = 0;
    while (!l->out.len && done < total) { /* nothing queued: write straight away */
        struct iovec iov[2];
        int n = 0;
        if (done < HDR) iov[n++] = (struct iovec){(char *)h + done, HDR - done};
        size_t poff = done > HDR ? done - HDR : 0;
        if (h->len > poff) iov[n++] = (struct iovec){(char *)payload + poff, h->len - poff};
        struct msghdr mh = {.msg_iov = iov, .msg_iovlen = (size_t)n};
        ssize_t w = sendmsg(l->fd, &mh, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (w < 0 && errno == EINTR) continue;
        if (w < 0 && errno == EAGAIN) break;
        if (w < 0) {
            link_down(l);
            return -errno;
        }
        done += (size_t)w;
    }
    if (done < HDR) eddy_buf_append(&l->out, (const char *)h + done, HDR - done);
    size_t poff = done > HDR ? done - HDR : 0;
    if (h->len > poff) eddy_buf_append(&l->out, (const char *)payload + poff, h->len - poff);
    if (l->out.len) link_interest(l);
    return 0;
}

/* Length of the complete frames at the front of b. */
static size_t complete_end(const eddy_buf_t *b) {
    size_t pos = 0;
    while (b->len - pos >= HDR) {
        eddy__frame_t h;
        memcpy(&h, b->data + pos, HDR);
        if (b->len - pos - HDR < h.len) break;
        pos += HDR + h.len;
    }
    return pos;
}

void eddy__link_process(eddy__link_t *l) {
    if (l->processing) return; /* the outer call picks up what arrives */
    l->processing = 1;
    size_t end;
    while ((end = complete_end(&l->in)) > 0) {
        eddy_buf_t batch;
        if (end == l->in.len) { /* the usual case: take the buffer, no copy */
            batch = l->in;
            eddy_buf_init(&l->in);
        } else {
            eddy_buf_init(&batch);
            eddy_buf_append(&batch, l->in.data, end);
            eddy_buf_consume(&l->in, end);
        }
        for (size_t pos = 0; pos < end;) {
            eddy__frame_t h;
            memcpy(&h, batch.data + pos, HDR);
            /* Frames already read are still delivered after the peer closed. */
            l->on_frame(l, &h, batch.data + pos + HDR);
            pos += HDR + h.len;
        }
        eddy_buf_free(&batch);
    }
    l->processing = 0;
}

static void on_link_io(eddy_loop_t *loop, eddy_io_t *io, unsigned events) {
    eddy__link_t *l = io->data;
    (void)loop;
    if ((events & EDDY_WRITE) && link_flush(l) < 0) {
        link_down(l);
        return;
    }
    if (events & EDDY_READ) {
        int rc = link_fill(l);
        eddy__link_process(l);
        if (rc < 0) {
            link_down(l);
            return;
        }
    }
    link_interest(l);
}

/* Finds a RESULT for task `id` among the complete frames of l->in and
 * moves it out; the frames around it stay, in order. */
static int take_result(eddy__link_t *l, int id, eddy_buf_t *out) {
    size_t pos = 0;
    while (l->in.len - pos >= HDR) {
        eddy__frame_t h;
        memcpy(&h, l->in.data + pos, HDR);
        if (l->in.len - pos - HDR < h.len) return 0;
        size_t flen = HDR + h.len;
        if (h.type == EDDY__FRAME_RESULT && h.id == id) {
            eddy_buf_append(out, l->in.data + pos + HDR, h.len);
            memmove(l->in.data + pos, l->in.data + pos + flen, l->in.len - pos - flen);
            l->in.len -= flen;
            l->in.data[l->in.len] = 0;
            return 1;
        }
        pos += flen;
    }
    return 0;
}

/* While a worker blocks in a wait, queries from other workers (exists,
 * client_info) are still answered: two workers asking each other would
 * otherwise each sit out the other's timeout. Each QUERY frame is taken
 * out of l->in and handed to the link's handler; the rest stay in order. */
static void serve_queries(eddy__link_t *l) {
    size_t pos = 0;
    while (l->in.len - pos >= HDR) {
        eddy__frame_t h;
        memcpy(&h, l->in.data + pos, HDR);
        if (l->in.len - pos - HDR < h.len) return;
        size_t flen = HDR + h.len;
        if (h.type != EDDY__FRAME_QUERY || h.len > 16) {
            pos += flen;
            continue;
        }
        char payload[16];
        memcpy(payload, l->in.data + pos + HDR, h.len);
        memmove(l->in.data + pos, l->in.data + pos + flen, l->in.len - pos - flen);
        l->in.len -= flen;
        l->in.data[l->in.len] = 0;
        l->on_frame(l, &h, payload);
    }
}

int eddy__link_wait_result(eddy__link_t *l, int id, int64_t timeout_ms, eddy_buf_t *out) {
    uint64_t deadline = timeout_ms < 0 ? UINT64_MAX : eddy_now_ms() + (uint64_t)timeout_ms;
    int rc = 0;
    for (;;) {
        serve_queries(l);
        if (take_result(l, id, out)) break;
        if (l->closed) {
            rc = EDDY_EPIPE;
            break;
        }
        uint64_t now = eddy_now_ms();
        if (now >= deadline) {
            rc = EDDY_ETIMEDOUT;
            break;
        }
        uint64_t left = deadline - now;
        struct pollfd p = {.fd = l->fd, .events = POLLIN | (l->out.len ? POLLOUT : 0)};
        int n = poll(&p, 1, left > 1000 ? 1000 : (int)left);
        if (n <= 0) continue; /* EINTR or a slice of the timeout */
        if ((p.revents & POLLOUT) && link_flush(l) < 0) link_down(l);
        if ((p.revents & (POLLIN | POLLHUP | POLLERR)) && link_fill(l) < 0) link_down(l);
    }
    link_interest(l);
    return rc;
}

/* ---- manager side ------------------------------------------------------ */

int eddy__ipc_prepare(eddy_server_t *srv, eddy__slot_t *slot) {
    int *pair = eddy__ipc(srv)->pair;
    (void)slot;
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, pair) < 0)
        return -errno;
    return 0;
}

/* In the new child: keep our end, drop every end the manager holds (they
 * were inherited over fork) and the manager's routing state. The loop is
 * the manager's until the child replaces it, so it is not touched. */
void eddy__ipc_child(eddy_server_t *srv, eddy__slot_t *slot) {
    (void)slot;
    for (uint32_t i = 0; srv->slots && i < eddy__server_slots(srv); i++) {
        eddy__link_free(srv->slots[i].link, 0);
        srv->slots[i].link = NULL;
    }
    eddy__ipc_t *ipc = eddy__ipc(srv);
    eddy__server_close_fd(ipc->pair[0]);
    while (ipc->qhead) {
        eddy__queued_t *q = ipc->qhead;
        ipc->qhead = q->next;
        eddy_free(q);
    }
    ipc->qtail = NULL;
    eddy__ipc_free_held(srv);
    ipc->child_fd = ipc->pair[1];
    ipc->pair[0] = ipc->pair[1] = -1;
}

static void manager_frame(eddy__link_t *l, const eddy__frame_t *h, const char *payload);
static void release_held(eddy_server_t *srv, eddy__slot_t *slot);

void eddy__ipc_parent(eddy_server_t *srv, eddy__slot_t *slot, int forked) {
    int *pair = eddy__ipc(srv)->pair;
    eddy__server_close_fd(pair[1]);
    if (!forked) {
        eddy__server_close_fd(pair[0]);
    } else {
        /* A new task worker announces itself with IDLE: queued tasks move then. */
        slot->link = eddy__link_new(srv, pair[0], slot->id, manager_frame);
        slot->link->busy = 1;
        release_held(srv, slot);
    }
    pair[0] = pair[1] = -1;
}

/* The process of the slot has exited: what it wrote before is still
 * delivered (a result sent right before a reload), then its link goes. */
void eddy__ipc_slot_exit(eddy_server_t *srv, eddy__slot_t *slot) {
    eddy__link_t *l = slot->link;
    (void)srv;
    if (!l) return;
    if (!l->closed) link_fill(l);
    eddy__link_process(l);
    slot->link = NULL;
    eddy__link_free(l, 1);
}

static eddy__slot_t *slot_of(eddy_server_t *srv, int id) {
    if (id < 0 || (uint32_t)id >= eddy__server_slots(srv)) return NULL;
    return &srv->slots[id];
}

static int task_slot_ready(eddy__slot_t *s) {
    return s->pid && !s->stopping && s->link && !s->link->closed && !s->link->busy;
}

/* Gives queued tasks, oldest first, to idle task workers. */
void eddy__ipc_dispatch_tasks(eddy_server_t *srv) {
    eddy__ipc_t *ipc = eddy__ipc(srv);
    uint32_t nw = srv->cfg.worker_num, nt = srv->cfg.task_worker_num;
    eddy__queued_t **pp = &ipc->qhead, *q;
    while ((q = *pp) != NULL) {
        eddy__slot_t *to = NULL;
        if (q->h.dst >= 0) {
            eddy__slot_t *s = slot_of(srv, (int)nw + q->h.dst);
            if (s && task_slot_ready(s)) to = s;
        } else {
            for (uint32_t i = 0; i < nt && !to; i++)
                if (task_slot_ready(&srv->slots[nw + i])) to = &srv->slots[nw + i];
        }
        if (!to) {
            pp = &q->next;
            continue;
        }
        *pp = q->next;
        if (ipc->qtail == q) ipc->qtail = NULL;
        to->link->busy = 1;
        eddy__link_send(to->link, &q->h, q->payload);
        eddy_free(q);
    }
    ipc->qtail = NULL; /* recompute the tail after removals */
    for (q = ipc->qhead; q; q = q->next) ipc->qtail = q;
}

static void queue_task(eddy_server_t *srv, const eddy__frame_t *h, const char *payload) {
    eddy__ipc_t *ipc = eddy__ipc(srv);
    eddy__queued_t *q = eddy_malloc(sizeof(*q) + h->len);
    q->next = NULL;
    q->h = *h;
    memcpy(q->payload, payload, h->len);
    if (ipc->qtail) ipc->qtail->next = q;
    else ipc->qhead = q;
    ipc->qtail = q;
    eddy__ipc_dispatch_tasks(srv);
}

/* A message, send or close for a worker that is being restarted waits for
 * its successor, as data in a Swoole worker pipe outlives the worker. Not a
 * result: task ids restart with the process, so it would be another's. */
#define HOLD_MAX (16u << 20)

static int hold(eddy_server_t *srv, eddy__slot_t *to, const eddy__frame_t *h,
                const char *payload) {
    eddy__ipc_t *ipc = eddy__ipc(srv);
    if (!ipc->held) ipc->held = eddy_calloc(eddy__server_slots(srv), sizeof(*ipc->held));
    eddy_buf_t *b = &ipc->held[to->id];
    if (b->len + sizeof(*h) + h->len > HOLD_MAX) return 0;
    eddy_buf_append(b, h, sizeof(*h));
    eddy_buf_append(b, payload, h->len);
    return 1;
}

static void release_held(eddy_server_t *srv, eddy__slot_t *slot) {
    eddy__ipc_t *ipc = srv->ipc;
    if (!ipc || !ipc->held || !ipc->held[slot->id].len) return;
    eddy_buf_t b = ipc->held[slot->id];
    eddy_buf_init(&ipc->held[slot->id]);
    for (size_t pos = 0; pos < b.len;) {
        eddy__frame_t h;
        memcpy(&h, b.data + pos, sizeof(h));
        eddy__link_send(slot->link, &h, b.data + pos + sizeof(h));
        pos += sizeof(h) + h.len;
    }
    eddy_buf_free(&b);
}

void eddy__ipc_free_held(eddy_server_t *srv) {
    eddy__ipc_t *ipc = srv->ipc;
    if (!ipc || !ipc->held) return;
    for (uint32_t i = 0; i < eddy__server_slots(srv); i++) eddy_buf_free(&ipc->held[i]);
    eddy_free(ipc->held);
    ipc->held = NULL;
}

static void manager_frame(eddy__link_t *l, const eddy__frame_t *in, const char *payload) {
    eddy_server_t *srv = l->srv;
    eddy__frame_t h = *in;
    h.src = l->peer; /* a process cannot speak for another */
    /* A user process (user_process.c) sends, closes and messages only. */
    if (l->peer >= (int)eddy__server_slots(srv) && h.type != EDDY__FRAME_MESSAGE &&
        h.type != EDDY__FRAME_SEND && h.type != EDDY__FRAME_CLOSE) {
        eddy_log(EDDY_LOG_NOTICE, "manager: frame type %d from user process #%d dropped",
                 h.type, l->peer);
        return;
    }
    if (h.type == EDDY__FRAME_TASK) {
        queue_task(srv, &h, payload);
        return;
    }
    if (h.type == EDDY__FRAME_IDLE) {
        l->busy = 0;
        eddy__ipc_dispatch_tasks(srv);
        return;
    }
    eddy__slot_t *to = slot_of(srv, h.dst);
    if (to && eddy__link_send(to->link, &h, payload) == 0) return;
    if (to && h.type != EDDY__FRAME_RESULT && hold(srv, to, &h, payload)) return;
    eddy_log(EDDY_LOG_NOTICE, "manager: message type %d from #%d to #%d dropped: no such "
             "worker running", h.type, h.src, h.dst);
}

/* ---- user processes (user_process.c) ------------------------------------- */

eddy__link_t *eddy__ipc_user_link(eddy_server_t *srv, int fd, int id) {
    return eddy__link_new(srv, fd, id, manager_frame);
}

void eddy__ipc_user_exit(eddy__link_t *l) {
    if (!l) return;
    if (!l->closed) link_fill(l); /* what it wrote before it exited still goes */
    eddy__link_process(l);
    eddy__link_free(l, 1);
}
