/*
 * Swoole\Runtime: the hook switch (ext/php_runtime.c) and the hook families
 * it turns on and off (ext/php_hook_*.c).
 *
 * One process-wide set of flags (SWOOLE_HOOK_*) decides which hooks are
 * installed. Every path that changes it -- Runtime::enableCoroutine(),
 * Runtime::setHookFlags(), Coroutine::set(['hook_flags' => ...]) and the
 * servers' 'hook_flags' option -- goes through php_runtime_set_flags().
 *
 * A family installs its hook when one of its bits turns on and restores
 * PHP's original when they all turn off. An installed hook changes nothing
 * outside a coroutine: there it calls the original.
 */
#ifndef PHP_RUNTIME_H
#define PHP_RUNTIME_H

#include <stdbool.h>
#include <stdint.h>

#include "php.h"

/* Swoole's SWOOLE_HOOK_* values. */
#define PHP_HOOK_TCP (1u << 1)
#define PHP_HOOK_UDP (1u << 2)
#define PHP_HOOK_UNIX (1u << 3)
#define PHP_HOOK_UDG (1u << 4)
#define PHP_HOOK_SSL (1u << 5)
#define PHP_HOOK_TLS (1u << 6)
#define PHP_HOOK_STREAM_FUNCTION (1u << 7) /* also SWOOLE_HOOK_STREAM_SELECT */
#define PHP_HOOK_FILE (1u << 8)
#define PHP_HOOK_SLEEP (1u << 9)
#define PHP_HOOK_PROC (1u << 10)
#define PHP_HOOK_CURL (1u << 11)
#define PHP_HOOK_NATIVE_CURL (1u << 12)
#define PHP_HOOK_BLOCKING_FUNCTION (1u << 13)
#define PHP_HOOK_SOCKETS (1u << 14)
#define PHP_HOOK_STDIO (1u << 15)
/* Swoole 5.1: everything but the old curl hook, which NATIVE_CURL replaces. */
#define PHP_HOOK_ALL (0x7fffffffu ^ PHP_HOOK_CURL)

/* Called with the new flags when a family's bits changed. */
typedef void (*php_hook_apply_fn)(uint32_t flags);

/* ---- lifecycle (ext/swoole.c) --------------------------------------------- */

void php_swoole_runtime_minit(int module_number);
/* Turns every hook off (the originals back) before PHP unloads us. */
void php_swoole_runtime_mshutdown(void);

/* ---- the switch ----------------------------------------------------------- */

/* Registers a family owning the bits in `mask`; `apply` runs with the new
 * flags whenever a bit of `mask` changes (all start off). MINIT only. */
void php_runtime_register(uint32_t mask, php_hook_apply_fn apply);
/* Sets the process's hook flags; bits no family implements are kept (so
 * getHookFlags() returns them). */
void php_runtime_set_flags(uint32_t flags);
uint32_t php_runtime_flags(void);
/* True when a hook of `bits` should act now: a flag is on and the caller
 * runs in a coroutine. */
bool php_runtime_active(uint32_t bits);

/* Replaces the handler of the internal function `name` (when `on`) or puts
 * the saved original back; *orig keeps the original across calls. False if
 * PHP has no such function (its extension is not loaded). */
bool php_runtime_swap_function(const char *name, zif_handler hook, zif_handler *orig, bool on);

/* ---- families (each file's MINIT registers itself) ----------------------- */

void php_hook_stream_minit(void);  /* php_hook_stream.c: TCP UDP UNIX UDG */
void php_hook_select_minit(void);  /* php_hook_select.c: STREAM_FUNCTION */
void php_hook_sleep_minit(void);   /* php_hook_sleep.c: SLEEP */
void php_hook_dns_minit(void);     /* php_hook_dns.c: BLOCKING_FUNCTION */
void php_hook_stdio_minit(void);   /* php_hook_stdio.c: FILE PROC STDIO */
void php_hook_stdio_mshutdown(void);
void php_hook_proc_minit(void);    /* php_hook_proc.c: PROC (proc_open, shell_exec) */
void php_hook_sockets_minit(void); /* php_hook_sockets.c: SOCKETS */
void php_hook_curl_minit(void);    /* php_hook_curl.c: CURL NATIVE_CURL */
void php_hook_ssl_minit(void);     /* php_hook_ssl.c: SSL TLS */

#endif /* PHP_RUNTIME_H */
