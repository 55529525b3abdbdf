/*
 * SWOOLE_HOOK_BLOCKING_FUNCTION: gethostbyname() resolves on the engine's
 * thread pool (eddy_resolve, as Coroutine\System::gethostbyname does), so
 * only the calling coroutine waits. Outside a coroutine, PHP's own.
 *
 * Results are PHP's: the first IPv4 address, or the name unchanged when it
 * does not resolve; a name over 255 characters is refused with PHP's
 * warning.
 */
#include <sys/socket.h>

#include "php_swoole.h"
#include "php_runtime.h"
#include "php_coroutine.h"
#include "php_coio.h"

#include "eddy/socket.h"

#define DNS_NAME_MAX 255 /* PHP's MAXFQDNLEN */
#define DNS_ADDR_MAX 64

static zif_handler orig_gethostbyname;

static ZEND_NAMED_FUNCTION(hook_gethostbyname) {
    zend_string *name;
    eddy_addr_t a;
    char host[DNS_ADDR_MAX];
    int port, n;

    if (!php_coro_in()) {
        orig_gethostbyname(INTERNAL_FUNCTION_PARAM_PASSTHRU);
        return;
    }
    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_PATH_STR(name)
    ZEND_PARSE_PARAMETERS_END();
    if (ZSTR_LEN(name) > DNS_NAME_MAX) {
        php_error_docref(NULL, E_WARNING, "Host name cannot be longer than %d characters", DNS_NAME_MAX);
        RETURN_FALSE;
    }
    n = eddy_resolve(ZSTR_VAL(name), AF_INET, &a, 1, php_coio_default_timeout("dns"));
    if (!php_coro_after_switch()) {
        RETURN_THROWS();
    }
    if (n <= 0 || eddy_addr_format(&a, host, sizeof(host), &port) < 0) {
        RETURN_STR_COPY(name);
    }
    RETURN_STRING(host);
}

static void apply(uint32_t flags) {
    php_runtime_swap_function("gethostbyname", hook_gethostbyname, &orig_gethostbyname,
                              (flags & PHP_HOOK_BLOCKING_FUNCTION) != 0);
}

void php_hook_dns_minit(void) {
    php_runtime_register(PHP_HOOK_BLOCKING_FUNCTION, apply);
}
