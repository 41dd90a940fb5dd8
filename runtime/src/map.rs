//! Maps (Go's map.go and map_fast{32,64,str}.go): gc 1.19's hash table, same layout, same
//! algorithms.
//!
//! A map is a pointer to an `HMap` (nil for a nil map). `len(m)` is the word at offset 0
//! (`count`), read by compiled code directly. Entries live in an array of 2^B buckets of 8
//! slots: 8 tophash bytes (the hash's top byte, or a slot state below MIN_TOP_HASH), 8 keys,
//! 8 elements, and a pointer to an overflow bucket; keys and elements larger than 128 bytes
//! are stored as pointers to heap copies. At an average of 6.5 entries per bucket (or with as
//! many overflow buckets as buckets) the table grows (to twice the size, or to the same size
//! to compact it); entries move incrementally, two old buckets per write, so no single
//! operation pays for the whole copy. Iteration starts at a random bucket and a random slot
//! offset, so its order differs from run to run, and it stays correct across growth.
//!
//! The bucket layout comes from the compiler's bucket type (`MapType::bucket`, see type.rs);
//! the runtime only needs `keysize`, `elemsize` and `bucketsize`.
//!
//! **Entry points** (C ABI, g in the g register; gc's names and argument order). Keys are
//! passed by pointer except in the `_fast32`/`_fast64`/`_faststr` variants, which take them
//! by value (a `string` as two arguments, pointer then length); those variants are for maps
//! whose key is a 4- or 8-byte plain-memory type or a string and whose key and element are
//! stored inline (gc's conditions). Results of two values come back in two registers
//! (`MapAccess2`). See each function's doc comment and runtime/README.md.

use crate::alg::{call_equal, call_hasher, memequal, memhash32, memhash64, strhash, GoString};
use crate::r#type::{MapType, Type};
use crate::runtime2::{G, M};
use core::ptr::null_mut;
use core::sync::atomic::{AtomicU8, Ordering::Relaxed};

/// Slots per bucket (gc's bucketCnt).
pub const BUCKET_CNT: usize = 8;
/// Offset of the keys in a bucket (gc's dataOffset): after the 8 tophash bytes.
pub const DATA_OFFSET: usize = 8;
/// Keys and elements larger than this are stored indirectly (gc's maxKeySize/maxElemSize).
pub const MAX_KEY_SIZE: usize = 128;
/// See MAX_KEY_SIZE.
pub const MAX_ELEM_SIZE: usize = 128;
/// Size of `ZERO_VAL`: mapaccess1/2 return a pointer into it for missing keys, so elements
/// larger than this must use the `_fat` variants (gc's maxZero).
pub const MAX_ZERO: usize = 1024;

const LOAD_FACTOR_NUM: usize = 13;
const LOAD_FACTOR_DEN: usize = 2;

// tophash values below MIN_TOP_HASH are slot states (gc's).
/// Empty, and so is every later slot of the bucket and its overflow chain.
const EMPTY_REST: u8 = 0;
/// Empty.
const EMPTY_ONE: u8 = 1;
/// Entry evacuated to the first half of the larger table.
const EVACUATED_X: u8 = 2;
/// Entry evacuated to the second half.
const EVACUATED_Y: u8 = 3;
/// Empty, and the bucket has been evacuated.
const EVACUATED_EMPTY: u8 = 4;
/// Smallest tophash of a full slot.
const MIN_TOP_HASH: u8 = 5;

// hmap.flags.
/// There may be an iterator using buckets.
const ITERATOR: u8 = 1;
/// There may be an iterator using oldbuckets.
const OLD_ITERATOR: u8 = 2;
/// A goroutine is writing to the map.
const HASH_WRITING: u8 = 4;
/// The current growth is to a table of the same size.
const SAME_SIZE_GROW: u8 = 8;

/// Sentinel bucket number: no check needed (gc's noCheck).
const NO_CHECK: usize = usize::MAX;

/// A map header (gc's hmap). `count` must stay first: `len(m)` loads it.
#[repr(C)]
#[derive(Debug)]
pub struct HMap {
    /// Live entries: len(m).
    pub count: isize,
    /// ITERATOR, OLD_ITERATOR, HASH_WRITING, SAME_SIZE_GROW.
    pub flags: AtomicU8,
    /// log2 of the number of buckets.
    pub b: u8,
    /// Approximate number of overflow buckets (exact while B < 16).
    pub noverflow: u16,
    /// Hash seed.
    pub hash0: u32,
    /// 2^B buckets; null until the first insertion into a map made with B = 0.
    pub buckets: *mut u8,
    /// Half as many (or, in a same-size growth, as many) buckets while growing, else null.
    pub oldbuckets: *mut u8,
    /// Old buckets below this have been evacuated.
    pub nevacuate: usize,
    /// Optional fields.
    pub extra: *mut MapExtra,
}

/// Byte offset of `count` (len) for compiled code.
pub const HMAP_COUNT_OFFSET: usize = 0;
/// Size of a map header.
pub const HMAP_SIZE: usize = 48;

/// Fields not every map needs (gc's mapextra).
#[repr(C)]
#[derive(Debug)]
pub struct MapExtra {
    /// Overflow buckets of `buckets`, kept reachable here when buckets are pointer-free
    /// (noscan) and so cannot keep their overflow buckets alive themselves.
    pub overflow: *mut OverflowList,
    /// Same for `oldbuckets`.
    pub oldoverflow: *mut OverflowList,
    /// Next preallocated overflow bucket.
    pub next_overflow: *mut u8,
}

/// A Go `[]*bmap`.
#[repr(C)]
#[derive(Debug)]
pub struct OverflowList {
    ptr: *mut *mut u8,
    len: usize,
    cap: usize,
}

/// A map iteration (gc's hiter, 12 words). Compiled code allocates it zeroed, passes it to
/// `mapiterinit`, reads the current key pointer at offset 0 and element pointer at offset 8
/// (key null: the iteration is over), and calls `mapiternext` to advance.
#[repr(C)]
#[derive(Debug)]
pub struct HIter {
    /// Current key, or null at the end.
    pub key: *mut u8,
    /// Current element.
    pub elem: *mut u8,
    t: *const MapType,
    h: *mut HMap,
    /// Bucket array when the iteration started.
    buckets: *mut u8,
    /// Current bucket.
    bptr: *mut u8,
    overflow: *mut OverflowList,
    oldoverflow: *mut OverflowList,
    /// Bucket the iteration started at.
    start_bucket: usize,
    /// Slot offset every bucket's scan starts at.
    offset: u8,
    /// Already wrapped around the end of the bucket array.
    wrapped: bool,
    b: u8,
    i: u8,
    bucket: usize,
    check_bucket: usize,
}

/// Size of HIter.
pub const HITER_SIZE: usize = 96;

/// Result of the two-result lookups: (pointer to the element, found), in two registers;
/// `ok` is 0 or 1 in the whole register.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MapAccess2 {
    /// The element, or a zero value when absent.
    pub elem: *mut u8,
    /// 1 if the key was present.
    pub ok: usize,
}

/// MAX_ZERO zero bytes, aligned for any Go value.
#[repr(C, align(16))]
pub struct ZeroVal(pub [u8; MAX_ZERO]);

/// The zero value mapaccess1/2 return for absent keys (gc's zeroVal), also usable by
/// compiled code for any zero value of at most MAX_ZERO bytes.
#[unsafe(export_name = "runtime.zeroVal")]
pub static ZERO_VAL: ZeroVal = ZeroVal([0; MAX_ZERO]);

fn zero_val() -> *mut u8 {
    ZERO_VAL.0.as_ptr() as *mut u8
}

/// A runtime-internal type descriptor (statics need Sync; descriptors are immutable).
struct InternalType(Type);
// SAFETY: never written; its pointers point at immutable statics.
unsafe impl Sync for InternalType {}

