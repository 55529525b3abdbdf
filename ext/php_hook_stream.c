/*
 * SWOOLE_HOOK_TCP / UDP / UNIX / UDG: PHP's stream socket transports on the
 * engine's coroutine sockets.
 *
 * The transports "tcp", "udp", "unix" and "udg" are registered again with
 * a factory of ours. Outside a coroutine (or with the flag off) it calls the
 * factory PHP had, so such streams are PHP's own. Inside a coroutine it
 * makes a stream whose ops below run on an eddy_socket_t: connect, accept,
 * read and write wait in the calling coroutine only. Every user of PHP
 * streams -- fsockopen, stream_socket_client/server, mysqlnd (PDO MySQL,
 * mysqli), phpredis -- then yields instead of blocking the worker.
 *
 * A stream made in a coroutine may still be used outside one (a destructor
 * at shutdown sending a goodbye): its ops then wait with poll(2) on the fd,
 * as PHP's own would.
 *
 * The stream's abstract data (hstream_t, php_hook_stream.h) starts with
 * PHP's php_netstream_data_t because mysqlnd and phpredis read ->socket from
 * it directly (for TCP_NODELAY). TLS on these streams is php_hook_ssl.c's.
 */
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>

#include "php_swoole.h"
#include "php_runtime.h"
#include "php_coroutine.h"
#include "php_hook_stream.h"

#include "php_network.h"
#include "ext/standard/file.h"

#include "eddy/base.h"
#include "eddy/poll.h"
#include "eddy/socket.h"
#include "eddy/tls.h"

#define HOST_MAX PHP_HOOK_HOST_MAX

static const php_stream_ops *ops_for(eddy_sock_type_t kind);

/* ---- helpers -------------------------------------------------------------- */

static int64_t tv_ms(const struct timeval *tv) {
    if (!tv || tv->tv_sec < 0) {
        return EDDY_WAIT_FOREVER;
    }
    return (int64_t) tv->tv_sec * 1000 + (tv->tv_usec + 999) / 1000;
}

static bool is_dgram(eddy_sock_type_t k) {
    return k == EDDY_SOCK_UDP || k == EDDY_SOCK_UDP6 || k == EDDY_SOCK_UNIX_DGRAM;
}

static bool is_unix(eddy_sock_type_t k) {
    return k == EDDY_SOCK_UNIX_STREAM || k == EDDY_SOCK_UNIX_DGRAM;
}

static hstream_t *hs_new(eddy_sock_type_t kind, bool persistent) {
    hstream_t *hs = pecalloc(1, sizeof(*hs), persistent);

    hs->ns.socket = -1;
    hs->ns.is_blocked = 1;
    hs->ns.timeout.tv_sec = FG(default_socket_timeout);
    hs->kind = kind;
    return hs;
}

static void set_error(php_stream_xport_param *xp, int rc, const char *what) {
    xp->outputs.returncode = -1;
    xp->outputs.error_code = rc < 0 ? -rc : 0; /* errno, or a Swoole error code */
    if (xp->want_errortext) {
        xp->outputs.error_text = strpprintf(0, "%s", what ? what : eddy_strerror(rc));
    }
}

static void parse_error(php_stream_xport_param *xp) {
    xp->outputs.returncode = -1;
    xp->outputs.error_code = 0;
    if (xp->want_errortext) {
        /* PHP's wording */
        xp->outputs.error_text = strpprintf(0, "Failed to parse address \"%.*s\"",
                                            (int) xp->inputs.namelen, xp->inputs.name);
    }
}

/* Splits "host:port", "[v6]:port" or a unix path into host/port and picks
 * the engine kind. False if a network address has no port. */
