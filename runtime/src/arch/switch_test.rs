//! Context switching without the scheduler: goroutines on their own stacks hand control to
//! each other through mcall (to g0) and gogo, both ways, and every callee-saved register and
//! the g register survive the round trip.

use super::*;
use crate::runtime2::{GoFn, Gobuf, Stack};
use core::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex as StdMutex;

/// Serialises these tests: they share the statics below.
static LOCK: StdMutex<()> = StdMutex::new(());

/// A goroutine stack owned by a test.
fn new_stack(bytes: usize) -> Stack {
    let mem: &'static mut [u8] = Vec::leak(vec![0u8; bytes]);
    let lo = mem.as_mut_ptr() as usize;
    Stack { lo, hi: lo + bytes }
}

/// A G ready to start `f(arg, g)` on a fresh stack (what newproc1 sets up).
fn new_g(m: *mut M, f: GoFn, arg: *mut u8) -> *mut G {
    let g = Box::leak(Box::new(G::zeroed()));
    let stk = new_stack(64 << 10);
    g.stack = stk;
    g.m = m;
    g.startfn = Some(f);
    g.startarg = arg;
    g.sched = Gobuf::zero();
    g.sched.sp = stk.hi - START_FRAME;
    g.sched.pc = gostart_pc();
    g.sched.g = g;
    g
}

/// An M with a g0 whose scheduling stack is a fresh buffer, and a G standing for the test
/// thread itself (its context is saved by the first mcall).
fn new_m() -> (*mut M, *mut G) {
    let m = Box::leak(Box::new(M::zeroed()));
    let g0 = Box::leak(Box::new(G::zeroed()));
    let stk = new_stack(256 << 10);
    g0.stack = stk;
    g0.sched.sp = (stk.hi - 64) & !15;
    g0.m = m;
    m.g0 = g0;
    let gmain = Box::leak(Box::new(G::zeroed()));
    gmain.m = m;
    (m, gmain)
}

/// Where g0 switches next: set before each mcall.
static NEXT: AtomicUsize = AtomicUsize::new(0);
/// The order in which the goroutines ran.
static LOG: StdMutex<Vec<&'static str>> = StdMutex::new(Vec::new());
/// G pointers of the two goroutines and the test thread.
static G1: AtomicUsize = AtomicUsize::new(0);
static G2: AtomicUsize = AtomicUsize::new(0);
static GMAIN: AtomicUsize = AtomicUsize::new(0);

/// On g0: resume the goroutine in NEXT.
unsafe extern "C" fn switch_to_next(_from: *mut G) {
    let to = NEXT.load(Ordering::SeqCst) as *mut G;
    goclift_gogo(&raw mut (*to).sched);
}

/// Switches from `me` to `to` and returns when someone switches back.
unsafe fn switch(me: *mut G, to: usize) {
    NEXT.store(to, Ordering::SeqCst);
    goclift_mcall(me, switch_to_next);
}

fn log(s: &'static str) {
    LOG.lock().unwrap().push(s);
}

unsafe extern "C" fn body1(arg: *mut u8, g: *mut G) {
    assert_eq!(arg as usize, 0x11);
    assert_eq!(g as usize, G1.load(Ordering::SeqCst), "g passed to the body");
    let local = 7u64;
    log("g1 start");
    switch(g, G2.load(Ordering::SeqCst));
    log("g1 resumed");
    assert_eq!(core::hint::black_box(local), 7, "g1's stack survived");
    switch(g, G2.load(Ordering::SeqCst));
    log("g1 resumed again");
    switch(g, GMAIN.load(Ordering::SeqCst));
    unreachable!("g1 is never resumed after handing back to the test thread");
}

unsafe extern "C" fn body2(arg: *mut u8, g: *mut G) {
    assert_eq!(arg as usize, 0x22);
    log("g2 start");
    switch(g, G1.load(Ordering::SeqCst));
    log("g2 resumed");
    switch(g, G1.load(Ordering::SeqCst));
    unreachable!("g2 is never resumed");
}

#[test]
fn goroutines_switch_both_ways_through_g0() {
    let _guard = LOCK.lock().unwrap();
    LOG.lock().unwrap().clear();
    let (m, gmain) = new_m();
    let g1 = new_g(m, body1, 0x11 as *mut u8);
    let g2 = new_g(m, body2, 0x22 as *mut u8);
    G1.store(g1 as usize, Ordering::SeqCst);
    G2.store(g2 as usize, Ordering::SeqCst);
    GMAIN.store(gmain as usize, Ordering::SeqCst);
    let before = 0xdead_beef_u64;
    // SAFETY: all Gs, stacks and the M live for the rest of the process.
    unsafe { switch(gmain, g1 as usize) };
    assert_eq!(core::hint::black_box(before), 0xdead_beef);
    assert_eq!(
        *LOG.lock().unwrap(),
        ["g1 start", "g2 start", "g1 resumed", "g2 resumed", "g1 resumed again"]
    );
}

