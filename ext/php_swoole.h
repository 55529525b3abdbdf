/*
 * eddy's PHP extension, loaded under the module name "swoole".
 *
 * Shared by every ext/<family>.c: the version it reports, the per-process "last
 * error" behind swoole_last_error(), and the mapping from engine return codes
 * to the numbers PHP code sees. One .c per class family registers its class
 * from MINIT through a php_swoole_<family>_minit() declared here.
 */
#ifndef PHP_SWOOLE_H
#define PHP_SWOOLE_H

#ifdef HAVE_CONFIG_H
#include "config.h" /* COMPILE_DL_SWOOLE, from configure */
#endif

#include "php.h"

/* ---- versions ---------------------------------------------------------- */

/* The Swoole API level eddy implements: what SWOOLE_VERSION, swoole_version()
 * and phpversion('swoole') report, so code that checks for Swoole >= 5.1 runs. */
#define SWOOLE_MAJOR_VERSION 5
#define SWOOLE_MINOR_VERSION 1
#define SWOOLE_RELEASE_VERSION 0
#define SWOOLE_EXTRA_VERSION ""
#define SWOOLE_VERSION "5.1.0"
#define SWOOLE_VERSION_ID 50100

/* What this is really: eddy's own version (EDDY_VERSION, phpinfo()). */
#define EDDY_VERSION "0.1.0"

#define PHP_SWOOLE_VERSION SWOOLE_VERSION

extern zend_module_entry swoole_module_entry;
#define phpext_swoole_ptr &swoole_module_entry

/* ---- per-process state --------------------------------------------------- */

/* Everything the extension keeps per process lives here (STYLE.md rule 6).
 * Reset at the start of each request. */
ZEND_BEGIN_MODULE_GLOBALS(swoole)
    int last_error; /* Swoole error code or errno; 0 = none */
ZEND_END_MODULE_GLOBALS(swoole)

ZEND_EXTERN_MODULE_GLOBALS(swoole)
#define SWOOLE_G(v) ZEND_MODULE_GLOBALS_ACCESSOR(swoole, v)

/* ---- errors -------------------------------------------------------------- */

/* swoole_strerror() error types, numbered as Swoole's SWOOLE_STRERROR_*. */
#define PHP_SWOOLE_STRERROR_SYSTEM 0 /* errno, or a Swoole code in its range */
#define PHP_SWOOLE_STRERROR_GAI 1    /* getaddrinfo() EAI_* codes */
#define PHP_SWOOLE_STRERROR_DNS 2    /* h_errno codes */
#define PHP_SWOOLE_STRERROR_SWOOLE 9 /* Swoole's table only */

/* Records `code` (a positive Swoole error code or errno, 0 to clear) as the
 * value swoole_last_error() returns. */
/* Whether the Co\ short names are registered (ini swoole.use_shortname,
 * on by default as in Swoole). Defined in php_coroutine_api.c, which owns
 * the ini entry. */
bool php_swoole_use_shortname(void);

static inline void php_swoole_set_error(int code) {
    SWOOLE_G(last_error) = code;
}

/* Engine calls return 0, a size, or a negative code: -errno, or a Swoole
 * SWOOLE_ERROR_* number negated (include/eddy/base.h). Both map to the
 * positive number PHP code expects by negation, so no table is needed.
 * Non-negative results mean success and map to 0. The channel results
 * (EDDY_ECHAN_*) are not Swoole errors; Channel maps them to its errCode. */
static inline int php_swoole_error_from_engine(int rc) {
    return rc < 0 ? -rc : 0;
}

/* Sets the last error from an engine return code; returns `rc` unchanged so
 * a call can be wrapped: if (php_swoole_check(eddy_x(...)) < 0) ... */
static inline int php_swoole_check(int rc) {
    if (rc < 0) {
        php_swoole_set_error(php_swoole_error_from_engine(rc));
    }
    return rc;
}

/* Message for a Swoole error code, or NULL when `code` is not one. */
const char *php_swoole_error_message(int code);
/* Message as swoole_strerror($code, $type) returns it. Never NULL. */
const char *php_swoole_strerror(int code, int type, char *buf, size_t len);

/* ---- MINIT hooks, one per family (ext/<family>.c) ------------------------ */

void php_swoole_error_minit(int module_number);
/* Swoole\Server, ext/php_server.c */
void php_swoole_server_minit(int module_number);

#endif /* PHP_SWOOLE_H */
