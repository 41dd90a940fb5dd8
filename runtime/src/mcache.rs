//! Per-P allocation caches (Go's mcache.go).
//!
//! An mcache holds one span per span class and the tiny block. Only its owner touches it
//! (in gc the P it belongs to; see `getmcache` in malloc.rs for how goclift finds it today),
//! so allocating from it takes no lock: `next_free_fast` (malloc.rs) finds a free slot in the
//! span's 64-bit alloc cache; `next_free` refills from the span's bitmap and, when the span
//! is full, `refill` swaps it for another from the class's MCentral.

use crate::mheap::{MHeap, MSpan, SpanClass, NUM_SPAN_CLASSES, TINY_SPAN_CLASS};
use crate::mstats::xadd;
use crate::panic::throw;
use crate::sizeclasses::{PAGE_SHIFT, PAGE_SIZE};
use core::sync::atomic::AtomicU32;
use core::sync::atomic::Ordering::{Relaxed, Release};

/// The span every empty mcache slot points to: no free slots, never written (gc's emptymspan).
static mut EMPTY_MSPAN: MSpan = MSpan::empty();

fn empty_mspan() -> *mut MSpan {
    &raw mut EMPTY_MSPAN
}

/// A P's allocation cache (gc's mcache).
#[repr(C)]
pub struct MCache {
    heap: &'static MHeap,
    /// Bytes of scannable objects allocated since the last flush (gc's scanAlloc), for the
    /// pacer.
    pub scan_alloc: usize,
    /// The current tiny block (0 if none) and the offset of its first free byte.
    pub tiny: usize,
    /// Offset of the first free byte of `tiny`.
    pub tinyoffset: usize,
    /// Allocations served from tiny blocks since the last flush.
    pub tiny_allocs: usize,
    /// The cached span of each span class.
    alloc: [*mut MSpan; NUM_SPAN_CLASSES],
    /// The sweepgen at which the cache was last flushed (gc's flushGen).
    pub flush_gen: AtomicU32,
}

// SAFETY: an mcache moves with its P between threads but is used by one thread at a time.
unsafe impl Send for MCache {}

impl MCache {
    /// An empty cache allocating from `heap`. Normally obtained with `MHeap::alloc_mcache`.
    pub fn new(heap: &'static MHeap) -> MCache {
        MCache {
            heap,
            scan_alloc: 0,
            tiny: 0,
            tinyoffset: 0,
            tiny_allocs: 0,
            alloc: [empty_mspan(); NUM_SPAN_CLASSES],
            flush_gen: AtomicU32::new(heap.sweepgen.load(Relaxed)),
        }
    }

