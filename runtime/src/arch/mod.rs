//! Architecture-specific assembly (Go's asm_amd64.s / asm_arm64.s): entry, context switches
//! (gogo, mcall, systemstack), goroutine start, thread creation.
//!
//! Compiled Go code keeps the current g in a register that Cranelift pins (r15 on amd64, x21 on
//! arm64). Rust code does not know about it: both registers are merely callee-saved there, so
//! Rust preserves them across calls but may use them in between. Every transfer from Rust into
//! compiled Go code therefore goes through assembly that loads the register (`goclift_call_with_g`,
//! `goclift_gogo`), and Rust runtime functions receive the current g as an argument.

use crate::runtime2::{Gobuf, G, M};

#[cfg(target_arch = "x86_64")]
mod amd64;
#[cfg(target_arch = "x86_64")]
pub use amd64::{current_sp, START_FRAME};

#[cfg(target_arch = "aarch64")]
mod arm64;
#[cfg(target_arch = "aarch64")]
pub use arm64::{current_sp, START_FRAME};

// The assembly only moves G and M pointers around; their Rust-only fields are irrelevant to it.
#[allow(improper_ctypes)]
unsafe extern "C" {
    /// Calls `f` with `g` in the pinned g register and restores the caller's value of that
    /// register afterwards; the stack stays 16-byte aligned at the call.
    pub fn goclift_call_with_g(f: unsafe extern "C" fn(), g: *mut G);
    /// Resumes the context saved in `buf`: loads sp, fp, (lr,) the g register, and jumps to pc
    /// (gc's gogo).
    pub fn goclift_gogo(buf: *mut Gobuf) -> !;
    /// Saves `gp`'s context in gp.sched (its callee-saved registers on its stack) and calls
    /// `f(gp)` on gp.m.g0's scheduling stack (gc's mcall). `f` must not return; the call
    /// "returns" when gp is resumed with gogo.
    pub fn goclift_mcall(gp: *mut G, f: unsafe extern "C" fn(*mut G));
    /// Calls `f(arg)` on `g0`'s scheduling stack and returns (gc's systemstack).
    pub fn goclift_systemstack_switch(g0: *mut G, f: unsafe extern "C" fn(*mut u8), arg: *mut u8);
    /// Makes the current stack position `g0`'s scheduling stack and calls `f(mp)` there
    /// (gc's mstart). Never returns.
    pub fn goclift_mstart_g0(g0: *mut G, f: unsafe extern "C" fn(*mut M), mp: *mut M) -> !;
    /// The clone system call: the child runs `f(mp)` on `stack` with `g0` in the g register.
    /// Returns the child's thread id or a negated errno.
    pub fn goclift_clone(
        flags: usize,
        stack: *mut u8,
        mp: *mut M,
        g0: *mut G,
        f: unsafe extern "C" fn(*mut M),
    ) -> isize;
    /// Calls `code(a0, a1, a2, a3, g)` with `g` in the g register.
    pub fn goclift_call5_with_g(code: usize, a0: usize, a1: usize, a2: usize, a3: usize, g: *mut G);
    /// Stores 0 to `*wait` and ends the calling thread (gc's exitThread).
    pub fn goclift_exit_thread(wait: *mut u32) -> !;
}

unsafe extern "C" {
    /// Where new goroutines start (gobuf.pc of a fresh G); not callable.
    pub fn goclift_gostart();
}

// The weak default of `goclift.stackcheck`: compiled programs whose functions check the stack
// define it as a nonzero byte (see runtime/README.md); without it goroutines get large stacks.
core::arch::global_asm!(
    ".pushsection .rodata.goclift_stackcheck,\"a\"",
    ".weak goclift.stackcheck",
    "goclift.stackcheck:",
    ".byte 0",
    ".popsection",
);

