/*
 * eddy server: BASE and PROCESS mode servers, as Swoole\Server.
 *
 * This part is the configuration: one struct whose fields carry Swoole's
 * option names and defaults, set from strings so that the PHP layer (which
 * converts its zvals to strings) and C users share one parser and one set of
 * error messages. Options are table-driven in src/server/config.c.
 *
 * Ownership: the caller owns the struct (eddy_server_config_init / _free);
 * string options (pid_file, log_file, user, group) are copies the struct
 * owns. Errors: EDDY_EINVAL plus a message naming the option.
 */
#ifndef EDDY_SERVER_H
#define EDDY_SERVER_H

#include <stddef.h>
#include <stdint.h>

#include "eddy/base.h"
#include "eddy/framing.h"

/* ---- constants --------------------------------------------------------- */

/* dispatch_mode values, numbered as Swoole's SWOOLE_DISPATCH_*. */
typedef enum {
    EDDY_DISPATCH_ROUND = 1, /* round robin */
    EDDY_DISPATCH_FDMOD = 2, /* connection fd modulo worker_num (default) */
    EDDY_DISPATCH_IDLE = 3,  /* first idle worker ("preemptive") */
    EDDY_DISPATCH_IPMOD = 4, /* client IP hash */
    EDDY_DISPATCH_UIDMOD = 5 /* uid bound with bind() */
} eddy_dispatch_mode_t;

/* Room for the message out of set()/validate(); longer ones are truncated. */
#define EDDY_SERVER_ERRLEN 160

/* ---- types ------------------------------------------------------------- */

/* Server and (for now, single) listener options. Booleans are 0/1 ints.
 * Times are whole seconds, as Swoole's integer options. Fields may be read
 * freely; write them through eddy_server_config_set() so that derived
 * defaults (max_request_grace, heartbeat_idle_time) stay right. */
typedef struct {
    /* public: processes */
    uint32_t worker_num;      /* default: CPU count */
    uint32_t reactor_num;     /* default: CPU count, at most 8 */
    uint32_t task_worker_num; /* 0: no task workers */
    int task_enable_coroutine;
    uint32_t dispatch_mode;     /* eddy_dispatch_mode_t, default 2 */
    uint32_t max_request;       /* 0: never recycle a worker */
    uint32_t max_request_grace; /* default max_request / 2 when > 10 */
    uint32_t max_connection;    /* default min(100000, RLIMIT_NOFILE) */
    int reload_async;           /* default on */
    uint32_t max_wait_time;     /* default 3 */
    /* default on. PROCESS mode, dispatch_mode 1 and 3: a message whose
     * client has closed before a worker takes it is dropped (notice 1007)
     * instead of delivered. No effect in BASE mode, where a connection's
     * data never leaves its worker. */
    int discard_timeout_request;
    /* public: listener sockets */
    uint32_t backlog; /* default 512 */
    int open_tcp_nodelay;
    int open_tcp_keepalive;
    uint32_t tcp_keepidle;     /* default 3600 */
    uint32_t tcp_keepinterval; /* default 60 */
    uint32_t tcp_keepcount;    /* default 5 */
    int enable_reuse_port;
    uint32_t heartbeat_check_interval; /* 0: off */
    uint32_t heartbeat_idle_time;      /* default 2 x interval */
    /* public: framing */
    int open_eof_check;
    int open_eof_split; /* turns open_eof_check on, as in Swoole */
    char package_eof[EDDY_FRAMING_EOF_MAX];
    size_t package_eof_len; /* default "\r\n\r\n" */
    int open_length_check;
    char package_length_type; /* default 'N' */
    uint32_t package_length_offset;
    uint32_t package_body_offset; /* default 4 */
    uint32_t package_max_length;  /* default 2 MiB */
    /* public: buffers */
    uint32_t buffer_output_size; /* largest single send, default UINT32_MAX */
    uint32_t socket_buffer_size; /* per-connection pending output, 8 MiB */
    /* public: process environment */
    /* start() forks: the caller exits 0, the daemon (new session, stdin
     * /dev/null, stdout/stderr to log_file or /dev/null, same cwd) runs the
     * server and its pid goes to pid_file. */
    int daemonize;
    char *pid_file; /* owned; NULL when unset */
    char *log_file;
    uint32_t log_level; /* eddy_log_level_t, default EDDY_LOG_INFO */
    /* Workers and task workers switch to these after fork when the server
     * runs as root (unknown names refuse the start); ignored with a notice
     * otherwise. The master and manager stay root. */
    char *user;
    char *group;
    /* private */
    unsigned grace_set : 1; /* max_request_grace given explicitly */
    unsigned idle_set : 1;  /* heartbeat_idle_time given explicitly */
} eddy_server_config_t;

