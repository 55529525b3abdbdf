/*
 * PHP coroutines, the core: per-coroutine executor state swapped by the
 * engine's switch hook, fiber observer notifications, the coroutine entry,
 * fatal errors and exit() inside coroutines, and request shutdown.
 *
 * Why a switch hook: switches also happen deep inside the engine (a channel
 * push waking a consumer, a timer resuming a sleeper from the loop), where no
 * PHP code of ours runs. The hook saves the executor state of the context
 * being left and installs the one being entered, so every context always
 * runs with its own VM stack, current_execute_data and bailout buffer.
 *
 * Fatal errors: E_ERROR longjmps to EG(bailout), which inside a coroutine is
 * the zend_try of its entry. The coroutine ends there, marks the request as
 * bailing out and stops the loop; every other coroutine that runs again is
 * made to unwind (an unwind_exit thrown into it, as PHP does to kill a Fiber),
 * and the root re-raises zend_bailout() once it is back in one of our calls,
 * so PHP shuts down as after any fatal error. exit() inside a coroutine is an
 * unwind_exit; it ends the script the same way with the exit status kept.
 */
#include <string.h>

#include "php_swoole.h"
#include "php_coroutine.h"
#include "php_coroutine_int.h"

#include "zend_builtin_functions.h"
#include "zend_exceptions.h"
#include "zend_observer.h"

#include "eddy/loop.h"

php_coro_globals_t php_coro_g;
#define G php_coro_g

/* Marks zend_fiber_context structs that belong to eddy coroutines. */
static const char coro_fiber_kind = 'e';

/* A coroutine's VM stack page: Swoole's size, half a Fiber's; grows by
 * chained pages like any VM stack. */
#define CORO_VM_STACK_SIZE (8 * 1024)

/* ---- executor state ------------------------------------------------------ */

static void save_vm(php_coro_vm_t *vm) {
    vm->vm_stack = EG(vm_stack);
    vm->vm_stack_top = EG(vm_stack_top);
    vm->vm_stack_end = EG(vm_stack_end);
    vm->vm_stack_page_size = EG(vm_stack_page_size);
    vm->execute_data = EG(current_execute_data);
    vm->error_reporting = EG(error_reporting);
    vm->jit_trace_num = EG(jit_trace_num);
    vm->bailout = EG(bailout);
    vm->active_fiber = EG(active_fiber);
    vm->fiber_context = EG(current_fiber_context);
    vm->error_handling = EG(error_handling);
    vm->exception_class = EG(exception_class);
}

static void load_vm(const php_coro_vm_t *vm) {
    EG(vm_stack) = vm->vm_stack;
    EG(vm_stack_top) = vm->vm_stack_top;
    EG(vm_stack_end) = vm->vm_stack_end;
    EG(vm_stack_page_size) = vm->vm_stack_page_size;
    EG(current_execute_data) = vm->execute_data;
    EG(error_reporting) = vm->error_reporting;
    EG(jit_trace_num) = vm->jit_trace_num;
    EG(bailout) = vm->bailout;
    EG(active_fiber) = vm->active_fiber;
    EG(current_fiber_context) = vm->fiber_context;
    EG(error_handling) = vm->error_handling;
    EG(exception_class) = vm->exception_class;
}

/* Output buffering per context: a context that switches away with buffers
 * open takes its stack of handlers along, leaving OG() empty for the next
 * one, so ob_start() in one coroutine never captures another's output. */
static void save_og(php_coro_vm_t *vm) {
    if (zend_stack_count(&OG(handlers)) == 0) {
        return;
    }
    vm->og_handlers = OG(handlers);
    vm->og_active = OG(active);
    vm->og_saved = true;
    zend_stack_init(&OG(handlers), sizeof(php_output_handler *));
    OG(active) = NULL;
}

static void load_og(php_coro_vm_t *vm) {
    if (!vm->og_saved) {
        return;
    }
    zend_stack_destroy(&OG(handlers)); /* empty: its owner saved or ended it */
    OG(handlers) = vm->og_handlers;
    OG(active) = vm->og_active;
    vm->og_saved = false;
}

/* A coroutine's buffers when it ends: flushed, as Swoole does. */
static void end_og(void) {
    if (zend_stack_count(&OG(handlers)) > 0) {
        php_output_end_all();
    }
}

/* Buffers of a coroutine dropped without running again: freed unflushed,
 * since no user code (output callbacks) may run for it. */
