/*
 * Initial frames for the assembly context switch (arch/switch_*.S). The
 * frame mirrors what eddy__ctx_swap() pops, with the entry point and its
 * argument parked in callee-saved registers that the trampoline moves into
 * place before calling entry.
 */
#if defined(EDDY_CONTEXT_ASM)

#include <stdint.h>

#include "coro/context.h"

void eddy__ctx_trampoline(void); /* in arch/switch_*.S; never called from C */

#if defined(__x86_64__)

/* From the stack pointer up, as eddy__ctx_swap() pops them:
 *   [0] MXCSR (low 32 bits) and x87 control word (at +4)
 *   [1] r15 [2] r14 [3] r13=arg [4] r12=entry [5] rbx [6] rbp=0
 *   [7] return address = trampoline
 * The return slot sits 8 bytes below a 16-byte boundary, so after `ret` the
 * trampoline has an aligned stack and its `call` gives entry the ABI's
 * rsp % 16 == 8 on entry. */
void *eddy__ctx_make(void *stack_top, eddy__ctx_entry entry, void *arg) {
    uintptr_t top = (uintptr_t)stack_top & ~(uintptr_t)15;
    uint64_t *sp = (uint64_t *)top - 8;
    /* Power-on defaults: all FP exceptions masked, round to nearest; x87
     * extended precision. Not inherited, so each coroutine starts clean. */
    sp[0] = 0x1F80u | ((uint64_t)0x037Fu << 32);
    sp[1] = sp[2] = sp[5] = sp[6] = 0;
    sp[3] = (uint64_t)(uintptr_t)arg;
    sp[4] = (uint64_t)(uintptr_t)entry;
    sp[7] = (uint64_t)(uintptr_t)eddy__ctx_trampoline;
    return sp;
}

#elif defined(__aarch64__)

/* 176-byte frame, as eddy__ctx_swap() lays it out:
 *   x19..x28 at 0..72, x29 (fp) at 80, x30 (lr) at 88, d8..d15 at 96..152,
 *   FPCR at 160. x19=entry, x20=arg, fp=0 ends backtraces, lr=trampoline. */
void *eddy__ctx_make(void *stack_top, eddy__ctx_entry entry, void *arg) {
    uintptr_t top = (uintptr_t)stack_top & ~(uintptr_t)15;
    uint64_t *sp = (uint64_t *)(top - 176);
    for (int i = 0; i < 22; i++) sp[i] = 0;
    sp[0] = (uint64_t)(uintptr_t)entry;
    sp[1] = (uint64_t)(uintptr_t)arg;
    sp[11] = (uint64_t)(uintptr_t)eddy__ctx_trampoline;
    return sp;
}

#else
#error "EDDY_CONTEXT_ASM on an architecture without arch/switch_*.S"
#endif

#else
/* ISO C forbids an empty translation unit. */
typedef int eddy__context_asm_unused;
#endif