/* ---- lifecycle --------------------------------------------------------- */

/* Fills every option with Swoole's default. Never fails. */
void eddy_server_config_init(eddy_server_config_t *cfg);
/* Releases the owned strings; cfg may be re-initialised afterwards. */
void eddy_server_config_free(eddy_server_config_t *cfg);

/* ---- I/O --------------------------------------------------------------- */

/* Sets one option from its string form: integers in decimal, booleans as
 * 1/0/true/false/on/off/yes/no or "" (PHP's false). Aliases Swoole accepts
 * (max_conn, output_buffer_size, package_body_start) work too. Returns 0, or
 * EDDY_EINVAL with a message in err (if errlen > 0) such as
 * "worker_num must be between 1 and 2000" or "unknown option 'x'"; on
 * error cfg is unchanged. */
int eddy_server_config_set(eddy_server_config_t *cfg, const char *name, const char *value,
                           char *err, size_t errlen);
/* As above for a value that may hold NUL bytes (a binary package_eof). */
int eddy_server_config_setn(eddy_server_config_t *cfg, const char *name, const char *value,
                            size_t value_len, char *err, size_t errlen);
/* Rules across options, checked before a server starts. EDDY_EINVAL with a
 * message naming the options involved. */
int eddy_server_config_validate(const eddy_server_config_t *cfg, char *err, size_t errlen);

/* ---- status ------------------------------------------------------------ */

/* 1 if `name` is an option (or alias) this table knows, else 0: lets the PHP
 * layer warn about options eddy does not implement instead of failing. */
int eddy_server_config_has_option(const char *name);
/* The splitter settings the options select, as Swoole resolves them: EOF
 * checks win over length checks when both are on, and package_max_length is
 * raised to Swoole's 64 KiB floor. */
void eddy_server_config_framing(const eddy_server_config_t *cfg, eddy_framing_t *f);


/* ======================================================================
 * Server object (BASE mode). Added by the server-engine work; the config
 * part above is unchanged.
 *
 * Processes: eddy_server_start() runs in the *master*, which owns the listen
 * sockets, forks one *manager*, and the manager forks worker_num *workers*.
 * In BASE mode each worker accepts on the shared listen sockets, reads,
 * frames and fires the connection events itself; no data crosses processes.
 *
 * Session ids: a connection id is (generation << (20 + worker bits)) |
 * (worker_id << 20) | fd, where worker bits are those worker_num needs, so
 * it is unique across workers without shared memory, and the owning worker
 * finds the connection by indexing its fd table. The first connection on
 * an fd has generation 0, i.e. the id (worker_id << 20) | fd. The generation
 * counts the worker's connections, so a new connection that reuses an fd
 * gets a new id and a send to the old id fails with 1005 instead of
 * reaching the new peer. The counter has 11 - worker bits bits (at least
 * one), so an id can come back once the worker has accepted 2^that many
 * connections since (Swoole's 64-bit-wide ids never do; ours are int).
 * send/close on a connection of another worker (from a worker or a task
 * worker) are forwarded to its owner over the IPC (task.c) and return 0 once
 * queued; the owner drops the data with notice 1007 if the connection is
 * gone. exists and client_info on another worker's connection ask its
 * owner and wait for the answer (at most 1 s; Swoole's BASE mode does not
 * do this at all). eddy_server_connections() visits this worker's
 * connections only, as Swoole's $server->connections in SWOOLE_BASE.
 * ==================================================================== */

#include "eddy/loop.h"
#include "eddy/socket.h"

/* Session errors (EDDY_ESESSION_*, EDDY_EOUTPUT_BUFFER_OVERFLOW) are in
 * eddy/base.h with the other engine error codes. */

#define EDDY_SERVER_MAX_LISTENERS 16
#define EDDY_SERVER_FD_BITS 20 /* fd part of a session id */

typedef struct eddy_server_s eddy_server_t; /* opaque */

