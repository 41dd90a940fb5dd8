//! The scavenger's core: returning free pages to the OS (Go's mgcscavenge.go).
//!
//! Free pages stay mapped and backed after their spans die, so that reusing them is cheap.
//! Scavenging hands runs of free pages back to the OS with MADV_DONTNEED (`sys_unused`) and
//! marks them in the chunk's scavenged bitmap; the heap counts them as released, and
//! allocating them later counts them as reused (mheap.rs). As in gc, the highest addresses
//! are scavenged first (the allocator prefers low ones), only whole physical pages are
//! released, and the pages are marked allocated while the system call runs so that the
//! heap lock need not be held across it.
//!
//! Entry points for the collector and sysmon (gc's background scavenger paces calls to
//! these against a retained-memory goal; that pacing is theirs):
//! - `MHeap::scavenge(nbytes)`: release up to nbytes;
//! - `MHeap::scavenge_to_goal(goal)`: release until retained memory is at most goal;
//! - `MHeap::scavenge_all()`: release everything free (debug.FreeOSMemory's core);
//! - `MHeap::scavenge_goal`: when set, heap growth scavenges to stay under it (gc's
//!   gcPercentGoal path in allocSpan).

use crate::mem_linux::sys_unused;
use crate::mheap::MHeap;
use crate::mpagealloc::{chunk_base, chunk_index, PageAlloc};
use crate::mpallocbits::{PallocData, PALLOC_CHUNK_PAGES};
use crate::mstats::xadd;
use crate::panic::throw;
use crate::sizeclasses::PAGE_SIZE;
use core::sync::atomic::Ordering::Relaxed;

/// The largest physical page, in runtime pages, the scavenger supports (gc's
/// maxPagesPerPhysPage: 512 KiB physical pages).
const MAX_PAGES_PER_PHYS_PAGE: usize = 64;

impl MHeap {
    /// Releases up to `nbytes` (rounded up to physical pages) of free memory to the OS,
    /// highest addresses first; returns the bytes released (gc's pageAlloc.scavenge).
    pub fn scavenge(&self, nbytes: usize) -> usize {
        let mut released = 0;
        while released < nbytes {
            let n = self.scavenge_one(nbytes - released);
            if n == 0 {
                break;
            }
            released += n;
        }
        released
    }

    /// Releases every free page (gc's scavengeAll, behind debug.FreeOSMemory).
    pub fn scavenge_all(&self) -> usize {
        self.with_pages(|p| p.scav_top = usize::MAX);
        self.scavenge(usize::MAX)
    }

    /// Bytes the heap holds in backed pages: in use or free but not released (gc's
    /// heapRetained).
    pub fn heap_retained(&self) -> u64 {
        self.stats.heap_in_use.load(Relaxed) + self.stats.heap_free.load(Relaxed)
    }

    /// Releases free memory until the heap retains at most `goal` bytes or nothing free is
    /// left; returns the bytes released. The background scavenger's unit of work.
    pub fn scavenge_to_goal(&self, goal: u64) -> usize {
        let retained = self.heap_retained();
        if retained <= goal {
            return 0;
        }
        self.scavenge((retained - goal) as usize)
    }

    /// After the heap grew by `growth` bytes, releases as much as keeps retained memory under
    /// `scavenge_goal` (gc's allocSpan does this with gcPercentGoal).
    pub(crate) fn scavenge_after_growth(&self, growth: usize) {
        let goal = self.scavenge_goal.load(Relaxed);
        if goal == u64::MAX {
            return;
        }
        let retained = self.heap_retained();
        if retained + growth as u64 > goal {
            let overage = (retained + growth as u64 - goal) as usize;
            self.scavenge(growth.min(overage));
        }
    }

