//! Memory allocator entry points (Go's malloc.go).
//!
//! The allocator is gc 1.19's, structure for structure:
//!
//! - objects of up to 32 KiB are rounded up to one of 67 size classes (sizeclasses.rs) and
//!   carved from spans (runs of 8 KiB pages) of that class, one span per class cached in each
//!   P's `MCache` (mcache.rs) so the common path takes no lock;
//! - a P whose span is full swaps it for one with free slots from the class's `MCentral`
//!   (mcentral.rs), which gets fresh spans from the page heap `MHeap` (mheap.rs);
//! - the heap takes pages from the page allocator (mpagealloc.rs), which grows by mapping
//!   more of the 64 MiB arenas reserved from the OS at gc's address hints;
//! - pointer-free objects under 16 bytes share 16-byte blocks (the tiny allocator), objects
//!   over 32 KiB get a span of their own straight from the heap;
//! - every span class exists twice, "scan" and "noscan", so the collector can skip spans
//!   whose objects hold no pointers.
//!
//! Exported to compiled code (see runtime/README.md for the exact ABI): `runtime.mallocgc`,
//! `runtime.newobject`, `goclift.mallocgc_untyped`, and `runtime.zerobase`.

use crate::lock_futex::Locked;
use crate::mcache::MCache;
use crate::mem_linux::sys_alloc;
use crate::mheap::{MSpan, SpanClass, MHEAP, TINY_SPAN_CLASS};
use crate::mstats::{SysMemStat, MEMSTATS};
use crate::panic::throw;
use crate::r#type::Type;
use crate::runtime2::{G, M};
use crate::sizeclasses::{size_to_class, CLASS_TO_SIZE, MAX_SMALL_SIZE, PAGE_SIZE};

/// Objects smaller than this without pointers share 16-byte blocks (gc's maxTinySize).
pub const MAX_TINY_SIZE: usize = 16;
/// The size class of tiny blocks (gc's tinySizeClass).
pub const TINY_SIZE_CLASS: u8 = 2;

/// Bits of a heap address on linux/amd64 and linux/arm64 (gc's heapAddrBits).
pub const HEAP_ADDR_BITS: usize = 48;
/// The largest possible allocation (gc's maxAlloc).
pub const MAX_ALLOC: usize = 1 << HEAP_ADDR_BITS;
/// log2 of the heap arena size (gc's logHeapArenaBytes on 64-bit Linux).
pub const LOG_HEAP_ARENA_BYTES: usize = 26;
/// The heap is made of 64 MiB arenas, each aligned to its size (gc's heapArenaBytes).
pub const HEAP_ARENA_BYTES: usize = 1 << LOG_HEAP_ARENA_BYTES;
/// Pages per arena: 8192 (gc's pagesPerArena).
pub const PAGES_PER_ARENA: usize = HEAP_ARENA_BYTES / PAGE_SIZE;
/// Bits of the first level of the arena index; 0 on Linux, as in gc (gc's arenaL1Bits).
pub const ARENA_L1_BITS: usize = 0;
/// Bits of the second level: 22, a 4M-entry table of 32 MiB, mapped lazily by the kernel
/// (gc's arenaL2Bits).
pub const ARENA_L2_BITS: usize = HEAP_ADDR_BITS - LOG_HEAP_ARENA_BYTES - ARENA_L1_BITS;
/// Bits of an arena number (gc's arenaBits).
pub const ARENA_BITS: usize = ARENA_L1_BITS + ARENA_L2_BITS;
/// The address of arena number 0: amd64 addresses are sign-extended, so gc offsets them by
/// 2^47 to make the arena index cover the "negative" half too (gc's arenaBaseOffset).
#[cfg(target_arch = "x86_64")]
pub const ARENA_BASE_OFFSET: usize = 0xffff_8000_0000_0000;
/// The address of arena number 0 (arm64 user addresses start at 0).
#[cfg(target_arch = "aarch64")]
pub const ARENA_BASE_OFFSET: usize = 0;
/// Chunk size of `FixAlloc` (gc's _FixAllocChunk).
pub const FIX_ALLOC_CHUNK: usize = 16 << 10;
/// Chunk size of `persistentalloc` (gc's persistentChunkSize).
const PERSISTENT_CHUNK_SIZE: usize = 256 << 10;
/// Requests of this size or more bypass the persistent chunks (gc's maxBlock).
const PERSISTENT_MAX_BLOCK: usize = 64 << 10;

