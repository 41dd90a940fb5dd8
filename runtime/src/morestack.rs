//! Segmented stack growth: `runtime.morestack`, called by a failing stack check (Go's
//! stack.go newstack and asm morestack, in the segmented form gc used until Go 1.3).

use crate::panic::throw;
use crate::runtime2::{Stack, G, P};
use crate::stack::stackfree;

/// Frees the segments a dead goroutine still holds besides its first stack: the spare
/// segment kept for hot splits. A goroutine only exits from its first segment.
///
/// # Safety
/// `gp` must be dead; `pp` null or the caller's P.
pub unsafe fn release_segments(gp: *mut G, pp: *mut P) {
    if (*gp).spare_segment.lo != 0 {
        stackfree((*gp).spare_segment, pp);
        (*gp).spare_segment = Stack::default();
    }
    if (*gp).stack != (*gp).stack0 {
        throw("goroutine exited on a stack segment");
    }
}
