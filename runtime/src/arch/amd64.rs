//! amd64 entry assembly. g lives in r15.

core::arch::global_asm!(
    ".globl goclift_call_with_g",
    ".type goclift_call_with_g, @function",
    ".p2align 4",
    "goclift_call_with_g:",
    ".cfi_startproc",
    // A frame-pointer frame, so debuggers and frame-pointer walks see through the call.
    "push rbp",
    ".cfi_def_cfa_offset 16",
    ".cfi_offset rbp, -16",
    "mov rbp, rsp",
    ".cfi_def_cfa_register rbp",
    // Save the caller's r15; the extra 8 bytes bring rsp back to a multiple of 16 at `call`.
    "push r15",
    ".cfi_offset r15, -24",
    "sub rsp, 8",
    "mov r15, rsi",
    "call rdi",
    "add rsp, 8",
    "pop r15",
    "pop rbp",
    ".cfi_def_cfa rsp, 8",
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
        core::arch::asm!("mov {}, rsp", out(reg) sp, options(nomem, nostack, preserves_flags))
    };
    sp
}
