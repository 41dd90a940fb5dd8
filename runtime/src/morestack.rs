//! Segmented stack growth: `runtime.morestack`, entered from a failing stack check (the
//! segmented scheme gc used until Go 1.3, adapted to Cranelift's prologues; see
//! runtime/README.md for the sequence the compiler emits and why goclift grows by segments).
//!
//! A compiled function `f` checks, right after its prologue, `sp <= g.stackguard0`. On failure
//! it stores its own entry address, the size of its stack-argument area and its extra frame
//! need in `g.morestack_fn/_argsize/_framesize`, then calls `runtime.morestack` *with its own
//! arguments and signature*, and returns whatever that call returns. morestack:
//!
//! 1. saves the argument registers and the callee-saved registers in a frame on the current
//!    stack (the guard area below stackguard0 has room for it), records that frame in g.sched
//!    and switches to g0, where `goclift_newstack` decides:
//! 2. preemption (stackguard0 was poisoned by sysmon or a stop-the-world): the goroutine
//!    yields; when it is resumed, morestack calls `f` again on the same stack (its check now
//!    sees the real guard) from a call site of its own, so that a frame walk can tell the
//!    nested instance from a real call (recover depends on it), and returns its results;
//! 3. growth: a new segment (at least twice the current one, and big enough for the frame and
//!    arguments) is linked to the old one by a `Stktop` at its top, the stack arguments are
//!    copied onto it, and morestack calls `f` there. When `f` returns, morestack switches back
//!    to the old segment, `goclift_lessstack` (on g0) unlinks the segment (keeping a small one
//!    as a spare for the next growth at the same depth; `release_spare_segment` frees it while
//!    the goroutine is stopped), and the results go back to the caller of the failing `f`.
//!
//! Pointers into older segments stay valid: segments never move. The goroutine's total stack
//! (all segments) is limited to 1 GB (gc's maxstacksize), with gc's messages.

use crate::arch::goclift_gogo;
use crate::panic::throw;
use crate::print::{print_hex, print_str, print_u64};
use crate::proc::{can_preempt_m, gopreempt_m};
use crate::runtime2::*;
use crate::stack::{
    round_stack_size, stackalloc, stackfree, DEFAULT_MAX_STACK, STACK_GUARD, STACK_PREEMPT,
};
use core::sync::atomic::AtomicUsize;
use core::sync::atomic::Ordering::{Relaxed, SeqCst};

/// Header at the top of every segment after the first: how to get back to the previous one
/// (gc 1.2's Stktop).
#[repr(C)]
pub struct Stktop {
    /// The previous segment's bounds.
    pub old_lo: usize,
    /// End of the previous segment.
    pub old_hi: usize,
    /// morestack's frame on the previous segment (its frame pointer): the saved registers.
    pub frame: usize,
    /// Unused; keeps the header 16-byte aligned.
    pub pad: usize,
}

/// Size of the segment header.
pub const STKTOP_SIZE: usize = core::mem::size_of::<Stktop>();
/// Byte offset of `Stktop::frame`, for the assembly.
pub const STKTOP_FRAME: usize = 16;

/// Most stack one goroutine may use, all segments together (gc's maxstacksize).
pub static MAX_STACK_SIZE: AtomicUsize = AtomicUsize::new(DEFAULT_MAX_STACK);

/// Spare segments up to this size are kept for the next growth (hot split); larger ones go
/// back to the allocator at once.
const MAX_SPARE_SEGMENT: usize = 64 << 10;

/// Sets the maximum total stack per goroutine and returns the previous value (gc's
/// setMaxStack, behind runtime/debug.SetMaxStack).
pub fn set_max_stack(n: usize) -> usize {
    MAX_STACK_SIZE.swap(n, SeqCst)
}

/// Bytes of morestack's register save frame below its frame pointer.
#[cfg(target_arch = "x86_64")]
pub const MORESTACK_FRAME: usize = 256;
/// Bytes of morestack's register save frame below its frame pointer.
#[cfg(target_arch = "aarch64")]
pub const MORESTACK_FRAME: usize = 368;

/// Offsets of the copies of g.morestack_fn/_argsize/_framesize in morestack's frame.
#[cfg(target_arch = "x86_64")]
const FRAME_FN: usize = 232;
#[cfg(target_arch = "aarch64")]
const FRAME_FN: usize = 344;

/// Where the failing function's stack arguments start, given morestack's frame pointer: above
/// the saved frame pointer and (amd64) the return address, or the saved fp/lr pair (arm64).
const ARGS_ABOVE_FP: usize = 16;

