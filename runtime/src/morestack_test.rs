//! Stack growth tests. The "compiled Go" functions here are written in assembly with exactly
//! the sequence the compiler must emit (runtime/README.md, "Stack checks"): Cranelift-style
//! prologue, then `sp <= g.stackguard0` -> store morestack_fn/_argsize/_framesize, call
//! runtime.morestack with the function's own arguments, return its results.

use super::*;
use crate::proc::tests::{exclusive, go, make, recv, run, send, Ch};
use crate::proc::{gosched, set_gomaxprocs};
use std::sync::atomic::{AtomicBool, AtomicU64};
use std::sync::Arc;

#[allow(improper_ctypes)]
unsafe extern "C" {
    /// rec(n, a1..a9) = n == 0 ? a1+...+a9 : rec(n-1, a1..a8, a9+1) + 1, with 10 integer
    /// arguments so that some are passed on the stack (4 on amd64, 2 on arm64), a frame of
    /// about 100 bytes, and a stack check. Called through `rec_entry`, which sets g.
    #[allow(dead_code)]
    fn test_rec(n: u64, a1: u64, a2: u64, a3: u64, a4: u64, a5: u64, a6: u64, a7: u64, a8: u64, a9: u64) -> u64;
    /// Calls test_rec(n, base+1, ..., base+9) with `g` in the g register.
    fn rec_entry(n: u64, base: u64, g: *mut G) -> u64;
    /// frec(n, x) = n == 0 ? x : frec(n-1, x+1.0) + 0.5: float argument and result through
    /// morestack. Called through `frec_entry`.
    fn frec_entry(n: u64, x: f64, g: *mut G) -> f64;
}

/// What rec returns.
fn rec_expected(n: u64, base: u64) -> u64 {
    (1..=9).map(|i| base + i).sum::<u64>() + 2 * n
}

#[cfg(target_arch = "x86_64")]
core::arch::global_asm!(
    ".globl test_rec",
    "test_rec:",
    "push rbp",
    "mov rbp, rsp",
    "sub rsp, 80",
    "mov [rbp - 8], rbx",
    // The stack check.
    "mov rax, [r15 + 16]",
    "cmp rsp, rax",
    "jbe 8f",
    "test rdi, rdi",
    "jz 2f",
    // rec(n-1, a1..a8, a9+1) + 1; stack arguments a6..a9 at rbp+16.., outgoing at rsp..
    "mov rax, [rbp + 16]",
    "mov [rsp], rax",
    "mov rax, [rbp + 24]",
    "mov [rsp + 8], rax",
    "mov rax, [rbp + 32]",
    "mov [rsp + 16], rax",
    "mov rax, [rbp + 40]",
    "inc rax",
    "mov [rsp + 24], rax",
    "dec rdi",
    "call test_rec",
    "inc rax",
    "jmp 3f",
    "2:",
    "mov rax, rsi",
    "add rax, rdx",
    "add rax, rcx",
    "add rax, r8",
    "add rax, r9",
    "add rax, [rbp + 16]",
    "add rax, [rbp + 24]",
    "add rax, [rbp + 32]",
    "add rax, [rbp + 40]",
    "3:",
    "mov rbx, [rbp - 8]",
    "mov rsp, rbp",
    "pop rbp",
    "ret",
    // The slow path: re-entry data, then morestack with this function's arguments.
    "8:",
    "lea rax, [rip + test_rec]",
    "mov [r15 + 48], rax",
    "mov qword ptr [r15 + 56], 32",
    "mov qword ptr [r15 + 64], 0",
    "mov rax, [rbp + 16]",
    "mov [rsp], rax",
    "mov rax, [rbp + 24]",
    "mov [rsp + 8], rax",
    "mov rax, [rbp + 32]",
    "mov [rsp + 16], rax",
    "mov rax, [rbp + 40]",
    "mov [rsp + 24], rax",
    "call \"runtime.morestack\"",
    "jmp 3b",
    //
    ".globl rec_entry",
    "rec_entry:",
    "push rbp",
    "mov rbp, rsp",
    "push r15",
    "push rbx",
    "mov r15, rdx",
    "mov rbx, rsi",
    "sub rsp, 32",
    "lea rax, [rbx + 6]",
    "mov [rsp], rax",
    "lea rax, [rbx + 7]",
    "mov [rsp + 8], rax",
    "lea rax, [rbx + 8]",
    "mov [rsp + 16], rax",
    "lea rax, [rbx + 9]",
    "mov [rsp + 24], rax",
    "lea rsi, [rbx + 1]",
    "lea rdx, [rbx + 2]",
    "lea rcx, [rbx + 3]",
    "lea r8, [rbx + 4]",
    "lea r9, [rbx + 5]",
    "call test_rec",
    "add rsp, 32",
    "pop rbx",
    "pop r15",
    "pop rbp",
    "ret",
    //
    "test_frec:",
    "push rbp",
    "mov rbp, rsp",
    "sub rsp, 16",
    "mov rax, [r15 + 16]",
    "cmp rsp, rax",
    "jbe 8f",
    "test rdi, rdi",
    "jz 3f",
    "dec rdi",
    "mov rax, 0x3ff0000000000000",
    "movq xmm1, rax",
    "addsd xmm0, xmm1",
    "call test_frec",
    "mov rax, 0x3fe0000000000000",
    "movq xmm1, rax",
    "addsd xmm0, xmm1",
    "3:",
    "mov rsp, rbp",
    "pop rbp",
    "ret",
    "8:",
    "lea rax, [rip + test_frec]",
    "mov [r15 + 48], rax",
    "mov qword ptr [r15 + 56], 0",
    "mov qword ptr [r15 + 64], 0",
    "call \"runtime.morestack\"",
    "jmp 3b",
    //
    ".globl frec_entry",
    "frec_entry:",
    "push rbp",
    "mov rbp, rsp",
    "push r15",
    "sub rsp, 8",
    "mov r15, rsi",
    "call test_frec",
    "add rsp, 8",
    "pop r15",
    "pop rbp",
    "ret",
);

