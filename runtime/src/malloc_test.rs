//! Tests of the allocator as a whole (Go's malloc_test.go): private heaps with their own
//! mcaches, so that exact statistics are not disturbed by other tests running in parallel.

use super::*;
use crate::mheap::{arena_index, MHeap, MSpan, SpanAllocType, MSPAN_DEAD, MSPAN_MANUAL};
use crate::mpallocbits::tests::Rng;
use crate::runtime2::{G, M, P};
use crate::sizeclasses::{roundupsize, CLASS_TO_NOBJS, NUM_SIZE_CLASSES};
use core::sync::atomic::Ordering::Relaxed;

/// A fresh heap of its own (leaked: heaps live for the whole process, as gc's does).
fn new_heap() -> &'static MHeap {
    let h: &'static MHeap = Box::leak(Box::new(MHeap::new()));
    h.init();
    h
}

#[allow(clippy::mut_from_ref)]
fn new_cache(h: &'static MHeap) -> &'static mut MCache {
    // SAFETY: a fresh mcache, used by one thread at a time.
    unsafe { &mut *h.alloc_mcache() }
}

fn alloc(c: &mut MCache, size: usize, noscan: bool) -> usize {
    // SAFETY: the test thread owns the cache.
    unsafe { mallocgc_cache(c, size, noscan, true) as usize }
}

fn bytes(p: usize, n: usize) -> &'static mut [u8] {
    // SAFETY: tests only call this on memory they allocated from a heap.
    unsafe { core::slice::from_raw_parts_mut(p as *mut u8, n) }
}

/// The largest power of two dividing `n`, capped at 8192 (a page).
fn natural_alignment(n: usize) -> usize {
    (1 << n.trailing_zeros()).min(PAGE_SIZE)
}

/// A "collection" without a collector: flushes the caches, marks the objects in `live`
/// (as the mark phase would), and sweeps every span.
fn collect(h: &MHeap, caches: &mut [&mut MCache], live: &[usize]) -> usize {
    for c in caches.iter_mut() {
        c.release_all();
    }
    for &p in live {
        let (_, s, idx) = h.find_object(p).expect("live object");
        // SAFETY: find_object returned an in-use span.
        unsafe { (*s).mark_bits_for_index(idx).set_marked() };
    }
    h.start_sweep_cycle();
    h.sweep_all()
}

/// Asserts that no two objects overlap.
fn assert_disjoint(objs: &mut [(usize, usize)]) {
    objs.sort();
    for w in objs.windows(2) {
        assert!(
            w[0].0 + w[0].1 <= w[1].0,
            "objects overlap: {:#x}+{} and {:#x}",
            w[0].0,
            w[0].1,
            w[1].0
        );
    }
}

#[test]
fn every_size_class_gives_aligned_zeroed_objects_of_the_right_size() {
    let h = new_heap();
    let c = new_cache(h);
    let mut objs = Vec::new();
    for class in 1..NUM_SIZE_CLASSES {
        let size = CLASS_TO_SIZE[class] as usize;
        let prev = CLASS_TO_SIZE[class - 1] as usize;
        for req in [prev + 1, size] {
            for noscan in [false, true] {
                // Enough objects to fill more than one span of the class.
                for _ in 0..CLASS_TO_NOBJS[class] as usize + 1 {
                    let p = alloc(c, req, noscan);
                    let (base, s, _) = h.find_object(p).expect("in the heap");
                    // SAFETY: an in-use span of this heap.
                    let span = unsafe { &*s };
                    if noscan && req < MAX_TINY_SIZE {
                        assert_eq!(base, p & !15, "tiny objects live in 16-byte blocks");
                        assert_eq!(span.spanclass, TINY_SPAN_CLASS);
                        assert_eq!(p % natural_alignment(req).min(8), 0, "alignment of {req}");
                    } else {
                        assert_eq!(base, p, "objects start at slot boundaries");
                        assert_eq!(span.elemsize, size, "request {req}");
                        assert_eq!(span.spanclass, SpanClass::new(class as u8, noscan));
                        assert_eq!(p % natural_alignment(size), 0, "alignment of {req}");
                    }
                    let b = bytes(p, req);
                    assert!(
                        b.iter().all(|&x| x == 0),
                        "fresh object of {req} not zeroed"
                    );
                    b.fill(class as u8);
                    objs.push((p, req, class as u8));
                }
            }
        }
    }
    for &(p, n, tag) in &objs {
        assert!(
            bytes(p, n).iter().all(|&x| x == tag),
            "object at {p:#x} was overwritten"
        );
    }
    let mut ranges: Vec<(usize, usize)> = objs.iter().map(|&(p, n, _)| (p, n)).collect();
    assert_disjoint(&mut ranges);
}