/// morestack on g0: grows the stack or yields for a preemption request (gc's newstack).
/// Resumes `gp` through gogo; never returns.
#[unsafe(no_mangle)]
unsafe extern "C" fn goclift_newstack(gp: *mut G) -> ! {
    let mp = (*gp).m;
    let frame_bottom = (*gp).sched.sp;
    let fp = (*gp).sched.bp;
    let saved = |i: usize| *((frame_bottom + FRAME_FN + 8 * i) as *const usize);
    let (f, argsize, framesize) = (saved(0), saved(1), saved(2));
    let _ = f;
    let sg = core::ptr::read_volatile(&(*gp).stackguard0);
    if sg == STACK_PREEMPT {
        // A preemption request; never preempt while the M holds runtime locks or allocates.
        (*gp).stackguard0 = (*gp).stack.lo + STACK_GUARD;
        if can_preempt_m(mp) && !(*gp).is_system {
            gopreempt_m(gp);
        }
        // Not now: carry on; the request is retried at the next check (preempt stays set).
        goclift_gogo(&raw mut (*gp).sched);
    }
    grow(gp, fp, argsize, framesize)
}

/// Links a new segment and resumes `gp` on it at morestack's call of the function.
unsafe fn grow(gp: *mut G, fp: usize, argsize: usize, framesize: usize) -> ! {
    let mp = (*gp).m;
    let old = (*gp).stack;
    let cur = old.hi - old.lo;
    let needed =
        framesize + argsize + STACK_GUARD + STKTOP_SIZE + MORESTACK_FRAME + 1024;
    let size = round_stack_size((2 * cur).max(needed));
    if (*gp).stack_total + size > MAX_STACK_SIZE.load(Relaxed) {
        stack_overflow(gp, fp);
    }
    let spare = (*gp).spare_segment;
    let seg = if spare.hi - spare.lo >= size {
        (*gp).spare_segment = Stack::default();
        spare
    } else {
        stackalloc(size, (*mp).p)
    };
    let top = (seg.hi - STKTOP_SIZE) as *mut Stktop;
    top.write(Stktop {
        old_lo: old.lo,
        old_hi: old.hi,
        frame: fp,
        pad: 0,
    });
    let dst = (top as usize - argsize) & !15;
    core::ptr::copy_nonoverlapping((fp + ARGS_ABOVE_FP) as *const u8, dst as *mut u8, argsize);
    (*gp).stack = seg;
    (*gp).stack_total += seg.hi - seg.lo;
    (*gp).stackguard0 = if (*gp).preempt.load(Relaxed) {
        STACK_PREEMPT
    } else {
        seg.lo + STACK_GUARD
    };
    (*gp).sched.sp = dst;
    (*gp).sched.bp = fp;
    (*gp).sched.pc = goclift_morestack_grown as *const () as usize;
    goclift_gogo(&raw mut (*gp).sched)
}

/// The goroutine needs more stack than allowed: gc's messages, then the fatal error.
unsafe fn stack_overflow(gp: *mut G, sp: usize) -> ! {
    crate::print::printlock();
    print_str("runtime: goroutine stack exceeds ");
    print_u64(MAX_STACK_SIZE.load(Relaxed) as u64);
    print_str("-byte limit\n");
    print_str("runtime: sp=");
    print_hex(sp as u64);
    print_str(" stack=[");
    print_hex((*gp).stack.lo as u64);
    print_str(", ");
    print_hex((*gp).stack.hi as u64);
    print_str("]\n");
    crate::panic::fatal_with_goroutine("stack overflow", gp)
}

/// After the function on a new segment returned: unlinks the segment (on g0, called by
/// morestack through systemstack). The segment becomes the spare if small.
#[unsafe(no_mangle)]
unsafe extern "C" fn goclift_lessstack(arg: *mut u8) {
    let gp = arg as *mut G;
    let mp = (*gp).m;
    let seg = (*gp).stack;
    let top = (seg.hi - STKTOP_SIZE) as *const Stktop;
    let old = Stack {
        lo: (*top).old_lo,
        hi: (*top).old_hi,
    };
    (*gp).stack = old;
    (*gp).stack_total -= seg.hi - seg.lo;
    (*gp).stackguard0 = if (*gp).preempt.load(Relaxed) {
        STACK_PREEMPT
    } else {
        old.lo + STACK_GUARD
    };
    let spare = (*gp).spare_segment;
    let keep = seg.hi - seg.lo <= MAX_SPARE_SEGMENT;
    if keep && spare.hi - spare.lo < seg.hi - seg.lo {
        if spare.lo != 0 {
            stackfree(spare, (*mp).p);
        }
        (*gp).spare_segment = seg;
    } else {
        stackfree(seg, (*mp).p);
    }
}

