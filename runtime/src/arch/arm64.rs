//! arm64 entry assembly. g lives in x21.

core::arch::global_asm!(
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
