//! arm64 assembly (Go's asm_arm64.s and sys_linux_arm64.s): entry, context switches, thread
//! creation. g lives in x21.
//!
//! Compiled Go code uses AAPCS64, in which x19-x28, x29 (fp), x30 (lr, as the return
//! address) and d8-d15 are callee-saved. `mcall` pushes them on the goroutine's own stack, so
//! the gobuf needs only sp, pc, g, lr and bp, as gc's.

use crate::runtime2::{
    G_M_OFFSET, G_SCHED_OFFSET, GOBUF_BP, GOBUF_G, GOBUF_LR, GOBUF_PC, GOBUF_SP, M_G0_OFFSET,
};

core::arch::global_asm!(
    // void goclift_call_with_g(void (*f)(void), G *g): calls f with g in x21.
    ".globl goclift_call_with_g",
    ".type goclift_call_with_g, %function",
    ".p2align 2",
    "goclift_call_with_g:",
    ".cfi_startproc",
    // Frame record (x29, x30) plus a slot for the caller's x21; 32 bytes keeps sp 16-aligned.
    "stp x29, x30, [sp, #-32]!",
    ".cfi_def_cfa_offset 32",
    ".cfi_offset x29, -32",
    ".cfi_offset x30, -24",
    "mov x29, sp",
    "str x21, [sp, #16]",
    ".cfi_offset x21, -16",
    "mov x21, x1",
    "blr x0",
    "ldr x21, [sp, #16]",
    "ldp x29, x30, [sp], #32",
    ".cfi_def_cfa_offset 0",
    "ret",
    ".cfi_endproc",
    ".size goclift_call_with_g, . - goclift_call_with_g",
    //
    // void goclift_call5_with_g(code, a0, a1, a2, a3, G *g): calls code(a0, a1, a2, a3, g)
    // with g in x21 (timer functions, which may be compiled Go code).
    ".globl goclift_call5_with_g",
    ".type goclift_call5_with_g, %function",
    ".p2align 2",
    "goclift_call5_with_g:",
    "stp x29, x30, [sp, #-32]!",
    "mov x29, sp",
    "str x21, [sp, #16]",
    "mov x21, x5",
    "mov x9, x0",
    "mov x0, x1",
    "mov x1, x2",
    "mov x2, x3",
    "mov x3, x4",
    "mov x4, x5",
    "blr x9",
    "ldr x21, [sp, #16]",
    "ldp x29, x30, [sp], #32",
    "ret",
    ".size goclift_call5_with_g, . - goclift_call5_with_g",
    //
    // void goclift_gogo(Gobuf *buf): resumes the context in buf (gc's gogo). Never returns.
    ".globl goclift_gogo",
    ".type goclift_gogo, %function",
    ".p2align 2",
    "goclift_gogo:",
    "ldr x9, [x0, #{sp}]",
    "mov sp, x9",
    "ldr x29, [x0, #{bp}]",
    "ldr x30, [x0, #{lr}]",
    "ldr x21, [x0, #{g}]",
    "ldr x9, [x0, #{pc}]",
    "str xzr, [x0, #{sp}]",
    "str xzr, [x0, #{bp}]",
    "str xzr, [x0, #{lr}]",
    "br x9",
    ".size goclift_gogo, . - goclift_gogo",
    //
    // void goclift_mcall(G *gp, void (*f)(G *)): saves gp's context and calls f(gp) on the
    // M's g0 stack (gc's mcall). f must not return.
    ".globl goclift_mcall",
    ".type goclift_mcall, %function",
    ".p2align 2",
    "goclift_mcall:",
    "sub sp, sp, #160",
    "stp x19, x20, [sp, #0]",
    "stp x21, x22, [sp, #16]",
    "stp x23, x24, [sp, #32]",
    "stp x25, x26, [sp, #48]",
    "stp x27, x28, [sp, #64]",
    "stp x29, x30, [sp, #80]",
    "stp d8, d9, [sp, #96]",
    "stp d10, d11, [sp, #112]",
    "stp d12, d13, [sp, #128]",
    "stp d14, d15, [sp, #144]",
    "adr x9, 2f",
    "str x9, [x0, #({gsched} + {pc})]",
    "mov x9, sp",
    "str x9, [x0, #({gsched} + {sp})]",
    "str x0, [x0, #({gsched} + {g})]",
    "str x29, [x0, #({gsched} + {bp})]",
    "str x30, [x0, #({gsched} + {lr})]",
    "ldr x9, [x0, #{gm}]",
    "ldr x9, [x9, #{mg0}]",
    "cmp x9, x0",
    "b.eq 3f",
    "mov x21, x9",
    "ldr x10, [x9, #({gsched} + {sp})]",
    "mov sp, x10",
    "mov x29, xzr",
    "blr x1",
    "bl goclift_badmcall2",
    "brk #0",
    "2:",
    "ldp x19, x20, [sp, #0]",
    "ldp x21, x22, [sp, #16]",
    "ldp x23, x24, [sp, #32]",
    "ldp x25, x26, [sp, #48]",
    "ldp x27, x28, [sp, #64]",
    "ldp x29, x30, [sp, #80]",
    "ldp d8, d9, [sp, #96]",
    "ldp d10, d11, [sp, #112]",
    "ldp d12, d13, [sp, #128]",
    "ldp d14, d15, [sp, #144]",
    "add sp, sp, #160",
    "ret",
    "3:",
    "bl goclift_badmcall",
    "brk #0",
    ".size goclift_mcall, . - goclift_mcall",
    //
    // void goclift_systemstack_switch(G *g0, void (*f)(void *), void *arg): calls f(arg) on
    // g0's stack and switches back (gc's systemstack, the switching half).
    ".globl goclift_systemstack_switch",
    ".type goclift_systemstack_switch, %function",
    ".p2align 2",
    "goclift_systemstack_switch:",
    ".cfi_startproc",
    "stp x29, x30, [sp, #-32]!",
    ".cfi_def_cfa_offset 32",
    ".cfi_offset x29, -32",
    ".cfi_offset x30, -24",
    "mov x29, sp",
    "stp x19, x21, [sp, #16]",
    "mov x19, sp",
    "ldr x9, [x0, #({gsched} + {sp})]",
    "mov sp, x9",
    "mov x21, x0",
    "mov x0, x2",
    "blr x1",
    "mov sp, x19",
    "ldp x19, x21, [sp, #16]",
    "ldp x29, x30, [sp], #32",
    ".cfi_def_cfa_offset 0",
    "ret",
    ".cfi_endproc",
    ".size goclift_systemstack_switch, . - goclift_systemstack_switch",
    //
    // Where every goroutine starts: gogo arrives with x21 = g and sp at the top of the
    // stack; calls g.startfn(g.startarg, g), then finishes the goroutine.
    ".globl goclift_gostart",
    ".type goclift_gostart, %function",
    ".p2align 2",
    "goclift_gostart:",
    "mov x29, xzr",
    "ldr x0, [x21, #{startarg}]",
    "mov x1, x21",
    "ldr x9, [x21, #{startfn}]",
    "blr x9",
    "mov x0, x21",
    "bl goclift_goexit1",
    "brk #0",
    ".size goclift_gostart, . - goclift_gostart",
    //
    // void goclift_mstart_g0(G *g0, void (*f)(M *), M *mp): records the current stack
    // position as g0's scheduling stack and calls f(mp) there with g0 in x21. Never returns.
    ".globl goclift_mstart_g0",
    ".type goclift_mstart_g0, %function",
    ".p2align 2",
    "goclift_mstart_g0:",
    "mov x9, sp",
    "and x9, x9, #~15",
    "mov sp, x9",
    "str x9, [x0, #({gsched} + {sp})]",
    "mov x21, x0",
    "mov x0, x2",
    "mov x29, xzr",
    "blr x1",
    "brk #0",
    ".size goclift_mstart_g0, . - goclift_mstart_g0",
    //
    // long goclift_clone(unsigned long flags, void *stack, M *mp, G *g0, void (*f)(M *)):
    // the clone system call (gc's clone). In the child, on the new stack, runs f(mp) with g0
    // in x21 and exits the thread if it returns. Returns the child's tid or -errno.
    ".globl goclift_clone",
    ".type goclift_clone, %function",
    ".p2align 2",
    "goclift_clone:",
    "mov x10, x2",
    "mov x11, x3",
    "mov x12, x4",
    "mov x2, xzr",
    "mov x3, xzr",
    "mov x4, xzr",
    "mov x8, #220",
    "svc #0",
    "cbz x0, 4f",
    "ret",
    "4:",
    "mov x29, xzr",
    "mov x30, xzr",
    "mov x21, x11",
    "mov x0, x10",
    "blr x12",
    "mov x0, #111",
    "mov x8, #93",
    "svc #0",
    "brk #0",
    ".size goclift_clone, . - goclift_clone",
    //
    // void goclift_exit_thread(uint32_t *wait): ends the calling thread after storing 0 to
    // *wait, when the thread no longer touches its stack (gc's exitThread).
    ".globl goclift_exit_thread",
    ".type goclift_exit_thread, %function",
    ".p2align 2",
    "goclift_exit_thread:",
    "stlr wzr, [x0]",
    "mov x0, xzr",
    "mov x8, #93",
    "svc #0",
    "brk #0",
    ".size goclift_exit_thread, . - goclift_exit_thread",
    sp = const GOBUF_SP,
    pc = const GOBUF_PC,
    g = const GOBUF_G,
    lr = const GOBUF_LR,
    bp = const GOBUF_BP,
    gsched = const G_SCHED_OFFSET,
    gm = const G_M_OFFSET,
    mg0 = const M_G0_OFFSET,
    startfn = const core::mem::offset_of!(crate::runtime2::G, startfn),
    startarg = const core::mem::offset_of!(crate::runtime2::G, startarg),
);

/// The current stack pointer.
#[inline(always)]
pub fn current_sp() -> usize {
    let sp: usize;
    // SAFETY: reads a register; no memory access.
    unsafe {
        core::arch::asm!("mov {}, sp", out(reg) sp, options(nomem, nostack, preserves_flags))
    };
    sp
}

/// Bytes a new goroutine's stack keeps above its initial sp (gc's totalSize in newproc1).
pub const START_FRAME: usize = 32;