#[cfg(target_arch = "aarch64")]
core::arch::global_asm!(
    ".globl test_rec",
    "test_rec:",
    "stp x29, x30, [sp, #-16]!",
    "mov x29, sp",
    "sub sp, sp, #64",
    "str x19, [sp, #48]",
    // The stack check.
    "ldr x9, [x21, #16]",
    "mov x10, sp",
    "cmp x10, x9",
    "b.ls 8f",
    "cbz x0, 2f",
    // rec(n-1, a1..a8, a9+1) + 1; stack arguments a8, a9 at x29+16.., outgoing at sp..
    "ldr x9, [x29, #16]",
    "str x9, [sp]",
    "ldr x9, [x29, #24]",
    "add x9, x9, #1",
    "str x9, [sp, #8]",
    "sub x0, x0, #1",
    "bl test_rec",
    "add x0, x0, #1",
    "b 3f",
    "2:",
    "add x0, x1, x2",
    "add x0, x0, x3",
    "add x0, x0, x4",
    "add x0, x0, x5",
    "add x0, x0, x6",
    "add x0, x0, x7",
    "ldr x9, [x29, #16]",
    "add x0, x0, x9",
    "ldr x9, [x29, #24]",
    "add x0, x0, x9",
    "3:",
    "ldr x19, [sp, #48]",
    "mov sp, x29",
    "ldp x29, x30, [sp], #16",
    "ret",
    // The slow path: re-entry data, then morestack with this function's arguments.
    "8:",
    "adrp x9, test_rec",
    "add x9, x9, :lo12:test_rec",
    "str x9, [x21, #48]",
    "mov x9, #16",
    "str x9, [x21, #56]",
    "str xzr, [x21, #64]",
    "ldr x9, [x29, #16]",
    "str x9, [sp]",
    "ldr x9, [x29, #24]",
    "str x9, [sp, #8]",
    "bl \"runtime.morestack\"",
    "b 3b",
    //
    ".globl rec_entry",
    "rec_entry:",
    "sub sp, sp, #48",
    "stp x29, x30, [sp, #16]",
    "add x29, sp, #16",
    "stp x19, x21, [sp, #32]",
    "mov x21, x2",
    "mov x19, x1",
    "add x9, x19, #8",
    "str x9, [sp]",
    "add x9, x19, #9",
    "str x9, [sp, #8]",
    "add x1, x19, #1",
    "add x2, x19, #2",
    "add x3, x19, #3",
    "add x4, x19, #4",
    "add x5, x19, #5",
    "add x6, x19, #6",
    "add x7, x19, #7",
    "bl test_rec",
    "ldp x19, x21, [sp, #32]",
    "ldp x29, x30, [sp, #16]",
    "add sp, sp, #48",
    "ret",
    //
    "test_frec:",
    "stp x29, x30, [sp, #-16]!",
    "mov x29, sp",
    "sub sp, sp, #16",
    "ldr x9, [x21, #16]",
    "mov x10, sp",
    "cmp x10, x9",
    "b.ls 8f",
    "cbz x0, 3f",
    "sub x0, x0, #1",
    "fmov d1, #1.0",
    "fadd d0, d0, d1",
    "bl test_frec",
    "fmov d1, #0.5",
    "fadd d0, d0, d1",
    "3:",
    "mov sp, x29",
    "ldp x29, x30, [sp], #16",
    "ret",
    "8:",
    "adrp x9, test_frec",
    "add x9, x9, :lo12:test_frec",
    "str x9, [x21, #48]",
    "str xzr, [x21, #56]",
    "str xzr, [x21, #64]",
    "bl \"runtime.morestack\"",
    "b 3b",
    //
    ".globl frec_entry",
    "frec_entry:",
    "stp x29, x30, [sp, #-32]!",
    "mov x29, sp",
    "str x21, [sp, #16]",
    "mov x21, x1",
    "bl test_frec",
    "ldr x21, [sp, #16]",
    "ldp x29, x30, [sp], #32",
    "ret",
);