static bool parse_name(hstream_t *hs, const char *name, size_t len, char *host, int *port,
                       eddy_sock_type_t *kind) {
    const char *colon;
    size_t hlen;

    *kind = hs->kind;
    *port = 0;
    if (is_unix(hs->kind)) {
        if (len >= HOST_MAX) {
            return false;
        }
        memcpy(host, name, len);
        host[len] = '\0';
        return true;
    }
    colon = zend_memrchr(name, ':', len);
    if (!colon || colon == name) {
        return false;
    }
    hlen = (size_t) (colon - name);
    if (name[0] == '[' && hlen >= 2 && name[hlen - 1] == ']') {
        name++;
        hlen -= 2;
    }
    if (hlen >= HOST_MAX) {
        return false;
    }
    memcpy(host, name, hlen);
    host[hlen] = '\0';
    *port = atoi(colon + 1);
    if (memchr(host, ':', hlen)) {
        *kind = hs->kind == EDDY_SOCK_UDP ? EDDY_SOCK_UDP6 : EDDY_SOCK_TCP6;
    }
    return true;
}

/* The engine socket for a bind or connect: made now, from the address. */
static int ensure_socket(hstream_t *hs, eddy_sock_type_t kind) {
    int err = 0;

    if (hs->s) {
        return 0;
    }
    hs->s = eddy_socket_new(kind, &err);
    if (!hs->s) {
        return err < 0 ? err : EDDY_EINVAL;
    }
    hs->ns.socket = eddy_socket_fd(hs->s);
    return 0;
}

/* Waits for `events` on the fd outside a coroutine: >0 ready, 0 timeout. */
static int plain_wait(int fd, short events, int64_t ms) {
    struct pollfd p = {.fd = fd, .events = events};
    int rc;

    do {
        rc = poll(&p, 1, ms < 0 ? -1 : (int) (ms > INT_MAX ? INT_MAX : ms));
    } while (rc < 0 && errno == EINTR);
    return rc;
}

int php_hook_stream_poll(int fd, short events, int64_t ms) {
    return plain_wait(fd, events, ms);
}

int64_t php_hook_stream_timeout_ms(const hstream_t *hs) {
    return tv_ms(&hs->ns.timeout);
}

/* ---- read / write --------------------------------------------------------- */

/* A failed engine read or write: the bound-socket message reaches PHP as a
 * warning, as do other errors PHP's own sockets would warn about. */
static void report(hstream_t *hs, int rc, const char *op, size_t count) {
    if (rc == EDDY_ECO_HAS_BEEN_BOUND) {
        php_error_docref(NULL, E_WARNING, "%s", eddy_socket_errmsg(hs->s));
    } else if (strcmp(op, "send") == 0) {
        php_error_docref(NULL, E_NOTICE, "Send of %zu bytes failed with errno=%d %s", count,
                         rc > -4096 ? -rc : 0, eddy_strerror(rc));
    }
}

static ssize_t plain_read(php_stream *stream, hstream_t *hs, char *buf, size_t count) {
    ssize_t n;

    if (eddy_socket_tls_on(hs->s)) {
        return php_hook_ssl_read_nowait(stream, hs, buf, count);
    }
    if (hs->ns.is_blocked && plain_wait(hs->ns.socket, POLLIN, tv_ms(&hs->ns.timeout)) == 0) {
        hs->ns.timeout_event = 1;
        return 0;
    }
    do {
        n = recv(hs->ns.socket, buf, count, MSG_DONTWAIT);
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            return 0;
        }
        stream->eof = 1;
        return -1;
    }
    if (n == 0 && !is_dgram(hs->kind)) {
        stream->eof = 1;
    }
    return n;
}

static ssize_t hs_read(php_stream *stream, char *buf, size_t count) {
    hstream_t *hs = stream->abstract;
    ssize_t n;

    hs->ns.timeout_event = 0;
    if (!hs->s) {
        return -1;
    }
    if (!hs->ns.is_blocked || !php_coro_in()) {
        n = plain_read(stream, hs, buf, count);
    } else {
        n = eddy_socket_recv(hs->s, buf, count, tv_ms(&hs->ns.timeout));
        if (!php_coro_after_switch()) {
            return -1;
        }
        if (n == EDDY_ETIMEDOUT) {
            hs->ns.timeout_event = 1;
            return 0;
        }
        if (n < 0) {
            report(hs, (int) n, "recv", count);
            if (n != EDDY_ECO_HAS_BEEN_BOUND) {
                stream->eof = 1;
            }
            return -1;
        }
        if (n == 0 && !is_dgram(hs->kind)) {
            stream->eof = 1;
        }
    }
    if (n > 0) {
        php_stream_notify_progress_increment(PHP_STREAM_CONTEXT(stream), n, 0);
    }
    return n;
}

