//! Core runtime data structures (Go's runtime2.go): G, M, P, the scheduler's global state,
//! gobufs, sudogs, goroutine and processor states, wait reasons.
//!
//! The compiler reads `G` through the pinned g register (r15 on amd64, x21 on arm64) at the
//! fixed offsets below: the stack check compares sp with `g.stackguard0`, and a failing check
//! stores the function's re-entry data in `g.morestack_*` before calling `runtime.morestack`.
//! gc keeps the same leading layout (stack, stackguard0, stackguard1); the offsets are part of
//! the runtime ABI (see runtime/README.md). Everything after them is private to the runtime.

use crate::lock_futex::{Mutex, Note};
use core::sync::atomic::{AtomicBool, AtomicI64, AtomicPtr, AtomicU32, AtomicU64, AtomicUsize};

/// A goroutine stack's bounds: [lo, hi), growing down from hi.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stack {
    /// Lowest usable address.
    pub lo: usize,
    /// One past the highest usable address.
    pub hi: usize,
}

/// A saved execution context (gc's gobuf): what `gogo` restores to resume a goroutine. The
/// callee-saved registers of the C ABI live on the goroutine's own stack below `sp` (pushed by
/// `mcall`), so a gobuf needs no more than gc's fields.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct Gobuf {
    /// Stack pointer to resume with.
    pub sp: usize,
    /// Code address to resume at.
    pub pc: usize,
    /// The goroutine this context belongs to (loaded into the g register).
    pub g: *mut G,
    /// Closure context (gc's ctxt); unused by goclift's switches so far.
    pub ctxt: usize,
    /// Return value slot (gc's ret); unused by goclift's switches so far.
    pub ret: usize,
    /// Link register to resume with (arm64).
    pub lr: usize,
    /// Frame pointer to resume with.
    pub bp: usize,
}

impl Gobuf {
    /// An empty gobuf.
    pub const fn zero() -> Gobuf {
        Gobuf {
            sp: 0,
            pc: 0,
            g: core::ptr::null_mut(),
            ctxt: 0,
            ret: 0,
            lr: 0,
            bp: 0,
        }
    }
}

/// Goroutine status (gc's _Gidle...): just allocated, not yet initialised.
pub const G_IDLE: u32 = 0;
/// On a run queue, not executing user code; the stack is not owned.
pub const G_RUNNABLE: u32 = 1;
/// May execute user code; the stack is owned by this goroutine; it has an M and a P.
pub const G_RUNNING: u32 = 2;
/// Executing a system call; no user code; it has an M but maybe no P.
pub const G_SYSCALL: u32 = 3;
/// Blocked in the runtime (channel, sleep, ...); it is on some wait queue.
pub const G_WAITING: u32 = 4;
/// Unused (on a free list, just exited, or being initialised).
pub const G_DEAD: u32 = 6;
/// Stopped by a suspendG preemption request.
pub const G_PREEMPTED: u32 = 9;
/// Added to a status while the collector scans the stack.
pub const G_SCAN: u32 = 0x1000;

/// gc's names for goroutine states, as printed in goroutine headers.
pub fn gstatus_string(s: u32) -> &'static str {
    match s {
        G_IDLE => "idle",
        G_RUNNABLE => "runnable",
        G_RUNNING => "running",
        G_SYSCALL => "syscall",
        G_WAITING => "waiting",
        G_DEAD => "dead",
        8 => "copystack",
        G_PREEMPTED => "preempted",
        _ => "???",
    }
}

/// P status (gc's _Pidle): not running user code or the scheduler; on the idle list.
pub const P_IDLE: u32 = 0;
/// Owned by an M that runs user code or the scheduler.
pub const P_RUNNING: u32 = 1;
/// Its M is in a system call; the P may be stolen by sysmon.
pub const P_SYSCALL: u32 = 2;
/// Halted for a stop-the-world.
pub const P_GCSTOP: u32 = 3;
/// No longer used (GOMAXPROCS shrank).
pub const P_DEAD: u32 = 4;

