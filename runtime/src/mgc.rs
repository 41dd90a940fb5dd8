//! The garbage collector's cycle (Go's mgc.go): a non-moving mark-sweep collection.
//!
//! A cycle runs in the goroutine whose allocation crossed the trigger (mgcpacer.rs), or in
//! runtime.GC's caller:
//!
//! 1. stop the world (proc.rs's stop_the_world: every other goroutine is parked at a
//!    preemption point, in a channel or semaphore wait, or in a system call);
//! 2. flush every P's mcache, so that all spans are on the central lists and no tiny block
//!    or cached slot outlives the sweep;
//! 3. mark from the roots (mgcmark.rs), queue finalizers of unreachable objects and mark
//!    what they reach (mfinal.rs), drain;
//! 4. sweep every span (the mark bits become the alloc bits; empty spans go back to the
//!    page heap; mgcsweep.rs), set the next goal, print the gctrace line;
//! 5. start the world, and let the finalizer goroutine run what was queued.
//!
//! gc marks concurrently with the mutator behind a write barrier and sweeps lazily; see
//! docs/decisions.md for why goclift's first collector stops the world for the whole cycle.

use crate::mgcmark::{save_callee_saved, CalleeSaved, Marker};
use crate::mgcpacer;
use crate::mheap::MHEAP;
use crate::mstats::MEMSTATS;
use crate::runtime2::{G, M};
use core::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering::Relaxed};

/// Completed cycles (gc's work.cycles / memstats.numgc).
pub static NUM_GC: AtomicU32 = AtomicU32::new(0);
/// Cycles started by runtime.GC (gc's numforcedgc).
pub static NUM_FORCED_GC: AtomicU32 = AtomicU32::new(0);
/// Total nanoseconds the world was stopped for collection (gc's pause_total_ns).
pub static PAUSE_TOTAL_NS: AtomicU64 = AtomicU64::new(0);
/// GODEBUG=gctrace=1: print a line per cycle.
pub static GCTRACE: AtomicBool = AtomicBool::new(false);
/// When the runtime started, for gctrace's "@s" field.
static START_NANOTIME: AtomicU64 = AtomicU64::new(0);
/// Bytes of heap objects live after the last mark (gc's heapMarked).
pub static HEAP_MARKED: AtomicU64 = AtomicU64::new(0);

/// Enables the collector (gc's gcenable): reads GOGC, GOMEMLIMIT and GODEBUG and arms the
/// trigger. Called by the main goroutine of an executable; unit tests, whose Rust heap holds
/// pointers the collector cannot see, run collections only explicitly.
pub fn gcenable() {
    START_NANOTIME.store(crate::time::nanotime() as u64, Relaxed);
    mgcpacer::read_env();
    read_godebug();
    mgcpacer::commit(0, 0);
}

/// GODEBUG's gctrace setting (gc's parsedebugvars, for the one variable the collector has).
fn read_godebug() {
    let mut i = 0;
    while let Some(kv) = crate::runtime1::env(i) {
        if let Some(v) = kv.strip_prefix(b"GODEBUG=") {
            for item in v.split(|&c| c == b',') {
                if let Some(n) = item.strip_prefix(b"gctrace=") {
                    GCTRACE.store(!n.is_empty() && n != b"0", Relaxed);
                }
            }
        }
        i += 1;
    }
}

/// The allocator crossed the trigger (malloc.rs): collect now if this M may stop the world
/// here, else leave it to a later allocation (gc's mallocgc checks the same conditions
/// before gcStart: not on g0, no runtime locks, not already allocating or panicking).
///
/// Returns the calling thread's M afterwards: the goroutine may have parked (waiting for
/// another goroutine's cycle) and resumed on another thread.
///
/// # Safety
/// `mp` must be the calling thread's M.
pub unsafe fn gc_trigger_heap(mp: *mut M) -> *mut M {
    let gp = (*mp).curg;
    if gp.is_null()
        || (*mp).locks != 0
        || (*mp).mallocing != 0
        || (*mp).preemptoff.is_some()
        || (*mp).p.is_null()
        || crate::panic::panicking()
    {
        return mp;
    }
    // On g0 (systemstack) the goroutine's stack pointer is not the current one.
    let sp = crate::arch::current_sp();
    if sp < (*gp).stack.lo || sp >= (*gp).stack.hi {
        return mp;
    }
    gc_start(gp, false);
    (*gp).m
}

