//! Strings (Go's string.go): concatenation, comparison, and the conversions between strings,
//! byte slices, rune slices and runes.
//!
//! A Go string is passed as two arguments (data pointer, length) and returned as `GoString`,
//! which the C ABI returns in two registers. Functions returning a slice write it through an
//! out-pointer (`*mut Slice`, see slice.rs) passed first.
//!
//! gc's versions take a `*tmpBuf` first, a 32-byte stack buffer the compiler passes when the
//! result does not escape; goclift's compiler does not pass one, so results always live in
//! the heap (gc's buf == nil case). String data holds no pointers: it is allocated untyped
//! (nil type, noscan) and copied with plain memmove, as in gc.

use crate::malloc::mallocgc;
use crate::panic::throw;
use crate::runtime2::{G, M};
use crate::slice::Slice;
use crate::utf8::{countrunes, encoderune, next_rune, rune_len, RUNE_ERROR};

/// A Go string header as the C ABI returns it (two registers).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GoString {
    /// The bytes; may be dangling or null when `len` is 0.
    pub ptr: *const u8,
    /// The length in bytes.
    pub len: isize,
}

impl GoString {
    /// The empty string (gc's "" has a nil data pointer).
    pub const EMPTY: GoString = GoString {
        ptr: core::ptr::null(),
        len: 0,
    };

    /// The bytes of the string.
    ///
    /// # Safety
    /// The header must describe readable memory (as every Go string does).
    pub unsafe fn as_bytes<'a>(self) -> &'a [u8] {
        bytes(self.ptr, self.len)
    }
}

/// The `len` bytes at `ptr` as a slice; `ptr` may be null or dangling when `len` is 0.
///
/// # Safety
/// When `len > 0`, `ptr` must point to `len` readable bytes that outlive the use.
#[inline]
pub unsafe fn bytes<'a>(ptr: *const u8, len: isize) -> &'a [u8] {
    if len <= 0 {
        &[]
    } else {
        core::slice::from_raw_parts(ptr, len as usize)
    }
}

/// The M of the calling goroutine, for allocation.
///
/// # Safety
/// `gp` must be the running goroutine.
#[inline]
unsafe fn m_of(gp: *mut G) -> *mut M {
    if gp.is_null() {
        throw("string allocation without a g");
    }
    (*gp).m
}

/// Allocates uninitialised storage for a string of `size` bytes (gc's rawstring): the
/// caller fills all of it.
///
/// # Safety
/// `mp` must be the calling thread's M.
unsafe fn rawstring(size: usize, mp: *mut M) -> *mut u8 {
    mallocgc(size, core::ptr::null(), false, mp)
}

/// Whether `p` points into a goroutine stack (gc's stringDataOnStack). gc asks about the
/// current goroutine's stack only; with segmented stacks that would miss older segments, so
/// goclift asks whether `p` lies in any stack: all goroutine stacks are manual spans of the
/// heap.
fn on_any_stack(p: *const u8) -> bool {
    let s = crate::mheap::MHEAP.span_of(p as usize);
    if s.is_null() {
        return false;
    }
    // SAFETY: mspans are never unmapped; the state says whether the fields describe p.
    unsafe {
        (*s).state() == crate::mheap::MSPAN_MANUAL
            && (p as usize) >= (*s).base()
            && (p as usize) < (*s).base() + (*s).npages * crate::sizeclasses::PAGE_SIZE
    }
}

/// Concatenates the strings `a` (gc's concatstrings with a nil buffer): a single non-empty
/// operand that is not on a stack is returned as is, as in gc, so `"" + s` does not allocate.
///
/// # Safety
/// The headers must describe readable strings; `mp` is the calling thread's M.
pub unsafe fn concatstrings(a: &[GoString], mp: *mut M) -> GoString {
    let mut total: usize = 0;
    let mut count = 0;
    let mut idx = 0;
    for (i, x) in a.iter().enumerate() {
        if x.len == 0 {
            continue;
        }
        total = match total.checked_add(x.len as usize) {
            Some(t) if t <= isize::MAX as usize => t,
            _ => throw("string concatenation too long"),
        };
        count += 1;
        idx = i;
    }
    if count == 0 {
        return GoString::EMPTY;
    }
    if count == 1 && !on_any_stack(a[idx].ptr) {
        return a[idx];
    }
    let p = rawstring(total, mp);
    let mut off = 0;
    for x in a {
        let b = x.as_bytes();
        core::ptr::copy_nonoverlapping(b.as_ptr(), p.add(off), b.len());
        off += b.len();
    }
    GoString {
        ptr: p,
        len: total as isize,
    }
}