/// Why a goroutine waits (gc's waitReason); printed in goroutine headers.
#[repr(u8)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum WaitReason {
    /// No reason recorded.
    #[default]
    Zero = 0,
    /// "GC assist marking"
    GcAssistMarking,
    /// "IO wait"
    IoWait,
    /// "chan receive (nil chan)"
    ChanReceiveNilChan,
    /// "chan send (nil chan)"
    ChanSendNilChan,
    /// "dumping heap"
    DumpingHeap,
    /// "garbage collection"
    GarbageCollection,
    /// "garbage collection scan"
    GarbageCollectionScan,
    /// "panicwait"
    PanicWait,
    /// "select"
    Select,
    /// "select (no cases)"
    SelectNoCases,
    /// "GC assist wait"
    GcAssistWait,
    /// "GC sweep wait"
    GcSweepWait,
    /// "GC scavenge wait"
    GcScavengeWait,
    /// "chan receive"
    ChanReceive,
    /// "chan send"
    ChanSend,
    /// "finalizer wait"
    FinalizerWait,
    /// "force gc (idle)"
    ForceGcIdle,
    /// "semacquire"
    Semacquire,
    /// "sleep"
    Sleep,
    /// "sync.Cond.Wait"
    SyncCondWait,
    /// "timer goroutine (idle)"
    TimerGoroutineIdle,
    /// "trace reader (blocked)"
    TraceReaderBlocked,
    /// "wait for GC cycle"
    WaitForGcCycle,
    /// "GC worker (idle)"
    GcWorkerIdle,
    /// "preempted"
    Preempted,
    /// "debug call"
    DebugCall,
}

impl WaitReason {
    /// gc's text for the reason (waitReasonStrings).
    pub fn as_str(self) -> &'static str {
        use WaitReason::*;
        match self {
            Zero => "",
            GcAssistMarking => "GC assist marking",
            IoWait => "IO wait",
            ChanReceiveNilChan => "chan receive (nil chan)",
            ChanSendNilChan => "chan send (nil chan)",
            DumpingHeap => "dumping heap",
            GarbageCollection => "garbage collection",
            GarbageCollectionScan => "garbage collection scan",
            PanicWait => "panicwait",
            Select => "select",
            SelectNoCases => "select (no cases)",
            GcAssistWait => "GC assist wait",
            GcSweepWait => "GC sweep wait",
            GcScavengeWait => "GC scavenge wait",
            ChanReceive => "chan receive",
            ChanSend => "chan send",
            FinalizerWait => "finalizer wait",
            ForceGcIdle => "force gc (idle)",
            Semacquire => "semacquire",
            Sleep => "sleep",
            SyncCondWait => "sync.Cond.Wait",
            TimerGoroutineIdle => "timer goroutine (idle)",
            TraceReaderBlocked => "trace reader (blocked)",
            WaitForGcCycle => "wait for GC cycle",
            GcWorkerIdle => "GC worker (idle)",
            Preempted => "preempted",
            DebugCall => "debug call",
        }
    }
}

/// The C-ABI function a goroutine starts in: `fn(arg, g)`. Compiled Go code ignores the
/// second argument (the g register already holds g); Rust bodies use it to know their g.
pub type GoFn = unsafe extern "C" fn(arg: *mut u8, gp: *mut G);

