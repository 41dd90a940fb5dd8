//! Slices (Go's slice.go): make, append's growth, copy, and unsafe.Slice's checks.
//!
//! A slice is passed as three arguments (ptr, len, cap). Functions that produce one write it
//! through an out-pointer passed as their first argument (`*mut Slice`), which keeps the C
//! ABI simple on both targets (no struct returns in memory).
//!
//! Write barriers: where gc copies pointerful memory into the heap it issues bulk write
//! barriers first (`bulkBarrierPreWriteSrcOnly` in growslice, `bulkBarrierPreWrite` in
//! typedslicecopy). goclift has no collector yet; those places are marked `WRITE BARRIER` and
//! go through `memmove_pointers`, the single hook to extend.

use crate::malloc::{mallocgc, MAX_ALLOC};
use crate::panic::panic_error_string;
use crate::r#type::Type;
use crate::runtime2::{G, M};
use crate::sizeclasses::roundupsize;

/// A slice header (gc's slice): what the out-pointer of slice-producing functions receives.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Slice {
    /// The first element (`&runtime.zerobase` for allocations of zero bytes).
    pub ptr: *mut u8,
    /// Number of elements.
    pub len: isize,
    /// Number of elements the allocation holds.
    pub cap: isize,
}

/// Copies `n` bytes that may contain heap pointers from `src` to `dst` (ranges may overlap).
/// WRITE BARRIER: gc's callers run `bulkBarrierPreWrite` over the destination first when the
/// collector is marking; that call belongs here.
///
/// # Safety
/// Both ranges must be valid for `n` bytes.
#[inline]
unsafe fn memmove_pointers(dst: *mut u8, src: *const u8, n: usize) {
    crate::mbarrier::bulk_barrier_pre_write(dst as usize, src as usize, n);
    memmove_words(dst, src, n);
}

/// The M of the calling goroutine, for allocation.
///
/// # Safety
/// `gp` must be the running goroutine.
#[inline]
unsafe fn m_of(gp: *mut G) -> *mut M {
    if gp.is_null() {
        crate::panic::throw("slice allocation without a g");
    }
    (*gp).m
}

/// "makeslice: len out of range" (gc's panicmakeslicelen).
pub fn panicmakeslicelen(gp: *mut G) -> ! {
    panic_error_string(gp, "makeslice: len out of range")
}

/// "makeslice: cap out of range" (gc's panicmakeslicecap).
pub fn panicmakeslicecap(gp: *mut G) -> ! {
    panic_error_string(gp, "makeslice: cap out of range")
}

/// "unsafe.Slice: len out of range" (gc's panicunsafeslicelen).
pub fn panicunsafeslicelen(gp: *mut G) -> ! {
    panic_error_string(gp, "unsafe.Slice: len out of range")
}

/// "unsafe.Slice: ptr is nil and len is not zero" (gc's panicunsafeslicenilptr).
pub fn panicunsafeslicenilptr(gp: *mut G) -> ! {
    panic_error_string(gp, "unsafe.Slice: ptr is nil and len is not zero")
}

/// `size * n` and whether it overflowed (gc's math.MulUintptr).
#[inline]
fn mul_uintptr(size: usize, n: usize) -> (usize, bool) {
    match size.checked_mul(n) {
        Some(m) => (m, false),
        None => (size.wrapping_mul(n), true),
    }
}

/// `make([]T, len, cap)` (gc's makeslice): allocates zeroed room for `cap` elements of
/// `et`, after gc's checks, in gc's order: a bad len panics with the len message even when
/// cap is bad too.
///
/// # Safety
/// `et` must be a type descriptor; `gp` the running goroutine.
pub unsafe fn makeslice(et: *const Type, len: isize, cap: isize, gp: *mut G) -> *mut u8 {
    let size = (*et).size;
    let (mem, overflow) = mul_uintptr(size, cap as usize);
    if overflow || mem > MAX_ALLOC || len < 0 || len > cap {
        let (mem, overflow) = mul_uintptr(size, len as usize);
        if overflow || mem > MAX_ALLOC || len < 0 {
            panicmakeslicelen(gp);
        }
        panicmakeslicecap(gp);
    }
    mallocgc(mem, et, true, m_of(gp))
}

/// `make([]T, len, cap)` with int64 operands on a target where int is narrower (gc's
/// makeslice64); on 64-bit targets the same as makeslice.
///
/// # Safety
/// As for `makeslice`.
pub unsafe fn makeslice64(et: *const Type, len: i64, cap: i64, gp: *mut G) -> *mut u8 {
    if len as isize as i64 != len {
        panicmakeslicelen(gp);
    }
    if cap as isize as i64 != cap {
        panicmakeslicecap(gp);
    }
    makeslice(et, len as isize, cap as isize, gp)
}