static ssize_t plain_write(hstream_t *hs, const char *buf, size_t count) {
    size_t done = 0;

    if (eddy_socket_tls_on(hs->s)) {
        return php_hook_ssl_write_nowait(hs, buf, count);
    }
    while (done < count) {
        ssize_t n = send(hs->ns.socket, buf + done, count - done, MSG_DONTWAIT | MSG_NOSIGNAL);
        if (n >= 0) {
            done += (size_t) n;
            continue;
        }
        if (errno == EINTR) {
            continue;
        }
        if ((errno != EAGAIN && errno != EWOULDBLOCK) || !hs->ns.is_blocked) {
            if (done == 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
                report(hs, -errno, "send", count);
                return -1;
            }
            break;
        }
        if (plain_wait(hs->ns.socket, POLLOUT, tv_ms(&hs->ns.timeout)) == 0) {
            hs->ns.timeout_event = 1;
            break;
        }
    }
    return (ssize_t) done;
}

static ssize_t hs_write(php_stream *stream, const char *buf, size_t count) {
    hstream_t *hs = stream->abstract;
    ssize_t n;

    if (!hs->s) {
        return -1;
    }
    if (!hs->ns.is_blocked || !php_coro_in()) {
        n = plain_write(hs, buf, count);
    } else {
        n = eddy_socket_send_all(hs->s, buf, count, tv_ms(&hs->ns.timeout));
        if (!php_coro_after_switch()) {
            return -1;
        }
        if (n < 0) {
            if (n == EDDY_ETIMEDOUT) {
                hs->ns.timeout_event = 1;
            }
            report(hs, (int) n, "send", count);
            return -1;
        }
    }
    if (n > 0) {
        php_stream_notify_progress_increment(PHP_STREAM_CONTEXT(stream), n, 0);
    }
    return n;
}

static int hs_close(php_stream *stream, int close_handle) {
    hstream_t *hs = stream->abstract;

    /* Coroutines waiting on it wake with EBADF; the engine frees the
     * handle once they have returned. Without close_handle the fd belongs
     * to someone else now: the handle is left (a few bytes) rather than
     * closing their fd. */
    if (hs->s && close_handle) {
        eddy_socket_close(hs->s);
    }
    php_hook_ssl_free(hs, php_stream_is_persistent(stream));
    pefree(hs, php_stream_is_persistent(stream));
    return 0;
}

static int hs_flush(php_stream *stream) {
    (void) stream;
    return 0;
}

static int hs_cast(php_stream *stream, int castas, void **ret) {
    hstream_t *hs = stream->abstract;

    switch (castas) {
    case PHP_STREAM_AS_FD:
    case PHP_STREAM_AS_SOCKETD:
    case PHP_STREAM_AS_FD_FOR_SELECT:
        if (hs->ns.socket < 0) {
            return FAILURE;
        }
        if (ret && castas == PHP_STREAM_AS_FD_FOR_SELECT) {
            php_hook_ssl_before_select(stream, hs);
        }
        if (ret) {
            *(php_socket_t *) ret = hs->ns.socket;
        }
        return SUCCESS;
    default:
        return FAILURE;
    }
}

/* ---- transport operations ------------------------------------------------- */

