/*
 * Task workers, taskwait, finish, worker-to-worker messages and
 * cross-worker sends of the BASE-mode server, as real processes.
 *
 * As in test_server_base.c, each test forks a child that runs a server on
 * port 0 and reports the port through a pipe from on_start (loopback_harness.h's
 * harness_start/harness_on_start); the test speaks to it with blocking sockets
 * whose reads are bounded by SO_RCVTIMEO.
 *
 * The server understands one command per packet (no framing), and answers
 * one line:
 *   ID?               -> "id=<worker id> session=<session> pid=<pid>"
 *   TASK <job>        -> task "<session> <job>"; on_finish replies
 *                        "finish id=<task id> <task result>"
 *   WAIT <job> <ms>   -> "wait rc=<rc> result=<result>" (taskwait, timeout ms)
 *   COWAIT <job> <ms> -> the same, from inside a coroutine ("cowait ...")
 *   BIG               -> a 4 MiB task whose 4 MiB result is checked:
 *                        "finish id=<id> big task=<ok|bad> result=<ok|bad>"
 *   MSG <dst>         -> ping to worker dst, which pongs back; the reply is
 *                        "pipe ping_src=<src seen by dst> pong_src=<dst> me=<id>"
 *   SENDTO <session>  -> sends "cross from <id>" to that session; replies
 *                        "sendto rc=<rc>"
 *   RELOADT           -> eddy_server_reload_ex(srv, 1); "reload rc=<rc>"
 * Task jobs: "tpid" -> "tpid=<pid> by=<task worker id>", "echo:<x>" ->
 * "echo:<x> by=<id>", "sleep:<ms>" -> "slept=<ms> co=<in a coroutine>",
 * "sendto:<session>" -> the task worker sends "from task <id>" there.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "eddy/coro.h"
#include "eddy/server.h"
#include "eddy_test.h"
#include "loopback_harness.h"

#define BIG_LEN (4u << 20)

typedef struct {
    const char *opts[16]; /* name, value pairs, NULL-terminated */
} spec_t;

typedef struct {
    pid_t pid;
    int port;
} proc_t;

/* ---- the server side (runs in the forked child) ------------------------ */

static void reply(eddy_server_t *srv, int fd, const char *fmt, ...) {
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    if (n > (int)sizeof(line) - 1) n = (int)sizeof(line) - 1;
    eddy_server_send(srv, fd, line, (size_t)n);
}

static char pattern_byte(size_t i, int salt) { return (char)((i * 7 + (size_t)salt) % 251); }

static int pattern_ok(const char *p, size_t len, int salt) {
    if (len != BIG_LEN) return 0;
    for (size_t i = 0; i < len; i++)
        if (p[i] != pattern_byte(i, salt)) return 0;
    return 1;
}

static void sleep_ms(int ms) {
    if (eddy_coro_current()) eddy_coro_sleep((uint64_t)ms);
    else usleep((useconds_t)ms * 1000);
}

/* on_task: data is "<session> <job>"; the result is "<session> <answer>". */
static void ev_task(eddy_server_t *srv, int task_id, int src, const char *data, size_t len) {
    (void)task_id, (void)src;
    int me = eddy_server_worker_id(srv);
    if (len > 4 && memcmp(data, "BIG:", 4) == 0) {
        char *out = malloc(BIG_LEN + 16);
        memcpy(out, pattern_ok(data + 4, len - 4, 1) ? "BIG:ok:" : "BIG:no:", 7);
        for (size_t i = 0; i < BIG_LEN; i++) out[7 + i] = pattern_byte(i, 2);
        eddy_server_finish(srv, out, BIG_LEN + 7);
        free(out);
        return;
    }
    char job[256] = {0}, res[320];
    int session = 0;
    snprintf(job, sizeof(job), "%.*s", (int)len, data);
    char *what = strchr(job, ' ');
    sscanf(job, "%d", &session);
    what = what ? what + 1 : job;
    int ms = 0, target = 0;
    if (strcmp(what, "tpid") == 0) {
        snprintf(res, sizeof(res), "%d tpid=%d by=%d", session, getpid(), me);
    } else if (sscanf(what, "sleep:%d", &ms) == 1) {
        sleep_ms(ms);
        snprintf(res, sizeof(res), "%d slept=%d co=%d", session, ms, eddy_coro_current() != NULL);
    } else if (sscanf(what, "sendto:%d", &target) == 1) {
        char line[64];
        int n = snprintf(line, sizeof(line), "from task %d\n", me);
        snprintf(res, sizeof(res), "%d sendto=%d", session,
                 eddy_server_send(srv, target, line, (size_t)n));
    } else {
        snprintf(res, sizeof(res), "%d %s by=%d", session, what, me);
    }
    eddy_server_finish(srv, res, strlen(res));
}

static void ev_finish(eddy_server_t *srv, int task_id, const char *data, size_t len) {
    int session = atoi(data);
    const char *rest = memchr(data, ' ', len);
    rest = rest ? rest + 1 : data + len;
    reply(srv, session, "finish id=%d %.*s\n", task_id, (int)(data + len - rest), rest);
}

