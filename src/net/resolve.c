/*
 * Name resolution: getaddrinfo(3) blocks, so it runs on the loop's thread
 * pool while the calling coroutine waits; the loop keeps serving others.
 *
 * Ownership of a request (the subtle part): the coroutine may stop waiting
 * (timeout, cancel) while getaddrinfo still runs on a pool thread, and the
 * done callback then arrives later on the loop. So the request lives on the
 * heap, never on the coroutine's stack, and is freed by whichever side
 * finishes last:
 *   - done callback first (normal case): it wakes the coroutine with 0 and
 *     never touches the request again; the coroutine copies the answers out
 *     and frees it.
 *   - coroutine first (timeout/cancel): it sets req->waiter = NULL and
 *     returns; the done callback finds no waiter and frees the request.
 * Both sides run on the loop thread, so the hand-over needs no lock; the
 * pool thread only writes the result fields before the done callback runs.
 */
#include <netdb.h>
#include <netinet/in.h>
#include <string.h>

#include "eddy/coro.h"
#include "net/net.h"

typedef struct {
    eddy_work_t work;     /* first: the done callback gets &req->work */
    eddy_wait_t *waiter;  /* NULL once the coroutine has given up */
    char *name;
    int family;
    int rc;               /* count of addrs, or a negative code */
    size_t max;
    eddy_addr_t addrs[];  /* max entries, written by the pool thread */
} resolve_req_t;

/* EAI_* codes mapped onto errno-style values callers already handle. */
static int map_gai_error(int gai, int saved_errno) {
    switch (gai) {
    case EAI_NONAME:
#ifdef EAI_NODATA
    case EAI_NODATA:
#endif
#ifdef EAI_ADDRFAMILY
    case EAI_ADDRFAMILY:
#endif
        return -ENOENT;
    /* "Temporary failure in name resolution": the DNS server did not answer
     * in time. Not EDDY_EAGAIN, which in eddy only ever means "would block". */
    case EAI_AGAIN: return EDDY_ETIMEDOUT;
    case EAI_MEMORY: return EDDY_ENOMEM;
    case EAI_SYSTEM: return saved_errno ? -saved_errno : EDDY_ESYSCALL;
    case EAI_FAIL: return -EIO;
    default: return EDDY_EINVAL; /* EAI_FAMILY, EAI_SERVICE, EAI_BADFLAGS... */
    }
}

static int same_addr(const eddy_addr_t *a, const struct addrinfo *ai) {
    return a->len == ai->ai_addrlen && memcmp(a->u.bytes, ai->ai_addr, ai->ai_addrlen) == 0;
}

/* Copies distinct addresses, in getaddrinfo's (RFC 6724) order. */
static int collect(resolve_req_t *req, const struct addrinfo *list) {
    size_t n = 0;
    for (const struct addrinfo *ai = list; ai && n < req->max; ai = ai->ai_next) {
        if (ai->ai_family != AF_INET && ai->ai_family != AF_INET6) continue;
        int dup = 0;
        for (size_t i = 0; i < n && !dup; i++) dup = same_addr(&req->addrs[i], ai);
        if (dup || eddy__addr_from_sa(&req->addrs[n], ai->ai_addr, ai->ai_addrlen) < 0) continue;
        eddy__addr_set_port(&req->addrs[n], 0);
        n++;
    }
    return n ? (int)n : -ENOENT;
}

/* Pool thread: touches only the request, never the coroutine. */
static void resolve_work(eddy_work_t *w) {
    resolve_req_t *req = (resolve_req_t *)w;
    struct addrinfo hints, *list = NULL;
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = req->family;
    hints.ai_socktype = SOCK_STREAM; /* one entry per address, not per socktype */
    errno = 0;
    int gai = getaddrinfo(req->name, NULL, &hints, &list);
    req->rc = gai ? map_gai_error(gai, errno) : collect(req, list);
    if (list) freeaddrinfo(list);
}

static void req_free(resolve_req_t *req) {
    eddy_free(req->name);
    eddy_free(req);
}

/* Loop thread. See the ownership note at the top. */
static void resolve_done(eddy_work_t *w) {
    resolve_req_t *req = (resolve_req_t *)w;
    eddy_wait_t *waiter = req->waiter;
    if (!waiter) {
        req_free(req);
        return;
    }
    req->waiter = NULL;
    eddy_coro_wake(waiter, 0); /* the coroutine frees req; do not touch it */
}

static void resolve_abort(eddy_wait_t *w) {
    resolve_req_t *req = w->data;
    req->waiter = NULL; /* the done callback will free req */
}

/* Numeric hosts need no DNS and no pool: answered at once, even outside
 * a coroutine. Returns the count, or 0 if `name` is not numeric. */
static int resolve_numeric(const char *name, int family, eddy_addr_t *out) {
    if ((family == 0 || family == AF_INET) && eddy_addr_parse(out, EDDY_SOCK_TCP, name, 0) == 0) {
        return 1;
    }
    if ((family == 0 || family == AF_INET6) && eddy_addr_parse(out, EDDY_SOCK_TCP6, name, 0) == 0) {
        return 1;
    }
    return 0;
}

int eddy_resolve(const char *name, int family, eddy_addr_t *out, size_t max, int64_t timeout_ms) {
    if (!name || !*name || !out || max == 0) return EDDY_EINVAL;
    if (family != 0 && family != AF_INET && family != AF_INET6) return EDDY_EINVAL;
    if (resolve_numeric(name, family, out)) return 1;
    if (!eddy_coro_current()) return EDDY_ECO_OUT_OF_COROUTINE;

    resolve_req_t *req = eddy_calloc(1, sizeof(*req) + max * sizeof(eddy_addr_t));
    eddy_wait_t w;
    memset(&w, 0, sizeof(w));
    w.data = req;
    req->waiter = &w;
    req->name = eddy_strdup(name);
    req->family = family;
    req->max = max;
    eddy_work_submit(eddy_loop_default(), &req->work, resolve_work, resolve_done);

    int rc = eddy_coro_wait(&w, timeout_ms, resolve_abort);
    if (rc != 0) {
        /* Timed out, canceled, or refused at once: the request now belongs
         * to resolve_done, which runs when getaddrinfo returns. */
        req->waiter = NULL;
        return rc;
    }
    rc = req->rc;
    if (rc > 0) memcpy(out, req->addrs, (size_t)rc * sizeof(eddy_addr_t));
    req_free(req);
    return rc;
}

int eddy__addr_lookup(eddy_addr_t *addr, eddy_sock_type_t type, const char *host, int port,
                      int64_t timeout_ms) {
    if (!host) return EDDY_EINVAL;
    int family = eddy__sock_family(type);
    if (family == AF_UNIX) return eddy_addr_parse(addr, type, host, port);
    if (port < 0 || port > 65535) return EDDY_EINVAL;
    if (eddy_addr_parse(addr, type, host, port) == 0) return 0;
    int rc = eddy_resolve(host, family, addr, 1, timeout_ms);
    if (rc < 0) return rc;
    eddy__addr_set_port(addr, port);
    return 0;
}
