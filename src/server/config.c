/*
 * Server options (include/eddy/server.h): defaults, string parsing, checks.
 *
 * One table row per option, so adding an option is one line plus a struct
 * field. Defaults and limits follow Swoole's documentation (swoole/docs
 * server/setting.md) and, where that is silent or stale, the values its
 * source uses; the report on issue 4 lists which is which.
 */
#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <unistd.h>

#include "eddy/server.h"

typedef enum { T_UINT, T_BOOL, T_STR, T_EOF, T_LENTYPE } opt_type_t;

#define PER_CPU 1u /* max is multiplied by the CPU count (Swoole's N * cpu limits) */

typedef struct {
    const char *name;
    opt_type_t type;
    size_t offset;
    uint64_t min, max;
    unsigned flags;
    const char *hint; /* appended to a range error */
    void (*after)(eddy_server_config_t *cfg);
} option_t;

static void after_max_request(eddy_server_config_t *cfg);
static void after_grace(eddy_server_config_t *cfg);
static void after_interval(eddy_server_config_t *cfg);
static void after_idle(eddy_server_config_t *cfg);
static void after_eof_split(eddy_server_config_t *cfg);

#define F(field) offsetof(eddy_server_config_t, field)
#define U32 UINT32_MAX

/* Limits: Swoole caps worker/task counts at 1000 x CPUs and reactor threads at
 * 4 x CPUs; max_connection at 1M sessions; backlog, heartbeat and offsets
 * are 16-bit in its structs; Linux caps keepalive idle/interval at 32767 s
 * and the probe count at 127. */
static const option_t options[] = {
    {"worker_num", T_UINT, F(worker_num), 1, 1000, PER_CPU, NULL, NULL},
    {"reactor_num", T_UINT, F(reactor_num), 1, 4, PER_CPU, NULL, NULL},
    {"task_worker_num", T_UINT, F(task_worker_num), 0, 1000, PER_CPU, NULL, NULL},
    {"task_enable_coroutine", T_BOOL, F(task_enable_coroutine), 0, 1, 0, NULL, NULL},
    {"dispatch_mode", T_UINT, F(dispatch_mode), 1, 5, 0,
     " (1 round robin, 2 fd modulo, 3 idle worker, 4 client ip, 5 uid)", NULL},
    {"max_request", T_UINT, F(max_request), 0, U32, 0, NULL, after_max_request},
    {"max_request_grace", T_UINT, F(max_request_grace), 0, U32, 0, NULL, after_grace},
    {"max_connection", T_UINT, F(max_connection), 1, 1048576, 0, NULL, NULL},
    {"max_conn", T_UINT, F(max_connection), 1, 1048576, 0, NULL, NULL},
    {"reload_async", T_BOOL, F(reload_async), 0, 1, 0, NULL, NULL},
    {"max_wait_time", T_UINT, F(max_wait_time), 0, U32, 0, NULL, NULL},
    {"discard_timeout_request", T_BOOL, F(discard_timeout_request), 0, 1, 0, NULL, NULL},
    {"backlog", T_UINT, F(backlog), 1, 65535, 0, NULL, NULL},
    {"open_tcp_nodelay", T_BOOL, F(open_tcp_nodelay), 0, 1, 0, NULL, NULL},
    {"open_tcp_keepalive", T_BOOL, F(open_tcp_keepalive), 0, 1, 0, NULL, NULL},
    {"tcp_keepidle", T_UINT, F(tcp_keepidle), 1, 32767, 0, NULL, NULL},
    {"tcp_keepinterval", T_UINT, F(tcp_keepinterval), 1, 32767, 0, NULL, NULL},
    {"tcp_keepcount", T_UINT, F(tcp_keepcount), 1, 127, 0, NULL, NULL},
    {"enable_reuse_port", T_BOOL, F(enable_reuse_port), 0, 1, 0, NULL, NULL},
    {"heartbeat_check_interval", T_UINT, F(heartbeat_check_interval), 0, 65535, 0, NULL,
     after_interval},
    {"heartbeat_idle_time", T_UINT, F(heartbeat_idle_time), 0, 65535, 0, NULL, after_idle},
    {"open_eof_check", T_BOOL, F(open_eof_check), 0, 1, 0, NULL, NULL},
    {"open_eof_split", T_BOOL, F(open_eof_split), 0, 1, 0, NULL, after_eof_split},
    {"package_eof", T_EOF, F(package_eof), 1, EDDY_FRAMING_EOF_MAX, 0, NULL, NULL},
    {"open_length_check", T_BOOL, F(open_length_check), 0, 1, 0, NULL, NULL},
    {"package_length_type", T_LENTYPE, F(package_length_type), 0, 0, 0, NULL, NULL},
    {"package_length_offset", T_UINT, F(package_length_offset), 0, 65535, 0, NULL, NULL},
    {"package_body_offset", T_UINT, F(package_body_offset), 0, 65535, 0, NULL, NULL},
    {"package_body_start", T_UINT, F(package_body_offset), 0, 65535, 0, NULL, NULL},
    {"package_max_length", T_UINT, F(package_max_length), 1, U32, 0, NULL, NULL},
    {"buffer_output_size", T_UINT, F(buffer_output_size), 1, U32, 0, NULL, NULL},
    {"output_buffer_size", T_UINT, F(buffer_output_size), 1, U32, 0, NULL, NULL},
    {"socket_buffer_size", T_UINT, F(socket_buffer_size), 1, INT_MAX, 0, NULL, NULL},
    {"daemonize", T_BOOL, F(daemonize), 0, 1, 0, NULL, NULL},
    {"pid_file", T_STR, F(pid_file), 0, 0, 0, NULL, NULL},
    {"log_file", T_STR, F(log_file), 0, 0, 0, NULL, NULL},
    {"log_level", T_UINT, F(log_level), 0, 6, 0,
     " (0 debug, 1 trace, 2 info, 3 notice, 4 warning, 5 error, 6 none)", NULL},
    {"user", T_STR, F(user), 0, 0, 0, NULL, NULL},
    {"group", T_STR, F(group), 0, 0, 0, NULL, NULL},
};