/* BIG: the session waiting for it, by task id (one at a time is enough). */
static int big_session = -1, big_task = -1;

static void ev_finish_all(eddy_server_t *srv, int task_id, const char *data, size_t len) {
    if (task_id == big_task && len >= 7 && memcmp(data, "BIG:", 4) == 0) {
        int task_ok = memcmp(data, "BIG:ok:", 7) == 0;
        reply(srv, big_session, "finish id=%d big task=%s result=%s\n", task_id,
              task_ok ? "ok" : "bad", pattern_ok(data + 7, len - 7, 2) ? "ok" : "bad");
        return;
    }
    ev_finish(srv, task_id, data, len);
}

static void big(eddy_server_t *srv, int fd) {
    char *p = malloc(BIG_LEN + 4);
    memcpy(p, "BIG:", 4);
    for (size_t i = 0; i < BIG_LEN; i++) p[4 + i] = pattern_byte(i, 1);
    big_session = fd;
    big_task = eddy_server_task(srv, p, BIG_LEN + 4, -1);
    free(p);
}

static void ev_pipe(eddy_server_t *srv, int src, const char *data, size_t len) {
    char msg[128];
    int session = 0, ping_src = 0, pong_pid = 0;
    snprintf(msg, sizeof(msg), "%.*s", (int)len, data);
    if (sscanf(msg, "ping %d", &session) == 1) {
        char pong[64];
        int n = snprintf(pong, sizeof(pong), "pong %d %d %d", session, src, getpid());
        eddy_server_send_message(srv, pong, (size_t)n, src);
    } else if (sscanf(msg, "pong %d %d %d", &session, &ping_src, &pong_pid) == 3) {
        reply(srv, session, "pipe ping_src=%d pong_src=%d me=%d pid=%d\n", ping_src, src,
              eddy_server_worker_id(srv), pong_pid);
    }
}

typedef struct {
    eddy_server_t *srv;
    int fd, timeout;
    char job[64];
} cowait_t;

static void do_wait(eddy_server_t *srv, int fd, const char *tag, const char *job, int timeout) {
    char data[96];
    eddy_buf_t out;
    eddy_buf_init(&out);
    int n = snprintf(data, sizeof(data), "%d %s", fd, job);
    int rc = eddy_server_taskwait(srv, data, (size_t)n, timeout, &out);
    const char *res = out.len ? strchr(out.data, ' ') : NULL;
    reply(srv, fd, "%s rc=%d result=%s\n", tag, rc, res ? res + 1 : "");
    eddy_buf_free(&out);
}

/* Three tasks for one task worker, run in turn: the third sleeps past the
 * timeout. Reply: "<tag> n=<answered> rcs=<rc>,<rc>,<rc> r=<r>|<r>|<r>". */
static void do_multi(eddy_server_t *srv, int fd, const char *tag, int timeout) {
    char d[3][64];
    const void *datas[3];
    size_t lens[3];
    eddy_buf_t outs[3];
    int rcs[3];
    const char *jobs[3] = {"sleep:10", "echo:b", "sleep:2000"};
    for (int i = 0; i < 3; i++) {
        lens[i] = (size_t)snprintf(d[i], sizeof(d[i]), "%d %s", fd, jobs[i]);
        datas[i] = d[i];
        eddy_buf_init(&outs[i]);
    }
    int n = eddy_server_taskwait_multi(srv, datas, lens, 3, timeout, outs, rcs);
    const char *r[3];
    for (int i = 0; i < 3; i++) {
        r[i] = outs[i].len ? strchr(outs[i].data, ' ') : NULL;
        r[i] = r[i] ? r[i] + 1 : "";
    }
    reply(srv, fd, "%s n=%d rcs=%d,%d,%d r=%s|%s|%s\n", tag, n, rcs[0], rcs[1], rcs[2], r[0], r[1],
          r[2]);
    for (int i = 0; i < 3; i++) eddy_buf_free(&outs[i]);
}

static void cosleep_main(void *arg) {
    cowait_t *c = arg;
    uint64_t t0 = eddy_now_ms();
    int rc = eddy_coro_sleep((uint64_t)c->timeout);
    reply(c->srv, c->fd, "cosleep rc=%d slept_enough=%d\n", rc,
          eddy_now_ms() - t0 >= (uint64_t)c->timeout);
    free(c);
}

static void cowait_main(void *arg) {
    cowait_t *c = arg;
    if (strcmp(c->job, "MULTI") == 0) do_multi(c->srv, c->fd, "comulti", c->timeout);
    else do_wait(c->srv, c->fd, "cowait", c->job, c->timeout);
    free(c);
}


/* eddy_server_connections() callback: counts and looks for one session. */
typedef struct {
    int want, seen;
} conns_t;

static int conns_cb(eddy_server_t *srv, int session, void *arg) {
    conns_t *c = arg;
    (void)srv;
    if (session == c->want) c->seen = 1;
    return 0;
}

