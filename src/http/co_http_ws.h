/* Private glue between the coroutine HTTP server (co_http.c) and the
 * WebSocket sessions of request handlers (ws_session.c, ws_session_co.c):
 * a session that upgrades a connection of a coroutine HTTP server borrows
 * the connection's socket and reads and writes it itself, from the
 * coroutines that call recv / push; the connection's own coroutine stops
 * reading HTTP and, once the handler has returned, only waits for the
 * session to let go (or the server to shut down).
 *
 * Who ends what: the session ends the connection (eddy__co_http_ws_end);
 * the connection, when it ends first (shutdown), tells the session
 * (eddy__wss_co_gone), which then touches neither socket nor connection. */
#ifndef EDDY_HTTP_CO_HTTP_WS_H
#define EDDY_HTTP_CO_HTTP_WS_H

#include <stdint.h>

#include "eddy/socket.h"
#include "eddy/websocket.h"
#include "http_server.h"

/* ---- co_http.c, for the sessions ------------------------------------------ */

/* Session s takes connection c (its handler is answering the handshake):
 * from now on the connection reads no HTTP. 0 with *sock (borrowed, valid
 * until eddy__wss_co_gone), *conn (for the calls below) and *io_ms (the
 * server's send timeout); EDDY_ESESSION_CLOSED when c has gone or is
 * closing; EDDY_EWRONG_OP when c is not a coroutine server's. */
int eddy__co_http_ws_adopt(hs_conn_t *c, eddy_ws_session_t *s, eddy_socket_t **sock,
                           void **conn, int64_t *io_ms);
/* The 101 has gone out: when the connection's coroutine is left reading
 * (its handler returned and another coroutine upgraded), its read is
 * canceled so that the session is the socket's only reader. */
void eddy__co_http_ws_started(void *conn);
/* The session ends the connection: how 1 after what was sent (FIN, the
 * connection drains the peer's last bytes briefly), 2 at once; release:
 * the session is being freed and lets go of the connection. May switch
 * to the connection's coroutine, which may then call eddy__wss_co_gone:
 * the caller re-reads the session's fields afterwards. */
void eddy__co_http_ws_end(void *conn, int how, int release);

/* ---- ws_session_co.c, for co_http.c ---------------------------------------- */

/* Bytes the connection read after the handshake (frames sent early). */
void eddy__wss_co_input(eddy_ws_session_t *s, const char *p, size_t len);
/* The connection has ended (shutdown, or after the session's close): the
 * session is closed and forgets socket and connection. */
void eddy__wss_co_gone(eddy_ws_session_t *s);

#endif /* EDDY_HTTP_CO_HTTP_WS_H */