/// A goroutine (gc's g). Only the leading fields are fixed by the ABI; the rest may change.
#[repr(C)]
pub struct G {
    /// The stack (segment) this goroutine runs on.
    pub stack: Stack,
    /// Compared with sp by every function prologue; set to STACK_PREEMPT to request
    /// preemption. Written by other threads (sysmon), hence atomic in effect: an aligned word.
    pub stackguard0: usize,
    /// Compared with sp by runtime code running on this g's stack (gc's C-stack guard).
    pub stackguard1: usize,
    /// Goroutine id, as printed in goroutine headers ("goroutine 1 [running]").
    pub goid: i64,
    /// The M (OS thread) running this goroutine, null if none (gc's g.m).
    pub m: *mut M,
    /// ABI: the entry address of the function whose stack check failed; written by the
    /// compiled prologue's slow path before it calls `runtime.morestack`.
    pub morestack_fn: usize,
    /// ABI: bytes of that function's incoming stack-argument area, to copy to a new segment.
    pub morestack_argsize: usize,
    /// ABI: bytes of stack that function needs beyond the guard (0 for ordinary functions;
    /// the frame size for wrappers of large-frame functions).
    pub morestack_framesize: usize,
    /// Saved context while not running (gc's sched).
    pub sched: Gobuf,
    /// ABI: the closure object of the latest call through a func value, stored by the
    /// caller just before the call (compiled code, goclift_calldefer, goclift_callfin), so
    /// that the stubs of functions reflect makes find their context (gc's context register;
    /// reflectcall.rs).
    pub closure_ctx: usize,
    /// G_* status, with G_SCAN added during stack scans (gc's atomicstatus).
    pub atomicstatus: AtomicU32,
    /// Why the goroutine is waiting, when G_WAITING.
    pub waitreason: WaitReason,
    /// Preemption requested; stackguard0 is STACK_PREEMPT as well (gc's preempt).
    pub preempt: AtomicBool,
    /// Set when this g was parked on a channel that may be shrunk (gc's
    /// parkingOnChan); kept for gc parity.
    pub parking_on_chan: AtomicBool,
    /// Part of a run queue or free list (gc's schedlink).
    pub schedlink: *mut G,
    /// When the goroutine started waiting, for goroutine headers (gc's waitsince).
    pub waitsince: i64,
    /// Passed between a goroutine and the one waking it (gc's param): the sudog that
    /// completed a channel operation, or null when woken by close.
    pub param: *mut u8,
    /// The M this goroutine is locked to (LockOSThread), or null (gc's lockedm).
    pub lockedm: *mut M,
    /// The function and argument the goroutine starts with.
    pub startfn: Option<GoFn>,
    /// The argument passed to `startfn`.
    pub startarg: *mut u8,
    /// The sudogs of the channel operations this g waits in (gc's waiting).
    pub waiting: *mut Sudog,
    /// Whether a select's case has already won (gc's selectDone).
    pub select_done: AtomicU32,
    /// Timer for time.Sleep, created on first use (gc's timer).
    pub timer: *mut crate::time::Timer,
    /// Next G of allgs (goclift keeps allgs as a list, published with atomics).
    pub alllink: AtomicPtr<G>,
    /// sp when the goroutine entered a system call (gc's syscallsp), 0 otherwise.
    pub syscallsp: usize,
    /// Bytes of stack segments this goroutine holds (its total stack size).
    pub stack_total: usize,
    /// The first (bottom-most) segment: the stack the goroutine was created with.
    pub stack0: Stack,
    /// A released segment kept for the next growth (avoids hot-split allocation churn).
    pub spare_segment: Stack,
    /// The stack is not from the stack allocator's standard size (freed at exit).
    pub nonstandard_stack: bool,
    /// System goroutine (not counted by NumGoroutine or deadlock detection).
    pub is_system: bool,
    /// Created by the runtime for itself; kept for gc parity of goroutine ids.
    pub tracking: bool,
    /// Stop instead of yield at the next preemption (gc's preemptStop).
    pub preempt_stop: bool,
    /// The signal that turned into this goroutine's panic, 0 if none (gc's sig); with its
    /// si_code, fault address and pc (gc's sigcode0, sigcode1, sigpc), for the "[signal ...]"
    /// line of a fatal panic. Set by the signal handler, read by sigpanic.
    pub sig: u32,
    /// si_code of that signal (gc's sigcode0).
    pub sigcode0: usize,
    /// Fault address of that signal (gc's sigcode1).
    pub sigcode1: usize,
    /// Program counter where that signal arrived (gc's sigpc).
    pub sigpc: usize,
    /// The deferred calls not yet run, newest first (gc's _defer); see panic.rs.
    pub defers: *mut crate::panic::Defer,
    /// The panics in progress, newest first (gc's _panic); records live on the stack of
    /// the gopanic or Goexit that made them.
    pub panics: *mut crate::panic::Panic,
    /// Where `recovery` resumes the goroutine: the stack pointer of a deferring frame's
    /// checkpoint (gc passes it in sigcode0).
    pub recovery_sp: usize,
    /// The callee-saved registers at entersyscall: Go code keeps values in them across
    /// calls (gc's ABI has none), and the collector scans a goroutine in a system call
    /// while it runs (mgcmark.rs).
    pub syscall_regs: crate::mgcmark::CalleeSaved,
    /// The pc of the go statement that created this goroutine, 0 for the runtime's own
    /// (gc's gopc): tracebacks print "created by" from it.
    pub gopc: usize,
    /// Whether the collector scanned this goroutine's stack in the current cycle: the cycle's
    /// scan epoch times two when done, plus one while a scan is in progress (gc's
    /// gcscandone and the _Gscan bit; mgcmark.rs).
    pub gcscan: core::sync::atomic::AtomicU32,
}

impl G {
    /// A zeroed G (status G_IDLE, no stack).
    pub const fn zeroed() -> G {
        // SAFETY: every field of G is valid when all-zero: integers, null pointers, None,
        // atomics, and WaitReason::Zero (discriminant 0).
        unsafe { core::mem::zeroed() }
    }

    /// The goroutine status without the scan bit.
    pub fn status(&self) -> u32 {
        self.atomicstatus.load(core::sync::atomic::Ordering::Acquire) & !G_SCAN
    }
}

impl Default for G {
    fn default() -> G {
        G::zeroed()
    }
}

