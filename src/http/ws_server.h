/* Private to the WebSocket server files (ws_server.c, ws_conn.c,
 * ws_upgrade.c, ws_push.c, ws_table.c). */
#ifndef EDDY_HTTP_WS_SERVER_H
#define EDDY_HTTP_WS_SERVER_H

#include <stdatomic.h>
#include <stdint.h>

#include "eddy/websocket.h"

/* One connection's frame state, in the worker that reads it. Created when
 * a handshake is accepted, freed when the engine reports the close. */
typedef struct ws_conn_s {
    int fd;
    int status;              /* EDDY_WS_STATUS_* */
    struct ws_conn_s *hnext; /* hash chain */
    eddy_buf_t in;           /* frame bytes not consumed yet */
    eddy_buf_t msg;          /* the assembler's buffer (fragmented / deflated) */
    eddy_ws_asm_t a;
    eddy_ws_deflate_t *deflate; /* owned; NULL unless negotiated */
    eddy_ws_deflate_params_t dparams;
    unsigned busy;          /* > 0 while frames are being handled */
    unsigned gone : 1;      /* the engine closed it: free when not busy */
    unsigned has_deflate : 1; /* dparams negotiated, stream not created yet */
    unsigned open_pending : 1; /* automatic handshake: fire on_open */
    unsigned failed : 1;       /* close frame sent after an error: input is ignored */
} ws_conn_t;

/* Shared-memory handshake status, one slot per connection (ws_table.c). */
typedef struct {
    _Atomic uint64_t *slots; /* MAP_SHARED, nslots of them */
    size_t nslots;
    size_t per_worker; /* BASE: slots per worker (fd range) */
    int process;       /* PROCESS mode: slot = session % nslots */
    int worker_bits;   /* BASE: session id layout (eddy/server.h) */
} ws_table_t;

struct eddy_ws_server_s {
    eddy_server_t *srv;
    eddy_http_server_t *hs;
    eddy_ws_server_opts_t o; /* copy; o.subprotocol points to `subprotocol` */
    char *subprotocol;       /* owned copy */
    eddy_server_events_t user; /* the user's other events */
    eddy_ws_limits_t limits;
    ws_table_t table;
    ws_conn_t **buckets; /* fd -> connection, this worker's */
    size_t nbuckets, nconns;
    eddy_buf_t out;   /* frame assembly for push */
    eddy_buf_t zout;  /* deflated payload for push */
};

/* ws_server.c: the per-worker connection table */
ws_conn_t *eddy__ws_conn_find(eddy_ws_server_t *ws, int fd);
ws_conn_t *eddy__ws_conn_new(eddy_ws_server_t *ws, int fd);
void eddy__ws_conn_remove(eddy_ws_server_t *ws, ws_conn_t *c);
void eddy__ws_conn_free(ws_conn_t *c);

/* ws_table.c: the shared status table. set: by the reading worker (owner
 * recorded), or by another (status only, while the slot is fd's). */
int eddy__ws_table_init(eddy_ws_server_t *ws);
void eddy__ws_table_free(eddy_ws_server_t *ws);
void eddy__ws_table_worker_start(eddy_ws_server_t *ws, int worker_id);
void eddy__ws_status_set(eddy_ws_server_t *ws, int fd, int status);
void eddy__ws_status_clear(eddy_ws_server_t *ws, int fd);

/* ws_conn.c: the connection has been upgraded (101 sent): sets up its
 * frame state; then bytes arrive through eddy__ws_feed. */
void eddy__ws_upgraded(void *data, int fd, eddy_http_request_t *req);
void eddy__ws_feed(void *data, int fd, const char *p, size_t len);
/* Sends a close frame (code 0: empty payload) and closes lingering. */
void eddy__ws_fail(eddy_ws_server_t *ws, ws_conn_t *c, uint16_t code, const char *reason,
                   size_t reason_len);

/* ws_upgrade.c: answers a handshake (open: fire on_open once upgraded). */
int eddy__ws_accept(eddy_ws_server_t *ws, eddy_http_request_t *req, eddy_http_response_t *resp,
                    int open);

/* ws_push.c: builds one frame in ws->out (deflating into ws->zout when
 * asked and possible). 0 or EDDY_EINVAL / EDDY_EWS_BAD_OPCODE. */
int eddy__ws_frame_build(eddy_ws_server_t *ws, ws_conn_t *c, int opcode, const void *data,
                         size_t len, int flags);

#endif /* EDDY_HTTP_WS_SERVER_H */
