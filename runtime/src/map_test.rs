//! Map tests: randomized operations against std's HashMap, growth (doubling and same-size)
//! with iterators running, NaN and ±0 keys, indirect keys and elements, the fast variants,
//! iteration order randomness, and gc's panics.

use super::*;
use crate::alg::{
    f64equal, f64hash, memequal64, memhash, nilinterequal_entry, nilinterhash_entry, strequal,
};
use crate::mheap::MHeap;
use crate::r#type::tests::{basic, empty_interface, header, map_of};
use crate::r#type::{
    EqualFn, KIND_ARRAY, KIND_FLOAT64, KIND_INT64, KIND_STRING, TFLAG_REGULAR_MEMORY,
};
use crate::runtime2::P;
use std::collections::{HashMap, HashSet};

/// The heap of the map tests (one for all: each test gets its own mcache of it).
fn heap() -> &'static MHeap {
    static HEAP: std::sync::OnceLock<&'static MHeap> = std::sync::OnceLock::new();
    HEAP.get_or_init(|| {
        let h: &'static MHeap = Box::leak(Box::new(MHeap::new()));
        h.init();
        h
    })
}

/// A goroutine context for map calls: a G whose M owns a P with its own mcache of the tests'
/// heap. stackguard0 = 0, so entry stubs called through descriptors never ask for more stack.
fn ctx() -> *mut G {
    let h = heap();
    let p = Box::leak(Box::new(P {
        mcache: h.alloc_mcache(),
        ..P::zeroed()
    }));
    let m = Box::leak(Box::new(M { p, ..M::zeroed() }));
    m.fastrand = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1;
    Box::leak(Box::new(G { m, ..G::zeroed() }))
}

fn int64_type() -> &'static Type {
    let mut t = header(8, 8, KIND_INT64, 0, Some(memequal64), "int64");
    t.tflag |= TFLAG_REGULAR_MEMORY;
    basic(t)
}

fn string_type() -> &'static Type {
    basic(header(16, 8, KIND_STRING, 8, Some(strequal), "string"))
}

fn float64_type() -> &'static Type {
    basic(header(8, 8, KIND_FLOAT64, 0, Some(f64equal), "float64"))
}

/// `[n]byte`, compared and hashed as memory (the compiler would emit such functions).
fn bytes_type(n: usize, eq: EqualFn) -> &'static Type {
    let mut t = header(n, 1, KIND_ARRAY, 0, Some(eq), "[n]uint8");
    t.tflag |= TFLAG_REGULAR_MEMORY;
    basic(t)
}

unsafe extern "C" fn eq200(p: *const u8, q: *const u8) -> bool {
    crate::alg::memequal(p, q, 200)
}

unsafe extern "C" fn hash200(p: *const u8, h: usize) -> usize {
    memhash(p, h, 200)
}

unsafe extern "C" fn int64hash(p: *const u8, h: usize) -> usize {
    crate::alg::memhash64(p, h)
}

/// A clustering hash: keys 64k..64k+63 share a bucket (the low bits are k), with varied
/// tophash, so each group of 64 keys makes its own chain of overflow buckets.
unsafe extern "C" fn colliding_hash(p: *const u8, _h: usize) -> usize {
    let k = *(p as *const u64);
    ((k >> 6) | (k.wrapping_mul(0x9e37_79b9_7f4a_7c15) & 0xff00_0000_0000_0000)) as usize
}

unsafe extern "C" fn str_hash(p: *const u8, h: usize) -> usize {
    crate::alg::strhash(p, h)
}

/// Typed helpers over the raw map functions for K, V: Copy.
struct Map<K, V> {
    t: &'static MapType,
    h: *mut HMap,
    g: *mut G,
    _kv: core::marker::PhantomData<(K, V)>,
}