/// hmap's descriptor: pointers in words 2 (buckets), 3 (oldbuckets) and 5 (extra).
static HMAP_TYPE: InternalType = InternalType(Type {
    size: HMAP_SIZE,
    ptrdata: HMAP_SIZE,
    hash: 0,
    tflag: 0,
    align: 8,
    field_align: 8,
    kind: crate::r#type::KIND_STRUCT,
    equal: None,
    gcdata: &0b10_1100u8,
    str_: 0,
    ptr_to_this: 0,
});

/// mapextra's descriptor: three pointers.
static MAPEXTRA_TYPE: InternalType = InternalType(Type {
    size: 24,
    ptrdata: 24,
    hash: 0,
    tflag: 0,
    align: 8,
    field_align: 8,
    kind: crate::r#type::KIND_STRUCT,
    equal: None,
    gcdata: &0b111u8,
    str_: 0,
    ptr_to_this: 0,
});

/// A slice header's descriptor (`[]*bmap`): the first word is a pointer.
static SLICE_TYPE: InternalType = InternalType(Type {
    size: 24,
    ptrdata: 8,
    hash: 0,
    tflag: 0,
    align: 8,
    field_align: 8,
    kind: crate::r#type::KIND_SLICE,
    equal: None,
    gcdata: &0b1u8,
    str_: 0,
    ptr_to_this: 0,
});

/// A pointer's descriptor (elements of `[]*bmap`).
static PTR_TYPE: InternalType = InternalType(Type {
    size: 8,
    ptrdata: 8,
    hash: 0,
    tflag: 0,
    align: 8,
    field_align: 8,
    kind: crate::r#type::KIND_UNSAFE_POINTER,
    equal: None,
    gcdata: &0b1u8,
    str_: 0,
    ptr_to_this: 0,
});

// ---------------------------------------------------------------------------------------------
// Small helpers.

/// The M of goroutine `g`.
unsafe fn m_of(g: *mut G) -> *mut M {
    (*g).m
}

/// `new(T)` for runtime code.
unsafe fn newobject(t: *const Type, g: *mut G) -> *mut u8 {
    crate::malloc::mallocgc((*t).size, t, true, m_of(g))
}

/// A zeroed array of `n` values of type `t`.
unsafe fn newarray(t: *const Type, n: usize, g: *mut G) -> *mut u8 {
    crate::malloc::mallocgc((*t).size * n, t, true, m_of(g))
}

/// gc's fastrand for map seeds and iteration starts.
unsafe fn fastrand(g: *mut G) -> u32 {
    crate::proc::fastrand(m_of(g))
}

/// Copies a value of type `t` (gc's typedmemmove). The collector's write barrier goes here.
unsafe fn typedmemmove(t: *const Type, dst: *mut u8, src: *const u8) {
    if dst as *const u8 != src {
        if (*t).ptrdata != 0 {
            crate::mbarrier::bulk_barrier_pre_write(dst as usize, src as usize, (*t).size);
        }
        crate::slice::memmove_words(dst, src, (*t).size);
    }
}

/// Clears `n` bytes that may hold pointers (gc's memclrHasPointers; barrier hook).
unsafe fn memclr_has_pointers(p: *mut u8, n: usize) {
    crate::mbarrier::bulk_barrier_pre_write(p as usize, 0, n);
    core::ptr::write_bytes(p, 0, n);
}

/// Clears `n` pointer-free bytes (gc's memclrNoHeapPointers).
unsafe fn memclr_no_heap_pointers(p: *mut u8, n: usize) {
    core::ptr::write_bytes(p, 0, n);
}

/// gc's fatal for map misuse ("concurrent map writes" and the like): not recoverable. In
/// unit tests a Rust panic, so that tests can observe it.
fn map_fatal(msg: &str) -> ! {
    if cfg!(test) {
        panic!("fatal error: {}", msg);
    }
    crate::panic::fatal(msg)
}

/// 1 << b.
#[inline]
fn bucket_shift(b: u8) -> usize {
    1usize << (b & 63)
}

/// (1 << b) - 1.
#[inline]
fn bucket_mask(b: u8) -> usize {
    bucket_shift(b) - 1
}

/// The tophash of a hash: its top byte, moved above the slot states.
#[inline]
fn tophash(hash: usize) -> u8 {
    let top = (hash >> 56) as u8;
    if top < MIN_TOP_HASH {
        top + MIN_TOP_HASH
    } else {
        top
    }
}

/// Whether a slot state means empty.
#[inline]
fn is_empty(x: u8) -> bool {
    x <= EMPTY_ONE
}

/// Whether count entries in 2^b buckets exceed the load factor (gc's overLoadFactor).
fn over_load_factor(count: isize, b: u8) -> bool {
    count > BUCKET_CNT as isize
        && count as usize > LOAD_FACTOR_NUM * (bucket_shift(b) / LOAD_FACTOR_DEN)
}

/// Whether there are about as many overflow buckets as buckets (gc's
/// tooManyOverflowBuckets).
fn too_many_overflow_buckets(noverflow: u16, b: u8) -> bool {
    let b = b.min(15);
    noverflow >= 1u16 << (b & 15)
}

// Bucket accessors; `b` points at a bucket of map type `t`.

#[inline]
unsafe fn tophash_at(b: *mut u8, i: usize) -> *mut u8 {
    b.add(i)
}

#[inline]
unsafe fn key_at(t: &MapType, b: *mut u8, i: usize) -> *mut u8 {
    b.add(DATA_OFFSET + i * t.keysize as usize)
}

#[inline]
unsafe fn elem_at(t: &MapType, b: *mut u8, i: usize) -> *mut u8 {
    b.add(DATA_OFFSET + BUCKET_CNT * t.keysize as usize + i * t.elemsize as usize)
}

#[inline]
unsafe fn overflow_of(t: &MapType, b: *mut u8) -> *mut u8 {
    *(b.add(t.bucketsize as usize - 8) as *mut *mut u8)
}

#[inline]
unsafe fn set_overflow(t: &MapType, b: *mut u8, ovf: *mut u8) {
    *(b.add(t.bucketsize as usize - 8) as *mut *mut u8) = ovf;
}

#[inline]
unsafe fn bucket_at(t: &MapType, buckets: *mut u8, i: usize) -> *mut u8 {
    buckets.add(i * t.bucketsize as usize)
}

/// Whether bucket `b` has been evacuated (gc's evacuated).
#[inline]
unsafe fn evacuated(b: *mut u8) -> bool {
    let h = *b;
    h > EMPTY_ONE && h < MIN_TOP_HASH
}

/// The key stored in a slot, following the indirection.
#[inline]
unsafe fn slot_key(t: &MapType, k: *mut u8) -> *mut u8 {
    if t.indirect_key() {
        *(k as *mut *mut u8)
    } else {
        k
    }
}

/// The element stored in a slot, following the indirection.
#[inline]
unsafe fn slot_elem(t: &MapType, e: *mut u8) -> *mut u8 {
    if t.indirect_elem() {
        *(e as *mut *mut u8)
    } else {
        e
    }
}

impl HMap {
    fn flags(&self) -> u8 {
        self.flags.load(Relaxed)
    }

    fn set_flags(&self, f: u8) {
        self.flags.store(f, Relaxed);
    }

    fn growing(&self) -> bool {
        !self.oldbuckets.is_null()
    }

    fn same_size_grow(&self) -> bool {
        self.flags() & SAME_SIZE_GROW != 0
    }

    /// Buckets before the current growth.
    fn noldbuckets(&self) -> usize {
        let mut old_b = self.b;
        if !self.same_size_grow() {
            old_b -= 1;
        }
        bucket_shift(old_b)
    }

    fn oldbucketmask(&self) -> usize {
        self.noldbuckets() - 1
    }

    /// Starts a write: fatal if another is in progress (gc's check-and-flip of hashWriting).
    fn begin_write(&self) {
        let f = self.flags();
        if f & HASH_WRITING != 0 {
            map_fatal("concurrent map writes");
        }
        self.set_flags(f ^ HASH_WRITING);
    }

