//! Marking (Go's mgcmark.go): the roots, the grey-object work list and object scanning.
//!
//! Heap objects are scanned precisely, word by word where their heap bits (mbitmap.rs) say
//! a pointer may be; objects the runtime allocated without a type have all bits set and are
//! in effect scanned conservatively. Roots are scanned conservatively (every aligned word
//! that points into an allocated heap slot keeps that object alive, interior pointers
//! included): the executable's writable data (.data and .bss, so Go's package-level
//! variables and the runtime's own statics), every live goroutine's G struct, the sudogs it
//! waits in, the segments of its stack from its saved stack pointer up, and the callee-saved
//! registers of goroutines that may hold pointers in them (the one running the collector,
//! and those in system calls). Goroutines that were switched out through mcall or
//! morestack pushed their callee-saved registers on their own stack, which the scan covers.

use crate::mheap::{MHeap, MSpan};
use crate::morestack::{Stktop, MORESTACK_FRAME, STKTOP_SIZE};
use crate::panic::throw;
use crate::lock_futex::Locked;
use crate::runtime2::{Stack, Sudog, G, G_DEAD, G_IDLE, G_RUNNING, G_SYSCALL};
use core::sync::atomic::{AtomicU64, Ordering::Relaxed};

/// The callee-saved registers of a goroutine that has not pushed them (gc does not need this:
/// its ABI has no callee-saved registers).
pub type CalleeSaved = [usize; 12];

/// Stores the calling thread's callee-saved registers in `regs`. The values in them are
/// those of the callers (or copies the callers' frames hold), so scanning `regs` and the
/// stack above the current sp covers every pointer the callers keep.
#[inline(always)]
pub fn save_callee_saved(regs: &mut CalleeSaved) {
    let p = regs.as_mut_ptr();
    // SAFETY: stores twelve words into `regs`; reads registers only.
    #[cfg(target_arch = "x86_64")]
    unsafe {
        core::arch::asm!(
            "mov [{p}], rbx",
            "mov [{p} + 8], rbp",
            "mov [{p} + 16], r12",
            "mov [{p} + 24], r13",
            "mov [{p} + 32], r14",
            "mov [{p} + 40], r15",
            p = in(reg) p,
            options(nostack, preserves_flags)
        );
    }
    // SAFETY: as above.
    #[cfg(target_arch = "aarch64")]
    unsafe {
        core::arch::asm!(
            "stp x19, x20, [{p}]",
            "stp x21, x22, [{p}, #16]",
            "stp x23, x24, [{p}, #32]",
            "stp x25, x26, [{p}, #48]",
            "stp x27, x28, [{p}, #64]",
            "str x29, [{p}, #80]",
            p = in(reg) p,
            options(nostack, preserves_flags)
        );
    }
}

/// The grey objects: a stack of object addresses in memory of its own (gc keeps per-P work
/// buffers; one marker needs one stack). Mapped directly so that it never is, or points
/// into, the heap it describes.
pub(crate) struct WorkStack {
    buf: *mut usize,
    len: usize,
    cap: usize,
}

// SAFETY: owned memory.
unsafe impl Send for WorkStack {}

impl WorkStack {
    pub(crate) const fn new() -> WorkStack {
        WorkStack {
            buf: core::ptr::null_mut(),
            len: 0,
            cap: 0,
        }
    }

    /// The words on the stack, oldest first.
    pub(crate) fn as_mut_slice(&mut self) -> &mut [usize] {
        if self.len == 0 {
            return &mut [];
        }
        // SAFETY: len initialised words.
        unsafe { core::slice::from_raw_parts_mut(self.buf, self.len) }
    }

    /// Drops the words from `n` on.
    pub(crate) fn truncate(&mut self, n: usize) {
        self.len = self.len.min(n);
    }

    #[inline]
    pub(crate) fn push(&mut self, p: usize) {
        if self.len == self.cap {
            self.grow();
        }
        // SAFETY: len < cap after grow.
        unsafe { self.buf.add(self.len).write(p) };
        self.len += 1;
    }

    #[inline]
    pub(crate) fn pop(&mut self) -> Option<usize> {
        if self.len == 0 {
            return None;
        }
        self.len -= 1;
        // SAFETY: below len.
        Some(unsafe { self.buf.add(self.len).read() })
    }