/// The function gopark runs on g0 once the goroutine is parked (gc's waitunlockf):
/// `f(gp, lock, mp)` with the M that parked it; returning false resumes the goroutine.
pub type UnlockFn = unsafe fn(gp: *mut G, lock: *mut u8, mp: *mut M) -> bool;

/// What an idle M runs on start (gc's mstartfn).
pub type MStartFn = unsafe fn(mp: *mut M);

/// An OS thread that runs goroutines (gc's m).
#[repr(C)]
pub struct M {
    /// The goroutine with the scheduling stack (gc's g0). Offset 0: read by assembly.
    pub g0: *mut G,
    /// The goroutine running on this M, null if none (gc's curg). Offset 8.
    pub curg: *mut G,
    /// The P this M holds, null if none; its mcache is where the M allocates (gc's p).
    pub p: *mut P,
    /// The P to acquire when the M wakes up (gc's nextp).
    pub nextp: *mut P,
    /// The P held before entering a system call (gc's oldp).
    pub oldp: *mut P,
    /// Thread number (gc's id).
    pub id: i64,
    /// Nonzero while the M is inside mallocgc, to catch re-entrant allocation (gc's
    /// mallocing).
    pub mallocing: i32,
    /// Runtime locks held / preemption disabled (gc's locks): no preemption while nonzero.
    pub locks: i32,
    /// Reason preemption is disabled, if any (gc's preemptoff).
    pub preemptoff: Option<&'static str>,
    /// The M is out of work and looking for some (gc's spinning).
    pub spinning: bool,
    /// The M is blocked on its park note (gc's blocked).
    pub blocked: bool,
    /// Where an idle M sleeps (gc's park).
    pub park: Note,
    /// Next M on the idle list (gc's schedlink).
    pub schedlink: *mut M,
    /// Next M of allm (gc's alllink).
    pub alllink: *mut M,
    /// The goroutine locked to this M, or null (gc's lockedg).
    pub lockedg: *mut G,
    /// LockOSThread calls by user code (gc's lockedExt).
    pub locked_ext: u32,
    /// Internal lockOSThread calls by the runtime (gc's lockedInt).
    pub locked_int: u32,
    /// Called on g0 by park_m after the goroutine is parked; false resumes it (gc's
    /// waitunlockf).
    pub waitunlockf: Option<UnlockFn>,
    /// Argument of `waitunlockf` (gc's waitlock).
    pub waitlock: *mut u8,
    /// Kernel thread id (gc's procid).
    pub procid: i64,
    /// Run on the M's g0 before scheduling (gc's mstartfn).
    pub mstartfn: Option<MStartFn>,
    /// Per-M random state (gc's fastrand).
    pub fastrand: u64,
    /// Counts system calls, for sysmon (gc's syscalltick lives on P; the M copy is the P's
    /// tick at entersyscall).
    pub syscalltick: u32,
    /// Set to 0 by the exiting thread once its stack is no longer in use (gc's freeWait).
    pub free_wait: AtomicU32,
    /// Next M on sched.freem (gc's freelink).
    pub freelink: *mut M,
    /// The thread's g0 stack mapping to unmap when the M is freed (base, length); (0, 0) for
    /// threads whose stack the OS or std owns.
    pub g0_mapping: (usize, usize),
    /// How many times printlock was taken by this M without printunlock (gc's printlock).
    pub printlock: i32,
    /// This M runs sysmon and holds no P.
    pub is_sysmon: bool,
    /// The M is exiting: its thread ends after it drops its P.
    pub exiting: bool,
}

impl M {
    /// A zeroed M.
    pub const fn zeroed() -> M {
        // SAFETY: every field of M is valid when all-zero (null pointers, None, integers,
        // atomics, futex words).
        unsafe { core::mem::zeroed() }
    }
}

/// Per-P record of what sysmon saw last (gc's sysmontick).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct SysmonTick {
    /// P.schedtick at the last look.
    pub schedtick: u32,
    /// When the schedtick was seen to change.
    pub schedwhen: i64,
    /// P.syscalltick at the last look.
    pub syscalltick: u32,
    /// When the syscalltick was seen to change.
    pub syscallwhen: i64,
}

/// Length of a P's local run queue (gc's runq array).
pub const RUNQ_LEN: usize = 256;

/// A stack of Gs linked through schedlink (gc's gList).
#[derive(Clone, Copy, Debug)]
pub struct GList {
    /// First G, null if empty.
    pub head: *mut G,
}

impl GList {
    /// An empty list.
    pub const fn new() -> GList {
        GList {
            head: core::ptr::null_mut(),
        }
    }