/// Runs a full collection on behalf of `gp` (gc's gcStart + gcMarkDone + gcMarkTermination +
/// gcSweep, all with the world stopped). With `forced` false the cycle is skipped if another
/// goroutine's cycle already brought the heap under the trigger.
///
/// # Safety
/// `gp` must be the calling goroutine, running on its own stack with its M's P.
#[inline(never)]
pub unsafe fn gc_start(gp: *mut G, forced: bool) {
    crate::proc::stop_the_world(gp, "GC");
    if forced
        || MHEAP.stats.heap_live.load(Relaxed) >= mgcpacer::TRIGGER.load(Relaxed)
    {
        // This goroutine's callers may keep pointers in callee-saved registers; the array
        // and everything above this frame are scanned as its stack.
        let mut regs: CalleeSaved = [0; 12];
        save_callee_saved(&mut regs);
        let sp = crate::arch::current_sp();
        let regs_p = &raw const regs;
        let mp = (*gp).m;
        crate::proc::systemstack(mp, || gc_cycle(gp, sp, regs_p, forced));
        core::hint::black_box(&regs);
    }
    crate::proc::start_the_world(gp);
    crate::mfinal::wake_finalizer_goroutine(gp);
}

/// The stopped-world part of a cycle, on g0.
unsafe fn gc_cycle(gp: *mut G, sp: usize, regs: *const CalleeSaved, forced: bool) {
    let t0 = crate::time::nanotime();
    let heap0 = MHEAP.stats.heap_live.load(Relaxed);
    flush_mcaches();
    let t1 = crate::time::nanotime();

    let mut m = Marker::new(&MHEAP);
    m.scan_data_and_bss();
    m.scan_g(gp, sp, regs);
    m.scan_all_gs(gp);
    m.drain();
    crate::mfinal::mark_finalizers(&mut m);
    let t2 = crate::time::nanotime();

    let marked = m.bytes_marked;
    HEAP_MARKED.store(marked, Relaxed);
    MHEAP.start_sweep_cycle();
    MHEAP.next_mark_bit_arena_epoch();
    for_each_mcache(|c| c.flush_gen.store(MHEAP.sweepgen.load(Relaxed), Relaxed));
    MHEAP.sweep_all();
    // Everything left allocated is what was marked; the mcaches hold no spans.
    MHEAP.stats.heap_live.store(marked, Relaxed);
    let other = MHEAP.stats.in_stacks.load(Relaxed)
        + MEMSTATS.mspan_sys.load()
        + MEMSTATS.mcache_sys.load()
        + MEMSTATS.gc_misc_sys.load()
        + MEMSTATS.other_sys.load();
    mgcpacer::commit(marked, other);
    // Free pages beyond what the next cycle's heap may need go back to the OS now (gc's
    // background scavenger does this gradually).
    MHEAP.scavenge_to_goal(mgcpacer::retained_goal(mgcpacer::HEAP_GOAL.load(Relaxed)));
    let t3 = crate::time::nanotime();

    let n = NUM_GC.fetch_add(1, Relaxed) + 1;
    if forced {
        NUM_FORCED_GC.fetch_add(1, Relaxed);
    }
    PAUSE_TOTAL_NS.fetch_add((t3 - t0) as u64, Relaxed);
    if GCTRACE.load(Relaxed) {
        print_gctrace(n, t0, [t1 - t0, t2 - t1, t3 - t2], heap0, &m, forced);
    }
}

/// Returns every P's cached spans to the central lists (gc's flushallmcaches).
unsafe fn flush_mcaches() {
    for_each_mcache(|c| c.release_all());
}