#define NOPTIONS (sizeof(options) / sizeof(options[0]))
#define SWOOLE_MIN_REQUEST 10          /* SW_WORKER_MIN_REQUEST: no grace below it */
#define SWOOLE_MAX_CONNECTION 100000   /* default cap even when ulimit -n is higher */
#define SWOOLE_PACKAGE_MAX_FLOOR 65536 /* package_max_length is raised to this */

/* ---- helpers ----------------------------------------------------------- */

static void fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void fail(char *err, size_t errlen, const char *fmt, ...) {
    if (err == NULL || errlen == 0) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

static uint32_t cpu_count(void) {
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (uint32_t)n : 1;
}

static uint32_t default_max_connection(void) {
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY ||
        rl.rlim_cur > SWOOLE_MAX_CONNECTION)
        return SWOOLE_MAX_CONNECTION;
    return (uint32_t)rl.rlim_cur;
}

static const option_t *find_option(const char *name) {
    for (size_t i = 0; i < NOPTIONS; i++)
        if (strcmp(options[i].name, name) == 0) return &options[i];
    return NULL;
}

static void *field(eddy_server_config_t *cfg, const option_t *o) {
    return (char *)cfg + o->offset;
}

/* ---- derived defaults -------------------------------------------------- */

/* Swoole derives these when the option is absent; since options arrive one
 * at a time here, the derived value tracks its source until set explicitly,
 * which gives the same result whatever the order of set() calls. */
static void after_max_request(eddy_server_config_t *cfg) {
    if (!cfg->grace_set)
        cfg->max_request_grace = cfg->max_request > SWOOLE_MIN_REQUEST ? cfg->max_request / 2 : 0;
}

static void after_grace(eddy_server_config_t *cfg) { cfg->grace_set = 1; }

static void after_interval(eddy_server_config_t *cfg) {
    if (!cfg->idle_set) cfg->heartbeat_idle_time = cfg->heartbeat_check_interval * 2;
}

static void after_idle(eddy_server_config_t *cfg) { cfg->idle_set = 1; }

static void after_eof_split(eddy_server_config_t *cfg) {
    if (cfg->open_eof_split) cfg->open_eof_check = 1; /* Swoole: split implies check */
}

/* ---- lifecycle --------------------------------------------------------- */

void eddy_server_config_init(eddy_server_config_t *cfg) {
    uint32_t ncpu = cpu_count();
    memset(cfg, 0, sizeof(*cfg));
    cfg->worker_num = ncpu;
    cfg->reactor_num = ncpu > 8 ? 8 : ncpu; /* SW_REACTOR_MAX_THREAD */
    cfg->dispatch_mode = EDDY_DISPATCH_FDMOD;
    cfg->max_connection = default_max_connection();
    cfg->reload_async = 1;
    cfg->max_wait_time = 3;
    cfg->discard_timeout_request = 1;
    cfg->backlog = 512;
    /* Documented as false, but Swoole's set() turns it on for every port
     * that does not mention it, so that is what users actually run with. */
    cfg->open_tcp_nodelay = 1;
    cfg->tcp_keepidle = 3600;
    cfg->tcp_keepinterval = 60;
    cfg->tcp_keepcount = 5;
    memcpy(cfg->package_eof, "\r\n\r\n", 4);
    cfg->package_eof_len = 4;
    cfg->package_length_type = 'N';
    cfg->package_body_offset = 4;
    cfg->package_max_length = 2u * 1024 * 1024;
    cfg->buffer_output_size = UINT32_MAX; /* Swoole >= 4.6.7: UINT_MAX */
    cfg->socket_buffer_size = 8u * 1024 * 1024; /* SW_SOCKET_BUFFER_SIZE on Linux */
    cfg->log_level = EDDY_LOG_INFO;
}