    #[cold]
    fn grow(&mut self) {
        use crate::os_linux::{mmap, munmap, MAP_ANON, MAP_PRIVATE, PROT_READ, PROT_WRITE};
        let cap = (self.cap * 2).max(64 << 10);
        // SAFETY: a fresh private mapping; the old one is copied and then released.
        unsafe {
            let p = match mmap(
                core::ptr::null_mut(),
                cap * 8,
                PROT_READ | PROT_WRITE,
                MAP_PRIVATE | MAP_ANON,
                -1,
                0,
            ) {
                Ok(p) => p as *mut usize,
                Err(_) => throw("runtime: cannot allocate memory for the mark stack"),
            };
            if self.cap != 0 {
                core::ptr::copy_nonoverlapping(self.buf, p, self.len);
                let _ = munmap(self.buf as *mut u8, self.cap * 8);
            }
            self.buf = p;
            self.cap = cap;
        }
    }
}

impl Drop for WorkStack {
    fn drop(&mut self) {
        if self.cap != 0 {
            // SAFETY: the mapping is ours and nothing refers to it any more.
            let _ = unsafe { crate::os_linux::munmap(self.buf as *mut u8, self.cap * 8) };
        }
    }
}

/// Grey objects shared by every marker of a concurrent cycle (gc's work.full): the roots
/// scanned at the start, what write barriers shade, and what markers hand off.
pub(crate) static GLOBAL_WORK: Locked<WorkStack> = Locked::new(WorkStack::new());

/// Bytes marked by concurrent markers, barriers and black allocation so far this cycle.
pub static MARKED_CONCURRENT: AtomicU64 = AtomicU64::new(0);

/// Bytes of scan work done concurrently so far this cycle.
pub static SCANNED_CONCURRENT: AtomicU64 = AtomicU64::new(0);

/// Greys the objects `ptrs` point into (zeros and non-heap words are ignored) onto the
/// global work list (gc's shade, for write barriers). Safe while mutators run.
pub fn shade_now(ptrs: &[usize]) {
    let mut m = Marker::new_concurrent(&crate::mheap::MHEAP);
    for &p in ptrs {
        if p != 0 {
            m.grey(p);
        }
    }
    m.publish();
}

/// One mark phase's state (gc's gcWork plus the cycle's counters).
pub struct Marker {
    heap: &'static MHeap,
    work: WorkStack,
    /// The only marker and the world is stopped: mark bits need no atomic update.
    exclusive: bool,
    /// Bytes of heap objects marked (gc's heapMarked once the phase is over).
    pub bytes_marked: u64,
    /// Bytes of scannable objects scanned (gc's heapScan).
    pub bytes_scanned: u64,
    /// Bytes of stack scanned (gc's stackScan).
    pub stack_scanned: u64,
    /// Bytes of globals scanned (gc's globalsScan).
    pub globals_scanned: u64,
}

// SAFETY: the work stack is owned memory; a marker is used by one thread at a time.
unsafe impl Send for Marker {}

impl Marker {
    /// A marker of `heap`'s objects with nothing marked yet.
    pub const fn new(heap: &'static MHeap) -> Marker {
        Marker {
            heap,
            work: WorkStack::new(),
            exclusive: true,
            bytes_marked: 0,
            bytes_scanned: 0,
            stack_scanned: 0,
            globals_scanned: 0,
        }
    }

    /// A marker that runs alongside mutators and other markers (atomic mark bits); its
    /// work goes to [`GLOBAL_WORK`] on [`Marker::publish`].
    pub const fn new_concurrent(heap: &'static MHeap) -> Marker {
        let mut m = Marker::new(heap);
        m.exclusive = false;
        m
    }

    /// Moves this marker's grey objects to the global list and its counts to the cycle's.
    pub fn publish(&mut self) {
        if self.work.len != 0 {
            let mut g = GLOBAL_WORK.lock();
            while let Some(b) = self.work.pop() {
                g.push(b);
            }
        }
        MARKED_CONCURRENT.fetch_add(core::mem::take(&mut self.bytes_marked), Relaxed);
        SCANNED_CONCURRENT.fetch_add(core::mem::take(&mut self.bytes_scanned), Relaxed);
    }

    /// Takes up to `n` grey objects from the global list; returns whether it got any.
    fn refill(&mut self, n: usize) -> bool {
        let mut g = GLOBAL_WORK.lock();
        let mut got = false;
        for _ in 0..n {
            let Some(b) = g.pop() else { break };
            self.work.push(b);
            got = true;
        }
        got
    }

    /// Takes every grey object of the global list (mark termination).
    pub fn take_global(&mut self) {
        self.refill(usize::MAX);
    }

    /// Whether the global list is empty.
    pub fn global_empty() -> bool {
        GLOBAL_WORK.lock().len == 0
    }

