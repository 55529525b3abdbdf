/*
 * Process environment options: daemonize, and user / group for workers.
 *
 * daemonize: start() forks once; the caller's process exits 0 (its shell
 * gets the prompt back, as with Swoole's daemonize), the child starts a new
 * session (setsid: no controlling terminal) and runs the server with stdin
 * on /dev/null and stdout / stderr on log_file (or /dev/null). The working
 * directory is kept, so relative pid_file, log_file and unix socket paths
 * mean what they meant before start. pid_file gets the daemon's pid, the
 * master's, since it is written after the fork.
 *
 * user / group: names are resolved in the master before anything is forked
 * (an unknown name refuses the start), and every worker and task worker
 * switches to them right after its fork (a BASE worker once it has bound
 * its SO_REUSEPORT copies: Linux groups only sockets of one uid), so that
 * application code never runs as root; the master and manager keep root
 * (to bind, to signal).
 * Only a root server switches: otherwise the options are ignored with a
 * notice, as the switch could not succeed.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "server/internal.h"

static int redirect_stdio(const char *out) {
    int in = open("/dev/null", O_RDONLY | O_CLOEXEC);
    int fd = open(out, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    int rc = (in < 0 || fd < 0) ? -errno : 0;
    /* dup2 leaves the copies without O_CLOEXEC: workers log to them too. */
    if (rc == 0 && (dup2(in, 0) < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)) rc = -errno;
    if (in > 2) eddy__server_close_fd(in);
    if (fd > 2) eddy__server_close_fd(fd);
    return rc;
}

int eddy__server_daemonize(eddy_server_t *srv) {
    const char *out = srv->cfg.log_file ? srv->cfg.log_file : "/dev/null";
    fflush(NULL); /* or buffered output would be written twice */
    pid_t pid = fork();
    if (pid < 0) return -errno;
    if (pid > 0) _exit(0);
    if (setsid() < 0) return -errno;
    int rc = redirect_stdio(out);
    if (rc < 0) eddy_log_error("server: daemonize: cannot redirect stdio to %s: %s", out,
                               eddy_strerror(rc));
    srv->master_pid = getpid();
    return rc;
}

int eddy__server_resolve_ids(eddy_server_t *srv) {
    const char *user = srv->cfg.user, *group = srv->cfg.group;
    srv->switch_ids = 0;
    if (!user && !group) return 0;
    if (geteuid() != 0) {
        eddy_log(EDDY_LOG_NOTICE, "server: user/group ignored: the server does not run as root");
        return 0;
    }
    struct passwd *pw = user ? getpwnam(user) : NULL;
    if (user && !pw) {
        eddy_log_error("server: user '%s' does not exist", user);
        return EDDY_EINVAL;
    }
    struct group *gr = group ? getgrnam(group) : NULL;
    if (group && !gr) {
        eddy_log_error("server: group '%s' does not exist", group);
        return EDDY_EINVAL;
    }
    srv->run_uid = pw ? pw->pw_uid : 0;
    srv->run_gid = gr ? gr->gr_gid : pw->pw_gid;
    srv->switch_ids = 1;
    return 0;
}

/* Group first: once the uid is no longer root, setgid would be refused.
 * Supplementary groups are root's until replaced: the user's own, or none. */
void eddy__server_switch_ids(eddy_server_t *srv) {
    if (!srv->switch_ids) return;
    const char *user = srv->cfg.user;
    int rc = user ? initgroups(user, srv->run_gid) : setgroups(0, NULL);
    if (rc == 0) rc = setgid(srv->run_gid);
    if (rc == 0 && user) rc = setuid(srv->run_uid);
    /* A credential change clears the parent-death signal: set it again. */
    if (rc == 0 && prctl(PR_SET_PDEATHSIG, SIGTERM) == 0) return;
    eddy_log_error("worker: cannot switch to user %s / group %s: %s", user ? user : "-",
                   srv->cfg.group ? srv->cfg.group : "-", strerror(errno));
    _exit(1); /* the manager's loop is still this process's: nothing may be freed */
}
