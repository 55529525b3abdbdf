/*
 * Starting /bin/sh -c for the coroutine versions of shell commands:
 * Coroutine\System::exec (php_system.c) and the shell_exec hook
 * (php_hook_proc.c).
 */
#ifndef PHP_SPAWN_H
#define PHP_SPAWN_H

#include <stdbool.h>
#include <sys/types.h>

/* Starts /bin/sh -c cmd with stdout (and stderr when err_too) on out_fd,
 * the signal mask emptied and every disposition reset to default: the
 * loop blocks the signals it watches, and a child must not inherit that.
 * 0 with *pid set, or -errno. The caller reaps the child. */
int php_spawn_sh(const char *cmd, int out_fd, bool err_too, pid_t *pid);

#endif /* PHP_SPAWN_H */
