/*
 * Server options (include/eddy/server.h): Swoole's defaults, string parsing,
 * refusals that name the option, derived defaults, cross-option rules and
 * the framing settings the options select.
 */
#include "eddy_test.h"
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "eddy/server.h"

static char err[EDDY_SERVER_ERRLEN];

static void set_ok(eddy_server_config_t *cfg, const char *name, const char *value) {
    err[0] = '\0';
    int rc = eddy_server_config_set(cfg, name, value, err, sizeof(err));
    cr_assert_eq(rc, 0, "%s=%s refused: %s", name, value, err);
}

/* c from the defaults, then each name, value pair of the NULL-terminated
 * list set in its order, each one accepted. */
static void config_with(eddy_server_config_t *c, const char *const *pairs) {
    eddy_server_config_init(c);
    for (size_t i = 0; pairs[i]; i += 2) set_ok(c, pairs[i], pairs[i + 1]);
}

#define OPTS(...) ((const char *const[]){__VA_ARGS__, NULL})

static void set_bad(eddy_server_config_t *cfg, const char *name, const char *value) {
    eddy_server_config_t before;
    memcpy(&before, cfg, sizeof(before));
    err[0] = '\0';
    int rc = eddy_server_config_set(cfg, name, value, err, sizeof(err));
    cr_assert_eq(rc, EDDY_EINVAL, "%s=%s accepted", name, value);
    cr_assert(strstr(err, name) != NULL, "message for %s=%s does not name it: %s", name, value,
              err);
    cr_assert(memcmp(&before, cfg, sizeof(before)) == 0, "%s=%s changed the config", name, value);
}

EDDY_TEST(server_config, defaults_equal_swoole) {
    eddy_server_config_t c;
    eddy_server_config_init(&c);
    uint32_t ncpu = (uint32_t)sysconf(_SC_NPROCESSORS_ONLN);
    struct rlimit rl;
    cr_assert_eq(getrlimit(RLIMIT_NOFILE, &rl), 0);
    uint32_t maxconn = rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > 100000 ? 100000
                                                                            : (uint32_t)rl.rlim_cur;
    cr_assert_eq(c.worker_num, ncpu);
    cr_assert_eq(c.reactor_num, ncpu > 8 ? 8 : ncpu);
    cr_assert_eq(c.task_worker_num, 0);
    cr_assert_eq(c.task_enable_coroutine, 0);
    cr_assert_eq(c.dispatch_mode, EDDY_DISPATCH_FDMOD);
    cr_assert_eq(c.max_request, 0);
    cr_assert_eq(c.max_request_grace, 0);
    cr_assert_eq(c.max_connection, maxconn);
    cr_assert_eq(c.backlog, 512);
    cr_assert_eq(c.open_tcp_nodelay, 1);
    cr_assert_eq(c.open_tcp_keepalive, 0);
    cr_assert_eq(c.tcp_keepidle, 3600);
    cr_assert_eq(c.tcp_keepinterval, 60);
    cr_assert_eq(c.tcp_keepcount, 5);
    cr_assert_eq(c.heartbeat_check_interval, 0);
    cr_assert_eq(c.heartbeat_idle_time, 0);
    cr_assert_eq(c.open_eof_check, 0);
    cr_assert_eq(c.open_eof_split, 0);
    cr_assert_eq(c.package_eof_len, 4);
    cr_assert(memcmp(c.package_eof, "\r\n\r\n", 4) == 0);
    cr_assert_eq(c.open_length_check, 0);
    cr_assert_eq(c.package_length_type, 'N');
    cr_assert_eq(c.package_length_offset, 0);
    cr_assert_eq(c.package_body_offset, 4);
    cr_assert_eq(c.package_max_length, 2 * 1024 * 1024);
    cr_assert_eq(c.buffer_output_size, UINT32_MAX);
    cr_assert_eq(c.socket_buffer_size, 8 * 1024 * 1024);
    cr_assert_eq(c.reload_async, 1);
    cr_assert_eq(c.max_wait_time, 3);
    cr_assert_eq(c.discard_timeout_request, 1);
    cr_assert_eq(c.enable_reuse_port, 0);
    cr_assert_eq(c.daemonize, 0);
    cr_assert_null(c.pid_file);
    cr_assert_null(c.log_file);
    cr_assert_eq(c.log_level, EDDY_LOG_INFO);
    cr_assert_null(c.user);
    cr_assert_null(c.group);
    cr_assert_eq(eddy_server_config_validate(&c, err, sizeof(err)), 0, "%s", err);
    eddy_server_config_free(&c);
}