static void ev_receive(eddy_server_t *srv, int fd, int reactor_id, const char *data, size_t len) {
    char cmd[128] = {0}, job[64] = {0};
    int me = eddy_server_worker_id(srv), arg = 0, rc;
    (void)reactor_id;
    snprintf(cmd, sizeof(cmd), "%.*s", (int)len, data);
    eddy_log_info("test: worker %d session %d: %s", me, fd, cmd);
    if (strcmp(cmd, "ID?") == 0) {
        reply(srv, fd, "id=%d session=%d pid=%d\n", me, fd, getpid());
    } else if (strncmp(cmd, "TASK ", 5) == 0) {
        char t[128];
        int n = snprintf(t, sizeof(t), "%d %s", fd, cmd + 5);
        if ((rc = eddy_server_task(srv, t, (size_t)n, -1)) < 0) reply(srv, fd, "task rc=%d\n", rc);
    } else if (sscanf(cmd, "WAIT %63s %d", job, &arg) == 2) {
        do_wait(srv, fd, "wait", job, arg);
    } else if (sscanf(cmd, "COWAIT %63s %d", job, &arg) == 2) {
        cowait_t *c = calloc(1, sizeof(*c));
        c->srv = srv;
        c->fd = fd;
        c->timeout = arg;
        snprintf(c->job, sizeof(c->job), "%s", job);
        if (eddy_coro_create(cowait_main, c) < 0) reply(srv, fd, "cowait no coroutine\n");
    } else if (sscanf(cmd, "COSLEEP %d", &arg) == 1) {
        cowait_t *c = calloc(1, sizeof(*c));
        *c = (cowait_t){.srv = srv, .fd = fd, .timeout = arg};
        if (eddy_coro_create(cosleep_main, c) < 0) reply(srv, fd, "cosleep no coroutine\n");
    } else if (sscanf(cmd, "MULTI %d", &arg) == 1) {
        do_multi(srv, fd, "multi", arg);
    } else if (sscanf(cmd, "COMULTI %d", &arg) == 1) {
        cowait_t *c = calloc(1, sizeof(*c));
        *c = (cowait_t){.srv = srv, .fd = fd, .timeout = arg, .job = "MULTI"};
        if (eddy_coro_create(cowait_main, c) < 0) reply(srv, fd, "comulti no coroutine\n");
    } else if (strcmp(cmd, "BIG") == 0) {
        big(srv, fd);
    } else if (sscanf(cmd, "MSG %d", &arg) == 1) {
        char ping[32];
        int n = snprintf(ping, sizeof(ping), "ping %d", fd);
        if ((rc = eddy_server_send_message(srv, ping, (size_t)n, arg)) < 0)
            reply(srv, fd, "msg rc=%d\n", rc);
    } else if (sscanf(cmd, "SENDTO %d", &arg) == 1) {
        char line[32];
        int n = snprintf(line, sizeof(line), "cross from %d\n", me);
        rc = eddy_server_send(srv, arg, line, (size_t)n);
        reply(srv, fd, "sendto rc=%d\n", rc);
    } else if (sscanf(cmd, "PEER %d", &arg) == 1) {
        eddy_server_client_info_t ci = {.worker_id = -1};
        int ex = eddy_server_exists(srv, arg);
        rc = eddy_server_client_info(srv, arg, &ci);
        reply(srv, fd, "peer exists=%d rc=%d worker=%d port=%d\n", ex, rc, ci.worker_id,
              rc == 0 ? ci.remote_port : -1);
    } else if (strcmp(cmd, "CONNS") == 0) {
        conns_t c = {.want = fd};
        rc = eddy_server_connections(srv, conns_cb, &c);
        reply(srv, fd, "conns n=%d self=%d\n", rc, c.seen);
    } else if (strcmp(cmd, "RELOADT") == 0) {
        reply(srv, fd, "reload rc=%d\n", eddy_server_reload_ex(srv, 1));
    } else {
        reply(srv, fd, "unknown\n");
    }
}

/* The server of spec (a const spec_t *), run by harness_start(). */
static int child_main(const void *arg) {
    const spec_t *spec = arg;
    eddy_server_config_t cfg;
    char err[EDDY_SERVER_ERRLEN];
    eddy_server_config_init(&cfg);
    eddy_server_config_set(&cfg, "worker_num", "1", err, sizeof(err));
    eddy_server_config_set(&cfg, "task_worker_num", "1", err, sizeof(err));
    eddy_server_config_set(&cfg, "log_level", "4", err, sizeof(err));
    for (int i = 0; spec->opts[i]; i += 2)
        if (eddy_server_config_set(&cfg, spec->opts[i], spec->opts[i + 1], err, sizeof(err)) < 0)
            return 2;
    eddy_server_t *srv = eddy_server_new(&cfg);
    eddy_server_config_free(&cfg);
    eddy_server_events_t ev = {.on_start = harness_on_start, .on_receive = ev_receive,
                               .on_task = ev_task, .on_finish = ev_finish_all,
                               .on_pipe_message = ev_pipe};
    eddy_server_set_events(srv, &ev);
    if (eddy_server_listen(srv, EDDY_SOCK_TCP, "127.0.0.1", 0) < 0) return 3;
    int rc = eddy_server_start(srv);
    eddy_server_free(srv);
    return rc == 0 ? 0 : 4;
}

