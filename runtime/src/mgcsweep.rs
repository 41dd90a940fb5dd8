//! Span sweeping (the span half of Go's mgcsweep.go): the entry points through which the
//! collector frees memory.
//!
//! After a mark phase every reachable object of a span has its bit set in `gcmark_bits`.
//! Sweeping a span makes those bits its new `alloc_bits` (so every unmarked slot becomes
//! free), counts the freed objects, and puts the span where it belongs: back on a central
//! list, or, if nothing in it survived, back to the page heap.
//!
//! The sweep generation protocol is gc's: `MHeap::start_sweep_cycle` adds 2 to the heap's
//! sweepgen, which turns every swept span into an unswept one; a sweeper claims a span by
//! moving its sweepgen from sg-2 to sg-1 (`SweepLocker::try_acquire`) and stores sg when done.
//! The allocator sweeps on demand (`MCentral::cache_span`) and `sweepone` lets a background
//! sweeper or an allocating goroutine sweep the rest.
//!
//! Sweeping runs concurrently with the program after a concurrent cycle: the background
//! sweeper goroutine (mgc.rs), allocating goroutines in proportion to the pages they take
//! (`sweep_for_pages`), and mcentral on demand; the next cycle finishes what is left with
//! the world stopped before it marks (gc's finishsweep_m). Not here: gc's activeSweep
//! bookkeeping (no sweeper can be mid-span at a stopped world here), the page reclaimer,
//! finalizer/profile specials.

use crate::mheap::{MHeap, MSpan, MSPAN_IN_USE, NUM_SPAN_CLASSES};
use crate::mstats::xadd;
use crate::panic::throw;
use core::sync::atomic::Ordering::{Acquire, Relaxed, Release};

/// The right to sweep spans in one sweep cycle (gc's sweepLocker).
pub struct SweepLocker {
    sweep_gen: u32,
}

impl SweepLocker {
    /// A locker for `h`'s current cycle.
    pub fn new(h: &MHeap) -> SweepLocker {
        SweepLocker {
            sweep_gen: h.sweepgen.load(Relaxed),
        }
    }

    /// Claims `s` for sweeping if nobody has swept or claimed it this cycle (gc's
    /// tryAcquire).
    ///
    /// # Safety
    /// `s` must point to an mspan (they are never unmapped, so a stale one will do).
    pub unsafe fn try_acquire(&self, s: *mut MSpan) -> bool {
        let sg = &(*s).sweepgen;
        if sg.load(Relaxed) != self.sweep_gen.wrapping_sub(2) {
            return false;
        }
        sg.compare_exchange(
            self.sweep_gen.wrapping_sub(2),
            self.sweep_gen.wrapping_sub(1),
            Acquire,
            Relaxed,
        )
        .is_ok()
    }
}

/// Sweeps `s` (gc's sweepLocked.sweep). With `preserve` the caller keeps the span (to cache
/// it); otherwise it goes to the right central set or, if empty, to the page heap. Returns
/// whether it was freed to the heap.
///
/// # Safety
/// The caller must have claimed the span (sweepgen sg-1).
pub unsafe fn sweep(h: &MHeap, s: *mut MSpan, preserve: bool) -> bool {
    let span = &mut *s;
    let sweepgen = h.sweepgen.load(Relaxed);
    if span.state() != MSPAN_IN_USE || span.sweepgen.load(Relaxed) != sweepgen.wrapping_sub(1) {
        throw("mspan.sweep: bad span state");
    }
    let spc = span.spanclass;
    let nalloc = span.count_alloc();
    if nalloc > span.alloc_count as usize {
        throw("sweep increased allocation count");
    }
    let nfreed = span.alloc_count as usize - nalloc;
    span.alloc_count = nalloc as u16;
    span.freeindex = 0;
    // The mark bits become the alloc bits; fresh cleared mark bits for the next cycle.
    span.alloc_bits = span.gcmark_bits;
    span.gcmark_bits = h.new_mark_bits(span.nelems);
    span.refill_alloc_cache(0);
    span.sweepgen.store(sweepgen, Release);

    if spc.sizeclass() != 0 {
        if nfreed > 0 {
            // Freed slots hold old data.
            span.needzero = 1;
            xadd(
                &h.stats.small_free_count[spc.sizeclass() as usize],
                nfreed as i64,
            );
            xadd(&h.stats.total_free, (nfreed * span.elemsize) as i64);
        }
        if !preserve {
            if nalloc == 0 {
                // SAFETY: swept, empty, and ours.
                h.free_span(s);
                return true;
            }
            let c = &h.central[spc.0 as usize];
            if nalloc == span.nelems {
                c.full_swept(sweepgen).push(s);
            } else {
                c.partial_swept(sweepgen).push(s);
            }
        }
    } else if !preserve {
        if nfreed != 0 {
            let size = span.elemsize as i64;
            // SAFETY: swept, its object freed, and ours.
            h.free_span(s);
            xadd(&h.stats.large_free_count, 1);
            xadd(&h.stats.large_free, size);
            xadd(&h.stats.total_free, size);
            return true;
        }
        h.central[spc.0 as usize].full_swept(sweepgen).push(s);
    }
    false
}