#[test]
fn deep_recursion_grows_the_stack_by_segments_and_shrinks_back() {
    let _x = exclusive();
    run(|gp| unsafe {
        let stack0 = (*gp).stack;
        let total0 = (*gp).stack_total;
        for &n in &[10u64, 1000, 100_000, 300_000] {
            assert_eq!(rec_entry(n, 1000, gp), rec_expected(n, 1000), "rec({n})");
            assert_eq!((*gp).stack, stack0, "back on the first segment after rec({n})");
            assert_eq!((*gp).stack_total, total0, "segments released after rec({n})");
        }
        assert_eq!(frec_entry(20_000, 0.25, gp), 0.25 + 20_000.0 * 1.5);
    });
}

#[test]
fn a_goroutine_with_a_small_stack_recurses_deeply() {
    let _x = exclusive();
    run(|gp| {
        let c = make::<u64>(gp, 0);
        let cc = Ch(c);
        // newproc's default stack: 8 KiB.
        unsafe extern "C" fn body(arg: *mut u8, g: *mut G) {
            let c = arg as *mut HChanPtr;
            let v = rec_entry(50_000, 7, g);
            send(g, (*c).0, v);
        }
        struct HChanPtr(*mut crate::chan::HChan);
        let boxed = Box::leak(Box::new(HChanPtr(cc.c())));
        // SAFETY: gp is the calling goroutine; the box outlives the child.
        unsafe {
            crate::proc::newproc(gp, body, boxed as *mut HChanPtr as *mut u8);
        }
        assert_eq!(recv::<u64>(gp, c), (rec_expected(50_000, 7), true));
    });
}

#[test]
fn hot_split_reuses_the_spare_segment() {
    let _x = exclusive();
    run(|gp| {
        let c = make::<u64>(gp, 0);
        // On a default (8 KiB) stack, recursing 100 deep crosses into a second segment; doing
        // it over and over reuses the spare segment instead of allocating each time.
        unsafe extern "C" fn body(arg: *mut u8, g: *mut G) {
            let c = arg as *mut crate::chan::HChan;
            let depth = 100u64;
            assert_eq!(rec_entry(depth, 0, g), rec_expected(depth, 0));
            assert_ne!((*g).spare_segment.lo, 0, "a spare segment is kept");
            let spare = (*g).spare_segment;
            let before = crate::mheap::MHEAP.stats.read().stack_inuse;
            for i in 0..20_000u64 {
                assert_eq!(rec_entry(depth, i, g), rec_expected(depth, i));
            }
            assert_eq!((*g).spare_segment, spare, "the same spare segment every time");
            let after = crate::mheap::MHEAP.stats.read().stack_inuse;
            assert!(after <= before + (64 << 10), "stacks grew from {before} to {after}");
            send(g, c, 1u64);
        }
        // SAFETY: gp is the calling goroutine; c outlives the child (we wait for it).
        unsafe { crate::proc::newproc(gp, body, c as *mut u8) };
        assert_eq!(recv::<u64>(gp, c), (1, true));
    });
}

#[test]
fn a_parked_goroutines_spare_segment_can_be_released_and_growth_still_works() {
    let _x = exclusive();
    run(|gp| {
        let c = make::<u64>(gp, 0);
        let resume = make::<u64>(gp, 0);
        // The child grows once (keeping a spare), parks, has its spare freed while parked,
        // then grows again from a fresh segment.
        unsafe extern "C" fn body(arg: *mut u8, g: *mut G) {
            let [c, resume] = *(arg as *const [*mut crate::chan::HChan; 2]);
            assert_eq!(rec_entry(100, 1, g), rec_expected(100, 1));
            assert_ne!((*g).spare_segment.lo, 0, "a spare segment is kept");
            send(g, c, g as u64);
            assert_eq!(recv::<u64>(g, resume), (0, true));
            assert_eq!((*g).spare_segment.lo, 0, "the spare was released");
            assert_eq!(rec_entry(300, 2, g), rec_expected(300, 2));
            assert_eq!((*g).stack, (*g).stack0, "back on the first segment");
            send(g, c, 1u64);
        }
        let chans = Box::new([c, resume]);
        // SAFETY: gp is the calling goroutine; the channels outlive the child (we wait for it);
        // the child's spare is released only once it is parked.
        unsafe {
            crate::proc::newproc(gp, body, &*chans as *const _ as *mut u8);
            let (child, _) = recv::<u64>(gp, c);
            let child = child as *mut G;
            while crate::proc::readgstatus(child) != crate::runtime2::G_WAITING {
                gosched(gp);
            }
            let before = crate::mheap::MHEAP.stats.read().stack_inuse;
            assert!(release_spare_segment(child) >= 8192);
            assert_eq!(release_spare_segment(child), 0, "nothing left to release");
            let after = crate::mheap::MHEAP.stats.read().stack_inuse;
            assert!(after <= before, "stacks grew from {before} to {after}");
            send(gp, resume, 0u64);
            assert_eq!(recv::<u64>(gp, c), (1, true));
        }
    });
}