    /// Scans grey objects, alongside mutators, until about `budget` bytes are scanned or no
    /// work is left anywhere (returns true then). Work beyond a small local stack is handed
    /// to the global list so that other markers can share it (gc's gcDrainN/balance).
    pub fn drain_budget(&mut self, budget: u64) -> bool {
        let start = self.bytes_scanned;
        loop {
            let Some(b) = self.work.pop() else {
                if self.refill(64) {
                    continue;
                }
                self.publish();
                return true;
            };
            // SAFETY: only allocated heap objects in scan spans are pushed.
            unsafe { self.scan_object(b) };
            if self.work.len > 1024 {
                let mut g = GLOBAL_WORK.lock();
                for _ in 0..512 {
                    match self.work.pop() {
                        Some(b) => g.push(b),
                        None => break,
                    }
                }
            }
            if self.bytes_scanned - start >= budget {
                self.publish();
                return false;
            }
        }
    }

    /// Marks the object `p` points into, if it is an allocated heap object not yet marked,
    /// and queues it for scanning if it may hold pointers (gc's findObject + greyobject,
    /// tolerant of non-pointers as gc's conservative scan is).
    #[inline]
    pub fn grey(&mut self, p: usize) {
        let s = self.heap.span_of_heap(p);
        if s.is_null() {
            return;
        }
        // SAFETY: span_of_heap returned an in-use span that contains p.
        unsafe { self.grey_in_span(p, s) }
    }

    /// Whether the object `p` points into is marked (None: not a heap object).
    pub fn is_marked(&self, p: usize) -> Option<bool> {
        let s = self.heap.span_of_heap(p);
        if s.is_null() {
            return None;
        }
        // SAFETY: an in-use span containing p.
        unsafe {
            let idx = (*s).obj_index(p);
            Some((*s).mark_bits_for_index(idx).is_marked())
        }
    }

    /// Greys what the object at `p` points to without marking the object itself (gc's
    /// markrootSpans for objects with finalizers).
    pub fn grey_referents(&mut self, p: usize) {
        let s = self.heap.span_of_heap(p);
        if s.is_null() {
            return;
        }
        // SAFETY: an in-use span containing p.
        unsafe {
            if !(*s).spanclass.noscan() {
                let base = (*s).base() + (*s).obj_index(p) * (*s).elemsize;
                self.scan_object(base);
            }
        }
    }

    unsafe fn grey_in_span(&mut self, p: usize, s: *mut MSpan) {
        let span = &*s;
        let idx = span.obj_index(p);
        if span.is_free(idx) {
            return;
        }
        let bits = span.mark_bits_for_index(idx);
        // One marker with the world stopped needs no atomic read-modify-write.
        let newly = if self.exclusive { bits.test_and_set_exclusive() } else { bits.test_and_set() };
        if !newly {
            return;
        }
        self.bytes_marked += span.elemsize as u64;
        if span.spanclass.noscan() {
            return;
        }
        self.work.push(span.base() + idx * span.elemsize);
    }

    /// Scans `[lo, hi)` conservatively: every aligned word that points into an allocated
    /// heap slot greys that slot (gc's scanConservative).
    ///
    /// # Safety
    /// The range must be readable.
    pub unsafe fn scan_conservative(&mut self, lo: usize, hi: usize) {
        let mut a = (lo + 7) & !7;
        while a + 8 <= hi {
            let v = (a as *const usize).read_volatile();
            self.grey(v);
            a += 8;
        }
    }

    /// Scans the grey objects until none is left (gc's gcDrain). Objects go through a small
    /// FIFO between the work stack and the scan, and are prefetched on entering it: the
    /// scan of an object is dominated by the cache miss on its first word, which the
    /// prefetch overlaps with the scans of the objects ahead of it.
    pub fn drain(&mut self) {
        const AHEAD: usize = 16;
        let mut ring = [0usize; AHEAD];
        let mut head = 0;
        let mut n = 0;
        loop {
            while n < AHEAD {
                let Some(b) = self.work.pop() else { break };
                prefetch(b);
                ring[(head + n) % AHEAD] = b;
                n += 1;
            }
            if n == 0 {
                return;
            }
            let b = ring[head];
            head = (head + 1) % AHEAD;
            n -= 1;
            // SAFETY: only allocated heap objects in scan spans are pushed.
            unsafe { self.scan_object(b) };
        }
    }

    /// Greys everything the heap object at `b` points to, as its heap bits describe it
    /// (gc's scanobject).
    unsafe fn scan_object(&mut self, b: usize) {
        let s = self.heap.span_of_heap(b);
        if s.is_null() {
            throw("scanobject of a non-heap object");
        }
        let n = (*s).elemsize;
        self.bytes_scanned += n as u64;
        crate::mbitmap::for_each_pointer_slot(self.heap, b, n, |slot| {
            // SAFETY: the slot is a word of a live heap object.
            let v = unsafe { (slot as *const usize).read() };
            self.grey(v);
        });
    }