/// Unlinks `gp`'s newest segment, returning to the one below, as if the function called on
/// it had returned (for a recovery that resumes a frame on an older segment). Called on g0.
///
/// # Safety
/// `gp` must be stopped on a segment after its first.
pub unsafe fn unlink_segment(gp: *mut G) {
    goclift_lessstack(gp as *mut u8)
}

/// The return address of morestack's call of a function re-entered on a new segment: the
/// caller a frame record shows for such a function (see panic.rs's recover check).
pub fn morestack_call_return() -> usize {
    goclift_morestack_called as *const () as usize
}

/// The return address of morestack's call of a function re-entered on the same stack after a
/// preemption: the function's first entry is still below morestack's frame.
pub fn morestack_recall_return() -> usize {
    goclift_morestack_recalled as *const () as usize
}

/// Frees the segments a dead goroutine still holds besides its first stack: the spare
/// segment kept for hot splits. A goroutine only exits from its first segment.
///
/// # Safety
/// `gp` must be dead; `pp` null or the caller's P.
pub unsafe fn release_segments(gp: *mut G, pp: *mut P) {
    if (*gp).spare_segment.lo != 0 {
        stackfree((*gp).spare_segment, pp);
        (*gp).spare_segment = Stack::default();
    }
    if (*gp).stack != (*gp).stack0 {
        throw("goroutine exited on a stack segment");
    }
}

/// Frees `gp`'s spare segment, if it has one, while it is stopped: a goroutine that grew once
/// must not keep the extra memory while it sleeps (goclift's counterpart of gc's shrinkstack,
/// run by the collector). Returns the bytes freed.
///
/// # Safety
/// `gp` must not be running and nothing may run grow or lessstack for it meanwhile (the
/// world is stopped and `gp` is runnable, waiting or preempted).
pub unsafe fn release_spare_segment(gp: *mut G) -> usize {
    let spare = (*gp).spare_segment;
    if spare.lo == 0 {
        return 0;
    }
    (*gp).spare_segment = Stack::default();
    stackfree(spare, core::ptr::null_mut());
    spare.hi - spare.lo
}

/// morestack was entered on a g0 stack (gc's badmorestackg0).
#[unsafe(no_mangle)]
extern "C" fn goclift_badmorestackg0() -> ! {
    crate::panic::fatal_message(&[b"fatal: morestack on g0\n"]);
    crate::os_linux::exit(2)
}

unsafe extern "C" {
    /// The point in morestack where a goroutine continues on a new segment.
    fn goclift_morestack_grown();
    /// The return address of goclift_morestack_grown's call of the function.
    fn goclift_morestack_called();
    /// The return address of morestack's call of the function after a preemption.
    fn goclift_morestack_recalled();
    /// `runtime.morestack` itself (assembly below).
    #[link_name = "runtime.morestack"]
    pub fn morestack();
}