/* ---- the test side ----------------------------------------------------- */

static void start_server(const spec_t *spec, proc_t *proc) {
    memset(proc, 0, sizeof(*proc));
    proc->pid = harness_start(child_main, spec, &proc->port);
}

/* SIGTERM, then up to 15 s (a task worker may be finishing a task). */
static int stop_server(proc_t *proc) {
    kill(proc->pid, SIGTERM);
    return harness_wait_ms(proc->pid, 15000);
}

/* A connection to the server on 127.0.0.1:port with 10 s send and receive
 * bounds (a taskwait may take seconds), or -1. */
static int dial(int port) {
    struct sockaddr_in sa = harness_loopback(port);
    int fd = harness_connect(AF_INET, SOCK_STREAM, (struct sockaddr *)&sa, sizeof(sa));
    if (fd >= 0) harness_set_timeout(fd, 10000);
    return fd;
}

static int recv_line(int fd, char *buf, size_t cap) { return harness_recv_line(fd, buf, cap); }

/* One command, one line back. */
static int cmd(int fd, const char *c, char *out, size_t cap) {
    if (send(fd, c, strlen(c), MSG_NOSIGNAL) != (ssize_t)strlen(c)) return -1;
    return recv_line(fd, out, cap);
}

static int ask(int port, const char *c, char *out, size_t cap) {
    int fd = dial(port);
    if (fd < 0) return -1;
    int rc = cmd(fd, c, out, cap);
    close(fd);
    return rc;
}

static uint64_t now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* 1 if fd has data (or EOF) right now. */
static int readable(int fd) {
    struct pollfd p = {.fd = fd, .events = POLLIN};
    return poll(&p, 1, 0) == 1;
}

static int task_pid(int port) {
    char line[256];
    int pid = -1;
    if (ask(port, "TASK tpid", line, sizeof(line)) < 0) return -1;
    char *at = strstr(line, "tpid=");
    return at && sscanf(at, "tpid=%d", &pid) == 1 ? pid : -1;
}

static int worker_pid(int port) {
    char line[128];
    int id, session, pid = -1;
    uint64_t t0 = now_ms();
    if (ask(port, "ID?", line, sizeof(line)) < 0) {
        fprintf(stderr, "ID? failed after %d ms: %s\n", (int)(now_ms() - t0), strerror(errno));
        return -1;
    }
    if (sscanf(line, "id=%d session=%d pid=%d", &id, &session, &pid) != 3)
        fprintf(stderr, "ID? answered: %s", line);
    return pid;
}

/* Polls until the task worker's pid is another than `old`. */
static int wait_new_task_pid(int port, int old) {
    for (int i = 0; i < 100; i++) {
        int pid = task_pid(port);
        if (pid > 0 && pid != old) return pid;
        usleep(50000);
    }
    return -1;
}

/* ---- tests ------------------------------------------------------------- */

EDDY_TEST(server_task, start_refuses_task_workers_without_on_task) {
    eddy_server_config_t cfg;
    char err[EDDY_SERVER_ERRLEN];
    eddy_server_config_init(&cfg);
    cr_assert_eq(eddy_server_config_set(&cfg, "task_worker_num", "1", err, sizeof(err)), 0);
    cr_assert_eq(eddy_server_config_set(&cfg, "log_level", "6", err, sizeof(err)), 0);
    eddy_server_t *srv = eddy_server_new(&cfg);
    eddy_server_config_free(&cfg);
    cr_assert_geq(eddy_server_listen(srv, EDDY_SOCK_TCP, "127.0.0.1", 0), 0);
    cr_assert_eq(eddy_server_start(srv), EDDY_EINVAL); /* before any fork */
    cr_assert_eq(eddy_server_task(srv, "x", 1, -1), EDDY_EWRONG_OP); /* not a worker */
    eddy_server_free(srv);
}

EDDY_TEST(server_task, task_finish_replies_with_increasing_task_ids) {
    spec_t spec = {{NULL}};
    proc_t p;
    start_server(&spec, &p);
    int fd = dial(p.port);
    cr_assert_geq(fd, 0);
    char line[256];
    int last = -1;
    for (int i = 0; i < 5; i++) {
        char c[32];
        snprintf(c, sizeof(c), "TASK echo:n%d", i);
        cr_assert_gt(cmd(fd, c, line, sizeof(line)), 0);
        int id = -1, by = -1;
        char word[32];
        cr_assert_eq(sscanf(line, "finish id=%d %31s by=%d", &id, word, &by), 3, "%s", line);
        char want[32];
        snprintf(want, sizeof(want), "echo:n%d", i);
        cr_assert_str_eq(word, want);
        cr_assert_eq(by, 1, "the task worker's id follows the worker's: %s", line);
        cr_assert_gt(id, last, "task ids increase: %d after %d", id, last);
        last = id;
    }
    close(fd);
    cr_assert_eq(stop_server(&p), 0);
}