static int xp_connect(php_stream *stream, hstream_t *hs, php_stream_xport_param *xp) {
    char host[HOST_MAX];
    eddy_sock_type_t kind;
    int port, rc;

    if (!parse_name(hs, xp->inputs.name, xp->inputs.namelen, host, &port, &kind)) {
        parse_error(xp);
        return -1;
    }
    if (!php_coro_in()) {
        set_error(xp, EDDY_ECO_OUT_OF_COROUTINE, NULL);
        return -1;
    }
    if ((rc = ensure_socket(hs, kind)) < 0) {
        set_error(xp, rc, NULL);
        return -1;
    }
    rc = eddy_socket_connect(hs->s, host, port, tv_ms(xp->inputs.timeout));
    if (!php_coro_after_switch()) {
        set_error(xp, EDDY_ECANCELED, NULL);
        return -1;
    }
    if (rc < 0) {
        set_error(xp, rc, rc == EDDY_ETIMEDOUT ? "Connection timed out" : eddy_socket_errmsg(hs->s));
        return -1;
    }
    snprintf(hs->peer_host, sizeof(hs->peer_host), "%s", host);
    if (hs->ssl && php_hook_ssl_connected(stream, hs, xp) < 0) {
        return -1;
    }
    xp->outputs.returncode = 0;
    return 0;
}

static int xp_bind(hstream_t *hs, php_stream_xport_param *xp) {
    char host[HOST_MAX];
    eddy_sock_type_t kind;
    int port, rc;

    if (!parse_name(hs, xp->inputs.name, xp->inputs.namelen, host, &port, &kind)) {
        parse_error(xp);
        return -1;
    }
    if ((rc = ensure_socket(hs, kind)) < 0 || (rc = eddy_socket_bind(hs->s, host, port)) < 0) {
        set_error(xp, rc, hs->s ? eddy_socket_errmsg(hs->s) : NULL);
        return -1;
    }
    xp->outputs.returncode = 0;
    return 0;
}

static void fill_name(php_stream_xport_param *xp, const eddy_addr_t *a) {
    php_network_populate_name_from_sockaddr((struct sockaddr *) a->u.bytes, a->len,
                                            xp->want_textaddr ? &xp->outputs.textaddr : NULL,
                                            xp->want_addr ? &xp->outputs.addr : NULL,
                                            xp->want_addr ? &xp->outputs.addrlen : NULL);
}

static int xp_accept(php_stream *stream, hstream_t *hs, php_stream_xport_param *xp) {
    eddy_socket_t *conn;
    hstream_t *chs;
    eddy_addr_t peer;
    int err = 0;

    xp->outputs.client = NULL;
    if (!hs->s || !php_coro_in()) {
        set_error(xp, hs->s ? EDDY_ECO_OUT_OF_COROUTINE : EDDY_EBADF, NULL);
        return -1;
    }
    conn = eddy_socket_accept(hs->s, tv_ms(xp->inputs.timeout), &err);
    if (!php_coro_after_switch()) {
        if (conn) {
            eddy_socket_close(conn);
        }
        set_error(xp, EDDY_ECANCELED, NULL);
        return -1;
    }
    if (!conn) {
        set_error(xp, err, err == EDDY_ETIMEDOUT ? "Connection timed out" : NULL);
        return -1;
    }
    if ((xp->want_textaddr || xp->want_addr) && eddy_socket_getpeername(conn, &peer) == 0) {
        fill_name(xp, &peer);
    }
    chs = hs_new(hs->kind, false);
    chs->s = conn;
    chs->ns.socket = eddy_socket_fd(conn);
    chs->ns.timeout = hs->ns.timeout;
    xp->outputs.client = php_stream_alloc(stream->ops, chs, NULL, "r+");
    if (!xp->outputs.client) {
        eddy_socket_close(conn);
        pefree(chs, false);
        set_error(xp, EDDY_ENOMEM, NULL);
        return -1;
    }
    xp->outputs.client->ctx = stream->ctx;
    if (stream->ctx) {
        GC_ADDREF(stream->ctx);
    }
    if (hs->ssl && php_hook_ssl_accepted(hs, xp->outputs.client) < 0) {
        php_stream_free(xp->outputs.client, PHP_STREAM_FREE_CLOSE);
        xp->outputs.client = NULL;
        set_error(xp, EDDY_ESSL_HANDSHAKE_FAILED, "Failed to enable crypto");
        return -1;
    }
    xp->outputs.returncode = 0;
    return 0;
}

