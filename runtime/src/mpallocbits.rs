//! Page bitmaps of one 4 MiB chunk (Go's mpallocbits.go).
//!
//! A chunk is 512 runtime pages. `PallocBits` has a 1 for every allocated page, `PageBits`
//! (the scavenged bitmap) a 1 for every free page whose memory was returned to the OS. The
//! page allocator keeps a `PallocSum` per chunk (free pages at the start, the longest free
//! run, free pages at the end) to skip chunks and join runs across chunk boundaries.

use crate::sizeclasses::PAGE_SIZE;

/// Pages per chunk (gc's pallocChunkPages).
pub const PALLOC_CHUNK_PAGES: usize = 512;
/// Bytes per chunk: 4 MiB (gc's pallocChunkBytes).
pub const PALLOC_CHUNK_BYTES: usize = PALLOC_CHUNK_PAGES * PAGE_SIZE;
/// 64-bit words per chunk bitmap.
const WORDS: usize = PALLOC_CHUNK_PAGES / 64;

/// One bit per page of a chunk (gc's pageBits).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[repr(C)]
pub struct PageBits(pub [u64; WORDS]);

impl PageBits {
    /// Bit `i`.
    pub fn get(&self, i: usize) -> bool {
        self.0[i / 64] >> (i % 64) & 1 != 0
    }

    /// The 64-bit word holding bit `i`.
    pub fn block64(&self, i: usize) -> u64 {
        self.0[i / 64]
    }

    /// Sets bits [i, i+n).
    pub fn set_range(&mut self, i: usize, n: usize) {
        self.apply_range(i, n, |w, m| *w |= m);
    }

    /// Clears bits [i, i+n).
    pub fn clear_range(&mut self, i: usize, n: usize) {
        self.apply_range(i, n, |w, m| *w &= !m);
    }

    /// Sets every bit.
    pub fn set_all(&mut self) {
        self.0 = [!0; WORDS];
    }

    /// Clears every bit.
    pub fn clear_all(&mut self) {
        self.0 = [0; WORDS];
    }

    /// The number of set bits in [i, i+n).
    pub fn popcnt_range(&self, i: usize, n: usize) -> usize {
        let mut count = 0;
        let mut copy = *self;
        copy.apply_range(i, n, |w, m| count += (*w & m).count_ones() as usize);
        count
    }

    /// Calls `f(word, mask)` for each word overlapping [i, i+n) with the mask of the range's
    /// bits in it.
    fn apply_range(&mut self, i: usize, n: usize, mut f: impl FnMut(&mut u64, u64)) {
        debug_assert!(i + n <= PALLOC_CHUNK_PAGES);
        let (mut i, end) = (i, i + n);
        while i < end {
            let bit = i % 64;
            let len = (64 - bit).min(end - i);
            let mask = if len == 64 {
                !0
            } else {
                ((1u64 << len) - 1) << bit
            };
            f(&mut self.0[i / 64], mask);
            i += len;
        }
    }
}

/// Allocation bitmap of a chunk: 1 = page in use (gc's pallocBits).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[repr(C)]
pub struct PallocBits(pub PageBits);

/// Free-run summary of a chunk (gc's pallocSum, unpacked): free pages at its start, the
/// longest free run, free pages at its end.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PallocSum {
    /// Free pages at the low end.
    pub start: u16,
    /// The longest run of free pages.
    pub max: u16,
    /// Free pages at the high end.
    pub end: u16,
}

impl PallocSum {
    /// The summary of an entirely free chunk.
    pub const FREE: PallocSum = PallocSum {
        start: PALLOC_CHUNK_PAGES as u16,
        max: PALLOC_CHUNK_PAGES as u16,
        end: PALLOC_CHUNK_PAGES as u16,
    };
}