impl<K: Copy, V: Copy> Map<K, V> {
    fn new(t: &'static MapType, hint: isize, g: *mut G) -> Self {
        let h = unsafe { makemap(t, hint, null_mut(), g) };
        Map {
            t,
            h,
            g,
            _kv: core::marker::PhantomData,
        }
    }
    fn set(&self, k: K, v: V) {
        unsafe { *(mapassign(self.t, self.h, &k as *const K as *const u8, self.g) as *mut V) = v };
    }
    fn get(&self, k: K) -> Option<V> {
        let (p, ok) = unsafe { mapaccess2(self.t, self.h, &k as *const K as *const u8, self.g) };
        ok.then(|| unsafe { *(p as *const V) })
    }
    fn del(&self, k: K) {
        unsafe { mapdelete(self.t, self.h, &k as *const K as *const u8, self.g) };
    }
    fn len(&self) -> usize {
        unsafe { (*self.h).count as usize }
    }
    fn entries(&self) -> Vec<(K, V)> {
        let mut it: HIter = unsafe { core::mem::zeroed() };
        let mut out = Vec::new();
        unsafe {
            mapiterinit(self.t, self.h, &mut it, self.g);
            while !it.key.is_null() {
                out.push((*(it.key as *const K), *(it.elem as *const V)));
                mapiternext(&mut it, self.g);
            }
        }
        out
    }
}

/// A small deterministic generator (xorshift).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn header_and_iterator_layouts_are_gcs() {
    use core::mem::{offset_of, size_of};
    assert_eq!(offset_of!(HMap, count), HMAP_COUNT_OFFSET);
    assert_eq!(
        (
            offset_of!(HMap, flags),
            offset_of!(HMap, b),
            offset_of!(HMap, noverflow)
        ),
        (8, 9, 10)
    );
    assert_eq!(
        (
            offset_of!(HMap, hash0),
            offset_of!(HMap, buckets),
            offset_of!(HMap, oldbuckets)
        ),
        (12, 16, 24)
    );
    assert_eq!(
        (
            offset_of!(HMap, nevacuate),
            offset_of!(HMap, extra),
            size_of::<HMap>()
        ),
        (32, 40, HMAP_SIZE)
    );
    assert_eq!(
        (
            offset_of!(HIter, key),
            offset_of!(HIter, elem),
            size_of::<HIter>()
        ),
        (0, 8, HITER_SIZE)
    );
    assert_eq!(
        (
            offset_of!(HIter, start_bucket),
            offset_of!(HIter, offset),
            offset_of!(HIter, bucket)
        ),
        (64, 72, 80)
    );
    assert_eq!(size_of::<MapExtra>(), 24);
}

/// Random inserts, overwrites, deletes, lookups and full iterations, checked against a
/// HashMap after every step that can change the map.
fn randomized<K, V>(
    t: &'static MapType,
    key: impl Fn(u64) -> K,
    val: impl Fn(u64) -> V,
    ops: usize,
    range: u64,
    seed: u64,
) where
    K: Copy + Eq + std::hash::Hash + std::fmt::Debug,
    V: Copy + Eq + std::fmt::Debug,
{
    let g = ctx();
    let m = Map::<K, V>::new(t, 0, g);
    let mut reference = HashMap::new();
    let mut rng = Rng(seed);
    for step in 0..ops {
        let r = rng.next();
        let k = key(r % range);
        match (r >> 32) % 10 {
            0..=4 => {
                m.set(k, val(r));
                reference.insert(k, val(r));
            }
            5..=6 => {
                m.del(k);
                reference.remove(&k);
            }
            _ => assert_eq!(
                m.get(k),
                reference.get(&k).copied(),
                "lookup {k:?} at step {step}"
            ),
        }
        assert_eq!(m.len(), reference.len());
        if step % (ops / 8) == 0 {
            let entries = m.entries();
            assert_eq!(
                entries.len(),
                reference.len(),
                "iteration length at step {step}"
            );
            for (k, v) in entries {
                assert_eq!(reference.get(&k), Some(&v), "iterated {k:?}");
            }
        }
    }
    for (k, v) in &reference {
        assert_eq!(m.get(*k), Some(*v));
    }
    // The table grew well past one bucket on the way.
    assert!(unsafe { (*m.h).b } >= 4, "B = {}", unsafe { (*m.h).b });
}

#[test]
fn int_keys_match_a_reference_map() {
    let t = map_of(int64_type(), int64_type(), int64hash);
    randomized(t, |x| x as i64, |x| x as i64, 200_000, 5_000, 0x1234_5678);
}