EDDY_TEST(server_config, set_parses_integers_booleans_and_strings) {
    eddy_server_config_t c;
    eddy_server_config_init(&c);
    set_ok(&c, "worker_num", "1");
    set_ok(&c, "task_worker_num", "2");
    set_ok(&c, "dispatch_mode", "3");
    set_ok(&c, "package_max_length", "4294967295");
    set_ok(&c, "daemonize", "true");
    set_ok(&c, "reload_async", ""); /* PHP's false */
    set_ok(&c, "open_tcp_keepalive", "ON");
    set_ok(&c, "discard_timeout_request", "0");
    set_ok(&c, "pid_file", "/tmp/eddy.pid");
    set_ok(&c, "log_level", "5");
    cr_assert_eq(c.worker_num, 1);
    cr_assert_eq(c.task_worker_num, 2);
    cr_assert_eq(c.dispatch_mode, 3);
    cr_assert_eq(c.package_max_length, UINT32_MAX);
    cr_assert_eq(c.daemonize, 1);
    cr_assert_eq(c.reload_async, 0);
    cr_assert_eq(c.open_tcp_keepalive, 1);
    cr_assert_eq(c.discard_timeout_request, 0);
    cr_assert_str_eq(c.pid_file, "/tmp/eddy.pid");
    cr_assert_eq(c.log_level, EDDY_LOG_ERROR);
    eddy_server_config_free(&c);
}

EDDY_TEST(server_config, each_invalid_value_is_refused_with_a_message_naming_the_option) {
    static const char *const bad[][2] = {
        {"worker_num", "0"},           {"worker_num", "-1"},
        {"worker_num", "abc"},         {"worker_num", "4.5"},
        {"worker_num", ""},            {"worker_num", "99999999"},
        {"worker_num", "18446744073709551616"},
        {"reactor_num", "0"},          {"task_worker_num", "99999999"},
        {"dispatch_mode", "0"},        {"dispatch_mode", "6"},
        {"dispatch_mode", "7"},        {"max_request", "4294967296"},
        {"max_connection", "0"},       {"max_connection", "1048577"},
        {"backlog", "0"},              {"backlog", "65536"},
        {"tcp_keepidle", "0"},         {"tcp_keepcount", "128"},
        {"heartbeat_check_interval", "65536"},
        {"heartbeat_idle_time", "x"},  {"package_eof", ""},
        {"package_eof", "123456789"},  {"package_length_type", "q"},
        {"package_length_type", "J"},  {"package_length_type", "NN"},
        {"package_length_type", ""},   {"package_length_offset", "65536"},
        {"package_body_offset", "70000"},
        {"package_max_length", "0"},   {"buffer_output_size", "0"},
        {"socket_buffer_size", "2147483648"},
        {"log_level", "7"},            {"daemonize", "maybe"},
        {"open_eof_split", "2"},       {"task_enable_coroutine", "yes please"},
    };
    eddy_server_config_t c;
    eddy_server_config_init(&c);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) set_bad(&c, bad[i][0], bad[i][1]);
    eddy_server_config_free(&c);
}

EDDY_TEST(server_config, range_error_says_the_allowed_range) {
    eddy_server_config_t c;
    eddy_server_config_init(&c);
    set_bad(&c, "dispatch_mode", "9");
    cr_assert(strstr(err, "dispatch_mode must be between 1 and 5") == err, "%s", err);
    char expect[64];
    snprintf(expect, sizeof(expect), "worker_num must be between 1 and %ld",
             sysconf(_SC_NPROCESSORS_ONLN) * 1000);
    set_bad(&c, "worker_num", "0");
    cr_assert_str_eq(err, expect);
    eddy_server_config_free(&c);
}

EDDY_TEST(server_config, unknown_option_is_refused) {
    eddy_server_config_t c;
    eddy_server_config_init(&c);
    cr_assert_eq(eddy_server_config_set(&c, "wroker_num", "2", err, sizeof(err)), EDDY_EINVAL);
    cr_assert_str_eq(err, "unknown option 'wroker_num'");
    cr_assert_eq(eddy_server_config_has_option("wroker_num"), 0);
    cr_assert_eq(eddy_server_config_has_option("worker_num"), 1);
    cr_assert_eq(eddy_server_config_set(&c, NULL, "2", err, sizeof(err)), EDDY_EINVAL);
    eddy_server_config_free(&c);
}

EDDY_TEST(server_config, error_buffer_is_optional) {
    eddy_server_config_t c;
    eddy_server_config_init(&c);
    cr_assert_eq(eddy_server_config_set(&c, "worker_num", "0", NULL, 0), EDDY_EINVAL);
    cr_assert_eq(eddy_server_config_set(&c, "nope", "0", NULL, 0), EDDY_EINVAL);
    char tiny[8];
    cr_assert_eq(eddy_server_config_set(&c, "worker_num", "0", tiny, sizeof(tiny)), EDDY_EINVAL);
    cr_assert_eq(strlen(tiny), sizeof(tiny) - 1);
}