/* Server modes, numbered as Swoole's SWOOLE_BASE / SWOOLE_PROCESS. */
typedef enum { EDDY_SERVER_BASE = 1, EDDY_SERVER_PROCESS = 2 } eddy_server_mode_t;

/* Where a connection came from, as Swoole's getClientInfo(). */
typedef struct {
    int worker_id;
    int reactor_id;   /* 0 in BASE mode: each worker is its own reactor */
    int listener;     /* index returned by eddy_server_listen() */
    int server_port;
    char remote_ip[108]; /* numeric host, or the unix socket path */
    int remote_port;
    int64_t connect_time; /* unix time, seconds */
    int64_t last_time;    /* unix time of the last data received */
} eddy_server_client_info_t;

/* Events, as Swoole's on('...'). Any pointer may be NULL. `data` is the
 * user's, never touched by the engine. Where each one runs: start (once the
 * manager is forked; workers may still be starting) and shutdown (after the
 * manager and all workers have exited) in the master; manager_* in the manager; worker_error in the
 * manager (a worker died abnormally); all others in a worker. */
typedef struct {
    void *data;
    void (*on_start)(eddy_server_t *srv);
    void (*on_shutdown)(eddy_server_t *srv);
    void (*on_manager_start)(eddy_server_t *srv);
    void (*on_manager_stop)(eddy_server_t *srv);
    void (*on_worker_start)(eddy_server_t *srv, int worker_id);
    void (*on_worker_stop)(eddy_server_t *srv, int worker_id);
    /* reload_async only: the worker stopped accepting and begins to drain
     * (fired once; on_worker_stop follows when it has drained). */
    void (*on_worker_exit)(eddy_server_t *srv, int worker_id);
    void (*on_worker_error)(eddy_server_t *srv, int worker_id, int pid, int exit_code,
                            int signo);
    void (*on_connect)(eddy_server_t *srv, int fd, int reactor_id);
    /* data[0..len) is one framed message, valid only during the call. */
    void (*on_receive)(eddy_server_t *srv, int fd, int reactor_id, const char *data, size_t len);
    /* A datagram on a UDP / unix dgram listener; reply with eddy_server_sendto(). */
    void (*on_packet)(eddy_server_t *srv, int listener, const char *data, size_t len,
                      const eddy_addr_t *from);
    void (*on_close)(eddy_server_t *srv, int fd, int reactor_id);
    /* In a task worker: a task from worker src_worker_id (eddy_server_task /
     * _taskwait); answer with eddy_server_finish(). data is valid during the
     * call (with task_enable_coroutine: until the coroutine ends). */
    void (*on_task)(eddy_server_t *srv, int task_id, int src_worker_id, const char *data,
                    size_t len);
    /* In the worker that called eddy_server_task(): the task's finish data. */
    void (*on_finish)(eddy_server_t *srv, int task_id, const char *data, size_t len);
    /* In a worker or task worker: eddy_server_send_message() from another. */
    void (*on_pipe_message)(eddy_server_t *srv, int src_worker_id, const char *data, size_t len);
    /* In the manager, as Swoole's onBeforeReload / onAfterReload: before a
     * reload (SIGUSR1, SIGUSR2, eddy_server_reload*) asks the workers to
     * stop, and once every worker it stopped has a successor running
     * (forked; its on_worker_start may still be running). A reload that
     * arrives while one is in progress fires before_reload again and
     * after_reload once, when the last pending worker is replaced. */
    void (*on_before_reload)(eddy_server_t *srv);
    void (*on_after_reload)(eddy_server_t *srv);
} eddy_server_events_t;

/* ---- lifecycle --------------------------------------------------------- */

/* A server with a copy of cfg (NULL: defaults). Never NULL (aborts on OOM). */
eddy_server_t *eddy_server_new(const eddy_server_config_t *cfg);
/* Closes the listen sockets and frees the server; not while it runs. */
void eddy_server_free(eddy_server_t *srv);
/* Selects the mode (default EDDY_SERVER_BASE) before eddy_server_start().
 * PROCESS: the master runs reactor_num reactor threads that accept, read
 * and frame, and pass each message to a worker chosen by dispatch_mode over
 * a unix socketpair; replies go back the same way. Connection ids are then
 * increasing numbers (not worker/fd pairs), valid from any worker, and a
 * connection survives the restart of a worker. Datagrams are read by the
 * reactors too and fire on_packet in a worker (dispatch_mode 2, 4, 5: by
 * sender address). EDDY_EINVAL for an unknown mode, EDDY_EWRONG_OP once
 * started. */