/// `m := make([]T, tolen); copy(m, from[:fromlen])` in one step (gc's makeslicecopy): a new
/// array of `tolen` elements starting with a copy of the first min(tolen, fromlen) elements
/// of `from`, the rest zeroed.
///
/// # Safety
/// `et` is a type descriptor; `from` holds `fromlen` elements; `gp` the running goroutine.
pub unsafe fn makeslicecopy(
    et: *const Type,
    tolen: isize,
    fromlen: isize,
    from: *const u8,
    gp: *mut G,
) -> *mut u8 {
    let size = (*et).size;
    let (tomem, copymem);
    if tolen as usize > fromlen as usize {
        let (m, overflow) = mul_uintptr(size, tolen as usize);
        if overflow || m > MAX_ALLOC || tolen < 0 {
            panicmakeslicelen(gp);
        }
        tomem = m;
        copymem = size * fromlen as usize;
    } else {
        tomem = size * tolen as usize;
        copymem = tomem;
    }
    let mp = m_of(gp);
    let to = if (*et).noscan() {
        let to = mallocgc(tomem, core::ptr::null(), false, mp);
        if copymem < tomem {
            core::ptr::write_bytes(to.add(copymem), 0, tomem - copymem);
        }
        to
    } else {
        // WRITE BARRIER: gc's bulkBarrierPreWriteSrcOnly(to, from, copymem) goes here.
        mallocgc(tomem, et, true, mp)
    };
    core::ptr::copy_nonoverlapping(from, to, copymem);
    to
}

/// The capacity append grows a slice of capacity `old_cap` to when it needs room for
/// `needed` elements, before rounding to a size class (gc 1.19's growslice): double below
/// 256 elements, then grow by (newcap + 768) / 4 at a time (a smooth step from 2x to 1.25x),
/// and take `needed` itself when doubling is not enough.
pub fn next_capacity(old_cap: isize, needed: isize) -> isize {
    const THRESHOLD: isize = 256;
    let doublecap = old_cap.wrapping_add(old_cap);
    if needed > doublecap {
        return needed;
    }
    if old_cap < THRESHOLD {
        return doublecap;
    }
    let mut newcap = old_cap;
    // Check 0 < newcap to detect overflow and prevent an infinite loop.
    while 0 < newcap && newcap < needed {
        newcap = newcap.wrapping_add((newcap + 3 * THRESHOLD) / 4);
    }
    // Set newcap to the requested cap when the newcap calculation overflowed.
    if newcap <= 0 {
        needed
    } else {
        newcap
    }
}

/// The result of growslice's size arithmetic: bytes of the old elements, of the elements up
/// to the new length, of the new allocation, and the new capacity in elements.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Growth {
    /// Bytes of the old slice's elements (copied).
    pub lenmem: usize,
    /// Bytes of the elements up to the needed length (the caller writes those beyond lenmem).
    pub newlenmem: usize,
    /// Bytes to allocate: the new capacity rounded up to a size class.
    pub capmem: usize,
    /// The new capacity in elements (what cap() reports).
    pub newcap: isize,
    /// The capacity is too large to allocate.
    pub overflow: bool,
}

/// growslice's arithmetic for elements of `size` bytes (nonzero): the new capacity for
/// `needed` elements, rounded up to fill the size class, as gc computes it (with its
/// special cases for element sizes 1, pointer-size and powers of two, which give the same
/// results as the general case but avoid a division).
pub fn grow(size: usize, old_len: isize, old_cap: isize, needed: isize) -> Growth {
    let newcap = next_capacity(old_cap, needed);
    let (lenmem, newlenmem, capmem, overflow, newcap) = if size == 1 {
        let capmem = roundupsize(newcap as usize);
        (old_len as usize, needed as usize, capmem, newcap as usize > MAX_ALLOC, capmem as isize)
    } else if size.is_power_of_two() {
        let shift = size.trailing_zeros();
        let capmem = roundupsize((newcap as usize) << shift);
        (
            (old_len as usize) << shift,
            (needed as usize) << shift,
            capmem,
            newcap as usize > (MAX_ALLOC >> shift),
            (capmem >> shift) as isize,
        )
    } else {
        let (mem, overflow) = mul_uintptr(size, newcap as usize);
        let capmem = roundupsize(mem);
        (
            old_len as usize * size,
            needed as usize * size,
            capmem,
            overflow,
            (capmem / size) as isize,
        )
    };
    Growth {
        lenmem,
        newlenmem,
        capmem,
        newcap,
        overflow: overflow || capmem > MAX_ALLOC,
    }
}