#[test]
fn random_mixed_sizes_keep_their_contents() {
    let h = new_heap();
    let c = new_cache(h);
    let mut rng = Rng(2024);
    let mut objs = Vec::new();
    for i in 0..40_000 {
        let size = match rng.below(100) {
            0 => 32769 + rng.below(200_000),
            1..=10 => 1 + rng.below(32768),
            11..=40 => 1 + rng.below(1024),
            _ => 1 + rng.below(64),
        };
        let noscan = rng.below(2) == 0;
        let p = alloc(c, size, noscan);
        assert!(
            bytes(p, size).iter().all(|&x| x == 0),
            "alloc {i} of {size} not zeroed"
        );
        let tag = (i % 251) as u8 + 1;
        bytes(p, size).fill(tag);
        objs.push((p, size, tag));
    }
    for &(p, n, tag) in &objs {
        assert!(bytes(p, n).iter().all(|&x| x == tag));
    }
    let mut ranges: Vec<(usize, usize)> = objs.iter().map(|&(p, n, _)| (p, n)).collect();
    assert_disjoint(&mut ranges);
}

#[test]
fn tiny_objects_share_16_byte_blocks_with_gcs_alignment() {
    let h = new_heap();
    let c = new_cache(h);
    // Sizes 1, 2, 4 and 8 fit one block: offsets 0, 2, 4, 8.
    let a = alloc(c, 1, true);
    let b = alloc(c, 2, true);
    let d = alloc(c, 4, true);
    let e = alloc(c, 8, true);
    assert_eq!(a % 16, 0);
    assert_eq!((b - a, d - a, e - a), (2, 4, 8));
    // A 12-byte object does not fit in what is left: a new block.
    let f = alloc(c, 12, true);
    assert_eq!(f % 16, 0);
    assert_ne!(f / 16, a / 16);
    // The new block has 4 bytes left, more than the old one's 0: it becomes current.
    let g = alloc(c, 3, true);
    assert_eq!(g, f + 12);
    for size in 1..MAX_TINY_SIZE {
        let p = alloc(c, size, true);
        assert_eq!(p % natural_alignment(size).min(8), 0, "size {size}");
        // SAFETY: allocated above.
        let s = unsafe { &*h.span_of_heap(p) };
        assert_eq!(s.spanclass, TINY_SPAN_CLASS);
    }
    // Objects with pointers never share blocks.
    let p = alloc(c, 8, false);
    // SAFETY: allocated above.
    assert_eq!(
        unsafe { (*h.span_of_heap(p)).spanclass },
        SpanClass::new(1, false)
    );
    c.release_all();
    let m = h.stats.read();
    // 6 + 15 tiny requests, of which the ones that opened a new block are counted as objects.
    assert_eq!(m.mallocs, 6 + 15 + 1);
    assert!(m.by_size[TINY_SIZE_CLASS as usize].1 >= 2);
}

