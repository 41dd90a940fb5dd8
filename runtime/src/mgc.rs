//! The garbage collector's cycle (Go's mgc.go): a non-moving, concurrent mark-sweep.
//!
//! A cycle the allocator triggers (mgcpacer.rs) runs in three parts (docs/decisions.md):
//!
//! 1. mark start, world stopped: the globals, this goroutine and goroutines in system calls
//!    are scanned onto the global grey list, write barriers (mbarrier.rs) and black
//!    allocation are switched on;
//! 2. concurrent mark: the background worker and allocating goroutines' assists drain the
//!    grey list and scan the parked goroutines' stacks while the program runs (a goroutine
//!    about to run has its stack scanned first, mgcmark.rs);
//! 3. mark termination, world stopped: the write barrier buffers are flushed, what is left
//!    is drained, finalizers are queued, every span is swept and the next goal is set.
//!
//! runtime.GC (and GODEBUG=gcstoptheworld=1) runs the whole cycle with the world stopped.

use crate::mgcmark::{save_callee_saved, CalleeSaved, Marker};
use crate::mgcpacer;
use crate::mheap::MHEAP;
use crate::mstats::MEMSTATS;
use crate::runtime2::{G, M};
use core::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, AtomicUsize, Ordering::Relaxed};

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
/// Nanoseconds of CPU spent collecting (pauses, assists, background marking), for
/// GCCPUFraction and gctrace.
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
                if let Some(n) = item.strip_prefix(b"gcstoptheworld=") {
                    STOP_THE_WORLD_ONLY.store(!n.is_empty() && n != b"0", Relaxed);
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
    if marking() || !can_stop_world_here(mp) {
        return mp;
    }
    let gp = (*mp).curg;
    gc_start(gp, false);
    (*gp).m
}

/// Starts a collection on behalf of `gp` (gc's gcStart). With `forced` (runtime.GC) the
/// whole cycle runs with the world stopped, after finishing any concurrent cycle in
/// progress; otherwise, unless another goroutine's cycle already brought the heap under the
/// trigger, a concurrent cycle starts: the roots are scanned with the world stopped, write
/// barriers are enabled, and marking goes on in the background worker and in allocating
/// goroutines' assists (with GODEBUG=gcstoptheworld=1, the whole cycle stops the world).
///
/// # Safety
/// `gp` must be the calling goroutine, running on its own stack with its M's P.
#[inline(never)]
pub unsafe fn gc_start(gp: *mut G, forced: bool) {
    crate::proc::stop_the_world(gp, "GC");
    if marking() {
        if !forced {
            crate::proc::start_the_world(gp);
            return;
        }
        let mp = (*gp).m;
        crate::proc::systemstack(mp, || mark_termination());
    }
    let mut started = false;
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
        if forced || !concurrent() {
            crate::proc::systemstack(mp, || gc_cycle(gp, sp, regs_p, forced));
        } else {
            crate::proc::systemstack(mp, || mark_start(gp, sp, regs_p));
            started = true;
        }
        core::hint::black_box(&regs);
    }
    crate::proc::start_the_world(gp);
    if started {
        wake_mark_worker(gp);
    }
    crate::mfinal::wake_finalizer_goroutine(gp);
}

/// The collector's phase (gc's gcphase): off, or marking concurrently.
static GC_PHASE: AtomicU32 = AtomicU32::new(PHASE_OFF);
const PHASE_OFF: u32 = 0;
const PHASE_MARK: u32 = 1;
/// GODEBUG=gcstoptheworld=1: every cycle stops the world from start to end.
static STOP_THE_WORLD_ONLY: AtomicBool = AtomicBool::new(false);

/// Whether a concurrent mark is in progress (write barriers on, allocation black).
#[inline(always)]
pub fn marking() -> bool {
    GC_PHASE.load(Relaxed) == PHASE_MARK
}

/// Whether cycles mark concurrently (GODEBUG=gcstoptheworld unset).
pub fn concurrent() -> bool {
    !STOP_THE_WORLD_ONLY.load(Relaxed)
}