/// The address that every zero-byte allocation returns (gc's zerobase).
#[unsafe(export_name = "runtime.zerobase")]
pub static ZEROBASE: usize = 0;

/// The bump allocator behind `persistentalloc` (gc's persistentAlloc).
struct PersistentAlloc {
    base: usize,
    off: usize,
}

/// gc keeps one per P and a global one; goclift has only the global one, behind its lock.
static GLOBAL_ALLOC: Locked<PersistentAlloc> = Locked::new(PersistentAlloc { base: 0, off: 0 });

/// Allocates `size` bytes of zeroed memory that is never freed, for runtime metadata, aligned
/// to `align` (0 means 8), counted in `stat` (gc's persistentalloc). Throws when the OS has
/// no memory left.
pub fn persistentalloc(size: usize, align: usize, stat: &SysMemStat) -> *mut u8 {
    if size == 0 {
        throw("persistentalloc: size == 0");
    }
    let align = match align {
        0 => 8,
        a if !a.is_power_of_two() => throw("persistentalloc: align is not a power of 2"),
        a if a > PAGE_SIZE => throw("persistentalloc: align is too large"),
        a => a,
    };
    if size >= PERSISTENT_MAX_BLOCK {
        let p = sys_alloc(size, stat);
        if p.is_null() {
            throw("runtime: cannot allocate memory");
        }
        return p;
    }
    let p = {
        let mut pa = GLOBAL_ALLOC.lock();
        pa.off = pa.off.next_multiple_of(align);
        if pa.base == 0 || pa.off + size > PERSISTENT_CHUNK_SIZE {
            let chunk = sys_alloc(PERSISTENT_CHUNK_SIZE, &MEMSTATS.other_sys);
            if chunk.is_null() {
                throw("runtime: cannot allocate memory");
            }
            pa.base = chunk as usize;
            pa.off = 0;
        }
        let p = pa.base + pa.off;
        pa.off += size;
        p as *mut u8
    };
    // The chunk was counted as other_sys; move this part to the caller's category.
    if !core::ptr::eq(stat, &MEMSTATS.other_sys) {
        stat.add(size as i64);
        MEMSTATS.other_sys.add(-(size as i64));
    }
    p
}

/// The bootstrap mcache, used before P0 exists and then handed to it (gc's mcache0).
static MCACHE0: core::sync::atomic::AtomicPtr<MCache> =
    core::sync::atomic::AtomicPtr::new(core::ptr::null_mut());

/// Initialises the allocator (gc's mallocinit): checks the constants and the OS page size,
/// sets up the heap and the bootstrap mcache. Called once by schedinit, before any
/// allocation; further calls do nothing.
pub fn mallocinit() {
    if CLASS_TO_SIZE[TINY_SIZE_CLASS as usize] as usize != MAX_TINY_SIZE {
        throw("bad TinySizeClass");
    }
    let phys = crate::os_linux::phys_page_size();
    if phys == 0 {
        throw("failed to get system page size");
    }
    if !phys.is_power_of_two() || !(4096..=512 << 10).contains(&phys) {
        throw("bad system page size");
    }
    MHEAP.init();
    if MCACHE0
        .load(core::sync::atomic::Ordering::Acquire)
        .is_null()
    {
        let c = MHEAP.alloc_mcache();
        MCACHE0.store(c, core::sync::atomic::Ordering::Release);
    }
}

/// Takes the bootstrap mcache for P0 (gc's procresize: "pp.mcache = mcache0").
pub fn take_mcache0() -> *mut MCache {
    MCACHE0.swap(core::ptr::null_mut(), core::sync::atomic::Ordering::AcqRel)
}

/// The mcache an M allocates from: its P's, or the bootstrap one while there is no P yet
/// (gc's getMCache).
///
/// # Safety
/// `mp` must be a live M.
pub unsafe fn getmcache(mp: *mut M) -> *mut MCache {
    let pp = (*mp).p;
    if pp.is_null() {
        MCACHE0.load(core::sync::atomic::Ordering::Acquire)
    } else {
        (*pp).mcache
    }
}

