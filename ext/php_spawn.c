/* /bin/sh -c for coroutines: see php_spawn.h. */
#include <signal.h>
#include <spawn.h>
#include <unistd.h>

#include "php_spawn.h"

extern char **environ;

int php_spawn_sh(const char *cmd, int out_fd, bool err_too, pid_t *pid) {
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    sigset_t none, all;
    char *argv[] = {"sh", "-c", (char *) cmd, NULL};
    int rc;

    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, out_fd, STDOUT_FILENO);
    if (err_too) {
        posix_spawn_file_actions_adddup2(&fa, out_fd, STDERR_FILENO);
    }
    posix_spawnattr_init(&attr);
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &all);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    rc = posix_spawn(pid, "/bin/sh", &fa, &attr, argv, environ);
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&fa);
    return -rc;
}
