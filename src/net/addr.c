/* Socket addresses: numeric parsing and formatting, eddy_addr_t <-> sockaddr. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stddef.h>
#include <string.h>
#include <sys/un.h>

#include "net/net.h"

/* eddy_addr_t keeps platform headers out of socket.h, so its size is a
 * promise checked here: it must hold every address family we use. */
_Static_assert(sizeof(((eddy_addr_t *)0)->u.bytes) >= sizeof(struct sockaddr_in6),
               "eddy_addr_t too small for sockaddr_in6");
_Static_assert(sizeof(((eddy_addr_t *)0)->u.bytes) >= sizeof(struct sockaddr_un),
               "eddy_addr_t too small for sockaddr_un");
_Static_assert(sizeof(((eddy_addr_t *)0)->u.bytes) <= sizeof(struct sockaddr_storage),
               "eddy_addr_t larger than sockaddr_storage");

int eddy__sock_family(eddy_sock_type_t type) {
    switch (type) {
    case EDDY_SOCK_TCP:
    case EDDY_SOCK_UDP: return AF_INET;
    case EDDY_SOCK_TCP6:
    case EDDY_SOCK_UDP6: return AF_INET6;
    case EDDY_SOCK_UNIX_STREAM:
    case EDDY_SOCK_UNIX_DGRAM: return AF_UNIX;
    }
    return -1;
}

int eddy__sock_socktype(eddy_sock_type_t type) {
    switch (type) {
    case EDDY_SOCK_TCP:
    case EDDY_SOCK_TCP6:
    case EDDY_SOCK_UNIX_STREAM: return SOCK_STREAM;
    case EDDY_SOCK_UDP:
    case EDDY_SOCK_UDP6:
    case EDDY_SOCK_UNIX_DGRAM: return SOCK_DGRAM;
    }
    return -1;
}

int eddy__addr_from_sa(eddy_addr_t *addr, const struct sockaddr *sa, socklen_t len) {
    if (len > sizeof(addr->u.bytes)) return EDDY_EINVAL;
    memset(addr, 0, sizeof(*addr));
    memcpy(addr->u.bytes, sa, len);
    addr->len = (uint32_t)len;
    return 0;
}

void eddy__addr_set_port(eddy_addr_t *addr, int port) {
    struct sockaddr *sa = eddy__addr_sa_mut(addr);
    if (sa->sa_family == AF_INET) {
        ((struct sockaddr_in *)(void *)sa)->sin_port = htons((uint16_t)port);
    } else if (sa->sa_family == AF_INET6) {
        ((struct sockaddr_in6 *)(void *)sa)->sin6_port = htons((uint16_t)port);
    }
}

static int parse_unix(eddy_addr_t *addr, const char *path) {
    struct sockaddr_un *un = (struct sockaddr_un *)(void *)addr->u.bytes;
    size_t n = strlen(path);
    /* Keep room for the NUL: the kernel accepts a full sun_path without
     * one, but then the name cannot be printed or passed to unlink(). */
    if (n == 0 || n >= sizeof(un->sun_path)) return EDDY_EINVAL;
    un->sun_family = AF_UNIX;
    memcpy(un->sun_path, path, n + 1);
    addr->len = (uint32_t)(offsetof(struct sockaddr_un, sun_path) + n + 1);
    return 0;
}

static int parse_in4(eddy_addr_t *addr, const char *host, int port) {
    struct sockaddr_in *in = (struct sockaddr_in *)(void *)addr->u.bytes;
    if (inet_pton(AF_INET, host, &in->sin_addr) != 1) return EDDY_EINVAL;
    in->sin_family = AF_INET;
    in->sin_port = htons((uint16_t)port);
    addr->len = sizeof(*in);
    return 0;
}

/* Accepts "::1" and the URL form "[::1]". */
static int parse_in6(eddy_addr_t *addr, const char *host, int port) {
    struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)(void *)addr->u.bytes;
    char buf[INET6_ADDRSTRLEN];
    size_t n = strlen(host);
    if (n >= 2 && host[0] == '[' && host[n - 1] == ']') {
        if (n - 2 >= sizeof(buf)) return EDDY_EINVAL;
        memcpy(buf, host + 1, n - 2);
        buf[n - 2] = '\0';
        host = buf;
    }
    if (inet_pton(AF_INET6, host, &in6->sin6_addr) != 1) return EDDY_EINVAL;
    in6->sin6_family = AF_INET6;
    in6->sin6_port = htons((uint16_t)port);
    addr->len = sizeof(*in6);
    return 0;
}

int eddy_addr_parse(eddy_addr_t *addr, eddy_sock_type_t type, const char *host, int port) {
    if (!addr || !host) return EDDY_EINVAL;
    memset(addr, 0, sizeof(*addr));
    int family = eddy__sock_family(type);
    if (family == AF_UNIX) return parse_unix(addr, host);
    if (port < 0 || port > 65535) return EDDY_EINVAL;
    if (family == AF_INET) return parse_in4(addr, host, port);
    if (family == AF_INET6) return parse_in6(addr, host, port);
    return EDDY_EINVAL;
}

static int format_unix(const eddy_addr_t *addr, char *host, size_t hostlen, int *port) {
    const struct sockaddr_un *un = (const struct sockaddr_un *)(const void *)addr->u.bytes;
    size_t off = offsetof(struct sockaddr_un, sun_path);
    /* An unbound peer has no path (len == off); the kernel may omit the
     * NUL, so bound the copy by len rather than trusting strlen. */
    size_t n = addr->len > off ? strnlen(un->sun_path, addr->len - off) : 0;
    if (n >= hostlen) return EDDY_EINVAL;
    memcpy(host, un->sun_path, n);
    host[n] = '\0';
    if (port) *port = 0;
    return 0;
}

int eddy_addr_format(const eddy_addr_t *addr, char *host, size_t hostlen, int *port) {
    if (!addr || !host || addr->len < sizeof(sa_family_t)) return EDDY_EINVAL;
    const struct sockaddr *sa = eddy__addr_sa(addr);
    const void *ip;
    uint16_t nport;
    if (sa->sa_family == AF_UNIX) return format_unix(addr, host, hostlen, port);
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)sa;
        ip = &in->sin_addr;
        nport = in->sin_port;
    } else if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)(const void *)sa;
        ip = &in6->sin6_addr;
        nport = in6->sin6_port;
    } else {
        return EDDY_EINVAL;
    }
    if (hostlen > (socklen_t)-1 || !inet_ntop(sa->sa_family, ip, host, (socklen_t)hostlen)) {
        return EDDY_EINVAL;
    }
    if (port) *port = ntohs(nport);
    return 0;
}
