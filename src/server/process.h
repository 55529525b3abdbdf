/*
 * PROCESS mode internals: the master's reactor threads (reactor.c), the
 * dispatch modes (dispatch.c), the worker side (process_worker.c) and what
 * they share (process.c). Not a public header.
 *
 * Channels. Every (reactor thread, worker) pair has its own AF_UNIX
 * SOCK_SEQPACKET socketpair. One writer per direction per channel means no
 * locking and no interleaving; SEQPACKET keeps record boundaries, so a
 * worker that dies mid-read leaves whole records behind for its
 * replacement (which inherits the same channel from the manager) instead of
 * a stream cut at an arbitrary byte. A record is a 16-byte header and up to
 * EDDY__CHUNK payload bytes; a larger message is several records flagged
 * BEGIN ... END, always sent back to back on one channel.
 *
 * Session table. An array of max_connection entries in MAP_SHARED memory,
 * written by the master's reactor threads and read by workers, so a worker
 * can validate a session, find its reactor and report client info without a
 * round trip. Session ids come from one increasing counter in the master;
 * session s lives in slot s % cap.
 */
#ifndef EDDY_SERVER_PROCESS_H
#define EDDY_SERVER_PROCESS_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>

#include "server/internal.h"

#define EDDY__CHUNK (60 * 1024) /* payload per record; far below the socket's sndbuf */
#define EDDY__RECORD_MAX (16 + EDDY__CHUNK)
/* Datagrams moved per recvmmsg / sendmmsg, and records gathered into one
 * datagram (back to back, up to EDDY__RECORD_MAX bytes): under load one
 * system call and one wake-up of the reader carry many messages, which is
 * most of PROCESS mode's cost. */
#define EDDY__BATCH 16
#define EDDY__PACK 64

/* Record types. Master -> worker: CONNECT, DATA, CLOSE (the connection is
 * gone), PACKET (a datagram: aux the listener, payload the sender's
 * eddy_addr_t then the bytes). Worker -> master: SEND, CLOSE (please close), DONE (one message
 * handled: dispatch_mode 3 accounting), HELLO (a fresh worker started),
 * BIND (aux: the uid for dispatch_mode 5). */
enum { MSG_CONNECT = 1, MSG_DATA, MSG_CLOSE, MSG_SEND, MSG_DONE, MSG_HELLO, MSG_BIND, MSG_PACKET,
       MSG_LINGER, /* worker -> master: close lingering (linger.c) */
       MSG_FLOW /* worker -> master: the session's paused flag changed, watch it again */ };
enum { MSG_BEGIN = 1, MSG_END = 2 };

typedef struct {
    uint8_t type;
    uint8_t flags;
    uint16_t reactor;
    int32_t session;
    uint32_t len; /* payload bytes in this record */
    uint32_t aux; /* CONNECT: listener index; BIND: uid */
} eddy__msg_t;

/* One connection as every process sees it (shared memory). */
typedef struct {
    _Atomic int session; /* 0: never used */
    _Atomic int closed;  /* set by the master when the fd is gone: slot reusable */
    _Atomic int server_closed; /* a worker called close(): later data is dropped (1007) */
    int reactor;
    int listener;
    int worker; /* fixed target (dispatch modes 2, 4, 5), else -1 */
    _Atomic uint32_t uid; /* dispatch_mode 5: bound uid, 0 while unbound */
    eddy_addr_t peer;
    int64_t connect_time;
    _Atomic int64_t last_time;
    /* Bytes the reactor holds for the client, not yet taken by its socket
     * (eddy_server_output_pending). Written by the owning reactor only. */
    _Atomic size_t out_pending;
    /* Set by workers (flow.c), read by the owning reactor: not read
     * (eddy_server_pause), left open by the heartbeat (eddy_server_protect). */
    _Atomic int paused;
    _Atomic int protect;
} eddy__session_t;

struct eddy__reactor_s;

/* A client connection owned by one reactor thread (master memory). */
typedef struct {
    eddy_io_t io;
    int fd, session, slot, listener, worker;
    uint32_t ip_hash;
    struct eddy__reactor_s *r;
    eddy_buf_t in, out;
    size_t outoff; /* bytes of `out` already written */
    size_t scanned;
    uint64_t last_ms; /* monotonic: heartbeat */
    unsigned dispatching;
    unsigned closed : 1;
    unsigned close_after_flush : 1;
    unsigned linger : 1;    /* close_after_flush lingers */
    unsigned lingering : 1; /* write side shut down, input discarded */
    size_t lingered;
    eddy_timer_t *linger_timer;
} eddy__pconn_t;

/* The reactor's end of the channel to one worker. */
typedef struct {
    int fd;
    eddy_io_t io;
    eddy_buf_t q; /* records the socket did not take: u32 length, then bytes */
    size_t qoff;  /* start of the first unsent record in q */
    int inflight; /* DATA messages sent, DONE not yet seen (mode 3) */
} eddy__chan_t;

typedef struct eddy__reactor_s {
    eddy_server_t *srv;
    int id;
    pthread_t tid;
    int started;
    eddy_loop_t loop;
    int accept_epfd;
    eddy_io_t accept_io;
    int stop_fd; /* eventfd: the main thread asks the reactor to stop */
    eddy_io_t stop_io;
    eddy_timer_t drain;
    uint64_t stop_ms;
    int stopping;
    eddy__chan_t *chans; /* [worker_num] */
    /* [cap]: this reactor's connections by session slot. Per reactor, so
     * that no thread ever looks at (or races to free) another's. */
    eddy__pconn_t **conns;
    char *scratch;
    char *rbuf; /* EDDY__BATCH records from workers */
    int flush_queued; /* a deferred flush of the channels is pending */
    int paused;       /* a worker channel is over CHAN_HIGH: clients are not read */
    eddy_timer_t heartbeat;
} eddy__reactor_t;

