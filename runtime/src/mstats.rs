//! Memory statistics (Go's mstats.go), the raw material of runtime.ReadMemStats.
//!
//! As in gc, the heap keeps page-level counters (in use, free, released), the allocator keeps
//! object counts per size class (flushed from the mcaches when they hand a span back, so a
//! reader must flush every mcache first, as gc's readmemstats_m does under stop-the-world),
//! and runtime metadata is counted per purpose in `SysMemStat`s.

use crate::sizeclasses::{CLASS_TO_SIZE, NUM_SIZE_CLASSES};
use core::sync::atomic::{AtomicU64, Ordering};

/// Bytes of address space the runtime holds for one purpose (gc's sysMemStat).
pub struct SysMemStat(AtomicU64);

impl SysMemStat {
    /// Zero bytes.
    pub const fn new() -> SysMemStat {
        SysMemStat(AtomicU64::new(0))
    }

    /// Adds `n` (negative: subtracts).
    pub fn add(&self, n: i64) {
        self.0.fetch_add(n as u64, Ordering::Relaxed);
    }

    /// The current value.
    pub fn load(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

impl Default for SysMemStat {
    fn default() -> SysMemStat {
        SysMemStat::new()
    }
}

/// Runtime-wide memory that is not heap (gc's memstats.*_sys fields).
pub struct SysStats {
    /// mspan structures (gc's mspan_sys).
    pub mspan_sys: SysMemStat,
    /// mcache structures (gc's mcache_sys).
    pub mcache_sys: SysMemStat,
    /// Collector metadata: heap arena metadata, mark and alloc bitmaps (gc's gcMiscSys).
    pub gc_misc_sys: SysMemStat,
    /// Everything else persistentalloc hands out (gc's other_sys).
    pub other_sys: SysMemStat,
}

/// The runtime's non-heap memory counters (gc's memstats).
pub static MEMSTATS: SysStats = SysStats {
    mspan_sys: SysMemStat::new(),
    mcache_sys: SysMemStat::new(),
    gc_misc_sys: SysMemStat::new(),
    other_sys: SysMemStat::new(),
};

/// One heap's counters (gc's gcController.heapInUse/heapFree/heapReleased/heapLive/totalAlloc/
/// totalFree and memstats.heapStats). All are atomics: the page counters change under the heap
/// lock, the object counters whenever an mcache flushes or the sweeper frees.
pub struct HeapStats {
    /// Bytes in spans that are in use (gc's heapInUse).
    pub heap_in_use: AtomicU64,
    /// Bytes of free pages still backed by memory (gc's heapFree).
    pub heap_free: AtomicU64,
    /// Bytes of free pages returned to the OS (gc's heapReleased).
    pub heap_released: AtomicU64,
    /// Bytes in manually managed spans used for goroutine stacks (gc's inStacks).
    pub in_stacks: AtomicU64,
    /// Bytes the collector must consider live: allocated objects plus the free space of spans
    /// cached in mcaches, which is counted as allocated when cached (gc's heapLive).
    pub heap_live: AtomicU64,
    /// Bytes of objects ever allocated (gc's totalAlloc).
    pub total_alloc: AtomicU64,
    /// Bytes of objects ever freed (gc's totalFree).
    pub total_free: AtomicU64,
    /// Objects allocated per size class.
    pub small_alloc_count: [AtomicU64; NUM_SIZE_CLASSES],
    /// Objects freed per size class.
    pub small_free_count: [AtomicU64; NUM_SIZE_CLASSES],
    /// Bytes of large objects allocated.
    pub large_alloc: AtomicU64,
    /// Number of large objects allocated.
    pub large_alloc_count: AtomicU64,
    /// Bytes of large objects freed.
    pub large_free: AtomicU64,
    /// Number of large objects freed.
    pub large_free_count: AtomicU64,
    /// Allocations served from tiny blocks (each also counts as freed, as in gc).
    pub tiny_alloc_count: AtomicU64,
}

/// A snapshot in runtime.MemStats's terms (the allocator's part of it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MemStats {
    /// Bytes of allocated heap objects (HeapAlloc, also Alloc).
    pub heap_alloc: u64,
    /// Cumulative bytes allocated (TotalAlloc).
    pub total_alloc: u64,
    /// Objects allocated, tiny allocations included (Mallocs).
    pub mallocs: u64,
    /// Objects freed, tiny allocations included (Frees).
    pub frees: u64,
    /// Live objects (HeapObjects = Mallocs - Frees).
    pub heap_objects: u64,
    /// Heap address space mapped: in use, free or released (HeapSys).
    pub heap_sys: u64,
    /// Bytes in idle spans: free or released (HeapIdle).
    pub heap_idle: u64,
    /// Bytes in in-use spans (HeapInuse).
    pub heap_inuse: u64,
    /// Bytes returned to the OS (HeapReleased).
    pub heap_released: u64,
    /// Bytes of stack spans taken from the heap (StackInuse).
    pub stack_inuse: u64,
    /// mspan structures (MSpanSys).
    pub mspan_sys: u64,
    /// mcache structures (MCacheSys).
    pub mcache_sys: u64,
    /// Collector metadata (GCSys).
    pub gc_sys: u64,
    /// Other runtime metadata (OtherSys).
    pub other_sys: u64,
    /// Total bytes obtained from the OS (Sys).
    pub sys: u64,
    /// Per size class: (object size, mallocs, frees) (BySize).
    pub by_size: [(u32, u64, u64); NUM_SIZE_CLASSES],
}

impl Default for MemStats {
    fn default() -> MemStats {
        MemStats {
            heap_alloc: 0,
            total_alloc: 0,
            mallocs: 0,
            frees: 0,
            heap_objects: 0,
            heap_sys: 0,
            heap_idle: 0,
            heap_inuse: 0,
            heap_released: 0,
            stack_inuse: 0,
            mspan_sys: 0,
            mcache_sys: 0,
            gc_sys: 0,
            other_sys: 0,
            sys: 0,
            by_size: [(0, 0, 0); NUM_SIZE_CLASSES],
        }
    }
}

impl HeapStats {
    /// All counters zero; usable in statics.
    pub const fn new() -> HeapStats {
        HeapStats {
            heap_in_use: AtomicU64::new(0),
            heap_free: AtomicU64::new(0),
            heap_released: AtomicU64::new(0),
            in_stacks: AtomicU64::new(0),
            heap_live: AtomicU64::new(0),
            total_alloc: AtomicU64::new(0),
            total_free: AtomicU64::new(0),
            small_alloc_count: [const { AtomicU64::new(0) }; NUM_SIZE_CLASSES],
            small_free_count: [const { AtomicU64::new(0) }; NUM_SIZE_CLASSES],
            large_alloc: AtomicU64::new(0),
            large_alloc_count: AtomicU64::new(0),
            large_free: AtomicU64::new(0),
            large_free_count: AtomicU64::new(0),
            tiny_alloc_count: AtomicU64::new(0),
        }
    }