    /// Finds and releases one run of free, unscavenged pages of at most about `max` bytes
    /// (gc's scavengeOne). Returns the bytes released, 0 if there is nothing to release.
    fn scavenge_one(&self, max: usize) -> usize {
        let min_pages = (crate::os_linux::phys_page_size() / PAGE_SIZE).max(1);
        if min_pages > MAX_PAGES_PER_PHYS_PAGE {
            throw("scavenger: physical page size too large");
        }
        let max_pages = max / PAGE_SIZE + usize::from(!max.is_multiple_of(PAGE_SIZE));
        let claimed = self.with_pages(|p| {
            let (addr, npages) = p.scavenge_candidate(min_pages, max_pages)?;
            // Claim the run so no allocation takes it while the lock is dropped.
            if p.alloc_range(addr, npages) != 0 {
                throw("double scavenge");
            }
            Some((addr, npages))
        });
        let Some((addr, npages)) = claimed else {
            return 0;
        };
        let nbytes = npages * PAGE_SIZE;
        // SAFETY: the pages are free and claimed by us; nobody needs their contents.
        unsafe { sys_unused(addr as *mut u8, nbytes) };
        xadd(&self.stats.heap_released, nbytes as i64);
        xadd(&self.stats.heap_free, -(nbytes as i64));
        self.with_pages(|p| {
            p.free(addr, npages);
            let i = crate::mpagealloc::chunk_page_index(addr);
            p.chunk_of(chunk_index(addr)).scavenged.set_range(i, npages);
        });
        nbytes
    }
}

impl PageAlloc {
    /// The highest run of free, unscavenged pages at or below `scav_top`: at least `min`
    /// pages aligned to `min`, about `max` pages long. Lowers `scav_top` past chunks with
    /// nothing to release.
    pub(crate) fn scavenge_candidate(&mut self, min: usize, max: usize) -> Option<(usize, usize)> {
        let ranges = self.in_use.as_slice();
        let (ptr, nranges) = (ranges.as_ptr(), ranges.len());
        for k in (0..nranges).rev() {
            // SAFETY: k < nranges; the range list is not modified during the search.
            let r = unsafe { *ptr.add(k) };
            let lo = chunk_index(r.base);
            let mut ci = (chunk_index(r.limit - 1) + 1).min(self.scav_top);
            while ci > lo {
                ci -= 1;
                if self.sum_of(ci).max as usize >= min {
                    let chunk = self.chunk_of(ci);
                    if let Some((start, n)) =
                        find_scavenge_candidate(chunk, PALLOC_CHUNK_PAGES - 1, min, max)
                    {
                        self.scav_top = ci + 1;
                        return Some((chunk_base(ci) + start * PAGE_SIZE, n));
                    }
                }
            }
        }
        self.scav_top = 0;
        None
    }
}

/// The highest run of free, unscavenged pages in the chunk at or below page `search_idx`:
/// at least `min` pages (a power of two) long and `min`-aligned, truncated to `max` pages
/// rounded up to `min` (gc's findScavengeCandidate, without its huge-page widening).
pub fn find_scavenge_candidate(
    m: &PallocData,
    search_idx: usize,
    min: usize,
    max: usize,
) -> Option<(usize, usize)> {
    if !min.is_power_of_two() {
        throw("min must be a non-zero power of 2");
    }
    if min > MAX_PAGES_PER_PHYS_PAGE {
        throw("min too large");
    }
    let max = if max == 0 {
        min
    } else {
        max.checked_next_multiple_of(min).unwrap_or(usize::MAX)
    };
    // 1 bits: scavenged or allocated (in a min-aligned group with such a page).
    let unusable = |i: usize| fill_aligned(m.scavenged.0[i] | m.alloc.0 .0[i], min);
    let mut i = (search_idx / 64) as isize;
    while i >= 0 && unusable(i as usize) == !0 {
        i -= 1;
    }
    if i < 0 {
        return None;
    }
    let x = unusable(i as usize);
    let z1 = (!x).leading_zeros() as usize;
    let end = i as usize * 64 + (64 - z1);
    let run = if z1 < 64 && x << z1 != 0 {
        (x << z1).leading_zeros() as usize
    } else {
        let mut run = 64 - z1;
        let mut j = i - 1;
        while j >= 0 {
            let x = unusable(j as usize);
            run += x.leading_zeros() as usize;
            if x != 0 {
                break;
            }
            j -= 1;
        }
        run
    };
    let size = run.min(max);
    Some((end - size, size))
}