    /// Whether the list is empty.
    pub fn empty(&self) -> bool {
        self.head.is_null()
    }

    /// Pushes `gp` on the front.
    ///
    /// # Safety
    /// `gp` must be a live G on no other list.
    pub unsafe fn push(&mut self, gp: *mut G) {
        (*gp).schedlink = self.head;
        self.head = gp;
    }

    /// Pushes all of `q` on the front.
    ///
    /// # Safety
    /// The Gs of `q` must be on no other list.
    pub unsafe fn push_all(&mut self, q: GQueue) {
        if !q.empty() {
            (*q.tail).schedlink = self.head;
            self.head = q.head;
        }
    }

    /// Pops the front G, or null.
    ///
    /// # Safety
    /// The list's Gs must be live.
    pub unsafe fn pop(&mut self) -> *mut G {
        let gp = self.head;
        if !gp.is_null() {
            self.head = (*gp).schedlink;
        }
        gp
    }
}

/// A FIFO of Gs linked through schedlink (gc's gQueue).
#[derive(Clone, Copy, Debug)]
pub struct GQueue {
    /// First G, null if empty.
    pub head: *mut G,
    /// Last G, null if empty.
    pub tail: *mut G,
}

impl GQueue {
    /// An empty queue.
    pub const fn new() -> GQueue {
        GQueue {
            head: core::ptr::null_mut(),
            tail: core::ptr::null_mut(),
        }
    }

    /// Whether the queue is empty.
    pub fn empty(&self) -> bool {
        self.head.is_null()
    }

    /// Adds `gp` at the front.
    ///
    /// # Safety
    /// `gp` must be a live G on no other list.
    pub unsafe fn push(&mut self, gp: *mut G) {
        (*gp).schedlink = self.head;
        self.head = gp;
        if self.tail.is_null() {
            self.tail = gp;
        }
    }

    /// Adds `gp` at the back.
    ///
    /// # Safety
    /// `gp` must be a live G on no other list.
    pub unsafe fn push_back(&mut self, gp: *mut G) {
        (*gp).schedlink = core::ptr::null_mut();
        if !self.tail.is_null() {
            (*self.tail).schedlink = gp;
        } else {
            self.head = gp;
        }
        self.tail = gp;
    }

    /// Appends all of `q2`.
    ///
    /// # Safety
    /// The Gs of `q2` must be on no other list.
    pub unsafe fn push_back_all(&mut self, q2: GQueue) {
        if q2.tail.is_null() {
            return;
        }
        (*q2.tail).schedlink = core::ptr::null_mut();
        if !self.tail.is_null() {
            (*self.tail).schedlink = q2.head;
        } else {
            self.head = q2.head;
        }
        self.tail = q2.tail;
    }

    /// Removes and returns the front G, or null.
    ///
    /// # Safety
    /// The queue's Gs must be live.
    pub unsafe fn pop(&mut self) -> *mut G {
        let gp = self.head;
        if !gp.is_null() {
            self.head = (*gp).schedlink;
            if self.head.is_null() {
                self.tail = core::ptr::null_mut();
            }
        }
        gp
    }
}

/// Capacity of a P's sudog cache (gc's sudogcache array).
pub const SUDOG_CACHE_LEN: usize = 128;

/// A processor: the right to run Go code, and the per-P caches that go with it (gc's p).
#[repr(C)]
pub struct P {
    /// Index in allp (gc's id).
    pub id: i32,
    /// P_* status (gc's status).
    pub status: AtomicU32,
    /// Next P on the idle list (gc's link).
    pub link: *mut P,
    /// Incremented on every scheduler call (gc's schedtick).
    pub schedtick: u32,
    /// Incremented on every system call (gc's syscalltick).
    pub syscalltick: u32,
    /// What sysmon saw last (gc's sysmontick).
    pub sysmontick: SysmonTick,
    /// The M holding this P, null if idle (gc's m).
    pub m: *mut M,
    /// The P's allocation cache (gc's mcache).
    pub mcache: *mut crate::mcache::MCache,
    /// Next goroutine id to hand out, and the end of this P's batch (gc's goidcache).
    pub goidcache: u64,
    /// End of the goid batch.
    pub goidcacheend: u64,
    /// Local run queue, a ring: [head, tail) (gc's runqhead/runqtail/runq).
    pub runqhead: AtomicU32,
    /// Tail of the ring; only the owner writes it.
    pub runqtail: AtomicU32,
    /// The ring's slots.
    pub runq: [AtomicPtr<G>; RUNQ_LEN],
    /// A G to run next, ahead of runq, inheriting the time slice (gc's runnext).
    pub runnext: AtomicPtr<G>,
    /// Dead Gs to reuse (gc's gFree).
    pub gfree: GList,
    /// Length of gfree.
    pub gfree_n: i32,
    /// Cached sudogs (gc's sudogcache).
    pub sudogcache: [*mut Sudog; SUDOG_CACHE_LEN],
    /// Entries of sudogcache in use.
    pub sudogcache_len: usize,
    /// Per-order free stacks (gc keeps them in mcache.stackcache).
    pub stackcache: [crate::stack::StackFreeList; crate::stack::NUM_STACK_ORDERS],
    /// Timers of this P (gc's timers, timersLock, timer0When, ...).
    pub timers: crate::time::PTimers,
    /// Preempt the G running on this P at the next safe point (gc's preempt).
    pub preempt: AtomicBool,
}