/// Three-way comparison of two strings' bytes, then lengths (gc's cmpstring): -1, 0 or 1.
pub fn cmpstring(a: &[u8], b: &[u8]) -> isize {
    match a.cmp(b) {
        core::cmp::Ordering::Less => -1,
        core::cmp::Ordering::Equal => 0,
        core::cmp::Ordering::Greater => 1,
    }
}

/// Bytes 0..=255 as single-byte strings, so that converting a one-byte slice to a string does
/// not allocate (gc's staticuint64s: each value in a word, read by its first byte, which is
/// the value on little-endian targets).
static STATIC_UINT64S: [u64; 256] = {
    let mut t = [0u64; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = i as u64;
        i += 1;
    }
    t
};

/// `string(b)` for a byte slice (gc's slicebytetostring): "" for no bytes, a static string
/// for one byte, otherwise a copy.
///
/// # Safety
/// `ptr` must point to `n` readable bytes; `mp` is the calling thread's M.
pub unsafe fn slicebytetostring(ptr: *const u8, n: isize, mp: *mut M) -> GoString {
    if n <= 0 {
        return GoString::EMPTY;
    }
    if n == 1 {
        return GoString {
            ptr: (&raw const STATIC_UINT64S[*ptr as usize]) as *const u8,
            len: 1,
        };
    }
    let p = rawstring(n as usize, mp);
    core::ptr::copy_nonoverlapping(ptr, p, n as usize);
    GoString { ptr: p, len: n }
}

/// Allocates a byte slice of length `size` whose capacity is the allocation's size class
/// (gc's rawbyteslice): the bytes up to `size` are the caller's to fill, the rest are zero.
///
/// # Safety
/// `mp` is the calling thread's M.
unsafe fn rawbyteslice(size: usize, mp: *mut M) -> Slice {
    let cap = crate::sizeclasses::roundupsize(size);
    let p = mallocgc(cap, core::ptr::null(), false, mp);
    if cap != size {
        core::ptr::write_bytes(p.add(size), 0, cap - size);
    }
    Slice {
        ptr: p,
        len: size as isize,
        cap: cap as isize,
    }
}

/// `[]byte(s)` (gc's stringtoslicebyte): a fresh slice holding the string's bytes, with the
/// capacity of its size class.
///
/// # Safety
/// `s` must be a readable string; `mp` is the calling thread's M.
pub unsafe fn stringtoslicebyte(s: GoString, mp: *mut M) -> Slice {
    let b = rawbyteslice(s.len as usize, mp);
    core::ptr::copy_nonoverlapping(s.ptr, b.ptr, s.len as usize);
    b
}

/// Allocates a rune slice of length `size`, capacity rounded to the size class, the tail
/// beyond `size` zeroed (gc's rawruneslice).
///
/// # Safety
/// `mp` is the calling thread's M.
unsafe fn rawruneslice(size: usize, mp: *mut M) -> Slice {
    if size > crate::malloc::MAX_ALLOC / 4 {
        throw("out of memory");
    }
    let mem = crate::sizeclasses::roundupsize(size * 4);
    let p = mallocgc(mem, core::ptr::null(), false, mp);
    if mem != size * 4 {
        core::ptr::write_bytes(p.add(size * 4), 0, mem - size * 4);
    }
    Slice {
        ptr: p,
        len: size as isize,
        cap: (mem / 4) as isize,
    }
}

/// `[]rune(s)` (gc's stringtoslicerune): the string's runes, invalid bytes as U+FFFD.
///
/// # Safety
/// `s` must be a readable string; `mp` is the calling thread's M.
pub unsafe fn stringtoslicerune(s: GoString, mp: *mut M) -> Slice {
    let b = s.as_bytes();
    let a = rawruneslice(countrunes(b), mp);
    let runes = a.ptr as *mut i32;
    let (mut k, mut n) = (0, 0);
    while k < b.len() {
        let (r, next) = next_rune(b, k);
        *runes.add(n) = r;
        n += 1;
        k = next;
    }
    a
}