int eddy_server_set_mode(eddy_server_t *srv, int mode);
int eddy_server_mode(const eddy_server_t *srv);
/* dispatch_mode 5 (PROCESS mode): from then on the connection's messages
 * and its close go to worker uid % worker_num (until bound: as mode 2).
 * Once per connection (binding the same uid again is 0). 0, EDDY_EINVAL
 * (uid 0), EDDY_EWRONG_OP (other mode, or bound to another uid), or a
 * session error. Takes effect for messages the master reads afterwards. */
int eddy_server_bind(eddy_server_t *srv, int session, uint32_t uid);
/* Replaces the server's configuration with a copy of cfg before start
 * (Swoole's set() after the constructor bound the port): listeners' framing
 * follows the new options; backlog and enable_reuse_port stay as they were
 * when the listeners were bound. 0, or EDDY_EWRONG_OP once started. */
int eddy_server_configure(eddy_server_t *srv, const eddy_server_config_t *cfg);
/* Copies the callbacks. Call before eddy_server_start(). */
void eddy_server_set_events(eddy_server_t *srv, const eddy_server_events_t *ev);
/* Binds (and for streams listens) at once, so the port can be read before
 * start. Port 0 picks a free one. Returns the listener index (>= 0) or a
 * negative errno / EDDY_EINVAL. Framing comes from the server's config. */
int eddy_server_listen(eddy_server_t *srv, eddy_sock_type_t type, const char *host, int port);
/* Sets a framing option of one listener, as Swoole's $port->set(): the
 * listener gets its own copy of the server's options on the first call and
 * frames with it from then on (BASE and PROCESS); a listener never set
 * follows the server's options. Names: open_eof_check, open_eof_split,
 * package_eof, open_length_check, package_length_type,
 * package_length_offset, package_body_offset (package_body_start),
 * package_max_length. Before eddy_server_start(). 0, EDDY_EINVAL (unknown
 * listener, not a per-listener option, bad value: message in err) or
 * EDDY_EWRONG_OP once started. Cross-option rules are checked at start. */
int eddy_server_listener_config_set(eddy_server_t *srv, int listener, const char *name,
                                    const char *value, char *err, size_t errlen);
/* As above for a value that may hold NUL bytes (a binary package_eof). */
int eddy_server_listener_config_setn(eddy_server_t *srv, int listener, const char *name,
                                     const char *value, size_t value_len, char *err,
                                     size_t errlen);
/* Marks the server as carrying a protocol that parses its own byte stream
 * (the HTTP server calls it): eddy_server_start() then refuses framing
 * options on the server or on any listener, whenever they were set. */
void eddy_server_require_raw_stream(eddy_server_t *srv);
/* Runs the master until shutdown: forks the manager (which forks workers),
 * fires on_start, waits. Returns 0 after a clean shutdown, EDDY_EINVAL for
 * a bad config or no listener, EDDY_ESYSCALL if the manager died. Never
 * returns in manager or worker processes: they end with _exit(2) so that
 * atexit handlers run only once, in the master. */
int eddy_server_start(eddy_server_t *srv);
/* Asks the master to shut down gracefully (SIGTERM); from any process. */
int eddy_server_shutdown(eddy_server_t *srv);
/* Asks the manager to restart every worker (SIGUSR1); from any process. */
int eddy_server_reload(eddy_server_t *srv);
/* As above; only_task_workers 1 restarts the task workers alone (SIGUSR2). */
int eddy_server_reload_ex(eddy_server_t *srv, int only_task_workers);

/* ---- I/O (worker only) ------------------------------------------------- */

/* Sends to a connection of this worker. What the socket does not take now
 * is queued and written when it is writable. 0, or EDDY_ESESSION_NOT_EXIST /
 * EDDY_ESESSION_CLOSED (notice logged), EDDY_EOUTPUT_BUFFER_OVERFLOW when
 * len exceeds buffer_output_size or the queue would exceed
 * socket_buffer_size, EDDY_EWRONG_OP outside a worker. */
int eddy_server_send(eddy_server_t *srv, int fd, const void *data, size_t len);
/* A datagram out of a dgram listener. 0 or negative errno. */
int eddy_server_sendto(eddy_server_t *srv, int listener, const eddy_addr_t *to, const void *data,
                       size_t len);
