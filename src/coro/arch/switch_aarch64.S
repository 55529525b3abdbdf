/*
 * AArch64 (AAPCS64) context switch for eddy coroutines.
 *
 * void eddy__ctx_swap(void **from_sp /x0/, void *to_sp /x1/)
 *
 * Saves the callee-saved registers x19-x28, fp (x29), lr (x30), the low
 * halves d8-d15 of v8-v15, and FPCR (rounding mode is callee-saved) in a
 * 176-byte frame on the running stack. See context_asm.c for the matching
 * initial frame.
 */
    .text
    .globl  eddy__ctx_swap
    .hidden eddy__ctx_swap
    .type   eddy__ctx_swap, %function
    .p2align 4
eddy__ctx_swap:
    .cfi_startproc
    sub     sp, sp, #176
    stp     x19, x20, [sp, #0]
    stp     x21, x22, [sp, #16]
    stp     x23, x24, [sp, #32]
    stp     x25, x26, [sp, #48]
    stp     x27, x28, [sp, #64]
    stp     x29, x30, [sp, #80]
    stp     d8,  d9,  [sp, #96]
    stp     d10, d11, [sp, #112]
    stp     d12, d13, [sp, #128]
    stp     d14, d15, [sp, #144]
    mrs     x9, fpcr
    str     x9, [sp, #160]
    mov     x9, sp
    str     x9, [x0]
    mov     sp, x1
    ldp     x19, x20, [sp, #0]
    ldp     x21, x22, [sp, #16]
    ldp     x23, x24, [sp, #32]
    ldp     x25, x26, [sp, #48]
    ldp     x27, x28, [sp, #64]
    ldp     x29, x30, [sp, #80]
    ldp     d8,  d9,  [sp, #96]
    ldp     d10, d11, [sp, #112]
    ldp     d12, d13, [sp, #128]
    ldp     d14, d15, [sp, #144]
    ldr     x9, [sp, #160]
    msr     fpcr, x9
    add     sp, sp, #176
    ret
    .cfi_endproc
    .size   eddy__ctx_swap, .-eddy__ctx_swap

/*
 * First code a new context runs, reached by eddy__ctx_swap's `ret` through
 * lr: x19 = entry, x20 = arg. entry never returns; brk traps if it does.
 */
    .globl  eddy__ctx_trampoline
    .hidden eddy__ctx_trampoline
    .type   eddy__ctx_trampoline, %function
    .p2align 4
eddy__ctx_trampoline:
    .cfi_startproc
    .cfi_undefined x30
    mov     x0, x20
    blr     x19
    brk     #1
    .cfi_endproc
    .size   eddy__ctx_trampoline, .-eddy__ctx_trampoline

    .section .note.GNU-stack,"",%progbits