/// Where the register test's g0 function resumes the test thread after clobbering.
static RESUME: AtomicUsize = AtomicUsize::new(0);

unsafe extern "C" fn clobber_then_resume(_gp: *mut G) {
    let to = RESUME.load(Ordering::SeqCst) as *mut G;
    test_clobber_and_gogo(&raw mut (*to).sched);
}

#[allow(improper_ctypes)]
unsafe extern "C" {
    /// Loads sentinels into every callee-saved register (and the g register), mcalls
    /// `f(gp)`, and returns a bit mask of the registers that did not survive.
    fn test_mcall_regs(gp: *mut G, f: unsafe extern "C" fn(*mut G)) -> u64;
    /// Overwrites every callee-saved register with garbage, then gogo(buf).
    fn test_clobber_and_gogo(buf: *mut Gobuf) -> !;
}

#[cfg(target_arch = "x86_64")]
core::arch::global_asm!(
    ".globl test_mcall_regs",
    "test_mcall_regs:",
    "push rbp",
    "push rbx",
    "push r12",
    "push r13",
    "push r14",
    "push r15",
    "sub rsp, 8",
    "mov rbp, 0x1111",
    "mov rbx, 0x2222",
    "mov r12, 0x3333",
    "mov r13, 0x4444",
    "mov r14, 0x5555",
    "mov r15, 0x6666",
    "call goclift_mcall",
    "xor eax, eax",
    "cmp rbp, 0x1111",
    "je 1f",
    "or eax, 1",
    "1: cmp rbx, 0x2222",
    "je 2f",
    "or eax, 2",
    "2: cmp r12, 0x3333",
    "je 3f",
    "or eax, 4",
    "3: cmp r13, 0x4444",
    "je 4f",
    "or eax, 8",
    "4: cmp r14, 0x5555",
    "je 5f",
    "or eax, 16",
    "5: cmp r15, 0x6666",
    "je 6f",
    "or eax, 32",
    "6: add rsp, 8",
    "pop r15",
    "pop r14",
    "pop r13",
    "pop r12",
    "pop rbx",
    "pop rbp",
    "ret",
    ".globl test_clobber_and_gogo",
    "test_clobber_and_gogo:",
    "mov rbp, -1",
    "mov rbx, -1",
    "mov r12, -1",
    "mov r13, -1",
    "mov r14, -1",
    "mov r15, -1",
    "jmp goclift_gogo",
);

#[cfg(target_arch = "aarch64")]
core::arch::global_asm!(
    ".globl test_mcall_regs",
    "test_mcall_regs:",
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
    "mov x19, #0x19",
    "mov x20, #0x20",
    "mov x21, #0x21",
    "mov x22, #0x22",
    "mov x23, #0x23",
    "mov x24, #0x24",
    "mov x25, #0x25",
    "mov x26, #0x26",
    "mov x27, #0x27",
    "mov x28, #0x28",
    "mov x29, #0x29",
    "fmov d8, #1.0",
    "fmov d9, #2.0",
    "fmov d10, #3.0",
    "fmov d11, #4.0",
    "fmov d12, #5.0",
    "fmov d13, #6.0",
    "fmov d14, #7.0",
    "fmov d15, #8.0",
    "bl goclift_mcall",
    "mov x0, xzr",
    "mov x9, #1",
    "cmp x19, #0x19",
    "b.eq 1f",
    "orr x0, x0, x9",
    "1: lsl x9, x9, #1",
    "cmp x20, #0x20",
    "b.eq 1f",
    "orr x0, x0, x9",
    "1: lsl x9, x9, #1",
    "cmp x21, #0x21",
    "b.eq 1f",
    "orr x0, x0, x9",
    "1: lsl x9, x9, #1",
    "cmp x22, #0x22",
    "b.eq 1f",
    "orr x0, x0, x9",
    "1: lsl x9, x9, #1",
    "cmp x23, #0x23",
    "b.eq 1f",
    "orr x0, x0, x9",
    "1: lsl x9, x9, #1",
    "cmp x24, #0x24",
    "b.eq 1f",
    "orr x0, x0, x9",
    "1: lsl x9, x9, #1",
    "cmp x25, #0x25",
    "b.eq 1f",
    "orr x0, x0, x9",
    "1: lsl x9, x9, #1",
    "cmp x26, #0x26",
    "b.eq 1f",
    "orr x0, x0, x9",
    "1: lsl x9, x9, #1",
    "cmp x27, #0x27",
    "b.eq 1f",
    "orr x0, x0, x9",
    "1: lsl x9, x9, #1",
    "cmp x28, #0x28",
    "b.eq 1f",
    "orr x0, x0, x9",
    "1: lsl x9, x9, #1",
    "cmp x29, #0x29",
    "b.eq 1f",
    "orr x0, x0, x9",
    "1: lsl x9, x9, #1",
    "fmov d0, #1.0",
    "fcmp d8, d0",
    "b.eq 1f",
    "orr x0, x0, x9",
    "1: lsl x9, x9, #1",
    "fmov d0, #8.0",
    "fcmp d15, d0",
    "b.eq 1f",
    "orr x0, x0, x9",
    "1:",
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
    ".globl test_clobber_and_gogo",
    "test_clobber_and_gogo:",
    "mov x19, #-1",
    "mov x20, #-1",
    "mov x21, #-1",
    "mov x22, #-1",
    "mov x23, #-1",
    "mov x24, #-1",
    "mov x25, #-1",
    "mov x26, #-1",
    "mov x27, #-1",
    "mov x28, #-1",
    "mov x29, #-1",
    "fmov d8, #-1.0",
    "fmov d15, #-1.0",
    "b goclift_gogo",
);