static int xp_name(hstream_t *hs, php_stream_xport_param *xp, bool peer) {
    eddy_addr_t a;
    int rc;

    if (!hs->s) {
        xp->outputs.returncode = -1;
        return -1;
    }
    rc = peer ? eddy_socket_getpeername(hs->s, &a) : eddy_socket_getsockname(hs->s, &a);
    if (rc < 0) {
        xp->outputs.returncode = -1;
        return -1;
    }
    fill_name(xp, &a);
    xp->outputs.returncode = 0;
    return 0;
}

/* Waits until the fd is ready for `events` (in a coroutine through the
 * engine, else poll); 1 ready, 0 timeout, negative error. */
static int wait_ready(hstream_t *hs, short events, int64_t ms) {
    struct pollfd p = {.fd = hs->ns.socket, .events = events};

    if (php_coro_in()) {
        int rc = eddy_coro_poll(&p, 1, ms);
        return php_coro_after_switch() ? rc : EDDY_ECANCELED;
    }
    return plain_wait(hs->ns.socket, events, ms);
}

/* stream_socket_recvfrom / stream_socket_sendto: flags and addresses go
 * straight to the system call on the non-blocking fd, after a wait. */
static int xp_recv(hstream_t *hs, php_stream_xport_param *xp) {
    struct sockaddr_storage from;
    socklen_t flen = sizeof(from);
    ssize_t n;
    int rc;

    if (!hs->s) {
        return xp->outputs.returncode = -1;
    }
    for (;;) {
        n = recvfrom(hs->ns.socket, xp->inputs.buf, xp->inputs.buflen,
                     xp->inputs.flags | MSG_DONTWAIT, (struct sockaddr *) &from, &flen);
        if (n >= 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
            break;
        }
        if (errno == EINTR) {
            continue;
        }
        if (!hs->ns.is_blocked || (rc = wait_ready(hs, POLLIN, tv_ms(&hs->ns.timeout))) <= 0) {
            hs->ns.timeout_event = hs->ns.is_blocked;
            return xp->outputs.returncode = -1;
        }
    }
    if (n >= 0 && flen > 0 && (xp->want_addr || xp->want_textaddr)) {
        php_network_populate_name_from_sockaddr((struct sockaddr *) &from, flen,
                                                xp->want_textaddr ? &xp->outputs.textaddr : NULL,
                                                xp->want_addr ? &xp->outputs.addr : NULL,
                                                xp->want_addr ? &xp->outputs.addrlen : NULL);
    }
    return xp->outputs.returncode = (int) n;
}

static int xp_send(hstream_t *hs, php_stream_xport_param *xp) {
    ssize_t n;

    if (!hs->s) {
        return xp->outputs.returncode = -1;
    }
    for (;;) {
        n = sendto(hs->ns.socket, xp->inputs.buf, xp->inputs.buflen,
                   xp->inputs.flags | MSG_DONTWAIT | MSG_NOSIGNAL, xp->inputs.addr,
                   xp->inputs.addr ? xp->inputs.addrlen : 0);
        if (n >= 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
            break;
        }
        if (errno == EINTR) {
            continue;
        }
        if (!hs->ns.is_blocked || wait_ready(hs, POLLOUT, tv_ms(&hs->ns.timeout)) <= 0) {
            return xp->outputs.returncode = -1;
        }
    }
    return xp->outputs.returncode = (int) n;
}