typedef struct eddy__proc_s {
    int nreactors, nworkers;
    int *master_fds; /* [r * nworkers + w] */
    int *worker_fds;
    eddy__session_t *table;
    size_t cap, map_len;
    /* shared: 1 + the highest slot ever allocated, so that iterating the
     * table reads only pages in use (MAP_SHARED holes cost memory once read) */
    _Atomic size_t *slots_used;
    /* master */
    pthread_mutex_t lock;  /* session allocation */
    int next_session;
    atomic_int *busy;      /* [worker_num]: in-flight messages (mode 3) */
    atomic_uint rr;        /* round robin cursor */
    eddy__reactor_t *reactors;
    /* worker */
    eddy_io_t *wio;      /* [nreactors] */
    eddy_buf_t *wasm;    /* [nreactors]: message being reassembled */
    unsigned char *wstate; /* [nreactors]: 0 between messages, 1 assembling, 2 skipping */
    char *wbuf;       /* EDDY__BATCH records */
    eddy_buf_t *wout; /* [nreactors]: records to send, flushed after each batch */
    int wbatch;       /* inside a batch: sends are queued */
    eddy_signal_t sigterm;
    eddy_timer_t drain;
    uint64_t requests, max_requests;
    int stopping;
} eddy__proc_t;

/* process.c */
int eddy__process_prepare(eddy_server_t *srv);
void eddy__process_free(eddy_server_t *srv);
eddy__session_t *eddy__session_get(eddy_server_t *srv, int session);
int eddy__session_alloc(eddy_server_t *srv);
/* Sends the queued records of q (u32 length, then the record, each) from
 * *off on, with sendmmsg; advances *off past what the socket took. With
 * wait, polls until all are sent (worker side). 0 or -errno. */
int eddy__records_send(int fd, eddy_buf_t *q, size_t *off, int wait);
/* A queue consumed from *off on (channel records, a client's output):
 * drops the consumed prefix once it is at least as long as what is left,
 * and releases a buffer over EDDY__QUEUE_KEEP once the queue is empty, so
 * that its memory follows what is pending (at most twice it), not what
 * went through it. */
#define EDDY__QUEUE_KEEP (1u << 20)
void eddy__queue_trim(eddy_buf_t *q, size_t *off);
/* Appends one record (header + payload) to q in that format. */
void eddy__records_put(eddy_buf_t *q, const eddy__msg_t *h, const void *payload);
/* Receives up to EDDY__BATCH datagrams into buf (EDDY__BATCH slots of
 * EDDY__RECORD_MAX); lens[i] gets each size. Count, or -errno (-EAGAIN). */
int eddy__records_recv(int fd, char *buf, size_t *lens);
/* The next record of a received datagram [*p, end): its header into *h,
 * its payload returned, *p moved past it. NULL at the end or at bytes that
 * are not a whole record of ours (the rest of the datagram is ignored). */
static inline const char *eddy__record_next(const char **p, const char *end, eddy__msg_t *h) {
    if ((size_t)(end - *p) < sizeof(*h)) return NULL;
    memcpy(h, *p, sizeof(*h));
    if (h->len > (size_t)(end - *p) - sizeof(*h)) return NULL;
    const char *payload = *p + sizeof(*h);
    *p = payload + h->len;
    return payload;
}

/* reactor.c (master) */
int eddy__reactors_start(eddy_server_t *srv);
void eddy__reactors_stop(eddy_server_t *srv);

/* dispatch.c (reactor threads) */
/* The worker for a message of c; for stateful modes the connection's fixed
 * worker, chosen at accept by eddy__dispatch_fixed(). */
int eddy__dispatch_pick(eddy_server_t *srv, eddy__pconn_t *c);
int eddy__dispatch_fixed(eddy_server_t *srv, eddy__pconn_t *c);
/* The worker for a datagram: as its connection would be, the sender's
 * address standing in for the session in modes 2 and 5. */
int eddy__dispatch_packet(eddy_server_t *srv, const eddy_addr_t *from);
/* dispatch_mode 1 and 3 are stateless: Swoole then fires neither connect
 * nor close in workers, since their order against receive is not kept. */
int eddy__dispatch_stateful(const eddy_server_t *srv);
uint32_t eddy__ip_hash(const eddy_addr_t *peer);

/* process_worker.c */
__attribute__((noreturn)) void eddy__pworker_main(eddy_server_t *srv, int id);
int eddy__pworker_send(eddy_server_t *srv, int session, const void *data, size_t len);
int eddy__pworker_close(eddy_server_t *srv, int session, int linger);
int eddy__pworker_exists(eddy_server_t *srv, int session);
int eddy__pworker_info(eddy_server_t *srv, int session, eddy_server_client_info_t *info);
int eddy__pworker_pending(eddy_server_t *srv, int session);
int eddy__pworker_connections(eddy_server_t *srv, eddy_server_conn_cb cb, void *arg);
/* flow.c: pause (paused 1) / resume (0) a session: sets its flag and asks
 * its reactor to watch it again (MSG_FLOW). 0 or a session error. */
int eddy__pworker_flow(eddy_server_t *srv, int session, int paused);

#endif /* EDDY_SERVER_PROCESS_H */