    /// Ends a write: fatal if someone else cleared the flag meanwhile.
    fn end_write(&self) {
        let f = self.flags();
        if f & HASH_WRITING == 0 {
            map_fatal("concurrent map writes");
        }
        self.set_flags(f & !HASH_WRITING);
    }

    /// Counts one more overflow bucket, probabilistically above 2^16 buckets (gc's
    /// incrnoverflow).
    unsafe fn incrnoverflow(&mut self, g: *mut G) {
        if self.b < 16 {
            self.noverflow = self.noverflow.wrapping_add(1);
            return;
        }
        let mask = (1u32 << (self.b - 15)) - 1;
        if fastrand(g) & mask == 0 {
            self.noverflow = self.noverflow.wrapping_add(1);
        }
    }

    /// The extra fields, allocated on first use.
    unsafe fn extra(&mut self, g: *mut G) -> &mut MapExtra {
        if self.extra.is_null() {
            self.extra = newobject(&MAPEXTRA_TYPE.0, g) as *mut MapExtra;
        }
        &mut *self.extra
    }

    /// Makes sure extra.overflow exists (gc's createOverflow).
    unsafe fn create_overflow(&mut self, g: *mut G) {
        let x = self.extra(g);
        if x.overflow.is_null() {
            x.overflow = newobject(&SLICE_TYPE.0, g) as *mut OverflowList;
        }
    }

    /// A new overflow bucket chained after `b` (gc's newoverflow): a preallocated one if
    /// any is left, else a fresh allocation.
    unsafe fn newoverflow(&mut self, t: &MapType, b: *mut u8, g: *mut G) -> *mut u8 {
        let ovf;
        if !self.extra.is_null() && !(*self.extra).next_overflow.is_null() {
            ovf = (*self.extra).next_overflow;
            if overflow_of(t, ovf).is_null() {
                // Not the last preallocated one: bump.
                (*self.extra).next_overflow = ovf.add(t.bucketsize as usize);
            } else {
                // The last one carries a non-nil sentinel overflow pointer: reset it.
                set_overflow(t, ovf, null_mut());
                (*self.extra).next_overflow = null_mut();
            }
        } else {
            ovf = newobject(t.bucket, g);
        }
        self.incrnoverflow(g);
        if (*t.bucket).ptrdata == 0 {
            self.create_overflow(g);
            append_overflow(&mut *(*self.extra).overflow, ovf, g);
        }
        set_overflow(t, b, ovf);
        ovf
    }
}

/// `append(*list, b)` for the overflow lists.
unsafe fn append_overflow(list: &mut OverflowList, b: *mut u8, g: *mut G) {
    if list.len == list.cap {
        let cap = (list.cap * 2).max(4);
        let p = newarray(&PTR_TYPE.0, cap, g) as *mut *mut u8;
        if list.len > 0 {
            core::ptr::copy_nonoverlapping(list.ptr, p, list.len);
        }
        list.ptr = p;
        list.cap = cap;
    }
    *list.ptr.add(list.len) = b;
    list.len += 1;
}

// ---------------------------------------------------------------------------------------------
// Key algorithms: the generic path calls the descriptor's functions; the fast variants of
// gc (map_fast32.go, map_fast64.go, map_faststr.go) hash and compare inline.

/// How a map's keys are hashed and compared.
trait KeyAlg {
    /// Hash of the key at `key`.
    unsafe fn hash(t: &MapType, key: *const u8, seed: usize, g: *mut G) -> usize;
    /// Whether the key at `key` equals the stored key at `k` (indirection followed).
    unsafe fn equal(t: &MapType, key: *const u8, k: *const u8, g: *mut G) -> bool;
}

/// Keys of any type, through `MapType::hasher` and the key type's `equal`.
struct Generic;

impl KeyAlg for Generic {
    #[inline]
    unsafe fn hash(t: &MapType, key: *const u8, seed: usize, g: *mut G) -> usize {
        call_hasher(t.hasher, key, seed, g)
    }
    #[inline]
    unsafe fn equal(t: &MapType, key: *const u8, k: *const u8, g: *mut G) -> bool {
        match (*t.key).equal {
            Some(eq) => call_equal(eq, key, k, g),
            None => crate::panic::throw("map key type has no equality function"),
        }
    }
}

/// 4-byte plain-memory keys.
struct Fast32;

impl KeyAlg for Fast32 {
    #[inline]
    unsafe fn hash(_: &MapType, key: *const u8, seed: usize, _: *mut G) -> usize {
        memhash32(key, seed)
    }
    #[inline]
    unsafe fn equal(_: &MapType, key: *const u8, k: *const u8, _: *mut G) -> bool {
        *(key as *const u32) == *(k as *const u32)
    }
}

/// 8-byte plain-memory keys.
struct Fast64;

impl KeyAlg for Fast64 {
    #[inline]
    unsafe fn hash(_: &MapType, key: *const u8, seed: usize, _: *mut G) -> usize {
        memhash64(key, seed)
    }
    #[inline]
    unsafe fn equal(_: &MapType, key: *const u8, k: *const u8, _: *mut G) -> bool {
        *(key as *const u64) == *(k as *const u64)
    }
}

/// String keys.
struct FastStr;

impl KeyAlg for FastStr {
    #[inline]
    unsafe fn hash(_: &MapType, key: *const u8, seed: usize, _: *mut G) -> usize {
        strhash(key, seed)
    }
    #[inline]
    unsafe fn equal(_: &MapType, key: *const u8, k: *const u8, _: *mut G) -> bool {
        let (a, b) = (*(key as *const GoString), *(k as *const GoString));
        a.len == b.len && (a.ptr == b.ptr || memequal(a.ptr, b.ptr, a.len))
    }
}

// ---------------------------------------------------------------------------------------------
// Creation.

/// gc's makemap_small: a map for at most 8 entries (buckets allocated on first insert).
///
/// # Safety
/// `g` must be the calling goroutine.
pub unsafe fn makemap_small(g: *mut G) -> *mut HMap {
    let h = newobject(&HMAP_TYPE.0, g) as *mut HMap;
    (*h).hash0 = fastrand(g);
    h
}

/// gc's makemap: a map of type `t` sized for `hint` entries, in `h` if not null (a header
/// the compiler allocated, e.g. on the stack), else in a new header.
///
/// # Safety
/// `t` must be a map type; `h` null or a zeroed header; `g` the calling goroutine.
pub unsafe fn makemap(t: &MapType, hint: isize, h: *mut HMap, g: *mut G) -> *mut HMap {
    let mut hint = hint;
    let mem = (hint as usize as u128) * (*t.bucket).size as u128;
    if hint < 0 || mem > crate::malloc::MAX_ALLOC as u128 {
        hint = 0;
    }
    let h = if h.is_null() {
        newobject(&HMAP_TYPE.0, g) as *mut HMap
    } else {
        h
    };
    (*h).hash0 = fastrand(g);
    let mut b = 0u8;
    while over_load_factor(hint, b) {
        b += 1;
    }
    (*h).b = b;
    if b != 0 {
        let (buckets, next_overflow) = make_bucket_array(t, b, null_mut(), g);
        (*h).buckets = buckets;
        if !next_overflow.is_null() {
            (*h).extra(g).next_overflow = next_overflow;
        }
    }
    h
}

/// A bucket array for 2^b buckets, plus some preallocated overflow buckets for b >= 4
/// (gc's makeBucketArray). Reuses and clears `dirty` (an array made here earlier with the
/// same t and b) if not null. Returns the array and the first preallocated overflow bucket.
unsafe fn make_bucket_array(t: &MapType, b: u8, dirty: *mut u8, g: *mut G) -> (*mut u8, *mut u8) {
    let base = bucket_shift(b);
    let mut nbuckets = base;
    let bsize = (*t.bucket).size;
    if b >= 4 {
        // Room for the expected overflow buckets of a table of this size, rounded up to
        // what the allocator would give anyway.
        nbuckets += bucket_shift(b - 4);
        let sz = bsize * nbuckets;
        let up = crate::sizeclasses::roundupsize(sz);
        if up != sz {
            nbuckets = up / bsize;
        }
    }
    let buckets = if dirty.is_null() {
        newarray(t.bucket, nbuckets, g)
    } else {
        let size = bsize * nbuckets;
        if (*t.bucket).ptrdata != 0 {
            memclr_has_pointers(dirty, size);
        } else {
            memclr_no_heap_pointers(dirty, size);
        }
        dirty
    };
    let mut next_overflow = null_mut();
    if base != nbuckets {
        // A preallocated overflow bucket with a nil overflow pointer has more after it; the
        // last one points back at the array as a sentinel.
        next_overflow = bucket_at(t, buckets, base);
        set_overflow(t, bucket_at(t, buckets, nbuckets - 1), buckets);
    }
    (buckets, next_overflow)
}

