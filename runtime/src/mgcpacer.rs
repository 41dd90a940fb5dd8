//! When to collect (the part of Go's mgcpacer.go that goclift's stop-the-world collector
//! needs): the heap goal from GOGC and GOMEMLIMIT, and the trigger the allocator compares
//! heap_live with.
//!
//! As in gc, the goal after a cycle that left `marked` bytes live is `marked * (1 +
//! GOGC/100)`, at least the 4 MiB minimum heap scaled by GOGC/100 (gc's heapMinimum), and
//! never above what GOMEMLIMIT leaves for the heap once the runtime's other memory
//! (stacks, metadata) is counted. GOGC=off disables the proportional goal; with no memory
//! limit either, the collector never runs on its own. gc starts a concurrent cycle before
//! reaching the goal so that marking finishes at it; goclift's marking stops the world, so
//! the trigger is the goal itself.

use core::sync::atomic::{AtomicI32, AtomicU64, Ordering::Relaxed};

/// gc's heapMinimum for GOGC=100: the smallest heap goal.
pub const HEAP_MINIMUM: u64 = 4 << 20;

/// The allocator starts a collection when heap_live reaches this (u64::MAX: never, which is
/// its value until the runtime enables the collector, gc's gcenable).
pub static TRIGGER: AtomicU64 = AtomicU64::new(u64::MAX);
/// The heap goal of the current cycle, for gctrace (gc's heapGoal).
pub static HEAP_GOAL: AtomicU64 = AtomicU64::new(HEAP_MINIMUM);
/// GOGC: the percentage the heap may grow by between cycles; negative means off (gc's
/// gcPercent).
pub static GC_PERCENT: AtomicI32 = AtomicI32::new(100);
/// GOMEMLIMIT in bytes (gc's memoryLimit); i64::MAX when unset.
pub static MEMORY_LIMIT: AtomicU64 = AtomicU64::new(i64::MAX as u64);

/// Reads GOGC and GOMEMLIMIT from the environment (gc's readGOGC and readGOMEMLIMIT).
/// Malformed GOMEMLIMIT values are fatal, as in gc; malformed GOGC means 100.
pub fn read_env() {
    let mut i = 0;
    while let Some(kv) = crate::runtime1::env(i) {
        if let Some(v) = kv.strip_prefix(b"GOGC=") {
            GC_PERCENT.store(parse_gogc(v), Relaxed);
        } else if let Some(v) = kv.strip_prefix(b"GOMEMLIMIT=") {
            match parse_byte_count(v) {
                Some(n) => MEMORY_LIMIT.store(n, Relaxed),
                None => {
                    crate::print::print_str("GOMEMLIMIT=");
                    crate::os_linux::write_all(2, v);
                    crate::print::print_str("\n");
                    crate::panic::throw("malformed GOMEMLIMIT; see `go doc runtime/debug.SetMemoryLimit`");
                }
            }
        }
        i += 1;
    }
}

/// GOGC's value: "off" is -1; a decimal number, or 100 if it is not one (gc's readGOGC).
pub fn parse_gogc(v: &[u8]) -> i32 {
    if v == b"off" {
        return -1;
    }
    let (neg, digits) = match v.split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, v),
    };
    if digits.is_empty() || digits.iter().any(|c| !c.is_ascii_digit()) {
        return 100;
    }
    let mut n: i64 = 0;
    for &c in digits {
        n = (n * 10 + (c - b'0') as i64).min(i32::MAX as i64);
    }
    if neg {
        -(n as i32)
    } else {
        n as i32
    }
}