EDDY_TEST(server_task, taskwait_returns_result_and_times_out) {
    spec_t spec = {{NULL}};
    proc_t p;
    start_server(&spec, &p);
    int fd = dial(p.port);
    char line[256];
    cr_assert_gt(cmd(fd, "WAIT sleep:20 3000", line, sizeof(line)), 0);
    cr_assert_str_eq(line, "wait rc=0 result=slept=20 co=0\n");
    uint64_t t0 = now_ms();
    cr_assert_gt(cmd(fd, "WAIT sleep:1500 200", line, sizeof(line)), 0);
    uint64_t took = now_ms() - t0;
    cr_assert_str_eq(line, "wait rc=-110 result=\n");
    cr_assert(took >= 190 && took < 1400, "timed out after %llu ms", (unsigned long long)took);
    /* The late result is dropped; the next task waits for the busy task worker. */
    cr_assert_gt(cmd(fd, "TASK echo:after", line, sizeof(line)), 0);
    cr_assert(strstr(line, "echo:after by=1") != NULL, "%s", line);
    close(fd);
    cr_assert_eq(stop_server(&p), 0);
}

EDDY_TEST(server_task, taskwait_in_a_coroutine_yields_instead_of_blocking) {
    spec_t spec = {{"task_worker_num", "2", NULL}};
    proc_t p;
    start_server(&spec, &p);
    int a = dial(p.port), b = dial(p.port);
    char line[256];
    cr_assert_eq(send(a, "COWAIT sleep:1500 5000", 22, 0), 22);
    usleep(100000);
    cr_assert_gt(cmd(b, "ID?", line, sizeof(line)), 0); /* the worker still serves */
    cr_assert_eq(readable(a), 0, "the wait ended before the task did");
    cr_assert_gt(recv_line(a, line, sizeof(line)), 0);
    cr_assert_str_eq(line, "cowait rc=0 result=slept=1500 co=0\n");
    cr_assert_gt(cmd(b, "COWAIT sleep:800 100", line, sizeof(line)), 0);
    cr_assert_str_eq(line, "cowait rc=-110 result=\n");
    close(a);
    close(b);
    cr_assert_eq(stop_server(&p), 0);
}

EDDY_TEST(server_task, taskwait_multi_collects_results_and_marks_late_ones) {
    spec_t spec = {{NULL}};
    proc_t p;
    start_server(&spec, &p);
    int fd = dial(p.port);
    char line[256];
    const char *want_tail = " n=2 rcs=0,0,-110 r=slept=10 co=0|echo:b by=1|\n";
    char want[128];
    cr_assert_gt(cmd(fd, "MULTI 600", line, sizeof(line)), 0);
    snprintf(want, sizeof(want), "multi%s", want_tail);
    cr_assert_str_eq(line, want);
    /* The task worker is still asleep on the third task: wait it out. */
    usleep(1600000);
    cr_assert_gt(cmd(fd, "COMULTI 600", line, sizeof(line)), 0);
    snprintf(want, sizeof(want), "comulti%s", want_tail);
    cr_assert_str_eq(line, want);
    close(fd);
    cr_assert_eq(stop_server(&p), 0);
}

/* Coroutines wait on the default loop; the worker drives it from its own. */
EDDY_TEST(server_task, coroutine_in_a_worker_can_sleep) {
    spec_t spec = {{"task_worker_num", "0", NULL}};
    proc_t p;
    start_server(&spec, &p);
    int a = dial(p.port), b = dial(p.port);
    char line[128];
    uint64_t t0 = now_ms();
    cr_assert_eq(send(a, "COSLEEP 1500", 12, 0), 12);
    cr_assert_gt(cmd(b, "COSLEEP 50", line, sizeof(line)), 0);
    cr_assert_str_eq(line, "cosleep rc=0 slept_enough=1\n");
    cr_assert_eq(readable(a), 0, "the long sleep ended first");
    cr_assert_gt(recv_line(a, line, sizeof(line)), 0);
    cr_assert_str_eq(line, "cosleep rc=0 slept_enough=1\n");
    uint64_t took = now_ms() - t0;
    cr_assert(took >= 1500 && took < 6000, "took %llu ms", (unsigned long long)took);
    close(a);
    close(b);
    cr_assert_eq(stop_server(&p), 0);
}

EDDY_TEST(server_task, task_enable_coroutine_runs_on_task_in_a_coroutine) {
    spec_t spec = {{"task_enable_coroutine", "1", NULL}};
    proc_t p;
    start_server(&spec, &p);
    int fd = dial(p.port);
    char line[256];
    cr_assert_gt(cmd(fd, "WAIT sleep:150 3000", line, sizeof(line)), 0);
    cr_assert_str_eq(line, "wait rc=0 result=slept=150 co=1\n");
    cr_assert_gt(cmd(fd, "WAIT sleep:1000 100", line, sizeof(line)), 0);
    cr_assert_str_eq(line, "wait rc=-110 result=\n");
    cr_assert_gt(cmd(fd, "TASK echo:x", line, sizeof(line)), 0);
    cr_assert(strstr(line, "echo:x by=1") != NULL, "%s", line);
    close(fd);
    cr_assert_eq(stop_server(&p), 0);
}