#[test]
fn string_keys_match_a_reference_map() {
    let t = map_of(string_type(), int64_type(), str_hash);
    // Keys are Go strings over leaked Rust strings (a fixed pool, so equal keys share text
    // only sometimes: every key is made twice).
    let pool: Vec<GoString> = (0..2000u64)
        .flat_map(|i| {
            let a: &'static str = Box::leak(format!("key-{i}").into_boxed_str());
            let b: &'static str = Box::leak(format!("key-{i}").into_boxed_str());
            [a, b]
        })
        .map(|s| GoString {
            ptr: s.as_ptr(),
            len: s.len(),
        })
        .collect();
    #[derive(Clone, Copy)]
    struct K(GoString);
    impl PartialEq for K {
        fn eq(&self, o: &K) -> bool {
            unsafe {
                strequal(
                    &self.0 as *const GoString as *const u8,
                    &o.0 as *const GoString as *const u8,
                )
            }
        }
    }
    impl Eq for K {}
    impl std::hash::Hash for K {
        fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
            unsafe { core::slice::from_raw_parts(self.0.ptr, self.0.len) }.hash(h)
        }
    }
    impl std::fmt::Debug for K {
        fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            write!(
                f,
                "{:?}",
                String::from_utf8_lossy(unsafe {
                    core::slice::from_raw_parts(self.0.ptr, self.0.len)
                })
            )
        }
    }
    randomized(
        t,
        |x| K(pool[x as usize]),
        |x| x as i64,
        100_000,
        pool.len() as u64,
        99,
    );
}

#[test]
fn big_keys_and_elements_are_stored_indirectly() {
    let k = bytes_type(200, eq200);
    let t = map_of(k, bytes_type(300, eq200), hash200);
    assert!(t.indirect_key() && t.indirect_elem());
    let key = |x: u64| {
        let mut a = [0u8; 200];
        a[..8].copy_from_slice(&x.to_le_bytes());
        a[199] = x as u8;
        a
    };
    let val = |x: u64| {
        let mut a = [0u8; 300];
        a[8..16].copy_from_slice(&x.to_le_bytes());
        a
    };
    #[derive(Clone, Copy, PartialEq, Eq, Hash)]
    struct K([u8; 200]);
    impl std::fmt::Debug for K {
        fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            write!(f, "K({:?})", &self.0[..8])
        }
    }
    #[derive(Clone, Copy, PartialEq, Eq)]
    struct V([u8; 300]);
    impl std::fmt::Debug for V {
        fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            write!(f, "V({:?})", &self.0[8..16])
        }
    }
    randomized(t, |x| K(key(x)), |x| V(val(x)), 20_000, 500, 7);
}

#[test]
fn colliding_hashes_grow_to_the_same_size_and_stay_correct() {
    let t = map_of(int64_type(), int64_type(), colliding_hash);
    let g = ctx();
    let m = Map::<i64, i64>::new(t, 0, g);
    let mut reference = HashMap::new();
    let mut same_size = false;
    // Each round fills one bucket's chain and empties it again: deleting never frees
    // overflow buckets, so they pile up until a same-size growth compacts the table.
    for round in 0..60i64 {
        for k in round * 64..round * 64 + 64 {
            m.set(k, k);
            reference.insert(k, k);
            same_size |= unsafe { (*m.h).flags() & SAME_SIZE_GROW != 0 };
        }
        for k in round * 64..round * 64 + 60 {
            m.del(k);
            reference.remove(&k);
        }
        assert_eq!(m.len(), reference.len());
    }
    assert!(same_size, "overflow chains caused a same-size growth");
    let mut got: Vec<_> = m.entries();
    got.sort();
    let mut want: Vec<_> = reference.into_iter().collect();
    want.sort();
    assert_eq!(got, want);
}