/// A GOMEMLIMIT value: "off", or a decimal number of bytes with an optional unit B, KiB,
/// MiB, GiB or TiB (gc's parseByteCount). None if malformed or out of range.
pub fn parse_byte_count(v: &[u8]) -> Option<u64> {
    if v == b"off" {
        return Some(i64::MAX as u64);
    }
    let digits_end = v.iter().position(|c| !c.is_ascii_digit()).unwrap_or(v.len());
    if digits_end == 0 {
        return None;
    }
    let unit: u64 = match &v[digits_end..] {
        b"" | b"B" => 1,
        b"KiB" => 1 << 10,
        b"MiB" => 1 << 20,
        b"GiB" => 1 << 30,
        b"TiB" => 1 << 40,
        _ => return None,
    };
    let mut n: u64 = 0;
    for &c in &v[..digits_end] {
        n = n.checked_mul(10)?.checked_add((c - b'0') as u64)?;
    }
    let n = n.checked_mul(unit)?;
    (n <= i64::MAX as u64).then_some(n)
}

/// The heap goal after a cycle that left `marked` bytes of heap objects live and scanned
/// `roots` bytes of stacks and globals, with `other` bytes of non-heap runtime memory
/// (stacks, metadata) mapped: the GOGC goal, `marked + (marked + roots) * GOGC/100` as in
/// gc 1.18+, capped by the memory limit (gc's heapGoal with its memory-limit goal).
/// u64::MAX: no goal.
pub fn heap_goal(marked: u64, roots: u64, other: u64, percent: i32, limit: u64) -> u64 {
    let gogc_goal = if percent < 0 {
        u64::MAX
    } else {
        let p = percent as u64;
        let scannable = marked.saturating_add(roots);
        let proportional = marked.saturating_add(scannable.saturating_mul(p) / 100);
        proportional.max(HEAP_MINIMUM.saturating_mul(p) / 100)
    };
    let limit_goal = if limit >= i64::MAX as u64 {
        u64::MAX
    } else {
        // Never below the live heap plus a little room: a limit that is too small makes the
        // collector run often, not fail (gc does the same and reports it through the
        // limiter's CPU cap).
        limit.saturating_sub(other).max(marked + (marked >> 5) + (64 << 10))
    };
    gogc_goal.min(limit_goal)
}

/// Sets the goal and trigger for the next cycle (gc's commit).
pub fn commit(marked: u64, roots: u64, other: u64) {
    let goal = heap_goal(
        marked,
        roots,
        other,
        GC_PERCENT.load(Relaxed),
        MEMORY_LIMIT.load(Relaxed),
    );
    HEAP_GOAL.store(goal, Relaxed);
    TRIGGER.store(trigger(marked, goal), Relaxed);
    crate::mheap::MHEAP
        .scavenge_goal
        .store(retained_goal(goal), Relaxed);
}

/// Where the next cycle starts: with concurrent marking, 70% of the way from the live heap
/// to the goal, so that marking (while the program keeps allocating) ends near the goal
/// (gc's trigger sits between 70% and 95% of the runway); stopping the world, at the goal.
pub fn trigger(marked: u64, goal: u64) -> u64 {
    if goal == u64::MAX || !crate::mgc::concurrent() {
        return goal;
    }
    marked + (goal.saturating_sub(marked)) / 10 * 7
}