EDDY_TEST(server_task, four_mib_task_and_result_arrive_intact) {
    spec_t spec = {{NULL}};
    proc_t p;
    start_server(&spec, &p);
    int fd = dial(p.port);
    char line[256];
    for (int i = 0; i < 2; i++) {
        cr_assert_gt(cmd(fd, "BIG", line, sizeof(line)), 0);
        cr_assert(strstr(line, "big task=ok result=ok") != NULL, "%s", line);
    }
    close(fd);
    cr_assert_eq(stop_server(&p), 0);
}

EDDY_TEST(server_task, killed_task_worker_is_restarted) {
    spec_t spec = {{NULL}};
    proc_t p;
    start_server(&spec, &p);
    int old = task_pid(p.port);
    cr_assert_gt(old, 0);
    cr_assert_eq(kill(old, SIGKILL), 0);
    int now = wait_new_task_pid(p.port, old);
    cr_assert_gt(now, 0, "no new task worker");
    char line[256];
    for (int i = 0; i < 5; i++) {
        cr_assert_gt(ask(p.port, "TASK echo:again", line, sizeof(line)), 0);
        cr_assert(strstr(line, "echo:again by=1") != NULL, "%s", line);
    }
    cr_assert_eq(stop_server(&p), 0);
}

EDDY_TEST(server_task, task_worker_killed_mid_task_times_out_the_wait_then_recovers) {
    spec_t spec = {{NULL}};
    proc_t p;
    start_server(&spec, &p);
    int old = task_pid(p.port);
    cr_assert_gt(old, 0);
    int fd = dial(p.port);
    const char *c = "WAIT sleep:3000 1500";
    cr_assert_eq(send(fd, c, strlen(c), 0), (ssize_t)strlen(c));
    usleep(300000);
    cr_assert_eq(kill(old, SIGKILL), 0);
    char line[256];
    cr_assert_gt(recv_line(fd, line, sizeof(line)), 0);
    cr_assert_str_eq(line, "wait rc=-110 result=\n");
    cr_assert_gt(wait_new_task_pid(p.port, old), 0);
    cr_assert_gt(cmd(fd, "WAIT echo:later 3000", line, sizeof(line)), 0);
    cr_assert_str_eq(line, "wait rc=0 result=echo:later by=1\n");
    close(fd);
    cr_assert_eq(stop_server(&p), 0);
}

/* 2 workers x 2 task workers: 16 connections keep a task each in flight,
 * 12 rounds; every reply must carry its own connection's job. */
EDDY_TEST(server_task, concurrent_tasks_from_two_workers_route_back_to_their_callers) {
    spec_t spec = {{"worker_num", "2", "task_worker_num", "2", NULL}};
    proc_t p;
    start_server(&spec, &p);
    enum { CONNS = 16, ROUNDS = 12 };
    int fds[CONNS];
    for (int i = 0; i < CONNS; i++) cr_assert_geq(fds[i] = dial(p.port), 0);
    for (int r = 0; r < ROUNDS; r++) {
        char c[64], line[256], want[64];
        for (int i = 0; i < CONNS; i++) {
            snprintf(c, sizeof(c), "TASK echo:c%d-r%d", i, r);
            cr_assert_eq(send(fds[i], c, strlen(c), 0), (ssize_t)strlen(c));
        }
        for (int i = 0; i < CONNS; i++) {
            cr_assert_gt(recv_line(fds[i], line, sizeof(line)), 0, "conn %d round %d", i, r);
            snprintf(want, sizeof(want), " echo:c%d-r%d by=", i, r);
            cr_assert(strstr(line, want) != NULL, "conn %d got %s", i, line);
        }
    }
    for (int i = 0; i < CONNS; i++) close(fds[i]);
    cr_assert_eq(stop_server(&p), 0);
}

static int session_of(int fd) {
    char line[128];
    int id, session = -1, pid;
    if (cmd(fd, "ID?", line, sizeof(line)) < 0) return -1;
    return sscanf(line, "id=%d session=%d pid=%d", &id, &session, &pid) == 3 ? session : -1;
}

EDDY_TEST(server_task, reused_fd_gets_a_new_session_and_the_old_one_is_gone) {
    spec_t spec = {{"task_worker_num", "0", NULL}};
    proc_t p;
    start_server(&spec, &p);
    int a = dial(p.port);
    int sa = session_of(a);
    cr_assert_gt(sa, 0);
    close(a);
    usleep(100000); /* the worker sees the close and frees the fd */
    int b = dial(p.port);
    int sb = session_of(b);
    cr_assert_gt(sb, 0);
    int mask = (1 << EDDY_SERVER_FD_BITS) - 1;
    cr_assert_eq(sa & mask, sb & mask, "the kernel reuses the lowest fd");
    cr_assert_neq(sa, sb, "a reused fd must get a new session id");
    char c[64], line[128];
    snprintf(c, sizeof(c), "SENDTO %d", sa);
    cr_assert_gt(cmd(b, c, line, sizeof(line)), 0);
    cr_assert_str_eq(line, "sendto rc=-1005\n"); /* and no "cross from" for b */
    cr_assert_gt(cmd(b, "ID?", line, sizeof(line)), 0);
    cr_assert(strncmp(line, "id=", 3) == 0, "%s", line);
    close(b);
    cr_assert_eq(stop_server(&p), 0);
}