#[test]
fn makemap_sizes_for_the_hint_and_preallocates_overflow_buckets() {
    let g = ctx();
    let t = map_of(int64_type(), int64_type(), int64hash);
    unsafe {
        assert_eq!((*makemap(t, 8, null_mut(), g)).b, 0);
        assert!((*makemap(t, 8, null_mut(), g)).buckets.is_null());
        assert_eq!((*makemap(t, 9, null_mut(), g)).b, 1);
        let h = makemap(t, 100, null_mut(), g);
        assert_eq!((*h).b, 4); // 6.5 * 16 = 104 >= 100
        assert!(!(*h).extra.is_null() && !(*(*h).extra).next_overflow.is_null());
        assert_eq!((*makemap(t, -1, null_mut(), g)).b, 0);
        assert_eq!(
            (*makemap(t, isize::MAX, null_mut(), g)).b,
            0,
            "absurd hints are ignored"
        );
        let small = makemap_small(g);
        assert_eq!(((*small).count, (*small).b), (0, 0));
        // A header supplied by the caller is used in place.
        let mut header: HMap = core::mem::zeroed();
        assert_eq!(makemap(t, 0, &mut header, g), &mut header as *mut HMap);
        // Filling a presized map does not grow it.
        let m = Map::<i64, i64> {
            t,
            h,
            g,
            _kv: core::marker::PhantomData,
        };
        for i in 0..100 {
            m.set(i, i);
        }
        assert!((*h).oldbuckets.is_null() && (*h).b == 4);
    }
}

#[test]
fn every_entry_is_seen_once_while_the_map_grows_during_iteration() {
    let g = ctx();
    let t = map_of(int64_type(), int64_type(), int64hash);
    let m = Map::<i64, i64>::new(t, 0, g);
    for i in 0..1000 {
        m.set(i, i * 10);
    }
    let mut seen = HashSet::new();
    let mut it: HIter = unsafe { core::mem::zeroed() };
    unsafe {
        mapiterinit(t, m.h, &mut it, g);
        let mut n = 0;
        while !it.key.is_null() {
            let (k, v) = (*(it.key as *const i64), *(it.elem as *const i64));
            assert!(seen.insert(k), "{k} twice");
            if k < 1000 {
                assert_eq!(v, k * 10);
            }
            // Grow the map (several doublings) and update old entries meanwhile.
            if n < 5000 {
                m.set(100_000 + n, 0);
                m.set(n % 1000, (n % 1000) * 10);
                n += 1;
            }
            mapiternext(&mut it, g);
        }
    }
    for i in 0..1000 {
        assert!(seen.contains(&i), "{i} missed");
    }
    // One new key per step (the iteration may or may not have returned some of them).
    assert_eq!(m.len(), 1000 + seen.len().min(5000));
}

#[test]
fn entries_deleted_during_iteration_are_not_returned() {
    let g = ctx();
    let t = map_of(int64_type(), int64_type(), int64hash);
    let m = Map::<i64, i64>::new(t, 0, g);
    for i in 0..500 {
        m.set(i, i);
    }
    let mut seen = Vec::new();
    let mut it: HIter = unsafe { core::mem::zeroed() };
    unsafe {
        mapiterinit(t, m.h, &mut it, g);
        while !it.key.is_null() {
            let k = *(it.key as *const i64);
            seen.push(k);
            // Delete the partner of each key seen (and some new keys force growth).
            m.del(499 - k);
            m.set(1000 + k, 0);
            mapiternext(&mut it, g);
        }
    }
    let set: HashSet<_> = seen.iter().copied().filter(|k| *k < 500).collect();
    for k in &set {
        assert!(
            !set.contains(&(499 - k)) || *k == 499 - k,
            "{k} and its deleted partner both seen"
        );
    }
}

#[test]
fn iteration_order_is_randomised() {
    let g = ctx();
    let t = map_of(int64_type(), int64_type(), int64hash);
    for n in [3i64, 8, 100] {
        let m = Map::<i64, i64>::new(t, 0, g);
        for i in 0..n {
            m.set(i, i);
        }
        let orders: HashSet<Vec<i64>> = (0..100)
            .map(|_| m.entries().into_iter().map(|e| e.0).collect())
            .collect();
        let firsts: HashSet<i64> = orders.iter().map(|o| o[0]).collect();
        assert!(orders.len() > 1, "{n} keys: always the same order");
        assert!(
            firsts.len() >= (n as usize).min(3),
            "{n} keys: first keys {firsts:?}"
        );
    }
}