    /// Derives the MemStats view as gc's readmemstats_m does. Exact only when every mcache
    /// has been flushed (`MCache::release_all`) and no allocation runs concurrently.
    pub fn read(&self) -> MemStats {
        let mut m = MemStats {
            total_alloc: load(&self.large_alloc),
            mallocs: load(&self.large_alloc_count),
            frees: load(&self.large_free_count),
            ..MemStats::default()
        };
        let mut total_free = load(&self.large_free);
        for (c, size) in CLASS_TO_SIZE.iter().enumerate() {
            let (a, f) = (
                load(&self.small_alloc_count[c]),
                load(&self.small_free_count[c]),
            );
            m.total_alloc += a * *size as u64;
            total_free += f * *size as u64;
            m.mallocs += a;
            m.frees += f;
            m.by_size[c] = (*size as u32, a, f);
        }
        // gc counts tiny allocations as both allocated and freed: only their 16-byte blocks
        // are tracked as objects.
        let tiny = load(&self.tiny_alloc_count);
        m.mallocs += tiny;
        m.frees += tiny;
        m.heap_alloc = m.total_alloc - total_free;
        m.heap_objects = m.mallocs - m.frees;
        m.heap_inuse = load(&self.heap_in_use);
        m.heap_released = load(&self.heap_released);
        m.heap_idle = load(&self.heap_free) + m.heap_released;
        m.heap_sys = m.heap_inuse + m.heap_idle;
        m.stack_inuse = load(&self.in_stacks);
        m.mspan_sys = MEMSTATS.mspan_sys.load();
        m.mcache_sys = MEMSTATS.mcache_sys.load();
        m.gc_sys = MEMSTATS.gc_misc_sys.load();
        m.other_sys = MEMSTATS.other_sys.load();
        m.sys = m.heap_sys + m.stack_inuse + m.mspan_sys + m.mcache_sys + m.gc_sys + m.other_sys;
        m
    }
}

impl Default for HeapStats {
    fn default() -> HeapStats {
        HeapStats::new()
    }
}

fn load(a: &AtomicU64) -> u64 {
    a.load(Ordering::Relaxed)
}

/// Adds a signed amount to an unsigned counter (the counters never go negative in total, but
/// individual updates may subtract).
pub fn xadd(a: &AtomicU64, n: i64) {
    a.fetch_add(n as u64, Ordering::Relaxed);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_derives_gcs_memstats_fields() {
        let s = HeapStats::new();
        xadd(&s.small_alloc_count[1], 10); // 10 x 8 bytes
        xadd(&s.small_free_count[1], 4);
        xadd(&s.large_alloc, 40960);
        xadd(&s.large_alloc_count, 1);
        xadd(&s.tiny_alloc_count, 3);
        xadd(&s.heap_in_use, 3 * 8192 + 40960);
        xadd(&s.heap_free, 8192);
        xadd(&s.heap_released, 4 << 20);
        let m = s.read();
        assert_eq!(m.total_alloc, 80 + 40960);
        assert_eq!(m.heap_alloc, 80 - 32 + 40960);
        assert_eq!(m.mallocs, 10 + 1 + 3);
        assert_eq!(m.frees, 4 + 3);
        assert_eq!(m.heap_objects, 7);
        assert_eq!(m.heap_inuse, 3 * 8192 + 40960);
        assert_eq!(m.heap_idle, 8192 + (4 << 20));
        assert_eq!(m.heap_sys, m.heap_inuse + m.heap_idle);
        assert_eq!(m.by_size[1], (8, 10, 4));
        assert!(m.sys >= m.heap_sys);
    }
}