void eddy_server_config_free(eddy_server_config_t *cfg) {
    char **strs[] = {&cfg->pid_file, &cfg->log_file, &cfg->user, &cfg->group};
    for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++) {
        eddy_free(*strs[i]);
        *strs[i] = NULL;
    }
}

/* ---- value parsers ----------------------------------------------------- */

/* Decimal digits only: PHP renders ints that way, and anything else (a
 * float, "12abc") is more likely a mistake than a value to truncate. */
static int parse_uint(const option_t *o, const char *v, size_t n, uint64_t max, uint64_t *out,
                      char *err, size_t errlen) {
    size_t i = (n > 0 && v[0] == '-') ? 1 : 0;
    uint64_t x = 0;
    int overflow = 0;
    if (i == n) goto not_int;
    for (; i < n; i++) {
        if (!isdigit((unsigned char)v[i])) goto not_int;
        if (x > (UINT64_MAX - 9) / 10) overflow = 1;
        else x = x * 10 + (uint64_t)(v[i] - '0');
    }
    if (v[0] == '-' && x != 0) overflow = 1;
    if (overflow || x < o->min || x > max) {
        fail(err, errlen, "%s must be between %llu and %llu%s", o->name,
             (unsigned long long)o->min, (unsigned long long)max, o->hint ? o->hint : "");
        return EDDY_EINVAL;
    }
    *out = x;
    return 0;
not_int:
    fail(err, errlen, "%s must be an integer, got '%.*s'", o->name, (int)(n > 32 ? 32 : n), v);
    return EDDY_EINVAL;
}

static int parse_bool(const option_t *o, const char *v, size_t n, int *out, char *err,
                      size_t errlen) {
    static const char *const yes[] = {"1", "true", "on", "yes"};
    static const char *const no[] = {"", "0", "false", "off", "no"};
    for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
        if (strlen(yes[i]) == n && strncasecmp(yes[i], v, n) == 0) return *out = 1, 0;
    for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
        if (strlen(no[i]) == n && strncasecmp(no[i], v, n) == 0) return *out = 0, 0;
    fail(err, errlen, "%s must be a boolean (1/0, true/false, on/off, yes/no), got '%.*s'",
         o->name, (int)(n > 32 ? 32 : n), v);
    return EDDY_EINVAL;
}

/* ---- setters per type -------------------------------------------------- */

static int set_uint(eddy_server_config_t *cfg, const option_t *o, const char *v, size_t n,
                    char *err, size_t errlen) {
    uint64_t max = o->flags & PER_CPU ? o->max * cpu_count() : o->max;
    uint64_t x;
    int rc = parse_uint(o, v, n, max, &x, err, errlen);
    if (rc == 0) *(uint32_t *)field(cfg, o) = (uint32_t)x;
    return rc;
}

static int set_bool(eddy_server_config_t *cfg, const option_t *o, const char *v, size_t n,
                    char *err, size_t errlen) {
    int b;
    int rc = parse_bool(o, v, n, &b, err, errlen);
    if (rc == 0) *(int *)field(cfg, o) = b;
    return rc;
}

/* Empty means unset: PHP's null converts to "". */
static int set_str(eddy_server_config_t *cfg, const option_t *o, const char *v, size_t n,
                   char *err, size_t errlen) {
    if (memchr(v, '\0', n)) {
        fail(err, errlen, "%s must not contain NUL bytes", o->name);
        return EDDY_EINVAL;
    }
    char **slot = field(cfg, o);
    char *copy = NULL;
    if (n > 0) {
        copy = eddy_malloc(n + 1);
        memcpy(copy, v, n);
        copy[n] = '\0';
    }
    eddy_free(*slot);
    *slot = copy;
    return 0;
}

static int set_eof(eddy_server_config_t *cfg, const option_t *o, const char *v, size_t n,
                   char *err, size_t errlen) {
    if (n < o->min || n > o->max) {
        fail(err, errlen, "%s must be 1 to %d bytes long, got %zu", o->name,
             EDDY_FRAMING_EOF_MAX, n);
        return EDDY_EINVAL;
    }
    memcpy(cfg->package_eof, v, n);
    cfg->package_eof_len = n;
    return 0;
}

static int set_lentype(eddy_server_config_t *cfg, const option_t *o, const char *v, size_t n,
                       char *err, size_t errlen) {
    if (n != 1 || eddy_framing_length_size(v[0]) == 0) {
        fail(err, errlen, "%s must be one of c C s S n N l L v V (see pack()), got '%.*s'",
             o->name, (int)(n > 32 ? 32 : n), v);
        return EDDY_EINVAL;
    }
    cfg->package_length_type = v[0];
    return 0;
}