// ---------------------------------------------------------------------------------------------
// Lookup.

/// Finds `key`: pointers to the stored key and element, or None (gc's mapaccess body).
#[inline]
unsafe fn lookup<K: KeyAlg>(
    t: &MapType,
    h: &HMap,
    key: *const u8,
    g: *mut G,
) -> Option<(*mut u8, *mut u8)> {
    if h.flags() & HASH_WRITING != 0 {
        map_fatal("concurrent map read and map write");
    }
    let hash = K::hash(t, key, h.hash0 as usize, g);
    let mut m = bucket_mask(h.b);
    let mut b = bucket_at(t, h.buckets, hash & m);
    if !h.oldbuckets.is_null() {
        if !h.same_size_grow() {
            // There used to be half as many buckets.
            m >>= 1;
        }
        let oldb = bucket_at(t, h.oldbuckets, hash & m);
        if !evacuated(oldb) {
            b = oldb;
        }
    }
    let top = tophash(hash);
    while !b.is_null() {
        for i in 0..BUCKET_CNT {
            let th = *tophash_at(b, i);
            if th != top {
                if th == EMPTY_REST {
                    return None;
                }
                continue;
            }
            let k = slot_key(t, key_at(t, b, i));
            if K::equal(t, key, k, g) {
                return Some((k, slot_elem(t, elem_at(t, b, i))));
            }
        }
        b = overflow_of(t, b);
    }
    None
}

/// gc's mapaccess1/2: the element for `key` and whether it was present; absent keys (and
/// nil or empty maps) give a pointer to ZERO_VAL.
///
/// # Safety
/// `t` a map type, `h` null or a map of that type, `key` a key; `g` the calling goroutine.
#[inline]
unsafe fn mapaccess<K: KeyAlg>(
    t: &MapType,
    h: *mut HMap,
    key: *const u8,
    g: *mut G,
) -> (*mut u8, bool) {
    if h.is_null() || (*h).count == 0 {
        if t.hash_might_panic() {
            // Report an unhashable key even for an empty map (gc's issue 23734).
            K::hash(t, key, 0, g);
        }
        return (zero_val(), false);
    }
    match lookup::<K>(t, &*h, key, g) {
        Some((_, e)) => (e, true),
        None => (zero_val(), false),
    }
}

/// Rust API for mapaccess1/2 (generic keys).
///
/// # Safety
/// As for the entry points.
pub unsafe fn mapaccess2(t: &MapType, h: *mut HMap, key: *const u8, g: *mut G) -> (*mut u8, bool) {
    mapaccess::<Generic>(t, h, key, g)
}

/// The stored key and element for `key`, or nulls (gc's mapaccessK, for iteration).
unsafe fn mapaccess_k(t: &MapType, h: *mut HMap, key: *const u8, g: *mut G) -> (*mut u8, *mut u8) {
    if h.is_null() || (*h).count == 0 {
        return (null_mut(), null_mut());
    }
    let hash = call_hasher(t.hasher, key, (*h).hash0 as usize, g);
    let hh = &*h;
    let mut m = bucket_mask(hh.b);
    let mut b = bucket_at(t, hh.buckets, hash & m);
    if !hh.oldbuckets.is_null() {
        if !hh.same_size_grow() {
            m >>= 1;
        }
        let oldb = bucket_at(t, hh.oldbuckets, hash & m);
        if !evacuated(oldb) {
            b = oldb;
        }
    }
    let top = tophash(hash);
    while !b.is_null() {
        for i in 0..BUCKET_CNT {
            let th = *tophash_at(b, i);
            if th != top {
                if th == EMPTY_REST {
                    return (null_mut(), null_mut());
                }
                continue;
            }
            let k = slot_key(t, key_at(t, b, i));
            if Generic::equal(t, key, k, g) {
                return (k, slot_elem(t, elem_at(t, b, i)));
            }
        }
        b = overflow_of(t, b);
    }
    (null_mut(), null_mut())
}

// ---------------------------------------------------------------------------------------------
// Assignment and deletion.

/// gc's mapassign: the slot for `key`'s element, inserting the key if absent; the caller
/// stores the element there. Panics "assignment to entry in nil map" for a nil map.
///
/// # Safety
/// As for the entry points.
pub unsafe fn mapassign(t: &MapType, h: *mut HMap, key: *const u8, g: *mut G) -> *mut u8 {
    mapassign_with::<Generic>(t, h, key, g)
}

unsafe fn mapassign_with<K: KeyAlg>(
    t: &MapType,
    h: *mut HMap,
    key: *const u8,
    g: *mut G,
) -> *mut u8 {
    if h.is_null() {
        crate::panic::panic_plain("assignment to entry in nil map");
    }
    let h = &mut *h;
    if h.flags() & HASH_WRITING != 0 {
        map_fatal("concurrent map writes");
    }
    let hash = K::hash(t, key, h.hash0 as usize, g);
    // Flag the write only after hashing: the hash function may panic, and then nothing
    // was written.
    h.set_flags(h.flags() ^ HASH_WRITING);
    if h.buckets.is_null() {
        h.buckets = newobject(t.bucket, g);
    }
    let elem;
    'again: loop {
        let bucket = hash & bucket_mask(h.b);
        if h.growing() {
            grow_work(t, h, bucket, g);
        }
        let mut b = bucket_at(t, h.buckets, bucket);
        let top = tophash(hash);
        let mut inserti: *mut u8 = null_mut();
        let mut insertk: *mut u8 = null_mut();
        let mut inserte: *mut u8 = null_mut();
        'bucketloop: loop {
            for i in 0..BUCKET_CNT {
                let th = *tophash_at(b, i);
                if th != top {
                    if is_empty(th) && inserti.is_null() {
                        inserti = tophash_at(b, i);
                        insertk = key_at(t, b, i);
                        inserte = elem_at(t, b, i);
                    }
                    if th == EMPTY_REST {
                        break 'bucketloop;
                    }
                    continue;
                }
                let k = slot_key(t, key_at(t, b, i));
                if !K::equal(t, key, k, g) {
                    continue;
                }
                // Already present: update the key if equal keys can differ (+0/-0, strings).
                if t.need_key_update() {
                    typedmemmove(t.key, k, key);
                }
                elem = elem_at(t, b, i);
                break 'again;
            }
            let ovf = overflow_of(t, b);
            if ovf.is_null() {
                break;
            }
            b = ovf;
        }
        // Not present. Grow first if over the load factor or with too many overflow
        // buckets (growth invalidates the slot found, so start over).
        if !h.growing()
            && (over_load_factor(h.count + 1, h.b) || too_many_overflow_buckets(h.noverflow, h.b))
        {
            hash_grow(t, h, g);
            continue 'again;
        }
        if inserti.is_null() {
            // The bucket and its overflow chain are full.
            let newb = h.newoverflow(t, b, g);
            inserti = tophash_at(newb, 0);
            insertk = key_at(t, newb, 0);
            inserte = elem_at(t, newb, 0);
        }
        if t.indirect_key() {
            let kmem = newobject(t.key, g);
            *(insertk as *mut *mut u8) = kmem;
            insertk = kmem;
        }
        if t.indirect_elem() {
            let vmem = newobject(t.elem, g);
            *(inserte as *mut *mut u8) = vmem;
        }
        typedmemmove(t.key, insertk, key);
        *inserti = top;
        h.count += 1;
        elem = inserte;
        break;
    }
    h.end_write();
    slot_elem(t, elem)
}