/// `string(a)` for a rune slice (gc's slicerunetostring): the UTF-8 encoding of the runes,
/// invalid ones as U+FFFD.
///
/// # Safety
/// `ptr` must point to `n` readable runes; `mp` is the calling thread's M.
pub unsafe fn slicerunetostring(ptr: *const i32, n: isize, mp: *mut M) -> GoString {
    let runes: &[i32] = if n <= 0 {
        &[]
    } else {
        core::slice::from_raw_parts(ptr, n as usize)
    };
    let size1: usize = runes.iter().map(|&r| rune_len(r)).sum();
    // gc allocates 3 bytes of slack so that encoding never writes past the end even if the
    // runes change between the two passes (another goroutine racing on the slice).
    let p = rawstring(size1 + 3, mp);
    let buf = core::slice::from_raw_parts_mut(p, size1 + 3);
    let mut size2 = 0;
    for &r in runes {
        if size2 >= size1 {
            break;
        }
        size2 += encoderune(&mut buf[size2..], r);
    }
    GoString {
        ptr: p,
        len: size2 as isize,
    }
}

/// `string(v)` for an integer `v` (gc's intstring): the UTF-8 encoding of the rune, U+FFFD if
/// `v` is not a valid code point (including values that do not fit in a rune).
///
/// # Safety
/// `mp` is the calling thread's M.
pub unsafe fn intstring(v: i64, mp: *mut M) -> GoString {
    let r = if v as i32 as i64 != v {
        RUNE_ERROR
    } else {
        v as i32
    };
    let p = rawstring(4, mp);
    let n = encoderune(core::slice::from_raw_parts_mut(p, 4), r);
    GoString {
        ptr: p,
        len: n as isize,
    }
}

// ---------------------------------------------------------------------------------------------
// Entry points for compiled Go code (C ABI, g in the g register; see runtime/README.md).

unsafe extern "C" fn concatstring2_from_go(
    a0: *const u8,
    l0: isize,
    a1: *const u8,
    l1: isize,
    gp: *mut G,
) -> GoString {
    let a = [GoString { ptr: a0, len: l0 }, GoString { ptr: a1, len: l1 }];
    concatstrings(&a, m_of(gp))
}

/// The body of the concatstring3..5 stubs: the operands arrive as an array of string
/// headers built by the stub.
unsafe fn concat_spilled(args: *const usize, n: usize, gp: *mut G) -> GoString {
    concatstrings(core::slice::from_raw_parts(args as *const GoString, n), m_of(gp))
}

unsafe extern "C" fn concatstring3_spilled(args: *const usize, gp: *mut G) -> GoString {
    concat_spilled(args, 3, gp)
}

unsafe extern "C" fn concatstring4_spilled(args: *const usize, gp: *mut G) -> GoString {
    concat_spilled(args, 4, gp)
}

unsafe extern "C" fn concatstring5_spilled(args: *const usize, gp: *mut G) -> GoString {
    concat_spilled(args, 5, gp)
}

unsafe extern "C" fn concatstrings_from_go(a: *const GoString, n: isize, gp: *mut G) -> GoString {
    let a = if n <= 0 {
        &[]
    } else {
        core::slice::from_raw_parts(a, n as usize)
    };
    concatstrings(a, m_of(gp))
}

unsafe extern "C" fn slicebytetostring_from_go(ptr: *const u8, n: isize, gp: *mut G) -> GoString {
    slicebytetostring(ptr, n, m_of(gp))
}

unsafe extern "C" fn stringtoslicebyte_from_go(
    out: *mut Slice,
    ptr: *const u8,
    len: isize,
    gp: *mut G,
) {
    *out = stringtoslicebyte(GoString { ptr, len }, m_of(gp));
}

unsafe extern "C" fn stringtoslicerune_from_go(
    out: *mut Slice,
    ptr: *const u8,
    len: isize,
    gp: *mut G,
) {
    *out = stringtoslicerune(GoString { ptr, len }, m_of(gp));
}

unsafe extern "C" fn slicerunetostring_from_go(ptr: *const i32, n: isize, gp: *mut G) -> GoString {
    slicerunetostring(ptr, n, m_of(gp))
}

unsafe extern "C" fn intstring_from_go(v: i64, gp: *mut G) -> GoString {
    intstring(v, m_of(gp))
}

