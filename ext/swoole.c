/*
 * The swoole module: entry, lifecycle hooks, version constants, phpinfo()
 * and the global functions that belong to no class family.
 *
 * The module is named "swoole" so code that checks extension_loaded('swoole')
 * or requires ext-swoole runs unchanged; it reports the Swoole API level it
 * implements as its version, and says what it really is in phpinfo() and
 * EDDY_VERSION.
 */
#include <unistd.h>

#include "php_swoole.h"
#include "eddy/loop.h"
#include "php_coroutine.h"
#include "php_coio.h"
#include "php_channel.h"
#include "php_timer.h"
#include "php_http.h"
#include "php_runtime.h"
#include "php_http_client.h"
#include "php_co_http_server.h"
#include "php_websocket.h"
#include "php_process.h"
#include "ext/standard/info.h"
#include "swoole_arginfo.h"

ZEND_DECLARE_MODULE_GLOBALS(swoole)

#if defined(EDDY_CONTEXT_ASM)
#define CONTEXT_SWITCH "assembly"
#else
#define CONTEXT_SWITCH "ucontext"
#endif

#ifdef EDDY_DEBUG
#define SWOOLE_DEBUG_FLAG 1
#else
#define SWOOLE_DEBUG_FLAG 0
#endif

static void register_version_constants(int module_number) {
    REGISTER_STRING_CONSTANT("SWOOLE_VERSION", SWOOLE_VERSION, CONST_CS | CONST_PERSISTENT);
    REGISTER_LONG_CONSTANT("SWOOLE_VERSION_ID", SWOOLE_VERSION_ID, CONST_CS | CONST_PERSISTENT);
    REGISTER_LONG_CONSTANT("SWOOLE_MAJOR_VERSION", SWOOLE_MAJOR_VERSION,
                           CONST_CS | CONST_PERSISTENT);
    REGISTER_LONG_CONSTANT("SWOOLE_MINOR_VERSION", SWOOLE_MINOR_VERSION,
                           CONST_CS | CONST_PERSISTENT);
    REGISTER_LONG_CONSTANT("SWOOLE_RELEASE_VERSION", SWOOLE_RELEASE_VERSION,
                           CONST_CS | CONST_PERSISTENT);
    REGISTER_STRING_CONSTANT("SWOOLE_EXTRA_VERSION", SWOOLE_EXTRA_VERSION,
                             CONST_CS | CONST_PERSISTENT);
    REGISTER_BOOL_CONSTANT("SWOOLE_DEBUG", SWOOLE_DEBUG_FLAG, CONST_CS | CONST_PERSISTENT);
    REGISTER_STRING_CONSTANT("EDDY_VERSION", EDDY_VERSION, CONST_CS | CONST_PERSISTENT);
}

/* ---- lifecycle ------------------------------------------------------------ */

static PHP_GINIT_FUNCTION(swoole) {
#if defined(COMPILE_DL_SWOOLE) && defined(ZTS)
    ZEND_TSRMLS_CACHE_UPDATE();
#endif
    memset(swoole_globals, 0, sizeof(*swoole_globals));
}

static PHP_MINIT_FUNCTION(swoole) {
    register_version_constants(module_number);
    php_swoole_error_minit(module_number);
    php_swoole_coroutine_minit(module_number);
    php_swoole_socket_minit(module_number);
    php_swoole_client_minit(module_number);
    php_swoole_coserver_minit(module_number);
    php_swoole_system_minit(module_number);
    php_swoole_channel_minit(module_number);
    php_swoole_wait_group_minit(module_number);
    php_swoole_timer_minit(module_number);
    php_swoole_event_minit(module_number);
    php_swoole_server_minit(module_number);
    php_swoole_process_minit(module_number);
    php_swoole_http_minit(module_number); /* after Swoole\Server, its parent */
    php_swoole_co_http_server_minit(module_number); /* uses the Http\Request / Response classes */
    php_swoole_websocket_minit(module_number); /* after Swoole\Http\Server, its parent */
    php_swoole_runtime_minit(module_number);
    php_swoole_http_client_minit(module_number); /* last: see php_http_client.h */
    return SUCCESS;
}