#[test]
fn mcall_and_gogo_preserve_callee_saved_registers() {
    let _guard = LOCK.lock().unwrap();
    let (_m, gmain) = new_m();
    RESUME.store(gmain as usize, Ordering::SeqCst);
    // SAFETY: the M, g0 stack and G live for the rest of the process.
    let lost = unsafe { test_mcall_regs(gmain, clobber_then_resume) };
    assert_eq!(lost, 0, "callee-saved registers lost (bit mask)");
}

/// What g0 saw in the g register during mcall.
static G_REG_ON_G0: AtomicUsize = AtomicUsize::new(0);

#[cfg(target_arch = "x86_64")]
#[unsafe(naked)]
unsafe extern "C" fn record_g_reg_and_resume(_gp: *mut G) {
    core::arch::naked_asm!(
        "mov [rip + {seen}], r15",
        "jmp {f}",
        seen = sym G_REG_ON_G0,
        f = sym clobber_then_resume,
    );
}

#[cfg(target_arch = "aarch64")]
#[unsafe(naked)]
unsafe extern "C" fn record_g_reg_and_resume(_gp: *mut G) {
    core::arch::naked_asm!(
        "adrp x9, {seen}",
        "str x21, [x9, :lo12:{seen}]",
        "b {f}",
        seen = sym G_REG_ON_G0,
        f = sym clobber_then_resume,
    );
}

#[test]
fn mcall_runs_on_g0_with_g0_in_the_g_register() {
    let _guard = LOCK.lock().unwrap();
    let (m, gmain) = new_m();
    RESUME.store(gmain as usize, Ordering::SeqCst);
    // SAFETY: as above.
    let lost = unsafe { test_mcall_regs(gmain, record_g_reg_and_resume) };
    assert_eq!(lost, 0);
    // SAFETY: m lives forever.
    assert_eq!(G_REG_ON_G0.load(Ordering::SeqCst), unsafe { (*m).g0 } as usize);
    // SAFETY: gmain lives forever; gogo cleared the saved sp.
    assert_eq!(unsafe { (*gmain).sched.sp }, 0, "gogo clears the consumed gobuf");
}

/// Runs on g0 through systemstack: records its stack pointer.
unsafe extern "C" fn on_system_stack(arg: *mut u8) {
    *(arg as *mut usize) = current_sp();
}

#[test]
fn systemstack_switch_runs_on_g0_and_comes_back() {
    let _guard = LOCK.lock().unwrap();
    let (m, _gmain) = new_m();
    let mut seen = 0usize;
    // SAFETY: m's g0 stack is valid.
    unsafe {
        let g0 = (*m).g0;
        goclift_systemstack_switch(g0, on_system_stack, &mut seen as *mut usize as *mut u8);
        assert!(
            (*g0).stack.lo < seen && seen < (*g0).stack.hi,
            "ran at {seen:#x}, outside g0's stack {:?}",
            (*g0).stack
        );
    }
    let here = current_sp();
    assert!(here.abs_diff(seen) > 4096, "came back to the caller's stack");
}