/// Grows `old` so that it has room for `needed` elements (gc 1.19's growslice, which append
/// calls when `needed` exceeds the capacity): returns the new slice with the old elements and
/// length; the caller stores the appended elements and sets the length. Elements beyond the
/// old length are zero for pointerful types; for pointer-free types only those beyond
/// `needed` are (the caller overwrites the rest), as in gc.
///
/// # Safety
/// `et` is a type descriptor; `old` a valid slice of it; `gp` the running goroutine.
pub unsafe fn growslice(et: *const Type, old: Slice, needed: isize, gp: *mut G) -> Slice {
    if needed < old.cap {
        panic_error_string(gp, "growslice: cap out of range");
    }
    let size = (*et).size;
    if size == 0 {
        // append should not create a slice with nil pointer but non-zero len.
        return Slice {
            ptr: (&raw const crate::malloc::ZEROBASE) as *mut u8,
            len: old.len,
            cap: needed,
        };
    }
    let g = grow(size, old.len, old.cap, needed);
    if g.overflow {
        panic_error_string(gp, "growslice: cap out of range");
    }
    let mp = m_of(gp);
    let p = if (*et).noscan() {
        let p = mallocgc(g.capmem, core::ptr::null(), false, mp);
        // Only clear the part that will not be overwritten by the appended elements.
        core::ptr::write_bytes(p.add(g.newlenmem), 0, g.capmem - g.newlenmem);
        core::ptr::copy_nonoverlapping(old.ptr, p, g.lenmem);
        p
    } else {
        // Zeroed: the collector may see the whole object before append fills it.
        let p = mallocgc(g.capmem, et, true, mp);
        // WRITE BARRIER: gc runs bulkBarrierPreWriteSrcOnly(p, old.ptr,
        // lenmem - size + ptrdata) here; the new object is not yet reachable, so only the
        // source pointers need shading.
        memmove_pointers(p, old.ptr, g.lenmem);
        p
    };
    Slice {
        ptr: p,
        len: old.len,
        cap: g.newcap,
    }
}

/// `copy(to, from)` for elements of `width` bytes (gc's slicecopy): copies
/// min(to_len, from_len) elements, overlapping ranges included, and returns that number.
/// Used for pointer-free elements and strings; pointerful ones go through typedslicecopy.
///
/// # Safety
/// The slices must be valid for their lengths.
pub unsafe fn slicecopy(
    to: *mut u8,
    to_len: isize,
    from: *const u8,
    from_len: isize,
    width: usize,
) -> isize {
    if from_len == 0 || to_len == 0 {
        return 0;
    }
    let n = from_len.min(to_len);
    if width == 0 {
        return n;
    }
    let size = n as usize * width;
    if size == 1 {
        *to = *from;
    } else {
        memmove_words(to, from, size);
    }
    n
}

/// `copy(dst, src)` for elements of type `typ` that hold pointers (gc's typedslicecopy):
/// like slicecopy, with the write barriers the collector will need.
///
/// # Safety
/// The slices must be valid for their lengths; `typ` a type descriptor.
pub unsafe fn typedslicecopy(
    typ: *const Type,
    dst: *mut u8,
    dst_len: isize,
    src: *const u8,
    src_len: isize,
) -> isize {
    let n = dst_len.min(src_len);
    if n <= 0 || dst as *const u8 == src {
        return n.max(0);
    }
    memmove_pointers(dst, src, n as usize * (*typ).size);
    n
}

/// unsafe.Slice(ptr, len)'s checks (gc's unsafeslice): len must be non-negative and the
/// slice must not wrap around the address space; a nil ptr needs len 0.
///
/// # Safety
/// `et` is a type descriptor.
pub unsafe fn unsafeslice(et: *const Type, ptr: *const u8, len: isize, gp: *mut G) {
    if len < 0 {
        panicunsafeslicelen(gp);
    }
    let (mem, overflow) = mul_uintptr((*et).size, len as usize);
    if overflow || mem > (ptr as usize).wrapping_neg() {
        if ptr.is_null() {
            panicunsafeslicenilptr(gp);
        }
        panicunsafeslicelen(gp);
    }
}

/// unsafe.Slice's checks with an int64 length (gc's unsafeslice64).
///
/// # Safety
/// As for `unsafeslice`.
pub unsafe fn unsafeslice64(et: *const Type, ptr: *const u8, len: i64, gp: *mut G) {
    if len as isize as i64 != len {
        panicunsafeslicelen(gp);
    }
    unsafeslice(et, ptr, len as isize, gp)
}

