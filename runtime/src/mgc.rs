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
/// The last 256 pause lengths and their end times (ns since 1970), indexed by cycle number
/// modulo 256 (gc's memstats.pause_ns and pause_end); the last cycle's end (gc's last_gc).
static PAUSE_NS: [AtomicU64; 256] = [const { AtomicU64::new(0) }; 256];
static PAUSE_END: [AtomicU64; 256] = [const { AtomicU64::new(0) }; 256];
static LAST_GC: AtomicU64 = AtomicU64::new(0);
/// Nanoseconds of CPU spent collecting, for GCCPUFraction (all of it stops the world).
static GC_CPU_NS: AtomicU64 = AtomicU64::new(0);

/// Enables the collector (gc's gcenable): reads GOGC, GOMEMLIMIT and GODEBUG and arms the
/// trigger. Called by the main goroutine of an executable; unit tests, whose Rust heap holds
/// pointers the collector cannot see, run collections only explicitly.
pub fn gcenable() {
    START_NANOTIME.store(crate::time::nanotime() as u64, Relaxed);
    mgcpacer::read_env();
    read_godebug();
    mgcpacer::commit(0, 0, 0);
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
    crate::time::mark_timer_heaps(&mut m);
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
    mgcpacer::commit(marked, m.stack_scanned + m.globals_scanned, other);
    // Free pages beyond what the next cycle's heap may need go back to the OS now (gc's
    // background scavenger does this gradually).
    MHEAP.scavenge_to_goal(mgcpacer::retained_goal(mgcpacer::HEAP_GOAL.load(Relaxed)));
    let t3 = crate::time::nanotime();

    let n = NUM_GC.fetch_add(1, Relaxed) + 1;
    if forced {
        NUM_FORCED_GC.fetch_add(1, Relaxed);
    }
    PAUSE_TOTAL_NS.fetch_add((t3 - t0) as u64, Relaxed);
    GC_CPU_NS.fetch_add((t3 - t0) as u64, Relaxed);
    let (sec, nsec) = crate::time::walltime();
    let now = sec as u64 * 1_000_000_000 + nsec as u64;
    PAUSE_NS[(n as usize - 1) % 256].store((t3 - t0) as u64, Relaxed);
    PAUSE_END[(n as usize - 1) % 256].store(now, Relaxed);
    LAST_GC.store(now, Relaxed);
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

/// Offsets in gc 1.19's runtime.MemStats (5776 bytes): the 21 leading uint64 counters, then
/// NextGC, LastGC, PauseTotalNs, PauseNs, PauseEnd, NumGC, NumForcedGC, GCCPUFraction,
/// EnableGC, DebugGC and BySize ([61]{Size uint32; Mallocs, Frees uint64}).
pub mod memstats_layout {
    /// NextGC.
    pub const NEXT_GC: usize = 168;
    /// PauseNs.
    pub const PAUSE_NS: usize = 192;
    /// PauseEnd.
    pub const PAUSE_END: usize = 2240;
    /// NumGC.
    pub const NUM_GC: usize = 4288;
    /// GCCPUFraction.
    pub const GC_CPU_FRACTION: usize = 4296;
    /// EnableGC.
    pub const ENABLE_GC: usize = 4304;
    /// BySize.
    pub const BY_SIZE: usize = 4312;
    /// Entries of BySize.
    pub const BY_SIZE_LEN: usize = 61;
    /// Size of the struct.
    pub const SIZE: usize = 5776;
}

/// Fills `out`, a gc 1.19 runtime.MemStats, from the allocator's statistics and the
/// collector's history. The mcaches must have been flushed for exact numbers.
///
/// # Safety
/// `out` must point to MemStats-sized writable memory.
pub unsafe fn write_memstats(out: *mut u8) {
    use memstats_layout as l;
    let m = MHEAP.stats.read();
    let w64 = |off: usize, v: u64| (out.add(off) as *mut u64).write_unaligned(v);
    let stack_sys = m.stack_inuse;
    let words = [
        m.heap_alloc,    // Alloc
        m.total_alloc,   // TotalAlloc
        m.sys,           // Sys
        0,               // Lookups
        m.mallocs,       // Mallocs
        m.frees,         // Frees
        m.heap_alloc,    // HeapAlloc
        m.heap_sys,      // HeapSys
        m.heap_idle,     // HeapIdle
        m.heap_inuse,    // HeapInuse
        m.heap_released, // HeapReleased
        m.heap_objects,  // HeapObjects
        m.stack_inuse,   // StackInuse
        stack_sys,       // StackSys
        m.mspan_sys,     // MSpanInuse (goclift does not track the idle part)
        m.mspan_sys,     // MSpanSys
        m.mcache_sys,    // MCacheInuse
        m.mcache_sys,    // MCacheSys
        0,               // BuckHashSys
        m.gc_sys,        // GCSys
        m.other_sys,     // OtherSys
    ];
    for (i, v) in words.iter().enumerate() {
        w64(i * 8, *v);
    }
    let goal = mgcpacer::HEAP_GOAL.load(Relaxed);
    w64(l::NEXT_GC, if goal == u64::MAX { 0 } else { goal });
    w64(l::NEXT_GC + 8, LAST_GC.load(Relaxed));
    w64(l::NEXT_GC + 16, PAUSE_TOTAL_NS.load(Relaxed));
    for i in 0..256 {
        w64(l::PAUSE_NS + i * 8, PAUSE_NS[i].load(Relaxed));
        w64(l::PAUSE_END + i * 8, PAUSE_END[i].load(Relaxed));
    }
    (out.add(l::NUM_GC) as *mut u32).write_unaligned(NUM_GC.load(Relaxed));
    (out.add(l::NUM_GC + 4) as *mut u32).write_unaligned(NUM_FORCED_GC.load(Relaxed));
    let elapsed = (crate::time::nanotime() as u64).saturating_sub(START_NANOTIME.load(Relaxed));
    let frac = if elapsed == 0 {
        0.0
    } else {
        GC_CPU_NS.load(Relaxed) as f64 / elapsed as f64
    };
    (out.add(l::GC_CPU_FRACTION) as *mut f64).write_unaligned(frac);
    out.add(l::ENABLE_GC).write(1);
    out.add(l::ENABLE_GC + 1).write(0);
    for i in 0..l::BY_SIZE_LEN {
        let (size, mallocs, frees) = m.by_size.get(i).copied().unwrap_or((0, 0, 0));
        let e = out.add(l::BY_SIZE + i * 24);
        (e as *mut u64).write_unaligned(size as u64);
        (e.add(8) as *mut u64).write_unaligned(mallocs);
        (e.add(16) as *mut u64).write_unaligned(frees);
    }
}

/// `runtime.ReadMemStats(m *MemStats)`: stops the world, flushes the mcaches and fills `m`
/// (gc's ReadMemStats).
unsafe extern "C" fn readmemstats_from_go(out: *mut u8, gp: *mut G) {
    crate::proc::stop_the_world(gp, "read mem stats");
    let mp = (*gp).m;
    crate::proc::systemstack(mp, || {
        flush_mcaches();
        write_memstats(out);
    });
    crate::proc::start_the_world(gp);
}

crate::go_entry!(
    /// `runtime.ReadMemStats(m *MemStats)`: gc 1.19's MemStats layout.
    readmemstats_entry = "runtime.ReadMemStats"(out: *mut u8);
    g in "rsi" / "x1" => readmemstats_from_go
);

#[cfg(test)]
mod tests {
    use super::memstats_layout::*;

    #[test]
    fn memstats_is_filled_in_gcs_layout() {
        let mut buf = vec![0xffu8; SIZE];
        // SAFETY: a MemStats-sized buffer.
        unsafe { super::write_memstats(buf.as_mut_ptr()) };
        let u64_at = |o: usize| u64::from_le_bytes(buf[o..o + 8].try_into().unwrap());
        // Alloc == HeapAlloc; HeapSys == HeapIdle + HeapInuse; EnableGC true, DebugGC false.
        assert_eq!(u64_at(0), u64_at(48));
        assert_eq!(u64_at(56), u64_at(64) + u64_at(72));
        assert_eq!(buf[ENABLE_GC], 1);
        assert_eq!(buf[ENABLE_GC + 1], 0);
        // BySize[1] is the 8-byte class; the struct's end is written, nothing beyond.
        assert_eq!(u64_at(BY_SIZE + 24) as u32, 8);
        assert_eq!(BY_SIZE + BY_SIZE_LEN * 24, SIZE);
    }
}