EDDY_TEST(server_task, sigusr2_and_api_reload_only_task_workers) {
    spec_t spec = {{NULL}};
    proc_t p;
    start_server(&spec, &p);
    int w = worker_pid(p.port), t = task_pid(p.port);
    cr_assert(w > 0 && t > 0);
    cr_assert_eq(kill(p.pid, SIGUSR2), 0); /* the master forwards it to the manager */
    int t2 = wait_new_task_pid(p.port, t);
    cr_assert_gt(t2, 0, "task worker not reloaded");
    cr_assert_eq(worker_pid(p.port), w, "SIGUSR2 must leave workers alone");
    char line[64];
    cr_assert_gt(ask(p.port, "RELOADT", line, sizeof(line)), 0);
    cr_assert_str_eq(line, "reload rc=0\n");
    int t3 = wait_new_task_pid(p.port, t2);
    cr_assert_gt(t3, 0, "reload_ex(1) did not reload");
    cr_assert_eq(worker_pid(p.port), w);
    /* SIGUSR1 restarts both kinds. */
    cr_assert_eq(kill(p.pid, SIGUSR1), 0);
    for (int i = 0; i < 100 && worker_pid(p.port) == w; i++) usleep(50000);
    cr_assert_neq(worker_pid(p.port), w);
    cr_assert_gt(wait_new_task_pid(p.port, t3), 0);
    cr_assert_eq(stop_server(&p), 0);
}

EDDY_TEST(server_task, send_message_fires_on_pipe_message_with_source_id) {
    spec_t spec = {{"worker_num", "2", NULL}};
    proc_t p;
    start_server(&spec, &p);
    int fd = dial(p.port);
    char line[256], want[128], c[32];
    int me = -1, session, pid;
    cr_assert_gt(cmd(fd, "ID?", line, sizeof(line)), 0);
    cr_assert_eq(sscanf(line, "id=%d session=%d pid=%d", &me, &session, &pid), 3);
    int other = 1 - me;
    snprintf(want, sizeof(want), "MSG %d", other);
    cr_assert_gt(cmd(fd, want, line, sizeof(line)), 0);
    snprintf(want, sizeof(want), "pipe ping_src=%d pong_src=%d me=%d pid=", me, other, me);
    cr_assert(strncmp(line, want, strlen(want)) == 0, "%s", line);
    int other_pid = atoi(line + strlen(want));
    /* Once the manager has restarted the target, messages reach the new
     * process. (One already written to the old process's socket when it
     * died is lost: each process has its own socketpair.) */
    cr_assert_eq(kill(other_pid, SIGKILL), 0);
    usleep(300000);
    snprintf(c, sizeof(c), "MSG %d", other);
    cr_assert_gt(cmd(fd, c, line, sizeof(line)), 0);
    cr_assert(strncmp(line, want, strlen(want)) == 0, "%s", line);
    cr_assert_neq(atoi(line + strlen(want)), other_pid, "the killed worker answered");
    /* A task worker (id 2) gets pipe messages too. */
    cr_assert_gt(cmd(fd, "MSG 2", line, sizeof(line)), 0);
    snprintf(want, sizeof(want), "pipe ping_src=%d pong_src=2 me=%d pid=", me, me);
    cr_assert(strncmp(line, want, strlen(want)) == 0, "%s", line);
    cr_assert_gt(cmd(fd, "MSG 9", line, sizeof(line)), 0);
    cr_assert_str_eq(line, "msg rc=-22\n");
    close(fd);
    cr_assert_eq(stop_server(&p), 0);
}

/* Opens connections until two are served by different workers (for up to
 * ~5 s: the second worker may still be starting when on_start fires). */
static void two_workers(int port, int fds[2], int ids[2], int sessions[2]) {
    fds[0] = fds[1] = -1;
    for (int n = 0; n < 250 && fds[1] < 0; n++) {
        char line[128];
        int id, session, pid, fd = dial(port);
        cr_assert_geq(fd, 0);
        cr_assert_gt(cmd(fd, "ID?", line, sizeof(line)), 0);
        cr_assert_eq(sscanf(line, "id=%d session=%d pid=%d", &id, &session, &pid), 3);
        int slot = fds[0] < 0 ? 0 : (id != ids[0] ? 1 : -1);
        if (slot < 0) {
            close(fd);
            usleep(20000); /* let the other worker win an accept */
            continue;
        }
        fds[slot] = fd;
        ids[slot] = id;
        sessions[slot] = session;
    }
    cr_assert_geq(fds[1], 0, "every connection went to one worker");
}

static int local_port(int fd) {
    struct sockaddr_in sa;
    socklen_t len = sizeof(sa);
    if (getsockname(fd, (struct sockaddr *)&sa, &len) < 0) return -1;
    return ntohs(sa.sin_port);
}

/* exists / client_info on another worker's connection ask its owner; two
 * workers asking each other at once still answer at once (neither waits
 * out the 1 s query timeout); connections() lists this worker's own. */