/* Closes after queued output is written; on_close fires. 0 or session error. */
int eddy_server_close(eddy_server_t *srv, int fd);
/* Lingering close (nginx's): once queued output is written, shuts down the
 * write side (the peer reads everything sent, then EOF) and reads and
 * discards what the peer still sends until it closes, EDDY_SERVER_LINGER_MS
 * pass or EDDY_SERVER_LINGER_BYTES are discarded; then closes and fires
 * on_close. Closing with unread input would send a reset, which can make
 * the peer's stack drop a response it has not read yet (an HTTP 413 sent
 * while the body is still coming). No on_receive fires meanwhile; sends
 * fail with EDDY_ESESSION_CLOSED. 0 or session error. In BASE mode a
 * connection of another worker is closed plainly. */
int eddy_server_close_linger(eddy_server_t *srv, int fd);
/* Bytes sent to connection fd that its socket has not taken yet (what a
 * sender paces itself by: a large body goes out in pieces while this stays
 * low, so the queue never reaches socket_buffer_size). BASE: this worker's
 * queue. PROCESS: the reactor's queue as it last published it; records
 * still in the worker-to-reactor channel are not counted (the channel is
 * bounded, and a full one blocks the sending worker). Capped at INT_MAX.
 * A session error, or EDDY_EWRONG_OP outside a worker or for another BASE
 * worker's connection. */
int eddy_server_output_pending(eddy_server_t *srv, int fd);
/* BASE mode, zero-copy: sendfile(2) of up to len bytes of file_fd from
 * offset straight into connection fd's socket, as much as it takes now
 * (file_fd's own offset is not moved). Returns the bytes sent (0: the
 * file ends at offset), EDDY_EAGAIN when output is queued for fd or the
 * socket is full (retry later), EDDY_EWRONG_OP in PROCESS mode, for
 * another worker's connection, or a file sendfile(2) cannot read (send
 * it with eddy_server_send), -EIO, or a session error / negative errno
 * (the connection is closed, on_close fires). */
ssize_t eddy_server_sendfile(eddy_server_t *srv, int fd, int file_fd, uint64_t offset,
                             size_t len);
/* BASE mode: calls cb(srv, fd, arg) once, from the worker's loop, when
 * connection fd's socket is writable again and nothing is queued for it
 * (after eddy_server_sendfile's EDDY_EAGAIN: no polling). One waiter per
 * connection; a new call replaces it, cb NULL cancels. If the connection
 * closes first, cb is never called (on_close fires as usual). 0,
 * EDDY_EWRONG_OP (PROCESS mode, another worker's connection) or a
 * session error. */
int eddy_server_sendfile_wait(eddy_server_t *srv, int fd,
                              void (*cb)(eddy_server_t *srv, int fd, void *arg), void *arg);
#define EDDY_SERVER_LINGER_MS 2000
#define EDDY_SERVER_LINGER_BYTES (1024 * 1024)
/* Flow control, as Swoole's pause() / resume(): stops reading connection
 * fd's socket (what the client sends waits in the kernel, then the
 * client's send blocks: TCP back-pressure) until resumed. Messages already
 * read may still be delivered; sends and close work as usual. PROCESS mode:
 * any connection (its reactor thread applies it asynchronously, before it
 * reads that socket again); BASE mode: this worker's own (EDDY_EWRONG_OP
 * for another's). Workers only, not task workers. 0, a session error, or
 * EDDY_EWRONG_OP. */
int eddy_server_pause(eddy_server_t *srv, int fd);
int eddy_server_resume(eddy_server_t *srv, int fd);
/* on 1: the heartbeat (heartbeat_check_interval) never closes connection fd
 * for being idle; 0 undoes it. As Swoole's protect(). Same callers and
 * errors as eddy_server_pause. */
int eddy_server_protect(eddy_server_t *srv, int fd, int on);
/* Sends bytes [offset, offset + length) of the file at path (length 0: to
 * its end) to connection fd, as Swoole's sendfile(): all of it is handed
 * over before the call returns, in order with the sends around it (BASE:
 * sendfile(2) for what the socket takes at once, then queued copies;
 * PROCESS: copies sent as eddy_server_send does). 0, or: -errno from
 * open(2), -EISDIR (not a regular file), EDDY_EINVAL (range past the end),
 * EDDY_EOUTPUT_BUFFER_OVERFLOW (the range and what is already queued
 * exceed socket_buffer_size: nothing sent), a session error, or
 * EDDY_EWRONG_OP outside a worker. */