impl PallocBits {
    /// Start, longest and end free runs (gc's summarize).
    pub fn summarize(&self) -> PallocSum {
        let (mut start, mut max, mut cur) = (0usize, 0usize, 0usize);
        let mut start_done = false;
        for &w in &self.0 .0 {
            let free = !w;
            if free == !0 {
                cur += 64;
                continue;
            }
            let low = free.trailing_ones() as usize;
            if !start_done {
                start = cur + low;
                start_done = true;
            }
            max = max.max(cur + low).max(longest_ones(free));
            cur = free.leading_ones() as usize;
        }
        if !start_done {
            start = cur;
        }
        max = max.max(cur);
        PallocSum {
            start: start as u16,
            max: max as u16,
            end: cur as u16,
        }
    }

    /// The first run of `npages` free pages at or after page `search_idx` (gc's find, which
    /// also returns a new search index; callers here recompute theirs).
    pub fn find(&self, npages: usize, search_idx: usize) -> Option<usize> {
        let (mut run, mut run_start) = (0usize, 0usize);
        for i in search_idx / 64..WORDS {
            let mut free = !self.0 .0[i];
            if i == search_idx / 64 {
                free &= !0u64 << (search_idx % 64);
            }
            if free == !0 {
                if run == 0 {
                    run_start = i * 64;
                }
                run += 64;
                if run >= npages {
                    return Some(run_start);
                }
                continue;
            }
            let low = free.trailing_ones() as usize;
            if run > 0 && run + low >= npages {
                return Some(run_start);
            }
            if npages <= 64 {
                let j = find_bit_range64(free, npages);
                if j < 64 {
                    return Some(i * 64 + j);
                }
            }
            run = free.leading_ones() as usize;
            run_start = i * 64 + 64 - run;
        }
        None
    }

    /// Marks pages [i, i+n) allocated.
    pub fn alloc_range(&mut self, i: usize, n: usize) {
        self.0.set_range(i, n);
    }

    /// Marks pages [i, i+n) free.
    pub fn free(&mut self, i: usize, n: usize) {
        self.0.clear_range(i, n);
    }

    /// The 64 allocation bits holding page `i`.
    pub fn pages64(&self, i: usize) -> u64 {
        self.0.block64(i)
    }
}

/// The allocation and scavenged bitmaps of one chunk (gc's pallocData).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[repr(C)]
pub struct PallocData {
    /// 1 = page allocated.
    pub alloc: PallocBits,
    /// 1 = free page whose memory was returned to the OS.
    pub scavenged: PageBits,
}

impl PallocData {
    /// Allocates pages [i, i+n), which are no longer scavenged: the caller reuses the memory.
    pub fn alloc_range(&mut self, i: usize, n: usize) {
        self.alloc.alloc_range(i, n);
        self.scavenged.clear_range(i, n);
    }
}

/// The longest run of 1 bits in `x`.
fn longest_ones(mut x: u64) -> usize {
    let mut best = 0;
    while x != 0 {
        x >>= x.trailing_zeros();
        let run = x.trailing_ones();
        best = best.max(run as usize);
        if run == 64 {
            break;
        }
        x >>= run;
    }
    best
}