// ---------------------------------------------------------------------------------------------
// Entry points for compiled Go code (C ABI, g in the g register; see runtime/README.md).

unsafe extern "C" fn makeslice_from_go(
    et: *const Type,
    len: isize,
    cap: isize,
    gp: *mut G,
) -> *mut u8 {
    makeslice(et, len, cap, gp)
}

unsafe extern "C" fn makeslice64_from_go(et: *const Type, len: i64, cap: i64, gp: *mut G) -> *mut u8 {
    makeslice64(et, len, cap, gp)
}

unsafe extern "C" fn makeslicecopy_from_go(
    et: *const Type,
    tolen: isize,
    fromlen: isize,
    from: *const u8,
    gp: *mut G,
) -> *mut u8 {
    makeslicecopy(et, tolen, fromlen, from, gp)
}

/// growslice's stub passes its six arguments as an array: out, et, old.ptr, old.len,
/// old.cap, needed.
unsafe extern "C" fn growslice_spilled(args: *const usize, gp: *mut G) {
    let a = core::slice::from_raw_parts(args, 6);
    let old = Slice {
        ptr: a[2] as *mut u8,
        len: a[3] as isize,
        cap: a[4] as isize,
    };
    *(a[0] as *mut Slice) = growslice(a[1] as *const Type, old, a[5] as isize, gp);
}

unsafe extern "C" fn typedslicecopy_from_go(
    typ: *const Type,
    dst: *mut u8,
    dst_len: isize,
    src: *const u8,
    src_len: isize,
    _gp: *mut G,
) -> isize {
    typedslicecopy(typ, dst, dst_len, src, src_len)
}

unsafe extern "C" fn unsafeslice_from_go(et: *const Type, ptr: *const u8, len: isize, gp: *mut G) {
    unsafeslice(et, ptr, len, gp)
}

unsafe extern "C" fn unsafeslice64_from_go(et: *const Type, ptr: *const u8, len: i64, gp: *mut G) {
    unsafeslice64(et, ptr, len, gp)
}

unsafe extern "C" fn panicmakeslicelen_from_go(gp: *mut G) -> ! {
    panicmakeslicelen(gp)
}

unsafe extern "C" fn panicmakeslicecap_from_go(gp: *mut G) -> ! {
    panicmakeslicecap(gp)
}

unsafe extern "C" fn panicunsafeslicelen_from_go(gp: *mut G) -> ! {
    panicunsafeslicelen(gp)
}

unsafe extern "C" fn panicunsafeslicenilptr_from_go(gp: *mut G) -> ! {
    panicunsafeslicenilptr(gp)
}