#[cfg(target_arch = "x86_64")]
core::arch::global_asm!(
    // runtime.morestack: called from a failing stack check with the failing function's
    // arguments (registers and stack) and g.morestack_* set; returns its results.
    ".globl \"runtime.morestack\"",
    ".type \"runtime.morestack\", @function",
    ".p2align 4",
    "\"runtime.morestack\":",
    "push rbp",
    "mov rbp, rsp",
    "sub rsp, {frame}",
    // Arguments.
    "mov [rsp + 0], rdi",
    "mov [rsp + 8], rsi",
    "mov [rsp + 16], rdx",
    "mov [rsp + 24], rcx",
    "mov [rsp + 32], r8",
    "mov [rsp + 40], r9",
    "mov [rsp + 48], rax",
    "movdqu [rsp + 64], xmm0",
    "movdqu [rsp + 80], xmm1",
    "movdqu [rsp + 96], xmm2",
    "movdqu [rsp + 112], xmm3",
    "movdqu [rsp + 128], xmm4",
    "movdqu [rsp + 144], xmm5",
    "movdqu [rsp + 160], xmm6",
    "movdqu [rsp + 176], xmm7",
    // Callee-saved registers (the goroutine may be parked and resumed by gogo).
    "mov [rsp + 192], rbx",
    "mov [rsp + 200], r12",
    "mov [rsp + 208], r13",
    "mov [rsp + 216], r14",
    // The re-entry data, which nested checks will overwrite in g.
    "mov rax, [r15 + {gfn}]",
    "mov [rsp + {ffn}], rax",
    "mov rax, [r15 + {gfn} + 8]",
    "mov [rsp + {ffn} + 8], rax",
    "mov rax, [r15 + {gfn} + 16]",
    "mov [rsp + {ffn} + 16], rax",
    // Save the context in g.sched and call newstack(g) on g0 (like mcall).
    "lea rax, [rip + 3f]",
    "mov [r15 + {gsched} + {pc}], rax",
    "mov [r15 + {gsched} + {sp}], rsp",
    "mov [r15 + {gsched} + {g}], r15",
    "mov [r15 + {gsched} + {bp}], rbp",
    "mov rdi, r15",
    "mov rax, [r15 + {gm}]",
    "mov rax, [rax + {mg0}]",
    "cmp rax, r15",
    "jne 2f",
    "call goclift_badmorestackg0",
    "2:",
    "mov rsp, [rax + {gsched} + {sp}]",
    "mov r15, rax",
    "xor ebp, ebp",
    "call goclift_newstack",
    "ud2",
    // Resumed on the same stack (after a preemption): call the function again from a call
    // site of our own, so that the frame chain shows the re-entry (panic.rs's logical_frame),
    // with its stack arguments copied below this frame; return its results.
    "3:",
    "mov rcx, [rsp + {ffn} + 8]",
    "mov rdi, rsp",
    "sub rdi, rcx",
    "and rdi, -16",
    "mov rsp, rdi",
    "lea rsi, [rbp + 16]",
    "rep movsb",
    "lea rax, [rbp - {frame}]",
    "mov rdi, [rax + 0]",
    "mov rsi, [rax + 8]",
    "mov rdx, [rax + 16]",
    "mov rcx, [rax + 24]",
    "mov r8, [rax + 32]",
    "mov r9, [rax + 40]",
    "movdqu xmm0, [rax + 64]",
    "movdqu xmm1, [rax + 80]",
    "movdqu xmm2, [rax + 96]",
    "movdqu xmm3, [rax + 112]",
    "movdqu xmm4, [rax + 128]",
    "movdqu xmm5, [rax + 144]",
    "movdqu xmm6, [rax + 160]",
    "movdqu xmm7, [rax + 176]",
    "mov rbx, [rax + 192]",
    "mov r12, [rax + 200]",
    "mov r13, [rax + 208]",
    "mov r14, [rax + 216]",
    "mov rax, [rax + {ffn}]",
    "call rax",
    ".globl goclift_morestack_recalled",
    "goclift_morestack_recalled:",
    "mov rsp, rbp",
    "pop rbp",
    "ret",
    ".size \"runtime.morestack\", . - \"runtime.morestack\"",
    //
    // Continues on a new segment: newstack set rsp to the copied stack arguments and rbp to
    // morestack's frame on the old segment.
    ".globl goclift_morestack_grown",
    ".type goclift_morestack_grown, @function",
    "goclift_morestack_grown:",
    "mov rbx, rbp",
    "lea rax, [rbx - {frame}]",
    "mov rdi, [rax + 0]",
    "mov rsi, [rax + 8]",
    "mov rdx, [rax + 16]",
    "mov rcx, [rax + 24]",
    "mov r8, [rax + 32]",
    "mov r9, [rax + 40]",
    "movdqu xmm0, [rax + 64]",
    "movdqu xmm1, [rax + 80]",
    "movdqu xmm2, [rax + 96]",
    "movdqu xmm3, [rax + 112]",
    "movdqu xmm4, [rax + 128]",
    "movdqu xmm5, [rax + 144]",
    "movdqu xmm6, [rax + 160]",
    "movdqu xmm7, [rax + 176]",
    "mov rax, [rax + {ffn}]",
    "call rax",
    ".globl goclift_morestack_called",
    "goclift_morestack_called:",
    // Back from the function: keep its results in the old frame, return to the old segment
    // and unlink the new one on g0.
    "lea rcx, [rbx - {frame}]",
    "mov [rcx + 0], rax",
    "mov [rcx + 8], rdx",
    "movdqu [rcx + 64], xmm0",
    "movdqu [rcx + 80], xmm1",
    "mov rsp, rcx",
    "mov rdi, [r15 + {gm}]",
    "mov rdi, [rdi + {mg0}]",
    "lea rsi, [rip + goclift_lessstack]",
    "mov rdx, r15",
    "call goclift_systemstack_switch",
    "mov rax, [rsp + 0]",
    "mov rdx, [rsp + 8]",
    "movdqu xmm0, [rsp + 64]",
    "movdqu xmm1, [rsp + 80]",
    "mov rbx, [rsp + 192]",
    "mov r12, [rsp + 200]",
    "mov r13, [rsp + 208]",
    "mov r14, [rsp + 216]",
    "add rsp, {frame}",
    "pop rbp",
    "ret",
    ".size goclift_morestack_grown, . - goclift_morestack_grown",
    frame = const MORESTACK_FRAME,
    ffn = const FRAME_FN,
    gfn = const G_MORESTACK_FN_OFFSET,
    sp = const GOBUF_SP,
    pc = const GOBUF_PC,
    g = const GOBUF_G,
    bp = const GOBUF_BP,
    gsched = const G_SCHED_OFFSET,
    gm = const G_M_OFFSET,
    mg0 = const M_G0_OFFSET,
);