/// The current concurrent cycle's timeline and figures, for pacing and gctrace.
struct CycleInfo {
    t0: AtomicU64,
    t1: AtomicU64,
    heap0: AtomicU64,
    roots: AtomicU64,
    stacks: AtomicU64,
    globals: AtomicU64,
    /// Scan work an assist owes per allocated byte, in 1/16ths.
    assist_ratio: AtomicU64,
    assist_ns: AtomicU64,
    background_ns: AtomicU64,
}

static CYCLE: CycleInfo = CycleInfo {
    t0: AtomicU64::new(0),
    t1: AtomicU64::new(0),
    heap0: AtomicU64::new(0),
    roots: AtomicU64::new(0),
    stacks: AtomicU64::new(0),
    globals: AtomicU64::new(0),
    assist_ratio: AtomicU64::new(16),
    assist_ns: AtomicU64::new(0),
    background_ns: AtomicU64::new(0),
};

/// Sweep termination and mark start, on g0 with the world stopped (gc's gcStart after
/// stopTheWorld): every root is scanned now, so that no stack needs scanning later (see
/// docs/decisions.md on why the hybrid barrier needs no stack rescan), then barriers and
/// black allocation are switched on.
unsafe fn mark_start(gp: *mut G, sp: usize, regs: *const CalleeSaved) {
    let t0 = crate::time::nanotime();
    // Sweep termination: marking needs every span swept (gc's finishsweep_m).
    MHEAP.sweep_all();
    CYCLE.heap0.store(MHEAP.stats.heap_live.load(Relaxed), Relaxed);
    // Tiny blocks handed out before now are white; sub-allocations in them would be lost.
    for_each_mcache(|c| {
        c.tiny = 0;
        c.tinyoffset = 0;
    });
    crate::mwbbuf::reset_all();
    crate::mgcmark::MARKED_CONCURRENT.store(0, Relaxed);
    crate::mgcmark::SCANNED_CONCURRENT.store(0, Relaxed);
    // Roots now: globals, this goroutine, and goroutines in system calls (they may return
    // to Go code without passing through the scheduler). Parked goroutines' stacks are
    // scanned concurrently, each before it next runs (mgcmark.rs).
    crate::mgcmark::new_scan_epoch();
    STACKS_SWEPT_BY_WORKER.store(false, Relaxed);
    let mut m = Marker::new(&MHEAP);
    m.scan_data_and_bss();
    m.scan_g(gp, sp, regs);
    crate::mgcmark::set_scanned(gp);
    crate::proc::for_each_g(|g| {
        if g != gp && (*g).status() == crate::runtime2::G_SYSCALL {
            m.scan_g(g, (*g).syscallsp, &raw const (*g).syscall_regs);
            crate::mgcmark::set_scanned(g);
        }
    });
    crate::time::mark_timer_heaps(&mut m);
    CYCLE.stacks.store(m.stack_scanned, Relaxed);
    CYCLE.globals.store(m.globals_scanned, Relaxed);
    CYCLE.roots.store(m.stack_scanned + m.globals_scanned, Relaxed);
    m.publish();
    // Assists pay for the expected scan work (last cycle's live heap) over the runway left
    // before the goal (gc's assistWorkPerByte).
    let live = MHEAP.stats.heap_live.load(Relaxed);
    let goal = mgcpacer::HEAP_GOAL.load(Relaxed);
    let runway = goal.saturating_sub(live).max(1 << 20);
    let work = HEAP_MARKED.load(Relaxed).max(1 << 20);
    CYCLE.assist_ratio.store((work * 16 / runway).clamp(4, 16 * 64), Relaxed);
    CYCLE.assist_ns.store(0, Relaxed);
    CYCLE.background_ns.store(0, Relaxed);
    GC_PHASE.store(PHASE_MARK, Relaxed);
    crate::mbarrier::set_enabled(true);
    CYCLE.t0.store(t0 as u64, Relaxed);
    CYCLE.t1.store(crate::time::nanotime() as u64, Relaxed);
}

