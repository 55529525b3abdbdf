/* Private to the WebSocket session files: ws_session.c (handshake, frame
 * handling, the queue, the server engine's transport) and ws_session_co.c
 * (the coroutine HTTP server's transport: a borrowed socket read and
 * written by the coroutines that call recv and push). */
#ifndef EDDY_HTTP_WS_SESSION_INT_H
#define EDDY_HTTP_WS_SESSION_INT_H

#include <stdint.h>

#include "eddy/coro.h"
#include "eddy/socket.h"
#include "eddy/websocket.h"
#include "http_server.h"

enum { WSS_OPEN = 0, WSS_CLOSING, WSS_CLOSED };

typedef struct wss_qmsg_s {
    eddy_ws_session_msg_t m;
    struct wss_qmsg_s *next;
} wss_qmsg_t;

typedef struct wss_reg_s wss_reg_t;

struct eddy_ws_session_s {
    eddy_http_server_t *hs;
    eddy_server_t *srv; /* NULL: a coroutine HTTP server's session (the co fields) */
    int fd;
    int state;
    wss_reg_t *reg; /* NULL once the connection is gone (unregistered) */
    struct eddy_ws_session_s *next; /* in reg->list */
    eddy_ws_session_opts_t o;
    eddy_buf_t in;  /* frame bytes not consumed yet (unmasked in place) */
    eddy_buf_t msg; /* the assembler's buffer */
    eddy_buf_t out; /* frame assembly */
    eddy_buf_t zout; /* a deflated payload being pushed */
    eddy_ws_asm_t a;
    eddy_ws_deflate_t *deflate; /* owned; NULL unless permessage-deflate was negotiated */
    wss_qmsg_t *head, *tail; /* delivered messages, owned */
    size_t qbytes;
    eddy_wait_t *waiter; /* recv's, on its coroutine's stack */
    unsigned busy;       /* > 0 while hook_data feeds it: recv is woken after, not inside */
    unsigned failed : 1; /* a close frame went out after a protocol error */
    unsigned paused : 1;
    /* coroutine HTTP server (ws_session_co.c) */
    unsigned reading : 1; /* a recv is reading the socket */
    unsigned writing : 1; /* a coroutine holds `out` and the socket's write side */
    eddy_socket_t *sock;  /* the connection's, borrowed; NULL once it ended */
    void *conn;           /* co_http.c's connection; NULL once it ended */
    int64_t io_ms;        /* how long a send may wait */
    eddy_waitq_t wq;      /* coroutines waiting for `writing` */
};

/* ws_session.c: appends len bytes (none: p NULL) to s->in and handles
 * every whole frame there. */
void eddy__wss_feed(eddy_ws_session_t *s, const char *p, size_t len);

/* ws_session_co.c: the coroutine transport. */
/* s takes its connection; EDDY_ESESSION_CLOSED / EDDY_EWRONG_OP as adopt. */
int eddy__wss_co_attach(eddy_ws_session_t *s, eddy_http_response_t *resp);
/* The 101 went out (see eddy__co_http_ws_started). */
void eddy__wss_co_started(eddy_ws_session_t *s);
/* Holds `out` and the write side: 0, or EDDY_ECO_OUT_OF_COROUTINE, or
 * the wait's error (canceled). */
int eddy__wss_co_lock(eddy_ws_session_t *s);
void eddy__wss_co_unlock(eddy_ws_session_t *s);
/* Sends s->out (lock held). 0, or an error after which s is closed. */
int eddy__wss_co_send(eddy_ws_session_t *s);
/* Ends the connection (linger: after what was sent); s is closed. */
void eddy__wss_co_close(eddy_ws_session_t *s, int linger);
/* One read (until deadline_ms, eddy_now_ms() time; < 0: none) fed to the
 * session. 0 (something arrived, or the connection ended: s closed), or
 * EDDY_ETIMEDOUT / EDDY_ECANCELED / EDDY_ECO_HAS_BEEN_BOUND. */
int eddy__wss_co_fill(eddy_ws_session_t *s, int64_t deadline_ms);
/* s is being freed: the connection ends (lingering) if still there. */
void eddy__wss_co_release(eddy_ws_session_t *s);

#endif /* EDDY_HTTP_WS_SESSION_INT_H */