impl P {
    /// A zeroed P.
    pub const fn zeroed() -> P {
        // SAFETY: every field of P is valid when all-zero.
        unsafe { core::mem::zeroed() }
    }
}

/// A G waiting on a channel (gc's sudog): one per (goroutine, channel) wait.
#[repr(C)]
pub struct Sudog {
    /// The waiting goroutine.
    pub g: *mut G,
    /// Next in the channel's wait queue.
    pub next: *mut Sudog,
    /// Previous in the channel's wait queue.
    pub prev: *mut Sudog,
    /// Where the element is read from (send) or written to (receive); may point into a
    /// goroutine stack.
    pub elem: *mut u8,
    /// When the wait began (block profiling); unused so far.
    pub acquiretime: i64,
    /// Ticket for semaphores (gc's ticket).
    pub ticket: u32,
    /// Part of a select (gc's isSelect): the g's select_done decides which case wins.
    pub is_select: bool,
    /// The operation completed because of a value, not a close (gc's success).
    pub success: bool,
    /// Next sudog of the same g (gc's waitlink), or of a semaphore's wait list.
    pub waitlink: *mut Sudog,
    /// The channel waited on (gc's c).
    pub c: *mut crate::chan::HChan,
    /// Semaphore tree links and fields (gc's parent, waittail).
    pub parent: *mut Sudog,
    /// Tail of a semaphore wait list.
    pub waittail: *mut Sudog,
    /// The semaphore address this sudog waits on (gc's elem for semaroot).
    pub sema_addr: *mut u32,
}

/// Size of `Sudog`, for allocation.
pub const SUDOG_SIZE: usize = core::mem::size_of::<Sudog>();

/// The scheduler's global state (gc's schedt).
#[repr(C)]
pub struct SchedT {
    /// Last goroutine id handed out in a batch (gc's goidgen).
    pub goidgen: AtomicU64,
    /// When the network was last polled; 0 while someone blocks in netpoll (gc's lastpoll).
    pub lastpoll: AtomicI64,
    /// Guards the fields below unless they are atomics.
    pub lock: Mutex,
    /// Idle Ms (gc's midle).
    pub midle: *mut M,
    /// Number of idle Ms.
    pub nmidle: i32,
    /// Idle Ms locked to a goroutine (gc's nmidlelocked).
    pub nmidlelocked: i32,
    /// Next M id (gc's mnext); also the number of Ms created.
    pub mnext: i64,
    /// Most Ms allowed (gc's maxmcount).
    pub maxmcount: i32,
    /// System Ms not counted by deadlock detection (sysmon) (gc's nmsys).
    pub nmsys: i32,
    /// Ms that exited (gc's nmfreed).
    pub nmfreed: i64,
    /// System goroutines (gc's ngsys).
    pub ngsys: AtomicU32,
    /// Idle Ps (gc's pidle).
    pub pidle: *mut P,
    /// Number of idle Ps.
    pub npidle: AtomicU32,
    /// Spinning Ms (gc's nmspinning).
    pub nmspinning: AtomicU32,
    /// Global run queue (gc's runq).
    pub runq: GQueue,
    /// Its length.
    pub runqsize: i32,
    /// Guards the global G free lists.
    pub gfree_lock: Mutex,
    /// Dead Gs with a standard stack.
    pub gfree_stack: GList,
    /// Dead Gs without a stack.
    pub gfree_nostack: GList,
    /// Total of both lists.
    pub gfree_n: i32,
    /// Guards the central sudog cache.
    pub sudoglock: Mutex,
    /// Central sudog cache, linked through `next`.
    pub sudogcache: *mut Sudog,
    /// Ms waiting to be freed after their thread exits (gc's freem).
    pub freem: *mut M,
    /// A stop-the-world is in progress (gc's gcwaiting).
    pub gcwaiting: AtomicU32,
    /// Ps still to stop (gc's stopwait).
    pub stopwait: i32,
    /// Woken when the last P stopped (gc's stopnote).
    pub stopnote: Note,
    /// sysmon sleeps on sysmonnote (gc's sysmonwait).
    pub sysmonwait: AtomicU32,
    /// Where sysmon sleeps while everything is idle.
    pub sysmonnote: Note,
    /// Held by sysmon while it works (gc's sysmonlock).
    pub sysmonlock: Mutex,
    /// When the M sleeping for timers wakes up, 0 if none sleeps (gc's pollUntil).
    pub poll_until: AtomicI64,
    /// 1 while an M without work sleeps until the next timer (gc: blocked in netpoll).
    pub sleeping_for_timers: AtomicU32,
    /// Futex word that M sleeps on; bumped to wake it (gc's netpollBreak).
    pub timer_wake_seq: AtomicU32,
    /// The main goroutine has started (gc's mainStarted): wakep may start threads.
    pub main_started: AtomicBool,
}