/// The next free slot of `s` if its alloc cache has one within the current 64-slot window,
/// else 0 (gc's nextFreeFast). The fast path of small allocation: no lock, no bitmap read.
#[inline(always)]
fn next_free_fast(s: *mut MSpan) -> usize {
    // SAFETY: `s` is the mcache's span (possibly the never-written empty span, whose cache
    // is 0 so nothing below writes to it).
    unsafe {
        let the_bit = (*s).alloc_cache.trailing_zeros() as usize;
        if the_bit < 64 {
            let result = (*s).freeindex + the_bit;
            if result < (*s).nelems {
                let freeidx = result + 1;
                if freeidx.is_multiple_of(64) && freeidx != (*s).nelems {
                    return 0;
                }
                (*s).alloc_cache = ((*s).alloc_cache >> the_bit) >> 1;
                (*s).freeindex = freeidx;
                (*s).alloc_count += 1;
                return result * (*s).elemsize + (*s).base();
            }
        }
    }
    0
}

/// Allocates `size` bytes from mcache `c`: gc's mallocgc below the M bookkeeping. `noscan`:
/// the object holds no pointers; `needzero`: the memory must be zeroed (callers that
/// overwrite all of it at once may pass false, as gc's do).
///
/// # Safety
/// The calling thread must own `c` for the duration of the call.
pub unsafe fn mallocgc_cache(c: &mut MCache, size: usize, noscan: bool, needzero: bool) -> *mut u8 {
    mallocgc_cache_typed(c, size, core::ptr::null(), noscan, needzero)
}

/// `mallocgc_cache` for an object of type `typ` (an array of them if `size` is a multiple
/// of its size): a scannable object gets its heap bits from the type; a null `typ` with
/// `noscan` false makes an object the collector scans conservatively.
///
/// # Safety
/// As `mallocgc_cache`; `typ` must be null or a valid descriptor.
pub unsafe fn mallocgc_cache_typed(
    c: &mut MCache,
    size: usize,
    typ: *const Type,
    noscan: bool,
    needzero: bool,
) -> *mut u8 {
    let data_size = size;
    if size == 0 {
        return &raw const ZEROBASE as *mut u8;
    }
    let (x, size, should_help_gc) = if size > MAX_SMALL_SIZE {
        alloc_large_object(c, size, noscan, needzero)
    } else if noscan && size < MAX_TINY_SIZE {
        match alloc_tiny(c, size) {
            Some(x) => return x as *mut u8,
            None => alloc_tiny_block(c, size),
        }
    } else {
        alloc_small(c, size, noscan, needzero)
    };
    if !noscan {
        crate::mbitmap::heap_bits_set_type(c.heap(), x, size, data_size, typ);
        c.scan_alloc += size;
    }
    // Publish the object's initialisation before its address can reach another thread
    // (gc's publicationBarrier).
    core::sync::atomic::fence(core::sync::atomic::Ordering::Release);
    // Collector hooks, as in gc: while marking, new objects are allocated black
    // (gcmarknewobject); when a span was refilled or a large object allocated
    // (`should_help_gc`), the collector checks its heap trigger and may start a cycle.
    let _ = should_help_gc;
    if crate::mgc::marking() {
        crate::mgc::mark_new_object(x, size);
    }
    x as *mut u8
}

/// The tiny allocator: pointer-free objects under 16 bytes are packed into the current
/// 16-byte block, aligned by their size's low bits. None if the block has no room.
#[inline(always)]
fn alloc_tiny(c: &mut MCache, size: usize) -> Option<usize> {
    let off = if size & 7 == 0 {
        c.tinyoffset.next_multiple_of(8)
    } else if size & 3 == 0 {
        c.tinyoffset.next_multiple_of(4)
    } else if size & 1 == 0 {
        c.tinyoffset.next_multiple_of(2)
    } else {
        c.tinyoffset
    };
    if off + size <= MAX_TINY_SIZE && c.tiny != 0 {
        c.tinyoffset = off + size;
        c.tiny_allocs += 1;
        return Some(c.tiny + off);
    }
    None
}