/// The lowest index of a run of `n` (1..=64) 1 bits in `c`, or 64 if there is none (gc's
/// findBitRange64): each step shifts the runs' tops down, doubling how far it may shift.
pub fn find_bit_range64(mut c: u64, n: usize) -> usize {
    let mut p = n - 1;
    let mut k = 1;
    while p > 0 {
        if p <= k {
            c &= c >> (p & 63);
            break;
        }
        c &= c >> (k & 63);
        if c == 0 {
            return 64;
        }
        p -= k;
        k *= 2;
    }
    c.trailing_zeros() as usize
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A tiny deterministic generator (xorshift64*), so that failures reproduce.
    pub(crate) struct Rng(pub u64);

    impl Rng {
        pub(crate) fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
        }

        pub(crate) fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    fn naive_free(b: &PallocBits) -> Vec<bool> {
        (0..PALLOC_CHUNK_PAGES).map(|i| !b.0.get(i)).collect()
    }

    fn naive_find(free: &[bool], n: usize, from: usize) -> Option<usize> {
        (from..=PALLOC_CHUNK_PAGES - n).find(|&i| free[i..i + n].iter().all(|&f| f))
    }

    fn naive_sum(free: &[bool]) -> PallocSum {
        let start = free.iter().take_while(|&&f| f).count();
        let end = free.iter().rev().take_while(|&&f| f).count();
        let (mut max, mut cur) = (0, 0);
        for &f in free {
            cur = if f { cur + 1 } else { 0 };
            max = max.max(cur);
        }
        PallocSum {
            start: start as u16,
            max: max as u16,
            end: end as u16,
        }
    }

    /// Bitmaps with runs of every length, from mostly free to mostly allocated.
    fn random_bits(rng: &mut Rng) -> PallocBits {
        let mut b = PallocBits::default();
        let density = rng.below(100);
        let mut i = 0;
        while i < PALLOC_CHUNK_PAGES {
            let spread = 1 + rng.below(130);
            let n = (1 + rng.below(spread)).min(PALLOC_CHUNK_PAGES - i);
            if rng.below(100) < density {
                b.alloc_range(i, n);
            }
            i += n;
        }
        b
    }

    #[test]
    fn find_and_summarize_agree_with_a_naive_scan() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        for _ in 0..3000 {
            let b = random_bits(&mut rng);
            let free = naive_free(&b);
            assert_eq!(b.summarize(), naive_sum(&free), "{b:x?}");
            for _ in 0..8 {
                let limit = if rng.below(2) == 0 { 64 } else { 512 };
                let n = 1 + rng.below(limit);
                let from = rng.below(PALLOC_CHUNK_PAGES);
                assert_eq!(
                    b.find(n, from),
                    naive_find(&free, n, from),
                    "n={n} from={from} {b:x?}"
                );
            }
        }
    }

    #[test]
    fn summaries_of_full_and_empty_chunks() {
        let mut b = PallocBits::default();
        assert_eq!(b.summarize(), PallocSum::FREE);
        assert_eq!(b.find(512, 0), Some(0));
        b.alloc_range(0, 512);
        assert_eq!(b.summarize(), PallocSum::default());
        assert_eq!(b.find(1, 0), None);
        b.free(511, 1);
        assert_eq!(
            b.summarize(),
            PallocSum {
                start: 0,
                max: 1,
                end: 1
            }
        );
    }

    #[test]
    fn ranges_and_popcount() {
        let mut p = PageBits::default();
        p.set_range(60, 70);
        assert_eq!(p.popcnt_range(0, 512), 70);
        assert_eq!(p.popcnt_range(64, 10), 10);
        assert!(p.get(60) && p.get(129) && !p.get(130) && !p.get(59));
        p.clear_range(62, 2);
        assert_eq!(p.popcnt_range(0, 512), 68);
        p.set_all();
        assert_eq!(p.popcnt_range(0, 512), 512);
        p.clear_all();
        assert_eq!(p, PageBits::default());
        let mut d = PallocData::default();
        d.scavenged.set_all();
        d.alloc_range(3, 5);
        assert_eq!(d.scavenged.popcnt_range(0, 512), 507);
        assert_eq!(d.alloc.pages64(0), 0b1111_1000);
    }

    #[test]
    fn find_bit_range64_finds_the_lowest_run() {
        assert_eq!(find_bit_range64(0b0111_0110, 3), 4);
        assert_eq!(find_bit_range64(0b0111_0110, 2), 1);
        assert_eq!(find_bit_range64(0b0111_0110, 4), 64);
        assert_eq!(find_bit_range64(!0, 64), 0);
        assert_eq!(find_bit_range64(!0 << 1, 64), 64);
        assert_eq!(find_bit_range64(1 << 63, 1), 63);
    }
}
