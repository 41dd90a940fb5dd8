//! The scheduler (Go's proc.go): Gs, Ms and Ps, run queues, work stealing, spinning and parked
//! threads, goroutine creation and exit, parking and readying, system calls, LockOSThread,
//! stop-the-world, deadlock detection, sysmon; process start-up.
//!
//! The algorithms and names are gc's. The difference is how code knows where it runs: gc reads
//! g from TLS (getg), goclift's Rust code cannot read the pinned g register reliably, so every
//! function takes the current g (`gp`, on a goroutine stack) or M (`mp`, on g0) explicitly.
//! Functions named `*_m` run on g0 (through mcall or systemstack), as in gc.
//!
//! Executables start in glibc's crt1, which calls the C `main` below: it sets up g0 and m0 on
//! the main thread, runs schedinit, creates the main goroutine (which runs `goclift.main`, the
//! compiled program's init and main.main) and enters the scheduler.

use crate::arch::{goclift_gogo, goclift_mcall, goclift_mstart_g0, goclift_systemstack_switch};
use crate::lock_futex::Mutex;
use crate::os_linux;
use crate::panic::throw;
use crate::runtime2::*;
use crate::stack::{
    round_stack_size, stackalloc, stackfree, G0_STACK_SIZE, STACK_GUARD, STACK_MIN,
    STACK_PREEMPT,
};
use core::ptr::null_mut;
use core::sync::atomic::Ordering::{AcqRel, Acquire, Relaxed, Release, SeqCst};
use core::sync::atomic::{AtomicBool, AtomicI32, AtomicU32, AtomicUsize};

/// Goroutine ids are handed to Ps in batches of this many (gc's _GoidCacheBatch).
const GOID_CACHE_BATCH: u64 = 16;

/// Time slice of a goroutine before sysmon preempts it (gc's forcePreemptNS).
pub const FORCE_PREEMPT_NS: i64 = 10_000_000;

// ---------------------------------------------------------------------------------------------
// Process start-up.

#[cfg(all(goclift_staticlib, not(test)))]
unsafe extern "C" {
    /// The compiler-generated program entry: package initialisation, then main.main.
    #[link_name = "goclift.main"]
    fn goclift_main();
}

/// The C entry point: records the arguments, initialises the scheduler, runs the Go program on
/// the main goroutine; exits 0 when it returns.
///
/// # Safety
/// Called once, by crt1, with the process's argument and environment arrays.
#[cfg(all(goclift_staticlib, not(test)))]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn main(argc: i32, argv: *const *const u8, envp: *const *const u8) -> i32 {
    crate::runtime1::args(argc, argv, envp);
    crate::os_linux::sysargs(envp);
    rt0_go(call_goclift_main, null_mut())
}

/// The main goroutine's body in an executable: the compiled program.
#[cfg(all(goclift_staticlib, not(test)))]
unsafe extern "C" fn call_goclift_main(_arg: *mut u8, gp: *mut G) {
    crate::arch::goclift_call_with_g(goclift_main, gp);
}

/// Starts the runtime on the calling thread, which becomes m0 (gc's rt0_go): g0 on the thread
/// stack, schedinit, the main goroutine running `runtime_main` (which calls `mainfn(arg)` and
/// exits), then the scheduler. Never returns.
///
/// # Safety
/// Called once per process, on a thread with at least G0_STACK_SIZE of stack below.
pub unsafe fn rt0_go(mainfn: GoFn, arg: *mut u8) -> ! {
    let g0 = &raw mut G0;
    let m0 = &raw mut M0;
    init_g0(&mut *g0, crate::arch::current_sp());
    schedinit(g0, m0);
    MAIN_FN.store(mainfn as usize, Relaxed);
    let newg = newproc1(runtime_main, arg, g0, m0, main_stack_size());
    runqput((*m0).p, newg, true);
    mstart(m0)
}

/// The function the main goroutine runs after start-up (set by rt0_go).
static MAIN_FN: AtomicUsize = AtomicUsize::new(0);

/// The main goroutine (gc's runtime.main): starts sysmon, runs the program, exits 0.
unsafe extern "C" fn runtime_main(arg: *mut u8, gp: *mut G) {
    MAIN_G.store(gp as usize, Relaxed);
    let sched = sched();
    (*sched).main_started.store(true, Release);
    systemstack((*gp).m, || newm(Some(sysmon), null_mut(), -1, (*gp).m));
    reserve_runtime_goids(gp);
    crate::mgc::gcenable();
    // SAFETY: MAIN_FN holds the GoFn rt0_go was given.
    let mainfn: GoFn = core::mem::transmute::<usize, GoFn>(MAIN_FN.load(Relaxed));
    mainfn(arg, gp);
    os_linux::exit(0)
}

/// Goroutine ids gc's runtime.main gives its own goroutines before main.main runs
/// (forcegchelper, bgsweep, bgscavenge).
const GC_RUNTIME_GOROUTINES: usize = 3;

/// Skips the goroutine ids gc's runtime gives its own goroutines before main.main, so that
/// the first goroutine a program starts is goroutine 5, as with gc (tracebacks show ids).
/// goclift's runtime has no such goroutines (yet): when it gets them, they take the ids.
unsafe fn reserve_runtime_goids(gp: *mut G) {
    let pp = (*(*gp).m).p;
    for _ in 0..GC_RUNTIME_GOROUTINES {
        next_goid(pp);
    }
}

/// The main goroutine, for goroutine headers (gc's main g is goid 1).
static MAIN_G: AtomicUsize = AtomicUsize::new(0);

/// Gives g0 the top G0_STACK_SIZE bytes below `sp` of the thread stack, as gc's rt0_go does.
pub fn init_g0(g0: &mut G, sp: usize) {
    let hi = sp & !15;
    let lo = hi - G0_STACK_SIZE;
    g0.stack = Stack { lo, hi };
    g0.stackguard0 = lo + STACK_GUARD;
    g0.stackguard1 = g0.stackguard0;
}

/// Initialises the scheduler (gc's schedinit): the allocator, m0, GOMAXPROCS Ps with m0
/// holding P0.
///
/// # Safety
/// Called once, on the main thread, with its g0 and m0.
pub unsafe fn schedinit(g0: *mut G, m0: *mut M) {
    let sched = sched();
    crate::malloc::mallocinit();
    (*m0).g0 = g0;
    (*g0).m = m0;
    lock(&(*sched).lock);
    (*sched).lastpoll.store(crate::time::nanotime(), Relaxed);
    mcommoninit(m0, -1);
    unlock(&(*sched).lock);
    NCPU.store(os_linux::getproccount(), Relaxed);
    let procs = gomaxprocs_from_env().unwrap_or(NCPU.load(Relaxed) as i32);
    lock(&(*sched).lock);
    if !procresize(procs, m0).is_null() {
        throw("unknown runnable goroutine during bootstrap");
    }
    unlock(&(*sched).lock);
    init_stack_mode();
    crate::signal_linux::initsig();
}

/// GOMAXPROCS from the environment, if set to a positive number (gc's schedinit).
fn gomaxprocs_from_env() -> Option<i32> {
    let mut i = 0;
    while let Some(kv) = crate::runtime1::env(i) {
        if let Some(v) = kv.strip_prefix(b"GOMAXPROCS=") {
            let n = atoi(v)?;
            return (n > 0).then_some(n.min(MAX_GOMAXPROCS as i64) as i32);
        }
        i += 1;
    }
    None
}

/// Parses a decimal number (gc's atoi): None unless all digits.
pub fn atoi(s: &[u8]) -> Option<i64> {
    if s.is_empty() {
        return None;
    }
    let mut n: i64 = 0;
    for &c in s {
        if !c.is_ascii_digit() {
            return None;
        }
        n = n.checked_mul(10)?.checked_add((c - b'0') as i64)?;
    }
    Some(n)
}

unsafe extern "C" {
    /// Defined (nonzero) by compiled programs whose functions check the stack in their
    /// prologue; the runtime's weak default is 0 (see arch). Without checks, goroutines get
    /// large fixed stacks.
    #[link_name = "goclift.stackcheck"]
    static STACKCHECK: u8;
}

/// Whether compiled code grows stacks (decided once at start-up).
static STACKS_CHECKED: AtomicBool = AtomicBool::new(true);

/// Stack size of goroutines when compiled code has no stack checks.
pub const NOCHECK_STACK_SIZE: usize = 256 << 10;
/// Stack size of the main goroutine when compiled code has no stack checks (an OS main
/// thread's usual limit).
pub const NOCHECK_MAIN_STACK_SIZE: usize = 8 << 20;

unsafe fn init_stack_mode() {
    let checked = cfg!(test) || core::ptr::read_volatile(&raw const STACKCHECK) != 0;
    STACKS_CHECKED.store(checked, Relaxed);
}

/// The size new goroutines start with (gc's startingStackSize).
pub fn starting_stack_size() -> usize {
    if STACKS_CHECKED.load(Relaxed) {
        STACK_MIN
    } else {
        NOCHECK_STACK_SIZE
    }
}

fn main_stack_size() -> usize {
    if cfg!(test) {
        // Unit tests run Rust code as the main goroutine.
        return 256 << 10;
    }
    if STACKS_CHECKED.load(Relaxed) {
        STACK_MIN
    } else {
        NOCHECK_MAIN_STACK_SIZE
    }
}

/// Exits the process with `code` (gc's runtime.exit, used by os.Exit).
#[unsafe(export_name = "runtime.exit")]
pub extern "C" fn exit(code: i32) {
    crate::os_linux::exit(code)
}

// ---------------------------------------------------------------------------------------------
// Small helpers.

/// Takes a runtime mutex (gc's lock).
#[inline]
pub fn lock(l: &Mutex) {
    l.lock();
}

/// Releases a runtime mutex (gc's unlock).
#[inline]
pub fn unlock(l: &Mutex) {
    l.unlock();
}

/// Disables preemption of the current goroutine's M (gc's acquirem); `mp` may be null for
/// threads that are not Ms.
#[inline]
pub unsafe fn acquirem(mp: *mut M) -> *mut M {
    if !mp.is_null() {
        (*mp).locks += 1;
    }
    mp
}

/// Re-enables preemption (gc's releasem); restores a preemption request that arrived meanwhile.
#[inline]
pub unsafe fn releasem(mp: *mut M) {
    if mp.is_null() {
        return;
    }
    (*mp).locks -= 1;
    let gp = (*mp).curg;
    if (*mp).locks == 0 && !gp.is_null() && (*gp).preempt.load(Relaxed) {
        (*gp).stackguard0 = STACK_PREEMPT;
    }
}

/// A fast per-M random number (gc's fastrand, wyrand).
pub unsafe fn fastrand(mp: *mut M) -> u32 {
    let state = if mp.is_null() {
        &raw mut FASTRAND_NO_M
    } else {
        &raw mut (*mp).fastrand
    };
    *state = (*state).wrapping_add(0xa0761d6478bd642f);
    let x = (*state as u128) * ((*state ^ 0xe7037ed1a0b428db) as u128);
    ((x >> 64) as u64 ^ x as u64) as u32
}

/// Random state for callers without an M (only races harmlessly).
static mut FASTRAND_NO_M: u64 = 0x1234_5678_9abc_def0;

/// A random number in [0, n) (gc's fastrandn).
pub unsafe fn fastrandn(mp: *mut M, n: u32) -> u32 {
    ((fastrand(mp) as u64 * n as u64) >> 32) as u32
}

/// Runs `f` on `mp`'s g0 stack (gc's systemstack), directly if already there.
///
/// # Safety
/// `mp` must be the calling thread's M.
pub unsafe fn systemstack<F: FnOnce()>(mp: *mut M, f: F) {
    let g0 = (*mp).g0;
    let sp = crate::arch::current_sp();
    if (*g0).stack.lo <= sp && sp < (*g0).stack.hi {
        f();
        return;
    }
    let mut slot = Some(f);
    unsafe extern "C" fn call<F: FnOnce()>(arg: *mut u8) {
        // SAFETY: `arg` is the Option<F> on the caller's stack, which outlives the call.
        let f = unsafe { (*(arg as *mut Option<F>)).take() };
        (f.expect("systemstack closure"))();
    }
    goclift_systemstack_switch(g0, call::<F>, &mut slot as *mut Option<F> as *mut u8);
}

/// Saves `gp`'s context and runs `f(gp)` on g0 (gc's mcall).
///
/// # Safety
/// `gp` must be the calling goroutine (not a g0).
#[inline]
pub unsafe fn mcall(gp: *mut G, f: unsafe extern "C" fn(*mut G)) {
    goclift_mcall(gp, f);
}

/// mcall was called on g0 (gc's badmcall).
#[unsafe(no_mangle)]
pub extern "C" fn goclift_badmcall() -> ! {
    throw("runtime: mcall called on m->g0 stack")
}

/// An mcall function returned (gc's badmcall2).
#[unsafe(no_mangle)]
pub extern "C" fn goclift_badmcall2() -> ! {
    throw("runtime: mcall function returned")
}

// ---------------------------------------------------------------------------------------------
// Goroutine status.

/// The status of `gp` (gc's readgstatus).
#[inline]
pub unsafe fn readgstatus(gp: *mut G) -> u32 {
    (*gp).atomicstatus.load(Acquire)
}