/// gc's mapdelete: removes `key` if present (nil maps included).
///
/// # Safety
/// As for the entry points.
pub unsafe fn mapdelete(t: &MapType, h: *mut HMap, key: *const u8, g: *mut G) {
    mapdelete_with::<Generic>(t, h, key, g)
}

unsafe fn mapdelete_with<K: KeyAlg>(t: &MapType, h: *mut HMap, key: *const u8, g: *mut G) {
    if h.is_null() || (*h).count == 0 {
        if t.hash_might_panic() {
            K::hash(t, key, 0, g);
        }
        return;
    }
    let h = &mut *h;
    if h.flags() & HASH_WRITING != 0 {
        map_fatal("concurrent map writes");
    }
    let hash = K::hash(t, key, h.hash0 as usize, g);
    h.set_flags(h.flags() ^ HASH_WRITING);
    let bucket = hash & bucket_mask(h.b);
    if h.growing() {
        grow_work(t, h, bucket, g);
    }
    let borig = bucket_at(t, h.buckets, bucket);
    let top = tophash(hash);
    let mut b = borig;
    'search: while !b.is_null() {
        for i in 0..BUCKET_CNT {
            let th = *tophash_at(b, i);
            if th != top {
                if th == EMPTY_REST {
                    break 'search;
                }
                continue;
            }
            let k = key_at(t, b, i);
            if !K::equal(t, key, slot_key(t, k), g) {
                continue;
            }
            // Clear what may hold pointers, so the collector does not keep it alive.
            if t.indirect_key() {
                *(k as *mut *mut u8) = null_mut();
            } else if (*t.key).ptrdata != 0 {
                memclr_has_pointers(k, (*t.key).size);
            }
            let e = elem_at(t, b, i);
            if t.indirect_elem() {
                *(e as *mut *mut u8) = null_mut();
            } else if (*t.elem).ptrdata != 0 {
                memclr_has_pointers(e, (*t.elem).size);
            } else {
                memclr_no_heap_pointers(e, (*t.elem).size);
            }
            *tophash_at(b, i) = EMPTY_ONE;
            mark_empty_rest(t, borig, b, i);
            h.count -= 1;
            if h.count == 0 {
                // A fresh seed makes hash collisions harder to engineer (gc's issue 25237).
                h.hash0 = fastrand(g);
            }
            break 'search;
        }
        b = overflow_of(t, b);
    }
    h.end_write();
}

/// After slot `i` of bucket `b` (in the chain starting at `borig`) became empty: if nothing
/// follows it, turn it and the empty slots before it into EMPTY_REST, so lookups stop early.
unsafe fn mark_empty_rest(t: &MapType, borig: *mut u8, mut b: *mut u8, mut i: usize) {
    if i == BUCKET_CNT - 1 {
        let ovf = overflow_of(t, b);
        if !ovf.is_null() && *tophash_at(ovf, 0) != EMPTY_REST {
            return;
        }
    } else if *tophash_at(b, i + 1) != EMPTY_REST {
        return;
    }
    loop {
        *tophash_at(b, i) = EMPTY_REST;
        if i == 0 {
            if b == borig {
                return;
            }
            // Continue at the last slot of the previous bucket of the chain.
            let c = b;
            b = borig;
            while overflow_of(t, b) != c {
                b = overflow_of(t, b);
            }
            i = BUCKET_CNT - 1;
        } else {
            i -= 1;
        }
        if *tophash_at(b, i) != EMPTY_ONE {
            return;
        }
    }
}

/// gc's mapclear: deletes every entry, keeping the bucket array.
///
/// # Safety
/// As for the entry points.
pub unsafe fn mapclear(t: &MapType, h: *mut HMap, g: *mut G) {
    if h.is_null() || (*h).count == 0 {
        return;
    }
    let h = &mut *h;
    h.begin_write();
    h.set_flags(h.flags() & !SAME_SIZE_GROW);
    // Write barrier (gc's compiler inserts it for these stores): the pointers dropped here
    // may be all an iterator started during marking still reads through.
    if !h.extra.is_null() {
        let x = &*h.extra;
        crate::mbarrier::shade_if_marking(&[
            h.oldbuckets as usize,
            x.overflow as usize,
            x.oldoverflow as usize,
            x.next_overflow as usize,
        ]);
    } else {
        crate::mbarrier::shade_if_marking(&[h.oldbuckets as usize]);
    }
    h.oldbuckets = null_mut();
    h.nevacuate = 0;
    h.noverflow = 0;
    h.count = 0;
    h.hash0 = fastrand(g);
    if !h.extra.is_null() {
        *h.extra = MapExtra {
            overflow: null_mut(),
            oldoverflow: null_mut(),
            next_overflow: null_mut(),
        };
    }
    // Clears the array and recovers its preallocated overflow buckets.
    let (_, next_overflow) = make_bucket_array(t, h.b, h.buckets, g);
    if !next_overflow.is_null() {
        (*h.extra).next_overflow = next_overflow;
    }
    h.end_write();
}

// ---------------------------------------------------------------------------------------------
// Growth.

/// Starts growing (gc's hashGrow): to twice the buckets if over the load factor, else to
/// the same number (too many overflow buckets). Entries move later, in grow_work.
unsafe fn hash_grow(t: &MapType, h: &mut HMap, g: *mut G) {
    let mut bigger = 1u8;
    if !over_load_factor(h.count + 1, h.b) {
        bigger = 0;
        h.set_flags(h.flags() | SAME_SIZE_GROW);
    }
    let oldbuckets = h.buckets;
    let (newbuckets, next_overflow) = make_bucket_array(t, h.b + bigger, null_mut(), g);
    let mut flags = h.flags() & !(ITERATOR | OLD_ITERATOR);
    if h.flags() & ITERATOR != 0 {
        flags |= OLD_ITERATOR;
    }
    h.b += bigger;
    h.set_flags(flags);
    h.oldbuckets = oldbuckets;
    h.buckets = newbuckets;
    h.nevacuate = 0;
    h.noverflow = 0;
    if !h.extra.is_null() && !(*h.extra).overflow.is_null() {
        // The current overflow buckets become the old generation's.
        if !(*h.extra).oldoverflow.is_null() {
            crate::panic::throw("oldoverflow is not nil");
        }
        (*h.extra).oldoverflow = (*h.extra).overflow;
        (*h.extra).overflow = null_mut();
    }
    if !next_overflow.is_null() {
        h.extra(g).next_overflow = next_overflow;
    }
}

/// Evacuates the old bucket that `bucket` comes from, and one more to make progress (gc's
/// growWork).
unsafe fn grow_work(t: &MapType, h: &mut HMap, bucket: usize, g: *mut G) {
    evacuate(t, h, bucket & h.oldbucketmask(), g);
    if h.growing() {
        evacuate(t, h, h.nevacuate, g);
    }
}

/// An evacuation destination (gc's evacDst).
#[derive(Clone, Copy)]
struct EvacDst {
    b: *mut u8,
    i: usize,
    k: *mut u8,
    e: *mut u8,
}

