//! The page allocator (Go's mpagealloc.go and mpagealloc_64bit.go), simplified.
//!
//! Like gc's, it hands out runs of 8 KiB pages from the heap's mapped address space, lowest
//! address first, keeps an allocation bitmap and a scavenged bitmap per 4 MiB chunk
//! (`PallocData`, in a sparse two-level array indexed by chunk number, as gc's `chunks`), and
//! a `search_addr` below which no page is free. Where gc keeps a five-level radix tree of
//! run summaries over the whole address space, this allocator keeps one summary per chunk
//! and walks the chunks of the heap's address ranges in order, joining free runs across
//! chunk boundaries with the summaries' start/end fields. That is the bottom level of gc's
//! tree without the upper levels: the same first-fit policy and results, found in time
//! linear in the number of chunks above `search_addr` instead of logarithmic. With 4 MiB
//! chunks a 1 GiB heap has 256 of them, so the walk is short for the heaps goclift runs;
//! see runtime/README.md for the reasoning.
//!
//! Every method must be called with the heap lock held (the allocator lives inside it).

use crate::malloc::ARENA_BASE_OFFSET;
use crate::mem_linux::sys_alloc;
use crate::mpallocbits::{PallocData, PallocSum, PALLOC_CHUNK_BYTES, PALLOC_CHUNK_PAGES};
use crate::mranges::{AddrRange, AddrRanges};
use crate::mstats::MEMSTATS;
use crate::sizeclasses::PAGE_SIZE;

/// Bits of a chunk number: 48 address bits minus 22 bits of chunk offset.
const CHUNK_IDX_BITS: usize = 48 - 22;
/// Bits of the first level of the chunk index (gc's pallocChunksL1Bits).
const CHUNKS_L1_BITS: usize = 13;
/// Bits of the second level.
const CHUNKS_L2_BITS: usize = CHUNK_IDX_BITS - CHUNKS_L1_BITS;
const CHUNKS_L1: usize = 1 << CHUNKS_L1_BITS;
const CHUNKS_L2: usize = 1 << CHUNKS_L2_BITS;

/// A second-level block: bitmaps and summaries of 8192 consecutive chunks (32 GiB of address
/// space). Allocated zeroed when the heap first grows into its range.
struct ChunkBlock {
    data: [PallocData; CHUNKS_L2],
    sums: [PallocSum; CHUNKS_L2],
}

/// The chunk number of address `p` (gc's chunkIndex).
pub fn chunk_index(p: usize) -> usize {
    p.wrapping_sub(ARENA_BASE_OFFSET) / PALLOC_CHUNK_BYTES
}

/// The first address of chunk `ci` (gc's chunkBase).
pub fn chunk_base(ci: usize) -> usize {
    (ci * PALLOC_CHUNK_BYTES).wrapping_add(ARENA_BASE_OFFSET)
}

/// The page number of `p` inside its chunk (gc's chunkPageIndex).
pub fn chunk_page_index(p: usize) -> usize {
    (p % PALLOC_CHUNK_BYTES) / PAGE_SIZE
}

/// The page allocator (gc's pageAlloc).
pub struct PageAlloc {
    chunks: [*mut ChunkBlock; CHUNKS_L1],
    /// The address ranges handed to `grow`: exactly the chunks that exist.
    pub in_use: AddrRanges,
    /// No page below this address is free (gc's searchAddr); `usize::MAX` when nothing is.
    search_addr: usize,
    /// One more than the highest chunk number that may hold free, unscavenged pages; the
    /// scavenger searches downwards from here (the role of gc's scavengeIndex).
    pub(crate) scav_top: usize,
}

// SAFETY: the chunk blocks are owned by the allocator; the heap lock serialises access.
unsafe impl Send for PageAlloc {}

impl PageAlloc {
    /// An allocator with no memory; usable in statics.
    pub const fn new() -> PageAlloc {
        PageAlloc {
            chunks: [core::ptr::null_mut(); CHUNKS_L1],
            in_use: AddrRanges::new(),
            search_addr: usize::MAX,
            scav_top: 0,
        }
    }

    /// The bitmaps of chunk `ci`, which must exist (gc's chunkOf).
    pub fn chunk_of(&mut self, ci: usize) -> &mut PallocData {
        let block = self.chunks[ci >> CHUNKS_L2_BITS];
        // SAFETY: blocks are created by grow before any chunk in them is used.
        unsafe { &mut (*block).data[ci & (CHUNKS_L2 - 1)] }
    }

