//! amd64 assembly (Go's asm_amd64.s and sys_linux_amd64.s): entry, context switches, thread
//! creation. g lives in r15.
//!
//! Compiled Go code uses the System V convention, in which rbx, rbp and r12-r15 are
//! callee-saved. A goroutine gives up its thread only inside a runtime call (`mcall` from
//! Rust code), so the caller-saved registers are dead there and the callee-saved ones are
//! pushed on the goroutine's own stack; the gobuf then needs only sp, pc, g and bp, as gc's.

use crate::runtime2::{
    G_M_OFFSET, G_SCHED_OFFSET, GOBUF_BP, GOBUF_G, GOBUF_PC, GOBUF_SP, M_G0_OFFSET,
};

core::arch::global_asm!(
    // void goclift_call_with_g(void (*f)(void), G *g): calls f with g in r15.
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
    //
    // void goclift_call5_with_g(code, a0, a1, a2, a3, G *g): calls code(a0, a1, a2, a3, g)
    // with g in r15 (timer functions, which may be compiled Go code).
    ".globl goclift_call5_with_g",
    ".type goclift_call5_with_g, @function",
    ".p2align 4",
    "goclift_call5_with_g:",
    "push rbp",
    "mov rbp, rsp",
    "push r15",
    "sub rsp, 8",
    "mov r15, r9",
    "mov rax, rdi",
    "mov rdi, rsi",
    "mov rsi, rdx",
    "mov rdx, rcx",
    "mov rcx, r8",
    "mov r8, r9",
    "call rax",
    "add rsp, 8",
    "pop r15",
    "pop rbp",
    "ret",
    ".size goclift_call5_with_g, . - goclift_call5_with_g",
    //
    // void goclift_gogo(Gobuf *buf): resumes the context in buf (gc's gogo). Never returns.
    ".globl goclift_gogo",
    ".type goclift_gogo, @function",
    ".p2align 4",
    "goclift_gogo:",
    "mov rsp, [rdi + {sp}]",
    "mov rbp, [rdi + {bp}]",
    "mov r15, [rdi + {g}]",
    "mov rax, [rdi + {pc}]",
    // Clear what the collector must not see as live once the goroutine runs (gc does too).
    "mov qword ptr [rdi + {sp}], 0",
    "mov qword ptr [rdi + {bp}], 0",
    "jmp rax",
    ".size goclift_gogo, . - goclift_gogo",
    //
    // void goclift_mcall(G *gp, void (*f)(G *)): saves gp's context and calls f(gp) on the
    // M's g0 stack (gc's mcall). f must not return; gp resumes when someone gogo's to its
    // sched, as if goclift_mcall had returned.
    ".globl goclift_mcall",
    ".type goclift_mcall, @function",
    ".p2align 4",
    "goclift_mcall:",
    "push rbp",
    "push rbx",
    "push r12",
    "push r13",
    "push r14",
    "push r15",
    "lea rax, [rip + 2f]",
    "mov [rdi + {gsched} + {pc}], rax",
    "mov [rdi + {gsched} + {sp}], rsp",
    "mov [rdi + {gsched} + {g}], rdi",
    "mov [rdi + {gsched} + {bp}], rbp",
    "mov rax, [rdi + {gm}]",
    "mov rax, [rax + {mg0}]",
    "cmp rax, rdi",
    "je 3f",
    "mov r15, rax",
    "mov rsp, [rax + {gsched} + {sp}]",
    "xor ebp, ebp",
    "call rsi",
    // f returned: a runtime bug (gc's badmcall2).
    "call goclift_badmcall2",
    "ud2",
    "2:",
    "pop r15",
    "pop r14",
    "pop r13",
    "pop r12",
    "pop rbx",
    "pop rbp",
    "ret",
    "3:",
    "call goclift_badmcall",
    "ud2",
    ".size goclift_mcall, . - goclift_mcall",
    //
    // void goclift_systemstack_switch(G *g0, void (*f)(void *), void *arg): calls f(arg) on
    // g0's stack and switches back (gc's systemstack, the switching half).
    ".globl goclift_systemstack_switch",
    ".type goclift_systemstack_switch, @function",
    ".p2align 4",
    "goclift_systemstack_switch:",
    ".cfi_startproc",
    "push rbp",
    ".cfi_def_cfa_offset 16",
    ".cfi_offset rbp, -16",
    "mov rbp, rsp",
    ".cfi_def_cfa_register rbp",
    "push r15",
    "push rbx",
    "mov rbx, rsp",
    "mov rsp, [rdi + {gsched} + {sp}]",
    "mov r15, rdi",
    "mov rdi, rdx",
    "call rsi",
    "mov rsp, rbx",
    "pop rbx",
    "pop r15",
    "pop rbp",
    ".cfi_def_cfa rsp, 8",
    "ret",
    ".cfi_endproc",
    ".size goclift_systemstack_switch, . - goclift_systemstack_switch",
    //
    // Where every goroutine starts (gc's goexit frame plus gostartcallfn): gogo arrives here
    // with r15 = g and rsp at the top of the stack; calls g.startfn(g.startarg, g), then
    // finishes the goroutine.
    ".globl goclift_gostart",
    ".type goclift_gostart, @function",
    ".p2align 4",
    "goclift_gostart:",
    "mov rdi, [r15 + {startarg}]",
    "mov rsi, r15",
    "call [r15 + {startfn}]",
    "mov rdi, r15",
    "call goclift_goexit1",
    "ud2",
    ".size goclift_gostart, . - goclift_gostart",
    //
    // void goclift_mstart_g0(G *g0, void (*f)(M *), M *mp): records the current stack
    // position as g0's scheduling stack (where every mcall starts afresh) and calls f(mp) there
    // with g0 in r15 (gc's mstart0/mstart1). Never returns.
    ".globl goclift_mstart_g0",
    ".type goclift_mstart_g0, @function",
    ".p2align 4",
    "goclift_mstart_g0:",
    "and rsp, -16",
    "mov [rdi + {gsched} + {sp}], rsp",
    "mov r15, rdi",
    "mov rdi, rdx",
    "xor ebp, ebp",
    "call rsi",
    "ud2",
    ".size goclift_mstart_g0, . - goclift_mstart_g0",
    //
    // long goclift_clone(unsigned long flags, void *stack, M *mp, G *g0, void (*f)(M *)):
    // the clone system call (gc's clone). In the child, on the new stack, runs f(mp) with g0
    // in r15 and exits the thread if it returns. Returns the child's tid or -errno.
    ".globl goclift_clone",
    ".type goclift_clone, @function",
    ".p2align 4",
    "goclift_clone:",
    "push r12",
    "push r13",
    "push r14",
    "mov r12, rdx",
    "mov r13, rcx",
    "mov r14, r8",
    "xor edx, edx",
    "xor r10d, r10d",
    "xor r8d, r8d",
    "mov eax, 56",
    "syscall",
    "test rax, rax",
    "jz 4f",
    "pop r14",
    "pop r13",
    "pop r12",
    "ret",
    "4:",
    // The child: a fresh stack, no frame above.
    "xor ebp, ebp",
    "mov r15, r13",
    "mov rdi, r12",
    "call r14",
    "mov edi, 111",
    "mov eax, 60",
    "syscall",
    "ud2",
    ".size goclift_clone, . - goclift_clone",
    //
    // void goclift_exit_thread(uint32_t *wait): ends the calling thread after storing 0 to
    // *wait, when the thread no longer touches its stack (gc's exitThread).
    ".globl goclift_exit_thread",
    ".type goclift_exit_thread, @function",
    ".p2align 4",
    "goclift_exit_thread:",
    "mov dword ptr [rdi], 0",
    "xor edi, edi",
    "mov eax, 60",
    "syscall",
    "ud2",
    ".size goclift_exit_thread, . - goclift_exit_thread",
    sp = const GOBUF_SP,
    pc = const GOBUF_PC,
    g = const GOBUF_G,
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
        core::arch::asm!("mov {}, rsp", out(reg) sp, options(nomem, nostack, preserves_flags))
    };
    sp
}

/// Bytes a new goroutine's stack keeps above its initial sp (gc's totalSize in newproc1):
/// the start frame is entered with sp 16-byte aligned.
pub const START_FRAME: usize = 32;
