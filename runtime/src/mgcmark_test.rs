//! Tests of marking and collection on private heaps: objects typed by hand-made descriptors,
//! roots given explicitly (the stopped-world root scan of executables is covered by the
//! testdata/gc_*.go programs).

use super::*;
use crate::malloc::mallocgc_cache_typed;
use crate::mcache::MCache;
use crate::r#type::Type;

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

/// A descriptor of `words` words whose pointer words are those set in `bitmap`.
fn ty(words: usize, bitmap: &'static [u8]) -> &'static Type {
    let mut ptrwords = 0;
    for w in 0..words {
        if bitmap[w / 8] >> (w % 8) & 1 != 0 {
            ptrwords = w + 1;
        }
    }
    Box::leak(Box::new(Type {
        size: words * 8,
        ptrdata: ptrwords * 8,
        hash: 0,
        tflag: 0,
        align: 8,
        field_align: 8,
        kind: 25,
        equal: None,
        gcdata: bitmap.as_ptr(),
        str_: 0,
        ptr_to_this: 0,
    }))
}

fn new(c: &mut MCache, t: &Type, n: usize) -> *mut usize {
    // SAFETY: the test thread owns the cache; t is a valid descriptor.
    unsafe { mallocgc_cache_typed(c, t.size * n, t, t.noscan(), true) as *mut usize }
}

/// Marks from `roots` (scanned conservatively), flushes `c` and sweeps: one collection.
fn collect(h: &'static MHeap, c: &mut MCache, roots: &[usize]) -> Marker {
    c.release_all();
    let mut m = Marker::new(h);
    let r = roots.as_ptr() as usize;
    // SAFETY: the slice is readable.
    unsafe { m.scan_conservative(r, r + roots.len() * 8) };
    m.drain();
    h.start_sweep_cycle();
    h.next_mark_bit_arena_epoch();
    h.sweep_all();
    m
}

fn is_allocated(h: &MHeap, p: usize) -> bool {
    let s = h.span_of_heap(p);
    // SAFETY: an in-use span containing p.
    !s.is_null() && unsafe { !(*s).is_free((*s).obj_index(p)) }
}

#[test]
fn reachable_objects_survive_and_unreachable_ones_are_freed() {
    let h = new_heap();
    let c = new_cache(h);
    // type node struct { left, right *node; val int }
    let node = ty(3, &[0b011]);
    unsafe {
        let root = new(c, node, 1);
        let l = new(c, node, 1);
        let r = new(c, node, 1);
        let garbage = new(c, node, 1);
        *root = l as usize;
        *root.add(1) = r as usize;
        // A scalar word that looks like a pointer must not keep anything alive.
        *l.add(2) = garbage as usize;
        let m = collect(h, c, &[root as usize]);
        assert!(is_allocated(h, root as usize));
        assert!(is_allocated(h, l as usize));
        assert!(is_allocated(h, r as usize));
        assert!(!is_allocated(h, garbage as usize), "scalar word kept an object alive");
        assert_eq!(m.bytes_marked, 3 * 24, "three 24-byte objects");
    }
}

#[test]
fn interior_pointers_and_arrays_of_structs_are_followed() {
    let h = new_heap();
    let c = new_cache(h);
    // type pair struct { n int; p *int }; an array of 100 of them.
    let pair = ty(2, &[0b10]);
    let int = ty(1, &[0]);
    unsafe {
        let arr = new(c, pair, 100);
        let mut targets = Vec::new();
        for i in 0..100 {
            let t = new(c, pair, 1);
            *arr.add(2 * i + 1) = t as usize;
            *arr.add(2 * i) = new(c, int, 1) as usize; // scalar slot
            targets.push(t as usize);
        }
        // Only an interior pointer to the array's last element is a root.
        collect(h, c, &[arr.add(199) as usize]);
        assert!(is_allocated(h, arr as usize));
        for t in targets {
            assert!(is_allocated(h, t));
        }
    }
}

#[test]
fn large_pointer_arrays_and_deep_lists_are_marked() {
    let h = new_heap();
    let c = new_cache(h);
    let ptr = ty(1, &[1]);
    let node = ty(2, &[0b01]);
    unsafe {
        // A 1 MiB []*node spanning many pages.
        let n = 1 << 17;
        let big = new(c, ptr, n);
        // A 100000-long list hanging off its last element (no recursion in marking).
        let mut head = 0usize;
        let mut all = Vec::new();
        for _ in 0..100_000 {
            let x = new(c, node, 1);
            *x = head;
            head = x as usize;
            all.push(head);
        }
        *big.add(n - 1) = head;
        let lost = new(c, node, 1) as usize;
        collect(h, c, &[big as usize]);
        assert!(all.iter().all(|&p| is_allocated(h, p)));
        assert!(!is_allocated(h, lost));
    }
}

#[test]
fn repeated_collections_reuse_memory_with_a_bounded_heap() {
    let h = new_heap();
    let c = new_cache(h);
    let node = ty(2, &[0b11]);
    let mut live = [0usize; 16];
    for round in 0..50 {
        for i in 0..20_000 {
            let x = new(c, node, 1);
            // Keep a rotating handful, drop the rest.
            if i % 1250 == 0 {
                live[(i / 1250) % 16] = x as usize;
            }
        }
        let m = collect(h, c, &live);
        assert!(m.bytes_marked < 64 * 32, "round {round}: {} bytes live", m.bytes_marked);
        for &p in &live {
            assert!(p == 0 || is_allocated(h, p));
        }
    }
    // 50 rounds of 20000 32-byte objects were allocated; the heap stays a round's worth.
    let in_use = h.stats.heap_in_use.load(core::sync::atomic::Ordering::Relaxed);
    assert!(in_use < 4 << 20, "heap in use {in_use}");
}

#[test]
fn untyped_objects_are_scanned_conservatively() {
    let h = new_heap();
    let c = new_cache(h);
    let int = ty(1, &[0]);
    unsafe {
        let holder = mallocgc_cache_typed(c, 48, core::ptr::null(), false, true) as *mut usize;
        let target = new(c, int, 1);
        *holder.add(5) = target as usize + 3; // an interior, unaligned target
        collect(h, c, &[holder as usize]);
        assert!(is_allocated(h, target as usize));
    }
}

#[test]
fn concurrent_markers_share_the_global_list_and_mark_everything_once() {
    let h = new_heap();
    let c = new_cache(h);
    // type node struct { next, other *node; val int }: a list, each node also pointing
    // at a node far ahead, so that markers race for the same objects.
    let node = ty(3, &[0b011]);
    const N: usize = 20000;
    let nodes: Vec<usize> = (0..N).map(|_| new(c, node, 1) as usize).collect();
    unsafe {
        for i in 0..N {
            let p = nodes[i] as *mut usize;
            *p = if i + 1 < N { nodes[i + 1] } else { 0 };
            *p.add(1) = nodes[(i * 7919) % N];
            *p.add(2) = i;
        }
    }
    c.release_all();
    let mut m = Marker::new_concurrent(h);
    m.grey(nodes[0]);
    m.grey(nodes[N / 2]);
    m.publish();
    let total: u64 = std::thread::scope(|s| {
        let workers: Vec<_> = (0..3)
            .map(|_| {
                s.spawn(move || {
                    let mut m = Marker::new_concurrent(h);
                    // Small budgets: markers publish and refill many times.
                    while !m.drain_budget(4096) {}
                })
            })
            .collect();
        for w in workers {
            w.join().unwrap();
        }
        MARKED_CONCURRENT.swap(0, Relaxed)
    });
    assert!(Marker::global_empty());
    for &p in &nodes {
        assert_eq!(m.is_marked(p), Some(true));
    }
    // Every object was counted exactly once, by whichever marker set its bit.
    assert_eq!(total, (N * 24) as u64);
}