/// A fresh zeroed 16-byte block for a tiny object; it becomes the current tiny block if it
/// has more room left than the old one.
fn alloc_tiny_block(c: &mut MCache, size: usize) -> (usize, usize, bool) {
    let span = c.span(TINY_SPAN_CLASS);
    let mut v = next_free_fast(span);
    let mut should_help_gc = false;
    if v == 0 {
        (v, _, should_help_gc) = c.next_free(TINY_SPAN_CLASS);
    }
    // SAFETY: a 16-byte slot just allocated.
    unsafe { (v as *mut [u64; 2]).write([0, 0]) };
    if size < c.tinyoffset || c.tiny == 0 {
        c.tiny = v;
        c.tinyoffset = size;
    }
    (v, MAX_TINY_SIZE, should_help_gc)
}

/// A slot of the size class that fits `size`.
#[inline(always)]
fn alloc_small(c: &mut MCache, size: usize, noscan: bool, needzero: bool) -> (usize, usize, bool) {
    let sizeclass = size_to_class(size);
    let size = CLASS_TO_SIZE[sizeclass as usize] as usize;
    let spc = SpanClass::new(sizeclass, noscan);
    let mut span = c.span(spc);
    let mut v = next_free_fast(span);
    let mut should_help_gc = false;
    if v == 0 {
        (v, span, should_help_gc) = c.next_free(spc);
    }
    // SAFETY: `span` is the mcache's span and [v, v+size) a slot just allocated from it.
    unsafe {
        if needzero && (*span).needzero != 0 {
            core::ptr::write_bytes(v as *mut u8, 0, size);
        }
    }
    (v, size, should_help_gc)
}

/// A span of its own for an object over 32 KiB.
fn alloc_large_object(
    c: &mut MCache,
    size: usize,
    noscan: bool,
    needzero: bool,
) -> (usize, usize, bool) {
    let span = c.alloc_large(size, noscan);
    // SAFETY: a fresh span holding just this object.
    unsafe {
        let s = &mut *span;
        s.freeindex = 1;
        s.alloc_count = 1;
        if needzero && s.needzero != 0 {
            core::ptr::write_bytes(s.base() as *mut u8, 0, s.elemsize);
        }
        (s.base(), s.elemsize, true)
    }
}

/// gc's mallocgc for runtime code that knows its M: allocates `size` bytes for an object of
/// type `typ` (null: pointer-free, as in gc) from the M's mcache.
///
/// # Safety
/// `mp` must be the calling thread's M.
pub unsafe fn mallocgc(size: usize, typ: *const Type, needzero: bool, mp: *mut M) -> *mut u8 {
    let noscan = typ.is_null() || (*typ).noscan();
    malloc_on_m(size, typ, noscan, needzero, mp)
}

/// Allocates `size` bytes for runtime code that knows its M, by pointer-freedom only (the
/// runtime's own objects: channels, ...).
///
/// # Safety
/// `mp` must be the calling thread's M, holding a P.
pub unsafe fn malloc_untyped(size: usize, noscan: bool, needzero: bool, mp: *mut M) -> *mut u8 {
    malloc_on_m(size, core::ptr::null(), noscan, needzero, mp)
}

/// mallocgc's M bookkeeping around `mallocgc_cache`.
///
/// # Safety
/// `mp` must be the calling thread's M (or null, which throws).
unsafe fn malloc_on_m(
    size: usize,
    typ: *const Type,
    noscan: bool,
    needzero: bool,
    mut mp: *mut M,
) -> *mut u8 {
    if mp.is_null() {
        throw("mallocgc called without an M");
    }
    // gc starts a cycle after the allocation that crossed the trigger; goclift checks before
    // allocating, so that the collector never has to find an object that is still only in
    // this function's hands.
    if crate::mgc::marking() {
        // Allocating while the collector marks: pay for it with scan work first.
        mp = crate::mgc::gc_assist(mp, size);
    } else if MHEAP.stats.heap_live.load(core::sync::atomic::Ordering::Relaxed)
        >= crate::mgcpacer::TRIGGER.load(core::sync::atomic::Ordering::Relaxed)
    {
        // The goroutine may park in the collection and resume on another M.
        mp = crate::mgc::gc_trigger_heap(mp);
    }
    if (*mp).mallocing != 0 {
        throw("malloc deadlock");
    }
    (*mp).mallocing = 1;
    let c = getmcache(mp);
    if c.is_null() {
        throw("mallocgc called without a P or outside bootstrapping");
    }
    let x = mallocgc_cache_typed(&mut *c, size, typ, noscan, needzero);
    (*mp).mallocing = 0;
    x
}