static int hs_xport(php_stream *stream, hstream_t *hs, php_stream_xport_param *xp) {
    int rc = 0;

    switch (xp->op) {
    case STREAM_XPORT_OP_CONNECT:
    case STREAM_XPORT_OP_CONNECT_ASYNC:
        xp_connect(stream, hs, xp);
        break;
    case STREAM_XPORT_OP_BIND:
        xp_bind(hs, xp);
        break;
    case STREAM_XPORT_OP_LISTEN:
        rc = hs->s ? eddy_socket_listen(hs->s, xp->inputs.backlog > 0 ? xp->inputs.backlog : 32)
                   : EDDY_EBADF;
        if (rc < 0) {
            set_error(xp, rc, NULL);
        } else {
            xp->outputs.returncode = 0;
        }
        break;
    case STREAM_XPORT_OP_ACCEPT:
        xp_accept(stream, hs, xp);
        break;
    case STREAM_XPORT_OP_GET_NAME:
    case STREAM_XPORT_OP_GET_PEER_NAME:
        xp_name(hs, xp, xp->op == STREAM_XPORT_OP_GET_PEER_NAME);
        break;
    case STREAM_XPORT_OP_RECV:
        xp_recv(hs, xp);
        break;
    case STREAM_XPORT_OP_SEND:
        xp_send(hs, xp);
        break;
    case STREAM_XPORT_OP_SHUTDOWN:
        /* STREAM_SHUT_RD/WR/RDWR are SHUT_RD/WR/RDWR's values */
        xp->outputs.returncode = hs->ns.socket >= 0 ? shutdown(hs->ns.socket, xp->how) : -1;
        break;
    default:
        return PHP_STREAM_OPTION_RETURN_NOTIMPL;
    }
    return PHP_STREAM_OPTION_RETURN_OK;
}

/* php_stream_eof() asks this before every phpredis command and before
 * its reply: streams go to the engine, which answers without a system call
 * while the loop has reported nothing since a read found the socket empty.
 * Datagram sockets keep the PEEK: an empty datagram is no hang-up. */
static int check_liveness(hstream_t *hs) {
    char c;
    ssize_t n;

    if (hs->ns.socket < 0) {
        return PHP_STREAM_OPTION_RETURN_ERR;
    }
    if (hs->s && !is_dgram(hs->kind)) {
        return eddy_socket_check_liveness(hs->s) ? PHP_STREAM_OPTION_RETURN_OK
                                                 : PHP_STREAM_OPTION_RETURN_ERR;
    }
    n = recv(hs->ns.socket, &c, 1, MSG_PEEK | MSG_DONTWAIT);
    if (n == 0 && !is_dgram(hs->kind)) {
        return PHP_STREAM_OPTION_RETURN_ERR;
    }
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
        return PHP_STREAM_OPTION_RETURN_ERR;
    }
    return PHP_STREAM_OPTION_RETURN_OK;
}

static int hs_set_option(php_stream *stream, int option, int value, void *ptrparam) {
    hstream_t *hs = stream->abstract;
    int old;

    switch (option) {
    case PHP_STREAM_OPTION_BLOCKING:
        /* the fd stays non-blocking; the flag decides whether ops wait */
        old = hs->ns.is_blocked;
        hs->ns.is_blocked = value != 0;
        return old;
    case PHP_STREAM_OPTION_READ_TIMEOUT:
        hs->ns.timeout = *(struct timeval *) ptrparam;
        hs->ns.timeout_event = 0;
        return PHP_STREAM_OPTION_RETURN_OK;
    case PHP_STREAM_OPTION_META_DATA_API:
        add_assoc_bool((zval *) ptrparam, "timed_out", hs->ns.timeout_event);
        add_assoc_bool((zval *) ptrparam, "blocked", hs->ns.is_blocked);
        add_assoc_bool((zval *) ptrparam, "eof", stream->eof);
        php_hook_ssl_meta(hs, (zval *) ptrparam);
        return PHP_STREAM_OPTION_RETURN_OK;
    case PHP_STREAM_OPTION_CRYPTO_API:
        return php_hook_ssl_crypto(stream, hs, ptrparam);
    case PHP_STREAM_OPTION_CHECK_LIVENESS:
        return check_liveness(hs);
    case PHP_STREAM_OPTION_XPORT_API:
        return hs_xport(stream, hs, ptrparam);
    default:
        return PHP_STREAM_OPTION_RETURN_NOTIMPL;
    }
}

#define HOOK_OPS(name, label)                                                                      \
    static const php_stream_ops name = {hs_write, hs_read,  hs_close, hs_flush,     label,         \
                                        NULL,     hs_cast,  NULL,     hs_set_option}
HOOK_OPS(tcp_ops, "tcp_socket/coroutine");
HOOK_OPS(udp_ops, "udp_socket/coroutine");
HOOK_OPS(unix_ops, "unix_socket/coroutine");
HOOK_OPS(udg_ops, "udg_socket/coroutine");