static void free_og(php_coro_vm_t *vm) {
    php_output_handler **h;

    if (!vm->og_saved) {
        return;
    }
    while ((h = zend_stack_top(&vm->og_handlers)) != NULL) {
        php_output_handler_free(h);
        zend_stack_del_top(&vm->og_handlers);
    }
    zend_stack_destroy(&vm->og_handlers);
    vm->og_saved = false;
}

/* Statuses are kept for our contexts and the main one only: a PHP Fiber's
 * status is the Fiber's business (it checks it before resuming). */
static bool owns_status(const zend_fiber_context *ctx) {
    return ctx->kind == &coro_fiber_kind || ctx == EG(main_fiber_context);
}

/* Tells fiber observers (Xdebug keeps one stack per context) that `to` runs
 * now. Observers look at the statuses before they change, as in
 * zend_fiber_switch_context(): INIT means a new stack, DEAD a finished one. */
static void notify_switch(zend_fiber_context *from, zend_fiber_context *to) {
    if (!from || !to || from == to) {
        return;
    }
    zend_observer_fiber_switch_notify(from, to);
    if (owns_status(from) && from->status == ZEND_FIBER_STATUS_RUNNING) {
        from->status = ZEND_FIBER_STATUS_SUSPENDED;
    }
    if (owns_status(to)) {
        to->status = ZEND_FIBER_STATUS_RUNNING;
    }
}

/* G.current mirrors the engine's current coroutine (its PHP state), kept
 * by the switch hook: asking the engine costs a thread-local lookup
 * (__tls_get_addr from a shared object), several per switch otherwise. */
php_coro_t *php_coro_current(void) {
    return G.current;
}

php_coro_t *php_coro_find(int64_t cid) {
    eddy_coro_t *co = eddy_coro_get(cid);
    return co ? eddy_coro_get_local(co, G.key) : NULL;
}

/* An unwind_exit thrown into a coroutine that runs again while the script is
 * ending: its frames unwind (no finally, as for exit()) and it ends. */
static void kill_if_ending(void) {
    if ((G.bailout || G.exiting || G.destroying) && !EG(exception)) {
        zend_throw_unwind_exit();
    }
}

/* The engine calls this right before every switch; NULL is the root. A
 * coroutine without PHP state (just created, finished, or a C-only one) has
 * nothing to save, and a new one builds its own state in coro_main(). */
static void switch_hook(eddy_coro_t *from, eddy_coro_t *to) {
    php_coro_t *src = from ? G.current : NULL;
    php_coro_t *dst = to ? eddy_coro_get_local(to, G.key) : NULL;
    php_coro_vm_t *next;

    if (!from) {
        save_vm(&G.root);
        save_og(&G.root);
    } else if (src) {
        save_vm(&src->vm);
        save_og(&src->vm);
    }
    G.current = dst;
    if (to && !dst) {
        return;
    }
    next = dst ? &dst->vm : &G.root;
    notify_switch(EG(current_fiber_context), next->fiber_context);
    load_vm(next);
    load_og(next);
    if (dst) {
        kill_if_ending();
        if (dst->cancel_throw && !EG(exception)) {
            dst->cancel_throw = false;
            zend_throw_exception(php_coro_canceled_ce, "the coroutine was canceled",
                                 -EDDY_ECANCELED);
        }
    }
}

/* ---- the coroutine entry ------------------------------------------------- */

typedef struct {
    zend_fcall_info_cache *fcc;
    zval *callable;
    uint32_t argc;
    zval *argv;
} create_args_t;

static php_coro_t *coro_new(const create_args_t *a) {
    php_coro_t *c = ecalloc(1, sizeof(*c));
    uint32_t i;

    c->co = eddy_coro_current();
    c->cid = eddy_coro_id(c->co);
    ZVAL_COPY(&c->callable, a->callable);
    c->fcc = *a->fcc;
    c->argc = a->argc;
    if (a->argc) {
        c->argv = safe_emalloc(a->argc, sizeof(zval), 0);
        for (i = 0; i < a->argc; i++) {
            ZVAL_COPY(&c->argv[i], &a->argv[i]);
        }
    }
    ZVAL_UNDEF(&c->retval);
    eddy_coro_set_local(c->co, G.key, c);
    G.current = c;

    c->next = G.head;
    if (G.head) {
        G.head->prev = c;
    }
    G.head = c;
    if (++G.count > G.peak) {
        G.peak = G.count;
    }
    return c;
}