/// How much memory the heap may keep backed by the OS for a heap goal: 10% above it
/// (gc's scavenger gcPercentGoal: retainExtraPercent = 10). u64::MAX: no limit.
pub fn retained_goal(goal: u64) -> u64 {
    if goal == u64::MAX {
        u64::MAX
    } else {
        goal.saturating_add(goal / 10)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gogc_values_parse_as_gc_reads_them() {
        assert_eq!(parse_gogc(b"off"), -1);
        assert_eq!(parse_gogc(b"50"), 50);
        assert_eq!(parse_gogc(b"+200"), 200);
        assert_eq!(parse_gogc(b"-1"), -1);
        assert_eq!(parse_gogc(b"abc"), 100);
        assert_eq!(parse_gogc(b""), 100);
    }

    #[test]
    fn byte_counts_take_binary_units() {
        assert_eq!(parse_byte_count(b"1024"), Some(1024));
        assert_eq!(parse_byte_count(b"5MiB"), Some(5 << 20));
        assert_eq!(parse_byte_count(b"2GiB"), Some(2 << 30));
        assert_eq!(parse_byte_count(b"off"), Some(i64::MAX as u64));
        assert_eq!(parse_byte_count(b"5MB"), None);
        assert_eq!(parse_byte_count(b"MiB"), None);
        assert_eq!(parse_byte_count(b"99999999999TiB"), None);
    }

    #[test]
    fn goal_doubles_the_live_heap_at_gogc_100() {
        let max = i64::MAX as u64;
        assert_eq!(heap_goal(10 << 20, 0, 0, 100, max), 20 << 20);
        assert_eq!(heap_goal(1 << 20, 0, 0, 100, max), HEAP_MINIMUM);
        assert_eq!(heap_goal(10 << 20, 0, 0, 50, max), 15 << 20);
        assert_eq!(heap_goal(10 << 20, 0, 0, -1, max), u64::MAX);
        // Stacks and globals count as scan work, as in gc 1.18+.
        assert_eq!(heap_goal(10 << 20, 2 << 20, 0, 100, max), 22 << 20);
    }

    #[test]
    fn memory_limit_caps_the_goal() {
        assert_eq!(heap_goal(10 << 20, 0, 2 << 20, 100, 16 << 20), 14 << 20);
        assert_eq!(heap_goal(10 << 20, 0, 0, -1, 32 << 20), 32 << 20);
        // A limit below the live heap still leaves room to allocate.
        assert!(heap_goal(10 << 20, 0, 0, 100, 1 << 20) > 10 << 20);
    }
}

/// Recomputes the goal and trigger from the last cycle's live heap after GOGC or the memory
/// limit changed (gc's gcControllerCommit from setGCPercent/setMemoryLimit).
fn recommit() {
    let marked = crate::mgc::HEAP_MARKED.load(Relaxed);
    let stacks = crate::mheap::MHEAP.stats.in_stacks.load(Relaxed);
    commit(marked, 0, stacks);
}

/// `runtime/debug.setGCPercent(int32) int32`: sets GOGC, returns the previous value.
unsafe extern "C" fn set_gc_percent_from_go(percent: i32, _g: *mut crate::runtime2::G) -> i32 {
    let old = GC_PERCENT.swap(if percent < 0 { -1 } else { percent }, Relaxed);
    recommit();
    old
}

crate::go_entry!(
    /// `runtime/debug.setGCPercent(percent int32) int32` (SetGCPercent's hook).
    set_gc_percent_entry = "runtime.setGCPercent"(percent: i32) -> i32;
    g in "rsi" / "x1" => set_gc_percent_from_go
);

/// `runtime/debug.setMemoryLimit(int64) int64`: a negative limit only reads it.
unsafe extern "C" fn set_memory_limit_from_go(limit: i64, _g: *mut crate::runtime2::G) -> i64 {
    let old = MEMORY_LIMIT.load(Relaxed) as i64;
    if limit >= 0 {
        MEMORY_LIMIT.store(limit as u64, Relaxed);
        recommit();
    }
    old
}

crate::go_entry!(
    /// `runtime/debug.setMemoryLimit(limit int64) int64` (SetMemoryLimit's hook).
    set_memory_limit_entry = "runtime.setMemoryLimit"(limit: i64) -> i64;
    g in "rsi" / "x1" => set_memory_limit_from_go
);

/// `runtime/debug.freeOSMemory()`: a forced collection, then every free page goes back to
/// the OS (gc's freeOSMemory: GC + scavenge everything).
unsafe extern "C" fn free_os_memory_from_go(g: *mut crate::runtime2::G) {
    crate::mgc::gc_start(g, true);
    let mp = (*g).m;
    crate::proc::systemstack(mp, || {
        crate::mheap::MHEAP.scavenge_to_goal(0);
    });
}

crate::go_entry!(
    /// `runtime/debug.freeOSMemory()` (FreeOSMemory's hook).
    free_os_memory_entry = "runtime.freeOSMemory"();
    g in "rdi" / "x0" => free_os_memory_from_go
);
