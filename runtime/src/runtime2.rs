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
#[derive(Debug, Default)]
pub struct G {
    /// The stack this goroutine runs on.
    pub stack: Stack,
    /// Compared with sp by every function prologue; set to a poison value to request preemption.
    pub stackguard0: usize,
    /// Compared with sp by runtime code running on this g's stack (gc's C-stack guard).
    pub stackguard1: usize,
    /// Goroutine id, as printed in tracebacks ("goroutine 1 [running]").
    pub goid: i64,
}

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
