/*
 * Swoole\Runtime and the hook switch (see php_runtime.h).
 *
 * The flags are per process, as in Swoole: a server's hook_flags or a
 * Runtime call in one request stays in force for the next (php-fpm or the
 * cli alike). MSHUTDOWN turns everything off so PHP's function table and
 * stream transports never point into an unloaded swoole.so.
 */
#include "php_swoole.h"
#include "php_runtime.h"
#include "php_coroutine.h"

#include "runtime_arginfo.h"

#define RUNTIME_FAMILIES_MAX 16

/* This file's per-process state: the flags in force and who acts on them. */
static struct {
    uint32_t flags;
    size_t nfamilies;
    struct {
        uint32_t mask;
        php_hook_apply_fn apply;
    } families[RUNTIME_FAMILIES_MAX];
} RT;

void php_runtime_register(uint32_t mask, php_hook_apply_fn apply) {
    ZEND_ASSERT(RT.nfamilies < RUNTIME_FAMILIES_MAX);
    RT.families[RT.nfamilies].mask = mask;
    RT.families[RT.nfamilies].apply = apply;
    RT.nfamilies++;
}

uint32_t php_runtime_flags(void) {
    return RT.flags;
}

bool php_runtime_active(uint32_t bits) {
    return (RT.flags & bits) && php_coro_in();
}

void php_runtime_set_flags(uint32_t flags) {
    uint32_t old = RT.flags;

    RT.flags = flags;
    for (size_t i = 0; i < RT.nfamilies; i++) {
        if ((old ^ flags) & RT.families[i].mask) {
            RT.families[i].apply(flags);
        }
    }
}

bool php_runtime_swap_function(const char *name, zif_handler hook, zif_handler *orig, bool on) {
    zend_function *fn = zend_hash_str_find_ptr(CG(function_table), name, strlen(name));

    if (!fn || fn->type != ZEND_INTERNAL_FUNCTION) {
        return false;
    }
    if (!*orig) {
        *orig = fn->internal_function.handler;
    }
    fn->internal_function.handler = on ? hook : *orig;
    return true;
}

/* ---- Swoole\Runtime ------------------------------------------------------- */

PHP_METHOD(Swoole_Runtime, enableCoroutine) {
    bool enable = true, is_bool = false;
    zend_long flags_arg = PHP_HOOK_ALL, flags = PHP_HOOK_ALL;
    zval *first = NULL;

    ZEND_PARSE_PARAMETERS_START(0, 2)
        Z_PARAM_OPTIONAL
        Z_PARAM_ZVAL(first)
        Z_PARAM_LONG(flags_arg)
    ZEND_PARSE_PARAMETERS_END();

    if (first) {
        if (Z_TYPE_P(first) == IS_TRUE || Z_TYPE_P(first) == IS_FALSE) {
            is_bool = true;
            enable = Z_TYPE_P(first) == IS_TRUE;
        } else {
            flags = zval_get_long(first);
        }
    }
    if (is_bool) {
        flags = enable ? flags_arg : 0;
    }
    php_runtime_set_flags((uint32_t) flags);
    RETURN_TRUE;
}

PHP_METHOD(Swoole_Runtime, getHookFlags) {
    ZEND_PARSE_PARAMETERS_NONE();
    RETURN_LONG((zend_long) RT.flags);
}

PHP_METHOD(Swoole_Runtime, setHookFlags) {
    zend_long flags;

    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_LONG(flags)
    ZEND_PARSE_PARAMETERS_END();

    php_runtime_set_flags((uint32_t) flags);
    RETURN_TRUE;
}

/* ---- registration --------------------------------------------------------- */

static void register_constants(int module_number) {
    static const struct {
        const char *name;
        uint32_t value;
    } hooks[] = {
        {"SWOOLE_HOOK_TCP", PHP_HOOK_TCP},
        {"SWOOLE_HOOK_UDP", PHP_HOOK_UDP},
        {"SWOOLE_HOOK_UNIX", PHP_HOOK_UNIX},
        {"SWOOLE_HOOK_UDG", PHP_HOOK_UDG},
        {"SWOOLE_HOOK_SSL", PHP_HOOK_SSL},
        {"SWOOLE_HOOK_TLS", PHP_HOOK_TLS},
        {"SWOOLE_HOOK_STREAM_FUNCTION", PHP_HOOK_STREAM_FUNCTION},
        {"SWOOLE_HOOK_STREAM_SELECT", PHP_HOOK_STREAM_FUNCTION},
        {"SWOOLE_HOOK_FILE", PHP_HOOK_FILE},
        {"SWOOLE_HOOK_SLEEP", PHP_HOOK_SLEEP},
        {"SWOOLE_HOOK_PROC", PHP_HOOK_PROC},
        {"SWOOLE_HOOK_CURL", PHP_HOOK_CURL},
        {"SWOOLE_HOOK_NATIVE_CURL", PHP_HOOK_NATIVE_CURL},
        {"SWOOLE_HOOK_BLOCKING_FUNCTION", PHP_HOOK_BLOCKING_FUNCTION},
        {"SWOOLE_HOOK_SOCKETS", PHP_HOOK_SOCKETS},
        {"SWOOLE_HOOK_STDIO", PHP_HOOK_STDIO},
        {"SWOOLE_HOOK_ALL", PHP_HOOK_ALL},
    };

    for (size_t i = 0; i < sizeof(hooks) / sizeof(hooks[0]); i++) {
        zend_register_long_constant(hooks[i].name, strlen(hooks[i].name), (zend_long) hooks[i].value,
                                    CONST_CS | CONST_PERSISTENT, module_number);
    }
}

void php_swoole_runtime_minit(int module_number) {
    zend_class_entry *ce;

    register_constants(module_number);
    ce = register_class_Swoole_Runtime();
    (void) ce;
    php_hook_stream_minit();
    php_hook_select_minit();
    php_hook_sleep_minit();
    php_hook_dns_minit();
    php_hook_stdio_minit();
    php_hook_proc_minit();
    php_hook_sockets_minit();
    php_hook_curl_minit();
    php_hook_ssl_minit();
}

void php_swoole_runtime_mshutdown(void) {
    php_runtime_set_flags(0);
    php_hook_stdio_mshutdown();
}