    /// The heap this cache allocates from.
    pub fn heap(&self) -> &'static MHeap {
        self.heap
    }

    /// The cached span of `spc` (possibly the empty placeholder).
    #[inline]
    pub fn span(&self, spc: SpanClass) -> *mut MSpan {
        self.alloc[spc.0 as usize]
    }

    /// Allocates a slot of `spc` from the cached span, refilling it if it is full (gc's
    /// nextFree). Returns the slot, its span, and whether a span was replaced, in which case
    /// the caller should check whether a collection is due.
    pub fn next_free(&mut self, spc: SpanClass) -> (usize, *mut MSpan, bool) {
        let mut should_help_gc = false;
        let free_index = match self.next_free_index_of(spc) {
            Some(i) => i,
            None => {
                self.refill(spc);
                should_help_gc = true;
                self.next_free_index_of(spc)
                    .unwrap_or_else(|| throw("freeIndex is not valid"))
            }
        };
        let s = self.alloc[spc.0 as usize];
        // SAFETY: the cached span belongs to this mcache (and is not the empty placeholder).
        let span = unsafe { &mut *s };
        let v = free_index * span.elemsize + span.base();
        span.alloc_count += 1;
        if span.alloc_count as usize > span.nelems {
            throw("s.allocCount > s.nelems");
        }
        (v, s, should_help_gc)
    }

    /// The next free slot of the cached span of `spc`, or None if it is full. The shared
    /// empty placeholder counts as full and is never borrowed mutably.
    fn next_free_index_of(&mut self, spc: SpanClass) -> Option<usize> {
        let s = self.alloc[spc.0 as usize];
        if s == empty_mspan() {
            return None;
        }
        // SAFETY: the cached span belongs to this mcache.
        let span = unsafe { &mut *s };
        let i = span.next_free_index();
        if i == span.nelems {
            if span.alloc_count as usize != span.nelems {
                throw("s.allocCount != s.nelems && freeIndex == s.nelems");
            }
            return None;
        }
        Some(i)
    }

    /// Replaces the full span of `spc` with one that has free slots (gc's refill).
    pub fn refill(&mut self, spc: SpanClass) {
        let h = self.heap;
        let s = self.alloc[spc.0 as usize];
        if s != empty_mspan() {
            // SAFETY: the cached span belongs to this mcache.
            let span = unsafe { &mut *s };
            if span.alloc_count as usize != span.nelems {
                throw("refill of span with free space remaining");
            }
            if span.sweepgen.load(Relaxed) != h.sweepgen.load(Relaxed).wrapping_add(3) {
                throw("bad sweepgen in refill");
            }
            self.flush_span_stats(span, spc);
            if spc == TINY_SPAN_CLASS {
                xadd(&h.stats.tiny_alloc_count, self.tiny_allocs as i64);
                self.tiny_allocs = 0;
            }
            // SAFETY: the full span is ours to give back.
            unsafe { h.central[spc.0 as usize].uncache_span(h, s) };
        }
        let s = h.central[spc.0 as usize].cache_span(h);
        if s.is_null() {
            throw("out of memory");
        }
        // SAFETY: the span is ours now.
        let span = unsafe { &mut *s };
        if span.alloc_count as usize == span.nelems {
            throw("span has no free space");
        }
        // Cached and swept in this cycle.
        span.sweepgen
            .store(h.sweepgen.load(Relaxed).wrapping_add(3), Release);
        span.alloc_count_before_cache = span.alloc_count;
        // Count the whole span's free space as live now: it is about to be handed out without
        // further accounting (gc's gcController.update in refill).
        let used = span.alloc_count as usize * span.elemsize;
        xadd(&h.stats.heap_live, (span.npages * PAGE_SIZE - used) as i64);
        self.scan_alloc = 0;
        self.alloc[spc.0 as usize] = s;
    }

    /// Adds the allocations made from `span` while cached to the heap's counters.
    fn flush_span_stats(&self, span: &mut MSpan, spc: SpanClass) {
        let h = self.heap;
        let slots_used = span.alloc_count as i64 - span.alloc_count_before_cache as i64;
        xadd(
            &h.stats.small_alloc_count[spc.sizeclass() as usize],
            slots_used,
        );
        xadd(&h.stats.total_alloc, slots_used * span.elemsize as i64);
        span.alloc_count_before_cache = 0;
    }

    /// A span of its own for a large object of `size` bytes (gc's allocLarge). The span goes
    /// on the central full-swept list at once so that the sweeper sees it.
    pub fn alloc_large(&mut self, size: usize, noscan: bool) -> *mut MSpan {
        let h = self.heap;
        if size.checked_add(PAGE_SIZE).is_none() {
            throw("out of memory");
        }
        let npages = size.div_ceil(PAGE_SIZE);
        let spc = SpanClass::new(0, noscan);
        let s = h.alloc(npages, spc);
        if s.is_null() {
            throw("out of memory");
        }
        let bytes = (npages << PAGE_SHIFT) as i64;
        xadd(&h.stats.large_alloc, bytes);
        xadd(&h.stats.large_alloc_count, 1);
        xadd(&h.stats.total_alloc, bytes);
        xadd(&h.stats.heap_live, bytes);
        h.central[spc.0 as usize]
            .full_swept(h.sweepgen.load(Relaxed))
            .push(s);
        // SAFETY: a fresh span.
        unsafe { (*s).limit = (*s).base() + size };
        s
    }

    /// Returns every cached span to its MCentral and flushes the counters (gc's releaseAll),
    /// as ReadMemStats and the start of a collection need.
    pub fn release_all(&mut self) {
        let h = self.heap;
        let sg = h.sweepgen.load(Relaxed);
        let mut d_heap_live = 0i64;
        for i in 0..NUM_SPAN_CLASSES {
            let s = self.alloc[i];
            if s == empty_mspan() {
                continue;
            }
            // SAFETY: cached spans belong to this mcache.
            let span = unsafe { &mut *s };
            self.flush_span_stats(span, SpanClass(i as u8));
            if span.sweepgen.load(Relaxed) != sg.wrapping_add(1) {
                // refill counted the unallocated slots as live; undo that.
                d_heap_live -= ((span.nelems - span.alloc_count as usize) * span.elemsize) as i64;
            }
            // SAFETY: the span is ours to give back.
            unsafe { h.central[i].uncache_span(h, s) };
            self.alloc[i] = empty_mspan();
        }
        self.tiny = 0;
        self.tinyoffset = 0;
        xadd(&h.stats.tiny_alloc_count, self.tiny_allocs as i64);
        self.tiny_allocs = 0;
        self.scan_alloc = 0;
        xadd(&h.stats.heap_live, d_heap_live);
    }

    /// Flushes the cache if it has not been flushed since the current sweep cycle began
    /// (gc's prepareForSweep); called by each P at the start of sweeping.
    pub fn prepare_for_sweep(&mut self) {
        let sg = self.heap.sweepgen.load(Relaxed);
        let flush_gen = self.flush_gen.load(Relaxed);
        if flush_gen == sg {
            return;
        }
        if flush_gen != sg.wrapping_sub(2) {
            throw("bad flushGen");
        }
        self.release_all();
        self.flush_gen.store(sg, Release);
    }
}