/* Fresh executor state on a new VM stack. The bottom frame is a placeholder
 * that belongs to the function that created the coroutine (go(), create()),
 * as Swoole does, so backtraces end inside the coroutine, not its parent. */
static void coro_vm_init(php_coro_t *c, zend_function *creator) {
    zend_vm_stack stack = zend_vm_stack_new_page(CORO_VM_STACK_SIZE, NULL);
    zend_execute_data *bottom;

    c->fiber.kind = (void *) &coro_fiber_kind;
    c->fiber.status = ZEND_FIBER_STATUS_INIT;
    zend_observer_fiber_init_notify(&c->fiber);
    notify_switch(EG(current_fiber_context), &c->fiber);

    EG(vm_stack) = stack;
    EG(vm_stack_top) = stack->top;
    EG(vm_stack_end) = stack->end;
    EG(vm_stack_page_size) = CORO_VM_STACK_SIZE;
    bottom = (zend_execute_data *) EG(vm_stack_top);
    memset(bottom, 0, sizeof(*bottom));
    bottom->func = creator;
    EG(vm_stack_top) += ZEND_CALL_FRAME_SLOT;
    EG(current_execute_data) = bottom;
    EG(jit_trace_num) = 0;
    EG(active_fiber) = NULL;
    EG(current_fiber_context) = &c->fiber;
    EG(error_handling) = EH_NORMAL;
    EG(exception_class) = NULL;
}

/* An exception that left the coroutine: exit() ends the script, anything
 * else is reported as PHP reports an uncaught exception (E_ERROR), then we
 * bail out to coro_main(). */
static void coro_catch(void) {
    if (!zend_is_unwind_exit(EG(exception))) {
        /* PHP 8 reports with E_DONT_BAIL and leaves ending the script to its
         * caller: here that is us, so bail out as the main script would. */
        zend_exception_error(EG(exception), E_ERROR);
        zend_bailout();
    }
    if (!G.bailout && !G.exiting && !G.destroying) {
        G.exiting = true;
        if (G.loop_depth > 0) { /* else a stale stop would cut a later run short */
            eddy_loop_stop(eddy_loop_default());
        }
    }
    zend_clear_exception();
}

/* Defer callbacks get the coroutine's return value, as in Swoole. */
static void coro_run_defers(php_coro_t *c) {
    while (c->ndefers && !G.exiting && !G.destroying) {
        zval fn, ret;
        zend_fcall_info fci = {0};

        fn = c->defers[--c->ndefers];
        fci.size = sizeof(fci);
        ZVAL_COPY_VALUE(&fci.function_name, &fn);
        fci.retval = &ret;
        fci.param_count = Z_ISUNDEF(c->retval) ? 0 : 1;
        fci.params = &c->retval;
        ZVAL_UNDEF(&ret);
        zend_call_function(&fci, NULL);
        zval_ptr_dtor(&ret);
        zval_ptr_dtor(&fn);
        if (EG(exception)) {
            coro_catch();
        }
    }
}

static void coro_run(php_coro_t *c) {
    zend_fcall_info fci = {0};

    if (G.bailout || G.exiting || G.destroying) {
        return;
    }
    fci.size = sizeof(fci);
    ZVAL_COPY_VALUE(&fci.function_name, &c->callable);
    fci.retval = &c->retval;
    fci.params = c->argv;
    fci.param_count = c->argc;
    zend_call_function(&fci, &c->fcc);
    if (EG(exception)) {
        coro_catch();
    }
    coro_run_defers(c);
    if (c->context) {
        zend_object *ctx = c->context;
        c->context = NULL;
        OBJ_RELEASE(ctx);
    }
    if (EG(exception)) {
        coro_catch();
    }
}

/* Drops what the coroutine holds. After a fatal error nothing is released:
 * releasing could run destructors, and PHP runs no user code after a fatal
 * error either; the request's memory goes at once at shutdown. */
static void coro_release(php_coro_t *c) {
    uint32_t i;

    if (!G.bailout) {
        for (i = 0; i < c->ndefers; i++) {
            zval_ptr_dtor(&c->defers[i]);
        }
        for (i = 0; i < c->argc; i++) {
            zval_ptr_dtor(&c->argv[i]);
        }
        zval_ptr_dtor(&c->retval);
        zval_ptr_dtor(&c->callable);
        if (c->context) {
            OBJ_RELEASE(c->context);
        }
    }
    if (c->defers) {
        efree(c->defers);
    }
    if (c->argv) {
        efree(c->argv);
    }
}