EDDY_TEST(server_config, swoole_aliases_set_the_same_field) {
    eddy_server_config_t c;
    config_with(&c, OPTS("max_conn", "5000", "output_buffer_size", "1048576",
                         "package_body_start", "12"));
    cr_assert_eq(c.max_connection, 5000);
    cr_assert_eq(c.buffer_output_size, 1048576);
    cr_assert_eq(c.package_body_offset, 12);
}

EDDY_TEST(server_config, max_request_grace_defaults_to_half_of_max_request) {
    eddy_server_config_t c;
    eddy_server_config_init(&c);
    set_ok(&c, "max_request", "1000");
    cr_assert_eq(c.max_request_grace, 500);
    set_ok(&c, "max_request", "10"); /* Swoole adds no grace at or below 10 */
    cr_assert_eq(c.max_request_grace, 0);
}

EDDY_TEST(server_config, explicit_max_request_grace_wins_in_either_order) {
    eddy_server_config_t a, b;
    config_with(&a, OPTS("max_request", "1000", "max_request_grace", "7"));
    config_with(&b, OPTS("max_request_grace", "7", "max_request", "1000"));
    cr_assert_eq(a.max_request_grace, 7);
    cr_assert_eq(b.max_request_grace, 7);
    set_ok(&a, "max_request_grace", "0");
    cr_assert_eq(a.max_request_grace, 0, "explicit 0 turns grace off");
}

EDDY_TEST(server_config, heartbeat_idle_time_defaults_to_twice_the_interval) {
    eddy_server_config_t c, d;
    config_with(&c, OPTS("heartbeat_check_interval", "60"));
    cr_assert_eq(c.heartbeat_idle_time, 120);
    config_with(&d, OPTS("heartbeat_idle_time", "600", "heartbeat_check_interval", "60"));
    cr_assert_eq(d.heartbeat_idle_time, 600, "explicit idle time kept");
}

EDDY_TEST(server_config, open_eof_split_turns_on_eof_check) {
    eddy_server_config_t c;
    config_with(&c, OPTS("open_eof_split", "1"));
    cr_assert_eq(c.open_eof_check, 1);
    cr_assert_eq(c.open_eof_split, 1);
}

EDDY_TEST(server_config, package_eof_may_be_binary_up_to_8_bytes) {
    eddy_server_config_t c;
    eddy_server_config_init(&c);
    cr_assert_eq(eddy_server_config_setn(&c, "package_eof", "\0\r\n", 3, err, sizeof(err)), 0);
    cr_assert_eq(c.package_eof_len, 3);
    cr_assert(memcmp(c.package_eof, "\0\r\n", 3) == 0);
    set_ok(&c, "package_eof", "12345678");
    cr_assert_eq(c.package_eof_len, 8);
}

EDDY_TEST(server_config, package_length_type_accepts_the_ten_swoole_letters) {
    eddy_server_config_t c;
    eddy_server_config_init(&c);
    const char *ok = "cCsSnNlLvV";
    for (const char *p = ok; *p; p++) {
        char v[2] = {*p, 0};
        set_ok(&c, "package_length_type", v);
        cr_assert_eq(c.package_length_type, *p);
    }
}

EDDY_TEST(server_config, string_options_are_owned_copies_and_empty_unsets) {
    eddy_server_config_t c;
    eddy_server_config_init(&c);
    char path[] = "/tmp/a.log";
    set_ok(&c, "log_file", path);
    path[5] = 'b';
    cr_assert_str_eq(c.log_file, "/tmp/a.log");
    set_ok(&c, "log_file", "/tmp/c.log");
    set_ok(&c, "user", "www-data");
    set_ok(&c, "group", "www-data");
    set_ok(&c, "pid_file", "");
    cr_assert_null(c.pid_file);
    cr_assert_eq(eddy_server_config_setn(&c, "user", "a\0b", 3, err, sizeof(err)), EDDY_EINVAL);
    cr_assert_str_eq(c.user, "www-data");
    eddy_server_config_free(&c);
    cr_assert_null(c.log_file);
    eddy_server_config_free(&c); /* twice is harmless */
}

/* A combination of options each accepted alone that validate() refuses, the
 * option names its message must carry, and the one change that makes it
 * valid again. */
typedef struct {
    const char *set[8];   /* name, value pairs, NULL-terminated */
    const char *named[3]; /* NULL-terminated */
    const char *fix[2];   /* name, value */
} refusal_t;

static void validate_refuses(const refusal_t *r) {
    eddy_server_config_t c;
    config_with(&c, r->set);
    cr_assert_eq(eddy_server_config_validate(&c, err, sizeof(err)), EDDY_EINVAL);
    for (size_t i = 0; r->named[i]; i++)
        cr_assert(strstr(err, r->named[i]) != NULL, "does not name %s: %s", r->named[i], err);
    set_ok(&c, r->fix[0], r->fix[1]);
    cr_assert_eq(eddy_server_config_validate(&c, err, sizeof(err)), 0, "%s", err);
}