/* ---- I/O --------------------------------------------------------------- */

int eddy_server_config_setn(eddy_server_config_t *cfg, const char *name, const char *value,
                            size_t value_len, char *err, size_t errlen) {
    const option_t *o = name ? find_option(name) : NULL;
    if (o == NULL) {
        fail(err, errlen, "unknown option '%s'", name ? name : "(null)");
        return EDDY_EINVAL;
    }
    if (value == NULL) value = "", value_len = 0;
    int rc = EDDY_EINVAL;
    switch (o->type) {
    case T_UINT: rc = set_uint(cfg, o, value, value_len, err, errlen); break;
    case T_BOOL: rc = set_bool(cfg, o, value, value_len, err, errlen); break;
    case T_STR: rc = set_str(cfg, o, value, value_len, err, errlen); break;
    case T_EOF: rc = set_eof(cfg, o, value, value_len, err, errlen); break;
    case T_LENTYPE: rc = set_lentype(cfg, o, value, value_len, err, errlen); break;
    }
    if (rc == 0 && o->after) o->after(cfg);
    return rc;
}

int eddy_server_config_set(eddy_server_config_t *cfg, const char *name, const char *value,
                           char *err, size_t errlen) {
    return eddy_server_config_setn(cfg, name, value, value ? strlen(value) : 0, err, errlen);
}

int eddy_server_config_has_option(const char *name) {
    return name != NULL && find_option(name) != NULL;
}

static uint32_t effective_max_length(const eddy_server_config_t *cfg) {
    return cfg->package_max_length < SWOOLE_PACKAGE_MAX_FLOOR ? SWOOLE_PACKAGE_MAX_FLOOR
                                                              : cfg->package_max_length;
}

static int validate_length(const eddy_server_config_t *cfg, char *err, size_t errlen) {
    uint64_t width = eddy_framing_length_size(cfg->package_length_type);
    uint64_t max = effective_max_length(cfg);
    if (width == 0) {
        fail(err, errlen, "package_length_type '%c' is not one of c C s S n N l L v V",
             cfg->package_length_type);
        return EDDY_EINVAL;
    }
    if (cfg->package_length_offset + width > max || cfg->package_body_offset > max) {
        fail(err, errlen,
             "package_length_offset (%u) + length size (%u) and package_body_offset (%u) "
             "must fit in package_max_length (%llu)",
             cfg->package_length_offset, (unsigned)width, cfg->package_body_offset,
             (unsigned long long)max);
        return EDDY_EINVAL;
    }
    return 0;
}

int eddy_server_config_validate(const eddy_server_config_t *cfg, char *err, size_t errlen) {
    if (cfg->heartbeat_check_interval > 0 && cfg->heartbeat_idle_time > 0 &&
        cfg->heartbeat_idle_time < cfg->heartbeat_check_interval) {
        fail(err, errlen, "heartbeat_idle_time (%u) must be at least heartbeat_check_interval (%u)",
             cfg->heartbeat_idle_time, cfg->heartbeat_check_interval);
        return EDDY_EINVAL;
    }
    /* Swoole's floor: each worker and task worker holds two pipe ends, plus
     * room for listeners and the manager. */
    uint64_t need = ((uint64_t)cfg->worker_num + cfg->task_worker_num) * 2 + 32;
    if (cfg->max_connection < need) {
        fail(err, errlen,
             "max_connection (%u) must be at least (worker_num + task_worker_num) * 2 + 32 = %llu",
             cfg->max_connection, (unsigned long long)need);
        return EDDY_EINVAL;
    }
    /* Both checks on is not an error in Swoole: the EOF check wins. */
    if (cfg->open_length_check && !cfg->open_eof_check && !cfg->open_eof_split)
        return validate_length(cfg, err, errlen);
    return 0;
}

/* ---- status ------------------------------------------------------------ */

void eddy_server_config_framing(const eddy_server_config_t *cfg, eddy_framing_t *f) {
    size_t max = effective_max_length(cfg);
    if (cfg->open_eof_check || cfg->open_eof_split) {
        eddy_framing_init_eof(f, cfg->package_eof, cfg->package_eof_len, cfg->open_eof_split, max);
    } else if (cfg->open_length_check) {
        /* Fill directly: validate() reports a bad combination with a message;
         * the splitter itself answers EDDY_EINVAL rather than misframing. */
        eddy_framing_init_none(f);
        f->mode = EDDY_FRAMING_LENGTH;
        f->package_length_type = cfg->package_length_type;
        f->package_length_offset = cfg->package_length_offset;
        f->package_body_offset = cfg->package_body_offset;
        f->package_max_length = max;
    } else {
        eddy_framing_init_none(f);
    }
}