impl MHeap {
    /// Begins a sweep cycle: every in-use span becomes unswept (the sweepgen step of gc's
    /// gcSweep). The world must be stopped and every mcache flushed (`MCache::release_all`
    /// or `prepare_for_sweep`), so that all heap spans are on the central lists.
    pub fn start_sweep_cycle(&self) {
        self.sweepgen.fetch_add(2, Release);
        self.sweep_central_index.store(0, Release);
    }

    /// Sweeps one unswept span; returns its pages, or None when nothing is left to sweep
    /// this cycle (gc's sweepone, which returns ^uintptr(0) for that).
    pub fn sweepone(&self) -> Option<usize> {
        let sl = SweepLocker::new(self);
        loop {
            let s = self.next_span_for_sweep();
            if s.is_null() {
                return None;
            }
            // SAFETY: spans on the central lists are live mspans.
            let span = unsafe { &*s };
            if span.state() != MSPAN_IN_USE {
                let sg = span.sweepgen.load(Relaxed);
                if sg != sl.sweep_gen && sg != sl.sweep_gen.wrapping_add(3) {
                    throw("non in-use span in unswept list");
                }
                continue;
            }
            // SAFETY: `s` came from a central list.
            if unsafe { sl.try_acquire(s) } {
                let npages = span.npages;
                // SAFETY: claimed above.
                let freed = unsafe { sweep(self, s, false) };
                return Some(if freed { npages } else { 0 });
            }
        }
    }

    /// Whether spans of this sweep cycle may be left unswept.
    pub fn sweeping(&self) -> bool {
        self.sweep_central_index.load(Relaxed) < NUM_SPAN_CLASSES * 2
    }

    /// Proportional sweeping before `npages` pages are allocated: sweeps until that many
    /// pages went back to the heap, at most `4 + npages` spans (gc sweeps in proportion to
    /// allocation so that sweeping ends before the next cycle starts).
    pub fn sweep_for_pages(&self, npages: usize) {
        if !self.sweeping() {
            return;
        }
        let mut freed = 0;
        for _ in 0..4 + npages {
            match self.sweepone() {
                Some(n) => freed += n,
                None => return,
            }
            if freed >= npages {
                return;
            }
        }
    }

    /// Sweeps everything left in this cycle; returns the pages freed to the heap.
    pub fn sweep_all(&self) -> usize {
        let mut freed = 0;
        while let Some(n) = self.sweepone() {
            freed += n;
        }
        freed
    }

    /// Pops the next unswept span from the central lists, full before partial per class
    /// (gc's nextSpanForSweep).
    fn next_span_for_sweep(&self) -> *mut MSpan {
        let sg = self.sweepgen.load(Relaxed);
        let mut sc = self.sweep_central_index.load(Acquire);
        while sc < NUM_SPAN_CLASSES * 2 {
            let c = &self.central[sc >> 1];
            let s = if sc & 1 == 0 {
                c.full_unswept(sg).pop()
            } else {
                c.partial_unswept(sg).pop()
            };
            if !s.is_null() {
                self.sweep_central_index.fetch_max(sc, Release);
                return s;
            }
            sc += 1;
        }
        self.sweep_central_index.fetch_max(sc, Release);
        core::ptr::null_mut()
    }
}