int eddy_server_send_path(eddy_server_t *srv, int fd, const char *path, uint64_t offset,
                          uint64_t length);

/* ---- status ------------------------------------------------------------ */

/* 1 if fd is an open connection, else 0. BASE mode: a connection of
 * another worker is asked of its owner (a blocking round trip through the
 * manager, up to 1 s; 0 if it does not answer). */
int eddy_server_exists(eddy_server_t *srv, int fd);
/* 0 and *info filled, or a session error; as exists for another worker's
 * connection in BASE mode (also EDDY_ETIMEDOUT, EDDY_EPIPE). */
int eddy_server_client_info(eddy_server_t *srv, int fd, eddy_server_client_info_t *info);
/* Called with each connection's id; non-zero stops the walk. */
typedef int (*eddy_server_conn_cb)(eddy_server_t *srv, int session, void *arg);
/* Visits the open connections, as Swoole's $server->connections: PROCESS
 * mode, every connection of the server (the shared session table, from any
 * worker or task worker); BASE mode, this worker's own only. cb may be
 * NULL (count). Returns the number visited, or EDDY_EWRONG_OP outside a
 * worker. */
int eddy_server_connections(eddy_server_t *srv, eddy_server_conn_cb cb, void *arg);
/* This process's worker id, or -1 in the master and manager. */
int eddy_server_worker_id(const eddy_server_t *srv);
/* Port a listener is bound to (the real one after port 0), or EDDY_EINVAL. */
int eddy_server_port(const eddy_server_t *srv, int listener);
int eddy_server_master_pid(const eddy_server_t *srv);
int eddy_server_manager_pid(const eddy_server_t *srv);
/* The config the server copied (read-only). */
const eddy_server_config_t *eddy_server_config(const eddy_server_t *srv);
/* The events' user pointer. */
void *eddy_server_data(const eddy_server_t *srv);
/* This process's loop while the server runs (for timers in callbacks). */
eddy_loop_t *eddy_server_loop(eddy_server_t *srv);
/* Connections open in this worker. */
size_t eddy_server_connection_count(const eddy_server_t *srv);
/* The listener index (eddy_server_listen's) connection fd came in on, for
 * per-port callbacks; also answers inside on_close. In a worker or task
 * worker: PROCESS mode any connection of the server, BASE mode this
 * worker's own (EDDY_EWRONG_OP for another's). EDDY_ESESSION_NOT_EXIST for
 * an unknown id, EDDY_EWRONG_OP outside a worker. */
int eddy_server_session_listener(eddy_server_t *srv, int fd);
/* Messages (on_receive / on_packet) this worker process has handled since
 * it started, the count max_request is checked against. EDDY_EWRONG_OP
 * outside a worker. */
int64_t eddy_server_request_count(const eddy_server_t *srv);
/* The pid of worker or task worker worker_id (0 .. worker_num +
 * task_worker_num - 1), from any process once eddy_server_start() has run
 * (the manager keeps a shared table): 0 while that slot has no process (it
 * is being restarted), EDDY_EINVAL for an id out of range, EDDY_EWRONG_OP
 * before start. */
int eddy_server_worker_pid(const eddy_server_t *srv, int worker_id);

/* ---- task workers and worker messages (task.c, pipe.c) ------------------
 *
 * task_worker_num task worker processes follow the workers: their worker
 * ids are worker_num .. worker_num + task_worker_num - 1, and the manager
 * supervises them as workers (restart on exit, SIGUSR1 reloads them with the
 * rest, SIGUSR2 / eddy_server_reload_ex(srv, 1) alone). A task worker runs
 * one task at a time; tasks wait in the manager until one is idle. Data
 * travels over unix stream sockets in length-prefixed frames, so any size
 * fits (copied, never truncated). Worker ids in messages are Swoole's. */

/* Sends a task to task worker dst_worker_id (0 .. task_worker_num - 1) or,
 * with -1, to the first idle one. Returns the task id (>= 0, increasing per
 * worker), or EDDY_EWRONG_OP (not in a worker, in a task worker, no task
 * workers), EDDY_EINVAL (dst). on_finish fires in this worker with the
 * result. */