/// Mark termination and sweep, on g0 with the world stopped (gc's gcMarkDone +
/// gcMarkTermination + gcSweep): flushes the write barrier buffers, drains what is left,
/// queues finalizers, turns barriers off and sweeps.
unsafe fn mark_termination() {
    let t2 = crate::time::nanotime();
    crate::mwbbuf::flush_all();
    crate::mbarrier::set_enabled(false);
    let mut m = Marker::new(&MHEAP);
    crate::mgcmark::scan_remaining_stacks(&mut m);
    add_stack_scanned(m.stack_scanned);
    m.take_global();
    crate::time::mark_timer_heaps(&mut m);
    m.drain();
    crate::mfinal::mark_finalizers(&mut m);
    GC_PHASE.store(PHASE_OFF, Relaxed);
    let heap1 = MHEAP.stats.heap_live.load(Relaxed);
    flush_mcaches();
    let marked = m.bytes_marked + crate::mgcmark::MARKED_CONCURRENT.swap(0, Relaxed);
    m.bytes_marked = marked;
    m.stack_scanned = CYCLE.stacks.load(Relaxed);
    m.globals_scanned = CYCLE.globals.load(Relaxed);
    sweep_and_commit(&m, false);
    let t3 = crate::time::nanotime();
    let (t0, t1) = (CYCLE.t0.load(Relaxed) as i64, CYCLE.t1.load(Relaxed) as i64);
    let cpu = [
        CYCLE.assist_ns.load(Relaxed) as i64,
        CYCLE.background_ns.load(Relaxed) as i64,
    ];
    let trace = Trace {
        t0,
        phases: [t1 - t0, t2 - t1, t3 - t2],
        cpu,
        heaps: [CYCLE.heap0.load(Relaxed), heap1],
        forced: false,
    };
    record_cycle(&m, (t1 - t0) + (t3 - t2), &trace);
}

/// Background mark workers to run for `procs` Ps: gc's dedicated workers, 25% of the Ps
/// rounded to the nearest whole worker, one fewer when rounding up overshoots 25% by more
/// than 30% (gc's startCycle), where gc adds a fractional worker instead. At least one:
/// with few Ps the one worker yields between chunks of work and so acts as gc's fractional
/// worker does.
fn mark_workers_wanted(procs: usize) -> usize {
    let mut dedicated = (procs + 2) / 4;
    // dedicated / (procs / 4) - 1 > 0.3, in integers.
    if 40 * dedicated > 13 * procs && 4 * dedicated > procs {
        dedicated -= 1;
    }
    dedicated.max(1)
}

/// Starts the background mark workers this cycle needs (gc's gcBgMarkStartWorkers) and lets
/// them run. Workers once started stay; a worker woken for a cycle that already ended goes
/// back to waiting.
unsafe fn wake_mark_worker(gp: *mut G) {
    let procs = crate::runtime2::GOMAXPROCS.load(Relaxed).max(1) as usize;
    let want = mark_workers_wanted(procs).min(MAX_MARK_WORKERS);
    loop {
        let n = WORKERS_CREATED.load(Relaxed);
        if n >= want {
            break;
        }
        // Two goroutines that started consecutive cycles may get here together.
        if WORKERS_CREATED.compare_exchange(n, n + 1, Relaxed, Relaxed).is_ok() {
            crate::proc::newproc_sized(gp, mark_worker, core::ptr::null_mut(), 64 << 10);
        }
    }
    for _ in 0..want {
        crate::sema::semrelease(gp, WORKER_SEMA.as_ptr());
    }
}

/// Most background mark workers (gc's are bounded by GOMAXPROCS only; a bound keeps a huge
/// GOMAXPROCS from creating hundreds of goroutines that mostly wait).
const MAX_MARK_WORKERS: usize = 64;
/// Background mark workers started so far.
static WORKERS_CREATED: AtomicUsize = AtomicUsize::new(0);
static WORKER_SEMA: AtomicU32 = AtomicU32::new(0);