EDDY_TEST(server_config, validate_refuses_idle_time_below_interval) {
    validate_refuses(&(refusal_t){
        .set = {"heartbeat_idle_time", "5", "heartbeat_check_interval", "10", NULL},
        .named = {"heartbeat_idle_time", "heartbeat_check_interval", NULL},
        .fix = {"heartbeat_idle_time", "10"}});
}

EDDY_TEST(server_config, validate_refuses_max_connection_below_swoole_floor) {
    validate_refuses(&(refusal_t){
        .set = {"worker_num", "1", "task_worker_num", "1", "max_connection", "35", NULL},
        .named = {"max_connection", NULL},
        .fix = {"max_connection", "36"}});
}

EDDY_TEST(server_config, validate_refuses_length_header_beyond_max_length) {
    validate_refuses(&(refusal_t){
        .set = {"open_length_check", "1", "package_max_length", "65536",
                "package_length_offset", "65533", NULL},
        .named = {"package_length_offset", NULL},
        .fix = {"package_length_type", "n"}});
}

EDDY_TEST(server_config, eof_and_length_checks_together_are_accepted_and_eof_wins) {
    eddy_server_config_t c;
    config_with(&c, OPTS("open_length_check", "1", "open_eof_check", "1", "package_eof", "\n"));
    cr_assert_eq(eddy_server_config_validate(&c, err, sizeof(err)), 0, "%s", err);
    eddy_framing_t f;
    eddy_server_config_framing(&c, &f);
    cr_assert_eq(f.mode, EDDY_FRAMING_EOF);
    cr_assert_eq(f.package_eof_len, 1);
}

EDDY_TEST(server_config, framing_follows_the_options) {
    eddy_server_config_t c;
    eddy_framing_t f;
    eddy_server_config_init(&c);
    eddy_server_config_framing(&c, &f);
    cr_assert_eq(f.mode, EDDY_FRAMING_NONE);

    set_ok(&c, "open_length_check", "true");
    set_ok(&c, "package_length_type", "V");
    set_ok(&c, "package_length_offset", "2");
    set_ok(&c, "package_body_offset", "6");
    set_ok(&c, "package_max_length", "100000");
    eddy_server_config_framing(&c, &f);
    cr_assert_eq(f.mode, EDDY_FRAMING_LENGTH);
    cr_assert_eq(f.package_length_type, 'V');
    cr_assert_eq(f.package_length_offset, 2);
    cr_assert_eq(f.package_body_offset, 6);
    cr_assert_eq(f.package_max_length, 100000);

    set_ok(&c, "open_eof_split", "1");
    eddy_server_config_framing(&c, &f);
    cr_assert_eq(f.mode, EDDY_FRAMING_EOF_SPLIT);
    cr_assert(memcmp(f.package_eof, "\r\n\r\n", 4) == 0);
}

EDDY_TEST(server_config, listener_options_are_framing_only_and_checked) {
    char err[EDDY_SERVER_ERRLEN] = {0};
    eddy_server_t *srv = eddy_server_new(NULL);
    int li = eddy_server_listen(srv, EDDY_SOCK_TCP, "127.0.0.1", 0);
    cr_assert_geq(li, 0);
    cr_assert_eq(eddy_server_listener_config_set(srv, li, "package_eof", "\n", err, sizeof(err)),
                 0);
    cr_assert_eq(eddy_server_listener_config_set(srv, li, "worker_num", "2", err, sizeof(err)),
                 EDDY_EINVAL);
    cr_assert_not_null(strstr(err, "worker_num"), "%s", err);
    cr_assert_eq(eddy_server_listener_config_set(srv, li + 1, "package_eof", "\n", err,
                                                 sizeof(err)),
                 EDDY_EINVAL);
    cr_assert_eq(eddy_server_listener_config_set(srv, li, "package_length_type", "x", err,
                                                 sizeof(err)),
                 EDDY_EINVAL);
    cr_assert_not_null(strstr(err, "package_length_type"), "%s", err);
    /* The server's own options are untouched by a listener's. */
    cr_assert_eq(eddy_server_config(srv)->package_eof_len, 4);
    eddy_server_free(srv);
}

EDDY_TEST(server_config, framing_raises_max_length_to_swoole_floor_of_64k) {
    eddy_server_config_t c;
    eddy_framing_t f;
    config_with(&c, OPTS("open_eof_check", "1", "package_max_length", "8192"));
    cr_assert_eq(c.package_max_length, 8192, "the option keeps what was set");
    eddy_server_config_framing(&c, &f);
    cr_assert_eq(f.package_max_length, 65536);
}