/// The number of Ms. Stored in sched.mnext - sched.nmfreed (gc's mcount).
pub const MAX_MCOUNT: i32 = 10000;

/// The scheduler's state (gc's sched).
pub static mut SCHED: SchedT = SchedT {
    goidgen: AtomicU64::new(0),
    lastpoll: AtomicI64::new(0),
    lock: Mutex::new(),
    midle: core::ptr::null_mut(),
    nmidle: 0,
    nmidlelocked: 0,
    mnext: 0,
    maxmcount: MAX_MCOUNT,
    nmsys: 0,
    nmfreed: 0,
    ngsys: AtomicU32::new(0),
    pidle: core::ptr::null_mut(),
    npidle: AtomicU32::new(0),
    nmspinning: AtomicU32::new(0),
    runq: GQueue::new(),
    runqsize: 0,
    gfree_lock: Mutex::new(),
    gfree_stack: GList::new(),
    gfree_nostack: GList::new(),
    gfree_n: 0,
    sudoglock: Mutex::new(),
    sudogcache: core::ptr::null_mut(),
    freem: core::ptr::null_mut(),
    gcwaiting: AtomicU32::new(0),
    stopwait: 0,
    stopnote: Note::new(),
    sysmonwait: AtomicU32::new(0),
    sysmonnote: Note::new(),
    sysmonlock: Mutex::new(),
    poll_until: AtomicI64::new(0),
    sleeping_for_timers: AtomicU32::new(0),
    timer_wake_seq: AtomicU32::new(0),
    main_started: AtomicBool::new(false),
};

/// The scheduler state, as a raw pointer (all access goes through it).
#[inline(always)]
pub fn sched() -> *mut SchedT {
    &raw mut SCHED
}

/// Most Ps goclift supports (gc's _MaxGomaxprocs is 1024 too).
pub const MAX_GOMAXPROCS: usize = 1024;

/// All Ps, indexed by id; entries past GOMAXPROCS are null (gc's allp).
pub static ALLP: [AtomicPtr<P>; MAX_GOMAXPROCS] =
    [const { AtomicPtr::new(core::ptr::null_mut()) }; MAX_GOMAXPROCS];
/// The current GOMAXPROCS (gc's gomaxprocs).
pub static GOMAXPROCS: AtomicU32 = AtomicU32::new(0);
/// The number of CPUs the process may run on (gc's ncpu).
pub static NCPU: AtomicU32 = AtomicU32::new(0);
/// Head of the list of all Ms (gc's allm), linked through alllink; guarded by sched.lock.
pub static ALLM: AtomicPtr<M> = AtomicPtr::new(core::ptr::null_mut());
/// The first G of the list of all Gs (gc's allgs), linked through alllink in creation order;
/// appended under ALLGLOCK and published with release stores so that readers need no lock.
pub static ALLGS: AtomicPtr<G> = AtomicPtr::new(core::ptr::null_mut());
/// The last G of that list.
pub static ALLGS_TAIL: AtomicPtr<G> = AtomicPtr::new(core::ptr::null_mut());
/// Number of Gs ever created (gc's allglen).
pub static ALLGLEN: AtomicUsize = AtomicUsize::new(0);
/// Guards additions to ALLGS (gc's allglock).
pub static ALLGLOCK: Mutex = Mutex::new();

/// The main thread's M (gc's m0).
#[unsafe(export_name = "runtime.m0")]
pub static mut M0: M = M::zeroed();

