//! Span allocation and mark bitmaps (the span-bitmap half of Go's mbitmap.go).
//!
//! A span's `alloc_bits` has one bit per object slot (1 = allocated); the allocator scans it
//! 64 slots at a time through `alloc_cache`, the complement of the next 64 bits, so finding
//! a free slot is one count-trailing-zeros. `gcmark_bits` has the same shape; the collector
//! sets a bit for every reachable object and sweeping turns the mark bits into the next
//! alloc bits.
//!
//! The heap bitmap (gc's heapBits) has one bit per heap word, in the arena's `heap_bits`:
//! set where a word of a scannable object may hold a pointer. The allocator writes the bits
//! of every object allocated in a scan span from its type's pointer bitmap (`gcdata`,
//! repeated for arrays), or all ones for objects of unknown layout (the runtime's own
//! untyped objects), which the collector then scans conservatively. Slots are rewritten
//! completely on allocation, so stale bits of freed objects never matter.

use crate::malloc::HEAP_ARENA_BYTES;
use crate::mheap::{arena_base, arena_index, MHeap, MSpan};
use crate::r#type::{Type, KIND_GC_PROG};
use core::sync::atomic::{AtomicU8, Ordering};

/// One bit in a span bitmap (gc's markBits).
#[derive(Clone, Copy, Debug)]
pub struct MarkBits {
    bytep: *mut u8,
    mask: u8,
    /// The slot the bit describes.
    pub index: usize,
}

impl MarkBits {
    fn byte(&self) -> &AtomicU8 {
        // SAFETY: `bytep` points into a live span bitmap, which is only accessed atomically
        // by concurrent markers.
        unsafe { AtomicU8::from_ptr(self.bytep) }
    }

    /// Whether the bit is set (gc's isMarked).
    pub fn is_marked(&self) -> bool {
        self.byte().load(Ordering::Relaxed) & self.mask != 0
    }

    /// Sets the bit atomically: several markers may share the byte (gc's setMarked).
    pub fn set_marked(&self) {
        self.byte().fetch_or(self.mask, Ordering::Relaxed);
    }

    /// Sets the bit unless it is set, atomically; returns whether it was clear (for markers
    /// running concurrently with each other and with allocation).
    #[inline]
    pub fn test_and_set(&self) -> bool {
        self.byte().fetch_or(self.mask, Ordering::Relaxed) & self.mask == 0
    }

    /// Sets the bit unless it is set; returns whether it was clear. Not atomic as a whole:
    /// for a single marker with the world stopped (a load and a store, no locked RMW).
    #[inline]
    pub fn test_and_set_exclusive(&self) -> bool {
        let b = self.byte();
        let v = b.load(Ordering::Relaxed);
        if v & self.mask != 0 {
            return false;
        }
        b.store(v | self.mask, Ordering::Relaxed);
        true
    }

    /// Clears the bit atomically (gc's clearMarked).
    pub fn clear_marked(&self) {
        self.byte().fetch_and(!self.mask, Ordering::Relaxed);
    }
}

impl MSpan {
    /// Loads `alloc_cache` with the complement of the 64 alloc bits starting at byte
    /// `which_byte` (gc's refillAllocCache). Bitmaps are whole words, so 8 bytes are there.
    pub fn refill_alloc_cache(&mut self, which_byte: usize) {
        // SAFETY: alloc_bits has nelems.div_ceil(64) * 8 bytes and which_byte is a multiple
        // of 8 below that.
        let bytes =
            unsafe { core::ptr::read_unaligned(self.alloc_bits.add(which_byte) as *const [u8; 8]) };
        self.alloc_cache = !u64::from_le_bytes(bytes);
    }

    /// The index of the next free slot at or after `freeindex`, or `nelems` if the span is
    /// full; advances `freeindex` and `alloc_cache` past it (gc's nextFreeIndex).
    pub fn next_free_index(&mut self) -> usize {
        let mut sfreeindex = self.freeindex;
        let snelems = self.nelems;
        if sfreeindex == snelems {
            return sfreeindex;
        }
        if sfreeindex > snelems {
            crate::panic::throw("s.freeindex > s.nelems");
        }
        let mut bit_index = self.alloc_cache.trailing_zeros() as usize;
        while bit_index == 64 {
            // Move to the start of the next 64 slots.
            sfreeindex = (sfreeindex + 64) & !63;
            if sfreeindex >= snelems {
                self.freeindex = snelems;
                return snelems;
            }
            self.refill_alloc_cache(sfreeindex / 8);
            bit_index = self.alloc_cache.trailing_zeros() as usize;
        }
        let result = sfreeindex + bit_index;
        if result >= snelems {
            self.freeindex = snelems;
            return snelems;
        }
        // bit_index + 1 may be 64: shift in two steps, as Go's >> does not overflow.
        self.alloc_cache = (self.alloc_cache >> bit_index) >> 1;
        sfreeindex = result + 1;
        if sfreeindex.is_multiple_of(64) && sfreeindex != snelems {
            self.refill_alloc_cache(sfreeindex / 8);
        }
        self.freeindex = sfreeindex;
        result
    }

