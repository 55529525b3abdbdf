/*
 * Private to ext/php_coroutine*.c: the PHP state of one coroutine and the
 * extension's coroutine globals.
 */
#ifndef PHP_COROUTINE_INT_H
#define PHP_COROUTINE_INT_H

#include "php.h"
#include "zend_fibers.h"
#include "main/php_output.h"

#include "eddy/coro.h"

/* The executor state that belongs to one context (a coroutine or the root),
 * as zend_fibers.c captures it for a Fiber, plus the error-handling mode. */
typedef struct {
    zend_vm_stack vm_stack;
    zval *vm_stack_top;
    zval *vm_stack_end;
    size_t vm_stack_page_size;
    zend_execute_data *execute_data;
    int error_reporting;
    uint32_t jit_trace_num;
    JMP_BUF *bailout;
    zend_fiber *active_fiber;
    zend_fiber_context *fiber_context;
    zend_error_handling_t error_handling;
    zend_class_entry *exception_class;
    /* Output buffers (ob_start()) are per context, as in Swoole: moved out
     * of OG() when it switches away with any open, moved back in on return. */
    zend_stack og_handlers;
    php_output_handler *og_active;
    bool og_saved;
} php_coro_vm_t;

typedef struct php_coro_s php_coro_t;

struct php_coro_s {
    int64_t cid;
    eddy_coro_t *co;
    php_coro_vm_t vm;            /* saved while switched away */
    zend_fiber_context fiber;    /* its identity for fiber observers */
    zval callable;               /* keeps the callable alive for fcc */
    zend_fcall_info_cache fcc;
    zval *argv;
    uint32_t argc;
    zval retval;
    zend_object *context;        /* Swoole\Coroutine\Context, made on demand */
    zval *defers;                /* Coroutine::defer() callables, run LIFO */
    uint32_t ndefers, defers_cap;
    bool user_yield;             /* suspended in Coroutine::yield() */
    bool cancel_throw;           /* cancel($cid, true): throw when it runs */
    php_coro_t *prev, *next;     /* php_coro_g.head list */
};

/* All coroutine state of the extension (STYLE.md rule 6): one place. */
typedef struct {
    php_coro_vm_t root;          /* the root's state while a coroutine runs */
    php_coro_t *current;         /* the running coroutine's state; NULL: root
                                    or a coroutine without PHP state */
    php_coro_t *head;            /* live PHP coroutines, newest first */
    size_t count;
    size_t peak;
    int key;                     /* engine coroutine-local slot: php_coro_t* */
    /* Coroutine::set() */
    HashTable *options;
    zend_long max_coroutine;
    bool deadlock_check;
    /* request state */
    bool bailout;                /* a coroutine hit a fatal error */
    bool exiting;                /* a coroutine called exit() */
    bool destroying;             /* request shutdown unwinds what is left */
    int loop_depth;              /* php_coro_loop_run() nesting */
    bool shutdown_registered;    /* loop run at script end is registered */
} php_coro_globals_t;

extern php_coro_globals_t php_coro_g;
extern zend_class_entry *php_coro_context_ce;
extern zend_class_entry *php_coro_iterator_ce;
extern zend_class_entry *php_coro_canceled_ce; /* Swoole\Coroutine\CanceledException */
/* Swoole\Coroutine::create, named by the bottom frame of coroutines made from C. */
extern zend_function *php_coro_create_fn;

#define PHP_CORO_DEFAULT_MAX 100000 /* Swoole's SW_DEFAULT_MAX_CORO_NUM */

php_coro_t *php_coro_current(void);
php_coro_t *php_coro_find(int64_t cid);
/* debug_backtrace() of coroutine c, read from its saved frames; NULL or the
 * current coroutine: the caller's own backtrace. */
void php_coro_backtrace(php_coro_t *c, zval *out, int options, int limit);
void php_coro_deadlock_report(void);
void php_coro_apply_defaults(void);

#endif /* PHP_COROUTINE_INT_H */