/// The first P (gc's allp[0]); with GOMAXPROCS processors the scheduler creates the others.
pub static mut P0: P = P::zeroed();

/// The main thread's g (gc's runtime.g0), exported under gc's name for debuggers and tests.
#[unsafe(export_name = "runtime.g0")]
pub static mut G0: G = G::zeroed();

/// Byte offset of `g.stack.lo`; the compiler relies on it.
pub const G_STACK_LO_OFFSET: usize = 0;
/// Byte offset of `g.stack.hi`.
pub const G_STACK_HI_OFFSET: usize = 8;
/// Byte offset of `g.stackguard0`, read by every stack check.
pub const G_STACKGUARD0_OFFSET: usize = 16;
/// Byte offset of `g.stackguard1`.
pub const G_STACKGUARD1_OFFSET: usize = 24;
/// Byte offset of `g.m`.
pub const G_M_OFFSET: usize = 40;
/// Byte offset of `g.morestack_fn`, written by a failing stack check.
pub const G_MORESTACK_FN_OFFSET: usize = 48;
/// Byte offset of `g.morestack_argsize`.
pub const G_MORESTACK_ARGSIZE_OFFSET: usize = 56;
/// Byte offset of `g.morestack_framesize`.
pub const G_MORESTACK_FRAMESIZE_OFFSET: usize = 64;
/// Byte offset of `g.sched`.
pub const G_SCHED_OFFSET: usize = 72;
/// Byte offset of `g.closure_ctx`, written before every call through a func value.
pub const G_CLOSURE_CTX_OFFSET: usize = 128;

/// Byte offsets inside a Gobuf, for the assembly.
pub const GOBUF_SP: usize = 0;
/// gobuf.pc
pub const GOBUF_PC: usize = 8;
/// gobuf.g
pub const GOBUF_G: usize = 16;
/// gobuf.lr
pub const GOBUF_LR: usize = 40;
/// gobuf.bp
pub const GOBUF_BP: usize = 48;

/// Byte offset of `m.g0`, for the assembly.
pub const M_G0_OFFSET: usize = 0;
/// Byte offset of `m.curg`, for the assembly.
pub const M_CURG_OFFSET: usize = 8;

#[cfg(test)]
mod tests {
    use super::*;
    use core::mem::offset_of;

    #[test]
    fn g_leading_layout_is_the_abi() {
        assert_eq!(
            offset_of!(G, stack) + offset_of!(Stack, lo),
            G_STACK_LO_OFFSET
        );
        assert_eq!(
            offset_of!(G, stack) + offset_of!(Stack, hi),
            G_STACK_HI_OFFSET
        );
        assert_eq!(offset_of!(G, stackguard0), G_STACKGUARD0_OFFSET);
        assert_eq!(offset_of!(G, stackguard1), G_STACKGUARD1_OFFSET);
        assert_eq!(offset_of!(G, m), G_M_OFFSET);
        assert_eq!(offset_of!(G, morestack_fn), G_MORESTACK_FN_OFFSET);
        assert_eq!(offset_of!(G, morestack_argsize), G_MORESTACK_ARGSIZE_OFFSET);
        assert_eq!(
            offset_of!(G, morestack_framesize),
            G_MORESTACK_FRAMESIZE_OFFSET
        );
        assert_eq!(offset_of!(G, sched), G_SCHED_OFFSET);
        assert_eq!(offset_of!(G, closure_ctx), G_CLOSURE_CTX_OFFSET);
    }

    #[test]
    fn gobuf_and_m_layout_match_the_assembly() {
        assert_eq!(offset_of!(Gobuf, sp), GOBUF_SP);
        assert_eq!(offset_of!(Gobuf, pc), GOBUF_PC);
        assert_eq!(offset_of!(Gobuf, g), GOBUF_G);
        assert_eq!(offset_of!(Gobuf, lr), GOBUF_LR);
        assert_eq!(offset_of!(Gobuf, bp), GOBUF_BP);
        assert_eq!(offset_of!(M, g0), M_G0_OFFSET);
        assert_eq!(offset_of!(M, curg), M_CURG_OFFSET);
    }

    #[test]
    fn wait_reasons_print_as_gc() {
        assert_eq!(WaitReason::ChanReceive.as_str(), "chan receive");
        assert_eq!(WaitReason::SelectNoCases.as_str(), "select (no cases)");
        assert_eq!(WaitReason::DebugCall as u8, 26);
        assert_eq!(gstatus_string(G_RUNNABLE), "runnable");
    }
}