/// The background mark worker (gc's gcBgMarkWorker): drains grey objects in chunks,
/// yielding between them, and finishes the cycle when no work is left.
unsafe extern "C" fn mark_worker(_arg: *mut u8, gp: *mut G) {
    (*gp).is_system = true;
    (*crate::runtime2::sched()).ngsys.fetch_add(1, Relaxed);
    loop {
        crate::sema::semacquire(gp, WORKER_SEMA.as_ptr());
        while marking() {
            let t = crate::time::nanotime();
            let mut m = Marker::new_concurrent(&MHEAP);
            let done = drain_or_scan_stacks(&mut m, 256 << 10);
            CYCLE.background_ns.fetch_add((crate::time::nanotime() - t) as u64, Relaxed);
            if done {
                mark_done(gp);
                break;
            }
            crate::proc::gosched(gp);
        }
    }
}

/// Whether some marker has walked every goroutine for unscanned stacks this cycle.
static STACKS_SWEPT_BY_WORKER: AtomicBool = AtomicBool::new(false);

/// Adds to the cycle's stack scan work (gctrace's "MB stacks", pacing).
pub fn add_stack_scanned(bytes: u64) {
    CYCLE.stacks.fetch_add(bytes, Relaxed);
    CYCLE.roots.fetch_add(bytes, Relaxed);
}

/// Drains about `budget` bytes of scan work; once no grey object is left, scans the
/// parked goroutines' stacks not yet scanned (once per cycle) and drains what they
/// reach. Returns true when no work is left.
fn drain_or_scan_stacks(m: &mut Marker, budget: u64) -> bool {
    if !m.drain_budget(budget) {
        return false;
    }
    if STACKS_SWEPT_BY_WORKER.load(Relaxed) {
        return true;
    }
    crate::mgcmark::scan_parked_stacks(m);
    add_stack_scanned(core::mem::take(&mut m.stack_scanned));
    STACKS_SWEPT_BY_WORKER.store(true, Relaxed);
    m.drain_budget(budget)
}

/// No grey object is left in sight: stop the world and finish the cycle (gc's gcMarkDone;
/// whatever barriers buffered meanwhile is drained with the world stopped).
///
/// # Safety
/// `gp` must be the calling goroutine, on its own stack with its M's P.
unsafe fn mark_done(gp: *mut G) {
    crate::proc::stop_the_world(gp, "GC mark termination");
    if marking() {
        let mp = (*gp).m;
        crate::proc::systemstack(mp, || mark_termination());
        crate::proc::start_the_world(gp);
        wake_sweeper(gp);
    } else {
        crate::proc::start_the_world(gp);
    }
    crate::mfinal::wake_finalizer_goroutine(gp);
}

/// Per-P assist debt in bytes of scan work (gc's gcAssistBytes, kept per P).
static ASSIST_DEBT: [AtomicU64; crate::runtime2::MAX_GOMAXPROCS] =
    [const { AtomicU64::new(0) }; crate::runtime2::MAX_GOMAXPROCS];

/// A mark assist (gc's gcAssistAlloc): an allocation of `size` bytes during marking owes
/// scan work; once a P's debt passes 64 KiB its goroutine does that work before
/// allocating, and finishes the cycle if it finds none left. Returns the calling thread's M
/// (the goroutine may have parked in mark termination).
///
/// # Safety
/// `mp` must be the calling thread's M.
pub unsafe fn gc_assist(mp: *mut M, size: usize) -> *mut M {
    let pp = (*mp).p;
    if pp.is_null() || (*mp).mallocing != 0 {
        return mp;
    }
    let debt = &ASSIST_DEBT[(*pp).id as usize];
    let owed = debt.load(Relaxed) + size as u64 * CYCLE.assist_ratio.load(Relaxed) / 16;
    if owed < 64 << 10 {
        debt.store(owed, Relaxed);
        return mp;
    }
    debt.store(0, Relaxed);
    let t = crate::time::nanotime();
    let mut m = Marker::new_concurrent(&MHEAP);
    let done = drain_or_scan_stacks(&mut m, owed);
    CYCLE.assist_ns.fetch_add((crate::time::nanotime() - t) as u64, Relaxed);
    if done && marking() && can_stop_world_here(mp) {
        let gp = (*mp).curg;
        mark_done(gp);
        return (*gp).m;
    }
    mp
}