#[test]
fn large_objects_get_spans_of_their_own() {
    let h = new_heap();
    let c = new_cache(h);
    for size in [MAX_SMALL_SIZE + 1, 64 << 10, (1 << 20) + 5, 100 << 20] {
        for noscan in [true, false] {
            let p = alloc(c, size, noscan);
            assert_eq!(p % PAGE_SIZE, 0);
            let s = h.span_of_heap(p);
            // SAFETY: an in-use span.
            let span = unsafe { &*s };
            assert_eq!(span.base(), p);
            assert_eq!(span.spanclass, SpanClass::new(0, noscan));
            assert_eq!(span.elemsize, roundupsize(size));
            assert_eq!(span.npages, size.div_ceil(PAGE_SIZE));
            assert_eq!(span.limit, p + size);
            assert_eq!(h.find_object(p + size - 1), Some((p, s, 0)));
            assert_eq!(h.find_object(p + size), None, "past the object's end");
            let b = bytes(p, size);
            assert!(b[..4096].iter().all(|&x| x == 0) && b[size - 4096..].iter().all(|&x| x == 0));
            b[0] = 1;
            b[size - 1] = 2;
        }
    }
    let m = h.stats.read();
    assert_eq!(m.mallocs, 8);
    let want: u64 = [MAX_SMALL_SIZE + 1, 64 << 10, (1 << 20) + 5, 100 << 20]
        .iter()
        .map(|&s| 2 * roundupsize(s) as u64)
        .sum();
    assert_eq!(m.total_alloc, want);
    assert_eq!(m.heap_alloc, want);
    assert!(m.heap_inuse >= want);
}

#[test]
fn span_of_and_find_object_map_interior_pointers_to_their_object() {
    let h = new_heap();
    let c = new_cache(h);
    for &size in &CLASS_TO_SIZE[1..] {
        let size = size as usize;
        let p = alloc(c, size, false);
        let s = h.span_of(p);
        assert!(!s.is_null());
        for off in [0, 1, size / 2, size - 1] {
            let (base, s2, idx) = h.find_object(p + off).unwrap();
            assert_eq!((base, s2), (p, s));
            // SAFETY: an in-use span.
            assert_eq!(base, unsafe { (*s).base() } + idx * size);
        }
        // SAFETY: as above.
        let span = unsafe { &*s };
        let tail = span.base() + span.npages * PAGE_SIZE - 1;
        if span.limit <= tail {
            assert_eq!(
                h.find_object(tail),
                None,
                "the span's tail waste is no object"
            );
        }
    }
    let local = 0u8;
    assert_eq!(
        h.find_object(&local as *const u8 as usize),
        None,
        "a stack address"
    );
    assert!(h.span_of(0).is_null());
    assert!(h.span_of(usize::MAX).is_null());
    assert!(h.span_of(0xffff_8000_0000_0000).is_null());
}

#[test]
fn heap_addresses_follow_gcs_arena_hints() {
    let h = new_heap();
    let c = new_cache(h);
    let p = alloc(c, 64, false);
    // Other tests' heaps may have taken the first hints, but every hint has the same low
    // bits: 0x00c0 << 32 on amd64, 0x0040 << 32 on arm64, stepping by 1 << 40.
    let tag = if cfg!(target_arch = "aarch64") {
        0x40
    } else {
        0xc0
    };
    assert_eq!((p >> 32) & 0xff, tag, "heap address {p:#x}");
    assert!(p >> 40 < 0x80, "heap address {p:#x} within the 128 hints");
    assert_eq!(
        p % HEAP_ARENA_BYTES,
        0,
        "the first object starts the first arena"
    );
    assert!(!h.arena(arena_index(p)).is_null());
}