/// The M of goroutine `g`, which compiled code passes in the g register.
///
/// # Safety
/// `g` must be null or a live G.
unsafe fn m_of(g: *mut G) -> *mut M {
    if g.is_null() {
        throw("mallocgc called without a g");
    }
    (*g).m
}

/// `runtime.mallocgc` after the entry stub has appended the g register to the arguments.
unsafe extern "C" fn mallocgc_from_go(
    size: usize,
    typ: *const Type,
    needzero: usize,
    g: *mut G,
) -> *mut u8 {
    mallocgc(size, typ, needzero & 0xff != 0, m_of(g))
}

/// `goclift.mallocgc_untyped` after the entry stub has appended the g register.
unsafe extern "C" fn mallocgc_untyped_from_go(
    size: usize,
    noscan: usize,
    needzero: usize,
    g: *mut G,
) -> *mut u8 {
    malloc_on_m(size, core::ptr::null(), noscan & 0xff != 0, needzero & 0xff != 0, m_of(g))
}

/// `goclift.mallocgc_bitmap` after the entry stub has appended the g register: the object's
/// layout is `bitmap` (one bit per word, set for pointer words), described to the allocator
/// as a descriptor of one object of `size` bytes.
unsafe extern "C" fn mallocgc_bitmap_from_go(
    size: usize,
    bitmap: *const u8,
    needzero: usize,
    g: *mut G,
) -> *mut u8 {
    let layout = Type {
        size,
        ptrdata: if bitmap.is_null() { 0 } else { size },
        hash: 0,
        tflag: 0,
        align: 8,
        field_align: 8,
        kind: 0,
        equal: None,
        gcdata: bitmap,
        str_: 0,
        ptr_to_this: 0,
    };
    mallocgc(size, &layout, needzero & 0xff != 0, m_of(g))
}

/// `runtime.newobject` after the entry stub has appended the g register.
unsafe extern "C" fn newobject_from_go(typ: *const Type, g: *mut G) -> *mut u8 {
    mallocgc((*typ).size, typ, true, m_of(g))
}

crate::go_entry!(
    /// `runtime.mallocgc(size uintptr, typ *_type, needzero bool) unsafe.Pointer`: gc's
    /// signature; a null `typ` means pointer-free, as in gc. `needzero` is read from the low
    /// byte only.
    mallocgc_entry = "runtime.mallocgc"(size: usize, typ: *const Type, needzero: usize) -> *mut u8;
    g in "rcx" / "x3" => mallocgc_from_go
);

crate::go_entry!(
    /// `goclift.mallocgc_untyped(size uintptr, noscan bool, needzero bool) unsafe.Pointer`:
    /// for compiled code that has no type descriptor to pass yet. Booleans are read from
    /// their low byte.
    mallocgc_untyped_entry = "goclift.mallocgc_untyped"(size: usize, noscan: usize, needzero: usize) -> *mut u8;
    g in "rcx" / "x3" => mallocgc_untyped_from_go
);

crate::go_entry!(
    /// `goclift.mallocgc_bitmap(size uintptr, bitmap *byte, needzero bool) unsafe.Pointer`:
    /// for compiled code that has a layout but no type descriptor (closures, goroutine and
    /// defer blocks, heap variables). `bitmap` has a bit per word of the object, set for
    /// words that hold pointers; null means pointer-free. `needzero` is read from its low
    /// byte.
    mallocgc_bitmap_entry = "goclift.mallocgc_bitmap"(size: usize, bitmap: *const u8, needzero: usize) -> *mut u8;
    g in "rcx" / "x3" => mallocgc_bitmap_from_go
);

crate::go_entry!(
    /// `runtime.newobject(typ *_type) unsafe.Pointer`: a zeroed object of type `typ` (the
    /// implementation of `new(T)` and escaping composite literals).
    newobject_entry = "runtime.newobject"(typ: *const Type) -> *mut u8;
    g in "rsi" / "x1" => newobject_from_go
);

#[cfg(test)]
#[path = "malloc_test.rs"]
mod tests;