/// Moves the entries of old bucket `oldbucket` (and its overflow chain) to the new array
/// (gc's evacuate): into the same index (X) or, when doubling, index + newbit (Y), by the
/// hash bit that the larger mask adds.
unsafe fn evacuate(t: &MapType, h: &mut HMap, oldbucket: usize, g: *mut G) {
    let mut b = bucket_at(t, h.oldbuckets, oldbucket);
    let newbit = h.noldbuckets();
    if !evacuated(b) {
        let ks = t.keysize as usize;
        let dst_at = |bk: *mut u8| EvacDst {
            b: bk,
            i: 0,
            k: bk.add(DATA_OFFSET),
            e: bk.add(DATA_OFFSET + BUCKET_CNT * ks),
        };
        let mut xy = [
            dst_at(bucket_at(t, h.buckets, oldbucket)),
            dst_at(null_mut()),
        ];
        if !h.same_size_grow() {
            // Only when doubling: otherwise Y would point past the array.
            xy[1] = dst_at(bucket_at(t, h.buckets, oldbucket + newbit));
        }
        while !b.is_null() {
            for i in 0..BUCKET_CNT {
                let k = key_at(t, b, i);
                let e = elem_at(t, b, i);
                let mut top = *tophash_at(b, i);
                if is_empty(top) {
                    *tophash_at(b, i) = EVACUATED_EMPTY;
                    continue;
                }
                if top < MIN_TOP_HASH {
                    crate::panic::throw("bad map state");
                }
                let k2 = slot_key(t, k);
                let mut use_y = 0usize;
                if !h.same_size_grow() {
                    let hash = call_hasher(t.hasher, k2, h.hash0 as usize, g);
                    if h.flags() & ITERATOR != 0
                        && !t.reflexive_key()
                        && !Generic::equal(t, k2, k2, g)
                    {
                        // k != k (NaN): the hash is not reproducible, but iterators need a
                        // reproducible choice; the low tophash bit decides, and a new random
                        // tophash spreads such keys over later growths.
                        use_y = (top & 1) as usize;
                        top = tophash(hash);
                    } else if hash & newbit != 0 {
                        use_y = 1;
                    }
                }
                *tophash_at(b, i) = EVACUATED_X + use_y as u8;
                let dst = &mut xy[use_y];
                if dst.i == BUCKET_CNT {
                    let nb = h.newoverflow(t, dst.b, g);
                    *dst = dst_at(nb);
                }
                *tophash_at(dst.b, dst.i & (BUCKET_CNT - 1)) = top;
                if t.indirect_key() {
                    *(dst.k as *mut *mut u8) = k2;
                } else {
                    typedmemmove(t.key, dst.k, k);
                }
                if t.indirect_elem() {
                    *(dst.e as *mut *mut u8) = *(e as *mut *mut u8);
                } else {
                    typedmemmove(t.elem, dst.e, e);
                }
                dst.i += 1;
                // May point past the arrays after the last slot; the overflow pointer at the
                // end of the bucket keeps that inside the bucket.
                dst.k = dst.k.add(ks);
                dst.e = dst.e.add(t.elemsize as usize);
            }
            b = overflow_of(t, b);
        }
        // Unlink the overflow buckets and clear keys and elements for the collector, unless
        // an iterator may still walk the old buckets. tophash keeps the evacuation state.
        if h.flags() & OLD_ITERATOR == 0 && (*t.bucket).ptrdata != 0 {
            let ob = bucket_at(t, h.oldbuckets, oldbucket);
            memclr_has_pointers(ob.add(DATA_OFFSET), t.bucketsize as usize - DATA_OFFSET);
        }
    }
    if oldbucket == h.nevacuate {
        advance_evacuation_mark(h, t, newbit);
    }
}

/// Advances `nevacuate` past evacuated buckets; ends the growth when all are done (gc's
/// advanceEvacuationMark).
unsafe fn advance_evacuation_mark(h: &mut HMap, t: &MapType, newbit: usize) {
    h.nevacuate += 1;
    // At most 1024 steps, to keep the operation O(1).
    let stop = (h.nevacuate + 1024).min(newbit);
    while h.nevacuate != stop && evacuated(bucket_at(t, h.oldbuckets, h.nevacuate)) {
        h.nevacuate += 1;
    }
    if h.nevacuate == newbit {
        // Write barrier: iterators may still read the old array (see mapclear).
        crate::mbarrier::shade_if_marking(&[h.oldbuckets as usize]);
        h.oldbuckets = null_mut();
        if !h.extra.is_null() {
            crate::mbarrier::shade_if_marking(&[(*h.extra).oldoverflow as usize]);
            (*h.extra).oldoverflow = null_mut();
        }
        h.set_flags(h.flags() & !SAME_SIZE_GROW);
    }
}

// ---------------------------------------------------------------------------------------------
// Iteration.

/// gc's mapiterinit: starts iterating `h` with `it` (zeroed by the caller) at a random
/// bucket and slot offset, and moves to the first entry.
///
/// # Safety
/// As for the entry points; `it` must be zeroed.
pub unsafe fn mapiterinit(t: *const MapType, h: *mut HMap, it: *mut HIter, g: *mut G) {
    let it = &mut *it;
    it.t = t;
    if h.is_null() || (*h).count == 0 {
        return;
    }
    let t = &*t;
    it.h = h;
    let hh = &mut *h;
    it.b = hh.b;
    it.buckets = hh.buckets;
    if (*t.bucket).ptrdata == 0 {
        // Keep the overflow buckets of both generations reachable while iterating.
        hh.create_overflow(g);
        it.overflow = (*hh.extra).overflow;
        it.oldoverflow = (*hh.extra).oldoverflow;
    }
    let r = if hh.b > 31 - 3 {
        (fastrand(g) as usize) << 32 | fastrand(g) as usize
    } else {
        fastrand(g) as usize
    };
    it.start_bucket = r & bucket_mask(hh.b);
    it.offset = ((r >> hh.b) & (BUCKET_CNT - 1)) as u8;
    it.bucket = it.start_bucket;
    // May run concurrently with other iterators' mapiterinit: an atomic or.
    if hh.flags() & (ITERATOR | OLD_ITERATOR) != ITERATOR | OLD_ITERATOR {
        hh.flags.fetch_or(ITERATOR | OLD_ITERATOR, Relaxed);
    }
    mapiternext(it, g);
}

/// gc's mapiternext: moves `it` to the next entry (key null at the end).
///
/// # Safety
/// `it` must have been started by mapiterinit; `g` the calling goroutine.
pub unsafe fn mapiternext(it: *mut HIter, g: *mut G) {
    let it = &mut *it;
    let h = &*it.h;
    if h.flags() & HASH_WRITING != 0 {
        map_fatal("concurrent map iteration and map write");
    }
    let t = &*it.t;
    let mut bucket = it.bucket;
    let mut b = it.bptr;
    let mut i = it.i as usize;
    let mut check_bucket = it.check_bucket;
    loop {
        if b.is_null() {
            if bucket == it.start_bucket && it.wrapped {
                it.key = null_mut();
                it.elem = null_mut();
                return;
            }
            if h.growing() && it.b == h.b {
                // Started during a growth that is not finished: if the old bucket feeding
                // this one is not evacuated yet, walk it, keeping only the entries that will
                // land in this bucket.
                let oldbucket = bucket & h.oldbucketmask();
                b = bucket_at(t, h.oldbuckets, oldbucket);
                if !evacuated(b) {
                    check_bucket = bucket;
                } else {
                    b = bucket_at(t, it.buckets, bucket);
                    check_bucket = NO_CHECK;
                }
            } else {
                b = bucket_at(t, it.buckets, bucket);
                check_bucket = NO_CHECK;
            }
            bucket += 1;
            if bucket == bucket_shift(it.b) {
                bucket = 0;
                it.wrapped = true;
            }
            i = 0;
        }
        while i < BUCKET_CNT {
            let offi = (i + it.offset as usize) & (BUCKET_CNT - 1);
            let th = *tophash_at(b, offi);
            if is_empty(th) || th == EVACUATED_EMPTY {
                i += 1;
                continue;
            }
            let k = slot_key(t, key_at(t, b, offi));
            let e = elem_at(t, b, offi);
            if check_bucket != NO_CHECK && !h.same_size_grow() {
                if t.reflexive_key() || Generic::equal(t, k, k, g) {
                    // Skip entries of the old bucket that go to the other half.
                    let hash = call_hasher(t.hasher, k, h.hash0 as usize, g);
                    if hash & bucket_mask(it.b) != check_bucket {
                        i += 1;
                        continue;
                    }
                } else if check_bucket >> (it.b - 1) != (th & 1) as usize {
                    // k != k: the low tophash bit decides the half, as in evacuate.
                    i += 1;
                    continue;
                }
            }
            if (th != EVACUATED_X && th != EVACUATED_Y)
                || !(t.reflexive_key() || Generic::equal(t, k, k, g))
            {
                // The data here is current (or k != k, which can be neither updated nor
                // deleted, so this copy is as good as any).
                it.key = k;
                it.elem = slot_elem(t, e);
            } else {
                // The table grew since: the entry may have been updated or deleted; look it
                // up (and take its key from there: it may be +0 now where it was -0).
                let (rk, re) = mapaccess_k(t, it.h, k, g);
                if rk.is_null() {
                    i += 1;
                    continue;
                }
                it.key = rk;
                it.elem = re;
            }
            it.bucket = bucket;
            it.bptr = b;
            it.i = (i + 1) as u8;
            it.check_bucket = check_bucket;
            return;
        }
        b = overflow_of(t, b);
        i = 0;
    }
}