#[test]
fn swept_objects_are_reused_and_zeroed_marked_ones_survive() {
    let h = new_heap();
    let c = new_cache(h);
    let objs: Vec<usize> = (0..2000).map(|_| alloc(c, 48, false)).collect();
    for (i, &p) in objs.iter().enumerate() {
        bytes(p, 48).fill(i as u8 | 1);
    }
    // Keep every third object.
    let live: Vec<usize> = objs.iter().copied().step_by(3).collect();
    let dead: std::collections::HashSet<usize> =
        objs.iter().copied().filter(|p| !live.contains(p)).collect();
    collect(h, &mut [c], &live);
    for (i, &p) in objs.iter().enumerate().step_by(3) {
        assert!(
            bytes(p, 48).iter().all(|&x| x == i as u8 | 1),
            "live object changed"
        );
    }
    let mut reused = 0;
    for _ in 0..dead.len() {
        let p = alloc(c, 48, false);
        assert!(!live.contains(&p), "a live object's slot was handed out");
        assert!(
            bytes(p, 48).iter().all(|&x| x == 0),
            "reused slot not zeroed"
        );
        reused += dead.contains(&p) as usize;
    }
    assert_eq!(
        reused,
        dead.len(),
        "freed slots are reused before new spans"
    );
    c.release_all();
    let m = h.stats.read();
    assert_eq!(m.mallocs, 2000 + dead.len() as u64);
    assert_eq!(m.frees, dead.len() as u64);
    assert_eq!(m.heap_alloc, 2000 * 48);
}

#[test]
fn allocation_sweeps_unswept_spans_on_demand() {
    let h = new_heap();
    let c = new_cache(h);
    // 16 full spans of 64 objects, so that every span is on a full list.
    let objs: Vec<usize> = (0..1024).map(|_| alloc(c, 128, false)).collect();
    for &p in &objs {
        bytes(p, 128).fill(0xcc);
    }
    c.release_all();
    // Mark the even objects, begin a cycle, and do not sweep: the allocator must sweep the
    // spans it takes (cache_span), full ones included.
    for &p in objs.iter().step_by(2) {
        let (_, s, i) = h.find_object(p).unwrap();
        // SAFETY: an in-use span.
        unsafe { (*s).mark_bits_for_index(i).set_marked() };
    }
    h.start_sweep_cycle();
    let odd: std::collections::HashSet<usize> = objs.iter().copied().skip(1).step_by(2).collect();
    for _ in 0..odd.len() {
        let p = alloc(c, 128, false);
        assert!(odd.contains(&p), "{p:#x} is not a freed slot");
        assert!(bytes(p, 128).iter().all(|&x| x == 0));
    }
    for &p in objs.iter().step_by(2) {
        assert_eq!(bytes(p, 128)[0], 0xcc, "marked objects survive");
    }
    assert_eq!(
        h.sweep_all(),
        0,
        "every span was swept on demand and none was empty"
    );
    c.release_all();
    let m = h.stats.read();
    assert_eq!((m.mallocs, m.frees, m.heap_objects), (1536, 512, 1024));
}

#[test]
fn needzero_false_skips_clearing_but_fresh_memory_is_zero() {
    let h = new_heap();
    let c = new_cache(h);
    // SAFETY: the test thread owns the cache.
    let p = unsafe { mallocgc_cache(c, 256, true, false) } as usize;
    assert!(
        bytes(p, 256).iter().all(|&x| x == 0),
        "fresh pages come zeroed from the OS"
    );
    bytes(p, 256).fill(0xee);
    collect(h, &mut [c], &[]);
    // SAFETY: as above.
    let q = unsafe { mallocgc_cache(c, 256, true, false) } as usize;
    assert_eq!(q, p, "the freed span's pages are reused");
    assert_eq!(
        bytes(q, 256)[0],
        0xee,
        "not cleared when the caller does not need it"
    );
    collect(h, &mut [c], &[]);
    let r = alloc(c, 256, true);
    assert_eq!(r, p);
    assert!(
        bytes(r, 256).iter().all(|&x| x == 0),
        "cleared when needzero"
    );
}