static PHP_MSHUTDOWN_FUNCTION(swoole) {
    php_swoole_runtime_mshutdown(); /* PHP's functions and transports back */
    /* PHP unloads swoole.so after this: no pool thread may still be running
     * our code (a getaddrinfo() returning into an unmapped library). */
    eddy_work_pool_shutdown();
    return SUCCESS;
}

/* A request starts with no error, as a fresh process would. */
static PHP_RINIT_FUNCTION(swoole) {
#if defined(COMPILE_DL_SWOOLE) && defined(ZTS)
    ZEND_TSRMLS_CACHE_UPDATE();
#endif
    php_swoole_set_error(0);
    return SUCCESS;
}

static PHP_RSHUTDOWN_FUNCTION(swoole) {
    php_swoole_coroutine_rshutdown();
    php_swoole_timer_rshutdown();
    php_swoole_event_rshutdown();
    php_swoole_process_rshutdown(); /* Process::signal handlers, addProcess' objects */
    return SUCCESS;
}

static PHP_MINFO_FUNCTION(swoole) {
    php_info_print_table_start();
    php_info_print_table_header(2, "swoole support", "enabled");
    php_info_print_table_row(2, "Implementation", "eddy (Swoole-compatible engine)");
    php_info_print_table_row(2, "eddy version", EDDY_VERSION);
    php_info_print_table_row(2, "Swoole API version", SWOOLE_VERSION);
    php_info_print_table_row(2, "Coroutine context switch", CONTEXT_SWITCH);
    php_info_print_table_end();
}

/* ---- functions ------------------------------------------------------------ */

PHP_FUNCTION(swoole_version) {
    ZEND_PARSE_PARAMETERS_NONE();
    RETURN_STRING(SWOOLE_VERSION);
}

/* Online CPUs, as Swoole counts them (sysconf, not the affinity mask). */
PHP_FUNCTION(swoole_cpu_num) {
    long n;
    ZEND_PARSE_PARAMETERS_NONE();
    n = sysconf(_SC_NPROCESSORS_ONLN);
    RETURN_LONG(n < 1 ? 1 : n);
}

/* The process title is the cli SAPI's business: it alone knows where argv
 * lives. Swoole does the same, through cli_set_process_title(). */
PHP_FUNCTION(swoole_set_process_name) {
    zend_string *name;
    zval func, arg, ret;

    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_STR(name)
    ZEND_PARSE_PARAMETERS_END();

    if (!zend_hash_str_exists(EG(function_table), ZEND_STRL("cli_set_process_title"))) {
        php_error_docref(NULL, E_WARNING, "Setting the process name requires the cli SAPI");
        RETURN_FALSE;
    }
    ZVAL_STRINGL(&func, "cli_set_process_title", sizeof("cli_set_process_title") - 1);
    ZVAL_STR(&arg, name);
    if (call_user_function(NULL, NULL, &func, &ret, 1, &arg) != SUCCESS) {
        zval_ptr_dtor(&func);
        RETURN_FALSE;
    }
    zval_ptr_dtor(&func);
    RETVAL_BOOL(zend_is_true(&ret));
    zval_ptr_dtor(&ret);
}

/* ---- module entry ---------------------------------------------------------- */

zend_module_entry swoole_module_entry = {
    STANDARD_MODULE_HEADER,
    "swoole",
    ext_functions,
    PHP_MINIT(swoole),
    PHP_MSHUTDOWN(swoole),
    PHP_RINIT(swoole),
    PHP_RSHUTDOWN(swoole),
    PHP_MINFO(swoole),
    PHP_SWOOLE_VERSION,
    PHP_MODULE_GLOBALS(swoole),
    PHP_GINIT(swoole),
    NULL,
    NULL,
    STANDARD_MODULE_PROPERTIES_EX,
};

#ifdef COMPILE_DL_SWOOLE
#ifdef ZTS
ZEND_TSRMLS_CACHE_DEFINE()
#endif
ZEND_GET_MODULE(swoole)
#endif
