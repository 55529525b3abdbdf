/*
 * Helpers shared by the hook families (ext/php_hook_*.c).
 */
#ifndef PHP_HOOK_H
#define PHP_HOOK_H

#include <poll.h>
#include <stddef.h>
#include <stdint.h>

/* poll(2) for a coroutine: fills revents as poll does and returns the
 * count of ready entries, 0 when timeout_ms elapsed (EDDY_WAIT_FOREVER: no
 * limit), or a negative engine code (EDDY_ECANCELED...). Only the calling
 * coroutine waits. Call php_coro_after_switch() after it. Defined in
 * php_hook_select.c. */
int php_hook_poll(struct pollfd *fds, size_t n, int64_t timeout_ms);

#endif /* PHP_HOOK_H */