    /// Whether slot `index` is free (gc's isFree).
    pub fn is_free(&self, index: usize) -> bool {
        if index < self.freeindex {
            return false;
        }
        !self.alloc_bits_for_index(index).is_marked()
    }

    /// The mark bit of slot `i` (gc's markBitsForIndex).
    pub fn mark_bits_for_index(&self, i: usize) -> MarkBits {
        bit_of(self.gcmark_bits, i)
    }

    /// The alloc bit of slot `i` (gc's allocBitsForIndex).
    pub fn alloc_bits_for_index(&self, i: usize) -> MarkBits {
        bit_of(self.alloc_bits, i)
    }

    /// The number of marked slots (gc's countAlloc).
    pub fn count_alloc(&self) -> usize {
        let bytes = self.nelems.div_ceil(8);
        // SAFETY: the mark bitmap has at least that many bytes; bits past nelems are 0.
        let marks = unsafe { core::slice::from_raw_parts(self.gcmark_bits, bytes) };
        marks.iter().map(|b| b.count_ones() as usize).sum()
    }
}

fn bit_of(bitmap: *mut u8, i: usize) -> MarkBits {
    MarkBits {
        // SAFETY: callers pass slot indexes below nelems, inside the bitmap.
        bytep: unsafe { bitmap.add(i / 8) },
        mask: 1 << (i % 8),
        index: i,
    }
}

/// Words per heap arena: the bits of one arena's bitmap.
const ARENA_WORDS: usize = HEAP_ARENA_BYTES / 8;

/// The heap bitmap of the arena holding `addr` and the index of `addr`'s word in it, or None
/// if `addr` is outside the heap's arenas.
#[inline]
fn bitmap_of(h: &MHeap, addr: usize) -> Option<(*mut u8, usize)> {
    let ai = arena_index(addr);
    let ha = h.arena(ai);
    if ha.is_null() {
        return None;
    }
    // SAFETY: arena metadata lives forever.
    let bits = unsafe { (&raw mut (*ha).heap_bits) as *mut u8 };
    Some((bits, addr.wrapping_sub(arena_base(ai)) / 8))
}

/// Calls `f(bitmap, first_word, n, i)` for each run of the `nwords` words from `x` that lies
/// in one arena; `i` is the run's first word relative to `x` (objects may span arenas).
#[inline]
fn for_each_arena_run(
    h: &MHeap,
    x: usize,
    nwords: usize,
    mut f: impl FnMut(*mut u8, usize, usize, usize),
) {
    let mut i = 0;
    while i < nwords {
        let Some((bits, w0)) = bitmap_of(h, x + i * 8) else {
            crate::panic::throw("heapBits: object outside the heap");
        };
        let n = (nwords - i).min(ARENA_WORDS - w0);
        f(bits, w0, n, i);
        i += n;
    }
}

/// Writes the heap bits of the `size`-byte slot at `x`: word i gets `ptr(i)`.
fn write_heap_bits(h: &MHeap, x: usize, size: usize, mut ptr: impl FnMut(usize) -> bool) {
    for_each_arena_run(h, x, size / 8, |bits, w0, n, i| {
        let mut j = 0;
        while j < n {
            let w = w0 + j;
            // SAFETY: w < ARENA_WORDS, inside the arena's bitmap; only the span's owner
            // writes these bits (a byte never covers two spans: spans are page-aligned).
            unsafe {
                let b = bits.add(w / 8);
                if w % 8 == 0 && n - j >= 8 {
                    let mut v = 0u8;
                    for k in 0..8 {
                        v |= (ptr(i + j + k) as u8) << k;
                    }
                    *b = v;
                    j += 8;
                } else {
                    let m = 1u8 << (w % 8);
                    if ptr(i + j) {
                        *b |= m;
                    } else {
                        *b &= !m;
                    }
                    j += 1;
                }
            }
        }
    });
}

