/*
 * Stack overflow reporting. A coroutine that runs off its stack faults on
 * the PROT_NONE guard page below it; the SIGSEGV/SIGBUS handler below says
 * so in words instead of a bare "Segmentation fault", then aborts.
 *
 * The handler runs on an alternate signal stack (the faulting stack is
 * exhausted) and does only async-signal-safe work: it reads this thread's
 * current coroutine, formats into a local buffer and write(2)s it. Any other
 * fault goes to the handler that was installed before ours (ASan's, a
 * runtime's) or, if there was none, re-raises with the default action.
 *
 * AddressSanitizer: ASan installs its own SIGSEGV handler at start-up and
 * lets a later sigaction() replace it (allow_user_segv_handler=1, the
 * default), so ours is installed over it on the first coroutine create and
 * chains to it for faults that are not ours. ASan's per-thread alternate
 * stack is reused if present.
 */
#define _GNU_SOURCE /* REG_RSP in <ucontext.h> */
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include "coro/sched.h"

#define ALTSTACK_SIZE (64 * 1024) /* room for ASan's handler too */
/* A frame larger than the guard page can jump over it; a stack pointer this
 * close below the stack still means the coroutine overflowed. */
#define SP_SLACK (1024 * 1024)

/* Process-wide: signal dispositions are per process. */
static struct {
    pthread_once_t once;
    struct sigaction old_segv, old_bus;
} handler = {.once = PTHREAD_ONCE_INIT};

static uintptr_t fault_sp(const void *uctx) {
    const ucontext_t *uc = uctx;
#if defined(__x86_64__)
    return (uintptr_t)uc->uc_mcontext.gregs[REG_RSP];
#elif defined(__aarch64__)
    return (uintptr_t)uc->uc_mcontext.sp;
#else
    (void)uc;
    return 0;
#endif
}

static int is_overflow(const eddy_coro_t *co, uintptr_t addr, uintptr_t sp) {
    uintptr_t lo = (uintptr_t)co->stack.lo, page = eddy__stack_page_size();
    if (co->stack.guarded && addr >= lo - page && addr < lo) return 1;
    return sp != 0 && sp < lo && sp + SP_SLACK >= lo && addr < lo && addr + SP_SLACK >= sp;
}

static char *put_u64(char *p, uint64_t v) {
    char tmp[24];
    int n = 0;
    do tmp[n++] = (char)('0' + v % 10);
    while ((v /= 10) != 0);
    while (n > 0) *p++ = tmp[--n];
    return p;
}

static char *put_str(char *p, const char *s) {
    size_t n = strlen(s);
    memcpy(p, s, n);
    return p + n;
}

static void report(const eddy_coro_t *co) {
    char buf[256], *p = buf;
    p = put_str(p, "eddy: stack overflow in coroutine #");
    p = put_u64(p, (uint64_t)co->id);
    p = put_str(p, " (stack size ");
    p = put_u64(p, co->stack.size);
    p = put_str(p, " bytes); raise it with eddy_coro_set_stack_size() / stack_size\n");
    ssize_t r = write(STDERR_FILENO, buf, (size_t)(p - buf));
    (void)r; /* nothing left to do if stderr is gone */
}

/* Not ours: hand the fault to whoever handled it before us. */
static void chain(int sig, siginfo_t *si, void *uctx) {
    struct sigaction *old = sig == SIGBUS ? &handler.old_bus : &handler.old_segv;
    if ((old->sa_flags & SA_SIGINFO) && old->sa_sigaction) {
        old->sa_sigaction(sig, si, uctx);
    } else if (old->sa_handler != SIG_DFL && old->sa_handler != SIG_IGN) {
        old->sa_handler(sig);
    } else {
        /* Returning re-executes the faulting instruction, which now gets
         * the default action (a core dump) at the right place. */
        signal(sig, SIG_DFL);
    }
}

#ifdef EDDY__CORO_ASAN
__attribute__((no_sanitize("address")))
#endif
static void on_fault(int sig, siginfo_t *si, void *uctx) {
    /* No eddy__sched here: it would allocate, in a signal handler. */
    const eddy_coro_t *co = eddy__sched_tls ? eddy__sched_tls->current : NULL;
    if (co && is_overflow(co, (uintptr_t)si->si_addr, fault_sp(uctx))) {
        report(co);
        abort();
    }
    chain(sig, si, uctx);
}

static void install(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, &handler.old_segv);
    sigaction(SIGBUS, &sa, &handler.old_bus);
}

void eddy__overflow_install(void) { pthread_once(&handler.once, install); }

void eddy__overflow_thread_init(void) {
    stack_t cur;
    if (sigaltstack(NULL, &cur) == 0 && !(cur.ss_flags & SS_DISABLE)) return;
    /* mmap, not malloc: it lives as long as the thread and must not be
     * reported as a leak. Without it, an overflow is a plain SIGSEGV. */
    void *p = mmap(NULL, ALTSTACK_SIZE, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) return;
    stack_t ss = {.ss_sp = p, .ss_size = ALTSTACK_SIZE, .ss_flags = 0};
    if (sigaltstack(&ss, NULL) != 0) munmap(p, ALTSTACK_SIZE);
}