EDDY_TEST(server_task, exists_and_client_info_reach_another_workers_connection) {
    spec_t spec = {{"worker_num", "2", NULL}};
    proc_t p;
    start_server(&spec, &p);
    int fds[2], ids[2], sessions[2];
    two_workers(p.port, fds, ids, sessions);
    char line[256], c[64], want[128];
    for (int i = 0; i < 2; i++) {
        int j = 1 - i;
        snprintf(c, sizeof(c), "PEER %d", sessions[j]);
        cr_assert_gt(cmd(fds[i], c, line, sizeof(line)), 0);
        snprintf(want, sizeof(want), "peer exists=1 rc=0 worker=%d port=%d\n", ids[j],
                 local_port(fds[j]));
        cr_assert_str_eq(line, want);
        cr_assert_gt(cmd(fds[i], "CONNS", line, sizeof(line)), 0);
        cr_assert_str_eq(line, "conns n=1 self=1\n");
    }
    uint64_t t0 = now_ms();
    for (int round = 0; round < 5; round++) {
        for (int i = 0; i < 2; i++) {
            snprintf(c, sizeof(c), "PEER %d", sessions[1 - i]);
            cr_assert_eq(send(fds[i], c, strlen(c), MSG_NOSIGNAL), (ssize_t)strlen(c));
        }
        for (int i = 0; i < 2; i++) {
            cr_assert_gt(recv_line(fds[i], line, sizeof(line)), 0);
            cr_assert(strncmp(line, "peer exists=1 rc=0", 18) == 0, "%s", line);
        }
    }
    cr_assert_lt(now_ms() - t0, 1000, "crossed queries waited for a timeout");
    close(fds[1]);
    usleep(200000); /* the owner sees the close */
    snprintf(c, sizeof(c), "PEER %d", sessions[1]);
    cr_assert_gt(cmd(fds[0], c, line, sizeof(line)), 0);
    cr_assert_str_eq(line, "peer exists=0 rc=-1005 worker=-1 port=-1\n");
    close(fds[0]);
    cr_assert_eq(stop_server(&p), 0);
}

/* A send forwarded to the owner of a connection that has closed returns 0
 * to the sender (it was queued) and is dropped by the owner with 1007. */
EDDY_TEST(server_task, forwarded_send_to_a_closed_connection_is_discarded_with_1007) {
    char logf[64], buf[16384] = {0}, line[256], c[64];
    snprintf(logf, sizeof(logf), "/tmp/eddy-st-%d.log", getpid());
    unlink(logf);
    spec_t spec = {{"worker_num", "2", "log_level", "3", "log_file", logf, NULL}};
    proc_t p;
    start_server(&spec, &p);
    int fds[2], ids[2], sessions[2];
    two_workers(p.port, fds, ids, sessions);
    close(fds[1]);
    usleep(200000); /* the owner sees the close */
    snprintf(c, sizeof(c), "SENDTO %d", sessions[1]);
    cr_assert_gt(cmd(fds[0], c, line, sizeof(line)), 0);
    cr_assert_str_eq(line, "sendto rc=0\n");
    usleep(200000);
    close(fds[0]);
    cr_assert_eq(stop_server(&p), 0);
    int lf = open(logf, O_RDONLY | O_CLOEXEC);
    cr_assert_geq(lf, 0, "log_file not written");
    cr_assert_geq(read(lf, buf, sizeof(buf) - 1), 0);
    close(lf);
    unlink(logf);
    snprintf(c, sizeof(c), "for session#%d discarded", sessions[1]);
    cr_assert_not_null(strstr(buf, c), "%s", buf);
    cr_assert_not_null(strstr(buf, "(ERRNO 1007)"), "%s", buf);
}

EDDY_TEST(server_task, send_to_a_connection_of_another_worker_arrives) {
    spec_t spec = {{"worker_num", "2", NULL}};
    proc_t p;
    start_server(&spec, &p);
    int fds[2], ids[2], sessions[2];
    two_workers(p.port, fds, ids, sessions);
    char line[256], c[64], want[64];
    for (int i = 0; i < 2; i++) {
        int j = 1 - i;
        snprintf(c, sizeof(c), "SENDTO %d", sessions[j]);
        cr_assert_gt(cmd(fds[i], c, line, sizeof(line)), 0);
        cr_assert_str_eq(line, "sendto rc=0\n");
        cr_assert_gt(recv_line(fds[j], line, sizeof(line)), 0);
        snprintf(want, sizeof(want), "cross from %d\n", ids[i]);
        cr_assert_str_eq(line, want);
    }
    /* From a task worker (id 2) to a connection of worker ids[1]. */
    snprintf(c, sizeof(c), "TASK sendto:%d", sessions[1]);
    cr_assert_gt(cmd(fds[0], c, line, sizeof(line)), 0);
    cr_assert(strstr(line, "sendto=0") != NULL, "%s", line);
    cr_assert_gt(recv_line(fds[1], line, sizeof(line)), 0);
    cr_assert_str_eq(line, "from task 2\n");
    close(fds[0]);
    close(fds[1]);
    cr_assert_eq(stop_server(&p), 0);
}