    /// The summary of chunk `ci`, which must exist.
    pub fn sum_of(&self, ci: usize) -> PallocSum {
        let block = self.chunks[ci >> CHUNKS_L2_BITS];
        // SAFETY: as in chunk_of.
        unsafe { (*block).sums[ci & (CHUNKS_L2 - 1)] }
    }

    fn set_sum(&mut self, ci: usize, sum: PallocSum) {
        let block = self.chunks[ci >> CHUNKS_L2_BITS];
        // SAFETY: as in chunk_of.
        unsafe { (*block).sums[ci & (CHUNKS_L2 - 1)] = sum };
    }

    /// Adds the newly mapped [base, base+size) to the allocator, free and scavenged (fresh
    /// mappings are not backed by memory until touched, like released pages), as gc's grow.
    /// Both ends must be chunk-aligned, as the heap's growth always is.
    pub fn grow(&mut self, base: usize, size: usize) {
        if !base.is_multiple_of(PALLOC_CHUNK_BYTES)
            || !size.is_multiple_of(PALLOC_CHUNK_BYTES)
            || size == 0
        {
            crate::panic::throw("pageAlloc.grow: range not chunk-aligned");
        }
        self.in_use.add(AddrRange {
            base,
            limit: base + size,
        });
        let (first, last) = (chunk_index(base), chunk_index(base + size - 1));
        for ci in first..=last {
            self.ensure_block(ci);
            let chunk = self.chunk_of(ci);
            chunk.alloc.free(0, PALLOC_CHUNK_PAGES);
            chunk.scavenged.set_all();
            self.set_sum(ci, PallocSum::FREE);
        }
        self.search_addr = self.search_addr.min(base);
    }

    /// Creates the second-level block holding chunk `ci` if it does not exist.
    fn ensure_block(&mut self, ci: usize) {
        let l1 = ci >> CHUNKS_L2_BITS;
        if self.chunks[l1].is_null() {
            let p = sys_alloc(core::mem::size_of::<ChunkBlock>(), &MEMSTATS.gc_misc_sys);
            if p.is_null() {
                crate::panic::throw("failed to allocate page allocator metadata");
            }
            self.chunks[l1] = p as *mut ChunkBlock;
        }
    }

    /// Allocates `npages` contiguous pages at the lowest address where they fit (gc's alloc).
    /// Returns the base address (0 when nothing fits: the heap must grow) and how many of the
    /// pages' bytes were scavenged, which the caller must account as reused.
    pub fn alloc(&mut self, npages: usize) -> (usize, usize) {
        if npages == 0 {
            crate::panic::throw("pageAlloc.alloc: zero pages");
        }
        let (found, first_free) = self.find(npages);
        let Some(base) = found else {
            if let Some(f) = first_free {
                self.search_addr = f;
            } else {
                self.search_addr = usize::MAX;
            }
            return (0, 0);
        };
        let scav = self.alloc_range(base, npages);
        // Everything below the first free page was allocated; if the run started there, the
        // run is allocated now too.
        self.search_addr = match first_free {
            Some(f) if f == base => base + npages * PAGE_SIZE,
            Some(f) => f,
            None => base + npages * PAGE_SIZE,
        };
        (base, scav)
    }

    /// The lowest run of `npages` free pages at or above `search_addr`, and the lowest free
    /// page seen on the way (a new lower bound for `search_addr`).
    fn find(&mut self, npages: usize) -> (Option<usize>, Option<usize>) {
        let mut first_free = None;
        let ranges = self.in_use.as_slice();
        let (ranges_ptr, nranges) = (ranges.as_ptr(), ranges.len());
        for k in 0..nranges {
            // SAFETY: k < nranges; the range list is not modified during the search.
            let r = unsafe { *ranges_ptr.add(k) };
            if r.limit <= self.search_addr {
                continue;
            }
            let from = chunk_index(r.base.max(self.search_addr));
            let (mut run, mut run_start) = (0usize, 0usize);
            for ci in from..=chunk_index(r.limit - 1) {
                let sum = self.sum_of(ci);
                if first_free.is_none() && sum.max > 0 {
                    let idx = self.chunk_of(ci).alloc.find(1, 0).unwrap();
                    first_free = Some(chunk_base(ci) + idx * PAGE_SIZE);
                }
                if sum == PallocSum::FREE {
                    if run == 0 {
                        run_start = chunk_base(ci);
                    }
                    run += PALLOC_CHUNK_PAGES;
                    if run >= npages {
                        return (Some(run_start), first_free);
                    }
                    continue;
                }
                if run > 0 && run + sum.start as usize >= npages {
                    return (Some(run_start), first_free);
                }
                if sum.max as usize >= npages {
                    let idx = self.chunk_of(ci).alloc.find(npages, 0).unwrap();
                    return (Some(chunk_base(ci) + idx * PAGE_SIZE), first_free);
                }
                run = sum.end as usize;
                run_start = chunk_base(ci) + (PALLOC_CHUNK_PAGES - run) * PAGE_SIZE;
            }
        }
        (None, first_free)
    }