// ---------------------------------------------------------------------------------------------
// Entry points for compiled code.

unsafe extern "C" fn makemap_from_go(
    t: *const MapType,
    hint: isize,
    h: *mut HMap,
    g: *mut G,
) -> *mut HMap {
    makemap(&*t, hint, h, g)
}

crate::go_entry!(
    /// `make(map[K]V, hint)`: `runtime.makemap(t *maptype, hint int, h *hmap) *hmap`; `h` is
    /// a zeroed header to use, or nil.
    makemap_entry = "runtime.makemap"(t: *const MapType, hint: isize, h: *mut HMap) -> *mut HMap;
    g in "rcx" / "x3" => makemap_from_go
);

unsafe extern "C" fn makemap_small_from_go(g: *mut G) -> *mut HMap {
    makemap_small(g)
}

crate::go_entry!(
    /// `make(map[K]V)` or a hint known to be at most 8: `runtime.makemap_small() *hmap`.
    makemap_small_entry = "runtime.makemap_small"() -> *mut HMap;
    g in "rdi" / "x0" => makemap_small_from_go
);

unsafe extern "C" fn mapaccess1_from_go(
    t: *const MapType,
    h: *mut HMap,
    key: *const u8,
    g: *mut G,
) -> *mut u8 {
    mapaccess::<Generic>(&*t, h, key, g).0
}

crate::go_entry!(
    /// `m[k]`: `runtime.mapaccess1(t *maptype, h *hmap, key *K) *V`; never nil: absent keys
    /// give a pointer to a zero value (ZERO_VAL, so only for elements up to 1024 bytes; use
    /// mapaccess1_fat above that).
    mapaccess1_entry = "runtime.mapaccess1"(t: *const MapType, h: *mut HMap, key: *const u8) -> *mut u8;
    g in "rcx" / "x3" => mapaccess1_from_go
);

unsafe extern "C" fn mapaccess2_from_go(
    t: *const MapType,
    h: *mut HMap,
    key: *const u8,
    g: *mut G,
) -> MapAccess2 {
    let (elem, ok) = mapaccess::<Generic>(&*t, h, key, g);
    MapAccess2 {
        elem,
        ok: ok as usize,
    }
}

crate::go_entry!(
    /// `v, ok := m[k]`: `runtime.mapaccess2(t *maptype, h *hmap, key *K) (*V, bool)`, the
    /// pair in two registers (MapAccess2).
    mapaccess2_entry = "runtime.mapaccess2"(t: *const MapType, h: *mut HMap, key: *const u8) -> MapAccess2;
    g in "rcx" / "x3" => mapaccess2_from_go
);

unsafe extern "C" fn mapaccess1_fat_from_go(
    t: *const MapType,
    h: *mut HMap,
    key: *const u8,
    zero: *mut u8,
    g: *mut G,
) -> *mut u8 {
    let (e, ok) = mapaccess::<Generic>(&*t, h, key, g);
    if ok {
        e
    } else {
        zero
    }
}

crate::go_entry!(
    /// `m[k]` for elements over 1024 bytes: `runtime.mapaccess1_fat(t, h, key, zero
    /// unsafe.Pointer) *V`, returning `zero` (the compiler's zero value) for absent keys.
    mapaccess1_fat_entry = "runtime.mapaccess1_fat"(t: *const MapType, h: *mut HMap, key: *const u8, zero: *mut u8) -> *mut u8;
    g in "r8" / "x4" => mapaccess1_fat_from_go
);

unsafe extern "C" fn mapaccess2_fat_from_go(
    t: *const MapType,
    h: *mut HMap,
    key: *const u8,
    zero: *mut u8,
    g: *mut G,
) -> MapAccess2 {
    let (e, ok) = mapaccess::<Generic>(&*t, h, key, g);
    MapAccess2 {
        elem: if ok { e } else { zero },
        ok: ok as usize,
    }
}

crate::go_entry!(
    /// `v, ok := m[k]` for elements over 1024 bytes: `runtime.mapaccess2_fat(t, h, key,
    /// zero) (*V, bool)`.
    mapaccess2_fat_entry = "runtime.mapaccess2_fat"(t: *const MapType, h: *mut HMap, key: *const u8, zero: *mut u8) -> MapAccess2;
    g in "r8" / "x4" => mapaccess2_fat_from_go
);

unsafe extern "C" fn mapassign_from_go(
    t: *const MapType,
    h: *mut HMap,
    key: *const u8,
    g: *mut G,
) -> *mut u8 {
    mapassign_with::<Generic>(&*t, h, key, g)
}

crate::go_entry!(
    /// `m[k] = v`: `runtime.mapassign(t *maptype, h *hmap, key *K) *V` returns the element
    /// slot to store v into; panics "assignment to entry in nil map".
    mapassign_entry = "runtime.mapassign"(t: *const MapType, h: *mut HMap, key: *const u8) -> *mut u8;
    g in "rcx" / "x3" => mapassign_from_go
);

unsafe extern "C" fn mapdelete_from_go(t: *const MapType, h: *mut HMap, key: *const u8, g: *mut G) {
    mapdelete_with::<Generic>(&*t, h, key, g)
}

crate::go_entry!(
    /// `delete(m, k)`: `runtime.mapdelete(t *maptype, h *hmap, key *K)`.
    mapdelete_entry = "runtime.mapdelete"(t: *const MapType, h: *mut HMap, key: *const u8);
    g in "rcx" / "x3" => mapdelete_from_go
);

unsafe extern "C" fn mapclear_from_go(t: *const MapType, h: *mut HMap, g: *mut G) {
    mapclear(&*t, h, g)
}

crate::go_entry!(
    /// `for k := range m { delete(m, k) }`: `runtime.mapclear(t *maptype, h *hmap)`.
    mapclear_entry = "runtime.mapclear"(t: *const MapType, h: *mut HMap);
    g in "rdx" / "x2" => mapclear_from_go
);

unsafe extern "C" fn mapiterinit_from_go(
    t: *const MapType,
    h: *mut HMap,
    it: *mut HIter,
    g: *mut G,
) {
    with_iter_barrier(it, || mapiterinit(t, h, it, g))
}

/// Runs `update` of iterator `it` with both halves of the write barrier for its pointer
/// words (key, elem, t, h, buckets, bptr, overflow, oldoverflow): an iterator from compiled
/// code may live in the heap (reflect's MapIter holds one), where gc's compiler barriers
/// the runtime's stores into it. The barrier cannot turn on during the update (no safe point).
unsafe fn with_iter_barrier(it: *mut HIter, update: impl FnOnce()) {
    if !crate::mbarrier::enabled() {
        update();
        return;
    }
    let mut words = [0usize; 16];
    words[..8].copy_from_slice(&core::ptr::read(it as *const [usize; 8]));
    update();
    words[8..].copy_from_slice(&core::ptr::read(it as *const [usize; 8]));
    crate::mbarrier::shade_if_marking(&words);
}

crate::go_entry!(
    /// `for k, v := range m`: `runtime.mapiterinit(t *maptype, h *hmap, it *hiter)` with `it`
    /// a zeroed 96-byte HIter; then key pointer at it+0 (nil: done), element pointer at it+8.
    mapiterinit_entry = "runtime.mapiterinit"(t: *const MapType, h: *mut HMap, it: *mut HIter);
    g in "rcx" / "x3" => mapiterinit_from_go
);

