//! Core runtime data structures (Go's runtime2.go).
//!
//! The compiler reads `G` through the pinned g register (r15 on amd64, x21 on arm64) at the
//! fixed offsets below: the stack check compares sp with `g.stackguard0`. gc keeps the same
//! leading layout, and the offsets are part of the runtime ABI (see runtime/README.md).

/// A goroutine stack's bounds: [lo, hi), growing down from hi.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stack {
    /// Lowest usable address.
    pub lo: usize,
    /// One past the highest usable address.
    pub hi: usize,
}

/// A goroutine (gc's g). Only the leading fields are fixed by the ABI; the rest may change.
#[repr(C)]
#[derive(Debug)]
pub struct G {
    /// The stack this goroutine runs on.
    pub stack: Stack,
    /// Compared with sp by every function prologue; set to a poison value to request preemption.
    pub stackguard0: usize,
    /// Compared with sp by runtime code running on this g's stack (gc's C-stack guard).
    pub stackguard1: usize,
    /// Goroutine id, as printed in tracebacks ("goroutine 1 [running]").
    pub goid: i64,
    /// The M (OS thread) running this goroutine, null if none (gc's g.m).
    pub m: *mut M,
}

impl Default for G {
    fn default() -> G {
        G {
            stack: Stack::default(),
            stackguard0: 0,
            stackguard1: 0,
            goid: 0,
            m: core::ptr::null_mut(),
        }
    }
}

/// An OS thread that runs goroutines (gc's m). The scheduler will add most of gc's fields;
/// for now it carries what the allocator needs.
#[repr(C)]
#[derive(Debug)]
pub struct M {
    /// The goroutine with the scheduling stack (gc's g0).
    pub g0: *mut G,
    /// The P this M holds, null if none; its mcache is where the M allocates (gc's p).
    pub p: *mut P,
    /// Thread number (gc's id).
    pub id: i64,
    /// Nonzero while the M is inside mallocgc, to catch re-entrant allocation (gc's
    /// mallocing).
    pub mallocing: i32,
}

/// A processor: the right to run Go code, and the per-P caches that go with it (gc's p).
#[repr(C)]
#[derive(Debug)]
pub struct P {
    /// Index in allp (gc's id).
    pub id: i32,
    /// The M holding this P, null if idle (gc's m).
    pub m: *mut M,
    /// The P's allocation cache (gc's mcache).
    pub mcache: *mut crate::mcache::MCache,
}

/// The main thread's M (gc's m0).
#[unsafe(export_name = "runtime.m0")]
pub static mut M0: M = M {
    g0: core::ptr::null_mut(),
    p: core::ptr::null_mut(),
    id: 0,
    mallocing: 0,
};

/// The first P (gc's allp[0]); with GOMAXPROCS processors the scheduler creates the others.
pub static mut P0: P = P {
    id: 0,
    m: core::ptr::null_mut(),
    mcache: core::ptr::null_mut(),
};

/// Byte offset of `g.stack.lo`; the compiler relies on it.
pub const G_STACK_LO_OFFSET: usize = 0;
/// Byte offset of `g.stack.hi`.
pub const G_STACK_HI_OFFSET: usize = 8;
/// Byte offset of `g.stackguard0`, read by every stack check.
pub const G_STACKGUARD0_OFFSET: usize = 16;
/// Byte offset of `g.stackguard1`.
pub const G_STACKGUARD1_OFFSET: usize = 24;

/// The main thread's g (gc's runtime.g0), exported under gc's name for debuggers and tests.
#[unsafe(export_name = "runtime.g0")]
pub static mut G0: G = G {
    stack: Stack { lo: 0, hi: 0 },
    stackguard0: 0,
    stackguard1: 0,
    goid: 0,
    m: core::ptr::null_mut(),
};

#[cfg(test)]
mod tests {
    use super::*;
    use core::mem::offset_of;

    #[test]
    fn g_leading_layout_is_the_abi() {
        assert_eq!(
            offset_of!(G, stack) + offset_of!(Stack, lo),
            G_STACK_LO_OFFSET
        );
        assert_eq!(
            offset_of!(G, stack) + offset_of!(Stack, hi),
            G_STACK_HI_OFFSET
        );
        assert_eq!(offset_of!(G, stackguard0), G_STACKGUARD0_OFFSET);
        assert_eq!(offset_of!(G, stackguard1), G_STACKGUARD1_OFFSET);
    }
}
