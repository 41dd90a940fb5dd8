//! Central span lists per span class (Go's mcentral.go).
//!
//! Each span class has two pairs of span sets: spans with free slots ("partial") and spans
//! without ("full"), each split into swept and unswept. Which set of a pair is which flips
//! every GC cycle with the heap's sweepgen (bit 1 of sweepgen picks the swept one), so
//! starting a sweep cycle makes every swept span unswept without touching any of them.
//!
//! Spans cached in an mcache are in no set; `uncache_span` puts them back.

use crate::mgcsweep::SweepLocker;
use crate::mheap::{MHeap, MSpan, SpanClass};
use crate::mspanset::SpanSet;
use crate::panic::throw;
use crate::sizeclasses::{CLASS_TO_ALLOCNPAGES, CLASS_TO_SIZE, PAGE_SHIFT};
use core::sync::atomic::Ordering::Relaxed;

/// How many unswept spans `cache_span` sweeps before giving up and growing (gc's spanBudget).
const SPAN_BUDGET: usize = 100;

/// The central free lists of one span class (gc's mcentral).
pub struct MCentral {
    /// The span class.
    pub spanclass: SpanClass,
    /// Spans with free slots: [swept, unswept] or the other way round, by sweepgen.
    partial: [SpanSet; 2],
    /// Spans without free slots, likewise.
    full: [SpanSet; 2],
}

impl MCentral {
    /// Empty lists for `spanclass`; usable in statics (gc's init).
    pub const fn new(spanclass: SpanClass) -> MCentral {
        MCentral {
            spanclass,
            partial: [SpanSet::new(), SpanSet::new()],
            full: [SpanSet::new(), SpanSet::new()],
        }
    }

    /// Partial spans not yet swept in cycle `sweepgen` (gc's partialUnswept).
    pub fn partial_unswept(&self, sweepgen: u32) -> &SpanSet {
        &self.partial[1 - (sweepgen / 2 % 2) as usize]
    }

    /// Partial spans swept in cycle `sweepgen` (gc's partialSwept).
    pub fn partial_swept(&self, sweepgen: u32) -> &SpanSet {
        &self.partial[(sweepgen / 2 % 2) as usize]
    }

    /// Full spans not yet swept in cycle `sweepgen` (gc's fullUnswept).
    pub fn full_unswept(&self, sweepgen: u32) -> &SpanSet {
        &self.full[1 - (sweepgen / 2 % 2) as usize]
    }

    /// Full spans swept in cycle `sweepgen` (gc's fullSwept).
    pub fn full_swept(&self, sweepgen: u32) -> &SpanSet {
        &self.full[(sweepgen / 2 % 2) as usize]
    }

    /// A span with at least one free slot for an mcache, its alloc cache positioned at
    /// `freeindex`; null if the heap cannot grow (gc's cacheSpan). Prefers swept partial
    /// spans, then sweeps unswept ones (up to a budget), then allocates a new span.
    pub fn cache_span(&self, h: &MHeap) -> *mut MSpan {
        let sg = h.sweepgen.load(Relaxed);
        let mut s = self.partial_swept(sg).pop();
        if s.is_null() {
            s = self.sweep_for_free_span(h, sg);
        }
        if s.is_null() {
            s = self.grow(h);
            if s.is_null() {
                return s;
            }
        }
        // SAFETY: the span is ours: popped from a set or fresh from the heap.
        let span = unsafe { &mut *s };
        if span.nelems == span.alloc_count as usize || span.freeindex == span.nelems {
            throw("span has no free objects");
        }
        let free_byte_base = span.freeindex & !63;
        span.refill_alloc_cache(free_byte_base / 8);
        span.alloc_cache >>= span.freeindex % 64;
        s
    }

    /// Sweeps unswept spans of this class until one has free slots (the middle of gc's
    /// cacheSpan); full ones it meets go to the full swept set.
    fn sweep_for_free_span(&self, h: &MHeap, sg: u32) -> *mut MSpan {
        let sl = SweepLocker::new(h);
        let mut budget = SPAN_BUDGET as isize;
        while budget >= 0 {
            let s = self.partial_unswept(sg).pop();
            if s.is_null() {
                break;
            }
            // SAFETY: `s` came from a span set; acquiring its sweepgen makes it ours.
            if unsafe { sl.try_acquire(s) } {
                // SAFETY: as above.
                unsafe { crate::mgcsweep::sweep(h, s, true) };
                return s;
            }
            budget -= 1;
        }
        while budget >= 0 {
            let s = self.full_unswept(sg).pop();
            if s.is_null() {
                break;
            }
            // SAFETY: as above.
            if unsafe { sl.try_acquire(s) } {
                // SAFETY: as above.
                unsafe {
                    crate::mgcsweep::sweep(h, s, true);
                    let free_index = (*s).next_free_index();
                    if free_index != (*s).nelems {
                        (*s).freeindex = free_index;
                        return s;
                    }
                }
                self.full_swept(sg).push(s);
            }
            budget -= 1;
        }
        core::ptr::null_mut()
    }

    /// Takes back a span from an mcache (gc's uncacheSpan). A span cached before the current
    /// sweep cycle began (sweepgen sg+1) is swept now; others go to the swept sets.
    ///
    /// # Safety
    /// `s` must be a span of this class that the caller's mcache gives up.
    pub unsafe fn uncache_span(&self, h: &MHeap, s: *mut MSpan) {
        let span = &*s;
        if span.alloc_count == 0 {
            throw("uncaching span but s.allocCount == 0");
        }
        let sg = h.sweepgen.load(Relaxed);
        let stale = span.sweepgen.load(Relaxed) == sg.wrapping_add(1);
        if stale {
            span.sweepgen.store(sg.wrapping_sub(1), Relaxed);
            // sweepgen sg-1 marks the span as being swept by us.
            crate::mgcsweep::sweep(h, s, false);
            return;
        }
        span.sweepgen.store(sg, Relaxed);
        if span.nelems > span.alloc_count as usize {
            self.partial_swept(sg).push(s);
        } else {
            self.full_swept(sg).push(s);
        }
    }

    /// A new span of this class from the heap (gc's grow).
    fn grow(&self, h: &MHeap) -> *mut MSpan {
        let sizeclass = self.spanclass.sizeclass() as usize;
        let npages = CLASS_TO_ALLOCNPAGES[sizeclass] as usize;
        let size = CLASS_TO_SIZE[sizeclass] as usize;
        let s = h.alloc(npages, self.spanclass);
        if s.is_null() {
            return s;
        }
        // SAFETY: a fresh span from the heap.
        unsafe {
            let n = (*s).divide_by_elem_size(npages << PAGE_SHIFT);
            (*s).limit = (*s).base() + size * n;
        }
        s
    }
}