#[test]
fn empty_spans_go_back_to_the_heap_and_their_pages_are_reused() {
    let h = new_heap();
    let c = new_cache(h);
    let small: Vec<usize> = (0..10_000).map(|_| alloc(c, 1024, true)).collect();
    let big = alloc(c, 10 << 20, false);
    c.release_all();
    let before = h.stats.read();
    assert_eq!(before.heap_alloc, 10_000 * 1024 + (10 << 20));
    let freed_pages = collect(h, &mut [c], &small[..1]);
    let after = h.stats.read();
    assert_eq!(after.heap_alloc, 1024, "only the live object is left");
    assert_eq!(after.frees, 10_000);
    // 10_000 objects at 8 per page: 1250 pages, one of which keeps the live object.
    assert_eq!(freed_pages, 1249 + (10 << 20) / PAGE_SIZE);
    assert_eq!(
        before.heap_inuse - after.heap_inuse,
        (freed_pages * PAGE_SIZE) as u64
    );
    assert_eq!(after.heap_sys, before.heap_sys, "freed pages stay mapped");
    assert!(h.find_object(big).is_none(), "the large object is gone");
    // SAFETY: span_of returns the (dead) span that held it.
    assert_eq!(unsafe { (*h.span_of(big)).state() }, MSPAN_DEAD);
    // The lowest free pages are reused first: the large object's pages come back.
    let again = alloc(c, 10 << 20, true);
    assert!(again <= big, "{again:#x} > {big:#x}");
    assert_eq!(h.stats.read().heap_sys, before.heap_sys, "no growth needed");
}

#[test]
fn stats_balance_after_a_workload() {
    let h = new_heap();
    let c = new_cache(h);
    let mut rng = Rng(99);
    let mut live = Vec::new();
    let mut want_alloc = 0u64;
    let mut count = 0u64;
    for _ in 0..20_000 {
        let size = if rng.below(50) == 0 {
            40_000 + rng.below(100_000)
        } else {
            16 + rng.below(3000)
        };
        let p = alloc(c, size, rng.below(2) == 0);
        want_alloc += roundupsize(size) as u64;
        count += 1;
        if rng.below(4) == 0 {
            live.push(p);
        }
    }
    c.release_all();
    let m = h.stats.read();
    assert_eq!((m.mallocs, m.frees, m.total_alloc), (count, 0, want_alloc));
    assert_eq!(m.heap_sys, m.heap_inuse + m.heap_idle);
    assert!(m.heap_inuse >= m.heap_alloc);
    collect(h, &mut [c], &live);
    let m2 = h.stats.read();
    let live_bytes: u64 = live
        .iter()
        // SAFETY: live objects' spans are in use.
        .map(|&p| unsafe { (*h.span_of_heap(p)).elemsize } as u64)
        .sum();
    assert_eq!(m2.heap_alloc, live_bytes);
    assert_eq!(m2.heap_objects, live.len() as u64);
    assert_eq!(m2.mallocs - m2.frees, live.len() as u64);
    assert_eq!(m2.heap_sys, m.heap_sys);
    // gc's running totals agree with the per-class counts (readmemstats_m checks the same).
    assert_eq!(h.stats.total_alloc.load(Relaxed), m2.total_alloc);
    assert_eq!(
        h.stats.total_alloc.load(Relaxed) - h.stats.total_free.load(Relaxed),
        m2.heap_alloc
    );
    // heap_live counts allocated bytes plus the tail waste of spans that were cached, as
    // gc's heapLive does.
    let live = h.stats.heap_live.load(Relaxed);
    assert!(
        live >= m.heap_alloc && live <= m.heap_inuse,
        "heap_live {live}"
    );
}