static void coro_unlink(php_coro_t *c) {
    if (c->prev) {
        c->prev->next = c->next;
    } else {
        G.head = c->next;
    }
    if (c->next) {
        c->next->prev = c->prev;
    }
    G.count--;
    eddy_coro_set_local(c->co, G.key, NULL);
}

/* Ends the coroutine's PHP life while still on its stack, then leaves the
 * root's state installed: the switch hook finds no state to save for it. */
static void coro_finish(php_coro_t *c) {
    zend_try {
        end_og(); /* output callbacks may fail: the coroutine ends anyway */
    } zend_catch {
        G.bailout = true;
    } zend_end_try();
    coro_release(c);
    zend_vm_stack_destroy();
    c->fiber.status = ZEND_FIBER_STATUS_DEAD;
    notify_switch(EG(current_fiber_context), G.root.fiber_context);
    zend_observer_fiber_destroy_notify(&c->fiber);
    load_vm(&G.root);
    coro_unlink(c);
    G.current = NULL; /* the final switch has no PHP state to save */
    efree(c);
    if ((G.bailout || G.exiting) && G.loop_depth > 0) {
        eddy_loop_stop(eddy_loop_default());
    }
}

static zend_function *creator_func;
zend_function *php_coro_create_fn;

static void coro_main(void *arg) {
    php_coro_t *c = coro_new(arg);

    coro_vm_init(c, creator_func);
    zend_try {
        coro_run(c);
    } zend_catch {
        G.bailout = true;
    } zend_end_try();
    coro_finish(c);
}

/* Wakes a coroutine so that it unwinds (the switch hook throws unwind_exit
 * into it): out of yield by resume, out of any engine wait by cancel. */
static bool coro_wake_to_unwind(php_coro_t *c) {
    int64_t cid = c->cid;

    if (eddy_coro_resume(c->co) == 0) {
        return true;
    }
    if (eddy_coro_cancel(cid) == 0) {
        return true;
    }
    return php_coro_find(cid) != c;
}

/* Ends a coroutine that must not run PHP code again: its frames are dropped
 * with its VM stack, as PHP drops them after a fatal error, and the engine
 * coroutine is killed, so nothing (a socket closed, a channel push, a timer)
 * can wake it into the freed state later. */
static void coro_drop(php_coro_t *c) {
    zend_vm_stack current = EG(vm_stack);
    int64_t cid = c->cid;

    EG(vm_stack) = c->vm.vm_stack;
    zend_vm_stack_destroy();
    EG(vm_stack) = current;
    c->fiber.status = ZEND_FIBER_STATUS_DEAD;
    zend_observer_fiber_destroy_notify(&c->fiber);
    free_og(&c->vm);
    coro_unlink(c);
    /* Only fails for a coroutine on the current chain of callers, which
     * this is never called with: we run in the root. */
    eddy_coro_kill(cid);
    if (c->defers) {
        efree(c->defers);
    }
    if (c->argv) {
        efree(c->argv);
    }
    efree(c);
}

/* Ends every coroutine left, from the root: each is made to unwind (woken
 * with unwind_exit thrown into it, see kill_if_ending) unless `drop`, or
 * when it cannot be woken, or does not end when woken; those are dropped. */
static void coro_end_all(bool drop) {
    while (G.head) {
        php_coro_t *c = G.head;

        if (drop || !coro_wake_to_unwind(c)) {
            coro_drop(c);
        } else if (G.head == c) {
            coro_drop(c); /* woke but did not end: give up on it */
        }
        if (EG(exception)) {
            zend_clear_exception();
        }
    }
}

/* ---- API for the extension ----------------------------------------------- */

zend_class_entry *php_swoole_error_ce;

bool php_coro_in(void) {
    return php_coro_current() != NULL;
}

bool php_coro_require(void) {
    if (php_coro_in()) {
        return true;
    }
    php_swoole_set_error(-EDDY_ECO_OUT_OF_COROUTINE);
    zend_throw_exception(php_swoole_error_ce, "API must be called in the coroutine",
                         -EDDY_ECO_OUT_OF_COROUTINE);
    return false;
}

bool php_coro_after_switch(void) {
    if (php_coro_in()) {
        kill_if_ending();
        return !EG(exception);
    }
    if (G.loop_depth > 0 && !G.destroying) {
        return true; /* the loop returns first; php_coro_loop_run() decides */
    }
    if (G.bailout) {
        /* The fatal error ends the script: the other coroutines are dropped
         * now, not at request shutdown, so that the loop a shutdown function
         * may run cannot bring them back to life. */
        coro_end_all(true);
        G.bailout = false;
        zend_bailout();
    }
    if (G.exiting) {
        coro_end_all(false); /* they unwind, as the main script does */
        G.exiting = false;
        if (!EG(exception)) {
            zend_throw_unwind_exit();
        }
        return false;
    }
    return true;
}