/// Whether the goroutine running on `mp` may stop the world here (gc's mallocgc checks the
/// same before gcStart: not on g0, no runtime locks, not already allocating or panicking).
unsafe fn can_stop_world_here(mp: *mut M) -> bool {
    let gp = (*mp).curg;
    if gp.is_null()
        || (*mp).locks != 0
        || (*mp).mallocing != 0
        || (*mp).preemptoff.is_some()
        || (*mp).p.is_null()
        || crate::panic::panicking()
    {
        return false;
    }
    // On g0 (systemstack) the goroutine's stack pointer is not the current one.
    let sp = crate::arch::current_sp();
    sp >= (*gp).stack.lo && sp < (*gp).stack.hi
}

/// Marks a new object black while marking (gc's gcmarknewobject).
///
/// # Safety
/// `x` must be a just-allocated heap object of `size` bytes.
#[inline]
pub unsafe fn mark_new_object(x: usize, size: usize) {
    let s = MHEAP.span_of_heap(x);
    if s.is_null() {
        return;
    }
    let idx = (*s).obj_index(x);
    if (*s).mark_bits_for_index(idx).test_and_set() {
        crate::mgcmark::MARKED_CONCURRENT.fetch_add(size as u64, Relaxed);
    }
}

/// A whole cycle with the world stopped, on g0 (runtime.GC, GODEBUG=gcstoptheworld=1).
unsafe fn gc_cycle(gp: *mut G, sp: usize, regs: *const CalleeSaved, forced: bool) {
    let t0 = crate::time::nanotime();
    let heap0 = MHEAP.stats.heap_live.load(Relaxed);
    flush_mcaches();
    MHEAP.sweep_all();
    let t1 = crate::time::nanotime();

    let mut m = Marker::new(&MHEAP);
    m.scan_data_and_bss();
    m.scan_g(gp, sp, regs);
    m.scan_all_gs(gp);
    crate::time::mark_timer_heaps(&mut m);
    m.drain();
    crate::mfinal::mark_finalizers(&mut m);
    let t2 = crate::time::nanotime();
    sweep_and_commit(&m, true);
    let t3 = crate::time::nanotime();
    let trace = Trace {
        t0,
        phases: [t1 - t0, t2 - t1, t3 - t2],
        cpu: [0, 0],
        heaps: [heap0, heap0],
        forced,
    };
    record_cycle(&m, t3 - t0, &trace);
    if forced {
        NUM_FORCED_GC.fetch_add(1, Relaxed);
    }
}

/// A finished cycle's figures for its gctrace line.
struct Trace {
    t0: i64,
    /// Stopped-world start, concurrent mark, stopped-world termination (ns).
    phases: [i64; 3],
    /// Assist and background mark CPU time (ns).
    cpu: [i64; 2],
    /// Heap in use at the start and at mark termination.
    heaps: [u64; 2],
    forced: bool,
}

/// After marking, with the world stopped and the mcaches flushed: starts the sweep cycle
/// and sets the next goal. With `now`, every span is swept and memory beyond the goal goes
/// back to the OS at once; otherwise the background sweeper and allocation sweep while the
/// program runs (gc's gcSweep with concurrent sweeping) and the sweeper scavenges after.
unsafe fn sweep_and_commit(m: &Marker, now: bool) {
    crate::stack::release_unused_stacks();
    let marked = m.bytes_marked;
    HEAP_MARKED.store(marked, Relaxed);
    MHEAP.start_sweep_cycle();
    MHEAP.next_mark_bit_arena_epoch();
    for_each_mcache(|c| c.flush_gen.store(MHEAP.sweepgen.load(Relaxed), Relaxed));
    if now {
        MHEAP.sweep_all();
    }
    // Everything left allocated is what was marked; the mcaches hold no spans.
    MHEAP.stats.heap_live.store(marked, Relaxed);
    let other = MHEAP.stats.in_stacks.load(Relaxed)
        + MEMSTATS.mspan_sys.load()
        + MEMSTATS.mcache_sys.load()
        + MEMSTATS.gc_misc_sys.load()
        + MEMSTATS.other_sys.load();
    mgcpacer::commit(marked, m.stack_scanned + m.globals_scanned, other);
    if now {
        // Free pages beyond what the next cycle's heap may need go back to the OS now
        // (gc's background scavenger does this gradually).
        MHEAP.scavenge_to_goal(mgcpacer::retained_goal(mgcpacer::HEAP_GOAL.load(Relaxed)));
    }
}