unsafe extern "C" fn mapiternext_from_go(it: *mut HIter, g: *mut G) {
    with_iter_barrier(it, || mapiternext(it, g))
}

crate::go_entry!(
    /// `runtime.mapiternext(it *hiter)`: advances to the next entry.
    mapiternext_entry = "runtime.mapiternext"(it: *mut HIter);
    g in "rsi" / "x1" => mapiternext_from_go
);

/// Defines the `_fast32`/`_fast64` entry points, which take the key by value.
macro_rules! fast_entries {
    ($alg:ty, $kt:ty,
     $a1:ident = $s1:literal, $a1f:ident,
     $a2:ident = $s2:literal, $a2f:ident,
     $as:ident = $ss:literal, $asf:ident,
     $d:ident = $sd:literal, $df:ident) => {
        unsafe extern "C" fn $a1f(t: *const MapType, h: *mut HMap, key: $kt, g: *mut G) -> *mut u8 {
            mapaccess::<$alg>(&*t, h, &key as *const $kt as *const u8, g).0
        }
        crate::go_entry!(
            #[doc = concat!("`m[k]`: `", $s1, "(t *maptype, h *hmap, key) *V`, key by value.")]
            $a1 = $s1(t: *const MapType, h: *mut HMap, key: $kt) -> *mut u8;
            g in "rcx" / "x3" => $a1f
        );
        unsafe extern "C" fn $a2f(t: *const MapType, h: *mut HMap, key: $kt, g: *mut G) -> MapAccess2 {
            let (elem, ok) = mapaccess::<$alg>(&*t, h, &key as *const $kt as *const u8, g);
            MapAccess2 { elem, ok: ok as usize }
        }
        crate::go_entry!(
            #[doc = concat!("`v, ok := m[k]`: `", $s2, "(t, h, key) (*V, bool)`.")]
            $a2 = $s2(t: *const MapType, h: *mut HMap, key: $kt) -> MapAccess2;
            g in "rcx" / "x3" => $a2f
        );
        unsafe extern "C" fn $asf(t: *const MapType, h: *mut HMap, key: $kt, g: *mut G) -> *mut u8 {
            mapassign_with::<$alg>(&*t, h, &key as *const $kt as *const u8, g)
        }
        crate::go_entry!(
            #[doc = concat!("`m[k] = v`: `", $ss, "(t, h, key) *V`.")]
            $as = $ss(t: *const MapType, h: *mut HMap, key: $kt) -> *mut u8;
            g in "rcx" / "x3" => $asf
        );
        unsafe extern "C" fn $df(t: *const MapType, h: *mut HMap, key: $kt, g: *mut G) {
            mapdelete_with::<$alg>(&*t, h, &key as *const $kt as *const u8, g)
        }
        crate::go_entry!(
            #[doc = concat!("`delete(m, k)`: `", $sd, "(t, h, key)`.")]
            $d = $sd(t: *const MapType, h: *mut HMap, key: $kt);
            g in "rcx" / "x3" => $df
        );
    };
}

fast_entries!(
    Fast32,
    u32,
    mapaccess1_fast32_entry = "runtime.mapaccess1_fast32",
    mapaccess1_fast32_from_go,
    mapaccess2_fast32_entry = "runtime.mapaccess2_fast32",
    mapaccess2_fast32_from_go,
    mapassign_fast32_entry = "runtime.mapassign_fast32",
    mapassign_fast32_from_go,
    mapdelete_fast32_entry = "runtime.mapdelete_fast32",
    mapdelete_fast32_from_go
);

fast_entries!(
    Fast64,
    u64,
    mapaccess1_fast64_entry = "runtime.mapaccess1_fast64",
    mapaccess1_fast64_from_go,
    mapaccess2_fast64_entry = "runtime.mapaccess2_fast64",
    mapaccess2_fast64_from_go,
    mapassign_fast64_entry = "runtime.mapassign_fast64",
    mapassign_fast64_from_go,
    mapdelete_fast64_entry = "runtime.mapdelete_fast64",
    mapdelete_fast64_from_go
);

unsafe extern "C" fn mapassign_fast64ptr_from_go(
    t: *const MapType,
    h: *mut HMap,
    key: *mut u8,
    g: *mut G,
) -> *mut u8 {
    mapassign_with::<Fast64>(&*t, h, &key as *const *mut u8 as *const u8, g)
}

crate::go_entry!(
    /// `m[k] = v` for pointer keys: `runtime.mapassign_fast64ptr(t, h, key unsafe.Pointer)
    /// *V` (the same as mapassign_fast64 until stores of pointers need write barriers).
    mapassign_fast64ptr_entry = "runtime.mapassign_fast64ptr"(t: *const MapType, h: *mut HMap, key: *mut u8) -> *mut u8;
    g in "rcx" / "x3" => mapassign_fast64ptr_from_go
);

unsafe extern "C" fn mapaccess1_faststr_from_go(
    t: *const MapType,
    h: *mut HMap,
    p: *const u8,
    n: usize,
    g: *mut G,
) -> *mut u8 {
    let key = GoString { ptr: p, len: n };
    mapaccess::<FastStr>(&*t, h, &key as *const GoString as *const u8, g).0
}

crate::go_entry!(
    /// `m[k]` for string keys: `runtime.mapaccess1_faststr(t, h, key string) *V`, the string
    /// as (pointer, length).
    mapaccess1_faststr_entry = "runtime.mapaccess1_faststr"(t: *const MapType, h: *mut HMap, p: *const u8, n: usize) -> *mut u8;
    g in "r8" / "x4" => mapaccess1_faststr_from_go
);

unsafe extern "C" fn mapaccess2_faststr_from_go(
    t: *const MapType,
    h: *mut HMap,
    p: *const u8,
    n: usize,
    g: *mut G,
) -> MapAccess2 {
    let key = GoString { ptr: p, len: n };
    let (elem, ok) = mapaccess::<FastStr>(&*t, h, &key as *const GoString as *const u8, g);
    MapAccess2 {
        elem,
        ok: ok as usize,
    }
}

crate::go_entry!(
    /// `v, ok := m[k]` for string keys: `runtime.mapaccess2_faststr(t, h, key string) (*V,
    /// bool)`.
    mapaccess2_faststr_entry = "runtime.mapaccess2_faststr"(t: *const MapType, h: *mut HMap, p: *const u8, n: usize) -> MapAccess2;
    g in "r8" / "x4" => mapaccess2_faststr_from_go
);

unsafe extern "C" fn mapassign_faststr_from_go(
    t: *const MapType,
    h: *mut HMap,
    p: *const u8,
    n: usize,
    g: *mut G,
) -> *mut u8 {
    let key = GoString { ptr: p, len: n };
    mapassign_with::<FastStr>(&*t, h, &key as *const GoString as *const u8, g)
}

crate::go_entry!(
    /// `m[k] = v` for string keys: `runtime.mapassign_faststr(t, h, key string) *V`.
    mapassign_faststr_entry = "runtime.mapassign_faststr"(t: *const MapType, h: *mut HMap, p: *const u8, n: usize) -> *mut u8;
    g in "r8" / "x4" => mapassign_faststr_from_go
);

unsafe extern "C" fn mapdelete_faststr_from_go(
    t: *const MapType,
    h: *mut HMap,
    p: *const u8,
    n: usize,
    g: *mut G,
) {
    let key = GoString { ptr: p, len: n };
    mapdelete_with::<FastStr>(&*t, h, &key as *const GoString as *const u8, g)
}

crate::go_entry!(
    /// `delete(m, k)` for string keys: `runtime.mapdelete_faststr(t, h, key string)`.
    mapdelete_faststr_entry = "runtime.mapdelete_faststr"(t: *const MapType, h: *mut HMap, p: *const u8, n: usize);
    g in "r8" / "x4" => mapdelete_faststr_from_go
);

#[cfg(test)]
#[path = "map_test.rs"]
mod tests;