static const php_stream_ops *ops_for(eddy_sock_type_t kind) {
    switch (kind) {
    case EDDY_SOCK_UDP:
    case EDDY_SOCK_UDP6:
        return &udp_ops;
    case EDDY_SOCK_UNIX_STREAM:
        return &unix_ops;
    case EDDY_SOCK_UNIX_DGRAM:
        return &udg_ops;
    default:
        return &tcp_ops;
    }
}

php_stream *php_hook_stream_new_tcp(const char *persistent_id) {
    hstream_t *hs = hs_new(EDDY_SOCK_TCP, persistent_id != NULL);
    php_stream *stream = php_stream_alloc(&tcp_ops, hs, persistent_id, "r+");

    if (!stream) {
        pefree(hs, persistent_id != NULL);
    }
    return stream;
}

/* ---- the transports ------------------------------------------------------- */

/* This file's per-process state: each transport, param its socket kind. */
static php_hook_xport_t TRANSPORTS[] = {
    {"tcp", PHP_HOOK_TCP, EDDY_SOCK_TCP, NULL, false},
    {"udp", PHP_HOOK_UDP, EDDY_SOCK_UDP, NULL, false},
    {"unix", PHP_HOOK_UNIX, EDDY_SOCK_UNIX_STREAM, NULL, false},
    {"udg", PHP_HOOK_UDG, EDDY_SOCK_UNIX_DGRAM, NULL, false},
};
#define NTRANSPORTS (sizeof(TRANSPORTS) / sizeof(TRANSPORTS[0]))

php_hook_xport_t *php_hook_xport_find(php_hook_xport_t *table, size_t n, const char *proto,
                                      size_t protolen) {
    for (size_t i = 0; i < n; i++) {
        if (strlen(table[i].name) == protolen &&
            strncasecmp(table[i].name, proto, protolen) == 0) {
            return table[i].orig ? &table[i] : NULL;
        }
    }
    return NULL;
}

void php_hook_xport_apply(php_hook_xport_t *table, size_t n, uint32_t flags,
                          php_stream_transport_factory factory) {
    HashTable *xports = php_stream_xport_get_hash();

    for (size_t i = 0; i < n; i++) {
        bool on = (flags & table[i].bit) != 0;
        if (on == table[i].hooked) {
            continue;
        }
        if (on) {
            table[i].orig = zend_hash_str_find_ptr(xports, table[i].name, strlen(table[i].name));
            if (!table[i].orig) {
                continue; /* this PHP has no such scheme */
            }
            php_stream_xport_register(table[i].name, factory);
        } else {
            php_stream_xport_register(table[i].name, table[i].orig);
        }
        table[i].hooked = on;
    }
}

static php_stream *hook_factory(const char *proto, size_t protolen, const char *resourcename,
                                size_t resourcenamelen, const char *persistent_id, int options,
                                int flags, struct timeval *timeout,
                                php_stream_context *context STREAMS_DC) {
    php_hook_xport_t *x = php_hook_xport_find(TRANSPORTS, NTRANSPORTS, proto, protolen);
    eddy_sock_type_t kind;
    php_stream *stream;
    hstream_t *hs;

    if (!x) {
        return NULL;
    }
    if (!php_runtime_active(x->bit)) {
        return x->orig(proto, protolen, resourcename, resourcenamelen, persistent_id, options,
                       flags, timeout, context STREAMS_REL_CC);
    }
    kind = (eddy_sock_type_t) x->param;
    hs = hs_new(kind, persistent_id != NULL);
    stream = php_stream_alloc_rel(ops_for(kind), hs, persistent_id, "r+");
    if (!stream) {
        pefree(hs, persistent_id != NULL);
    }
    return stream;
}

static void apply(uint32_t flags) {
    php_hook_xport_apply(TRANSPORTS, NTRANSPORTS, flags, hook_factory);
}

void php_hook_stream_minit(void) {
    php_runtime_register(PHP_HOOK_TCP | PHP_HOOK_UDP | PHP_HOOK_UNIX | PHP_HOOK_UDG, apply);
}
