/*
 * Private seam between the scheduler and the machine: how one execution
 * context (registers + stack pointer) is saved and another resumed.
 *
 * Two implementations, chosen by CMake:
 *   EDDY_CONTEXT_ASM       arch/switch_<arch>.S + context_asm.c: saves only
 *                          the callee-saved registers on the running stack
 *                          (a few ns per switch, no system call);
 *   EDDY_CONTEXT_UCONTEXT  context_ucontext.c: makecontext/swapcontext, for
 *                          any other architecture (slower: swapcontext also
 *                          saves the signal mask with a system call).
 *
 * A context made by eddy__ctx_init() runs entry(arg) on its stack the first
 * time it is switched to. entry must never return: a coroutine ends by
 * switching away for the last time.
 */
#ifndef EDDY_CORO_CONTEXT_H
#define EDDY_CORO_CONTEXT_H

#include <stddef.h>

typedef void (*eddy__ctx_entry)(void *arg);

#if defined(EDDY_CONTEXT_ASM)

typedef struct {
    void *sp; /* saved stack pointer; the registers sit on that stack */
} eddy__ctx_t;

/* Pushes the callee-saved registers, stores the stack pointer in *from_sp,
 * loads to_sp and pops the registers saved there (arch/switch_*.S). */
void eddy__ctx_swap(void **from_sp, void *to_sp);
/* Builds the frame eddy__ctx_swap() expects below stack_top, so that the
 * first swap "returns" into a trampoline calling entry(arg). Returns the
 * stack pointer to swap to. */
void *eddy__ctx_make(void *stack_top, eddy__ctx_entry entry, void *arg);

static inline void eddy__ctx_init(eddy__ctx_t *ctx, void *stack_lo, size_t size,
                                  eddy__ctx_entry entry, void *arg) {
    ctx->sp = eddy__ctx_make((char *)stack_lo + size, entry, arg);
}

static inline void eddy__ctx_switch(eddy__ctx_t *from, eddy__ctx_t *to) {
    eddy__ctx_swap(&from->sp, to->sp);
}

#else /* EDDY_CONTEXT_UCONTEXT */

#include <ucontext.h>

typedef struct {
    ucontext_t uc;
    eddy__ctx_entry entry;
    void *arg;
} eddy__ctx_t;

void eddy__ctx_init(eddy__ctx_t *ctx, void *stack_lo, size_t size, eddy__ctx_entry entry,
                    void *arg);
void eddy__ctx_switch(eddy__ctx_t *from, eddy__ctx_t *to);

#endif

#endif /* EDDY_CORO_CONTEXT_H */