static SWEEPER_CREATED: AtomicBool = AtomicBool::new(false);
static SWEEPER_SEMA: AtomicU32 = AtomicU32::new(0);

/// Starts the background sweeper once, and lets it sweep this cycle's spans (gc's bgsweep).
unsafe fn wake_sweeper(gp: *mut G) {
    if !SWEEPER_CREATED.swap(true, Relaxed) {
        crate::proc::newproc_sized(gp, bg_sweep, core::ptr::null_mut(), 64 << 10);
    }
    crate::sema::semrelease(gp, SWEEPER_SEMA.as_ptr());
}

/// The background sweeper (gc's bgsweep): sweeps spans in batches, yielding between them,
/// then returns free memory beyond the goal to the OS (gc's scavenger goal).
unsafe extern "C" fn bg_sweep(_arg: *mut u8, gp: *mut G) {
    (*gp).is_system = true;
    (*crate::runtime2::sched()).ngsys.fetch_add(1, Relaxed);
    loop {
        crate::sema::semacquire(gp, SWEEPER_SEMA.as_ptr());
        'sweep: loop {
            for _ in 0..32 {
                if MHEAP.sweepone().is_none() {
                    break 'sweep;
                }
            }
            crate::proc::gosched(gp);
        }
        let goal = mgcpacer::HEAP_GOAL.load(Relaxed);
        MHEAP.scavenge_to_goal(mgcpacer::retained_goal(goal));
    }
}