/// Defines a C-ABI runtime entry point for compiled Go code (the runtime's gc-named symbols):
/// a naked stub that first makes sure the Rust code behind it has stack (sp minus
/// RUNTIME_STACK_RESERVE must stay above g.stackguard0; otherwise it enters
/// `runtime.morestack` exactly like a compiled function's failing check, which also makes
/// every runtime call a preemption point), then passes the g register on as one more
/// argument, in the register named for each target, and tail-calls the implementation.
///
/// `nosplit` stubs skip the check, for calls made while the stack guard is poisoned on
/// purpose (entersyscall/exitsyscall), as gc's nosplit functions do.
#[macro_export]
macro_rules! go_entry {
    ($(#[$doc:meta])* $name:ident = $sym:literal ($($arg:ident: $ty:ty),*) $(-> $ret:ty)?;
     g in $amd64:literal / $arm64:literal => $target:path) => {
        $(#[$doc])*
        ///
        /// # Safety
        /// Must be called from compiled Go code, with g in the g register.
        #[unsafe(naked)]
        #[unsafe(export_name = $sym)]
        pub unsafe extern "C" fn $name($($arg: $ty),*) $(-> $ret)? {
            #[cfg(target_arch = "x86_64")]
            core::arch::naked_asm!(
                "2:",
                "mov rax, [r15 + 16]",
                "lea r11, [rsp - {reserve}]",
                "cmp r11, rax",
                "jbe 3f",
                concat!("mov ", $amd64, ", r15"),
                "jmp {target}",
                "3:",
                "lea rax, [rip + 2b]",
                "mov [r15 + 48], rax",
                "mov qword ptr [r15 + 56], 0",
                "mov qword ptr [r15 + 64], {reserve}",
                "jmp {morestack}",
                reserve = const $crate::stack::RUNTIME_STACK_RESERVE,
                target = sym $target,
                morestack = sym $crate::morestack::morestack,
            );
            #[cfg(target_arch = "aarch64")]
            core::arch::naked_asm!(
                "2:",
                "ldr x9, [x21, #16]",
                "mov x10, sp",
                "sub x10, x10, #{reserve}",
                "cmp x10, x9",
                "b.ls 3f",
                concat!("mov ", $arm64, ", x21"),
                "b {target}",
                "3:",
                "adr x9, 2b",
                "str x9, [x21, #48]",
                "str xzr, [x21, #56]",
                "mov x9, #{reserve}",
                "str x9, [x21, #64]",
                "b {morestack}",
                reserve = const $crate::stack::RUNTIME_STACK_RESERVE,
                target = sym $target,
                morestack = sym $crate::morestack::morestack,
            );
        }
    };
    ($(#[$doc:meta])* nosplit $name:ident = $sym:literal ($($arg:ident: $ty:ty),*) $(-> $ret:ty)?;
     g in $amd64:literal / $arm64:literal => $target:path) => {
        $(#[$doc])*
        ///
        /// # Safety
        /// Must be called from compiled Go code, with g in the g register.
        #[unsafe(naked)]
        #[unsafe(export_name = $sym)]
        pub unsafe extern "C" fn $name($($arg: $ty),*) $(-> $ret)? {
            #[cfg(target_arch = "x86_64")]
            core::arch::naked_asm!(
                concat!("mov ", $amd64, ", r15"),
                "jmp {target}",
                target = sym $target,
            );
            #[cfg(target_arch = "aarch64")]
            core::arch::naked_asm!(
                concat!("mov ", $arm64, ", x21"),
                "b {target}",
                target = sym $target,
            );
        }
    };
}

/// Like `go_entry!`, for functions with more arguments than leave a register free for g (more
/// than five integer arguments on amd64, more than seven on arm64; up to ten). The stub makes
/// the same stack check, then copies its `words` integer arguments (registers, then stack
/// arguments) into an array in its own frame and calls `target(args: *const usize, g)`,
/// returning the target's result (up to two registers) to the caller. A failing check enters
/// `runtime.morestack` with the size of the stack arguments, so that they are copied to a new
/// segment like a compiled function's.
#[macro_export]
macro_rules! go_entry_spill {
    ($(#[$doc:meta])* $name:ident = $sym:literal ($($arg:ident: $ty:ty),*) $(-> $ret:ty)?;
     words $words:literal => $target:path) => {
        const _: () = assert!($words <= 10, "go_entry_spill takes at most ten words");
        $(#[$doc])*
        ///
        /// # Safety
        /// Must be called from compiled Go code, with g in the g register.
        #[unsafe(naked)]
        #[unsafe(export_name = $sym)]
        pub unsafe extern "C" fn $name($($arg: $ty),*) $(-> $ret)? {
            #[cfg(target_arch = "x86_64")]
            core::arch::naked_asm!(
                "2:",
                "mov rax, [r15 + 16]",
                "lea r11, [rsp - {reserve}]",
                "cmp r11, rax",
                "jbe 3f",
                // Frame: saved rbp, then a ten-word array (sp stays 16-byte aligned).
                "push rbp",
                "mov rbp, rsp",
                "sub rsp, 80",
                "mov [rsp], rdi",
                "mov [rsp + 8], rsi",
                "mov [rsp + 16], rdx",
                "mov [rsp + 24], rcx",
                "mov [rsp + 32], r8",
                "mov [rsp + 40], r9",
                // Stack arguments start above the return address.
                "mov ecx, {stack_words}",
                "lea rsi, [rbp + 16]",
                "lea rdi, [rsp + 48]",
                "rep movsq",
                "mov rdi, rsp",
                "mov rsi, r15",
                "call {target}",
                "leave",
                "ret",
                "3:",
                "lea rax, [rip + 2b]",
                "mov [r15 + 48], rax",
                "mov qword ptr [r15 + 56], {argsize}",
                "mov qword ptr [r15 + 64], {reserve}",
                "jmp {morestack}",
                reserve = const $crate::stack::RUNTIME_STACK_RESERVE,
                stack_words = const if $words > 6 { $words - 6 } else { 0 },
                argsize = const if $words > 6 { ($words - 6) * 8 } else { 0 },
                target = sym $target,
                morestack = sym $crate::morestack::morestack,
            );
            #[cfg(target_arch = "aarch64")]
            core::arch::naked_asm!(
                "2:",
                "ldr x9, [x21, #16]",
                "mov x10, sp",
                "sub x10, x10, #{reserve}",
                "cmp x10, x9",
                "b.ls 3f",
                // Frame: fp and lr, then a ten-word array.
                "stp x29, x30, [sp, #-96]!",
                "mov x29, sp",
                "stp x0, x1, [sp, #16]",
                "stp x2, x3, [sp, #32]",
                "stp x4, x5, [sp, #48]",
                "stp x6, x7, [sp, #64]",
                // Stack arguments (two at most: ten words) start at the caller's sp.
                ".if {stack_words} > 0",
                "ldp x9, x10, [x29, #96]",
                "stp x9, x10, [sp, #80]",
                ".endif",
                "add x0, sp, #16",
                "mov x1, x21",
                "bl {target}",
                "ldp x29, x30, [sp], #96",
                "ret",
                "3:",
                "adr x9, 2b",
                "str x9, [x21, #48]",
                "mov x9, #{argsize}",
                "str x9, [x21, #56]",
                "mov x9, #{reserve}",
                "str x9, [x21, #64]",
                "b {morestack}",
                reserve = const $crate::stack::RUNTIME_STACK_RESERVE,
                stack_words = const if $words > 8 { $words - 8 } else { 0 },
                argsize = const if $words > 8 { ($words - 8) * 8 } else { 0 },
                target = sym $target,
                morestack = sym $crate::morestack::morestack,
            );
        }
    };
}

/// Two machine words returned in registers (rax:rdx, x0:x1): how the runtime returns Go's
/// two-result functions (selectnbrecv, selectgo, walltime) under the C ABI.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pair(pub usize, pub usize);

/// The address new goroutines start at.
pub fn gostart_pc() -> usize {
    goclift_gostart as *const () as usize
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::sync::atomic::{AtomicUsize, Ordering};

    /// What `capture_g` saw in the g register.
    static SEEN_G: AtomicUsize = AtomicUsize::new(0);
    /// The stack pointer `capture_g` saw, to check alignment.
    static SEEN_SP: AtomicUsize = AtomicUsize::new(0);

    /// Stores the g register and sp at entry; naked so that no prologue can touch them.
    #[cfg(target_arch = "x86_64")]
    #[unsafe(naked)]
    unsafe extern "C" fn capture_g() {
        core::arch::naked_asm!(
            "mov [rip + {g}], r15",
            "mov [rip + {sp}], rsp",
            "ret",
            g = sym SEEN_G,
            sp = sym SEEN_SP,
        );
    }

    /// Stores the g register and sp at entry; naked so that no prologue can touch them.
    #[cfg(target_arch = "aarch64")]
    #[unsafe(naked)]
    unsafe extern "C" fn capture_g() {
        core::arch::naked_asm!(
            "adrp x9, {g}",
            "str x21, [x9, :lo12:{g}]",
            "adrp x9, {sp}",
            "mov x10, sp",
            "str x10, [x9, :lo12:{sp}]",
            "ret",
            g = sym SEEN_G,
            sp = sym SEEN_SP,
        );
    }

    /// Reads the g register's value as restored after the trampoline, with a sentinel loaded
    /// before it, in one asm block so that the compiler cannot reuse the register in between.
    #[cfg(target_arch = "x86_64")]
    fn call_and_read_back(f: unsafe extern "C" fn(), g: *mut G, sentinel: usize) -> usize {
        let after: usize;
        // SAFETY: the trampoline preserves r15 and the other callee-saved registers; the asm
        // declares everything the call may clobber under the C ABI.
        unsafe {
            core::arch::asm!(
                "push r15",
                "sub rsp, 8",
                "mov r15, rdx",
                "call {tramp}",
                "mov rax, r15",
                "add rsp, 8",
                "pop r15",
                tramp = sym goclift_call_with_g,
                // Fixed registers: an allocated one could be r15 itself.
                in("rdx") sentinel,
                lateout("rax") after,
                in("rdi") f, in("rsi") g,
                clobber_abi("C"),
            );
        }
        after
    }

    /// Reads the g register's value as restored after the trampoline (see the amd64 version).
    #[cfg(target_arch = "aarch64")]
    fn call_and_read_back(f: unsafe extern "C" fn(), g: *mut G, sentinel: usize) -> usize {
        let after: usize;
        // SAFETY: as for amd64; x21 is saved and restored around the call here.
        unsafe {
            core::arch::asm!(
                "str x21, [sp, #-16]!",
                "mov x21, x2",
                "bl {tramp}",
                "mov x0, x21",
                "ldr x21, [sp], #16",
                tramp = sym goclift_call_with_g,
                // Fixed registers: an allocated one could be x21 itself.
                in("x2") sentinel,
                inlateout("x0") f as usize => after,
                in("x1") g,
                clobber_abi("C"),
            );
        }
        after
    }

    #[test]
    fn trampoline_passes_g_keeps_alignment_and_restores_the_register() {
        let mut g = G::default();
        let g_ptr: *mut G = &mut g;
        let sentinel = 0x5eed_0000_0000_1234usize;
        let after = call_and_read_back(capture_g, g_ptr, sentinel);
        assert_eq!(
            SEEN_G.load(Ordering::SeqCst),
            g_ptr as usize,
            "g register inside f"
        );
        // At a function's entry the return address has been pushed on amd64 (sp = 8 mod 16);
        // arm64 keeps sp itself 16-byte aligned.
        let misalign = if cfg!(target_arch = "x86_64") { 8 } else { 0 };
        assert_eq!(
            SEEN_SP.load(Ordering::SeqCst) % 16,
            misalign,
            "stack alignment at f"
        );
        assert_eq!(after, sentinel, "caller's g register restored");
    }

    #[test]
    fn current_sp_is_inside_this_thread_stack() {
        let local = 0u8;
        let sp = current_sp();
        let here = &local as *const u8 as usize;
        assert!(
            sp <= here && here - sp < 1 << 20,
            "sp {sp:#x} near local {here:#x}"
        );
    }
}

#[cfg(test)]
#[path = "switch_test.rs"]
mod switch_tests;
