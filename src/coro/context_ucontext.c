/*
 * Portable context switch on makecontext/swapcontext, for architectures
 * without arch/switch_*.S (or -DEDDY_CONTEXT=ucontext). Slower than the
 * assembly: glibc's swapcontext saves and restores the signal mask with a
 * system call on every switch.
 */
#if !defined(EDDY_CONTEXT_ASM)

#include <stdint.h>
#include <stdlib.h>

#include "coro/context.h"

/* makecontext passes only int arguments, so the context pointer travels
 * split in two 32-bit halves. */
static void start(unsigned int hi, unsigned int lo) {
    eddy__ctx_t *ctx = (eddy__ctx_t *)(uintptr_t)(((uint64_t)hi << 32) | lo);
    ctx->entry(ctx->arg);
    abort(); /* entry switches away for good; returning would end the thread */
}

void eddy__ctx_init(eddy__ctx_t *ctx, void *stack_lo, size_t size, eddy__ctx_entry entry,
                    void *arg) {
    uint64_t p = (uint64_t)(uintptr_t)ctx;
    getcontext(&ctx->uc);
    ctx->uc.uc_stack.ss_sp = stack_lo;
    ctx->uc.uc_stack.ss_size = size;
    ctx->uc.uc_link = NULL;
    ctx->entry = entry;
    ctx->arg = arg;
    makecontext(&ctx->uc, (void (*)(void))start, 2, (unsigned int)(p >> 32),
                (unsigned int)(p & 0xffffffffu));
}

void eddy__ctx_switch(eddy__ctx_t *from, eddy__ctx_t *to) {
    if (swapcontext(&from->uc, &to->uc) != 0) abort(); /* only EFAULT-like bugs */
}

#else
typedef int eddy__context_ucontext_unused;
#endif