/// Calls `f` on every P's mcache. The world must be stopped.
unsafe fn for_each_mcache(mut f: impl FnMut(&mut crate::mcache::MCache)) {
    use crate::runtime2::{ALLP, GOMAXPROCS};
    for i in 0..GOMAXPROCS.load(Relaxed) as usize {
        let pp = ALLP[i].load(Relaxed);
        if !pp.is_null() && !(*pp).mcache.is_null() {
            f(&mut *(*pp).mcache);
        }
    }
}

/// gc's gctrace line: "gc N @Ts P%: stw+mark+stw ms clock, ... MB, goal, stacks, globals, P".
/// goclift's phases all stop the world; the cpu fields equal the clock ones.
fn print_gctrace(n: u32, t0: i64, phases: [i64; 3], heap0: u64, m: &Marker, forced: bool) {
    use crate::print::FixedBuf;
    let mut b: FixedBuf<256> = FixedBuf::new();
    let since = t0 as u64 - START_NANOTIME.load(Relaxed);
    b.push(b"gc ");
    crate::print::append_uint(&mut b, n as u64);
    b.push(b" @");
    push_fixed(&mut b, since / 1_000_000, 3);
    b.push(b"s ");
    let total = since.max(1);
    crate::print::append_uint(&mut b, PAUSE_TOTAL_NS.load(Relaxed) * 100 / total);
    b.push(b"%: ");
    for (i, ns) in phases.iter().enumerate() {
        if i > 0 {
            b.push(b"+");
        }
        push_fixed(&mut b, *ns as u64 / 1000, 3);
    }
    b.push(b" ms clock, ");
    for (i, ns) in phases.iter().enumerate() {
        if i > 0 {
            b.push(b"+");
        }
        push_fixed(&mut b, *ns as u64 / 1000, 3);
    }
    b.push(b" ms cpu, ");
    crate::print::append_uint(&mut b, heap0 >> 20);
    b.push(b"->");
    crate::print::append_uint(&mut b, heap0 >> 20);
    b.push(b"->");
    crate::print::append_uint(&mut b, m.bytes_marked >> 20);
    b.push(b" MB, ");
    let goal = mgcpacer::HEAP_GOAL.load(Relaxed);
    crate::print::append_uint(&mut b, if goal == u64::MAX { 0 } else { goal >> 20 });
    b.push(b" MB goal, ");
    crate::print::append_uint(&mut b, m.stack_scanned >> 20);
    b.push(b" MB stacks, ");
    crate::print::append_uint(&mut b, m.globals_scanned >> 20);
    b.push(b" MB globals, ");
    crate::print::append_uint(&mut b, crate::runtime2::GOMAXPROCS.load(Relaxed) as u64);
    b.push(b" P");
    if forced {
        b.push(b" (forced)");
    }
    b.push(b"\n");
    crate::os_linux::write_all(2, b.as_bytes());
}

/// Appends `v / 10^frac` with `frac` decimals (v is in thousandths when frac is 3).
fn push_fixed<const N: usize>(b: &mut crate::print::FixedBuf<N>, v: u64, frac: u32) {
    let scale = 10u64.pow(frac);
    crate::print::append_uint(b, v / scale);
    b.push(b".");
    let r = v % scale;
    let mut d = scale / 10;
    while d > 0 {
        b.push_byte(b'0' + ((r / d) % 10) as u8);
        d /= 10;
    }
}

/// `runtime.GC()`: a full, forced collection; returns when it is done and its finalizers are
/// queued (gc's GC, which also waits for sweeping, done here within the cycle).
unsafe extern "C" fn gc_from_go(gp: *mut G) {
    gc_start(gp, true);
}

crate::go_entry!(
    /// `runtime.GC()`: runs a garbage collection.
    gc_entry = "runtime.GC"();
    g in "rdi" / "x0" => gc_from_go
);

/// `runtime.KeepAlive(x any)`: x stays reachable until here. Stacks are scanned
/// conservatively, so passing x to a call the compiler cannot remove is all it takes.
#[unsafe(export_name = "runtime.KeepAlive")]
pub extern "C" fn keep_alive(typ: usize, data: usize) {
    core::hint::black_box((typ, data));
}
