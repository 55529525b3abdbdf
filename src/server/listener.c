/*
 * Per-listener options, as Swoole's $port->set(): each listener may frame
 * its stream differently (one port EOF-split, another length-prefixed).
 * A listener keeps NULL until its first set, and follows the server's
 * options meanwhile, as a Swoole port that never called set() inherits the
 * server's protocol settings. The framing both modes read per message
 * (listeners[i].framing) is derived again after each set.
 */
#include <stdio.h>
#include <string.h>

#include "server/internal.h"

/* Only what decides how a stream is cut into messages is per listener;
 * socket and process options stay the server's. */
static const char *const per_listener[] = {
    "open_eof_check",      "open_eof_split",        "package_eof",
    "open_length_check",   "package_length_type",   "package_length_offset",
    "package_body_offset", "package_body_start",    "package_max_length",
};

static int is_per_listener(const char *name) {
    for (size_t i = 0; i < sizeof(per_listener) / sizeof(per_listener[0]); i++)
        if (strcmp(per_listener[i], name) == 0) return 1;
    return 0;
}

static void own_copy(const eddy_server_t *srv, eddy__listener_t *l) {
    const eddy_server_config_t *c = &srv->cfg;
    l->cfg = eddy_calloc(1, sizeof(*l->cfg));
    *l->cfg = *c;
    /* The strings stay the server's: a listener's copy never uses them. */
    l->cfg->pid_file = l->cfg->log_file = l->cfg->user = l->cfg->group = NULL;
}

int eddy_server_listener_config_setn(eddy_server_t *srv, int listener, const char *name,
                                     const char *value, size_t value_len, char *err,
                                     size_t errlen) {
    if (srv->role != ROLE_MASTER || srv->manager_pid) return EDDY_EWRONG_OP;
    if (listener < 0 || listener >= srv->nlisteners) {
        if (err && errlen) snprintf(err, errlen, "no listener #%d", listener);
        return EDDY_EINVAL;
    }
    if (!name || !is_per_listener(name)) {
        if (err && errlen)
            snprintf(err, errlen, "'%s' is not a per-listener option (framing options only)",
                     name ? name : "(null)");
        return EDDY_EINVAL;
    }
    eddy__listener_t *l = &srv->listeners[listener];
    if (!l->cfg) own_copy(srv, l);
    int rc = eddy_server_config_setn(l->cfg, name, value, value_len, err, errlen);
    if (rc == 0 && l->stream) eddy_server_config_framing(l->cfg, &l->framing);
    return rc;
}

int eddy_server_listener_config_set(eddy_server_t *srv, int listener, const char *name,
                                    const char *value, char *err, size_t errlen) {
    return eddy_server_listener_config_setn(srv, listener, name, value,
                                            value ? strlen(value) : 0, err, errlen);
}

void eddy__listener_free(eddy__listener_t *l) {
    eddy_free(l->cfg); /* owns no strings (own_copy) */
    l->cfg = NULL;
}

static int frames(const eddy_server_config_t *cfg) {
    return cfg->open_eof_check || cfg->open_eof_split || cfg->open_length_check;
}

/* A protocol that parses the raw stream (HTTP) breaks on framed input, and
 * framing can be set after the protocol was attached: check at start. */
static int check_raw_stream(const eddy_server_t *srv) {
    if (!srv->raw_stream) return 0;
    if (frames(&srv->cfg)) {
        eddy_log_error("server: framing options cannot be used: the protocol parses the stream");
        return EDDY_EINVAL;
    }
    for (int i = 0; i < srv->nlisteners; i++) {
        if (srv->listeners[i].cfg && frames(srv->listeners[i].cfg)) {
            eddy_log_error("server: listener #%d: framing options cannot be used: the protocol "
                           "parses the stream", i);
            return EDDY_EINVAL;
        }
    }
    return 0;
}

void eddy_server_require_raw_stream(eddy_server_t *srv) { srv->raw_stream = 1; }

int eddy__listeners_validate(eddy_server_t *srv) {
    char err[EDDY_SERVER_ERRLEN];
    if (check_raw_stream(srv) < 0) return EDDY_EINVAL;
    for (int i = 0; i < srv->nlisteners; i++) {
        if (!srv->listeners[i].cfg) continue;
        if (eddy_server_config_validate(srv->listeners[i].cfg, err, sizeof(err)) < 0) {
            eddy_log_error("server: listener #%d: %s", i, err);
            return EDDY_EINVAL;
        }
    }
    return 0;
}