#[test]
fn scavenger_releases_free_pages_highest_first_and_reuse_recommits_them() {
    let h = new_heap();
    let c = new_cache(h);
    let objs: Vec<usize> = (0..8).map(|_| alloc(c, 4 << 20, true)).collect();
    for &p in &objs {
        bytes(p, 4 << 20).fill(0x5a);
    }
    let m0 = h.stats.read();
    assert_eq!(
        h.scavenge_all(),
        m0.heap_idle as usize - m0.heap_released as usize
    );
    let released0 = h.stats.read().heap_released;
    // Free the upper half; scavenging a little takes the highest pages first.
    collect(h, &mut [c], &objs[..4]);
    let top = objs[7] + (4 << 20) - PAGE_SIZE;
    let n = h.scavenge(PAGE_SIZE);
    assert!(n >= PAGE_SIZE && n.is_multiple_of(crate::os_linux::phys_page_size()));
    assert_eq!(
        bytes(top, PAGE_SIZE)[0],
        0,
        "DONTNEED pages read back as zeros"
    );
    assert_eq!(
        bytes(objs[4], 1)[0],
        0x5a,
        "lower free pages not yet released"
    );
    let released = h.scavenge_all();
    let m1 = h.stats.read();
    assert_eq!(n + released, 4 * (4 << 20));
    assert_eq!(m1.heap_released, released0 + 4 * (4 << 20));
    assert_eq!(m1.heap_sys, m0.heap_sys);
    assert_eq!(bytes(objs[4], 1)[0], 0);
    assert_eq!(h.scavenge_all(), 0, "nothing left");
    // Reusing released pages counts them as unreleased again, and they read as zeros.
    let p = alloc(c, 8 << 20, true);
    assert!(bytes(p, 8 << 20).iter().step_by(4096).all(|&x| x == 0));
    assert_eq!(h.stats.read().heap_released, m1.heap_released - (8 << 20));
    // scavenge_to_goal stops once retained memory is under the goal.
    let retained = h.heap_retained();
    assert_eq!(h.scavenge_to_goal(retained), 0);
}

#[test]
fn scavenge_goal_limits_retained_memory_when_the_heap_grows() {
    let h = new_heap();
    let c = new_cache(h);
    let a = alloc(c, 32 << 20, true);
    let b = alloc(c, 4 << 20, true);
    assert_eq!(b, a + (32 << 20));
    collect(h, &mut [c], &[b]);
    assert_eq!(h.heap_retained(), 36 << 20, "freed pages stay retained");
    h.scavenge_goal.store(40 << 20, Relaxed);
    // 36 MiB do not fit in a's 32 MiB hole: the heap grows by 36 MiB, and the scavenger
    // releases the hole to stay under the goal.
    let c2 = alloc(c, 36 << 20, true);
    assert_eq!(c2, b + (4 << 20));
    assert_eq!(h.heap_retained(), 40 << 20);
    assert_eq!(h.stats.read().heap_released, 32 << 20);
    assert_eq!(bytes(a, 1)[0], 0);
}

#[test]
fn manual_spans_for_stacks() {
    let h = new_heap();
    let s = h.alloc_manual(4, SpanAllocType::Stack);
    // SAFETY: a fresh manual span.
    let span = unsafe { &*s };
    assert_eq!(span.state(), MSPAN_MANUAL);
    assert_eq!(span.npages, 4);
    assert_eq!(h.span_of(span.base() + 3 * PAGE_SIZE), s);
    assert!(
        h.span_of_heap(span.base()).is_null(),
        "stacks are not heap objects"
    );
    assert_eq!(h.stats.read().stack_inuse, 4 * PAGE_SIZE as u64);
    bytes(span.base(), 4 * PAGE_SIZE).fill(1);
    // SAFETY: the span is ours and unused from here on.
    unsafe { h.free_manual(s, SpanAllocType::Stack) };
    assert_eq!(h.stats.read().stack_inuse, 0);
    let s2 = h.alloc_manual(4, SpanAllocType::Stack);
    // SAFETY: a fresh manual span.
    let span2 = unsafe { &*s2 };
    assert_eq!(
        span2.needzero, 1,
        "reused stack memory must be cleared by its user"
    );
}