#[test]
fn nan_keys_are_distinct_and_zero_keys_are_one() {
    let g = ctx();
    let t = map_of(float64_type(), int64_type(), f64hash);
    let m = Map::<f64, i64>::new(t, 0, g);
    for i in 0..100 {
        m.set(f64::NAN, i);
    }
    assert_eq!(m.len(), 100);
    assert_eq!(m.get(f64::NAN), None);
    m.set(-0.0, 1);
    m.set(0.0, 2);
    assert_eq!(m.len(), 101);
    assert_eq!(m.get(-0.0), Some(2));
    // The overwrite stored the new key: iteration now yields +0.
    let zero = m.entries().into_iter().find(|e| e.0 == 0.0).unwrap();
    assert!(zero.0.is_sign_positive());
    assert_eq!(m.entries().iter().filter(|e| e.0.is_nan()).count(), 100);
    // Grow with NaNs inside (they move by their tophash bit) and delete what can be.
    for i in 0..1000 {
        m.set(i as f64, i);
    }
    m.del(f64::NAN);
    assert_eq!(m.len(), 100 + 1000, "NaNs, and 0..999 with 0 already there");
    unsafe { mapclear(t, m.h, g) };
    assert_eq!(m.len(), 0);
    assert!(m.entries().is_empty());
    m.set(1.0, 1);
    assert_eq!(m.get(1.0), Some(1));
}

#[test]
fn interface_keys_compare_by_dynamic_value() {
    let g = ctx();
    // interface {} with gc's functions: equality through the entry stub (it takes g from
    // the g register, which the map code sets), hashing through nilinterhash.
    let eq: EqualFn = nilinterequal_entry;
    let ei = crate::r#type::tests::put(crate::r#type::InterfaceType {
        typ: header(
            16,
            8,
            crate::r#type::KIND_INTERFACE,
            16,
            Some(eq),
            "interface {}",
        ),
        pkgpath: crate::r#type::Name::null(),
        mhdr: crate::r#type::SliceHeader {
            ptr: core::ptr::null(),
            len: 0,
            cap: 0,
        },
    })
    .0;
    let t = map_of(&ei.typ, int64_type(), nilinterhash_entry);
    assert!(t.hash_might_panic());
    let int = int64_type();
    let boxed =
        || -> Vec<&'static i64> { (0..50).map(|i| &*Box::leak(Box::new(i as i64))).collect() };
    let (vals, same) = (boxed(), boxed());
    let eface = |v: &i64| {
        [
            int as *const Type as *const u8,
            v as *const i64 as *const u8,
        ]
    };
    let m = Map::<[*const u8; 2], i64>::new(t, 0, g);
    for (i, v) in vals.iter().enumerate() {
        m.set(eface(v), i as i64);
    }
    for (i, v) in same.iter().enumerate() {
        assert_eq!(
            m.get(eface(v)),
            Some(i as i64),
            "equal values in other boxes"
        );
    }
    assert_eq!(m.len(), 50);
    m.set([core::ptr::null(); 2], -1);
    assert_eq!(m.get([core::ptr::null(); 2]), Some(-1));
    assert_eq!(m.len(), 51);
    let _ = empty_interface();
}

/// Counts calls (a hasher that must run even for empty maps when hashing may panic).
static HASH_CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

unsafe extern "C" fn counting_hash(p: *const u8, h: usize) -> usize {
    HASH_CALLS.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    crate::alg::memhash64(p, h)
}