#[test]
fn a_stack_check_is_a_preemption_point() {
    let _x = exclusive();
    run(|gp| unsafe {
        assert_eq!(set_gomaxprocs(gp, 1), 4);
        let spinning = Arc::new(AtomicBool::new(true));
        let other_ran = Arc::new(AtomicU64::new(0));
        let done = make::<u8>(gp, 1);
        let (s, o, d) = (spinning.clone(), other_ran.clone(), Ch(done));
        go(gp, move |g| {
            // Calls "compiled" functions in a loop without ever yielding by itself: only a
            // stack check poisoned by sysmon lets the other goroutine run on the single P.
            let start = crate::time::nanotime();
            while o.load(SeqCst) == 0 {
                assert_eq!(rec_entry(3, 1, g), rec_expected(3, 1));
                assert!(crate::time::nanotime() - start < 60_000_000_000, "never preempted");
            }
            s.store(false, SeqCst);
            send(g, d.c(), 1u8);
        });
        // Runs only if the spinner is preempted.
        gosched(gp);
        other_ran.store(1, SeqCst);
        recv::<u8>(gp, done);
        assert!(!spinning.load(SeqCst));
        assert_eq!(set_gomaxprocs(gp, 1), 1);
        assert_eq!(set_gomaxprocs(gp, 4), 1);
    });
}

/// Runs "infinite" recursion in a child process whose main goroutine has the given stack
/// limit; returns (exit code, stderr).
fn overflow_child(limit: &str) -> (Option<i32>, String) {
    let exe = std::env::current_exe().unwrap();
    let run = |cmd: &mut std::process::Command| {
        cmd.args(["--exact", "morestack::tests::overflow_child_process", "--ignored"])
            .args(["--nocapture", "--test-threads=1"])
            .env("GOCLIFT_STACK_LIMIT", limit)
            .output()
            .unwrap()
    };
    let mut out = run(&mut std::process::Command::new(&exe));
    if out.status.code() == Some(127) && out.stdout.is_empty() && cfg!(target_arch = "aarch64") {
        out = run(std::process::Command::new("qemu-aarch64").arg(&exe));
    }
    (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
}

unsafe extern "C" fn overflow_main(_arg: *mut u8, gp: *mut G) {
    rec_entry(u64::MAX, 0, gp);
}

#[test]
#[ignore = "helper: runs in a child process started by the tests below"]
fn overflow_child_process() {
    let Ok(limit) = std::env::var("GOCLIFT_STACK_LIMIT") else {
        return;
    };
    set_max_stack(limit.parse().unwrap());
    // SAFETY: a fresh process whose only runtime user is this call.
    unsafe { crate::proc::rt0_go(overflow_main, core::ptr::null_mut()) }
}

/// Checks gc's stack overflow report.
fn check_overflow_report(limit: &str, code: Option<i32>, stderr: &str) {
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(
        lines.first().copied(),
        Some(format!("runtime: goroutine stack exceeds {limit}-byte limit").as_str()),
        "{stderr}"
    );
    assert!(lines[1].starts_with("runtime: sp=0x") && lines[1].contains(" stack=[0x"), "{stderr}");
    assert_eq!(&lines[2..], ["fatal error: stack overflow", "", "goroutine 1 [running]:"]);
    assert_eq!(code, Some(2));
}

#[test]
fn exceeding_the_stack_limit_is_a_fatal_stack_overflow() {
    let (code, stderr) = overflow_child("4000000");
    check_overflow_report("4000000", code, &stderr);
}

#[test]
fn the_default_limit_is_gcs_1_gb() {
    let (code, stderr) = overflow_child(&DEFAULT_MAX_STACK.to_string());
    check_overflow_report("1000000000", code, &stderr);
}