#[test]
fn threads_with_their_own_mcaches_allocate_concurrently() {
    let h = new_heap();
    const THREADS: usize = 4;
    let workers: Vec<_> = (0..THREADS)
        .map(|t| {
            std::thread::spawn(move || {
                let c = new_cache(h);
                let mut rng = Rng(1 + t as u64);
                let mut objs = Vec::new();
                for i in 0..30_000 {
                    let size = if i % 500 == 0 {
                        50_000
                    } else {
                        1 + rng.below(2048)
                    };
                    let p = alloc(c, size, i % 3 == 0);
                    assert!(bytes(p, size).iter().all(|&x| x == 0));
                    bytes(p, size).fill(t as u8 + 1);
                    objs.push((p, size));
                }
                for &(p, n) in &objs {
                    assert!(
                        bytes(p, n).iter().all(|&x| x == t as u8 + 1),
                        "another thread wrote here"
                    );
                }
                c.release_all();
                objs
            })
        })
        .collect();
    let mut all: Vec<(usize, usize)> = workers
        .into_iter()
        .flat_map(|w| w.join().unwrap())
        .collect();
    assert_eq!(all.len(), THREADS * 30_000);
    assert_disjoint(&mut all);
    assert_eq!(h.stats.read().mallocs, (THREADS * 30_000) as u64);
}