    /// Marks [base, base+npages*PAGE_SIZE) allocated and no longer scavenged; returns the
    /// scavenged bytes in it (gc's allocRange).
    pub fn alloc_range(&mut self, base: usize, npages: usize) -> usize {
        let mut scav_pages = 0;
        self.for_each_chunk_part(base, npages, |p, ci, i, n| {
            let chunk = p.chunk_of(ci);
            scav_pages += chunk.scavenged.popcnt_range(i, n);
            chunk.alloc_range(i, n);
            let sum = chunk.alloc.summarize();
            p.set_sum(ci, sum);
        });
        scav_pages * PAGE_SIZE
    }

    /// Frees [base, base+npages*PAGE_SIZE) (gc's free). The pages keep their scavenged bits,
    /// which allocation cleared: freed memory is still backed.
    pub fn free(&mut self, base: usize, npages: usize) {
        self.for_each_chunk_part(base, npages, |p, ci, i, n| {
            let chunk = p.chunk_of(ci);
            chunk.alloc.free(i, n);
            let sum = chunk.alloc.summarize();
            p.set_sum(ci, sum);
        });
        self.search_addr = self.search_addr.min(base);
        let top = chunk_index(base + npages * PAGE_SIZE - 1) + 1;
        self.scav_top = self.scav_top.max(top);
    }

    /// Calls `f(self, chunk, first page, pages)` for each chunk's part of the page run.
    fn for_each_chunk_part(
        &mut self,
        base: usize,
        npages: usize,
        mut f: impl FnMut(&mut PageAlloc, usize, usize, usize),
    ) {
        let (mut addr, end) = (base, base + npages * PAGE_SIZE);
        while addr < end {
            let ci = chunk_index(addr);
            let i = chunk_page_index(addr);
            let n = (PALLOC_CHUNK_PAGES - i).min((end - addr) / PAGE_SIZE);
            f(self, ci, i, n);
            addr += n * PAGE_SIZE;
        }
    }

    /// Pages of the allocator that are free (for tests and consistency checks).
    pub fn free_pages(&mut self) -> usize {
        let mut free = 0;
        let ranges = self.in_use.as_slice();
        let (ptr, n) = (ranges.as_ptr(), ranges.len());
        for k in 0..n {
            // SAFETY: k < n; the list is not modified here.
            let r = unsafe { *ptr.add(k) };
            for ci in chunk_index(r.base)..=chunk_index(r.limit - 1) {
                free += PALLOC_CHUNK_PAGES - self.chunk_of(ci).alloc.0.popcnt_range(0, 512);
            }
        }
        free
    }
}