    /// Scans the executable's writable data: Go's package-level variables and the runtime's
    /// statics (gc scans its data and bss sections with the compiler's pointer bitmaps).
    pub fn scan_data_and_bss(&mut self) {
        let (lo, hi) = data_and_bss();
        self.globals_scanned += (hi - lo) as u64;
        // SAFETY: the linker's bounds of the mapped, writable data segment.
        unsafe { self.scan_conservative(lo, hi) };
    }

    /// Scans a goroutine's G struct, the sudogs it waits in and its stack (gc's
    /// markroot for one G and scanstack). `sp` is where its live stack starts, `regs` the
    /// callee-saved registers it may still hold (null if they are on its stack).
    ///
    /// # Safety
    /// `gp` must be a G that cannot run during the scan, `sp` inside its current segment.
    pub unsafe fn scan_g(&mut self, gp: *mut G, sp: usize, regs: *const CalleeSaved) {
        self.scan_conservative(gp as usize, gp as usize + core::mem::size_of::<G>());
        let mut sg: *mut Sudog = (*gp).waiting;
        while !sg.is_null() {
            self.scan_conservative(sg as usize, sg as usize + core::mem::size_of::<Sudog>());
            sg = (*sg).waitlink;
        }
        if !regs.is_null() {
            let r = regs as usize;
            self.scan_conservative(r, r + core::mem::size_of::<CalleeSaved>());
        }
        if sp != 0 {
            self.stack_scanned += scan_segments(self, gp, sp);
        }
    }

    /// Scans every goroutine but `self_g` (which the caller scans with its own stack pointer
    /// and registers). The world must be stopped.
    ///
    /// # Safety
    /// No other goroutine may run.
    pub unsafe fn scan_all_gs(&mut self, self_g: *mut G) {
        crate::proc::for_each_g(|gp| {
            if gp == self_g {
                return;
            }
            let status = (*gp).status();
            if status == G_DEAD || status == G_IDLE {
                return;
            }
            if status == G_SYSCALL {
                // Still running (outside Go code): from where it entered the call.
                self.scan_g(gp, (*gp).syscallsp, &raw const (*gp).syscall_regs);
            } else if status == G_RUNNING {
                throw("gc: a goroutine is running while the world is stopped");
            } else {
                // Switched out through mcall or morestack: registers pushed at sched.sp.
                self.scan_g(gp, (*gp).sched.sp, core::ptr::null());
            }
        });
    }
}

/// Hints the CPU to load the cache line at `p` (no fault if it is not mapped).
#[inline(always)]
fn prefetch(p: usize) {
    // SAFETY: prefetches never fault and do not change memory.
    #[cfg(target_arch = "x86_64")]
    unsafe {
        core::arch::asm!("prefetcht0 [{p}]", p = in(reg) p, options(nostack, readonly, preserves_flags));
    }
    // SAFETY: as above.
    #[cfg(target_arch = "aarch64")]
    unsafe {
        core::arch::asm!("prfm pldl1keep, [{p}]", p = in(reg) p, options(nostack, readonly, preserves_flags));
    }
}

/// Scans the live part of every segment of `gp`'s stack, newest first: the current one from
/// `sp`, each older one from the register frame morestack left on it (the segment's
/// `Stktop` says where). Returns the bytes scanned.
unsafe fn scan_segments(m: &mut Marker, gp: *mut G, sp: usize) -> u64 {
    let mut seg: Stack = (*gp).stack;
    let mut lo = sp;
    let mut total = 0;
    loop {
        if lo < seg.lo || lo > seg.hi {
            throw("scanstack: stack pointer outside its segment");
        }
        m.scan_conservative(lo, seg.hi);
        total += (seg.hi - lo) as u64;
        if seg == (*gp).stack0 {
            return total;
        }
        let top = (seg.hi - STKTOP_SIZE) as *const Stktop;
        lo = (*top).frame - MORESTACK_FRAME;
        seg = Stack {
            lo: (*top).old_lo,
            hi: (*top).old_hi,
        };
    }
}

unsafe extern "C" {
    /// Start of the data segment (glibc's crt1.o).
    static __data_start: u8;
    /// End of .bss (the linker's default script).
    static _end: u8;
}

/// The bounds of the executable's .data and .bss.
pub fn data_and_bss() -> (usize, usize) {
    let lo = &raw const __data_start as usize;
    let hi = &raw const _end as usize;
    (lo, hi)
}

#[cfg(test)]
#[path = "mgcmark_test.rs"]
mod tests;