/// `x` with every `m`-aligned group of `m` bits set to all ones if any bit in it is set
/// (gc's fillAligned); `m` is a power of two up to 64.
pub fn fill_aligned(x: u64, m: usize) -> u64 {
    let apply = |x: u64, c: u64| !((((x & c).wrapping_add(c)) | x) | c);
    let x = match m {
        1 => return x,
        2 => apply(x, 0x5555_5555_5555_5555),
        4 => apply(x, 0x7777_7777_7777_7777),
        8 => apply(x, 0x7f7f_7f7f_7f7f_7f7f),
        16 => apply(x, 0x7fff_7fff_7fff_7fff),
        32 => apply(x, 0x7fff_ffff_7fff_ffff),
        64 => apply(x, 0x7fff_ffff_ffff_ffff),
        _ => throw("bad m value"),
    };
    // Now the top bit of each group is set iff the group was all zero.
    !((x.wrapping_sub(x >> (m - 1))) | x)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mpagealloc::tests::BASE;
    use crate::mpallocbits::tests::Rng;
    use crate::mpallocbits::PALLOC_CHUNK_BYTES;

    #[test]
    fn fill_aligned_matches_gcs_examples_and_a_naive_version() {
        assert_eq!(fill_aligned(0x0100a3, 8), 0xff00ff);
        assert_eq!(fill_aligned(0x0100a3, 1), 0x0100a3);
        let mut rng = Rng(77);
        for _ in 0..10_000 {
            let x = rng.next() & rng.next();
            for m in [1, 2, 4, 8, 16, 32, 64] {
                let mut want = 0u64;
                for g in (0..64).step_by(m) {
                    let mask = if m == 64 { !0 } else { ((1u64 << m) - 1) << g };
                    if x & mask != 0 {
                        want |= mask;
                    }
                }
                assert_eq!(fill_aligned(x, m), want, "x={x:#x} m={m}");
            }
        }
    }

    /// The highest aligned run of free unscavenged pages, by brute force.
    fn naive_candidate(m: &PallocData, min: usize, max: usize) -> Option<(usize, usize)> {
        let usable = |g: usize| (g..g + min).all(|i| !m.alloc.0.get(i) && !m.scavenged.get(i));
        let groups: Vec<usize> = (0..PALLOC_CHUNK_PAGES / min).map(|k| k * min).collect();
        let top = groups.iter().rev().find(|&&g| usable(g))?;
        let end = top + min;
        let mut start = *top;
        while start >= min && usable(start - min) {
            start -= min;
        }
        let max = max.next_multiple_of(min);
        let size = (end - start).min(max);
        Some((end - size, size))
    }

    #[test]
    fn find_scavenge_candidate_agrees_with_brute_force() {
        let mut rng = Rng(4242);
        for _ in 0..3000 {
            let mut m = PallocData::default();
            for w in 0..8 {
                let sparse = rng.next() & rng.next() & rng.next();
                m.alloc.0 .0[w] = if rng.below(4) == 0 { 0 } else { sparse };
                m.scavenged.0[w] =
                    rng.next() & rng.next() & rng.next() & rng.next() & !m.alloc.0 .0[w];
            }
            for min in [1, 2, 8, 64] {
                let max = 1 + rng.below(600);
                assert_eq!(
                    find_scavenge_candidate(&m, PALLOC_CHUNK_PAGES - 1, min, max),
                    naive_candidate(&m, min, max),
                    "min {min} max {max} {m:x?}"
                );
            }
        }
    }

    #[test]
    fn scavenge_candidate_walks_chunks_from_the_top() {
        let mut p = Box::new(PageAlloc::new());
        p.grow(BASE, 3 * PALLOC_CHUNK_BYTES);
        // Use every page, then free 10 pages in chunk 0 and 20 in chunk 2.
        assert_eq!(p.alloc(3 * 512).0, BASE);
        p.free(BASE + 5 * PAGE_SIZE, 10);
        p.free(BASE + (2 * 512 + 100) * PAGE_SIZE, 20);
        assert_eq!(
            p.scavenge_candidate(1, usize::MAX),
            Some((BASE + (2 * 512 + 100) * PAGE_SIZE, 20))
        );
        p.alloc_range(BASE + (2 * 512 + 100) * PAGE_SIZE, 20);
        p.free(BASE + (2 * 512 + 100) * PAGE_SIZE, 20);
        let c = chunk_index(BASE) + 2;
        p.chunk_of(c).scavenged.set_range(100, 20);
        assert_eq!(p.scavenge_candidate(2, 4), Some((BASE + 10 * PAGE_SIZE, 4)));
        assert_eq!(
            p.scavenge_candidate(4, 100),
            Some((BASE + 8 * PAGE_SIZE, 4)),
            "aligned"
        );
        assert_eq!(p.scavenge_candidate(16, 100), None);
        assert_eq!(p.scav_top, 0);
    }
}