#[cfg(target_arch = "aarch64")]
core::arch::global_asm!(
    // runtime.morestack: called from a failing stack check with the failing function's
    // arguments (registers and stack) and g.morestack_* set; returns its results.
    ".globl \"runtime.morestack\"",
    ".type \"runtime.morestack\", %function",
    ".p2align 2",
    "\"runtime.morestack\":",
    "stp x29, x30, [sp, #-16]!",
    "mov x29, sp",
    "sub sp, sp, #{frame}",
    // Arguments: x0-x7, x8 (indirect result location), v0-v7.
    "stp x0, x1, [sp, #0]",
    "stp x2, x3, [sp, #16]",
    "stp x4, x5, [sp, #32]",
    "stp x6, x7, [sp, #48]",
    "str x8, [sp, #64]",
    "stp q0, q1, [sp, #80]",
    "stp q2, q3, [sp, #112]",
    "stp q4, q5, [sp, #144]",
    "stp q6, q7, [sp, #176]",
    // Callee-saved registers (x21 is g and stays).
    "stp x19, x20, [sp, #208]",
    "stp x22, x23, [sp, #224]",
    "stp x24, x25, [sp, #240]",
    "stp x26, x27, [sp, #256]",
    "str x28, [sp, #272]",
    "stp d8, d9, [sp, #280]",
    "stp d10, d11, [sp, #296]",
    "stp d12, d13, [sp, #312]",
    "stp d14, d15, [sp, #328]",
    // The re-entry data, which nested checks will overwrite in g.
    "ldr x9, [x21, #{gfn}]",
    "str x9, [sp, #{ffn}]",
    "ldr x9, [x21, #({gfn} + 8)]",
    "str x9, [sp, #({ffn} + 8)]",
    "ldr x9, [x21, #({gfn} + 16)]",
    "str x9, [sp, #({ffn} + 16)]",
    // Save the context in g.sched and call newstack(g) on g0 (like mcall).
    "adr x9, 3f",
    "str x9, [x21, #({gsched} + {pc})]",
    "mov x9, sp",
    "str x9, [x21, #({gsched} + {sp})]",
    "str x21, [x21, #({gsched} + {g})]",
    "str x29, [x21, #({gsched} + {bp})]",
    "str x30, [x21, #({gsched} + {lr})]",
    "mov x0, x21",
    "ldr x9, [x21, #{gm}]",
    "ldr x9, [x9, #{mg0}]",
    "cmp x9, x21",
    "b.ne 2f",
    "bl goclift_badmorestackg0",
    "2:",
    "ldr x10, [x9, #({gsched} + {sp})]",
    "mov sp, x10",
    "mov x21, x9",
    "mov x29, xzr",
    "bl goclift_newstack",
    "brk #0",
    // Resumed on the same stack (after a preemption): call the function again from a call
    // site of our own, so that the frame chain shows the re-entry (panic.rs's logical_frame),
    // with its stack arguments copied below this frame; return its results.
    "3:",
    "ldr x10, [sp, #({ffn} + 8)]",
    "mov x11, sp",
    "sub x11, x11, x10",
    "and x11, x11, #0xfffffffffffffff0",
    "mov sp, x11",
    "add x12, x29, #16",
    "4:",
    "cbz x10, 5f",
    "ldr x13, [x12], #8",
    "str x13, [x11], #8",
    "sub x10, x10, #8",
    "b 4b",
    "5:",
    "sub x10, x29, #{frame}",
    "ldp x0, x1, [x10, #0]",
    "ldp x2, x3, [x10, #16]",
    "ldp x4, x5, [x10, #32]",
    "ldp x6, x7, [x10, #48]",
    "ldr x8, [x10, #64]",
    "ldp q0, q1, [x10, #80]",
    "ldp q2, q3, [x10, #112]",
    "ldp q4, q5, [x10, #144]",
    "ldp q6, q7, [x10, #176]",
    "ldp x19, x20, [x10, #208]",
    "ldp x22, x23, [x10, #224]",
    "ldp x24, x25, [x10, #240]",
    "ldp x26, x27, [x10, #256]",
    "ldr x28, [x10, #272]",
    "ldp d8, d9, [x10, #280]",
    "ldp d10, d11, [x10, #296]",
    "ldp d12, d13, [x10, #312]",
    "ldp d14, d15, [x10, #328]",
    "ldr x9, [x10, #{ffn}]",
    "blr x9",
    ".globl goclift_morestack_recalled",
    "goclift_morestack_recalled:",
    "mov sp, x29",
    "ldp x29, x30, [sp], #16",
    "ret",
    ".size \"runtime.morestack\", . - \"runtime.morestack\"",
    //
    // Continues on a new segment: newstack set sp to the copied stack arguments and x29 to
    // morestack's frame on the old segment.
    ".globl goclift_morestack_grown",
    ".type goclift_morestack_grown, %function",
    "goclift_morestack_grown:",
    "mov x19, x29",
    "sub x10, x19, #{frame}",
    "ldp x0, x1, [x10, #0]",
    "ldp x2, x3, [x10, #16]",
    "ldp x4, x5, [x10, #32]",
    "ldp x6, x7, [x10, #48]",
    "ldr x8, [x10, #64]",
    "ldp q0, q1, [x10, #80]",
    "ldp q2, q3, [x10, #112]",
    "ldp q4, q5, [x10, #144]",
    "ldp q6, q7, [x10, #176]",
    "ldr x9, [x10, #{ffn}]",
    "blr x9",
    ".globl goclift_morestack_called",
    "goclift_morestack_called:",
    // Back from the function: keep its results in the old frame, return to the old segment
    // and unlink the new one on g0.
    "sub x10, x19, #{frame}",
    "stp x0, x1, [x10, #0]",
    "stp x2, x3, [x10, #16]",
    "stp x4, x5, [x10, #32]",
    "stp x6, x7, [x10, #48]",
    "stp q0, q1, [x10, #80]",
    "stp q2, q3, [x10, #112]",
    "stp q4, q5, [x10, #144]",
    "stp q6, q7, [x10, #176]",
    "mov sp, x10",
    "ldr x0, [x21, #{gm}]",
    "ldr x0, [x0, #{mg0}]",
    "adrp x1, goclift_lessstack",
    "add x1, x1, :lo12:goclift_lessstack",
    "mov x2, x21",
    "bl goclift_systemstack_switch",
    "ldp x0, x1, [sp, #0]",
    "ldp x2, x3, [sp, #16]",
    "ldp x4, x5, [sp, #32]",
    "ldp x6, x7, [sp, #48]",
    "ldp q0, q1, [sp, #80]",
    "ldp q2, q3, [sp, #112]",
    "ldp q4, q5, [sp, #144]",
    "ldp q6, q7, [sp, #176]",
    "ldp x19, x20, [sp, #208]",
    "ldp x22, x23, [sp, #224]",
    "ldp x24, x25, [sp, #240]",
    "ldp x26, x27, [sp, #256]",
    "ldr x28, [sp, #272]",
    "ldp d8, d9, [sp, #280]",
    "ldp d10, d11, [sp, #296]",
    "ldp d12, d13, [sp, #312]",
    "ldp d14, d15, [sp, #328]",
    "add sp, sp, #{frame}",
    "ldp x29, x30, [sp], #16",
    "ret",
    ".size goclift_morestack_grown, . - goclift_morestack_grown",
    frame = const MORESTACK_FRAME,
    ffn = const FRAME_FN,
    gfn = const G_MORESTACK_FN_OFFSET,
    sp = const GOBUF_SP,
    pc = const GOBUF_PC,
    g = const GOBUF_G,
    lr = const GOBUF_LR,
    bp = const GOBUF_BP,
    gsched = const G_SCHED_OFFSET,
    gm = const G_M_OFFSET,
    mg0 = const M_G0_OFFSET,
);

#[cfg(test)]
#[path = "morestack_test.rs"]
mod tests;