#[test]
fn empty_and_nil_maps_read_as_zero_and_still_hash_keys_that_may_panic() {
    let g = ctx();
    let tm = map_of(int64_type(), int64_type(), counting_hash) as *const MapType as *mut MapType;
    unsafe { (*tm).flags |= crate::r#type::MAP_HASH_MIGHT_PANIC };
    let t: &'static MapType = unsafe { &*tm };
    let k = 5i64;
    unsafe {
        let (p, ok) = mapaccess2(t, null_mut(), &k as *const i64 as *const u8, g);
        assert!(!ok && p == zero_val());
        assert_eq!(HASH_CALLS.load(std::sync::atomic::Ordering::SeqCst), 1);
        mapdelete(t, null_mut(), &k as *const i64 as *const u8, g);
        assert_eq!(HASH_CALLS.load(std::sync::atomic::Ordering::SeqCst), 2);
        let mut it: HIter = core::mem::zeroed();
        mapiterinit(t, null_mut(), &mut it, g);
        assert!(it.key.is_null());
        mapclear(t, null_mut(), g);
    }
}

#[test]
#[should_panic(expected = "assignment to entry in nil map")]
fn assigning_to_a_nil_map_panics() {
    let g = ctx();
    let t = map_of(int64_type(), int64_type(), int64hash);
    let k = 1i64;
    unsafe { mapassign(t, null_mut(), &k as *const i64 as *const u8, g) };
}

#[test]
#[should_panic(expected = "fatal error: concurrent map writes")]
fn a_write_during_a_write_is_fatal() {
    let g = ctx();
    let t = map_of(int64_type(), int64_type(), int64hash);
    let m = Map::<i64, i64>::new(t, 0, g);
    m.set(1, 1);
    unsafe { (*m.h).flags.fetch_or(HASH_WRITING, Relaxed) };
    m.set(2, 2);
}

#[test]
#[should_panic(expected = "fatal error: concurrent map read and map write")]
fn a_read_during_a_write_is_fatal() {
    let g = ctx();
    let t = map_of(int64_type(), int64_type(), int64hash);
    let m = Map::<i64, i64>::new(t, 0, g);
    m.set(1, 1);
    unsafe { (*m.h).flags.fetch_or(HASH_WRITING, Relaxed) };
    m.get(1);
}

#[test]
fn fast_variants_agree_with_the_generic_functions() {
    let g = ctx();
    let t64 = map_of(int64_type(), int64_type(), int64hash);
    let h = unsafe { makemap(t64, 0, null_mut(), g) };
    unsafe {
        for k in 0..3000u64 {
            *(mapassign_fast64_from_go(t64, h, k, g) as *mut u64) = k * 3;
        }
        for k in (0..3000u64).step_by(3) {
            mapdelete_fast64_from_go(t64, h, k, g);
        }
        for k in 0..3000u64 {
            let (p, ok) = mapaccess2(t64, h, &k as *const u64 as *const u8, g);
            assert_eq!(ok, k % 3 != 0);
            let r = mapaccess2_fast64_from_go(t64, h, k, g);
            assert_eq!((r.elem, r.ok != 0), (p, ok));
            assert_eq!(
                *(mapaccess1_fast64_from_go(t64, h, k, g) as *const u64),
                if ok { k * 3 } else { 0 }
            );
        }
        assert_eq!((*h).count, 2000);
        // 32-bit keys.
        let mut k32 = header(
            4,
            4,
            crate::r#type::KIND_UINT32,
            0,
            Some(crate::alg::memequal32),
            "uint32",
        );
        k32.tflag |= TFLAG_REGULAR_MEMORY;
        let t32 = map_of(basic(k32), int64_type(), crate::alg::memhash32);
        let h = makemap(t32, 0, null_mut(), g);
        for k in 0..500u32 {
            *(mapassign_fast32_from_go(t32, h, k, g) as *mut u64) = k as u64;
        }
        mapdelete_fast32_from_go(t32, h, 7, g);
        assert_eq!(mapaccess2_fast32_from_go(t32, h, 7, g).ok, 0);
        assert_eq!(*(mapaccess1_fast32_from_go(t32, h, 8, g) as *const u64), 8);
        let probe = 9u32;
        assert_eq!(
            *(mapaccess1_from_go(t32, h, &probe as *const u32 as *const u8, g) as *const u64),
            9
        );
        // Strings.
        let ts = map_of(string_type(), int64_type(), str_hash);
        let h = makemap(ts, 0, null_mut(), g);
        let keys: Vec<String> = (0..1000).map(|i| format!("s{i}")).collect();
        for (i, k) in keys.iter().enumerate() {
            *(mapassign_faststr_from_go(ts, h, k.as_ptr(), k.len(), g) as *mut u64) = i as u64;
        }
        mapdelete_faststr_from_go(ts, h, b"s5".as_ptr(), 2, g);
        assert_eq!(
            mapaccess2_faststr_from_go(ts, h, b"s5".as_ptr(), 2, g).ok,
            0
        );
        assert_eq!(
            *(mapaccess1_faststr_from_go(ts, h, b"s6".as_ptr(), 2, g) as *const u64),
            6
        );
        let key = GoString {
            ptr: b"s999".as_ptr(),
            len: 4,
        };
        assert_eq!(
            *(mapaccess1_from_go(ts, h, &key as *const GoString as *const u8, g) as *const u64),
            999
        );
        assert_eq!((*h).count, 999);
        // The fat variants return the caller's zero for absent keys.
        let mut zero = [0u8; 8];
        let absent = GoString {
            ptr: b"nope".as_ptr(),
            len: 4,
        };
        let kp = &absent as *const GoString as *const u8;
        assert_eq!(
            mapaccess1_fat_from_go(ts, h, kp, zero.as_mut_ptr(), g),
            zero.as_mut_ptr()
        );
        assert_eq!(
            mapaccess2_fat_from_go(ts, h, kp, zero.as_mut_ptr(), g),
            MapAccess2 {
                elem: zero.as_mut_ptr(),
                ok: 0
            }
        );
    }
}

/// Map throughput: `cargo test --release -p goclift-runtime -- --ignored --nocapture
/// map_throughput`. ns per operation for 1M int64 keys (fast64 path and generic path) and
/// 1M string keys, map grown from empty; compare with tools' Go equivalent under gc.
#[test]
#[ignore]
fn map_throughput() {
    let g = ctx();
    let n = 1u64 << 20;
    let time = |what: &str, f: &mut dyn FnMut()| {
        let start = std::time::Instant::now();
        f();
        println!(
            "{what:<32} {:6.1} ns/op",
            start.elapsed().as_nanos() as f64 / n as f64
        );
    };
    let t = map_of(int64_type(), int64_type(), int64hash);
    let h = unsafe { makemap(t, 0, null_mut(), g) };
    let mix = |i: u64| i.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    time("int64 insert (fast64)", &mut || unsafe {
        for i in 0..n {
            *(mapassign_fast64_from_go(t, h, mix(i), g) as *mut u64) = i;
        }
    });
    let mut sum = 0u64;
    time("int64 lookup hit (fast64)", &mut || unsafe {
        for i in 0..n {
            sum = sum.wrapping_add(*(mapaccess1_fast64_from_go(t, h, mix(i), g) as *const u64));
        }
    });
    time("int64 lookup hit (generic)", &mut || unsafe {
        for i in 0..n {
            let k = mix(i);
            sum = sum.wrapping_add(
                *(mapaccess1_from_go(t, h, &k as *const u64 as *const u8, g) as *const u64),
            );
        }
    });
    time("int64 lookup miss (fast64)", &mut || unsafe {
        for i in n..2 * n {
            sum = sum.wrapping_add(*(mapaccess1_fast64_from_go(t, h, mix(i), g) as *const u64));
        }
    });
    let mut it: HIter = unsafe { core::mem::zeroed() };
    time("int64 iterate", &mut || unsafe {
        mapiterinit(t, h, &mut it, g);
        while !it.key.is_null() {
            sum = sum.wrapping_add(*(it.elem as *const u64));
            mapiternext(&mut it, g);
        }
    });
    time("int64 delete (fast64)", &mut || unsafe {
        for i in 0..n {
            mapdelete_fast64_from_go(t, h, mix(i), g);
        }
    });
    let ts = map_of(string_type(), int64_type(), str_hash);
    let hs = unsafe { makemap(ts, 0, null_mut(), g) };
    let keys: Vec<String> = (0..n).map(|i| format!("key-{}", mix(i))).collect();
    time("string insert (faststr)", &mut || unsafe {
        for (i, k) in keys.iter().enumerate() {
            *(mapassign_faststr_from_go(ts, hs, k.as_ptr(), k.len(), g) as *mut u64) = i as u64;
        }
    });
    time("string lookup hit (faststr)", &mut || unsafe {
        for k in &keys {
            sum = sum.wrapping_add(
                *(mapaccess1_faststr_from_go(ts, hs, k.as_ptr(), k.len(), g) as *const u64),
            );
        }
    });
    assert_ne!(sum, 0);
}