crate::go_entry!(
    /// `runtime.makeslice(et *_type, len, cap int) unsafe.Pointer`: zeroed room for `cap`
    /// elements; panics "makeslice: len out of range" / "makeslice: cap out of range".
    makeslice_entry = "runtime.makeslice"(et: *const Type, len: isize, cap: isize) -> *mut u8;
    g in "rcx" / "x3" => makeslice_from_go
);
crate::go_entry!(
    /// `runtime.makeslice64(et *_type, len64, cap64 int64) unsafe.Pointer`: makeslice for
    /// int64 operands (the same on 64-bit targets).
    makeslice64_entry = "runtime.makeslice64"(et: *const Type, len: i64, cap: i64) -> *mut u8;
    g in "rcx" / "x3" => makeslice64_from_go
);
crate::go_entry!(
    /// `runtime.makeslicecopy(et *_type, tolen int, fromlen int, from unsafe.Pointer)
    /// unsafe.Pointer`: `make([]T, tolen)` followed by `copy` from `from[:fromlen]`.
    makeslicecopy_entry = "runtime.makeslicecopy"(et: *const Type, tolen: isize, fromlen: isize, from: *const u8) -> *mut u8;
    g in "r8" / "x4" => makeslicecopy_from_go
);
crate::go_entry_spill!(
    /// `runtime.growslice(out *slice, et *_type, old.ptr, old.len, old.cap, needed int)`:
    /// `*out` = gc 1.19's growslice(et, old, needed): the old elements in a new array with
    /// room for at least `needed` elements (capacity per gc's growth rule and size classes),
    /// len = old.len. Panics "growslice: cap out of range".
    growslice_entry = "runtime.growslice"(out: *mut Slice, et: *const Type, ptr: *mut u8, len: isize, cap: isize, needed: isize);
    words 6 => growslice_spilled
);
crate::go_entry!(
    /// `runtime.typedslicecopy(typ *_type, dstPtr unsafe.Pointer, dstLen int, srcPtr
    /// unsafe.Pointer, srcLen int) int`: `copy` for elements that hold pointers (the write
    /// barrier path).
    typedslicecopy_entry = "runtime.typedslicecopy"(typ: *const Type, dst: *mut u8, dst_len: isize, src: *const u8, src_len: isize) -> isize;
    g in "r9" / "x5" => typedslicecopy_from_go
);
crate::go_entry!(
    /// `runtime.unsafeslice(et *_type, ptr unsafe.Pointer, len int)`: unsafe.Slice's checks.
    unsafeslice_entry = "runtime.unsafeslice"(et: *const Type, ptr: *const u8, len: isize);
    g in "rcx" / "x3" => unsafeslice_from_go
);
crate::go_entry!(
    /// `runtime.unsafeslice64(et *_type, ptr unsafe.Pointer, len int64)`: unsafe.Slice's
    /// checks for an int64 length.
    unsafeslice64_entry = "runtime.unsafeslice64"(et: *const Type, ptr: *const u8, len: i64);
    g in "rcx" / "x3" => unsafeslice64_from_go
);
crate::go_entry!(
    /// `runtime.panicmakeslicelen()`: "panic: runtime error: makeslice: len out of range".
    panicmakeslicelen_entry = "runtime.panicmakeslicelen"() -> !;
    g in "rdi" / "x0" => panicmakeslicelen_from_go
);
crate::go_entry!(
    /// `runtime.panicmakeslicecap()`: "panic: runtime error: makeslice: cap out of range".
    panicmakeslicecap_entry = "runtime.panicmakeslicecap"() -> !;
    g in "rdi" / "x0" => panicmakeslicecap_from_go
);
crate::go_entry!(
    /// `runtime.panicunsafeslicelen()`: "panic: runtime error: unsafe.Slice: len out of
    /// range".
    panicunsafeslicelen_entry = "runtime.panicunsafeslicelen"() -> !;
    g in "rdi" / "x0" => panicunsafeslicelen_from_go
);
crate::go_entry!(
    /// `runtime.panicunsafeslicenilptr()`: "panic: runtime error: unsafe.Slice: ptr is nil
    /// and len is not zero".
    panicunsafeslicenilptr_entry = "runtime.panicunsafeslicenilptr"() -> !;
    g in "rdi" / "x0" => panicunsafeslicenilptr_from_go
);

/// `runtime.slicecopy(toPtr unsafe.Pointer, toLen int, fromPtr unsafe.Pointer, fromLen int,
/// width uintptr) int`: `copy` for pointer-free elements and from strings; returns the number
/// of elements copied. A leaf (memmove), exported without an entry stub (see
/// runtime/README.md).
///
/// # Safety
/// The slices must be valid for their lengths.
#[unsafe(export_name = "runtime.slicecopy")]
pub unsafe extern "C" fn slicecopy_export(
    to: *mut u8,
    to_len: isize,
    from: *const u8,
    from_len: isize,
    width: usize,
) -> isize {
    slicecopy(to, to_len, from, from_len, width)
}

#[cfg(test)]
#[path = "slice_test.rs"]
mod tests;

/// `runtime.memmove(to, from unsafe.Pointer, n uintptr)`: copies n bytes, the ranges may
/// overlap (gc's memmove, assembly there).
///
/// # Safety
/// Both ranges must be valid for n bytes.
#[unsafe(export_name = "runtime.memmove")]
pub unsafe extern "C" fn memmove(to: *mut u8, from: *const u8, n: usize) {
    memmove_words(to, from, n)
}

/// Copies `n` bytes from `src` to `dst` (the ranges may overlap) as gc's memmove does: when
/// both addresses and the size are multiples of 8, every word moves whole, so a goroutine
/// reading a pointer concurrently sees the old or the new value, never a mix of the two
/// (the library copies may move bytes: fixedbugs/issue13160 read torn pointers on arm64).
///
/// # Safety
/// Both ranges must be valid for n bytes.
pub unsafe fn memmove_words(dst: *mut u8, src: *const u8, n: usize) {
    if (dst as usize | src as usize | n) & 7 != 0 {
        core::ptr::copy(src, dst, n);
        return;
    }
    let (d, s, words) = (dst as *mut u64, src as *const u64, n / 8);
    // Volatile accesses keep each word one load and one store (no byte-wise library call).
    if (d as usize) <= (s as usize) || (d as usize) >= (s as usize) + n {
        for i in 0..words {
            d.add(i).write_volatile(s.add(i).read_volatile());
        }
    } else {
        for i in (0..words).rev() {
            d.add(i).write_volatile(s.add(i).read_volatile());
        }
    }
}