/// Counts a finished cycle with `pause` ns of stopped world, and prints its gctrace line.
fn record_cycle(m: &Marker, pause: i64, trace: &Trace) {
    let n = NUM_GC.fetch_add(1, Relaxed) + 1;
    PAUSE_TOTAL_NS.fetch_add(pause as u64, Relaxed);
    let cpu = pause + trace.cpu[0] + trace.cpu[1];
    GC_CPU_NS.fetch_add(cpu as u64, Relaxed);
    let (sec, nsec) = crate::time::walltime();
    let now = sec as u64 * 1_000_000_000 + nsec as u64;
    PAUSE_NS[(n as usize - 1) % 256].store(pause as u64, Relaxed);
    PAUSE_END[(n as usize - 1) % 256].store(now, Relaxed);
    LAST_GC.store(now, Relaxed);
    if GCTRACE.load(Relaxed) {
        print_gctrace(n, trace, m);
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

/// gc's gctrace line: "gc N @Ts P%: stw+mark+stw ms clock, stw+assist/bg/idle+stw ms
/// cpu, start->end->marked MB, goal, stacks, globals, P".
fn print_gctrace(n: u32, t: &Trace, m: &Marker) {
    use crate::print::FixedBuf;
    let mut b: FixedBuf<256> = FixedBuf::new();
    let since = t.t0 as u64 - START_NANOTIME.load(Relaxed);
    b.push(b"gc ");
    crate::print::append_uint(&mut b, n as u64);
    b.push(b" @");
    push_fixed(&mut b, since / 1_000_000, 3);
    b.push(b"s ");
    let elapsed = (crate::time::nanotime() as u64).saturating_sub(START_NANOTIME.load(Relaxed));
    crate::print::append_uint(&mut b, GC_CPU_NS.load(Relaxed) * 100 / elapsed.max(1));
    b.push(b"%: ");
    for (i, ns) in t.phases.iter().enumerate() {
        if i > 0 {
            b.push(b"+");
        }
        push_ns_as_ms(&mut b, *ns as u64);
    }
    b.push(b" ms clock, ");
    // Stopped-world start + assist/background/idle + termination, as gc lists them.
    let cpu = [t.phases[0], t.cpu[0], t.cpu[1], 0, t.phases[2]];
    for (i, ns) in cpu.iter().enumerate() {
        b.push(match i {
            0 => b"",
            2 | 3 => b"/",
            _ => b"+",
        });
        push_ns_as_ms(&mut b, *ns as u64);
    }
    b.push(b" ms cpu, ");
    crate::print::append_uint(&mut b, t.heaps[0] >> 20);
    b.push(b"->");
    crate::print::append_uint(&mut b, t.heaps[1] >> 20);
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
    if t.forced {
        b.push(b" (forced)");
    }
    b.push(b"\n");
    crate::os_linux::write_all(2, b.as_bytes());
}

/// gc's fmtNSAsMS: whole milliseconds from 10 ms up, else two significant digits with at
/// most three decimals ("0.015", "0.80", "4.3").
fn push_ns_as_ms<const N: usize>(b: &mut crate::print::FixedBuf<N>, ns: u64) {
    if ns >= 10_000_000 {
        crate::print::append_uint(b, ns / 1_000_000);
        return;
    }
    let mut x = ns / 1000;
    if x == 0 {
        b.push(b"0");
        return;
    }
    let mut dec = 3;
    while x >= 100 {
        x /= 10;
        dec -= 1;
    }
    push_fixed(b, x, dec);
}

/// Appends `v / 10^frac` with `frac` decimals (gc's itoaDiv; no point for `frac` 0).
fn push_fixed<const N: usize>(b: &mut crate::print::FixedBuf<N>, v: u64, frac: u32) {
    let scale = 10u64.pow(frac);
    crate::print::append_uint(b, v / scale);
    if frac == 0 {
        return;
    }
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
///
/// It first yields the processor once. gc's runtime.GC parks its caller during the
/// concurrent mark, so goroutines that were just made runnable (a receiver woken by the
/// caller's send, say) run on to their next blocking point before their stacks are scanned,
/// and gc's precise stack maps then ignore what they no longer use. Stacks here are scanned
/// conservatively and the forced cycle stops the world at once; without the yield such a
/// goroutine's stale frames kept objects alive past the only runtime.GC a program makes
/// (typeparam/chans.go's finalizer wait timed out under load).
unsafe extern "C" fn gc_from_go(gp: *mut G) {
    crate::proc::gosched(gp);
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

#[cfg(test)]
mod gctrace_tests {
    use super::push_ns_as_ms;
    use crate::print::FixedBuf;

    fn fmt(ns: u64) -> std::string::String {
        let mut b: FixedBuf<32> = FixedBuf::new();
        push_ns_as_ms(&mut b, ns);
        std::string::String::from_utf8(b.as_bytes().to_vec()).unwrap()
    }

    #[test]
    fn milliseconds_print_as_gcs_fmt_ns_as_ms() {
        assert_eq!(fmt(0), "0");
        assert_eq!(fmt(999), "0");
        assert_eq!(fmt(15_000), "0.015");
        assert_eq!(fmt(800_000), "0.80");
        assert_eq!(fmt(4_321_000), "4.3");
        assert_eq!(fmt(18_500_000), "18");
    }
}

#[cfg(test)]
mod mark_worker_tests {
    use super::mark_workers_wanted;

    #[test]
    fn a_quarter_of_the_ps_as_gcs_dedicated_workers_and_at_least_one() {
        // gc 1.19's dedicatedMarkWorkersNeeded for 1..=16 Ps (0 where it runs only a
        // fractional worker, which goclift's yielding worker stands for).
        let gc = [0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4];
        for (i, &want) in gc.iter().enumerate() {
            assert_eq!(mark_workers_wanted(i + 1), want.max(1), "procs {}", i + 1);
        }
        assert_eq!(mark_workers_wanted(64), 16);
    }
}
