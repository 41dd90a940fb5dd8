//! Sorted, coalesced address ranges (Go's mranges.go: addrRange, addrRanges).
//!
//! The page allocator records which parts of the address space belong to the heap here. The
//! list is short (it grows by one entry only when the OS gives the heap a discontiguous
//! region), lives in persistentalloc memory and doubles when full.

use crate::malloc::persistentalloc;
use crate::mstats::MEMSTATS;

/// The address range [base, limit).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AddrRange {
    /// First address.
    pub base: usize,
    /// One past the last address.
    pub limit: usize,
}

impl AddrRange {
    /// Bytes in the range.
    pub fn size(&self) -> usize {
        self.limit - self.base
    }
}

/// Disjoint ranges in increasing address order, adjacent ones merged (gc's addrRanges).
///
/// Heap addresses are user-space addresses, below 2^47 on amd64 and 2^48 on arm64, so plain
/// unsigned comparison orders them the way gc's offset addresses do.
pub struct AddrRanges {
    ranges: *mut AddrRange,
    len: usize,
    cap: usize,
    /// Bytes in all ranges.
    pub total_bytes: usize,
}

// SAFETY: the storage is owned by the list; its owner serialises access (the heap lock).
unsafe impl Send for AddrRanges {}

impl AddrRanges {
    /// An empty list; usable in statics.
    pub const fn new() -> AddrRanges {
        AddrRanges {
            ranges: core::ptr::null_mut(),
            len: 0,
            cap: 0,
            total_bytes: 0,
        }
    }

    /// The ranges, lowest first.
    pub fn as_slice(&self) -> &[AddrRange] {
        if self.len == 0 {
            return &[];
        }
        // SAFETY: `ranges` holds `len` initialised entries.
        unsafe { core::slice::from_raw_parts(self.ranges, self.len) }
    }

    /// Whether `addr` lies in one of the ranges.
    pub fn contains(&self, addr: usize) -> bool {
        let s = self.as_slice();
        let i = s.partition_point(|r| r.limit <= addr);
        i < s.len() && s[i].base <= addr
    }

    /// Adds [r.base, r.limit), which must not overlap the ranges already present; merges it
    /// with neighbours it touches (gc's add).
    pub fn add(&mut self, r: AddrRange) {
        if r.base >= r.limit {
            crate::panic::throw("attempted to add zero-sized address range");
        }
        let i = self.as_slice().partition_point(|x| x.base < r.base);
        let s = self.as_slice();
        if (i > 0 && s[i - 1].limit > r.base) || (i < s.len() && s[i].base < r.limit) {
            crate::panic::throw("attempted to add overlapping address range");
        }
        let joins_below = i > 0 && s[i - 1].limit == r.base;
        let joins_above = i < s.len() && s[i].base == r.limit;
        let above_limit = if joins_above { s[i].limit } else { 0 };
        self.total_bytes += r.size();
        match (joins_below, joins_above) {
            (true, true) => {
                let above = above_limit;
                self.slice_mut()[i - 1].limit = above;
                self.remove(i);
            }
            (true, false) => self.slice_mut()[i - 1].limit = r.limit,
            (false, true) => self.slice_mut()[i].base = r.base,
            (false, false) => self.insert(i, r),
        }
    }

    fn slice_mut(&mut self) -> &mut [AddrRange] {
        // SAFETY: as in as_slice; `&mut self` makes the borrow unique.
        unsafe { core::slice::from_raw_parts_mut(self.ranges, self.len) }
    }

    fn insert(&mut self, i: usize, r: AddrRange) {
        if self.len == self.cap {
            self.grow();
        }
        // SAFETY: after grow there is room for one more entry; entries i.. move up by one.
        unsafe {
            core::ptr::copy(self.ranges.add(i), self.ranges.add(i + 1), self.len - i);
            self.ranges.add(i).write(r);
        }
        self.len += 1;
    }

    fn remove(&mut self, i: usize) {
        // SAFETY: i < len; entries after i move down by one.
        unsafe { core::ptr::copy(self.ranges.add(i + 1), self.ranges.add(i), self.len - i - 1) };
        self.len -= 1;
    }

    /// Doubles the storage. The old array is abandoned, as gc does: persistent memory is never
    /// freed, and the waste is bounded by the final size.
    fn grow(&mut self) {
        let cap = (self.cap * 2).max(16);
        let bytes = cap * core::mem::size_of::<AddrRange>();
        let p = persistentalloc(bytes, 8, &MEMSTATS.other_sys) as *mut AddrRange;
        // SAFETY: the new array has room for `cap` >= `len` entries.
        unsafe { core::ptr::copy_nonoverlapping(self.ranges, p, self.len) };
        self.ranges = p;
        self.cap = cap;
    }
}

impl Default for AddrRanges {
    fn default() -> AddrRanges {
        AddrRanges::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(base: usize, limit: usize) -> AddrRange {
        AddrRange { base, limit }
    }

    #[test]
    fn adjacent_ranges_merge_and_order_is_kept() {
        let mut a = AddrRanges::new();
        a.add(r(0x2000, 0x3000));
        a.add(r(0x5000, 0x6000));
        a.add(r(0x1000, 0x2000));
        assert_eq!(a.as_slice(), &[r(0x1000, 0x3000), r(0x5000, 0x6000)]);
        a.add(r(0x3000, 0x5000));
        assert_eq!(a.as_slice(), &[r(0x1000, 0x6000)]);
        a.add(r(0x8000, 0x9000));
        a.add(r(0x6000, 0x7000));
        assert_eq!(a.as_slice(), &[r(0x1000, 0x7000), r(0x8000, 0x9000)]);
        assert_eq!(a.total_bytes, 0x7000);
        assert!(a.contains(0x1000) && a.contains(0x8fff) && !a.contains(0x7000));
    }

    #[test]
    fn many_disjoint_ranges_grow_the_storage() {
        let mut a = AddrRanges::new();
        for i in (0..100).rev() {
            a.add(r(i * 0x10000, i * 0x10000 + 0x1000));
        }
        assert_eq!(a.as_slice().len(), 100);
        assert!(a.as_slice().windows(2).all(|w| w[0].limit < w[1].base));
    }

    #[test]
    #[should_panic(expected = "overlapping")]
    fn overlapping_ranges_are_refused() {
        let mut a = AddrRanges::new();
        a.add(r(0x1000, 0x3000));
        a.add(r(0x2000, 0x4000));
    }
}