#[test]
fn concurrent_allocation_and_sweeping_threads_share_central_lists() {
    let h = new_heap();
    let mut caches: Vec<&'static mut MCache> = (0..3).map(|_| new_cache(h)).collect();
    for round in 0..5 {
        let results: Vec<Vec<usize>> = std::thread::scope(|scope| {
            let handles: Vec<_> = caches
                .iter_mut()
                .map(|c| {
                    scope.spawn(move || {
                        (0..5000)
                            .map(|i| alloc(c, 16 + (i % 7) * 40, false))
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let live: Vec<usize> = results.iter().flatten().copied().step_by(2).collect();
        let mut refs: Vec<&mut MCache> = caches.iter_mut().map(|c| &mut **c).collect();
        collect(h, &mut refs, &live);
        let m = h.stats.read();
        assert_eq!(m.heap_objects, live.len() as u64, "round {round}");
        // The next round starts from nothing live.
        collect(h, &mut refs, &[]);
        assert_eq!(h.stats.read().heap_alloc, 0);
    }
}

#[test]
fn go_entry_points_find_the_mcache_through_g_m_p() {
    let h = new_heap();
    let mut p = P {
        mcache: h.alloc_mcache(),
        ..P::zeroed()
    };
    let mut m = M {
        p: &mut p,
        ..M::zeroed()
    };
    let mut g = G {
        m: &mut m,
        ..G::default()
    };
    let pointerful = Type {
        size: 24,
        ptrdata: 8,
        hash: 0,
        tflag: 0,
        align: 8,
        field_align: 8,
        kind: 25,
        equal: None,
        gcdata: core::ptr::null(),
        str_: 0,
        ptr_to_this: 0,
    };
    let pointer_free = Type {
        ptrdata: 0,
        ..pointerful
    };
    // SAFETY: g, m and p are live; the types are valid descriptors.
    unsafe {
        let a = mallocgc_from_go(100, core::ptr::null(), 0x101, &mut g) as usize;
        let b = mallocgc_from_go(100, &pointerful, 1, &mut g) as usize;
        let c = newobject_from_go(&pointer_free, &mut g) as usize;
        let d = newobject_from_go(&pointerful, &mut g) as usize;
        let e = mallocgc_untyped_from_go(24, 0, 1, &mut g) as usize;
        let z = mallocgc_from_go(0, core::ptr::null(), 1, &mut g) as usize;
        let class = |x: usize| (*h.span_of_heap(x)).spanclass;
        assert_eq!(
            class(a),
            SpanClass::new(size_to_class(100), true),
            "nil type: noscan"
        );
        assert_eq!(class(b), SpanClass::new(size_to_class(100), false));
        assert_eq!(class(c), SpanClass::new(size_to_class(24), true));
        assert_eq!(class(d), SpanClass::new(size_to_class(24), false));
        assert_eq!(class(e), SpanClass::new(size_to_class(24), false));
        assert_eq!(
            z, &raw const ZEROBASE as usize,
            "zero-size objects share zerobase"
        );
    }
    assert_eq!(m.mallocing, 0);
}

#[test]
#[should_panic(expected = "malloc deadlock")]
fn reentrant_malloc_throws() {
    let h = new_heap();
    let mut p = P {
        mcache: h.alloc_mcache(),
        ..P::zeroed()
    };
    let mut m = M {
        p: &mut p,
        mallocing: 1,
        ..M::zeroed()
    };
    // SAFETY: m and p are live.
    unsafe { mallocgc(8, core::ptr::null(), true, &mut m) };
}

#[test]
fn persistentalloc_aligns_and_counts() {
    let stat = Box::leak(Box::new(crate::mstats::SysMemStat::new()));
    let a = persistentalloc(10, 0, stat) as usize;
    let b = persistentalloc(100, 64, stat) as usize;
    let big = persistentalloc(1 << 20, 0, stat) as usize;
    assert_eq!(a % 8, 0);
    assert_eq!(b % 64, 0);
    assert_ne!(a, b);
    assert_eq!(big % 4096, 0);
    assert_eq!(stat.load(), 10 + 100 + (1 << 20));
    assert!(bytes(big, 1 << 20).iter().all(|&x| x == 0));
}

/// Allocation throughput: `cargo test --release -p goclift-runtime -- --ignored --nocapture
/// alloc_throughput`. Each size runs on a fresh heap through the exported entry's path
/// (g -> m -> p -> mcache), in 64 MiB batches with everything swept (untimed) in between.
/// "fresh": the first batch, on new pages that need no zeroing and are never touched here;
/// "first reuse": the second batch, which zeroes recycled memory and so takes the page
/// faults; "steady": the median of the later batches, the state of a program whose
/// collector keeps the heap size constant.
#[test]
#[ignore]
fn alloc_throughput() {
    for (size, typed) in [
        (8, false),
        (16, false),
        (16, true),
        (64, true),
        (1024, true),
        (64 << 10, true),
    ] {
        let h = new_heap();
        let mut p = P {
            mcache: h.alloc_mcache(),
            ..P::zeroed()
        };
        let mut m = M {
            p: &mut p,
            ..M::zeroed()
        };
        let mut g = G {
            m: &mut m,
            ..G::default()
        };
        let ty = Type {
            size,
            ptrdata: 8,
            hash: 0,
            tflag: 0,
            align: 8,
            field_align: 8,
            kind: 25,
            equal: None,
            gcdata: core::ptr::null(),
            str_: 0,
            ptr_to_this: 0,
        };
        let typ: *const Type = if typed { &ty } else { core::ptr::null() };
        let per_batch = ((64 << 20) / size).min(1 << 20);
        let batches = 11;
        let mut times = Vec::new();
        for _ in 0..batches {
            let start = std::time::Instant::now();
            for _ in 0..per_batch {
                // SAFETY: g, m and p are live and owned by this thread.
                core::hint::black_box(unsafe { mallocgc_from_go(size, typ, 1, &mut g) });
            }
            times.push(start.elapsed().as_nanos() as f64 / per_batch as f64);
            // SAFETY: as above.
            collect(h, &mut [unsafe { &mut *p.mcache }], &[]);
        }
        let mut steady = times[2..].to_vec();
        steady.sort_by(f64::total_cmp);
        println!(
            "mallocgc {size:>6} B {}: fresh {:8.1}, first reuse {:8.1}, steady {:8.1} ns/alloc",
            if typed { "scan  " } else { "noscan" },
            times[0],
            times[1],
            steady[steady.len() / 2]
        );
    }
}

#[test]
fn a_freed_span_is_dead_and_not_found() {
    let h = new_heap();
    let c = new_cache(h);
    let p = alloc(c, 100_000, true);
    let s: *mut MSpan = h.span_of_heap(p);
    assert!(!s.is_null());
    collect(h, &mut [c], &[]);
    assert!(h.span_of_heap(p).is_null());
    assert!(h.find_object(p + 10).is_none());
}