impl Default for PageAlloc {
    fn default() -> PageAlloc {
        PageAlloc::new()
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::mpallocbits::tests::Rng;

    /// A fake heap base: the page allocator never touches the memory it manages.
    pub(crate) const BASE: usize = 0x00c0_0000_0000;
    const CHUNK: usize = PALLOC_CHUNK_BYTES;

    fn new_alloc() -> Box<PageAlloc> {
        Box::new(PageAlloc::new())
    }

    #[test]
    fn allocates_lowest_first_and_reuses_freed_runs() {
        let mut p = new_alloc();
        assert_eq!(p.alloc(1), (0, 0), "nothing before grow");
        p.grow(BASE, 2 * CHUNK);
        let (a, scav) = p.alloc(1);
        assert_eq!(
            (a, scav),
            (BASE, PAGE_SIZE),
            "fresh pages count as scavenged"
        );
        assert_eq!(p.alloc(3).0, BASE + PAGE_SIZE);
        assert_eq!(p.alloc(1).0, BASE + 4 * PAGE_SIZE);
        p.free(BASE + PAGE_SIZE, 3);
        assert_eq!(
            p.alloc(2),
            (BASE + PAGE_SIZE, 0),
            "freed pages are not scavenged"
        );
        assert_eq!(
            p.alloc(2).0,
            BASE + 5 * PAGE_SIZE,
            "a 1-page hole does not fit 2"
        );
        assert_eq!(p.alloc(1).0, BASE + 3 * PAGE_SIZE);
    }

    #[test]
    fn runs_cross_chunk_boundaries_and_whole_chunks() {
        let mut p = new_alloc();
        p.grow(BASE, 6 * CHUNK);
        assert_eq!(p.alloc(500).0, BASE);
        // 12 pages left in chunk 0: a 600-page run starts there and spills into chunk 1.
        assert_eq!(p.alloc(600).0, BASE + 500 * PAGE_SIZE);
        // 1024 pages from page 1100 span chunks 2, 3 and 4.
        assert_eq!(p.alloc(1024).0, BASE + 1100 * PAGE_SIZE);
        assert_eq!(p.alloc(1024).0, 0, "only 948 pages are left");
        assert_eq!(p.free_pages(), 6 * 512 - 500 - 600 - 1024);
        assert_eq!(p.alloc(948).0, BASE + 2124 * PAGE_SIZE);
        assert_eq!(p.free_pages(), 0);
        assert_eq!(p.alloc(1).0, 0);
        p.free(BASE + 1000 * PAGE_SIZE, 200);
        assert_eq!(
            p.alloc(150).0,
            BASE + 1000 * PAGE_SIZE,
            "search_addr went back down"
        );
    }

    #[test]
    fn discontiguous_ranges_do_not_join() {
        let mut p = new_alloc();
        p.grow(BASE, CHUNK);
        p.grow(BASE + 2 * CHUNK, CHUNK);
        assert_eq!(p.alloc(300).0, BASE);
        assert_eq!(p.alloc(300).0, BASE + 2 * CHUNK, "the gap is not heap");
        p.grow(BASE + CHUNK, CHUNK);
        assert_eq!(p.in_use.as_slice().len(), 1);
        assert_eq!(p.alloc(700).0, BASE + 300 * PAGE_SIZE, "now contiguous");
    }

    /// Random allocations and frees against a model: a Vec<bool> of the pages.
    #[test]
    fn random_workload_matches_a_first_fit_model() {
        let chunks = 6;
        let npages_total = chunks * 512;
        let mut p = new_alloc();
        p.grow(BASE, chunks * CHUNK);
        let mut model = vec![false; npages_total];
        let mut live: Vec<(usize, usize)> = Vec::new();
        let mut rng = Rng(12345);
        for step in 0..20_000 {
            if live.is_empty() || rng.below(100) < 55 {
                let n = if rng.below(10) == 0 {
                    1 + rng.below(1200)
                } else {
                    1 + rng.below(16)
                };
                let want = (0..=npages_total - n).find(|&i| model[i..i + n].iter().all(|&u| !u));
                let (got, _) = p.alloc(n);
                match want {
                    Some(i) => {
                        assert_eq!(got, BASE + i * PAGE_SIZE, "step {step}: alloc({n})");
                        model[i..i + n].iter_mut().for_each(|u| *u = true);
                        live.push((i, n));
                    }
                    None => assert_eq!(got, 0, "step {step}: alloc({n}) should fail"),
                }
            } else {
                let (i, n) = live.swap_remove(rng.below(live.len()));
                p.free(BASE + i * PAGE_SIZE, n);
                model[i..i + n].iter_mut().for_each(|u| *u = false);
            }
        }
        assert_eq!(p.free_pages(), model.iter().filter(|&&u| !u).count());
    }

    #[test]
    fn chunk_index_round_trips() {
        for p in [BASE, BASE + CHUNK - 1, 0x7fff_ffc0_0000, 0x40_0000] {
            let ci = chunk_index(p);
            assert!(chunk_base(ci) <= p && p < chunk_base(ci) + CHUNK);
            assert_eq!(chunk_page_index(chunk_base(ci) + 5 * PAGE_SIZE), 5);
        }
    }
}