/// Records the layout of a new object at `x` in a slot of `size` bytes, `data_size` of them
/// requested for values of `typ` (one, or an array of them when `data_size` is a multiple
/// of the type's size), as gc's heapBitsSetType does. A null `typ` (or one described by a
/// GC program, which goclift's compiler never emits) marks every word as a possible
/// pointer: the object is scanned conservatively.
///
/// # Safety
/// `[x, x+size)` must be a slot of a scan span of `h` owned by the caller.
pub unsafe fn heap_bits_set_type(
    h: &MHeap,
    x: usize,
    size: usize,
    data_size: usize,
    typ: *const Type,
) {
    if typ.is_null() || (*typ).gcdata.is_null() || (*typ).kind & KIND_GC_PROG != 0 || (*typ).size == 0 {
        write_heap_bits(h, x, size, |_| true);
        return;
    }
    let tsize = (*typ).size;
    let ptrdata = (*typ).ptrdata;
    let gcdata = (*typ).gcdata;
    let dwords = data_size / 8;
    if tsize == 8 && ptrdata == 8 {
        // A pointer or an array of pointers: the common []*T and *T case.
        write_heap_bits(h, x, size, |i| i < dwords);
        return;
    }
    let twords = tsize / 8;
    let pwords = ptrdata / 8;
    let mut e = 0;
    write_heap_bits(h, x, size, |i| {
        // `e` follows i % twords without a division per word.
        let w = e;
        e += 1;
        if e == twords {
            e = 0;
        }
        // SAFETY: gcdata has a bit per word of the pointer-holding prefix.
        i < dwords && w < pwords && unsafe { *gcdata.add(w / 8) } >> (w % 8) & 1 != 0
    });
}

/// Calls `f(addr)` for every word of `[x, x+size)` whose heap bit is set (the pointer
/// slots of an object, as the collector's scanobject reads them).
///
/// # Safety
/// `[x, x+size)` must lie in `h`'s arenas.
#[inline]
pub unsafe fn for_each_pointer_slot(h: &MHeap, x: usize, size: usize, mut f: impl FnMut(usize)) {
    for_each_arena_run(h, x, size / 8, |bits, w0, n, i| {
        let mut j = 0;
        while j < n {
            let w = w0 + j;
            // SAFETY: inside the arena's bitmap.
            let b = unsafe { *bits.add(w / 8) } >> (w % 8);
            if b == 0 {
                // Nothing more in this byte.
                j += 8 - w % 8;
                continue;
            }
            if b & 1 != 0 {
                f(x + (i + j) * 8);
            }
            j += 1;
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A span over fake memory with the given alloc bitmap (the bitmap functions never touch
    /// the objects).
    fn span_with_bits(nelems: usize, bits: &mut [u64]) -> MSpan {
        let mut s = MSpan::empty();
        s.nelems = nelems;
        s.alloc_bits = bits.as_mut_ptr() as *mut u8;
        s.refill_alloc_cache(0);
        s
    }

    #[test]
    fn next_free_index_walks_free_slots_across_words() {
        let mut bits = [0u64; 3];
        // Slots 0..=69 allocated except 5 and 64; 70.. free; nelems 150.
        bits[0] = !(1 << 5);
        bits[1] = 0b11_1111 & !1;
        let mut s = span_with_bits(150, &mut bits);
        let mut got = Vec::new();
        loop {
            let i = s.next_free_index();
            if i == s.nelems {
                break;
            }
            got.push(i);
        }
        let want: Vec<usize> = [5, 64].into_iter().chain(70..150).collect();
        assert_eq!(got, want);
        assert_eq!(s.freeindex, 150);
    }

    #[test]
    fn a_full_span_reports_nelems() {
        let mut bits = [!0u64; 2];
        let mut s = span_with_bits(100, &mut bits);
        assert_eq!(s.next_free_index(), 100);
        assert_eq!(s.next_free_index(), 100);
    }

    #[test]
    fn mark_bits_set_clear_and_count() {
        let mut alloc = [0u64; 2];
        let mut marks = [0u64; 2];
        let mut s = span_with_bits(100, &mut alloc);
        s.gcmark_bits = marks.as_mut_ptr() as *mut u8;
        for i in [0, 7, 8, 63, 64, 99] {
            s.mark_bits_for_index(i).set_marked();
        }
        assert_eq!(s.count_alloc(), 6);
        assert!(s.mark_bits_for_index(63).is_marked());
        s.mark_bits_for_index(63).clear_marked();
        assert!(!s.mark_bits_for_index(63).is_marked());
        assert_eq!(s.count_alloc(), 5);
        assert_eq!(marks[1], 1 | 1 << 35);
        s.alloc_bits_for_index(3).set_marked();
        assert!(!s.is_free(3) && s.is_free(4));
    }
}