int eddy_server_task(eddy_server_t *srv, const void *data, size_t len, int dst_worker_id);
/* Sends a task and waits up to timeout_ms (negative: forever) for its
 * first result, appended to *out (caller-owned). In a coroutine only that
 * coroutine waits (it yields); elsewhere the worker blocks in poll(2), and
 * IPC frames that arrive meanwhile are handled after it returns. 0,
 * EDDY_ETIMEDOUT (a result arriving later is dropped with a warning),
 * EDDY_EPIPE (manager gone), or as eddy_server_task(). */
int eddy_server_taskwait(eddy_server_t *srv, const void *data, size_t len, int64_t timeout_ms,
                         eddy_buf_t *out);
/* Sends n tasks at once (datas[i], lens[i]) and waits up to timeout_ms in
 * all for their results: outs[i] (caller-owned, n of them) gets task i's
 * first result and rcs[i] is 0, or EDDY_ETIMEDOUT for a task that had not
 * answered in time. Returns how many answered (0..n), or a negative error
 * as eddy_server_task() with nothing sent. Waits as eddy_server_taskwait(). */
int eddy_server_taskwait_multi(eddy_server_t *srv, const void *const *datas, const size_t *lens,
                               size_t n, int64_t timeout_ms, eddy_buf_t *outs, int *rcs);
/* In on_task: sends a result to the task's worker (on_finish, or the
 * taskwait). May be called more than once: each call fires on_finish. 0,
 * or EDDY_EWRONG_OP outside a task. */
int eddy_server_finish(eddy_server_t *srv, const void *data, size_t len);
/* Fires on_pipe_message(src = this worker) in worker dst_worker_id (a worker
 * or task worker, not this one). 0, EDDY_EINVAL, EDDY_EWRONG_OP. */
int eddy_server_send_message(eddy_server_t *srv, const void *data, size_t len,
                             int dst_worker_id);
/* 1 in a task worker, else 0. */
int eddy_server_is_task_worker(const eddy_server_t *srv);

/* ---- user processes (user_process.c) -------------------------------------
 *
 * As Swoole's Server::addProcess: processes of the user's own that live
 * as long as the server. The manager forks each one after the workers
 * (BASE and PROCESS mode alike) and calls cb(srv, index, arg) in it; when
 * cb returns the process exits with status 0. Whenever one exits (cb
 * returned, exit, crash, kill) the manager forks it again, at once if it
 * ran for a second or more, else one second after its previous start (no
 * fork loop for a process that ends at once). On shutdown the manager
 * sends it SIGTERM, SIGKILL after max_wait_time, and reaps it before it
 * exits itself; a user process also gets SIGTERM if the manager dies.
 *
 * In the user process every signal is unblocked (SIGTERM ends it unless it
 * watches SIGTERM itself), no loop is inherited (eddy_server_loop() is
 * NULL, eddy_loop_default() is a fresh one) and eddy_server_worker_id() is
 * -1. It may call eddy_server_send() and eddy_server_close() on any
 * connection and eddy_server_send_message() to any worker or task worker:
 * each is a frame written (blocking) to the manager, which passes it to
 * the worker that owns the connection (BASE) or to worker session %
 * worker_num (PROCESS), or to the message's destination, where
 * on_pipe_message sees src_worker_id worker_num + task_worker_num +
 * index. They return 0 once the manager has the frame (EDDY_EPIPE if it is
 * gone); a send to a closed connection is then dropped by its worker with a
 * notice. The other worker calls (task, exists, pause...) must not be made
 * there: they need a worker's state, which it does not have. It may also
 * call eddy_server_shutdown() / eddy_server_reload(), and talk to workers
 * through what the caller set up before start (a socketpair both inherit). */

/* Called in the user process; the process exits when it returns. */
typedef void (*eddy_server_process_cb)(eddy_server_t *srv, int index, void *arg);
/* Adds a user process before eddy_server_start(). Returns its index (0, 1,
 * ... in the order added), EDDY_EINVAL (cb NULL) or EDDY_EWRONG_OP once
 * started. arg stays the caller's. */
int eddy_server_add_process(eddy_server_t *srv, eddy_server_process_cb cb, void *arg);
/* How many were added. */
int eddy_server_process_count(const eddy_server_t *srv);
/* In a user process its index, elsewhere -1. */
int eddy_server_process_index(const eddy_server_t *srv);

#endif /* EDDY_SERVER_H */