int64_t php_coro_create(zend_fcall_info_cache *fcc, zval *callable, uint32_t argc,
                        zval *argv) {
    create_args_t args = {fcc, callable, argc, argv};
    zend_execute_data *ex = EG(current_execute_data);
    int64_t cid;

    if (G.count >= (size_t) G.max_coroutine) {
        php_swoole_set_error(-EDDY_ECO_OUT_OF_COROUTINE);
        php_error_docref(NULL, E_WARNING, "exceed max number of coroutine %zu", G.count);
        return -1;
    }
    /* The placeholder frame names the creating internal function when there
     * is one (go(), create(), run()), else Coroutine::create. */
    creator_func = ex && ex->func && ex->func->type == ZEND_INTERNAL_FUNCTION
                       ? ex->func
                       : php_coro_create_fn;
    cid = eddy_coro_create(coro_main, &args);
    if (cid < 0) {
        php_swoole_check((int) cid);
        php_error_docref(NULL, E_WARNING, "cannot create a coroutine: %s",
                         eddy_strerror((int) cid));
        return -1;
    }
    php_coro_after_switch();
    return cid;
}

/* The deadlock report, in Swoole's words: a banner, then each coroutine
 * still waiting with its backtrace. */
void php_coro_deadlock_report(void) {
    php_coro_t *c;

    php_printf("\n==================================================================="
               "\n [FATAL ERROR]: all coroutines (count: %zu) are asleep - deadlock!"
               "\n===================================================================\n",
               G.count);
    for (c = G.head; c; c = c->next) {
        zval trace;
        zend_string *s;

        php_coro_backtrace(c, &trace, DEBUG_BACKTRACE_IGNORE_ARGS, 0);
        s = zend_trace_to_string(Z_ARRVAL(trace), false);
        php_printf("\n [Coroutine-%" PRId64 "]\n"
                   "--------------------------------------------------------------------\n%s",
                   c->cid, ZSTR_VAL(s));
        zend_string_release(s);
        zval_ptr_dtor(&trace);
    }
}

void php_coro_backtrace(php_coro_t *c, zval *out, int options, int limit) {
    zend_execute_data *saved = EG(current_execute_data);

    if (c && c != php_coro_current()) {
        EG(current_execute_data) = c->vm.execute_data;
        zend_fetch_debug_backtrace(out, 0, options, limit);
    } else {
        zend_fetch_debug_backtrace(out, 1, options, limit);
    }
    EG(current_execute_data) = saved;
}

int php_coro_loop_run(void) {
    int rc;

    if (php_coro_in()) {
        return EDDY_EWRONG_OP;
    }
    G.loop_depth++;
    rc = eddy_loop_run(eddy_loop_default());
    G.loop_depth--;
    if (G.loop_depth == 0 && G.count > 0 && G.deadlock_check && !G.bailout && !G.exiting &&
        !G.destroying) {
        php_coro_deadlock_report();
    }
    php_coro_after_switch();
    return rc;
}

zval *php_coro_option(const char *name) {
    return G.options ? zend_hash_str_find(G.options, name, strlen(name)) : NULL;
}

void php_coro_apply_defaults(void) {
    G.max_coroutine = PHP_CORO_DEFAULT_MAX;
    G.deadlock_check = true;
}

/* ---- request shutdown ---------------------------------------------------- */

void php_swoole_coroutine_rshutdown(void) {
    G.destroying = true;
    coro_end_all(CG(unclean_shutdown) || G.bailout);
    if (G.options) {
        zend_array_destroy(G.options);
        G.options = NULL;
    }
    G.bailout = G.exiting = G.destroying = false;
    G.loop_depth = 0;
    G.shutdown_registered = false;
    G.peak = 0;
    php_coro_apply_defaults();
}

/* ---- module init --------------------------------------------------------- */

void php_coro_api_minit(int module_number);

void php_swoole_coroutine_minit(int module_number) {
    memset(&G, 0, sizeof(G));
    G.key = eddy_coro_key_create(NULL);
    php_coro_apply_defaults();
    eddy_coro_set_switch_hook(switch_hook);
    php_coro_api_minit(module_number);
}