/// Changes `gp`'s status from `old` to `new`, waiting out a concurrent scan (gc's casgstatus).
pub unsafe fn casgstatus(gp: *mut G, old: u32, new: u32) {
    if old & G_SCAN != 0 || new & G_SCAN != 0 || old == new {
        throw("casgstatus: bad incoming values");
    }
    let mut i = 0;
    while (*gp)
        .atomicstatus
        .compare_exchange_weak(old, new, AcqRel, Relaxed)
        .is_err()
    {
        if old == G_WAITING && readgstatus(gp) == G_RUNNABLE {
            throw("casgstatus: waiting for Gwaiting but is Grunnable");
        }
        i += 1;
        if i % 64 == 0 {
            os_linux::osyield();
        } else {
            core::hint::spin_loop();
        }
        if i > 1 << 24 {
            crate::print::print_str("runtime: casgstatus: oldval=");
            crate::print::print_u64(old as u64);
            crate::print::print_str(" newval=");
            crate::print::print_u64(new as u64);
            crate::print::print_str("\n");
            throw("casgstatus: bad status");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Ms.

/// Common M initialisation (gc's mcommoninit): id, random seed, allm. sched.lock is held.
unsafe fn mcommoninit(mp: *mut M, id: i64) {
    let sched = sched();
    (*mp).id = if id >= 0 { id } else { mreserve_id() };
    (*mp).fastrand = (*mp).id as u64 ^ (crate::time::nanotime() as u64).rotate_left(17);
    if (*mp).fastrand == 0 {
        (*mp).fastrand = 1;
    }
    (*mp).alllink = ALLM.load(Relaxed);
    ALLM.store(mp, Release);
    let _ = sched;
}

/// A fresh M id; sched.lock is held (gc's mReserveID).
unsafe fn mreserve_id() -> i64 {
    let sched = sched();
    if (*sched).mnext + 1 < (*sched).mnext {
        throw("runtime: thread ID overflow");
    }
    let id = (*sched).mnext;
    (*sched).mnext += 1;
    checkmcount();
    id
}

/// Throws when the thread limit is exceeded (gc's checkmcount).
unsafe fn checkmcount() {
    let sched = sched();
    let count = mcount();
    if count > (*sched).maxmcount {
        crate::print::print_str("runtime: program exceeds ");
        crate::print::print_u64((*sched).maxmcount as u64);
        crate::print::print_str("-thread limit\n");
        throw("thread exhaustion");
    }
}

/// The number of live Ms (gc's mcount).
pub unsafe fn mcount() -> i32 {
    let sched = sched();
    ((*sched).mnext - (*sched).nmfreed) as i32
}

/// Allocates an M with a g0 but no thread (gc's allocm). `pp` is the P the caller owns and
/// lends to the allocation, if any.
unsafe fn allocm(fn_: Option<MStartFn>, id: i64) -> *mut M {
    let sched = sched();
    // Free the Ms whose threads have exited.
    lock(&(*sched).lock);
    let mut pending: *mut M = null_mut();
    let mut mp = (*sched).freem;
    while !mp.is_null() {
        let next = (*mp).freelink;
        if (*mp).free_wait.load(Acquire) != 0 {
            (*mp).freelink = pending;
            pending = mp;
        } else {
            free_m_resources(mp);
        }
        mp = next;
    }
    (*sched).freem = pending;
    unlock(&(*sched).lock);

    let mp = alloc_m_struct();
    mp.write(M::zeroed());
    (*mp).mstartfn = fn_;
    lock(&(*sched).lock);
    mcommoninit(mp, id);
    unlock(&(*sched).lock);
    let g0 = alloc_g_struct();
    g0.write(G::zeroed());
    (*g0).m = mp;
    (*mp).g0 = g0;
    mp
}

/// Returns an exited M's g0 stack mapping (its G and M structs stay allocated, as in gc).
unsafe fn free_m_resources(mp: *mut M) {
    let (base, len) = (*mp).g0_mapping;
    if len != 0 {
        let _ = os_linux::munmap(base as *mut u8, len);
        (*mp).g0_mapping = (0, 0);
    }
}

/// Ms and Gs live in memory that is never freed (gc never frees gs either; Ms are reused
/// through the free list): fixed-size allocators under one lock.
struct StructAllocs {
    gs: crate::mfixalloc::FixAlloc,
    ms: crate::mfixalloc::FixAlloc,
    sudogs: crate::mfixalloc::FixAlloc,
    ready: bool,
}

// SAFETY: the allocators are only used under the lock.
unsafe impl Send for StructAllocs {}

static STRUCT_ALLOCS: crate::lock_futex::Locked<StructAllocs> =
    crate::lock_futex::Locked::new(StructAllocs {
        gs: crate::mfixalloc::FixAlloc::uninit(),
        ms: crate::mfixalloc::FixAlloc::uninit(),
        sudogs: crate::mfixalloc::FixAlloc::uninit(),
        ready: false,
    });

fn with_struct_allocs<R>(f: impl FnOnce(&mut StructAllocs) -> R) -> R {
    let mut a = STRUCT_ALLOCS.lock();
    if !a.ready {
        let stat = &crate::mstats::MEMSTATS.other_sys;
        a.gs.init(core::mem::size_of::<G>(), stat, true);
        a.ms.init(core::mem::size_of::<M>(), stat, true);
        a.sudogs.init(SUDOG_SIZE, stat, true);
        a.ready = true;
    }
    f(&mut a)
}

/// Memory for a G (zeroed).
pub fn alloc_g_struct() -> *mut G {
    with_struct_allocs(|a| a.gs.alloc()) as *mut G
}

fn alloc_m_struct() -> *mut M {
    with_struct_allocs(|a| a.ms.alloc()) as *mut M
}

/// Memory for a sudog (zeroed).
pub fn alloc_sudog_struct() -> *mut Sudog {
    with_struct_allocs(|a| a.sudogs.alloc()) as *mut Sudog
}

/// Creates a new M running `fn_` (then the scheduler) and owning `pp` (gc's newm). `curm` is
/// the calling M (for preemption accounting), or null.
pub unsafe fn newm(fn_: Option<MStartFn>, pp: *mut P, id: i64, curm: *mut M) {
    acquirem(curm);
    let mp = allocm(fn_, id);
    (*mp).nextp = pp;
    newosproc(mp);
    releasem(curm);
}

/// Starts an OS thread for `mp` (gc's newosproc): clone in executables. Unit tests run Rust
/// code (which needs glibc's per-thread state) on their goroutines, so there the Ms are
/// ordinary std threads.
#[cfg(not(test))]
unsafe fn newosproc(mp: *mut M) {
    use crate::os_linux::{MAP_ANON, MAP_PRIVATE, PROT_NONE, PROT_READ, PROT_WRITE};
    let guard = os_linux::phys_page_size().max(4096);
    let len = crate::stack::M_G0_STACK_SIZE + guard;
    let base = match os_linux::mmap(
        null_mut(),
        len,
        PROT_READ | PROT_WRITE,
        MAP_PRIVATE | MAP_ANON,
        -1,
        0,
    ) {
        Ok(p) => p,
        Err(_) => throw("runtime: cannot allocate memory"),
    };
    // A guard page below the stack turns an overflow into a fault, not corruption.
    let _ = os_linux::mprotect(base, guard, PROT_NONE);
    (*mp).g0_mapping = (base as usize, len);
    let g0 = (*mp).g0;
    let hi = base as usize + len;
    (*g0).stack = Stack {
        lo: base as usize + guard,
        hi,
    };
    (*g0).stackguard0 = (*g0).stack.lo + STACK_GUARD;
    (*g0).stackguard1 = (*g0).stackguard0;
    let ret = crate::arch::goclift_clone(
        os_linux::CLONE_THREAD_FLAGS,
        (hi - 64) as *mut u8,
        mp,
        g0,
        mstart_c,
    );
    if ret < 0 {
        crate::print::print_str("runtime: failed to create new OS thread (have ");
        crate::print::print_u64(mcount() as u64);
        crate::print::print_str(" already; errno=");
        crate::print::print_u64((-ret) as u64);
        crate::print::print_str(")\n");
        throw("newosproc");
    }
}

/// Stack size of the std threads that serve as Ms in unit tests.
#[cfg(test)]
pub const TEST_M_STACK: usize = 1 << 20;

#[cfg(test)]
unsafe fn newosproc(mp: *mut M) {
    struct SendM(*mut M);
    // SAFETY: the M is handed to the new thread, which owns it from now on.
    unsafe impl Send for SendM {}
    let m = SendM(mp);
    std::thread::Builder::new()
        .name(format!("goclift-m{}", (*mp).id))
        .stack_size(TEST_M_STACK)
        .spawn(move || {
            let m = m;
            // SAFETY: this thread is the M's thread.
            unsafe { mstart_c(m.0) }
        })
        .expect("spawn an M thread");
}

/// Thread entry of a new M (gc's mstart): sets up g0's bounds for threads whose stack the OS
/// or std allocated, then switches to the scheduler.
unsafe extern "C" fn mstart_c(mp: *mut M) {
    mstart(mp)
}

/// Runs the scheduler on the calling thread as `mp` (gc's mstart0/mstart1). Never returns.
pub unsafe fn mstart(mp: *mut M) -> ! {
    let g0 = (*mp).g0;
    (*mp).procid = os_linux::gettid() as i64;
    crate::signal_linux::minit(mp);
    if (*g0).stack.hi == 0 {
        // The OS or std allocated this stack: take what lies below the current sp, as gc
        // does for threads it did not create.
        let sp = crate::arch::current_sp() & !15;
        #[cfg(test)]
        let size = TEST_M_STACK - (64 << 10);
        #[cfg(not(test))]
        let size = G0_STACK_SIZE;
        (*g0).stack = Stack {
            lo: sp - size,
            hi: sp,
        };
        (*g0).stackguard0 = (*g0).stack.lo + STACK_GUARD;
        (*g0).stackguard1 = (*g0).stackguard0;
    }
    goclift_mstart_g0(g0, mstart1_c, mp)
}

/// mstart1 on g0's scheduling stack: runs the M's start function, takes its P, schedules.
unsafe extern "C" fn mstart1_c(mp: *mut M) {
    if let Some(f) = (*mp).mstartfn {
        f(mp);
    }
    if mp != &raw mut M0 {
        acquirep(mp, (*mp).nextp);
        (*mp).nextp = null_mut();
    }
    schedule(mp)
}

/// Sets the new M's spinning flag (gc's mspinning): startm's caller counted it in nmspinning.
unsafe fn mspinning(mp: *mut M) {
    (*mp).spinning = true;
}

/// Puts `mp` on the idle list; sched.lock is held (gc's mput).
unsafe fn mput(mp: *mut M) {
    let sched = sched();
    (*mp).schedlink = (*sched).midle;
    (*sched).midle = mp;
    (*sched).nmidle += 1;
    checkdead();
}

/// Takes an idle M; sched.lock is held (gc's mget).
unsafe fn mget() -> *mut M {
    let sched = sched();
    let mp = (*sched).midle;
    if !mp.is_null() {
        (*sched).midle = (*mp).schedlink;
        (*sched).nmidle -= 1;
    }
    mp
}

/// Blocks the M until startm gives it work (gc's mPark).
unsafe fn mpark(mp: *mut M) {
    (*mp).blocked = true;
    (*mp).park.sleep();
    (*mp).park.clear();
    (*mp).blocked = false;
}

/// Stops the current M until it is given a P (gc's stopm).
unsafe fn stopm(mp: *mut M) {
    let sched = sched();
    if (*mp).locks != 0 {
        throw("stopm holding locks");
    }
    if !(*mp).p.is_null() {
        throw("stopm holding p");
    }
    if (*mp).spinning {
        throw("stopm spinning");
    }
    lock(&(*sched).lock);
    mput(mp);
    unlock(&(*sched).lock);
    mpark(mp);
    acquirep(mp, (*mp).nextp);
    (*mp).nextp = null_mut();
}

/// Schedules some M to run `pp` (an idle P if null), creating an M if needed (gc's startm).
/// With `spinning`, the caller has counted the new M in nmspinning. `curm` is the calling M or
/// null.
pub unsafe fn startm(mut pp: *mut P, spinning: bool, curm: *mut M) {
    let sched = sched();
    acquirem(curm);
    lock(&(*sched).lock);
    if pp.is_null() {
        pp = pidleget(0).0;
        if pp.is_null() {
            unlock(&(*sched).lock);
            if spinning && ((*sched).nmspinning.fetch_sub(1, SeqCst) as i32) - 1 < 0 {
                throw("startm: negative nmspinning");
            }
            releasem(curm);
            return;
        }
    }
    let nmp = mget();
    if nmp.is_null() {
        // Reserve the id while holding the lock so that checkdead counts the new M as running.
        let id = mreserve_id();
        unlock(&(*sched).lock);
        let f: Option<MStartFn> = if spinning { Some(mspinning) } else { None };
        newm(f, pp, id, curm);
        releasem(curm);
        return;
    }
    unlock(&(*sched).lock);
    if (*nmp).spinning {
        throw("startm: m is spinning");
    }
    if !(*nmp).nextp.is_null() {
        throw("startm: m has p");
    }
    if spinning && !runqempty(pp) {
        throw("startm: p has runnable gs");
    }
    (*nmp).spinning = spinning;
    (*nmp).nextp = pp;
    (*nmp).park.wakeup();
    releasem(curm);
}

/// Hands off `pp` from a syscall or a locked M (gc's handoffp): starts an M if it has work,
/// else makes it idle.
pub unsafe fn handoffp(pp: *mut P, curm: *mut M) {
    let sched = sched();
    if !runqempty(pp) || (*sched).runqsize != 0 {
        startm(pp, false, curm);
        return;
    }
    if (*sched).nmspinning.load(SeqCst) + (*sched).npidle.load(SeqCst) == 0
        && (*sched)
            .nmspinning
            .compare_exchange(0, 1, SeqCst, SeqCst)
            .is_ok()
    {
        startm(pp, true, curm);
        return;
    }
    lock(&(*sched).lock);
    if (*sched).gcwaiting.load(SeqCst) != 0 {
        (*pp).status.store(P_GCSTOP, SeqCst);
        (*sched).stopwait -= 1;
        if (*sched).stopwait == 0 {
            (*sched).stopnote.wakeup();
        }
        unlock(&(*sched).lock);
        return;
    }
    if (*sched).runqsize != 0 {
        unlock(&(*sched).lock);
        startm(pp, false, curm);
        return;
    }
    // The last running P hands off while timers are pending: someone must run them.
    let when = crate::time::next_timer_when(pp);
    pidleput(pp, 0);
    unlock(&(*sched).lock);
    if when != 0 {
        wake_timer_thread(when, curm);
    }
}

/// Tries to add one more P to execute Gs (gc's wakep); called when a G is made runnable.
pub unsafe fn wakep(curm: *mut M) {
    let sched = sched();
    if (*sched).npidle.load(SeqCst) == 0 {
        return;
    }
    // Be conservative about spinning threads.
    if (*sched).nmspinning.load(SeqCst) != 0
        || (*sched)
            .nmspinning
            .compare_exchange(0, 1, SeqCst, SeqCst)
            .is_err()
    {
        return;
    }
    startm(null_mut(), true, curm);
}

/// Makes sure some M will run timers at `when` (gc's wakeNetPoller without a netpoller):
/// starts an idle M to wait for the timer if no M is spinning or sleeping for timers.
pub unsafe fn wake_timer_thread(when: i64, curm: *mut M) {
    let sched = sched();
    let until = (*sched).poll_until.load(SeqCst);
    if until != 0 && until <= when {
        return;
    }
    if (*sched).sleeping_for_timers.load(SeqCst) != 0 {
        timer_sleeper_wake();
        return;
    }
    wakep(curm);
}

/// Stops the M locked to a goroutine until that goroutine is runnable again (gc's
/// stoplockedm); returns with a P.
unsafe fn stoplockedm(mp: *mut M) {
    if (*mp).lockedg.is_null() || (*(*mp).lockedg).lockedm != mp {
        throw("stoplockedm: inconsistent locking");
    }
    if !(*mp).p.is_null() {
        let pp = releasep(mp);
        handoffp(pp, mp);
    }
    incidlelocked(1);
    mpark(mp);
    let status = readgstatus((*mp).lockedg);
    if status & !G_SCAN != G_RUNNABLE {
        throw("stoplockedm: not runnable");
    }
    acquirep(mp, (*mp).nextp);
    (*mp).nextp = null_mut();
}

/// Hands our P to the M locked to `gp` and stops (gc's startlockedm).
unsafe fn startlockedm(mp: *mut M, gp: *mut G) {
    let lmp = (*gp).lockedm;
    if lmp == mp {
        throw("startlockedm: locked to me");
    }
    if !(*lmp).nextp.is_null() {
        throw("startlockedm: m has p");
    }
    incidlelocked(-1);
    let pp = releasep(mp);
    (*lmp).nextp = pp;
    (*lmp).park.wakeup();
    stopm(mp);
}

/// Stops the M for a stop-the-world (gc's gcstopm).
unsafe fn gcstopm(mp: *mut M) {
    let sched = sched();
    if (*sched).gcwaiting.load(SeqCst) == 0 {
        throw("gcstopm: not waiting for gc");
    }
    if (*mp).spinning {
        (*mp).spinning = false;
        if ((*sched).nmspinning.fetch_sub(1, SeqCst) as i32) - 1 < 0 {
            throw("gcstopm: negative nmspinning");
        }
    }
    let pp = releasep(mp);
    lock(&(*sched).lock);
    (*pp).status.store(P_GCSTOP, SeqCst);
    (*sched).stopwait -= 1;
    if (*sched).stopwait == 0 {
        (*sched).stopnote.wakeup();
    }
    unlock(&(*sched).lock);
    stopm(mp);
}

/// Counts idle Ms locked to goroutines (gc's incidlelocked).
unsafe fn incidlelocked(v: i32) {
    let sched = sched();
    lock(&(*sched).lock);
    (*sched).nmidlelocked += v;
    if v > 0 {
        checkdead();
    }
    unlock(&(*sched).lock);
}

/// Ends the current M's thread after its locked goroutine exited (gc's mexit). Runs on g0.
unsafe fn mexit(mp: *mut M) -> ! {
    let sched = sched();
    if mp == &raw mut M0 {
        // The main thread cannot exit (the process would): park it forever, as gc does.
        let pp = releasep(mp);
        handoffp(pp, mp);
        lock(&(*sched).lock);
        (*sched).nmfreed += 1;
        checkdead();
        unlock(&(*sched).lock);
        mpark(mp);
        throw("locked m0 woke up");
    }
    lock(&(*sched).lock);
    // Remove from allm.
    let mut pprev: *mut *mut M = ALLM.as_ptr();
    while !(*pprev).is_null() && *pprev != mp {
        pprev = &raw mut (**pprev).alllink;
    }
    if (*pprev).is_null() {
        throw("m not found in allm");
    }
    *pprev = (*mp).alllink;
    (*mp).free_wait.store(1, SeqCst);
    (*mp).freelink = (*sched).freem;
    (*sched).freem = mp;
    unlock(&(*sched).lock);
    let pp = releasep(mp);
    handoffp(pp, mp);
    lock(&(*sched).lock);
    (*sched).nmfreed += 1;
    checkdead();
    unlock(&(*sched).lock);
    crate::signal_linux::unminit();
    crate::arch::goclift_exit_thread((*mp).free_wait.as_ptr())
}

// ---------------------------------------------------------------------------------------------
// Ps.

/// Steal order over the Ps (gc's randomOrder): positions visited with a stride coprime to
/// the count, starting anywhere.
struct RandomOrder {
    count: u32,
    coprimes: [u32; MAX_GOMAXPROCS],
    ncoprimes: usize,
}

static mut STEAL_ORDER: RandomOrder = RandomOrder {
    count: 0,
    coprimes: [0; MAX_GOMAXPROCS],
    ncoprimes: 0,
};

fn gcd(mut a: u32, mut b: u32) -> u32 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

impl RandomOrder {
    /// Recomputes the strides for `count` Ps; the world is stopped.
    fn reset(&mut self, count: u32) {
        self.count = count;
        self.ncoprimes = 0;
        for i in 1..=count {
            if gcd(i, count) == 1 {
                self.coprimes[self.ncoprimes] = i;
                self.ncoprimes += 1;
            }
        }
    }
}

/// Bitmaps over P ids (gc's pMask): idle Ps and Ps that may have timers.
pub struct PMask([AtomicU32; MAX_GOMAXPROCS / 32]);

impl PMask {
    const fn new() -> PMask {
        PMask([const { AtomicU32::new(0) }; MAX_GOMAXPROCS / 32])
    }

    /// Whether P `id` is in the mask.
    pub fn read(&self, id: u32) -> bool {
        self.0[(id / 32) as usize].load(SeqCst) & (1 << (id % 32)) != 0
    }

    /// Adds P `id`.
    pub fn set(&self, id: i32) {
        self.0[(id / 32) as usize].fetch_or(1 << (id % 32), SeqCst);
    }

    /// Removes P `id`.
    pub fn clear(&self, id: i32) {
        self.0[(id / 32) as usize].fetch_and(!(1 << (id % 32)), SeqCst);
    }
}

/// Ps on the idle list (gc's idlepMask).
pub static IDLEP_MASK: PMask = PMask::new();
/// Ps that may have timers (gc's timerpMask).
pub static TIMERP_MASK: PMask = PMask::new();

/// Initialises P `id` (gc's p.init): its mcache and status.
unsafe fn p_init(pp: *mut P, id: i32) {
    (*pp).id = id;
    (*pp).status.store(P_GCSTOP, SeqCst);
    // The P may get timers as soon as it runs, without passing through pidleget (P 0 at
    // startup): findrunnable's checkTimersNoP must see them.
    TIMERP_MASK.set(id);
    if (*pp).mcache.is_null() {
        (*pp).mcache = if id == 0 {
            let c = crate::malloc::take_mcache0();
            if c.is_null() {
                crate::mheap::MHEAP.alloc_mcache()
            } else {
                c
            }
        } else {
            crate::mheap::MHEAP.alloc_mcache()
        };
    }
}

/// Releases the resources of a P that GOMAXPROCS dropped (gc's p.destroy): its run queue and
/// timers move to the current P, its caches are freed.
unsafe fn p_destroy(pp: *mut P, mp: *mut M) {
    let sched = sched();
    let cur = (*mp).p;
    // Move all runnable goroutines to the global queue.
    while (*pp).runqhead.load(SeqCst) != (*pp).runqtail.load(SeqCst) {
        (*pp).runqtail.fetch_sub(1, SeqCst);
        let t = (*pp).runqtail.load(SeqCst);
        let gp = (*pp).runq[t as usize % RUNQ_LEN].load(SeqCst);
        globrunqputhead(gp);
    }
    let next = (*pp).runnext.swap(null_mut(), SeqCst);
    if !next.is_null() {
        globrunqputhead(next);
    }
    crate::time::move_timers(pp, cur);
    // Sudogs and free Gs go to the central caches.
    while (*pp).sudogcache_len > 0 {
        (*pp).sudogcache_len -= 1;
        let s = (*pp).sudogcache[(*pp).sudogcache_len];
        lock(&(*sched).sudoglock);
        (*s).next = (*sched).sudogcache;
        (*sched).sudogcache = s;
        unlock(&(*sched).sudoglock);
    }
    gfpurge(pp);
    crate::stack::stackcache_clear(pp);
    crate::mheap::MHEAP.free_mcache((*pp).mcache);
    (*pp).mcache = null_mut();
    (*pp).status.store(P_DEAD, SeqCst);
}

/// Changes the number of Ps to `nprocs` (gc's procresize). sched.lock is held and the world is
/// stopped. Returns the list (through link) of Ps with local work, for the caller to start.
pub unsafe fn procresize(nprocs: i32, mp: *mut M) -> *mut P {
    let old = GOMAXPROCS.load(SeqCst) as i32;
    if old < 0 || nprocs <= 0 || nprocs as usize > MAX_GOMAXPROCS {
        throw("procresize: invalid arg");
    }
    let now = crate::time::nanotime();
    for i in old..nprocs {
        let mut pp = ALLP[i as usize].load(SeqCst);
        if pp.is_null() {
            pp = if i == 0 {
                &raw mut P0
            } else {
                let p = crate::malloc::persistentalloc(
                    core::mem::size_of::<P>(),
                    64,
                    &crate::mstats::MEMSTATS.other_sys,
                ) as *mut P;
                p.write(P::zeroed());
                p
            };
        }
        p_init(pp, i);
        ALLP[i as usize].store(pp, SeqCst);
    }
    let cur = (*mp).p;
    if !cur.is_null() && (*cur).id < nprocs {
        // Continue to use the current P.
        (*cur).status.store(P_RUNNING, SeqCst);
    } else {
        if !cur.is_null() {
            (*cur).m = null_mut();
        }
        (*mp).p = null_mut();
        let p0 = ALLP[0].load(SeqCst);
        (*p0).m = null_mut();
        (*p0).status.store(P_IDLE, SeqCst);
        acquirep(mp, p0);
    }
    for i in nprocs..old {
        let pp = ALLP[i as usize].load(SeqCst);
        p_destroy(pp, mp);
        ALLP[i as usize].store(null_mut(), SeqCst);
        IDLEP_MASK.clear(i);
        TIMERP_MASK.clear(i);
    }
    let mut runnable: *mut P = null_mut();
    for i in (0..nprocs).rev() {
        let pp = ALLP[i as usize].load(SeqCst);
        if (*mp).p == pp {
            continue;
        }
        (*pp).status.store(P_IDLE, SeqCst);
        if runqempty(pp) {
            pidleput(pp, now);
        } else {
            (*pp).m = mget();
            (*pp).link = runnable;
            runnable = pp;
        }
    }
    (*(&raw mut STEAL_ORDER)).reset(nprocs as u32);
    GOMAXPROCS.store(nprocs as u32, SeqCst);
    runnable
}

/// Associates `pp` with the current M (gc's acquirep).
pub unsafe fn acquirep(mp: *mut M, pp: *mut P) {
    wirep(mp, pp);
}

/// gc's wirep: the M must have no P, and the P must be idle.
unsafe fn wirep(mp: *mut M, pp: *mut P) {
    if !(*mp).p.is_null() {
        throw("wirep: already in go");
    }
    if !(*pp).m.is_null() || (*pp).status.load(SeqCst) != P_IDLE {
        crate::print::print_str("wirep: p->m=");
        crate::print::print_u64((*pp).m as u64);
        crate::print::print_str(" p->status=");
        crate::print::print_u64((*pp).status.load(SeqCst) as u64);
        crate::print::print_str("\n");
        throw("wirep: invalid p state");
    }
    (*mp).p = pp;
    (*pp).m = mp;
    (*pp).status.store(P_RUNNING, SeqCst);
}

/// Disassociates the current M from its P and returns the P (gc's releasep).
pub unsafe fn releasep(mp: *mut M) -> *mut P {
    let pp = (*mp).p;
    if pp.is_null() {
        throw("releasep: invalid arg");
    }
    if (*pp).m != mp || (*pp).status.load(SeqCst) != P_RUNNING {
        throw("releasep: invalid p state");
    }
    (*mp).p = null_mut();
    (*pp).m = null_mut();
    (*pp).status.store(P_IDLE, SeqCst);
    pp
}

/// Puts `pp` on the idle list; sched.lock is held (gc's pidleput).
unsafe fn pidleput(pp: *mut P, now: i64) -> i64 {
    let sched = sched();
    if !runqempty(pp) {
        throw("pidleput: P has non-empty run queue");
    }
    let now = if now == 0 {
        crate::time::nanotime()
    } else {
        now
    };
    crate::time::update_timer_pmask(pp);
    IDLEP_MASK.set((*pp).id);
    (*pp).link = (*sched).pidle;
    (*sched).pidle = pp;
    (*sched).npidle.fetch_add(1, SeqCst);
    now
}

/// Takes an idle P; sched.lock is held (gc's pidleget).
unsafe fn pidleget(now: i64) -> (*mut P, i64) {
    let sched = sched();
    let pp = (*sched).pidle;
    if !pp.is_null() {
        TIMERP_MASK.set((*pp).id);
        IDLEP_MASK.clear((*pp).id);
        (*sched).pidle = (*pp).link;
        (*sched).npidle.fetch_sub(1, SeqCst);
    }
    (pp, now)
}

// ---------------------------------------------------------------------------------------------
// Run queues.

/// Whether `pp` has no local work (gc's runqempty).
pub unsafe fn runqempty(pp: *mut P) -> bool {
    loop {
        let head = (*pp).runqhead.load(SeqCst);
        let tail = (*pp).runqtail.load(SeqCst);
        let runnext = (*pp).runnext.load(SeqCst);
        if tail == (*pp).runqtail.load(SeqCst) {
            return head == tail && runnext.is_null();
        }
    }
}

/// Puts `gp` on `pp`'s local run queue, in runnext if `next` (gc's runqput); overflow goes to
/// the global queue. Only the owner of `pp` calls this.
pub unsafe fn runqput(pp: *mut P, mut gp: *mut G, next: bool) {
    if next {
        let old = (*pp).runnext.swap(gp, AcqRel);
        if old.is_null() {
            return;
        }
        // Kick the old runnext out to the regular run queue.
        gp = old;
    }
    loop {
        let h = (*pp).runqhead.load(Acquire);
        let t = (*pp).runqtail.load(Relaxed);
        if t.wrapping_sub(h) < RUNQ_LEN as u32 {
            (*pp).runq[t as usize % RUNQ_LEN].store(gp, Relaxed);
            (*pp).runqtail.store(t.wrapping_add(1), Release);
            return;
        }
        if runqputslow(pp, gp, h, t) {
            return;
        }
        // The queue is not full, now the put above must succeed.
    }
}

/// Moves half of a full local queue plus `gp` to the global queue (gc's runqputslow).
unsafe fn runqputslow(pp: *mut P, gp: *mut G, h: u32, t: u32) -> bool {
    let mut batch: [*mut G; RUNQ_LEN / 2 + 1] = [null_mut(); RUNQ_LEN / 2 + 1];
    let n = t.wrapping_sub(h) / 2;
    if n != (RUNQ_LEN / 2) as u32 {
        throw("runqputslow: queue is not full");
    }
    for i in 0..n {
        batch[i as usize] = (*pp).runq[h.wrapping_add(i) as usize % RUNQ_LEN].load(Relaxed);
    }
    if (*pp)
        .runqhead
        .compare_exchange(h, h.wrapping_add(n), Release, Relaxed)
        .is_err()
    {
        return false;
    }
    batch[n as usize] = gp;
    for i in 0..n as usize {
        (*batch[i]).schedlink = batch[i + 1];
    }
    let q = GQueue {
        head: batch[0],
        tail: batch[n as usize],
    };
    let sched = sched();
    lock(&(*sched).lock);
    globrunqputbatch(q, n as i32 + 1);
    unlock(&(*sched).lock);
    true
}

/// Puts a batch of Gs on `pp`'s local queue, the rest on the global one (gc's runqputbatch).
unsafe fn runqputbatch(pp: *mut P, q: &mut GQueue, mut qsize: i32) {
    let h = (*pp).runqhead.load(Acquire);
    let mut t = (*pp).runqtail.load(Relaxed);
    let mut n = 0;
    while !q.empty() && t.wrapping_sub(h) < RUNQ_LEN as u32 {
        let gp = q.pop();
        (*pp).runq[t as usize % RUNQ_LEN].store(gp, Relaxed);
        t = t.wrapping_add(1);
        n += 1;
    }
    qsize -= n;
    (*pp).runqtail.store(t, Release);
    if !q.empty() {
        let sched = sched();
        lock(&(*sched).lock);
        globrunqputbatch(*q, qsize);
        unlock(&(*sched).lock);
        *q = GQueue::new();
    }
}

/// Takes a G from `pp`'s local queue; true if it came from runnext and should inherit the
/// time slice (gc's runqget). Only the owner calls this.
pub unsafe fn runqget(pp: *mut P) -> (*mut G, bool) {
    let next = (*pp).runnext.load(Relaxed);
    if !next.is_null()
        && (*pp)
            .runnext
            .compare_exchange(next, null_mut(), AcqRel, Relaxed)
            .is_ok()
    {
        return (next, true);
    }
    loop {
        let h = (*pp).runqhead.load(Acquire);
        let t = (*pp).runqtail.load(Relaxed);
        if t == h {
            return (null_mut(), false);
        }
        let gp = (*pp).runq[h as usize % RUNQ_LEN].load(Relaxed);
        if (*pp)
            .runqhead
            .compare_exchange(h, h.wrapping_add(1), Release, Relaxed)
            .is_ok()
        {
            return (gp, false);
        }
    }
}

/// Grabs half of `pp`'s queue into `batch` starting at `batch_head` (gc's runqgrab); with
/// `steal_runnext` also its runnext as a last resort.
unsafe fn runqgrab(
    pp: *mut P,
    batch: *const [AtomicPtrG; RUNQ_LEN],
    batch_head: u32,
    steal_runnext: bool,
) -> u32 {
    loop {
        let h = (*pp).runqhead.load(Acquire);
        let t = (*pp).runqtail.load(Acquire);
        let mut n = t.wrapping_sub(h);
        n -= n / 2;
        if n == 0 {
            if steal_runnext {
                let next = (*pp).runnext.load(Acquire);
                if !next.is_null() {
                    if (*pp).status.load(Relaxed) == P_RUNNING {
                        // The owner is likely about to run it: give it a moment (gc: usleep(3)).
                        os_linux::usleep(3);
                    }
                    if (*pp)
                        .runnext
                        .compare_exchange(next, null_mut(), AcqRel, Relaxed)
                        .is_err()
                    {
                        continue;
                    }
                    (*batch)[batch_head as usize % RUNQ_LEN].store(next, Relaxed);
                    return 1;
                }
            }
            return 0;
        }
        if n > (RUNQ_LEN / 2) as u32 {
            // Read an inconsistent h and t.
            continue;
        }
        for i in 0..n {
            let g = (*pp).runq[h.wrapping_add(i) as usize % RUNQ_LEN].load(Relaxed);
            (*batch)[batch_head.wrapping_add(i) as usize % RUNQ_LEN].store(g, Relaxed);
        }
        if (*pp)
            .runqhead
            .compare_exchange(h, h.wrapping_add(n), Release, Relaxed)
            .is_ok()
        {
            return n;
        }
    }
}

type AtomicPtrG = core::sync::atomic::AtomicPtr<G>;

/// Steals half of `p2`'s Gs into `pp`'s queue and returns one of them (gc's runqsteal).
unsafe fn runqsteal(pp: *mut P, p2: *mut P, steal_runnext: bool) -> *mut G {
    let t = (*pp).runqtail.load(Relaxed);
    let mut n = runqgrab(p2, &raw const (*pp).runq, t, steal_runnext);
    if n == 0 {
        return null_mut();
    }
    n -= 1;
    let gp = (*pp).runq[t.wrapping_add(n) as usize % RUNQ_LEN].load(Relaxed);
    if n == 0 {
        return gp;
    }
    let h = (*pp).runqhead.load(Acquire);
    if t.wrapping_sub(h).wrapping_add(n) >= RUNQ_LEN as u32 {
        throw("runqsteal: runq overflow");
    }
    (*pp).runqtail.store(t.wrapping_add(n), Release);
    gp
}

/// Puts `gp` at the back of the global queue; sched.lock is held (gc's globrunqput).
pub unsafe fn globrunqput(gp: *mut G) {
    let sched = sched();
    (*sched).runq.push_back(gp);
    (*sched).runqsize += 1;
}

/// Puts `gp` at the front of the global queue; sched.lock is held (gc's globrunqputhead).
unsafe fn globrunqputhead(gp: *mut G) {
    let sched = sched();
    (*sched).runq.push(gp);
    (*sched).runqsize += 1;
}

/// Appends a batch to the global queue; sched.lock is held (gc's globrunqputbatch).
unsafe fn globrunqputbatch(batch: GQueue, n: i32) {
    let sched = sched();
    (*sched).runq.push_back_all(batch);
    (*sched).runqsize += n;
}

/// Takes a batch from the global queue: one to return, more onto `pp`'s local queue; at most
/// `max` when positive; sched.lock is held (gc's globrunqget).
unsafe fn globrunqget(pp: *mut P, max: i32) -> *mut G {
    let sched = sched();
    if (*sched).runqsize == 0 {
        return null_mut();
    }
    let gomaxprocs = GOMAXPROCS.load(Relaxed) as i32;
    let mut n = (*sched).runqsize / gomaxprocs + 1;
    if n > (*sched).runqsize {
        n = (*sched).runqsize;
    }
    if max > 0 && n > max {
        n = max;
    }
    if n > (RUNQ_LEN / 2) as i32 {
        n = (RUNQ_LEN / 2) as i32;
    }
    (*sched).runqsize -= n;
    let gp = (*sched).runq.pop();
    n -= 1;
    while n > 0 {
        let gp1 = (*sched).runq.pop();
        runqput(pp, gp1, false);
        n -= 1;
    }
    gp
}

// ---------------------------------------------------------------------------------------------
// Goroutine creation and exit.

/// Adds `gp` to allgs (gc's allgadd).
unsafe fn allgadd(gp: *mut G) {
    lock(&ALLGLOCK);
    (*gp).alllink.store(null_mut(), Relaxed);
    let tail = ALLGS_TAIL.load(Relaxed);
    if tail.is_null() {
        ALLGS.store(gp, Release);
    } else {
        (*tail).alllink.store(gp, Release);
    }
    ALLGS_TAIL.store(gp, Relaxed);
    ALLGLEN.fetch_add(1, Relaxed);
    unlock(&ALLGLOCK);
}

/// Calls `f` on every G ever created, oldest first (gc's forEachG, lock-free like
/// forEachGRace).
pub unsafe fn for_each_g(mut f: impl FnMut(*mut G)) {
    let mut gp = ALLGS.load(Acquire);
    while !gp.is_null() {
        f(gp);
        gp = (*gp).alllink.load(Acquire);
    }
}

/// A new G with a stack of `stacksize` bytes (gc's malg), status G_IDLE.
unsafe fn malg(stacksize: usize, pp: *mut P) -> *mut G {
    let newg = alloc_g_struct();
    newg.write(G::zeroed());
    if stacksize > 0 {
        let stk = stackalloc(round_stack_size(stacksize), pp);
        (*newg).stack = stk;
        (*newg).stack0 = stk;
        (*newg).stack_total = stk.hi - stk.lo;
        (*newg).stackguard0 = stk.lo + STACK_GUARD;
        (*newg).stackguard1 = usize::MAX;
    }
    newg
}

/// Creates a goroutine running `fn_(arg)` and queues it on the current P (gc's newproc).
/// `gp` is the calling goroutine.
///
/// # Safety
/// `gp` must be the running goroutine of the calling thread.
pub unsafe fn newproc(gp: *mut G, fn_: GoFn, arg: *mut u8) {
    newproc_sized(gp, fn_, arg, 0)
}

/// newproc with an explicit initial stack size (0: the default); for the runtime's own
/// goroutines and tests whose Rust bodies need more than a compiled Go function.
pub unsafe fn newproc_sized(gp: *mut G, fn_: GoFn, arg: *mut u8, stacksize: usize) {
    newproc_at(gp, fn_, arg, stacksize, 0)
}

/// newproc_sized for a go statement at `gopc` (0: none), which tracebacks name as the new
/// goroutine's creator.
unsafe fn newproc_at(gp: *mut G, fn_: GoFn, arg: *mut u8, stacksize: usize, gopc: usize) {
    let mp = (*gp).m;
    systemstack(mp, || {
        let newg = newproc1(fn_, arg, gp, mp, stacksize);
        (*newg).gopc = gopc;
        let pp = (*mp).p;
        runqput(pp, newg, true);
        if (*sched()).main_started.load(Relaxed) {
            wakep(mp);
        }
    });
}

/// Creates a G in state G_RUNNABLE starting at `fn_(arg)` (gc's newproc1). The caller puts it
/// on a run queue. `mp` is the calling M (its P's caches are used), `stacksize` 0 for the
/// default.
pub unsafe fn newproc1(
    fn_: GoFn,
    arg: *mut u8,
    callergp: *mut G,
    mp: *mut M,
    stacksize: usize,
) -> *mut G {
    let sched = sched();
    acquirem(mp);
    let pp = if mp.is_null() { null_mut() } else { (*mp).p };
    let want = if stacksize == 0 {
        starting_stack_size()
    } else {
        round_stack_size(stacksize)
    };
    let mut newg = if want == starting_stack_size() {
        gfget(pp)
    } else {
        null_mut()
    };
    if newg.is_null() {
        newg = malg(want, pp);
        casgstatus(newg, G_IDLE, G_DEAD);
        if want != starting_stack_size() {
            (*newg).nonstandard_stack = true;
        }
        allgadd(newg);
    }
    if (*newg).stack.hi == 0 {
        throw("newproc1: newg missing stack");
    }
    if readgstatus(newg) != G_DEAD {
        throw("newproc1: new g is not Gdead");
    }
    let sp = (*newg).stack.hi - crate::arch::START_FRAME;
    (*newg).sched = Gobuf::zero();
    (*newg).sched.sp = sp;
    (*newg).sched.pc = crate::arch::gostart_pc();
    (*newg).sched.g = newg;
    (*newg).startfn = Some(fn_);
    (*newg).startarg = arg;
    (*newg).gopc = 0;
    (*newg).is_system = false;
    let _ = callergp;
    casgstatus(newg, G_DEAD, G_RUNNABLE);
    (*newg).goid = next_goid(pp) as i64;
    if (*newg).is_system {
        (*sched).ngsys.fetch_add(1, SeqCst);
    }
    releasem(mp);
    newg
}

/// The next goroutine id from `pp`'s batch (gc's goidcache), or straight from goidgen without
/// a P.
unsafe fn next_goid(pp: *mut P) -> u64 {
    let sched = sched();
    if pp.is_null() {
        return (*sched).goidgen.fetch_add(1, SeqCst) + 1;
    }
    if (*pp).goidcache == (*pp).goidcacheend {
        let end = (*sched).goidgen.fetch_add(GOID_CACHE_BATCH, SeqCst) + GOID_CACHE_BATCH;
        (*pp).goidcache = end - GOID_CACHE_BATCH + 1;
        (*pp).goidcacheend = (*pp).goidcache + GOID_CACHE_BATCH;
    }
    let id = (*pp).goidcache;
    (*pp).goidcache += 1;
    id
}

/// Puts a dead G on `pp`'s free list, moving a batch to the global one when long (gc's gfput).
/// Non-standard stacks are freed.
unsafe fn gfput(pp: *mut P, gp: *mut G) {
    let sched = sched();
    if readgstatus(gp) != G_DEAD {
        throw("gfput: bad status (not Gdead)");
    }
    crate::morestack::release_segments(gp, pp);
    let stksize = (*gp).stack.hi - (*gp).stack.lo;
    if (*gp).nonstandard_stack || stksize != starting_stack_size() {
        free_dead_stack(gp, pp);
        (*gp).nonstandard_stack = false;
    }
    if pp.is_null() {
        gfput_global(gp);
        return;
    }
    (*pp).gfree.push(gp);
    (*pp).gfree_n += 1;
    if (*pp).gfree_n >= 64 {
        let mut inc = 0;
        let mut stack_q = GQueue::new();
        let mut nostack_q = GQueue::new();
        while (*pp).gfree_n >= 32 {
            let g = (*pp).gfree.pop();
            (*pp).gfree_n -= 1;
            if (*g).stack.lo == 0 {
                nostack_q.push(g);
            } else {
                stack_q.push(g);
            }
            inc += 1;
        }
        lock(&(*sched).gfree_lock);
        (*sched).gfree_nostack.push_all(nostack_q);
        (*sched).gfree_stack.push_all(stack_q);
        (*sched).gfree_n += inc;
        unlock(&(*sched).gfree_lock);
    }
}

/// Frees dead `gp`'s stack; gfget_stack gives it a new one when it is reused. `pp` null or
/// the caller's P.
unsafe fn free_dead_stack(gp: *mut G, pp: *mut P) {
    stackfree((*gp).stack, pp);
    (*gp).stack = Stack::default();
    (*gp).stack0 = Stack::default();
    (*gp).stack_total = 0;
    (*gp).stackguard0 = 0;
}

unsafe fn gfput_global(gp: *mut G) {
    let sched = sched();
    lock(&(*sched).gfree_lock);
    if (*gp).stack.lo == 0 {
        (*sched).gfree_nostack.push(gp);
    } else {
        (*sched).gfree_stack.push(gp);
    }
    (*sched).gfree_n += 1;
    unlock(&(*sched).gfree_lock);
}

/// Takes a dead G from `pp`'s free list, refilling it from the global one (gc's gfget).
/// Gives it a standard stack if it has none.
unsafe fn gfget(pp: *mut P) -> *mut G {
    let sched = sched();
    if pp.is_null() {
        lock(&(*sched).gfree_lock);
        let mut gp = (*sched).gfree_stack.pop();
        if gp.is_null() {
            gp = (*sched).gfree_nostack.pop();
        }
        if !gp.is_null() {
            (*sched).gfree_n -= 1;
        }
        unlock(&(*sched).gfree_lock);
        return gfget_stack(gp, pp);
    }
    if (*pp).gfree.empty()
        && (!(*sched).gfree_stack.empty() || !(*sched).gfree_nostack.empty())
    {
        lock(&(*sched).gfree_lock);
        while (*pp).gfree_n < 32 {
            let mut gp = (*sched).gfree_stack.pop();
            if gp.is_null() {
                gp = (*sched).gfree_nostack.pop();
                if gp.is_null() {
                    break;
                }
            }
            (*sched).gfree_n -= 1;
            (*pp).gfree.push(gp);
            (*pp).gfree_n += 1;
        }
        unlock(&(*sched).gfree_lock);
    }
    let gp = (*pp).gfree.pop();
    if gp.is_null() {
        return null_mut();
    }
    (*pp).gfree_n -= 1;
    gfget_stack(gp, pp)
}

/// Makes sure a reused G has a stack of the standard size.
unsafe fn gfget_stack(gp: *mut G, pp: *mut P) -> *mut G {
    if gp.is_null() {
        return gp;
    }
    let size = starting_stack_size();
    if (*gp).stack.lo != 0 && (*gp).stack.hi - (*gp).stack.lo != size {
        stackfree((*gp).stack, pp);
        (*gp).stack = Stack::default();
    }
    if (*gp).stack.lo == 0 {
        (*gp).stack = stackalloc(size, pp);
    }
    (*gp).stack0 = (*gp).stack;
    (*gp).stack_total = size;
    (*gp).stackguard0 = (*gp).stack.lo + STACK_GUARD;
    gp
}

/// Frees the stacks of the dead Gs on the global free list, which then need a new stack when
/// reused (gc's markrootFreeGStacks, once per collection). The per-P lists (at most 64 Gs
/// each) keep theirs for the next goroutines. Returns the bytes freed.
///
/// # Safety
/// The world must be stopped (no P takes Gs from the lists meanwhile).
pub unsafe fn free_global_gfree_stacks() -> usize {
    let sched = sched();
    lock(&(*sched).gfree_lock);
    let mut freed = 0;
    let mut nostack_q = GQueue::new();
    loop {
        let gp = (*sched).gfree_stack.pop();
        if gp.is_null() {
            break;
        }
        freed += (*gp).stack.hi - (*gp).stack.lo;
        free_dead_stack(gp, null_mut());
        nostack_q.push(gp);
    }
    (*sched).gfree_nostack.push_all(nostack_q);
    unlock(&(*sched).gfree_lock);
    freed
}

/// Moves all of `pp`'s free Gs to the global list (gc's gfpurge).
unsafe fn gfpurge(pp: *mut P) {
    let sched = sched();
    let mut inc = 0;
    let mut stack_q = GQueue::new();
    let mut nostack_q = GQueue::new();
    while !(*pp).gfree.empty() {
        let gp = (*pp).gfree.pop();
        (*pp).gfree_n -= 1;
        if (*gp).stack.lo == 0 {
            nostack_q.push(gp);
        } else {
            stack_q.push(gp);
        }
        inc += 1;
    }
    lock(&(*sched).gfree_lock);
    (*sched).gfree_nostack.push_all(nostack_q);
    (*sched).gfree_stack.push_all(stack_q);
    (*sched).gfree_n += inc;
    unlock(&(*sched).gfree_lock);
}

/// Where goroutines go when their function returns (called by goclift_gostart): finishes
/// the goroutine (gc's goexit1).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn goclift_goexit1(gp: *mut G) -> ! {
    mcall(gp, goexit0);
    throw("goexit1: goroutine resumed")
}

/// goexit continuation on g0 (gc's goexit0): the G becomes dead and is reused.
unsafe extern "C" fn goexit0(gp: *mut G) {
    let mp = (*gp).m;
    let pp = (*mp).p;
    casgstatus(gp, G_RUNNING, G_DEAD);
    if (*gp).is_system {
        (*sched()).ngsys.fetch_sub(1, SeqCst);
    }
    (*gp).m = null_mut();
    let locked = !(*gp).lockedm.is_null();
    (*gp).lockedm = null_mut();
    (*mp).lockedg = null_mut();
    (*gp).preempt_stop = false;
    (*gp).waitreason = WaitReason::Zero;
    (*gp).param = null_mut();
    (*gp).startfn = None;
    (*gp).startarg = null_mut();
    dropg(mp);
    if (*mp).locked_int != 0 {
        throw("internal lockOSThread error");
    }
    gfput(pp, gp);
    if locked {
        // The goroutine may have put its thread in an unusual state: end the thread rather
        // than returning it to the pool (gc does the same).
        (*mp).locked_ext = 0;
        mexit(mp);
    }
    schedule(mp)
}

// ---------------------------------------------------------------------------------------------
// The scheduler.

/// Runs `gp` on the current M (gc's execute). Never returns.
unsafe fn execute(mp: *mut M, gp: *mut G, inherit_time: bool) -> ! {
    // While the collector marks, a goroutine runs only once its stack is scanned.
    crate::mgcmark::scan_stack_before_running(gp);
    (*mp).curg = gp;
    (*gp).m = mp;
    casgstatus(gp, G_RUNNABLE, G_RUNNING);
    (*gp).waitsince = 0;
    (*gp).preempt.store(false, Relaxed);
    (*gp).stackguard0 = (*gp).stack.lo + STACK_GUARD;
    if !inherit_time {
        (*(*mp).p).schedtick = (*(*mp).p).schedtick.wrapping_add(1);
    }
    goclift_gogo(&raw mut (*gp).sched)
}

/// One round of scheduling: find a runnable goroutine and execute it (gc's schedule). Runs on
/// g0; never returns.
pub unsafe fn schedule(mp: *mut M) -> ! {
    if (*mp).locks != 0 {
        throw("schedule: holding locks");
    }
    if !(*mp).lockedg.is_null() {
        stoplockedm(mp);
        execute(mp, (*mp).lockedg, false);
    }
    loop {
        let pp = (*mp).p;
        (*pp).preempt.store(false, Relaxed);
        if (*mp).spinning
            && (!(*pp).runnext.load(Relaxed).is_null()
                || (*pp).runqhead.load(Relaxed) != (*pp).runqtail.load(Relaxed))
        {
            throw("schedule: spinning with local work");
        }
        let (gp, inherit_time) = findrunnable(mp);
        if (*mp).spinning {
            resetspinning(mp);
        }
        if !(*gp).lockedm.is_null() {
            // Hand our P to the locked M, then block waiting for a new P.
            startlockedm(mp, gp);
            continue;
        }
        execute(mp, gp, inherit_time);
    }
}

/// Finds a runnable goroutine: local queue, global queue, timers, stealing; parks the M when
/// there is none (gc's findRunnable). Returns with a P.
unsafe fn findrunnable(mp: *mut M) -> (*mut G, bool) {
    let sched = sched();
    'top: loop {
        let mut pp = (*mp).p;
        if (*sched).gcwaiting.load(SeqCst) != 0 {
            gcstopm(mp);
            continue 'top;
        }
        let (mut now, mut poll_until, _) = crate::time::check_timers(pp, 0, mp);

        // Check the global queue once in a while for fairness: two goroutines respawning each
        // other could otherwise occupy the local queue forever.
        if (*pp).schedtick % 61 == 0 && (*sched).runqsize > 0 {
            lock(&(*sched).lock);
            let gp = globrunqget(pp, 1);
            unlock(&(*sched).lock);
            if !gp.is_null() {
                return (gp, false);
            }
        }

        let (gp, inherit) = runqget(pp);
        if !gp.is_null() {
            return (gp, inherit);
        }

        if (*sched).runqsize != 0 {
            lock(&(*sched).lock);
            let gp = globrunqget(pp, 0);
            unlock(&(*sched).lock);
            if !gp.is_null() {
                return (gp, false);
            }
        }

        // Poll the network without blocking, unless an M is blocked in netpoll already
        // (gc's non-blocking netpoll in findRunnable: cheaper than stealing).
        if crate::netpoll::netpollinited()
            && crate::netpoll::netpoll_has_waiters()
            && (*sched).sleeping_for_timers.load(SeqCst) == 0
        {
            let mut list = crate::netpoll_epoll::netpoll(0);
            if !list.empty() {
                let gp = list.pop();
                injectglist(mp, &mut list);
                casgstatus(gp, G_WAITING, G_RUNNABLE);
                return (gp, false);
            }
        }

        // Spinning Ms steal work from other Ps; at most half the busy Ps spin.
        let procs = GOMAXPROCS.load(SeqCst);
        if (*mp).spinning
            || 2 * (*sched).nmspinning.load(SeqCst)
                < procs.wrapping_sub((*sched).npidle.load(SeqCst))
        {
            if !(*mp).spinning {
                (*mp).spinning = true;
                (*sched).nmspinning.fetch_add(1, SeqCst);
            }
            let (gp, inherit, tnow, w, new_work) = steal_work(mp, now);
            now = tnow;
            if !gp.is_null() {
                return (gp, inherit);
            }
            if new_work {
                continue 'top;
            }
            if w != 0 && (poll_until == 0 || w < poll_until) {
                poll_until = w;
            }
        }

        // Nothing to do: give up the P and block.
        lock(&(*sched).lock);
        if (*sched).gcwaiting.load(SeqCst) != 0 {
            unlock(&(*sched).lock);
            continue 'top;
        }
        if (*sched).runqsize != 0 {
            let gp = globrunqget(pp, 0);
            unlock(&(*sched).lock);
            return (gp, false);
        }
        if releasep(mp) != pp {
            throw("findrunnable: wrong p");
        }
        pidleput(pp, now);
        unlock(&(*sched).lock);

        // Drop nmspinning first, then check all sources again: work submitted between the
        // checks above and here would otherwise find nobody to wake.
        let was_spinning = (*mp).spinning;
        if (*mp).spinning {
            (*mp).spinning = false;
            if ((*sched).nmspinning.fetch_sub(1, SeqCst) as i32) - 1 < 0 {
                throw("findrunnable: negative nmspinning");
            }
            pp = check_runqs_no_p();
            if !pp.is_null() {
                acquirep(mp, pp);
                (*mp).spinning = true;
                (*sched).nmspinning.fetch_add(1, SeqCst);
                continue 'top;
            }
        }
        // The earliest timer of any P (gc looks at all Ps only when the M was spinning; every
        // M looking saves a sysmon round trip when timers sit on idle Ps).
        poll_until = check_timers_no_p(poll_until);

        // Wait for the next timer or for I/O (gc's blocking netpoll(delay)), if no other M
        // waits already. Without the netpoller, timers are waited for on a futex.
        let netpolling = crate::netpoll::netpollinited()
            && (poll_until != 0 || crate::netpoll::netpoll_has_waiters());
        if (poll_until != 0 || netpolling)
            && (*sched).sleeping_for_timers.swap(1, SeqCst) == 0
        {
            if !(*mp).p.is_null() {
                throw("findrunnable: timer sleep with p");
            }
            (*sched)
                .poll_until
                .store(if poll_until == 0 { i64::MAX } else { poll_until }, SeqCst);
            let mut list = GList::new();
            if netpolling {
                let delay = if poll_until == 0 {
                    -1
                } else {
                    (poll_until - crate::time::nanotime()).max(0)
                };
                list = crate::netpoll_epoll::netpoll(delay);
            } else {
                timer_sleep_until(poll_until);
            }
            (*sched).poll_until.store(0, SeqCst);
            (*sched).sleeping_for_timers.store(0, SeqCst);
            lock(&(*sched).lock);
            let (pp, _) = pidleget(0);
            unlock(&(*sched).lock);
            if pp.is_null() {
                injectglist(null_mut(), &mut list);
            } else {
                acquirep(mp, pp);
                if !list.empty() {
                    let gp = list.pop();
                    injectglist(mp, &mut list);
                    casgstatus(gp, G_WAITING, G_RUNNABLE);
                    return (gp, false);
                }
                if was_spinning {
                    (*mp).spinning = true;
                    (*sched).nmspinning.fetch_add(1, SeqCst);
                }
                continue 'top;
            }
        } else if poll_until != 0 {
            // Another M sleeps until a later time: make it recompute (gc's netpollBreak).
            let sleeper_until = (*sched).poll_until.load(SeqCst);
            if sleeper_until == 0 || sleeper_until > poll_until {
                timer_sleeper_wake();
            }
        }
        stopm(mp);
    }
}

/// Attempts to steal a runnable goroutine or timer from any P (gc's stealWork).
unsafe fn steal_work(mp: *mut M, mut now: i64) -> (*mut G, bool, i64, i64, bool) {
    let sched = sched();
    let pp = (*mp).p;
    let mut ran_timer = false;
    let mut poll_until = 0i64;
    const STEAL_TRIES: usize = 4;
    let order = &*(&raw const STEAL_ORDER);
    for i in 0..STEAL_TRIES {
        let steal_timers_or_runnext = i == STEAL_TRIES - 1;
        let r = fastrand(mp);
        let count = order.count;
        let mut pos = r % count;
        let inc = order.coprimes[(r / count) as usize % order.ncoprimes];
        for _ in 0..count {
            if (*sched).gcwaiting.load(SeqCst) != 0 {
                // A stop-the-world may be waiting for us.
                return (null_mut(), false, now, poll_until, true);
            }
            let p2 = ALLP[pos as usize].load(SeqCst);
            pos = (pos + inc) % count;
            if pp == p2 || p2.is_null() {
                continue;
            }
            // Steal timers from p2 on the last pass, before its runnext.
            if steal_timers_or_runnext && TIMERP_MASK.read((*p2).id as u32) {
                let (tnow, w, ran) = crate::time::check_timers(p2, now, mp);
                now = tnow;
                if w != 0 && (poll_until == 0 || w < poll_until) {
                    poll_until = w;
                }
                if ran {
                    // Running timers may have readied Gs onto our queue.
                    let (gp, inherit) = runqget(pp);
                    if !gp.is_null() {
                        return (gp, inherit, now, poll_until, ran_timer);
                    }
                    ran_timer = true;
                }
            }
            if !IDLEP_MASK.read((*p2).id as u32) {
                let gp = runqsteal(pp, p2, steal_timers_or_runnext);
                if !gp.is_null() {
                    return (gp, false, now, poll_until, ran_timer);
                }
            }
        }
    }
    (null_mut(), false, now, poll_until, ran_timer)
}

/// A P to steal with if some P has runnable Gs and a P is idle (gc's checkRunqsNoP).
unsafe fn check_runqs_no_p() -> *mut P {
    let sched = sched();
    let n = GOMAXPROCS.load(SeqCst);
    for id in 0..n {
        let p2 = ALLP[id as usize].load(SeqCst);
        if !p2.is_null() && !IDLEP_MASK.read(id) && !runqempty(p2) {
            lock(&(*sched).lock);
            let (pp, _) = pidleget(0);
            unlock(&(*sched).lock);
            return pp;
        }
    }
    null_mut()
}

/// The earliest timer of all Ps, or `poll_until` if earlier (gc's checkTimersNoP).
unsafe fn check_timers_no_p(mut poll_until: i64) -> i64 {
    let n = GOMAXPROCS.load(SeqCst);
    for id in 0..n {
        let p2 = ALLP[id as usize].load(SeqCst);
        if !p2.is_null() && TIMERP_MASK.read(id) {
            let w = crate::time::nobarrier_wake_time(p2);
            if w != 0 && (poll_until == 0 || w < poll_until) {
                poll_until = w;
            }
        }
    }
    poll_until
}

/// The M found work while spinning: stop spinning and maybe wake another (gc's resetspinning).
unsafe fn resetspinning(mp: *mut M) {
    let sched = sched();
    if !(*mp).spinning {
        throw("resetspinning: not a spinning m");
    }
    (*mp).spinning = false;
    let n = (*sched).nmspinning.fetch_sub(1, SeqCst) as i32 - 1;
    if n < 0 {
        throw("findrunnable: negative nmspinning");
    }
    wakep(mp);
}

/// Makes every G on `glist` runnable (gc's injectglist): to the global queue with an M started
/// per idle P, the rest onto the current P. `mp` may be null (no P).
pub unsafe fn injectglist(mp: *mut M, glist: &mut GList) {
    let sched = sched();
    if glist.empty() {
        return;
    }
    let head = glist.head;
    let mut tail: *mut G = null_mut();
    let mut qsize = 0;
    let mut gp = head;
    while !gp.is_null() {
        tail = gp;
        qsize += 1;
        casgstatus(gp, G_WAITING, G_RUNNABLE);
        gp = (*gp).schedlink;
    }
    let mut q = GQueue { head, tail };
    *glist = GList::new();
    let start_idle = |mut n: i32| {
        while n != 0 && (*sched).npidle.load(SeqCst) != 0 {
            startm(null_mut(), false, mp);
            n -= 1;
        }
    };
    let pp = if mp.is_null() { null_mut() } else { (*mp).p };
    if pp.is_null() {
        lock(&(*sched).lock);
        globrunqputbatch(q, qsize);
        unlock(&(*sched).lock);
        start_idle(qsize);
        return;
    }
    let npidle = (*sched).npidle.load(SeqCst) as i32;
    let mut globq = GQueue::new();
    let mut n = 0;
    while n < npidle && !q.empty() {
        let g = q.pop();
        globq.push_back(g);
        n += 1;
    }
    if n > 0 {
        lock(&(*sched).lock);
        globrunqputbatch(globq, n);
        unlock(&(*sched).lock);
        start_idle(n);
        qsize -= n;
    }
    if !q.empty() {
        runqputbatch(pp, &mut q, qsize);
    }
}

/// Removes the association between the M and its current goroutine (gc's dropg).
unsafe fn dropg(mp: *mut M) {
    let gp = (*mp).curg;
    if !gp.is_null() {
        (*gp).m = null_mut();
    }
    (*mp).curg = null_mut();
}

// ---------------------------------------------------------------------------------------------
// Parking and readying.

/// Parks the current goroutine (gc's gopark): it becomes G_WAITING and the M schedules
/// another. `unlockf(gp, lock, mp)` runs on g0 after the switch; if it returns false the goroutine
/// resumes at once. Some other goroutine must call goready to wake it.
///
/// # Safety
/// `gp` must be the calling goroutine.
pub unsafe fn gopark(
    gp: *mut G,
    unlockf: Option<UnlockFn>,
    lock: *mut u8,
    reason: WaitReason,
) {
    let mp = acquirem((*gp).m);
    let status = readgstatus(gp);
    if status != G_RUNNING && status != G_SCAN | G_RUNNING {
        throw("gopark: bad g status");
    }
    (*mp).waitlock = lock;
    (*mp).waitunlockf = unlockf;
    (*gp).waitreason = reason;
    releasem(mp);
    mcall(gp, park_m);
}

/// gopark with a runtime mutex to release once parked (gc's goparkunlock).
pub unsafe fn goparkunlock(gp: *mut G, l: *const Mutex, reason: WaitReason) {
    gopark(gp, Some(parkunlock_c), l as *mut u8, reason)
}

unsafe fn parkunlock_c(_gp: *mut G, l: *mut u8, _mp: *mut M) -> bool {
    (*(l as *const Mutex)).unlock();
    true
}

/// park continuation on g0 (gc's park_m).
unsafe extern "C" fn park_m(gp: *mut G) {
    let mp = (*gp).m;
    casgstatus(gp, G_RUNNING, G_WAITING);
    dropg(mp);
    if let Some(f) = (*mp).waitunlockf.take() {
        let ok = f(gp, (*mp).waitlock, mp);
        (*mp).waitlock = null_mut();
        if !ok {
            casgstatus(gp, G_WAITING, G_RUNNABLE);
            execute(mp, gp, true);
        }
    }
    schedule(mp)
}

/// Makes a parked goroutine runnable (gc's goready): it goes to the current P's runnext.
/// `mp` is the calling M (null if the caller is not an M: the G goes to the global queue).
pub unsafe fn goready(mp: *mut M, gp: *mut G) {
    if mp.is_null() {
        ready_external(gp);
        return;
    }
    systemstack(mp, || ready(mp, gp, true));
}

/// Marks `gp` ready to run (gc's ready).
pub unsafe fn ready(mp: *mut M, gp: *mut G, next: bool) {
    let status = readgstatus(gp);
    let mp = acquirem(mp);
    if status & !G_SCAN != G_WAITING {
        throw("bad g->status in ready");
    }
    casgstatus(gp, G_WAITING, G_RUNNABLE);
    runqput((*mp).p, gp, next);
    wakep(mp);
    releasem(mp);
}

/// A sudog from the current P's cache, refilled from the central cache (gc's acquireSudog).
///
/// # Safety
/// `gp` must be the calling goroutine.
pub unsafe fn acquire_sudog(gp: *mut G) -> *mut Sudog {
    let sched = sched();
    let mp = acquirem((*gp).m);
    let pp = (*mp).p;
    if (*pp).sudogcache_len == 0 {
        lock(&(*sched).sudoglock);
        // First, try to grab a batch from the central cache.
        while (*pp).sudogcache_len < SUDOG_CACHE_LEN / 2 && !(*sched).sudogcache.is_null() {
            let s = (*sched).sudogcache;
            (*sched).sudogcache = (*s).next;
            (*s).next = null_mut();
            (*pp).sudogcache[(*pp).sudogcache_len] = s;
            (*pp).sudogcache_len += 1;
        }
        unlock(&(*sched).sudoglock);
        // If the central cache is empty, allocate a new one.
        if (*pp).sudogcache_len == 0 {
            (*pp).sudogcache[0] = alloc_sudog_struct();
            (*pp).sudogcache_len = 1;
        }
    }
    (*pp).sudogcache_len -= 1;
    let s = (*pp).sudogcache[(*pp).sudogcache_len];
    (*pp).sudogcache[(*pp).sudogcache_len] = null_mut();
    if !(*s).elem.is_null() {
        throw("acquireSudog: found s.elem != nil in cache");
    }
    releasem(mp);
    s
}

/// Returns a sudog to the current P's cache, half of a full cache to the central one (gc's
/// releaseSudog).
///
/// # Safety
/// `gp` must be the calling goroutine; `s` must be unlinked from every queue.
pub unsafe fn release_sudog(gp: *mut G, s: *mut Sudog) {
    let sched = sched();
    if !(*s).elem.is_null() {
        throw("runtime: sudog with non-nil elem");
    }
    if (*s).is_select {
        throw("runtime: sudog with non-false isSelect");
    }
    if !(*s).next.is_null() {
        throw("runtime: sudog with non-nil next");
    }
    if !(*s).prev.is_null() {
        throw("runtime: sudog with non-nil prev");
    }
    if !(*s).waitlink.is_null() {
        throw("runtime: sudog with non-nil waitlink");
    }
    if !(*s).c.is_null() {
        throw("runtime: sudog with non-nil c");
    }
    if (*gp).param == s as *mut u8 {
        throw("runtime: releaseSudog with non-nil gp.param");
    }
    (*s).g = null_mut();
    let mp = acquirem((*gp).m);
    let pp = (*mp).p;
    if (*pp).sudogcache_len == SUDOG_CACHE_LEN {
        // Transfer half of the local cache to the central cache.
        let mut first: *mut Sudog = null_mut();
        let mut last: *mut Sudog = null_mut();
        while (*pp).sudogcache_len > SUDOG_CACHE_LEN / 2 {
            (*pp).sudogcache_len -= 1;
            let p = (*pp).sudogcache[(*pp).sudogcache_len];
            (*pp).sudogcache[(*pp).sudogcache_len] = null_mut();
            if first.is_null() {
                first = p;
            } else {
                (*last).next = p;
            }
            last = p;
        }
        lock(&(*sched).sudoglock);
        (*last).next = (*sched).sudogcache;
        (*sched).sudogcache = first;
        unlock(&(*sched).sudoglock);
    }
    (*pp).sudogcache[(*pp).sudogcache_len] = s;
    (*pp).sudogcache_len += 1;
    releasem(mp);
}

/// Readies `gp` from a thread that is not an M (tests, signal-free helpers): global queue.
pub unsafe fn ready_external(gp: *mut G) {
    let sched = sched();
    casgstatus(gp, G_WAITING, G_RUNNABLE);
    lock(&(*sched).lock);
    globrunqput(gp);
    unlock(&(*sched).lock);
    wakep(null_mut());
}

/// Yields the processor; the goroutine goes to the global queue (gc's Gosched).
///
/// # Safety
/// `gp` must be the calling goroutine.
pub unsafe fn gosched(gp: *mut G) {
    mcall(gp, gosched_m);
}

/// Gosched continuation on g0 (gc's gosched_m / goschedImpl).
unsafe extern "C" fn gosched_m(gp: *mut G) {
    gosched_impl(gp)
}

unsafe fn gosched_impl(gp: *mut G) -> ! {
    let sched = sched();
    let mp = (*gp).m;
    let status = readgstatus(gp);
    if status & !G_SCAN != G_RUNNING {
        throw("bad g status");
    }
    casgstatus(gp, G_RUNNING, G_RUNNABLE);
    dropg(mp);
    lock(&(*sched).lock);
    globrunqput(gp);
    unlock(&(*sched).lock);
    schedule(mp)
}

/// Preemption at a stack check (gc's gopreempt_m): like Gosched.
pub unsafe extern "C" fn gopreempt_m(gp: *mut G) {
    gosched_impl(gp)
}

/// Like Gosched, but the goroutine goes to the local queue (gc's goyield).
pub unsafe fn goyield(gp: *mut G) {
    mcall(gp, goyield_m);
}

unsafe extern "C" fn goyield_m(gp: *mut G) {
    let mp = (*gp).m;
    let pp = (*mp).p;
    casgstatus(gp, G_RUNNING, G_RUNNABLE);
    dropg(mp);
    runqput(pp, gp, false);
    schedule(mp)
}

/// Whether the M may be preempted now (gc's canPreemptM).
pub unsafe fn can_preempt_m(mp: *mut M) -> bool {
    (*mp).locks == 0
        && (*mp).mallocing == 0
        && (*mp).preemptoff.is_none()
        && !(*mp).p.is_null()
        && (*(*mp).p).status.load(Relaxed) == P_RUNNING
}

// ---------------------------------------------------------------------------------------------
// System calls.

/// The goroutine is about to make a system call that may block (gc's entersyscall): its P
/// becomes P_SYSCALL so that sysmon can hand it to another M if the call takes long.
///
/// # Safety
/// `gp` must be the calling goroutine; exitsyscall must follow.
pub unsafe fn entersyscall(gp: *mut G) {
    let sched = sched();
    let mp = (*gp).m;
    (*mp).locks += 1;
    // Stack checks fail from here on, so nothing can grow or preempt the stack.
    (*gp).stackguard0 = STACK_PREEMPT;
    crate::mgcmark::save_callee_saved(&mut (*gp).syscall_regs);
    (*gp).syscallsp = crate::arch::current_sp();
    casgstatus(gp, G_RUNNING, G_SYSCALL);
    if (*sched).sysmonwait.load(SeqCst) != 0 {
        systemstack(mp, || entersyscall_sysmon());
    }
    let pp = (*mp).p;
    (*mp).syscalltick = (*pp).syscalltick;
    (*pp).m = null_mut();
    (*mp).oldp = pp;
    (*mp).p = null_mut();
    (*pp).status.store(P_SYSCALL, SeqCst);
    if (*sched).gcwaiting.load(SeqCst) != 0 {
        systemstack(mp, || entersyscall_gcwait(mp));
    }
    (*mp).locks -= 1;
}

unsafe fn entersyscall_sysmon() {
    wake_sysmon();
}

/// Wakes sysmon from its deep sleep, entered while all Ps were idle (gc does this inline in
/// entersyscall, exitsyscall and startTheWorld); also used when work arrives from outside
/// the scheduler.
pub unsafe fn wake_sysmon() {
    let sched = sched();
    lock(&(*sched).lock);
    if (*sched).sysmonwait.load(SeqCst) != 0 {
        (*sched).sysmonwait.store(0, SeqCst);
        (*sched).sysmonnote.wakeup();
    }
    unlock(&(*sched).lock);
}

unsafe fn entersyscall_gcwait(mp: *mut M) {
    let sched = sched();
    let pp = (*mp).oldp;
    lock(&(*sched).lock);
    if (*sched).stopwait > 0
        && (*pp)
            .status
            .compare_exchange(P_SYSCALL, P_GCSTOP, SeqCst, SeqCst)
            .is_ok()
    {
        (*pp).syscalltick = (*pp).syscalltick.wrapping_add(1);
        (*sched).stopwait -= 1;
        if (*sched).stopwait == 0 {
            (*sched).stopnote.wakeup();
        }
    }
    unlock(&(*sched).lock);
}

/// Like entersyscall, for calls known to block: the P is handed off at once (gc's
/// entersyscallblock).
pub unsafe fn entersyscallblock(gp: *mut G) {
    let mp = (*gp).m;
    (*mp).locks += 1;
    (*gp).stackguard0 = STACK_PREEMPT;
    let pp = (*mp).p;
    (*mp).syscalltick = (*pp).syscalltick;
    (*pp).syscalltick = (*pp).syscalltick.wrapping_add(1);
    crate::mgcmark::save_callee_saved(&mut (*gp).syscall_regs);
    (*gp).syscallsp = crate::arch::current_sp();
    casgstatus(gp, G_RUNNING, G_SYSCALL);
    systemstack(mp, || {
        let pp = releasep(mp);
        handoffp(pp, mp);
    });
    (*mp).locks -= 1;
}

/// The goroutine returned from its system call (gc's exitsyscall): reacquires its P, or any
/// idle P, or queues itself and stops the M.
///
/// # Safety
/// `gp` must be the calling goroutine, after entersyscall.
pub unsafe fn exitsyscall(gp: *mut G) {
    let mp = (*gp).m;
    (*mp).locks += 1;
    (*gp).waitsince = 0;
    let oldp = (*mp).oldp;
    (*mp).oldp = null_mut();
    if exitsyscallfast(mp, oldp) {
        let pp = (*mp).p;
        (*pp).syscalltick = (*pp).syscalltick.wrapping_add(1);
        casgstatus(gp, G_SYSCALL, G_RUNNING);
        (*gp).syscallsp = 0;
        (*mp).locks -= 1;
        (*gp).stackguard0 = if (*gp).preempt.load(Relaxed) {
            STACK_PREEMPT
        } else {
            (*gp).stack.lo + STACK_GUARD
        };
        return;
    }
    (*mp).locks -= 1;
    mcall(gp, exitsyscall0);
    // Resumed by the scheduler, on some M with a P.
    (*gp).syscallsp = 0;
    let pp = (*(*gp).m).p;
    (*pp).syscalltick = (*pp).syscalltick.wrapping_add(1);
}

/// Reacquires the old P or an idle one without scheduling (gc's exitsyscallfast).
unsafe fn exitsyscallfast(mp: *mut M, oldp: *mut P) -> bool {
    let sched = sched();
    if !oldp.is_null()
        && (*oldp).status.load(SeqCst) == P_SYSCALL
        && (*oldp)
            .status
            .compare_exchange(P_SYSCALL, P_IDLE, SeqCst, SeqCst)
            .is_ok()
    {
        wirep(mp, oldp);
        if (*mp).syscalltick != (*oldp).syscalltick {
            (*oldp).syscalltick = (*oldp).syscalltick.wrapping_add(1);
        }
        return true;
    }
    if !(*sched).pidle.is_null() {
        let mut ok = false;
        systemstack(mp, || ok = exitsyscallfast_pidle(mp));
        if ok {
            return true;
        }
    }
    false
}

unsafe fn exitsyscallfast_pidle(mp: *mut M) -> bool {
    let sched = sched();
    lock(&(*sched).lock);
    let (pp, _) = pidleget(0);
    if !pp.is_null() && (*sched).sysmonwait.load(SeqCst) != 0 {
        (*sched).sysmonwait.store(0, SeqCst);
        (*sched).sysmonnote.wakeup();
    }
    unlock(&(*sched).lock);
    if !pp.is_null() {
        acquirep(mp, pp);
        return true;
    }
    false
}

/// exitsyscall slow path on g0 (gc's exitsyscall0).
unsafe extern "C" fn exitsyscall0(gp: *mut G) {
    let sched = sched();
    let mp = (*gp).m;
    casgstatus(gp, G_SYSCALL, G_RUNNABLE);
    dropg(mp);
    lock(&(*sched).lock);
    let (pp, _) = pidleget(0);
    let mut locked = false;
    if pp.is_null() {
        globrunqput(gp);
        locked = !(*gp).lockedm.is_null();
    } else if (*sched).sysmonwait.load(SeqCst) != 0 {
        (*sched).sysmonwait.store(0, SeqCst);
        (*sched).sysmonnote.wakeup();
    }
    unlock(&(*sched).lock);
    if !pp.is_null() {
        acquirep(mp, pp);
        execute(mp, gp, false);
    }
    if locked {
        // Wait until another thread schedules gp, and so this M.
        stoplockedm(mp);
        execute(mp, gp, false);
    }
    stopm(mp);
    schedule(mp)
}

// ---------------------------------------------------------------------------------------------
// LockOSThread.

unsafe fn dolockosthread(gp: *mut G) {
    let mp = (*gp).m;
    (*mp).lockedg = gp;
    (*gp).lockedm = mp;
}

/// Wires the calling goroutine to its current thread (gc's LockOSThread); calls nest.
pub unsafe fn lock_os_thread(gp: *mut G) {
    let mp = (*gp).m;
    (*mp).locked_ext = (*mp).locked_ext.wrapping_add(1);
    if (*mp).locked_ext == 0 {
        (*mp).locked_ext = u32::MAX;
        throw("LockOSThread nesting overflow");
    }
    dolockosthread(gp);
}

/// Undoes one LockOSThread (gc's UnlockOSThread); at zero the goroutine is unwired.
pub unsafe fn unlock_os_thread(gp: *mut G) {
    let mp = (*gp).m;
    if (*mp).locked_ext == 0 {
        return;
    }
    (*mp).locked_ext -= 1;
    if (*mp).locked_int != 0 || (*mp).locked_ext != 0 {
        return;
    }
    (*mp).lockedg = null_mut();
    (*gp).lockedm = null_mut();
}

// ---------------------------------------------------------------------------------------------
// Counts and GOMAXPROCS.

/// The number of live user goroutines (gc's gcount, behind runtime.NumGoroutine).
pub unsafe fn gcount() -> i32 {
    let sched = sched();
    let mut n = ALLGLEN.load(SeqCst) as i32
        - (*sched).gfree_n
        - (*sched).ngsys.load(SeqCst) as i32;
    for i in 0..GOMAXPROCS.load(SeqCst) {
        let pp = ALLP[i as usize].load(SeqCst);
        if !pp.is_null() {
            n -= (*pp).gfree_n;
        }
    }
    // Counted without locks, so the result can be off; never below 1, as in gc.
    n.max(1)
}

/// Sets GOMAXPROCS (if n > 0) and returns the previous value (gc's GOMAXPROCS): stops the
/// world and resizes the Ps.
pub unsafe fn set_gomaxprocs(gp: *mut G, n: i32) -> i32 {
    lock(&(*sched()).lock);
    let ret = GOMAXPROCS.load(SeqCst) as i32;
    unlock(&(*sched()).lock);
    if n <= 0 || n == ret {
        return ret;
    }
    let n = n.min(MAX_GOMAXPROCS as i32);
    stop_the_world(gp, "GOMAXPROCS");
    NEWPROCS.store(n, SeqCst);
    start_the_world(gp);
    ret
}

/// GOMAXPROCS to apply at the next start_the_world (gc's newprocs).
static NEWPROCS: AtomicI32 = AtomicI32::new(0);

// ---------------------------------------------------------------------------------------------
// Stop the world.

/// Serialises stop-the-world sections (gc's worldsema); a goroutine semaphore, so waiters park.
static WORLDSEMA: AtomicU32 = AtomicU32::new(1);

/// Stops all Ps but the caller's (gc's stopTheWorld).
pub unsafe fn stop_the_world(gp: *mut G, reason: &'static str) {
    crate::sema::semacquire(gp, WORLDSEMA.as_ptr());
    let mp = (*gp).m;
    (*mp).preemptoff = Some(reason);
    systemstack(mp, || stop_the_world_with_sema(mp));
}

/// Restarts the world (gc's startTheWorld).
pub unsafe fn start_the_world(gp: *mut G) {
    let mp = (*gp).m;
    systemstack(mp, || start_the_world_with_sema(mp));
    (*mp).preemptoff = None;
    crate::sema::semrelease(gp, WORLDSEMA.as_ptr());
}

unsafe fn stop_the_world_with_sema(mp: *mut M) {
    let sched = sched();
    lock(&(*sched).lock);
    (*sched).stopwait = GOMAXPROCS.load(SeqCst) as i32;
    (*sched).gcwaiting.store(1, SeqCst);
    preemptall(mp);
    // Stop the current P.
    (*(*mp).p).status.store(P_GCSTOP, SeqCst);
    (*sched).stopwait -= 1;
    // Try to retake all Ps in syscalls.
    for i in 0..GOMAXPROCS.load(SeqCst) {
        let pp = ALLP[i as usize].load(SeqCst);
        if (*pp)
            .status
            .compare_exchange(P_SYSCALL, P_GCSTOP, SeqCst, SeqCst)
            .is_ok()
        {
            (*pp).syscalltick = (*pp).syscalltick.wrapping_add(1);
            (*sched).stopwait -= 1;
        }
    }
    // Stop idle Ps.
    loop {
        let (pp, _) = pidleget(0);
        if pp.is_null() {
            break;
        }
        (*pp).status.store(P_GCSTOP, SeqCst);
        (*sched).stopwait -= 1;
    }
    let wait = (*sched).stopwait > 0;
    unlock(&(*sched).lock);
    if wait {
        loop {
            // Wait for 100us, then try to re-preempt in case of any races.
            if (*sched).stopnote.tsleep(100_000) {
                (*sched).stopnote.clear();
                break;
            }
            preemptall(mp);
        }
    }
    if (*sched).stopwait != 0 {
        throw("stopTheWorld: not stopped");
    }
    for i in 0..GOMAXPROCS.load(SeqCst) {
        let pp = ALLP[i as usize].load(SeqCst);
        if (*pp).status.load(SeqCst) != P_GCSTOP {
            throw("stopTheWorld: not stopped");
        }
    }
}

unsafe fn start_the_world_with_sema(mp: *mut M) {
    let sched = sched();
    lock(&(*sched).lock);
    let mut procs = GOMAXPROCS.load(SeqCst) as i32;
    let newprocs = NEWPROCS.swap(0, SeqCst);
    if newprocs != 0 {
        procs = newprocs;
    }
    let mut p1 = procresize(procs, mp);
    (*sched).gcwaiting.store(0, SeqCst);
    if (*sched).sysmonwait.load(SeqCst) != 0 {
        (*sched).sysmonwait.store(0, SeqCst);
        (*sched).sysmonnote.wakeup();
    }
    unlock(&(*sched).lock);
    while !p1.is_null() {
        let pp = p1;
        p1 = (*p1).link;
        if !(*pp).m.is_null() {
            let nmp = (*pp).m;
            (*pp).m = null_mut();
            if !(*nmp).nextp.is_null() {
                throw("startTheWorld: inconsistent mp->nextp");
            }
            (*nmp).nextp = pp;
            (*nmp).park.wakeup();
        } else {
            newm(None, pp, -1, mp);
        }
    }
    wakep(mp);
}

/// Asks every running goroutine to stop at its next stack check (gc's preemptall).
pub unsafe fn preemptall(mp: *mut M) -> bool {
    let mut res = false;
    for i in 0..GOMAXPROCS.load(SeqCst) {
        let pp = ALLP[i as usize].load(SeqCst);
        if (*pp).status.load(SeqCst) != P_RUNNING {
            continue;
        }
        if preemptone(pp, mp) {
            res = true;
        }
    }
    res
}

/// Asks the goroutine running on `pp` to stop (gc's preemptone): poisons its stackguard0 so
/// that its next stack check enters morestack, which yields. Best effort.
pub unsafe fn preemptone(pp: *mut P, curm: *mut M) -> bool {
    let mp = (*pp).m;
    if mp.is_null() || mp == curm {
        return false;
    }
    let gp = (*mp).curg;
    if gp.is_null() || gp == (*mp).g0 {
        return false;
    }
    (*gp).preempt.store(true, SeqCst);
    core::ptr::write_volatile(&raw mut (*gp).stackguard0, STACK_PREEMPT);
    true
}

// ---------------------------------------------------------------------------------------------
// Deadlock detection.

/// Goroutines are started by threads outside the scheduler (unit tests), which may wait for
/// them: the scheduler idling is not a deadlock (gc's islibrary/isarchive).
pub static EXTERNALLY_DRIVEN: AtomicBool = AtomicBool::new(false);

/// Reports a deadlock when no M is running and no goroutine can ever run again (gc's
/// checkdead). sched.lock is held.
pub unsafe fn checkdead() {
    let sched = sched();
    // Before the main goroutine starts, and when threads outside the scheduler drive it (gc's
    // islibrary; goclift's unit tests), idle threads are normal.
    if !(*sched).main_started.load(SeqCst)
        || EXTERNALLY_DRIVEN.load(SeqCst)
        || crate::panic::panicking()
    {
        return;
    }
    let run = mcount() - (*sched).nmidle - (*sched).nmidlelocked - (*sched).nmsys;
    if run > 0 {
        return;
    }
    if run < 0 {
        crate::print::print_str("runtime: checkdead: nmidle=");
        crate::print::print_i64((*sched).nmidle as i64);
        crate::print::print_str(" nmidlelocked=");
        crate::print::print_i64((*sched).nmidlelocked as i64);
        crate::print::print_str(" mcount=");
        crate::print::print_i64(mcount() as i64);
        crate::print::print_str(" nmsys=");
        crate::print::print_i64((*sched).nmsys as i64);
        crate::print::print_str("\n");
        throw("checkdead: inconsistent counts");
    }
    let mut grunning = 0;
    for_each_g(|gp| {
        if (*gp).is_system {
            return;
        }
        let s = readgstatus(gp);
        match s & !G_SCAN {
            G_WAITING | G_PREEMPTED => grunning += 1,
            G_RUNNABLE | G_RUNNING | G_SYSCALL => {
                crate::print::print_str("runtime: checkdead: find g ");
                crate::print::print_i64((*gp).goid);
                crate::print::print_str(" in status ");
                crate::print::print_u64(s as u64);
                crate::print::print_str("\n");
                throw("checkdead: runnable g");
            }
            _ => {}
        }
    });
    if grunning == 0 {
        // Possible if the main goroutine called runtime.Goexit.
        unlock(&(*sched).lock);
        crate::panic::fatal("no goroutines (main called runtime.Goexit) - deadlock!");
    }
    // Pending timers will make goroutines runnable again.
    for i in 0..GOMAXPROCS.load(SeqCst) {
        let pp = ALLP[i as usize].load(SeqCst);
        if !pp.is_null() && (*pp).timers.len > 0 {
            return;
        }
    }
    unlock(&(*sched).lock);
    crate::panic::fatal("all goroutines are asleep - deadlock!");
}

// ---------------------------------------------------------------------------------------------
// Timer sleeping for Ms without work before the netpoller starts (then they sleep in
// netpoll with a timeout, as gc's do).

/// Wakes the M that sleeps until the next timer (gc's netpollBreak).
pub fn timer_sleeper_wake() {
    if crate::netpoll::netpollinited() {
        crate::netpoll_epoll::netpoll_break();
    }
    // SAFETY: only the atomics of SCHED are touched.
    unsafe {
        let sched = sched();
        (*sched).timer_wake_seq.fetch_add(1, SeqCst);
        os_linux::futexwakeup(&(*sched).timer_wake_seq, 1);
    }
}

/// Sleeps until `until` (nanotime) or a timer_sleeper_wake.
unsafe fn timer_sleep_until(until: i64) {
    let sched = sched();
    let seq = (*sched).timer_wake_seq.load(SeqCst);
    let delay = until - crate::time::nanotime();
    if delay > 0 {
        os_linux::futexsleep(&(*sched).timer_wake_seq, seq, delay);
    }
}

// ---------------------------------------------------------------------------------------------
// sysmon.

/// The system monitor (gc's sysmon), on its own M without a P: retakes Ps blocked in system
/// calls, preempts goroutines running longer than 10 ms, wakes an M for overdue timers.
/// Sleeps 20 us at first, doubling after 1 ms of idleness up to 10 ms, and deeply while all
/// Ps are idle.
unsafe fn sysmon(mp: *mut M) {
    let sched = sched();
    (*mp).is_sysmon = true;
    lock(&(*sched).lock);
    (*sched).nmsys += 1;
    checkdead();
    unlock(&(*sched).lock);
    let mut idle = 0u32;
    let mut delay = 0u32;
    let mut lastpoll = 0i64;
    loop {
        if idle == 0 {
            delay = 20;
        } else if idle > 50 {
            delay *= 2;
        }
        if delay > 10_000 {
            delay = 10_000;
        }
        os_linux::usleep(delay);
        let now = crate::time::nanotime();
        if (*sched).gcwaiting.load(SeqCst) != 0
            || (*sched).npidle.load(SeqCst) == GOMAXPROCS.load(SeqCst)
        {
            lock(&(*sched).lock);
            if (*sched).gcwaiting.load(SeqCst) != 0
                || (*sched).npidle.load(SeqCst) == GOMAXPROCS.load(SeqCst)
            {
                let mut syscall_wake = false;
                let next = crate::time::time_sleep_until();
                if next > now {
                    (*sched).sysmonwait.store(1, SeqCst);
                    unlock(&(*sched).lock);
                    let sleep = (next - now).min(60_000_000_000);
                    syscall_wake = (*sched).sysmonnote.tsleep(sleep);
                    lock(&(*sched).lock);
                    (*sched).sysmonwait.store(0, SeqCst);
                    (*sched).sysmonnote.clear();
                }
                if syscall_wake {
                    idle = 0;
                    delay = 20;
                }
            }
            unlock(&(*sched).lock);
        }
        lock(&(*sched).sysmonlock);
        let now = crate::time::nanotime();
        // A timer is overdue and nobody runs it: start an M (gc relies on netpoll here).
        let next = crate::time::time_sleep_until();
        if next < now {
            startm(null_mut(), false, null_mut());
        }
        // Poll the network if nobody has for 10 ms (gc's sysmon netpoll).
        if crate::netpoll::netpollinited()
            && crate::netpoll::netpoll_has_waiters()
            && (*sched).sleeping_for_timers.load(SeqCst) == 0
            && lastpoll + 10_000_000 < now
        {
            lastpoll = now;
            let mut list = crate::netpoll_epoll::netpoll(0);
            if !list.empty() {
                // Keep checkdead from seeing no running M while the Gs are in flight.
                incidlelocked(-1);
                injectglist(null_mut(), &mut list);
                incidlelocked(1);
            }
        }
        if retake(now) != 0 {
            idle = 0;
        } else {
            idle += 1;
        }
        unlock(&(*sched).sysmonlock);
    }
}

/// Preempts long-running goroutines and retakes Ps from long system calls (gc's retake).
unsafe fn retake(now: i64) -> u32 {
    let sched = sched();
    let mut n = 0;
    for i in 0..GOMAXPROCS.load(SeqCst) {
        let pp = ALLP[i as usize].load(SeqCst);
        if pp.is_null() {
            continue;
        }
        let pd = &mut (*pp).sysmontick;
        let s = (*pp).status.load(SeqCst);
        let mut sysretake = false;
        if s == P_RUNNING || s == P_SYSCALL {
            // Preempt the G if it has been running for too long.
            let t = core::ptr::read_volatile(&(*pp).schedtick);
            if pd.schedtick != t {
                pd.schedtick = t;
                pd.schedwhen = now;
            } else if pd.schedwhen + FORCE_PREEMPT_NS <= now {
                preemptone(pp, null_mut());
                // In a syscall preemptone does not work: there is no M wired to the P.
                sysretake = true;
            }
        }
        if s == P_SYSCALL {
            // Retake the P if it has been in the syscall for more than one sysmon tick.
            let t = core::ptr::read_volatile(&(*pp).syscalltick);
            if !sysretake && pd.syscalltick != t {
                pd.syscalltick = t;
                pd.syscallwhen = now;
                continue;
            }
            // Don't retake if there is nothing to do, unless the call has taken 10 ms.
            if runqempty(pp)
                && (*sched).nmspinning.load(SeqCst) + (*sched).npidle.load(SeqCst) > 0
                && pd.syscallwhen + 10_000_000 > now
            {
                continue;
            }
            incidlelocked(-1);
            if (*pp)
                .status
                .compare_exchange(s, P_IDLE, SeqCst, SeqCst)
                .is_ok()
            {
                n += 1;
                (*pp).syscalltick = (*pp).syscalltick.wrapping_add(1);
                handoffp(pp, null_mut());
            }
            incidlelocked(1);
        }
    }
    n
}

/// Starts the scheduler for unit tests, once per process: the allocator, `nprocs` idle Ps, no
/// running M (goroutines are started with `test_run`, which wakes Ms as needed).
#[cfg(test)]
pub fn test_schedinit(nprocs: i32) {
    static INIT: std::sync::Once = std::sync::Once::new();
    INIT.call_once(|| unsafe {
        crate::malloc::mallocinit();
        let sched = sched();
        // The initialising thread acts as an M just long enough to create the Ps.
        let mp = Box::leak(Box::new(M::zeroed())) as *mut M;
        let g0 = Box::leak(Box::new(G::zeroed())) as *mut G;
        (*mp).g0 = g0;
        (*g0).m = mp;
        init_g0(&mut *g0, crate::arch::current_sp());
        lock(&(*sched).lock);
        mcommoninit(mp, -1);
        NCPU.store(os_linux::getproccount(), Relaxed);
        procresize(nprocs, mp);
        let pp = releasep(mp);
        pidleput(pp, 0);
        // The initialising thread is not an M from now on.
        (*sched).nmfreed += 1;
        unlock(&(*sched).lock);
        EXTERNALLY_DRIVEN.store(true, SeqCst);
        (*sched).main_started.store(true, SeqCst);
        newm(Some(sysmon), null_mut(), -1, null_mut());
    });
}

/// Runs `f(arg, g)` as a goroutine and waits for it to return (unit tests). The goroutine gets
/// a `stacksize` stack (0: 64 KiB, enough for Rust test code).
#[cfg(test)]
pub fn test_run(f: GoFn, arg: *mut u8, stacksize: usize) {
    struct Ctx {
        f: GoFn,
        arg: *mut u8,
        done: crate::lock_futex::Note,
    }
    unsafe extern "C" fn body(ctx: *mut u8, gp: *mut G) {
        let ctx = ctx as *const Ctx;
        ((*ctx).f)((*ctx).arg, gp);
        (*ctx).done.wakeup();
    }
    test_schedinit(4);
    let ctx = Ctx {
        f,
        arg,
        done: crate::lock_futex::Note::new(),
    };
    let size = if stacksize == 0 { 64 << 10 } else { stacksize };
    // SAFETY: the scheduler is initialised; `ctx` outlives the goroutine (we wait for it).
    unsafe {
        let newg = newproc1(body, &ctx as *const Ctx as *mut u8, null_mut(), null_mut(), size);
        let sched = sched();
        lock(&(*sched).lock);
        globrunqput(newg);
        unlock(&(*sched).lock);
        startm(null_mut(), false, null_mut());
        wake_sysmon();
    }
    ctx.done.sleep();
}

#[cfg(test)]
#[path = "proc_test.rs"]
pub mod tests;

// ---------------------------------------------------------------------------------------------
// Entry points for compiled Go code (C ABI, g in the g register; see runtime/README.md).

unsafe extern "C" fn newproc_from_go(fn_: GoFn, arg: *mut u8, gp: *mut G) {
    // The entry stub jumped here, so this function's return address is in the go statement.
    let gopc = crate::traceback::return_address(crate::traceback::current_fp());
    newproc_at(gp, fn_, arg, 0, gopc)
}

crate::go_entry!(
    /// `go f(...)`: `runtime.newproc(fn, arg)` starts a goroutine running `fn(arg)` (the
    /// compiler passes a closure-like pair: a C-ABI function and its argument block).
    newproc_entry = "runtime.newproc"(fn_: GoFn, arg: *mut u8);
    g in "rdx" / "x2" => newproc_from_go
);

unsafe extern "C" fn gosched_from_go(gp: *mut G) {
    gosched(gp)
}

crate::go_entry!(
    /// `runtime.Gosched()`.
    gosched_entry = "runtime.Gosched"();
    g in "rdi" / "x0" => gosched_from_go
);

unsafe extern "C" fn preempt_point_from_go(_gp: *mut G) {}

crate::go_entry!(
    /// `goclift.preemptPoint()`: called by a loop back edge that found stackguard0 poisoned.
    /// The stub's own stack check has already entered morestack, which preempted the
    /// goroutine if it may be preempted; while it may not (M locks held, as between procPin
    /// and procUnpin), morestack declined and nothing is left to do. (Calling Gosched here
    /// would yield regardless and enter the scheduler holding the M's locks.)
    preempt_point_entry = "goclift.preemptPoint"();
    g in "rdi" / "x0" => preempt_point_from_go
);

unsafe extern "C" fn goexit_from_go(gp: *mut G) {
    crate::panic::goexit_run_defers(gp);
    goclift_goexit1(gp)
}

crate::go_entry!(
    /// `runtime.Goexit()`: runs the goroutine's deferred calls and ends it.
    goexit_entry = "runtime.Goexit"();
    g in "rdi" / "x0" => goexit_from_go
);

unsafe extern "C" fn num_goroutine_from_go(_gp: *mut G) -> isize {
    gcount() as isize
}

crate::go_entry!(
    /// `runtime.NumGoroutine() int`.
    num_goroutine_entry = "runtime.NumGoroutine"() -> isize;
    g in "rdi" / "x0" => num_goroutine_from_go
);

unsafe extern "C" fn gomaxprocs_from_go(n: isize, gp: *mut G) -> isize {
    set_gomaxprocs(gp, n.clamp(i32::MIN as isize, i32::MAX as isize) as i32) as isize
}

crate::go_entry!(
    /// `runtime.GOMAXPROCS(n int) int`: sets GOMAXPROCS if n > 0; returns the previous value.
    gomaxprocs_entry = "runtime.GOMAXPROCS"(n: isize) -> isize;
    g in "rsi" / "x1" => gomaxprocs_from_go
);

unsafe extern "C" fn num_cpu_from_go(_gp: *mut G) -> isize {
    NCPU.load(SeqCst) as isize
}

crate::go_entry!(
    /// `runtime.NumCPU() int`.
    num_cpu_entry = "runtime.NumCPU"() -> isize;
    g in "rdi" / "x0" => num_cpu_from_go
);

unsafe extern "C" fn lock_os_thread_from_go(gp: *mut G) {
    lock_os_thread(gp)
}

crate::go_entry!(
    /// `runtime.LockOSThread()`.
    lock_os_thread_entry = "runtime.LockOSThread"();
    g in "rdi" / "x0" => lock_os_thread_from_go
);

unsafe extern "C" fn unlock_os_thread_from_go(gp: *mut G) {
    unlock_os_thread(gp)
}

crate::go_entry!(
    /// `runtime.UnlockOSThread()`.
    unlock_os_thread_entry = "runtime.UnlockOSThread"();
    g in "rdi" / "x0" => unlock_os_thread_from_go
);

unsafe extern "C" fn entersyscall_from_go(gp: *mut G) {
    entersyscall(gp)
}

crate::go_entry!(
    /// `runtime.entersyscall()`: before a system call that may block. Until the matching
    /// exitsyscall the goroutine must not call functions with stack checks.
    nosplit entersyscall_entry = "runtime.entersyscall"();
    g in "rdi" / "x0" => entersyscall_from_go
);

unsafe extern "C" fn entersyscallblock_from_go(gp: *mut G) {
    entersyscallblock(gp)
}

crate::go_entry!(
    /// `runtime.entersyscallblock()`: before a system call known to block.
    nosplit entersyscallblock_entry = "runtime.entersyscallblock"();
    g in "rdi" / "x0" => entersyscallblock_from_go
);

unsafe extern "C" fn exitsyscall_from_go(gp: *mut G) {
    exitsyscall(gp)
}

crate::go_entry!(
    /// `runtime.exitsyscall()`: after the system call.
    nosplit exitsyscall_entry = "runtime.exitsyscall"();
    g in "rdi" / "x0" => exitsyscall_from_go
);

unsafe extern "C" fn set_max_stack_from_go(n: isize, _gp: *mut G) -> isize {
    crate::morestack::set_max_stack(n.max(0) as usize) as isize
}

crate::go_entry!(
    /// `runtime.setMaxStack(n int) int` (runtime/debug.SetMaxStack).
    set_max_stack_entry = "runtime.setMaxStack"(n: isize) -> isize;
    g in "rsi" / "x1" => set_max_stack_from_go
);

unsafe extern "C" fn proc_pin_from_go(gp: *mut G) -> isize {
    let mp = (*gp).m;
    (*mp).locks += 1;
    (*(*mp).p).id as isize
}

crate::go_entry!(
    /// `runtime.procPin() int`: disables preemption (the M holds a "lock") and returns the
    /// P's id (sync.Pool's per-P slots).
    proc_pin_entry = "runtime.procPin"() -> isize;
    g in "rdi" / "x0" => proc_pin_from_go
);

unsafe extern "C" fn proc_unpin_from_go(gp: *mut G) {
    (*(*gp).m).locks -= 1;
}

crate::go_entry!(
    /// `runtime.procUnpin()`: undoes procPin.
    proc_unpin_entry = "runtime.procUnpin"();
    g in "rdi" / "x0" => proc_unpin_from_go
);

unsafe extern "C" fn fastrandn_from_go(n: u32, gp: *mut G) -> u32 {
    fastrandn((*gp).m, n)
}

crate::go_entry!(
    /// `runtime.fastrandn(n uint32) uint32`: a pseudo-random number in [0, n).
    fastrandn_entry = "runtime.fastrandn"(n: u32) -> u32;
    g in "rsi" / "x1" => fastrandn_from_go
);