crate::go_entry!(
    /// `runtime.concatstring2(a0, a1 string) string` (gc's, without the buffer argument):
    /// `a0 + a1`. Arguments: a0.ptr, a0.len, a1.ptr, a1.len.
    concatstring2_entry = "runtime.concatstring2"(a0: *const u8, l0: isize, a1: *const u8, l1: isize) -> GoString;
    g in "r8" / "x4" => concatstring2_from_go
);
crate::go_entry_spill!(
    /// `runtime.concatstring3(a0, a1, a2 string) string`: six arguments (ptr, len pairs).
    concatstring3_entry = "runtime.concatstring3"(a0: *const u8, l0: isize, a1: *const u8, l1: isize, a2: *const u8, l2: isize) -> GoString;
    words 6 => concatstring3_spilled
);
crate::go_entry_spill!(
    /// `runtime.concatstring4(a0, a1, a2, a3 string) string`: eight arguments.
    concatstring4_entry = "runtime.concatstring4"(a0: *const u8, l0: isize, a1: *const u8, l1: isize, a2: *const u8, l2: isize, a3: *const u8, l3: isize) -> GoString;
    words 8 => concatstring4_spilled
);
crate::go_entry_spill!(
    /// `runtime.concatstring5(a0, a1, a2, a3, a4 string) string`: ten arguments.
    concatstring5_entry = "runtime.concatstring5"(a0: *const u8, l0: isize, a1: *const u8, l1: isize, a2: *const u8, l2: isize, a3: *const u8, l3: isize, a4: *const u8, l4: isize) -> GoString;
    words 10 => concatstring5_spilled
);
crate::go_entry!(
    /// `runtime.concatstrings(a *[n]string, n int) string`: the concatenation of `n` strings
    /// stored as consecutive (ptr, len) headers at `a` (gc's concatstrings takes a []string;
    /// its capacity is not needed).
    concatstrings_entry = "runtime.concatstrings"(a: *const GoString, n: isize) -> GoString;
    g in "rdx" / "x2" => concatstrings_from_go
);
crate::go_entry!(
    /// `runtime.slicebytetostring(ptr *byte, n int) string`: `string(b)`.
    slicebytetostring_entry = "runtime.slicebytetostring"(ptr: *const u8, n: isize) -> GoString;
    g in "rdx" / "x2" => slicebytetostring_from_go
);
crate::go_entry!(
    /// `runtime.stringtoslicebyte(out *[]byte, s string)`: `*out = []byte(s)`.
    stringtoslicebyte_entry = "runtime.stringtoslicebyte"(out: *mut Slice, ptr: *const u8, len: isize);
    g in "rcx" / "x3" => stringtoslicebyte_from_go
);
crate::go_entry!(
    /// `runtime.stringtoslicerune(out *[]rune, s string)`: `*out = []rune(s)`.
    stringtoslicerune_entry = "runtime.stringtoslicerune"(out: *mut Slice, ptr: *const u8, len: isize);
    g in "rcx" / "x3" => stringtoslicerune_from_go
);
crate::go_entry!(
    /// `runtime.slicerunetostring(ptr *rune, n int) string`: `string(a)` for a []rune.
    slicerunetostring_entry = "runtime.slicerunetostring"(ptr: *const i32, n: isize) -> GoString;
    g in "rdx" / "x2" => slicerunetostring_from_go
);
crate::go_entry!(
    /// `runtime.intstring(v int64) string`: `string(v)` for an integer (U+FFFD if invalid).
    intstring_entry = "runtime.intstring"(v: i64) -> GoString;
    g in "rsi" / "x1" => intstring_from_go
);

/// `runtime.cmpstring(a, b string) int`: -1, 0 or +1 as a compares below, equal to or above
/// b (bytes, then lengths). A leaf (memcmp), exported without an entry stub like gc's
/// assembly version (see runtime/README.md).
///
/// # Safety
/// Both strings must be readable.
#[unsafe(export_name = "runtime.cmpstring")]
pub unsafe extern "C" fn cmpstring_export(
    a_ptr: *const u8,
    a_len: isize,
    b_ptr: *const u8,
    b_len: isize,
) -> isize {
    cmpstring(bytes(a_ptr, a_len), bytes(b_ptr, b_len))
}

#[cfg(test)]
#[path = "string_test.rs"]
pub(crate) mod tests;
