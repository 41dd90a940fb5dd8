//! Stack constants (Go's stack.go).

/// Bytes below stackguard0 that a function may use without checking (gc's _StackGuard on
/// linux: 928 * stackGuardMultiplier + _StackSystem, both 1 and 0 here). Small frames skip
/// the check and leaf runtime calls run in this margin.
pub const STACK_GUARD: usize = 928;

/// Size of the stack given to the main thread's g0 out of the OS thread stack (gc's rt0_go
/// takes 64 KiB as well).
pub const G0_STACK_SIZE: usize = 64 * 1024;
